"""Diff between versions: body text and schema fields, from real plantillas."""

from __future__ import annotations

import copy
import io
import json

from docx import Document

from docservice.registry.diff import body_lines, diff_versions
from tests.conftest import PLANTILLAS

FOLDER = PLANTILLAS / "requerimiento_pago"
DOCX = (FOLDER / "plantilla.docx").read_bytes()
SCHEMA = json.loads((FOLDER / "schema.json").read_text("utf-8"))


def test_body_lines_read_paragraphs_and_table_rows_in_order() -> None:
    lines = body_lines(DOCX)
    assert lines[0] == "Requerimiento de pago"
    assert any(line.startswith("Número de crédito | Periodo | Concepto") for line in lines)


def test_a_changed_paragraph_and_a_new_field_are_reported() -> None:
    document = Document(io.BytesIO(DOCX))
    target = next(p for p in document.paragraphs if p.text.startswith("Asunto:"))
    for run in target.runs[1:]:
        run.text = ""
    target.runs[0].text = "Asunto: requerimiento de pago"
    out = io.BytesIO()
    document.save(out)
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["expediente"] = {"type": "string", "description": "Expediente"}
    schema["properties"]["plazo"]["title"] = "Plazo"
    del schema["properties"]["numero_oficio"]
    diff = diff_versions(DOCX, SCHEMA, out.getvalue(), schema)
    assert "-Asunto: requerimiento de pago y apercibimiento de embargo" in diff.texto
    assert "+Asunto: requerimiento de pago" in diff.texto
    assert diff.campos_agregados == ["/expediente"]
    assert diff.campos_quitados == ["/numero_oficio"]
    assert diff.campos_cambiados == ["/plazo"]


def test_identical_versions_have_no_diff() -> None:
    diff = diff_versions(DOCX, SCHEMA, DOCX, SCHEMA)
    assert (diff.texto, diff.campos_agregados, diff.campos_quitados, diff.campos_cambiados) == (
        [], [], [], []
    )  # fmt: skip
