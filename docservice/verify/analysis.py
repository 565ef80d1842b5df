"""Verify every signature of a PDF with pyHanko and judge the whole document.

No database here: the ledger join happens in the service. Runs in the verification worker
(time- and memory-bounded) and, for the benchmark, in process.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers import Fetchers
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from docservice.errors import PdfInvalido
from docservice.verify.report import Documento, Firma, Reporte, peor
from docservice.verify.revisions import (
    Clase,
    RevisionMap,
    fingerprints,
    metadata_changes,
    revision_map,
)
from docservice.verify.signature import SignatureFacts, describe_signature

_CERTVALIDATOR_LOGGER = "pyhanko.sign.validation.generic_cms"
_EOF_TRIES = 8
Validated = Firma | tuple[Any, list[BaseException]]


@dataclass(frozen=True)
class TrustConfig:
    """What the verifier trusts and whether it may ask OCSP responders and CRL servers."""

    roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()
    fetch: bool = True
    fetch_timeout_s: float = 5.0
    cache_s: float = 60.0
    """Revocation answers are reused this long (the verifier's fetchers are renewed)."""


class _ErrorLog(logging.Handler):
    """Keeps the certvalidator exceptions pyHanko logs (and otherwise swallows)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


@contextmanager
def _captured_errors() -> Iterator[list[BaseException]]:
    handler = _ErrorLog()
    logger = logging.getLogger(_CERTVALIDATOR_LOGGER)
    logger.addHandler(handler)
    try:
        yield handler.errors
    finally:
        logger.removeHandler(handler)


def trailing_bytes(data: bytes, reader: PdfFileReader) -> int:
    """Bytes after the last revision's ``startxref … %%EOF`` (research, Appendix B)."""
    last = reader.xrefs.get_startxref_for_revision(reader.xrefs.total_revisions - 1)
    ends = list(re.finditer(rb"startxref\s+%d\s+%%%%EOF" % last, data))
    if not ends:
        return len(data)
    return len(data[ends[-1].end() :].strip(b"\r\n\t \x00"))


class Verifier:
    """Validates signatures against the configured roots; reuses revocation answers briefly."""

    def __init__(self, trust: TrustConfig) -> None:
        self._trust = trust
        self._backend: AIOHttpFetcherBackend | None = None
        self._fetchers: Fetchers | None = None
        self._fetchers_since = 0.0

    async def close(self) -> None:
        if self._backend is not None:
            await self._backend.close()  # type: ignore[no-untyped-call]
            self._backend = None

    async def _current_fetchers(self) -> Fetchers | None:
        if not self._trust.fetch:
            return None
        if self._fetchers is None or time.monotonic() - self._fetchers_since > self._trust.cache_s:
            await self.close()
            self._backend = AIOHttpFetcherBackend(per_request_timeout=self._trust.fetch_timeout_s)
            self._fetchers = self._backend.get_fetchers()
            self._fetchers_since = time.monotonic()
        return self._fetchers

    def _context(
        self, dss: DocumentSecurityStore | None, fetchers: Fetchers | None
    ) -> ValidationContext:
        kwargs: dict[str, Any] = {
            "trust_roots": list(self._trust.roots),
            "other_certs": list(self._trust.intermediates),
            "allow_fetching": fetchers is not None,
            "fetchers": fetchers,
        }
        has_revinfo = dss is not None and bool(dss.ocsps or dss.crls)
        kwargs["revocation_mode"] = (
            "hard-fail" if fetchers is not None or has_revinfo else "soft-fail"
        )
        if dss is not None:
            return dss.as_validation_context(kwargs)
        return ValidationContext(**kwargs)

    async def analyze(self, data: bytes) -> Reporte:
        """The report of every signature, without the ledger join."""
        reader, readable = open_revisions(data)
        documento = Documento(
            sha256=hashlib.sha256(data).hexdigest(),
            bytes=len(data),
            paginas=_page_count(reader),
            revisiones=reader.xrefs.total_revisions,
        )
        motivos: list[str] = []
        try:
            signatures = list(reader.embedded_signatures)
        except Exception as exc:  # noqa: BLE001  # any structural failure is a verdict, not a 500
            motivos.append(f"una firma del documento está mal formada y no se puede leer: {exc}")
            return Reporte(veredicto="no_valida", motivos=motivos, documento=documento,
                           firmas=[], verificado=datetime.now(UTC))  # fmt: skip
        fields = _signed_field_count(reader)
        if not signatures and not fields:
            motivos.append("el documento no contiene firmas")
        elif fields > len(signatures):
            motivos.append(
                f"{fields - len(signatures)} firma(s) del documento usan un formato no admitido "
                "o están mal formadas y no se pudieron validar"
            )
        firmas, revisions = await self._signatures(readable, reader, signatures)
        documento.huellas = fingerprints(readable, reader, revisions)
        if extra := trailing_bytes(data, reader):
            motivos.append(
                "hay datos añadidos después de la última revisión del archivo, fuera de toda "
                f"firma ({extra} bytes)"
            )
        veredicto = peor(*(f.veredicto for f in firmas))
        if motivos:
            veredicto = "no_valida"
        for firma in firmas:
            motivos += [f"{firma.campo}: {m}" for m in firma.motivos]
        return Reporte(veredicto=veredicto, motivos=motivos, documento=documento, firmas=firmas,
                       verificado=datetime.now(UTC))  # fmt: skip

    async def _signatures(
        self, data: bytes, reader: PdfFileReader, signatures: list[Any]
    ) -> tuple[list[Firma], RevisionMap]:
        dss = _read_dss(reader)
        fetchers = await self._current_fetchers()
        doc_ts = [
            int(s.signed_revision) for s in signatures if s.sig_object_type == "/DocTimeStamp"
        ]
        validated = []
        for embedded in signatures:
            facts = SignatureFacts.of(
                data, reader, embedded, has_dss=dss is not None, doc_ts=doc_ts
            )
            validated.append((facts, await self._validate(facts, embedded, dss, fetchers)))
        # After validation: pyHanko has already read every revision, so the map is cheap.
        revisions = _revisions(reader, signatures)
        firmas = [
            outcome
            if isinstance(outcome, Firma)
            else describe_signature(_later(facts, reader, revisions), *outcome, fetchers)
            for facts, outcome in validated
        ]
        return firmas, revisions

    async def _validate(
        self,
        facts: SignatureFacts,
        embedded: Any,
        dss: DocumentSecurityStore | None,
        fetchers: Fetchers | None,
    ) -> Validated:
        with _captured_errors() as errors:
            try:
                context = self._context(dss, fetchers)
                status: Any
                if facts.tipo == "sello_de_tiempo_de_documento":
                    status = await async_validate_pdf_timestamp(embedded, context)
                else:
                    status = await async_validate_pdf_signature(embedded, context, context)
            except Exception as exc:  # noqa: BLE001  # a malformed signature is a verdict
                return facts.unreadable(exc)
        return status, list(errors)


def _revisions(reader: PdfFileReader, signatures: list[Any]) -> RevisionMap:
    signed: dict[int, Clase] = {}
    for embedded in signatures:
        try:
            kind: Clase = (
                "sello_de_tiempo" if embedded.sig_object_type == "/DocTimeStamp" else "firma"
            )
            signed[int(embedded.signed_revision)] = kind
        except Exception:  # noqa: BLE001, S112  # a broken signature is judged on its own
            continue
    return revision_map(reader, signed)


def _later(facts: SignatureFacts, reader: PdfFileReader, revisions: RevisionMap) -> SignatureFacts:
    """``facts`` with the kinds of the revisions after the signature and the metadata changes."""
    signed = facts.revision - 1
    return replace(
        facts, revisiones=revisions.after(signed), metadatos=metadata_changes(reader, signed)
    )


def open_revisions(data: bytes) -> tuple[PdfFileReader, bytes]:
    """The PDF and its readable part: junk after the last ``%%EOF`` is cut off, not fatal.

    pyHanko only looks for ``%%EOF`` near the end of the file; the bytes after it are
    reported by ``trailing_bytes`` as a reason for ``no_valida``.
    """
    try:
        return open_signed(data), data
    except PdfInvalido as exc:
        end = len(data)
        for _ in range(_EOF_TRIES):
            end = data.rfind(b"%%EOF", 0, end)
            if end < 0:
                break
            cut = end + len(b"%%EOF")
            cut += len(data[cut : cut + 2]) - len(data[cut : cut + 2].lstrip(b"\r\n"))
            prefix = data[:cut]  # the end of line is inside the last signed range
            try:
                return open_signed(prefix), prefix
            except PdfInvalido:
                continue
        raise exc from None


def open_signed(data: bytes) -> PdfFileReader:
    """The PDF to verify; not a PDF, damaged beyond reading or encrypted → PdfInvalido."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise PdfInvalido("el archivo no es un PDF")
    try:
        reader = PdfFileReader(BytesIO(data), strict=True)
        encrypted = reader.encrypted
        reader.root  # noqa: B018  # read the catalog now: a broken file fails here
    except Exception as exc:  # pyHanko raises many types on damaged files
        raise PdfInvalido(f"el PDF está dañado o truncado y no se puede leer: {exc}") from exc
    if encrypted:
        raise PdfInvalido("el PDF está cifrado; no se puede verificar sin la contraseña")
    return reader


def _signed_field_count(reader: PdfFileReader) -> int:
    """Signature fields that carry a value, whatever pyHanko makes of them."""
    try:
        return sum(1 for _ in enumerate_sig_fields(reader, filled_status=True))
    except Exception:  # noqa: BLE001  # an unreadable form is reported by the signatures
        return 0


def _page_count(reader: PdfFileReader) -> int | None:
    try:
        return int(reader.root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001  # the count is informative only
        return None


def _read_dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return None
    except Exception:  # noqa: BLE001  # a broken DSS only costs the embedded revinfo
        return None
