"""Tasks for the worker-pool tests; a module of its own so a spawned worker can import it."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from docservice.errors import DatosInvalidos, FieldError


def answer(task: Any) -> Any:
    """("dormir", s) sleeps, ("memoria", n) allocates n bytes, ("pid", _) answers the worker's
    process id, anything else raises."""
    kind, value = task
    if kind == "pid":
        return os.getpid()
    if kind == "dormir":
        time.sleep(value)
        return "despierto"
    if kind == "memoria":
        return len(bytearray(value))
    raise DatosInvalidos("datos malos", errores=(FieldError("/fecha", value),))


def handler(_config: Any) -> Any:
    return answer


def imported(_renderer: Any, module: str) -> bool:
    """A draft task (the worker's Renderer first): whether ``module`` was already imported."""
    return module in sys.modules
