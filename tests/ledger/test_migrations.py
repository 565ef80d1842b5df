"""The Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from docservice.ledger import Ledger
from docservice.ledger.migrate import MIGRATIONS_DIR, alembic_config
from docservice.ledger.tables import Base
from docservice.model import Rol

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "api_key",
    "documento",
    "serie_folio",
    "constancia",
    "evento_auditoria",
    "plantilla_version",
    "sesion_web",
    "intento_ingreso",
}


def test_migrated_schema_matches_the_models(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == "0004"


def test_downgrade_and_upgrade_again(ledger: Ledger) -> None:
    with ledger.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert TABLES.isdisjoint(inspect(ledger.engine).get_table_names())
    with ledger.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    assert TABLES <= set(inspect(ledger.engine).get_table_names())
    assert ledger.verify_audit_chain().ok


def test_opening_twice_leaves_the_schema_alone(ledger_url: str) -> None:
    first = Ledger(ledger_url)
    token = first.create_api_key("cobranza", Rol.SISTEMA)
    first.close()
    second = Ledger(ledger_url)
    assert second.authenticate(token) is not None
    second.close()


def test_a_database_made_before_alembic_is_adopted(tmp_path: Path) -> None:
    """``create_all`` made ``api_key`` and ``documento``: kept with their rows, the rest added."""
    url = f"sqlite:///{tmp_path / 'antigua.db'}"
    legacy = create_engine(url)
    Base.metadata.tables["api_key"].create(legacy)
    Base.metadata.tables["documento"].create(legacy)
    with legacy.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO api_key (nombre, rol, sha256, creada)"
                " VALUES ('vieja', 'admin', :h, '2026-01-01 00:00:00')"
            ),
            {"h": "f" * 64},
        )
    legacy.dispose()
    ledger = Ledger(url)
    assert TABLES <= set(inspect(ledger.engine).get_table_names())
    with ledger.engine.connect() as conn:
        assert conn.execute(text("SELECT nombre FROM api_key")).scalar_one() == "vieja"
    assert ledger.reserve_folio("CNA", 2026, solicitante="s", plantilla="cna").numero == 1
    ledger.close()


def test_the_migrations_ship_with_the_package() -> None:
    """Every file of the migrations folder matches a ``package-data`` pattern."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["docservice"]
    package = ROOT / "docservice"
    shipped = [
        path
        for path in MIGRATIONS_DIR.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    names = {path.name for path in shipped}
    assert {"env.py", "script.py.mako"} <= names
    assert any(name.startswith("0001_") for name in names)
    for path in shipped:
        relative = PurePosixPath(path.relative_to(package).as_posix())
        assert any(relative.match(pattern) for pattern in patterns), relative


def test_folios_issued_before_0002_are_constancias(ledger_url: str) -> None:
    """Upgrading 0001 → 0002 keeps every folio and marks the old ones as constancias."""
    engine = create_engine(ledger_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO constancia (folio, serie, anio, numero, estado, plantilla,"
                " solicitante, reservado_en) VALUES ('VIEJA/2026/000001', 'VIEJA', 2026, 1,"
                " 'anulado', 'constancia_adeudos', 'prueba', '2026-01-01 00:00:00')"
            )
        )
        command.upgrade(alembic_config(conn), "head")
    engine.dispose()
    ledger = Ledger(ledger_url)
    record = ledger.get_constancia("VIEJA/2026/000001")
    ledger.close()
    assert record is not None and record.tipo == "constancia"
