"""Fixtures of the ledger tests: each test gets an empty database on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docservice.ledger import Ledger
from tests.ledger.backends import BACKENDS, database_url, migrated_ledger

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    instance = migrated_ledger(ledger_url)
    yield instance
    instance.close()


@pytest.fixture
def spawnable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let spawned processes import ``tests.ledger.workers`` (they inherit ``sys.path``)."""
    monkeypatch.syspath_prepend(str(ROOT))
