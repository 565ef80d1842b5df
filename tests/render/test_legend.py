"""Certification legends: fojas in figures and words (feminine), dates in words, bad data."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from docservice.config import RenderSettings
from docservice.errors import DatosInvalidos, PlantillaInvalida
from docservice.registry import Leyenda, load_leyendas
from docservice.render import Renderer, TemplateInfo
from tests.conftest import ROOT

LEYENDAS = load_leyendas(ROOT / "leyendas")


def info(leyenda: Leyenda) -> TemplateInfo:
    m = leyenda.manifest
    return TemplateInfo(m.clave, m.nombre, m.version, m.formato_clave, m.fundamento)


def legend(clave: str, count: int, firma: date = date(2026, 11, 25), **changes: object) -> str:
    leyenda = LEYENDAS.get(clave)
    datos = copy.deepcopy(leyenda.ejemplo) | changes
    paragraphs = Renderer(RenderSettings()).legend(
        texto=leyenda.texto,
        info=info(leyenda),
        schema=leyenda.schema,
        datos=datos,
        fojas=count,
        fecha_expedicion=firma,
    )
    return "\n".join(paragraphs)


def test_both_legends_load() -> None:
    assert set(LEYENDAS.leyendas) == {"certificacion_copia", "cotejo_electronico"}
    assert LEYENDAS.problemas == {}


@pytest.mark.parametrize(
    ("fojas", "words"),
    [
        (1, "1 (una) foja útil"),
        (21, "21 (veintiuna) fojas útiles"),
        (200, "200 (doscientas) fojas útiles"),
        (501, "501 (quinientas una) fojas útiles"),
    ],
)
def test_fojas_in_figures_and_feminine_words(fojas: int, words: str) -> None:
    assert words in legend("certificacion_copia", fojas)


def test_legend_names_who_where_basis_and_date() -> None:
    text = legend("certificacion_copia", 2)
    assert "Quien suscribe, Lic. Mariana Téllez Quiroga, Jefa de la Oficina para Cobros" in text
    assert "el artículo 63 del Código Fiscal de la Federación" in text
    assert "expediente 1590019200/OPC/2026/004817" in text
    assert "a los veinticinco días del mes de noviembre de dos mil veintiséis" in text
    assert "Construcciones Pérez & Hijos, S.A. de C.V." in text  # no HTML escaping in text


def test_first_day_of_the_month_reads_naturally() -> None:
    text = legend("certificacion_copia", 2, firma=date(2026, 3, 1))
    assert "al primer día del mes de marzo de dos mil veintiséis" in text


def test_cotejo_prints_the_original_hash() -> None:
    assert "9f2b5c1e" * 8 in legend("cotejo_electronico", 3)


def test_without_solicitante_the_clause_is_left_out() -> None:
    leyenda = LEYENDAS.get("certificacion_copia")
    datos = {k: v for k, v in leyenda.ejemplo.items() if k != "solicitante"}
    text = "\n".join(
        Renderer(RenderSettings()).legend(
            texto=leyenda.texto, info=info(leyenda), schema=leyenda.schema, datos=datos, fojas=4
        )
    )
    assert "solicitud" not in text


def test_bad_data_lists_fields_and_fojas_cannot_be_sent() -> None:
    with pytest.raises(DatosInvalidos) as caught:
        legend("cotejo_electronico", 2, sha256_original="XYZ", fojas=7)
    assert {e.pointer for e in caught.value.errores} == {"/sha256_original", "/fojas"}


def test_hostile_legend_template_is_refused() -> None:
    leyenda = LEYENDAS.get("certificacion_copia")
    with pytest.raises(PlantillaInvalida, match="entorno seguro"):
        Renderer(RenderSettings()).legend(
            texto="{{ lugar.__class__.__mro__ }}",
            info=info(leyenda),
            schema=leyenda.schema,
            datos=leyenda.ejemplo,
            fojas=1,
        )


def test_a_legend_is_validated_with_the_validator_certification_checks_with() -> None:
    """Both key it by the legend text's sha256: one validator per legend version."""
    leyenda = LEYENDAS.get("certificacion_copia")
    renderer = Renderer(RenderSettings())
    renderer.legend(
        texto=leyenda.texto,
        info=info(leyenda),
        schema=leyenda.schema,
        datos=leyenda.ejemplo,
        fojas=2,
    )
    made = renderer._validators.misses
    renderer.validator(info(leyenda), leyenda.schema, (), leyenda.sha256)  # CertificationService
    assert renderer._validators.misses == made == 1
