"""The XML parts of a .docx, parsed (never text-matched) and checked against docx_allow.

The parser resolves no entity, loads no DTD, touches no network and keeps libxml2's size
limits; any DOCTYPE is refused. Parsing takes care of encodings (UTF-8/UTF-16, BOM or
declaration), character references (``&#73;NCLUDETEXT``), quoting, spacing and prefixes:
what is checked is what LibreOffice will read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from docservice.registry import docx_allow as allow

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
_FIELD_NAME = re.compile(r"\s*([A-Za-z]+|=)")
_WNS = (allow.W, allow.W_STRICT)
_FIELD_TAGS = [f"{{{ns}}}{tag}" for ns in _WNS for tag in ("fldSimple", "fldChar", "instrText")]
_FIELD_TAGS += [f"{{{ns}}}delInstrText" for ns in _WNS]
_FORBIDDEN_TAGS = {
    **{f"{{{ns}}}altChunk": "incluye otro documento (altChunk)" for ns in _WNS},
    **{f"{{{ns}}}control": "contiene un control ActiveX" for ns in _WNS},
    **{f"{{{ns}}}subDoc": "incluye un subdocumento" for ns in _WNS},
    f"{{{allow.VML_OFFICE}}}OLEObject": "contiene un objeto OLE incrustado",
}
_REFERENCES = etree.XPath(
    "//@*[namespace-uri()=$r or namespace-uri()=$rs"
    " or (namespace-uri()=$o and local-name()='relid')]"
)


def hardened_parser() -> etree.XMLParser:
    """A parser per inspection (lxml parsers must not be shared between threads)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        dtd_validation=False, collect_ids=False,
    )  # fmt: skip


def parse(name: str, data: bytes, parser: etree.XMLParser) -> tuple[etree._Element | None, str]:
    """The part's root element, or None and the Spanish finding."""
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return None, f"la parte «{name}» no es XML válido: {str(exc)[:120]}"
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        return None, f"la parte «{name}» declara un DTD o entidades XML"
    return root, ""


@dataclass
class Relationship:
    id: str
    type: str
    target: str
    external: bool


@dataclass
class RelationshipPart:
    """One .rels part: the relationships by id, and what is wrong with them."""

    source: str
    by_id: dict[str, Relationship] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)


def source_of(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` → ``word/document.xml``; ``_rels/.rels`` → ``""``."""
    folder, _, base = rels_name.rpartition("_rels/")
    return folder + base.removesuffix(".rels")


def relationships(name: str, root: etree._Element, parts: set[str]) -> RelationshipPart:
    """Types from the allow-list; external targets only for hyperlinks; internal ones inside."""
    result = RelationshipPart(source_of(name))
    if root.tag != f"{{{allow.PACKAGE_RELS}}}Relationships":
        result.findings.append(f"«{name}» no es una lista de relaciones del paquete")
        return result
    for child in root:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if child.tag != f"{{{allow.PACKAGE_RELS}}}Relationship":
            result.findings.append(f"«{name}» contiene un elemento inesperado: {child.tag}")
            continue
        rel, problem = _relationship(name, child, result.source, parts)
        if problem:
            result.findings.append(problem)
        if rel is not None:
            if rel.id in result.by_id:
                result.findings.append(f"«{name}» repite el identificador de relación «{rel.id}»")
            result.by_id[rel.id] = rel
    return result


def _relationship(
    name: str, element: etree._Element, source: str, parts: set[str]
) -> tuple[Relationship | None, str]:
    rid, kind, target = element.get("Id"), element.get("Type"), element.get("Target")
    mode = element.get("TargetMode", "Internal")
    if not rid or not kind or target is None:
        return None, f"«{name}» tiene una relación incompleta (Id, Type o Target)"
    rel = Relationship(rid, kind, target, mode == "External")
    if mode not in {"Internal", "External"}:
        return rel, f"«{name}» declara un TargetMode desconocido: «{mode[:40]}»"
    problem = _type_problem(name, kind)
    if not problem and rel.external and kind != allow.HYPERLINK:
        problem = f"«{name}» enlaza un recurso externo ({target[:80]}): no se permite"
    if not problem and not rel.external and _resolve(source, target) not in parts:
        problem = f"«{name}» apunta a «{target[:80]}», que no es una parte del paquete"
    return rel, problem


def _type_problem(name: str, kind: str) -> str:
    if kind == allow.ALT_CHUNK:
        return f"«{name}» incluye otro documento (altChunk): no se permite"
    if allow.MACRO_TYPES.search(kind):
        return f"«{name}» declara macros u objetos ActiveX/OLE ({kind[:120]})"
    if kind not in allow.RELATIONSHIP_TYPES:
        return f"«{name}» declara una relación de tipo no permitido: {kind[:120]}"
    return ""


def _resolve(source: str, target: str) -> str | None:
    """The package part an internal target names (lower-cased), or None when it leaves."""
    if _SCHEME.match(target) or "\\" in target:
        return None
    path = unquote(target.split("#", 1)[0])
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(
        posixpath.dirname(source), path
    )  # fmt: skip
    normal = posixpath.normpath(joined)
    if normal.startswith(("../", "/")) or normal in {"..", "."}:
        return None
    return normal.lower()


@dataclass(frozen=True)
class Reference:
    """An attribute pointing at a relationship of the part's own .rels."""

    rid: str
    element: str
    attribute: str


def content_findings(
    name: str, root: etree._Element, hyperlinks: bool
) -> tuple[list[str], list[Reference]]:
    """Refused elements and field codes of one part, and (when its own relationships include
    hyperlinks, the only ones whose use is restricted) the relationship ids it uses."""
    findings = [
        f"«{name}» {what}: no se permite"
        for tag, what in _FORBIDDEN_TAGS.items()
        if next(root.iter(tag), None) is not None
    ]
    unsafe = {f for f in _field_names(root) if f and f not in allow.SAFE_FIELDS}
    findings += [f"«{name}» usa el campo {f}, que no se permite" for f in sorted(unsafe)]
    if not hyperlinks:
        return findings, []
    references = [
        Reference(str(value), value.getparent().tag, value.attrname)
        for value in _REFERENCES(root, r=allow.R, rs=allow.R_STRICT, o=allow.VML_OFFICE)
    ]
    return findings, references


def _field_names(root: etree._Element) -> Iterable[str]:
    """Every field's name: simple fields, and complex ones joined across their runs."""
    open_fields: list[list[str]] = []
    for element in root.iter(*_FIELD_TAGS):
        kind = etree.QName(element).localname
        if kind == "fldSimple":
            yield _name(_attribute(element, "instr"))
        elif kind == "fldChar":
            char = _attribute(element, "fldCharType")
            if char == "begin":
                open_fields.append([])
            elif char == "end" and open_fields:
                yield _name("".join(open_fields.pop()))
        elif open_fields:
            open_fields[-1].append(element.text or "")
        else:
            yield _name(element.text or "")
    for pending in open_fields:
        yield _name("".join(pending))


def _attribute(element: etree._Element, local: str) -> str:
    ns = etree.QName(element).namespace
    return element.get(f"{{{ns}}}{local}") or element.get(local) or ""


def _name(instruction: str) -> str:
    match = _FIELD_NAME.match(instruction)
    if match:
        return match.group(1).upper()
    stripped = instruction.strip()
    return f"«{stripped[:20]}»" if stripped else ""
