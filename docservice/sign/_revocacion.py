"""Revocation data for our own chain (B-LT, B-LTA), fetched once per profile and reused.

Every B-LT/B-LTA signature embeds OCSP answers and CRLs for the signer's chain and the TSA's.
They are the same for every document signed with a profile until they go stale, so the first
signature fetches them (a ValidationContext that may fetch) and the next ones reuse what it
fetched (a ValidationContext that may not), until the earliest ``nextUpdate`` among them or
the profile's ``revocacion_cache_s``, whichever comes first. Revocation stays hard-fail: with
no fresh data the signature fetches again, it never signs without.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import crl, ocsp, x509
from pyhanko_certvalidator import ValidationContext


class _KeptDataNotice(logging.Filter):
    """pyHanko warns on every signature that embeds validation data without fetching; with
    kept data that is the intent, not a problem worth a line per document."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


_notice = _KeptDataNotice()


@dataclass(frozen=True)
class _Fetched:
    ocsps: tuple[ocsp.OCSPResponse, ...]
    crls: tuple[crl.CertificateList, ...]
    certs: tuple[x509.Certificate, ...]
    expires: float
    """``time.monotonic()`` past which the data is not reused."""


class RevocationCache:
    """The last revocation data fetched for one profile's chain (thread-safe)."""

    def __init__(
        self,
        trust_roots: tuple[x509.Certificate, ...],
        other_certs: tuple[x509.Certificate, ...],
        ttl_s: float,
    ) -> None:
        self._roots = trust_roots
        self._others = other_certs
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_notice)  # once: a set
        self._fetched: _Fetched | None = None
        self.fetches = 0
        """Times a context that may fetch was handed out (for tests and metrics)."""

    def context(self) -> tuple[ValidationContext, bool]:
        """A context for one signature, and whether it may fetch (then call ``keep``)."""
        with self._lock:
            fetched = self._fetched
            if fetched is not None and time.monotonic() < fetched.expires:
                return self._offline(fetched), False
            self.fetches += 1
        return self._online(), True

    def keep(self, context: ValidationContext) -> None:
        """Remember what ``context`` (from ``context()``, after signing) fetched."""
        if self._ttl_s <= 0:
            return
        ocsps = tuple(context.ocsps)
        crls = tuple(context.crls)
        certs = tuple(context.revinfo_manager.new_revocation_certs)
        expires = time.monotonic() + min(self._ttl_s, _seconds_to_next_update(ocsps, crls))
        with self._lock:
            self._fetched = _Fetched(ocsps, crls, certs, expires)

    def forget(self) -> None:
        """Drop the kept data (a signature that used it failed)."""
        with self._lock:
            self._fetched = None

    def _online(self) -> ValidationContext:
        return ValidationContext(
            trust_roots=list(self._roots),
            other_certs=list(self._others),
            allow_fetching=True,
            revocation_mode="hard-fail",
        )

    def _offline(self, fetched: _Fetched) -> ValidationContext:
        return ValidationContext(
            trust_roots=list(self._roots),
            other_certs=[*self._others, *fetched.certs],
            ocsps=list(fetched.ocsps),
            crls=list(fetched.crls),
            allow_fetching=False,
            revocation_mode="hard-fail",
        )


def _seconds_to_next_update(
    ocsps: tuple[ocsp.OCSPResponse, ...], crls: tuple[crl.CertificateList, ...]
) -> float:
    """Seconds until the first of the data's ``nextUpdate`` (infinite when none says)."""
    moments: list[datetime] = []
    for response in ocsps:
        moments += [_native(s["next_update"]) for s in _single_responses(response)]
    for revocation_list in crls:
        moments.append(_native(revocation_list["tbs_cert_list"]["next_update"]))
    known = [m for m in moments if m is not None]
    if not known:
        return float("inf")
    return max(0.0, (min(known) - datetime.now(UTC)).total_seconds())


def _single_responses(response: ocsp.OCSPResponse) -> list[Any]:
    try:
        basic = response["response_bytes"]["response"].parsed
        return list(basic["tbs_response_data"]["responses"])
    except (KeyError, TypeError, ValueError):
        return []


def _native(value: Any) -> Any:
    """A datetime from an asn1crypto time (None when absent)."""
    native = value.native if value is not None else None
    return native if isinstance(native, datetime) else None
