"""Adapter: the ledger database (SQLite by default, PostgreSQL by URL).

Every write appends its audit entry in the same transaction, so a write is never recorded
without its entry, nor an entry without its write. The entries are chained when the
transaction commits (``audit.chain``): the head row is held only from there to the commit.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docservice.errors import Conflicto, EntradaInvalida
from docservice.ledger import audit, folios, migrate, versiones
from docservice.ledger.audit import AuditReport, Checkpoint, Detalle
from docservice.ledger.engine import Transactions, make_engine
from docservice.ledger.folios import ConstanciaRecord, FolioSeriesReport, Reservation
from docservice.ledger.tables import ApiKey, Constancia, Documento, as_utc
from docservice.ledger.versiones import VersionRecord
from docservice.model import Caller, Rol

KEY_PREFIX = "ds_"
RECOVERY_ACTOR = "recuperacion"


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


def _add_document(session: Session, record: DocumentRecord) -> None:
    """Insert the document row and its ``documento.generado`` audit entry."""
    detalle: Detalle = {
        k: v for k, v in asdict(record).items() if k not in ("id", "solicitante", "creado")
    }
    session.add(Documento(**asdict(record)))
    session.flush()
    audit.append(session, record.solicitante, "documento.generado", record.id, detalle)


def _document_record(row: Documento) -> DocumentRecord:
    values = {f.name: getattr(row, f.name) for f in fields(DocumentRecord)}
    return DocumentRecord(**(values | {"creado": as_utc(row.creado)}))


def _hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Ledger:
    """Keys, produced documents, folio series and the audit log of one database.

    Opening it never migrates: a schema behind the code raises ``BaseSinMigrar`` (run
    ``docservice.ledger.upgrade`` first). ``lock_timeout_s`` bounds how long a write waits for a
    lock (SQLite ``busy_timeout``, PostgreSQL ``lock_timeout``) before ``ServicioSaturado``.
    """

    def __init__(self, url: str, *, lock_timeout_s: float = 10.0) -> None:
        self.engine = make_engine(url, lock_timeout_s=lock_timeout_s)
        try:
            migrate.require_current(self.engine)
        except BaseException:
            self.engine.dispose()
            raise
        self._tx = Transactions(self.engine, lock_timeout_s=lock_timeout_s)

    def close(self) -> None:
        self.engine.dispose()

    # --- keys and documents ------------------------------------------------------------------

    def create_api_key(self, nombre: str, rol: Rol, *, actor: str = "sistema") -> str:
        """A new key for ``nombre``; the plaintext is returned once and never stored."""
        nombre = nombre.strip()
        if not nombre or len(nombre) > 100:
            raise EntradaInvalida("el nombre de la llave debe tener entre 1 y 100 caracteres")
        token = KEY_PREFIX + secrets.token_urlsafe(32)
        row = ApiKey(
            nombre=nombre, rol=rol.value, sha256=_hash_key(token), creada=datetime.now(UTC)
        )
        with self._tx.write() as session:
            session.add(row)
            try:
                session.flush()
            except IntegrityError as exc:
                raise Conflicto(f"ya existe una llave con el nombre «{nombre}»") from exc
            audit.append(
                session,
                actor,
                "llave.creada",
                f"api_key:{row.id}",
                {"nombre": nombre, "rol": rol.value},
            )
        return token

    def authenticate(self, token: str) -> Caller | None:
        """The caller behind ``token``, or None for an unknown or revoked key."""
        return self.authenticate_digest(_hash_key(token))

    def authenticate_digest(self, digest: str) -> Caller | None:
        """As ``authenticate``, from the key's SHA-256 (what a session keeps, never the key)."""
        with self._tx.read() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.sha256 == digest))
        if row is None or row.revocada is not None:
            return None
        return Caller(nombre=row.nombre, rol=Rol(row.rol))

    def record_document(self, record: DocumentRecord) -> None:
        """Record a produced document and its ``documento.generado`` audit entry."""
        with self._tx.write() as session:
            _add_document(session, record)

    def get_document(self, documento_id: str) -> DocumentRecord | None:
        with self._tx.read() as session:
            row = session.get(Documento, documento_id)
            if row is None:
                return None
            return _document_record(row)

    def document_by_content(self, sha256: str) -> DocumentRecord | None:
        """The document whose produced file has this SHA-256 (the latest, if several)."""
        with self._tx.read() as session:
            row = session.scalars(
                select(Documento)
                .where(Documento.contenido_sha256 == sha256)
                .order_by(Documento.creado.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            return _document_record(row)

    def constancia_by_document(self, documento_id: str) -> ConstanciaRecord | None:
        with self._tx.read() as session:
            row = session.scalars(
                select(Constancia).where(Constancia.documento_id == documento_id)
            ).first()
            return None if row is None else ConstanciaRecord.of(row)

    # --- folios and constancias ---------------------------------------------------------------

    def reserve_folio(
        self,
        serie: str,
        anio: int,
        *,
        solicitante: str,
        tipo: str = "constancia",
        plantilla: str,
        plantilla_version: int | None = None,
        deudor_nombre: str | None = None,
        deudor_rfc: str | None = None,
        emisor: str | None = None,
    ) -> Reservation:
        """Take the next folio of ``serie``/``anio`` in one short transaction (``reservado``).

        Render and sign outside any transaction, then ``confirm_folio`` or ``void_folio``.
        """
        data: dict[str, str | int | None] = {
            "solicitante": solicitante,
            "plantilla": plantilla,
            "plantilla_version": plantilla_version,
            "deudor_nombre": deudor_nombre,
            "deudor_rfc": deudor_rfc,
            "emisor": emisor,
        }
        with self._tx.write() as session:
            reservation = folios.reserve(session, serie, anio, tipo, **data)
            detalle: Detalle = {
                "tipo": tipo,
                "plantilla": plantilla,
                "plantilla_version": plantilla_version,
            }
            audit.append(session, solicitante, "folio.reservado", reservation.folio, detalle)
        return reservation

    def confirm_folio(
        self,
        folio: str,
        *,
        documento_id: str,
        contenido_sha256: str,
        emisor: str | None = None,
        actor: str | None = None,
    ) -> ConstanciaRecord:
        """``reservado`` → ``emitido``; Conflicto when the folio was voided meanwhile."""
        with self._tx.write() as session:
            row = folios.confirm(
                session,
                folio,
                documento_id=documento_id,
                contenido_sha256=contenido_sha256,
                emisor=emisor,
            )
            detalle: Detalle = {"documento_id": documento_id, "contenido_sha256": contenido_sha256}
            audit.append(session, actor or row.solicitante, "folio.emitido", folio, detalle)
            return ConstanciaRecord.of(row)

    def issue_folio(
        self, folio: str, record: DocumentRecord, *, emisor: str | None = None
    ) -> ConstanciaRecord:
        """Record the finished document and mark its folio ``emitido``, in one transaction."""
        with self._tx.write() as session:
            _add_document(session, record)
            row = folios.confirm(
                session,
                folio,
                documento_id=record.id,
                contenido_sha256=record.contenido_sha256,
                emisor=emisor,
            )
            detalle: Detalle = {
                "documento_id": record.id,
                "contenido_sha256": record.contenido_sha256,
            }
            audit.append(session, record.solicitante, f"{row.tipo}.emitida", folio, detalle)
            return ConstanciaRecord.of(row)

    def void_folio(self, folio: str, motivo: str, *, actor: str | None = None) -> ConstanciaRecord:
        """``reservado`` → ``anulado`` (rendering or signing failed): the number is kept."""
        with self._tx.write() as session:
            row = folios.void(session, folio, motivo)
            detalle: Detalle = {"motivo": row.anulado_motivo}
            audit.append(session, actor or row.solicitante, "folio.anulado", folio, detalle)
            return ConstanciaRecord.of(row)

    def recover_stale_reservations(self, older_than: timedelta) -> list[str]:
        """Void every folio still ``reservado`` after ``older_than``; returns their folios."""
        cutoff = datetime.now(UTC) - older_than
        motivo = f"reserva vencida: no se confirmó en {older_than}"
        with self._tx.write() as session:
            rows = folios.stale_reservations(session, cutoff)
            for row in rows:
                row.estado, row.anulado_motivo = "anulado", motivo
                audit.append(
                    session, RECOVERY_ACTOR, "folio.anulado", row.folio, {"motivo": motivo}
                )
            return [row.folio for row in rows]

    def cancel_constancia(self, folio: str, motivo: str, por: str) -> ConstanciaRecord:
        """Cancel an issued constancia (it stops being in force); a second cancel is Conflicto."""
        with self._tx.write() as session:
            row = folios.cancel(session, folio, motivo, por)
            detalle: Detalle = {"motivo": row.cancelacion_motivo}
            audit.append(session, row.cancelada_por or por, "constancia.cancelada", folio, detalle)
            return ConstanciaRecord.of(row)

    def get_constancia(self, folio: str) -> ConstanciaRecord | None:
        with self._tx.read() as session:
            row = session.get(Constancia, folio)
            return None if row is None else ConstanciaRecord.of(row)

    def folio_series_report(self, serie: str, anio: int) -> FolioSeriesReport:
        """Is every number 1..max of the series accounted for?"""
        with self._tx.read() as session:
            return folios.series_report(session, serie, anio)

    # --- plantilla versions --------------------------------------------------------------------

    def add_version(self, record: VersionRecord, *, actor: str) -> None:
        """Record a new version (its files already in the blob store) and its audit entry."""
        with self._tx.write() as session:
            versiones.insert(session, record)
            detalle: Detalle = {
                "version": record.version,
                "estado": record.estado,
                "documento_sha256": record.documento_sha256,
                "schema_sha256": record.schema_sha256,
                "ejemplo_sha256": record.ejemplo_sha256,
                "manifest_sha256": record.manifest_sha256,
            }
            audit.append(session, actor, f"{record.tipo}.version_registrada", record.clave, detalle)

    def move_version(
        self,
        tipo: str,
        clave: str,
        version: int,
        *,
        accion: str,
        desde: str,
        hacia: str,
        actor: str,
        comentario: str | None = None,
    ) -> VersionRecord:
        """``desde`` → ``hacia`` if the version is still ``desde``; audited with the comment."""
        enviada_por = actor if accion == "enviar" else None
        with self._tx.write() as session:
            row = versiones.move(session, tipo, clave, version, desde=desde, hacia=hacia,
                                 comentario=comentario, enviada_por=enviada_por)  # fmt: skip
            detalle: Detalle = {
                "version": version,
                "de": desde,
                "a": hacia,
                "comentario": comentario,
            }
            audit.append(session, actor, f"{tipo}.{accion}", clave, detalle)
            return VersionRecord.of(row)

    def versions(self, tipo: str, clave: str) -> list[VersionRecord]:
        with self._tx.read() as session:
            return versiones.listed(session, tipo, clave)

    # --- audit log ----------------------------------------------------------------------------

    def audit(self, actor: str, accion: str, objeto: str, detalle: Detalle) -> int:
        """Append an entry for an operation recorded nowhere else (sign, certify, load)."""
        with self._tx.write() as session:
            audit.append(session, actor, accion, objeto, detalle)
            return audit.chain(session)[-1]

    def audit_checkpoint(self) -> Checkpoint:
        """The head of the chain now: sign and timestamp it, and keep it outside the database."""
        with self._tx.read() as session:
            return audit.checkpoint(session)

    def verify_audit_chain(self, since_checkpoint: Checkpoint | None = None) -> AuditReport:
        """Walk the whole chain; with a checkpoint, also detect a deleted or rewritten tail."""
        with self._tx.read() as session:
            return audit.verify(session, since_checkpoint)
