"""Published plantillas filled in long-lived worker processes bounded in time and memory.

Jinja's sandbox bounds neither CPU nor memory: a published template whose loop depends on the
data (``range(n)`` with ``n`` from the case) would run in the API process for as long as it
likes. Every fill of a published version therefore runs in one of a few warm workers
(``procesos.WorkerPool``); each keeps its validators and the compiled Jinja templates of every
version it has filled, keyed by (clave, version, sha256 of the .docx), so the warm path pays
one pipe round trip and no compilation.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Template

from docservice.config import RenderSettings
from docservice.procesos import PoolLimits, WorkerPool
from docservice.render.context import TemplateInfo
from docservice.render.docx import DocumentProperties
from docservice.render.renderer import Renderer
from docservice.render.sandbox import BoundedSandbox, build_environment

CACHED_VERSIONS = 64
"""Plantilla versions whose compiled templates a worker keeps (least recently used goes)."""
CACHED_SOURCES = 64
"""Compiled parts (body, headers, footers, properties) kept per version."""

TemplateKey = tuple[str, int, str]


class _CompiledOnce:
    """``from_string`` remembered per source text: docxtpl recompiles every part on each fill."""

    def __init__(self, env: BoundedSandbox) -> None:
        self.env = env
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._compile = env.from_string
        env.from_string = self.from_string  # type: ignore[method-assign]  # per-version env

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return self._compile(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compile(source)
            self._compiled[source] = template
            if len(self._compiled) > CACHED_SOURCES:
                self._compiled.popitem(last=False)
        else:
            self._compiled.move_to_end(source)
        return template


class _RenderHandler:
    """What a worker holds: a Renderer and one compiling sandbox per plantilla version."""

    def __init__(self, settings: RenderSettings) -> None:
        self._renderer = Renderer(settings)
        self._envs: OrderedDict[TemplateKey, BoundedSandbox] = OrderedDict()

    def __call__(self, task: tuple[str, TemplateKey, dict[str, Any]]) -> Any:
        kind, key, arguments = task
        if kind == "docx":
            return self._renderer.render(**arguments, env=self._env(key))
        return self._renderer.legend(**arguments)

    def _env(self, key: TemplateKey) -> BoundedSandbox:
        env = self._envs.get(key)
        if env is None:
            env = _CompiledOnce(build_environment()).env
            self._envs[key] = env
            if len(self._envs) > CACHED_VERSIONS:
                self._envs.popitem(last=False)
        else:
            self._envs.move_to_end(key)
        return env


def _handler(settings: RenderSettings) -> _RenderHandler:
    return _RenderHandler(settings)


@dataclass
class RenderPool:
    """The render stage for published versions, out of the API process."""

    settings: RenderSettings

    def __post_init__(self) -> None:
        limits = PoolLimits(
            workers=self.settings.procesos,
            seconds=self.settings.tiempo_s,
            memory_mb=self.settings.memoria_mb,
            queue=self.settings.cola,
            what="el llenado de la plantilla",
        )
        self._pool = WorkerPool(limits, _handler, self.settings)

    def start(self) -> None:
        self._pool.start()

    def close(self) -> None:
        self._pool.close()

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
        """``Renderer.render`` in a worker; LimiteExcedido past its time or memory."""
        sha256 = template_sha256 or hashlib.sha256(template).hexdigest()
        arguments = {
            "template": template, "info": info, "schema": schema, "datos": datos,
            "documento_id": documento_id, "properties": properties,
            "genericos": tuple(genericos), "folio": folio,
        }  # fmt: skip
        filled: bytes = self._pool.run(("docx", (info.clave, info.version, sha256), arguments))
        return filled

    def legend(
        self,
        *,
        texto: str,
        info: TemplateInfo,
        schema: Mapping[str, Any],
        datos: Mapping[str, Any],
        fojas: int,
        **rest: Any,
    ) -> list[str]:
        """``Renderer.legend`` in a worker (a legend's loops are bounded too)."""
        arguments = {"texto": texto, "info": info, "schema": schema, "datos": datos,
                     "fojas": fojas, **rest}  # fmt: skip
        key = (info.clave, info.version, "")
        paragraphs: list[str] = self._pool.run(("legend", key, arguments))
        return paragraphs
