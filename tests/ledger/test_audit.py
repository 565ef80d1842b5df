"""The hash-chained audit log (research §6: L7, L8, L12), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from docservice.errors import EntradaInvalida, ErrorInterno
from docservice.ledger import Checkpoint, DocumentRecord, Ledger, audit
from docservice.ledger.audit import entry_hash
from docservice.ledger.tables import EventoAuditoria
from docservice.model import Rol


def fill(ledger: Ledger, entries: int) -> None:
    for index in range(1, entries + 1):
        ledger.audit("ana", "firma", f"doc-{index}", {"perfil": "desarrollo", "orden": index})


def sql(ledger: Ledger, statement: str, **params: object) -> None:
    """Tamper with the database directly, as someone with write access to it could."""
    with ledger.engine.begin() as conn:
        conn.execute(text(statement), params)


def entry(ledger: Ledger, entry_id: int) -> EventoAuditoria:
    with Session(ledger.engine) as session:
        return session.get_one(EventoAuditoria, entry_id)


def test_hash_is_sha256_of_previous_hash_and_canonical_json() -> None:
    """The format is fixed: anyone can recompute a hash without docservice."""
    momento = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    expected = hashlib.sha256(
        b"0" * 64
        + '[1,"2026-01-02T03:04:05.000006+00:00","ana","firma","doc-1",{"a":"ñ","b":2}]'.encode()
    ).hexdigest()
    got = entry_hash(
        "0" * 64,
        entry_id=1,
        momento=momento,
        actor="ana",
        accion="firma",
        objeto="doc-1",
        detalle={"b": 2, "a": "ñ"},
    )
    assert got == expected


def test_every_write_appends_its_entry_and_the_chain_verifies(ledger: Ledger) -> None:
    ledger.create_api_key("cobranza", Rol.SISTEMA, actor="admin")
    reservation = ledger.reserve_folio("CNA", 2026, solicitante="cobranza", plantilla="cna")
    ledger.confirm_folio(reservation.folio, documento_id="d1", contenido_sha256="a" * 64)
    ledger.cancel_constancia(reservation.folio, "datos del deudor erróneos", "jurídico")
    ledger.audit("titular", "plantilla.cargada", "cna@3", {"sha256": "b" * 64})
    with ledger.engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, accion FROM evento_auditoria ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        ("admin", "llave.creada"),
        ("cobranza", "folio.reservado"),
        ("cobranza", "folio.emitido"),
        ("jurídico", "constancia.cancelada"),
        ("titular", "plantilla.cargada"),
    ]
    report = ledger.verify_audit_chain()
    assert report.ok and report.checked == 5 and report.first_bad_id is None


def test_an_edited_entry_is_named(ledger: Ledger) -> None:
    """L7: change one entry's detalle in the database: verification names that entry."""
    fill(ledger, 5)
    sql(ledger, "UPDATE evento_auditoria SET detalle = :d WHERE id = 3", d='{"perfil":"otro"}')
    report = ledger.verify_audit_chain()
    assert not report.ok and report.first_bad_id == 3 and report.checked == 2
    assert report.reason is not None and "alterada" in report.reason


def test_a_deleted_middle_entry_is_caught(ledger: Ledger) -> None:
    fill(ledger, 5)
    sql(ledger, "DELETE FROM evento_auditoria WHERE id = 3")
    report = ledger.verify_audit_chain()
    assert not report.ok and report.first_bad_id == 3
    assert report.reason is not None and "falta la entrada 3" in report.reason


def test_a_deleted_tail_is_caught_only_against_a_checkpoint(ledger: Ledger) -> None:
    """L8: why checkpoints exist. Deleting the last entries leaves a shorter chain that is
    perfectly valid; only the head row betrays a careless deletion, and whoever can delete
    rows can move the head back too. A checkpoint kept outside the database still knows."""
    fill(ledger, 3)
    checkpoint = ledger.audit_checkpoint()
    fill(ledger, 2)
    later = ledger.audit_checkpoint()
    assert (later.last_id, later.count) == (5, 5)

    sql(ledger, "DELETE FROM evento_auditoria WHERE id > 3")
    careless = ledger.verify_audit_chain()
    assert not careless.ok and careless.first_bad_id == 4

    sql(
        ledger,
        "UPDATE auditoria_cabeza SET ultimo_id = 3, ultimo_hash = :h",
        h=checkpoint.last_hash,
    )
    assert ledger.verify_audit_chain().ok, "sin punto de control el borrado no se ve"
    assert ledger.verify_audit_chain(since_checkpoint=checkpoint).ok
    report = ledger.verify_audit_chain(since_checkpoint=later)
    assert not report.ok and report.first_bad_id == 4 and report.checked == 3
    assert report.reason is not None and "se borró el final" in report.reason


def test_a_rewritten_chain_is_caught_against_a_checkpoint(ledger: Ledger) -> None:
    """Edit entry 2 and recompute every later hash (and the head): only the checkpoint sees it."""
    fill(ledger, 4)
    checkpoint = ledger.audit_checkpoint()
    sql(ledger, "UPDATE evento_auditoria SET actor = 'otro' WHERE id = 2")
    previous = entry(ledger, 1).hash
    for entry_id in range(2, 5):
        row = entry(ledger, entry_id)
        digest = entry_hash(
            previous,
            entry_id=entry_id,
            momento=row.momento,
            actor=row.actor,
            accion=row.accion,
            objeto=row.objeto,
            detalle=json.loads(row.detalle),
        )
        sql(
            ledger,
            "UPDATE evento_auditoria SET hash_previo = :p, hash = :h WHERE id = :id",
            p=previous,
            h=digest,
            id=entry_id,
        )
        previous = digest
    sql(ledger, "UPDATE auditoria_cabeza SET ultimo_hash = :h", h=previous)

    assert ledger.verify_audit_chain().ok
    report = ledger.verify_audit_chain(since_checkpoint=checkpoint)
    assert not report.ok and report.first_bad_id == 4
    assert report.reason is not None and "reescrita" in report.reason


