"""Signing runs on one long-lived event loop per thread, not one per signature (issue 13)."""

from __future__ import annotations

import asyncio
import threading

from docservice.sign import _runtime


async def running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def test_a_thread_keeps_its_loop_between_runs_and_closes_it_when_it_ends() -> None:
    seen: list[asyncio.AbstractEventLoop] = []
    open_while_running: list[bool] = []

    def work() -> None:
        seen.extend([_runtime.run(running_loop()), _runtime.run(running_loop())])
        open_while_running.append(not seen[0].is_closed())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    first, second = seen
    assert first is second
    assert open_while_running == [True]  # kept open between runs
    assert first.is_closed()  # the thread ended, its runner was closed


def test_each_thread_has_its_own_loop() -> None:
    mine = _runtime.run(running_loop())
    theirs: list[asyncio.AbstractEventLoop] = []
    thread = threading.Thread(target=lambda: theirs.append(_runtime.run(running_loop())))
    thread.start()
    thread.join()
    assert theirs[0] is not mine
    assert _runtime.run(running_loop()) is mine
