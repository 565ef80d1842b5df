"""x-mensaje in the v2 schemas: a broken condition says what the law or the form requires.

Each case starts from the form's ejemplo.json, breaks one condition and checks the exact
pointer and message. Only the schema is read: no LibreOffice, no HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from docservice.render.schema import CaseDataValidator
from tests.conftest import LEYENDAS, PLANTILLAS, ejemplo, leyenda_ejemplo

FECHA_HORA = "no es una fecha y hora válida (AAAA-MM-DDTHH:MM; segundos y zona opcionales)"


def validator(carpeta: Path) -> CaseDataValidator:
    return CaseDataValidator(json.loads((carpeta / "schema.json").read_text("utf-8")))


def errores(clave: str, datos: dict[str, Any]) -> dict[str, str]:
    return {e.pointer: e.mensaje for e in validator(PLANTILLAS / clave).errors(datos)}


CLAVES = [
    "acta_requerimiento_embargo",
    "citatorio",
    "constancia_adeudos",
    "mandamiento_ejecucion",
    "oficio_cuentas_bancarias",
    "requerimiento_afianzadora",
    "requerimiento_pago",
    "resolucion_condonacion_multas",
    "resolucion_pago_plazos",
]


@pytest.mark.parametrize("clave", CLAVES)
def test_every_ejemplo_is_valid(clave: str) -> None:
    assert errores(clave, ejemplo(clave)) == {}


# --- the deudor block, the same in every form ------------------------------------------------


@pytest.mark.parametrize("clave", CLAVES)
def test_a_persona_fisica_needs_her_curp(clave: str) -> None:
    datos = ejemplo(clave)
    datos["deudor"]["tipo_persona"] = "fisica"
    datos["deudor"].pop("curp", None)
    assert errores(clave, datos) == {"/deudor/curp": "la CURP es obligatoria para persona física"}


@pytest.mark.parametrize("clave", CLAVES)
def test_a_persona_moral_has_no_curp(clave: str) -> None:
    datos = ejemplo(clave)
    datos["deudor"]["tipo_persona"] = "moral"
    datos["deudor"].setdefault("curp", "BOXW310820HNERXN09")
    assert errores(clave, datos) == {"/deudor/curp": "una persona moral no tiene CURP"}


# --- acta_requerimiento_embargo ---------------------------------------------------------------

ACTA = "acta_requerimiento_embargo"


def test_acta_a_tercero_attends_only_after_a_citatorio() -> None:
    datos = ejemplo(ACTA)
    assert datos["diligencia"]["persona_atiende"]["caracter"] == "tercero"
    del datos["citatorio"]
    assert errores(ACTA, datos) == {
        "/citatorio": "cuando atiende un tercero, la diligencia debe ir precedida de citatorio"
        " (CFF art. 137)"
    }


def test_acta_a_tercero_states_the_relation_with_the_deudor() -> None:
    datos = ejemplo(ACTA)
    del datos["diligencia"]["persona_atiende"]["relacion"]
    assert errores(ACTA, datos) == {
        "/diligencia/persona_atiende/relacion": "cuando atiende un tercero, el acta asienta la"
        " relación que manifestó tener con la persona deudora"
    }


def test_acta_only_a_tercero_states_a_relation() -> None:
    datos = ejemplo(ACTA)
    datos["diligencia"]["persona_atiende"]["caracter"] = "representante_legal"
    assert errores(ACTA, datos) == {
        "/diligencia/persona_atiende/relacion": "la relación con la persona deudora solo se"
        " asienta cuando atiende un tercero"
    }


def test_acta_a_persona_moral_does_not_attend_by_itself() -> None:
    datos = ejemplo(ACTA)
    assert datos["deudor"]["tipo_persona"] == "moral"
    datos["diligencia"]["persona_atiende"]["caracter"] = "deudor"
    del datos["diligencia"]["persona_atiende"]["relacion"]
    assert errores(ACTA, datos) == {
        "/diligencia/persona_atiende/caracter": "una persona moral no atiende por sí misma: la"
        " diligencia se entiende con su representante legal o con un tercero"
    }


def test_acta_with_payment_in_the_act_there_is_no_seizure() -> None:
    datos = ejemplo(ACTA)
    datos["diligencia"]["pago_en_el_acto"] = True
    assert errores(ACTA, datos) == {
        "/bienes": "con pago en el acto no hay embargo: la lista de bienes va vacía",
        "/depositario": "con pago en el acto no hay embargo: no se designa persona depositaria",
        "/senalamiento_bienes": "con pago en el acto no hay embargo: no se señalan bienes",
    }


def test_acta_without_payment_goods_are_seized() -> None:
    datos = ejemplo(ACTA)
    datos["bienes"] = []
    assert errores(ACTA, datos) == {
        "/bienes": "sin pago en el acto se embargan bienes suficientes para cubrir el adeudo:"
        " al menos uno (CFF art. 151)"
    }


def test_acta_without_payment_who_pointed_the_goods_and_the_depositario() -> None:
    datos = ejemplo(ACTA)
    del datos["senalamiento_bienes"], datos["depositario"]
    assert errores(ACTA, datos) == {
        "/depositario": "sin pago en el acto, los bienes embargados quedan bajo la guarda de una"
        " persona depositaria (CFF art. 153)",
        "/senalamiento_bienes": "sin pago en el acto, el acta dice quién señaló los bienes"
        " embargados (CFF arts. 155 y 156)",
    }


@pytest.mark.parametrize("campo", ["fecha_hora_inicio", "fecha_hora_cierre"])
def test_acta_hours_without_time_get_one_message(campo: str) -> None:
    datos = ejemplo(ACTA)
    datos["diligencia"][campo] = "2026-11-26"
    assert errores(ACTA, datos) == {f"/diligencia/{campo}": FECHA_HORA}


# --- citatorio --------------------------------------------------------------------------------


@pytest.mark.parametrize("campo", ["/diligencia_fecha_hora", "/cita/fecha_hora"])
def test_citatorio_hours_without_time_get_one_message(campo: str) -> None:
    datos = ejemplo("citatorio")
    if campo == "/cita/fecha_hora":
        datos["cita"]["fecha_hora"] = "2026-11-26"
    else:
        datos["diligencia_fecha_hora"] = "2026-11-26"
    assert errores("citatorio", datos) == {campo: FECHA_HORA}


# --- requerimiento_pago -----------------------------------------------------------------------


def test_requerimiento_six_days_only_with_its_cause() -> None:
    datos = ejemplo("requerimiento_pago")
    datos["plazo"] = {"tipo": "seis_dias"}
    assert errores("requerimiento_pago", datos) == {
        "/plazo/causa": "el plazo de seis días solo procede con la causa que lo origina"
        " (CFF art. 151)"
    }


def test_requerimiento_payment_in_the_act_has_no_cause() -> None:
    datos = ejemplo("requerimiento_pago")
    datos["plazo"] = {"tipo": "en_el_acto", "causa": "error_aritmetico"}
    assert errores("requerimiento_pago", datos) == {
        "/plazo/causa": "con pago en el acto no hay causa de plazo"
    }


# --- resolucion_condonacion_multas ------------------------------------------------------------

POR_SENTIDO = {
    "procedente": "si la condonación es procedente el porcentaje es 100",
    "parcialmente_procedente": "si la condonación es parcialmente procedente el porcentaje va"
    " de 1 a 99",
    "improcedente": "si la condonación es improcedente el porcentaje es 0",
}
POR_PORCENTAJE = {
    100: "si se condona el 100 % la condonación es procedente",
    50: "si se condona de 1 a 99 % la condonación es parcialmente procedente",
    0: "si no se condona nada (0 %) la condonación es improcedente",
}


@pytest.mark.parametrize(
    ("sentido", "porcentaje"),
    [
        ("procedente", 50),
        ("procedente", 0),
        ("parcialmente_procedente", 100),
        ("parcialmente_procedente", 0),
        ("improcedente", 50),
        ("improcedente", 100),
    ],
)
def test_condonacion_sentido_follows_the_percentage(sentido: str, porcentaje: int) -> None:
    datos = ejemplo("resolucion_condonacion_multas")
    datos["sentido"], datos["porcentaje"] = sentido, porcentaje
    assert errores("resolucion_condonacion_multas", datos) == {
        "/porcentaje": POR_SENTIDO[sentido],
        "/sentido": POR_PORCENTAJE[porcentaje],
    }


# --- resolucion_pago_plazos -------------------------------------------------------------------

PLAZOS = "resolucion_pago_plazos"
DISPENSA = {"fundamento": "el Acuerdo ACDO.AS2.HCT.300419/150.P.DIR", "motivo": "así procede"}


def test_plazos_guarantee_and_dispensation_are_not_both_sent() -> None:
    datos = ejemplo(PLAZOS) | {"dispensa_garantia": DISPENSA}
    assert errores(PLAZOS, datos) == {
        "/garantia": "con dispensa de la garantía no se admite garantía: se envía una u otra,"
        " no ambas"
    }


def test_plazos_without_dispensation_a_guarantee_is_required() -> None:
    datos = ejemplo(PLAZOS)
    del datos["garantia"]
    assert errores(PLAZOS, datos) == {
        "/garantia": "sin dispensa, el pago a plazos exige garantizar el interés fiscal"
        " (CFF art. 66-A, fr. III; RACERF art. 133)"
    }


def test_plazos_deferred_payment_is_one_payment() -> None:
    datos = ejemplo(PLAZOS)
    datos["modalidad"] = "diferido"
    assert len(datos["parcialidades"]) > 1
    assert errores(PLAZOS, datos) == {
        "/parcialidades": "el pago diferido se cubre en un solo pago: lleva exactamente una"
        " parcialidad"
    }


def test_plazos_retirement_credits_are_not_paid_in_instalments() -> None:
    datos = ejemplo(PLAZOS)
    datos["creditos"][0]["concepto"] = "retiro_cesantia_vejez"
    assert errores(PLAZOS, datos) == {
        "/creditos/0/concepto": "los créditos de retiro, cesantía en edad avanzada y vejez solo"
        " admiten pago diferido, no en parcialidades (LSS art. 40 D)"
    }


@pytest.mark.parametrize("tasa", ["1.6", "1.63 %", 1.63])
def test_plazos_the_rate_has_two_decimals(tasa: object) -> None:
    datos = ejemplo(PLAZOS)
    datos["tasa_recargos_mensual"] = tasa
    assert errores(PLAZOS, datos) == {
        "/tasa_recargos_mensual": "la tasa mensual de recargos va en por ciento, como texto con"
        " dos decimales, p. ej. «1.63»"
    }


# --- oficio_cuentas_bancarias -----------------------------------------------------------------

CNBV = "oficio_cuentas_bancarias"
SUPUESTO = "el supuesto del artículo 156-Bis del CFF solo se declara en la solicitud de embargo"


def test_cnbv_information_request_has_no_amount() -> None:
    datos = ejemplo(CNBV) | {"tipo_solicitud": "informacion"}
    del datos["supuesto"]
    assert errores(CNBV, datos) == {
        "/monto": "la solicitud de información no lleva monto: no se inmovilizan ni transfieren"
        " fondos"
    }


@pytest.mark.parametrize("tipo", ["informacion", "puesta_a_disposicion"])
def test_cnbv_only_a_seizure_declares_its_case(tipo: str) -> None:
    datos = ejemplo(CNBV) | {"tipo_solicitud": tipo}
    if tipo == "informacion":
        del datos["monto"]
    assert errores(CNBV, datos) == {"/supuesto": SUPUESTO}


def test_cnbv_a_seizure_declares_its_case_and_amount() -> None:
    datos = ejemplo(CNBV)
    assert datos["tipo_solicitud"] == "embargo"
    del datos["supuesto"], datos["monto"]
    assert errores(CNBV, datos) == {
        "/monto": "el embargo de depósitos se ordena hasta por un monto, que no excede del adeudo"
        " (CFF art. 156-Bis)",
        "/supuesto": "el embargo de depósitos debe declarar el supuesto del artículo 156-Bis del"
        " CFF en que procede",
    }


def test_cnbv_funds_are_placed_at_disposal_up_to_an_amount() -> None:
    datos = ejemplo(CNBV) | {"tipo_solicitud": "puesta_a_disposicion"}
    del datos["supuesto"], datos["monto"]
    assert errores(CNBV, datos) == {
        "/monto": "la puesta a disposición de fondos se ordena hasta por un monto, que no excede"
        " del adeudo (CFF art. 156-Ter)"
    }


# --- cotejo_electronico (leyenda) -------------------------------------------------------------


@pytest.mark.parametrize("huella", ["XYZ", "9F2B5C1E" * 8, 12345])
def test_cotejo_the_hash_is_the_original_sha256(huella: object) -> None:
    check = validator(LEYENDAS / "cotejo_electronico")
    datos = leyenda_ejemplo("cotejo_electronico")
    assert check.errors(datos) == []
    datos["sha256_original"] = huella
    assert {e.pointer: e.mensaje for e in check.errors(datos)} == {
        "/sha256_original": "debe ser la huella SHA-256 del original electrónico: 64 caracteres"
        " hexadecimales en minúscula"
    }
