"""A FILENAME field would print the server's path of the rendered file: refused at upload.

Runs on its own app and database so a version that slipped through could not touch others.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from docx.oxml import parse_xml
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import PLANTILLAS, make_settings

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
FOLDER = PLANTILLAS / CLAVE
BASE = f"/v1/plantillas/{CLAVE}/versiones"
FINDING = "plantilla.docx: «word/document.xml» usa el campo FILENAME, que no se permite"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SIMPLE = f'<w:fldSimple {W} w:instr=" FILENAME \\p "><w:r><w:t>ruta</w:t></w:r></w:fldSimple>'
COMPLEX = [
    f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
    f'<w:r {W}><w:instrText xml:space="preserve"> FILE</w:instrText></w:r>',
    f'<w:r {W}><w:instrText xml:space="preserve">NAME \\p </w:instrText></w:r>',
    f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
    f"<w:r {W}><w:t>ruta</w:t></w:r>",
    f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>',
]  # the field code split across runs, as Word saves it


@pytest.fixture(scope="module")
def app_client(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = make_settings(tmp_path_factory.mktemp("campo_filename"), sign_settings)
    settings = settings.model_copy(
        update={"render": settings.render.model_copy(update={"borrador_tiempo_s": 10})}
    )
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        yield client, {"Authorization": f"Bearer {ledger.create_api_key('ana', Rol.JURIDICO)}"}


def with_field(parts: list[str]) -> bytes:
    document = Document(io.BytesIO((FOLDER / "plantilla.docx").read_bytes()))
    target = next(p for p in document.paragraphs if p.text.startswith("Asunto:"))
    paragraph = target.insert_paragraph_before("Archivo: ")
    for part in parts:
        paragraph._p.append(parse_xml(part))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("parts", [[SIMPLE], COMPLEX], ids=["fldSimple", "instrText"])
def test_a_filename_field_is_refused_at_upload(app_client: Any, parts: list[str]) -> None:
    client, headers = app_client
    names = {"schema": "schema.json", "ejemplo": "ejemplo.json", "manifest": "manifest.toml"}
    files = {part: (name, (FOLDER / name).read_bytes()) for part, name in names.items()}
    files["docx"] = ("plantilla.docx", with_field(parts))
    before = client.get(BASE, headers=headers).json()["versiones"]
    response = client.post(BASE, files=files, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "plantilla_invalida"
    assert problem["errores"] == [
        {"puntero": "/", "mensaje": FINDING},
    ]
    assert client.get(BASE, headers=headers).json()["versiones"] == before
