"""A folio left ``reservado`` by a process that died is voided while the service runs.

No restart: the running app's sweeper voids reservations older than
``constancias.reserva_vencida_s`` every ``constancias.barrido_s``, on SQLite and PostgreSQL,
and the public page stops saying «En proceso». A reservation still in progress is left alone.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, update

from docservice.config import ConstanciaSettings, SignSettings
from docservice.convert import ConverterPool
from docservice.ledger import Ledger
from docservice.ledger.tables import Constancia
from docservice.servidor import create_app
from tests.conftest import folio_year, make_settings
from tests.ledger.backends import BACKENDS, database_url

SERIE = "BARRIDO"


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with database_url(request.param, tmp_path) as database:
        yield database


@pytest.fixture
def client(url: str, tmp_path: Path, sign_settings: SignSettings) -> Iterator[TestClient]:
    """A running app on ``url`` that sweeps every 0.2 s; its pool is never started."""
    settings = make_settings(tmp_path / "var", sign_settings).model_copy(
        update={
            "database_url": url,
            "constancias": ConstanciaSettings(reserva_vencida_s=600, barrido_s=0.2),
        }
    )
    pool = ConverterPool(settings.convert, settings.var_dir / "libreoffice")
    try:
        with TestClient(create_app(settings, pool=pool)) as running:
            yield running
    finally:
        pool.close()


def reserve(url: str) -> str:
    """A folio reserved by another process (its own ledger), committed, never confirmed."""
    ledger = Ledger(url)
    try:
        return ledger.reserve_folio(
            SERIE, folio_year(), solicitante="proceso-muerto", plantilla="constancia_adeudos"
        ).folio
    finally:
        ledger.close()


def age(url: str, folio: str, by: timedelta) -> None:
    """Move the reservation back in time: its process died ``by`` ago."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(Constancia)
                .where(Constancia.folio == folio)
                .values(reservado_en=datetime.now(UTC) - by)
            )
    finally:
        engine.dispose()


def public_state(client: TestClient, folio: str) -> str:
    response = client.get(f"/verificar/{folio}")
    assert response.status_code == 200, response.text
    return response.text


def estado(url: str, folio: str) -> str:
    ledger = Ledger(url)
    try:
        record = ledger.get_constancia(folio)
        assert record is not None
        return record.estado
    finally:
        ledger.close()


def test_a_dead_processs_folio_is_voided_while_serving(client: TestClient, url: str) -> None:
    stale, fresh = reserve(url), reserve(url)  # fresh: another process, still rendering
    time.sleep(0.5)  # a few sweeps: neither is old enough
    assert "En proceso" in public_state(client, stale)
    age(url, stale, timedelta(hours=1))  # the process that reserved it died an hour ago

    deadline = time.monotonic() + 10
    while estado(url, stale) == "reservado" and time.monotonic() < deadline:
        time.sleep(0.1)

    assert estado(url, stale) == "anulado", "la reserva vencida siguió reservada sin reinicio"
    page = public_state(client, stale)
    assert "En proceso" not in page and "Folio anulado" in page
    assert estado(url, fresh) == "reservado"
    assert "En proceso" in public_state(client, fresh)
    ledger = Ledger(url)
    try:
        record = ledger.get_constancia(stale)
        assert record is not None and record.anulado_motivo is not None
        assert record.anulado_motivo.startswith("reserva vencida: no se confirmó en 0:10:00")
        assert ledger.folio_series_report(SERIE, folio_year()).ok
        assert ledger.verify_audit_chain().ok
    finally:
        ledger.close()
