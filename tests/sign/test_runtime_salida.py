"""A process that signed on its main thread exits (its event loop is not torn down at exit)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import asyncio
from docservice.sign import _runtime

async def uses_the_default_executor() -> int:
    return await asyncio.get_running_loop().run_in_executor(None, lambda: 7)

print(_runtime.run(uses_the_default_executor()))
"""


def test_a_process_that_used_the_signing_loop_exits() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=30,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "7"
