"""The stamp's font: a TrueType font rescaled to 1000 units per em, prepared once per process.

pyHanko 0.38 writes a CIDFont's ``/W`` widths in font units, right only for 1000-unit fonts;
Liberation Sans (2048 units) would render with every glyph spread ~2× apart. fontTools'
``scaleUpem`` fixes that. The font is also cut down to the Latin characters a Spanish stamp
uses, so the per-signature subsetting pyHanko does works on a small font.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import subset  # type: ignore[import-untyped]  # fontTools ships no type hints
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fontTools.ttLib.scaleUpem import scale_upem  # type: ignore[import-untyped]
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

_UNITS_PER_EM = 1000
# ASCII, Latin-1 (á é í ó ú ñ ü ¿ ¡ º ª), Latin Extended-A and the usual punctuation.
_CHARACTERS = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2027), 0x2212]
_lock = threading.Lock()


@dataclass(frozen=True)
class StampFont:
    """Font bytes ready to embed, and the advance widths to measure lines before drawing."""

    data: bytes
    advances: dict[int, int]
    """Advance width per code point, in thousandths of the font size."""
    default_advance: int

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in points at ``size`` (no kerning: a safe upper bound)."""
        units = sum(self.advances.get(ord(c), self.default_advance) for c in text)
        return units * size / _UNITS_PER_EM


def stamp_font(path: Path) -> StampFont:
    """The prepared font for ``path``, computed once per process."""
    with _lock:
        return _prepare(path.resolve())


@functools.cache
def _prepare(path: Path) -> StampFont:
    font = TTFont(str(path))
    if font["head"].unitsPerEm != _UNITS_PER_EM:
        scale_upem(font, _UNITS_PER_EM)
    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing to keep
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=_CHARACTERS)
    subsetter.subset(font)
    buffer = BytesIO()
    font.save(buffer)
    cmap: dict[int, str] = font.getBestCmap()
    metrics = font["hmtx"].metrics
    advances = {code: int(metrics[glyph][0]) for code, glyph in cmap.items()}
    return StampFont(
        data=buffer.getvalue(), advances=advances, default_advance=int(metrics[".notdef"][0])
    )


class StampFontFactory(FontEngineFactory):
    """pyHanko font engine factory that reads the prepared bytes, never the file."""

    def __init__(self, font: StampFont, size: int) -> None:
        self.font = font
        self.size = size

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=BytesIO(self.font.data),
            font_size=self.size,
            bcp47_lang_code="es-MX",
            obj_stream=obj_stream,
        )
