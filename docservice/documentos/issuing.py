"""Issue a document under a folio: reserve, build, store, then ``emitido`` — or ``anulado``.

The folio is taken in one short transaction; rendering and signing happen outside any
transaction; the stored file and the ledger rows are written last. Whatever fails after
the reservation voids the folio with its reason, so the series never has a hole and no
number is handed out twice. A process that dies mid-way leaves its folio ``reservado``:
``recover`` voids such reservations when the service starts, and ``ReservationSweeper``
every few seconds while it runs (another process may have died meanwhile).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from docservice.documentos.service import Built
from docservice.errors import DocServiceError
from docservice.ledger import ConstanciaRecord, Ledger
from docservice.ledger.blobs import BlobStore

log = logging.getLogger(__name__)

TipoFolio = Literal["constancia", "certificacion"]
MAX_MOTIVO = 500


@dataclass(frozen=True)
class FolioRequest:
    """What the ledger keeps about a folio from the moment it is reserved."""

    tipo: TipoFolio
    serie: str
    solicitante: str
    plantilla: str
    """Plantilla clave (constancias) or leyenda clave (certified copies)."""
    plantilla_version: int | None
    deudor_nombre: str | None = None
    deudor_rfc: str | None = None
    emisor: str | None = None


@dataclass(frozen=True)
class Issued:
    """The signed file, stored, and its folio now ``emitido``."""

    constancia: ConstanciaRecord
    contenido: bytes


def failure_reason(exc: BaseException) -> str:
    """Why a folio was voided, for the ledger and the auditor."""
    if isinstance(exc, DocServiceError):
        text = f"{exc.code}: {exc.mensaje}"
    else:
        text = f"error interno: {type(exc).__name__}"
    return text[:MAX_MOTIVO]


class FolioIssuer:
    """Gapless folios around any build step (a constancia, a certified copy)."""

    def __init__(self, ledger: Ledger, store: BlobStore, zona_horaria: ZoneInfo) -> None:
        self._ledger = ledger
        self._store = store
        self._zona = zona_horaria

    def issue(self, request: FolioRequest, build: Callable[[str], Built]) -> Issued:
        """Reserve the next folio of ``request.serie``, ``build(folio)`` and record it."""
        reservation = self._ledger.reserve_folio(
            request.serie,
            datetime.now(self._zona).year,
            tipo=request.tipo,
            solicitante=request.solicitante,
            plantilla=request.plantilla,
            plantilla_version=request.plantilla_version,
            deudor_nombre=request.deudor_nombre,
            deudor_rfc=request.deudor_rfc,
            emisor=request.emisor,
        )
        try:
            built = build(reservation.folio)
            self._store.put(built.contenido)
            constancia = self._ledger.issue_folio(
                reservation.folio, built.record, emisor=request.emisor
            )
        except Exception as exc:
            self._void(reservation.folio, exc)
            raise
        return Issued(constancia, built.contenido)

    def recover(self, older_than: timedelta) -> list[str]:
        """Void reservations left by a process that died; returns their folios."""
        voided = self._ledger.recover_stale_reservations(older_than)
        if voided:
            log.warning("folios reservados sin emitir, anulados: %s", ", ".join(voided))
        return voided

    def _void(self, folio: str, exc: Exception) -> None:
        try:
            self._ledger.void_folio(folio, failure_reason(exc))
        except DocServiceError as void_error:  # e.g. already voided by recovery
            log.error("no se pudo anular el folio %s: %s", folio, void_error.mensaje)
        else:
            log.warning("folio %s anulado: %s", folio, failure_reason(exc))


class ReservationSweeper:
    """Runs ``issuer.recover`` every ``interval_s`` in a background thread until closed."""

    def __init__(self, issuer: FolioIssuer, older_than: timedelta, interval_s: float) -> None:
        self._issuer = issuer
        self._older_than = older_than
        self._interval_s = interval_s
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="barrido-folios", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._closing.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._closing.wait(self._interval_s):
            try:
                self._issuer.recover(self._older_than)
            except Exception:  # a database hiccup must not end the sweeping
                log.exception("no se pudieron anular las reservas vencidas; se reintentará")
