"""The manifest of a plantilla: what legal staff declare about a form."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CLAVE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class Manifest(BaseModel):
    """``manifest.toml`` of a plantilla folder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    clave: str
    """Stable identifier, snake_case; also the folder name."""
    nombre: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1)
    descripcion: str = ""
    formato_clave: str = ""
    """The form's official catalogue number."""
    fundamento: tuple[str, ...] = ()
    """Legal articles the act rests on, printed by the plantilla."""
    rfc_genericos_permitidos: tuple[str, ...] = ()
    """Generic RFCs (XAXX010101000, XEXX010101000) this form accepts."""
    tipo: Literal["documento", "constancia"] = "documento"
    """``constancia``: the form may be issued with a folio through ``/v1/constancias``."""

    @field_validator("clave")
    @classmethod
    def _clave_shape(cls, value: str) -> str:
        if not CLAVE_PATTERN.match(value):
            raise ValueError("la clave debe ser snake_case en minúsculas (a-z, 0-9, _)")
        return value
