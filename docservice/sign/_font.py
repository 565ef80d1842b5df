"""Metrics of the stamp's text, read once per process from a metric-compatible TrueType font.

The stamp is drawn in the standard Helvetica font (WinAnsi carries every Spanish letter), so
nothing is embedded per signature. Liberation Sans has Helvetica's (Arial's) advance widths,
so its ``hmtx`` table, scaled to thousandths of the font size, measures lines for wrapping.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # fontTools ships no type hints

_UNITS_PER_EM = 1000
_lock = threading.Lock()


@dataclass(frozen=True)
class StampFont:
    """Advance widths to measure lines before drawing them."""

    advances: dict[int, int]
    """Advance width per code point, in thousandths of the font size."""
    default_advance: int

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in points at ``size`` (no kerning: a safe upper bound)."""
        units = sum(self.advances.get(ord(c), self.default_advance) for c in text)
        return units * size / _UNITS_PER_EM


def stamp_font(path: Path) -> StampFont:
    """The metrics of the font at ``path``, computed once per process."""
    with _lock:
        return _prepare(path.resolve())


@functools.cache
def _prepare(path: Path) -> StampFont:
    with TTFont(str(path), lazy=True) as font:
        scale = _UNITS_PER_EM / font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        cmap: dict[int, str] = font.getBestCmap()
        advances = {code: round(metrics[glyph][0] * scale) for code, glyph in cmap.items()}
        notdef = round(metrics[".notdef"][0] * scale)
    return StampFont(advances=advances, default_advance=notdef)
