"""Run one function in a spawned process bounded in wall time and address space.

For work on input nobody vouched for yet (a template under review): Jinja's sandbox blocks
Python internals but not CPU (nested loops) nor memory; a child process that overruns is
killed and the caller gets ``LimiteExcedido``. The function and its arguments must pickle.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from docservice.errors import DocServiceError, ErrorInterno, LimiteExcedido

T = TypeVar("T")
_CONTEXT = multiprocessing.get_context("spawn")


def _child(
    conn: Connection, memory_bytes: int, func: Callable[..., Any], args: tuple[Any, ...]
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        conn.send(("ok", func(*args)))
    except DocServiceError as exc:
        conn.send(("error", type(exc), exc.mensaje, exc.errores))
    except MemoryError:
        conn.send(("memoria",))
    except Exception as exc:  # noqa: BLE001  # reported to the parent, never lost
        conn.send(("fallo", f"{type(exc).__name__}: {exc}"))


def run_bounded(func: Callable[..., T], *args: Any, seconds: float, memory_mb: int, what: str) -> T:
    """``func(*args)`` in a child process; LimiteExcedido past ``seconds`` or ``memory_mb``."""
    parent, child = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(child, memory_mb * 1024 * 1024, func, args), daemon=True
    )
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise LimiteExcedido(f"{what} excedió el límite de {seconds:g} s")
        answer = parent.recv()
    except EOFError as exc:
        raise LimiteExcedido(f"{what} excedió el límite de memoria") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent.close()
    if answer[0] == "ok":
        result: T = answer[1]
        return result
    if answer[0] == "error":
        raise answer[1](answer[2], errores=answer[3])
    if answer[0] == "memoria":
        raise LimiteExcedido(f"{what} excedió el límite de memoria")
    raise ErrorInterno(f"{what} falló: {answer[1]}")
