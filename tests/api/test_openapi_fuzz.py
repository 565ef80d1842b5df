"""The API answers as its OpenAPI says: schemathesis against a real ``docservice serve``.

Every operation, every check (server errors, status codes, content types, headers, response
schemas, negative and positive data, undeclared methods and their ``Allow``, auth), once per
role and once without a key, with a fixed seed and a bounded number of examples. The six runs
go at once against one server (wall time ≈ the slowest run, and requests of different roles
interleave). The few per-operation allowances for content no schema can describe are in
``schemathesis.toml``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest

from docservice.config import SignSettings
from docservice.model import Rol
from tests.conftest import LEYENDAS, PLANTILLAS, ROOT
from tests.signing import free_port

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
SEED = 20261202
MAX_EXAMPLES = 5
ROLES = [rol.value for rol in Rol]


@dataclass(frozen=True)
class Server:
    base: str
    keys: dict[str, str]


def _create_keys(env: dict[str, str]) -> dict[str, str]:
    """One key per role, with ``docservice keys create`` (run side by side)."""
    command = [sys.executable, "-m", "docservice", "keys", "create"]
    started = {
        rol: subprocess.Popen(
            [*command, "--role", rol, "--name", f"fuzz-{rol}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rol in ROLES
    }
    keys = {}
    for rol, process in started.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        keys[rol] = out.strip()
    return keys


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline, last = time.monotonic() + 180, "sin respuesta"
    while time.monotonic() < deadline and process.poll() is None:
        try:
            health = httpx.get(f"{base}/healthz", timeout=2)
            if health.status_code == 200:
                return
            last = health.text
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.2)
    output = log.read_text(errors="replace")[-3000:]
    pytest.fail(f"el servicio en {base} no quedó listo: {last}\n{output}")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings
) -> Iterator[Server]:
    """One ``docservice serve`` on a temporary var/ and a key per role."""
    var_dir = tmp_path_factory.mktemp("fuzz-var")
    env = os.environ | {
        "DOCSERVICE_VAR_DIR": str(var_dir),
        "DOCSERVICE_PLANTILLAS_DIR": str(PLANTILLAS),
        "DOCSERVICE_LEYENDAS_DIR": str(LEYENDAS),
        "DOCSERVICE_SIGN": sign_settings.model_dump_json(),
        "DOCSERVICE_CONVERT__WORKERS": "1",
    }
    env.pop("DOCSERVICE_DATABASE_URL", None)
    upgrade = [sys.executable, "-m", "docservice", "db", "upgrade"]
    subprocess.run(upgrade, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    keys = _create_keys(env)
    port = free_port()
    log = var_dir / "servicio.log"
    command = [sys.executable, "-m", "docservice", "serve", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(process, base, log)
        yield Server(base, keys)
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass(frozen=True)
class Run:
    process: subprocess.Popen[bytes]
    report: Path


@pytest.fixture(scope="module")
def runs(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """``st run`` for each role and without a key, all started at once."""
    work = tmp_path_factory.mktemp("schemathesis")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCSERVICE_")}
    started = {}
    for who in [*ROLES, "sin_llave"]:
        key = server.keys.get(who)
        headers = ["-H", f"Authorization: Bearer {key}"] if key else []
        command = [
            str(ST), "--no-color", "--config-file", str(CONFIG),
            "run", f"{server.base}/openapi.json", "--checks", "all", *headers,
            "--phases", "examples,coverage,fuzzing", "--seed", str(SEED),
            "--max-examples", str(MAX_EXAMPLES), "-w", "1", "--request-timeout", "60",
        ]  # fmt: skip
        (work / who).mkdir()
        report = work / who / "informe.txt"
        with report.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=work / who, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        started[who] = Run(process, report)
    try:
        yield started
    finally:
        for run in started.values():
            if run.process.poll() is None:
                run.process.kill()
            run.process.wait()


@pytest.mark.parametrize("who", [*ROLES, "sin_llave"])
def test_api_conforms_to_its_openapi(runs: dict[str, Run], who: str) -> None:
    run = runs[who]
    code = run.process.wait(timeout=600)
    assert code == 0, run.report.read_text(errors="replace")
