"""The shared worker pool: errors keep their class and pointers, overruns are killed, the
queue is bounded (503 with Retry-After), the concurrency limit answers 429 with Retry-After."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from docservice.errors import (
    DatosInvalidos,
    DemasiadasSolicitudes,
    FieldError,
    LimiteExcedido,
    ServicioSaturado,
)
from docservice.procesos import ConcurrencyLimit, PoolLimits, WorkerPool
from tests.tareas import handler


@pytest.fixture(autouse=True)
def _importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned worker gets this sys.path: let it import ``tests.tareas``."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))


def _pool(**limits: Any) -> WorkerPool:
    defaults: dict[str, Any] = {
        "workers": 1, "seconds": 2.0, "memory_mb": 256, "queue": 4, "what": "la prueba",
    }  # fmt: skip
    pool = WorkerPool(PoolLimits(**(defaults | limits)), handler, None)
    pool.start()
    return pool


def test_errors_time_and_memory() -> None:
    pool = _pool()
    try:
        with pytest.raises(DatosInvalidos) as caught:
            pool.run(("error", "fecha inexistente"))
        assert caught.value.errores == (FieldError("/fecha", "fecha inexistente"),)
        first = pool.workers[0].process
        assert first is not None
        with pytest.raises(LimiteExcedido, match=r"^la prueba excedió el límite de 2 s$"):
            pool.run(("dormir", 30))
        assert not first.is_alive()
        with pytest.raises(LimiteExcedido, match=r"^la prueba excedió el límite de memoria$"):
            pool.run(("memoria", 1024 * 1024 * 1024))
        assert pool.run(("dormir", 0)) == "despierto"
    finally:
        pool.close()


def test_callers_past_the_queue_get_503_with_retry_after() -> None:
    pool = _pool(queue=1, seconds=3.0)
    try:
        busy = threading.Thread(target=pool.run, args=(("dormir", 1.5),))
        waiting = threading.Thread(target=pool.run, args=(("dormir", 0),))
        busy.start()
        time.sleep(0.3)
        waiting.start()
        time.sleep(0.3)
        with pytest.raises(ServicioSaturado) as caught:
            pool.run(("dormir", 0))
        assert caught.value.headers() == {"Retry-After": "3"}
        busy.join()
        waiting.join()
    finally:
        pool.close()


def test_the_concurrency_limit_answers_429_at_once() -> None:
    limit = ConcurrencyLimit(1, "vistas previas")
    with limit:
        with pytest.raises(DemasiadasSolicitudes) as caught:
            limit.__enter__()
    assert caught.value.http_status == 429
    assert caught.value.headers() == {"Retry-After": "2"}
    with limit:  # released
        pass


def test_one_task_workers_are_fresh_for_each_task_and_spawned_ahead() -> None:
    """Untrusted work gets a new process per task; the next one is already started."""
    pool = _pool(workers=1, one_task=True)
    try:
        first = pool.run(("pid", None))
        replacement = pool.workers[0].process
        assert replacement is not None and replacement.is_alive()  # started before it is asked
        assert replacement.pid != first
        second = pool.run(("pid", None))
        assert second == replacement.pid
        assert pool.run(("pid", None)) not in (first, second)
    finally:
        pool.close()


def test_one_task_workers_keep_the_limits_and_name_the_work() -> None:
    pool = _pool(workers=1, one_task=True)
    try:
        with pytest.raises(LimiteExcedido, match=r"^la revisión excedió el límite de 2 s$"):
            pool.run(("dormir", 30), what="la revisión")
        with pytest.raises(LimiteExcedido, match=r"^la prueba excedió el límite de memoria$"):
            pool.run(("memoria", 1024 * 1024 * 1024))
        with pytest.raises(DatosInvalidos) as caught:
            pool.run(("error", "fecha inexistente"))
        assert caught.value.errores == (FieldError("/fecha", "fecha inexistente"),)
        assert pool.run(("dormir", 0)) == "despierto"
    finally:
        pool.close()
