"""mandamiento_ejecucion and citatorio: the fields of domain.md, their rules, what they print."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.formato import fecha_hora_larga
from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo, pdf_text

Headers = dict[Rol, dict[str, str]]


def schema(clave: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PLANTILLAS / clave / "schema.json").read_text("utf-8"))
    return data


def post(client: TestClient, auth: Headers, clave: str, datos: dict[str, Any]) -> Any:
    body = {"plantilla": clave, "datos": datos}
    return client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])


def flat_text(response: Any) -> str:
    assert response.status_code == 200, response.text
    text = " ".join(pdf_text(response.content).split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a line may break after a hyphen


def errores(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["puntero"]: e["mensaje"] for e in response.json()["errores"]}


@pytest.mark.parametrize(
    ("clave", "campos"),
    [
        (
            "mandamiento_ejecucion",
            {"autoridad", "fecha", "numero_oficio", "deudor", "creditos", "ejecutor"},
        ),
    ],
)
def test_the_schema_takes_exactly_the_fields_of_domain_md(clave: str, campos: set[str]) -> None:
    found = schema(clave)
    assert set(found["properties"]) == campos
    assert set(found["required"]) == campos
    assert found["additionalProperties"] is False


def test_the_blocks_of_each_form() -> None:
    defs = schema("mandamiento_ejecucion")["$defs"]
    assert set(defs["ejecutor"]["properties"]) == {"nombre", "identificacion"}
    defs = schema("citatorio")["$defs"]
    assert set(defs["cita"]["properties"]) == {"fecha_hora", "lugar"}
    assert set(defs["persona_recibe"]["properties"]) == {"nombre", "relacion"}
    reglas = {regla["regla"] for regla in schema("citatorio")["x-reglas"]}
    assert {"posterior", "dia_habil", "persona"} <= reglas  # citatorio v2: test_citatorio_v2.py


@pytest.mark.parametrize(
    ("clave", "campo", "valor"),
    [
        ("citatorio", "creditos", []),
        ("citatorio", "numero_oficio", "1590019200/OPC/2026/000001"),
        ("mandamiento_ejecucion", "cita", {}),
    ],
)
def test_a_field_of_another_form_is_refused(
    client: TestClient, auth: Headers, clave: str, campo: str, valor: Any
) -> None:
    datos = ejemplo(clave) | {campo: valor}
    assert errores(post(client, auth, clave, datos)) == {
        f"/{campo}": "campo no permitido por el esquema"
    }


@pytest.mark.parametrize("fecha_hora", ["2026-11-26", "20261126T1000", "mañana a las 10"])
def test_the_cita_needs_a_date_and_an_hour(
    client: TestClient, auth: Headers, fecha_hora: str
) -> None:
    datos = copy.deepcopy(ejemplo("citatorio"))
    datos["cita"]["fecha_hora"] = fecha_hora
    assert list(errores(post(client, auth, "citatorio", datos))) == ["/cita/fecha_hora"]


def test_the_mandamiento_needs_its_ejecutor(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo("mandamiento_ejecucion"))
    del datos["ejecutor"]["identificacion"]
    datos["ejecutor"]["vigencia"] = "2026-12-31"
    assert errores(post(client, auth, "mandamiento_ejecucion", datos)) == {
        "/ejecutor/identificacion": "campo obligatorio ausente",
        "/ejecutor/vigencia": "campo no permitido por el esquema",
    }


@pytest.mark.libreoffice
def test_the_mandamiento_designates_the_ejecutor_and_orders_payment_or_seizure(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo("mandamiento_ejecucion")
    text = flat_text(post(client, auth, "mandamiento_ejecucion", datos))
    assert datos["numero_oficio"] in text
    assert datos["ejecutor"]["nombre"] in text
    assert datos["ejecutor"]["identificacion"] in text
    assert f"representante legal, {datos['deudor']['representante_legal']}" in text
    assert "los cuatro créditos fiscales" in text
    assert "embargo de bienes" in text


@pytest.mark.libreoffice
def test_one_credito_for_a_persona_fisica_reads_in_the_singular(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo("mandamiento_ejecucion"))
    datos["creditos"] = datos["creditos"][:1]
    datos["deudor"] = ejemplo("citatorio")["deudor"]
    text = flat_text(post(client, auth, "mandamiento_ejecucion", datos))
    assert "el crédito fiscal que se detalla a continuación" in text
    assert "hacer efectivo el crédito fiscal," in text
    assert f"CURP: {datos['deudor']['curp']}" in text
    assert "Representante legal" not in text


@pytest.mark.libreoffice
def test_the_citatorio_says_when_and_where_to_wait_and_who_received_it(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo("citatorio")
    text = flat_text(post(client, auth, "citatorio", datos))
    visita = fecha_hora_larga(datos["diligencia_fecha_hora"])
    assert f"el {visita}, {datos['notificador']['nombre']}, persona notificadora-ejecutora" in text
    assert f"el {fecha_hora_larga(datos['cita']['fecha_hora'])}, en {datos['cita']['lugar']}" in (
        text
    )
    recibe = datos["persona_recibe"]
    assert f"en poder de {recibe['nombre']}, quien manifestó ser {recibe['relacion']}" in text
    assert "al no encontrar en él a la persona buscada" in text
    assert "Número de crédito" not in text


@pytest.mark.libreoffice
def test_a_citatorio_for_a_company_cites_its_representante_legal(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo("citatorio"))
    datos["deudor"] = ejemplo("mandamiento_ejecucion")["deudor"]
    text = flat_text(post(client, auth, "citatorio", datos))
    representante = datos["deudor"]["representante_legal"]
    assert "al no encontrar en él a su representante legal" in text
    assert f"por conducto de su representante legal, {representante}, para que espere" in text
