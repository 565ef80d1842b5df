"""Code run in spawned processes by the concurrency and crash tests (importable by name), and
``run_together``, which starts several of them at once."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from sqlalchemy import Engine, event

from docservice.ledger import Ledger, audit, upgrade
from tests.ledger.backends import migrated_ledger

SERIE, ANIO = "CNA", 2026
HANG_S = 120.0


def run_together(target: Callable[..., None], args: tuple[object, ...], count: int) -> list[Any]:
    """Run ``target(*args, start, out)`` in ``count`` spawned processes released together by the
    barrier ``start``; returns what each put on ``out``, once every one has exited with 0."""
    spawn = multiprocessing.get_context("spawn")  # a forked SQLAlchemy pool would share sockets
    start, out = spawn.Barrier(count), spawn.Queue()
    processes = [spawn.Process(target=target, args=(*args, start, out)) for _ in range(count)]
    for process in processes:
        process.start()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return results


def issue_many(
    url: str, count: int, fail_every: int, start: Barrier, out: Queue[tuple[list[int], float]]
) -> None:
    """Migrate (concurrently with the others) and open the ledger, then reserve ``count`` folios.

    Every ``fail_every``-th one fails after its reservation (render or sign "broke") and is
    voided; the rest are confirmed.
    """
    ledger = migrated_ledger(url)
    start.wait(timeout=60)
    began = time.monotonic()
    numbers: list[int] = []
    for index in range(count):
        reservation = ledger.reserve_folio(SERIE, ANIO, solicitante="carga", plantilla="cna")
        numbers.append(reservation.numero)
        if index % fail_every == fail_every - 1:
            ledger.void_folio(reservation.folio, "falla simulada al firmar")
        else:
            ledger.confirm_folio(
                reservation.folio,
                documento_id=f"doc-{reservation.numero}",
                contenido_sha256=f"{reservation.numero:064x}",
            )
    out.put((numbers, time.monotonic() - began))
    ledger.close()


def reserve_then_hang(url: str, out: Queue[str]) -> None:
    """Reserve (committed), report the folio, then hang until killed: never confirm."""
    ledger = Ledger(url)
    reservation = ledger.reserve_folio(SERIE, ANIO, solicitante="victima", plantilla="cna")
    out.put(reservation.folio)
    time.sleep(HANG_S)


def hang_inside_reservation(url: str, out: Queue[str]) -> None:
    """Take the counter lock and insert the row, then hang before committing."""

    def hang(*_args: object, **_kwargs: object) -> int:
        out.put("bloqueado")
        time.sleep(HANG_S)
        return 0

    ledger = Ledger(url)
    audit.append = hang  # type: ignore[assignment]  # the reservation's audit step never ends
    ledger.reserve_folio(SERIE, ANIO, solicitante="victima", plantilla="cna")


def upgrade_at_once(url: str, start: Barrier, out: Queue[tuple[str, int]]) -> None:
    """Call ``upgrade`` together with the others; report the head and the tables it created."""
    start.wait(timeout=60)
    out.put(count_created_tables(lambda: upgrade(url)))


def count_created_tables(run: Callable[[], str]) -> tuple[str, int]:
    """What ``run`` returns and how many ``CREATE TABLE`` it sent to any database."""
    created = 0

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        nonlocal created
        created += statement.lstrip().upper().startswith("CREATE TABLE")

    event.listen(Engine, "before_cursor_execute", count)
    try:
        return run(), created
    finally:
        event.remove(Engine, "before_cursor_execute", count)
