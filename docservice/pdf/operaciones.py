"""A content stream read as operators: ``[(operands, operator), …]``, fast.

pypdf's ``ContentStream`` builds a PDF object per token (≈ 35 ms for the 150 operators of a
LibreOffice page, more than rasterizing it). This reader tokenizes with one regular
expression and returns plain Python values: numbers as ``float``, strings as ``bytes``,
names as ``str`` (with the slash), arrays as ``list``, dictionaries as ``dict``. An inline
image comes back as operator ``b"BI"`` with its parameters dictionary as the only operand.
"""

from __future__ import annotations

import re
from typing import Any

Operation = tuple[list[Any], bytes]

_NUMBER = rb"[+-]?+(?:\d++(?:\.\d*+)?+|\.\d++)(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
"""A number that ends where its token ends. Possessive: no backtracking into digit runs,
which made a long run of digits not followed by a delimiter take quadratic (as a token) or
exponential (inside an array) time."""
_TOKEN = re.compile(
    rb"(?P<space>[\x00\t\n\x0c\r ]++|%[^\r\n]*+)"
    rb"|(?P<tj>\[(?:[\x00\t\n\x0c\r ]*+(?:<[0-9A-Fa-f]*+>|" + _NUMBER + rb"))*+"
    rb"[\x00\t\n\x0c\r ]*+\])"
    rb"|(?P<num>" + _NUMBER + rb")"
    rb"|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<dopen><<)|(?P<dclose>>>)"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|(?P<aopen>\[)|(?P<aclose>\])"
    rb"|(?P<lit>\()"
    rb"|(?P<kw>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
)
_TJ_ITEM = re.compile(rb"<([0-9A-Fa-f]*)>|([+-]?(?:\d+\.?\d*|\.\d+))")
"""An array of hex strings and numbers (what a TJ shows) is read in one step."""
_CONSTANTS: dict[bytes, Any] = {b"true": True, b"false": False, b"null": None}
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
_END_OF_IMAGE = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")
_IMAGE_DATA = re.compile(rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}%])ID[\x00\t\n\x0c\r ]")
"""The ``ID`` keyword: a token of its own (not the end of a name such as ``/CSID``)."""
_DIGITS = b"01234567"


class ContentError(ValueError):
    """The content stream cannot be read (unbalanced, unterminated)."""


def operations(data: bytes) -> list[Operation]:
    """Every operator of ``data`` with its operands, in order."""
    result: list[Operation] = []
    operands: list[Any] = []
    stack: list[list[Any]] = []  # open arrays and dictionaries, each led by its kind
    position, end = 0, len(data)
    while position < end:
        match = _TOKEN.match(data, position)
        if match is None:
            raise ContentError(f"símbolo ilegible en la posición {position}")
        kind = match.lastgroup
        position = match.end()
        if kind == "space":
            continue
        if kind in ("aopen", "dopen"):
            stack.append([kind])
            continue
        if kind == "kw" and not stack and match.group() not in _CONSTANTS:
            if match.group() == b"BI":
                parameters, position = _inline_image(data, position)
                result.append(([parameters], b"BI"))
            else:
                result.append((operands, match.group()))
            operands = []
            continue
        value, position = _value(kind, match, data, position, stack)
        (stack[-1] if stack else operands).append(value)
    if stack:
        raise ContentError("un arreglo o diccionario no se cierra")
    return result


def _value(  # noqa: PLR0911  # one return per kind of token: a dispatch
    kind: str | None, match: re.Match[bytes], data: bytes, position: int, stack: list[list[Any]]
) -> tuple[Any, int]:
    """The operand a token stands for, and where reading goes on."""
    text = match.group()
    if kind == "tj":
        items = _TJ_ITEM.findall(text)
        return [float(number) if number else _hex(digits) for digits, number in items], position
    if kind == "num":
        return float(text), position
    if kind == "name":
        return text.decode("latin-1"), position
    if kind == "hex":
        return _hex(re.sub(rb"[^0-9A-Fa-f]", b"", text)), position
    if kind == "lit":
        return _literal(data, position)
    if kind in ("aclose", "dclose"):
        if not stack or stack[-1][0] != ("aopen" if kind == "aclose" else "dopen"):
            raise ContentError(f"cierre sin apertura en la posición {position}")
        items = stack.pop()[1:]
        if kind == "aclose":
            return items, position
        return dict(zip(items[::2], items[1::2], strict=False)), position
    return _CONSTANTS.get(text, text), position


def _hex(digits: bytes) -> bytes:
    return bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode())


def _literal(data: bytes, position: int) -> tuple[bytes, int]:
    """The literal string starting after its ``(`` at ``position``, and where it ends."""
    out = bytearray()
    depth = 1
    end = len(data)
    while position < end:
        byte = data[position]
        position += 1
        if byte == 0x5C:  # backslash
            position = _escape(data, position, out)
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), position
        out.append(byte)
    raise ContentError("una cadena literal no se cierra")


def _escape(data: bytes, position: int, out: bytearray) -> int:
    """Append the character escaped at ``position`` (after a backslash); where reading goes on."""
    if position >= len(data):
        return position
    nxt = data[position]
    position += 1
    if nxt in _ESCAPES:
        out += _ESCAPES[nxt]
    elif nxt in _DIGITS:
        start = position - 1
        while position < len(data) and position - start < 3 and data[position] in _DIGITS:
            position += 1
        out.append(int(data[start:position], 8) & 0xFF)
    elif nxt == 0x0D:  # line continuation, CR LF
        if position < len(data) and data[position] == 0x0A:
            position += 1
    elif nxt != 0x0A:
        out.append(nxt)
    return position


def _inline_image(data: bytes, position: int) -> tuple[dict[Any, Any], int]:
    """Parameters of an inline image after ``BI``, and the position after its ``EI``."""
    marker = _IMAGE_DATA.search(data, position)
    if marker is None:
        raise ContentError("imagen en línea sin ID")
    header = operations(data[position : marker.start()] + b" x")
    parameters = header[0][0] if header else []
    found = _END_OF_IMAGE.search(data, marker.end())
    if found is None:
        raise ContentError("imagen en línea sin EI")
    pairs = dict(zip(parameters[::2], parameters[1::2], strict=False))
    return pairs, found.end()
