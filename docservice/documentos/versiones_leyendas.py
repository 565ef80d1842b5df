"""Versions of leyendas, the same life as plantillas: submit, review, publish, retire, preview.

A leyenda's text renders in a bounded child while under review (it is a Jinja template too);
its preview is the legend page a certified copy would get, for a copy of three fojas.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pypdf import PdfWriter

from docservice.documentos.versionado import MARCA, VersionLedger, refused
from docservice.errors import DocServiceError, NoEncontrado
from docservice.ledger import Ledger, VersionRecord
from docservice.ledger.blobs import BlobStore
from docservice.model import Caller
from docservice.pdf.contenido import watermark
from docservice.pdf.tipografia import add_text_pages
from docservice.procesos import ConcurrencyLimit, run_bounded
from docservice.registry import (
    BrokenPlantilla,
    Leyenda,
    LeyendaRegistry,
    manifest_from_text,
)
from docservice.registry.flujo import Estado
from docservice.registry.leyendas import leyenda_from_files
from docservice.render import Renderer, TemplateInfo
from docservice.render.borradores import legend_draft
from docservice.render.schema import check_schema

TIPO = "leyenda"
TEXTO = "leyenda.txt"
FOJAS_DE_PRUEBA = 3


@dataclass(frozen=True)
class LeyendaFiles:
    texto: bytes
    schema: bytes
    ejemplo: bytes
    manifest: bytes


def _info(leyenda: Leyenda) -> TemplateInfo:
    m = leyenda.manifest
    return TemplateInfo(m.clave, m.nombre, m.version, m.formato_clave, m.fundamento)


class LeyendaVersionService:
    def __init__(
        self,
        *,
        leyendas: LeyendaRegistry,
        renderer: Renderer,
        ledger: Ledger,
        store: BlobStore,
        previews: ConcurrencyLimit | None = None,
    ) -> None:
        self._leyendas = leyendas
        self._renderer = renderer
        self._store = store
        self._previews = previews or ConcurrencyLimit(
            renderer.settings.vistas_previas_simultaneas, "vistas previas"
        )
        self._versions = VersionLedger(TIPO, ledger, store)

    def versions(self, clave: str) -> list[VersionRecord]:
        return self._versions.versions(clave)

    def version(self, clave: str, version: int) -> VersionRecord:
        return self._versions.version(clave, version)

    def leyenda(self, record: VersionRecord) -> Leyenda:
        manifest = manifest_from_text(record.manifest_toml.encode())
        return leyenda_from_files(
            manifest.model_copy(update={"version": record.version}),
            texto=self._store.get(record.documento_sha256),
            schema=record.schema_json.encode(),
            ejemplo=record.ejemplo_json.encode(),
        )

    def submit(self, clave: str, files: LeyendaFiles, caller: Caller) -> VersionRecord:
        version = self._versions.next_number(clave)
        self._checked(clave, version, files)
        record = self._versions.record(
            clave, version, Estado.BORRADOR, documento=files.texto, schema=files.schema,
            ejemplo=files.ejemplo, manifest=files.manifest, creada_por=caller.nombre,
        )  # fmt: skip
        self._versions.add(record, actor=caller.nombre)
        return record

    def _checked(self, clave: str, version: int, files: LeyendaFiles) -> Leyenda:
        try:
            manifest = manifest_from_text(files.manifest)
            if manifest.clave != clave:
                raise BrokenPlantilla(f"la clave del manifiesto «{manifest.clave}» no es «{clave}»")
            leyenda = leyenda_from_files(
                manifest.model_copy(update={"version": version}),
                texto=files.texto, schema=files.schema, ejemplo=files.ejemplo,
            )  # fmt: skip
        except BrokenPlantilla as exc:
            raise refused([str(exc)]) from exc
        problem = check_schema(leyenda.schema)
        if problem:
            raise refused([problem])
        try:
            self._paragraphs(leyenda)
        except DocServiceError as exc:
            findings = [f"ejemplo.json {e.pointer}: {e.mensaje}" for e in exc.errores]
            raise refused(findings or [exc.mensaje]) from exc
        return leyenda

    def _paragraphs(self, leyenda: Leyenda) -> list[str]:
        settings = self._renderer.settings
        args = (settings, leyenda.texto, _info(leyenda), leyenda.schema, leyenda.ejemplo,
                FOJAS_DE_PRUEBA)  # fmt: skip
        return run_bounded(
            legend_draft,
            *args,
            seconds=settings.borrador_tiempo_s,
            memory_mb=settings.borrador_memoria_mb,
            what="la revisión de la leyenda",
        )

    def act(
        self, clave: str, version: int, accion: str, caller: Caller, comentario: str | None
    ) -> VersionRecord:
        moved, hacia = self._versions.move(clave, version, accion, caller, comentario)
        if hacia in (Estado.PUBLICADA, Estado.RETIRADA):
            self._serve_current(clave)
        return moved

    def _serve_current(self, clave: str) -> None:
        published = [r for r in self._versions.versions(clave) if r.estado == "publicada"]
        if published:
            self._leyendas.put(self.leyenda(max(published, key=lambda r: r.version)))
        else:
            self._leyendas.leyendas.pop(clave, None)

    def preview(self, clave: str, version: int) -> bytes:
        """At most ``vistas_previas_simultaneas`` at once in this process; past it, 429."""
        with self._previews:
            record = self.version(clave, version)
            paragraphs = self._paragraphs(self.leyenda(record))
        writer = PdfWriter()
        add_text_pages(
            writer,
            paragraphs,
            size=10.5,
            leading=15.0,
            footer=lambda n, t: f"Vista previa de {clave} v{version} · hoja {n} de {t}",
            marcas=True,
        )
        out = BytesIO()
        writer.write(out)
        pdf = out.getvalue()
        return pdf if record.estado == Estado.PUBLICADA.value else watermark(pdf, MARCA)

    def seed(self, root: Path) -> None:
        """Record every folder leyenda the ledger does not have yet: the folder's own as
        published, its ``versiones/<n>/`` history as retired."""
        for clave, leyenda in sorted(self._leyendas.leyendas.items()):
            self._versions.seed_folder(clave, root / clave, leyenda.manifest.version, TEXTO)

    def restore_published(self) -> None:
        """Serve, per clave, the highest version the ledger holds as published."""
        for clave in list(self._leyendas.leyendas):
            try:
                self._serve_current(clave)
            except NoEncontrado:  # not seeded (its folder is gone): keep what was loaded
                continue
