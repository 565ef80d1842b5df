"""Amounts: parsing, figures and words (domain.md, "Formatting rules")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from docservice.formato import a_decimal, importe_con_letra, moneda, numero_en_letra


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (1, "UN PESO 00/100 M.N."),
        (21, "VEINTIÚN PESOS 00/100 M.N."),
        (31, "TREINTA Y UN PESOS 00/100 M.N."),
        (101, "CIENTO UN PESOS 00/100 M.N."),
        (1_000_000, "UN MILLÓN DE PESOS 00/100 M.N."),
        (2_000_000, "DOS MILLONES DE PESOS 00/100 M.N."),
        ("0.5", "CERO PESOS 50/100 M.N."),
        (0, "CERO PESOS 00/100 M.N."),
        (1_001, "MIL UN PESOS 00/100 M.N."),
        (21_000, "VEINTIÚN MIL PESOS 00/100 M.N."),
        (21_021, "VEINTIÚN MIL VEINTIÚN PESOS 00/100 M.N."),
        (101_000, "CIENTO UN MIL PESOS 00/100 M.N."),
        (1_100_000, "UN MILLÓN CIEN MIL PESOS 00/100 M.N."),
        (1_000_001, "UN MILLÓN UN PESOS 00/100 M.N."),
        (21_000_000, "VEINTIÚN MILLONES DE PESOS 00/100 M.N."),
        (1_000_000_000, "MIL MILLONES DE PESOS 00/100 M.N."),
        ("1000000.50", "UN MILLÓN DE PESOS 50/100 M.N."),
        (
            "1234567.50",
            "UN MILLÓN DOSCIENTOS TREINTA Y CUATRO MIL QUINIENTOS SESENTA Y SIETE PESOS"
            " 50/100 M.N.",
        ),
        ("1.01", "UN PESO 01/100 M.N."),
        ("1234.56", "MIL DOSCIENTOS TREINTA Y CUATRO PESOS 56/100 M.N."),
        ("0.995", "UN PESO 00/100 M.N."),
    ],
)
def test_importe_con_letra(valor: Decimal | int | str, esperado: str) -> None:
    assert importe_con_letra(valor) == esperado


def test_importe_con_letra_sin_parentesis() -> None:
    texto = importe_con_letra(Decimal(10))
    assert not texto.startswith("(") and not texto.endswith(")")


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("1234567.50", "$1,234,567.50"),
        (Decimal("1234567.5"), "$1,234,567.50"),
        (0, "$0.00"),
        ("0.5", "$0.50"),
        (1_000, "$1,000.00"),
        ("0.005", "$0.01"),
        ("12.345", "$12.35"),
    ],
)
def test_moneda(valor: Decimal | int | str, esperado: str) -> None:
    assert moneda(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("0.005", Decimal("0.01")),
        ("0.004", Decimal("0.00")),
        ("2.675", Decimal("2.68")),
        ("2.665", Decimal("2.67")),  # half-up, not banker's rounding
        (
            2.675,
            Decimal("2.68"),
        ),  # float converted through its repr, not its binary value
        (0.1, Decimal("0.10")),
        (1234, Decimal("1234.00")),
        (Decimal("1234.5"), Decimal("1234.50")),
        ("1234.5", Decimal("1234.50")),
        (" 12.5 ", Decimal("12.50")),
        ("+7", Decimal("7.00")),
        ("-0", Decimal("0.00")),
        (Decimal("999999999999999.99"), Decimal("999999999999999.99")),
    ],
)
def test_a_decimal(valor: Decimal | float | str, esperado: Decimal) -> None:
    resultado = a_decimal(valor)
    assert resultado == esperado
    assert resultado.as_tuple().exponent == -2
    assert not resultado.is_signed()


@pytest.mark.parametrize(
    ("valor", "mensaje"),
    [
        (-1, "negativo"),
        ("-0.01", "negativo"),
        (Decimal("-0.001"), "negativo"),
        (-0.5, "negativo"),
        (float("nan"), "NaN"),
        (Decimal("NaN"), "NaN"),
        (Decimal("sNaN"), "NaN"),
        (float("inf"), "infinito"),
        (Decimal("-Infinity"), "infinito"),
        ("abc", "no es un número válido"),
        ("", "no es un número válido"),
        ("NaN", "no es un número válido"),
        ("1,234.50", "no es un número válido"),
        ("$100", "no es un número válido"),
        ("1e3", "no es un número válido"),
        ("1_000", "no es un número válido"),
        ("١٢٣", "no es un número válido"),  # non-ASCII digits
        (True, "no es un número válido"),
        (None, "no es un número válido"),
        ([1], "no es un número válido"),
        (Decimal("1e15"), "máximo"),
    ],
)
def test_a_decimal_rechaza(valor: object, mensaje: str) -> None:
    with pytest.raises(ValueError, match=mensaje):
        a_decimal(valor)  # type: ignore[arg-type]


@pytest.mark.parametrize("funcion", [moneda, importe_con_letra])
def test_formatos_rechazan_negativos(funcion: Callable[[str], str]) -> None:
    with pytest.raises(ValueError, match="negativo"):
        funcion("-5")


@pytest.mark.parametrize(
    ("n", "esperado"),
    [
        (0, "cero"),
        (1, "un"),
        (21, "veintiún"),
        (31, "treinta y un"),
        (101, "ciento un"),
        (200, "doscientos"),
        (1_021, "mil veintiún"),
        (21_000, "veintiún mil"),
        (101_000, "ciento un mil"),
        (1_000_000, "un millón"),
        (21_000_000, "veintiún millones"),
    ],
)
def test_numero_en_letra_masculino(n: int, esperado: str) -> None:
    assert numero_en_letra(n) == esperado
    assert numero_en_letra(n, "masculino") == esperado


@pytest.mark.parametrize(
    ("n", "esperado"),
    [
        (1, "una"),
        (21, "veintiuna"),
        (200, "doscientas"),
        (201, "doscientas una"),
        (301, "trescientas una"),
        (500, "quinientas"),
        (999, "novecientas noventa y nueve"),
        (1_000, "mil"),
        (1_021, "mil veintiuna"),
        (21_000, "veintiuna mil"),
        (200_000, "doscientas mil"),
        # millón is a masculine noun: its multiplier stays masculine.
        (21_000_000, "veintiún millones"),
        (201_000_201, "doscientos un millones doscientas una"),
    ],
)
def test_numero_en_letra_femenino(n: int, esperado: str) -> None:
    assert numero_en_letra(n, "femenino") == esperado


def test_numero_en_letra_rechaza_negativos() -> None:
    with pytest.raises(ValueError, match="negativo"):
        numero_en_letra(-1)


@pytest.mark.parametrize("n", [1.5, "3", True, None])
def test_numero_en_letra_rechaza_no_enteros(n: object) -> None:
    with pytest.raises(TypeError, match="entero"):
        numero_en_letra(n)  # type: ignore[arg-type]


def test_numero_en_letra_rechaza_genero_desconocido() -> None:
    with pytest.raises(ValueError, match="género"):
        numero_en_letra(2, "neutro")  # type: ignore[arg-type]
