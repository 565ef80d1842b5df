"""A version preview whose filled .docx carries raw field XML never reaches LibreOffice.

The template is clean (it only prints ``deudor.nombre|safe``), so the upload passes; the
preview's data writes an INCLUDEPICTURE field of a local file into the document. Runs on its
own app and database (it uploads a version).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app
from tests.api.test_versiones import BASE, CLAVE, files, with_paragraph
from tests.conftest import ejemplo, make_settings
from tests.documentos.test_documento_generado import FIELD_XML, REFUSED

pytestmark = pytest.mark.libreoffice


class CountingPool:
    """The session's real pool, counting what it is asked to convert."""

    def __init__(self, pool: ConverterPool) -> None:
        self.pool = pool
        self.converted = 0

    def convert(self, docx: bytes) -> bytes:
        self.converted += 1
        return self.pool.convert(docx)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pool, name)


@pytest.fixture(scope="module")
def app(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, str], CountingPool]]:
    settings = make_settings(tmp_path_factory.mktemp("vista_generada"), sign_settings)
    counting = CountingPool(pool)
    app = create_app(settings, pool=cast("ConverterPool", counting))
    with TestClient(app, raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {ledger.create_api_key('ana', Rol.JURIDICO)}"}
        yield client, headers, counting


def test_a_preview_whose_data_writes_a_field_is_refused_unconverted(app: Any) -> None:
    client, headers, counting = app
    docx = with_paragraph("{{ deudor.nombre|safe }}")
    created = client.post(f"{BASE}/versiones", files=files(docx), headers=headers)
    assert created.status_code == 201, created.text
    version = created.json()["version"]
    datos = ejemplo(CLAVE)
    datos["deudor"]["nombre"] = FIELD_XML
    before = counting.converted
    response = client.post(
        f"{BASE}/versiones/{version}/vista-previa", json={"datos": datos}, headers=headers
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "plantilla_invalida"
    assert problem["detail"] == REFUSED
    assert counting.converted == before
