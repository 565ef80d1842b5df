"""``docservice audit verify`` on SQLite and PostgreSQL: edits and deletions are named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from docservice.ledger import Ledger
from docservice.model import Rol
from tests.cli.test_cli import run
from tests.ledger.backends import BACKENDS, database_url, migrated_ledger

ENTRIES = 6


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database_url(request.param, tmp_path) as database:
        ledger = migrated_ledger(database)
        ledger.create_api_key("cobranza", Rol.SISTEMA)
        for index in range(2, ENTRIES + 1):
            ledger.audit("ana", "documento.firmado", f"doc-{index}", {"orden": index})
        ledger.close()
        yield database


def verify(tmp_path: Path, url: str, *args: str) -> tuple[int, str]:
    result = run(tmp_path, "audit", "verify", *args, extra_env={"DOCSERVICE_DATABASE_URL": url})
    return result.returncode, result.stdout + result.stderr


def tamper(url: str, *statements: str) -> None:
    ledger = Ledger(url)
    with ledger.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    ledger.close()


def test_intact_chain_passes(tmp_path: Path, url: str) -> None:
    code, output = verify(tmp_path, url)
    assert code == 0, output
    assert f"bitácora íntegra: {ENTRIES} entradas verificadas" in output


def test_an_edited_row_is_named(tmp_path: Path, url: str) -> None:
    tamper(url, "UPDATE evento_auditoria SET actor = 'mallory' WHERE id = 3")
    code, output = verify(tmp_path, url)
    assert code == 1
    assert "bitácora ALTERADA: entrada 3:" in output
    assert "fue alterada" in output
    assert "2 entradas verificadas" in output


def test_a_deleted_row_is_named(tmp_path: Path, url: str) -> None:
    tamper(url, "DELETE FROM evento_auditoria WHERE id = 4")
    code, output = verify(tmp_path, url)
    assert code == 1
    assert "bitácora ALTERADA: entrada 4: falta la entrada 4" in output


def test_a_deleted_tail_needs_the_checkpoint(tmp_path: Path, url: str) -> None:
    """Deleting the last entries and moving the head back hides from the chain alone."""
    point = tmp_path / "punto.json"
    made = run(tmp_path, "audit", "checkpoint", "-o", str(point),
               extra_env={"DOCSERVICE_DATABASE_URL": url})  # fmt: skip
    assert made.returncode == 0, made.stderr
    tamper(
        url,
        "DELETE FROM evento_auditoria WHERE id >= 5",  # the last two of ENTRIES
        "UPDATE auditoria_cabeza SET ultimo_id = (SELECT max(id) FROM evento_auditoria),"
        " ultimo_hash = (SELECT hash FROM evento_auditoria"
        "  WHERE id = (SELECT max(id) FROM evento_auditoria))",
    )
    assert verify(tmp_path, url)[0] == 0
    code, output = verify(tmp_path, url, "--checkpoint", str(point))
    assert code == 1
    assert "se borró el final de la bitácora" in output


def test_unreadable_checkpoint_is_an_error(tmp_path: Path, url: str) -> None:
    point = tmp_path / "punto.json"
    point.write_text("no es json")
    code, output = verify(tmp_path, url, "--checkpoint", str(point))
    assert code == 1
    assert "punto de control" in output
