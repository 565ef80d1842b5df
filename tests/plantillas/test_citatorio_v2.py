"""citatorio v2 (contract v2): day and hour of the visit and of the cita, who leaves it, for what.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.calendario import cargar_calendario
from docservice.formato import fecha_hora_larga, fecha_larga
from docservice.model import Rol
from tests.conftest import PLANTILLAS, ejemplo
from tests.plantillas.comun import AUTORIDAD, Headers, errores, flat, post, v1_ejemplo, with_

CLAVE = "citatorio"
HABILITACION = {
    "oficio": "1590019200/OPC/2026/005190",
    "fecha": "2026-11-27",
    "motivo": "la persona buscada realiza sus actividades únicamente en días y horas inhábiles",
}
FUERA_DE_HORARIO = (
    "la diligencia debe ser en hora hábil: las 21:30 horas del 25 de noviembre de 2026 están"
    " fuera de las 07:30 a las 18:00 horas (CFF art. 13)"
)


def test_the_ejemplo_is_signed_by_the_dev_official_on_business_days_and_hours() -> None:
    datos = ejemplo(CLAVE)
    assert datos["autoridad"] == AUTORIDAD
    assert not datos["deudor"]["rfc"].startswith(("TEQM", "LORM"))
    calendario = cargar_calendario()
    for momento in (datos["diligencia_fecha_hora"], datos["cita"]["fecha_hora"]):
        moment = datetime.fromisoformat(momento)
        assert calendario.inhabil(moment.date()) is None
        assert time(7, 30) <= moment.time().replace(tzinfo=None) <= time(18, 0)
    assert calendario.inhabil(datetime.fromisoformat(datos["acto"]["fecha"]).date()) is None


def test_the_schema_takes_the_fields_of_contract_v2_and_derives_the_date() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    required = {"autoridad", "deudor", "diligencia_fecha_hora", "notificador", "acto"}
    required |= {"cita", "persona_recibe"}
    assert set(schema["required"]) == required
    assert set(schema["properties"]) == required | {"habilitacion"}
    defs = schema["$defs"]
    assert set(defs["notificador"]["properties"]) == {"nombre", "identificacion"}
    assert set(defs["acto"]["properties"]) == {"tipo", "numero_oficio", "fecha"}
    assert set(defs["habilitacion"]["required"]) == {"oficio", "fecha", "motivo"}
    kinds = [rule["regla"] for rule in schema["x-reglas"]]
    assert kinds.count("dia_habil") == 2
    assert "persona" in kinds


def test_fecha_is_gone_the_date_is_the_visits(client: TestClient, auth: Headers) -> None:
    datos = with_(CLAVE, {"fecha": "2026-11-25"})
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/fecha": "campo no permitido por el esquema"
    }


@pytest.mark.libreoffice
def test_v1_gave_no_hour_of_the_visit_and_v2_prints_it(client: TestClient, auth: Headers) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert re.findall(r"a las \d{2}:\d{2} horas", viejo) == ["a las 10:00 horas"]  # the cita's
    assert "el 25 de noviembre de 2026 la persona notificadora-ejecutora" in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    visita = fecha_hora_larga(datos["diligencia_fecha_hora"])
    assert visita == "25 de noviembre de 2026 a las 10:15 horas"
    assert f"hace constar que el {visita}, {datos['notificador']['nombre']}," in text
    cita = fecha_hora_larga(datos["cita"]["fecha_hora"])
    assert f"el {cita}, en {datos['cita']['lugar']}" in text
    assert f"{AUTORIDAD['lugar']}, a {fecha_larga(datos['diligencia_fecha_hora'])}" in text


@pytest.mark.libreoffice
def test_v1_named_no_notificador_and_v2_names_the_one_who_signs(
    client: TestClient, auth: Headers
) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "La persona notificadora" not in viejo
    assert "persona notificadora-ejecutora adscrita a esta autoridad se constituyó" in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    notificador = datos["notificador"]
    assert f"quien se identificó con {notificador['identificacion']}, se constituyó" in text
    firma = "La persona notificadora Recibió el citatorio ______________________________ "
    firma += f"______________________________ {notificador['nombre']} "
    assert firma + datos["persona_recibe"]["nombre"] in text
    assert text.count(notificador["nombre"]) == 2  # in the act and under the signature line


@pytest.mark.libreoffice
def test_v1_did_not_say_which_act_and_v2_identifies_it(client: TestClient, auth: Headers) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "una diligencia del procedimiento administrativo de ejecución" in viejo
    assert "oficio" not in viejo
    datos = ejemplo(CLAVE)
    text = flat(post(client, auth, CLAVE, datos))
    acto = datos["acto"]
    assert f"Oficio por notificar: {acto['numero_oficio']}" in text
    assert (
        f"el mandamiento de ejecución contenido en el oficio número {acto['numero_oficio']}, de"
        f" {fecha_larga(acto['fecha'])}, y de practicar con ella la diligencia de requerimiento"
        " de pago y, en su caso, de embargo de bienes que en él se ordena" in text
    )
    otro = with_(CLAVE, {"acto/tipo": "resolucion_pago_plazos"})
    text = flat(post(client, auth, CLAVE, otro))
    assert "la resolución sobre su solicitud de pago a plazos contenida en el oficio" in text
    assert "embargo" not in text


@pytest.mark.libreoffice
def test_the_warning_follows_the_current_cff_137(client: TestClient, auth: Headers) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "mediante documento que se fijará en un lugar visible del domicilio" in viejo
    text = flat(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert "se fijará" not in text
    assert (
        "si ni ella ni su representante legal esperan a la persona notificadora en el día y la"
        " hora señalados, la diligencia se practicará con quien se encuentre en el domicilio o,"
        " en su defecto, con un vecino, y de que, si se negaran a recibirla, la notificación se"
        " hará por cualquiera de los medios de notificación que prevé el Código Fiscal de la"
        " Federación." in text
    )


@pytest.mark.libreoffice
def test_the_wording_is_neutral(client: TestClient, auth: Headers) -> None:
    viejo = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), 1))
    assert "al no encontrarla en él" in viejo
    text = flat(post(client, auth, CLAVE, ejemplo(CLAVE)))
    assert "al no encontrar en él a la persona buscada" in text
    assert "Se apercibe a la persona buscada" in text
    assert "encontrarla" not in text


@pytest.mark.parametrize(
    ("edits", "pointer", "message"),
    [
        (
            {"diligencia_fecha_hora": "2027-01-01T10:00:00-06:00"},
            "/diligencia_fecha_hora",
            "la diligencia debe ser en día hábil: el 1 de enero de 2027 es inhábil (CFF art. 12)",
        ),
        (
            {"diligencia_fecha_hora": "2026-11-29T10:00:00-06:00"},
            "/diligencia_fecha_hora",
            "la diligencia debe ser en día hábil: el 29 de noviembre de 2026 es inhábil"
            " (domingo; CFF art. 12)",
        ),
        (
            {"diligencia_fecha_hora": "2026-11-25T21:30:00-06:00"},
            "/diligencia_fecha_hora",
            FUERA_DE_HORARIO,
        ),
        (
            {"cita/fecha_hora": "2026-11-28T10:00:00-06:00"},
            "/cita/fecha_hora",
            "la cita debe ser en día hábil: el 28 de noviembre de 2026 es inhábil"
            " (sábado; CFF art. 12)",
        ),
        (
            {"cita/fecha_hora": "2026-11-26T07:00:00-06:00"},
            "/cita/fecha_hora",
            "la cita debe ser en hora hábil: las 07:00 horas del 26 de noviembre de 2026 están"
            " fuera de las 07:30 a las 18:00 horas (CFF art. 13)",
        ),
        (
            {"cita/fecha_hora": "2026-11-24T10:00:00-06:00"},
            "/cita/fecha_hora",
            "la cita debe ser para una hora fija de un día hábil posterior al de la diligencia en"
            " que se deja el citatorio (CFF art. 137)",
        ),
        (
            {"acto/fecha": "2026-11-26"},
            "/diligencia_fecha_hora",
            "el acto por notificar debe estar emitido a la fecha de la diligencia: su fecha no"
            " puede ser posterior",
        ),
        (
            {"habilitacion": HABILITACION | {"fecha": "2026-11-26"}},
            "/diligencia_fecha_hora",
            "la habilitación de días y horas inhábiles debe otorgarse antes de la diligencia o el"
            " mismo día (CFF arts. 12 y 13)",
        ),
        (
            {"deudor/rfc": "TMN120315K78"},
            "/deudor/rfc",
            "el RFC de una persona física tiene 13 caracteres; este tiene 12",
        ),
        (
            {"notificador": None},
            "/notificador",
            "campo obligatorio ausente",
        ),
        (
            {"acto/tipo": "embargo"},
            "/acto/tipo",
            "valor no permitido; opciones: mandamiento_ejecucion, requerimiento_pago,"
            " resolucion_pago_plazos, resolucion_condonacion_multas",
        ),
    ],
)
def test_each_rule_refuses_with_its_pointer_and_the_law(
    client: TestClient, auth: Headers, edits: dict[str, Any], pointer: str, message: str
) -> None:
    if pointer == "/diligencia_fecha_hora" and "diligencia_fecha_hora" in edits:
        day = edits["diligencia_fecha_hora"][:10]
        if day > "2026-11-25":  # keep the cita after the visit so only the rule under test fails
            edits = edits | {"cita/fecha_hora": "2027-01-04T10:00:00-06:00"}
    assert errores(post(client, auth, CLAVE, with_(CLAVE, edits))) == {pointer: message}


def test_a_cita_later_the_same_day_is_refused(client: TestClient, auth: Headers) -> None:
    datos = with_(CLAVE, {"cita/fecha_hora": "2026-11-25T17:00:00-06:00"})
    assert errores(post(client, auth, CLAVE, datos)) == {
        "/cita/fecha_hora": "la cita debe ser para una hora fija de un día hábil posterior al de"
        " la diligencia en que se deja el citatorio (CFF art. 137)"
    }


@pytest.mark.libreoffice
def test_a_habilitacion_allows_an_inhabil_day_and_hour_and_is_printed(
    client: TestClient, auth: Headers
) -> None:
    visita, cita = "2026-11-28T20:00:00-06:00", "2026-11-30T19:30:00-06:00"
    sin = with_(
        CLAVE,
        {"diligencia_fecha_hora": visita, "cita/fecha_hora": cita, "acto/fecha": "2026-11-27"},
    )
    assert set(errores(post(client, auth, CLAVE, sin))) == {
        "/diligencia_fecha_hora",
        "/cita/fecha_hora",
    }
    text = flat(post(client, auth, CLAVE, sin | {"habilitacion": HABILITACION}))
    assert f"hace constar que el {fecha_hora_larga(visita)}," in text
    assert f"el {fecha_hora_larga(cita)}, en" in text
    assert (
        "Para esta diligencia y para la cita, esta autoridad habilitó los días y horas inhábiles"
        f" mediante el oficio número {HABILITACION['oficio']}, de 27 de noviembre de 2026, en"
        f" atención a que {HABILITACION['motivo']}." in text
    )
    assert "habilitó" not in flat(post(client, auth, CLAVE, ejemplo(CLAVE)))


@pytest.mark.libreoffice
def test_a_company_is_cited_through_its_representante_legal(
    client: TestClient, auth: Headers
) -> None:
    deudor = ejemplo("acta_requerimiento_embargo")["deudor"]
    text = flat(post(client, auth, CLAVE, with_(CLAVE, {"deudor": deudor})))
    representante = deudor["representante_legal"]
    assert f"notificar personalmente a {deudor['nombre']} el mandamiento" in text
    assert "al no encontrar en él a su representante legal" in text
    assert f"por conducto de su representante legal, {representante}, para que espere" in text
    assert "CURP" not in text


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
@pytest.mark.parametrize(
    ("tipo", "texto"),
    [
        ("requerimiento_pago", "el requerimiento de pago contenido en el oficio número"),
        (
            "resolucion_condonacion_multas",
            "la resolución sobre su solicitud de condonación de multas contenida en el oficio",
        ),
    ],
)
def test_every_kind_of_act_is_named(
    client: TestClient, auth: Headers, tipo: str, texto: str
) -> None:
    text = flat(post(client, auth, CLAVE, with_(CLAVE, {"acto/tipo": tipo})))
    assert f"notificar personalmente a {ejemplo(CLAVE)['deudor']['nombre']} {texto}" in text
    assert "a fin de notificarle el acto mencionado." in text
