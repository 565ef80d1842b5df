"""What a document carries about itself, computed without the signing stack: the case data's
canonical hash, a plantilla's or leyenda's identity for the renderer, and the PDF's core
properties."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from docservice.registry import Leyenda, Plantilla
from docservice.render.context import TemplateInfo
from docservice.render.docx import DocumentProperties


def canonical_sha256(datos: Mapping[str, Any]) -> str:
    """SHA-256 of the case data in a stable JSON form (sorted keys, decimals as text)."""

    def default(value: object) -> str:
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    text = json.dumps(
        datos, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    )
    return hashlib.sha256(text.encode()).hexdigest()


def template_info(version: Plantilla | Leyenda) -> TemplateInfo:
    """What the renderer is told about a plantilla or leyenda version (both have a manifest)."""
    m = version.manifest
    return TemplateInfo(m.clave, m.nombre, m.version, m.formato_clave, m.fundamento)


def document_properties(
    plantilla: Plantilla, documento_id: str, datos_sha256: str, solicitante: str
) -> DocumentProperties:
    """The PDF metadata: the same identifiers the ledger records."""
    return DocumentProperties(
        title=plantilla.manifest.nombre,
        subject=f"{plantilla.clave} versión {plantilla.version}",
        # Word caps each core property at 255 characters: the clave and version go in the
        # subject, so the keywords (211 characters) fit whatever the clave.
        keywords=(
            f"documento_id={documento_id}; plantilla_sha256={plantilla.docx_sha256}; "
            f"datos_sha256={datos_sha256}"
        ),
        comments=f"Emitido por docservice para {solicitante}",
    )
