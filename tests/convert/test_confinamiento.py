"""soffice reads nothing outside its own work directory, whatever the .docx links.

Each .docx links a canary PNG by one of the variants an adversarial review found LibreOffice
follows; it goes straight to the real pool (no lint in between) and the PDF must hold no
image. The same .docx linking a copy of the canary inside the work directory embeds it: the
check can fail. The canary outside is world-readable: only the confinement keeps it out.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from PIL import Image

from docservice.config import ConvertSettings
from docservice.convert import ConverterPool

pytestmark = pytest.mark.libreoffice
RELS = "word/_rels/document.xml.rels"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE, HYPERLINK = f"{R}/image", f"{R}/hyperlink"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def with_picture() -> bytes:
    """A one-picture .docx; its picture's relationship is ``rIdImg``, its blip embeds it."""
    document = Document()
    document.add_paragraph("Canario")
    document.add_picture(io.BytesIO(png()), width=Cm(3))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def repackaged(docx: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def linked(target: Path, rel_type: str, template: str, utf16: bool = False) -> bytes:
    """The picture linked (``r:link``) to ``target`` instead of embedded; no media part."""
    url = target.as_uri()

    def change(name: str, data: bytes) -> bytes | None:
        if name.startswith("word/media/"):
            return None
        if name == "word/document.xml":
            return data.replace(b'r:embed="', b'r:link="')
        if name != RELS:
            return data
        text = data.decode()
        start = text.rindex("<Relationship ", 0, text.index(f'Type="{IMAGE}"'))
        end = text.index("/>", start) + 2
        rel_id = text[start:end].split('Id="')[1].split('"')[0]
        text = text[:start] + template.format(id=rel_id, type=rel_type, url=url) + text[end:]
        if utf16:
            text = re.sub(r"encoding=[\"']UTF-8[\"']", 'encoding="UTF-16"', text)
            return text.encode("utf-16")
        return text.encode()

    return repackaged(with_picture(), change)


def include_picture(target: Path) -> bytes:
    field = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
        f'xml:space="preserve"> INCLUDEPICTURE "{target}" \\d </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )

    def change(name: str, data: bytes) -> bytes | None:
        if name.startswith("word/media/"):
            return None
        if name == "word/document.xml":
            body = data.decode()
            start = body.index("<w:drawing>")
            body = body[:start] + body[body.index("</w:drawing>") + 12 :]
            return body.replace("<w:sectPr", field + "<w:sectPr", 1).encode()
        return data

    return repackaged(with_picture(), change)


SINGLE = "<Relationship Id='{id}' Type='{type}' Target='{url}' TargetMode='External'/>"
SPACED = '<Relationship Id = "{id}" Type = "{type}" Target = "{url}" TargetMode = "External"/>'
PLAIN = '<Relationship Id="{id}" Type="{type}" Target="{url}" TargetMode="External"/>'
VARIANTS: dict[str, Callable[[Path], bytes]] = {
    "comillas simples": lambda t: linked(t, IMAGE, SINGLE),
    "espacios junto al =": lambda t: linked(t, IMAGE, SPACED),
    "rels en UTF-16": lambda t: linked(t, IMAGE, PLAIN, utf16=True),
    "r:link a un hipervínculo": lambda t: linked(t, HYPERLINK, PLAIN),
    "campo INCLUDEPICTURE": include_picture,
}


def images(pdf: bytes) -> list[str]:
    """The rows of ``pdfimages -list``: one per image the PDF draws."""
    result = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode().splitlines()[2:]


@pytest.fixture(scope="module")
def canaries(pool: ConverterPool, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same PNG outside the work directory (world-readable) and inside it."""
    outside = tmp_path_factory.mktemp("fuera") / "canario.png"
    inside = pool.workdir / "canario.png"
    for path in (outside, inside):
        path.write_bytes(png())
        path.chmod(0o644)
    return outside, inside


FOLLOWED = {"comillas simples", "espacios junto al =", "rels en UTF-16", "r:link a un hipervínculo"}
"""Variants LibreOffice 7.4 follows when the file is reachable; it ignores INCLUDEPICTURE in
a .docx (kept: a later version might not)."""


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_linked_file_outside_the_work_dir_is_not_embedded(
    variant: str, pool: ConverterPool, canaries: tuple[Path, Path]
) -> None:
    outside, inside = canaries
    make = VARIANTS[variant]
    assert pool.confined
    assert images(pool.convert(make(outside))) == []
    control = images(pool.convert(make(inside)))
    assert len(control) == (1 if variant in FOLLOWED else 0), control


def test_soffice_runs_as_its_uid_and_sees_only_its_work_dir(
    pool: ConverterPool, canaries: tuple[Path, Path]
) -> None:
    outside, inside = canaries
    pool.convert(with_picture())  # every process up
    uid = str(ConvertSettings().soffice_uid)
    pids = pool.soffice_pids()
    assert pids  # the checks below must run on at least one process
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        uids = next(line for line in status.splitlines() if line.startswith("Uid:"))
        assert uids.split()[1:] == [uid] * 4
        root = Path(f"/proc/{pid}/root")  # its mount namespace, as root sees it
        for hidden in ("root", "work", "srv"):
            assert list((root / hidden).iterdir()) == [], hidden
        assert not (root / str(outside).lstrip("/")).exists()
        assert (root / str(inside).lstrip("/")).is_file()
        assert (root / "etc/passwd").is_file()  # the system stays visible