def test_checkpoint_is_a_portable_value(ledger: Ledger) -> None:
    empty = ledger.audit_checkpoint()
    assert (empty.last_id, empty.count, empty.last_hash) == (0, 0, "0" * 64)
    assert ledger.verify_audit_chain(since_checkpoint=empty).ok
    fill(ledger, 2)
    checkpoint = ledger.audit_checkpoint()
    assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint
    signed = json.loads(checkpoint.canonical_bytes())
    assert signed[:3] == [2, checkpoint.last_hash, 2]
    fill(ledger, 1)
    assert ledger.verify_audit_chain(since_checkpoint=checkpoint).ok


def test_floats_and_overlong_fields_are_refused_and_nothing_is_appended(ledger: Ledger) -> None:
    with pytest.raises(EntradaInvalida, match="decimales"):
        ledger.audit("ana", "pago", "x", {"monto": 1.5})
    with pytest.raises(EntradaInvalida):
        ledger.audit("a" * 101, "pago", "x", {})
    assert ledger.audit_checkpoint().count == 0


def test_a_failing_audit_append_rolls_the_write_back(ledger: Ledger) -> None:
    """L12: the entry and the write it describes commit together or not at all."""
    fill(ledger, 1)
    sql(
        ledger,
        "INSERT INTO evento_auditoria (id, momento, actor, accion, objeto, detalle, hash_previo,"
        " hash) VALUES (2, :m, 'x', 'x', 'x', '{}', 'x', 'x')",
        m=datetime.now(UTC),
    )
    with pytest.raises(ErrorInterno, match="auditoría"):
        ledger.reserve_folio("CNA", 2026, solicitante="s", plantilla="cna")
    with pytest.raises(ErrorInterno):
        ledger.create_api_key("nadie", Rol.AUDITOR)
    with ledger.engine.connect() as conn:
        for table in ("constancia", "serie_folio", "api_key"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0  # noqa: S608


def test_the_head_is_taken_last_and_held_only_to_write_the_entries(ledger: Ledger) -> None:
    """Writers wait for one another only over the chain step: the head row is read (and locked)
    after every statement of the caller's transaction, and only the entries and the head are
    written after it, both entries of an issue in one go."""
    reservation = ledger.reserve_folio("CNA", 2026, solicitante="cobranza", plantilla="cna")
    record = DocumentRecord(
        id="d1", plantilla="cna", plantilla_version=1, plantilla_sha256="a" * 64,
        datos_sha256="b" * 64, contenido_sha256="c" * 64, formato="pdf", bytes=10,
        solicitante="cobranza", creado=datetime.now(UTC),
    )  # fmt: skip
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(ledger.engine, "before_cursor_execute", seen)
    try:
        ledger.issue_folio(reservation.folio, record)
    finally:
        event.remove(ledger.engine, "before_cursor_execute", seen)
    head = next(i for i, sql in enumerate(statements) if "FROM auditoria_cabeza" in sql)
    assert any(sql.startswith("UPDATE constancia") for sql in statements[:head]), statements
    after = statements[head + 1 :]
    assert after and all("evento_auditoria" in sql or "auditoria_cabeza" in sql for sql in after)
    assert sum("auditoria_cabeza" in sql for sql in statements) == 2, statements  # read, move
    with ledger.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, accion FROM evento_auditoria ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        (1, "folio.reservado"), (2, "documento.generado"), (3, "constancia.emitida")
    ]  # fmt: skip
    assert ledger.verify_audit_chain().ok


def test_audit_returns_the_id_of_its_entry(ledger: Ledger) -> None:
    assert [ledger.audit("ana", "firma", f"doc-{n}", {}) for n in range(3)] == [1, 2, 3]


def test_a_write_outside_the_ledger_commits_with_its_entries_chained(ledger: Ledger) -> None:
    """Chaining belongs to the commit, not to ``Ledger``: any session that queued entries
    writes them as its last statements, so no write commits without them."""
    with Session(ledger.engine) as session:
        session.execute(text("INSERT INTO serie_folio (serie, anio, siguiente) VALUES ('X', 1, 1)"))
        audit.append(session, "ana", "serie.creada", "X", {})
        session.commit()
    with ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM serie_folio")).scalar_one() == 1
        rows = conn.execute(text("SELECT id, accion, objeto FROM evento_auditoria")).all()
    assert [tuple(row) for row in rows] == [(1, "serie.creada", "X")]
    report = ledger.verify_audit_chain()
    assert report.ok and report.checked == 1


def test_entries_of_a_rolled_back_transaction_never_reach_the_chain(ledger: Ledger) -> None:
    """A session that rolls back drops what it queued; its next transaction chains only its own."""
    with Session(ledger.engine) as session:
        session.execute(text("INSERT INTO serie_folio (serie, anio, siguiente) VALUES ('X', 1, 1)"))
        audit.append(session, "ana", "serie.creada", "X", {})
        session.rollback()
        audit.append(session, "ana", "serie.revisada", "Y", {})
        session.commit()
    with ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM serie_folio")).scalar_one() == 0
        rows = conn.execute(text("SELECT id, accion, objeto FROM evento_auditoria")).all()
    assert [tuple(row) for row in rows] == [(1, "serie.revisada", "Y")]
    assert ledger.verify_audit_chain().ok
