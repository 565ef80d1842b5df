"""Published plantillas filled in long-lived worker processes bounded in time and memory.

Jinja's sandbox bounds neither CPU nor memory: a published template whose loop depends on the
data (``range(n)`` with ``n`` from the case) would run in the API process for as long as it
likes. Every fill of a published version therefore runs in one of a few warm workers
(``procesos.WorkerPool``); each holds a Renderer, which keeps its validators and every
version it has filled compiled (by sha256 of the .docx), so the warm path pays one pipe
round trip and no compilation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from docservice.config import RenderSettings
from docservice.procesos import PoolLimits, WorkerPool
from docservice.render.context import TemplateInfo
from docservice.render.docx import DocumentProperties
from docservice.render.renderer import Renderer

_ENTRIES = frozenset({"render", "fill", "legend", "fill_legend"})
"""The Renderer methods a worker runs: the first of each pair validates, the second trusts."""


class _RenderHandler:
    """What a worker holds: one Renderer, warm across tasks."""

    def __init__(self, settings: RenderSettings) -> None:
        self._renderer = Renderer(settings)

    def __call__(self, task: tuple[str, dict[str, Any]]) -> Any:
        entry, arguments = task
        if entry == "compile":  # a warm-up: nothing comes back
            self._renderer.compiled(**arguments)
            return None
        if entry == "compilations":
            return self._renderer.templates.misses
        if entry not in _ENTRIES:
            raise ValueError(entry)
        return getattr(self._renderer, entry)(**arguments)


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

    def alive(self) -> int:
        """Render workers with a live process."""
        return self._pool.alive()

    def start(self) -> None:
        self._pool.start()

    def close(self) -> None:
        self._pool.close()

    def warm(self, versions: Iterable[tuple[str, bytes, str]]) -> None:
        """Compile each (clave, .docx, sha256) in every worker before a request needs it: a
        start-up duty of ``serve`` (a worker's first fill of a version pays its compilation).

        Idle workers are handed out in turn, so ``procesos`` tasks in a row reach each one.
        """
        for clave, template, sha256 in versions:
            arguments = {"clave": clave, "template": template, "sha256": sha256}
            for _ in range(self.settings.procesos):
                self._pool.run(("compile", arguments))

    def compilations(self) -> list[int]:
        """How many template versions each worker has compiled (in turn, as ``warm``)."""
        return [self._pool.run(("compilations", {})) for _ in range(self.settings.procesos)]

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
        """``Renderer.render`` in a worker (validates ``datos``); LimiteExcedido past its time
        or memory."""
        arguments = {
            "template": template, "info": info, "schema": schema, "datos": datos,
            "documento_id": documento_id, "properties": properties,
            "genericos": tuple(genericos), "folio": folio,
            "template_sha256": template_sha256 or hashlib.sha256(template).hexdigest(),
        }  # fmt: skip
        filled: bytes = self._pool.run(("render", arguments))
        return filled

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
        """``Renderer.fill`` in a worker: ``datos`` were validated by the caller."""
        arguments = {
            "template": template, "info": info, "schema": schema, "datos": datos,
            "documento_id": documento_id, "properties": properties, "folio": folio,
            "template_sha256": template_sha256 or hashlib.sha256(template).hexdigest(),
        }  # fmt: skip
        filled: bytes = self._pool.run(("fill", arguments))
        return filled

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
        """``Renderer.legend`` in a worker (a legend's loops are bounded too)."""
        arguments = {"texto": texto, "info": info, "schema": schema, "datos": datos,
                     "fojas": fojas, "fecha_expedicion": fecha_expedicion}  # fmt: skip
        paragraphs: list[str] = self._pool.run(("legend", arguments))
        return paragraphs

    def fill_legend(
        self,
        *,
        texto: str,
        info: TemplateInfo,
        datos: Mapping[str, Any],
        fojas: int,
        fecha_expedicion: date | None = None,
    ) -> list[str]:
        """``Renderer.fill_legend`` in a worker: ``datos`` were validated by the caller."""
        arguments = {"texto": texto, "info": info, "datos": datos, "fojas": fojas,
                     "fecha_expedicion": fecha_expedicion}  # fmt: skip
        paragraphs: list[str] = self._pool.run(("fill_legend", arguments))
        return paragraphs
