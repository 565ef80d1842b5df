"""Adapter: the only module that imports docxtpl. It always renders inside the sandbox.

A template version is compiled once (``compile_docx``): docxtpl opens it and patches the XML
of every part its ``render()`` fills (body, headers, footers, footnotes, core properties), and the
sandbox compiles each into a Jinja ``Template``. A fill (``fill_docx``) renders those
templates, applies the fixes ``render()`` applies after rendering (tables, drawing ids) and
serializes each part as python-docx would save it; the zip's other members are copied as
their compressed bytes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree
from lxml.etree import LxmlError

from docservice.errors import LimiteExcedido, PlantillaInvalida
from docservice.render.sandbox import BoundedSandbox

CORE_TEMPLATES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl's ``render_properties`` fills, in its order."""
_LISTING = re.compile("[\t\a\n\f]")
"""Characters docxtpl's ``resolve_listing`` turns into tabs, paragraphs, breaks and pages."""
_TOOLS = DocxTemplate(None)
"""docxtpl's stateless XML helpers (patch_xml, fix_tables, resolve_listing)."""
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties written into the .docx (LibreOffice carries them into the PDF)."""

    title: str
    subject: str
    keywords: str
    comments: str


@dataclass(frozen=True)
class _Member:
    """A zip member as written: compressed bytes and what its headers say about them."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    method: int
    crc: int
    size: int
    data: bytes


@dataclass(frozen=True)
class _Part:
    """A header, footer or footnotes part: its patched, compiled XML."""

    member: str
    template: Template
    encoding: str


@dataclass(frozen=True)
class CompiledDocx:
    """A template version ready to fill: what docxtpl would redo on every render, done."""

    members: tuple[_Member, ...]
    """Every member in the template's order; the filled ones are replaced on each fill."""
    document: str
    skeleton: bytes
    """The main part with an empty body, where each fill's body goes."""
    body: Template
    parts: tuple[_Part, ...]
    footnotes: tuple[_Part, ...]
    """Written as rendered, like docxtpl's ``render_footnotes`` (python-docx keeps no tree)."""
    core: str
    core_xml: bytes
    core_templates: tuple[tuple[str, Template], ...]


@contextmanager
def _template_errors(clave: str) -> Iterator[None]:
    """Every fault of a template becomes PlantillaInvalida naming it."""
    try:
        yield
    except SecurityError as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» intenta salir del entorno seguro y fue rechazada: {exc}"
        ) from exc
    except UndefinedError as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» usa una variable que no existe en los datos: {exc.message}"
        ) from exc
    except TemplateSyntaxError as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» tiene un error de sintaxis Jinja: {exc.message}"
        ) from exc
    except MemoryError as exc:
        raise LimiteExcedido(
            f"el llenado de la plantilla «{clave}» excedió el límite de memoria"
        ) from exc
    except (TemplateError, OverflowError, RecursionError) as exc:
        raise PlantillaInvalida(f"la plantilla «{clave}» no pudo llenarse: {exc}") from exc


@contextmanager
def _docx_errors(clave: str) -> Iterator[None]:
    try:
        with _template_errors(clave):
            yield
    except (zipfile.BadZipFile, KeyError, LxmlError) as exc:
        raise PlantillaInvalida(
            f"la plantilla «{clave}» no es un documento Word (.docx) válido: {exc}"
        ) from exc


def compile_text(clave: str, texto: str, env: BoundedSandbox) -> Template:
    """A plain-text template (a certification legend) compiled in the sandbox."""
    with _template_errors(clave):
        return env.from_string(texto)


def fill_text(clave: str, template: Template, context: Mapping[str, Any]) -> str:
    with _template_errors(clave):
        return template.render(dict(context))


def compile_docx(clave: str, template: bytes, env: BoundedSandbox) -> CompiledDocx:
    """Open, patch and compile every part docxtpl fills; PlantillaInvalida on any fault."""
    with _docx_errors(clave):
        return _compile(template, env)


def _compile(template: bytes, env: BoundedSandbox) -> CompiledDocx:
    doc = DocxTemplate(io.BytesIO(template))
    doc.init_docx()
    package = doc.docx.part.package
    try:
        core_part = package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        # python-docx adds default core properties when it saves such a file: add them once
        # (their modified date is then this compilation's, not each fill's).
        _ = package.core_properties  # creates them
        normalized = io.BytesIO()
        doc.docx.save(normalized)
        return _compile(normalized.getvalue(), env)
    body = _compile_part(env, doc.get_xml())
    parts: dict[str, _Part] = {}
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        for _, part in doc.get_headers_footers(uri):
            xml = doc.get_part_xml(part)
            compiled = _compile_part(env, xml)
            member = part.partname.membername
            parts.setdefault(member, _Part(member, compiled, doc.get_headers_footers_encoding(xml)))
    footnotes = tuple(
        _Part(part.partname.membername, _compile_part(env, part.blob.decode("utf-8")), "utf-8")
        for part in package.iter_parts()
        if part.content_type == _FOOTNOTES
    )
    core = doc.docx.core_properties
    core_templates = tuple((name, env.from_string(getattr(core, name))) for name in CORE_TEMPLATES)
    root = doc.docx.element
    root.replace(root.body, etree.Element(qn("w:body")))
    return CompiledDocx(
        members=_members(template),
        document=doc.docx.part.partname.membername,
        skeleton=etree.tostring(root),
        body=body,
        parts=tuple(parts.values()),
        footnotes=footnotes,
        core=core_part.partname.membername,
        core_xml=core_part.blob,
        core_templates=core_templates,
    )


