"""Service: produce documents from published plantillas."""

from docservice.documentos.service import (
    MEDIA_TYPES,
    CheckedRequest,
    DocumentRequest,
    DocumentService,
    ProducedDocument,
    canonical_sha256,
)

__all__ = [
    "MEDIA_TYPES",
    "CheckedRequest",
    "DocumentRequest",
    "DocumentService",
    "ProducedDocument",
    "canonical_sha256",
]
