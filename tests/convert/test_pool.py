"""The LibreOffice pool on real soffice processes: convert, crash, hang, saturate, recycle."""

from __future__ import annotations

import io
import os
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from docservice.config import ConvertSettings
from docservice.convert import ConverterPool
from docservice.errors import ConversionFallida, DocumentoInvalido, ServicioSaturado
from tests.conftest import pdf_text

pytestmark = pytest.mark.libreoffice


def make_docx(paragraphs: int, text: str = "Párrafo de prueba & <marca>") -> bytes:
    doc = Document()
    for number in range(paragraphs):
        doc.add_paragraph(f"{text} {number}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def small_pool(tmp_path: Path) -> Iterator[ConverterPool]:
    pool = ConverterPool(
        ConvertSettings(
            workers=1,
            queue_limit=1,
            queue_timeout_s=20,
            conversion_timeout_s=5,
            restart_after=3,
            monitor_interval_s=0.2,
        ),
        tmp_path,
    )
    pool.start()
    yield pool
    pool.close()


def wait_until(condition: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("la condición no se cumplió a tiempo")


def test_converts_text_faithfully(small_pool: ConverterPool) -> None:
    pdf = small_pool.convert(make_docx(3))
    assert pdf.startswith(b"%PDF-")
    assert "Párrafo de prueba & <marca> 2" in pdf_text(pdf)


def test_documents_never_touch_the_disk(small_pool: ConverterPool) -> None:
    """Conversion goes through memory: neither the .docx nor its PDF is written anywhere
    under the pool's folder (profiles, and the TMPDIR of soffice and its bridge)."""
    docx = make_docx(40, "Contenido que sólo vive en memoria")
    pdf = small_pool.convert(docx)
    assert "Contenido que sólo vive en memoria 39" in pdf_text(pdf)
    files = [path for path in small_pool.workdir.rglob("*") if path.is_file()]
    assert files, "la carpeta del grupo está vacía: la prueba no miró donde debía"
    written = [path for path in files if _holds_a_document(path.read_bytes(), docx)]
    assert written == []


def _holds_a_document(data: bytes, docx: bytes) -> bool:
    return data == docx or data.startswith(b"%PDF") or b"Contenido que s" in data


def test_a_document_libreoffice_cannot_open_is_refused_and_the_process_stays(
    small_pool: ConverterPool,
) -> None:
    """A .docx that is not one (a zip without a document) is refused from memory as it was from a
    file: 422 with the Spanish message, and the same warm process converts the next one."""
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    before = small_pool.health().procesos[0]
    with pytest.raises(DocumentoInvalido, match="LibreOffice no pudo abrir el documento"):
        small_pool.convert(broken.getvalue())
    assert "Párrafo de prueba & <marca> 1" in pdf_text(small_pool.convert(make_docx(2)))
    after = small_pool.health().procesos[0]
    assert (after.pid, after.restarts) == (before.pid, before.restarts)


def test_killed_mid_conversion_costs_one_retry(small_pool: ConverterPool) -> None:
    big = make_docx(4000)
    result: dict[str, bytes] = {}
    worker = threading.Thread(target=lambda: result.setdefault("pdf", small_pool.convert(big)))
    worker.start()
    wait_until(lambda: small_pool.health().procesos[0].busy)
    time.sleep(0.3)
    victim = small_pool.soffice_pids()[0]
    os.kill(victim, signal.SIGKILL)
    worker.join(60)
    assert result["pdf"].startswith(b"%PDF-")
    info = small_pool.health().procesos[0]
    assert info.alive and info.pid != victim and info.restarts == 1


def test_idle_process_killed_is_replaced_in_background(small_pool: ConverterPool) -> None:
    victim = small_pool.soffice_pids()[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(
        lambda: (
            small_pool.health().procesos[0].alive and small_pool.health().procesos[0].pid != victim
        )
    )
    assert small_pool.convert(make_docx(1)).startswith(b"%PDF-")


def test_hung_process_times_out_and_pool_heals(tmp_path: Path) -> None:
    pool = ConverterPool(ConvertSettings(workers=1, conversion_timeout_s=1.5), tmp_path)
    pool.start()
    try:
        os.kill(pool.soffice_pids()[0], signal.SIGSTOP)
        with pytest.raises(ConversionFallida, match="tiempo límite"):
            pool.convert(make_docx(1))
        assert pool.convert(make_docx(1)).startswith(b"%PDF-")
    finally:
        pool.close()


def test_saturated_pool_answers_503_with_retry_after(small_pool: ConverterPool) -> None:
    big = make_docx(3000)
    threads = [threading.Thread(target=small_pool.convert, args=(big,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    wait_until(lambda: small_pool.health().en_espera == 1)
    with pytest.raises(ServicioSaturado) as caught:
        small_pool.convert(make_docx(1))
    assert caught.value.headers()["Retry-After"].isdigit()
    for thread in threads:
        thread.join(60)


def test_process_recycled_after_its_budget(small_pool: ConverterPool) -> None:
    first = small_pool.soffice_pids()[0]
    for _ in range(3):
        small_pool.convert(make_docx(1))
    wait_until(
        lambda: (
            small_pool.health().procesos[0].pid not in (None, first)
            and small_pool.health().procesos[0].alive
        )
    )
    assert small_pool.convert(make_docx(1)).startswith(b"%PDF-")
    assert small_pool.health().procesos[0].restarts == 1


def test_close_leaves_no_soffice_behind(tmp_path: Path) -> None:
    pool = ConverterPool(ConvertSettings(workers=2), tmp_path)
    pool.start()
    pids = pool.soffice_pids()
    pool.close()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_processes_sharing_var_get_their_own_profiles(tmp_path: Path) -> None:
    """Service processes sharing var/ never share a LibreOffice profile; freed ones are reused."""
    settings = ConvertSettings(workers=1)
    first, second = ConverterPool(settings, tmp_path), ConverterPool(settings, tmp_path)
    assert first.workdir != second.workdir
    first.close()
    third = ConverterPool(settings, tmp_path)
    assert third.workdir == first.workdir
    second.close()
    third.close()


def test_a_dead_owners_orphans_are_reaped_when_its_workdir_is_claimed(tmp_path: Path) -> None:
    """A service killed hard leaves soffice running on its profiles; the next owner ends them."""
    settings = ConvertSettings(workers=1)
    dead = ConverterPool(settings, tmp_path)
    dead.start()
    orphans = dead.soffice_pids()
    assert orphans
    dead._closing.set()  # the owner "dies": its threads and lock go, its soffice stays
    dead._monitor.join()
    os.close(dead._claim)
    heir = ConverterPool(settings, tmp_path)
    try:
        assert heir.workdir == dead.workdir
        wait_until(
            lambda: all(not Path(f"/proc/{pid}").exists() or _zombie(pid) for pid in orphans)
        )
        heir.start()
        assert "Párrafo de prueba" in pdf_text(heir.convert(make_docx(2)))
    finally:
        heir.close()
        for process in dead._processes:
            process.stop()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True
