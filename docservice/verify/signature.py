"""One signature's facts and their description in the report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader

from docservice.sign.efirma import firmante_info
from docservice.verify.changes import page_changes
from docservice.verify.judgement import (
    COBERTURA,
    Judgement,
    judge_changes,
    judge_integrity,
    judge_trust,
    modifications,
    revocation_error,
)
from docservice.verify.report import (
    Confianza,
    Firma,
    Firmante,
    Modificaciones,
    RevisionesPosteriores,
    Revocacion,
    SelloDeTiempo,
)

Tipo = Literal["aprobacion", "certificacion", "sello_de_tiempo_de_documento"]


def _common_name(cert: x509.Certificate | None) -> str:
    if cert is None:
        return ""
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


@dataclass(frozen=True)
class SignatureFacts:
    """What is known of a signature before validating it."""

    campo: str
    tipo: Tipo
    revision: int
    """1-based revision of the file the signature covers."""
    total: int
    sha256_revision: str
    fecha_firma: datetime | None
    has_dss: bool
    later_doc_timestamp: bool
    cambios_en_paginas: tuple[str, ...] = ()
    """What visibly changed in the pages after this signature (see ``changes``)."""
    revisiones: RevisionesPosteriores = field(default_factory=RevisionesPosteriores)
    """The later revisions by kind (see ``revisions``)."""
    metadatos: dict[str, str] = field(default_factory=dict)
    """Info keys changed after this signature, with their new value."""

    @classmethod
    def of(
        cls, data: bytes, reader: PdfFileReader, embedded: Any, *, has_dss: bool, doc_ts: list[int]
    ) -> SignatureFacts:
        revision = _safe(lambda: int(embedded.signed_revision), 0)
        return cls(
            campo=_safe(lambda: str(embedded.field_name), "(sin nombre)"),
            tipo=_kind(embedded),
            revision=revision + 1,
            total=reader.xrefs.total_revisions,
            sha256_revision=_revision_hash(data, embedded),
            fecha_firma=_safe(lambda: embedded.self_reported_timestamp, None),
            has_dss=has_dss,
            later_doc_timestamp=any(r > revision for r in doc_ts),
            cambios_en_paginas=tuple(page_changes(reader, revision)),
        )

    def unreadable(self, exc: BaseException) -> Firma:
        """A signature pyHanko could not even validate: malformed, never valid."""
        motivo = f"la firma está mal formada y no se puede validar ({type(exc).__name__}: {exc})"
        return Firma(
            campo=self.campo,
            tipo=self.tipo,
            veredicto="no_valida",
            motivos=[motivo],
            firmante=None,
            fecha_firma=self.fecha_firma,
            sello_de_tiempo=None,
            algoritmo_digest=None,
            integridad=False,
            confianza=Confianza(confiable=False, cadena=[], problema="no se pudo leer la firma"),
            revocacion=Revocacion(estado="desconocido", fuente="ninguna"),
            vigente_al_firmar=None,
            cobertura="no_clara",
            modificaciones_posteriores=Modificaciones(nivel="otras", detalle="no analizadas"),
            nivel_pades=None,
            revision=self.revision,
            sha256_revision=self.sha256_revision,
        )


def _safe(read: Any, default: Any) -> Any:
    try:
        return read()
    except Exception:  # noqa: BLE001  # a malformed dictionary must not stop the report
        return default


def _kind(embedded: Any) -> Tipo:
    if _safe(lambda: embedded.sig_object_type, None) == "/DocTimeStamp":
        return "sello_de_tiempo_de_documento"
    if _safe(lambda: embedded.docmdp_level, None) is not None:
        return "certificacion"
    return "aprobacion"


def _revision_hash(data: bytes, embedded: Any) -> str:
    """SHA-256 of the bytes of the revision the signature covers (0 .. end of its range)."""
    try:
        byte_range = [int(v) for v in embedded.sig_object["/ByteRange"]]
        end = byte_range[2] + byte_range[3]
    except Exception:  # noqa: BLE001  # a broken /ByteRange: hash the whole file
        end = len(data)
    return hashlib.sha256(data[: min(end, len(data))]).hexdigest()


def _chain(status: Any) -> list[str]:
    path = getattr(status, "validation_path", None)
    if path is None:
        return [_common_name(status.signing_cert)] if status.signing_cert else []
    return [_common_name(cert) for cert in reversed(list(path.iter_certs(include_root=True)))]


def _timestamp(status: Any, facts: SignatureFacts, judgement: Judgement) -> SelloDeTiempo | None:
    if facts.tipo == "sello_de_tiempo_de_documento":
        return SelloDeTiempo(
            tsa=_common_name(status.signing_cert),
            fecha=status.timestamp,
            valido=bool(status.valid and status.intact and status.trusted),
        )
    ts = status.timestamp_validity
    if ts is None:
        return None
    valido = bool(ts.valid and ts.intact and ts.trusted)
    if not valido:
        judgement.fail("el sello de tiempo de la firma no es válido o no es de confianza")
    return SelloDeTiempo(tsa=_common_name(ts.signing_cert), fecha=ts.timestamp, valido=valido)


def _revocation(
    status: Any, facts: SignatureFacts, errors: list[BaseException], fetchers: Any
) -> Revocacion:
    if status.revoked:
        details = status.revocation_details
        fuente = _source(status.signing_cert, facts, fetchers)
        return Revocacion(
            estado="revocado",
            fuente=fuente,
            fecha_revocacion=details.revocation_date,
            motivo=str(details.revocation_reason.native),
        )
    fuente = _source(status.signing_cert, facts, fetchers)
    if revocation_error(errors) is not None or not status.trusted or fuente == "ninguna":
        return Revocacion(estado="desconocido", fuente=fuente)
    return Revocacion(estado="vigente", fuente=fuente)


def _source(cert: x509.Certificate | None, facts: SignatureFacts, fetchers: Any) -> Any:
    if facts.has_dss:
        return "DSS"
    if fetchers is None or cert is None:
        return "ninguna"
    if _safe(lambda: list(fetchers.ocsp_fetcher.fetched_responses_for_cert(cert)), []):
        return "OCSP"
    if _safe(lambda: list(fetchers.crl_fetcher.fetched_crls_for_cert(cert)), []):
        return "CRL"
    return "ninguna"


def _level(status: Any, facts: SignatureFacts) -> Any:
    if facts.tipo == "sello_de_tiempo_de_documento":
        return None
    if facts.later_doc_timestamp:
        return "B-LTA"
    if facts.has_dss:
        return "B-LT"
    return "B-T" if status.timestamp_validity is not None else "B-B"


def _in_force_at(firmante: Firmante | None, moment: datetime | None) -> bool | None:
    if firmante is None or moment is None:
        return None
    return firmante.valido_desde <= moment <= firmante.valido_hasta


def describe_signature(
    facts: SignatureFacts, status: Any, errors: list[BaseException], fetchers: Any
) -> Firma:
    """The report entry of one validated signature, with its verdict and reasons."""
    judgement = Judgement()
    judge_integrity(status, judgement, facts.revision)
    cambios = modifications(
        status,
        facts.revision,
        facts.total,
        facts.cambios_en_paginas,
        facts.revisiones,
        facts.metadatos,
    )
    judge_changes(status, cambios, judgement, facts.revision, facts.cambios_en_paginas)
    problema = (
        judge_trust(status, errors, judgement)
        if status.intact and status.valid
        else "no evaluada: la firma no corresponde a los bytes"
    )
    sello = _timestamp(status, facts, judgement)
    revocacion = _revocation(status, facts, errors, fetchers)
    if revocacion.estado == "desconocido" and problema is None and revocation_error(errors) is None:
        judgement.warn("no se comprobó la revocación del certificado: no hay fuente disponible")
    cert = status.signing_cert
    firmante = Firmante(**vars(firmante_info(cert))) if cert is not None else None
    momento = sello.fecha if sello is not None else facts.fecha_firma
    vigente = _in_force_at(firmante, momento)
    if vigente is False:
        judgement.fail("el certificado no estaba vigente a la hora de la firma")
    return Firma(
        campo=facts.campo,
        tipo=facts.tipo,
        veredicto=judgement.veredicto,
        motivos=judgement.motivos or [],
        firmante=firmante,
        fecha_firma=facts.fecha_firma,
        sello_de_tiempo=sello,
        algoritmo_digest=getattr(status, "md_algorithm", None),
        integridad=bool(status.intact),
        confianza=Confianza(
            confiable=bool(status.trusted), cadena=_chain(status), problema=problema
        ),
        revocacion=revocacion,
        vigente_al_firmar=vigente,
        cobertura=COBERTURA.get(status.coverage, "no_clara"),
        modificaciones_posteriores=cambios,
        nivel_pades=_level(status, facts),
        revision=facts.revision,
        sha256_revision=facts.sha256_revision,
    )
