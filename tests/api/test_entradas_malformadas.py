"""Input that used to crash the service (500) is a clear 422 naming what is wrong."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from tests import hostile_pdfs
from tests.conftest import ejemplo

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]
SUSTITUTO = "contiene un carácter inválido (sustituto UTF-16 aislado)"


def raw_post(client: TestClient, headers: dict[str, str], body: str) -> dict[str, object]:
    response = client.post(
        "/v1/documentos",
        content=body.encode("ascii"),  # the escape travels as six ASCII characters
        headers=headers | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    return dict(response.json())


def test_a_lone_surrogate_in_case_data_is_refused_naming_its_pointer(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo("requerimiento_pago")
    datos["deudor"]["nombre"] = "A@@B"
    body = json.dumps({"plantilla": "requerimiento_pago", "datos": datos}, ensure_ascii=True)
    assert "@@" in body
    problem = raw_post(client, auth[Rol.SISTEMA], body.replace("@@", "\\ud800"))
    assert problem["codigo"] == "datos_invalidos"
    assert problem["errores"] == [{"puntero": "/deudor/nombre", "mensaje": SUSTITUTO}]


def test_lone_surrogates_in_keys_and_lists_are_each_named(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo("requerimiento_pago")
    datos["creditos"][0]["periodo"] = "@@"
    datos["clave@@"] = "x"
    body = json.dumps({"plantilla": "requerimiento_pago", "datos": datos}, ensure_ascii=True)
    problem = raw_post(client, auth[Rol.SISTEMA], body.replace("@@", "\\udc00"))
    assert problem["errores"] == [
        {"puntero": "/clave\\udc00", "mensaje": SUSTITUTO},
        {"puntero": "/creditos/0/periodo", "mensaje": SUSTITUTO},
    ]


def test_a_pdf_nesting_100000_arrays_is_refused_on_firmas(
    client: TestClient, auth: Headers
) -> None:
    pdf = hostile_pdfs.deep_nesting(100_000)
    response = client.post(
        "/v1/firmas",
        files={"archivo": ("anidado.pdf", pdf, "application/pdf")},
        data={"perfil": "desarrollo"},
        headers=auth[Rol.JURIDICO],
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "pdf_invalido"
    assert problem["detail"] == (
        "El PDF está dañado y no se puede firmar: anida arreglos o diccionarios a una "
        "profundidad que no se puede leer."
    )


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        (("creditos", 0, "importe"), "84512.375", "el importe admite a lo más dos decimales"),
        (("creditos", 1, "recargos"), 10.005, "el importe admite a lo más dos decimales"),
        (
            ("creditos", 0, "actualizacion"), " 1.00 ",
            "el importe no admite espacios antes ni después de la cifra",
        ),
        (("fecha",), "1899-11-25", "la fecha debe ser posterior a 1900"),
    ],
)  # fmt: skip
def test_amounts_and_dates_are_refused_not_rounded(
    client: TestClient, auth: Headers, campo: tuple[str | int, ...], valor: object, mensaje: str
) -> None:
    datos = ejemplo("requerimiento_pago")
    target: Any = datos
    for part in campo[:-1]:
        target = target[part]
    target[campo[-1]] = valor
    body = {"plantilla": "requerimiento_pago", "datos": datos}
    response = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
    assert response.status_code == 422, response.text
    puntero = "".join(f"/{part}" for part in campo)
    assert response.json()["errores"] == [{"puntero": puntero, "mensaje": mensaje}]
