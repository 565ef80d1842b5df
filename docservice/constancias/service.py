"""Constancias: a plantilla rendered under a gapless folio, certified, stored, cancellable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docservice.config import ConstanciaSettings
from docservice.documentos import DocumentRequest, DocumentService
from docservice.documentos.issuing import FolioIssuer, FolioRequest
from docservice.errors import (
    FieldError,
    FolioNoEmitido,
    FolioNoEncontrado,
    NoEncontrado,
    PlantillaNoEsConstancia,
)
from docservice.formato import enmascarar_rfc
from docservice.ledger import ConstanciaRecord, Ledger
from docservice.ledger.blobs import BlobStore
from docservice.ledger.folios import Vigencia
from docservice.registry import LeyendaRegistry, Registry

TIPOS = {"constancia": "Constancia", "certificacion": "Copia certificada"}


@dataclass(frozen=True)
class ConstanciaRequest:
    """What a caller asks for: a plantilla, its case data and, optionally, the series."""

    plantilla: str
    datos: Mapping[str, Any]
    solicitante: str
    serie: str | None = None
    version: int | None = None
    perfil_firma: str | None = None


@dataclass(frozen=True)
class IssuedConstancia:
    constancia: ConstanciaRecord
    contenido: bytes

    @property
    def filename(self) -> str:
        return file_name(self.constancia.folio)


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the folio (from the QR) may see: nothing the ledger keeps private."""

    folio: str
    estado: Vigencia
    tipo: str
    documento: str
    """The plantilla's or leyenda's name, e.g. "Constancia de adeudos"."""
    emitido_en: datetime | None
    emisor: str | None
    contenido_sha256: str | None
    deudor_nombre: str | None
    deudor_rfc: str | None
    """Masked: the date part never shows."""
    cancelada_en: datetime | None
    cancelacion_motivo: str | None


def file_name(folio: str) -> str:
    return f"{folio.replace('/', '-')}.pdf"


def _text(datos: Mapping[str, Any], block: str, name: str) -> str | None:
    value = datos.get(block)
    found = value.get(name) if isinstance(value, Mapping) else None
    return str(found) if found is not None else None


class ConstanciaService:
    def __init__(
        self,
        *,
        documentos: DocumentService,
        issuer: FolioIssuer,
        ledger: Ledger,
        store: BlobStore,
        leyendas: LeyendaRegistry,
        settings: ConstanciaSettings,
    ) -> None:
        self._documentos = documentos
        self._issuer = issuer
        self._ledger = ledger
        self._store = store
        self._leyendas = leyendas
        self._settings = settings

    @property
    def registry(self) -> Registry:
        return self._documentos.registry

    def issue(self, request: ConstanciaRequest) -> IssuedConstancia:
        """Check everything, take the folio, render with it, sign as certification, store."""
        document = DocumentRequest(
            plantilla=request.plantilla,
            datos=request.datos,
            solicitante=request.solicitante,
            version=request.version,
            perfil_firma=request.perfil_firma or self._settings.perfil_firma,
        )
        if self.registry.get(request.plantilla, request.version).manifest.tipo != "constancia":
            raise PlantillaNoEsConstancia(
                f"la plantilla «{request.plantilla}» no es de constancia: solo se emiten como"
                ' constancia las plantillas cuyo manifiesto dice tipo = "constancia"',
                errores=(FieldError("/plantilla", "la plantilla no es de tipo constancia"),),
            )
        checked = self._documentos.check(document)  # bad input takes no folio
        folio_request = FolioRequest(
            tipo="constancia",
            serie=request.serie or self._settings.serie,
            solicitante=request.solicitante,
            plantilla=checked.plantilla.clave,
            plantilla_version=checked.plantilla.version,
            deudor_nombre=_text(request.datos, "deudor", "nombre"),
            deudor_rfc=_text(request.datos, "deudor", "rfc"),
            emisor=_text(request.datos, "autoridad", "unidad"),
        )
        issued = self._issuer.issue(
            folio_request,
            lambda folio: self._documentos.build(checked, folio=folio),
        )
        return IssuedConstancia(issued.constancia, issued.contenido)

    def get(self, folio: str) -> ConstanciaRecord:
        record = self._ledger.get_constancia(folio)
        if record is None:
            raise FolioNoEncontrado(f"no existe el folio {folio}")
        return record

    def pdf(self, folio: str) -> bytes:
        """The stored file, checked against the hash the ledger holds."""
        record = self.get(folio)
        if record.estado != "emitido" or record.contenido_sha256 is None:
            raise FolioNoEmitido(f"el folio {folio} está {record.estado}: no tiene documento")
        return self._store.get(record.contenido_sha256)

    def cancel(self, folio: str, motivo: str, por: str) -> ConstanciaRecord:
        self.get(folio)
        return self._ledger.cancel_constancia(folio, motivo, por)

    def public_status(self, folio: str) -> PublicStatus:
        record = self.get(folio)
        return PublicStatus(
            folio=record.folio,
            estado=record.vigencia,
            tipo=TIPOS.get(record.tipo, record.tipo),
            documento=self._document_name(record),
            emitido_en=record.emitido_en,
            emisor=record.emisor,
            contenido_sha256=record.contenido_sha256,
            deudor_nombre=record.deudor_nombre,
            deudor_rfc=enmascarar_rfc(record.deudor_rfc) if record.deudor_rfc else None,
            cancelada_en=record.cancelada_en,
            cancelacion_motivo=record.cancelacion_motivo,
        )

    def _document_name(self, record: ConstanciaRecord) -> str:
        try:
            if record.tipo == "certificacion":
                return self._leyendas.get(record.plantilla).manifest.nombre
            version = record.plantilla_version
            return self.registry.get(record.plantilla, version).manifest.nombre
        except NoEncontrado:  # a plantilla retired since: its clave still identifies it
            return record.plantilla
