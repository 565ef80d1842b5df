"""Leyenda versions: the main file is a Jinja text, the preview is the legend page a certified
copy of three fojas would get, and the highest published version is the ``LeyendaRegistry``'s."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from typing import Any

from pypdf import PdfWriter

from docservice.documentos.revision import Fills, fill_leyenda, review_leyenda
from docservice.documentos.versiones import VersionFiles, VersionService
from docservice.ledger import Ledger, VersionRecord
from docservice.ledger.blobs import BlobStore
from docservice.pdf.tipografia import add_text_pages
from docservice.procesos import ConcurrencyLimit
from docservice.registry import Leyenda, LeyendaRegistry, Manifest
from docservice.registry.diff import text_lines
from docservice.registry.flujo import Estado
from docservice.registry.leyendas import leyenda_from_files
from docservice.render import Renderer, RenderPool
from docservice.render.borradores import DraftPool

REVISION = "la revisión de la leyenda"


class LeyendaKind:
    tipo = "leyenda"
    plural = "leyendas"
    main_file = "leyenda.txt"

    def __init__(self, *, leyendas: LeyendaRegistry, fills: Fills) -> None:
        self._leyendas = leyendas
        self._fills = fills

    def built(self, manifest: Manifest, files: VersionFiles, estado: str) -> Leyenda:
        return leyenda_from_files(
            manifest, texto=files.documento, schema=files.schema, ejemplo=files.ejemplo
        )

    def review(self, manifest: Manifest, files: VersionFiles) -> list[str]:
        """Text, schema and the ejemplo filled, in one bounded process."""
        reviewed = self._fills.drafts.run(
            REVISION, review_leyenda, manifest, files.documento, files.schema, files.ejemplo
        )
        return reviewed.findings

    def render(self, version: Leyenda, datos: Mapping[str, Any] | None, published: bool) -> bytes:
        """The legend page (``Fills``: a draft's text filled in a fresh bounded process)."""
        paragraphs = self._fills.fill(REVISION, fill_leyenda, version, datos, published)
        clave, numero = version.manifest.clave, version.manifest.version
        writer = PdfWriter()
        add_text_pages(
            writer,
            paragraphs,
            size=10.5,
            leading=15.0,
            footer=lambda n, t: f"Vista previa de {clave} v{numero} · hoja {n} de {t}",
            marcas=True,
        )
        out = BytesIO()
        writer.write(out)
        return out.getvalue()

    def lines(self, version: Leyenda) -> list[str]:
        return text_lines(version.texto)

    def claves(self) -> list[str]:
        return sorted(self._leyendas.leyendas)

    def folder_version(self, clave: str) -> int:
        return self._leyendas.get(clave).manifest.version

    def serve(
        self, clave: str, records: Sequence[VersionRecord], load: Callable[[VersionRecord], Leyenda]
    ) -> None:
        """The highest published version in service; none published → the clave is not."""
        published = [r for r in records if r.estado == Estado.PUBLICADA.value]
        if published:
            self._leyendas.put(load(max(published, key=lambda r: r.version)))
        else:
            self._leyendas.leyendas.pop(clave, None)


def leyenda_versions(
    *,
    leyendas: LeyendaRegistry,
    renderer: Renderer,
    ledger: Ledger,
    store: BlobStore,
    render_pool: RenderPool | None = None,
    previews: ConcurrencyLimit | None = None,
    drafts: DraftPool,
) -> VersionService[Leyenda]:
    """The leyenda version service (its drafts filled and reviewed in ``drafts``)."""
    kind = LeyendaKind(leyendas=leyendas, fills=Fills(renderer, drafts, render_pool))
    return VersionService(
        kind, settings=renderer.settings, ledger=ledger, store=store, previews=previews
    )
