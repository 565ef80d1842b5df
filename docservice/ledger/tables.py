"""SQLAlchemy 2 models of the ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


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
