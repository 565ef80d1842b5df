"""Where a page draws, read from its content stream: the boxes of its text, paths and images.

What a reader sees as ink, without rasterizing: text boxes from the text matrices (Tm, Td,
TD, T*, TL, cm), the font size and the font's widths, ascent and descent; painted paths
(``re``, lines, curves; strokes widened by the line width); images and form XObjects placed
by the CTM (forms read recursively, clipped to their BBox). Fills and strokes in a colour
lighter than the rasterizer's ink threshold are not ink, invisible text (Tr 3, 7) neither;
clipping paths bound what follows them. Anything this reader cannot measure (Type 3 or
vertical fonts, shadings, unknown operators or operands) raises ``NoMedible`` with the reason:
the caller falls back, never guesses.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from docservice.pdf.fuentes import FontBox, NoMedible, font_box
from docservice.pdf.geometria import IDENTITY, Box, Matrix, apply, bounds, matrix, multiply
from docservice.pdf.operaciones import ContentError, operations

INK_GRAY = 200 / 255
"""Gray level (0 black, 1 white) below which a colour is ink, as the pixel scan had it."""
_MAX_DEPTH = 8
_MAX_BYTES = 4 * 1024 * 1024
"""Content larger than this is not read here (the caller falls back)."""
_PAINT_FILL = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_PAINT_STROKE = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
_FILLED_MODES = {0, 2, 4, 6}
_STROKED_MODES = {1, 2, 5, 6}
"""Text rendering modes (Tr) that fill and that stroke the glyphs; 3 and 7 draw neither."""
_NOWHERE = Box(0.0, 0.0, 0.0, 0.0)
"""The clip left by clipping paths that do not meet: nothing drawn passes through it."""

__all__ = ["Box", "NoMedible", "drawn_boxes", "multiply"]


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    clip: Box = _NOWHERE
    fill_ink: bool = True
    stroke_ink: bool = True
    fill_judged: bool = True
    """Whether the fill colour space's components are gray, RGB or CMYK (``_is_ink`` can
    judge them); not for Separation, DeviceN, Indexed, Lab or patterns."""
    stroke_judged: bool = True
    line_width: float = 1.0
    font: FontBox | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    mode: int = 0


def drawn_boxes(page: Any, clip: Box) -> list[Box]:
    """Boxes of everything page dictionary ``page`` draws, inside ``clip`` (its crop box)."""
    contents = page.get("/Contents")
    data = b"\n".join(_stream_data(part) for part in _as_list(contents))
    reader = _Reader(_resources(page))
    reader.run(data, _State(clip=clip), reader.resources, 0)
    return reader.boxes


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    value = value.get_object()
    return [item.get_object() for item in value] if isinstance(value, list) else [value]


def _stream_data(stream: Any) -> bytes:
    try:
        data: bytes = stream.data
    except Exception as exc:  # filters raise many types
        raise NoMedible(f"un flujo de contenido no se puede decodificar: {exc}") from exc
    if len(data) > _MAX_BYTES:
        raise NoMedible(f"el contenido mide {len(data)} bytes")
    return data


def _resources(node: Any) -> Any:
    while node is not None:
        if "/Resources" in node:
            return node["/Resources"].get_object()
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return {}


class _Reader:
    def __init__(self, resources: Any) -> None:
        self.resources = resources
        self.boxes: list[Box] = []
        self._fonts: dict[int, FontBox] = {}

    def run(self, data: bytes, state: _State, resources: Any, depth: int) -> None:
        try:
            program = operations(data)
        except ContentError as exc:
            raise NoMedible(f"el contenido no se puede leer: {exc}") from exc
        frame = _Frame(state, resources, depth)
        for operands, op in program:
            handler = _HANDLERS.get(op)
            if handler is None:
                if op in _DRAW_NOTHING or (frame.compatibility and op not in _UNMEASURED):
                    continue
                name = op.decode("latin-1")
                raise NoMedible(f"el operador {name} no se mide")
            numbers = [v for v in operands if isinstance(v, float)]
            try:
                handler(self, frame, operands, numbers)
            except (IndexError, ValueError, TypeError, KeyError, AttributeError) as exc:
                raise NoMedible(f"operandos inesperados de {op!r}: {exc}") from exc

    def add(self, state: _State, box: Box) -> None:
        clipped = box.clipped(state.clip)
        if clipped is not None:
            self.boxes.append(clipped)

    def clip_to(self, state: _State, path: list[tuple[float, float]]) -> Box:
        if not path:
            return state.clip
        xs, ys = [p[0] for p in path], [p[1] for p in path]
        box = Box(min(xs), min(ys), max(xs), max(ys))
        return box.clipped(state.clip) or _NOWHERE

    def paint(self, state: _State, path: list[tuple[float, float]], op: bytes) -> None:
        if not path:
            return
        xs, ys = [p[0] for p in path], [p[1] for p in path]
        if op in _PAINT_STROKE and state.stroke_ink:
            scale = math.sqrt(abs(state.ctm[0] * state.ctm[3] - state.ctm[1] * state.ctm[2]))
            half = max(state.line_width * scale, 0.5) / 2
            self.add(state, Box(min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half))
        elif op in _PAINT_FILL and state.fill_ink:
            self.add(state, Box(min(xs), min(ys), max(xs), max(ys)))

    def font(self, resources: Any, name: Any) -> FontBox:
        fonts = resources.get("/Font") if resources else None
        if fonts is None or name not in fonts.get_object():
            raise NoMedible(f"la fuente {name} no está en los recursos")
        font = fonts.get_object()[name].get_object()
        key = id(font)
        if key not in self._fonts:
            self._fonts[key] = font_box(font)
        return self._fonts[key]

    def show(self, state: _State, text: Matrix, shown: Any) -> Matrix:
        font = state.font
        if font is None:
            raise NoMedible("texto sin fuente")
        advance = 0.0
        for item in shown if isinstance(shown, list) else [shown]:
            if isinstance(item, float):
                advance -= item / 1000 * state.size * state.scale
                continue
            for code in font.codes(item):
                width = font.width(code) * state.size + state.char_spacing
                if code == 32 and not font.two_bytes:
                    width += state.word_spacing
                advance += width * state.scale
        filled = state.fill_ink and state.mode in _FILLED_MODES
        visible = filled or (state.stroke_ink and state.mode in _STROKED_MODES)
        if visible and advance != 0:
            bottom = state.rise + font.descent * state.size
            top = state.rise + font.ascent * state.size
            self.add(state, bounds(multiply(text, state.ctm), 0, bottom, advance, top))
        return multiply((1, 0, 0, 1, advance, 0), text)

    def xobject(self, state: _State, resources: Any, name: Any, depth: int) -> None:
        xobjects = resources.get("/XObject") if resources else None
        if xobjects is None or name not in xobjects.get_object():
            raise NoMedible(f"el objeto {name} no está en los recursos")
        xobject = xobjects.get_object()[name].get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self.add(state, bounds(state.ctm, 0, 0, 1, 1))
            return
        if subtype != "/Form" or depth >= _MAX_DEPTH:
            raise NoMedible(f"el objeto {name} ({subtype}) no se mide")
        inner = replace(state, ctm=multiply(matrix(_floats(xobject.get("/Matrix"))), state.ctm))
        if "/BBox" in xobject:
            x0, y0, x1, y1 = _floats(xobject["/BBox"])
            box = bounds(inner.ctm, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            inner.clip = box.clipped(state.clip) or _NOWHERE
        own = xobject.get("/Resources")
        self.run(_stream_data(xobject), inner, own.get_object() if own else resources, depth + 1)


@dataclass
class _Frame:
    """One content stream being read: graphics state stack, current path, text matrices."""

    state: _State
    resources: Any
    depth: int
    stack: list[_State] = field(default_factory=list)
    path: list[tuple[float, float]] = field(default_factory=list)
    text: Matrix = IDENTITY
    line: Matrix = IDENTITY
    compatibility: int = 0
    """Open BX…EX sections, where unknown operators are to be ignored."""

    def next_line(self, tx: float, ty: float) -> None:
        self.text = self.line = multiply((1, 0, 0, 1, tx, ty), self.line)


Handler = Callable[[_Reader, _Frame, list[Any], list[float]], None]


def _push(_r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
    f.stack.append(replace(f.state))


def _pop(_r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
    if f.stack:
        f.state = f.stack.pop()


def _concat(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
    f.state.ctm = multiply(matrix(n), f.state.ctm)


def _points(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
    ctm = f.state.ctm
    f.path += [apply(ctm, x, y) for x, y in zip(n[::2], n[1::2], strict=False)]


def _rectangle(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
    x, y, w, h = n
    f.path += [apply(f.state.ctm, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]


def _clip(r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
    f.state.clip = r.clip_to(f.state, f.path)


def _painter(op: bytes) -> Handler:
    def paint(r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
        r.paint(f.state, f.path, op)
        f.path = []

    return paint


def _setter(name: str, convert: Callable[[list[float]], Any]) -> Handler:
    def set_value(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
        setattr(f.state, name, convert(n))

    return set_value


def _device_color(paint: str) -> Handler:
    """g, rg, k (and G, RG, K): a device colour space and a colour in it."""

    def set_color(_r: _Reader, f: _Frame, o: list[Any], _n: list[float]) -> None:
        setattr(f.state, f"{paint}_judged", True)
        setattr(f.state, f"{paint}_ink", _is_ink(o))

    return set_color


def _color_space(paint: str) -> Handler:
    """cs (CS): a colour space, its initial colour taken as ink (black, or full tint)."""

    def set_space(_r: _Reader, f: _Frame, o: list[Any], _n: list[float]) -> None:
        setattr(f.state, f"{paint}_judged", _judged_space(f.resources, o[0]))
        setattr(f.state, f"{paint}_ink", True)

    return set_space


def _color(paint: str) -> Handler:
    """sc, scn (SC, SCN): a colour in the current space; ink unless it can be judged light."""

    def set_color(_r: _Reader, f: _Frame, o: list[Any], _n: list[float]) -> None:
        judged = getattr(f.state, f"{paint}_judged")
        setattr(f.state, f"{paint}_ink", _is_ink(o) if judged else True)

    return set_color


def _judged_space(resources: Any, name: Any) -> bool:
    if name in _JUDGED_SPACES:
        return True
    spaces = resources.get("/ColorSpace") if resources else None
    if spaces is None or name not in spaces.get_object():
        return False
    space = spaces.get_object()[name].get_object()
    family = space[0] if isinstance(space, list) and space else space
    return str(family) in _JUDGED_SPACES


def _begin_text(_r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
    f.text = f.line = IDENTITY


def _set_font(r: _Reader, f: _Frame, o: list[Any], n: list[float]) -> None:
    f.state.font = r.font(f.resources, o[0])
    f.state.size = n[-1]


def _move(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
    f.next_line(n[0], n[1])


def _move_leading(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
    f.state.leading = -n[1]
    f.next_line(n[0], n[1])


def _text_matrix(_r: _Reader, f: _Frame, _o: list[Any], n: list[float]) -> None:
    f.text = f.line = matrix(n)


def _next_line(_r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
    f.next_line(0, -f.state.leading)


def _show(r: _Reader, f: _Frame, o: list[Any], _n: list[float]) -> None:
    f.text = r.show(f.state, f.text, o[-1])


def _next_line_show(r: _Reader, f: _Frame, o: list[Any], n: list[float]) -> None:
    if len(n) == 2:  # the " operator sets word and character spacing first
        f.state.word_spacing, f.state.char_spacing = n
    f.next_line(0, -f.state.leading)
    f.text = r.show(f.state, f.text, o[-1])


def _do(r: _Reader, f: _Frame, o: list[Any], _n: list[float]) -> None:
    r.xobject(f.state, f.resources, o[0], f.depth)


def _graphics_state(r: _Reader, f: _Frame, o: list[Any], _n: list[float]) -> None:
    states = f.resources.get("/ExtGState") if f.resources else None
    if states is None or o[0] not in states.get_object():
        raise NoMedible(f"el estado gráfico {o[0]} no está en los recursos")
    state = states.get_object()[o[0]].get_object()
    if "/Font" in state:
        raise NoMedible(f"el estado gráfico {o[0]} cambia la fuente")
    if "/LW" in state:
        f.state.line_width = float(state["/LW"])


def _compatibility(delta: int) -> Handler:
    def enter_or_leave(_r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
        f.compatibility = max(0, f.compatibility + delta)

    return enter_or_leave


def _inline_image(r: _Reader, f: _Frame, _o: list[Any], _n: list[float]) -> None:
    r.add(f.state, bounds(f.state.ctm, 0, 0, 1, 1))


_HANDLERS: dict[bytes, Handler] = {
    b"q": _push, b"Q": _pop, b"cm": _concat,
    b"m": _points, b"l": _points, b"c": _points, b"v": _points, b"y": _points,
    b"re": _rectangle, b"W": _clip, b"W*": _clip,
    **{op: _painter(op) for op in (*_PAINT_FILL, *_PAINT_STROKE, b"n")},
    b"w": _setter("line_width", lambda n: n[0]),
    **{op: _device_color("fill") for op in (b"g", b"rg", b"k")},
    **{op: _device_color("stroke") for op in (b"G", b"RG", b"K")},
    b"cs": _color_space("fill"), b"CS": _color_space("stroke"),
    b"sc": _color("fill"), b"scn": _color("fill"),
    b"SC": _color("stroke"), b"SCN": _color("stroke"),
    b"BT": _begin_text, b"Tf": _set_font,
    b"Tc": _setter("char_spacing", lambda n: n[0]),
    b"Tw": _setter("word_spacing", lambda n: n[0]),
    b"Tz": _setter("scale", lambda n: n[0] / 100),
    b"TL": _setter("leading", lambda n: n[0]),
    b"Ts": _setter("rise", lambda n: n[0]),
    b"Tr": _setter("mode", lambda n: int(n[0])),
    b"Td": _move, b"TD": _move_leading, b"Tm": _text_matrix, b"T*": _next_line,
    b"Tj": _show, b"TJ": _show, b"'": _next_line_show, b'"': _next_line_show,
    b"Do": _do, b"BI": _inline_image, b"gs": _graphics_state,
    b"BX": _compatibility(1), b"EX": _compatibility(-1),
}  # fmt: skip
_DRAW_NOTHING = {
    b"ET", b"h", b"d", b"j", b"J", b"M", b"ri", b"i",  # path shape and rendering details
    b"BMC", b"BDC", b"EMC", b"MP", b"DP",  # marked content
}  # fmt: skip
"""Operators that neither draw nor move what is drawn. Any other operator this reader does
not know (say ``0cm``, which poppler reads as ``0 cm``) raises ``NoMedible``: ignoring it
could measure what follows in the wrong place, and the stamp would cover content."""
_UNMEASURED = {b"sh", b"d0", b"d1"}
_JUDGED_SPACES = {"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/CalGray", "/CalRGB", "/ICCBased"}


def _floats(value: Any) -> list[float]:
    return [float(v) for v in value.get_object()] if value is not None else list(IDENTITY)


def _is_ink(operands: list[Any]) -> bool:
    """Whether a colour given as operands (gray, RGB, CMYK; a pattern name) is ink."""
    values = [v for v in operands if isinstance(v, float)]
    if len(values) != len(operands) or not values:
        return True  # a pattern or a space this reader does not resolve: count it as ink
    if len(values) == 1:
        gray = values[0]
    elif len(values) == 3:
        r, g, b = values
        gray = 0.3 * r + 0.59 * g + 0.11 * b
    elif len(values) == 4:
        c, m, y, k = values
        gray = 1 - min(1.0, 0.3 * c + 0.59 * m + 0.11 * y + k)
    else:
        return True
    return gray < INK_GRAY
