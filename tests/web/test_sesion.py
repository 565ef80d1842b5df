"""Login, lockout, logout and redirects of ``/juridico/`` through plain HTTP (TestClient).

The app's public URL is https: the session cookie must be ``Secure`` and every redirect must
point there, whatever ``Host`` the request names.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from docservice.config import ApiSettings, SignSettings
from docservice.convert import ConverterPool
from docservice.ledger.tables import SesionWeb
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import make_settings

pytestmark = pytest.mark.libreoffice
PUBLIC = "https://docs.example.mx"
BLOQUEO = "El acceso está bloqueado temporalmente por demasiados intentos fallidos de ingreso."


@pytest.fixture(scope="module")
def app(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[FastAPI]:
    settings = make_settings(tmp_path_factory.mktemp("sesion"), sign_settings)
    settings.api = ApiSettings(public_base_url=PUBLIC)
    application = create_app(settings, pool=pool)
    with TestClient(application):  # runs the lifespan once for the module
        yield application


@pytest.fixture(scope="module")
def keys(app: FastAPI) -> dict[str, str]:
    ledger = app.state.services.ledger
    return {
        "ana": ledger.create_api_key("ana", Rol.JURIDICO),
        "beto": ledger.create_api_key("beto", Rol.APROBADOR),
    }


def client(app: FastAPI, address: str) -> TestClient:
    return TestClient(app, base_url=PUBLIC, client=(address, 50000), follow_redirects=False)


def csrf(browser: TestClient) -> str:
    html = browser.get("/juridico/ingresar").text
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def login(browser: TestClient, key: str) -> httpx.Response:
    return browser.post("/juridico/ingresar", data={"llave": key, "csrf": csrf(browser)})


def test_redirects_go_to_the_public_url_whatever_the_host(app: FastAPI) -> None:
    browser = client(app, "10.1.0.1")
    evil = {"Host": "evil.example"}
    for path, target in (
        ("/juridico/", "/juridico/ingresar"),
        ("/juridico", "/juridico/"),
        ("/juridico/plantillas/constancia_adeudos/", "/juridico/plantillas/constancia_adeudos"),
    ):
        response = browser.get(path, headers=evil)
        assert response.is_redirect, path
        assert response.headers["location"] == PUBLIC + target, path
    html = browser.get("/juridico/ingresar", headers=evil).text
    assert "evil.example" not in html


def test_the_cookie_is_secure_when_the_public_url_is_https(
    app: FastAPI, keys: dict[str, str]
) -> None:
    browser = client(app, "10.1.0.4")
    for response in (browser.get("/juridico/ingresar"), login(browser, keys["ana"])):
        set_cookie = response.headers["set-cookie"]
        assert "Secure" in set_cookie and "HttpOnly" in set_cookie
        assert "samesite=strict" in set_cookie.lower()


def test_the_cookie_carries_only_a_signed_random_id(app: FastAPI, keys: dict[str, str]) -> None:
    browser = client(app, "10.1.0.2")
    response = login(browser, keys["ana"])
    assert response.status_code == 303
    value = browser.cookies["docservice_juridico"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}", value), value
    digest = hashlib.sha256(keys["ana"].encode()).hexdigest()
    for part in value.split("."):
        decoded = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        assert digest.encode() not in decoded and b"llave" not in decoded
    assert "Plantillas oficiales" in browser.get("/juridico/").text
    assert response.headers["location"] == f"{PUBLIC}/juridico/"
    session_id, _, mac = value.partition(".")
    browser.cookies.clear()
    browser.cookies.set("docservice_juridico", f"{session_id[::-1]}.{mac}", path="/juridico")
    assert browser.get("/juridico/").headers["location"] == f"{PUBLIC}/juridico/ingresar"


def test_logout_ends_the_session_on_the_server(app: FastAPI, keys: dict[str, str]) -> None:
    browser = client(app, "10.1.0.3")
    login(browser, keys["beto"])
    old = browser.cookies["docservice_juridico"]
    page = browser.get("/juridico/").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    engine = app.state.services.ledger.engine
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(SesionWeb)).scalar_one()
    logout = browser.post("/juridico/salir", data={"csrf": token.group(1)})
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SesionWeb)).scalar_one() == before - 1
    replay = client(app, "10.1.0.3")
    replay.cookies.set("docservice_juridico", old, path="/juridico")
    response = replay.get("/juridico/")
    assert response.status_code == 303 and "/juridico/ingresar" in response.headers["location"]
    assert logout.headers["location"] == f"{PUBLIC}/juridico/ingresar"


def test_failures_from_one_address_lock_it_even_for_the_right_key(
    app: FastAPI, keys: dict[str, str]
) -> None:
    browser = client(app, "10.2.0.1")
    for i in range(4):
        response = login(browser, f"ds_inventada{i}")
        assert response.status_code == 401
        assert "La llave no es válida" in response.text
    fifth = login(browser, "ds_inventada4")
    assert fifth.status_code == 429
    assert 899 <= int(fifth.headers["retry-after"]) <= 900
    assert BLOQUEO in fifth.text
    assert re.search(r"a partir de las \d\d:\d\d h \(en 15 minutos\)", fifth.text)
    right = login(browser, keys["ana"])
    assert right.status_code == 429 and BLOQUEO in right.text
    assert "docservice_juridico" not in right.headers.get("set-cookie", "")
    elsewhere = login(client(app, "10.2.0.2"), keys["ana"])
    assert elsewhere.status_code == 303


def test_failures_with_one_key_prefix_lock_it_from_any_address(
    app: FastAPI, keys: dict[str, str]
) -> None:
    guessed = keys["beto"][:10]
    for i in range(5):
        response = login(client(app, f"10.3.0.{i}"), f"{guessed}adivinada{i}")
        assert response.status_code == (429 if i == 4 else 401), i  # the fifth locks, not before
    blocked = login(client(app, "10.3.1.1"), keys["beto"])
    assert blocked.status_code == 429
    assert BLOQUEO in blocked.text
    other_key = login(client(app, "10.3.1.2"), keys["ana"])
    assert other_key.status_code == 303


def test_a_login_without_its_csrf_token_is_refused_and_not_counted(
    app: FastAPI, keys: dict[str, str]
) -> None:
    browser = client(app, "10.4.0.1")
    for _ in range(6):
        response = browser.post("/juridico/ingresar", data={"llave": "x", "csrf": "falso"})
        assert response.status_code == 400
        assert "El formulario venció" in response.text
    assert login(browser, keys["ana"]).status_code == 303
