"""Text on PDF pages without embedding fonts: Helvetica metrics, wrapping, literal strings.

Stamps, folios and certification legends are drawn in the standard Helvetica font with
WinAnsi encoding (it carries every Spanish letter), so nothing is embedded per document.
Liberation Sans has Helvetica's advance widths; its ``hmtx`` table, read once per process and
scaled to thousandths of the font size, measures lines before they are drawn.

A certification legend marks its paragraphs for layout (``add_text_pages(..., marcas=True)``):
a paragraph that begins with ``[centrado]`` is centred, ``[titulo]`` centred in bold, and
``[firma]`` centred as the signature block, with room above and kept on one page.
Consecutive paragraphs with the same mark form one block, without blank lines between them.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fontTools ships no type hints
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

METRICS_FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
"""Debian's fonts-liberation: metric-compatible with Helvetica/Arial."""
METRICS_FONT_BOLD = METRICS_FONT.with_name("LiberationSans-Bold.ttf")
"""Metric-compatible with Helvetica-Bold."""
_UNITS_PER_EM = 1000
_lock = threading.Lock()


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths to measure lines before drawing them."""

    advances: dict[int, int]
    """Advance width per code point, in thousandths of the font size."""
    default_advance: int

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in points at ``size`` (no kerning: a safe upper bound)."""
        units = sum(self.advances.get(ord(c), self.default_advance) for c in text)
        return units * size / _UNITS_PER_EM


def font_metrics(path: Path = METRICS_FONT) -> FontMetrics:
    """The metrics of the font at ``path``, computed once per process."""
    with _lock:
        return _prepare(path.resolve())


@functools.cache
def _prepare(path: Path) -> FontMetrics:
    with TTFont(str(path), lazy=True) as font:
        scale = _UNITS_PER_EM / font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        cmap: dict[int, str] = font.getBestCmap()
        advances = {code: round(metrics[glyph][0] * scale) for code, glyph in cmap.items()}
        notdef = round(metrics[".notdef"][0] * scale)
    return FontMetrics(advances=advances, default_advance=notdef)


def wrap(text: str, width: float, font: FontMetrics, size: float) -> list[str]:
    """Greedy word wrap to ``width`` points; a word longer than a whole line (a hash, a URL)
    starts on the current line and is cut wherever the line ends."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if font.width(candidate, size) <= width:
            current = candidate
            continue
        if font.width(word, size) <= width:
            lines.append(current)
            current = word
            continue
        current = f"{current} " if current else ""
        for char in word:
            if font.width(current + char, size) > width and current.strip():
                lines.append(current.rstrip())
                current = ""
            current += char
    lines.append(current)
    return lines


def pdf_literal(text: str) -> bytes:
    """``text`` as a PDF literal string in WinAnsi (cp1252 covers Spanish; others print ?)."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_ops(
    font_name: str, size: float, leading: float, origin: tuple[float, float], lines: list[str]
) -> bytes:
    """Content-stream operators drawing ``lines`` from the baseline ``origin`` downwards."""
    x, y = origin
    ops = [b"BT /%s %g Tf %g TL %g %g Td" % (font_name.encode(), size, leading, x, y)]
    ops += [pdf_literal(line) + b" Tj T*" for line in lines]
    ops.append(b"ET")
    return b" ".join(ops)


LETTER = (612.0, 792.0)
MARGIN = 72.0
FONT_NAME = "FDoc"


BOLD_FONT_NAME = "FDocB"


