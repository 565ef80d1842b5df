"""Who signs is who is named, through the API: the stamp, the signature block and the
certificate name one person; case data naming anybody else is refused before any work."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from docservice.sign import same_person
from tests.conftest import ejemplo, leyenda_ejemplo, pdf_text

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]


def post(client: TestClient, auth: Headers, datos: dict[str, Any], **body: Any) -> Any:
    payload = {"plantilla": "requerimiento_pago", "datos": datos, **body}
    return client.post("/v1/documentos", json=payload, headers=auth[Rol.SISTEMA])


def test_stamp_certificate_and_signature_block_name_the_same_person(
    client: TestClient, auth: Headers, pdfsig: Callable[[bytes], str]
) -> None:
    response = post(client, auth, ejemplo("requerimiento_pago"), firma={"perfil": "desarrollo"})
    assert response.status_code == 200, response.text
    report = pdfsig(response.content)
    assert "Signature is Valid" in report
    [holder] = [
        line.split(":", 1)[1].strip()
        for line in report.splitlines()
        if "Signer Certificate Common Name" in line
    ]
    text = " ".join(pdf_text(response.content).split())
    found = re.search(r"Firmado electrónicamente por: (.+?) (?:Cargo|RFC):", text)
    assert found is not None
    stamp = found.group(1)
    printed = ejemplo("requerimiento_pago")["autoridad"]["titular"]
    assert printed in text
    assert holder == stamp == "MARIANA TÉLLEZ QUIROGA"
    assert same_person(printed, holder)


def test_a_signed_request_without_titular_prints_the_profiles_official(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo("requerimiento_pago")
    del datos["autoridad"]["titular"], datos["autoridad"]["cargo"]
    unsigned = post(client, auth, datos)
    assert unsigned.status_code == 422
    assert {e["puntero"] for e in unsigned.json()["errores"]} == {
        "/autoridad/titular",
        "/autoridad/cargo",
    }
    signed = post(client, auth, datos, firma={"perfil": "desarrollo"})
    assert signed.status_code == 200, signed.text
    text = " ".join(pdf_text(signed.content).split())
    assert "Lic. Mariana Téllez Quiroga Jefa de la Oficina para Cobros de la Subdelegación" in text


def test_another_official_is_refused_naming_both(client: TestClient, auth: Headers) -> None:
    datos = ejemplo("requerimiento_pago")
    datos["autoridad"]["titular"] = "Lic. Arturo Villaseñor Guzmán"
    response = post(client, auth, datos, firma={"perfil": "desarrollo"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["codigo"] == "firmante_no_corresponde"
    assert problem["errores"] == [
        {
            "puntero": "/autoridad/titular",
            "mensaje": "el documento nombra a Lic. Arturo Villaseñor Guzmán, pero el perfil"
            " «desarrollo» firma con la e.firma de Lic. Mariana Téllez Quiroga",
        }
    ]


def test_a_profile_of_another_official_refuses_the_ejemplo(
    client: TestClient, auth: Headers
) -> None:
    response = post(client, auth, ejemplo("requerimiento_pago"), firma={"perfil": "ec"})
    assert response.status_code == 422
    assert response.json()["codigo"] == "firmante_no_corresponde"
    assert {e["puntero"] for e in response.json()["errores"]} == {
        "/autoridad/titular",
        "/autoridad/cargo",
    }


def test_a_constancia_only_from_a_plantilla_of_tipo_constancia(
    client: TestClient, auth: Headers
) -> None:
    body = {"plantilla": "requerimiento_pago", "datos": ejemplo("requerimiento_pago")}
    response = client.post("/v1/constancias", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 422
    problem = response.json()
    assert problem["codigo"] == "plantilla_no_es_constancia"
    assert problem["errores"] == [
        {"puntero": "/plantilla", "mensaje": "la plantilla no es de tipo constancia"}
    ]


def certify(client: TestClient, auth: Headers, datos: dict[str, Any], pdf: bytes) -> Any:
    return client.post(
        "/v1/certificaciones",
        files={"archivo": ("copia.pdf", pdf, "application/pdf")},
        data={"leyenda": "certificacion_copia", "datos": json.dumps(datos)},
        headers=auth[Rol.SISTEMA],
    )


def test_a_certified_copy_names_the_profiles_official(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes]
) -> None:
    datos = leyenda_ejemplo("certificacion_copia")
    del datos["funcionario"]
    response = certify(client, auth, datos, make_pdf(pages=2))
    assert response.status_code == 200, response.text
    text = " ".join(pdf_text(response.content).split())
    assert "Lic. Mariana Téllez Quiroga" in text
    assert "Firmado electrónicamente por: MARIANA TÉLLEZ QUIROGA" in text


def test_a_certified_copy_naming_another_official_costs_no_folio(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes]
) -> None:
    datos = leyenda_ejemplo("certificacion_copia")
    datos["funcionario"] = {"nombre": "Mtra. Rocío Landa Herrera", "cargo": "Subdelegada"}
    before = certify(client, auth, leyenda_ejemplo("certificacion_copia"), make_pdf())
    refused = certify(client, auth, datos, make_pdf())
    after = certify(client, auth, leyenda_ejemplo("certificacion_copia"), make_pdf())
    assert refused.status_code == 422
    assert refused.json()["codigo"] == "firmante_no_corresponde"
    assert {e["puntero"] for e in refused.json()["errores"]} == {
        "/funcionario/nombre",
        "/funcionario/cargo",
    }
    first, second = (int(r.headers["x-folio"].rsplit("/", 1)[1]) for r in (before, after))
    assert second == first + 1


def test_a_certified_copy_for_a_unit_the_official_does_not_sign_for_is_refused(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes]
) -> None:
    datos = leyenda_ejemplo("certificacion_copia")
    datos["autoridad"]["unidad"] = "Subdelegación Celaya"
    refused = certify(client, auth, datos, make_pdf())
    assert refused.status_code == 422
    assert refused.json()["codigo"] == "firmante_no_corresponde"
    assert refused.json()["errores"] == [
        {
            "puntero": "/autoridad/unidad",
            "mensaje": "Lic. Mariana Téllez Quiroga no firma por «Subdelegación Celaya»; su perfil"
            " firma por: Oficina para Cobros de la Subdelegación Naucalpan",
        }
    ]


def test_a_constancia_naming_another_official_costs_no_folio(
    client: TestClient, auth: Headers
) -> None:
    def issue(datos: dict[str, Any]) -> Any:
        body = {"plantilla": "constancia_adeudos", "datos": datos}
        return client.post("/v1/constancias", json=body, headers=auth[Rol.SISTEMA])

    otro = ejemplo("constancia_adeudos")
    otro["autoridad"]["titular"] = "Lic. Arturo Villaseñor Guzmán"
    before = issue(ejemplo("constancia_adeudos"))
    refused = issue(otro)
    after = issue(ejemplo("constancia_adeudos"))
    assert refused.status_code == 422
    assert refused.json()["codigo"] == "firmante_no_corresponde"
    assert [e["puntero"] for e in refused.json()["errores"]] == ["/autoridad/titular"]
    first, second = (int(r.headers["x-folio"].rsplit("/", 1)[1]) for r in (before, after))
    assert second == first + 1
