"""Amounts and dates are taken as written or refused: no rounding, no padding, none before 1900."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from docservice.render import CaseDataValidator

SCHEMA = {
    "type": "object",
    "properties": {
        "importe": {"format": "importe"},
        "fecha": {"type": "string", "format": "date"},
        "cita": {"type": "string", "format": "date-time"},
    },
}
DECIMALES = "el importe admite a lo más dos decimales"
ESPACIOS = "el importe no admite espacios antes ni después de la cifra"
ANTES_DE_1900 = "la fecha debe ser posterior a 1900"


def errors(**datos: Any) -> dict[str, str]:
    return {e.pointer: e.mensaje for e in CaseDataValidator(SCHEMA).errors(datos)}


@pytest.mark.parametrize(
    ("importe", "mensaje"),
    [
        ("100.105", DECIMALES),
        ("0.001", DECIMALES),
        (2.675, DECIMALES),  # a JSON number, read through its shortest text
        (0.1 + 0.2, DECIMALES),  # float noise is not an amount
        (Decimal("12.345"), DECIMALES),
        (" 1.00 ", ESPACIOS),
        ("1.00 ", ESPACIOS),
        ("\t1.00", ESPACIOS),
        ("-1.00", "el importe no puede ser negativo: -1.00"),
    ],
)
def test_amounts_are_refused_rather_than_rounded(importe: object, mensaje: str) -> None:
    assert errors(importe=importe) == {"/importe": mensaje}


@pytest.mark.parametrize("importe", ["1.00", "1234.5", "0", 7, 84512.37, "1.500", "999999999.99"])
def test_amounts_with_at_most_two_decimals_pass(importe: object) -> None:
    assert errors(importe=importe) == {}


@pytest.mark.parametrize(
    ("campo", "valor"),
    [("fecha", "1899-12-31"), ("fecha", "0026-11-25"), ("cita", "1899-12-31T10:00"),
     ("cita", "0001-01-01T00:00:00-06:00")],
)  # fmt: skip
def test_dates_before_1900_are_refused(campo: str, valor: str) -> None:
    assert errors(**{campo: valor}) == {f"/{campo}": ANTES_DE_1900}


@pytest.mark.parametrize(
    ("campo", "valor"), [("fecha", "1900-01-01"), ("cita", "1900-01-01T07:30")]
)
def test_1900_itself_passes(campo: str, valor: str) -> None:
    assert errors(**{campo: valor}) == {}
