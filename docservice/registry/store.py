"""Adapter: load plantillas from their folders (``plantillas/<clave>/``)."""

from __future__ import annotations

import hashlib
import json
import logging
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from docservice.errors import PlantillaNoEncontrada, VersionNoEncontrada
from docservice.registry.docx_lint import inspect_docx
from docservice.registry.manifest import Manifest

log = logging.getLogger(__name__)

FILES = ("manifest.toml", "schema.json", "ejemplo.json", "plantilla.docx")
MAX_DOCX_BYTES = 10 * 1024 * 1024
HISTORY = "versiones"


class BrokenPlantilla(Exception):
    """A plantilla folder that cannot be served; the message says why, in Spanish."""


@dataclass(frozen=True)
class Plantilla:
    """One version of a form, ready to render."""

    manifest: Manifest
    docx: bytes = field(repr=False)
    schema: dict[str, Any] = field(repr=False)
    ejemplo: dict[str, Any] = field(repr=False)
    docx_sha256: str
    estado: str = "publicada"

    @property
    def clave(self) -> str:
        return self.manifest.clave

    @property
    def version(self) -> int:
        return self.manifest.version


@dataclass
class Registry:
    """The plantillas the service can render, and those it refused with the reason."""

    plantillas: dict[str, dict[int, Plantilla]] = field(default_factory=dict)
    """Published versions, in service; the highest of each clave is its current one."""
    retiradas: dict[str, dict[int, Plantilla]] = field(default_factory=dict)
    """Retired versions: no longer current, still rendered when asked for by number."""
    problemas: dict[str, str] = field(default_factory=dict)

    def retire(self, clave: str, version: int) -> None:
        """Stop serving one version as current; it stays renderable by its number."""
        versions = self.plantillas.get(clave, {})
        plantilla = versions.pop(version, None)
        if plantilla is not None:
            self.add_retired(plantilla)
        if not versions:
            self.plantillas.pop(clave, None)

    def add_retired(self, plantilla: Plantilla) -> None:
        """Keep ``plantilla`` renderable by number only, marked ``retirada``."""
        retired = replace(plantilla, estado="retirada")
        self.retiradas.setdefault(plantilla.clave, {})[plantilla.version] = retired

    def add(self, plantilla: Plantilla) -> None:
        self.plantillas.setdefault(plantilla.clave, {})[plantilla.version] = plantilla

    def refuse(self, clave: str, reason: str) -> None:
        """Take a plantilla out of service, keeping the reason for /healthz and the logs."""
        self.plantillas.pop(clave, None)
        self.problemas[clave] = reason
        log.error("plantilla «%s» no disponible: %s", clave, reason)

    def claves(self) -> list[str]:
        return sorted(self.plantillas)

    def current(self, clave: str) -> Plantilla:
        versions = self.plantillas.get(clave)
        if not versions:
            raise PlantillaNoEncontrada(f"no existe la plantilla «{clave}»")
        return versions[max(versions)]

    def get(self, clave: str, version: int | None = None) -> Plantilla:
        if version is None:
            return self.current(clave)
        found = self.plantillas.get(clave, {}).get(version) or self.retiradas.get(clave, {}).get(
            version
        )
        if found is None:
            self.current(clave)  # 404 for the clave first
            raise VersionNoEncontrada(f"la plantilla «{clave}» no tiene la versión {version}")
        return found


def load_registry(root: Path) -> Registry:
    """Every folder under ``root``; a broken one is reported by name and skipped."""
    registry = Registry()
    if not root.is_dir():
        log.error("no existe la carpeta de plantillas %s", root)
        return registry
    for folder in sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        try:
            current = load_plantilla(folder)
            retired = [load_plantilla(old) for old in previous_versions(folder, current.version)]
        except BrokenPlantilla as exc:
            registry.refuse(folder.name, str(exc))
            continue
        registry.add(current)
        for plantilla in retired:
            registry.add_retired(plantilla)
    return registry


def previous_versions(folder: Path, current: int) -> list[Path]:
    """The folder's history: ``versiones/<n>/`` for every n below the current version.

    A version that legal staff replaced stays in the repository, retired, so documents
    issued with it can be reproduced; the folder's own files are the current version.
    """
    history = folder / HISTORY
    if not history.is_dir():
        return []
    found = [p for p in history.iterdir() if p.is_dir() and p.name.isdigit()]
    for old in found:
        if int(old.name) >= current:
            raise BrokenPlantilla(f"{HISTORY}/{old.name} no es anterior a la versión {current}")
    return sorted(found, key=lambda p: int(p.name))


def load_plantilla(folder: Path) -> Plantilla:
    """Read and check one folder (or one ``versiones/<n>/``); BrokenPlantilla with the reason."""
    manifest = folder_manifest(folder, FILES)
    return plantilla_from_files(
        manifest,
        docx=(folder / "plantilla.docx").read_bytes(),
        schema=(folder / "schema.json").read_bytes(),
        ejemplo=(folder / "ejemplo.json").read_bytes(),
    )


def plantilla_from_files(
    manifest: Manifest, *, docx: bytes, schema: bytes, ejemplo: bytes, estado: str = "publicada"
) -> Plantilla:
    """A plantilla from its files' bytes (a folder or an upload); BrokenPlantilla if unsound."""
    _check_docx(docx)
    return Plantilla(
        manifest=manifest,
        docx=docx,
        schema=json_object(schema, "schema.json"),
        ejemplo=json_object(ejemplo, "ejemplo.json"),
        docx_sha256=hashlib.sha256(docx).hexdigest(),
        estado=estado,
    )


def folder_manifest(folder: Path, files: tuple[str, ...]) -> Manifest:
    """The manifest of a registry folder, after checking its files are all there."""
    missing = [name for name in files if not (folder / name).is_file()]
    if missing:
        raise BrokenPlantilla(f"faltan archivos: {', '.join(missing)}")
    manifest = _manifest(folder / "manifest.toml")
    if folder.parent.name == HISTORY:
        if manifest.version != int(folder.name):
            raise BrokenPlantilla(
                f"{HISTORY}/{folder.name}: el manifiesto dice versión {manifest.version}"
            )
        folder = folder.parent.parent
    if manifest.clave != folder.name:
        raise BrokenPlantilla(
            f"la clave del manifiesto «{manifest.clave}» no coincide con la carpeta"
        )
    return manifest


def _manifest(path: Path) -> Manifest:
    return manifest_from_text(path.read_bytes())


def manifest_from_text(raw: bytes) -> Manifest:
    """A manifest from the bytes of a ``manifest.toml``; BrokenPlantilla with the reason."""
    try:
        return Manifest.model_validate(tomllib.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BrokenPlantilla(f"manifest.toml no es TOML válido: {exc}") from exc
    except ValidationError as exc:
        campos = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise BrokenPlantilla(f"manifest.toml inválido: {campos}") from exc


def _json_object(path: Path) -> dict[str, Any]:
    return json_object(path.read_bytes(), path.name)


def json_object(raw: bytes, name: str) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BrokenPlantilla(f"{name} no es JSON válido: {exc}") from exc
    if not isinstance(value, dict):
        raise BrokenPlantilla(f"{name} debe contener un objeto JSON")
    return value


def _check_docx(docx: bytes) -> None:
    findings = inspect_docx(docx, MAX_DOCX_BYTES)
    if findings:
        raise BrokenPlantilla("plantilla.docx: " + "; ".join(findings))
