"""What changed between two versions of a plantilla or a leyenda: text and schema fields.

A plantilla's text is read from the .docx (paragraphs and table cells, in document order) with
python-docx, a leyenda's is its lines; the schema is flattened into JSON pointers with their
definitions.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


@dataclass(frozen=True)
class VersionDiff:
    texto: list[str]
    """Unified diff of the body text (``-`` removed, ``+`` added)."""
    campos_agregados: list[str]
    campos_quitados: list[str]
    campos_cambiados: list[str]


def body_lines(docx: bytes) -> list[str]:
    """The document body as text lines: each paragraph, each table row (cells joined by |)."""
    document = Document(BytesIO(docx))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(block.text.strip())
        elif isinstance(block, Table):
            for row in block.rows:
                lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return lines


def text_lines(texto: str) -> list[str]:
    """A text template's non-blank lines, stripped."""
    return [line.strip() for line in texto.splitlines() if line.strip()]


def schema_fields(schema: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, definition) of every property, nested objects and list items included."""
    for name, node in (schema.get("properties") or {}).items():
        pointer = f"{prefix}/{name}"
        if isinstance(node, Mapping):
            flat = {k: v for k, v in node.items() if k not in ("properties", "items")}
            yield pointer, json.dumps(flat, sort_keys=True, ensure_ascii=False)
            yield from schema_fields(node, pointer)
            items = node.get("items")
            if isinstance(items, Mapping):
                yield from schema_fields(items, f"{pointer}/*")


def diff_versions(
    old_docx: bytes, old_schema: Mapping[str, Any], new_docx: bytes, new_schema: Mapping[str, Any]
) -> VersionDiff:
    """Two plantilla versions compared."""
    return diff_lines(body_lines(old_docx), old_schema, body_lines(new_docx), new_schema)


def diff_lines(
    old: list[str], old_schema: Mapping[str, Any], new: list[str], new_schema: Mapping[str, Any]
) -> VersionDiff:
    """Two versions compared by their text lines and their schemas."""
    texto = [
        line
        for line in difflib.unified_diff(old, new, "anterior", "nueva", lineterm="", n=1)
        if not line.startswith(("---", "+++"))
    ]
    before, after = dict(schema_fields(old_schema)), dict(schema_fields(new_schema))
    return VersionDiff(
        texto=texto,
        campos_agregados=sorted(after.keys() - before.keys()),
        campos_quitados=sorted(before.keys() - after.keys()),
        campos_cambiados=sorted(k for k in before.keys() & after.keys() if before[k] != after[k]),
    )
