"""Signed documents through the API: POST /v1/documentos with firma, POST /v1/firmas."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm
from sqlalchemy import text

from docservice.model import Rol
from docservice.sign import DevPki, DevPkiServer
from tests.conftest import ejemplo, pdf_text

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]


def signed_document(client: TestClient, auth: Headers, perfil: str) -> Any:
    body = {
        "plantilla": "requerimiento_pago",
        "datos": ejemplo("requerimiento_pago"),
        "firma": {"perfil": perfil},
    }
    return client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])


def test_signed_document_is_valid_for_pyhanko_and_pdfsig(
    client: TestClient,
    auth: Headers,
    validate: Callable[..., list[Any]],
    pdfsig: Callable[[bytes], str],
) -> None:
    response = signed_document(client, auth, "desarrollo")
    assert response.status_code == 200, response.text
    pdf = response.content
    [status] = validate(pdf)
    assert status.intact and status.valid and status.trusted
    report = pdfsig(pdf)
    assert "Signature is Valid" in report
    assert "Total document signed" in report
    text = " ".join(pdf_text(pdf).split())
    documento_id = response.headers["x-documento-id"]
    assert f"/verificar/{documento_id}" in text
    assert ejemplo("requerimiento_pago")["autoridad"]["titular"] in text


def test_signed_b_t_document_carries_a_timestamp(
    client: TestClient,
    auth: Headers,
    pki_server: DevPkiServer,
    validate: Callable[..., list[Any]],
) -> None:
    response = signed_document(client, auth, "sellado")
    assert response.status_code == 200, response.text
    [status] = validate(response.content)
    assert status.bottom_line and status.timestamp_validity is not None


def test_unknown_profile_is_404_and_nothing_is_recorded(client: TestClient, auth: Headers) -> None:
    response = signed_document(client, auth, "no-existe")
    assert response.status_code == 404
    assert response.json()["codigo"] == "perfil_no_encontrado"


def test_signature_requires_pdf(client: TestClient, auth: Headers) -> None:
    body = {
        "plantilla": "constancia_adeudos",
        "datos": ejemplo("constancia_adeudos"),
        "formato": "docx",
        "firma": {"perfil": "desarrollo"},
    }
    response = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 422
    assert response.json()["errores"][0]["puntero"] == "/formato"


def test_upload_signed_twice_keeps_first_signature(
    client: TestClient,
    auth: Headers,
    make_pdf: Callable[..., bytes],
    validate: Callable[..., list[Any]],
) -> None:
    once = client.post(
        "/v1/firmas",
        headers=auth[Rol.JURIDICO],
        data={"perfil": "desarrollo"},
        files={"archivo": ("a.pdf", make_pdf(), "application/pdf")},
    )
    assert once.status_code == 200, once.text
    twice = client.post(
        "/v1/firmas",
        headers=auth[Rol.JURIDICO],
        data={"perfil": "ec"},
        files={"archivo": ("a.pdf", once.content, "application/pdf")},
    )
    assert twice.status_code == 200, twice.text
    first, second = validate(twice.content)
    assert first.intact and first.valid and first.trusted
    assert second.intact and second.valid and second.trusted


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"no soy un pdf", 422),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", 422),
    ],
)
def test_upload_of_a_bad_pdf_is_refused(
    client: TestClient, auth: Headers, content: bytes, status: int
) -> None:
    response = client.post(
        "/v1/firmas",
        headers=auth[Rol.SISTEMA],
        data={"perfil": "desarrollo"},
        files={"archivo": ("x.pdf", content, "application/pdf")},
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"


def test_no_changes_certification_is_409_naming_it(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes], dev_pki: DevPki
) -> None:
    official = dev_pki.officials["titular-ec"]
    signer = signers.SimpleSigner.load_pkcs12(str(official.p12), passphrase=official.password())
    meta = signers.PdfSignatureMetadata(
        field_name="Certificacion", certify=True, docmdp_permissions=MDPPerm.NO_CHANGES
    )
    locked = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(make_pdf())), meta, signer=signer)
    response = client.post(
        "/v1/firmas",
        headers=auth[Rol.SISTEMA],
        data={"perfil": "desarrollo"},
        files={"archivo": ("a.pdf", locked.getvalue(), "application/pdf")},
    )
    assert response.status_code == 409
    assert "«Certificacion»" in response.json()["detail"]


def test_certification_p2_allows_a_later_signature(
    client: TestClient,
    auth: Headers,
    make_pdf: Callable[..., bytes],
    validate: Callable[..., list[Any]],
) -> None:
    certified = client.post(
        "/v1/firmas",
        headers=auth[Rol.SISTEMA],
        data={"perfil": "certificacion"},
        files={"archivo": ("a.pdf", make_pdf(), "application/pdf")},
    )
    assert certified.status_code == 200, certified.text
    again = client.post(
        "/v1/firmas",
        headers=auth[Rol.SISTEMA],
        data={"perfil": "desarrollo"},
        files={"archivo": ("a.pdf", certified.content, "application/pdf")},
    )
    assert again.status_code == 200, again.text
    assert all(s.intact and s.valid and s.trusted for s in validate(again.content))


def test_upload_needs_the_right_role(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes]
) -> None:
    response = client.post(
        "/v1/firmas",
        headers=auth[Rol.AUDITOR],
        data={"perfil": "desarrollo"},
        files={"archivo": ("a.pdf", make_pdf(), "application/pdf")},
    )
    assert response.status_code == 403


def test_health_lists_signing_profiles(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert "desarrollo" in body["firma"]["perfiles_disponibles"]


def test_tsa_down_is_502_naming_it_and_nothing_is_recorded(
    client: TestClient, auth: Headers
) -> None:
    engine = client.app.state.services.ledger.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM documento")).scalar_one()
    response = signed_document(client, auth, "sin-tsa")
    assert response.status_code == 502
    assert "/tsa" in response.json()["detail"] and "TSA" in response.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documento")).scalar_one() == before
