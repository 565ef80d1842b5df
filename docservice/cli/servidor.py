"""``docservice serve``: the HTTP service (and, with ``--dev``, a key and the dev PKI)."""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING, Annotated

import typer

from docservice.cli.contexto import contexto
from docservice.config import Settings
from docservice.errors import DocServiceError
from docservice.model import Rol

if TYPE_CHECKING:
    from docservice.sign import DevPkiServer


def ensure_dev_key(settings: Settings) -> str:
    """The development admin key under var/ (0600), created when absent or unknown to the DB."""
    from docservice.ledger import Ledger

    path = settings.dev_key_file
    ledger = Ledger(settings.effective_database_url)
    try:
        if path.is_file():
            token = path.read_text().strip()
            if ledger.authenticate(token) is not None:
                return token
        token = ledger.create_api_key(f"desarrollo-{secrets.token_hex(3)}", Rol.ADMIN)
    finally:
        ledger.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(token + "\n")
    return token


def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Interfaz (por omisión la de la configuración)")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Puerto")] = None,
    dev: Annotated[
        bool, typer.Option("--dev", help="Crear e imprimir una llave de desarrollo")
    ] = False,
) -> None:
    """Start the HTTP API (it upgrades the database at start, under the ledger's lock)."""
    import uvicorn

    from docservice.bootstrap import upgrade_schema
    from docservice.cli.contexto import reported_errors
    from docservice.servidor import create_app

    settings = contexto(ctx).settings
    host, port = host or settings.api.host, port or settings.api.port
    responder = None
    if dev:
        with reported_errors():
            upgrade_schema(settings)  # the key needs the tables before the app starts
        token = ensure_dev_key(settings)
        responder = _start_dev_responder(settings)
        typer.echo(f"docservice en http://{host}:{port}")
        typer.echo(f"  documentación OpenAPI: http://{host}:{port}/docs")
        typer.echo(f"  verificación para auditores: http://{host}:{port}/auditoria/verificar")
        typer.echo(
            f"  llave de desarrollo (rol admin, guardada en {settings.dev_key_file}): {token}"
        )
    try:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    finally:
        if responder is not None:
            responder.stop()


def _start_dev_responder(settings: Settings) -> DevPkiServer | None:
    """The dev PKI's TSA, OCSP and CRLs on 127.0.0.1, so B-T signing and revocation work."""
    from docservice.sign import init_dev_pki, serve_dev_pki

    try:
        pki = init_dev_pki(settings.sign.dev_pki_dir, config=settings.sign.dev_pki_config)
        server = serve_dev_pki(pki, log=settings.var_dir / "pki-desarrollo.log")
    except (DocServiceError, OSError, RuntimeError) as exc:
        typer.echo(f"  (sin TSA/OCSP de desarrollo: {exc})", err=True)
        return None
    typer.echo(f"  TSA, OCSP y CRL de desarrollo en {pki.url_prefix}")
    return server


def register(app: typer.Typer) -> None:
    app.command()(serve)
