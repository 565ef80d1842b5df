"""The reservation sweeper: a failed sweep (the database locked) is logged and retried."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from docservice.documentos.issuing import FolioIssuer, ReservationSweeper
from docservice.ledger.blobs import BlobStore
from docservice.ledger.tables import Constancia
from tests.ledger.backends import migrated_ledger


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_sweeper_survives_a_locked_database_and_voids_on_the_next_round(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "ledger.db"
    ledger = migrated_ledger(f"sqlite:///{database}", lock_timeout_s=0.2)
    folio = ledger.reserve_folio("SWEEP", 2026, solicitante="muerto", plantilla="cna").folio
    with ledger.engine.begin() as connection:  # its process died an hour ago
        connection.execute(
            update(Constancia)
            .where(Constancia.folio == folio)
            .values(reservado_en=datetime.now(UTC) - timedelta(hours=1))
        )
    issuer = FolioIssuer(ledger, BlobStore(tmp_path / "blobs"), ZoneInfo("America/Mexico_City"))
    sweeper = ReservationSweeper(issuer, timedelta(minutes=10), interval_s=0.1)
    blocker = sqlite3.connect(database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with caplog.at_level(logging.ERROR, logger="docservice.documentos.issuing"):
            sweeper.start()
            assert wait_for(lambda: "no se pudieron anular" in caplog.text, 5), caplog.text
        record = ledger.get_constancia(folio)
        assert record is not None and record.estado == "reservado"
        blocker.execute("ROLLBACK")

        def voided() -> bool:
            record = ledger.get_constancia(folio)
            return record is not None and record.estado == "anulado"

        assert wait_for(voided, 5), "el barrido dejó de intentarlo tras un error"
    finally:
        blocker.close()
        sweeper.close()
        ledger.close()
