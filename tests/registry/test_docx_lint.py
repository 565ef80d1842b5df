"""Hostile .docx packages are named before anything opens them (research §2, T11–T20)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from docservice.registry.docx_lint import inspect_docx
from tests.conftest import PLANTILLAS

MODEL = (PLANTILLAS / "requerimiento_pago" / "plantilla.docx").read_bytes()


def rebuilt(
    change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None
) -> bytes:
    """The model package with each part passed through ``change`` (None drops it)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(MODEL)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _external_image(name: str, data: bytes) -> bytes:
    if name == "word/_rels/document.xml.rels":
        return data.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/image" Target="http://127.0.0.1:8765/x.png" '
            b'TargetMode="External"/></Relationships>',
        )
    return data


def _doctype(name: str, data: bytes) -> bytes:
    if name == "word/document.xml":
        return data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaa">]>', 1)
    return data


def _macro_type(name: str, data: bytes) -> bytes:
    if name == "[Content_Types].xml":
        return data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
    return data


def _include_picture(name: str, data: bytes) -> bytes:
    if name == "word/document.xml":
        return data.replace(
            b"</w:body>",
            b'<w:p><w:fldSimple w:instr="INCLUDEPICTURE &quot;http://x/y.png&quot;"/></w:p></w:body>',
        )
    return data


def keep(_: str, data: bytes) -> bytes:
    return data


