"""Hostile PDFs built by hand (research §3): bombs, cycles, absurd lengths, deep nesting.

Each is a handful of objects with a classic xref, small on disk, costly to a naive reader.
"""

from __future__ import annotations

import zlib


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """``objects[i]`` is object ``i + 1``'s body; a valid xref and trailer follow."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_with_contents(contents: bytes) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            contents,
        ]
    )


def _deflate_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = bytes(16 << 20)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


def flate_bomb(size: int = 256 << 20) -> bytes:
    """A page whose content stream inflates to ``size`` bytes of zeros (B1)."""
    return _page_with_contents(_stream(_deflate_zeros(size), b"/Filter /FlateDecode"))


def nested_flate_bomb() -> bytes:
    """Three nested FlateDecode layers over 1 GiB of zeros, under a kilobyte (B2)."""
    data = _deflate_zeros(1 << 30)
    for _ in range(2):
        data = zlib.compress(data, 9)
    filters = b"/Filter [/FlateDecode /FlateDecode /FlateDecode]"
    return _page_with_contents(_stream(data, filters))


def deep_nesting(depth: int = 200_000) -> bytes:
    """A catalog holding ``depth`` nested arrays (B3)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * depth + b"]" * depth + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def page_tree_cycle() -> bytes:
    """Two page-tree nodes that are each other's kid (B5)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def absurd_length() -> bytes:
    """A content stream that declares 99 999 999 999 bytes (B6)."""
    return _page_with_contents(b"<< /Length 99999999999 >>\nstream\nBT ET\nendstream")


def many_operators(count: int = 2_000_000) -> bytes:
    """A page with ``count`` path operators, 28 MB decoded (B8): legal, only slow."""
    ops = b"0 0 m 1 1 l S\n" * (count // 3)
    return _page_with_contents(_stream(zlib.compress(ops), b"/Filter /FlateDecode"))
