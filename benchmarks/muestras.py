"""Timing shared by the in-process benchmarks: milliseconds per call of one action."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """The wall time, in ms, of each of ``runs`` consecutive calls of ``action``."""
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples
