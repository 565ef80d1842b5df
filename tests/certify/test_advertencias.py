"""One certification of a PDF full of tolerated defects logs a handful of lines, not thousands."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from tests import hostile_pdfs
from tests.api.test_certificaciones import certify

pytestmark = pytest.mark.libreoffice
Headers = dict[Rol, dict[str, str]]
REPEATS = 22


def repeated_keys_pdf(pages: int = 490) -> bytes:
    """Page dictionaries repeating /Type: pypdf warns per repeat, per reading (a valid xref).

    Each page draws a line of text and a few hundred bytes of path, 450 KB in all: the size
    of the copy that logged 11,000 lines.
    """
    kids = b" ".join(b"%d 0 R" % (3 + 2 * n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
    ]
    font = (
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    )
    for n in range(pages):
        objects.append(
            b"<< /Type /Page" + b" /Type /Page" * REPEATS
            + b" /Parent 2 0 R /MediaBox [0 0 612 792] %s /Contents %d 0 R >>" % (font, 4 + 2 * n)
        )  # fmt: skip
        ops = b"BT /F1 9 Tf 20 20 Td (Pagina %d) Tj ET\n" % n + b"10 10 m 20 20 l S\n" * 20
        objects.append(hostile_pdfs._stream(ops))
    return hostile_pdfs._pdf(objects)


def test_a_certification_logs_fewer_than_50_records(
    client: TestClient, auth: Headers, caplog: pytest.LogCaptureFixture
) -> None:
    pdf = repeated_keys_pdf()
    assert 450_000 < len(pdf) < 470_000
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    response = certify(client, auth[Rol.JURIDICO], pdf)
    assert response.status_code == 200, response.text
    assert len(caplog.records) < 50, len(caplog.records)
    library = [r for r in caplog.records if r.name.split(".")[0] in ("pypdf", "pyhanko")]
    assert 1 <= len(library) <= 3
    summary = [
        r.getMessage() for r in caplog.records if r.name == "docservice.certify.advertencias"
    ]
    assert len(summary) == 1, summary
    found = re.fullmatch(
        r"certificación: (\d+) advertencias más de pypdf/pyHanko sobre el PDF, omitidas", summary[0]
    )
    assert found and int(found.group(1)) > 10_000, summary


def test_warnings_outside_a_certification_are_left_alone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        for n in range(5):
            logging.getLogger("pypdf._reader").warning("aviso %d", n)
    assert [r.getMessage() for r in caplog.records] == [f"aviso {n}" for n in range(5)]
