"""A .docx someone hands us, checked before anything parses it (research §2, T11–T20).

Cheap to expensive: size → zip structure (names, sizes, ratios, count, overlapping entries) →
content types (no macros, ActiveX or OLE) → relationships (nothing external but hyperlinks) →
no DTD in any XML part → field codes limited to a harmless list. Pure: bytes in, Spanish
findings out; an empty list means the package is safe to open.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from io import BytesIO

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_RATIO = 100
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_FORBIDDEN_PARTS = re.compile(r"(vbaProject\.bin|vbaData\.xml|activeX|oleObject|embeddings/)", re.I)
_MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|activeX|oleObject", re.I)
_EXTERNAL = re.compile(rb"<Relationship\b[^>]*>", re.I)
_FIELD = re.compile(rb'(?:w:instr="|<w:instrText[^>]*>)\s*([A-Z]+)', re.I)
SAFE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "DATE", "TIME", "FILENAME", "TOC"})


def _name_problem(name: str) -> str | None:
    if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
        return f"nombre de entrada peligroso en el paquete: «{name[:80]}»"
    if re.match(r"^[A-Za-z]:", name):
        return f"nombre de entrada con unidad de disco: «{name[:80]}»"
    return None


def _structure(archive: zipfile.ZipFile) -> list[str]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        return [f"el paquete tiene {len(infos)} entradas; el máximo es {MAX_ENTRIES}"]
    findings = [p for p in (_name_problem(i.filename) for i in infos) if p]
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        findings.append(
            f"descomprimido ocuparía {total // (1024 * 1024)} MiB; el máximo es "
            f"{MAX_UNCOMPRESSED // (1024 * 1024)} MiB (posible bomba zip)"
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            findings.append(f"la entrada «{info.filename}» se expande más de {MAX_RATIO} veces")
            break
    offsets = sorted((i.header_offset, i.compress_size) for i in infos)
    for (start, size), (following, _) in itertools.pairwise(offsets):
        if start + size > following:
            findings.append("el paquete tiene entradas superpuestas (zip manipulado)")
            break
    if "word/document.xml" not in archive.namelist():
        findings.append("no contiene word/document.xml: no es un documento de Word")
    return findings


def _parts(archive: zipfile.ZipFile) -> list[str]:
    findings = []
    for name in archive.namelist():
        if _FORBIDDEN_PARTS.search(name):
            findings.append(f"contiene macros u objetos incrustados («{name}»)")
    content_types = (
        archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
    )
    if _MACRO_TYPES.search(content_types):
        findings.append("el tipo de contenido declara macros u objetos ActiveX/OLE (.docm)")
    for name in archive.namelist():
        if not name.endswith((".xml", ".rels")):
            continue
        data = archive.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            findings.append(f"la parte «{name}» declara un DTD o entidades XML")
        if name.endswith(".rels"):
            findings += _relationships(name, data)
        else:
            findings += _fields(name, data)
    return findings


def _relationships(name: str, data: bytes) -> list[str]:
    findings = []
    for match in _EXTERNAL.finditer(data):
        rel = match.group(0).decode("utf-8", "replace")
        if 'TargetMode="External"' in rel and HYPERLINK not in rel:
            target = re.search(r'Target="([^"]*)"', rel)
            where = target.group(1)[:80] if target else "?"
            findings.append(f"«{name}» enlaza un recurso externo ({where}): no se permite")
    return findings


def _fields(name: str, data: bytes) -> list[str]:
    unsafe = {m.group(1).decode().upper() for m in _FIELD.finditer(data)} - SAFE_FIELDS
    return [f"«{name}» usa el campo {field}, que no se permite" for field in sorted(unsafe)]


def inspect_docx(data: bytes, max_bytes: int = MAX_BYTES) -> list[str]:
    """Why this .docx must not be opened or rendered; empty when it is safe."""
    if len(data) > max_bytes:
        return [f"el archivo pesa {len(data)} bytes; el máximo es {max_bytes}"]
    if not data.startswith(b"PK\x03\x04"):
        return ["no es un documento de Word (.docx): no es un paquete zip"]
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            findings = _structure(archive)
            if findings:
                return findings
            return _parts(archive)
    except (zipfile.BadZipFile, ValueError, OSError, KeyError) as exc:
        return [f"el paquete zip está dañado: {exc}"]
