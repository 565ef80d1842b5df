"""A .docx someone hands us, checked before anything parses it (research §2, T11–T20).

Cheap to expensive: size → zip structure as declared (names, sizes, ratios, count,
overlapping entries) → every entry inflated under hard caps on its actual bytes, its size
and CRC checked (docx_zip) → content types, relationships and every XML part parsed and
checked against allow-lists (docx_xml, docx_allow). Pure: bytes in, Spanish findings out;
an empty list means the package is safe to open. The same inspection runs on each rendered
document before LibreOffice sees it (``ensure_safe_render``).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import zipfile
from collections import OrderedDict
from io import BytesIO

from lxml import etree

from docservice.errors import PlantillaInvalida
from docservice.registry import docx_allow as allow
from docservice.registry import docx_xml as xml
from docservice.registry.docx_zip import (
    MAX_ENTRY_BYTES,
    MAX_UNCOMPRESSED,
    BoundedReader,
    Refused,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 1000
MAX_RATIO = 100
CONTENT_TYPES_PART = "[Content_Types].xml"
_FORBIDDEN_PARTS = re.compile(r"(vbaProject\.bin|vbaData\.xml|activeX|oleObject|embeddings/)", re.I)
_MIB = 1024 * 1024
_CLEAN: OrderedDict[bytes, None] = OrderedDict()
_CLEAN_LOCK = threading.Lock()
_CLEAN_SIZE = 512


def _name_problem(name: str) -> str | None:
    if name.startswith(("/", "\\")) or ".." in name.split("/") or "\\" in name:
        return f"nombre de entrada peligroso en el paquete: «{name[:80]}»"
    if re.match(r"^[A-Za-z]:", name):
        return f"nombre de entrada con unidad de disco: «{name[:80]}»"
    return None


def _structure(archive: zipfile.ZipFile) -> list[str]:
    """What the central directory declares; declared sizes are only an upper bound."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        return [f"el paquete tiene {len(infos)} entradas; el máximo es {MAX_ENTRIES}"]
    findings = [p for p in (_name_problem(i.filename) for i in infos) if p]
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        findings.append(
            f"descomprimido ocuparía {total // _MIB} MiB; el máximo es "
            f"{MAX_UNCOMPRESSED // _MIB} MiB (posible bomba zip)"
        )
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES:
            findings.append(
                f"la entrada «{info.filename}» ocuparía {info.file_size // _MIB} MiB; el "
                f"máximo por entrada es {MAX_ENTRY_BYTES // _MIB} MiB"
            )
            break
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            findings.append(f"la entrada «{info.filename}» se expande más de {MAX_RATIO} veces")
            break
    offsets = sorted((i.header_offset, i.compress_size) for i in infos)
    for (start, size), (following, _) in itertools.pairwise(offsets):
        if start + size > following:
            findings.append("el paquete tiene entradas superpuestas (zip manipulado)")
            break
    names = [i.filename.lower() for i in infos]
    if len(set(names)) != len(names):
        findings.append("el paquete repite el nombre de una entrada (zip manipulado)")
    if "word/document.xml" not in archive.namelist():
        findings.append("no contiene word/document.xml: no es un documento de Word")
    return findings


