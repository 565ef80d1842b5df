"""Where the visible stamp goes: a blank band of the last page, found by looking at it.

The last page is rendered in gray at low resolution with poppler's ``pdftoppm`` and every
pixel row with ink (text, lines, images, logos) is marked used. The stamp takes the lowest
blank band tall enough, placed right under the content above it, inside the page's text
column. Rendering sees what a reader sees, which text extraction alone would not (rules,
images, drawn signature lines). No band → the caller appends a page, or refuses if the PDF is
already signed (a new page would break the earlier signatures).
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
class Rect:
    """A rectangle in PDF user space (points, origin bottom left)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class PageInk:
    """Which pixel rows and columns of a page carry ink, and how pixels map to points."""

    media: Rect
    rows: list[bool]
    """Top to bottom."""
    columns: list[bool]
    """Left to right."""

    @property
    def scale(self) -> float:
        """Points per pixel."""
        return 72.0 / _DPI

    def column(self) -> tuple[float, float]:
        """Left and right edges for the stamp: from the text's left edge, at least
        ``_MIN_WIDTH`` wide, inside the page's margins."""
        used = [i for i, ink in enumerate(self.columns) if ink]
        left_limit = self.media.x0 + _MIN_MARGIN
        right_limit = self.media.x1 - _MIN_MARGIN
        if used:
            left = max(left_limit, self.media.x0 + used[0] * self.scale)
            right = min(right_limit, self.media.x0 + (used[-1] + 1) * self.scale)
        else:
            left, right = self.media.x0 + 72.0, self.media.x1 - 72.0
        right = min(right_limit, max(right, left + _MIN_WIDTH))
        left = max(left_limit, min(left, right - _MIN_WIDTH))
        return left, right

    def band_for(self, height: float) -> Rect | None:
        """The lowest blank band that holds ``height`` points, as the stamp's rectangle."""
        needed = height + 2 * _GAP
        bottom_limit = self.media.y0 + _MIN_MARGIN
        top_limit = self.media.y1 - _MIN_MARGIN
        left, right = self.column()
        for top, bottom in reversed(self._blank_runs()):
            band_top = min(top_limit, self.media.y1 - top * self.scale)
            band_bottom = max(bottom_limit, self.media.y1 - bottom * self.scale)
            if band_top - band_bottom >= needed:
                y1 = band_top - _GAP
                return Rect(left, y1 - height, right, y1)
        return None

    def _blank_runs(self) -> list[tuple[int, int]]:
        """(first row, row after the last) of each run of blank rows, top to bottom."""
        runs: list[tuple[int, int]] = []
        start: int | None = None
        for index, ink in enumerate([*self.rows, True]):
            if not ink and start is None:
                start = index
            elif ink and start is not None:
                runs.append((start, index))
                start = None
        return runs


def page_ink(pdf: bytes, page_number: int, media: Rect) -> PageInk | None:
    """Render page ``page_number`` (1-based) and mark its ink; None if poppler cannot."""
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
    rows = [min(pixels[r * width : (r + 1) * width], default=255) < _INK for r in range(height)]
    columns = [min(pixels[c::width], default=255) < _INK for c in range(width)]
    return PageInk(media=media, rows=rows, columns=columns)


def _read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit pixels of a binary PGM (P5) as pdftoppm writes it."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    magic, width, height, maxval = fields
    if magic != b"P5" or int(maxval) > 255:
        raise ValueError("pdftoppm no devolvió una imagen PGM de 8 bits")
    w, h = int(width), int(height)
    pixels = data[position + 1 : position + 1 + w * h]
    if len(pixels) != w * h:
        raise ValueError("imagen PGM incompleta")
    return w, h, pixels
