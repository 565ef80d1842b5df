"""requerimiento_afianzadora v2 (contract v2): the plazo of CFF 143, apoderado, anexos, layout.

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
from tests.plantillas.comun import (
    AUTORIDAD,
    Headers,
    errores,
    fila_y_total_en_una_linea,
    flat,
    layout,
    post,
    v1_ejemplo,
)

CLAVE = "requerimiento_afianzadora"
PLAZO = (
    "dentro de los quince días siguientes a la fecha en que surta efectos la notificación de este"
    " oficio, pague al Instituto Mexicano del Seguro Social"
)


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    fechas = [datos["fecha"], datos["poliza"]["fecha_expedicion"]] + [
        c["documento_determinante"][k]
        for c in datos["creditos"]
        for k in ("fecha", "fecha_notificacion")
    ]
    assert [f for f in fechas if calendario.inhabil(date.fromisoformat(f))] == []


def test_the_schema_drops_plazo_dias_and_takes_anexos_and_the_apoderado() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    campos = {
        "autoridad",
        "fecha",
        "numero_oficio",
        "afianzadora",
        "poliza",
        "deudor",
        "creditos",
        "anexos",
    }
    assert set(schema["properties"]) == campos
    assert set(schema["required"]) == campos
    assert schema["properties"]["anexos"]["minItems"] == 1
    afianzadora = schema["$defs"]["afianzadora"]
    assert "apoderado" in afianzadora["properties"]
    assert "apoderado" not in afianzadora["required"]
    assert set(schema["$defs"]["poliza"]["properties"]) == {"numero", "fecha_expedicion", "monto"}
    assert "documento_determinante" in schema["$defs"]["credito"]["required"]
    assert schema["$defs"]["documento_determinante"]["additionalProperties"] is False


@pytest.mark.libreoffice
def test_v1_printed_the_callers_plazo_and_v2_prints_the_fifteen_days_of_cff_143(
    client: TestClient, auth: Headers
) -> None:
    viejo = v1_ejemplo(CLAVE) | {"plazo_dias": 20}
    assert "dentro del plazo de veinte (20) días hábiles siguientes" in flat(
        post(client, auth, CLAVE, viejo, 1)
    )
    text = flat(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert PLAZO in text
    assert (
        "Es el plazo que fija el artículo 143, inciso b), del Código Fiscal de la Federación; en su"
        " cómputo solo se cuentan los días hábiles, conforme al artículo 12 del mismo Código."
        in text
    )
    assert "si no efectúa el pago dentro de los quince días señalados" in text
    assert "(15)" not in text


def test_a_plazo_sent_by_the_caller_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["plazo_dias"] = 15
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/plazo_dias": "campo no permitido por el esquema"
    }


@pytest.mark.libreoffice
def test_the_annexed_documents_are_listed(client: TestClient, auth: Headers) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "Se acompaña al presente oficio copia de los documentos" in viejo  # said, not listed
    assert "DOCUMENTOS QUE SE ACOMPAÑAN" not in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        "DOCUMENTOS QUE SE ACOMPAÑAN Conforme al artículo 143, inciso a), del Código Fiscal de la"
        " Federación, se acompaña al presente oficio copia de los documentos que justifican los"
        " créditos garantizados y su exigibilidad: 1. Copia certificada de la cédula de"
        " liquidación número COP-2025-03/B45-208131" in text
    )
    for numero, anexo in enumerate(datos["anexos"], start=1):
        assert f"{numero}. {anexo}." in text


@pytest.mark.parametrize(
    ("anexos", "message"),
    [([], "debe tener al menos 1 elementos"), (None, "campo obligatorio ausente")],
)
def test_a_requerimiento_without_anexos_is_refused(
    client: TestClient, auth: Headers, anexos: list[str] | None, message: str
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    if anexos is None:
        del datos["anexos"]
    else:
        datos["anexos"] = anexos
    assert errores(post(client, auth, CLAVE, datos)) == {"/anexos": message}


@pytest.mark.libreoffice
def test_an_anexo_ending_in_a_period_prints_one_period(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["anexos"] = ["Copia del poder notarial otorgado por Afianzadora Cumbre Mexicana, S.A."]
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        "1. Copia del poder notarial otorgado por Afianzadora Cumbre Mexicana, S.A. REQUERIMIENTO"
        in (text)
    )
    assert ".." not in text


def test_v1_could_not_name_the_apoderado(client: TestClient, auth: Headers) -> None:
    viejo = v1_ejemplo(CLAVE)
    viejo["afianzadora"]["apoderado"] = "Lic. Ramiro Castañeda Vélez"
    assert errores(post(client, auth, CLAVE, viejo, 1)) == {
        "/afianzadora/apoderado": "campo no permitido por el esquema"
    }


@pytest.mark.libreoffice
def test_the_apoderado_is_named_when_known_and_not_otherwise(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    nombre = datos["afianzadora"]["apoderado"]
    text = flat(post(client, auth, CLAVE, datos))
    assert (
        f"Por conducto de {nombre}, persona apoderada designada para recibir requerimientos de"
        " pago Domicilio para recibir requerimientos: Boulevard Atlixcáyotl" in text
    )
    del datos["afianzadora"]["apoderado"]
    text = flat(post(client, auth, CLAVE, datos))
    assert nombre not in text
    assert (
        "Por conducto de la persona apoderada designada en la póliza para recibir requerimientos"
        " de pago" in text
    )


@pytest.mark.libreoffice
def test_each_credito_shows_the_document_that_determined_it(
    client: TestClient, auth: Headers
) -> None:
    assert "Documento determinante" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    datos = ejemplo(CLAVE)
    response = post(client, auth, CLAVE, datos)
    text = flat(response)
    assert (
        "Los dos créditos fiscales garantizados, determinados en cantidad líquida, son los"
        " siguientes, cada uno con el documento que lo determinó y la fecha en que se notificó:"
        in text
    )
    for credito in datos["creditos"]:
        doc = credito["documento_determinante"]
        assert (
            f"Documento determinante: cédula de liquidación número {doc['numero']}, de"
            f" {fecha_larga(doc['fecha'])}, notificada a la persona fiada el"
            f" {fecha_larga(doc['fecha_notificacion'])}." in text
        )
    rows = layout(response).splitlines()
    first = next(i for i, line in enumerate(rows) if line.lstrip().startswith("251873004"))
    assert any("Documento determinante" in line for line in rows[first : first + 3])


def test_a_credito_without_its_documento_determinante_is_refused(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    del datos["creditos"][0]["documento_determinante"]
    datos["creditos"][1]["documento_determinante"]["numero"] = ""
    found = errores(post(client, auth, CLAVE, datos))
    assert found == {
        "/creditos/0/documento_determinante": "campo obligatorio ausente",
        "/creditos/1/documento_determinante/numero": "debe tener al menos 1 caracteres",
    }


def test_the_document_cannot_be_notified_before_it_was_issued(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["documento_determinante"]["fecha_notificacion"] = "2026-04-07"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/1/documento_determinante/fecha_notificacion": (
            "el documento determinante no puede notificarse antes de la fecha en que se emitió"
        )
    }


@pytest.mark.libreoffice
def test_each_notification_is_compared_with_its_own_document(
    client: TestClient, auth: Headers
) -> None:
    """The first crédito was notified before the second one's document was issued: valid."""
    datos = ejemplo(CLAVE)
    primero, segundo = (c["documento_determinante"] for c in datos["creditos"])
    assert primero["fecha_notificacion"] < segundo["fecha"]
    assert "notificada a la persona fiada el 12 de marzo de 2026." in flat(
        post(client, auth, CLAVE, datos)
    )


