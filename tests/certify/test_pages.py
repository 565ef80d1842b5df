"""Foliation and legend pages on real PDFs: sizes, orientations, rotation, scans, length."""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader, PdfWriter

from docservice.certify import add_legend_pages, count_fojas, foliate, open_copy, to_bytes
from docservice.errors import PdfInvalido
from tests.conftest import pdf_text
from tests.pdfs import pdf_of, scanned_pdf

HUELLA = "1a2b3c4d5e6f"


def certify(pdf: bytes, impresion: str = "una_cara") -> bytes:
    copy = foliate(
        open_copy(pdf, 500), folio="CERT/2026/000007", huella=HUELLA, impresion=impresion
    )  # type: ignore[arg-type]
    add_legend_pages(
        copy.writer, ["CERTIFICA: que la presente copia concuerda."], folio="CERT/2026/000007"
    )
    return to_bytes(copy.writer)


def page_text(pdf: bytes, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


@pytest.mark.parametrize(
    "sizes",
    [
        [(612, 792)] * 3,
        [(792, 612), (612, 792), (595, 842), (842, 1191)],
    ],
)
def test_every_page_is_foliated_without_covering_content(sizes: list[tuple[float, float]]) -> None:
    out = certify(pdf_of(sizes))
    reader = PdfReader(io.BytesIO(out))
    assert len(reader.pages) == len(sizes) + 1
    for number, (width, height) in enumerate(sizes, start=1):
        text = page_text(out, number)
        assert f"Foja {number} de {len(sizes)} · Folio CERT/2026/000007" in text
        assert HUELLA in text
        assert f"Contenido original pagina {number}" in text
        box = reader.pages[number - 1].mediabox
        assert float(box.width) == width and float(box.height) == height + 22
    assert "Hoja de certificación 1 de 1" in page_text(out, len(sizes) + 1)


def test_rotated_pages_get_the_folio_at_the_visual_bottom() -> None:
    out = certify(pdf_of([(612, 792)], rotate=90))
    page = PdfReader(io.BytesIO(out)).pages[0]
    assert page.rotation == 0
    assert "Foja 1 de 1" in page_text(out, 1)


def test_double_sided_counts_sheets() -> None:
    assert count_fojas(5, "doble_cara") == 3 and count_fojas(5, "una_cara") == 5
    out = certify(pdf_of([(612, 792)] * 3), "doble_cara")
    assert "Foja 1 de 2, anverso" in page_text(out, 1)
    assert "Foja 1 de 2, reverso" in page_text(out, 2)
    assert "Foja 2 de 2, anverso" in page_text(out, 3)


def test_scanned_image_pages_are_foliated() -> None:
    out = certify(scanned_pdf())
    assert "Foja 1 de 1" in page_text(out, 1)


def test_long_documents_and_long_legends() -> None:
    out = certify(pdf_of([(612, 792)] * 120))
    assert "Foja 120 de 120" in page_text(out, 120)
    copy = foliate(
        open_copy(pdf_of([(612, 792)]), 500), folio="F", huella=HUELLA, impresion="una_cara"
    )
    pages = add_legend_pages(copy.writer, ["palabra " * 400] * 4, folio="F")
    assert pages >= 2
    assert "Hoja de certificación 2 de" in pdf_text(to_bytes(copy.writer))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"no es un pdf", "dañado"),
        (b"%PDF-1.7\n%%EOF", "dañado"),
    ],
)
def test_bad_pdfs_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(PdfInvalido, match=reason):
        open_copy(data, 500)


def test_encrypted_and_too_long_pdfs_are_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of([(612, 792)]))))
    writer.encrypt(user_password="x", owner_password="y", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(PdfInvalido, match="cifrado"):
        open_copy(buffer.getvalue(), 500)
    with pytest.raises(PdfInvalido, match="máximo es 2"):
        open_copy(pdf_of([(612, 792)] * 3), 2)
