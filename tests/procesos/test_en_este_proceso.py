"""InThisProcess: a worker's bounds on a one-shot process (the command line's verify)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import sys
from docservice.procesos import InThisProcess, PoolLimits
from tests.tareas import handler
runner = InThisProcess(PoolLimits(1, {seconds}, 256, 0, "la prueba"), handler, None)
try:
    print(runner.run(({task!r}, {value!r})))
except Exception as exc:
    print(type(exc).__name__, getattr(exc, "mensaje", exc))
"""


def _run(task: str, value: object, seconds: float = 2.0) -> subprocess.CompletedProcess[str]:
    code = SCRIPT.format(seconds=seconds, task=task, value=value)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip


def test_answers_and_errors_come_back_as_from_a_worker() -> None:
    assert _run("dormir", 0).stdout.strip() == "despierto"
    refused = _run("otra", "mal")
    assert refused.stdout.strip() == "DatosInvalidos datos malos"


def test_memory_past_the_cap_is_a_spanish_limit_error() -> None:
    result = _run("memoria", 512 * 1024 * 1024)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "LimiteExcedido la prueba excedió el límite de memoria"


def test_a_task_past_its_wall_time_ends_the_process_saying_why() -> None:
    result = _run("dormir", 30, seconds=1.0)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "error (limite_excedido): la prueba excedió el límite de 1 s"