def helvetica_font(*, bold: bool = False) -> DictionaryObject:
    """The standard Helvetica (or Helvetica-Bold), WinAnsi: every Spanish letter, nothing
    embedded."""
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica-Bold" if bold else "/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def add_text_pages(  # the layout of a plain text document, all keyword-only
    writer: PdfWriter,
    paragraphs: list[str],
    *,
    size: float,
    leading: float,
    footer: Callable[[int, int], str],
    blank_between: bool = True,
    marcas: bool = False,
) -> int:
    """Append Letter pages holding ``paragraphs`` wrapped, with ``footer(n, total)``.

    With ``marcas`` the paragraphs' marks (``[centrado]``, ``[titulo]``, ``[firma]``) lay them
    out; without, every paragraph is plain text, marks included.
    """
    width, height = LETTER
    per_page = int((height - 2 * MARGIN) // leading)
    if marcas:
        pages = _paginate(_blocks(paragraphs, width - 2 * MARGIN, size), per_page)
    else:
        metrics = font_metrics()
        lines: list[Line] = []
        for paragraph in paragraphs:
            lines += [Line(t) for t in wrap(paragraph, width - 2 * MARGIN, metrics, size) or [""]]
            if blank_between:
                lines.append(Line(""))
        pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    fonts = DictionaryObject(
        {
            NameObject(f"/{FONT_NAME}"): writer._add_object(helvetica_font()),
            NameObject(f"/{BOLD_FONT_NAME}"): writer._add_object(helvetica_font(bold=True)),
        }
    )
    for number, chunk in enumerate(pages, start=1):
        page = writer.add_blank_page(width, height)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        body = b" ".join(
            _line_ops(line, size, (MARGIN, height - MARGIN - i * leading), width - 2 * MARGIN)
            for i, line in enumerate(chunk)
            if line.text
        )
        text = footer(number, len(pages))
        content = (
            b"0 g " + body + b" " + text_ops(FONT_NAME, 7.0, 7.0, (MARGIN, MARGIN / 2), [text])
        )
        stream = StreamObject()
        stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream)
    return len(pages)


MARCAS = ("[centrado]", "[titulo]", "[firma]")
"""Paragraph marks of a certification legend (see the module's docstring)."""
_TITLE_GROWTH = 1.5
"""Points a title is larger than the text."""
_SPACE_BEFORE_FIRMA = 3


@dataclass(frozen=True)
class Line:
    """One drawn line: its text and how it is set."""

    text: str
    bold: bool = False
    centered: bool = False


@dataclass
class _Block:
    lines: list[Line] = field(default_factory=list)
    space_before: int = 1
    keep_together: bool = False


def _mark_of(paragraph: str) -> tuple[str | None, str]:
    for mark in MARCAS:
        if paragraph.startswith(mark):
            return mark, paragraph[len(mark) :].strip()
    return None, paragraph


def _blocks(paragraphs: list[str], width: float, size: float) -> list[_Block]:
    """Marked paragraphs as blocks of wrapped lines; same-mark neighbours share a block."""
    regular, bold = font_metrics(), font_metrics(METRICS_FONT_BOLD)
    blocks: list[_Block] = []
    previous: str | None = None
    for paragraph in paragraphs:
        mark, text = _mark_of(paragraph)
        if mark is None or mark != previous or not blocks:
            space = _SPACE_BEFORE_FIRMA if mark == "[firma]" else 1
            blocks.append(_Block(space_before=space if blocks else 0, keep_together=bool(mark)))
        previous = mark
        is_title = mark == "[titulo]"
        metrics, points = (bold, size + _TITLE_GROWTH) if is_title else (regular, size)
        for wrapped in wrap(text, width, metrics, points) or [""]:
            blocks[-1].lines.append(Line(wrapped, bold=is_title, centered=mark is not None))
    return blocks


def _paginate(blocks: list[_Block], per_page: int) -> list[list[Line]]:
    """Lines per page: a block kept together that does not fit starts a new page, and no
    page begins with blank lines."""
    pages: list[list[Line]] = [[]]
    for block in blocks:
        current = pages[-1]
        needed = block.space_before + len(block.lines)
        if block.keep_together and current and len(current) + needed > per_page >= len(block.lines):
            pages.append([])
        for _ in range(block.space_before if pages[-1] else 0):
            pages[-1].append(Line(""))
        for line in block.lines:
            if len(pages[-1]) >= per_page:
                pages.append([])
            pages[-1].append(line)
    return pages


def _line_ops(line: Line, size: float, origin: tuple[float, float], width: float) -> bytes:
    x, y = origin
    name, points = (BOLD_FONT_NAME, size + _TITLE_GROWTH) if line.bold else (FONT_NAME, size)
    if line.centered:
        metrics = font_metrics(METRICS_FONT_BOLD if line.bold else METRICS_FONT)
        x += max(0.0, (width - metrics.width(line.text, points)) / 2)
    return text_ops(name, points, points, (x, y), [line.text])
