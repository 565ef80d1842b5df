"""PDFs to certify, built with pypdf: sizes, orientations, rotation, scanned images."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

LETTER, LANDSCAPE, A4, TABLOID = (612, 792), (792, 612), (595, 842), (792, 1224)


def _helvetica() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )


def _add_text_page(writer: PdfWriter, number: int, size: tuple[float, float], rotate: int) -> None:
    page = writer.add_blank_page(*size)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): _helvetica()})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 9 Tf 20 20 Td (Contenido original pagina %d) Tj ET" % number)
    page[NameObject("/Contents")] = writer._add_object(stream)
    if rotate:
        page[NameObject("/Rotate")] = NumberObject(rotate)


def _add_scanned_page(writer: PdfWriter, size: tuple[float, float]) -> None:
    """A page that is one grey image, as a scanner makes it (no text at all)."""
    width, height = size
    page = writer.add_blank_page(width, height)
    image = DecodedStreamObject()
    image.set_data(zlib.compress(bytes([200]) * (100 * 100)))
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(100),
            NameObject("/Height"): NumberObject(100),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)})}
    )
    contents = DecodedStreamObject()
    contents.set_data(f"q {width} 0 0 {height} 0 0 cm /Im1 Do Q".encode())
    page[NameObject("/Contents")] = writer._add_object(contents)


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_of(sizes: list[tuple[float, float]], rotate: int = 0) -> bytes:
    """Pages of the given sizes, each with a line of text at its bottom-left corner."""
    writer = PdfWriter()
    for number, size in enumerate(sizes, start=1):
        _add_text_page(writer, number, size, rotate)
    return _bytes(writer)


def scanned_pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        _add_scanned_page(writer, LETTER)
    return _bytes(writer)


def mixed_pdf() -> bytes:
    """Letter, landscape, A4, a tabloid page rotated 90° and a scanned page: 5 pages."""
    writer = PdfWriter()
    _add_text_page(writer, 1, LETTER, 0)
    _add_text_page(writer, 2, LANDSCAPE, 0)
    _add_text_page(writer, 3, A4, 0)
    _add_text_page(writer, 4, TABLOID, 90)
    _add_scanned_page(writer, LETTER)
    return _bytes(writer)
