"""Gapless folio series: reserve on a locked counter row, then issue or void.

Each function works inside the caller's write transaction. A number is taken by locking the
series' counter row and advancing it in the same transaction that inserts the ``reservado``
row, so a rollback returns the number and no two transactions get the same one. Never a
database sequence (rollbacks leave gaps) and never ``MAX()+1`` (races give duplicates).
The invariant: for each serie and año, every integer 1..max has exactly one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from docservice.errors import (
    Conflicto,
    ConstanciaYaCancelada,
    EntradaInvalida,
    ErrorInterno,
    FolioNoEncontrado,
)
from docservice.ledger.tables import TIPOS_FOLIO, Constancia, SerieFolio, as_utc

SERIE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
FOLIO_PATTERN = re.compile(r"(?P<serie>[A-Z0-9][A-Z0-9-]{0,19})/(?P<anio>\d{4})/(?P<numero>\d{6,})")
MAX_MOTIVO = 500


@dataclass(frozen=True)
class Reservation:
    """A folio taken for one document about to be rendered and signed."""

    folio: str
    serie: str
    anio: int
    numero: int
    reservado_en: datetime


Vigencia = Literal["vigente", "cancelada", "anulada", "en_proceso"]
"""A folio as the public and auditors see it: in force, cancelled, voided, or being issued."""


@dataclass(frozen=True)
class ConstanciaRecord:
    """Everything the ledger keeps of one folio."""

    folio: str
    serie: str
    anio: int
    numero: int
    estado: str
    """``reservado``, ``emitido`` or ``anulado``."""
    tipo: str
    """``constancia`` or ``certificacion`` (a certified copy)."""
    documento_id: str | None
    plantilla: str
    plantilla_version: int | None
    contenido_sha256: str | None
    deudor_nombre: str | None
    deudor_rfc: str | None
    emisor: str | None
    solicitante: str
    reservado_en: datetime
    emitido_en: datetime | None
    anulado_motivo: str | None
    cancelada_en: datetime | None
    cancelacion_motivo: str | None
    cancelada_por: str | None

    @property
    def vigencia(self) -> Vigencia:
        """What the folio means to whoever checks it (the ledger's ``estado`` is internal)."""
        if self.estado == "anulado":
            return "anulada"
        if self.estado == "reservado":
            return "en_proceso"
        return "cancelada" if self.cancelada_en is not None else "vigente"

    @property
    def vigente(self) -> bool:
        """Issued and not cancelled."""
        return self.estado == "emitido" and self.cancelada_en is None

    @classmethod
    def of(cls, row: Constancia) -> ConstanciaRecord:
        values = {f.name: getattr(row, f.name) for f in fields(cls)}
        moments = {k: as_utc(v) for k, v in values.items() if isinstance(v, datetime)}
        return cls(**(values | moments))


def format_folio(serie: str, anio: int, numero: int) -> str:
    """``SERIE/AAAA/NNNNNN``."""
    return f"{serie}/{anio:04d}/{numero:06d}"


def check_serie(serie: str, anio: int) -> None:
    if not SERIE_PATTERN.fullmatch(serie):
        raise EntradaInvalida(
            f"serie de folios inválida «{serie}»: de 1 a 20 mayúsculas, dígitos o guiones"
        )
    if not 2000 <= anio <= 2999:
        raise EntradaInvalida(f"año de folio inválido: {anio}")


def check_motivo(motivo: str) -> str:
    motivo = motivo.strip()
    if not motivo or len(motivo) > MAX_MOTIVO:
        raise EntradaInvalida(f"el motivo debe tener entre 1 y {MAX_MOTIVO} caracteres")
    return motivo


def _locked_counter(session: Session, serie: str, anio: int) -> SerieFolio | None:
    query = select(SerieFolio).where(SerieFolio.serie == serie, SerieFolio.anio == anio)
    return session.scalars(query.with_for_update()).one_or_none()


def _create_counter(session: Session, serie: str, anio: int) -> None:
    """The counter row of a new series; a concurrent creator makes this a no-op."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {"serie": serie, "anio": anio, "siguiente": 1}
    session.execute(insert(SerieFolio).values(values).on_conflict_do_nothing())


def take_number(session: Session, serie: str, anio: int) -> int:
    """The next number of the series; the counter stays locked until the transaction ends."""
    counter = _locked_counter(session, serie, anio)
    if counter is None:
        _create_counter(session, serie, anio)
        counter = _locked_counter(session, serie, anio)
        if counter is None:  # just inserted, by us or by a peer: it must be there
            raise ErrorInterno(f"no se pudo crear el contador de la serie {serie}/{anio}")
    numero = counter.siguiente
    counter.siguiente = numero + 1
    return numero


def reserve(
    session: Session, serie: str, anio: int, tipo: str, **data: str | int | None
) -> Reservation:
    """Take a number and insert its row ``reservado`` with ``data`` (the constancia fields)."""
    check_serie(serie, anio)
    if tipo not in TIPOS_FOLIO:
        raise EntradaInvalida(f"tipo de folio desconocido: «{tipo}»")
    numero = take_number(session, serie, anio)
    folio = format_folio(serie, anio, numero)
    now = datetime.now(UTC)
    row = Constancia(
        folio=folio,
        serie=serie,
        anio=anio,
        numero=numero,
        estado="reservado",
        tipo=tipo,
        reservado_en=now,
    )
    for name, value in data.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    return Reservation(folio, serie, anio, numero, now)


def locked_constancia(session: Session, folio: str) -> Constancia:
    row = session.scalars(
        select(Constancia).where(Constancia.folio == folio).with_for_update()
    ).one_or_none()
    if row is None:
        raise FolioNoEncontrado(f"no existe el folio {folio}")
    return row


def _require_reserved(row: Constancia, action: str) -> None:
    if row.estado != "reservado":
        raise Conflicto(
            f"no se puede {action} el folio {row.folio}: está {row.estado}"
            + (f" ({row.anulado_motivo})" if row.anulado_motivo else "")
        )


def confirm(
    session: Session, folio: str, *, documento_id: str, contenido_sha256: str, **data: str | None
) -> Constancia:
    """``reservado`` → ``emitido`` with the produced document's id and hash."""
    row = locked_constancia(session, folio)
    _require_reserved(row, "emitir")
    row.estado, row.emitido_en = "emitido", datetime.now(UTC)
    row.documento_id, row.contenido_sha256 = documento_id, contenido_sha256
    for name, value in data.items():
        if value is not None:
            setattr(row, name, value)
    return row


def void(session: Session, folio: str, motivo: str) -> Constancia:
    """``reservado`` → ``anulado``: the number stays accounted for, with its reason."""
    row = locked_constancia(session, folio)
    _require_reserved(row, "anular")
    row.estado, row.anulado_motivo = "anulado", check_motivo(motivo)
    return row


def stale_reservations(session: Session, cutoff: datetime) -> list[Constancia]:
    """Rows still ``reservado`` since before ``cutoff``, locked."""
    query = (
        select(Constancia)
        .where(Constancia.estado == "reservado", Constancia.reservado_en < cutoff)
        .order_by(Constancia.serie, Constancia.anio, Constancia.numero)
        .with_for_update()
    )
    return list(session.scalars(query))


def cancel(session: Session, folio: str, motivo: str, por: str) -> Constancia:
    """Cancel an issued constancia: it stays ``emitido`` but is no longer in force."""
    row = locked_constancia(session, folio)
    if row.estado != "emitido":
        raise Conflicto(
            f"solo se cancela una constancia emitida; el folio {folio} está {row.estado}"
        )
    if row.cancelada_en is not None:
        raise ConstanciaYaCancelada(
            f"la constancia {folio} ya fue cancelada el {row.cancelada_en:%Y-%m-%d}"
        )
    por = por.strip()
    if not por or len(por) > 100:
        raise EntradaInvalida("quien cancela debe tener entre 1 y 100 caracteres")
    row.cancelada_en, row.cancelacion_motivo, row.cancelada_por = (
        datetime.now(UTC),
        check_motivo(motivo),
        por,
    )
    return row


@dataclass(frozen=True)
class FolioSeriesReport:
    """The accounting of one series and year: every number 1..highest must have its row."""

    serie: str
    anio: int
    highest: int
    counts: dict[str, int]
    """Rows per estado."""
    missing: tuple[int, ...]
    counter_next: int | None
    """The counter row's ``siguiente`` (None when the series was never used)."""

    @property
    def ok(self) -> bool:
        return not self.missing and (self.counter_next or 1) == self.highest + 1


def series_report(session: Session, serie: str, anio: int) -> FolioSeriesReport:
    where = (Constancia.serie == serie, Constancia.anio == anio)
    numbers = set(session.scalars(select(Constancia.numero).where(*where)))
    counts = session.execute(
        select(Constancia.estado, func.count()).where(*where).group_by(Constancia.estado)
    )
    counter = session.get(SerieFolio, (serie, anio))
    highest = max(numbers, default=0)
    return FolioSeriesReport(
        serie=serie,
        anio=anio,
        highest=highest,
        counts={estado: count for estado, count in counts},
        missing=tuple(n for n in range(1, highest + 1) if n not in numbers),
        counter_next=counter.siguiente if counter else None,
    )
