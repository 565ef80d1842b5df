"""Constancias from two service processes sharing one database and one var/.

Real ``docservice serve`` processes, real HTTP, concurrent requests: folios stay unique
and gapless per series, on SQLite and on PostgreSQL, also when a signature fails mid-way.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from docservice.config import SignSettings
from docservice.ledger import Ledger
from docservice.ledger.blobs import BlobStore
from docservice.model import Rol
from tests.conftest import LEYENDAS, PLANTILLAS, ROOT, ejemplo, folio_year
from tests.ledger.backends import BACKENDS, database_url, migrated_ledger
from tests.signing import free_port

pytestmark = pytest.mark.libreoffice
PROCESSES = 2


def start_server(
    var_dir: Path, url: str, sign: SignSettings, log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    """``docservice serve`` on a free port; its output goes to ``log``."""
    port = free_port()
    env = os.environ | {
        "DOCSERVICE_VAR_DIR": str(var_dir),
        "DOCSERVICE_DATABASE_URL": url,
        "DOCSERVICE_PLANTILLAS_DIR": str(PLANTILLAS),
        "DOCSERVICE_LEYENDAS_DIR": str(LEYENDAS),
        "DOCSERVICE_SIGN": sign.model_dump_json(),
        "DOCSERVICE_CONVERT__WORKERS": "1",
        "DOCSERVICE_CONVERT__QUEUE_LIMIT": "32",
    }
    command = [sys.executable, "-m", "docservice", "serve", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    return process, f"http://127.0.0.1:{port}"


def wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace")
            pytest.fail(f"el servicio terminó al arrancar: {output[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"el servicio en {base} no estuvo listo en 90 s")


@pytest.fixture(params=BACKENDS)
def cluster(
    request: pytest.FixtureRequest, tmp_path: Path, sign_settings: SignSettings
) -> Iterator[tuple[list[str], dict[str, str], str, Path]]:
    """Two ``docservice serve`` processes on one database and one var/; a sistema key."""
    with database_url(request.param, tmp_path) as url:
        ledger = migrated_ledger(url)
        token = ledger.create_api_key("cobranza", Rol.SISTEMA)
        ledger.close()
        var_dir = tmp_path / "var"
        logs = [tmp_path / f"servicio-{n}.log" for n in range(PROCESSES)]
        started = [start_server(var_dir, url, sign_settings, log) for log in logs]
        try:
            for (process, base), log in zip(started, logs, strict=True):
                wait_ready(process, base, log)
            yield [base for _, base in started], {"Authorization": f"Bearer {token}"}, url, var_dir
        finally:
            for process, _ in started:
                process.terminate()
            for process, _ in started:
                process.wait(timeout=30)


def post_all(bases: list[str], headers: dict[str, str], bodies: list[dict[str, Any]]) -> list[Any]:
    """Every body at once, spread over the processes."""

    def send(index: int) -> httpx.Response:
        base = bases[index % len(bases)]
        return httpx.post(
            f"{base}/v1/constancias", json=bodies[index], headers=headers, timeout=120
        )

    with ThreadPoolExecutor(max_workers=len(bodies)) as executor:
        return list(executor.map(send, range(len(bodies))))


def number(response: Any) -> int:
    return int(response.headers["x-folio"].rsplit("/", 1)[1])


def test_concurrent_constancias_get_consecutive_folios_with_no_gap(
    cluster: tuple[list[str], dict[str, str], str, Path],
) -> None:
    bases, headers, url, var_dir = cluster
    body = {"plantilla": "constancia_adeudos", "datos": ejemplo("constancia_adeudos")}

    first = post_all(bases, headers, [body] * 20)
    assert [r.status_code for r in first] == [200] * 20, [
        r.text for r in first if r.status_code != 200
    ]
    assert sorted(number(r) for r in first) == list(range(1, 21))

    second_bodies = [body] * 10
    second_bodies[5] = body | {"perfil": "sin-tsa"}  # its TSA does not answer: signing fails
    second = post_all(bases, headers, second_bodies)
    statuses = [r.status_code for r in second]
    assert statuses.count(200) == 9 and statuses[5] == 502, statuses
    issued = [r for r in [*first, *second] if r.status_code == 200]

    ledger = Ledger(url)
    try:
        report = ledger.folio_series_report("CONST", folio_year())
        assert report.ok, report
        assert report.highest == 30 and report.counts == {"emitido": 29, "anulado": 1}
        store = BlobStore(var_dir / "blobs")
        for response in issued:
            record = ledger.get_constancia(response.headers["x-folio"])
            assert record is not None and record.estado == "emitido"
            digest = hashlib.sha256(response.content).hexdigest()
            assert record.contenido_sha256 == digest
            assert hashlib.sha256(store.get(digest)).hexdigest() == digest
        assert ledger.verify_audit_chain().ok
    finally:
        ledger.close()
    # Any process serves any folio: the file is read from the shared store.
    other = httpx.get(
        f"{bases[1]}/v1/constancias/{issued[0].headers['x-folio']}/pdf", headers=headers
    )
    assert other.status_code == 200 and other.content == issued[0].content
