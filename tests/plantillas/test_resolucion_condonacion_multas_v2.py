"""resolucion_condonacion_multas v2 (contract v2): the sentido follows the porcentaje, and the
part not remitted is stated with what follows for it.

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
from tests.conftest import PLANTILLAS, ejemplo
from tests.plantillas.comun import Headers, errores, flat, post, v1_ejemplo

pytestmark = pytest.mark.libreoffice
CLAVE = "resolucion_condonacion_multas"
PLAZO = "dentro de los quince días hábiles siguientes a aquel en que surta efectos la notificación"
# what /porcentaje must be for the sentido sent, and what /sentido must be for the porcentaje sent
PORCENTAJE_SI = {
    "procedente": "si la condonación es procedente el porcentaje es 100",
    "parcialmente_procedente": "si la condonación es parcialmente procedente el porcentaje va"
    " de 1 a 99",
    "improcedente": "si la condonación es improcedente el porcentaje es 0",
}
SENTIDO_SI = {
    "100": "si se condona el 100 % la condonación es procedente",
    "1-99": "si se condona de 1 a 99 % la condonación es parcialmente procedente",
    "0": "si no se condona nada (0 %) la condonación es improcedente",
}


def datos(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(ejemplo(CLAVE))
    data.update(fields)
    return data


def total(data: dict[str, Any]) -> Decimal:
    return sum((Decimal(m["importe"]) for m in data["multas"]), Decimal("0"))


def test_the_schema_keeps_the_fields_of_domain_md() -> None:
    schema = json.loads((PLANTILLAS / CLAVE / "schema.json").read_text("utf-8"))
    fields = {"autoridad", "fecha", "numero_oficio", "deudor", "solicitud", "multas", "sentido",
              "porcentaje", "motivacion"}  # fmt: skip
    assert set(schema["properties"]) == set(schema["required"]) == fields
    assert set(schema["$defs"]["multa"]["properties"]) == {"numero_credito", "periodo", "importe"}
    assert schema["additionalProperties"] is False


# --- the sentido follows the porcentaje ------------------------------------------------------


def test_procedente_with_40_percent_passed_in_v1_and_is_refused_in_v2(
    client: TestClient, auth: Headers
) -> None:
    old = v1_ejemplo(CLAVE) | {"sentido": "procedente", "porcentaje": 40}
    text = flat(post(client, auth, CLAVE, old, version=1))
    assert "Es procedente la solicitud" in text and "40 % (cuarenta por ciento)" in text

    found = errores(post(client, auth, CLAVE, datos(sentido="procedente", porcentaje=40)))
    assert found == {
        "/porcentaje": "si la condonación es procedente el porcentaje es 100",
        "/sentido": "si se condona de 1 a 99 % la condonación es parcialmente procedente",
    }


@pytest.mark.parametrize(
    ("sentido", "porcentaje", "expected"),
    [
        ("procedente", 99, {"/porcentaje": PORCENTAJE_SI["procedente"],
                            "/sentido": SENTIDO_SI["1-99"]}),
        ("procedente", 0, {"/porcentaje": PORCENTAJE_SI["procedente"],
                           "/sentido": SENTIDO_SI["0"]}),
        ("parcialmente_procedente", 100, {"/porcentaje": PORCENTAJE_SI["parcialmente_procedente"],
                                          "/sentido": SENTIDO_SI["100"]}),
        ("parcialmente_procedente", 0, {"/porcentaje": PORCENTAJE_SI["parcialmente_procedente"],
                                        "/sentido": SENTIDO_SI["0"]}),
        ("improcedente", 40, {"/porcentaje": PORCENTAJE_SI["improcedente"],
                              "/sentido": SENTIDO_SI["1-99"]}),
        ("improcedente", 100, {"/porcentaje": PORCENTAJE_SI["improcedente"],
                               "/sentido": SENTIDO_SI["100"]}),
    ],
)  # fmt: skip
def test_sentido_and_porcentaje_must_agree_both_ways(
    client: TestClient, auth: Headers, sentido: str, porcentaje: int, expected: dict[str, str]
) -> None:
    found = errores(post(client, auth, CLAVE, datos(sentido=sentido, porcentaje=porcentaje)))
    assert found == expected


# --- what the text says about the part not remitted ------------------------------------------


def test_a_partial_remission_states_the_unremitted_amount_and_what_follows(
    client: TestClient, auth: Headers
) -> None:
    old = flat(post(client, auth, CLAVE, v1_ejemplo(CLAVE), version=1))
    assert "quince días" not in old  # v1 left the payment to «las disposiciones aplicables»
    assert "en los términos de las disposiciones aplicables" in old

    data = datos()
    assert (data["sentido"], data["porcentaje"]) == ("parcialmente_procedente", 50)
    text = flat(post(client, auth, CLAVE, data))
    condonado = Decimal("2263.68") + Decimal("2305.54") + Decimal("2566.95")
    restante = total(data) - condonado
    assert (
        f"se condona el 50 % (cincuenta por ciento) del importe de cada una de las multas"
        f" señaladas, lo que representa la cantidad de {moneda(condonado)}"
        f" ({importe_con_letra(condonado)}), y se niega la condonación del 50 % (cincuenta por"
        " ciento) restante" in text
    )
    assert "Importe no condonado" in text
    assert (
        "El importe no condonado, que subsiste a cargo de la persona deudora, asciende a"
        f" {moneda(restante)} ({importe_con_letra(restante)})." in text
    )
    assert (
        f"Segundo. La persona deudora deberá pagar el importe no condonado de {moneda(restante)}"
        f" ({importe_con_letra(restante)}), con la actualización que corresponda, {PLAZO}" in text
    )
    assert (
        "la condonación quedará sin efectos y esta autoridad continuará el procedimiento"
        " administrativo de ejecución para exigir el importe total de las multas señaladas, de"
        f" {moneda(total(data))}." in text
    )


def test_the_words_of_the_percentages_agree(client: TestClient, auth: Headers) -> None:
    data = datos(porcentaje=21)
    data["multas"] = data["multas"][:1]
    text = flat(post(client, auth, CLAVE, data))
    assert "el 21 % (veintiuno por ciento) del importe de la multa señalada" in text
    assert "del 79 % (setenta y nueve por ciento) restante" in text
    assert "de la multa señalada, de $4,527.35." in text


def test_an_improcedente_resolution_says_the_whole_fine_remains(
    client: TestClient, auth: Headers
) -> None:
    data = datos(sentido="improcedente", porcentaje=0)
    data["deudor"] = {
        "tipo_persona": "moral",
        "nombre": "Comercializadora Ñandú & Hijos, S.A. de C.V.",
        "rfc": "EKU9003173C9",
        "registro_patronal": "Y5412345103",
        "domicilio": data["deudor"]["domicilio"],
    }
    text = flat(post(client, auth, CLAVE, data))
    importe = total(data)
    assert (
        "Es improcedente la solicitud de condonación presentada por Comercializadora Ñandú &"
        " Hijos, S.A. de C.V. No se condona ninguna de las multas señaladas, por lo que subsiste a"
        " cargo de la persona deudora la totalidad de su importe, que asciende a"
        f" {moneda(importe)} ({importe_con_letra(importe)})." in text
    )
    assert "esta autoridad continuará ese procedimiento para el cobro del importe total" in text
    assert "se condona el" not in text and "Importe condonado" not in text
    assert "C.V.." not in text


def test_a_full_remission_leaves_nothing_to_pay(client: TestClient, auth: Headers) -> None:
    data = datos(sentido="procedente", porcentaje=100)
    text = flat(post(client, auth, CLAVE, data))
    assert "equivalente a la totalidad de su importe" in text
    assert "sin saldo a cargo de la persona deudora" in text
    assert "quedan extinguidas por condonación" in text
    assert PLAZO not in text and "no condonado, que subsiste" not in text


# --- the common rules of contract v2 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "pointer", "mensaje"),
    [
        (
            lambda d: d["multas"][2].update(numero_credito=d["multas"][0]["numero_credito"]),
            "/multas/2/numero_credito",
            "una multa no puede figurar dos veces en la misma resolución"
            " (ya está en /multas/0/numero_credito)",
        ),
        (
            lambda d: d["multas"][0].update(periodo="2026-12"),
            "/multas/0/periodo",
            "el periodo 2026-12 es posterior al mes del acto (noviembre de 2026)",
        ),
        (
            lambda d: d["deudor"].update(curp="AUMG780313MJCGND07"),
            "/deudor/curp",
            "la fecha de nacimiento de la CURP (780313) no coincide con la del RFC (780312)",
        ),
        (
            lambda d: d["deudor"].update(tipo_persona="moral", curp=None),
            "/deudor/rfc",
            "el RFC de una persona moral tiene 12 caracteres; este tiene 13",
        ),
        (
            lambda d: d["solicitud"].update(fecha="2026-11-30"),
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
    data["deudor"] = {k: v for k, v in data["deudor"].items() if v is not None}
    assert errores(post(client, auth, CLAVE, data)).get(pointer) == mensaje
