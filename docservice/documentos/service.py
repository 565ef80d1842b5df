"""Produce a document: published plantilla → validate → render → convert → record.

``check`` refuses what can be refused before any work and returns a CheckedRequest: the case
data validated once, which ``build`` fills without validating again.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from docservice.convert import ConverterPool
from docservice.documentos.propiedades import (
    canonical_sha256,
    document_properties,
    template_info,
)
from docservice.errors import DatosInvalidos, FieldError
from docservice.ledger import DocumentRecord, Ledger
from docservice.registry import LeyendaRegistry, Plantilla, Registry
from docservice.registry.docx_lint import ensure_safe_render
from docservice.render import Renderer, RenderPool
from docservice.sign import (
    PreparedStamp,
    SignerRegistry,
    StampInfo,
    prepare_stamp,
    sign_pdf,
    with_official,
)

log = logging.getLogger(__name__)

Formato = Literal["pdf", "docx"]
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class DocumentRequest:
    """What a caller asks for."""

    plantilla: str
    datos: Mapping[str, Any]
    solicitante: str
    version: int | None = None
    formato: Formato = "pdf"
    perfil_firma: str | None = None
    """Signing profile; None for an unsigned document."""


@dataclass(frozen=True)
class CheckedRequest:
    """A request ``DocumentService.check`` accepted: only ``check`` makes one."""

    plantilla: Plantilla
    request: DocumentRequest
    """With the signing profile's official in ``autoridad`` when signed."""
    datos_sha256: str

    @property
    def datos(self) -> Mapping[str, Any]:
        """The case data, valid against the plantilla's schema."""
        return self.request.datos


@dataclass(frozen=True)
class Built:
    """A finished file and the record that describes it, not yet written to the ledger."""

    contenido: bytes
    record: DocumentRecord


@dataclass(frozen=True)
class ProducedDocument:
    """The finished document and the identifiers recorded for it."""

    id: str
    plantilla: str
    version: int
    contenido: bytes
    sha256: str
    formato: Formato
    perfil_firma: str | None = None
    estado: str = "publicada"
    """State of the plantilla version used: ``retirada`` when asked for by number."""

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.formato]

    @property
    def filename(self) -> str:
        return f"{self.plantilla}-{self.id}.{self.formato}"


