"""The command line's structure: an explicit database upgrade, no start-up duties in commands,
lifecycle commands made from the state machine, and nothing heavy imported to start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import text
from typer.testing import CliRunner

from docservice.bootstrap import Services
from docservice.cli import app
from docservice.cli.versiones import COMMAND_OF_STEP
from docservice.config import Settings
from docservice.registry.flujo import PASOS
from tests.api.test_constancias_procesos import wait_ready
from tests.cli.test_cli import run
from tests.conftest import LEYENDAS, PLANTILLAS, ROOT
from tests.ledger.backends import migrated_ledger
from tests.signing import free_port


def _audit_actions(var_dir: Path) -> list[str]:
    ledger = migrated_ledger(Settings(var_dir=var_dir).effective_database_url)
    try:
        with ledger.engine.connect() as connection:
            rows = connection.execute(text("SELECT accion FROM evento_auditoria ORDER BY id"))
            return [row[0] for row in rows]
    finally:
        ledger.close()


def test_an_unmigrated_database_is_named_and_db_upgrade_migrates_once(tmp_path: Path) -> None:
    before = run(tmp_path, "keys", "create", "--role", "sistema", "--name", "cobranza",
                 upgrade=False)  # fmt: skip
    assert before.returncode == 1
    assert "error (base_sin_migrar)" in before.stderr
    assert "docservice db upgrade" in before.stderr
    first = run(tmp_path, "db", "upgrade", upgrade=False)
    assert first.returncode == 0, first.stderr
    assert "versión registrada: requerimiento_pago v2" in first.stdout
    assert "versión registrada: requerimiento_pago v1 (retirada)" in first.stdout
    assert "versión registrada: certificacion_copia v2" in first.stdout
    assert first.stdout.rstrip().endswith("base de datos actualizada")
    again = run(tmp_path, "db", "upgrade", upgrade=False)
    assert again.returncode == 0, again.stderr
    assert "versión registrada" not in again.stdout
    after = run(tmp_path, "keys", "create", "--role", "sistema", "--name", "cobranza")
    assert after.returncode == 0, after.stderr
    assert after.stdout.startswith("ds_")


def test_commands_perform_no_start_up_duties(tmp_path: Path) -> None:
    """Only the service lints, audits what it loaded and recovers folios at start."""
    assert run(tmp_path, "db", "upgrade", upgrade=False).returncode == 0
    audited = _audit_actions(tmp_path)
    commands = (
        ("templates", "list"),
        ("templates", "diff", "requerimiento_pago", "1", "2"),
        ("legends", "diff", "certificacion_copia", "1", "2"),
        ("audit", "verify"),
    )
    for args in commands:
        result = run(tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert _audit_actions(tmp_path) == audited
    assert "plantilla.cargada" not in audited
    services = Services(
        Settings(var_dir=tmp_path, plantillas_dir=PLANTILLAS, leyendas_dir=LEYENDAS)
    )
    try:
        services.start_up()
    finally:
        services.close()
    loaded = _audit_actions(tmp_path)[len(audited) :]
    assert loaded.count("plantilla.cargada") >= len(list(PLANTILLAS.glob("*/manifest.toml")))
    assert loaded.count("leyenda.cargada") == len(list(LEYENDAS.glob("*/manifest.toml")))


def test_the_diff_of_two_plantilla_versions_names_what_changed(tmp_path: Path) -> None:
    diff = run(tmp_path, "templates", "diff", "requerimiento_pago", "1", "2")
    assert diff.returncode == 0, diff.stderr
    assert any(line.startswith("+") for line in diff.stdout.splitlines())
    missing = run(tmp_path, "templates", "diff", "requerimiento_pago", "1", "9")
    assert missing.returncode == 1
    assert "error (no_encontrado)" in missing.stderr


def test_every_step_of_the_state_machine_is_a_command_of_both_groups() -> None:
    """In process (Typer's runner): only the help texts are read."""
    assert set(COMMAND_OF_STEP) == set(PASOS)
    runner = CliRunner()
    for group in ("templates", "legends"):
        shown = runner.invoke(app, [group, "--help"], terminal_width=200)
        assert shown.exit_code == 0, shown.output
        for accion, command in COMMAND_OF_STEP.items():
            assert command in shown.output, (group, command)
            step = runner.invoke(app, [group, command, "--help"], terminal_width=200)
            paso = PASOS[accion]
            assert f"«{paso.desde.value}» a «{paso.hacia.value}»" in step.output


def test_the_command_line_starts_without_the_heavy_stacks() -> None:
    """``docservice`` imports neither the web framework, the signing stack nor docxtpl to
    start; a command imports what it uses when it runs."""
    probe = (
        "import sys, docservice.cli; "
        "print(sorted(m for m in ('fastapi', 'pyhanko', 'docxtpl', 'sqlalchemy', 'uvicorn') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_services_are_built_on_first_use(tmp_path: Path) -> None:
    services = Services(Settings(var_dir=tmp_path, plantillas_dir=PLANTILLAS))
    try:
        assert "requerimiento_pago" in services.registry.claves()
        built = set(vars(services))
        assert "registry" in built
        assert not built & {"ledger", "signers", "pool", "documentos", "versiones"}
    finally:
        services.close()


def test_serve_dev_on_a_new_database_prints_a_key_that_works(tmp_path: Path) -> None:
    """``make run``'s path: ``serve --dev`` on a folder no upgrade has touched."""
    port = free_port()
    env = os.environ | {
        "DOCSERVICE_VAR_DIR": str(tmp_path),
        "DOCSERVICE_PLANTILLAS_DIR": str(PLANTILLAS),
        "DOCSERVICE_LEYENDAS_DIR": str(LEYENDAS),
        "DOCSERVICE_CONVERT__WORKERS": "1",
    }
    env.pop("DOCSERVICE_DATABASE_URL", None)
    log = tmp_path / "servicio.log"
    command = [sys.executable, "-m", "docservice", "serve", "--dev", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(process, base, log)
        key = (tmp_path / "dev-api-key").read_text().strip()
        assert "llave de desarrollo (rol admin" in log.read_text() and key in log.read_text()
        listed = httpx.get(f"{base}/v1/plantillas", headers={"Authorization": f"Bearer {key}"})
        assert listed.status_code == 200, listed.text
        assert "requerimiento_pago" in listed.text
    finally:
        process.terminate()
        process.wait(timeout=60)
