"""requerimiento_pago v2 (contract v2): the plazo of CFF 151, why each crédito is exigible, layout.

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
from tests.plantillas.comun import AUTORIDAD, Headers, errores, flat, layout, post, v1_ejemplo

CLAVE = "requerimiento_pago"
CAUSAS = {
    "cese_prorroga": "el cese de la prórroga que se le había concedido para su pago",
    "cese_autorizacion_parcialidades": (
        "el cese de la autorización que se le había otorgado para pagar en parcialidades"
    ),
    "error_aritmetico": (
        "un error aritmético en las declaraciones presentadas por la persona deudora"
    ),
}


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    fechas = [datos["fecha"]] + [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


def test_the_schema_replaces_plazo_dias_with_the_plazo_of_cff_151() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == {
        "autoridad",
        "fecha",
        "numero_oficio",
        "deudor",
        "creditos",
        "plazo",
    }
    plazo = schema["$defs"]["plazo"]
    assert plazo["properties"]["tipo"]["enum"] == ["en_el_acto", "seis_dias"]
    assert set(plazo["properties"]["causa"]["enum"]) == set(CAUSAS)
    credito = schema["$defs"]["credito"]
    assert "documento_determinante" in credito["required"]
    assert schema["$defs"]["documento_determinante"]["additionalProperties"] is False


@pytest.mark.libreoffice
def test_v1_gave_a_free_plazo_in_days_and_v2_refuses_it(client: TestClient, auth: Headers) -> None:
    viejo = v1_ejemplo(CLAVE) | {"plazo_dias": 15}
    assert "dentro del plazo de quince (15) días hábiles" in flat(
        post(client, auth, CLAVE, viejo, 1)
    )
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["plazo_dias"] = 15
    del datos["plazo"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/plazo": "campo obligatorio ausente",
        "/plazo_dias": "campo no permitido por el esquema",
    }


@pytest.mark.libreoffice
def test_payment_is_demanded_in_the_act_and_seizure_follows_at_once(
    client: TestClient, auth: Headers
) -> None:
    assert "en el acto" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    datos = ejemplo(CLAVE)
    assert datos["plazo"] == {"tipo": "en_el_acto"}
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        "En consecuencia, en el acto de la diligencia en que se le notifique el presente oficio,"
        " se requiere de pago a Construcciones Pérez & Hijos, S.A. de C.V., por conducto de su"
        " representante legal, Ing. Rodrigo Pérez Anaya, para que pague los créditos fiscales"
        " señalados por la cantidad total de $938,509.66" in text
    )
    assert "o acredite en ese mismo acto haberlo efectuado." in text
    assert (
        "si en el acto de la diligencia no efectúa el pago ni acredita haberlo realizado, se"
        " procederá de inmediato al embargo de bienes" in text
    )
    assert "días hábiles" not in text


@pytest.mark.libreoffice
@pytest.mark.parametrize("causa", sorted(CAUSAS))
def test_six_business_days_only_with_their_cause_printed(
    client: TestClient, auth: Headers, causa: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["plazo"] = {"tipo": "seis_dias", "causa": causa}
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        "toda vez que la exigibilidad de los créditos fiscales señalados se origina por"
        f" {CAUSAS[causa]}, se requiere de pago a" in text
    )
    assert (
        "dentro del plazo de seis días hábiles siguientes a la fecha en que surta sus efectos la"
        " notificación del presente requerimiento, pague dichos créditos" in text
    )
    assert "si dentro del plazo de seis días hábiles señalado no efectúa el pago" in text
    assert "en el acto de la diligencia" not in text


def test_six_days_without_a_cause_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["plazo"] = {"tipo": "seis_dias"}
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/plazo/causa": "el plazo de seis días solo procede con la causa que lo origina"
        " (CFF art. 151)"
    }


@pytest.mark.parametrize(
    ("plazo", "pointer", "message"),
    [
        (
            {"tipo": "en_el_acto", "causa": "cese_prorroga"},
            "/plazo/causa",
            "con pago en el acto no hay causa de plazo",
        ),
        ({"tipo": "seis_dias", "causa": "convenio"}, "/plazo/causa", "valor no permitido"),
        ({"tipo": "quince_dias"}, "/plazo/tipo", "valor no permitido"),
    ],
)
def test_a_plazo_the_law_does_not_give_is_refused(
    client: TestClient, auth: Headers, plazo: dict[str, str], pointer: str, message: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["plazo"] = plazo
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == [pointer]
    assert found[pointer].startswith(message)


@pytest.mark.libreoffice
def test_each_credito_shows_the_document_that_made_it_exigible(
    client: TestClient, auth: Headers
) -> None:
    assert "Cédula de liquidación" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    assert "mediante los documentos que se indican bajo cada renglón y legalmente notificados" in (
        text
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
    del datos["creditos"][2]["documento_determinante"]
    datos["creditos"][4]["documento_determinante"]["tipo"] = "acta"
    found = errores(post(client, auth, CLAVE, datos))
    assert found["/creditos/2/documento_determinante"] == "campo obligatorio ausente"
    assert found["/creditos/4/documento_determinante/tipo"].startswith("valor no permitido")


def test_the_document_cannot_be_notified_before_it_was_issued(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][3]["documento_determinante"]["fecha_notificacion"] = "2026-08-03"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/3/documento_determinante/fecha_notificacion": (
            "el documento determinante no puede notificarse antes de la fecha en que se emitió"
        )
    }


def test_the_requerimiento_comes_after_every_notification(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["documento_determinante"]["fecha_notificacion"] = datos["fecha"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": (
            "el requerimiento de pago solo procede sobre créditos exigibles: su fecha debe ser"
            " posterior a la notificación de cada documento determinante"
        )
    }


@pytest.mark.libreoffice
def test_documents_issued_and_notified_on_different_dates_are_valid(
    client: TestClient, auth: Headers
) -> None:
    """Each crédito's notification is compared with its own document, not another's."""
    datos = copy.deepcopy(ejemplo(CLAVE))
    primero, segundo = datos["creditos"][0], datos["creditos"][1]
    primero["documento_determinante"] |= {"fecha": "2026-03-03", "fecha_notificacion": "2026-03-10"}
    segundo["documento_determinante"] |= {"fecha": "2026-06-09", "fecha_notificacion": "2026-06-16"}
    text = flat(post(client, auth, CLAVE, datos))
    assert "de 3 de marzo de 2026, notificada el 10 de marzo de 2026." in text


def test_a_numero_de_credito_twice_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["numero_credito"] = datos["creditos"][0]["numero_credito"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/1/numero_credito": (
            "un crédito no puede figurar dos veces en el mismo documento: el número de crédito se"
            " repite (ya está en /creditos/0/numero_credito)"
        )
    }


@pytest.mark.libreoffice
def test_v1_printed_a_repeated_credito(client: TestClient, auth: Headers) -> None:
    viejo = v1_ejemplo(CLAVE)
    viejo["creditos"][1]["numero_credito"] = viejo["creditos"][0]["numero_credito"]
    assert (
        flat(post(client, auth, CLAVE, viejo, 1)).count(viejo["creditos"][0]["numero_credito"]) == 2
    )


def test_a_periodo_after_the_month_of_the_act_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["fecha"] = "2026-10-14"
    datos["creditos"][9]["periodo"] = "2026-11"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/9/periodo": "el periodo 2026-11 es posterior al mes del acto (octubre de 2026)"
    }


def test_the_rfc_must_fit_the_kind_of_person(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["deudor"] |= {"tipo_persona": "fisica", "curp": "BOXW310820HNERXN09"}
    found = errores(post(client, auth, CLAVE, datos))
    assert found == {
        "/deudor/rfc": "el RFC de una persona física tiene 13 caracteres; este tiene 12"
    }


@pytest.mark.libreoffice
def test_amounts_up_to_a_billion_never_wrap(client: TestClient, auth: Headers) -> None:
    viejo = v1_ejemplo(CLAVE)
    viejo["creditos"][0]["importe"] = "12345678.90"
    assert "$12,345,678.90" not in layout(post(client, auth, CLAVE, viejo, 1))
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][:3]
    datos["creditos"][0] |= {"importe": "12345678.90"}
    for credito in datos["creditos"][1:]:
        credito |= {a: "999999999.99" for a in ("importe", "actualizacion", "recargos")}
    lines = layout(post(client, auth, CLAVE, datos)).splitlines()
    assert any("$12,345,678.90" in line for line in lines)
    row = next(line for line in lines if line.startswith(datos["creditos"][1]["numero_credito"]))
    assert row.count("$999,999,999.99") == 3
    assert "$2,999,999,999.97" in row
    total = next(line for line in lines if line.startswith("Total "))
    assert len(re.findall(r"\$[\d,]+\.\d\d(?!\d)", total)) == 4  # column sums on one line too


@pytest.mark.libreoffice
def test_one_period_after_a_razon_social_ending_in_cv(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["deudor"]["representante_legal"]
    assert datos["deudor"]["nombre"].endswith("S.A. de C.V.")
    text = flat(post(client, auth, CLAVE, datos))
    sentence = "Notifíquese personalmente a Construcciones Pérez & Hijos, S.A. de C.V."
    start = text.index(sentence)
    assert text[start + len(sentence)] == " "  # one period, then the next sentence
    assert "C.V.." not in text
    assert "para que pague" in text


@pytest.mark.libreoffice
def test_the_registro_patronal_never_breaks_at_its_hyphens(
    client: TestClient, auth: Headers
) -> None:
    text = layout(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert text.count("Y54-12345-10-3") == 2  # heading and body, each whole on one line


@pytest.mark.libreoffice
def test_one_credito_of_a_persona_fisica_reads_in_the_singular(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][6:7]
    datos["plazo"] = {"tipo": "seis_dias", "causa": "error_aritmetico"}
    datos["deudor"] = datos["deudor"] | {
        "tipo_persona": "fisica",
        "nombre": "Eduardo Gómez Díaz",
        "rfc": "GODE561231GR8",
        "curp": "GODE561231HDFNRN05",
    }
    del datos["deudor"]["representante_legal"]
    text = flat(post(client, auth, CLAVE, datos))
    assert "tiene a su cargo el crédito fiscal que se detalla a continuación" in text
    assert "la exigibilidad del crédito fiscal señalado se origina por un error aritmético" in text
    assert "pague dicho crédito por la cantidad total de $10,375.62" in text
    assert "hacer efectivo el crédito fiscal," in text
    assert "Resolución número 1590019200/OPC/MUL/2026/000112" in text
    assert "CURP: GODE561231HDFNRN05" in text
    assert "Notifíquese personalmente a Eduardo Gómez Díaz." in text
    for leftover in ("{{", "{%", "None"):
        assert leftover not in text
