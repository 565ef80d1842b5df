"""The Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from docservice.errors import BaseSinMigrar
from docservice.ledger import Ledger, upgrade
from docservice.ledger.migrate import MIGRATIONS_DIR, alembic_config, head_revision
from docservice.ledger.tables import Base
from docservice.model import Rol
from tests.ledger import workers
from tests.ledger.backends import database_url, migrated_ledger

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
    first = migrated_ledger(ledger_url)
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
    ledger = migrated_ledger(url)
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


def test_opening_never_migrates_and_says_what_to_run(ledger_url: str) -> None:
    with pytest.raises(BaseSinMigrar) as refused:
        Ledger(ledger_url)
    assert refused.value.http_status == 503 and refused.value.code == "base_sin_migrar"
    assert refused.value.mensaje.startswith(
        "la base de datos no está actualizada: ejecute `docservice db upgrade`"
    )
    engine = create_engine(ledger_url)
    assert TABLES.isdisjoint(inspect(engine).get_table_names())
    engine.dispose()


def test_a_schema_behind_the_code_is_refused_until_upgraded(ledger_url: str) -> None:
    engine = create_engine(ledger_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
    engine.dispose()
    with pytest.raises(BaseSinMigrar, match="está en la revisión 0003; se requiere la 0004"):
        Ledger(ledger_url)
    assert upgrade(ledger_url) == head_revision() == "0004"
    assert upgrade(ledger_url) == "0004"  # at head already: nothing runs
    Ledger(ledger_url).close()


@pytest.mark.usefixtures("spawnable")
def test_processes_upgrading_at_once_migrate_once(ledger_url: str, tmp_path: Path) -> None:
    """Six processes call ``upgrade`` together: all succeed, and between them they create the
    tables exactly as many times as one upgrade alone does."""
    backend = "sqlite" if ledger_url.startswith("sqlite") else "postgresql"
    with database_url(backend, tmp_path / "referencia") as reference:
        alone = workers.count_created_tables(lambda: upgrade(reference))[1]
    assert alone >= len(TABLES)
    results = workers.run_together(workers.upgrade_at_once, (ledger_url,), 6)
    assert [head for head, _ in results] == ["0004"] * 6
    assert sum(created for _, created in results) == alone
    assert sorted(created for _, created in results)[:-1] == [0] * 5  # one did all the work
    ledger = Ledger(ledger_url)
    assert ledger.verify_audit_chain().ok
    ledger.close()


def test_the_head_is_read_without_alembic() -> None:
    """Opening a ledger (the command line's cost) neither imports Alembic nor misreads the head."""
    code = (
        "import sys; from docservice.ledger import Ledger, migrate; "
        "print(migrate.head_revision(), 'alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.split() == [
        ScriptDirectory.from_config(alembic_config()).get_current_head(),
        "False",
    ]
