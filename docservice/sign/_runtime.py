"""One long-lived event loop per signing thread, not one per signature.

pyHanko is async; running each signature under ``asyncio.run`` built and tore down an event
loop per document. Each thread that signs keeps one ``asyncio.Runner`` for its life instead.
Nothing loop-bound is kept between signatures (the TSA client opens its HTTP session per
request, the validation context that fetches is closed after its signature), so a profile's
objects are shared by every thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_local = threading.local()


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on this thread's event loop (created on first use, kept open)."""
    runner: asyncio.Runner | None = getattr(_local, "runner", None)
    if runner is None:
        runner = asyncio.Runner()
        _local.runner = runner
    return runner.run(coro)
