"""The registro patronal never breaks at its hyphens (contract v2, layout).

LibreOffice's line breaking (ICU) does not break a hyphen followed by a digit, so the PDF
already kept «Y54-12345-10-3» whole; Word, where the .docx is opened, does break after a plain
hyphen. The ``registro_patronal`` filter prints non-breaking hyphens (U+2011): the fix lives in
the shared filter, so a retired v1 reprinted today carries them too.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from tests.conftest import ejemplo
from tests.plantillas.comun import Headers, layout, post, v1_ejemplo

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
PADDINGS = range(0, 96, 8)  # a line holds ~90 characters: some length puts it at a line end


def document_xml(client: TestClient, auth: Headers, datos: dict[str, Any], version: int) -> str:
    body = {"plantilla": CLAVE, "version": version, "datos": datos, "formato": "docx"}
    response = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def test_the_docx_carries_non_breaking_hyphens(client: TestClient, auth: Headers) -> None:
    v1 = document_xml(client, auth, v1_ejemplo(CLAVE), 1)
    v2 = document_xml(client, auth, ejemplo(CLAVE), 2)
    for xml in (v1, v2):
        assert "Y54\u201112345\u201110\u20113" in xml and "Y54-12345-10-3" not in xml


def test_the_pdf_keeps_the_number_whole_wherever_a_line_ends(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo(CLAVE)
    whole = []
    for padding in PADDINGS:
        case = {**datos, "deudor": {**datos["deudor"]}}
        nombre = datos["deudor"]["nombre"]
        case["deudor"]["nombre"] = nombre.replace(",", "," + " X" * (padding // 2), 1)
        text = layout(post(client, auth, CLAVE, case))
        whole.append(sum("Y54-12345-10-3" in line for line in text.splitlines()))
    assert whole == [2] * len(PADDINGS), whole  # the datos block and the body text
