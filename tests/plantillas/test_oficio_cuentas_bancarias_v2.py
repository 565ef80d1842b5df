"""oficio_cuentas_bancarias v2 (contract v2): monto within the debt, the 156-Bis case, LIC 142.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.calendario import cargar_calendario
from docservice.formato import fecha_larga, moneda
from tests.conftest import PLANTILLAS, ejemplo
from tests.plantillas.comun import (
    AUTORIDAD,
    Headers,
    adeudo,
    errores,
    fila_y_total_en_una_linea,
    flat,
    layout,
    post,
    v1_ejemplo,
)

CLAVE = "oficio_cuentas_bancarias"
LIMITE = (
    "conforme al artículo 156-Bis del Código Fiscal de la Federación los depósitos solo se"
    " inmovilizan, y conforme al 156-Ter solo se transfieren, hasta por el importe del crédito"
    " fiscal y sus accesorios, por lo que el monto no puede exceder del adeudo (importe,"
    " actualización y recargos de los créditos)"
)
SUPUESTOS = {
    "credito_firme": (
        "fracción I",
        "los créditos fiscales señalados se encuentran firmes sin haber sido pagados.",
    ),
    "impugnado_no_localizado": (
        "fracción II, inciso a)",
        "los créditos fiscales señalados se encuentran impugnados sin que el interés fiscal esté"
        " debidamente garantizado, y la persona deudora no fue localizada en su domicilio fiscal o"
        " lo desocupó sin presentar el aviso de cambio de domicilio al Registro Federal de"
        " Contribuyentes.",
    ),
    "impugnado_garantia_insuficiente": (
        "fracción II, inciso b)",
        "los créditos fiscales señalados se encuentran impugnados y el interés fiscal no está"
        " debidamente asegurado, por resultar insuficiente la garantía ofrecida.",
    ),
    "impugnado_sin_ampliacion": (
        "fracción II, inciso c)",
        "los créditos fiscales señalados se encuentran impugnados y la garantía ofrecida es"
        " insuficiente, sin que la persona deudora haya efectuado la ampliación que esta autoridad"
        " le requirió.",
    ),
    "impugnado_embargo_insuficiente": (
        "fracción II, inciso d)",
        "los créditos fiscales señalados se encuentran impugnados sin que el interés fiscal esté"
        " debidamente garantizado, y el valor de los bienes embargados es insuficiente para"
        " satisfacerlo o se desconoce.",
    ),
}
LIC_142 = (
    "Esta solicitud se formula, fundada y motivada, por conducto de esa Comisión, al amparo de la"
    " excepción al secreto bancario que el artículo 142, párrafo tercero, fracción IV, de la Ley de"
    " Instituciones de Crédito establece para las autoridades hacendarias federales que requieren"
    " información para fines fiscales"
)


def informacion() -> dict[str, Any]:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["tipo_solicitud"] = "informacion"
    del datos["monto"], datos["supuesto"]
    return datos


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    assert datos["tipo_solicitud"] == "embargo"
    assert Decimal(datos["monto"]) <= adeudo(datos)
    calendario = cargar_calendario()
    fechas = [datos["fecha"]] + [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


def test_the_schema_takes_the_supuesto_of_article_156_bis() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == {
        "autoridad",
        "fecha",
        "numero_oficio",
        "deudor",
        "creditos",
        "tipo_solicitud",
        "monto",
        "supuesto",
    }
    assert set(schema["required"]) == {
        "autoridad",
        "fecha",
        "numero_oficio",
        "deudor",
        "creditos",
        "tipo_solicitud",
    }
    assert schema["properties"]["supuesto"]["enum"] == list(SUPUESTOS)
    assert "documento_determinante" in schema["$defs"]["credito"]["required"]
    assert schema["$defs"]["documento_determinante"]["additionalProperties"] is False


@pytest.mark.libreoffice
def test_v1_froze_five_million_for_a_smaller_debt_and_v2_refuses_it(
    client: TestClient, auth: Headers
) -> None:
    viejo = v1_ejemplo(CLAVE) | {"monto": "5000000.00"}
    assert adeudo(viejo) < Decimal("5000000")
    assert "hasta por la cantidad de $5,000,000.00" in flat(post(client, auth, CLAVE, viejo, 1))
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["monto"] = "5000000.00"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/monto": f"{LIMITE}: $5,000,000.00 frente a {moneda(adeudo(datos))}"
    }


def test_a_transfer_above_the_debt_is_refused_too(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["tipo_solicitud"] = "puesta_a_disposicion"
    del datos["supuesto"]
    datos["monto"] = str(adeudo(datos) + Decimal("0.01"))
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/monto"]
    assert "156-Bis" in found["/monto"]


@pytest.mark.libreoffice
def test_a_monto_equal_to_the_debt_is_accepted(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["monto"] = str(adeudo(datos))
    assert f"hasta por la cantidad de {moneda(adeudo(datos))}" in flat(
        post(client, auth, CLAVE, datos)
    )


@pytest.mark.libreoffice
@pytest.mark.parametrize("supuesto", sorted(SUPUESTOS))
def test_the_embargo_states_the_case_of_article_156_bis(
    client: TestClient, auth: Headers, supuesto: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["supuesto"] = supuesto
    fraccion, porque = SUPUESTOS[supuesto]
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        f"EMBARGO QUE SE SOLICITA La inmovilización procede en el supuesto del artículo 156-Bis,"
        f" {fraccion}, del Código Fiscal de la Federación, toda vez que {porque}" in text
    )
    parte = supuesto in {"impugnado_garantia_insuficiente", "impugnado_sin_ampliacion"}
    cubre = "a la parte del adeudo actualizado y sus accesorios legales que la garantía ofrecida"
    assert (cubre in text) is parte
    firme = "en los términos del artículo 156-Ter del Código Fiscal de la Federación"
    assert (firme in text) is (supuesto == "credito_firme")


@pytest.mark.libreoffice
def test_v1_did_not_say_which_case_of_article_156_bis_applied(
    client: TestClient, auth: Headers
) -> None:
    text = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "EMBARGO QUE SE SOLICITA" in text
    assert "artículo 156-Bis, fracción" not in text


def test_an_embargo_without_its_supuesto_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["supuesto"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/supuesto": "el embargo de depósitos debe declarar el supuesto del artículo 156-Bis del"
        " CFF en que procede"
    }


@pytest.mark.parametrize("tipo", ["informacion", "puesta_a_disposicion"])
def test_a_supuesto_outside_an_embargo_is_refused(
    client: TestClient, auth: Headers, tipo: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["tipo_solicitud"] = tipo
    if tipo == "informacion":
        del datos["monto"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/supuesto": "el supuesto del artículo 156-Bis del CFF solo se declara en la solicitud de"
        " embargo"
    }


def test_a_supuesto_the_article_does_not_name_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["supuesto"] = "fraccion_iii"
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/supuesto"]
    assert found["/supuesto"].startswith("valor no permitido")


@pytest.mark.libreoffice
def test_the_informacion_cites_its_exception_to_bank_secrecy(
    client: TestClient, auth: Headers
) -> None:
    viejo = v1_ejemplo(CLAVE) | {"tipo_solicitud": "informacion"}
    del viejo["monto"]
    assert "Instituciones de Crédito" not in flat(post(client, auth, CLAVE, viejo, 1))
    text = flat(post(client, auth, CLAVE, informacion()))
    assert "INFORMACIÓN QUE SE SOLICITA A fin de contar" in text
    assert LIC_142 in text
    assert "artículo 142, párrafo tercero, fracción IV, de la Ley de Instituciones de Crédito;" in (
        text
    )  # and among the fundamento
    assert "EMBARGO QUE SE SOLICITA" not in text
    assert "156-Bis, fracción" not in text


@pytest.mark.libreoffice
def test_the_puesta_a_disposicion_has_no_supuesto_text(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["tipo_solicitud"] = "puesta_a_disposicion"
    del datos["supuesto"]
    text = flat(post(client, auth, CLAVE, datos))
    assert "PUESTA A DISPOSICIÓN QUE SE SOLICITA" in text
    assert "156-Bis, fracción" not in text
    assert LIC_142 not in text


@pytest.mark.libreoffice
def test_each_credito_shows_the_document_that_determined_it(
    client: TestClient, auth: Headers
) -> None:
    assert "Documento determinante" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        "Bajo el renglón de cada crédito se indica el documento que lo determinó y la fecha en"
        " que se notificó:" in text
    )
    tipos = {"cedula_liquidacion": "cédula de liquidación", "resolucion": "resolución determinante"}
    for credito in datos["creditos"]:
        doc = credito["documento_determinante"]
        assert (
            f"Documento determinante: {tipos[doc['tipo']]} número {doc['numero']}, de"
            f" {fecha_larga(doc['fecha'])}, notificada a la persona deudora el"
            f" {fecha_larga(doc['fecha_notificacion'])}." in text
        )


def test_the_document_cannot_be_notified_before_it_was_issued(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][3]["documento_determinante"]["fecha_notificacion"] = "2026-05-11"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/3/documento_determinante/fecha_notificacion": (
            "el documento determinante no puede notificarse antes de la fecha en que se emitió"
        )
    }


def test_the_oficio_comes_after_every_notification(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][2]["documento_determinante"]["fecha_notificacion"] = "2026-12-01"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": (
            "la fecha del oficio debe ser posterior a la notificación de cada documento"
            " determinante: un crédito solo es exigible una vez notificado"
        )
    }


def test_a_numero_de_credito_twice_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][3]["numero_credito"] = datos["creditos"][1]["numero_credito"]
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/creditos/3/numero_credito"]
    assert found["/creditos/3/numero_credito"].endswith("(ya está en /creditos/1/numero_credito)")


def test_a_periodo_after_the_month_of_the_act_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][0]["periodo"] = "2026-12"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/0/periodo": "el periodo 2026-12 es posterior al mes del acto (noviembre de 2026)"
    }


def test_the_rfc_must_fit_the_kind_of_person(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["deudor"] |= {"tipo_persona": "fisica", "curp": "BOXW310820HNERXN09"}
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/deudor/rfc": "el RFC de una persona física tiene 13 caracteres; este tiene 12"
    }


@pytest.mark.libreoffice
def test_amounts_up_to_a_billion_never_wrap(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][:1]
    datos["creditos"][0] |= {
        "numero_credito": "999999999999",
        "importe": "333333333.33",
        "actualizacion": "333333333.33",
        "recargos": "333333333.33",
    }
    datos["monto"] = "999999999.99"
    lines = layout(post(client, auth, CLAVE, datos)).splitlines()
    fila_y_total_en_una_linea(lines)


@pytest.mark.libreoffice
def test_one_period_after_a_razon_social_and_the_registro_patronal_whole(
    client: TestClient, auth: Headers
) -> None:
    datos = ejemplo(CLAVE)
    assert datos["deudor"]["nombre"].endswith("S.A. de C.V.")
    page = layout(post(client, auth, CLAVE, datos))
    assert re.search("Registro patronal: C07[-\u2011]18452[-\u2011]10[-\u2011]8", page)
    text = " ".join(page.split())
    assert "C.V.." not in text
    assert "Distribuidora Alimentaria del Bajío, S.A. de C.V., con RFC DAB150312K71" in text


@pytest.mark.libreoffice
def test_one_credito_of_a_persona_fisica_reads_in_the_singular(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][3:]
    datos["supuesto"] = "impugnado_garantia_insuficiente"
    datos["monto"] = "5000.00"
    datos["deudor"] = {
        "tipo_persona": "fisica",
        "nombre": "Eduardo Gómez Díaz",
        "rfc": "GODE561231GR8",
        "curp": "GODE561231HDFNRN05",
        "registro_patronal": "Y5412345103",
        "domicilio": datos["deudor"]["domicilio"],
    }
    text = flat(post(client, auth, CLAVE, datos))
    assert "en relación con la persona física que se identifica" in text
    assert "Nombre: Eduardo Gómez Díaz RFC: GODE561231GR8 CURP: GODE561231HDFNRN05" in text
    assert "A su cargo se encuentra el crédito fiscal que se detalla" in text
    assert "toda vez que el crédito fiscal señalado se encuentra impugnado y el interés" in text
    assert "hasta por la cantidad de $5,000.00 (CINCO MIL PESOS 00/100 M.N.), que corresponde" in (
        text
    )
    assert "una vez que el crédito fiscal, incluidos sus accesorios, quede firme" in text
    for leftover in ("{{", "{%", "None"):
        assert leftover not in text
