"""A lying zip uploaded several times at once does not inflate in the API process.

A real ``docservice serve`` on a free port; its peak resident memory (``VmHWM`` in
``/proc/<pid>/status``) is read before and after four concurrent uploads of a 4 MB .docx
whose ``word/document.xml`` declares 2,000 bytes and inflates to 4 GiB. Before the review
moved to the bounded child, one such upload took the API process past 2 GB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest

from docservice.config import SignSettings
from docservice.model import Rol
from tests.api.test_constancias_procesos import start_server, wait_ready
from tests.conftest import PLANTILLAS
from tests.ledger.backends import migrated_ledger
from tests.zip_mentiroso import lying_docx

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
FOLDER = PLANTILLAS / CLAVE
UPLOADS = 4
ALLOWED_GROWTH_MB = 150


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    assert match, status
    return int(match.group(1)) / 1024


@pytest.fixture
def server(
    tmp_path: Path, sign_settings: SignSettings
) -> Iterator[tuple[int, str, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'docservice.db'}"
    ledger = migrated_ledger(url)
    token = ledger.create_api_key("ana", Rol.JURIDICO)
    ledger.close()
    log = tmp_path / "servicio.log"
    process, base = start_server(tmp_path / "var", url, sign_settings, log)
    try:
        wait_ready(process, base, log)
        yield process.pid, base, {"Authorization": f"Bearer {token}"}
    finally:
        process.terminate()
        process.wait(timeout=30)


def upload(base: str, headers: dict[str, str], docx: bytes) -> httpx.Response:
    files = {
        "docx": ("plantilla.docx", docx),
        "schema": ("schema.json", (FOLDER / "schema.json").read_bytes()),
        "ejemplo": ("ejemplo.json", (FOLDER / "ejemplo.json").read_bytes()),
        "manifest": ("manifest.toml", (FOLDER / "manifest.toml").read_bytes()),
    }
    return httpx.post(
        f"{base}/v1/plantillas/{CLAVE}/versiones", files=files, headers=headers, timeout=120
    )


def test_lying_zip_uploads_stay_out_of_the_api_process(
    server: tuple[int, str, dict[str, str]],
) -> None:
    pid, base, headers = server
    warm = upload(base, headers, b"PK\x03\x04 no es un zip")  # the upload path, once
    assert warm.status_code == 422, warm.text
    baseline = peak_rss_mb(pid)
    bomb = lying_docx((FOLDER / "plantilla.docx").read_bytes(), gib=4)
    assert len(bomb) < 5 * 1024 * 1024

    with ThreadPoolExecutor(max_workers=UPLOADS) as executor:
        answers = list(executor.map(lambda _: upload(base, headers, bomb), range(UPLOADS)))

    peak = peak_rss_mb(pid)
    print(f"VmHWM del proceso de la API: {baseline:.0f} MB antes, {peak:.0f} MB después")
    assert peak < baseline + ALLOWED_GROWTH_MB, (baseline, peak)
    for answer in answers:
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        if problem["codigo"] == "limite_excedido":  # the child ran out of its address space
            assert problem["detail"] == "la revisión de la plantilla excedió el límite de memoria"
        else:  # or the inspection's capped inflate refused the part
            assert problem["codigo"] == "plantilla_invalida", problem
            assert problem["errores"][0]["puntero"] == "/"
            assert problem["errores"][0]["mensaje"].startswith("plantilla.docx: "), problem
    assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
    listed = httpx.get(f"{base}/v1/plantillas/{CLAVE}/versiones", headers=headers, timeout=10)
    assert listed.status_code == 200
    assert all(v["estado"] != "borrador" for v in listed.json()["versiones"])
