"""/v1/constancias end to end: folio, QR, certification signature, stored file, cancellation."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from sqlalchemy import text

from docservice.bootstrap import Services
from docservice.model import Rol
from tests.conftest import ejemplo, folio_year, leyenda_ejemplo, pdf_text

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]
CLAVE = "constancia_adeudos"


def issue(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    payload = {"plantilla": CLAVE, "datos": ejemplo(CLAVE)} | body
    return client.post("/v1/constancias", json=payload, headers=headers)


def path_of(folio: str) -> str:
    return f"/v1/constancias/{folio}"


def test_issued_constancia_carries_folio_qr_and_a_certification_signature(
    client: TestClient,
    auth: Headers,
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
    tmp_path: Path,
) -> None:
    response = issue(client, auth[Rol.SISTEMA], serie="EMISION")
    assert response.status_code == 200, response.text
    folio = response.headers["x-folio"]
    assert re.fullmatch(rf"EMISION/{folio_year()}/\d{{6}}", folio)
    pdf = response.content
    assert response.headers["x-contenido-sha256"] == hashlib.sha256(pdf).hexdigest()
    text = " ".join(pdf_text(pdf).split())
    assert folio in text
    assert ejemplo(CLAVE)["deudor"]["nombre"] in text
    [status] = validate(pdf)
    assert status.intact and status.valid and status.trusted
    [embedded] = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert embedded.docmdp_level == MDPPerm.FILL_FORMS
    assert "Signature is Valid" in pdfsig(pdf)
    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    decoded = [
        subprocess.run(
            ["zbarimg", "-q", "--raw", str(png)], check=False, capture_output=True, text=True
        ).stdout.strip()
        for png in sorted(tmp_path.glob("p*.png"))
    ]
    assert f"http://127.0.0.1:8000/verificar/{folio}" in decoded


def test_record_and_stored_file_match_what_was_returned(
    client: TestClient, auth: Headers, services: Services
) -> None:
    response = issue(client, auth[Rol.JURIDICO], serie="REGISTRO")
    folio = response.headers["x-folio"]
    info = client.get(path_of(folio), headers=auth[Rol.AUDITOR]).json()
    datos = ejemplo(CLAVE)
    assert info["folio"] == folio
    assert (info["estado"], info["tipo"], info["vigente"]) == ("emitido", "constancia", True)
    assert info["contenido_sha256"] == hashlib.sha256(response.content).hexdigest()
    assert info["documento_id"] == response.headers["x-documento-id"]
    assert (info["deudor_nombre"], info["deudor_rfc"]) == (
        datos["deudor"]["nombre"],
        datos["deudor"]["rfc"],
    )
    assert info["emisor"] == datos["autoridad"]["unidad"]
    assert info["solicitante"] == "prueba-juridico"
    stored = client.get(path_of(folio) + "/pdf", headers=auth[Rol.AUDITOR])
    assert stored.status_code == 200
    assert stored.content == response.content
    assert stored.headers["x-folio"] == folio
    document = services.ledger.get_document(info["documento_id"])
    assert document is not None and document.contenido_sha256 == info["contenido_sha256"]


def test_cancellation_needs_an_approver_and_happens_once(client: TestClient, auth: Headers) -> None:
    folio = issue(client, auth[Rol.SISTEMA], serie="CANCELA").headers["x-folio"]
    motivo = {"motivo": "Se emitió con el registro patronal equivocado"}
    url = path_of(folio) + "/cancelacion"
    for rol in (Rol.SISTEMA, Rol.JURIDICO, Rol.AUDITOR):
        refused = client.post(url, json=motivo, headers=auth[rol])
        assert refused.status_code == 403, rol
        assert refused.json()["codigo"] == "no_autorizado"
    done = client.post(url, json=motivo, headers=auth[Rol.APROBADOR])
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["vigente"] is False
    assert body["cancelacion_motivo"] == motivo["motivo"]
    assert body["cancelada_por"] == "prueba-aprobador"
    again = client.post(url, json=motivo, headers=auth[Rol.ADMIN])
    assert again.status_code == 409
    assert again.json()["codigo"] == "constancia_ya_cancelada"
    assert client.get(path_of(folio), headers=auth[Rol.SISTEMA]).json()["vigente"] is False


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"motivo": ""}, 422, "datos_invalidos"),
        ({"motivo": "x" * 501}, 422, "datos_invalidos"),
        ({}, 422, "datos_invalidos"),
        ({"motivo": "ok", "extra": 1}, 422, "datos_invalidos"),
    ],
)
def test_cancellation_rejects_a_bad_motive(
    client: TestClient, auth: Headers, body: dict[str, Any], status: int, code: str
) -> None:
    folio = issue(client, auth[Rol.SISTEMA], serie="MOTIVO").headers["x-folio"]
    response = client.post(path_of(folio) + "/cancelacion", json=body, headers=auth[Rol.APROBADOR])
    assert response.status_code == status, response.text
    assert response.json()["codigo"] == code


def test_bad_case_data_is_refused_without_taking_a_folio(
    client: TestClient, auth: Headers, services: Services
) -> None:
    datos = ejemplo(CLAVE)
    datos["deudor"]["rfc"] = "NOESUNRFC"
    response = issue(client, auth[Rol.SISTEMA], serie="SINFOLIO", datos=datos)
    assert response.status_code == 422
    problem = response.json()
    assert problem["codigo"] == "datos_invalidos"
    assert any(e["puntero"] == "/deudor/rfc" for e in problem["errores"])
    report = services.ledger.folio_series_report("SINFOLIO", folio_year())
    assert report.highest == 0 and report.counter_next is None


def test_signing_failure_voids_the_folio_and_the_series_stays_whole(
    client: TestClient, auth: Headers, services: Services
) -> None:
    """A TSA that does not answer fails the signature after the folio was taken."""
    first = issue(client, auth[Rol.SISTEMA], serie="FALLA")
    failed = issue(client, auth[Rol.SISTEMA], serie="FALLA", perfil="sin-tsa")
    third = issue(client, auth[Rol.SISTEMA], serie="FALLA")
    assert (first.status_code, failed.status_code, third.status_code) == (200, 502, 200)
    assert failed.json()["codigo"] == "servicio_externo_caido"
    numbers = [int(r.headers["x-folio"].rsplit("/", 1)[1]) for r in (first, third)]
    assert numbers == [1, 3]
    voided = client.get(f"/v1/constancias/FALLA/{folio_year()}/000002", headers=auth[Rol.AUDITOR])
    info = voided.json()
    assert (info["estado"], info["vigente"]) == ("anulado", False)
    assert info["anulado_motivo"].startswith("servicio_externo_caido:")
    no_file = client.get(
        f"/v1/constancias/FALLA/{folio_year()}/000002/pdf", headers=auth[Rol.AUDITOR]
    )
    assert no_file.status_code == 409
    assert no_file.json()["codigo"] == "folio_no_emitido"
    report = services.ledger.folio_series_report("FALLA", folio_year())
    assert report.ok and report.highest == 3
    assert report.counts == {"emitido": 2, "anulado": 1}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/v1/constancias/NOEXISTE/2026/000001", 404, "folio_no_encontrado"),
        ("/v1/constancias/minusculas/2026/000001", 422, "datos_invalidos"),
        ("/v1/constancias/CONST/1999/000001", 422, "datos_invalidos"),
        ("/v1/constancias/CONST/2026/0", 422, "datos_invalidos"),
        ("/v1/constancias/CONST/2026/abc", 422, "datos_invalidos"),
        ("/v1/constancias/NOEXISTE/2026/000001/pdf", 404, "folio_no_encontrado"),
    ],
)
def test_folio_lookups_name_the_problem(
    client: TestClient, auth: Headers, path: str, status: int, code: str
) -> None:
    response = client.get(path, headers=auth[Rol.AUDITOR])
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["codigo"] == code


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"plantilla": "no_existe"}, 404, "plantilla_no_encontrada"),
        ({"serie": "con espacios"}, 422, "datos_invalidos"),
        ({"serie": "X" * 21}, 422, "datos_invalidos"),
        ({"perfil": "no-existe"}, 404, "perfil_no_encontrado"),
        ({"datos": []}, 422, "datos_invalidos"),
        ({"fojas": 3}, 422, "datos_invalidos"),
    ],
)
def test_bad_requests_get_a_spanish_problem(
    client: TestClient, auth: Headers, body: dict[str, Any], status: int, code: str
) -> None:
    response = issue(client, auth[Rol.SISTEMA], **body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["codigo"] == code
    assert problem["detail"]


def test_malformed_json_and_missing_key(client: TestClient, auth: Headers) -> None:
    broken = client.post(
        "/v1/constancias",
        content=b'{"plantilla": ',
        headers=auth[Rol.SISTEMA] | {"Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json()["codigo"] == "json_malformado"
    assert client.post("/v1/constancias", json={}).status_code == 401
    assert client.get("/v1/constancias/CONST/2026/000001").status_code == 401
    auditor = issue(client, auth[Rol.AUDITOR])
    assert auditor.status_code == 403


def test_every_operation_leaves_its_audit_entry(
    client: TestClient, auth: Headers, services: Services, make_pdf: Callable[..., bytes]
) -> None:
    """render, sign, certify, issue, cancel, key created and plantilla loaded."""
    folio = issue(client, auth[Rol.SISTEMA], serie="BITACORA").headers["x-folio"]
    client.post(
        path_of(folio) + "/cancelacion", json={"motivo": "prueba"}, headers=auth[Rol.APROBADOR]
    )
    client.post(
        "/v1/firmas",
        files={"archivo": ("a.pdf", make_pdf(), "application/pdf")},
        data={"perfil": "desarrollo"},
        headers=auth[Rol.SISTEMA],
    )
    client.post(
        "/v1/certificaciones",
        files={"archivo": ("a.pdf", make_pdf(), "application/pdf")},
        data={
            "leyenda": "certificacion_copia",
            "datos": json.dumps(leyenda_ejemplo("certificacion_copia")),
        },
        headers=auth[Rol.SISTEMA],
    )
    with services.ledger.engine.connect() as conn:
        acciones = set(conn.scalars(text("SELECT DISTINCT accion FROM evento_auditoria")))
    assert {
        "llave.creada",
        "plantilla.cargada",
        "leyenda.cargada",
        "documento.generado",
        "documento.firmado",
        "folio.reservado",
        "constancia.emitida",
        "certificacion.emitida",
        "constancia.cancelada",
    } <= acciones
    assert services.ledger.verify_audit_chain().ok
