"""Case-data validation against the plantillas' schemas: every error, with pointer, in Spanish."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from docservice.errors import DatosInvalidos
from docservice.render import CaseDataValidator
from docservice.render.context import credit_rows, credit_totals
from docservice.render.schema import coerce_importes
from tests.conftest import PLANTILLAS, ejemplo

CLAVES = sorted(p.name for p in PLANTILLAS.iterdir() if (p / "schema.json").is_file())


def schema(clave: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PLANTILLAS / clave / "schema.json").read_text("utf-8"))
    return data


def errors(clave: str, datos: dict[str, Any]) -> dict[str, str]:
    return {e.pointer: e.mensaje for e in CaseDataValidator(schema(clave)).errors(datos)}


@pytest.mark.parametrize("clave", CLAVES)
def test_every_ejemplo_is_valid(clave: str) -> None:
    assert errors(clave, ejemplo(clave)) == {}


def test_every_error_is_listed_at_once_with_its_pointer() -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    del datos["numero_oficio"]
    datos["campo_inventado"] = 1
    datos["deudor"]["rfc"] = "EKU9003173C8"
    datos["deudor"]["domicilio"]["codigo_postal"] = "5340"
    datos["creditos"][1]["importe"] = "-5"
    datos["creditos"][2]["periodo"] = "2025-13"
    found = errors("requerimiento_pago", datos)
    assert found["/numero_oficio"] == "campo obligatorio ausente"
    assert found["/campo_inventado"] == "campo no permitido por el esquema"
    assert "dígito verificador" in found["/deudor/rfc"]
    assert "/deudor/domicilio/codigo_postal" in found
    assert "negativ" in found["/creditos/1/importe"]
    assert "/creditos/2/periodo" in found


def test_validate_raises_datos_invalidos_listing_all() -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    datos["deudor"]["rfc"] = "XAXX010101000"
    datos["creditos"] = []
    with pytest.raises(DatosInvalidos) as caught:
        CaseDataValidator(schema("requerimiento_pago")).validate(datos)
    pointers = {e.pointer for e in caught.value.errores}
    assert pointers == {"/deudor/rfc", "/creditos"}


def test_generic_rfc_accepted_only_where_the_manifest_allows() -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    datos["deudor"]["rfc"] = "XEXX010101000"
    relaxed = CaseDataValidator(
        schema("requerimiento_pago"), rfc_genericos_permitidos={"XEXX010101000"}
    )
    assert relaxed.errors(datos) == []
    assert errors("requerimiento_pago", datos).keys() == {"/deudor/rfc"}


def test_wrong_check_digit_can_be_relaxed_by_setting() -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    datos["deudor"]["rfc"] = "EKU9003173C8"
    relaxed = CaseDataValidator(schema("requerimiento_pago"), rfc_check_digit=False)
    assert relaxed.errors(datos) == []


def test_curp_only_for_persona_fisica() -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    assert datos["deudor"]["tipo_persona"] == "moral"
    datos["deudor"]["curp"] = "BOXW310820HNERXN09"
    assert "/deudor/curp" in errors("requerimiento_pago", datos)


def test_wrong_types_are_named_in_spanish() -> None:
    datos = copy.deepcopy(ejemplo("requerimiento_pago"))
    datos["creditos"][0]["importe"] = True
    datos["deudor"] = "ACME"
    found = errors("requerimiento_pago", datos)
    assert found["/creditos/0/importe"] == "el importe no es un número válido: True"
    assert found["/deudor"] == "debe ser objeto"


def test_amounts_become_decimals_and_totals_are_computed() -> None:
    datos = coerce_importes(
        schema("requerimiento_pago"),
        {
            "creditos": [
                {"numero_credito": "123456789", "importe": Decimal("100.105"), "recargos": "1"},
                {"numero_credito": "223456789", "importe": 50, "actualizacion": "0.10"},
            ]
        },
    )
    rows = credit_rows(datos["creditos"])
    assert [r["total"] for r in rows] == [Decimal("101.11"), Decimal("50.10")]
    assert credit_totals(rows) == {
        "importe": Decimal("150.11"),
        "actualizacion": Decimal("0.10"),
        "recargos": Decimal("1.00"),
        "total": Decimal("151.21"),
    }


def test_x_mensaje_says_what_the_law_requires() -> None:
    schema = {
        "type": "object",
        "properties": {
            "caracter": {"enum": ["deudor", "tercero"]},
            "citatorio": {"type": "string"},
            "porcentaje": {"type": "integer"},
            "sentido": {"type": "string"},
        },
        "allOf": [
            {
                "if": {"properties": {"caracter": {"const": "tercero"}}, "required": ["caracter"]},
                "then": {
                    "required": ["citatorio"],
                    "x-mensaje": {"citatorio": "si atiende un tercero, CFF art. 137"},
                },
                "else": {"not": {"required": ["citatorio"]},
                         "x-mensaje": {"citatorio": "sin citatorio cuando atiende el deudor"}},
            },
            {
                "if": {"properties": {"sentido": {"const": "procedente"}}},
                "then": {"properties": {"porcentaje": {"const": 100,
                                                       "x-mensaje": "procedente es el 100 %"}}},
            },
        ],
    }  # fmt: skip
    validator = CaseDataValidator(schema)
    found = {e.pointer: e.mensaje for e in validator.errors({"caracter": "tercero"})}
    assert found == {"/citatorio": "si atiende un tercero, CFF art. 137"}
    found = {
        e.pointer: e.mensaje for e in validator.errors({"caracter": "deudor", "citatorio": "x"})
    }
    assert found == {"/citatorio": "sin citatorio cuando atiende el deudor"}
    found = {
        e.pointer: e.mensaje for e in validator.errors({"sentido": "procedente", "porcentaje": 40})
    }
    assert found == {"/porcentaje": "procedente es el 100 %"}
