"""The auditor's page in a real browser: upload, read the report, download it as PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page

from docservice.model import Rol
from tests.conftest import ejemplo, pdf_text
from tests.web.test_verificar import assert_not_blank

pytestmark = [pytest.mark.libreoffice, pytest.mark.usefixtures("pki_server")]
Headers = dict[Rol, dict[str, str]]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="es-MX", accept_downloads=True)
    yield context.new_page()
    context.close()


def upload(page: Page, base: str, key: str, pdf: Path) -> None:
    page.goto(f"{base}/auditoria/verificar")
    page.fill("#llave", key)
    page.set_input_files("#archivo", str(pdf))
    page.click("button[type=submit]")


def test_auditor_verifies_a_constancia_and_downloads_the_report(  # noqa: PLR0917  # fixtures
    client: TestClient,
    auth: Headers,
    keys: dict[Rol, str],
    page: Page,
    live_server: str,
    tmp_path: Path,
) -> None:
    body = {"plantilla": "constancia_adeudos", "datos": ejemplo("constancia_adeudos")}
    issued = client.post("/v1/constancias", json=body, headers=auth[Rol.SISTEMA])
    folio = issued.headers["x-folio"]
    pdf = tmp_path / "constancia.pdf"
    pdf.write_bytes(issued.content)
    upload(page, live_server, keys[Rol.AUDITOR], pdf)
    assert page.inner_text("#estado") == "VÁLIDA"
    assert folio in page.inner_text("#registro")
    assert "MARIANA TÉLLEZ QUIROGA" in page.inner_text(".firma")
    assert_not_blank(page.screenshot(full_page=True))
    with page.expect_download() as download_info:
        page.click("#descargar")
    saved = tmp_path / "reporte.pdf"
    download_info.value.save_as(saved)
    text = " ".join(pdf_text(saved.read_bytes()).split())
    assert "REPORTE DE VERIFICACIÓN DE FIRMAS ELECTRÓNICAS" in text
    assert "Veredicto: VÁLIDA" in text
    assert f"folio {folio}: VIGENTE" in text
    assert issued.headers["x-contenido-sha256"] in text


def test_the_page_refuses_a_wrong_key_or_role(
    keys: dict[Rol, str], page: Page, live_server: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7 no importa")
    upload(page, live_server, "ds_inventada", pdf)
    assert "La llave no es válida" in page.inner_text(".error")
    upload(page, live_server, keys[Rol.SISTEMA], pdf)
    assert "Solo una llave de auditor" in page.inner_text(".error")
    upload(page, live_server, keys[Rol.AUDITOR], pdf)
    assert "No se pudo verificar" in page.inner_text(".error")
