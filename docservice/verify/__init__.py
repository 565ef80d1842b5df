"""Service: verification reports for auditors (pyHanko, bounded workers, the ledger)."""

from docservice.verify.analysis import TrustConfig, Verifier, open_signed
from docservice.verify.report import Firma, Registro, Reporte, Veredicto
from docservice.verify.service import VerificationService
from docservice.verify.worker import VerifierPool, WorkerConfig

__all__ = [
    "Firma",
    "Registro",
    "Reporte",
    "TrustConfig",
    "Veredicto",
    "VerificationService",
    "Verifier",
    "VerifierPool",
    "WorkerConfig",
    "open_signed",
]
