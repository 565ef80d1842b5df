"""The calendar of días hábiles: CFF 12 holidays by rule, the institute's days as data."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from docservice.calendario import Calendario, cargar_calendario
from docservice.calendario.calendario import feriados_cff


@pytest.mark.parametrize(
    ("dia", "motivo"),
    [
        (date(2027, 1, 1), "1 de enero"),
        (date(2027, 2, 1), "primer lunes de febrero (5 de febrero)"),
        (date(2027, 3, 15), "tercer lunes de marzo (21 de marzo)"),
        (date(2027, 5, 1), "sábado"),  # a Saturday first: the weekend rule answers
        (date(2026, 5, 5), "5 de mayo"),
        (date(2026, 9, 16), "16 de septiembre"),
        (date(2026, 11, 16), "tercer lunes de noviembre (20 de noviembre)"),
        (date(2026, 12, 25), "25 de diciembre"),
        (date(2030, 10, 1), "transmisión del Poder Ejecutivo Federal"),
        (date(2018, 12, 1), "sábado"),
        (date(2026, 12, 6), "domingo"),
    ],
)
def test_inhabiles_by_rule(dia: date, motivo: str) -> None:
    found = Calendario().inhabil(dia)
    assert found is not None
    assert found.motivo == motivo
    assert found.fundamento == "CFF art. 12"


def test_business_days_are_habiles() -> None:
    calendario = Calendario()
    for dia in (date(2026, 11, 25), date(2026, 12, 2), date(2027, 1, 4), date(2030, 12, 2)):
        assert calendario.es_habil(dia), dia


def test_transmission_of_power_follows_the_sexenio() -> None:
    assert date(2024, 10, 1) in feriados_cff(2024)
    assert date(2030, 10, 1) in feriados_cff(2030)
    assert not any(d.month == 10 and d.day == 1 for d in feriados_cff(2027))
    assert date(2012, 12, 1) in feriados_cff(2012)
    assert date(2036, 12, 1) not in feriados_cff(2036)  # from 2024 on, 1 October only
    assert date(2036, 10, 1) in feriados_cff(2036)


def test_shipped_institute_days_are_loaded() -> None:
    found = cargar_calendario().inhabil(date(2026, 12, 24))
    assert found is not None
    assert found.fundamento == "días inhábiles del Instituto"


def test_a_settings_folder_replaces_a_year(tmp_path: Path) -> None:
    (tmp_path / "2026.toml").write_text(
        '[[dia]]\nfecha = 2026-11-27\nmotivo = "acuerdo del Consejo Técnico"\n', "utf-8"
    )
    calendario = cargar_calendario([Path("docservice/calendario/inhabiles"), tmp_path])
    found = calendario.inhabil(date(2026, 11, 27))
    assert found is not None and found.motivo == "acuerdo del Consejo Técnico"
    assert calendario.es_habil(date(2026, 12, 24))  # the shipped 2026 file was replaced


def test_hours_of_diligencias() -> None:
    calendario = Calendario()
    assert calendario.en_horas_habiles(datetime(2026, 11, 25, 7, 30))
    assert calendario.en_horas_habiles(datetime(2026, 11, 25, 18, 0))
    assert not calendario.en_horas_habiles(datetime(2026, 11, 25, 7, 29))
    assert not calendario.en_horas_habiles(datetime(2026, 11, 25, 21, 30))


def test_plazo_in_business_days_skips_weekends_and_holidays() -> None:
    calendario = Calendario()
    # Friday 13 Nov 2026 + 6 business days: Mon 16 is a holiday → 17,18,19,20,23,24.
    assert calendario.sumar_dias_habiles(date(2026, 11, 13), 6) == date(2026, 11, 24)
