"""Reading what a page draws from its content stream (docservice.pdf.operaciones, tinta)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader
from pypdf.generic import ContentStream

from docservice.pdf.operaciones import ContentError, operations
from docservice.pdf.tinta import Box, NoMedible, drawn_boxes
from docservice.pdf.tipografia import font_metrics
from tests.signing import build_pdf

PAGE = Box(0, 0, 612, 792)


def test_operations_read_like_pypdf() -> None:
    pdf = build_pdf(lines=5)
    reader = PdfReader(BytesIO(pdf))
    contents = reader.pages[0].get_contents()
    assert contents is not None
    theirs = ContentStream(contents, reader).operations
    mine = operations(contents.get_data())
    assert [op for _, op in mine] == [op for _, op in theirs]
    assert mine[0] == ([], b"BT")
    assert mine[1] == (["/F1", 11.0], b"Tf")


def test_strings_arrays_dicts_and_inline_images() -> None:
    data = (
        rb"(a\(b\) \101\n) Tj [<0102> -250 (x)] TJ /P <</MCID 3>> BDC EMC "
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q"
    )
    ops = operations(data)
    assert ops[0] == ([b"a(b) A\n"], b"Tj")
    assert ops[1] == ([[b"\x01\x02", -250.0, b"x"]], b"TJ")
    assert ops[2] == (["/P", {"/MCID": 3.0}], b"BDC")
    assert ops[4][1] == b"BI" and ops[4][0][0]["/W"] == 1.0
    assert ops[5] == ([], b"Q")


@pytest.mark.parametrize("data", [b"(abierta Tj", b"[1 2 Tj", b"1 2 ] Tj"])
def test_broken_content_is_a_content_error(data: bytes) -> None:
    with pytest.raises(ContentError):
        operations(data)


def page_of(pdf: bytes) -> object:
    reader = PdfFileReader(BytesIO(pdf))
    return reader.root["/Pages"]["/Kids"][0].get_object()


def test_text_boxes_follow_td_tl_and_the_standard_widths() -> None:
    boxes = drawn_boxes(page_of(build_pdf(lines=3)), PAGE)
    body, footer = boxes[:3], boxes[3]
    assert [round(b.x0) for b in body] == [72, 72, 72]
    baselines = [720.0, 706.0, 692.0]  # 14 pt leading
    for box, baseline in zip(body, baselines, strict=True):
        assert box.y0 == pytest.approx(baseline - 0.207 * 11, abs=0.01)  # Helvetica's descent
        assert box.y1 == pytest.approx(baseline + 0.718 * 11, abs=0.01)  # and ascent
    # Liberation Sans, metric-compatible with Helvetica, measures the same line independently
    line = "1.0 Texto del cuerpo del documento de prueba."
    assert body[0].x1 - body[0].x0 == pytest.approx(font_metrics().width(line, 11), abs=0.05)
    assert footer.y0 < 36 < footer.y1


def test_unmeasurable_content_says_why() -> None:
    pdf = build_pdf(lines=1)
    page = page_of(pdf)
    resources = page["/Resources"]  # type: ignore[index]
    font = resources["/Font"]["/F1"]
    font["/Subtype"] = generic.pdf_name("/Type3")  # type: ignore[index]
    with pytest.raises(NoMedible, match="Type3"):
        drawn_boxes(page, PAGE)


def page_drawing(content: bytes, graphics_states: dict[str, dict[str, Any]] | None = None) -> Any:
    """The one page of ``build_pdf`` with its content replaced (Helvetica still /F1)."""
    page: Any = page_of(build_pdf(lines=1))
    page["/Contents"] = generic.StreamObject(stream_data=content)
    states = {
        generic.pdf_name(name): generic.DictionaryObject(
            {generic.pdf_name(key): value for key, value in values.items()}
        )
        for name, values in (graphics_states or {}).items()
    }
    page["/Resources"]["/ExtGState"] = generic.DictionaryObject(states)
    return page


RULE = b"0 0 0 RG 72 400 m 540 400 l S"


def test_an_unknown_operator_is_not_skipped() -> None:
    """``-300cm`` is one token to this reader and ``-300 cm`` to poppler: skipping it would
    measure the box 300 pt above where it is drawn."""
    with pytest.raises(NoMedible, match="el operador -300cm no se mide"):
        drawn_boxes(page_drawing(b"q 1 0 0 1 0 -300cm 72 700 200 20 re f Q"), PAGE)


def test_unknown_operators_inside_bx_ex_are_ignored_as_the_standard_says() -> None:
    (box,) = drawn_boxes(page_drawing(b"BX 1 2 nuevo EX " + RULE), PAGE)
    assert (box.y0, box.y1) == (399.5, 400.5)  # a 1 pt line
    with pytest.raises(NoMedible, match="nuevo"):
        drawn_boxes(page_drawing(b"BX EX 1 2 nuevo " + RULE), PAGE)


def test_a_graphics_state_sets_the_line_width_and_may_not_change_the_font() -> None:
    wide = {"/G1": {"/LW": generic.NumberObject(10)}}
    (box,) = drawn_boxes(page_drawing(b"/G1 gs " + RULE, wide), PAGE)
    assert (box.y0, box.y1) == (395.0, 405.0)
    font = {"/G1": {"/Font": generic.ArrayObject([generic.NumberObject(0)])}}
    with pytest.raises(NoMedible, match="cambia la fuente"):
        drawn_boxes(page_drawing(b"/G1 gs BT 72 720 Td (x) Tj ET", font), PAGE)
    with pytest.raises(NoMedible, match="/G2"):
        drawn_boxes(page_drawing(b"/G2 gs " + RULE, wide), PAGE)


def test_content_clipped_away_entirely_is_not_ink() -> None:
    """Two clipping paths that do not meet leave nothing to paint, not the whole page."""
    clipped_away = b"q 0 0 10 10 re W n 100 100 10 10 re W n 0 g -50 -50 700 900 re f Q "
    (rule,) = drawn_boxes(page_drawing(clipped_away + RULE), PAGE)
    assert (rule.y0, rule.y1) == (399.5, 400.5)


@pytest.mark.parametrize(
    ("mode", "fill", "stroke", "ink"),
    [
        (2, b"1 g", b"0 G", True),  # white fill, black outline: the outline shows
        (2, b"0 g", b"1 G", True),
        (1, b"0 g", b"1 G", False),  # stroked only, in white
        (0, b"1 g", b"0 G", False),  # filled only, in white
        (3, b"0 g", b"0 G", False),  # invisible
    ],
)
def test_text_is_ink_when_what_its_mode_paints_is_dark(
    mode: int, fill: bytes, stroke: bytes, ink: bool
) -> None:
    content = b"%s %s BT %d Tr /F1 11 Tf 72 720 Td (Texto) Tj ET" % (fill, stroke, mode)
    assert bool(drawn_boxes(page_drawing(content), PAGE)) is ink


SPACES = {
    "/Plata": generic.ArrayObject(
        [
            generic.pdf_name("/Separation"),
            generic.pdf_name("/Plata"),
            generic.pdf_name("/DeviceGray"),
            generic.NullObject(),
        ]
    ),
}


@pytest.mark.parametrize(
    ("color", "ink"),
    [
        (b"/DeviceRGB cs 1 1 1 sc", False),
        (b"/DeviceRGB cs 0.2 0.2 0.2 scn", True),
        (b"/Plata cs", True),  # a spot colour's initial tint: full
        (b"/Plata cs 1 scn", True),  # tint 1 is full colorant, not white
        (b"/Desconocido cs 1 scn", True),  # a space it cannot resolve counts as ink
        (b"/Plata cs 1 g", False),  # g returns to DeviceGray, where 1 is white
    ],
)
def test_a_colour_is_judged_light_only_in_a_gray_rgb_or_cmyk_space(color: bytes, ink: bool) -> None:
    page = page_drawing(color + b" 72 400 200 20 re f")
    page["/Resources"]["/ColorSpace"] = generic.DictionaryObject(
        {generic.pdf_name(k): v for k, v in SPACES.items()}
    )
    assert bool(drawn_boxes(page, PAGE)) is ink
