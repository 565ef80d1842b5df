"""``docservice db upgrade``: the database brought to the code's schema, explicitly."""

from __future__ import annotations

import typer

from docservice.cli.contexto import contexto, reported_errors

app = typer.Typer(help="Base de datos del registro.", no_args_is_help=True)


@app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Migrate the schema to the latest revision (once, under a lock, however many run it) and
    record the versions of the plantillas and leyendas folders."""
    with reported_errors(), contexto(ctx).services() as services:
        seeded = services.upgrade()
    for line in seeded:
        typer.echo(f"versión registrada: {line}")
    typer.echo("base de datos actualizada")
