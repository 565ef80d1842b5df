"""Validate case data and fill a plantilla: the render stage as one object with its caches."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from docservice.calendario import DATOS as CALENDARIO_DATOS
from docservice.calendario import cargar_calendario
from docservice.config import RenderSettings
from docservice.errors import DocServiceError
from docservice.render.context import COMPUTED_NAMES, MEXICO, TemplateInfo, build_context
from docservice.render.docx import (
    DocumentProperties,
    render_docx,
    render_text,
    template_variables,
)
from docservice.render.sandbox import BoundedSandbox, build_environment
from docservice.render.schema import CaseDataValidator, check_schema


class Renderer:
    """Holds the sandbox and one compiled validator per plantilla version."""

    def __init__(self, settings: RenderSettings) -> None:
        self._settings = settings
        self.settings = settings
        self._env = build_environment()
        self._text_env = build_environment(autoescape=False)
        self._validators: dict[tuple[str, int], CaseDataValidator] = {}
        extra = [settings.calendario_carpeta] if settings.calendario_carpeta else []
        self.calendario = cargar_calendario([CALENDARIO_DATOS, *extra])
        self._lock = threading.Lock()

    def validator(
        self, info: TemplateInfo, schema: Mapping[str, Any], genericos: Collection[str]
    ) -> CaseDataValidator:
        key = (info.clave, info.version)
        with self._lock:
            if key not in self._validators:
                self._validators[key] = CaseDataValidator(
                    schema,
                    rfc_genericos_permitidos=genericos,
                    rfc_check_digit=self._settings.rfc_check_digit == "error",
                    calendario=self.calendario,
                )
            return self._validators[key]

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
        env: BoundedSandbox | None = None,
    ) -> bytes:
        """Validate ``datos`` (every error at once), build the context and fill the .docx.

        ``env`` is a sandbox of the caller's (a render worker's, compiling each version once).
        """
        self.validator(info, schema, genericos).validate(datos)
        context = build_context(schema, datos, info, documento_id, folio)
        return render_docx(info.clave, template, context, env or self._env, properties)

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
        """Validate ``datos`` and fill a certification legend; one string per paragraph.

        ``fojas`` is counted by the service from the file and ``fecha_expedicion`` is the day
        the certification is signed (today in Mexico City unless given): neither is ever taken
        from the caller. The caller's text is put on one line, so a line break in it cannot
        open a paragraph (nor a marked one: a heading, a signature block) of its own.
        """
        self.validator(info, schema, ()).validate(datos)
        context = {
            **_one_line(datos),
            "fojas": fojas,
            "fecha_expedicion": fecha_expedicion or datetime.now(MEXICO).date(),
            "leyenda": info.as_context(),
        }
        text = render_text(info.clave, texto, context, self._text_env)
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
        errores = self.validator(info, schema, genericos).errors(ejemplo)
        findings += [f"ejemplo.json {e.pointer}: {e.mensaje}" for e in errores]
        if not findings:
            props = DocumentProperties(info.nombre, info.clave, "lint", "")
            try:
                self.render(
                    template=template,
                    info=info,
                    schema=schema,
                    datos=ejemplo,
                    documento_id="lint",
                    properties=props,
                    genericos=genericos,
                )
            except DocServiceError as exc:
                findings.append(f"el ejemplo no se pudo llenar: {exc.mensaje}")
        return findings


_UNPARSABLE = "las etiquetas de la plantilla no se pueden analizar"


def _one_line(value: Any) -> Any:
    """``value`` with the whitespace runs of every string in it made single spaces."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, Mapping):
        return {key: _one_line(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return value
