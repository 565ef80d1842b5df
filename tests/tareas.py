"""Tasks for the worker-pool tests; a module of its own so a spawned worker can import it."""

from __future__ import annotations

import time
from typing import Any

from docservice.errors import DatosInvalidos, FieldError


def answer(task: Any) -> Any:
    """("dormir", s) sleeps, ("memoria", n) allocates n bytes, anything else raises."""
    kind, value = task
    if kind == "dormir":
        time.sleep(value)
        return "despierto"
    if kind == "memoria":
        return len(bytearray(value))
    raise DatosInvalidos("datos malos", errores=(FieldError("/fecha", value),))


def handler(_config: Any) -> Any:
    return answer
