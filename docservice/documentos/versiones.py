"""Versions of plantillas for legal staff: submit, review, publish, retire, preview, diff.

A submitted version is linted like a folder one (package, manifest, schema, tags in the
sandbox, schema ↔ template, ejemplo validates and renders to PDF) and refused with every
finding; its files go to the blob store, its record to the ledger. Publishing puts it in
service at once; the folder ``plantillas/`` seeds the ledger with its versions as published.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from docservice.convert import ConverterPool
from docservice.documentos.revision import review_upload
from docservice.documentos.service import document_properties, template_info
from docservice.documentos.versionado import MARCA, VersionLedger, refused
from docservice.errors import DocServiceError, ServicioSaturado
from docservice.ledger import Ledger, VersionRecord
from docservice.ledger.blobs import BlobStore
from docservice.model import Caller
from docservice.pdf.contenido import watermark
from docservice.procesos import ConcurrencyLimit, run_bounded
from docservice.registry import (
    BrokenPlantilla,
    Plantilla,
    Registry,
    manifest_from_text,
    plantilla_from_files,
)
from docservice.registry.diff import VersionDiff, diff_versions
from docservice.registry.docx_lint import ensure_safe_render
from docservice.registry.flujo import Estado
from docservice.render import Renderer, RenderPool
from docservice.render.borradores import render_draft

T = TypeVar("T")
TIPO = "plantilla"
DOCX = "plantilla.docx"


@dataclass(frozen=True)
class VersionFiles:
    """The four files of a version, as uploaded."""

    docx: bytes
    schema: bytes
    ejemplo: bytes
    manifest: bytes


class VersionService:
    def __init__(
        self,
        *,
        registry: Registry,
        renderer: Renderer,
        pool: ConverterPool,
        ledger: Ledger,
        store: BlobStore,
        render_pool: RenderPool | None = None,
        previews: ConcurrencyLimit | None = None,
    ) -> None:
        self._registry = registry
        self._renderer = renderer
        self._pool = pool
        self._store = store
        self._render_pool = render_pool
        self._previews = previews or ConcurrencyLimit(
            renderer.settings.vistas_previas_simultaneas, "vistas previas"
        )
        self._versions = VersionLedger(TIPO, ledger, store)
        self._reviews = threading.BoundedSemaphore(renderer.settings.revisiones_simultaneas)

    # --- reading ------------------------------------------------------------------------------

    def versions(self, clave: str) -> list[VersionRecord]:
        return self._versions.versions(clave)

    def version(self, clave: str, version: int) -> VersionRecord:
        return self._versions.version(clave, version)

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
        version = self._versions.next_number(clave)
        self._checked(clave, version, files)
        record = self._versions.record(
            clave, version, Estado.BORRADOR, documento=files.docx, schema=files.schema,
            ejemplo=files.ejemplo, manifest=files.manifest, creada_por=caller.nombre,
        )  # fmt: skip
        self._versions.add(record, actor=caller.nombre)
        return record

    def act(
        self, clave: str, version: int, accion: str, caller: Caller, comentario: str | None
    ) -> VersionRecord:
        moved, hacia = self._versions.move(clave, version, accion, caller, comentario)
        if hacia == Estado.PUBLICADA:
            self._registry.add(self.plantilla(moved))
        elif hacia == Estado.RETIRADA:
            self._registry.retire(clave, version)
        return moved

    def _checked(self, clave: str, version: int, files: VersionFiles) -> Plantilla:
        """The upload reviewed in a bounded child, at most ``revisiones_simultaneas`` at once."""
        settings = self._renderer.settings
        if not self._reviews.acquire(timeout=settings.revision_espera_s):
            raise ServicioSaturado(
                f"hay {settings.revisiones_simultaneas} revisiones de plantillas en curso; "
                "reintente en unos segundos",
                reintentar_en=5,
            )
        try:
            return self._reviewed(clave, version, files)
        finally:
            self._reviews.release()

    def _reviewed(self, clave: str, version: int, files: VersionFiles) -> Plantilla:
        try:
            manifest = manifest_from_text(files.manifest)
            if manifest.clave != clave:
                raise BrokenPlantilla(f"la clave del manifiesto «{manifest.clave}» no es «{clave}»")
        except BrokenPlantilla as exc:
            raise refused([str(exc)]) from exc
        manifest = manifest.model_copy(update={"version": version})
        plantilla, findings = self._bounded(
            review_upload, self._renderer.settings, manifest,
            files.docx, files.schema, files.ejemplo,
        )  # fmt: skip
        if plantilla is None:
            raise refused(findings)
        if not findings:
            try:
                self.preview_pdf(plantilla)
            except DocServiceError as exc:
                findings.append(f"el ejemplo no se pudo convertir a PDF: {exc.mensaje}")
        if findings:
            raise refused(findings)
        return plantilla

    # --- preview, diff, seeding ---------------------------------------------------------------

    def preview(self, clave: str, version: int, datos: dict[str, object] | None = None) -> bytes:
        """At most ``vistas_previas_simultaneas`` at once in this process; past it, 429."""
        with self._previews:
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
        if not published:
            docx = self._bounded(render_draft, *args)
        elif self._render_pool is not None:  # a published one fills in a bounded worker
            docx = self._render_pool.render(
                template=plantilla.docx, info=args[2], schema=plantilla.schema, datos=args[4],
                documento_id=documento_id, properties=args[6], genericos=args[7],
                template_sha256=plantilla.docx_sha256,
            )  # fmt: skip
        else:
            docx = render_draft(*args)
        ensure_safe_render(docx, plantilla.clave)  # data or |safe may have written raw XML
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
        """Record every folder version the ledger does not have yet: the folder's own as
        published, those under ``versiones/<n>/`` as retired."""
        return [
            seeded
            for clave in self._registry.claves()
            for seeded in self._versions.seed_folder(
                clave, root / clave, self._registry.current(clave).version, DOCX
            )
        ]

    def restore_published(self) -> None:
        """Serve the published versions the ledger holds beyond the folder's (uploads), and
        keep the retired ones renderable by number."""
        for clave in self._registry.claves():
            for record in self._versions.versions(clave):
                in_service = self._registry.plantillas.get(clave, {})
                if record.estado == "publicada" and record.version not in in_service:
                    self._registry.add(self.plantilla(record))
                elif record.estado == "retirada":
                    if record.version in in_service:
                        self._registry.retire(clave, record.version)
                    elif record.version not in self._registry.retiradas.get(clave, {}):
                        self._registry.add_retired(self.plantilla(record))
