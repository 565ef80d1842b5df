"""The public verification page in a real browser: status, masking, 404, no outside requests."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageStat
from playwright.sync_api import Browser, Page

from docservice.model import Rol
from tests.conftest import ejemplo

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(locale="es-MX", viewport={"width": 1000, "height": 900})
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    yield opened
    context.close()
    outside = [url for url in requested if not url.startswith(live_server)]
    assert outside == [], f"la página pidió recursos de fuera: {outside}"


def issue(client: TestClient, auth: Headers, datos: dict[str, Any] | None = None) -> str:
    body = {"plantilla": "constancia_adeudos", "datos": datos or ejemplo("constancia_adeudos")}
    response = client.post("/v1/constancias", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 200, response.text
    return str(response.headers["x-folio"])


def assert_not_blank(screenshot: bytes) -> None:
    image = Image.open(io.BytesIO(screenshot)).convert("L")
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 10, "la captura está en blanco"
    assert len(image.getcolors(maxcolors=1 << 16) or []) > 20


def test_vigente_page_shows_the_record_with_the_rfc_masked(
    client: TestClient, auth: Headers, page: Page, live_server: str
) -> None:
    folio = issue(client, auth)
    info = client.get(f"/v1/constancias/{folio}", headers=auth[Rol.AUDITOR]).json()
    response = page.goto(f"{live_server}/verificar/{folio}")
    assert response is not None and response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    text = page.inner_text("main")
    datos = ejemplo("constancia_adeudos")
    assert page.inner_text("#estado") == "Vigente"
    assert folio in text
    assert "Constancia: Constancia de adeudos" in text
    assert datos["deudor"]["nombre"] in text
    rfc = datos["deudor"]["rfc"]
    assert rfc not in page.content()
    assert page.inner_text(".rfc") == rfc[: len(rfc) - 9] + "******" + rfc[-3:]
    assert info["contenido_sha256"] in text
    assert datos["autoridad"]["unidad"] in text
    assert page.title() == f"Folio {folio} · Cobro coactivo"
    color = page.eval_on_selector(".estado", "e => getComputedStyle(e).color")
    assert color == "rgb(30, 107, 58)", "la hoja de estilo no se aplicó"
    assert_not_blank(page.screenshot(full_page=True))


def test_cancelled_constancia_says_so_with_date_and_motive(
    client: TestClient, auth: Headers, page: Page, live_server: str
) -> None:
    folio = issue(client, auth)
    motivo = "Se expidió con un adeudo ya pagado"
    cancelled = client.post(
        f"/v1/constancias/{folio}/cancelacion", json={"motivo": motivo}, headers=auth[Rol.APROBADOR]
    )
    assert cancelled.status_code == 200
    page.goto(f"{live_server}/verificar/{folio}")
    assert page.inner_text("#estado") == "Cancelada"
    cancelacion = page.inner_text(".cancelacion")
    assert "Cancelada el " in cancelacion and motivo in cancelacion
    assert_not_blank(page.screenshot())


def test_unknown_folio_is_a_clear_404_page(page: Page, live_server: str) -> None:
    response = page.goto(f"{live_server}/verificar/CONST/2026/999999")
    assert response is not None and response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    assert page.inner_text("#estado") == "No encontrado"
    assert "CONST/2026/999999" in page.inner_text("main")
    assert "no lo tome por auténtico" in page.inner_text("main")
    assert_not_blank(page.screenshot())


def test_hostile_folio_is_shown_as_text(page: Page, live_server: str) -> None:
    hostile = "<img src=x onerror=window.pwned=1>"
    response = page.goto(f"{live_server}/verificar/{hostile}")
    assert response is not None and response.status == 404
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img").count() == 0
    assert hostile in page.inner_text(".buscado")


def test_signed_document_without_folio_is_found_by_its_id(
    client: TestClient, auth: Headers, page: Page, live_server: str
) -> None:
    body = {
        "plantilla": "requerimiento_pago",
        "datos": ejemplo("requerimiento_pago"),
        "firma": {"perfil": "desarrollo"},
    }
    signed = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
    documento_id = signed.headers["x-documento-id"]
    page.goto(f"{live_server}/verificar/{documento_id}")
    assert page.inner_text("#estado") == "Registrado"
    assert signed.headers["x-contenido-sha256"] in page.inner_text("main")


def test_page_needs_no_key_and_the_api_still_does(client: TestClient) -> None:
    assert client.get("/verificar/CONST/2026/000001").status_code in (200, 404)
    assert client.get("/v1/constancias/CONST/2026/000001").status_code == 401
