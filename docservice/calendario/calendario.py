"""The calendar: which days are hábiles and which hours (CFF 12, 13), and why a day is not."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

HORA_INICIO = time(7, 30)
HORA_FIN = time(18, 0)
"""CFF 13: diligencias between 07:30 and 18:00; one begun in hours may end after 18:00."""

DATOS = Path(__file__).parent / "inhabiles"
_PRIMER_SEXENIO_OCTUBRE = 2024
"""CPEUM art. 83 (reform DOF 10-02-2014): the federal executive takes office on 1 October
from 2024 on; before, on 1 December."""


@dataclass(frozen=True)
class DiaInhabil:
    """Why a day is not hábil: what it is and the rule that says so."""

    fecha: date
    motivo: str
    fundamento: str


def _nth_monday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    offset = (7 - first.weekday()) % 7  # Monday is weekday 0
    return first + timedelta(days=offset + 7 * (nth - 1))


def _transmision(year: int) -> date | None:
    if year >= _PRIMER_SEXENIO_OCTUBRE:
        return date(year, 10, 1) if (year - _PRIMER_SEXENIO_OCTUBRE) % 6 == 0 else None
    return date(year, 12, 1) if (year - 2018) % 6 == 0 else None


def feriados_cff(year: int) -> dict[date, str]:
    """The days CFF 12 names, for one year, with the name of each."""
    days = {
        date(year, 1, 1): "1 de enero",
        _nth_monday(year, 2, 1): "primer lunes de febrero (5 de febrero)",
        _nth_monday(year, 3, 3): "tercer lunes de marzo (21 de marzo)",
        date(year, 5, 1): "1 de mayo",
        date(year, 5, 5): "5 de mayo",
        date(year, 9, 16): "16 de septiembre",
        _nth_monday(year, 11, 3): "tercer lunes de noviembre (20 de noviembre)",
        date(year, 12, 25): "25 de diciembre",
    }
    transmision = _transmision(year)
    if transmision is not None:
        days[transmision] = "transmisión del Poder Ejecutivo Federal"
    return days


@dataclass(frozen=True)
class Calendario:
    """Business days: weekends and CFF 12 holidays by rule, the institute's days as data."""

    institucionales: Mapping[date, str] = field(default_factory=dict)
    """The institute's published non-working days (vacations, agreements), with a reason."""

    def inhabil(self, dia: date) -> DiaInhabil | None:
        """None for a business day; otherwise what the day is and the rule behind it."""
        if dia.weekday() == 5:
            return DiaInhabil(dia, "sábado", "CFF art. 12")
        if dia.weekday() == 6:
            return DiaInhabil(dia, "domingo", "CFF art. 12")
        feriado = feriados_cff(dia.year).get(dia)
        if feriado is not None:
            return DiaInhabil(dia, feriado, "CFF art. 12")
        propio = self.institucionales.get(dia)
        if propio is not None:
            return DiaInhabil(dia, propio, "días inhábiles del Instituto")
        return None

    def es_habil(self, dia: date) -> bool:
        return self.inhabil(dia) is None

    def en_horas_habiles(self, momento: datetime) -> bool:
        return HORA_INICIO <= momento.time().replace(tzinfo=None) <= HORA_FIN

    def sumar_dias_habiles(self, desde: date, dias: int) -> date:
        """The day on which a plazo of ``dias`` business days counted from ``desde`` ends.

        The day of the act does not count (the plazo starts the next business day).
        """
        dia, contados = desde, 0
        while contados < dias:
            dia += timedelta(days=1)
            if self.es_habil(dia):
                contados += 1
        return dia


def _read_year(path: Path) -> dict[date, str]:
    data = tomllib.loads(path.read_text("utf-8"))
    days: dict[date, str] = {}
    for entry in data.get("dia", []):
        fecha = entry["fecha"]
        if not isinstance(fecha, date):
            raise ValueError(f"{path.name}: fecha inválida {fecha!r}")
        days[fecha] = str(entry.get("motivo", "día inhábil del Instituto"))
    return days


def cargar_calendario(carpetas: Iterable[Path] = (DATOS,)) -> Calendario:
    """The calendar with every ``AAAA.toml`` of the folders; later folders override a year."""
    years: dict[str, dict[date, str]] = {}
    for carpeta in carpetas:
        if carpeta.is_dir():
            for path in sorted(carpeta.glob("[0-9][0-9][0-9][0-9].toml")):
                years[path.stem] = _read_year(path)
    merged = {day: motivo for year in years.values() for day, motivo in year.items()}
    return Calendario(institucionales=merged)
