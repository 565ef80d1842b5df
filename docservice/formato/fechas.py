"""Dates for documents, es_MX: "25 de noviembre de 2026" and the legal form in words."""

from __future__ import annotations

import re
from datetime import date, datetime

from num2words import num2words

from docservice.formato.moneda import numero_en_letra

MESES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
"""The es_MX month names (CLDR's, as babel gives them)."""
_FECHA_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FECHA_HORA_ISO = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def parse_fecha(valor: date | datetime | str) -> date:
    """A date from a date, a datetime (its date as written) or an ISO string.

    Accepts "AAAA-MM-DD" and ISO date-times ("2026-11-25T10:30:00-06:00"); raises
    ValueError with a Spanish message otherwise.
    """
    if isinstance(valor, datetime):
        return valor.date()
    if isinstance(valor, date):
        return valor
    if isinstance(valor, str) and _FECHA_ISO.fullmatch(valor):
        try:
            return date.fromisoformat(valor)
        except ValueError:
            raise ValueError(f"la fecha {valor} no existe") from None
    if isinstance(valor, str) and _FECHA_HORA_ISO.fullmatch(valor):
        return parse_fecha_hora(valor).date()
    raise ValueError(f"fecha inválida: {valor!r}; se esperaba el formato AAAA-MM-DD")


def parse_fecha_hora(valor: datetime | str) -> datetime:
    """A datetime from a datetime or an ISO string ("2026-11-25T10:30:00-06:00").

    The time is kept as written (no time-zone conversion). Raises ValueError with a
    Spanish message for a bare date or malformed input.
    """
    if isinstance(valor, datetime):
        return valor
    if isinstance(valor, str) and _FECHA_HORA_ISO.fullmatch(valor):
        try:
            return datetime.fromisoformat(valor)
        except ValueError:
            raise ValueError(f"la fecha y hora {valor} no existe") from None
    raise ValueError(f"fecha y hora inválida: {valor!r}; se esperaba el formato AAAA-MM-DDTHH:MM")


def fecha_larga(valor: date | datetime | str) -> str:
    """Long form: "25 de noviembre de 2026".

    CLDR's es_MX ``long`` date (``d 'de' MMMM 'de' y``), written out: babel takes ~0.3 ms a
    call and a document prints dozens of dates.
    """
    fecha = parse_fecha(valor)
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}"


def fecha_en_letra(valor: date | datetime | str) -> str:
    """Legal form in words, for legends; templates add "a los".

    "veinticinco días del mes de noviembre de dos mil veintiséis"; day 1 reads "un día
    del mes de ...", day 21 "veintiún días".
    """
    fecha = parse_fecha(valor)
    dias = "día" if fecha.day == 1 else "días"
    mes = MESES[fecha.month - 1]
    # A year is named, not counted, so it keeps the full form: "dos mil veintiuno".
    anio = str(num2words(fecha.year, lang="es"))
    return f"{numero_en_letra(fecha.day)} {dias} del mes de {mes} de {anio}"


def fecha_hora_larga(valor: datetime | str) -> str:
    """Date and time: "25 de noviembre de 2026 a las 10:30 horas" (24-hour, as written)."""
    momento = parse_fecha_hora(valor)
    return f"{fecha_larga(momento)} a las {momento:%H:%M} horas"
