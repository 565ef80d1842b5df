"""The ledger on SQLite and on PostgreSQL (fixtures in conftest): keys stored hashed, documents
recorded."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from docservice.errors import Conflicto, EntradaInvalida
from docservice.ledger import DocumentRecord, Ledger
from docservice.model import Rol


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


def test_keys_and_documents_are_audited_with_their_write(ledger: Ledger) -> None:
    ledger.create_api_key("cobranza", Rol.SISTEMA, actor="admin")
    with pytest.raises(Conflicto):
        ledger.create_api_key("cobranza", Rol.ADMIN, actor="admin")  # nothing recorded
    record = DocumentRecord(
        id=str(uuid.uuid4()),
        plantilla="requerimiento_pago",
        plantilla_version=2,
        plantilla_sha256="a" * 64,
        datos_sha256="b" * 64,
        contenido_sha256="c" * 64,
        formato="pdf",
        bytes=10,
        solicitante="cobranza",
        creado=datetime.now(UTC),
    )
    ledger.record_document(record)
    with ledger.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor, accion, objeto, detalle FROM evento_auditoria ORDER BY id")
        ).all()
    assert [(r.actor, r.accion) for r in rows] == [
        ("admin", "llave.creada"),
        ("cobranza", "documento.generado"),
    ]
    assert "sha256" not in rows[0].detalle  # the key's hash is not repeated in the log
    assert rows[1].objeto == record.id and '"contenido_sha256":"' + "c" * 64 in rows[1].detalle
    found = ledger.get_document(record.id)
    assert found is not None and found.creado == record.creado  # aware UTC on both backends
    assert ledger.verify_audit_chain().ok
