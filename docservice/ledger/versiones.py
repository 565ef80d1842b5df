"""Plantilla and leyenda versions in the ledger: content, hashes, state and who moved it.

The state machine lives in ``registry.flujo``; here a move is recorded (with its audit entry,
in the same transaction) only if the version is still in the state the caller saw, so two
reviewers acting at once cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docservice.errors import Conflicto, NoEncontrado
from docservice.ledger.tables import PlantillaVersion, as_utc


@dataclass(frozen=True)
class VersionRecord:
    tipo: str
    """``plantilla`` or ``leyenda``."""
    clave: str
    version: int
    estado: str
    documento_sha256: str
    """The .docx (or leyenda text) in the blob store."""
    schema_json: str
    ejemplo_json: str
    manifest_toml: str
    schema_sha256: str
    ejemplo_sha256: str
    manifest_sha256: str
    creada_por: str
    creada_en: datetime
    enviada_por: str | None
    actualizada_en: datetime
    comentario: str | None

    @classmethod
    def of(cls, row: PlantillaVersion) -> VersionRecord:
        values = {f.name: getattr(row, f.name) for f in fields(cls)}
        moments = {k: as_utc(v) for k, v in values.items() if isinstance(v, datetime)}
        return cls(**(values | moments))


def insert(session: Session, record: VersionRecord) -> None:
    row = PlantillaVersion(**{f.name: getattr(record, f.name) for f in fields(VersionRecord)})
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflicto(
            f"ya existe la versión {record.version} de «{record.clave}» ({record.tipo})"
        ) from exc


def locked(session: Session, tipo: str, clave: str, version: int) -> PlantillaVersion:
    row = session.scalars(
        select(PlantillaVersion)
        .where(
            PlantillaVersion.tipo == tipo,
            PlantillaVersion.clave == clave,
            PlantillaVersion.version == version,
        )
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise NoEncontrado(f"no existe la versión {version} de «{clave}»")
    return row


def move(
    session: Session,
    tipo: str,
    clave: str,
    version: int,
    *,
    desde: str,
    hacia: str,
    comentario: str | None,
    enviada_por: str | None = None,
) -> PlantillaVersion:
    row = locked(session, tipo, clave, version)
    if row.estado != desde:
        raise Conflicto(
            f"la versión {version} de «{clave}» ya está en «{row.estado}» (se esperaba «{desde}»)"
        )
    row.estado, row.comentario, row.actualizada_en = hacia, comentario, datetime.now(UTC)
    if enviada_por is not None:
        row.enviada_por = enviada_por
    return row


def listed(session: Session, tipo: str, clave: str) -> list[VersionRecord]:
    rows = session.scalars(
        select(PlantillaVersion)
        .where(PlantillaVersion.tipo == tipo, PlantillaVersion.clave == clave)
        .order_by(PlantillaVersion.version)
    )
    return [VersionRecord.of(row) for row in rows]
