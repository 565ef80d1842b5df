"""Foliation of every page of a copy and the certification legend page, drawn with pypdf.

Each page gets a strip added below its content (the MediaBox grows; nothing is covered or
shrunk) with "Foja n de m", the certification folio and the short hash of the original.
Rotated pages have their rotation moved into the content first, so the strip is always at
the visual bottom. Text is Helvetica/WinAnsi (``docservice.pdf.tipografia``): nothing embedded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from typing import Literal

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import (
    RectangleObject,
)

from docservice.errors import PdfInvalido
from docservice.pdf.contenido import (
    add_resource,
    append_contents,
    content_parts,
    flatten_signatures,
    rotation_to_content,
    wrap_contents,
)
from docservice.pdf.tipografia import (
    FontMetrics,
    add_text_pages,
    font_metrics,
    helvetica_font,
    text_ops,
)

Impresion = Literal["una_cara", "doble_cara"]
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError)
"""What pypdf raises on a damaged or hostile file (PdfReadError is a PyPdfError)."""
STRIP = 22.0
"""Points added below each page for its folio line."""
_FONT = "FDoc"
_FOLIO_SIZE = 7.0
_LEGEND_SIZE = 10.5
_LEGEND_LEADING = 15.0


@dataclass(frozen=True)
class FoliatedCopy:
    """The foliated pages (legend not yet appended) and how many fojas they make."""

    writer: PdfWriter
    paginas: int
    fojas: int


def count_fojas(paginas: int, impresion: Impresion) -> int:
    """A foja is a sheet: printed on both sides, two pages make one."""
    return paginas if impresion == "una_cara" else math.ceil(paginas / 2)


def foja_label(page_index: int, fojas: int, impresion: Impresion) -> str:
    if impresion == "una_cara":
        return f"Foja {page_index + 1} de {fojas}"
    lado = "anverso" if page_index % 2 == 0 else "reverso"
    return f"Foja {page_index // 2 + 1} de {fojas}, {lado}"


def signature_count(reader: PdfReader) -> int:
    """How many signature fields the original carries (signed or not)."""
    fields = reader.get_fields() or {}
    return sum(1 for field in fields.values() if field.get("/FT") == "/Sig")


def open_copy(pdf: bytes, max_pages: int) -> PdfReader:
    """Read the PDF to certify; encrypted, damaged, empty, too long or a bomb → PdfInvalido.

    Every page's content is decoded once here, under pypdf's decompression limits, so a
    flate bomb or an absurd /Length is refused before a folio is taken.
    """
    try:
        reader = PdfReader(BytesIO(pdf))
        if reader.is_encrypted:
            raise PdfInvalido("el PDF está cifrado; envíe una copia sin contraseña")
        paginas = len(reader.pages)
    except _READ_ERRORS as exc:
        raise PdfInvalido(f"el PDF está dañado o no es un PDF: {exc}") from exc
    if paginas == 0:
        raise PdfInvalido("el PDF no tiene páginas")
    if paginas > max_pages:
        raise PdfInvalido(f"el PDF tiene {paginas} páginas; el máximo es {max_pages}")
    try:
        for page in reader.pages:
            for part in content_parts(page):
                part.get_object().get_data()
    except LimitReachedError as exc:
        raise PdfInvalido(f"el PDF excede los límites de descompresión: {exc}") from exc
    except _READ_ERRORS as exc:
        raise PdfInvalido(f"el contenido de una página está dañado: {exc}") from exc
    return reader


def foliate(reader: PdfReader, *, folio: str, huella: str, impresion: Impresion) -> FoliatedCopy:
    """Every page with its folio line in a strip added below it.

    The original content is wrapped, never parsed: a page's rotation moves into a ``cm`` so
    the strip is always at the visual bottom, and signature widgets become drawings.
    """
    writer = PdfWriter()
    paginas = len(reader.pages)
    fojas = count_fojas(paginas, impresion)
    metrics = font_metrics()
    try:
        for index, source in enumerate(reader.pages):
            line = (
                f"{foja_label(index, fojas, impresion)} · Folio {folio} · Original SHA-256 {huella}"
            )
            _foliate_page(writer, writer.add_page(source), line, metrics)
    except _READ_ERRORS as exc:
        raise PdfInvalido(f"el PDF no se pudo leer completo: {exc}") from exc
    return FoliatedCopy(writer, paginas, fojas)


def _foliate_page(writer: PdfWriter, page: PageObject, line: str, metrics: FontMetrics) -> None:
    flatten_signatures(writer, page)
    wrap_contents(writer, page, b"q " + rotation_to_content(writer, page), b"Q")
    box = RectangleObject(page.mediabox)
    grown = RectangleObject((box.left, box.bottom - STRIP, box.right, box.top))
    page.mediabox = grown
    page.cropbox = grown
    font = add_resource(page, "/Font", _FONT, writer._add_object(helvetica_font()))
    x = float(box.left) + (float(box.width) - metrics.width(line, _FOLIO_SIZE)) / 2
    y = float(grown.bottom) + STRIP * 0.35
    ops = text_ops(font[1:], _FOLIO_SIZE, _FOLIO_SIZE, (x, y), [line])
    append_contents(writer, page, b"q 0 g " + ops + b" Q")


def add_legend_pages(writer: PdfWriter, paragraphs: list[str], *, folio: str) -> int:
    """Append the certification legend (as many Letter pages as it needs); return how many.

    The legend's own marks lay it out: its header, title and signature block are centred
    (``docservice.pdf.tipografia``); a legend without marks is plain text, as version 1 was.
    """
    return add_text_pages(
        writer,
        paragraphs,
        size=_LEGEND_SIZE,
        leading=_LEGEND_LEADING,
        footer=lambda number, total: f"Hoja de certificación {number} de {total} · Folio {folio}",
        marcas=True,
    )


def to_bytes(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
