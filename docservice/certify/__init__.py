"""Service: certified copies — foliation of every page, the legend, certification, record."""

from docservice.certify.pages import (
    FoliatedCopy,
    Impresion,
    add_legend_pages,
    count_fojas,
    foja_label,
    foliate,
    open_copy,
    signature_count,
    to_bytes,
)
from docservice.certify.service import CertificationRequest, CertificationService, CertifiedCopy
from docservice.pdf.contenido import flatten_signatures

__all__ = [
    "CertificationRequest",
    "CertificationService",
    "CertifiedCopy",
    "FoliatedCopy",
    "Impresion",
    "add_legend_pages",
    "count_fojas",
    "flatten_signatures",
    "foja_label",
    "foliate",
    "open_copy",
    "signature_count",
    "to_bytes",
]
