"""mandamiento_ejecucion v2 (contract v2): why each crédito is exigible, the ejecutor, the rules.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from docservice.calendario import cargar_calendario
from docservice.formato import fecha_larga
from tests.conftest import PLANTILLAS, ejemplo
from tests.plantillas.comun import Headers, errores, flat, layout, post, v1_ejemplo

CLAVE = "mandamiento_ejecucion"


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"]["titular"] == "Lic. Mariana Téllez Quiroga"
    assert datos["autoridad"] == ejemplo("requerimiento_pago")["autoridad"]
    assert datos["deudor"]["domicilio"]["municipio"] == "Naucalpan de Juárez"
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    fechas = [datos["fecha"]] + [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


def test_the_schema_keeps_the_fields_and_adds_the_documento_determinante() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    campos = {"autoridad", "fecha", "numero_oficio", "deudor", "creditos", "ejecutor"}
    assert set(schema["properties"]) == set(schema["required"]) == campos
    assert set(schema["$defs"]["ejecutor"]["properties"]) == {"nombre", "identificacion"}
    assert "documento_determinante" in schema["$defs"]["credito"]["required"]
    assert {r["regla"] for r in schema["x-reglas"]} == {
        "persona",
        "unico",
        "periodo_hasta",
        "no_anterior",
        "posterior",
    }


@pytest.mark.libreoffice
def test_each_credito_shows_the_document_that_made_it_exigible(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "Cédula de liquidación" not in viejo and "notificada el" not in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        "los cuatro créditos fiscales que se detallan a continuación, determinados en cantidad"
        " líquida mediante los documentos que se indican bajo cada renglón y legalmente"
        " notificados" in text
    )
    for credito in datos["creditos"]:
        doc = credito["documento_determinante"]
        tipo = "Cédula de liquidación" if doc["tipo"] == "cedula_liquidacion" else "Resolución"
        assert (
            f"{tipo} número {doc['numero']}, de {fecha_larga(doc['fecha'])}, notificada el"
            f" {fecha_larga(doc['fecha_notificacion'])}." in text
        )


def test_a_credito_without_its_documento_determinante_is_refused(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["creditos"][0]["documento_determinante"]["fecha_notificacion"]
    del datos["creditos"][3]["documento_determinante"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/0/documento_determinante/fecha_notificacion": "campo obligatorio ausente",
        "/creditos/3/documento_determinante": "campo obligatorio ausente",
    }


def test_the_mandamiento_comes_after_every_notification(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][2]["documento_determinante"]["fecha_notificacion"] = "2026-11-25"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": (
            "el mandamiento de ejecución solo procede sobre créditos exigibles: su fecha debe ser"
            " posterior a la notificación de cada documento determinante"
        )
    }


def test_the_document_cannot_be_notified_before_it_was_issued(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][3]["documento_determinante"]["fecha_notificacion"] = "2026-09-07"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/3/documento_determinante/fecha_notificacion": (
            "el documento determinante no puede notificarse antes de la fecha en que se emitió"
        )
    }


@pytest.mark.libreoffice
def test_v1_accepted_a_repeated_credito_and_a_periodo_after_the_act(
    client: TestClient, auth: Headers
) -> None:
    viejo = v1_ejemplo(CLAVE)
    viejo["creditos"][1]["numero_credito"] = viejo["creditos"][0]["numero_credito"]
    viejo["creditos"][3]["periodo"] = "2026-12"  # the act is of 24 November 2026
    text = flat(post(client, auth, CLAVE, viejo, 1))
    assert text.count(viejo["creditos"][0]["numero_credito"]) == 2
    assert "2026-12" in text


def test_a_numero_de_credito_twice_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["numero_credito"] = datos["creditos"][0]["numero_credito"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/1/numero_credito": (
            "un crédito no puede figurar dos veces en el mismo documento: el número de crédito se"
            " repite (ya está en /creditos/0/numero_credito)"
        )
    }


def test_a_periodo_after_the_month_of_the_act_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["fecha"] = "2026-10-14"
    datos["creditos"][3]["periodo"] = "2026-11"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/3/periodo": "el periodo 2026-11 es posterior al mes del acto (octubre de 2026)"
    }


def test_the_curp_of_a_persona_fisica_must_match_the_rfc(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["deudor"] = datos["deudor"] | {
        "tipo_persona": "fisica",
        "nombre": "Eduardo Gómez Díaz",
        "rfc": "GODE561231GR8",
        "curp": "BOXW310820HNERXN09",
    }
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/deudor/curp": "la fecha de nacimiento de la CURP (310820) no coincide con la del RFC"
        " (561231)"
    }


@pytest.mark.libreoffice
def test_the_ejecutor_goes_to_the_domicilio_identifies_and_records_it(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "el lugar donde se encuentren sus bienes" not in viejo
    assert "hará constar en el acta" not in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    ejecutor = datos["ejecutor"]
    assert (
        f"se designa como persona ejecutora a {ejecutor['nombre']}, adscrita a esta autoridad,"
        " quien se constituirá en el domicilio fiscal de la persona deudora o, en su caso, en el"
        " lugar donde se encuentren sus bienes; se identificará ante la persona con quien se"
        f" entienda la diligencia con {ejecutor['identificacion']}; hará constar en el acta los"
        " datos de esa identificación, y entregará un ejemplar del presente mandamiento." in text
    )
    assert "de la que se entregará copia a la persona con quien se entienda la diligencia" in text
    assert "para que en el acto de la diligencia pague la cantidad de $438,417.38" in text
    assert "procédase de inmediato al embargo de bienes" in text
    assert "artículo 97 del Reglamento del Código Fiscal de la Federación" in text


@pytest.mark.libreoffice
def test_amounts_up_to_a_billion_never_wrap(client: TestClient, auth: Headers) -> None:
    viejo = v1_ejemplo(CLAVE)
    viejo["creditos"][0]["importe"] = "12345678.90"
    assert "$12,345,678.90" not in layout(post(client, auth, CLAVE, viejo, 1))
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][0]["importe"] = "12345678.90"
    datos["creditos"][1] |= {a: "999999999.99" for a in ("importe", "actualizacion", "recargos")}
    lines = layout(post(client, auth, CLAVE, datos)).splitlines()
    assert any("$12,345,678.90" in line for line in lines)
    row = next(line for line in lines if line.startswith(datos["creditos"][1]["numero_credito"]))
    assert row.count("$999,999,999.99") == 3
    total = next(line for line in lines if line.startswith("Total "))
    assert len(re.findall(r"\$[\d,]+\.\d\d(?!\d)", total)) == 4


@pytest.mark.libreoffice
def test_the_registro_patronal_never_breaks_at_its_hyphens(
    client: TestClient, auth: Headers
) -> None:
    text = layout(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert text.count("Y54-30217-65-9") == 2  # heading and body, each whole on one line


@pytest.mark.libreoffice
def test_one_credito_of_a_persona_fisica_reads_in_the_singular(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][3:]
    datos["deudor"] = datos["deudor"] | {
        "tipo_persona": "fisica",
        "nombre": "Eduardo Gómez Díaz",
        "rfc": "GODE561231GR8",
        "curp": "GODE561231HDFNRN05",
    }
    del datos["deudor"]["representante_legal"]
    text = flat(post(client, auth, CLAVE, datos))
    assert "tiene a su cargo el crédito fiscal que se detalla a continuación" in text
    assert "mediante el documento que se indica bajo su renglón y legalmente notificado" in text
    assert "hacer efectivo el crédito fiscal," in text
    assert "Requiérase de pago a Eduardo Gómez Díaz en su domicilio fiscal" in text
    assert "Resolución número 1590019200/OPC/MUL/2026/000187" in text
    assert "CURP: GODE561231HDFNRN05" in text
    assert "Representante legal" not in text
    for leftover in ("{{", "{%", "None"):
        assert leftover not in text
