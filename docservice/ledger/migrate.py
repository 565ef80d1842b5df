"""Alembic, driven from code: migrating the ledger is an explicit step, never a side effect.

There is no ``alembic.ini``: the Config is built here with ``script_location`` pointing at the
``migrations`` folder shipped inside the package. ``upgrade(url)`` (``docservice db upgrade``,
and ``serve`` once on start) applies the pending migrations under a lock, so N processes that
call it at once migrate once: on PostgreSQL a transaction-scoped advisory lock, on SQLite an
exclusive ``fcntl`` lock on ``<db>.lock`` around a ``BEGIN IMMEDIATE`` transaction. Opening a
``Ledger`` only checks, with one query of ``alembic_version``, that the schema is at head.
"""

from __future__ import annotations

import fcntl
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from docservice.errors import BaseSinMigrar
from docservice.ledger.engine import READ_ONLY, is_sqlite, make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 0x646F6373_6C656467  # "docsledg": one key for every docservice database


def alembic_config(connection: Connection | None = None) -> Config:
    """A Config for the ledger's migrations; pass ``connection`` to run commands on it."""
    from alembic.config import Config  # noqa: PLC0415  # only who migrates imports Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r'^(down_revision|revision): str(?: \| None)? = "?(\w+)"?$', re.M)


@cache
def head_revision() -> str:
    """The latest revision shipped with this code: the one no migration names as its parent.

    Read from the migration files' ``revision``/``down_revision`` lines, without importing
    Alembic (opening a ledger must stay cheap for the command line).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for name, value in _REVISION.findall(script.read_text("utf-8")):
            (revisions if name == "revision" else parents).add(value)
    heads = revisions - parents
    if len(heads) != 1:  # pragma: no cover - a packaging or branching mistake
        raise RuntimeError(f"las migraciones del registro no tienen una sola cabeza: {heads}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The schema's revision (one query, no write lock); None for a database never migrated."""
    with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            if _no_such_table(exc):  # empty, or made before Alembic
                return None
            raise


def _no_such_table(exc: OperationalError | ProgrammingError) -> bool:
    if getattr(exc.orig, "sqlstate", None) == "42P01":  # PostgreSQL undefined_table
        return True
    return "no such table" in str(exc.orig)


def require_current(engine: Engine) -> None:
    """Raise ``BaseSinMigrar`` unless the schema is at this code's head revision."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        found = f"está en la revisión {current}" if current else "no tiene esquema"
        raise BaseSinMigrar(
            "la base de datos no está actualizada: ejecute `docservice db upgrade` "
            f"({found}; se requiere la {head})"
        )


def upgrade(url: str) -> str:
    """Bring the database at ``url`` to the head revision, once however many call at once.

    Returns the head revision. Safe to call on a database already at head (nothing runs).
    """
    engine = make_engine(url)
    try:
        with _file_lock(engine):
            if current_revision(engine) != head_revision():
                _upgrade_locked(engine)
    finally:
        engine.dispose()
    return head_revision()


def _upgrade_locked(engine: Engine) -> None:
    """Apply every pending migration in one transaction (SQLite: ``BEGIN IMMEDIATE``)."""
    with engine.begin() as connection:
        if not is_sqlite(engine):
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        from alembic import command  # noqa: PLC0415  # as above

        command.upgrade(alembic_config(connection), "head")  # a no-op if another got there first


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """SQLite on disk: hold an exclusive lock on ``<db>.lock`` (waits for other migrators)."""
    database = engine.url.database if is_sqlite(engine) else None
    if not database or database == ":memory:":
        yield
        return
    with Path(f"{database}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
