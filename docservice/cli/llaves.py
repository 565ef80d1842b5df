"""``docservice keys``: API keys (only their hash is stored)."""

from __future__ import annotations

from typing import Annotated

import typer

from docservice.cli.contexto import contexto, reported_errors
from docservice.model import Rol

app = typer.Typer(help="Llaves de API.", no_args_is_help=True)


@app.command("create")
def keys_create(
    ctx: typer.Context,
    role: Annotated[Rol, typer.Option("--role", help="Rol de la llave")],
    name: Annotated[str, typer.Option("--name", help="Nombre de quien la usará")],
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    with reported_errors(), contexto(ctx).services() as services:
        token = services.ledger.create_api_key(name, role)
    typer.echo(token)
    typer.echo(
        f"llave «{name}» con rol {role.value}; guárdela ahora, no se volverá a mostrar", err=True
    )
