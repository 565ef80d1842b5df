"""The stamp is placed from the content stream where the pixel scan placed it (issue 13).

The reference here is the method used before, written again independently: the last page
rendered by poppler's ``pdftoppm`` in gray at 36 dpi, every row and column with a pixel
darker than 200 taken as ink, and the stamp put in the lowest blank band that holds it, right
under the content above, 8 pt apart, inside 42 pt margins, from the content's left edge and
at least 380 pt wide. The ten plantillas are rendered from their ejemplo.json by the real
renderer and LibreOffice (through the API), then signed with a visible stamp.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from docservice.model import Rol
from docservice.sign import SignerRegistry, StampInfo, _placement, sign_pdf
from tests.conftest import PLANTILLAS, ejemplo
from tests.sign.test_stamp import widget

pytestmark = pytest.mark.libreoffice
CLAVES = sorted(p.parent.name for p in PLANTILLAS.glob("*/ejemplo.json"))
TOLERANCE = 4.0
"""Points: the pixel scan sees ink in 2 pt rows and glyph outlines, the content stream the
font's declared descent and advance widths."""
DPI, INK, MARGIN, GAP, MIN_WIDTH = 36, 200, 42.0, 8.0, 380.0


def pixel_rect(
    pdf: bytes, height: float, tmp_path: Path, page_size: tuple[float, float]
) -> tuple[float, float, float, float] | None:
    """Where the pixel scan puts a stamp ``height`` points tall on the last page."""
    source = tmp_path / "documento.pdf"
    source.write_bytes(pdf)
    pages = int(PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Count"])
    subprocess.run(
        ["pdftoppm", "-f", str(pages), "-l", str(pages), "-r", str(DPI), "-gray",
         "-singlefile", str(source), str(tmp_path / "pagina")],
        check=True,
    )  # fmt: skip
    data = (tmp_path / "pagina.pgm").read_bytes()
    header = data.split(maxsplit=4)
    width, rows_count = int(header[1]), int(header[2])
    pixels = header[4][: width * rows_count]
    rows = [min(pixels[r * width : (r + 1) * width]) < INK for r in range(rows_count)]
    columns = [min(pixels[c::width]) < INK for c in range(width)]
    scale = 72.0 / DPI
    page_width, page_height = page_size
    used = [i for i, ink in enumerate(columns) if ink]
    left = max(MARGIN, used[0] * scale) if used else 72.0
    right = min(page_width - MARGIN, (used[-1] + 1) * scale) if used else page_width - 72.0
    right = min(page_width - MARGIN, max(right, left + MIN_WIDTH))
    left = max(MARGIN, min(left, right - MIN_WIDTH))
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, ink in enumerate([*rows, True]):
        if not ink and start is None:
            start = index
        elif ink and start is not None:
            runs.append((start, index))
            start = None
    for top, bottom in reversed(runs):
        band_top = min(page_height - MARGIN, page_height - top * scale)
        band_bottom = max(MARGIN, page_height - bottom * scale)
        if band_top - band_bottom >= height + 2 * GAP:
            return left, band_top - GAP - height, right, band_top - GAP
    return None


@pytest.fixture(scope="module")
def plantilla_pdfs(client: TestClient, auth: dict[Rol, dict[str, str]]) -> dict[str, bytes]:
    """Each plantilla's ejemplo as LibreOffice renders it, unsigned."""
    pdfs: dict[str, bytes] = {}
    for clave in CLAVES:
        body = {"plantilla": clave, "datos": ejemplo(clave), "formato": "pdf"}
        response = client.post("/v1/documentos", json=body, headers=auth[Rol.SISTEMA])
        assert response.status_code == 200, response.text
        pdfs[clave] = response.content
    return pdfs


def test_the_ten_plantillas_are_all_checked() -> None:
    assert len(CLAVES) == 10


@pytest.mark.parametrize("clave", CLAVES)
def test_stamp_goes_where_the_pixel_scan_put_it(  # noqa: PLR0917  # fixtures and parameter
    clave: str,
    plantilla_pdfs: dict[str, bytes],
    signer_registry: SignerRegistry,
    stamp_info: StampInfo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    original = plantilla_pdfs[clave]
    pages = int(PdfFileReader(BytesIO(original)).root["/Pages"]["/Count"])
    with caplog.at_level(logging.WARNING, logger="docservice.sign._placement"):
        signed = sign_pdf(original, signer_registry.get("desarrollo"), stamp=stamp_info)
    assert caplog.records == []  # measured from the content, no fallback
    page, rect = widget(signed)
    assert page == pages - 1  # on the last page, none appended
    expected = pixel_rect(original, rect[3] - rect[1], tmp_path, (612.0, 792.0))
    assert expected is not None
    assert rect == pytest.approx(list(expected), abs=TOLERANCE)


def pdf_with(content: bytes, resources: DictionaryObject | None = None) -> bytes:
    """A one-page Letter PDF drawing ``content`` with Helvetica as /F1."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = resources or DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


TEXT = b"BT /F1 11 Tf 14 TL 72 720 Td " + b"(Texto del cuerpo del documento.) Tj T* " * 20 + b"ET"
RULE = b"q 0 0 0 RG 2 w 72 420 m 540 420 l S Q"
WHITE_BOX = b"q 1 1 1 rg 60 100 500 300 re f Q"
LIGHT_TEXT = b"q 0.9 g BT /F1 11 Tf 72 380 Td (Marca de agua clara) Tj ET Q"


@pytest.mark.parametrize(
    "extra",
    [b"", RULE, WHITE_BOX, LIGHT_TEXT, b"BT 3 Tr /F1 11 Tf 72 300 Td (Texto invisible) Tj ET"],
    ids=["texto", "linea", "caja-blanca", "texto-claro", "texto-invisible"],
)
def test_what_a_reader_sees_decides_like_the_pixels(
    extra: bytes,
    signer_registry: SignerRegistry,
    stamp_info: StampInfo,
    tmp_path: Path,
) -> None:
    """Dark rules count; white fills, light and invisible text do not."""
    original = pdf_with(TEXT + b"\n" + extra)
    signed = sign_pdf(original, signer_registry.get("desarrollo"), stamp=stamp_info)
    page, rect = widget(signed)
    assert page == 0
    expected = pixel_rect(original, rect[3] - rect[1], tmp_path, (612.0, 792.0))
    assert expected is not None
    assert rect == pytest.approx(list(expected), abs=TOLERANCE)


def test_content_it_cannot_measure_falls_back_to_the_pixels_and_says_so(
    signer_registry: SignerRegistry,
    stamp_info: StampInfo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A shading (``sh``) is not measured: the page is rasterized, and the log says why."""
    shading = DictionaryObject(
        {
            NameObject("/ShadingType"): _number(2),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            NameObject("/Coords"): _array([72, 0, 540, 0]),
            NameObject("/Function"): DictionaryObject(
                {
                    NameObject("/FunctionType"): _number(2),
                    NameObject("/Domain"): _array([0, 1]),
                    NameObject("/C0"): _array([0]),
                    NameObject("/C1"): _array([0.5]),
                    NameObject("/N"): _number(1),
                }
            ),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    resources = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
            NameObject("/Shading"): DictionaryObject({NameObject("/Sh1"): shading}),
        }
    )
    band = b"q 72 430 468 20 re W n /Sh1 sh Q"
    original = pdf_with(TEXT + b"\n" + band, resources)
    with caplog.at_level(logging.WARNING, logger="docservice.sign._placement"):
        signed = sign_pdf(original, signer_registry.get("desarrollo"), stamp=stamp_info)
    (record,) = caplog.records
    assert "el operador sh no se mide" in record.getMessage()
    assert "pdftoppm" in record.getMessage()
    page, rect = widget(signed)
    assert page == 0  # still on the page, under the shaded band, not moved to a new one
    assert rect[3] < 430
    expected = pixel_rect(original, rect[3] - rect[1], tmp_path, (612.0, 792.0))
    assert expected is not None
    assert rect == pytest.approx(list(expected), abs=1.0)


def test_an_operator_it_does_not_know_falls_back_instead_of_covering_content(
    signer_registry: SignerRegistry,
    stamp_info: StampInfo,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """poppler draws ``-300cm`` as ``-300 cm``: the box lands at 400–420, right under the
    text. Skipping the operator would see the box up in the text and put the stamp on it."""
    box = b"q 1 0 0 1 0 -300cm 0 g 72 700 200 20 re f Q"
    original = pdf_with(TEXT + b"\n" + box)
    with caplog.at_level(logging.WARNING, logger="docservice.sign._placement"):
        signed = sign_pdf(original, signer_registry.get("desarrollo"), stamp=stamp_info)
    (record,) = caplog.records
    assert "el operador -300cm no se mide" in record.getMessage()
    page, rect = widget(signed)
    assert page == 0
    assert rect[3] < 400  # under the box, not over it
    expected = pixel_rect(original, rect[3] - rect[1], tmp_path, (612.0, 792.0))
    assert expected is not None
    assert rect == pytest.approx(list(expected), abs=1.0)


def _number(value: float) -> NumberObject | FloatObject:
    return NumberObject(value) if float(value).is_integer() else FloatObject(value)


def _array(values: list[float]) -> ArrayObject:
    return ArrayObject([_number(v) for v in values])


def test_a_rotated_last_page_is_not_searched_and_the_log_says_so(
    signer_registry: SignerRegistry, stamp_info: StampInfo, caplog: pytest.LogCaptureFixture
) -> None:
    writer = PdfWriter(clone_from=BytesIO(pdf_with(TEXT)))
    writer.pages[0][NameObject("/Rotate")] = NumberObject(90)
    buffer = BytesIO()
    writer.write(buffer)
    with caplog.at_level(logging.WARNING, logger="docservice.sign.stamp"):
        signed = sign_pdf(buffer.getvalue(), signer_registry.get("desarrollo"), stamp=stamp_info)
    assert any("está girada" in r.getMessage() for r in caplog.records)
    page, _ = widget(signed)
    assert page == 1  # on a page appended for it, as before


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "PGM de 8 bits"),
        (b"P5 4", "PGM de 8 bits"),
        (b"P5 4 2 255", "PGM de 8 bits"),
        (b"P6 4 2 255\n" + bytes(24), "PGM de 8 bits"),
        (b"P5 4 2 65535\n" + bytes(16), "PGM de 8 bits"),
        (b"P5 4 2 255\n" + bytes(7), "incompleta"),
    ],
)
def test_a_truncated_or_foreign_page_image_is_refused_not_looped_on(
    data: bytes, error: str
) -> None:
    """A header cut short (pdftoppm killed mid-write) made the reader loop for ever; read in a
    child with a timeout, so a regression fails instead of hanging the suite."""
    script = (
        "from docservice.sign._placement import _read_pgm\n"
        f"try:\n    _read_pgm({data!r})\nexcept ValueError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert error in done.stdout


def test_a_page_image_is_read_as_pdftoppm_writes_it() -> None:
    pixels = bytes(range(8))
    assert _placement._read_pgm(b"P5\n4 2\n255\n" + pixels) == (4, 2, pixels)