def _read_all(
    reader: BoundedReader, infos: list[zipfile.ZipInfo], types: dict[str, str]
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every entry inflated under the caps: XML parts (by name or by declared content type)
    kept whole for parsing, the rest only by their first bytes."""
    kept: dict[str, bytes] = {}
    heads: dict[str, bytes] = {}
    for info in infos:
        name = info.filename
        keep = name.lower().endswith((".xml", ".rels")) or types.get(name, "").endswith("xml")
        entry = reader.read(info, keep)
        heads[name] = entry.head
        if entry.data is not None:
            kept[name] = entry.data
    return kept, heads


def _content_types(
    root: etree._Element | None, parts: list[str]
) -> tuple[dict[str, str], list[str]]:
    """Each part's declared content type, and the declarations refused."""
    if root is None or root.tag != f"{{{allow.CONTENT_TYPES}}}Types":
        return {}, [f"{CONTENT_TYPES_PART} no es una lista de tipos de contenido"]
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    findings: list[str] = []
    for child in root:
        kind = child.get("ContentType", "")
        if child.tag == f"{{{allow.CONTENT_TYPES}}}Default":
            defaults[child.get("Extension", "").lower()] = kind
        elif child.tag == f"{{{allow.CONTENT_TYPES}}}Override":
            overrides[child.get("PartName", "").lower().lstrip("/")] = kind
        else:
            continue
        if allow.MACRO_TYPES.search(kind):
            findings.append("el tipo de contenido declara macros u objetos ActiveX/OLE (.docm)")
        elif kind not in allow.CONTENT_TYPES_ALLOWED:
            findings.append(
                f"{CONTENT_TYPES_PART} declara un tipo de contenido no permitido: {kind[:120]}"
            )
    types: dict[str, str] = {}
    for part in parts:
        found = overrides.get(part.lower()) or defaults.get(part.rpartition(".")[2].lower())
        if found is None:
            findings.append(f"la parte «{part}» no tiene tipo de contenido declarado")
        else:
            types[part] = found
    return types, sorted(set(findings), key=findings.index)


def _images(types: dict[str, str], heads: dict[str, bytes]) -> list[str]:
    return [
        f"la parte «{part}» no es una imagen {kind} (su contenido no coincide)"
        for part, kind in types.items()
        if kind in allow.IMAGE_MAGIC and not heads[part].startswith(allow.IMAGE_MAGIC[kind])
    ]


def _parts(data: bytes, archive: zipfile.ZipFile) -> list[str]:
    findings = [
        f"contiene macros u objetos incrustados («{name}»)"
        for name in archive.namelist()
        if _FORBIDDEN_PARTS.search(name)
    ]
    infos = [i for i in archive.infolist() if not i.is_dir() and i.filename != CONTENT_TYPES_PART]
    declared = next((i for i in archive.infolist() if i.filename == CONTENT_TYPES_PART), None)
    if declared is None:
        return [*findings, f"no contiene {CONTENT_TYPES_PART}: no es un documento de Word"]
    reader = BoundedReader(data)
    parser = xml.hardened_parser()
    parts = [i.filename for i in infos]
    root, problem = xml.parse(
        CONTENT_TYPES_PART, reader.read(declared, keep=True).data or b"", parser
    )
    types: dict[str, str] = {}
    if root is None:
        findings.append(problem)
    else:
        types, problems = _content_types(root, parts)
        findings += problems
    kept, heads = _read_all(reader, infos, types)
    findings += _images(types, heads)
    lowered = {p.lower() for p in parts}
    by_source: dict[str, xml.RelationshipPart] = {}
    for name in (n for n in kept if n.lower().endswith(".rels")):
        root, problem = xml.parse(name, kept[name], parser)
        if root is None:
            findings.append(problem)
            continue
        rels = xml.relationships(name, root, lowered)
        findings += rels.findings
        by_source[rels.source.lower()] = rels
    for name, content in kept.items():
        if not name.lower().endswith(".rels"):
            findings += _content(name, content, by_source.get(name.lower()), parser)
    return findings


def _content(
    name: str, content: bytes, own: xml.RelationshipPart | None, parser: etree.XMLParser
) -> list[str]:
    """One XML part: parsed, refused elements and fields, hyperlinks used only as such.

    A part found clean on its own (no hyperlinks of its own to check) is remembered by its
    digest: a rendered document repeats its template's styles, theme, settings… byte for byte.
    """
    hyperlinks = own is not None and any(r.type == allow.HYPERLINK for r in own.by_id.values())
    digest = None if hyperlinks else hashlib.blake2b(content, digest_size=32).digest()
    if digest is not None and _remembered(digest):
        return []
    root, problem = xml.parse(name, content, parser)
    if root is None:
        return [problem]
    findings, references = xml.content_findings(name, root, hyperlinks)
    for ref in references:
        rel = own.by_id.get(ref.rid) if own else None
        if (
            rel
            and rel.type == allow.HYPERLINK
            and (ref.element, ref.attribute) not in allow.HYPERLINK_USES
        ):
            findings.append(
                f"«{name}» usa el hipervínculo «{ref.rid}» como imagen u otro recurso "
                f"({etree.QName(ref.element).localname}): no se permite"
            )
    if not findings and digest is not None:
        with _CLEAN_LOCK:
            _CLEAN[digest] = None
            while len(_CLEAN) > _CLEAN_SIZE:
                _CLEAN.popitem(last=False)
    return findings


def _remembered(digest: bytes) -> bool:
    """Least recently used first out: a template's parts, seen at every render, stay."""
    with _CLEAN_LOCK:
        if digest not in _CLEAN:
            return False
        _CLEAN.move_to_end(digest)
        return True


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
            return _parts(data, archive)
    except Refused as exc:
        return [str(exc)]
    except (zipfile.BadZipFile, ValueError, OSError, KeyError) as exc:
        return [f"el paquete zip está dañado: {exc}"]


def ensure_safe_render(docx: bytes, clave: str) -> None:
    """The filled document passes the same inspection as an upload, or never reaches
    LibreOffice: data or ``|safe`` may have written raw field or relationship XML."""
    findings = inspect_docx(docx)
    if findings:
        raise PlantillaInvalida(
            f"el documento llenado con la plantilla «{clave}» no es seguro y no se convirtió: "
            + "; ".join(findings)
        )
