"""acta_requerimiento_embargo v2 (contract v2): who executes, what, when, with whom, who keeps.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.calendario import cargar_calendario
from docservice.formato import fecha_hora_larga, fecha_larga, moneda
from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo, pdf_text
from tests.plantillas.comun import AUTORIDAD, Headers, errores, flat, post, v1_ejemplo, with_

CLAVE = "acta_requerimiento_embargo"
HABILITACION = {
    "oficio": "1590019200/OPC/2026/005190",
    "fecha": "2026-11-27",
    "motivo": "la persona deudora realiza sus actividades únicamente en días y horas inhábiles",
}
REPRESENTANTE = {
    "nombre": "Lic. Aurora Quintero Salcedo",
    "caracter": "representante_legal",
    "identificacion": "credencial para votar expedida por el Instituto Nacional Electoral, con"
    " clave de elector QNSLAR85040314M300",
}


def at(inicio: str, cierre: str) -> dict[str, Any]:
    return {"diligencia/fecha_hora_inicio": inicio, "diligencia/fecha_hora_cierre": cierre}


PAGO = {
    "diligencia/pago_en_el_acto": True,
    "bienes": [],
    "senalamiento_bienes": None,
    "depositario": None,
}


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days_and_hours() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    inicio = datetime.fromisoformat(datos["diligencia"]["fecha_hora_inicio"])
    assert time(7, 30) <= inicio.time().replace(tzinfo=None) <= time(18, 0)
    constancia = datos["ejecutor"]["constancia"]
    fechas = [inicio.date().isoformat(), datos["mandamiento"]["fecha"], datos["citatorio"]["fecha"]]
    fechas += [constancia["fecha"], constancia["vigencia"]]
    fechas += [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


def test_the_schema_takes_the_fields_of_contract_v2() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    required = {"autoridad", "deudor", "creditos", "mandamiento", "ejecutor", "diligencia"}
    required |= {"bienes"}
    assert set(schema["required"]) == required
    conditional = {"citatorio", "habilitacion", "senalamiento_bienes", "depositario"}
    assert set(schema["properties"]) == required | conditional
    defs = schema["$defs"]
    assert set(defs["ejecutor"]["properties"]) == {"nombre", "constancia"}
    constancia = {"numero", "fecha", "vigencia", "expedida_por", "fundamento"}
    assert set(defs["constancia"]["required"]) == constancia
    assert set(defs["mandamiento"]["required"]) == {"numero_oficio", "fecha"}
    assert set(defs["depositario"]["required"]) == {"nombre", "identificacion", "domicilio"}
    assert set(defs["citatorio"]["required"]) == {"fecha"}
    assert schema["properties"]["senalamiento_bienes"]["enum"] == ["deudor", "ejecutor"]
    assert set(defs["diligencia"]["required"]) == {
        "fecha_hora_inicio",
        "fecha_hora_cierre",
        "persona_atiende",
        "testigos",
        "pago_en_el_acto",
    }
    assert "documento_determinante" in defs["credito"]["required"]
    assert defs["documento_determinante"]["additionalProperties"] is False


@pytest.mark.libreoffice
def test_v1_did_not_identify_the_ejecutor_and_v2_prints_the_rcff_97_data(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "constancia de identificación vigente expedida a su favor por la autoridad" in viejo
    assert "número" not in viejo.split("se identificó ante ella")[1][:200]
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    ejecutor, constancia = datos["ejecutor"], datos["ejecutor"]["constancia"]
    expedida = constancia["expedida_por"]
    assert f"{ejecutor['nombre']}, persona ejecutora adscrita a la {AUTORIDAD['unidad']}" in text
    assert (
        f"con la constancia de identificación número {constancia['numero']}, expedida el"
        f" {fecha_larga(constancia['fecha'])} por {expedida['nombre']}, {expedida['cargo']}, con"
        f" fundamento en {constancia['fundamento']}, con vigencia hasta el"
        f" {fecha_larga(constancia['vigencia'])}, documento en el que constan su fotografía y su"
        " firma y que la acredita para practicar requerimientos de pago, embargos y los demás"
        " actos del procedimiento administrativo de ejecución" in text
    )
    assert "La persona ejecutora La persona que atendió la diligencia" in text


@pytest.mark.libreoffice
def test_v1_did_not_say_which_mandamiento_and_v2_does(client: TestClient, auth: Headers) -> None:
    assert "mandamiento" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    mandamiento = datos["mandamiento"]
    assert (
        "en cumplimiento del mandamiento de ejecución contenido en el oficio número"
        f" {mandamiento['numero_oficio']}, de {fecha_larga(mandamiento['fecha'])}, dictado por"
        f" {AUTORIDAD['titular']}, {AUTORIDAD['cargo']}," in text
    )
    assert "le entregó un ejemplar del mandamiento de ejecución que se cumplimenta" in text


@pytest.mark.libreoffice
def test_v1_named_no_depositario_and_v2_names_the_one_who_keeps_the_goods(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "bajo la guarda de la persona depositaria designada conforme" in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    depositario = datos["depositario"]
    assert (
        f"Los bienes embargados quedaron bajo la guarda de {depositario['nombre']}, quien se"
        f" identificó con {depositario['identificacion']} y tiene su domicilio en"
        f" {depositario['domicilio']}, a quien se designó como persona depositaria" in text
    )
    assert f"La persona depositaria ______________________________ {depositario['nombre']}" in text


@pytest.mark.libreoffice
def test_v1_gave_no_closing_hour_and_v2_prints_opening_and_closing(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert re.findall(r"a las \d{2}:\d{2} horas", viejo) == ["a las 10:40 horas"]
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    diligencia = datos["diligencia"]
    municipio = datos["deudor"]["domicilio"]["municipio"]
    inicio = fecha_hora_larga(diligencia["fecha_hora_inicio"])
    assert f"En {municipio}, Estado de México, el {inicio}," in text
    cierre = fecha_hora_larga(diligencia["fecha_hora_cierre"])
    assert f"se dio por concluida la diligencia el {cierre}, y se levantó" in text


@pytest.mark.libreoffice
def test_a_tercero_attends_after_the_citatorio_and_the_ejecutor_points_out_the_goods(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "citatorio" not in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    atiende = datos["diligencia"]["persona_atiende"]
    assert (
        "requirió la presencia de su representante legal, a quien se dejó citatorio el"
        f" {fecha_larga(datos['citatorio']['fecha'])} para que esperara en este domicilio a la"
        " hora fijada en él. Toda vez que no se atendió la cita, la diligencia se entendió con"
        f" {atiende['nombre']}, quien se encontraba en el domicilio, manifestó ser"
        f" {atiende['relacion']} y se identificó con {atiende['identificacion']}." in text
    )
    assert (
        "le hizo saber que tiene derecho a señalar, en primer término, los bienes en que deba"
        " trabarse el embargo" in text
    )
    assert (
        "Al no haber señalado la persona que atendió la diligencia bienes en los términos de ese"
        " derecho, la persona ejecutora señaló los bienes" in text
    )
    assert (
        "por estimarlos suficientes para cubrir los créditos fiscales requeridos, sus accesorios"
        " legales y los gastos de ejecución" in text
    )


@pytest.mark.libreoffice
def test_the_representante_legal_points_out_one_good_in_the_singular(
    client: TestClient, auth: Headers
) -> None:
    datos = with_(CLAVE, {"diligencia/persona_atiende": REPRESENTANTE, "citatorio": None})
    datos["senalamiento_bienes"] = "deudor"
    datos["bienes"] = datos["bienes"][:1]
    datos["creditos"] = datos["creditos"][:1]
    text = flat(post(client, auth, CLAVE, datos))
    assert "citatorio" not in text
    assert (
        f"La diligencia se entendió con {REPRESENTANTE['nombre']}, quien manifestó ser"
        " representante legal de la persona deudora" in text
    )
    assert (
        "En ejercicio de ese derecho, la persona que atendió la diligencia señaló el bien que se"
        " describe a continuación. La persona ejecutora declaró formalmente embargado ese bien,"
        " por estimarlo suficiente para cubrir el crédito fiscal requerido" in text
    )
    assert "bajo cada crédito se indica el documento que lo determinó" in text


@pytest.mark.libreoffice
def test_a_persona_fisica_attends_herself(client: TestClient, auth: Headers) -> None:
    deudor = ejemplo("citatorio")["deudor"]
    atiende = {
        "nombre": deudor["nombre"],
        "caracter": "deudor",
        "identificacion": "credencial para votar con clave de elector IUARXC85041230M100",
    }
    datos = with_(
        CLAVE, {"deudor": deudor, "diligencia/persona_atiende": atiende, "citatorio": None}
    )
    text = flat(post(client, auth, CLAVE, datos))
    assert f"CURP: {deudor['curp']}" in text
    assert (
        "requirió la presencia de la persona deudora o de su representante legal. La diligencia"
        f" se entendió con la propia persona deudora, {deudor['nombre']}, quien se identificó con"
        f" {atiende['identificacion']}." in text
    )


@pytest.mark.libreoffice
def test_each_credito_shows_its_documento_determinante(client: TestClient, auth: Headers) -> None:
    assert "notificada" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    assert "bajo cada crédito se indica el documento que lo determinó" in text
    nombres = {"cedula_liquidacion": "cédula de liquidación", "resolucion": "resolución"}
    for credito in datos["creditos"]:
        documento = credito["documento_determinante"]
        assert (
            f"Determinado mediante {nombres[documento['tipo']]} número {documento['numero']}, de"
            f" {fecha_larga(documento['fecha'])}, notificada el"
            f" {fecha_larga(documento['fecha_notificacion'])}." in text
        )


@pytest.mark.libreoffice
def test_the_estimated_value_is_printed_against_the_debt(client: TestClient, auth: Headers) -> None:
    datos = with_(CLAVE, {"bienes/0/valor_estimado": "5000000.00"})
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        f"asciende a {moneda('5068500.00')} (CINCO MILLONES SESENTA Y OCHO MIL QUINIENTOS PESOS"
        f" 00/100 M.N.), frente a un adeudo requerido de {moneda('251894.35')}" in text
    )


@pytest.mark.libreoffice
def test_payment_in_the_act_needs_no_goods_nor_depositario(
    client: TestClient, auth: Headers
) -> None:
    text = flat(post(client, auth, CLAVE, with_(CLAVE, PAGO)))
    assert "ACTA DE REQUERIMIENTO DE PAGO Mandamiento de ejecución" in text
    assert "EMBARGO" not in text
    assert "acreditó en ese acto el pago de los créditos fiscales requeridos" in text
    assert "depositaria" not in text
    assert "no se practicó embargo de bienes" in text


@pytest.mark.libreoffice
def test_money_cells_do_not_wrap_at_999_999_999_99(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    for credito in datos["creditos"]:
        for name in ("importe", "actualizacion", "recargos"):
            credito[name] = "999999999.99"
    datos["bienes"][0]["valor_estimado"] = "999999999.99"
    layout = pdf_text(post(client, auth, CLAVE, datos).content)
    assert len(re.findall(r"\$999,999,999\.99", layout)) == 3 * 3 + 1
    assert len(re.findall(r"\$2,999,999,999\.97", layout)) == 3 + 3  # row and column totals
    assert "$8,999,999,999.91" in layout


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (
            at("2027-01-01T10:00:00-06:00", "2027-01-01T12:00:00-06:00"),
            {
                "/diligencia/fecha_hora_inicio": "la diligencia debe ser en día hábil: el 1 de"
                " enero de 2027 es inhábil (CFF art. 12)"
            },
        ),
        (
            at("2026-11-29T10:00:00-06:00", "2026-11-29T12:00:00-06:00"),
            {
                "/diligencia/fecha_hora_inicio": "la diligencia debe ser en día hábil: el 29 de"
                " noviembre de 2026 es inhábil (domingo; CFF art. 12)"
            },
        ),
        (
            at("2026-11-26T21:30:00-06:00", "2026-11-26T23:00:00-06:00"),
            {
                "/diligencia/fecha_hora_inicio": "la diligencia debe ser en hora hábil: las 21:30"
                " horas del 26 de noviembre de 2026 están fuera de las 07:30 a las 18:00 horas"
                " (CFF art. 13)"
            },
        ),
        (
            at("2026-11-26T10:00:00-06:00", "2026-11-26T09:59:00-06:00"),
            {
                "/diligencia/fecha_hora_cierre": "el cierre de la diligencia debe ser posterior a"
                " su inicio"
            },
        ),
        (
            {"citatorio": None},
            {
                "/citatorio": "cuando atiende un tercero, la diligencia debe ir precedida de"
                " citatorio (CFF art. 137)"
            },
        ),
        (
            {"citatorio/fecha": "2026-11-26"},
            {
                "/diligencia/fecha_hora_inicio": "la diligencia debe practicarse un día hábil"
                " posterior al del citatorio (CFF art. 137)"
            },
        ),
        (
            {"diligencia/persona_atiende/relacion": None},
            {
                "/diligencia/persona_atiende/relacion": "cuando atiende un tercero, el acta"
                " asienta la relación que manifestó tener con la persona deudora"
            },
        ),
        (
            {"diligencia/persona_atiende": REPRESENTANTE | {"caracter": "deudor"}},
            {
                "/diligencia/persona_atiende/caracter": "una persona moral no atiende por sí"
                " misma: la diligencia se entiende con su representante legal o con un tercero"
            },
        ),
        (
            {"diligencia/persona_atiende": REPRESENTANTE | {"relacion": "apoderada"}},
            {
                "/diligencia/persona_atiende/relacion": "la relación con la persona deudora solo"
                " se asienta cuando atiende un tercero"
            },
        ),
        (
            {"ejecutor/constancia/vigencia": "2026-11-25"},
            {
                "/ejecutor/constancia/vigencia": "la constancia de identificación de la persona"
                " ejecutora debe estar vigente el día de la diligencia (RCFF art. 97)"
            },
        ),
        (
            {"ejecutor/constancia/fecha": "2026-11-27"},
            {
                "/diligencia/fecha_hora_inicio": "la constancia de identificación de la persona"
                " ejecutora debe haberse expedido antes de la diligencia (RCFF art. 97)"
            },
        ),
        (
            {"ejecutor/constancia/expedida_por": None},
            {"/ejecutor/constancia/expedida_por": "campo obligatorio ausente"},
        ),
        (
            {"mandamiento/fecha": "2026-11-27"},
            {
                "/diligencia/fecha_hora_inicio": "la diligencia cumplimenta el mandamiento de"
                " ejecución: no puede iniciarse antes de la fecha del mandamiento"
            },
        ),
        (
            {"mandamiento": None},
            {"/mandamiento": "campo obligatorio ausente"},
        ),
        (
            {"depositario": None},
            {
                "/depositario": "sin pago en el acto, los bienes embargados quedan bajo la guarda"
                " de una persona depositaria (CFF art. 153)"
            },
        ),
        (
            {"senalamiento_bienes": "tercero"},
            {"/senalamiento_bienes": "valor no permitido; opciones: deudor, ejecutor"},
        ),
        (
            {"diligencia/pago_en_el_acto": True},
            {
                "/bienes": "con pago en el acto no hay embargo: la lista de bienes va vacía",
                "/depositario": "con pago en el acto no hay embargo: no se designa persona"
                " depositaria",
                "/senalamiento_bienes": "con pago en el acto no hay embargo: no se señalan bienes",
            },
        ),
        (
            {"bienes": []},
            {
                "/bienes": "sin pago en el acto se embargan bienes suficientes para cubrir el"
                " adeudo: al menos uno (CFF art. 151)"
            },
        ),
        (
            {"habilitacion": HABILITACION | {"fecha": "2026-11-27"}},
            {
                "/diligencia/fecha_hora_inicio": "la habilitación de días y horas inhábiles debe"
                " otorgarse antes de la diligencia o el mismo día (CFF arts. 12 y 13)"
            },
        ),
        (
            {"creditos/0/documento_determinante": None},
            {"/creditos/0/documento_determinante": "campo obligatorio ausente"},
        ),
        (
            {"creditos/1/documento_determinante/fecha_notificacion": "2026-06-08"},
            {
                "/creditos/1/documento_determinante/fecha_notificacion": "el documento"
                " determinante no puede notificarse antes de la fecha en que se emitió"
            },
        ),
        (
            {"creditos/2/documento_determinante/fecha_notificacion": "2026-11-24"},
            {
                "/mandamiento/fecha": "el mandamiento de ejecución solo procede sobre créditos"
                " exigibles: su fecha debe ser posterior a la notificación de cada documento"
                " determinante"
            },
        ),
        (
            {"creditos/1/numero_credito": "261402318"},
            {
                "/creditos/1/numero_credito": "un crédito no puede figurar dos veces en la misma"
                " acta: el número de crédito se repite (ya está en /creditos/0/numero_credito)"
            },
        ),
        (
            {"creditos/0/periodo": "2026-12"},
            {
                "/creditos/0/periodo": "el periodo 2026-12 es posterior al mes del acto"
                " (noviembre de 2026)"
            },
        ),
        (
            {"deudor/rfc": "IUAX850412K78"},
            {"/deudor/rfc": "el RFC de una persona moral tiene 12 caracteres; este tiene 13"},
        ),
    ],
)
def test_each_rule_refuses_with_its_pointer_and_the_law(
    client: TestClient, auth: Headers, edits: dict[str, Any], expected: dict[str, str]
) -> None:
    assert errores(post(client, auth, CLAVE, with_(CLAVE, edits))) == expected


@pytest.mark.libreoffice
def test_a_diligencia_may_close_after_18_00(client: TestClient, auth: Headers) -> None:
    datos = with_(CLAVE, at("2026-11-26T17:30:00-06:00", "2026-11-26T19:10:00-06:00"))
    text = flat(post(client, auth, CLAVE, datos))
    assert "el 26 de noviembre de 2026 a las 17:30 horas," in text
    assert "se dio por concluida la diligencia el 26 de noviembre de 2026 a las 19:10 horas" in text


@pytest.mark.libreoffice
def test_a_habilitacion_allows_an_inhabil_opening_and_is_printed(
    client: TestClient, auth: Headers
) -> None:
    datos = with_(CLAVE, at("2026-11-28T20:00:00-06:00", "2026-11-28T22:15:00-06:00"))
    datos["citatorio"]["fecha"] = "2026-11-27"
    assert list(errores(post(client, auth, CLAVE, datos))) == ["/diligencia/fecha_hora_inicio"]
    text = flat(post(client, auth, CLAVE, datos | {"habilitacion": HABILITACION}))
    assert "el 28 de noviembre de 2026 a las 20:00 horas," in text
    assert (
        "La diligencia se inicia en día u hora inhábil, habilitados por la oficina ejecutora"
        f" mediante el oficio número {HABILITACION['oficio']}, de 27 de noviembre de 2026, en"
        f" atención a que {HABILITACION['motivo']}." in text
    )
    assert "habilitados" not in flat(post(client, auth, CLAVE, ejemplo(CLAVE)))


@pytest.mark.libreoffice
def test_the_ejemplo_signs_with_the_profile_of_the_official_it_names(
    client: TestClient, auth: Headers
) -> None:
    body = {"plantilla": CLAVE, "datos": ejemplo(CLAVE), "firma": {"perfil": "desarrollo"}}
    response = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
    text = flat(response)
    assert "Firmado electrónicamente por: MARIANA TÉLLEZ QUIROGA" in text
    assert f"{AUTORIDAD['titular']} {AUTORIDAD['cargo']}" in text


@pytest.mark.libreoffice
def test_one_witness_or_none_is_recorded_and_signs(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    testigo = datos["diligencia"]["testigos"][0]
    datos["diligencia"]["testigos"] = [testigo]
    text = flat(post(client, auth, CLAVE, datos))
    assert f"designó únicamente a {testigo['nombre']}, con domicilio en" in text
    assert f"Testigo ______________________________ {testigo['nombre']}" in text
    datos["diligencia"]["testigos"] = []
    text = flat(post(client, auth, CLAVE, datos))
    assert "su derecho a designar dos testigos, sin que designara a persona alguna" in text
    assert "Testigo" not in text
