"""Adapter: certification legends from their folders (``leyendas/<clave>/``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docservice.errors import LeyendaNoEncontrada
from docservice.registry.manifest import Manifest
from docservice.registry.store import BrokenPlantilla, folder_manifest, json_object

FILES = ("manifest.toml", "schema.json", "ejemplo.json", "leyenda.txt")
MAX_TEXT_BYTES = 64 * 1024


@dataclass(frozen=True)
class Leyenda:
    """One version of a certification legend: a Jinja text template and its data schema."""

    manifest: Manifest
    texto: str = field(repr=False)
    schema: dict[str, Any] = field(repr=False)
    ejemplo: dict[str, Any] = field(repr=False)
    sha256: str


@dataclass
class LeyendaRegistry:
    leyendas: dict[str, Leyenda] = field(default_factory=dict)
    problemas: dict[str, str] = field(default_factory=dict)

    def put(self, leyenda: Leyenda) -> None:
        """Serve ``leyenda`` as the current version of its clave."""
        self.leyendas[leyenda.manifest.clave] = leyenda

    def get(self, clave: str) -> Leyenda:
        found = self.leyendas.get(clave)
        if found is None:
            raise LeyendaNoEncontrada(f"no existe la leyenda «{clave}»")
        return found


def load_leyendas(root: Path) -> LeyendaRegistry:
    """Every folder under ``root``; a broken one is reported by name and skipped."""
    registry = LeyendaRegistry()
    if not root.is_dir():
        return registry
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            registry.leyendas[folder.name] = load_leyenda(folder)
        except BrokenPlantilla as exc:
            registry.problemas[folder.name] = str(exc)
    return registry


def load_leyenda(folder: Path) -> Leyenda:
    manifest = folder_manifest(folder, FILES)
    return leyenda_from_files(
        manifest,
        texto=(folder / "leyenda.txt").read_bytes(),
        schema=(folder / "schema.json").read_bytes(),
        ejemplo=(folder / "ejemplo.json").read_bytes(),
    )


def leyenda_from_files(
    manifest: Manifest, *, texto: bytes, schema: bytes, ejemplo: bytes
) -> Leyenda:
    """A leyenda from its files' bytes (a folder or an upload); BrokenPlantilla if unsound."""
    if len(texto) > MAX_TEXT_BYTES:
        raise BrokenPlantilla("leyenda.txt excede el tamaño máximo")
    try:
        text = texto.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BrokenPlantilla("leyenda.txt no está en UTF-8") from exc
    return Leyenda(
        manifest=manifest,
        texto=text,
        schema=json_object(schema, "schema.json"),
        ejemplo=json_object(ejemplo, "ejemplo.json"),
        sha256=hashlib.sha256(texto).hexdigest(),
    )