class DocumentService:
    """The render path of docservice, wired from its building blocks."""

    def __init__(
        self,
        *,
        registry: Registry,
        renderer: Renderer,
        pool: ConverterPool,
        ledger: Ledger,
        signers: SignerRegistry,
        public_base_url: str,
        render_pool: RenderPool | None = None,
    ) -> None:
        """``render_pool`` fills published plantillas out of this process, bounded in time
        and memory (the API always passes one); without it they fill in process."""
        self.registry = registry
        self._renderer = renderer
        self._render_pool = render_pool
        self._pool = pool
        self._ledger = ledger
        self._signers = signers
        self._stamps = ThreadPoolExecutor(max_workers=2, thread_name_prefix="docservice-sello")
        """Prepares stamps (QR, signer) while the conversion runs; threads start on use."""
        self._public_base_url = public_base_url.rstrip("/")

    def check_registry(self) -> None:
        """Lint every loaded plantilla; a failing one is taken out of service, by name."""
        for clave in self.registry.claves():
            plantilla = self.registry.current(clave)
            findings = self._renderer.lint(
                plantilla.docx,
                template_info(plantilla),
                plantilla.schema,
                plantilla.ejemplo,
                plantilla.manifest.rfc_genericos_permitidos,
            )
            if findings:
                self.registry.refuse(clave, "; ".join(findings))

    def record_loaded(self, leyendas: LeyendaRegistry) -> None:
        """One audit entry per plantilla and leyenda put in service (or refused) at start."""
        for clave in self.registry.claves():
            for version, plantilla in sorted(self.registry.plantillas[clave].items()):
                self._ledger.audit(
                    "sistema",
                    "plantilla.cargada",
                    clave,
                    {"version": version, "sha256": plantilla.docx_sha256},
                )
        for clave, leyenda in sorted(leyendas.leyendas.items()):
            self._ledger.audit(
                "sistema",
                "leyenda.cargada",
                clave,
                {"version": leyenda.manifest.version, "sha256": leyenda.sha256},
            )
        for clave, motivo in sorted({**self.registry.problemas, **leyendas.problemas}.items()):
            self._ledger.audit("sistema", "plantilla.rechazada", clave, {"motivo": motivo})

    def sign_upload(self, pdf: bytes, perfil: str, *, solicitante: str) -> bytes:
        """Sign a PDF someone brings; earlier signatures stay valid (incremental update)."""
        signed = sign_pdf(pdf, self._signers.get(perfil))
        self._ledger.audit(
            solicitante,
            "documento.firmado",
            hashlib.sha256(signed).hexdigest(),
            {"perfil": perfil, "sha256_entrada": hashlib.sha256(pdf).hexdigest()},
        )
        return signed

    def check(self, request: DocumentRequest) -> CheckedRequest:
        """Everything that can be refused before any work: profile, plantilla, case data.

        A signed request comes back with the profile's titular and cargo in ``autoridad``:
        who signs is who is named (FirmanteNoCorresponde when the data names someone else).
        """
        if request.perfil_firma is not None and request.formato != "pdf":
            raise DatosInvalidos(
                "solo los documentos PDF se pueden firmar",
                errores=(FieldError("/formato", "debe ser pdf cuando se pide firma"),),
            )
        if request.perfil_firma is not None:
            perfil = self._signers.get(request.perfil_firma)  # unknown or broken: before work
            datos = with_official(request.datos, perfil.oficial, perfil.nombre)
            request = replace(request, datos=datos)
        plantilla = self.registry.get(request.plantilla, request.version)
        self._renderer.validator(
            template_info(plantilla),
            plantilla.schema,
            plantilla.manifest.rfc_genericos_permitidos,
            plantilla.docx_sha256,
        ).validate(request.datos)
        return CheckedRequest(plantilla, request, canonical_sha256(request.datos))

    def build(self, checked: CheckedRequest, *, folio: str | None = None) -> Built:
        """Render, convert and sign; nothing is recorded (``produce`` or a folio issuer does)."""
        plantilla, request, datos_sha256 = checked.plantilla, checked.request, checked.datos_sha256
        documento_id = str(uuid.uuid4())
        properties = document_properties(plantilla, documento_id, datos_sha256, request.solicitante)
        renderer = self._render_pool or self._renderer
        docx = renderer.fill(
            template=plantilla.docx, info=template_info(plantilla), schema=plantilla.schema,
            datos=checked.datos, documento_id=documento_id, properties=properties, folio=folio,
            template_sha256=plantilla.docx_sha256,
        )  # fmt: skip
        ensure_safe_render(docx, plantilla.clave)  # data or |safe may have written raw XML
        stamp: Future[PreparedStamp] | None = None
        if request.perfil_firma is not None:
            perfil = self._signers.get(request.perfil_firma)
            info = StampInfo(
                cargo=perfil.oficial.cargo,
                documento_id=documento_id,
                plantilla=plantilla.clave,
                version=str(plantilla.version),
                sha256_datos=datos_sha256,
                url_verificacion=f"{self._public_base_url}/verificar/{folio or documento_id}",
                folio=folio,
            )
            stamp = self._stamps.submit(prepare_stamp, perfil, info)  # while LibreOffice converts
        contenido = self._pool.convert(docx) if request.formato == "pdf" else docx
        if stamp is not None:
            contenido = sign_pdf(contenido, perfil, stamp=stamp.result())
        record = DocumentRecord(
            id=documento_id,
            plantilla=plantilla.clave,
            plantilla_version=plantilla.version,
            plantilla_sha256=plantilla.docx_sha256,
            datos_sha256=datos_sha256,
            contenido_sha256=hashlib.sha256(contenido).hexdigest(),
            formato=request.formato,
            bytes=len(contenido),
            solicitante=request.solicitante,
            creado=datetime.now(UTC),
        )
        return Built(contenido, record)

    def produce(self, request: DocumentRequest) -> ProducedDocument:
        built = self.build(self.check(request))
        self._ledger.record_document(built.record)
        record = built.record
        log.info(
            "documento %s emitido: %s v%s para %s",
            record.id,
            record.plantilla,
            record.plantilla_version,
            record.solicitante,
        )
        return ProducedDocument(
            record.id,
            record.plantilla,
            record.plantilla_version,
            built.contenido,
            record.contenido_sha256,
            request.formato,
            request.perfil_firma,
            self.registry.get(record.plantilla, record.plantilla_version).estado,
        )
