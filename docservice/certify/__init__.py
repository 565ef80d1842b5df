"""Certified copies: foliation of every page and the certification legend."""

from docservice.certify.pages import (
    FoliatedCopy,
    Impresion,
    add_legend_pages,
    count_fojas,
    foja_label,
    foliate,
    open_copy,
    to_bytes,
)

__all__ = [
    "FoliatedCopy",
    "Impresion",
    "add_legend_pages",
    "count_fojas",
    "foja_label",
    "foliate",
    "open_copy",
    "to_bytes",
]
