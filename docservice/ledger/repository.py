"""Adapter: the ledger database (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from docservice.errors import Conflicto, EntradaInvalida
from docservice.ledger.tables import ApiKey, Base, Documento
from docservice.model import Caller, Rol

KEY_PREFIX = "ds_"


@dataclass(frozen=True)
class DocumentRecord:
    """What is recorded of every produced document."""

    id: str
    plantilla: str
    plantilla_version: int
    plantilla_sha256: str
    datos_sha256: str
    contenido_sha256: str
    formato: str
    bytes: int
    solicitante: str
    creado: datetime


def _hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL and a busy timeout, and its folder is created."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Ledger:
    """Keys and produced documents."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def create_api_key(self, nombre: str, rol: Rol) -> str:
        """A new key for ``nombre``; the plaintext is returned once and never stored."""
        nombre = nombre.strip()
        if not nombre or len(nombre) > 100:
            raise EntradaInvalida("el nombre de la llave debe tener entre 1 y 100 caracteres")
        token = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKey(
            nombre=nombre, rol=rol.value, sha256=_hash_key(token), creada=datetime.now(UTC)
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError as exc:
            raise Conflicto(f"ya existe una llave con el nombre «{nombre}»") from exc
        return token

    def authenticate(self, token: str) -> Caller | None:
        """The caller behind ``token``, or None for an unknown or revoked key."""
        with self._sessions() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.sha256 == _hash_key(token)))
        if row is None or row.revocada is not None:
            return None
        return Caller(nombre=row.nombre, rol=Rol(row.rol))

    def record_document(self, record: DocumentRecord) -> None:
        with self._sessions.begin() as session:
            session.add(Documento(**record.__dict__))

    def get_document(self, documento_id: str) -> DocumentRecord | None:
        with self._sessions() as session:
            row = session.get(Documento, documento_id)
            if row is None:
                return None
            return DocumentRecord(
                **{f: getattr(row, f) for f in DocumentRecord.__dataclass_fields__}
            )
