"""The x-reglas kinds of contract v2: calendar, unique créditos, periods, bounds, personas,
instalments — each refusal names the concrete field and says what the law requires."""

from __future__ import annotations

from typing import Any

import pytest

from docservice.calendario import cargar_calendario
from docservice.render.reglas import rule_errors, rule_problems

CALENDARIO = cargar_calendario()


def errors(rules: list[dict[str, Any]], data: dict[str, Any]) -> dict[str, str]:
    schema = {"x-reglas": rules}
    assert rule_problems(schema) == []
    return {e.pointer: e.mensaje for e in rule_errors(schema, data, CALENDARIO)}


CITA = {"regla": "dia_habil", "campo": "/cita", "sujeto": "la cita", "horas": True,
        "habilitacion": "/habilitacion"}  # fmt: skip


@pytest.mark.parametrize(
    ("cita", "mensaje"),
    [
        ("2027-01-01T10:00", "la cita debe ser en día hábil: el 1 de enero de 2027 es inhábil"
         " (CFF art. 12)"),
        ("2026-12-06T10:00", "la cita debe ser en día hábil: el 6 de diciembre de 2026 es inhábil"
         " (domingo; CFF art. 12)"),
        ("2026-11-27T21:30:00-06:00", "la cita debe ser en hora hábil: las 21:30 horas del 27 de"
         " noviembre de 2026 están fuera de las 07:30 a las 18:00 horas (CFF art. 13)"),
        ("2026-11-27T07:29", "la cita debe ser en hora hábil: las 07:29 horas del 27 de noviembre"
         " de 2026 están fuera de las 07:30 a las 18:00 horas (CFF art. 13)"),
        ("2026-12-24T10:00", "la cita debe ser en día hábil: el 24 de diciembre de 2026 es"
         " inhábil (segundo periodo vacacional del Instituto; días inhábiles del Instituto)"),
    ],
)  # fmt: skip
def test_dia_habil_refuses_with_the_day_and_the_article(cita: str, mensaje: str) -> None:
    assert errors([CITA], {"cita": cita}) == {"/cita": mensaje}


def test_dia_habil_accepts_business_hours_and_a_habilitacion() -> None:
    assert errors([CITA], {"cita": "2026-11-27T07:30"}) == {}
    assert errors([CITA], {"cita": "2026-11-27T18:00:00-06:00"}) == {}
    habilitada = {"cita": "2027-01-01T21:30", "habilitacion": {"oficio": "1", "motivo": "x"}}
    assert errors([CITA], habilitada) == {}


def test_dia_habil_without_hours_checks_only_the_day() -> None:
    rule = {"regla": "dia_habil", "campo": "/fecha", "sujeto": "el acto"}
    assert errors([rule], {"fecha": "2026-11-27"}) == {}
    assert "/fecha" in errors([rule], {"fecha": "2026-11-28"})


def test_unico_names_the_second_occurrence() -> None:
    rule = {"regla": "unico", "campo": "/creditos/*/numero_credito"}
    data = {"creditos": [{"numero_credito": "253145871"}, {"numero_credito": "253145872"},
                         {"numero_credito": "253145871"}]}  # fmt: skip
    assert errors([rule], data) == {
        "/creditos/2/numero_credito": "«253145871» se repite en el documento"
        " (ya está en /creditos/0/numero_credito)"
    }


def test_periodo_hasta_the_month_of_the_act() -> None:
    rule = {"regla": "periodo_hasta", "campo": "/creditos/*/periodo", "referencia": "/fecha"}
    data = {"fecha": "2026-11-25", "creditos": [{"periodo": "2026-11"}, {"periodo": "2026-12"}]}
    assert errors([rule], data) == {
        "/creditos/1/periodo": "el periodo 2026-12 es posterior al mes del acto (noviembre de 2026)"
    }


def test_posterior_fans_out_over_every_credit() -> None:
    rule = {"regla": "posterior", "campo": "/fecha",
            "referencia": "/creditos/*/documento_determinante/fecha_notificacion",
            "mensaje": "el acto debe ser posterior a la notificación de cada crédito"}  # fmt: skip
    data = {"fecha": "2026-11-25", "creditos": [
        {"documento_determinante": {"fecha_notificacion": "2026-03-10"}},
        {"documento_determinante": {"fecha_notificacion": "2026-11-25"}}]}  # fmt: skip
    assert errors([rule], data) == {
        "/fecha": "el acto debe ser posterior a la notificación de cada crédito"
    }
    rule_b = {"regla": "no_anterior", "campo": "/b", "referencia": "/a"}
    assert errors([rule_b], {"a": "2026-01-01", "b": "2026-01-01"}) == {}
    assert "/b" in errors([rule_b], {"a": "2026-01-02", "b": "2026-01-01"})


