"""The ledger: API keys, produced documents, gapless folio series and the audit log."""

from docservice.ledger.audit import AuditReport, Checkpoint
from docservice.ledger.folios import ConstanciaRecord, FolioSeriesReport, Reservation
from docservice.ledger.migrate import upgrade
from docservice.ledger.repository import DocumentRecord, Ledger
from docservice.ledger.sesiones import LoginPolicy, SessionStore
from docservice.ledger.versiones import VersionRecord

__all__ = [
    "AuditReport",
    "Checkpoint",
    "ConstanciaRecord",
    "DocumentRecord",
    "FolioSeriesReport",
    "Ledger",
    "LoginPolicy",
    "Reservation",
    "SessionStore",
    "VersionRecord",
    "upgrade",
]
