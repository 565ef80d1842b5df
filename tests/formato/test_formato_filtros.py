"""The filter table exported to the Jinja sandbox."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from docservice import formato
from docservice.formato import FILTROS


def test_filtros_exportados() -> None:
    assert set(FILTROS) == {
        "fecha_larga",
        "fecha_en_letra",
        "fecha_hora_larga",
        "moneda",
        "importe_con_letra",
        "numero_en_letra",
        "registro_patronal",
        "con_punto",
    }


def test_filtros_es_de_solo_lectura() -> None:
    with pytest.raises(TypeError):
        FILTROS["moneda"] = str  # type: ignore[index]


@pytest.mark.parametrize(
    ("filtro", "argumentos", "esperado"),
    [
        ("fecha_larga", (date(2026, 11, 25),), "25 de noviembre de 2026"),
        (
            "fecha_en_letra",
            ("2026-11-21",),
            "veintiún días del mes de noviembre de dos mil veintiséis",
        ),
        (
            "fecha_hora_larga",
            ("2026-11-25T10:30",),
            "25 de noviembre de 2026 a las 10:30 horas",
        ),
        ("moneda", (Decimal("1234567.5"),), "$1,234,567.50"),
        ("importe_con_letra", ("21",), "VEINTIÚN PESOS 00/100 M.N."),
        ("numero_en_letra", (21, "femenino"), "veintiuna"),
        ("numero_en_letra", (200,), "doscientos"),
        ("registro_patronal", ("Y1234567101",), "Y12\u201134567\u201110\u20111"),
    ],
)
def test_filtro(filtro: str, argumentos: tuple[object, ...], esperado: str) -> None:
    assert FILTROS[filtro](*argumentos) == esperado


def test_all_exporta_nombres_existentes() -> None:
    for nombre in formato.__all__:
        assert hasattr(formato, nombre), nombre
