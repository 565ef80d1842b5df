"""What a PDF font dictionary says about the size of shown text: advances, ascent, descent.

Simple fonts (TrueType, Type 1) by ``/Widths`` from ``/FirstChar``, or, for the 14 standard
fonts without widths, by their AFM metrics (pypdf ships them) through the font's encoding;
composite fonts with ``Identity-H`` encoding by the descendant's ``/W`` and ``/DW``. Type 3
and other encodings of composite fonts raise ``NoMedible`` (tinta's reason to fall back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pypdf._codecs import _win_encoding, adobe_glyphs  # private, but stable since pypdf 3
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
from pypdf._codecs.std import _std_encoding

_DEFAULT_ASCENT = 0.9
_DEFAULT_DESCENT = -0.25
"""Used when a font declares neither descriptor nor bounding box."""


class NoMedible(Exception):
    """The page draws something this reader does not measure."""


@dataclass(frozen=True)
class FontBox:
    """Advance widths (thousandths of the size) by character code, and the vertical extent."""

    widths: dict[int, float]
    default: float
    ascent: float
    """Above the baseline, in units of the font size."""
    descent: float
    """Below the baseline (negative), in units of the font size."""
    two_bytes: bool = False

    def codes(self, shown: bytes) -> Iterable[int]:
        if not self.two_bytes:
            return shown
        return (shown[i] << 8 | shown[i + 1] for i in range(0, len(shown) - 1, 2))

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default) / 1000


def font_box(font: Any) -> FontBox:
    """The FontBox of font dictionary ``font`` (pyHanko or pypdf objects)."""
    subtype = font.get("/Subtype")
    if subtype == "/Type0":
        return _composite(font)
    if subtype not in ("/TrueType", "/Type1", "/MMType1"):
        raise NoMedible(f"fuente {subtype} sin medidas")
    ascent, descent = _vertical(font.get("/FontDescriptor"))
    if "/Widths" in font:
        first = int(font.get("/FirstChar", 0))
        values = [float(w) for w in font["/Widths"].get_object()]
        widths = {first + i: w for i, w in enumerate(values)}
        descriptor = font.get("/FontDescriptor")
        missing = float(descriptor.get_object().get("/MissingWidth", 0)) if descriptor else 0.0
        return FontBox(widths, missing, ascent, descent)
    name = str(font.get("/BaseFont", "")).lstrip("/")
    metrics = CORE_FONT_METRICS.get(name)
    if metrics is None:
        raise NoMedible(f"la fuente {name} no trae anchos ni es estándar")
    if font.get("/FontDescriptor") is None:
        ascent = metrics.font_descriptor.ascent / 1000
        descent = metrics.font_descriptor.descent / 1000
    characters = _encoding(font, name)
    table = metrics.character_widths
    widths = {code: float(table[ch]) for code, ch in characters.items() if ch in table}
    return FontBox(widths, float(table.get("default", 0)), ascent, descent)


def _encoding(font: Any, name: str) -> dict[int, str]:
    """Character code → Unicode character of a simple standard font."""
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    base = encoding.get("/BaseEncoding") if isinstance(encoding, dict) else encoding
    if base == "/WinAnsiEncoding":
        table = list(_win_encoding)
    elif name in ("Symbol", "ZapfDingbats"):
        raise NoMedible(f"fuente simbólica {name}")
    else:
        table = list(_std_encoding)
    characters = dict(enumerate(table))
    if isinstance(encoding, dict):
        code = 0
        for raw in encoding.get("/Differences", []):
            item = raw.get_object() if hasattr(raw, "get_object") else raw
            if isinstance(item, int):
                code = int(item)
                continue
            glyph = str(item)
            if glyph in adobe_glyphs:
                characters[code] = adobe_glyphs[glyph]
            code += 1
    return characters


def _vertical(descriptor: Any) -> tuple[float, float]:
    if descriptor is None:
        return _DEFAULT_ASCENT, _DEFAULT_DESCENT
    descriptor = descriptor.get_object()
    ascent = float(descriptor.get("/Ascent", 0)) / 1000
    descent = float(descriptor.get("/Descent", 0)) / 1000
    if ascent <= 0 and "/FontBBox" in descriptor:
        bbox = [float(v) for v in descriptor["/FontBBox"].get_object()]
        ascent, descent = bbox[3] / 1000, bbox[1] / 1000
    return (ascent or _DEFAULT_ASCENT), (descent if descent < 0 else _DEFAULT_DESCENT)


def _composite(font: Any) -> FontBox:
    if font.get("/Encoding") != "/Identity-H":
        raise NoMedible(f"fuente compuesta con codificación {font.get('/Encoding')}")
    descendant = font["/DescendantFonts"].get_object()[0].get_object()
    ascent, descent = _vertical(descendant.get("/FontDescriptor"))
    widths: dict[int, float] = {}
    entries = [e.get_object() if hasattr(e, "get_object") else e for e in descendant.get("/W", [])]
    index = 0
    while index < len(entries):
        start = int(entries[index])
        following = entries[index + 1]
        if isinstance(following, list):
            widths.update({start + i: float(w) for i, w in enumerate(following)})
            index += 2
        else:
            last, width = int(following), float(entries[index + 2])
            if last - start > 65535:
                raise NoMedible("rango de anchos demasiado grande")
            widths.update(dict.fromkeys(range(start, last + 1), width))
            index += 3
    default = float(descendant.get("/DW", 1000))
    return FontBox(widths, default, ascent, descent, two_bytes=True)
