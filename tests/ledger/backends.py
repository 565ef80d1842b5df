"""The two databases every ledger test runs on; PostgreSQL gets a fresh schema per test.

PostgreSQL must answer at 127.0.0.1:5432 (database ``test``, user ``postgres``, trust auth):
when it does not, the test fails saying so; it is never skipped.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from docservice.ledger import Ledger, upgrade

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections see only a new, randomly named schema (dropped afterwards)."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    schema = f"ledger_prueba_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(
            "PostgreSQL no responde en 127.0.0.1:5432 (base «test», usuario postgres); "
            f"las pruebas del registro lo exigen y no se omiten: {exc}",
            pytrace=False,
        )
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL of an empty database of ``backend``."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'ledger.db'}"
    else:
        with postgres_schema() as url:
            yield url


def migrated_ledger(url: str, *, lock_timeout_s: float = 10.0) -> Ledger:
    """A Ledger on ``url`` once its schema is at head: what ``docservice db upgrade`` does."""
    upgrade(url)
    return Ledger(url, lock_timeout_s=lock_timeout_s)