def test_the_requerimiento_comes_after_every_notification(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][0]["documento_determinante"]["fecha_notificacion"] = datos["fecha"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": (
            "la fecha del requerimiento debe ser posterior a la notificación de cada documento"
            " determinante: un crédito solo es exigible una vez notificado"
        )
    }


def test_the_requerimiento_comes_after_the_poliza(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["poliza"]["fecha_expedicion"] = datos["fecha"]
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": "la fecha del requerimiento debe ser posterior a la expedición de la póliza"
    }


def test_a_numero_de_credito_twice_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["numero_credito"] = datos["creditos"][0]["numero_credito"]
    found = errores(post(client, auth, CLAVE, datos))
    assert list(found) == ["/creditos/1/numero_credito"]
    assert found["/creditos/1/numero_credito"].endswith("(ya está en /creditos/0/numero_credito)")


def test_a_periodo_after_the_month_of_the_act_is_refused(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"][1]["periodo"] = "2026-12"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/creditos/1/periodo": "el periodo 2026-12 es posterior al mes del acto (noviembre de 2026)"
    }


def test_the_rfc_and_curp_must_fit_the_persona_fiada(client: TestClient, auth: Headers) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    assert datos["deudor"]["tipo_persona"] == "fisica"
    datos["deudor"]["curp"] = "GODE561231HDFNRN05"
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/deudor/curp": "la fecha de nacimiento de la CURP (561231) no coincide con la del RFC"
        " (850714)"
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
    datos["poliza"]["monto"] = "999999999.99"
    lines = layout(post(client, auth, CLAVE, datos)).splitlines()
    fila_y_total_en_una_linea(lines)


@pytest.mark.libreoffice
def test_the_registro_patronal_is_whole_on_its_line(client: TestClient, auth: Headers) -> None:
    text = layout(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert re.search("Registro patronal: B45[-\u2011]20813[-\u2011]10[-\u2011]6", text)


@pytest.mark.libreoffice
def test_one_credito_of_a_persona_moral_reads_in_the_singular(
    client: TestClient, auth: Headers
) -> None:
    datos = copy.deepcopy(ejemplo(CLAVE))
    datos["creditos"] = datos["creditos"][:1]
    datos["deudor"] = {
        "tipo_persona": "moral",
        "nombre": "Distribuidora Alimentaria del Bajío, S.A. de C.V.",
        "rfc": "DAB150312K71",
        "registro_patronal": "C0718452108",
        "domicilio": datos["deudor"]["domicilio"],
    }
    text = flat(post(client, auth, CLAVE, datos))
    assert "Razón social: Distribuidora Alimentaria del Bajío, S.A. de C.V. RFC" in text
    assert (
        "El crédito fiscal garantizado, determinado en cantidad líquida, es el siguiente, con el"
        " documento que lo determinó y la fecha en que se notificó:" in text
    )
    assert "copia de los documentos que justifican el crédito garantizado y su exigibilidad" in text
    assert "Dicho crédito se ha hecho exigible" in text
    for leftover in ("{{", "{%", "None", "CURP"):
        assert leftover not in text
