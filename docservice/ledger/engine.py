"""Engines and transactions: SQLite takes the write lock up front, PostgreSQL bounds lock waits.

SQLite follows SQLAlchemy's pysqlite recipe: the driver's own ``BEGIN`` is switched off
(``isolation_level = None``) and the engine's ``begin`` event emits ``BEGIN IMMEDIATE`` for a
write transaction (a deferred one can fail with ``SQLITE_BUSY`` when it upgrades to a writer)
and a plain deferred ``BEGIN`` for reads, so readers never queue behind writers in WAL mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from docservice.errors import ServicioSaturado

READ_ONLY = "docservice_solo_lectura"
"""Execution option of the read engine: SQLite begins deferred instead of immediate."""

_PG_LOCK_ERRORS = {"55P03", "40P01", "40001"}  # lock_not_available, deadlock, serialization


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, lock_timeout_s: float = 10.0) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and explicit BEGINs."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    busy_ms = int(lock_timeout_s * 1000)

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")  # first: WAL needs a lock to switch
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    def on_begin(conn: Connection) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


class Transactions:
    """Short write and read transactions on one engine, with lock waits bounded."""

    def __init__(self, engine: Engine, *, lock_timeout_s: float) -> None:
        self.engine = engine
        self._lock_timeout_ms = int(lock_timeout_s * 1000)
        self._writes = sessionmaker(engine, expire_on_commit=False)
        read_options: dict[str, Any] = {READ_ONLY: True}
        if not is_sqlite(engine):
            read_options["isolation_level"] = "REPEATABLE READ"  # one snapshot for all reads
        self._reads = sessionmaker(engine.execution_options(**read_options), expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on any exception."""
        with translate_lock_errors(), self._writes.begin() as session:
            if not is_sqlite(self.engine):
                session.execute(text(f"SET LOCAL lock_timeout = {self._lock_timeout_ms}"))
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction (one consistent snapshot), never taking the write lock."""
        with translate_lock_errors(), self._reads.begin() as session:
            yield session


@contextmanager
def translate_lock_errors() -> Iterator[None]:
    """Lock waits that ran out become ``ServicioSaturado`` (503, retry) instead of a 500."""
    try:
        yield
    except DBAPIError as exc:
        if _is_lock_timeout(exc):
            raise ServicioSaturado(
                "la base de datos del registro está ocupada; reintente en unos segundos",
                reintentar_en=2,
            ) from exc
        raise


def _is_lock_timeout(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _PG_LOCK_ERRORS:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)
