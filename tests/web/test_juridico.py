"""Legal staff's pages in a real browser: a version from upload to publication, two people;
leyendas on the same pages.

Its own server and database: publishing changes what the registry serves.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page

from docservice.config import ApiSettings, SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.pdf.tipografia import pdf_literal
from docservice.servidor import create_app
from tests.conftest import LEYENDAS, PLANTILLAS, make_settings, pdf_text
from tests.signing import free_port
from tests.web.test_verificar import assert_not_blank

pytestmark = pytest.mark.libreoffice
CLAVE = "constancia_adeudos"
LEYENDA = "cotejo_electronico"
PLANTILLA = ("plantilla", "plantilla.docx")
"""The upload form's field for a plantilla's main file, and that file."""


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[str, dict[str, str], object]]:
    port = free_port()
    settings = make_settings(tmp_path_factory.mktemp("juridico"), sign_settings)
    settings.api = ApiSettings(public_base_url=f"http://127.0.0.1:{port}")  # redirects go there
    app = create_app(settings, pool=pool)
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.05)
    ledger = app.state.services.ledger
    keys = {
        "ana": ledger.create_api_key("ana", Rol.JURIDICO),
        "beto": ledger.create_api_key("beto", Rol.APROBADOR),
        "sofia": ledger.create_api_key("sofia", Rol.SISTEMA),
    }
    yield f"http://127.0.0.1:{port}", keys, app
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="es-MX", viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def login(page: Page, base: str, key: str) -> None:
    page.goto(f"{base}/juridico/ingresar")
    page.fill("#llave", key)
    page.click("button[type=submit]")


def upload(page: Page, folder: Path, main: tuple[str, str]) -> None:
    """Fill the upload form with ``folder``'s files (``main``: the main file's field id and
    name) and send it."""
    for name, filename in (main, ("schema", "schema.json"), ("ejemplo", "ejemplo.json"),
                           ("manifest", "manifest.toml")):  # fmt: skip
        page.set_input_files(f"#{name}", str(folder / filename))
    page.click("#subir-version")


def test_a_version_goes_from_upload_to_publication(
    server: tuple[str, dict[str, str], object], page: Page, tmp_path: Path
) -> None:
    base, keys, app = server
    folder = tmp_path / "v3"
    shutil.copytree(PLANTILLAS / CLAVE, folder)  # the folder's v2: upload is v3

    login(page, base, keys["ana"])
    assert "Plantillas oficiales" in page.inner_text("main")
    cookie = next(c for c in page.context.cookies() if c["name"] == "docservice_juridico")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.click(f"text={CLAVE}")
    upload(page, folder, PLANTILLA)
    assert "Versión 3 registrada como borrador." in page.inner_text("#mensaje")
    assert page.inner_text("#v3 .estado-version") == "borrador"
    page.click("#v3 button[data-accion=enviar]")
    assert page.inner_text("#v3 .estado-version") == "en_revision"
    assert page.locator("#v3 button[data-accion=aprobar]").count() == 0  # not her own
    assert_not_blank(page.screenshot(full_page=True))
    page.click("#salir")
    assert page.url == f"{base}/juridico/ingresar"
    page.context.add_cookies([cookie])  # the cookie from before logout, replayed
    page.goto(f"{base}/juridico/")
    assert page.url == f"{base}/juridico/ingresar"  # its session was deleted on the server

    login(page, base, keys["beto"])
    page.goto(f"{base}/juridico/plantillas/{CLAVE}")
    assert page.locator("#subir-version").count() == 0  # an aprobador does not upload
    page.click("#v3 button[data-accion=aprobar]")
    assert page.inner_text("#v3 .estado-version") == "aprobada"
    page.click("#v3 button[data-accion=publicar]")
    assert page.inner_text("#v3 .estado-version") == "publicada"
    assert_not_blank(page.screenshot(full_page=True))
    registry = app.state.services.documentos.registry  # type: ignore[attr-defined]
    assert registry.current(CLAVE).version == 3


def test_bad_upload_shows_findings_and_keeps_the_registry(
    server: tuple[str, dict[str, str], object], page: Page, tmp_path: Path
) -> None:
    base, keys, _ = server
    folder = tmp_path / "mala"
    shutil.copytree(PLANTILLAS / CLAVE, folder)
    (folder / "schema.json").write_text('{"type": "objeto"}')
    login(page, base, keys["ana"])
    page.goto(f"{base}/juridico/plantillas/{CLAVE}")
    before = page.locator("#versiones tbody tr").count()
    upload(page, folder, PLANTILLA)
    assert "no es un JSON Schema 2020-12 válido" in page.inner_text("#hallazgos")
    assert page.locator("#versiones tbody tr").count() == before


def test_login_refusals_and_csrf(server: tuple[str, dict[str, str], object], page: Page) -> None:
    base, keys, app = server
    login(page, base, "ds_inventada")
    assert "La llave no es válida" in page.inner_text(".error")
    login(page, base, keys["sofia"])
    assert "no es de jurídico" in page.inner_text(".error")
    response = page.request.post(f"{base}/juridico/plantillas/{CLAVE}/versiones/1/retirar",
                                 form={"csrf": "falso"})  # fmt: skip
    assert "/juridico/ingresar" in response.url  # no session: back to the login
    page.goto(f"{base}/juridico/")
    assert page.url.endswith("/juridico/ingresar")

    login(page, base, keys["beto"])  # with a session, a form without its token moves nothing
    moved = page.request.post(f"{base}/juridico/leyendas/{LEYENDA}/versiones/2/retirar",
                              form={"csrf": "falso"})  # fmt: skip
    assert moved.status == 400
    assert "El formulario venció; intente de nuevo." in moved.text()
    versions = app.state.services.versiones_leyendas  # type: ignore[attr-defined]
    assert versions.version(LEYENDA, 2).estado == "publicada"


def test_leyendas_have_the_same_pages(
    server: tuple[str, dict[str, str], object], page: Page, tmp_path: Path
) -> None:
    """List, versions, upload, preview and the changes of a leyenda, as for plantillas."""
    base, keys, app = server
    folder = tmp_path / "leyenda"
    shutil.copytree(LEYENDAS / LEYENDA, folder)
    added = "Párrafo agregado en la prueba de las páginas."
    texto = (folder / "leyenda.txt").read_text("utf-8")
    (folder / "leyenda.txt").write_text(texto + f"\n\n{added}\n", "utf-8")

    login(page, base, keys["ana"])
    assert "Leyendas de certificación" in page.inner_text("#leyendas")
    page.click(f"#leyendas >> text={LEYENDA}")
    assert page.url == f"{base}/juridico/leyendas/{LEYENDA}"
    assert page.inner_text("#v2 .estado-version") == "publicada"
    upload(page, folder, ("texto", "leyenda.txt"))
    assert "Versión 3 registrada como borrador." in page.inner_text("#mensaje")
    assert page.inner_text("#v3 .estado-version") == "borrador"

    preview = page.request.get(f"{base}/juridico/leyendas/{LEYENDA}/versiones/3/vista-previa")
    assert preview.headers["content-type"] == "application/pdf"
    assert added in " ".join(pdf_text(preview.body()).split())
    assert pdf_literal("BORRADOR — SIN VALIDEZ") in preview.body()

    page.click("#v3 a.cambios")
    assert f"+{added}" in page.inner_text("#texto")
    assert "Agregados: ninguno" in page.inner_text("main")
    page.click("text=Volver")
    page.click("#v3 button[data-accion=enviar]")
    assert page.inner_text("#v3 .estado-version") == "en_revision"
    leyendas = app.state.services.leyendas  # type: ignore[attr-defined]
    assert leyendas.get(LEYENDA).manifest.version == 2  # not published: not in service

    missing = page.goto(f"{base}/juridico/leyendas/inexistente")
    assert missing is not None and missing.status == 404
    assert "la leyenda «inexistente» no tiene versiones registradas" in page.inner_text(".error")
    gone = page.goto(f"{base}/juridico/leyendas/{LEYENDA}/diff?de=2&a=99")
    assert gone is not None and gone.status == 404
    assert f"la leyenda «{LEYENDA}» no tiene la versión 99" in page.inner_text("#mensaje")
    other = page.goto(f"{base}/juridico/formatos/{LEYENDA}")
    assert other is not None and other.status == 404
