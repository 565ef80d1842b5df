"""Functions run in child processes by the isolation tests (importable by name)."""

from __future__ import annotations

import time

from docservice.errors import DatosInvalidos, FieldError


def sleeps(seconds: float) -> str:
    time.sleep(seconds)
    return "despierto"


def eats_memory(megabytes: int) -> int:
    chunk = bytearray(megabytes * 1024 * 1024)
    return len(chunk)


def refuses() -> None:
    raise DatosInvalidos("datos malos", errores=(FieldError("/x", "no sirve"),))


def adds(a: int, b: int) -> int:
    return a + b
