"""The hash-chained audit log: append inside the caller's transaction, verify, checkpoint.

``append`` only queues an entry on its session; ``chain`` locks the head row, links the queued
entries and writes them. Every session chains what it queued just before it commits (a
``before_commit`` hook), so the head is held only over that last step and the commit, never
over the caller's whole transaction, and no write can commit without its entries.

``hash = sha256(hash_previo || canonical)``, where ``hash_previo`` is the previous entry's hash
as 64 ASCII hex digits (64 zeros for the first entry) and ``canonical`` is the UTF-8 JSON array
``[id, momento, actor, accion, objeto, detalle]``: ``momento`` in ISO 8601 UTC with
microseconds, ``detalle`` an object with sorted keys, no spaces, no floats.

A chain shows any edited or deleted entry except the last ones: whoever can delete the tail
(and move the head row back) leaves a shorter chain that still verifies. A ``Checkpoint`` of
the head, signed and timestamped by the caller and kept outside the database, catches that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeAlias

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction

from docservice.errors import EntradaInvalida, ErrorInterno
from docservice.ledger.tables import (
    GENESIS_HASH,
    Base,
    CabezaAuditoria,
    EventoAuditoria,
    as_utc,
)

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"
Detalle: TypeAlias = Mapping[str, JsonValue]

HEAD_ID = 1
_PENDING = "docservice_auditoria_pendiente"
"""Key of ``Session.info`` under which ``append`` queues entries for ``chain``."""
_HEAD = Base.metadata.tables[CabezaAuditoria.__tablename__]
_EVENTS = Base.metadata.tables[EventoAuditoria.__tablename__]
_LIMITS = {"actor": 100, "accion": 64, "objeto": 200}


@dataclass(frozen=True)
class AuditReport:
    """The result of walking the chain: it never raises for a broken chain."""

    ok: bool
    checked: int
    """Entries that verified before the first problem (all of them when ``ok``)."""
    first_bad_id: int | None = None
    """The first entry that is altered, missing, or out of step with the checkpoint."""
    reason: str | None = None
    """What is wrong, in Spanish, for the auditor."""


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment: sign and timestamp ``canonical_bytes()``, store it apart."""

    last_id: int
    last_hash: str
    count: int
    momento: datetime

    def canonical_bytes(self) -> bytes:
        """The bytes to sign: a JSON array with a fixed field order."""
        return canonical([self.last_id, self.last_hash, self.count, iso_moment(self.momento)])

    def to_json(self) -> str:
        return canonical_text(
            {
                "last_id": self.last_id,
                "last_hash": self.last_hash,
                "count": self.count,
                "momento": iso_moment(self.momento),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        try:
            data = json.loads(text)
            momento = datetime.fromisoformat(data["momento"])
            return cls(int(data["last_id"]), str(data["last_hash"]), int(data["count"]), momento)
        except (ValueError, KeyError, TypeError) as exc:
            raise EntradaInvalida(f"el punto de control no es válido: {exc}") from exc


def iso_moment(moment: datetime) -> str:
    """UTC ISO 8601 with microseconds; naive values (SQLite reads them back so) are UTC."""
    return as_utc(moment).isoformat(timespec="microseconds")


def _check_json(value: object, where: str) -> None:
    if isinstance(value, float):
        raise EntradaInvalida(f"el detalle de auditoría no admite números decimales ({where})")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise EntradaInvalida(f"las llaves del detalle deben ser texto ({where})")
            _check_json(item, f"{where}/{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{where}/{index}")
    elif not isinstance(value, str | int | bool) and value is not None:
        raise EntradaInvalida(f"valor no admitido en el detalle de auditoría ({where})")


def canonical_text(value: object) -> str:
    """Compact JSON with sorted keys; floats and non-JSON values are refused."""
    _check_json(value, "")
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def canonical(value: object) -> bytes:
    return canonical_text(value).encode("utf-8")


def entry_hash(
    hash_previo: str,
    *,
    entry_id: int,
    momento: datetime,
    actor: str,
    accion: str,
    objeto: str,
    detalle: object,
) -> str:
    fields = [entry_id, iso_moment(momento), actor, accion, objeto, detalle]
    return hashlib.sha256(hash_previo.encode("ascii") + canonical(fields)).hexdigest()


@dataclass(frozen=True)
class _Pending:
    """An entry queued in a transaction, its canonical JSON made before the head is locked."""

    actor: str
    accion: str
    objeto: str
    detalle_text: str
    tail: str
    """``canonical([actor, accion, objeto, detalle])`` without its ``[``: what follows the id
    and the moment in the entry's canonical array."""


def append(session: Session, actor: str, accion: str, objeto: str, detalle: Detalle) -> None:
    """Queue one entry in ``session``'s transaction; ``chain`` links and writes it.

    Nothing is locked here: the entry is chained when the transaction commits (or earlier,
    by calling ``chain``), so the head is held only from its last statements to the commit.
    """
    for name, value in (("actor", actor), ("accion", accion), ("objeto", objeto)):
        if not value or len(value) > _LIMITS[name]:
            raise EntradaInvalida(f"«{name}» debe tener entre 1 y {_LIMITS[name]} caracteres")
    detalle_text = canonical_text(dict(detalle))
    tail = canonical_text([actor, accion, objeto, json.loads(detalle_text)])[1:]
    session.info.setdefault(_PENDING, []).append(
        _Pending(actor, accion, objeto, detalle_text, tail)
    )


def chain(session: Session) -> list[int]:
    """Write the queued entries as the transaction's last statements; returns their ids.

    The caller's own rows are flushed first, so the head row is locked only for one read, one
    write and the commit that follows, never while the caller's statements run or wait.
    """
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if not pending:
        return []
    session.flush()
    connection = session.connection()
    locked = select(_HEAD.c.ultimo_id, _HEAD.c.ultimo_hash).where(_HEAD.c.id == HEAD_ID)
    last_id, last_hash = connection.execute(locked.with_for_update()).one()
    ids: list[int] = []
    rows: list[dict[str, object]] = []
    for entry in pending:
        momento = datetime.now(UTC)
        last_id += 1
        canonical_bytes = f'[{last_id},"{iso_moment(momento)}",{entry.tail}'.encode()
        digest = hashlib.sha256(last_hash.encode("ascii") + canonical_bytes).hexdigest()
        rows.append(
            {
                "id": last_id,
                "momento": momento,
                "actor": entry.actor,
                "accion": entry.accion,
                "objeto": entry.objeto,
                "detalle": entry.detalle_text,
                "hash_previo": last_hash,
                "hash": digest,
            }
        )
        ids.append(last_id)
        last_hash = digest
    move = (
        update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(ultimo_id=last_id, ultimo_hash=last_hash)
    )
    try:
        if connection.dialect.name == "postgresql":  # one round trip while the head is held
            connection.execute(move.add_cte(insert(_EVENTS).values(rows).cte("nuevas")))
        else:
            connection.execute(insert(_EVENTS), rows)
            connection.execute(move)
    except IntegrityError as exc:
        raise ErrorInterno("no se pudo registrar el evento de auditoría") from exc
    return ids


@event.listens_for(Session, "before_commit")
def _chain_before_commit(session: Session) -> None:
    """Whatever a transaction queued is chained as its last statements, whoever opened it."""
    chain(session)


@event.listens_for(Session, "after_transaction_end")
def _drop_unchained(session: Session, transaction: SessionTransaction) -> None:
    """Entries queued in a transaction that rolled back go with it, not into the next one."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def checkpoint(session: Session) -> Checkpoint:
    head = session.get_one(CabezaAuditoria, HEAD_ID)
    count = session.scalar(select(func.count()).select_from(EventoAuditoria)) or 0
    return Checkpoint(head.ultimo_id, head.ultimo_hash, count, datetime.now(UTC))


def _entry_problem(row: EventoAuditoria, expected_id: int, previous_hash: str) -> str | None:
    if row.id != expected_id:
        missing = (
            f"la entrada {expected_id}"
            if row.id == expected_id + 1
            else f"las entradas {expected_id} a {row.id - 1}"
        )
        return f"falta {missing}: se borró de la bitácora"
    if row.hash_previo != previous_hash:
        return f"la entrada {row.id} no encadena con la anterior (hash_previo distinto)"
    try:
        detalle = json.loads(row.detalle)
        digest = entry_hash(
            row.hash_previo,
            entry_id=row.id,
            momento=row.momento,
            actor=row.actor,
            accion=row.accion,
            objeto=row.objeto,
            detalle=detalle,
        )
    except (ValueError, EntradaInvalida):
        return f"la entrada {row.id} tiene un detalle que no es JSON canónico: fue alterada"
    if digest != row.hash:
        return f"el contenido de la entrada {row.id} no corresponde a su hash: fue alterada"
    return None


@dataclass
class _Walk:
    """How far a walk along the chain got."""

    checked: int = 0
    last_id: int = 0
    last_hash: str = GENESIS_HASH
    hash_at_checkpoint: str | None = None
    failure: AuditReport | None = None


def _walk(rows: Iterable[EventoAuditoria], since: Checkpoint | None) -> _Walk:
    walk = _Walk()
    if since is not None and since.last_id == 0:
        walk.hash_at_checkpoint = GENESIS_HASH
    for row in rows:
        expected_id = walk.last_id + 1
        problem = _entry_problem(row, expected_id, walk.last_hash)
        if problem:
            walk.failure = AuditReport(False, walk.checked, min(row.id, expected_id), problem)
            return walk
        if since is not None and row.id == since.last_id:
            walk.hash_at_checkpoint = row.hash
        walk.checked, walk.last_id, walk.last_hash = walk.checked + 1, row.id, row.hash
    return walk


def verify(session: Session, since: Checkpoint | None = None) -> AuditReport:
    """Walk the chain from the first entry; compare its end with the head and ``since``."""
    query = select(EventoAuditoria).order_by(EventoAuditoria.id)
    rows = session.scalars(query.execution_options(yield_per=500))
    try:
        walk = _walk(rows, since)
    finally:
        rows.close()  # a server-side cursor on PostgreSQL
    if walk.failure is not None:
        return walk.failure
    head = session.get_one(CabezaAuditoria, HEAD_ID)
    if (head.ultimo_id, head.ultimo_hash) != (walk.last_id, walk.last_hash):
        reason = (
            f"la cabeza de la bitácora apunta a la entrada {head.ultimo_id} pero la última "
            f"es la {walk.last_id}: se borraron o reescribieron entradas del final"
        )
        return AuditReport(False, walk.checked, walk.last_id + 1, reason)
    if since is not None:
        return _against_checkpoint(since, walk.checked, walk.last_id, walk.hash_at_checkpoint)
    return AuditReport(True, walk.checked)


def _against_checkpoint(
    since: Checkpoint, checked: int, last_id: int, hash_at_checkpoint: str | None
) -> AuditReport:
    if last_id < since.last_id or checked < since.count:
        reason = (
            f"la bitácora termina en la entrada {last_id} ({checked} entradas) pero el punto "
            f"de control del {iso_moment(since.momento)} llega a la {since.last_id} "
            f"({since.count} entradas): se borró el final de la bitácora"
        )
        return AuditReport(False, checked, last_id + 1, reason)
    if hash_at_checkpoint != since.last_hash:
        reason = (
            f"la entrada {since.last_id} no coincide con el punto de control del "
            f"{iso_moment(since.momento)}: la bitácora fue reescrita"
        )
        return AuditReport(False, checked, since.last_id, reason)
    return AuditReport(True, checked)
