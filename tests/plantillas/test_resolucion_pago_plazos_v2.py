"""resolucion_pago_plazos v2 (contract v2): guarantee or dispensation, instalments, financing rate.

Each defect the legal review found in v1 is shown in v1 (rendered with ``"version": 1``) and
fixed in v2; each new rule is refused with its pointer and a Spanish message.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.formato import importe_con_letra, moneda
from tests.conftest import PLANTILLAS, ejemplo, pdf_text
from tests.plantillas.comun import Headers, adeudo, errores, flat, post, v1_ejemplo

pytestmark = pytest.mark.libreoffice
CLAVE = "resolucion_pago_plazos"
DISPENSA = {
    "fundamento": "el Acuerdo ACDO.AS2.HCT.300419/150.P.DIR del H. Consejo Técnico del Instituto",
    "motivo": "el adeudo deriva de cuotas determinadas por el propio Instituto y la persona"
    " solicitante no ha incumplido autorizaciones anteriores",
}
GUARANTEE_WORDING = (
    "se garantiza mediante",
    "constituida la garantía",
    "hará efectiva la garantía",
    "la garantía desaparezca",
    "la garantía deberá",
)


def datos() -> dict[str, Any]:
    return copy.deepcopy(ejemplo(CLAVE))


# --- the schema -------------------------------------------------------------------------------


CONSTRAINTS = {"allOf", "if", "then", "else", "not", "x-reglas"}
"""Keywords holding constraints on fields declared elsewhere, not fields."""


def _walk(node: Any, path: str = "") -> list[str]:
    """Pointers of the schema nodes that break the house rules (no extras, Spanish docs)."""
    problems = []
    if isinstance(node, dict):
        if node.get("type") == "object" and node.get("additionalProperties") is not False:
            problems.append(f"{path}: additionalProperties")
        for name, sub in node.get("properties", {}).items():
            if not sub.get("title") or not sub.get("description"):
                problems.append(f"{path}/{name}: title/description")
        for key, sub in node.items():
            if key not in CONSTRAINTS:
                problems += _walk(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            problems += _walk(sub, f"{path}/{index}")
    return problems


def test_the_schema_has_the_fields_of_contract_v2() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    assert set(schema["properties"]) == {
        "autoridad", "fecha", "numero_oficio", "deudor", "creditos", "solicitud", "modalidad",
        "garantia", "dispensa_garantia", "pago_inicial", "recargos_financiamiento",
        "tasa_recargos_mensual", "parcialidades",
    }  # fmt: skip
    assert "garantia" not in schema["required"]
    assert "tasa_recargos_mensual" in schema["required"]
    dispensa = schema["properties"]["dispensa_garantia"]
    assert set(dispensa["required"]) == set(dispensa["properties"]) == {"fundamento", "motivo"}
    documento = schema["$defs"]["documento_determinante"]
    assert set(documento["required"]) == {"tipo", "numero", "fecha", "fecha_notificacion"}
    assert documento["properties"]["tipo"]["enum"] == ["cedula_liquidacion", "resolucion"]
    assert "documento_determinante" not in schema["$defs"]["credito"]["required"]  # optional here
    assert _walk(schema) == []


# --- the guarantee ----------------------------------------------------------------------------


def test_a_guarantee_below_the_adeudo_passed_in_v1_and_is_refused_in_v2(
    client: TestClient, auth: Headers
) -> None:
    old = v1_ejemplo(CLAVE)  # its guarantee covers the balance after the initial payment only
    owed = adeudo(old) + Decimal(old["recargos_financiamiento"])
    assert Decimal(old["garantia"]["monto"]) < owed
    assert moneda(Decimal(old["garantia"]["monto"])) in flat(
        post(client, auth, CLAVE, old, version=1)
    )

    low = datos()
    low["garantia"]["monto"] = "300000.00"
    found = errores(post(client, auth, CLAVE, low))
    total = adeudo(low) + Decimal(low["recargos_financiamiento"])
    assert found == {
        "/garantia/monto": "la garantía debe cubrir el adeudo total más los recargos por"
        " financiamiento (CFF art. 141; RACERF arts. 133 y 135): $300,000.00 frente a"
        f" {moneda(total)}"
    }
    exact = datos()
    exact["garantia"]["monto"] = str(total)  # the floor itself is enough
    assert post(client, auth, CLAVE, exact).status_code == 200


def test_the_guarantee_is_described_without_contradiction(
    client: TestClient, auth: Headers
) -> None:
    data = datos()
    text = flat(post(client, auth, CLAVE, data))
    monto = Decimal(data["garantia"]["monto"])
    total = adeudo(data) + Decimal(data["recargos_financiamiento"])
    assert (
        "El interés fiscal se garantiza mediante fianza: póliza de fianza número 2874-05513-6"
        in text
    )
    assert f"por un monto de {moneda(monto)} ({importe_con_letra(monto)})" in text
    assert f"suficiente para cubrir el total autorizado de {moneda(total)}" in text
    assert "Cubierto el pago inicial y constituida la garantía, se suspenderá" in text
    assert "dispensa" not in text


def test_a_dispensation_is_accepted_and_printed_with_no_guarantee_wording(
    client: TestClient, auth: Headers
) -> None:
    old = v1_ejemplo(CLAVE)
    old.pop("garantia")
    old["dispensa_garantia"] = DISPENSA
    assert errores(post(client, auth, CLAVE, old, version=1)) == {  # v1 had no way to say it
        "/dispensa_garantia": "campo no permitido por el esquema",
        "/garantia": "campo obligatorio ausente",
    }

    data = datos()
    data.pop("garantia")
    data["dispensa_garantia"] = DISPENSA
    text = flat(post(client, auth, CLAVE, data))
    assert (
        "Tercero. Con fundamento en el Acuerdo ACDO.AS2.HCT.300419/150.P.DIR del H. Consejo"
        " Técnico del Instituto, se dispensa a la persona deudora de garantizar el interés fiscal"
        " respecto del adeudo cuyo pago en parcialidades se autoriza, toda vez que el adeudo deriva"
        " de cuotas determinadas por el propio Instituto y la persona solicitante no ha incumplido"
        " autorizaciones anteriores. Cuarto." in text
    )
    assert "que se actualiza el supuesto para dispensar la garantía del interés fiscal" in text
    assert "Cubierto el pago inicial, se suspenderá el procedimiento" in text
    for wording in GUARANTEE_WORDING:
        assert wording not in text, wording
    assert "ofreci" not in text


def test_exactly_one_of_guarantee_and_dispensation(client: TestClient, auth: Headers) -> None:
    both = datos()
    both["dispensa_garantia"] = DISPENSA
    assert errores(post(client, auth, CLAVE, both)) == {
        "/garantia": "con dispensa de la garantía no se admite garantía: se envía una u otra,"
        " no ambas"
    }
    neither = datos()
    neither.pop("garantia")
    assert errores(post(client, auth, CLAVE, neither)) == {
        "/garantia": "sin dispensa, el pago a plazos exige garantizar el interés fiscal"
        " (CFF art. 66-A, fr. III; RACERF art. 133)"
    }


# --- the instalments ----------------------------------------------------------------------------


def test_instalments_out_of_order_misnumbered_or_unequal_passed_in_v1(
    client: TestClient, auth: Headers
) -> None:
    old = v1_ejemplo(CLAVE)
    cuotas = old["parcialidades"]
    cuotas[2]["numero"] = 7
    cuotas[4]["fecha_limite"], cuotas[5]["fecha_limite"] = (
        cuotas[5]["fecha_limite"],
        cuotas[4]["fecha_limite"],
    )
    cuotas[1]["importe"] = str(Decimal(cuotas[1]["importe"]) + 100)
    cuotas[3]["importe"] = str(Decimal(cuotas[3]["importe"]) - 100)  # the sum still holds
    assert post(client, auth, CLAVE, old, version=1).status_code == 200


def test_instalments_must_be_numbered_from_one(client: TestClient, auth: Headers) -> None:
    data = datos()
    data["parcialidades"][2]["numero"] = 7
    assert errores(post(client, auth, CLAVE, data)) == {
        "/parcialidades/2/numero": "las parcialidades se numeran en orden desde 1:"
        " esta debe ser la 3"
    }


def test_instalments_must_fall_due_one_after_the_other(client: TestClient, auth: Headers) -> None:
    data = datos()
    cuotas = data["parcialidades"]
    cuotas[4]["fecha_limite"], cuotas[5]["fecha_limite"] = (
        cuotas[5]["fecha_limite"],
        cuotas[4]["fecha_limite"],
    )
    assert errores(post(client, auth, CLAVE, data)) == {
        "/parcialidades/5/fecha_limite": "cada parcialidad debe vencer después de la anterior"
    }


def test_instalments_must_be_equal_but_the_last(client: TestClient, auth: Headers) -> None:
    data = datos()
    cuotas = data["parcialidades"]
    cuotas[1]["importe"] = str(Decimal(cuotas[1]["importe"]) + 100)
    cuotas[3]["importe"] = str(Decimal(cuotas[3]["importe"]) - 100)  # the sum still holds
    found = errores(post(client, auth, CLAVE, data))
    assert found == {
        "/parcialidades/1/importe": "las parcialidades deben ser iguales: esta es de $14,553.95"
        " y la primera de $14,453.95",
        "/parcialidades/3/importe": "las parcialidades deben ser iguales: esta es de $14,353.95"
        " y la primera de $14,453.95",
    }


def test_the_last_instalment_may_differ_only_by_the_rounding(
    client: TestClient, auth: Headers
) -> None:
    data = datos()
    cuotas = data["parcialidades"]
    cuotas[-1]["importe"] = str(Decimal(cuotas[-1]["importe"]) + Decimal("5.00"))
    data["pago_inicial"] = str(Decimal(data["pago_inicial"]) - Decimal("5.00"))
    assert errores(post(client, auth, CLAVE, data)) == {
        "/parcialidades/17/importe": "la última parcialidad solo puede diferir de las demás por"
        " el redondeo: es de $14,458.95 y las demás de $14,453.95"
    }
    data = datos()
    cuotas = data["parcialidades"]
    cuotas[-1]["importe"] = str(Decimal(cuotas[-1]["importe"]) + Decimal("0.17"))
    data["pago_inicial"] = str(Decimal(data["pago_inicial"]) - Decimal("0.17"))
    assert post(client, auth, CLAVE, data).status_code == 200  # 17 centavos over 18 instalments


def test_the_sum_rule_and_the_48_maximum_stay(client: TestClient, auth: Headers) -> None:
    data = datos()
    data["pago_inicial"] = str(Decimal(data["pago_inicial"]) + 1)
    assert (
        "suman $316,151.10 y el total es $316,150.10"
        in errores(post(client, auth, CLAVE, data))["/parcialidades"]
    )
    data = datos()
    data["parcialidades"] = [{**data["parcialidades"][0], "numero": n} for n in range(1, 50)]
    assert (
        "no debe tener más de 48 elementos"
        in errores(post(client, auth, CLAVE, data))["/parcialidades"]
    )


# --- the rate, the determining documents, the common rules -----------------------------------


def test_the_financing_rate_is_printed(client: TestClient, auth: Headers) -> None:
    assert "% mensual" not in flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    text = flat(post(client, auth, CLAVE, datos()))
    assert "recargos sobre el saldo insoluto a la tasa de 1.63 % mensual" in text
    assert "que incluye la actualización" in text
    primero = (
        "Documento determinante: cédula de liquidación número CL-1506-2026-000811, de 24 de"
        " febrero de 2026, notificada el 9 de marzo de 2026."
    )
    ultimo = (
        "Documento determinante: resolución número MUL-1506-2026-000357, de 4 de marzo de 2026,"
        " notificada el 11 de marzo de 2026."
    )
    assert text.index("254310021") < text.index(primero) < text.index("254310022")  # its row
    assert text.index("254401119") < text.index(ultimo) < text.index("$279,891.11")
    assert ".." not in text


@pytest.mark.parametrize("tasa", ["1.6", "163", "1,63", "-1.63"])
def test_the_rate_is_a_percentage_with_two_decimals(
    client: TestClient, auth: Headers, tasa: str
) -> None:
    data = datos()
    data["tasa_recargos_mensual"] = tasa
    assert list(errores(post(client, auth, CLAVE, data))) == ["/tasa_recargos_mensual"]


def _determinante(data: dict[str, Any], index: int, **fields: str) -> dict[str, Any]:
    data["creditos"][index]["documento_determinante"].update(fields)
    return data


@pytest.mark.parametrize(
    ("edit", "pointer", "mensaje"),
    [
        (
            lambda d: d["creditos"][1].update(numero_credito=d["creditos"][0]["numero_credito"]),
            "/creditos/1/numero_credito",
            "un crédito no puede figurar dos veces en la misma resolución"
            " (ya está en /creditos/0/numero_credito)",
        ),
        (
            lambda d: d["creditos"][0].update(periodo="2026-12"),
            "/creditos/0/periodo",
            "el periodo 2026-12 es posterior al mes del acto (noviembre de 2026)",
        ),
        (
            lambda d: d["deudor"].update(rfc="GODE561231GR8"),
            "/deudor/rfc",
            "el RFC de una persona moral tiene 12 caracteres; este tiene 13",
        ),
        (
            lambda d: _determinante(d, 0, fecha="2026-03-10", fecha_notificacion="2026-03-09"),
            "/creditos/0/documento_determinante/fecha_notificacion",
            "el documento determinante no puede notificarse antes de su fecha",
        ),
        (
            lambda d: _determinante(d, 4, fecha_notificacion="2026-11-25"),
            "/fecha",
            "la resolución debe ser posterior a la notificación del documento determinante de"
            " cada crédito",
        ),
        (
            lambda d: d["solicitud"].update(fecha="2026-11-26"),
            "/fecha",
            "la resolución no puede ser anterior a la solicitud que resuelve",
        ),
    ],
)
def test_the_common_rules_of_contract_v2(
    client: TestClient, auth: Headers, edit: Any, pointer: str, mensaje: str
) -> None:
    data = datos()
    edit(data)
    assert errores(post(client, auth, CLAVE, data)).get(pointer) == mensaje


def test_each_document_is_compared_with_its_own_notification(
    client: TestClient, auth: Headers
) -> None:
    data = _determinante(datos(), 0, fecha="2025-09-10", fecha_notificacion="2025-09-12")
    assert "notificada el 12 de septiembre de 2025" in flat(post(client, auth, CLAVE, data))


def test_a_credit_without_its_determining_document_is_accepted(
    client: TestClient, auth: Headers
) -> None:
    data = datos()
    for credito in data["creditos"]:
        credito.pop("documento_determinante")
    text = flat(post(client, auth, CLAVE, data))
    assert "documento determinante" not in text.lower()


def test_money_columns_hold_the_largest_amount_on_one_line(
    client: TestClient, auth: Headers
) -> None:
    big = "999999999.99"

    def enlarge(data: dict[str, Any]) -> dict[str, Any]:
        data["creditos"] = data["creditos"][:1]
        data["creditos"][0].update(importe=big, actualizacion="0", recargos="0")
        data["modalidad"] = "diferido"
        data["pago_inicial"] = "0"
        data["recargos_financiamiento"] = "0"
        data["parcialidades"] = [{**data["parcialidades"][0], "numero": 1, "importe": big}]
        data["garantia"]["monto"] = big
        return data

    def rows(pdf: bytes) -> tuple[str, str]:
        lines = pdf_text(pdf).splitlines()
        row = next(line for line in lines if line.lstrip().startswith("254310021"))
        total = next(line for line in lines if line.lstrip().startswith("Total"))
        return row, total

    old = rows(post(client, auth, CLAVE, enlarge(v1_ejemplo(CLAVE)), version=1).content)
    assert all("$999,999,999.99" not in line for line in old)  # v1 broke it in two lines
    row, total = rows(post(client, auth, CLAVE, enlarge(datos())).content)
    assert row.count("$999,999,999.99") == 2  # importe histórico and total, whole
    assert total.count("$999,999,999.99") == 2
