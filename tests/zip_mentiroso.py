"""A .docx whose zip entries lie about their size: a few MB that inflate to gigabytes.

Built by hand (``zipfile`` will not write a lie): every part is deflated honestly except
``word/document.xml``, which declares 2,000 bytes and inflates to ``gib`` GiB of spaces.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_LOCAL = "<4s5H3L2H"
_CENTRAL = "<4s6H3L5H2L"
_END = "<4s4H2LH"
DEFLATED = 8


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _inflating(gib: int) -> bytes:
    """Raw deflate of ``gib`` GiB: one fully flushed 1 MiB block repeated, then a final block."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b" " * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (gib * 1024) + b"\x03\x00"


def lying_docx(base: bytes, gib: int = 4, part: str = "word/document.xml") -> bytes:
    """``base`` with ``part`` replaced by a lying entry."""
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    out, central = io.BytesIO(), []
    for name, data in entries:
        crc, size = zlib.crc32(data), len(data)
        body = _inflating(gib) if name == part else _deflated(data)
        if name == part:
            size = 2000
        offset, raw = out.tell(), name.encode()
        header = (crc, len(body), size, len(raw))
        out.write(struct.pack(_LOCAL, b"PK\x03\x04", 20, 0, DEFLATED, 0, 0, *header, 0))
        out.write(raw + body)
        central.append(
            struct.pack(_CENTRAL, b"PK\x01\x02", 20, 20, 0, DEFLATED, 0, 0, *header,
                        0, 0, 0, 0, 0, offset) + raw
        )  # fmt: skip
    directory, start = b"".join(central), out.tell()
    out.write(directory)
    out.write(struct.pack(_END, b"PK\x05\x06", 0, 0, len(central), len(central),
                          len(directory), start, 0))  # fmt: skip
    return out.getvalue()
