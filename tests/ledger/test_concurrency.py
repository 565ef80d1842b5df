"""Folios under real concurrency and real crashes, on SQLite and PostgreSQL (research §6: L1–L4,
L6).

Processes are started with ``spawn`` (a forked SQLAlchemy pool would share sockets).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import timedelta
from multiprocessing.context import SpawnContext, SpawnProcess

import pytest
from sqlalchemy import text

from docservice.errors import ServicioSaturado
from docservice.ledger import Ledger
from tests.ledger import workers
from tests.ledger.backends import migrated_ledger
from tests.ledger.workers import ANIO, SERIE

PROCESSES, PER_PROCESS, FAIL_EVERY = 8, 50, 7
TOTAL = PROCESSES * PER_PROCESS

pytestmark = pytest.mark.usefixtures("spawnable")


@pytest.fixture
def spawn() -> SpawnContext:
    return multiprocessing.get_context("spawn")


def kill(process: SpawnProcess) -> None:
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=10)
    assert process.exitcode == -signal.SIGKILL


def test_eight_processes_get_consecutive_folios_and_keep_the_chain(ledger_url: str) -> None:
    """L1+L2: 8 × 50 reservations, every 7th voided after reserving: folios 1..400, no gaps."""
    began = time.monotonic()
    args = (ledger_url, PER_PROCESS, FAIL_EVERY)
    results = workers.run_together(workers.issue_many, args, PROCESSES)
    elapsed = time.monotonic() - began
    per_process = [taken for taken, _ in results]
    issuing = max(seconds for _, seconds in results)

    numbers = [n for taken in per_process for n in taken]
    assert sorted(numbers) == list(range(1, TOTAL + 1)), "folios duplicados o faltantes"
    assert all(taken == sorted(taken) for taken in per_process)
    interleaved = [t for t in per_process if t[-1] - t[0] >= len(t)]
    assert interleaved, "los procesos no compitieron: la prueba no probó nada"
    ledger = Ledger(ledger_url)
    report = ledger.folio_series_report(SERIE, ANIO)
    voided = PROCESSES * (PER_PROCESS // FAIL_EVERY)
    assert report.ok and report.highest == TOTAL and report.counter_next == TOTAL + 1
    assert report.counts == {"emitido": TOTAL - voided, "anulado": voided}
    chain = ledger.verify_audit_chain()
    assert chain.ok and chain.checked == 2 * TOTAL, chain
    ledger.close()
    backend = ledger_url.split(":", maxsplit=1)[0]
    print(f"\n{backend}: {TOTAL} folios, {PROCESSES} procesos: {issuing:.2f} s ({elapsed:.2f} s)")


def test_killed_between_reserve_and_confirm_is_voided_by_recovery(
    ledger: Ledger, ledger_url: str, spawn: SpawnContext
) -> None:
    """L4: the reservation survives the kill as ``reservado``; recovery voids it, no gap."""
    out = spawn.Queue()
    victim = spawn.Process(target=workers.reserve_then_hang, args=(ledger_url, out))
    victim.start()
    folio = out.get(timeout=60)
    kill(victim)

    left = ledger.get_constancia(folio)
    assert left is not None and left.estado == "reservado"
    assert ledger.recover_stale_reservations(timedelta(hours=1)) == []  # too recent
    assert ledger.recover_stale_reservations(timedelta(0)) == [folio]
    voided = ledger.get_constancia(folio)
    assert voided is not None and voided.estado == "anulado"
    assert voided.anulado_motivo is not None and "reserva vencida" in voided.anulado_motivo
    assert ledger.reserve_folio(SERIE, ANIO, solicitante="s", plantilla="cna").numero == 2
    assert ledger.folio_series_report(SERIE, ANIO).ok
    assert ledger.verify_audit_chain().ok


def test_killed_inside_the_reservation_rolls_back_and_waiters_get_503(
    ledger_url: str, spawn: SpawnContext
) -> None:
    """L3+L6: while a process hangs holding the counter, others give up with 503 after the lock
    timeout; once it is killed nothing of its transaction remains and its number is reused."""
    impatient = migrated_ledger(ledger_url, lock_timeout_s=0.5)  # before the victim locks
    out = spawn.Queue()
    victim = spawn.Process(target=workers.hang_inside_reservation, args=(ledger_url, out))
    victim.start()
    assert out.get(timeout=60) == "bloqueado"
    began = time.monotonic()
    with pytest.raises(ServicioSaturado):
        impatient.reserve_folio(SERIE, ANIO, solicitante="s", plantilla="cna")
    assert time.monotonic() - began < 5
    kill(victim)

    with impatient.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM constancia")).scalar_one() == 0
    reservation = impatient.reserve_folio(SERIE, ANIO, solicitante="s", plantilla="cna")
    assert reservation.numero == 1
    assert impatient.verify_audit_chain().ok
    impatient.close()
