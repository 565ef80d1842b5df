"""Service: constancias issued under gapless folios, their files, cancellation, public status."""

from docservice.constancias.service import (
    ConstanciaRequest,
    ConstanciaService,
    IssuedConstancia,
    PublicStatus,
    file_name,
)

__all__ = [
    "ConstanciaRequest",
    "ConstanciaService",
    "IssuedConstancia",
    "PublicStatus",
    "file_name",
]
