"""Certified copies: foliate every page, append the legend, certify-sign, store, record.

The fojas count comes from the file and the legend's date is the signing day in the
service's time zone (neither from the caller); the legend's data is checked against its
schema and the PDF is read before a folio is taken, so bad input costs no folio.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from docservice.certify import advertencias
from docservice.certify.pages import (
    Impresion,
    add_legend_pages,
    count_fojas,
    foliate,
    open_copy,
    signature_count,
    to_bytes,
)
from docservice.config import CertificacionSettings
from docservice.documentos import canonical_sha256
from docservice.documentos.issuing import FolioIssuer, FolioRequest
from docservice.documentos.propiedades import template_info
from docservice.documentos.service import Built
from docservice.ledger import ConstanciaRecord, DocumentRecord
from docservice.registry import Leyenda, LeyendaRegistry
from docservice.render import Renderer, RenderPool
from docservice.sign import (
    FUNCIONARIO,
    UNIDAD,
    LoadedProfile,
    SignerRegistry,
    StampInfo,
    sign_pdf,
    with_official,
)


@dataclass(frozen=True)
class CertificationRequest:
    """A PDF to certify, the leyenda to certify it with and the leyenda's data."""

    pdf: bytes = field(repr=False)
    leyenda: str
    datos: Mapping[str, Any]
    solicitante: str
    impresion: Impresion = "una_cara"
    perfil_firma: str | None = None
    serie: str | None = None


@dataclass(frozen=True)
class _Checked:
    """A request whose every part was checked before the folio is taken."""

    request: CertificationRequest
    leyenda: Leyenda
    reader: PdfReader
    profile: LoadedProfile
    sha256_original: str


@dataclass(frozen=True)
class CertifiedCopy:
    constancia: ConstanciaRecord
    contenido: bytes
    paginas: int
    fojas: int
    sha256_original: str

    @property
    def filename(self) -> str:
        return f"{self.constancia.folio.replace('/', '-')}.pdf"


def _before_signature(paragraphs: list[str]) -> int:
    """Where a paragraph of the legend's body goes: before the signature block, if any."""
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith("[firma]"):
            return index
    return len(paragraphs)


class CertificationService:
    def __init__(
        self,
        *,
        leyendas: LeyendaRegistry,
        renderer: Renderer,
        signers: SignerRegistry,
        issuer: FolioIssuer,
        settings: CertificacionSettings,
        public_base_url: str,
        zona_horaria: ZoneInfo,
        render_pool: RenderPool | None = None,
    ) -> None:
        """``render_pool`` fills legends out of this process, bounded in time and memory."""
        self.leyendas = leyendas
        self._render_pool = render_pool
        self._zona = zona_horaria
        self._renderer = renderer
        self._signers = signers
        self._issuer = issuer
        self._settings = settings
        self._public_base_url = public_base_url.rstrip("/")

    def certify(self, request: CertificationRequest) -> CertifiedCopy:
        with advertencias.aggregated("certificación"):
            return self._certify(request)

    def _certify(self, request: CertificationRequest) -> CertifiedCopy:
        checked = self._check(request)
        emisor = checked.profile.oficial.cargo
        manifest = checked.leyenda.manifest
        folio_request = FolioRequest(
            tipo="certificacion",
            serie=request.serie or self._settings.serie,
            solicitante=request.solicitante,
            plantilla=manifest.clave,
            plantilla_version=manifest.version,
            emisor=str(emisor)[:100] if emisor else None,
        )
        issued = self._issuer.issue(folio_request, lambda folio: self._build(checked, folio))
        paginas = len(checked.reader.pages)
        return CertifiedCopy(
            issued.constancia,
            issued.contenido,
            paginas,
            count_fojas(paginas, request.impresion),
            checked.sha256_original,
        )

    def _check(self, request: CertificationRequest) -> _Checked:
        """Leyenda, profile and data before any folio; the legend names the profile's official
        (FirmanteNoCorresponde when the data names another, or a unit it does not sign for)."""
        leyenda = self.leyendas.get(request.leyenda)
        profile = self._signers.get(request.perfil_firma or self._settings.perfil_firma)
        datos = with_official(request.datos, profile.oficial, profile.nombre, FUNCIONARIO)
        datos = with_official(datos, profile.oficial, profile.nombre, UNIDAD)
        request = replace(request, datos=datos)
        info = template_info(leyenda)
        self._renderer.validator(info, leyenda.schema, (), leyenda.sha256).validate(datos)
        reader = open_copy(request.pdf, self._settings.max_paginas)
        sha256_original = hashlib.sha256(request.pdf).hexdigest()
        return _Checked(request, leyenda, reader, profile, sha256_original)

    def _build(self, checked: _Checked, folio: str) -> Built:
        request, leyenda, datos = checked.request, checked.leyenda, checked.request.datos
        copy = foliate(
            checked.reader,
            folio=folio,
            huella=checked.sha256_original[:12],
            impresion=request.impresion,
        )
        renderer = self._render_pool or self._renderer
        paragraphs = renderer.fill_legend(  # the data was validated by _check
            texto=leyenda.texto,
            info=template_info(leyenda),
            datos=datos,
            fojas=copy.fojas,
            fecha_expedicion=datetime.now(self._zona).date(),
        )
        if signature_count(checked.reader):
            # The original's signatures cannot live on in a new file: it travels attached,
            # byte for byte, so anyone can still validate them.
            nombre = f"original-{checked.sha256_original[:12]}.pdf"
            copy.writer.add_attachment(nombre, request.pdf)
            notice = (
                f"El documento original contiene firmas electrónicas; se adjunta íntegro a este "
                f"archivo como «{nombre}» para que puedan validarse."
            )
            paragraphs.insert(_before_signature(paragraphs), notice)
        add_legend_pages(copy.writer, paragraphs, folio=folio)
        documento_id = str(uuid.uuid4())
        datos_sha256 = canonical_sha256(datos)
        stamp = StampInfo(
            cargo=checked.profile.oficial.cargo,
            documento_id=documento_id,
            plantilla=leyenda.manifest.clave,
            version=str(leyenda.manifest.version),
            sha256_datos=datos_sha256,
            url_verificacion=f"{self._public_base_url}/verificar/{folio}",
            folio=folio,
        )
        contenido = sign_pdf(to_bytes(copy.writer), checked.profile, stamp=stamp)
        record = DocumentRecord(
            id=documento_id,
            plantilla=leyenda.manifest.clave,
            plantilla_version=leyenda.manifest.version,
            plantilla_sha256=leyenda.sha256,
            datos_sha256=datos_sha256,
            contenido_sha256=hashlib.sha256(contenido).hexdigest(),
            formato="pdf",
            bytes=len(contenido),
            solicitante=request.solicitante,
            creado=datetime.now(UTC),
        )
        return Built(contenido, record)
