"""The ledger on SQLite and on PostgreSQL: keys stored hashed, documents recorded."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from docservice.errors import Conflicto, EntradaInvalida
from docservice.ledger import DocumentRecord, Ledger
from docservice.model import Rol

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    if request.param == "sqlite":
        instance = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    else:
        try:
            instance = Ledger(POSTGRES_URL)
        except OperationalError as exc:
            pytest.fail(f"PostgreSQL no responde en 127.0.0.1:5432 (base test): {exc}")
        with instance.engine.begin() as conn:
            conn.execute(text("DELETE FROM documento"))
            conn.execute(text("DELETE FROM api_key"))
    yield instance
    instance.close()


def test_key_is_stored_hashed_and_authenticates(ledger: Ledger) -> None:
    token = ledger.create_api_key("Cobranza central", Rol.SISTEMA)
    with ledger.engine.connect() as conn:
        stored = conn.execute(text("SELECT sha256 FROM api_key")).scalar_one()
    assert token not in stored and len(stored) == 64
    caller = ledger.authenticate(token)
    assert caller is not None and caller.nombre == "Cobranza central"
    assert caller.rol is Rol.SISTEMA
    assert ledger.authenticate(token + "x") is None


def test_duplicate_or_empty_names_are_refused(ledger: Ledger) -> None:
    ledger.create_api_key("auditoría", Rol.AUDITOR)
    with pytest.raises(Conflicto, match="ya existe"):
        ledger.create_api_key("auditoría", Rol.ADMIN)
    with pytest.raises(EntradaInvalida):
        ledger.create_api_key("   ", Rol.ADMIN)


def test_document_round_trip(ledger: Ledger) -> None:
    record = DocumentRecord(
        id=str(uuid.uuid4()),
        plantilla="requerimiento_pago",
        plantilla_version=1,
        plantilla_sha256="a" * 64,
        datos_sha256="b" * 64,
        contenido_sha256="c" * 64,
        formato="pdf",
        bytes=1234,
        solicitante="prueba",
        creado=datetime.now(UTC),
    )
    ledger.record_document(record)
    found = ledger.get_document(record.id)
    assert found is not None
    assert found.contenido_sha256 == record.contenido_sha256
    assert found.solicitante == "prueba"
    assert ledger.get_document(str(uuid.uuid4())) is None
