"""What runs in a draft's bounded process: the review of an upload, and the fill of a draft.

An upload is nobody's word yet: its zip may lie about its sizes (a few MB that inflate to
gigabytes), its template may loop. The package inspection, the lint and the fill of its
ejemplo all run in the one process ``render.borradores.DraftPool`` gives the task, so the API
process never inflates an upload nor spawns twice for it. Each function takes the worker's
``Renderer`` first and plain, picklable data after; the two fills take a ``RenderPool`` as
well, for published versions (``Fills``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from docservice.config import RenderSettings
from docservice.documentos.propiedades import document_properties, template_info
from docservice.errors import DocServiceError
from docservice.registry import (
    BrokenPlantilla,
    Leyenda,
    Manifest,
    Plantilla,
    plantilla_from_files,
)
from docservice.registry.docx_lint import ensure_safe_render
from docservice.registry.leyendas import leyenda_from_files
from docservice.render import Renderer, RenderPool, TemplateInfo
from docservice.render.borradores import DraftPool
from docservice.render.schema import check_schema

V = TypeVar("V", Plantilla, Leyenda)
T = TypeVar("T")
Filler = Renderer | RenderPool
"""What fills a template: a Renderer here (or in a draft's process), or a render worker."""
FOJAS_DE_PRUEBA = 3
"""A leyenda is reviewed and previewed as the legend of a copy of three fojas."""


@dataclass(frozen=True)
class Reviewed(Generic[V]):
    """An upload after review: the version (None when its files are unsound), the findings
    (empty when it may be recorded) and its ejemplo rendered (.docx bytes or paragraphs)."""

    version: V | None
    findings: list[str]
    rendered: Any = None


def draft_pool(settings: RenderSettings) -> DraftPool:
    """The draft processes for these functions, warmed up with this module imported (the
    registry and properties it brings on top of the Renderer: ~0.1 s that every draft, each
    in a fresh process, would otherwise pay on its clock)."""
    return DraftPool(settings, preload=(__name__,))


@dataclass(frozen=True)
class Fills:
    """Where a version is filled: one not yet published in a fresh bounded process (nobody has
    vouched for its template yet), a published one in a render worker (here without one)."""

    renderer: Renderer
    drafts: DraftPool
    render_pool: RenderPool | None = None

    def fill(
        self,
        what: str,
        fill: Callable[[Filler, V, Mapping[str, Any] | None], T],
        version: V,
        datos: Mapping[str, Any] | None,
        published: bool,
    ) -> T:
        """``fill(filler, version, datos)``; ``what`` names a draft's work in its errors."""
        if not published:
            return self.drafts.run(what, fill, version, datos)
        return fill(self.render_pool or self.renderer, version, datos)


def preview_id(clave: str, version: int) -> str:
    return f"vista-previa-{clave}-{version}"


# --- plantillas ---------------------------------------------------------------------------------


def review_plantilla(
    renderer: Renderer, manifest: Manifest, docx: bytes, schema: bytes, ejemplo: bytes
) -> Reviewed[Plantilla]:
    """Package, lint, then the ejemplo filled as its preview would be."""
    try:
        plantilla = plantilla_from_files(
            manifest, docx=docx, schema=schema, ejemplo=ejemplo, estado="borrador"
        )
    except BrokenPlantilla as exc:
        return Reviewed(None, [str(exc)])
    findings = renderer.lint(
        plantilla.docx,
        template_info(plantilla),
        plantilla.schema,
        plantilla.ejemplo,
        tuple(plantilla.manifest.rfc_genericos_permitidos),
    )
    if findings:
        return Reviewed(plantilla, findings)
    try:
        return Reviewed(plantilla, [], fill_plantilla(renderer, plantilla, None))
    except DocServiceError as exc:
        return Reviewed(plantilla, [f"el ejemplo no se pudo llenar: {exc.mensaje}"])


def fill_plantilla(
    renderer: Filler, plantilla: Plantilla, datos: Mapping[str, Any] | None
) -> bytes:
    """The filled .docx of a preview (``datos`` None → the ejemplo), checked for raw XML."""
    documento_id = preview_id(plantilla.clave, plantilla.version)
    docx = renderer.render(
        template=plantilla.docx,
        info=template_info(plantilla),
        schema=plantilla.schema,
        datos=plantilla.ejemplo if datos is None else datos,
        documento_id=documento_id,
        properties=document_properties(plantilla, documento_id, "", "vista previa"),
        genericos=tuple(plantilla.manifest.rfc_genericos_permitidos),
        template_sha256=plantilla.docx_sha256,
    )
    ensure_safe_render(docx, plantilla.clave)  # data or |safe may have written raw XML
    return docx


# --- leyendas -----------------------------------------------------------------------------------


def leyenda_info(leyenda: Leyenda) -> TemplateInfo:
    m = leyenda.manifest
    return TemplateInfo(m.clave, m.nombre, m.version, m.formato_clave, m.fundamento)


def review_leyenda(
    renderer: Renderer, manifest: Manifest, texto: bytes, schema: bytes, ejemplo: bytes
) -> Reviewed[Leyenda]:
    """Text and schema, then the ejemplo filled into the legend."""
    try:
        leyenda = leyenda_from_files(manifest, texto=texto, schema=schema, ejemplo=ejemplo)
    except BrokenPlantilla as exc:
        return Reviewed(None, [str(exc)])
    problem = check_schema(leyenda.schema)
    if problem:
        return Reviewed(leyenda, [problem])
    try:
        return Reviewed(leyenda, [], fill_leyenda(renderer, leyenda, None))
    except DocServiceError as exc:
        findings = [f"ejemplo.json {e.pointer}: {e.mensaje}" for e in exc.errores]
        return Reviewed(leyenda, findings or [exc.mensaje])


def fill_leyenda(renderer: Filler, leyenda: Leyenda, datos: Mapping[str, Any] | None) -> list[str]:
    """The legend's paragraphs for a copy of ``FOJAS_DE_PRUEBA`` fojas (``datos`` None → the
    ejemplo)."""
    return renderer.legend(
        texto=leyenda.texto,
        info=leyenda_info(leyenda),
        schema=leyenda.schema,
        datos=leyenda.ejemplo if datos is None else datos,
        fojas=FOJAS_DE_PRUEBA,
    )
