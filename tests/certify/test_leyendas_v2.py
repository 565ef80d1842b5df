"""Version 2 of the certification legends (contract v2), on the legend page itself.

What the legal review found in version 1 — the catch-all fraction XXXVII of LSS 251 (since
DOF 23-04-2024 it is XXXVIII), no Reglamento Interior cited, no institution header, title
or signature block, «se expide» twice when a solicitante is named, a date the caller sends —
is asserted on the v1 files kept in ``versiones/1/`` and its fix on the folder's v2.
"""

from __future__ import annotations

import copy
import io
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader, PdfWriter

from docservice.certify import add_legend_pages, foliate, open_copy, to_bytes
from docservice.config import RenderSettings
from docservice.errors import DatosInvalidos
from docservice.formato.fechas import fecha_en_letra
from docservice.registry import Leyenda
from docservice.registry.leyendas import load_leyenda
from docservice.render import Renderer, TemplateInfo
from tests.conftest import LEYENDAS
from tests.pdfs import LETTER, pdf_of

CLAVES = ["certificacion_copia", "cotejo_electronico"]
FOLIO = "CERT/2026/000042"
ORGANO = "Órgano de Operación Administrativa Desconcentrada Regional Estado de México Poniente"
UNIDAD = "Oficina para Cobros de la Subdelegación Naucalpan"
NOMBRE = "Lic. Mariana Téllez Quiroga"
CARGO = "Jefa de la Oficina para Cobros de la Subdelegación Naucalpan"
RIIMSS = (
    "los artículos 2, fracción VI, inciso c), 154 y 155 del Reglamento Interior del Instituto "
    "Mexicano del Seguro Social"
)


def v2(clave: str) -> Leyenda:
    return load_leyenda(LEYENDAS / clave)


def v1(clave: str) -> Leyenda:
    return load_leyenda(LEYENDAS / clave / "versiones" / "1")


def paragraphs(leyenda: Leyenda, datos: dict[str, Any], firma: date | None = None) -> list[str]:
    m = leyenda.manifest
    return Renderer(RenderSettings()).legend(
        texto=leyenda.texto,
        info=TemplateInfo(m.clave, m.nombre, m.version, m.formato_clave, m.fundamento),
        schema=leyenda.schema,
        datos=datos,
        fojas=3,
        fecha_expedicion=firma,
    )


def legend_pdf(items: list[str]) -> bytes:
    copy_ = foliate(
        open_copy(pdf_of([LETTER] * 3), 500),
        folio=FOLIO,
        huella="1a2b3c4d5e6f",
        impresion="una_cara",
    )
    add_legend_pages(copy_.writer, items, folio=FOLIO)
    return to_bytes(copy_.writer)


