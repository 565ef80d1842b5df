"""SQLAlchemy 2 models of the ledger.

The schema is created and changed only by the Alembic migrations in ``migrations/``; a test
checks that the migrated schema and these models agree on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GENESIS_HASH = "0" * 64
"""``hash_previo`` of the first audit entry."""

ESTADOS_FOLIO = ("reservado", "emitido", "anulado")
TIPOS_FOLIO = ("constancia", "certificacion")


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime: SQLite reads ``DateTime(timezone=True)`` back naive (it was UTC)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ApiKey(Base):
    """An API key: only its SHA-256 is kept."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nombre: Mapped[str] = mapped_column(String(100), unique=True)
    rol: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    creada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revocada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Documento(Base):
    """A produced document: what made it, what it is, who asked and when."""

    __tablename__ = "documento"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plantilla: Mapped[str] = mapped_column(String(64), index=True)
    plantilla_version: Mapped[int] = mapped_column(Integer)
    plantilla_sha256: Mapped[str] = mapped_column(String(64))
    datos_sha256: Mapped[str] = mapped_column(String(64))
    contenido_sha256: Mapped[str] = mapped_column(String(64), index=True)
    formato: Mapped[str] = mapped_column(String(8))
    bytes: Mapped[int] = mapped_column(Integer)
    solicitante: Mapped[str] = mapped_column(String(100))
    creado: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SerieFolio(Base):
    """The counter of one folio series and year: ``siguiente`` is the next number to hand out.

    Locked (``SELECT … FOR UPDATE`` / ``BEGIN IMMEDIATE``) and advanced in the same transaction
    that inserts the reserved constancia, so a rollback gives the number back.
    """

    __tablename__ = "serie_folio"

    serie: Mapped[str] = mapped_column(String(20), primary_key=True)
    anio: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    siguiente: Mapped[int] = mapped_column(Integer)


class Constancia(Base):
    """One folio of a series: reserved, then issued or voided; an issued one may be cancelled."""

    __tablename__ = "constancia"
    __table_args__ = (
        UniqueConstraint("serie", "anio", "numero", name="uq_constancia_serie_anio_numero"),
        CheckConstraint("estado IN ('reservado', 'emitido', 'anulado')", name="estado"),
        CheckConstraint("numero >= 1", name="numero_positivo"),
        CheckConstraint("tipo IN ('constancia', 'certificacion')", name="tipo"),
    )

    folio: Mapped[str] = mapped_column(String(40), primary_key=True)
    serie: Mapped[str] = mapped_column(String(20))
    anio: Mapped[int] = mapped_column(Integer)
    numero: Mapped[int] = mapped_column(Integer)
    estado: Mapped[str] = mapped_column(String(10), index=True)
    tipo: Mapped[str] = mapped_column(String(20), server_default="constancia")
    documento_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    plantilla: Mapped[str] = mapped_column(String(64))
    plantilla_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contenido_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    deudor_nombre: Mapped[str | None] = mapped_column(String(300), nullable=True)
    deudor_rfc: Mapped[str | None] = mapped_column(String(13), nullable=True)
    emisor: Mapped[str | None] = mapped_column(String(100), nullable=True)
    solicitante: Mapped[str] = mapped_column(String(100))
    reservado_en: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    emitido_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    anulado_motivo: Mapped[str | None] = mapped_column(Text, nullable=True)
    cancelada_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancelacion_motivo: Mapped[str | None] = mapped_column(Text, nullable=True)
    cancelada_por: Mapped[str | None] = mapped_column(String(100), nullable=True)


class PlantillaVersion(Base):
    """One version of a plantilla or leyenda: its files' content, hashes and state.

    The .docx (or leyenda text) lives in the blob store under ``documento_sha256``; a published
    version's content never changes (only its state may move to ``retirada``).
    """

    __tablename__ = "plantilla_version"
    __table_args__ = (
        UniqueConstraint(
            "tipo", "clave", "version", name="uq_plantilla_version_tipo_clave_version"
        ),
        CheckConstraint(
            "estado IN ('borrador', 'en_revision', 'aprobada', 'publicada', 'retirada')",
            name="estado",
        ),
        CheckConstraint("tipo IN ('plantilla', 'leyenda')", name="tipo"),
        CheckConstraint("version >= 1", name="version_positiva"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tipo: Mapped[str] = mapped_column(String(10))
    clave: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    estado: Mapped[str] = mapped_column(String(12))
    documento_sha256: Mapped[str] = mapped_column(String(64))
    schema_json: Mapped[str] = mapped_column(Text)
    ejemplo_json: Mapped[str] = mapped_column(Text)
    manifest_toml: Mapped[str] = mapped_column(Text)
    schema_sha256: Mapped[str] = mapped_column(String(64))
    ejemplo_sha256: Mapped[str] = mapped_column(String(64))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    creada_por: Mapped[str] = mapped_column(String(100))
    creada_en: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    enviada_por: Mapped[str | None] = mapped_column(String(100), nullable=True)
    actualizada_en: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comentario: Mapped[str | None] = mapped_column(Text, nullable=True)


class EventoAuditoria(Base):
    """One entry of the hash-chained audit log; ids are consecutive from 1."""

    __tablename__ = "evento_auditoria"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    momento: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    accion: Mapped[str] = mapped_column(String(64), index=True)
    objeto: Mapped[str] = mapped_column(String(200), index=True)
    detalle: Mapped[str] = mapped_column(Text)
    hash_previo: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class CabezaAuditoria(Base):
    """The single row naming the last audit entry: the lock that serializes appends.

    The chain step that ends every write transaction (``audit.chain``) locks this row (``FOR
    UPDATE`` on PostgreSQL; ``BEGIN IMMEDIATE`` already holds the database on SQLite), reads
    the previous id and hash from it and moves it on.
    Locking the last ``evento_auditoria`` row instead would fork the chain on PostgreSQL: a
    waiter wakes up holding the row it locked, not the one inserted meanwhile.
    """

    __tablename__ = "auditoria_cabeza"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ultimo_id: Mapped[int] = mapped_column(Integer)
    ultimo_hash: Mapped[str] = mapped_column(String(64))


class SesionWeb(Base):
    """A legal-staff session of the pages: the cookie carries the id, only its SHA-256 is kept."""

    __tablename__ = "sesion_web"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )
    creada: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expira: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class IntentoIngreso(Base):
    """Failed logins counted per client address or per key prefix (``clave``), and the lockout."""

    __tablename__ = "intento_ingreso"

    clave: Mapped[str] = mapped_column(String(80), primary_key=True)
    fallos: Mapped[int] = mapped_column(Integer)
    desde: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    """Start of the counting window: the first failure not older than the window."""
    bloqueada_hasta: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
