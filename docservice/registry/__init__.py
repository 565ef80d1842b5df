"""Plantillas (official forms) and leyendas (certification legends), loaded from their folders."""

from docservice.registry.leyendas import Leyenda, LeyendaRegistry, load_leyendas
from docservice.registry.manifest import Manifest
from docservice.registry.store import (
    BrokenPlantilla,
    Plantilla,
    Registry,
    json_object,
    load_plantilla,
    load_registry,
    manifest_from_text,
    plantilla_from_files,
    previous_versions,
)

__all__ = [
    "BrokenPlantilla",
    "Leyenda",
    "LeyendaRegistry",
    "Manifest",
    "Plantilla",
    "Registry",
    "json_object",
    "load_leyendas",
    "load_plantilla",
    "load_registry",
    "manifest_from_text",
    "plantilla_from_files",
    "previous_versions",
]