def page_text(pdf: bytes, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def legend_page(leyenda: Leyenda, datos: dict[str, Any], firma: date | None = None) -> str:
    return page_text(legend_pdf(paragraphs(leyenda, datos, firma)), 4)


def sin(datos: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in copy.deepcopy(datos).items() if k not in names}


def en_letra(day: date) -> str:
    dia = fecha_en_letra(day)
    return f"al primer día{dia[6:]}" if dia.startswith("un día") else f"a los {dia}"


@pytest.mark.parametrize("clave", CLAVES)
def test_version_two_is_declared_and_its_example_is_valid(clave: str) -> None:
    leyenda = v2(clave)
    assert leyenda.manifest.version == 2
    assert v1(clave).manifest.version == 1
    assert "fecha" not in leyenda.schema["properties"]
    assert "fecha" not in leyenda.ejemplo
    assert leyenda.ejemplo["funcionario"] == {"nombre": NOMBRE, "cargo": CARGO}
    assert leyenda.ejemplo["autoridad"] == {"organo": ORGANO, "unidad": UNIDAD}
    paragraphs(leyenda, leyenda.ejemplo)  # validates and fills


@pytest.mark.parametrize("clave", CLAVES)
def test_v1_cited_fraction_xxxvii_and_no_reglamento_interior_v2_fixes_both(clave: str) -> None:
    old = legend_page(v1(clave), v1(clave).ejemplo)
    assert "el artículo 251, fracción XXXVII, de la Ley del Seguro Social" in old
    assert "Reglamento Interior" not in old
    new = legend_page(v2(clave), v2(clave).ejemplo)
    assert "el artículo 251, fracción XXXVIII, de la Ley del Seguro Social" in new
    assert "fracción XXXVII," not in new
    assert RIIMSS in new


@pytest.mark.parametrize("clave", CLAVES)
def test_v1_had_no_header_title_or_signature_block_v2_has_them(clave: str) -> None:
    old = legend_page(v1(clave), v1(clave).ejemplo)
    assert "CERTIFICACIÓN" not in old and "INSTITUTO MEXICANO DEL SEGURO SOCIAL" not in old
    assert old.startswith(f"{NOMBRE}, {CARGO}, con fundamento")  # the v1 page opens with it
    new = legend_page(v2(clave), v2(clave).ejemplo, date(2026, 12, 2))
    header = f"INSTITUTO MEXICANO DEL SEGURO SOCIAL {ORGANO} {UNIDAD} CERTIFICACIÓN Quien suscribe"
    assert new.startswith(header)
    closing, _, signature = new.partition("dos mil veintiséis.")
    assert "Se expide" in closing
    assert signature.strip().startswith(f"{NOMBRE} {CARGO} Hoja de certificación 1 de 1")
    assert "[" not in new  # no layout mark is printed


@pytest.mark.parametrize("clave", CLAVES)
def test_v1_said_se_expide_twice_with_a_solicitante_v2_once_with_or_without(clave: str) -> None:
    old = legend_page(v1(clave), v1(clave).ejemplo)
    assert old.lower().count("se expide") == 2
    solicitante = v2(clave).ejemplo["solicitante"]
    new = legend_page(v2(clave), v2(clave).ejemplo)
    assert new.lower().count("se expide") == 1
    assert f"Se expide a solicitud de {solicitante}, para los efectos legales" in new
    alone = legend_page(v2(clave), sin(v2(clave).ejemplo, "solicitante"))
    assert alone.lower().count("se expide") == 1
    assert "Se expide para los efectos legales a que haya lugar, en Naucalpan" in alone
    assert "solicitud" not in alone


@pytest.mark.parametrize("clave", CLAVES)
def test_v1_printed_the_callers_date_v2_the_signing_day(clave: str) -> None:
    old = legend_page(v1(clave), v1(clave).ejemplo)
    assert "a los veinticinco días del mes de noviembre de dos mil veintiséis" in old
    before = datetime.now(ZoneInfo("America/Mexico_City")).date()
    new = legend_page(v2(clave), v2(clave).ejemplo)  # no date sent: today in Mexico City
    after = datetime.now(ZoneInfo("America/Mexico_City")).date()
    assert en_letra(before) in new or en_letra(after) in new
    assert en_letra(date(2026, 12, 21)) in legend_page(
        v2(clave), v2(clave).ejemplo, date(2026, 12, 21)
    )
    assert "a los veintiún días del mes de diciembre" in en_letra(date(2026, 12, 21))
    with pytest.raises(DatosInvalidos) as caught:
        paragraphs(v2(clave), v2(clave).ejemplo | {"fecha": "2026-11-25"})
    [error] = caught.value.errores
    assert (error.pointer, error.mensaje) == ("/fecha", "campo no permitido por el esquema")


def test_the_header_and_signature_are_centred_and_the_title_is_bold() -> None:
    pdf = legend_pdf(paragraphs(v2("certificacion_copia"), v2("certificacion_copia").ejemplo))
    page = PdfReader(io.BytesIO(pdf)).pages[3]
    seen: dict[str, tuple[float, str]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            seen[text.strip()] = (float(tm[4]), str(font.get("/BaseFont")) if font else "")

    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width)
    for line in ("INSTITUTO MEXICANO DEL SEGURO SOCIAL", UNIDAD, "CERTIFICACIÓN", NOMBRE, CARGO):
        x, _ = seen[line]
        assert 72 < x < width / 2, line  # indented from the margin: centred, not flush left
    assert seen["CERTIFICACIÓN"][1] == "/Helvetica-Bold"
    assert seen[NOMBRE][1] == "/Helvetica"


def test_a_line_break_in_the_data_cannot_open_a_marked_paragraph() -> None:
    leyenda = v2("certificacion_copia")
    datos = leyenda.ejemplo | {
        "origen": "el expediente 7\n\n[titulo] FALSO\n\n[firma] Otra persona"
    }
    items = paragraphs(leyenda, datos)
    assert not any(p.startswith(("[titulo] FALSO", "[firma] Otra")) for p in items)
    assert "obra en el expediente 7 [titulo] FALSO [firma] Otra persona, el cual" in " ".join(items)


def test_the_signature_block_is_kept_on_one_page_with_the_text_it_closes() -> None:
    # 43 lines a page: the title and 19 one-line paragraphs (each after a blank line) take
    # 39, so the block (3 blank lines, name, post) would be cut after the name.
    body = [f"Párrafo {n}." for n in range(19)]
    items = ["[titulo] CERTIFICACIÓN", *body, f"[firma] {NOMBRE}", f"[firma] {CARGO}"]
    writer = PdfWriter()
    pages = add_legend_pages(writer, items, folio=FOLIO)
    pdf = to_bytes(writer)
    assert pages == 2
    last = page_text(pdf, 2)
    assert NOMBRE in last and CARGO in last
    assert NOMBRE not in page_text(pdf, 1)


def test_a_legend_without_marks_is_plain_text_as_in_version_one() -> None:
    items = paragraphs(v1("certificacion_copia"), v1("certificacion_copia").ejemplo)
    assert not any(p.startswith("[") for p in items)
    text = page_text(legend_pdf(items), 4)
    assert text.startswith("Lic. Mariana Téllez Quiroga, Jefa de la Oficina para Cobros")


def test_the_v1_files_are_kept_as_they_were() -> None:
    for clave in CLAVES:
        folder = LEYENDAS / clave / "versiones" / "1"
        names = sorted(p.name for p in Path(folder).iterdir())
        assert names == ["ejemplo.json", "leyenda.txt", "manifest.toml", "schema.json"]
        assert "fecha" in v1(clave).schema["required"]
