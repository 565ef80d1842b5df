"""The content-stream reader on hostile input, against pypdf's ``ContentStream`` as reference."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from docservice.pdf.operaciones import operations
from tests.conftest import ROOT

_SCALARS: list[tuple[type | tuple[type, ...], Any]] = [
    (BooleanObject, bool),
    (NullObject, lambda _: None),
    ((NumberObject, float), float),
    (NameObject, str),
    (TextStringObject, lambda v: v.original_bytes),
    (ByteStringObject, bytes),
]


def plain(value: Any) -> Any:
    """A pypdf operand as ``operations`` returns it (numbers float, strings bytes…)."""
    if isinstance(value, ArrayObject):
        return [plain(v) for v in value]
    if isinstance(value, DictionaryObject | dict):
        return {plain(k): plain(v) for k, v in value.items()}
    for kind, convert in _SCALARS:
        if isinstance(value, kind):
            return convert(value)
    return value


def pypdf_operations(data: bytes) -> list[tuple[list[Any], bytes]]:
    stream = StreamObject()
    stream.set_data(data)
    result = []
    for operands, op in ContentStream(stream, None).operations:
        if op == b"INLINE IMAGE":  # operations gives BI and the image's parameters
            result.append(([plain(operands["settings"])], b"BI"))
        else:
            result.append(([plain(v) for v in operands], op))
    return result


HOSTILE = {
    "q-Q-desparejos": b"Q Q q q q 1 0 0 1 5 5 cm Q",
    "comentarios": b"% (abre sin cerrar [ <<\nq%pegado\n(a%b) Tj %fin",
    "escapes": rb"(\(\)\\\n\r\t\b\f) Tj (\0053\53\053x\7) Tj (a\
b) Tj",
    "parentesis-anidados": b"(uno (dos (tres)) Tj) Tj",
    "cadena-con-operadores": rb"(72 720 Td \) Tj ] >> ET) Tj",
    "hexadecimal": b"<41 42\n43> Tj <414> Tj <> Tj",
    "tj-con-espacios": b"[ ( a ) -20.5 <41 42> .5 -.5 +3 ] TJ",
    "numeros": b"-.5 .5 +1 -0 0.000 12. Td",
    "diccionarios": b"/P <</MCID 3 /A [1 2 <</B (x) /C <</D true>>>>] /N null>> BDC EMC",
    "arreglo-enorme": b"[" + b"4 " * 50_000 + b"] 0 d",
    "imagen-con-EI-en-sus-datos": b"BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\xff\x00 EI Q",
    "imagen-con-ID-en-un-nombre": b"BI /W 2 /H 2 /CS /CSID /BPC 8 ID \x00\x00\x00\x00 EI Q",
    "imagen-con-ID-tras-un-arreglo": b"BI /W 1 /H 1 /D [1 0]ID \x00 EI Q",
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_content_reads_like_pypdf(data: bytes) -> None:
    if data.startswith(b"[4 "):  # pypdf stops at 10 000 elements: compare a short one
        assert operations(data) == [([[4.0] * 50_000, 0.0], b"d")]
        data = b"[4 4 4] 0 d"
    assert operations(data) == pypdf_operations(data)


LINEAR = """
from docservice.pdf.operaciones import operations
assert operations(b"[" + b"1" * 60 + b"x] TJ") == [([[b"1" * 60 + b"x"]], b"TJ")]
assert operations(b"1" * 200_000 + b"x Tj") == [([], b"1" * 200_000 + b"x"), ([], b"Tj")]
print("ok")
"""


def test_long_runs_of_digits_do_not_hang_the_reader() -> None:
    """A digit run not ended by a delimiter once took exponential time inside an array
    (60 digits: centuries) and quadratic as a token (200 000 digits: hours)."""
    done = subprocess.run(
        [sys.executable, "-c", LINEAR], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
