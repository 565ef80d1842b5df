"""Foliation of every page of a copy and the certification legend page, drawn with pypdf.

Each page gets a strip added below its content (the MediaBox grows; nothing is covered or
shrunk) with "Foja n de m", the certification folio and the short hash of the original.
Rotated pages have their rotation moved into the content first, so the strip is always at
the visual bottom. Text is Helvetica/WinAnsi (``docservice.tipografia``): nothing embedded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Literal

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    RectangleObject,
    StreamObject,
)

from docservice.errors import PdfInvalido
from docservice.tipografia import font_metrics, text_ops, wrap

Impresion = Literal["una_cara", "doble_cara"]
STRIP = 22.0
"""Points added below each page for its folio line."""
_FONT = "FDoc"
_FOLIO_SIZE = 7.0
_LEGEND_SIZE = 10.5
_LEGEND_LEADING = 15.0
_MARGIN = 72.0
_LETTER = (612.0, 792.0)


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


def _font_resource() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _overlay(
    writer: PdfWriter,
    box: RectangleObject,
    content: bytes,
    xobjects: DictionaryObject | None = None,
) -> PageObject:
    """A transparent page of ``box`` carrying ``content``, Helvetica and any ``xobjects``."""
    page = PageObject.create_blank_page(writer, width=box.width, height=box.height)
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject(f"/{_FONT}"): _font_resource()})}
    )
    if xobjects:
        resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    return page


def _is_signature_widget(annotation: DictionaryObject) -> bool:
    field: Any = annotation
    for _ in range(8):  # /FT may be inherited from a parent field
        if field.get("/FT") is not None:
            return bool(field.get("/FT") == "/Sig")
        parent = field.get("/Parent")
        if parent is None:
            return False
        field = parent.get_object()
    return False


def _normalized(box: Any) -> tuple[float, float, float, float]:
    """(left, bottom, width, height) of a PDF rectangle given in any corner order."""
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)


def _placed(appearance: StreamObject, rect: Any) -> bytes:
    """Draw a widget's appearance where the widget was: its /BBox mapped onto its /Rect."""
    left, bottom, width, height = _normalized(rect)
    b_left, b_bottom, b_width, b_height = _normalized(appearance.get("/BBox", rect))
    sx = width / b_width if b_width else 1.0
    sy = height / b_height if b_height else 1.0
    return (
        f"{sx:.4f} 0 0 {sy:.4f} {left - b_left * sx:.2f} {bottom - b_bottom * sy:.2f} cm".encode()
    )


def flatten_signatures(writer: PdfWriter, page: PageObject) -> int:
    """Turn the original's signature widgets into plain drawings; returns how many.

    A copy is a new file: the original's signatures cannot stay live in it (their byte ranges
    no longer exist), but their visible stamps stay where they were, as page content.
    """
    annotations = page.get("/Annots")
    if annotations is None:
        return 0
    kept, xobjects = ArrayObject(), DictionaryObject()
    drawings: list[bytes] = []
    for reference in annotations.get_object():
        annotation = reference.get_object()
        if annotation.get("/Subtype") != "/Widget" or not _is_signature_widget(annotation):
            kept.append(reference)
            continue
        appearance = annotation.get("/AP", DictionaryObject()).get("/N")
        appearance = appearance.get_object() if appearance is not None else None
        rect = annotation.get("/Rect")
        if isinstance(appearance, StreamObject) and rect is not None:
            name = f"/FirmaOriginal{len(drawings)}"
            xobjects[NameObject(name)] = writer._add_object(appearance)
            drawings.append(b"q " + _placed(appearance, rect) + f" {name} Do Q".encode())
    removed = len(annotations.get_object()) - len(kept)
    if removed:
        page[NameObject("/Annots")] = kept
    if drawings:
        box = RectangleObject(page.mediabox)
        page.merge_page(_overlay(writer, box, b" ".join(drawings), xobjects))
    return removed


def signature_count(reader: PdfReader) -> int:
    """How many signature fields the original carries (signed or not)."""
    fields = reader.get_fields() or {}
    return sum(1 for field in fields.values() if field.get("/FT") == "/Sig")


def open_copy(pdf: bytes, max_pages: int) -> PdfReader:
    """Read the PDF to certify; encrypted, damaged, empty or too long → PdfInvalido."""
    try:
        reader = PdfReader(BytesIO(pdf))
        if reader.is_encrypted:
            raise PdfInvalido("el PDF está cifrado; envíe una copia sin contraseña")
        paginas = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, RecursionError) as exc:
        raise PdfInvalido(f"el PDF está dañado o no es un PDF: {exc}") from exc
    if paginas == 0:
        raise PdfInvalido("el PDF no tiene páginas")
    if paginas > max_pages:
        raise PdfInvalido(f"el PDF tiene {paginas} páginas; el máximo es {max_pages}")
    return reader


def foliate(reader: PdfReader, *, folio: str, huella: str, impresion: Impresion) -> FoliatedCopy:
    """Every page with its folio line in a strip added below it."""
    writer = PdfWriter()
    paginas = len(reader.pages)
    fojas = count_fojas(paginas, impresion)
    metrics = font_metrics()
    for index, source in enumerate(reader.pages):
        page = writer.add_page(source)
        flatten_signatures(writer, page)
        page.transfer_rotation_to_content()
        box = RectangleObject(page.mediabox)
        grown = RectangleObject((box.left, box.bottom - STRIP, box.right, box.top))
        page.mediabox = grown
        page.cropbox = grown
        line = f"{foja_label(index, fojas, impresion)} · Folio {folio} · Original SHA-256 {huella}"
        x = box.left + (float(box.width) - metrics.width(line, _FOLIO_SIZE)) / 2
        ops = text_ops(_FONT, _FOLIO_SIZE, _FOLIO_SIZE, (x, STRIP * 0.35), [line])
        page.merge_translated_page(_overlay(writer, grown, b"0 g " + ops), 0, grown.bottom)
    return FoliatedCopy(writer, paginas, fojas)


def add_legend_pages(writer: PdfWriter, paragraphs: list[str], *, folio: str) -> int:
    """Append the certification legend (as many Letter pages as it needs); return how many."""
    width, height = _LETTER
    metrics = font_metrics()
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*wrap(paragraph, width - 2 * _MARGIN, metrics, _LEGEND_SIZE), ""]
    per_page = int((height - 2 * _MARGIN) // _LEGEND_LEADING)
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        page = writer.add_blank_page(width, height)
        footer = f"Hoja de certificación {number} de {len(chunks)} · Folio {folio}"
        content = (
            b"0 g "
            + text_ops(_FONT, _LEGEND_SIZE, _LEGEND_LEADING, (_MARGIN, height - _MARGIN), chunk)
            + b" "
            + text_ops(_FONT, _FOLIO_SIZE, _FOLIO_SIZE, (_MARGIN, _MARGIN / 2), [footer])
        )
        page.merge_page(_overlay(writer, RectangleObject((0, 0, width, height)), content))
    return len(chunks)


def to_bytes(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
