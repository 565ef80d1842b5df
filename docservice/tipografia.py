"""Text on PDF pages without embedding fonts: Helvetica metrics, wrapping, literal strings.

Stamps, folios and certification legends are drawn in the standard Helvetica font with
WinAnsi encoding (it carries every Spanish letter), so nothing is embedded per document.
Liberation Sans has Helvetica's advance widths; its ``hmtx`` table, read once per process and
scaled to thousandths of the font size, measures lines before they are drawn.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fontTools ships no type hints
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

METRICS_FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
"""Debian's fonts-liberation: metric-compatible with Helvetica/Arial."""
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


def helvetica_font() -> DictionaryObject:
    """The standard Helvetica, WinAnsi: every Spanish letter, nothing embedded."""
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
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
) -> int:
    """Append Letter pages holding ``paragraphs`` wrapped, with ``footer(n, total)``."""
    width, height = LETTER
    metrics = font_metrics()
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += wrap(paragraph, width - 2 * MARGIN, metrics, size) or [""]
        if blank_between:
            lines.append("")
    per_page = int((height - 2 * MARGIN) // leading)
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    font = writer._add_object(helvetica_font())
    for number, chunk in enumerate(chunks, start=1):
        page = writer.add_blank_page(width, height)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(f"/{FONT_NAME}"): font})}
        )
        text = footer(number, len(chunks))
        content = (
            b"0 g "
            + text_ops(FONT_NAME, size, leading, (MARGIN, height - MARGIN), chunk)
            + b" "
            + text_ops(FONT_NAME, 7.0, 7.0, (MARGIN, MARGIN / 2), [text])
        )
        stream = StreamObject()
        stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream)
    return len(chunks)
