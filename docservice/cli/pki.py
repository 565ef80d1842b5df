"""``docservice pki``: the development PKI (keys never leave certs/dev)."""

from __future__ import annotations

import typer

from docservice.cli.contexto import contexto

app = typer.Typer(help="Infraestructura de llaves de desarrollo.", no_args_is_help=True)


@app.command("init-dev")
def pki_init_dev(ctx: typer.Context) -> None:
    """Create the development PKI under certs/dev when absent (keys never leave it)."""
    from docservice.sign import init_dev_pki

    sign_settings = contexto(ctx).settings.sign
    pki = init_dev_pki(sign_settings.dev_pki_dir, config=sign_settings.dev_pki_config)
    typer.echo(f"PKI de desarrollo en {pki.dir}: {', '.join(sorted(pki.officials))}")
