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
