"""A template under review, checked and rendered in a bounded child process.

The entry points are top-level functions taking plain data, so ``aislamiento.run_bounded``
can pickle them into a spawned process.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from docservice.config import RenderSettings
from docservice.render.context import TemplateInfo
from docservice.render.docx import DocumentProperties
from docservice.render.renderer import Renderer


def lint_draft(  # noqa: PLR0917  # called positionally across a process boundary
    settings: RenderSettings,
    template: bytes,
    info: TemplateInfo,
    schema: Mapping[str, Any],
    ejemplo: Mapping[str, Any],
    genericos: Collection[str],
) -> list[str]:
    """``Renderer.lint`` of a draft (its ejemplo is rendered too)."""
    return Renderer(settings).lint(template, info, schema, ejemplo, genericos)


def render_draft(  # noqa: PLR0917  # called positionally across a process boundary
    settings: RenderSettings,
    template: bytes,
    info: TemplateInfo,
    schema: Mapping[str, Any],
    datos: Mapping[str, Any],
    documento_id: str,
    properties: DocumentProperties,
    genericos: Collection[str],
) -> bytes:
    """The filled .docx of a draft."""
    return Renderer(settings).render(
        template=template,
        info=info,
        schema=schema,
        datos=datos,
        documento_id=documento_id,
        properties=properties,
        genericos=genericos,
    )


def legend_draft(  # noqa: PLR0917  # called positionally across a process boundary
    settings: RenderSettings,
    texto: str,
    info: TemplateInfo,
    schema: Mapping[str, Any],
    datos: Mapping[str, Any],
    fojas: int,
) -> list[str]:
    """A draft leyenda's paragraphs, filled with ``datos`` and a foja count."""
    return Renderer(settings).legend(
        texto=texto, info=info, schema=schema, datos=datos, fojas=fojas
    )
