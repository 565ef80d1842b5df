"""The review of an uploaded plantilla version, run whole in a bounded child process.

An upload is nobody's word yet: its zip may lie about its sizes (a few MB that inflate to
gigabytes), its template may loop. Both the package inspection and the lint run in the
child ``aislamiento.run_bounded`` spawns, so the API process never inflates an upload.
"""

from __future__ import annotations

from docservice.config import RenderSettings
from docservice.documentos.service import template_info
from docservice.registry import BrokenPlantilla, Manifest, Plantilla, plantilla_from_files
from docservice.render.borradores import lint_draft


def review_upload(
    settings: RenderSettings, manifest: Manifest, docx: bytes, schema: bytes, ejemplo: bytes
) -> tuple[Plantilla | None, list[str]]:
    """The checked plantilla and the lint's findings; no plantilla when the files are unsound."""
    try:
        plantilla = plantilla_from_files(
            manifest, docx=docx, schema=schema, ejemplo=ejemplo, estado="borrador"
        )
    except BrokenPlantilla as exc:
        return None, [str(exc)]
    findings = lint_draft(
        settings,
        plantilla.docx,
        template_info(plantilla),
        plantilla.schema,
        plantilla.ejemplo,
        tuple(plantilla.manifest.rfc_genericos_permitidos),
    )
    return plantilla, findings
