"""Published plantillas filled in long-lived worker processes bounded in time and memory.

Jinja's sandbox bounds neither CPU nor memory: a published template whose loop depends on the
data (``range(n)`` with ``n`` from the case) would run in the API process for as long as it
likes. Every fill of a published version therefore runs in one of a few warm workers
(``procesos.WorkerPool``); each holds a Renderer, which keeps its validators and every
version it has filled compiled (by sha256 of the .docx), so the warm path pays one pipe
round trip and no compilation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from docservice.config import RenderSettings
from docservice.procesos import PoolLimits, WorkerPool
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


P = ParamSpec("P")
R = TypeVar("R")


def _in_a_worker(
    method: Callable[Concatenate[Renderer, P], R],
) -> Callable[Concatenate[RenderPool, P], R]:
    """``method`` of the worker's Renderer, called with the same (keyword-only) arguments:
    a parameter added to a Renderer entry reaches the worker with no edit here."""
    entry = method.__name__

    def run(pool: RenderPool, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if args:  # the entries' parameters are keyword-only
            raise TypeError(f"{entry}() takes keyword arguments only")
        result: R = pool._pool.run((entry, kwargs))
        return result

    run.__name__ = run.__qualname__ = entry
    run.__doc__ = f"``Renderer.{entry}`` in a worker; LimiteExcedido past its time or memory."
    return run


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

    render = _in_a_worker(Renderer.render)
    fill = _in_a_worker(Renderer.fill)
    legend = _in_a_worker(Renderer.legend)
    fill_legend = _in_a_worker(Renderer.fill_legend)
