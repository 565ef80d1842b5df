"""Versions of leyendas, the same life as plantillas: submit, review, publish, retire, preview.

A leyenda's text renders in a bounded child while under review (it is a Jinja template too);
its preview is the legend page a certified copy would get, for a copy of three fojas.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfWriter

from docservice.aislamiento import run_bounded
from docservice.contenido_pdf import watermark
from docservice.documentos.versiones import MARCA, _refused
from docservice.errors import Conflicto, DocServiceError, NoEncontrado
from docservice.ledger import Ledger, VersionRecord
from docservice.model import Caller
from docservice.registry import BrokenPlantilla, Leyenda, LeyendaRegistry, manifest_from_text
from docservice.registry.ciclo import Estado, next_state
from docservice.registry.leyendas import leyenda_from_files
from docservice.render import Renderer, TemplateInfo
from docservice.render.aislado import legend_draft
from docservice.render.schema import check_schema
from docservice.storage import BlobStore
from docservice.tipografia import add_text_pages

TIPO = "leyenda"
FOJAS_DE_PRUEBA = 3


@dataclass(frozen=True)
class LeyendaFiles:
    texto: bytes
    schema: bytes
    ejemplo: bytes
    manifest: bytes


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _info(leyenda: Leyenda) -> TemplateInfo:
    m = leyenda.manifest
    return TemplateInfo(m.clave, m.nombre, m.version, m.formato_clave, m.fundamento)


class LeyendaVersionService:
    def __init__(
        self, *, leyendas: LeyendaRegistry, renderer: Renderer, ledger: Ledger, store: BlobStore
    ) -> None:
        self._leyendas = leyendas
        self._renderer = renderer
        self._ledger = ledger
        self._store = store

    def versions(self, clave: str) -> list[VersionRecord]:
        found = self._ledger.versions(TIPO, clave)
        if not found:
            raise NoEncontrado(f"la leyenda «{clave}» no tiene versiones registradas")
        return found

    def version(self, clave: str, version: int) -> VersionRecord:
        for record in self.versions(clave):
            if record.version == version:
                return record
        raise NoEncontrado(f"la leyenda «{clave}» no tiene la versión {version}")

    def leyenda(self, record: VersionRecord) -> Leyenda:
        manifest = manifest_from_text(record.manifest_toml.encode())
        return leyenda_from_files(
            manifest.model_copy(update={"version": record.version}),
            texto=self._store.get(record.documento_sha256),
            schema=record.schema_json.encode(),
            ejemplo=record.ejemplo_json.encode(),
        )

    def submit(self, clave: str, files: LeyendaFiles, caller: Caller) -> VersionRecord:
        version = max((r.version for r in self._ledger.versions(TIPO, clave)), default=0) + 1
        self._checked(clave, version, files)
        now = datetime.now(UTC)
        record = VersionRecord(
            tipo=TIPO, clave=clave, version=version, estado=Estado.BORRADOR.value,
            documento_sha256=self._store.put(files.texto),
            schema_json=files.schema.decode(), ejemplo_json=files.ejemplo.decode(),
            manifest_toml=files.manifest.decode(), schema_sha256=_sha(files.schema),
            ejemplo_sha256=_sha(files.ejemplo), manifest_sha256=_sha(files.manifest),
            creada_por=caller.nombre, creada_en=now, enviada_por=None, actualizada_en=now,
            comentario=None,
        )  # fmt: skip
        self._ledger.add_version(record, actor=caller.nombre)
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
            raise _refused([str(exc)]) from exc
        problem = check_schema(leyenda.schema)
        if problem:
            raise _refused([problem])
        try:
            self._paragraphs(leyenda)
        except DocServiceError as exc:
            findings = [f"ejemplo.json {e.pointer}: {e.mensaje}" for e in exc.errores]
            raise _refused(findings or [exc.mensaje]) from exc
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
        record = self.version(clave, version)
        hacia = next_state(
            Estado(record.estado), accion, caller,
            enviada_por=record.enviada_por or record.creada_por, comentario=comentario,
        )  # fmt: skip
        moved = self._ledger.move_version(
            TIPO, clave, version, accion=accion, desde=record.estado, hacia=hacia.value,
            actor=caller.nombre, comentario=comentario,
        )  # fmt: skip
        if hacia in (Estado.PUBLICADA, Estado.RETIRADA):
            self._serve_current(clave)
        return moved

    def _serve_current(self, clave: str) -> None:
        published = [r for r in self._ledger.versions(TIPO, clave) if r.estado == "publicada"]
        if published:
            self._leyendas.put(self.leyenda(max(published, key=lambda r: r.version)))
        else:
            self._leyendas.leyendas.pop(clave, None)

    def preview(self, clave: str, version: int) -> bytes:
        record = self.version(clave, version)
        paragraphs = self._paragraphs(self.leyenda(record))
        writer = PdfWriter()
        add_text_pages(
            writer,
            paragraphs,
            size=10.5,
            leading=15.0,
            footer=lambda n, t: f"Vista previa de {clave} v{version} · hoja {n} de {t}",
        )
        out = BytesIO()
        writer.write(out)
        pdf = out.getvalue()
        return pdf if record.estado == Estado.PUBLICADA.value else watermark(pdf, MARCA)

    def seed(self, root: Path) -> None:
        """Record as published every folder leyenda the ledger does not have yet."""
        for clave, leyenda in sorted(self._leyendas.leyendas.items()):
            known = {r.version for r in self._ledger.versions(TIPO, clave)}
            folder = root / clave
            if leyenda.manifest.version in known or not folder.is_dir():
                continue
            names = ("leyenda.txt", "schema.json", "ejemplo.json", "manifest.toml")
            files = {name: (folder / name).read_bytes() for name in names}
            now = datetime.now(UTC)
            record = VersionRecord(
                tipo=TIPO,
                clave=clave,
                version=leyenda.manifest.version,
                estado="publicada",
                documento_sha256=self._store.put(files["leyenda.txt"]),
                schema_json=files["schema.json"].decode(),
                ejemplo_json=files["ejemplo.json"].decode(),
                manifest_toml=files["manifest.toml"].decode(),
                schema_sha256=_sha(files["schema.json"]),
                ejemplo_sha256=_sha(files["ejemplo.json"]),
                manifest_sha256=_sha(files["manifest.toml"]),
                creada_por="semilla",
                creada_en=now,
                enviada_por=None,
                actualizada_en=now,
                comentario="importada de la carpeta leyendas/",
            )
            try:
                self._ledger.add_version(record, actor="semilla")
            except Conflicto:  # another service process seeded it a moment ago
                continue

    def restore_published(self) -> None:
        for clave in list(self._leyendas.leyendas):
            if any(r.estado != "publicada" or r.version > self._leyendas.get(clave).manifest.version
                   for r in self._ledger.versions(TIPO, clave)):  # fmt: skip
                self._serve_current(clave)