def test_no_mayor_and_no_menor_with_salvo() -> None:
    total = ["/creditos/*/importe", "/creditos/*/recargos"]
    techo = {"regla": "no_mayor", "campo": "/monto", "total": total,
             "mensaje": "no se puede inmovilizar más que el adeudo (CFF art. 156-Bis)"}  # fmt: skip
    data = {"monto": "5000000.00", "creditos": [{"importe": "199000.00", "recargos": "613.50"}]}
    assert errors([techo], data) == {
        "/monto": "no se puede inmovilizar más que el adeudo (CFF art. 156-Bis):"
        " $5,000,000.00 frente a $199,613.50"
    }
    assert errors([techo], data | {"monto": "199613.50"}) == {}
    piso = {"regla": "no_menor", "campo": "/garantia/monto", "total": total,
            "salvo": "/dispensa_garantia"}  # fmt: skip
    poca = {"garantia": {"monto": 100}} | {"creditos": data["creditos"]}
    assert "/garantia/monto" in errors([piso], poca)
    assert errors([piso], poca | {"dispensa_garantia": {"motivo": "x"}}) == {}


def test_persona_rfc_length_and_curp_date() -> None:
    rule = {"regla": "persona", "campo": "/deudor"}
    moral = {"deudor": {"tipo_persona": "moral", "rfc": "GODE561231GR8"}}
    assert errors([rule], moral) == {
        "/deudor/rfc": "el RFC de una persona moral tiene 12 caracteres; este tiene 13"
    }
    fisica = {"deudor": {"tipo_persona": "fisica", "rfc": "EKU9003173C9"}}
    assert errors([rule], fisica) == {
        "/deudor/rfc": "el RFC de una persona física tiene 13 caracteres; este tiene 12"
    }
    curp = {"deudor": {"tipo_persona": "fisica", "rfc": "GODE561231GR8",
                       "curp": "GODE561230HDFNZM06"}}  # fmt: skip
    assert errors([rule], curp) == {
        "/deudor/curp": "la fecha de nacimiento de la CURP (561230) no coincide con la del RFC"
        " (561231)"
    }
    curp["deudor"]["curp"] = "GODE561231HDFNZM06"
    assert errors([rule], curp) == {}


PARC = {"regla": "parcialidades", "campo": "/parcialidades", "numero": "numero",
        "fecha": "fecha_limite", "importe": "importe"}  # fmt: skip


def plan(*rows: tuple[int, str, str]) -> dict[str, Any]:
    return {"parcialidades": [{"numero": n, "fecha_limite": f, "importe": i} for n, f, i in rows]}


def test_parcialidades_numbered_ordered_and_equal() -> None:
    good = plan(
        (1, "2027-01-15", "100.00"), (2, "2027-02-15", "100.00"), (3, "2027-03-15", "100.02")
    )
    assert errors([PARC], good) == {}
    assert errors([PARC], plan((1, "2027-01-15", "100.00"), (3, "2027-02-15", "100.00"))) == {
        "/parcialidades/1/numero": "las parcialidades se numeran en orden desde 1: esta debe ser"
        " la 2"
    }
    assert errors([PARC], plan((1, "2027-02-15", "100.00"), (2, "2027-02-15", "100.00"))) == {
        "/parcialidades/1/fecha_limite": "cada parcialidad debe vencer después de la anterior"
    }
    unequal = plan(
        (1, "2027-01-15", "100.00"), (2, "2027-02-15", "90.00"), (3, "2027-03-15", "110")
    )
    found = errors([PARC], unequal)
    assert found["/parcialidades/1/importe"].startswith("las parcialidades deben ser iguales")
    assert found["/parcialidades/2/importe"].startswith("la última parcialidad solo puede diferir")


def test_unknown_kind_and_missing_keys_are_lint_findings() -> None:
    problems = rule_problems({"x-reglas": [{"regla": "dia_habil"}, {"regla": 3}]})
    assert "faltan campo" in problems[0]
    assert "regla desconocida 3" in problems[1]


def test_pointers_over_the_same_list_pair_item_by_item() -> None:
    rule = {"regla": "no_anterior",
            "campo": "/creditos/*/documento_determinante/fecha_notificacion",
            "referencia": "/creditos/*/documento_determinante/fecha",
            "mensaje": "no puede notificarse antes de emitirse"}  # fmt: skip
    data = {"creditos": [
        {"documento_determinante": {"fecha": "2026-03-03", "fecha_notificacion": "2026-03-10"}},
        {"documento_determinante": {"fecha": "2026-06-01", "fecha_notificacion": "2026-05-30"}},
        {"documento_determinante": {"fecha": "2026-01-05", "fecha_notificacion": "2026-01-05"}},
    ]}  # fmt: skip
    assert errors([rule], data) == {
        "/creditos/1/documento_determinante/fecha_notificacion": "no puede notificarse antes de"
        " emitirse"
    }


def test_posterior_por_dia_wants_a_later_day() -> None:
    rule = {"regla": "posterior", "campo": "/cita", "referencia": "/visita", "por_dia": True}
    same_day = {"visita": "2026-11-26T09:00", "cita": "2026-11-26T13:00"}
    assert "/cita" in errors([rule], same_day)
    assert errors([rule], same_day | {"cita": "2026-11-27T09:00"}) == {}