CASES = [
    (rebuilt(_external_image), "enlaza un recurso externo (http://127.0.0.1:8765/x.png)"),
    (rebuilt(_doctype), "declara un DTD o entidades XML"),
    (rebuilt(_macro_type), "declara macros"),
    (rebuilt(keep, {"word/vbaProject.bin": b"\0" * 100}), "contiene macros"),
    (rebuilt(keep, {"word/embeddings/oleObject1.bin": b"x"}), "objetos incrustados"),
    (rebuilt(_include_picture), "usa el campo INCLUDEPICTURE"),
    (rebuilt(keep, {"../../fuera.txt": b"x"}), "nombre de entrada peligroso"),
    (rebuilt(keep, {"bomba.xml": b" " * (60 * 1024 * 1024)}), "posible bomba zip"),
    (
        rebuilt(lambda n, d: None if n == "word/document.xml" else d),
        "no contiene word/document.xml",
    ),
    (b"no soy un zip", "no es un paquete zip"),
    (MODEL[: len(MODEL) // 2], "dañado"),
]


@pytest.mark.parametrize(("data", "finding"), CASES)
def test_hostile_packages_are_named(data: bytes, finding: str) -> None:
    findings = inspect_docx(data)
    assert any(finding in f for f in findings), findings


def test_the_shipped_plantillas_are_clean() -> None:
    for folder in PLANTILLAS.iterdir():
        docx = folder / "plantilla.docx"
        if docx.is_file():
            assert inspect_docx(docx.read_bytes()) == [], folder.name


def test_too_many_entries_and_too_big() -> None:
    many = rebuilt(keep, {f"x/{n}.xml": b"<a/>" for n in range(1001)})
    assert "entradas; el máximo es 1000" in inspect_docx(many)[0]
    assert "el máximo es 100" in inspect_docx(MODEL, max_bytes=100)[0]


# --- Variants that got past the text match (issue 12, item 2): one generated package each ---

DOC_RELS = "word/_rels/document.xml.rels"
IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CANARY = "file:///etc/hostname"


def in_part(part: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    """A ``change`` replacing ``old`` by ``new`` once in ``part``."""

    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        assert old in data, (part, old)
        return data.replace(old, new, 1)

    return change


def body(xml: bytes) -> Callable[[str, bytes], bytes]:
    return in_part("word/document.xml", b"</w:body>", xml + b"</w:body>")


def relationship(attributes: bytes) -> Callable[[str, bytes], bytes]:
    return in_part(
        DOC_RELS, b"</Relationships>", b"<Relationship " + attributes + b"/></Relationships>"
    )


def both(*changes: Callable[[str, bytes], bytes]) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        for one in changes:
            data = one(name, data)
        return data

    return change


def utf16(part: str, then: Callable[[str, bytes], bytes] = keep) -> Callable[[str, bytes], bytes]:
    """``part`` re-encoded as UTF-16 (BOM and declaration), after ``then``."""

    def change(name: str, data: bytes) -> bytes:
        data = then(name, data)
        if name != part:
            return data
        text = data.decode().replace("encoding='UTF-8'", "encoding='UTF-16'")
        return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    return change


EXTERNAL_IMAGE_SINGLE = (
    b"Id='rIdX' Type='" + IMAGE_TYPE.encode() + b"' Target='" + CANARY.encode() + b"' "
    b"TargetMode='External'"
)
EXTERNAL_IMAGE_SPACED = (
    b'Id = "rIdX" Type = "' + IMAGE_TYPE.encode() + b'" Target = "' + CANARY.encode() + b'" '
    b'TargetMode = "External"'
)
EXTERNAL_REFUSED = f"«{DOC_RELS}» enlaza un recurso externo ({CANARY}): no se permite"
HYPERLINK_TO_CANARY = (
    b'Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'hyperlink" Target="' + CANARY.encode() + b'" TargetMode="External"'
)
LINKED_PICTURE = (
    b'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/>'
    b'<wp:docPr id="90" name="x"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
    b'drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
    b'2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/'
    b'picture"><pic:nvPicPr><pic:cNvPr id="90" name="x"/><pic:cNvPicPr/></pic:nvPicPr>'
    b'<pic:blipFill><a:blip r:link="rIdH"/><a:stretch><a:fillRect/></a:stretch>'
    b'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/>'
    b'</a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    b"</wp:inline></w:drawing></w:r></w:p>"
)
VML_PICTURE = (
    b'<w:p><w:r><w:pict><v:shape id="s1" style="width:10pt;height:10pt">'
    b'<v:imagedata r:id="rIdH"/></v:shape></w:pict></w:r></w:p>'
)
DTD = b'<!DOCTYPE w:document [<!ENTITY c SYSTEM "file:///etc/hostname">]>'
ALT_CHUNK_TYPE = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"

VARIANTS = {
    "TargetMode entre comillas simples": (
        rebuilt(relationship(EXTERNAL_IMAGE_SINGLE)),
        [EXTERNAL_REFUSED],
    ),
    "espacios alrededor de =": (rebuilt(relationship(EXTERNAL_IMAGE_SPACED)), [EXTERNAL_REFUSED]),
    ".rels en UTF-16": (
        rebuilt(utf16(DOC_RELS, relationship(EXTERNAL_IMAGE_SINGLE))),
        [EXTERNAL_REFUSED],
    ),
    "imagen r:link por una relación hyperlink": (
        rebuilt(both(relationship(HYPERLINK_TO_CANARY), body(LINKED_PICTURE))),
        [
            "«word/document.xml» usa el hipervínculo «rIdH» como imagen u otro recurso (blip): "
            "no se permite"
        ],
    ),
    "v:imagedata por una relación hyperlink": (
        rebuilt(both(relationship(HYPERLINK_TO_CANARY), body(VML_PICTURE))),
        [
            "«word/document.xml» usa el hipervínculo «rIdH» como imagen u otro recurso "
            "(imagedata): no se permite"
        ],
    ),
    "DTD en un document.xml UTF-16": (
        rebuilt(utf16("word/document.xml", in_part("word/document.xml", b"?>", b"?>" + DTD))),
        ["la parte «word/document.xml» declara un DTD o entidades XML"],
    ),
    "&#73;NCLUDETEXT": (
        rebuilt(
            body(b'<w:p><w:fldSimple w:instr="&#73;NCLUDETEXT &quot;/etc/hostname&quot;"/></w:p>')
        ),
        ["«word/document.xml» usa el campo INCLUDETEXT, que no se permite"],
    ),
    "fldSimple con comillas simples": (
        rebuilt(
            body(b"<w:p><w:fldSimple w:instr='INCLUDEPICTURE \"" + CANARY.encode() + b"\"'/></w:p>")
        ),
        ["«word/document.xml» usa el campo INCLUDEPICTURE, que no se permite"],
    ),
    "instrText con otro prefijo, partido en dos": (
        rebuilt(
            body(
                b'<x:p xmlns:x="' + W_NS.encode() + b'"><x:r><x:fldChar x:fldCharType="begin"/>'
                b"</x:r><x:r><x:instrText>INCLUDE</x:instrText></x:r><x:r><x:instrText>PICTURE "
                b'"' + CANARY.encode() + b'"</x:instrText></x:r><x:r>'
                b'<x:fldChar x:fldCharType="end"/></x:r></x:p>'
            )
        ),
        ["«word/document.xml» usa el campo INCLUDEPICTURE, que no se permite"],
    ),
    "altChunk": (
        rebuilt(
            both(
                relationship(b'Id="rIdA" Type="' + ALT_CHUNK_TYPE + b'" Target="chunk.docx"'),
                body(b'<w:altChunk r:id="rIdA"/>'),
            ),
            {"word/chunk.docx": MODEL},
        ),
        [
            "la parte «word/chunk.docx» no tiene tipo de contenido declarado",
            f"«{DOC_RELS}» incluye otro documento (altChunk): no se permite",
            "«word/document.xml» incluye otro documento (altChunk): no se permite",
        ],
    ),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_that_got_through_is_refused(variant: str) -> None:
    data, expected = VARIANTS[variant]
    assert inspect_docx(data) == expected


def content_type(entry: bytes) -> Callable[[str, bytes], bytes]:
    return in_part("[Content_Types].xml", b"</Types>", entry + b"</Types>")


ALLOW_LISTS = [
    (
        relationship(
            b'Id="rIdX" Type="' + IMAGE_TYPE.encode() + b'" Target="../../../etc/hostname"'
        ),
        {},
        [f"«{DOC_RELS}» apunta a «../../../etc/hostname», que no es una parte del paquete"],
    ),
    (
        relationship(
            b'Id="rIdX" Type="' + IMAGE_TYPE.encode() + b'" Target="' + CANARY.encode() + b'"'
        ),
        {},
        [f"«{DOC_RELS}» apunta a «{CANARY}», que no es una parte del paquete"],
    ),
    (
        relationship(
            b'Id="rIdX" Type="' + IMAGE_TYPE.encode() + b'" Target="' + CANARY.encode() + b'" '
            b'TargetMode="external"'
        ),
        {},
        [f"«{DOC_RELS}» declara un TargetMode desconocido: «external»"],
    ),
    (
        relationship(
            b'Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'attachedTemplate" Target="http://127.0.0.1/t.dotx" TargetMode="External"'
        ),
        {},
        [
            f"«{DOC_RELS}» declara una relación de tipo no permitido: http://schemas.openxmlformats"
            ".org/officeDocument/2006/relationships/attachedTemplate"
        ],
    ),
    (
        relationship(b'Id="rId3" Type="' + IMAGE_TYPE.encode() + b'" Target="styles.xml"'),
        {},
        [f"«{DOC_RELS}» repite el identificador de relación «rId3»"],
    ),
    (
        content_type(b'<Override PartName="/word/media/logo.svg" ContentType="image/svg+xml"/>'),
        {"word/media/logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'},
        ["[Content_Types].xml declara un tipo de contenido no permitido: image/svg+xml"],
    ),
    (
        content_type(b'<Default Extension="png" ContentType="image/png"/>'),
        {"word/media/logo.png": b'<svg xmlns="http://www.w3.org/2000/svg"/>'},
        ["la parte «word/media/logo.png» no es una imagen image/png (su contenido no coincide)"],
    ),
    (
        keep,
        {"word/media/logo.gif": b"GIF89a"},
        ["la parte «word/media/logo.gif» no tiene tipo de contenido declarado"],
    ),
    (
        content_type(
            b'<Override PartName="/word/cabecera.bin" ContentType="application/vnd.openxmlformats-'
            b'officedocument.wordprocessingml.header+xml"/>'
        ),
        {
            "word/cabecera.bin": b'<w:hdr xmlns:w="' + W_NS.encode() + b'"><w:p><w:fldSimple '
            b'w:instr="INCLUDETEXT x"/></w:p></w:hdr>'
        },
        ["«word/cabecera.bin» usa el campo INCLUDETEXT, que no se permite"],
    ),
    (
        body(b"<w:p><w:fldSimple w:instr=' FILENAME \\p '/></w:p>"),
        {},
        ["«word/document.xml» usa el campo FILENAME, que no se permite"],
    ),
]


@pytest.mark.parametrize(("change", "extra", "expected"), ALLOW_LISTS)
def test_only_allow_listed_types_targets_and_fields(
    change: Callable[[str, bytes], bytes], extra: dict[str, bytes], expected: list[str]
) -> None:
    assert inspect_docx(rebuilt(change, extra)) == expected


def test_hyperlinks_and_harmless_fields_stay_allowed() -> None:
    hyperlink = b'<w:p><w:hyperlink r:id="rIdH"><w:r><w:t>liga</w:t></w:r></w:hyperlink></w:p>'
    nested_page = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText>'
        b'</w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>INCLUDETEXT x'
        b'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r>'
        b'<w:fldChar w:fldCharType="end"/>'
        b"</w:r></w:p>"
    )
    clean = rebuilt(both(relationship(HYPERLINK_TO_CANARY), body(hyperlink)))
    assert inspect_docx(clean) == []
    assert inspect_docx(rebuilt(body(nested_page))) == [
        "«word/document.xml» usa el campo INCLUDETEXT, que no se permite"
    ]


def test_a_part_that_is_not_xml_is_named() -> None:
    broken = rebuilt(in_part("word/document.xml", b"</w:body>", b"</w:bod>"))
    (finding,) = inspect_docx(broken)
    assert finding.startswith(
        "la parte «word/document.xml» no es XML válido: Opening and ending tag mismatch: body"
    )


def test_a_refused_part_is_never_remembered_as_clean() -> None:
    data, expected = VARIANTS["&#73;NCLUDETEXT"]
    assert inspect_docx(MODEL) == []
    assert inspect_docx(data) == expected
    assert inspect_docx(data) == expected
