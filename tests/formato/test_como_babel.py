"""Amounts and dates are written out by hand: they print exactly what babel's es_MX does."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency

from docservice.formato import fecha_en_letra, fecha_larga, moneda
from docservice.formato.moneda import IMPORTE_MAXIMO


def test_moneda_is_babels_es_mx_currency() -> None:
    rng = random.Random(13)  # noqa: S311  # sample amounts, not secrets
    amounts = [Decimal(0), Decimal("0.01"), Decimal("999.99"), Decimal(1000), IMPORTE_MAXIMO]
    amounts += [Decimal(rng.randint(0, 10 ** rng.randint(0, 17))) / 100 for _ in range(5000)]
    for amount in amounts:
        assert moneda(amount) == format_currency(amount, "MXN", locale="es_MX"), amount
    assert moneda("1234567.5") == "$1,234,567.50"
    assert moneda(2.675) == "$2.68"


def test_fechas_are_babels_es_mx_long_dates() -> None:
    day = date(1900, 1, 1)
    while day <= date(2100, 12, 31):
        assert fecha_larga(day) == format_date(day, format="long", locale="es_MX"), day
        day += timedelta(days=1)
    month = format_date(date(2026, 11, 25), format="MMMM", locale="es_MX")
    assert fecha_en_letra("2026-11-25").endswith(f"del mes de {month} de dos mil veintiséis")
