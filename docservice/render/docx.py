"""Adapter: the only module that imports docxtpl. It always renders inside the sandbox."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml.etree import LxmlError

from docservice.errors import LimiteExcedido, PlantillaInvalida
from docservice.render.sandbox import BoundedSandbox


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties written into the .docx (LibreOffice carries them into the PDF)."""

    title: str
    subject: str
    keywords: str
    comments: str


@contextmanager
def _template_errors(clave: str) -> Iterator[None]:
    """Every fault of a template becomes PlantillaInvalida naming it."""
    try:
        yield
    except SecurityError as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» intenta salir del entorno seguro y fue rechazada: {exc}"
        ) from exc
    except UndefinedError as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» usa una variable que no existe en los datos: {exc.message}"
        ) from exc
    except TemplateSyntaxError as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» tiene un error de sintaxis Jinja: {exc.message}"
        ) from exc
    except MemoryError as exc:
        raise LimiteExcedido(
            f"el llenado de la plantilla «{clave}» excedió el límite de memoria"
        ) from exc
    except (TemplateError, OverflowError, RecursionError) as exc:
        raise PlantillaInvalida(f"la plantilla «{clave}» no pudo llenarse: {exc}") from exc


def render_text(clave: str, texto: str, context: Mapping[str, Any], env: BoundedSandbox) -> str:
    """Fill a plain-text template (a certification legend) in the sandbox."""
    with _template_errors(clave):
        return env.from_string(texto).render(dict(context))


def render_docx(
    clave: str,
    template: bytes,
    context: Mapping[str, Any],
    env: BoundedSandbox,
    properties: DocumentProperties,
) -> bytes:
    """Fill ``template`` with ``context``; any template fault becomes PlantillaInvalida."""
    try:
        with _template_errors(clave):
            doc = DocxTemplate(io.BytesIO(template))
            doc.render(dict(context), jinja_env=env, autoescape=True)
    except (zipfile.BadZipFile, KeyError, LxmlError) as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» no es un documento Word (.docx) válido: {exc}"
        ) from exc
    core = doc.docx.core_properties
    core.title, core.subject = properties.title, properties.subject
    core.keywords, core.comments = properties.keywords, properties.comments
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def template_variables(template: bytes, env: BoundedSandbox) -> set[str]:
    """Top-level variables the template uses (for lint)."""
    doc = DocxTemplate(io.BytesIO(template))
    return set(doc.get_undeclared_template_variables(jinja_env=env))
