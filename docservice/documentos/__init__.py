"""Service: produce documents from published plantillas.

The names below load ``documentos.service`` (and with it the signing stack) on first use, so
modules of this package that need none of it — versions, drafts, document properties — import
fast (the command line's ``templates diff`` never loads pyHanko).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docservice.documentos.propiedades import canonical_sha256
    from docservice.documentos.service import (
        MEDIA_TYPES,
        CheckedRequest,
        DocumentRequest,
        DocumentService,
        ProducedDocument,
    )

__all__ = [
    "MEDIA_TYPES",
    "CheckedRequest",
    "DocumentRequest",
    "DocumentService",
    "ProducedDocument",
    "canonical_sha256",
]


def __getattr__(name: str) -> Any:
    if name == "canonical_sha256":
        return import_module("docservice.documentos.propiedades").canonical_sha256
    if name in __all__:
        return getattr(import_module("docservice.documentos.service"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
