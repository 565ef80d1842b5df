"""Validate case data and fill a plantilla: the render stage as one object with its caches.

Each template version is compiled once per Renderer (keyed by its sha256) and each schema
validator once per (clave, version, sha256). ``render`` and ``legend`` validate the data
(drafts, previews, lint); ``fill`` and ``fill_legend`` trust data a service already checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Template

from docservice.calendario import DATOS as CALENDARIO_DATOS
from docservice.calendario import cargar_calendario
from docservice.config import RenderSettings
from docservice.errors import DocServiceError
from docservice.render.cache import LruCache
from docservice.render.context import COMPUTED_NAMES, TemplateInfo, build_context
from docservice.render.docx import (
    CompiledDocx,
    DocumentProperties,
    compile_docx,
    compile_text,
    fill_docx,
    fill_text,
    template_variables,
)
from docservice.render.sandbox import build_environment
from docservice.render.schema import CaseDataValidator, check_schema

CACHED_VERSIONS = 64
"""Template versions (and validators) a Renderer keeps compiled; least recently used goes."""


class Renderer:
    """Holds the sandbox, the compiled templates and one validator per plantilla version."""

    def __init__(self, settings: RenderSettings) -> None:
        self._settings = settings
        self.settings = settings
        self._zona = ZoneInfo(settings.zona_horaria)
        self._env = build_environment()
        self._text_env = build_environment(autoescape=False)
        self.templates: LruCache[str, CompiledDocx] = LruCache(CACHED_VERSIONS)
        """Compiled .docx versions by sha256; ``misses`` counts compilations."""
        self._texts: LruCache[str, Template] = LruCache(CACHED_VERSIONS)
        self._validators: LruCache[tuple[str, int, str], CaseDataValidator]
        self._validators = LruCache(CACHED_VERSIONS)
        extra = [settings.calendario_carpeta] if settings.calendario_carpeta else []
        self.calendario = cargar_calendario([CALENDARIO_DATOS, *extra])

    def validator(
        self,
        info: TemplateInfo,
        schema: Mapping[str, Any],
        genericos: Collection[str],
        sha256: str = "",
    ) -> CaseDataValidator:
        """The compiled validator of a version (``sha256``: of its .docx or legend text)."""
        return self._validators.get(
            (info.clave, info.version, sha256),
            lambda: CaseDataValidator(
                schema,
                rfc_genericos_permitidos=genericos,
                rfc_check_digit=self._settings.rfc_check_digit == "error",
                calendario=self.calendario,
            ),
        )

    def compiled(self, clave: str, template: bytes, sha256: str | None = None) -> CompiledDocx:
        """``template`` patched and compiled, once per sha256."""
        key = sha256 or hashlib.sha256(template).hexdigest()
        return self.templates.get(key, lambda: compile_docx(clave, template, self._env))

    def render(
        self,
        *,
        template: bytes,
        info: TemplateInfo,
        schema: Mapping[str, Any],
        datos: Mapping[str, Any],
        documento_id: str,
        properties: DocumentProperties,
        genericos: Collection[str] = (),
        folio: str | None = None,
        template_sha256: str | None = None,
    ) -> bytes:
        """Validate ``datos`` (every error at once), build the context and fill the .docx."""
        sha256 = template_sha256 or hashlib.sha256(template).hexdigest()
        self.validator(info, schema, genericos, sha256).validate(datos)
        return self.fill(
            template=template,
            info=info,
            schema=schema,
            datos=datos,
            documento_id=documento_id,
            properties=properties,
            folio=folio,
            template_sha256=sha256,
        )

    def fill(
        self,
        *,
        template: bytes,
        info: TemplateInfo,
        schema: Mapping[str, Any],
        datos: Mapping[str, Any],
        documento_id: str,
        properties: DocumentProperties,
        folio: str | None = None,
        template_sha256: str | None = None,
    ) -> bytes:
        """The filled .docx of ``datos`` already validated against ``schema``."""
        compiled = self.compiled(info.clave, template, template_sha256)
        context = build_context(schema, datos, info, documento_id, folio, zona=self._zona)
        return fill_docx(info.clave, compiled, context, properties)

    def legend(
        self,
        *,
        texto: str,
        info: TemplateInfo,
        schema: Mapping[str, Any],
        datos: Mapping[str, Any],
        fojas: int,
        fecha_expedicion: date | None = None,
    ) -> list[str]:
        """Validate ``datos`` and fill a certification legend; one string per paragraph."""
        self.validator(info, schema, (), _text_sha256(texto)).validate(datos)
        return self.fill_legend(
            texto=texto, info=info, datos=datos, fojas=fojas, fecha_expedicion=fecha_expedicion
        )

    def fill_legend(
        self,
        *,
        texto: str,
        info: TemplateInfo,
        datos: Mapping[str, Any],
        fojas: int,
        fecha_expedicion: date | None = None,
    ) -> list[str]:
        """A legend filled with ``datos`` already validated; one string per paragraph.

        ``fojas`` is counted by the service from the file and ``fecha_expedicion`` is the day
        the certification is signed (today in the service's zone unless given): neither is
        ever taken from the caller. The caller's text is put on one line, so a line break in
        it cannot open a paragraph (nor a marked one: a heading, a signature block) of its own.
        """
        context = {
            **_one_line(datos),
            "fojas": fojas,
            "fecha_expedicion": fecha_expedicion or datetime.now(self._zona).date(),
            "leyenda": info.as_context(),
        }
        compiled = self._texts.get(
            _text_sha256(texto), lambda: compile_text(info.clave, texto, self._text_env)
        )
        text = fill_text(info.clave, compiled, context)
        paragraphs = (" ".join(p.split()) for p in text.split("\n\n"))
        return [p for p in paragraphs if p]

    def lint(
        self,
        template: bytes,
        info: TemplateInfo,
        schema: Mapping[str, Any],
        ejemplo: Mapping[str, Any],
        genericos: Collection[str] = (),
    ) -> list[str]:
        """Findings that make a plantilla unusable; empty when it is sound."""
        schema_problem = check_schema(schema)
        if schema_problem:
            return [schema_problem]
        findings: list[str] = []
        try:
            used = template_variables(template, self._env)
        except MemoryError:  # its text is empty: say what happened
            return [f"{_UNPARSABLE}: exceden el límite de memoria de la revisión"]
        except Exception as exc:  # noqa: BLE001  # any parse failure is a lint finding
            return [f"{_UNPARSABLE}: {str(exc) or type(exc).__name__}"]
        fields = set(schema.get("properties", {}))
        for name in sorted(used - fields - COMPUTED_NAMES):
            findings.append(f"la plantilla usa «{name}», que no está en el esquema")
        for name in sorted(set(schema.get("required", [])) - used):
            findings.append(f"el campo obligatorio «{name}» del esquema no se usa en la plantilla")
        sha256 = hashlib.sha256(template).hexdigest()
        errores = self.validator(info, schema, genericos, sha256).errors(ejemplo)
        findings += [f"ejemplo.json {e.pointer}: {e.mensaje}" for e in errores]
        if not findings:
            props = DocumentProperties(info.nombre, info.clave, "lint", "")
            try:
                self.fill(
                    template=template,
                    info=info,
                    schema=schema,
                    datos=ejemplo,
                    documento_id="lint",
                    properties=props,
                    template_sha256=sha256,
                )
            except DocServiceError as exc:
                findings.append(f"el ejemplo no se pudo llenar: {exc.mensaje}")
        return findings


_UNPARSABLE = "las etiquetas de la plantilla no se pueden analizar"


def _text_sha256(texto: str) -> str:
    """The sha256 of a legend's text: of its file's bytes, as ``Leyenda.sha256``."""
    return hashlib.sha256(texto.encode("utf-8", "surrogatepass")).hexdigest()


def _one_line(value: Any) -> Any:
    """``value`` with the whitespace runs of every string in it made single spaces."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, Mapping):
        return {key: _one_line(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return value
