"""Plantilla versions: the main file is a .docx, previews are converted by LibreOffice, and a
published version joins the ``Registry`` (retired ones stay renderable by number)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from docservice.convert import ConverterPool
from docservice.documentos.revision import Fills, fill_plantilla, review_plantilla
from docservice.documentos.versiones import VersionFiles, VersionService
from docservice.errors import DocServiceError
from docservice.ledger import Ledger, VersionRecord
from docservice.ledger.blobs import BlobStore
from docservice.procesos import ConcurrencyLimit
from docservice.registry import Manifest, Plantilla, Registry, plantilla_from_files
from docservice.registry.diff import body_lines
from docservice.registry.flujo import Estado
from docservice.render import Renderer, RenderPool
from docservice.render.borradores import DraftPool

REVISION = "la revisión de la plantilla"


class PlantillaKind:
    tipo = "plantilla"
    plural = "plantillas"
    main_file = "plantilla.docx"

    def __init__(self, *, registry: Registry, pool: ConverterPool, fills: Fills) -> None:
        self._registry = registry
        self._pool = pool
        self._fills = fills

    def built(self, manifest: Manifest, files: VersionFiles, estado: str) -> Plantilla:
        return plantilla_from_files(
            manifest, docx=files.documento, schema=files.schema, ejemplo=files.ejemplo,
            estado=estado,
        )  # fmt: skip

    def review(self, manifest: Manifest, files: VersionFiles) -> list[str]:
        """Package, lint and the ejemplo filled in one bounded process; then converted here."""
        reviewed = self._fills.drafts.run(
            REVISION, review_plantilla, manifest, files.documento, files.schema, files.ejemplo
        )
        if reviewed.findings:
            return reviewed.findings
        try:
            self._pool.convert(reviewed.rendered)
        except DocServiceError as exc:
            return [f"el ejemplo no se pudo convertir a PDF: {exc.mensaje}"]
        return []

    def render(self, version: Plantilla, datos: Mapping[str, Any] | None, published: bool) -> bytes:
        """The filled .docx (``Fills``: a draft in a fresh bounded process), converted."""
        docx = self._fills.fill(REVISION, fill_plantilla, version, datos, published)
        return self._pool.convert(docx)

    def lines(self, version: Plantilla) -> list[str]:
        return body_lines(version.docx)

    def claves(self) -> list[str]:
        return self._registry.claves()

    def folder_version(self, clave: str) -> int:
        return self._registry.current(clave).version

    def serve(
        self,
        clave: str,
        records: Sequence[VersionRecord],
        load: Callable[[VersionRecord], Plantilla],
    ) -> None:
        """Every published version in service; retired ones renderable by number only."""
        registry = self._registry
        for record in records:
            in_service = registry.plantillas.get(clave, {})
            if record.estado == Estado.PUBLICADA.value and record.version not in in_service:
                registry.add(load(record))
            elif record.estado == Estado.RETIRADA.value:
                if record.version in in_service:
                    registry.retire(clave, record.version)
                elif record.version not in registry.retiradas.get(clave, {}):
                    registry.add_retired(load(record))


def plantilla_versions(
    *,
    registry: Registry,
    renderer: Renderer,
    pool: ConverterPool,
    ledger: Ledger,
    store: BlobStore,
    render_pool: RenderPool | None = None,
    previews: ConcurrencyLimit | None = None,
    drafts: DraftPool,
) -> VersionService[Plantilla]:
    """The plantilla version service (its drafts filled and reviewed in ``drafts``)."""
    kind = PlantillaKind(registry=registry, pool=pool, fills=Fills(renderer, drafts, render_pool))
    return VersionService(
        kind, settings=renderer.settings, ledger=ledger, store=store, previews=previews
    )
