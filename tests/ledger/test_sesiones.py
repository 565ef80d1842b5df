"""Page sessions and failed-login counters in the ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from docservice.ledger import Ledger, LoginPolicy, SessionStore
from docservice.ledger.tables import ApiKey, IntentoIngreso, SesionWeb
from docservice.model import Caller, Rol
from tests.ledger.backends import migrated_ledger

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
POLICY = LoginPolicy(fallos=5, ventana=timedelta(minutes=15), bloqueo=timedelta(minutes=15))
CLAVES = ["direccion:10.0.0.7", "prefijo:abc"]


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_session_is_a_row_named_by_the_ids_hash(ledger: Ledger) -> None:
    token = ledger.create_api_key("ana", Rol.JURIDICO)
    store = SessionStore(ledger.engine)
    session_id = store.open(_sha(token), NOW, timedelta(hours=8))
    assert session_id is not None and len(session_id) >= 43
    with ledger.engine.connect() as conn:
        kept = conn.execute(select(SesionWeb.id_sha256)).scalar_one()
    assert kept == _sha(session_id) and session_id not in kept
    assert store.caller(session_id, NOW) == Caller(nombre="ana", rol=Rol.JURIDICO)
    assert store.caller("otro-id", NOW) is None
    assert store.caller(session_id, NOW + timedelta(hours=8)) is None  # expired


def test_closing_deletes_the_row_for_every_process(ledger_url: str) -> None:
    first, second = migrated_ledger(ledger_url), Ledger(ledger_url)
    token = first.create_api_key("ana", Rol.JURIDICO)
    session_id = SessionStore(first.engine).open(_sha(token), NOW, timedelta(hours=8))
    assert session_id is not None
    other_process = SessionStore(second.engine)
    assert other_process.caller(session_id, NOW) is not None
    SessionStore(first.engine).close(session_id)
    assert other_process.caller(session_id, NOW) is None
    with second.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SesionWeb)).scalar_one() == 0
    first.close()
    second.close()


def test_a_revoked_or_unknown_key_has_no_session(ledger: Ledger) -> None:
    token = ledger.create_api_key("ana", Rol.JURIDICO)
    store = SessionStore(ledger.engine)
    assert store.open(_sha("ds_inventada"), NOW, timedelta(hours=1)) is None
    session_id = store.open(_sha(token), NOW, timedelta(hours=1))
    assert session_id is not None
    with ledger.engine.begin() as conn:
        conn.execute(update(ApiKey).values(revocada=NOW))
    assert store.caller(session_id, NOW) is None
    assert store.open(_sha(token), NOW, timedelta(hours=1)) is None


def test_expired_sessions_are_purged_at_the_next_login(ledger: Ledger) -> None:
    token = ledger.create_api_key("ana", Rol.JURIDICO)
    store = SessionStore(ledger.engine)
    store.open(_sha(token), NOW, timedelta(hours=1))
    store.open(_sha(token), NOW + timedelta(hours=2), timedelta(hours=1))
    with ledger.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(SesionWeb)).scalar_one() == 1


def test_five_failures_in_the_window_lock_for_fifteen_minutes(ledger: Ledger) -> None:
    store = SessionStore(ledger.engine)
    for minute in range(4):
        moment = NOW + timedelta(minutes=minute)
        assert store.record_failure(CLAVES, moment, POLICY) is None
    assert store.locked_until(CLAVES, NOW + timedelta(minutes=4)) is None
    fifth = NOW + timedelta(minutes=4)
    until = store.record_failure(CLAVES, fifth, POLICY)
    assert until == fifth + timedelta(minutes=15)
    assert store.locked_until(["prefijo:abc"], fifth) == until  # each key is locked
    assert store.locked_until(["direccion:10.0.0.7"], fifth) == until
    assert store.locked_until(["direccion:10.0.0.8"], fifth) is None
    # Attempts during the lockout neither count nor extend it.
    assert store.record_failure(CLAVES, fifth + timedelta(minutes=10), POLICY) == until
    assert store.locked_until(CLAVES, until - timedelta(seconds=1)) == until
    assert store.locked_until(CLAVES, until) is None
    assert store.record_failure(CLAVES, until, POLICY) is None  # a fresh count


def test_failures_older_than_the_window_do_not_count(ledger: Ledger) -> None:
    store = SessionStore(ledger.engine)
    for minute in (0, 1, 2, 3):
        store.record_failure(CLAVES, NOW + timedelta(minutes=minute), POLICY)
    late = NOW + timedelta(minutes=16)
    assert store.record_failure(CLAVES, late, POLICY) is None
    with ledger.engine.connect() as conn:
        fallos = conn.execute(select(IntentoIngreso.fallos)).scalars().all()
    assert fallos == [1, 1]


def test_counters_are_shared_by_processes_on_one_database(ledger_url: str) -> None:
    first, second = migrated_ledger(ledger_url), Ledger(ledger_url)
    for i in range(3):
        SessionStore(first.engine).record_failure(CLAVES, NOW + timedelta(seconds=i), POLICY)
    for i in range(3, 5):
        SessionStore(second.engine).record_failure(CLAVES, NOW + timedelta(seconds=i), POLICY)
    until = SessionStore(first.engine).locked_until(CLAVES, NOW + timedelta(seconds=5))
    assert until == NOW + timedelta(seconds=4, minutes=15)
    first.close()
    second.close()


def test_stale_counters_are_deleted(ledger: Ledger) -> None:
    store = SessionStore(ledger.engine)
    store.record_failure(["direccion:vieja"], NOW, POLICY)
    store.record_failure(["direccion:nueva"], NOW + timedelta(hours=1), POLICY)
    with ledger.engine.connect() as conn:
        claves = conn.execute(select(IntentoIngreso.clave)).scalars().all()
    assert claves == ["direccion:nueva"]


def test_concurrent_failures_are_all_counted(ledger_url: str) -> None:
    """Eight threads, each with its own engine (as separate processes would): no lost update."""
    policy = LoginPolicy(fallos=100, ventana=timedelta(minutes=15), bloqueo=timedelta(minutes=15))
    ledgers = [migrated_ledger(ledger_url) for _ in range(8)]
    with ThreadPoolExecutor(len(ledgers)) as executor:
        list(
            executor.map(
                lambda each: SessionStore(each.engine).record_failure(CLAVES, NOW, policy), ledgers
            )
        )
    with ledgers[0].engine.connect() as conn:
        assert conn.execute(select(IntentoIngreso.fallos)).scalars().all() == [8, 8]
    for each in ledgers:
        each.close()
