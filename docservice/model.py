"""Small value types shared across layers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Rol(StrEnum):
    """What an API key may do."""

    SISTEMA = "sistema"
    JURIDICO = "juridico"
    APROBADOR = "aprobador"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Caller:
    """Who is asking: the API key's name and role."""

    nombre: str
    rol: Rol
