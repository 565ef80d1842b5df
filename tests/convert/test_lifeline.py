"""LibreOffice dies with the service: a SIGKILLed ``docservice serve`` leaves no soffice behind.

Before, soffice (in a session of its own) was reparented and lived on with its memory (two of
84 MB each, 5 s after the kill). Each service process now has a supervisor that kills the
groups it started as soon as the service is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docservice.config import SignSettings
from tests.api.test_constancias_procesos import wait_ready
from tests.conftest import LEYENDAS, PLANTILLAS, ROOT
from tests.signing import free_port

pytestmark = pytest.mark.libreoffice
WORKERS = 2
SOFFICE_S = 2.0
"""soffice and the supervisor are gone this soon after the service's SIGKILL…"""
OTHERS_S = 20.0
"""…and every other child (multiprocessing workers poll for their parent) this soon."""


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.parent.name))
    return found


def descendants(pid: int) -> set[int]:
    found = set()
    for child in children_of(pid):
        found |= {child} | descendants(child)
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def name_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def service(
    tmp_path: Path, sign_settings: SignSettings
) -> Iterator[tuple[subprocess.Popen[bytes], set[int]]]:
    """A real ``docservice serve`` with two warm soffice, on its own var/."""
    var_dir, log = tmp_path / "var", tmp_path / "servicio.log"
    port = free_port()
    env = os.environ | {
        "DOCSERVICE_VAR_DIR": str(var_dir),
        "DOCSERVICE_PLANTILLAS_DIR": str(PLANTILLAS),
        "DOCSERVICE_LEYENDAS_DIR": str(LEYENDAS),
        "DOCSERVICE_SIGN": sign_settings.model_dump_json(),
        "DOCSERVICE_CONVERT__WORKERS": str(WORKERS),
    }
    command = [sys.executable, "-m", "docservice", "serve", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    started: set[int] = set()
    try:
        wait_ready(process, f"http://127.0.0.1:{port}", log)  # its pool has started by then
        started = descendants(process.pid)
        yield process, started
    finally:
        process.kill()
        process.wait(timeout=30)
        for pid in started:  # only what this test started, if it outlived the service
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_nothing_the_service_started_outlives_its_sigkill(
    service: tuple[subprocess.Popen[bytes], set[int]],
) -> None:
    process, started = service
    commands = {pid: command_of(pid) for pid in started}
    soffices = [pid for pid in started if name_of(pid) == "soffice.bin"]
    supervisors = [pid for pid, cmd in commands.items() if "lifeline.py" in cmd]
    assert len(soffices) == WORKERS, commands

    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    killed_at = time.monotonic()
    soffice_left = wait_gone([*soffices, *supervisors], SOFFICE_S)
    soffice_s = time.monotonic() - killed_at
    others_left = wait_gone(list(started), OTHERS_S)  # workers that notice their parent died

    assert not soffice_left, {pid: commands[pid][:200] for pid in soffice_left}
    assert not others_left, {pid: commands[pid][:200] for pid in others_left}
    assert len(supervisors) == 1, commands
    elapsed = time.monotonic() - killed_at
    print(f"\nsoffice: {soffice_s:.2f} s tras el SIGKILL; {len(started)} hijos: {elapsed:.2f} s")


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_a_group_is_killed_when_its_guarding_process_dies(tmp_path: Path) -> None:
    """The supervisor follows the process, not the thread that started it."""
    script = tmp_path / "padre.py"
    script.write_text(
        "import subprocess, threading, time\n"
        "from docservice.convert import lifeline\n"
        "def spawn():\n"
        "    child = subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
        "    lifeline.guard(child.pid)\n"
        "    print(child.pid, flush=True)\n"
        "worker = threading.Thread(target=spawn)\n"
        "worker.start()\n"
        "worker.join()  # the thread that forked is gone; the process lives on\n"
        "time.sleep(2)\n"
        "print('vivo', flush=True)\n"
        "time.sleep(300)\n"
    )
    with subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        try:
            assert parent.stdout.readline().strip() == "vivo"
            assert alive(child), "el grupo murió con el hilo que lo lanzó, no con el proceso"
            parent.kill()
            parent.wait(timeout=10)
            deadline = time.monotonic() + 5
            while alive(child) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not alive(child), "el grupo sobrevivió al proceso que lo vigilaba"
        finally:
            parent.kill()
            if alive(child):
                os.kill(child, signal.SIGKILL)
