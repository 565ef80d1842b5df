"""POST /v1/verificaciones: reports on our own documents, joined with the ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from docservice.sign import DevPkiServer
from tests import forgeries
from tests.conftest import ejemplo

pytestmark = [pytest.mark.libreoffice, pytest.mark.usefixtures("pki_server")]
Headers = dict[Rol, dict[str, str]]


def verify(client: TestClient, headers: dict[str, str], pdf: bytes) -> Any:
    return client.post(
        "/v1/verificaciones",
        files={"archivo": ("documento.pdf", pdf, "application/pdf")},
        headers=headers,
    )


@pytest.fixture(scope="module")
def constancia(client: TestClient, auth: Headers, pki_server: DevPkiServer) -> Any:
    body = {"plantilla": "constancia_adeudos", "datos": ejemplo("constancia_adeudos"),
            "serie": "VERIF"}  # fmt: skip
    response = client.post("/v1/constancias", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 200, response.text
    return response


def test_our_constancia_is_valid_and_found_in_the_ledger(
    client: TestClient, auth: Headers, constancia: Any
) -> None:
    response = verify(client, auth[Rol.AUDITOR], constancia.content)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["veredicto"] == "valida", report["motivos"]
    [firma] = report["firmas"]
    assert firma["tipo"] == "certificacion"
    assert firma["integridad"] is True
    assert firma["confianza"]["confiable"] is True
    assert firma["confianza"]["cadena"][-1] == "AC Raíz de Desarrollo de docservice"
    assert firma["revocacion"] == {
        "estado": "vigente", "fuente": "OCSP", "fecha_revocacion": None, "motivo": None
    }  # fmt: skip
    assert firma["firmante"]["rfc"] == "TEQM780314J27"
    assert firma["firmante"]["curp"] == "TEQM780314MMCLRR06"
    assert firma["firmante"]["numero_certificado"] == "99999000000000000001"
    assert firma["cobertura"] == "documento_completo"
    assert firma["modificaciones_posteriores"]["nivel"] == "ninguna"
    assert firma["nivel_pades"] == "B-B"
    assert firma["algoritmo_digest"] == "sha256"
    assert firma["vigente_al_firmar"] is True
    registro = report["documento"]["registro"]
    assert registro["emitido_por_docservice"] is True
    assert registro["coincide"] == "archivo"
    assert registro["folio"] == constancia.headers["x-folio"]
    assert (registro["plantilla"], registro["version"], registro["estado"]) == (
        "constancia_adeudos", 2, "vigente"
    )  # fmt: skip
    assert report["documento"]["sha256"] == constancia.headers["x-contenido-sha256"]


def test_roles_and_bad_files(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes]
) -> None:
    for rol in (Rol.SISTEMA, Rol.JURIDICO, Rol.APROBADOR):
        assert verify(client, auth[rol], make_pdf()).status_code == 403
    assert verify(client, {}, make_pdf()).status_code == 401
    unsigned = verify(client, auth[Rol.AUDITOR], make_pdf()).json()
    assert unsigned["veredicto"] == "no_valida"
    assert "el documento no contiene firmas" in unsigned["motivos"]
    not_pdf = verify(client, auth[Rol.AUDITOR], b"hola")
    assert not_pdf.status_code == 422 and not_pdf.json()["codigo"] == "pdf_invalido"
    truncated = verify(client, auth[Rol.ADMIN], make_pdf()[:300])
    assert truncated.status_code == 422 and "dañado o truncado" in truncated.json()["detail"]


def test_an_altered_constancia_is_not_valid_but_traced_to_its_folio(
    client: TestClient, auth: Headers, constancia: Any
) -> None:
    altered = forgeries.isa_replace_contents(constancia.content)
    report = verify(client, auth[Rol.AUDITOR], altered).json()
    assert report["veredicto"] == "no_valida"
    registro = report["documento"]["registro"]
    assert registro["emitido_por_docservice"] is True
    assert registro["coincide"] == "revision_firmada"
    assert registro["folio"] == constancia.headers["x-folio"]
    assert registro["revisiones_posteriores"] == 1


def test_a_cancelled_constancia_is_reported_as_such(
    client: TestClient, auth: Headers, pki_server: DevPkiServer
) -> None:
    body = {"plantilla": "constancia_adeudos", "datos": ejemplo("constancia_adeudos")}
    issued = client.post("/v1/constancias", json=body, headers=auth[Rol.SISTEMA])
    folio = issued.headers["x-folio"]
    client.post(
        f"/v1/constancias/{folio}/cancelacion", json={"motivo": "error de captura"},
        headers=auth[Rol.APROBADOR],
    )  # fmt: skip
    report = verify(client, auth[Rol.AUDITOR], issued.content).json()
    assert report["veredicto"] == "valida_con_advertencias"
    assert report["documento"]["registro"]["estado"] == "cancelada"
    assert report["documento"]["registro"]["cancelacion_motivo"] == "error de captura"
    assert "CANCELADO" in " ".join(report["motivos"])


def test_a_constancia_with_rewritten_metadata_is_not_valid_and_says_what_changed(
    client: TestClient, auth: Headers, constancia: Any
) -> None:
    forged = forgeries.metadata_rewrite(constancia.content)
    report = verify(client, auth[Rol.AUDITOR], forged).json()
    assert report["veredicto"] == "no_valida"
    registro = report["documento"]["registro"]
    assert registro["coincide"] == "revision_firmada"
    assert registro["folio"] == constancia.headers["x-folio"]
    [firma] = report["firmas"]
    cambios = firma["modificaciones_posteriores"]
    assert cambios["nivel"] == "metadatos"
    assert cambios["metadatos"]["Title"] == "ADEUDO PAGADO"
    assert cambios["metadatos"]["Keywords"] == f"documento_id={forgeries.FAKE_DOCUMENT_ID}"
    motivo = report["motivos"][0]
    assert motivo.startswith(
        f"docservice emitió este documento (revisión {registro['revision']}) y después se le "
        "hicieron cambios que no son firmas, datos de validación (DSS) ni sellos de tiempo de "
        "documento: se cambiaron los metadatos: "
    ), motivo
    assert "título (Title) = «ADEUDO PAGADO»" in motivo
    assert f"palabras clave (Keywords) = «documento_id={forgeries.FAKE_DOCUMENT_ID}»" in motivo
    assert motivo.endswith("; revisiones 1 de metadatos")
