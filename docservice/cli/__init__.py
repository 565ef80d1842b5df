"""The command line: ``docservice <grupo> <orden>``, one module per group of commands.

Every module imports only typer, the settings and the errors at load time; what a command
needs it imports when it runs, so ``--help`` and the commands without LibreOffice answer fast.
"""

from __future__ import annotations

import typer

from docservice.cli import auditoria, db, documentos, llaves, pki, servidor, versiones
from docservice.cli.contexto import Contexto
from docservice.cli.servidor import ensure_dev_key
from docservice.config import load_settings

app = typer.Typer(help="docservice: documentos oficiales de cobro coactivo.", no_args_is_help=True)


@app.callback()
def _load(ctx: typer.Context) -> None:
    ctx.obj = Contexto(load_settings())


servidor.register(app)
documentos.register(app)
app.add_typer(versiones.plantillas, name="templates")
app.add_typer(versiones.leyendas, name="legends")
app.add_typer(auditoria.app, name="audit")
app.add_typer(llaves.app, name="keys")
app.add_typer(pki.app, name="pki")
app.add_typer(db.app, name="db")


def main() -> None:
    app(prog_name="docservice")


__all__ = ["app", "ensure_dev_key", "main"]
