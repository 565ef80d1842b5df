"""Adapter: the legal staff's page sessions and failed-login counters, in the ledger database.

Both live in the database, not in the process, so every service process sharing the ledger
sees the same sessions (a logout anywhere ends it everywhere) and the same lockouts. A session
row keeps the SHA-256 of the random id the cookie carries, so reading the table gives no
usable cookie; it names the API key, so a revoked key ends its sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from docservice.ledger.engine import Transactions, is_sqlite
from docservice.ledger.tables import ApiKey, IntentoIngreso, SesionWeb, as_utc
from docservice.model import Caller, Rol


@dataclass(frozen=True)
class LoginPolicy:
    """``fallos`` failures within ``ventana`` lock a counter's key for ``bloqueo``."""

    fallos: int
    ventana: timedelta
    bloqueo: timedelta


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    """Sessions (create, look up, delete) and failed-login counters of one database."""

    def __init__(self, engine: Engine, *, lock_timeout_s: float = 10.0) -> None:
        self._engine = engine
        self._tx = Transactions(engine, lock_timeout_s=lock_timeout_s)

    # --- sessions ----------------------------------------------------------------------------

    def open(self, key_sha256: str, now: datetime, duracion: timedelta) -> str | None:
        """A new session id for the (unrevoked) key, or None; expired rows are purged here."""
        session_id = secrets.token_urlsafe(32)
        with self._tx.write() as session:
            key_id = session.scalar(
                select(ApiKey.id).where(ApiKey.sha256 == key_sha256, ApiKey.revocada.is_(None))
            )
            if key_id is None:
                return None
            session.execute(delete(SesionWeb).where(SesionWeb.expira <= now))
            session.add(
                SesionWeb(
                    id_sha256=_digest(session_id),
                    api_key_id=key_id,
                    creada=now,
                    expira=now + duracion,
                )
            )
        return session_id

    def caller(self, session_id: str, now: datetime) -> Caller | None:
        """Who holds the session: None when unknown, expired, logged out or its key revoked."""
        with self._tx.read() as session:
            row = session.execute(
                select(ApiKey.nombre, ApiKey.rol)
                .join(SesionWeb, SesionWeb.api_key_id == ApiKey.id)
                .where(
                    SesionWeb.id_sha256 == _digest(session_id),
                    SesionWeb.expira > now,
                    ApiKey.revocada.is_(None),
                )
            ).one_or_none()
        return None if row is None else Caller(nombre=row.nombre, rol=Rol(row.rol))

    def close(self, session_id: str) -> None:
        """Delete the session: its cookie is worthless from now on, in every process."""
        with self._tx.write() as session:
            session.execute(delete(SesionWeb).where(SesionWeb.id_sha256 == _digest(session_id)))

    # --- failed logins -----------------------------------------------------------------------

    def locked_until(self, claves: Sequence[str], now: datetime) -> datetime | None:
        """The latest lockout in force on any of ``claves``, if any."""
        with self._tx.read() as session:
            values = session.scalars(
                select(IntentoIngreso.bloqueada_hasta).where(IntentoIngreso.clave.in_(claves))
            ).all()
        active = [as_utc(v) for v in values if v is not None and as_utc(v) > now]
        return max(active, default=None)

    def record_failure(
        self, claves: Sequence[str], now: datetime, policy: LoginPolicy
    ) -> datetime | None:
        """Count one failure on each key; the lockout it starts (or the one in force), if any."""
        stale = now - policy.ventana - policy.bloqueo
        with self._tx.write() as session:
            session.execute(
                delete(IntentoIngreso).where(
                    IntentoIngreso.desde < stale,
                    IntentoIngreso.bloqueada_hasta.is_(None)
                    | (IntentoIngreso.bloqueada_hasta < now),
                )
            )
            self._ensure_rows(session, claves, now)
            rows = session.scalars(
                select(IntentoIngreso)
                .where(IntentoIngreso.clave.in_(claves))
                .order_by(IntentoIngreso.clave)
                .with_for_update()
            ).all()
            for row in rows:
                _count(row, now, policy)
            ends = [as_utc(r.bloqueada_hasta) for r in rows if r.bloqueada_hasta is not None]
        active = [end for end in ends if end > now]
        return max(active, default=None)

    def _ensure_rows(self, session: Session, claves: Sequence[str], now: datetime) -> None:
        """Insert missing counters; a row another process inserted meanwhile is left alone."""
        dialect = sqlite if is_sqlite(self._engine) else postgresql
        values = [{"clave": c, "fallos": 0, "desde": now} for c in claves]
        statement = dialect.insert(IntentoIngreso).on_conflict_do_nothing()
        session.execute(statement, values)


def _count(row: IntentoIngreso, now: datetime, policy: LoginPolicy) -> None:
    if row.bloqueada_hasta is not None and as_utc(row.bloqueada_hasta) > now:
        return  # attempts during a lockout neither count nor extend it
    if row.fallos == 0 or now - as_utc(row.desde) > policy.ventana:
        row.fallos, row.desde = 0, now
    row.fallos += 1
    if row.fallos >= policy.fallos:
        row.bloqueada_hasta = now + policy.bloqueo
        row.fallos = 0


__all__ = ["LoginPolicy", "SessionStore"]
