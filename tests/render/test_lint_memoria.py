"""A template that exhausts the review's memory gets a finding that says so, never an empty one."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from docservice.config import RenderSettings
from docservice.render import Renderer
from docservice.render.borradores import DraftPool
from docservice.render.context import TemplateInfo

INFO = TemplateInfo("prueba", "Prueba", 1, "0000-000-000", ("artículo 1",))
SCHEMA = {"type": "object", "properties": {"a": {"type": "string"}}}


def swollen_docx(megabytes: int) -> bytes:
    """A 100 KB .docx whose document.xml inflates to ``megabytes`` MB of text (1 MB runs)."""
    document = Document()
    document.add_paragraph("{{ a }} RELLENO")
    source = io.BytesIO()
    document.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"RELLENO", (b"x" * (1 << 20) + b"</w:t><w:t>") * megabytes)
            zout.writestr(item, data)
    return out.getvalue()


def test_a_memory_error_while_reading_the_tags_is_named() -> None:
    drafts = DraftPool(RenderSettings(borrador_tiempo_s=60, borrador_memoria_mb=300))
    try:
        findings = drafts.run(
            "la revisión", Renderer.lint, swollen_docx(48), INFO, SCHEMA, {"a": "x"}, ()
        )
    finally:
        drafts.close()
    assert findings == [
        "las etiquetas de la plantilla no se pueden analizar: "
        "exceden el límite de memoria de la revisión"
    ]
