"""Dates: long form, legal form in words, date and time, parsing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from docservice.formato import (
    fecha_en_letra,
    fecha_hora_larga,
    fecha_larga,
    parse_fecha,
    parse_fecha_hora,
)


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (date(2026, 11, 25), "25 de noviembre de 2026"),
        ("2026-11-25", "25 de noviembre de 2026"),
        (datetime(2026, 11, 25, 23, 59), "25 de noviembre de 2026"),
        ("2026-11-25T10:30:00-06:00", "25 de noviembre de 2026"),
        ("2026-01-01", "1 de enero de 2026"),
        ("2024-02-29", "29 de febrero de 2024"),
        ("2026-09-30", "30 de septiembre de 2026"),
    ],
)
def test_fecha_larga(valor: date | str, esperado: str) -> None:
    assert fecha_larga(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("2026-11-25", "veinticinco días del mes de noviembre de dos mil veintiséis"),
        (
            date(2026, 11, 21),
            "veintiún días del mes de noviembre de dos mil veintiséis",
        ),
        ("2026-03-01", "un día del mes de marzo de dos mil veintiséis"),
        ("2026-03-31", "treinta y un días del mes de marzo de dos mil veintiséis"),
        ("2026-07-16", "dieciséis días del mes de julio de dos mil veintiséis"),
        # The year is named, not counted: no apocope.
        ("2021-06-02", "dos días del mes de junio de dos mil veintiuno"),
        ("2001-12-10", "diez días del mes de diciembre de dos mil uno"),
        (
            "1999-12-31",
            "treinta y un días del mes de diciembre de mil novecientos noventa y nueve",
        ),
    ],
)
def test_fecha_en_letra(valor: date | str, esperado: str) -> None:
    assert fecha_en_letra(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (datetime(2026, 11, 25, 10, 30), "25 de noviembre de 2026 a las 10:30 horas"),
        ("2026-11-25T10:30", "25 de noviembre de 2026 a las 10:30 horas"),
        ("2026-11-25T10:30:45", "25 de noviembre de 2026 a las 10:30 horas"),
        ("2026-11-25 09:05:00", "25 de noviembre de 2026 a las 09:05 horas"),
        ("2026-11-25T17:00:00-06:00", "25 de noviembre de 2026 a las 17:00 horas"),
        ("2026-11-25T00:15:00Z", "25 de noviembre de 2026 a las 00:15 horas"),
        ("2026-11-25T10:30:00.123456", "25 de noviembre de 2026 a las 10:30 horas"),
    ],
)
def test_fecha_hora_larga(valor: datetime | str, esperado: str) -> None:
    assert fecha_hora_larga(valor) == esperado


def test_fecha_hora_conserva_la_hora_escrita() -> None:
    momento = parse_fecha_hora("2026-11-25T23:30:00-06:00")
    assert momento.tzinfo == timezone(timedelta(hours=-6))
    assert (momento.day, momento.hour) == (25, 23)


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("2026-11-25", date(2026, 11, 25)),
        ("2000-02-29", date(2000, 2, 29)),
        ("2026-11-25T10:30:00", date(2026, 11, 25)),
        (date(2026, 11, 25), date(2026, 11, 25)),
        (datetime(2026, 11, 25, 10, 30), date(2026, 11, 25)),
    ],
)
def test_parse_fecha(valor: date | str, esperado: date) -> None:
    resultado = parse_fecha(valor)
    assert resultado == esperado
    assert type(resultado) is date


@pytest.mark.parametrize(
    ("valor", "mensaje"),
    [
        ("2026-02-30", "no existe"),
        ("2025-02-29", "no existe"),
        ("2026-13-01", "no existe"),
        ("2026-11-25T25:00", "no existe"),
        ("25/11/2026", "se esperaba el formato AAAA-MM-DD"),
        ("20261125", "se esperaba el formato AAAA-MM-DD"),
        ("2026-W48-3", "se esperaba el formato AAAA-MM-DD"),
        ("2026-11-25\n", "se esperaba el formato AAAA-MM-DD"),
        ("", "se esperaba el formato AAAA-MM-DD"),
        ("mañana", "se esperaba el formato AAAA-MM-DD"),
        (None, "se esperaba el formato AAAA-MM-DD"),
        (20261125, "se esperaba el formato AAAA-MM-DD"),
    ],
)
def test_parse_fecha_rechaza(valor: object, mensaje: str) -> None:
    with pytest.raises(ValueError, match=mensaje):
        parse_fecha(valor)  # type: ignore[arg-type]


@pytest.mark.parametrize("valor", ["2026-11-25", date(2026, 11, 25), "10:30", "2026-11-25T10"])
def test_fecha_hora_larga_exige_hora(valor: object) -> None:
    with pytest.raises(ValueError, match="se esperaba el formato AAAA-MM-DDTHH:MM"):
        fecha_hora_larga(valor)  # type: ignore[arg-type]


@pytest.mark.parametrize("funcion", [fecha_larga, fecha_en_letra])
def test_formatos_de_fecha_rechazan_fechas_inexistentes(
    funcion: Callable[[str], str],
) -> None:
    with pytest.raises(ValueError, match="la fecha 2026-02-30 no existe"):
        funcion("2026-02-30")
