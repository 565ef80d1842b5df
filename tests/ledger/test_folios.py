"""Gapless folio series and constancia states, on SQLite and PostgreSQL (research §6: L2, L11)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from docservice.errors import Conflicto, EntradaInvalida, NoEncontrado
from docservice.ledger import Ledger
from tests.ledger.backends import postgres_schema


def reserve(ledger: Ledger, serie: str = "CNA", anio: int = 2026) -> str:
    return ledger.reserve_folio(serie, anio, solicitante="cobranza", plantilla="cna").folio


def confirm(ledger: Ledger, folio: str) -> None:
    ledger.confirm_folio(folio, documento_id=f"doc-{folio}", contenido_sha256="c" * 64)


def test_each_series_and_year_counts_from_one(ledger: Ledger) -> None:
    assert [reserve(ledger) for _ in range(3)] == [
        "CNA/2026/000001",
        "CNA/2026/000002",
        "CNA/2026/000003",
    ]
    assert reserve(ledger, anio=2027) == "CNA/2027/000001"
    assert reserve(ledger, serie="CNA-DF") == "CNA-DF/2026/000001"
    reservation = ledger.reserve_folio(
        "CNA",
        2026,
        solicitante="cobranza",
        plantilla="cna",
        plantilla_version=3,
        deudor_nombre="Comercial del Norte, S.A. de C.V.",
        deudor_rfc="CNO010101AB1",
        emisor="Subdelegación Centro",
    )
    stored = ledger.get_constancia(reservation.folio)
    assert stored is not None and stored.numero == 4 and stored.estado == "reservado"
    assert stored.deudor_rfc == "CNO010101AB1" and stored.plantilla_version == 3
    assert stored.reservado_en == reservation.reservado_en
    assert ledger.get_constancia("CNA/2026/000099") is None


@pytest.mark.parametrize(
    ("serie", "anio"), [("cna", 2026), ("CN/A", 2026), ("", 2026), ("CNA", 1999)]
)
def test_bad_series_are_refused(ledger: Ledger, serie: str, anio: int) -> None:
    with pytest.raises(EntradaInvalida):
        ledger.reserve_folio(serie, anio, solicitante="s", plantilla="cna")


def test_reserved_then_issued_then_cancelled_once(ledger: Ledger) -> None:
    folio = reserve(ledger)
    issued = ledger.confirm_folio(
        folio, documento_id="d-1", contenido_sha256="a" * 64, emisor="Subdelegación Centro"
    )
    assert issued.estado == "emitido" and issued.vigente and issued.emitido_en is not None
    assert issued.emisor == "Subdelegación Centro" and issued.documento_id == "d-1"
    with pytest.raises(Conflicto, match="está emitido"):
        confirm(ledger, folio)
    with pytest.raises(Conflicto):
        ledger.void_folio(folio, "no aplica a una emitida")

    cancelled = ledger.cancel_constancia(folio, "se emitió con el RFC equivocado", "jurídico")
    assert cancelled.estado == "emitido" and not cancelled.vigente
    assert cancelled.cancelada_por == "jurídico" and cancelled.cancelada_en is not None
    with pytest.raises(Conflicto, match="ya fue cancelada"):
        ledger.cancel_constancia(folio, "otra vez", "jurídico")


def test_only_an_issued_constancia_can_be_cancelled(ledger: Ledger) -> None:
    folio = reserve(ledger)
    with pytest.raises(Conflicto, match="reservado"):
        ledger.cancel_constancia(folio, "motivo", "jurídico")
    with pytest.raises(NoEncontrado):
        ledger.cancel_constancia("CNA/2026/000077", "motivo", "jurídico")
    confirm(ledger, folio)
    with pytest.raises(EntradaInvalida):
        ledger.cancel_constancia(folio, "   ", "jurídico")


def test_a_failure_after_reserving_voids_the_folio_and_leaves_no_gap(ledger: Ledger) -> None:
    """L2: rendering or signing failed after T1: the folio is voided with its reason."""
    confirm(ledger, reserve(ledger))
    failed = reserve(ledger)
    voided = ledger.void_folio(failed, "LibreOffice no respondió")
    assert voided.estado == "anulado" and voided.anulado_motivo == "LibreOffice no respondió"
    with pytest.raises(Conflicto, match="anulado"):
        confirm(ledger, failed)
    assert reserve(ledger) == "CNA/2026/000003"
    report = ledger.folio_series_report("CNA", 2026)
    assert report.ok and report.missing == () and report.highest == 3
    assert report.counts == {"emitido": 1, "anulado": 1, "reservado": 1}


def test_recovery_voids_only_stale_reservations(ledger: Ledger) -> None:
    stale, fresh = reserve(ledger), reserve(ledger)
    confirm(ledger, issued := reserve(ledger))
    with ledger.engine.begin() as conn:
        conn.execute(
            text("UPDATE constancia SET reservado_en = :t WHERE folio = :f"),
            {"t": datetime.now(UTC) - timedelta(minutes=30), "f": stale},
        )
    assert ledger.recover_stale_reservations(timedelta(minutes=10)) == [stale]
    assert ledger.recover_stale_reservations(timedelta(minutes=10)) == []
    states = {f: ledger.get_constancia(f) for f in (stale, fresh, issued)}
    assert {f: c.estado for f, c in states.items() if c} == {
        stale: "anulado",
        fresh: "reservado",
        issued: "emitido",
    }
    with pytest.raises(Conflicto, match="reserva vencida"):
        confirm(ledger, stale)  # the late renderer must discard its document
    assert ledger.verify_audit_chain().ok


def test_a_report_shows_a_missing_number(ledger: Ledger) -> None:
    for _ in range(3):
        confirm(ledger, reserve(ledger))
    with ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM constancia WHERE numero = 2"))
    report = ledger.folio_series_report("CNA", 2026)
    assert not report.ok and report.missing == (2,)


def test_a_postgresql_sequence_leaves_gaps() -> None:
    """L11, why folios never come from a sequence: a rolled-back nextval is not given back."""
    with postgres_schema() as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE SEQUENCE folio_ingenuo"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT nextval('folio_ingenuo')")).scalar_one() == 1
            conn.rollback()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT nextval('folio_ingenuo')")).scalar_one() == 2
        engine.dispose()