def fill_docx(
    clave: str,
    compiled: CompiledDocx,
    context: Mapping[str, Any],
    properties: DocumentProperties,
) -> bytes:
    """The filled .docx: the same parts ``DocxTemplate.render`` + ``save`` write."""
    values = dict(context)
    filled: dict[str, bytes] = {}
    with _docx_errors(clave):
        tree = _TOOLS.fix_tables(_after_render(compiled.body.render(values)))
        numbering = DocxTemplate(None)  # fix_docpr_ids counts on the instance
        numbering.docx_ids_index = 1000
        numbering.fix_docpr_ids(tree)
        root = parse_xml(compiled.skeleton)
        root.replace(root.find(qn("w:body")), tree)
        filled[compiled.document] = serialize_part_xml(root)
        for part in compiled.parts:
            xml = _after_render(part.template.render(values)).encode(part.encoding)
            filled[part.member] = serialize_part_xml(parse_xml(xml))
        for part in compiled.footnotes:
            filled[part.member] = _after_render(part.template.render(values)).encode(part.encoding)
        core_element = parse_xml(compiled.core_xml)
        core = CoreProperties(core_element)
        for name, template in compiled.core_templates:
            setattr(core, name, template.render(values))
        core.title, core.subject = properties.title, properties.subject
        core.keywords, core.comments = properties.keywords, properties.comments
        filled[compiled.core] = serialize_part_xml(core_element)
    return _write_zip(
        _deflated(member, filled[member.name]) if member.name in filled else member
        for member in compiled.members
    )


def _compile_part(env: BoundedSandbox, xml: str) -> Template:
    """A part's XML as ``DocxTemplate.render_xml_part`` compiles it: patched, paragraphs on
    lines of their own."""
    return env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", _TOOLS.patch_xml(xml)))


def _after_render(xml: str) -> str:
    """What ``DocxTemplate.render_xml_part`` does to a rendered part."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if not _LISTING.search(xml):  # resolve_listing rewrites only runs holding these
        return xml
    listed: str = _TOOLS.resolve_listing(xml)
    return listed


def template_variables(template: bytes, env: BoundedSandbox) -> set[str]:
    """Top-level variables the template uses (for lint)."""
    doc = DocxTemplate(io.BytesIO(template))
    return set(doc.get_undeclared_template_variables(jinja_env=env))


# --- the zip --------------------------------------------------------------------------------

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_NAME = 0x800
_ENCRYPTED = 0x1


def _members(template: bytes) -> tuple[_Member, ...]:
    """The template's members as compressed bytes: sliced raw where they are plain deflate
    or stored, compressed here (once) otherwise."""
    members = []
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        for info in archive.infolist():
            plain = info.compress_type in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
            if plain and not info.flag_bits & _ENCRYPTED and info.header_offset < 2**32:
                start = info.header_offset + _LOCAL.size
                name_length, extra_length = struct.unpack_from("<2H", template, start - 4)
                start += name_length + extra_length
                member = _Member(
                    info.filename,
                    info.date_time,
                    info.compress_type,
                    info.CRC,
                    info.file_size,
                    template[start : start + info.compress_size],
                )
                members.append(member)
            else:
                empty = _Member(info.filename, info.date_time, 0, 0, 0, b"")
                members.append(_deflated(empty, archive.read(info)))
    return tuple(members)


def _deflated(member: _Member, content: bytes) -> _Member:
    """``member`` holding ``content`` instead, deflated as python-docx would."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    data = packer.compress(content) + packer.flush()
    crc = zlib.crc32(content)
    return _Member(member.name, member.date_time, zipfile.ZIP_DEFLATED, crc, len(content), data)


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return hour << 11 | minute << 5 | second // 2, max(year - 1980, 0) << 9 | month << 5 | day


def _write_zip(members: Iterable[_Member]) -> bytes:
    out = io.BytesIO()
    central = io.BytesIO()
    count = 0
    for member in members:
        name = member.name.encode()
        flags = 0 if name.isascii() else _UTF8_NAME
        time, date = _dos_time(member.date_time)
        sizes = (member.crc, len(member.data), member.size)
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, member.method, time, date, *sizes,
                              len(name), 0))  # fmt: skip
        out.write(name)
        out.write(member.data)
        central.write(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, member.method, time, date,
                                    *sizes, len(name), 0, 0, 0, 0, 0, offset))  # fmt: skip
        central.write(name)
        count += 1
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()
