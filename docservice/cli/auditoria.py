"""``docservice audit``: the chained audit log, checked and checkpointed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from docservice.cli.contexto import contexto, reported_errors

app = typer.Typer(help="Bitácora de auditoría encadenada.", no_args_is_help=True)


@app.command("verify")
def audit_verify(
    ctx: typer.Context,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="Punto de control guardado con «audit checkpoint»: detecta un final borrado",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Recompute the audit chain; exit 1 naming the first bad entry."""
    from docservice.ledger import Checkpoint

    with reported_errors(), contexto(ctx).services() as services:
        since = Checkpoint.from_json(checkpoint.read_text("utf-8")) if checkpoint else None
        report = services.ledger.verify_audit_chain(since)
    if not report.ok:
        typer.echo(f"bitácora ALTERADA: entrada {report.first_bad_id}: {report.reason}", err=True)
        typer.echo(f"{report.checked} entradas verificadas antes de la primera alterada", err=True)
        raise typer.Exit(1)
    typer.echo(f"bitácora íntegra: {report.checked} entradas verificadas")


@app.command("checkpoint")
def audit_checkpoint(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Archivo del punto de control")],
) -> None:
    """Write the chain's head now; keep the file outside the database (and sign it)."""
    with reported_errors(), contexto(ctx).services() as services:
        point = services.ledger.audit_checkpoint()
    output.write_text(point.to_json() + "\n", encoding="utf-8")
    typer.echo(f"{output}: entrada {point.last_id}, {point.count} entradas")
