"""POST /v1/documentos end to end: real render, real LibreOffice, text of the PDF checked."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import signal
import threading
import time
import tomllib
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from docservice.formato import fecha_larga, importe_con_letra, moneda
from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo, pdf_text

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]


def published_version(clave: str) -> int:
    """The version the folder publishes (its manifest), which a request without one gets."""
    manifest = tomllib.loads((PLANTILLAS / clave / "manifest.toml").read_text("utf-8"))
    return int(manifest["version"])


def post(client: TestClient, headers: dict[str, str], body: Any) -> Any:
    return client.post("/v1/documentos", json=body, headers=headers)


def total_of(datos: dict[str, Any]) -> Decimal:
    """Grand total computed here, independently of the renderer."""
    amounts = ("importe", "actualizacion", "recargos")
    return sum((Decimal(str(c.get(n, 0))) for c in datos["creditos"] for n in amounts), Decimal(0))


@pytest.mark.parametrize("clave", ["requerimiento_pago", "constancia_adeudos"])
def test_pdf_carries_the_case(client: TestClient, auth: Headers, clave: str) -> None:
    datos = ejemplo(clave)
    response = post(client, auth[Rol.SISTEMA], {"plantilla": clave, "datos": datos})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    assert response.headers["x-contenido-sha256"] == hashlib.sha256(pdf).hexdigest()
    assert response.headers["x-plantilla-version"] == str(published_version(clave))
    text = " ".join(pdf_text(pdf).split())
    deudor = datos["deudor"]
    assert deudor["nombre"] in text
    assert deudor["rfc"] in text
    for credito in datos["creditos"]:
        assert credito["numero_credito"] in text
    total = total_of(datos)
    assert moneda(total) in text
    assert importe_con_letra(total) in text
    fecha = datos.get("fecha") or datos["fecha_corte"]
    assert fecha_larga(fecha) in text
    assert datos["autoridad"]["titular"] in text
    assert datos["autoridad"]["cargo"] in text
    for leftover in ("{{", "{%", "None"):
        assert leftover not in text


def test_document_is_recorded_and_metadata_carries_identifiers(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo("requerimiento_pago")
    response = post(client, auth[Rol.JURIDICO], {"plantilla": "requerimiento_pago", "datos": datos})
    documento_id = response.headers["x-documento-id"]
    record = client.app.state.services.ledger.get_document(documento_id)  # type: ignore[attr-defined]
    assert record is not None
    assert record.solicitante == "prueba-juridico"
    assert record.contenido_sha256 == response.headers["x-contenido-sha256"]
    assert record.plantilla == "requerimiento_pago" and record.plantilla_version == 2
    metadata = PdfReader(io.BytesIO(response.content)).metadata
    assert metadata is not None
    keywords = str(metadata.get("/Keywords"))
    assert f"documento_id={documento_id}" in keywords
    assert f"datos_sha256={record.datos_sha256}" in keywords
    assert f"plantilla_sha256={record.plantilla_sha256}" in keywords


def test_docx_format_and_explicit_version(client: TestClient, auth: Headers) -> None:
    body = {
        "plantilla": "constancia_adeudos",
        "version": 1,  # the retired version, with the case data it was written for
        "formato": "docx",
        "datos": json.loads(
            (PLANTILLAS / "constancia_adeudos/versiones/1/ejemplo.json").read_text("utf-8")
        ),
    }
    response = post(client, auth[Rol.SISTEMA], body)
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert "wordprocessingml" in response.headers["content-type"]


def test_literal_jinja_and_xml_in_case_data(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    datos["deudor"]["nombre"] = '{{ 7*7 }} <w:t> Pérez & Hijos "Los Primos"'
    response = post(client, auth[Rol.SISTEMA], {"plantilla": "requerimiento_pago", "datos": datos})
    assert response.status_code == 200, response.text
    text = pdf_text(response.content)
    assert '{{ 7*7 }} <w:t> Pérez & Hijos "Los Primos"' in text
    assert "49" not in text.split("Pérez")[0][-30:]


def test_constancia_without_creditos_says_none_registered(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo("constancia_adeudos"))
    datos["creditos"] = []
    response = post(client, auth[Rol.SISTEMA], {"plantilla": "constancia_adeudos", "datos": datos})
    assert response.status_code == 200, response.text
    text = " ".join(pdf_text(response.content).split())
    assert "no se encontraron créditos fiscales registrados" in text.lower()


# --- bad input -------------------------------------------------------------------------


def test_unknown_plantilla_is_404(client: TestClient, auth: Headers) -> None:
    response = post(client, auth[Rol.SISTEMA], {"plantilla": "no_existe", "datos": {}})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no existe la plantilla «no_existe»"


def test_unknown_version_is_404(client: TestClient, auth: Headers) -> None:
    body = {"plantilla": "requerimiento_pago", "version": 7, "datos": ejemplo("requerimiento_pago")}
    response = post(client, auth[Rol.SISTEMA], body)
    assert response.status_code == 404
    assert response.json()["codigo"] == "version_no_encontrada"


def test_missing_extra_and_invalid_fields_are_all_listed(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    del datos["fecha"]
    datos["sobrante"] = True
    datos["deudor"]["rfc"] = "NO-ES-RFC"
    datos["creditos"][0]["importe"] = "-1"
    response = post(client, auth[Rol.SISTEMA], {"plantilla": "requerimiento_pago", "datos": datos})
    assert response.status_code == 422
    problem = response.json()
    assert problem["codigo"] == "datos_invalidos"
    pointers = {e["puntero"] for e in problem["errores"]}
    assert pointers == {"/fecha", "/sobrante", "/deudor/rfc", "/creditos/0/importe"}


def test_envelope_errors_are_listed(client: TestClient, auth: Headers) -> None:
    response = post(client, auth[Rol.SISTEMA], {"datos": [], "formato": "odt", "otro": 1})
    assert response.status_code == 422
    pointers = {e["puntero"] for e in response.json()["errores"]}
    assert pointers == {"/plantilla", "/datos", "/formato", "/otro"}


@pytest.mark.parametrize("raw", [b"{", b"", b"\xff\xfe", b"[" * 100_000])
def test_malformed_json_is_400(client: TestClient, auth: Headers, raw: bytes) -> None:
    headers = auth[Rol.SISTEMA] | {"Content-Type": "application/json"}
    response = client.post("/v1/documentos", content=raw, headers=headers)
    assert response.status_code == 400
    assert response.json()["codigo"] == "json_malformado"


def test_body_over_limit_is_413(client: TestClient, auth: Headers) -> None:
    huge = json.dumps({"plantilla": "x", "datos": {"relleno": "a" * (6 * 1024 * 1024)}})
    response = client.post(
        "/v1/documentos",
        content=huge,
        headers=auth[Rol.SISTEMA] | {"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "excede el límite" in response.json()["detail"]


def test_body_over_limit_without_content_length_is_413(client: TestClient, auth: Headers) -> None:
    def chunks() -> Any:
        for _ in range(7):
            yield b"a" * (1024 * 1024)

    response = client.post(
        "/v1/documentos",
        content=chunks(),
        headers=auth[Rol.SISTEMA] | {"Content-Type": "application/json"},
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer ds_falsa"}, {"Authorization": "Basic dXNlcjpwYXNz"}]
)
def test_missing_or_wrong_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    response = post(client, headers, {"plantilla": "requerimiento_pago", "datos": {}})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("rol", [Rol.AUDITOR, Rol.APROBADOR])
def test_wrong_role_is_403(client: TestClient, auth: Headers, rol: Rol) -> None:
    response = post(client, auth[rol], {"plantilla": "requerimiento_pago", "datos": {}})
    assert response.status_code == 403
    assert f"«{rol.value}»" in response.json()["detail"]


def test_soffice_killed_mid_request_costs_one_retry(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    datos["creditos"] = [
        {**credito, "numero_credito": f"{credito['numero_credito']}{copia}"}
        for copia in range(6)
        for credito in datos["creditos"]
    ]  # the same créditos six times over, each number once (a number twice is refused)
    pool = client.app.state.services.pool  # type: ignore[attr-defined]
    result: dict[str, Any] = {}
    request = threading.Thread(
        target=lambda: result.setdefault(
            "r",
            post(client, auth[Rol.SISTEMA], {"plantilla": "requerimiento_pago", "datos": datos}),
        )
    )
    request.start()
    deadline = time.monotonic() + 10
    busy: list[int] = []
    while not busy and time.monotonic() < deadline:
        busy = [p.pid for p in pool.health().procesos if p.busy and p.pid]
        time.sleep(0.005)
    assert busy, "ninguna conversión empezó"
    os.kill(busy[0], signal.SIGKILL)
    request.join(60)
    assert result["r"].status_code == 200
    assert datos["deudor"]["nombre"] in pdf_text(result["r"].content)
    health = client.get("/healthz").json()
    assert all(p["alive"] for p in health["conversion"]["procesos"])
