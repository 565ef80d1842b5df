"""Sandboxed docxtpl rendering of plantillas, with case-data validation."""

from docservice.render.context import COMPUTED_NAMES, TemplateInfo, credit_rows, credit_totals
from docservice.render.docx import DocumentProperties
from docservice.render.pool import RenderPool
from docservice.render.renderer import Renderer
from docservice.render.schema import CaseDataValidator, check_schema

__all__ = [
    "COMPUTED_NAMES",
    "CaseDataValidator",
    "DocumentProperties",
    "RenderPool",
    "Renderer",
    "TemplateInfo",
    "check_schema",
    "credit_rows",
    "credit_totals",
]
