"""Where the visible stamp goes: a blank band of the last page, found from what it draws.

The last page's content stream is read (``docservice.pdf.tinta``: text, rules, images, forms,
ignoring what is white or invisible) into the vertical spans it covers and its horizontal
extent. The stamp takes the lowest blank band tall enough, placed right under the content
above it, inside the content's column. Only when the content cannot be measured is the page
rendered with poppler's ``pdftoppm`` instead (the method used before, ≈ 45 % of the stamp's
cost), and that is logged. No band → the caller appends a page, or refuses if the PDF is
already signed (a new page would break the earlier signatures).
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docservice.pdf import tinta
from docservice.pdf.geometria import Box

log = logging.getLogger(__name__)

_DPI = 36
_INK = 200
"""Gray level below which a pixel is ink (0 black, 255 white)."""
_MIN_MARGIN = 42.0
"""Points kept clear at the page edges (1.5 cm)."""
_GAP = 8.0
"""Points between the stamp and the content around it."""
_MIN_WIDTH = 380.0
_TIMEOUT_S = 10


@dataclass(frozen=True)
class PageLayout:
    """Where a page is drawn on: its horizontal extent and the vertical spans it covers."""

    media: Box
    spans: list[tuple[float, float]]
    """(bottom, top) of each run of drawn content, merged, top to bottom."""
    extent: tuple[float, float] | None
    """Left and right edges of everything drawn; None for a blank page."""

    @classmethod
    def of_boxes(cls, media: Box, boxes: list[Box]) -> PageLayout:
        """The layout of ``boxes``, each already inside ``media`` (tinta clips them to it)."""
        extent = (min(b.x0 for b in boxes), max(b.x1 for b in boxes)) if boxes else None
        return cls(media, _merge([(b.y0, b.y1) for b in boxes]), extent)

    def column(self) -> tuple[float, float]:
        """Left and right edges for the stamp: from the content's left edge, at least
        ``_MIN_WIDTH`` wide, inside the page's margins."""
        left_limit = self.media.x0 + _MIN_MARGIN
        right_limit = self.media.x1 - _MIN_MARGIN
        if self.extent is not None:
            left = max(left_limit, self.extent[0])
            right = min(right_limit, self.extent[1])
        else:
            left, right = self.media.x0 + 72.0, self.media.x1 - 72.0
        right = min(right_limit, max(right, left + _MIN_WIDTH))
        left = max(left_limit, min(left, right - _MIN_WIDTH))
        return left, right

    def band_for(self, height: float) -> Box | None:
        """The lowest blank band that holds ``height`` points, as the stamp's rectangle."""
        needed = height + 2 * _GAP
        bottom_limit = self.media.y0 + _MIN_MARGIN
        top_limit = self.media.y1 - _MIN_MARGIN
        left, right = self.column()
        edges = [self.media.y1, *(y for span in self.spans for y in reversed(span)), self.media.y0]
        blanks = list(zip(edges[::2], edges[1::2], strict=True))  # (top, bottom), top to bottom
        for top, bottom in reversed(blanks):
            band_top = min(top_limit, top)
            band_bottom = max(bottom_limit, bottom)
            if band_top - band_bottom >= needed:
                y1 = band_top - _GAP
                return Box(left, y1 - height, right, y1)
        return None


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping (bottom, top) spans joined, returned top to bottom."""
    merged: list[tuple[float, float]] = []
    for bottom, top in sorted(spans, key=lambda s: -s[1]):
        if merged and top >= merged[-1][0]:
            merged[-1] = (min(merged[-1][0], bottom), merged[-1][1])
        else:
            merged.append((bottom, top))
    return merged


def drawn_layout(page: Any, media: Box) -> PageLayout:
    """The layout of page dictionary ``page`` from its content stream (``NoMedible`` when
    something on it cannot be measured)."""
    return PageLayout.of_boxes(media, tinta.drawn_boxes(page, media))


def last_page_layout(page: Any, pdf: bytes, page_number: int, media: Box) -> PageLayout | None:
    """The layout of the last page: read from its content, or, when that cannot be measured,
    rendered (logged); None (logged) when neither can say."""
    try:
        return drawn_layout(page, media)
    except tinta.NoMedible as exc:
        log.warning(
            "sello: no se pudo medir el contenido de la página %d (%s); se ubica rasterizando "
            "la página con pdftoppm",
            page_number,
            exc,
        )
    layout = page_ink(pdf, page_number, media)
    if layout is None:
        log.warning(
            "sello: tampoco se pudo rasterizar la página %d; el sello irá en una página nueva "
            "(o se rechaza si el PDF ya está firmado)",
            page_number,
        )
    return layout


def page_ink(pdf: bytes, page_number: int, media: Box) -> PageLayout | None:
    """The fallback: render page ``page_number`` (1-based) in gray at low resolution and take
    every pixel row and column with ink as drawn; None if poppler cannot."""
    with tempfile.TemporaryDirectory(prefix="docservice-sello-") as tmp:
        source = Path(tmp) / "documento.pdf"
        source.write_bytes(pdf)
        target = Path(tmp) / "pagina"
        command = [
            "pdftoppm", "-f", str(page_number), "-l", str(page_number), "-r", str(_DPI),
            "-gray", "-cropbox", "-singlefile", str(source), str(target),
        ]  # fmt: skip
        try:
            # pdftoppm from PATH (poppler-utils), as convert/ runs soffice.
            subprocess.run(command, capture_output=True, check=True, timeout=_TIMEOUT_S)
            width, height, pixels = _read_pgm((Path(tmp) / "pagina.pgm").read_bytes())
        except (OSError, subprocess.SubprocessError, ValueError):
            return None
    scale = 72.0 / _DPI
    rows = [r for r in range(height) if min(pixels[r * width : (r + 1) * width]) < _INK]
    columns = [c for c in range(width) if min(pixels[c::width]) < _INK]
    spans = [(media.y1 - (r + 1) * scale, media.y1 - r * scale) for r in rows]
    extent = None
    if columns:
        extent = (media.x0 + columns[0] * scale, media.x0 + (columns[-1] + 1) * scale)
    return PageLayout(media, _merge(spans), extent)


_PGM_HEADER = re.compile(rb"P5\s+(?P<width>\d+)\s+(?P<height>\d+)\s+(?P<maxval>\d+)\s")
"""A binary PGM's header (no comments: pdftoppm writes none); one whitespace ends it."""


def _read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit pixels of a binary PGM (P5) as pdftoppm writes it."""
    header = _PGM_HEADER.match(data)
    if header is None or int(header["maxval"]) > 255:
        raise ValueError("pdftoppm no devolvió una imagen PGM de 8 bits")
    w, h = int(header["width"]), int(header["height"])
    pixels = data[header.end() : header.end() + w * h]
    if len(pixels) != w * h:
        raise ValueError("imagen PGM incompleta")
    return w, h, pixels
