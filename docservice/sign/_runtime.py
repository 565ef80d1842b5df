"""One long-lived event loop per signing thread, not one per signature.

pyHanko is async; running each signature under ``asyncio.run`` built and tore down an event
loop per document. Each thread that signs keeps one ``asyncio.Runner`` for its life instead.
Nothing loop-bound is kept between signatures (the TSA client opens its HTTP session per
request, the validation context that fetches is closed after its signature), so a profile's
objects are shared by every thread.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_local = threading.local()


class _ThreadLoop:
    """This thread's runner; closed when the thread ends (its thread-local is dropped)."""

    def __init__(self) -> None:
        self.runner = asyncio.Runner()

    def __del__(self) -> None:
        if sys.is_finalizing():  # the process is ending: the loop's executor shutdown would
            return  # start a thread, which hangs the interpreter's exit forever
        self.runner.close()


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on this thread's event loop (created on first use, kept open)."""
    loop: _ThreadLoop | None = getattr(_local, "loop", None)
    if loop is None:
        loop = _ThreadLoop()
        _local.loop = loop
    return loop.runner.run(coro)
