"""The draft watermark: on every page, over the content, nothing of the original lost."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from docservice.pdf.contenido import watermark
from docservice.pdf.tipografia import pdf_literal
from tests.pdfs import A4, LANDSCAPE, LETTER, pdf_of

MARCA = "BORRADOR — SIN VALIDEZ"


def page_text(pdf: bytes, page: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def tinted_share(pdf: bytes, page: int, folder: Path) -> float:
    """Share of the page's pixels in the watermark's reddish tint."""
    (folder / "m.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(folder / "m.pdf"), str(folder / "p")],
        check=True,
    )  # fmt: skip
    raw = Image.open(folder / "p.png").convert("RGB").tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    return sum(1 for r, g, b in pixels if r - g > 25 and r - b > 25) / len(pixels)


def test_every_page_carries_the_watermark_and_keeps_its_text(tmp_path: Path) -> None:
    original = pdf_of([LETTER, LANDSCAPE, A4])
    marked = watermark(original, MARCA)
    reader = PdfReader(io.BytesIO(marked))
    assert len(reader.pages) == 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"Contenido original pagina {number}" in page_text(marked, number)
        assert pdf_literal(MARCA) in page.get_contents().get_data()  # type: ignore[union-attr]
        assert tinted_share(marked, number, tmp_path) > 0.01
    assert tinted_share(original, 1, tmp_path) == 0


def test_rotated_pages_are_marked_too(tmp_path: Path) -> None:
    marked = watermark(pdf_of([LETTER], rotate=90), MARCA)
    assert PdfReader(io.BytesIO(marked)).pages[0].rotation == 0
    assert tinted_share(marked, 1, tmp_path) > 0.01
