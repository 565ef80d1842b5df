"""Long-lived worker processes bounded in time and memory, and a concurrency limit.

For work that must not run in the API process — a template's loops, a hostile PDF — but is
asked for too often to spawn a process each time (~1 s). Each worker is a spawned process that
sets ``RLIMIT_AS`` on itself, builds its handler once (warm caches) and then answers one task at
a time. A task past its wall time gets its worker killed and replaced; a worker that dies (out of
memory) is replaced too. With ``one_task`` a worker answers one task and is discarded (work on
input nobody vouched for yet: nothing it did survives), a warm replacement started at once, so
the next task still pays no spawn. Callers queue for a free worker, in a bounded queue: past
it, or past the wait, ``ServicioSaturado`` with ``Retry-After``. A ``DocServiceError`` raised
in a worker comes back as the same class with the same message and pointers.

``InThisProcess`` applies a worker's bounds to the calling process instead, for a one-shot
process (a command of the command line) that does one task and exits: there, spawning a worker
would cost more than the task.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import queue
import resource
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

from docservice.errors import (
    DemasiadasSolicitudes,
    DocServiceError,
    ErrorInterno,
    FieldError,
    LimiteExcedido,
    ServicioSaturado,
)

_CONTEXT = multiprocessing.get_context("spawn")
START_TIMEOUT_S = 60.0

Handler = Callable[[Any], Any]
HandlerFactory = Callable[[Any], Handler]
"""A top-level function (it must pickle): config → the handler a worker calls per task."""


@dataclass(frozen=True)
class PoolLimits:
    """How many workers, their bounds, and how long callers may queue for one."""

    workers: int
    seconds: float
    memory_mb: int
    queue: int
    """Callers allowed to wait for a worker at once; one more is refused at once."""
    what: str
    """The work in Spanish, for messages: «el llenado de la plantilla»."""
    one_task: bool = False
    """Discard each worker after one task (a fresh process per task, spawned ahead)."""


def _serve(conn: Connection, memory_bytes: int, factory: HandlerFactory, config: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    handler = factory(config)
    conn.send(("listo",))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            break
        conn.send(_answer(handler, task))
    close = getattr(handler, "close", None)
    if close is not None:
        close()


def _answer(handler: Handler, task: Any) -> tuple[Any, ...]:
    try:
        return ("ok", handler(task))
    except DocServiceError as exc:
        return ("error", type(exc), exc.mensaje, exc.errores)
    except MemoryError:
        return ("memoria",)
    except Exception as exc:  # noqa: BLE001  # reported to the caller, never kills the worker
        return ("fallo", f"{type(exc).__name__}: {exc}")


class _Worker:
    def __init__(self, factory: HandlerFactory, config: Any, memory_mb: int) -> None:
        self._args = (memory_mb * 1024 * 1024, factory, config)
        self.conn: Connection | None = None
        self.process: SpawnProcess | None = None
        self.warm = False

    def spawn(self) -> None:
        """Start the process; it warms up on its own while nobody waits for it."""
        parent, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, *self._args), daemon=True)
        self.process.start()
        child.close()
        self.conn, self.warm = parent, False

    def renew(self) -> None:
        """Kill this process and start its replacement without waiting for it."""
        self.kill()
        self.spawn()

    def ready(self, timeout_s: float) -> Connection:
        """The worker's end of the pipe once it said it is warm (spawned first if needed)."""
        if self.conn is None:
            self.spawn()
        conn = self.conn
        if self.warm and conn is not None:
            return conn
        try:
            ok = conn is not None and conn.poll(timeout_s) and conn.recv() == ("listo",)
        except (EOFError, OSError):
            ok = False
        if not ok or conn is None:
            self.kill()
            raise ErrorInterno("un proceso de trabajo no arrancó")
        self.warm = True
        return conn

    def kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        if self.conn is not None:
            self.conn.close()
        self.process, self.conn, self.warm = None, None, False


