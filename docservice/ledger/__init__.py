"""The ledger: API keys and every produced document."""

from docservice.ledger.repository import DocumentRecord, Ledger

__all__ = ["DocumentRecord", "Ledger"]
