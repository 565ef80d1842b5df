"""Reading a .docx someone hands us without believing what its zip says about itself.

A zip entry declares its size and CRC in the central directory; ``zipfile`` inflates a whole
compressed block before cutting the output to the declared size, so a 4 MB entry that
declares 1 KB can cost gigabytes. Here every entry is inflated by our own loop, 64 KiB at a
time, and reading stops as soon as the actual output passes what the entry declared, the
per-entry cap or the package's total cap: nothing is ever inflated past the caps.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ENTRY_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
CHUNK = 64 * 1024
HEAD_BYTES = 64
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_MIB = 1024 * 1024


class Refused(Exception):
    """An entry that must not be read further; the message is the Spanish finding."""


@dataclass
class Entry:
    """What was read of one entry: its first bytes, and all of them when asked to keep it."""

    name: str
    head: bytes
    data: bytes | None


@dataclass
class BoundedReader:
    """Inflates entries of one package under a shared budget of actual output bytes."""

    data: bytes
    max_entry: int = MAX_ENTRY_BYTES
    max_total: int = MAX_UNCOMPRESSED
    inflated: int = 0
    """Bytes actually produced so far, over every entry (the budget's counter)."""
    peak_chunk: int = 0

    def read(self, info: zipfile.ZipInfo, keep: bool) -> Entry:
        """Every byte of ``info`` checked (size, CRC); kept in memory only when ``keep``."""
        raw = self._raw(info)
        limit = min(info.file_size, self.max_entry)
        chunks: list[bytes] = []
        head = b""
        produced = 0
        crc = 0
        for out in self._stream(info, raw):
            produced += len(out)
            self.inflated += len(out)
            self.peak_chunk = max(self.peak_chunk, len(out))
            if produced > limit:
                raise Refused(
                    f"la entrada «{info.filename}» se descomprime en más bytes de los "
                    f"{info.file_size} que declara (zip manipulado)"
                )
            if self.inflated > self.max_total:
                raise Refused(
                    f"descomprimido ocuparía más de {self.max_total // _MIB} MiB; el máximo es "
                    f"{self.max_total // _MIB} MiB (posible bomba zip)"
                )
            crc = zlib.crc32(out, crc)
            if len(head) < HEAD_BYTES:
                head += out[: HEAD_BYTES - len(head)]
            if keep:
                chunks.append(out)
        if produced != info.file_size:
            raise Refused(
                f"la entrada «{info.filename}» declara {info.file_size} bytes y contiene "
                f"{produced} (zip manipulado)"
            )
        if crc != info.CRC:
            raise Refused(f"la entrada «{info.filename}» no pasa la verificación CRC-32")
        return Entry(info.filename, head, b"".join(chunks) if keep else None)

    def _raw(self, info: zipfile.ZipInfo) -> memoryview:
        """The entry's compressed bytes, located through its own local header."""
        name = info.filename
        if info.flag_bits & 0x1:
            raise Refused(f"la entrada «{name}» está cifrada")
        if info.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
            raise Refused(f"la entrada «{name}» usa un método de compresión que Word no usa")
        start = info.header_offset
        header = self.data[start : start + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise Refused(f"la entrada «{name}» no tiene encabezado local (zip manipulado)")
        fields = _LOCAL_HEADER.unpack(header)
        name_len, extra_len = fields[10], fields[11]
        local = self.data[start + _LOCAL_HEADER.size : start + _LOCAL_HEADER.size + name_len]
        encoding = "utf-8" if fields[3] & 0x800 else "cp437"
        if local.decode(encoding, "replace") != info.orig_filename:
            raise Refused(
                f"el encabezado local de «{name}» no coincide con el directorio central "
                "(zip manipulado)"
            )
        begin = start + _LOCAL_HEADER.size + name_len + extra_len
        if begin + info.compress_size > len(self.data):
            raise Refused(f"la entrada «{name}» está truncada")
        return memoryview(self.data)[begin : begin + info.compress_size]

    def _stream(self, info: zipfile.ZipInfo, raw: memoryview) -> Iterator[bytes]:
        if info.compress_type == zipfile.ZIP_STORED:
            return (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
        return _inflate(info.filename, raw)


def _inflate(name: str, raw: memoryview) -> Iterator[bytes]:
    """Raw deflate, at most CHUNK bytes of output per step whatever the input claims."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    while not inflater.eof:
        pending = inflater.unconsumed_tail
        if pending:
            chunk: bytes | memoryview = pending
        else:
            chunk = raw[position : position + CHUNK]
            position += len(chunk)
        try:
            out = inflater.decompress(chunk, CHUNK)
        except zlib.error as exc:
            raise Refused(f"la entrada «{name}» está dañada: {exc}") from exc
        if not out and not chunk:
            raise Refused(f"la entrada «{name}» está truncada")
        if out:
            yield out
