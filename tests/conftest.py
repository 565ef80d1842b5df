"""Shared fixtures: settings on a temporary var/, one warm LibreOffice pool, the app, API keys."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from docservice.bootstrap import Services
from docservice.config import (
    ConvertSettings,
    RenderSettings,
    Settings,
    SignSettings,
    VerificacionSettings,
)
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app

pytest_plugins = ["tests.signing"]

ROOT = Path(__file__).resolve().parents[1]
PLANTILLAS = ROOT / "plantillas"
LEYENDAS = ROOT / "leyendas"


def ejemplo(clave: str) -> dict[str, Any]:
    """The sample case data shipped with a plantilla."""
    data: dict[str, Any] = json.loads((PLANTILLAS / clave / "ejemplo.json").read_text("utf-8"))
    return data


def leyenda_ejemplo(clave: str) -> dict[str, Any]:
    """The sample data shipped with a leyenda."""
    data: dict[str, Any] = json.loads((LEYENDAS / clave / "ejemplo.json").read_text("utf-8"))
    return data


def pdf_text(pdf: bytes) -> str:
    """Text of a PDF as poppler's pdftotext reads it (an independent reader)."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def make_settings(var_dir: Path, sign: SignSettings, **convert: Any) -> Settings:
    return Settings(
        var_dir=var_dir,
        verificacion=VerificacionSettings(
            raices=[sign.dev_pki_dir / "root.cer"],
            intermedios=[sign.dev_pki_dir / "interm.cer"],
            timeout_revocacion_s=3,
        ),
        plantillas_dir=PLANTILLAS,
        leyendas_dir=LEYENDAS,
        convert=ConvertSettings(**({"workers": 2} | convert)),
        sign=sign,
        # each app a test starts would compile every plantilla in each worker: one test does
        render=RenderSettings(precompilar=False),
    )


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings) -> Settings:
    return make_settings(tmp_path_factory.mktemp("var"), sign_settings)


@pytest.fixture(scope="session")
def pool(settings: Settings) -> Iterator[ConverterPool]:
    converter = ConverterPool(settings.convert, settings.var_dir / "libreoffice")
    converter.start()
    yield converter
    converter.close()


@pytest.fixture(scope="session")
def client(settings: Settings, pool: ConverterPool) -> Iterator[TestClient]:
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def keys(client: TestClient) -> dict[Rol, str]:
    """One API key per role, created through the ledger the app uses."""
    ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
    return {rol: ledger.create_api_key(f"prueba-{rol.value}", rol) for rol in Rol}


@pytest.fixture(scope="session")
def auth(keys: dict[Rol, str]) -> dict[Rol, dict[str, str]]:
    """Authorization headers per role."""
    return {rol: {"Authorization": f"Bearer {token}"} for rol, token in keys.items()}


@pytest.fixture(scope="session")
def services(client: TestClient) -> Services:
    """The wired services behind the test app (its ledger, its store…)."""
    wired: Services = client.app.state.services  # type: ignore[attr-defined]
    return wired


def folio_year() -> int:
    """The year folios are issued under (the service's time zone)."""
    return datetime.now(ZoneInfo("America/Mexico_City")).year
