"""The command line, run as a user would: a real process, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from docservice.bootstrap import Services
from docservice.cli import ensure_dev_key
from docservice.config import DEV_OFICIAL, Settings
from docservice.ledger import Ledger
from docservice.model import Rol
from docservice.sign import DevPki, SignerRegistry, sign_pdf
from tests import forgeries
from tests.conftest import LEYENDAS, PLANTILLAS, ROOT, folio_year, pdf_text
from tests.ledger.backends import migrated_ledger
from tests.pdfs import LETTER, pdf_of

_UPGRADED: set[Path] = set()


def upgraded(var_dir: Path) -> None:
    """What ``docservice db upgrade`` does, once per folder: schema and folder versions."""
    if var_dir in _UPGRADED:
        return
    services = Services(Settings(var_dir=var_dir, plantillas_dir=PLANTILLAS, leyendas_dir=LEYENDAS))
    try:
        services.upgrade()
    finally:
        services.close()
    _UPGRADED.add(var_dir)


def run(
    var_dir: Path, *args: str, extra_env: dict[str, str] | None = None, upgrade: bool = True
) -> subprocess.CompletedProcess[str]:
    """``docservice <args>`` in a process of its own; by default on an upgraded database."""
    if upgrade and "DOCSERVICE_DATABASE_URL" not in (extra_env or {}):
        upgraded(var_dir)
    env = (
        os.environ
        | {
            "DOCSERVICE_VAR_DIR": str(var_dir),
            "DOCSERVICE_PLANTILLAS_DIR": str(PLANTILLAS),
            "DOCSERVICE_LEYENDAS_DIR": str(LEYENDAS),
        }
        | (extra_env or {})
    )
    return subprocess.run(
        [sys.executable, "-m", "docservice", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.mark.libreoffice
def test_render_writes_the_pdf(tmp_path: Path) -> None:
    out = tmp_path / "req.pdf"
    result = run(
        tmp_path,
        "render",
        "requerimiento_pago",
        str(PLANTILLAS / "requerimiento_pago" / "ejemplo.json"),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    datos = json.loads((PLANTILLAS / "requerimiento_pago" / "ejemplo.json").read_text("utf-8"))
    assert datos["deudor"]["nombre"] in pdf_text(out.read_bytes())


def test_render_with_invalid_data_lists_fields_in_spanish(tmp_path: Path) -> None:
    bad = tmp_path / "malo.json"
    bad.write_text(json.dumps({"fecha": "2026-02-30"}))
    result = run(tmp_path, "render", "requerimiento_pago", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert "error (datos_invalidos)" in result.stderr
    assert "/fecha: no es una fecha válida" in result.stderr
    assert "/deudor: campo obligatorio ausente" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_render_malformed_json_and_unknown_plantilla(tmp_path: Path) -> None:
    bad = tmp_path / "roto.json"
    bad.write_text("{ no")
    result = run(tmp_path, "render", "requerimiento_pago", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "no es JSON válido" in result.stderr
    ok = PLANTILLAS / "constancia_adeudos" / "ejemplo.json"
    result = run(tmp_path, "render", "nada", str(ok), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "no existe la plantilla «nada»" in result.stderr


def test_keys_create_prints_a_working_key_once(tmp_path: Path) -> None:
    result = run(tmp_path, "keys", "create", "--role", "auditor", "--name", "Auditoría Interna")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("ds_") and len(token) > 40
    assert "no se volverá a mostrar" in result.stderr
    database = (tmp_path / "docservice.db").read_bytes()
    assert token.encode() not in database
    again = run(tmp_path, "keys", "create", "--role", "auditor", "--name", "Auditoría Interna")
    assert again.returncode == 1 and "ya existe una llave" in again.stderr


def test_keys_create_refuses_unknown_role(tmp_path: Path) -> None:
    result = run(tmp_path, "keys", "create", "--role", "jefe", "--name", "x")
    assert result.returncode == 2
    assert "jefe" in result.stderr


def test_templates_list_and_lint(tmp_path: Path) -> None:
    listed = run(tmp_path, "templates", "list")
    assert listed.returncode == 0
    assert "requerimiento_pago\tv2\t" in listed.stdout
    linted = run(tmp_path, "templates", "lint")
    assert linted.returncode == 0, linted.stderr
    assert "constancia_adeudos: correcta" in linted.stdout


def test_dev_key_is_private_and_reused(tmp_path: Path) -> None:
    upgraded(tmp_path)
    settings = Settings(var_dir=tmp_path)
    token = ensure_dev_key(settings)
    assert (settings.dev_key_file.stat().st_mode & 0o777) == 0o600
    assert ensure_dev_key(settings) == token
    ledger = Ledger(settings.effective_database_url)
    caller = ledger.authenticate(token)
    ledger.close()
    assert caller is not None and caller.rol.value == "admin"


def test_sign_command_signs_with_a_profile(
    tmp_path: Path, dev_pki: DevPki, make_pdf: Callable[..., bytes], pdfsig: Callable[[bytes], str]
) -> None:
    official = dev_pki.officials["titular"]
    perfiles = {
        "oficina": {
            **DEV_OFICIAL,
            "fuente": "efirma",
            "cer": str(official.cer),
            "key": str(official.key),
            "password_file": str(official.password_file),
            "nivel": "B-B",
            "raices": [str(dev_pki.root)],
            "intermedios": [str(dev_pki.interm)],
        }
    }
    source, signed = tmp_path / "a.pdf", tmp_path / "a-firmado.pdf"
    source.write_bytes(make_pdf())
    result = run(
        tmp_path,
        "sign",
        str(source),
        "-o",
        str(signed),
        "--profile",
        "oficina",
        extra_env={"DOCSERVICE_SIGN__PERFILES": json.dumps(perfiles)},
    )
    assert result.returncode == 0, result.stderr
    assert "Signature is Valid" in pdfsig(signed.read_bytes())
    missing = run(
        tmp_path,
        "sign",
        str(source),
        "-o",
        str(signed),
        "--profile",
        "nadie",
        extra_env={"DOCSERVICE_SIGN__PERFILES": json.dumps(perfiles)},
    )
    assert missing.returncode == 1 and "nadie" in missing.stderr


def test_certify_writes_a_signed_certified_copy(
    tmp_path: Path, pdfsig: Callable[[bytes], str]
) -> None:
    source, out = tmp_path / "original.pdf", tmp_path / "certificada.pdf"
    source.write_bytes(pdf_of([LETTER] * 3))
    datos = LEYENDAS / "certificacion_copia" / "ejemplo.json"
    result = run(
        tmp_path, "certify", str(source), "--leyenda", "certificacion_copia",
        "--datos", str(datos), "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"folio CERT/{folio_year()}/000001, 3 fojas (3 páginas)" in result.stdout
    text = pdf_text(out.read_bytes())
    assert "Foja 3 de 3" in text
    assert "3 (tres) fojas útiles" in " ".join(text.split())
    assert "Signature is Valid" in pdfsig(out.read_bytes())
    audit = run(tmp_path, "audit", "verify")
    assert audit.returncode == 0 and "bitácora íntegra" in audit.stdout


def test_certify_refuses_bad_input_by_name(tmp_path: Path) -> None:
    source, out = tmp_path / "no.pdf", tmp_path / "salida.pdf"
    source.write_bytes(b"no es un pdf")
    datos = LEYENDAS / "certificacion_copia" / "ejemplo.json"
    args = ["--datos", str(datos), "-o", str(out)]
    broken = run(tmp_path, "certify", str(source), "--leyenda", "certificacion_copia", *args)
    assert broken.returncode == 1
    assert "error (pdf_invalido)" in broken.stderr and not out.exists()
    source.write_bytes(pdf_of([LETTER]))
    unknown = run(tmp_path, "certify", str(source), "--leyenda", "no_existe", *args)
    assert unknown.returncode == 1 and "leyenda_no_encontrada" in unknown.stderr
    sides = run(tmp_path, "certify", str(source), "--leyenda", "certificacion_copia",
                "--impresion", "tres", *args)  # fmt: skip
    assert sides.returncode == 1 and "una_cara o doble_cara" in sides.stderr


@pytest.mark.libreoffice
def test_issue_writes_a_constancia_with_its_folio(tmp_path: Path) -> None:
    out = tmp_path / "constancia.pdf"
    datos = PLANTILLAS / "constancia_adeudos" / "ejemplo.json"
    result = run(tmp_path, "issue", "constancia_adeudos", str(datos), "-o", str(out),
                 "--serie", "CLI")  # fmt: skip
    assert result.returncode == 0, result.stderr
    folio = f"CLI/{folio_year()}/000001"
    assert f"folio {folio}" in result.stdout
    assert folio in pdf_text(out.read_bytes())


def test_verify_prints_a_table_and_exits_by_verdict(
    tmp_path: Path,
    dev_pki: DevPki,
    pki_server: object,
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
) -> None:
    env = {
        "DOCSERVICE_VERIFICACION__RAICES": json.dumps([str(dev_pki.root)]),
        "DOCSERVICE_VERIFICACION__INTERMEDIOS": json.dumps([str(dev_pki.interm)]),
    }
    signed = sign_pdf(make_pdf(), signer_registry.get("desarrollo"))
    good, bad, unreadable = tmp_path / "f.pdf", tmp_path / "m.pdf", tmp_path / "x.pdf"
    good.write_bytes(signed)
    bad.write_bytes(forgeries.isa_replace_contents(signed))
    unreadable.write_bytes(b"no soy un pdf")
    valid = run(tmp_path, "verify", str(good), extra_env=env)
    assert valid.returncode == 0, valid.stderr
    assert "Veredicto: VÁLIDA" in valid.stdout
    assert "firmante: MARIANA TÉLLEZ QUIROGA; RFC TEQM780314J27" in valid.stdout
    assert "revocación: vigente (fuente: OCSP)" in valid.stdout
    altered = run(tmp_path, "verify", str(bad), "--json", extra_env=env)
    assert altered.returncode == 1
    report = json.loads(altered.stdout)
    assert report["veredicto"] == "no_valida"
    assert "se cambió el contenido de la página 1" in " ".join(report["motivos"])
    broken = run(tmp_path, "verify", str(unreadable), extra_env=env)
    assert broken.returncode == 2
    assert "error (pdf_invalido): el archivo no es un PDF" in broken.stderr


@pytest.mark.libreoffice
def test_templates_lifecycle_from_the_command_line(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    ledger = migrated_ledger(settings.effective_database_url)
    ana = ledger.create_api_key("ana", Rol.JURIDICO)
    beto = ledger.create_api_key("beto", Rol.APROBADOR)
    ledger.close()
    folder = tmp_path / "nueva"
    shutil.copytree(PLANTILLAS / "requerimiento_pago", folder)  # the folder's v2: upload is v3
    as_ana, as_beto = {"DOCSERVICE_LLAVE": ana}, {"DOCSERVICE_LLAVE": beto}
    submitted = run(tmp_path, "templates", "submit", "requerimiento_pago", str(folder),
                    extra_env=as_ana)  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    assert "requerimiento_pago v3: borrador" in submitted.stdout
    own = run(tmp_path, "templates", "approve", "requerimiento_pago", "3", extra_env=as_ana)
    assert own.returncode == 1 and "no_autorizado" in own.stderr
    for command, who, estado in (("send", as_ana, "en_revision"), ("approve", as_beto, "aprobada"),
                                 ("publish", as_beto, "publicada")):  # fmt: skip
        step = run(tmp_path, "templates", command, "requerimiento_pago", "3", extra_env=who)
        assert step.returncode == 0, step.stderr
        assert f"v3: {estado}" in step.stdout
    preview = tmp_path / "vista.pdf"
    shown = run(tmp_path, "templates", "preview", "requerimiento_pago", "3", "-o", str(preview))
    assert shown.returncode == 0, shown.stderr
    assert "vista-previa-requerimiento_pago-3" in pdf_text(preview.read_bytes())
    same = run(tmp_path, "templates", "diff", "requerimiento_pago", "2", "3")
    assert same.returncode == 0 and same.stdout.strip() == ""
    wrong = run(tmp_path, "templates", "send", "requerimiento_pago", "3",
                extra_env={"DOCSERVICE_LLAVE": "ds_falsa"})  # fmt: skip
    assert wrong.returncode == 1 and "no_autenticado" in wrong.stderr
