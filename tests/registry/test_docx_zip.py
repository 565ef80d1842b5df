"""A zip that lies about its sizes is refused without inflating past the caps (issue 12, 1)."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from functools import cache

from docservice.registry.docx_lint import inspect_docx
from docservice.registry.docx_zip import CHUNK, BoundedReader, Refused

NAMES = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
NAMES += [f"word/media/image{n}.png" for n in range(13)]
DECLARED = 1000
MIB = 1024 * 1024


@cache
def zeros_deflated(mib: int = 256) -> bytes:
    """``mib`` MiB of zeros as a raw deflate stream (about 1/1000 of that)."""
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = bytes(MIB)
    return b"".join([*(deflate.compress(block) for _ in range(mib)), deflate.flush()])


def lying_zip(entries: dict[str, bytes], declared: int) -> bytes:
    """A zip whose every entry is ``entries[name]`` (raw deflate) and says it holds ``declared``
    bytes, in its local header and its central directory alike."""
    body, central = io.BytesIO(), io.BytesIO()
    for name, data in entries.items():
        encoded = name.encode()
        offset = body.tell()
        sizes = (0, len(data), declared)  # CRC, compressed, uncompressed
        body.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, *sizes, len(encoded), 0))
        body.write(encoded + data)
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                *sizes,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    count, start = len(entries), body.tell()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, central.tell(), start, 0)
    return body.getvalue() + central.getvalue() + end


def test_a_4_mb_docx_that_lies_is_refused_without_inflating_it() -> None:
    bomb = lying_zip(dict.fromkeys(NAMES, zeros_deflated()), DECLARED)
    assert 3.5 * MIB < len(bomb) < 4.5 * MIB  # 16 entries of 256 MiB: 4 GiB if believed
    tracemalloc.start()
    try:
        findings = inspect_docx(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert findings == [
        "la entrada «[Content_Types].xml» se descomprime en más bytes de los 1000 que declara "
        "(zip manipulado)"
    ]
    assert peak < 2 * MIB, peak


def test_the_reader_stops_at_what_the_entry_declares() -> None:
    bomb = lying_zip({"word/document.xml": zeros_deflated()}, DECLARED)
    reader = BoundedReader(bomb)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo("word/document.xml")
        try:
            reader.read(info, keep=True)
        except Refused as exc:
            assert "más bytes de los 1000 que declara" in str(exc)
        else:
            raise AssertionError("the lying entry was read")
    assert reader.inflated <= DECLARED + CHUNK
    assert reader.peak_chunk <= CHUNK


def test_an_entry_shorter_than_declared_or_with_a_wrong_crc_is_refused() -> None:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    small = deflate.compress(b"<a/>") + deflate.flush()
    short = lying_zip({"[Content_Types].xml": small, "word/document.xml": small}, 400)
    assert inspect_docx(short) == [
        "la entrada «[Content_Types].xml» declara 400 bytes y contiene 4 (zip manipulado)"
    ]
    wrong_crc = lying_zip({"[Content_Types].xml": small, "word/document.xml": small}, 4)
    assert inspect_docx(wrong_crc) == [
        "la entrada «[Content_Types].xml» no pasa la verificación CRC-32"
    ]


def test_the_total_budget_counts_actual_bytes() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(3):
            archive.writestr(f"word/part{n}.xml", b" " * 1000)
    data = out.getvalue()
    reader = BoundedReader(data, max_total=2500)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        reader.read(infos[0], keep=False)
        reader.read(infos[1], keep=False)
        try:
            reader.read(infos[2], keep=False)
        except Refused as exc:
            assert "posible bomba zip" in str(exc)
        else:
            raise AssertionError("the budget was not enforced")
    assert reader.inflated == 3000