class WorkerPool:
    """N warm workers; one task at a time each; callers queue in a bounded queue."""

    def __init__(self, limits: PoolLimits, factory: HandlerFactory, config: Any) -> None:
        self.limits = limits
        self._workers = [_Worker(factory, config, limits.memory_mb) for _ in range(limits.workers)]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for worker in self._workers:
            self._idle.put(worker)
        self._waiting = 0
        self._lock = threading.Lock()

    @property
    def workers(self) -> list[_Worker]:
        """The workers (their ``process``), for health checks and tests."""
        return self._workers

    def alive(self) -> int:
        """How many workers have a live process now (one being replaced is not)."""
        return sum(1 for w in self._workers if w.process is not None and w.process.is_alive())

    def start(self) -> None:
        """Start every worker at once and wait until each is warm (else they start on use)."""
        for worker in self._workers:
            worker.spawn()
        for worker in self._workers:
            worker.ready(START_TIMEOUT_S)

    def close(self) -> None:
        for worker in self._workers:
            worker.kill()

    def run(self, task: Any, *, what: str | None = None) -> Any:
        """The handler's answer to ``task`` in a worker, or the error it raised; ``what``
        names this task's work in messages instead of the pool's."""
        what = what or self.limits.what
        worker = self._checkout(what)
        spent = True
        try:
            answer, spent = self._ask(worker, task)
        finally:
            if spent or self.limits.one_task:
                worker.renew()
            self._idle.put(worker)
        return _result(answer, what)

    def _checkout(self, what: str) -> _Worker:
        retry = max(1, math.ceil(self.limits.seconds))
        with self._lock:
            if self._waiting >= self.limits.queue:
                raise ServicioSaturado(
                    f"demasiadas solicitudes esperan {what}", reintentar_en=retry
                )
            self._waiting += 1
        try:
            return self._idle.get(timeout=self.limits.seconds)
        except queue.Empty as exc:
            raise ServicioSaturado(
                f"todos los procesos para {what} están ocupados", reintentar_en=retry
            ) from exc
        finally:
            with self._lock:
                self._waiting -= 1

    def _ask(self, worker: _Worker, task: Any) -> tuple[tuple[Any, ...], bool]:
        """The worker's answer, and whether the worker is spent (killed, died, never warm)."""
        seconds = self.limits.seconds
        try:
            conn = worker.ready(START_TIMEOUT_S)
            conn.send(task)
            if conn.poll(seconds):
                answer: tuple[Any, ...] = conn.recv()
                return answer, False
        except (EOFError, OSError):
            return ("memoria",), True
        return ("tiempo", seconds), True


def _result(answer: tuple[Any, ...], what: str) -> Any:
    kind = answer[0]
    if kind == "ok":
        return answer[1]
    if kind == "error":
        raise rebuild(answer[1], answer[2], answer[3])
    if kind == "memoria":
        raise LimiteExcedido(f"{what} excedió el límite de memoria")
    if kind == "tiempo":
        raise LimiteExcedido(f"{what} excedió el límite de {answer[1]:g} s")
    raise ErrorInterno(f"{what} falló: {answer[1]}")


class InThisProcess:
    """A worker's bounds on this process: its address space capped like a worker's, and a task
    past its wall time ends the process (exit 2) with the Spanish message, as a killed worker
    would end the task. Same ``run`` as ``WorkerPool``; only for a process that exits after."""

    def __init__(self, limits: PoolLimits, factory: HandlerFactory, config: Any) -> None:
        self.limits = limits
        self._factory = factory
        self._config = config
        self._handler: Handler | None = None

    def start(self) -> None:
        self._ready()

    def _ready(self) -> Handler:
        """The handler, built once under the lowered address-space limit."""
        if self._handler is None:
            memory = self.limits.memory_mb * 1024 * 1024
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if soft == resource.RLIM_INFINITY or soft > memory:
                resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
            self._handler = self._factory(self._config)
        return self._handler

    def close(self) -> None:
        handler, self._handler = self._handler, None
        closing = getattr(handler, "close", None)
        if callable(closing):  # a handler holding sessions (HTTP, event loop) releases them
            closing()

    def alive(self) -> int:
        return 1

    def run(self, task: Any, *, what: str | None = None) -> Any:
        what = what or self.limits.what
        handler = self._ready()
        watchdog = threading.Timer(self.limits.seconds, _overrun, (what, self.limits.seconds))
        watchdog.daemon = True
        watchdog.start()
        try:
            answer = _answer(handler, task)
        finally:
            watchdog.cancel()
        return _result(answer, what)


def _overrun(what: str, seconds: float) -> None:
    """The task ran past its wall time: this one-shot process ends, saying why."""
    sys.stderr.write(f"error ({LimiteExcedido.code}): {what} excedió el límite de {seconds:g} s\n")
    sys.stderr.flush()
    os._exit(2)


def rebuild(
    cls: type[DocServiceError], mensaje: str, errores: tuple[FieldError, ...]
) -> DocServiceError:
    """The error a worker raised, rebuilt in the caller (classes whose init differs too)."""
    try:
        return cls(mensaje, errores=errores)
    except TypeError:
        return cls(mensaje)


class ConcurrencyLimit:
    """At most ``limit`` callers at once in this process; one more gets 429 at once."""

    def __init__(self, limit: int, what: str, *, retry_s: int = 2) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self._limit = limit
        self._what = what
        self._retry_s = retry_s

    def __enter__(self) -> None:
        if not self._slots.acquire(blocking=False):
            raise DemasiadasSolicitudes(
                f"ya hay {self._limit} {self._what} en curso; intente de nuevo en unos segundos",
                reintentar_en=self._retry_s,
            )

    def __exit__(self, *_: object) -> None:
        self._slots.release()
