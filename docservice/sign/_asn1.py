"""The one asn1crypto fix docservice needs to read a SAT e.firma, applied at import.

SAT writes the RFC in x500UniqueIdentifier (2.5.4.45) as text (PrintableString), while
asn1crypto, and so pyHanko, expects the BIT STRING of X.520 and fails on a real e.firma with
"tag should have been 3, but 19 was found". Reading it as a DirectoryString accepts the text
forms SAT uses. Importing ``docservice.sign`` applies this once, for the whole process.
"""

from __future__ import annotations

from asn1crypto import x509


def apply_unique_identifier_fix() -> None:
    """Read x500UniqueIdentifier as text (idempotent)."""
    x509.NameTypeAndValue._oid_specs["unique_identifier"] = x509.DirectoryString


apply_unique_identifier_fix()
