"""Alembic, driven from code: the ledger's schema is brought to the latest revision on start.

There is no ``alembic.ini``: the Config is built here with ``script_location`` pointing at the
``migrations`` folder shipped inside the package. Concurrent starters are serialized (the
upgrade runs in one transaction under ``BEGIN IMMEDIATE`` on SQLite, an advisory lock on
PostgreSQL), so the second one finds the schema already at head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from docservice.ledger.engine import READ_ONLY, is_sqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_PG_MIGRATION_LOCK = 0x646F6373_6C656467  # "docsledg": one key for every docservice database


def alembic_config(connection: Connection | None = None) -> Config:
    """A Config for the ledger's migrations; pass ``connection`` to run commands on it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def is_current(engine: Engine) -> bool:
    """Is the schema at the latest revision? Checked without taking any write lock."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every pending migration in one transaction."""
    with engine.begin() as connection:
        if not is_sqlite(engine):
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        command.upgrade(alembic_config(connection), revision)
