"""Verification for auditors: the bounded worker's report joined with the ledger."""

from __future__ import annotations

import hashlib
from typing import Literal

from docservice.ledger import DocumentRecord, Ledger
from docservice.verify.judgement import describe_metadata, describe_revisions
from docservice.verify.report import Registro, Reporte, RevisionesPosteriores
from docservice.verify.worker import VerifierPool

Coincide = Literal["archivo", "revision_firmada", "revision_anterior"]


class VerificationService:
    def __init__(self, *, pool: VerifierPool, ledger: Ledger) -> None:
        self._pool = pool
        self._ledger = ledger

    def verify(self, data: bytes, *, solicitante: str) -> Reporte:
        """Report on ``data``; did we issue it (the file or a signed revision of it)?"""
        report = self._pool.verify(data)
        report.documento.registro = self._registro(report)
        if motivo := _changed_after_issue(report):
            report.motivos.insert(0, motivo)
            report.veredicto = "no_valida"
        if report.documento.registro.estado == "cancelada":
            report.motivos.append("el documento fue emitido por docservice pero está CANCELADO")
            if report.veredicto == "valida":
                report.veredicto = "valida_con_advertencias"
        self._ledger.audit(
            solicitante,
            "documento.verificado",
            hashlib.sha256(data).hexdigest(),
            {"veredicto": report.veredicto, "firmas": len(report.firmas)},
        )
        return report

    def _registro(self, report: Reporte) -> Registro:
        candidates = [("archivo", report.documento.sha256, report.documento.revisiones)]
        candidates += [
            ("revision_firmada", firma.sha256_revision, firma.revision) for firma in report.firmas
        ]
        candidates += [
            ("revision_anterior", huella.sha256, huella.revision)
            for huella in reversed(report.documento.huellas)
        ]
        for coincide, sha256, revision in candidates:
            record = self._ledger.document_by_content(sha256)
            if record is not None:
                return self._found(record, coincide, revision, report.documento.revisiones)
        return Registro(emitido_por_docservice=False)

    def _found(self, record: DocumentRecord, coincide: str, revision: int, total: int) -> Registro:
        constancia = self._ledger.constancia_by_document(record.id)
        return Registro(
            emitido_por_docservice=True,
            coincide=_coincide(coincide),
            revision=revision,
            revisiones_posteriores=total - revision,
            documento_id=record.id,
            plantilla=record.plantilla,
            version=record.plantilla_version,
            emitido=record.creado,
            folio=constancia.folio if constancia else None,
            estado=constancia.vigencia if constancia is not None else None,
            cancelacion_motivo=constancia.cancelacion_motivo if constancia else None,
        )


def _coincide(value: str) -> Coincide:
    if value in ("archivo", "revision_firmada"):
        return value  # type: ignore[return-value]
    return "revision_anterior"


def _after(report: Reporte, revision: int) -> tuple[RevisionesPosteriores, dict[str, str]] | None:
    """What followed ``revision``: from its fingerprint or from the signature covering it."""
    for huella in report.documento.huellas:
        if huella.revision == revision:
            return huella.posteriores, huella.metadatos
    for firma in report.firmas:
        cambios = firma.modificaciones_posteriores
        if firma.revision == revision and cambios.revisiones is not None:
            return cambios.revisiones, cambios.metadatos
    return None


def _changed_after_issue(report: Reporte) -> str | None:
    """Ours, found by a signed revision: only signatures, DSS and document timestamps may follow.

    The later signatures are judged on their own (an untrusted one is already ``no_valida``).
    """
    registro = report.documento.registro
    if registro is None or registro.coincide in (None, "archivo") or registro.revision is None:
        return None
    after = _after(report, registro.revision)
    if after is None:
        return None
    revisiones, metadatos = after
    partes = []
    if metadatos:
        partes.append("se cambiaron los metadatos: " + describe_metadata(metadatos))
    if otras := describe_revisions(revisiones, only=("metadatos", "sin_cambios_visibles", "otras")):
        partes.append(f"revisiones {otras}")
    if not partes:
        return None
    return (
        f"docservice emitió este documento (revisión {registro.revision}) y después se le "
        "hicieron cambios que no son firmas, datos de validación (DSS) ni sellos de tiempo "
        "de documento: " + "; ".join(partes)
    )
