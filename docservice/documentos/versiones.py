"""Versions of plantillas for legal staff: submit, review, publish, retire, preview, diff.

A submitted version is linted like a folder one (package, manifest, schema, tags in the
sandbox, schema ↔ template, ejemplo validates and renders to PDF) and refused with every
finding; its files go to the blob store, its record to the ledger. Publishing puts it in
service at once; the folder ``plantillas/`` seeds the ledger with its versions as published.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from docservice.aislamiento import run_bounded
from docservice.contenido_pdf import watermark
from docservice.convert import ConverterPool
from docservice.documentos.service import document_properties, template_info
from docservice.errors import (
    Conflicto,
    DocServiceError,
    FieldError,
    NoEncontrado,
    PlantillaInvalida,
)
from docservice.ledger import Ledger, VersionRecord
from docservice.model import Caller
from docservice.registry import (
    BrokenPlantilla,
    Plantilla,
    Registry,
    manifest_from_text,
    plantilla_from_files,
)
from docservice.registry.ciclo import Estado, next_state
from docservice.registry.diff import VersionDiff, diff_versions
from docservice.render import Renderer
from docservice.render.aislado import lint_draft, render_draft
from docservice.storage import BlobStore

T = TypeVar("T")
TIPO = "plantilla"
MARCA = "BORRADOR — SIN VALIDEZ"


@dataclass(frozen=True)
class VersionFiles:
    """The four files of a version, as uploaded."""

    docx: bytes
    schema: bytes
    ejemplo: bytes
    manifest: bytes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class VersionService:
    def __init__(
        self,
        *,
        registry: Registry,
        renderer: Renderer,
        pool: ConverterPool,
        ledger: Ledger,
        store: BlobStore,
    ) -> None:
        self._registry = registry
        self._renderer = renderer
        self._pool = pool
        self._ledger = ledger
        self._store = store

    # --- reading ------------------------------------------------------------------------------

    def versions(self, clave: str) -> list[VersionRecord]:
        found = self._ledger.versions(TIPO, clave)
        if not found:
            raise NoEncontrado(f"la plantilla «{clave}» no tiene versiones registradas")
        return found

    def version(self, clave: str, version: int) -> VersionRecord:
        for record in self.versions(clave):
            if record.version == version:
                return record
        raise NoEncontrado(f"la plantilla «{clave}» no tiene la versión {version}")

    def plantilla(self, record: VersionRecord) -> Plantilla:
        manifest = manifest_from_text(record.manifest_toml.encode())
        return plantilla_from_files(
            manifest.model_copy(update={"version": record.version}),
            docx=self._store.get(record.documento_sha256),
            schema=record.schema_json.encode(),
            ejemplo=record.ejemplo_json.encode(),
            estado=record.estado,
        )

    # --- submitting and moving ----------------------------------------------------------------

    def submit(self, clave: str, files: VersionFiles, caller: Caller) -> VersionRecord:
        """Lint and record a new ``borrador`` version; PlantillaInvalida lists the findings."""
        existing = self._ledger.versions(TIPO, clave)
        version = max((r.version for r in existing), default=0) + 1
        self._checked(clave, version, files)
        now = datetime.now(UTC)
        record = VersionRecord(
            tipo=TIPO, clave=clave, version=version, estado=Estado.BORRADOR.value,
            documento_sha256=self._store.put(files.docx),
            schema_json=files.schema.decode(), ejemplo_json=files.ejemplo.decode(),
            manifest_toml=files.manifest.decode(),
            schema_sha256=_sha(files.schema), ejemplo_sha256=_sha(files.ejemplo),
            manifest_sha256=_sha(files.manifest), creada_por=caller.nombre, creada_en=now,
            enviada_por=None, actualizada_en=now, comentario=None,
        )  # fmt: skip
        self._ledger.add_version(record, actor=caller.nombre)
        return record

    def act(
        self, clave: str, version: int, accion: str, caller: Caller, comentario: str | None
    ) -> VersionRecord:
        record = self.version(clave, version)
        hacia = next_state(
            Estado(record.estado), accion, caller,
            enviada_por=record.enviada_por or record.creada_por, comentario=comentario,
        )  # fmt: skip
        moved = self._ledger.move_version(
            TIPO, clave, version, accion=accion, desde=record.estado, hacia=hacia.value,
            actor=caller.nombre, comentario=comentario,
        )  # fmt: skip
        if hacia == Estado.PUBLICADA:
            self._registry.add(self.plantilla(moved))
        elif hacia == Estado.RETIRADA:
            self._registry.retire(clave, version)
        return moved

    def _checked(self, clave: str, version: int, files: VersionFiles) -> Plantilla:
        try:
            manifest = manifest_from_text(files.manifest)
            if manifest.clave != clave:
                raise BrokenPlantilla(f"la clave del manifiesto «{manifest.clave}» no es «{clave}»")
            plantilla = plantilla_from_files(
                manifest.model_copy(update={"version": version}),
                docx=files.docx, schema=files.schema, ejemplo=files.ejemplo, estado="borrador",
            )  # fmt: skip
        except BrokenPlantilla as exc:
            raise _refused([str(exc)]) from exc
        findings = self._bounded(
            lint_draft,
            self._renderer.settings,
            plantilla.docx,
            template_info(plantilla),
            plantilla.schema,
            plantilla.ejemplo,
            tuple(plantilla.manifest.rfc_genericos_permitidos),
        )
        if not findings:
            try:
                self.preview_pdf(plantilla)
            except DocServiceError as exc:
                findings.append(f"el ejemplo no se pudo convertir a PDF: {exc.mensaje}")
        if findings:
            raise _refused(findings)
        return plantilla

    # --- preview, diff, seeding ---------------------------------------------------------------

    def preview(self, clave: str, version: int, datos: dict[str, object] | None = None) -> bytes:
        plantilla = self.plantilla(self.version(clave, version))
        return self.preview_pdf(plantilla, datos)

    def preview_pdf(self, plantilla: Plantilla, datos: dict[str, object] | None = None) -> bytes:
        """The version rendered (ejemplo by default); not published → watermarked.

        A version not yet published renders in a bounded child process: nobody has vouched
        for its template yet.
        """
        documento_id = f"vista-previa-{plantilla.clave}-{plantilla.version}"
        args = (
            self._renderer.settings,
            plantilla.docx,
            template_info(plantilla),
            plantilla.schema,
            datos if datos is not None else plantilla.ejemplo,
            documento_id,
            document_properties(plantilla, documento_id, "", "vista previa"),
            tuple(plantilla.manifest.rfc_genericos_permitidos),
        )
        published = plantilla.estado == Estado.PUBLICADA.value
        docx = render_draft(*args) if published else self._bounded(render_draft, *args)
        pdf = self._pool.convert(docx)
        return pdf if published else watermark(pdf, MARCA)

    def _bounded(self, func: Callable[..., T], *args: object) -> T:
        settings = self._renderer.settings
        return run_bounded(
            func,
            *args,
            seconds=settings.borrador_tiempo_s,
            memory_mb=settings.borrador_memoria_mb,
            what="la revisión de la plantilla",
        )

    def diff(self, clave: str, de: int, a: int) -> VersionDiff:
        old, new = self.plantilla(self.version(clave, de)), self.plantilla(self.version(clave, a))
        return diff_versions(old.docx, old.schema, new.docx, new.schema)

    def seed(self, root: Path) -> list[str]:
        """Record as published every folder version the ledger does not have yet."""
        seeded = []
        for clave in self._registry.claves():
            known = {r.version for r in self._ledger.versions(TIPO, clave)}
            for version, plantilla in sorted(self._registry.plantillas[clave].items()):
                if version in known or not (root / clave).is_dir():
                    continue
                try:
                    self._ledger.add_version(
                        self._folder_record(root / clave, plantilla), actor="semilla"
                    )
                except Conflicto:  # another service process seeded it a moment ago
                    continue
                seeded.append(f"{clave} v{version}")
        return seeded

    def _folder_record(self, folder: Path, plantilla: Plantilla) -> VersionRecord:
        files = {name: (folder / name).read_bytes() for name in ("schema.json", "ejemplo.json",
                                                                 "manifest.toml")}  # fmt: skip
        now = datetime.now(UTC)
        return VersionRecord(
            tipo=TIPO, clave=plantilla.clave, version=plantilla.version, estado="publicada",
            documento_sha256=self._store.put(plantilla.docx),
            schema_json=files["schema.json"].decode(), ejemplo_json=files["ejemplo.json"].decode(),
            manifest_toml=files["manifest.toml"].decode(),
            schema_sha256=_sha(files["schema.json"]), ejemplo_sha256=_sha(files["ejemplo.json"]),
            manifest_sha256=_sha(files["manifest.toml"]), creada_por="semilla", creada_en=now,
            enviada_por=None, actualizada_en=now, comentario="importada de la carpeta plantillas/",
        )  # fmt: skip

    def restore_published(self) -> None:
        """Serve the published versions the ledger holds beyond the folder's (uploads)."""
        for clave in self._registry.claves():
            for record in self._ledger.versions(TIPO, clave):
                if (
                    record.estado == "publicada"
                    and record.version not in self._registry.plantillas[clave]
                ):
                    self._registry.add(self.plantilla(record))
                elif record.estado == "retirada":
                    self._registry.retire(clave, record.version)


def _refused(findings: list[str]) -> PlantillaInvalida:
    return PlantillaInvalida(
        f"la versión no se aceptó ({len(findings)} hallazgos)",
        errores=tuple(FieldError("/", finding) for finding in findings),
    )
