"""Drafts — versions nobody has vouched for yet — rendered in a fresh bounded process each.

Jinja's sandbox blocks Python internals but bounds neither CPU nor memory, and an uploaded
.docx may lie about its sizes: every review and every preview of a draft runs in a process of
its own, killed past ``borrador_tiempo_s`` or ``borrador_memoria_mb`` (``LimiteExcedido``) and
discarded after that one task. The processes are spawned ahead (``WorkerPool`` with
``one_task``) and hold a ``Renderer`` already built, so a draft pays no spawn or import latency.

A task is a top-level function (it must pickle) whose first argument is that ``Renderer``:
``drafts.run("la revisión", Renderer.lint, template, info, …)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from docservice.config import RenderSettings
from docservice.procesos import PoolLimits, WorkerPool
from docservice.render.renderer import Renderer

P = ParamSpec("P")
T = TypeVar("T")
DraftTask = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def _handler(config: tuple[RenderSettings, tuple[str, ...]]) -> Callable[[DraftTask], Any]:
    settings, preload = config
    for module in preload:  # imported while warming up, not on the task's clock
        importlib.import_module(module)
    renderer = Renderer(settings)

    def handle(task: DraftTask) -> Any:
        func, args, kwargs = task
        return func(renderer, *args, **kwargs)

    return handle


class DraftPool:
    """``revisiones_simultaneas`` fresh processes for drafts, one task each; ``preload``
    names the modules of the tasks, imported while a process warms up."""

    def __init__(self, settings: RenderSettings, *, preload: tuple[str, ...] = ()) -> None:
        self.settings = settings
        limits = PoolLimits(
            workers=settings.revisiones_simultaneas,
            seconds=settings.borrador_tiempo_s,
            memory_mb=settings.borrador_memoria_mb,
            queue=settings.revisiones_simultaneas + settings.vistas_previas_simultaneas,
            what="la revisión de un borrador",
            one_task=True,
        )
        self._pool = WorkerPool(limits, _handler, (settings, preload))

    def start(self) -> None:
        """Spawn the processes now (else each starts on its first use)."""
        self._pool.start()

    def close(self) -> None:
        self._pool.close()

    def run(
        self,
        what: str,
        func: Callable[Concatenate[Renderer, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``func(renderer, *args, **kwargs)`` in a fresh process; ``what`` names it in errors."""
        result: T = self._pool.run((func, args, kwargs), what=what)
        return result
