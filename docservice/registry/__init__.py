"""Plantillas (official forms): manifest, versions, loading from ``plantillas/``."""

from docservice.registry.manifest import Manifest
from docservice.registry.store import (
    BrokenPlantilla,
    Plantilla,
    Registry,
    load_plantilla,
    load_registry,
)

__all__ = [
    "BrokenPlantilla",
    "Manifest",
    "Plantilla",
    "Registry",
    "load_plantilla",
    "load_registry",
]
