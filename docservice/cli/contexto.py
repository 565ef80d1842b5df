"""What every command shares: the settings, the services it asks for, errors in Spanish.

Like pyHanko's command line, the root callback puts one ``Contexto`` on ``ctx.obj``; commands
take it with ``contexto(ctx)``. A command asks only for the services it uses, so one that
needs no LibreOffice never starts it (nor imports the signing stack).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from docservice.config import Settings
from docservice.errors import DatosInvalidos, DocServiceError, JsonMalformado, NoAutenticado
from docservice.model import Caller

if TYPE_CHECKING:
    from docservice.bootstrap import Services


class Contexto:
    """The settings of this run and the services built for it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextmanager
    def services(
        self, *, convert: bool = False, render: bool = False, verify: bool = False
    ) -> Iterator[Services]:
        """The services for one command; only the worker processes asked for are started
        (one of each: a command makes one document; it verifies in its own process)."""
        from docservice.bootstrap import Services

        settings = self.settings.model_copy(
            update={
                "convert": self.settings.convert.model_copy(update={"workers": 1}),
                "render": self.settings.render.model_copy(update={"procesos": 1}),
            }
        )
        services = Services(settings, one_shot=True)
        try:
            services.start(convert=convert, render=render, verify=verify)
            yield services
        finally:
            services.close()

    def caller(self, services: Services, llave: str) -> Caller:
        """Who acts, by their API key."""
        caller = services.ledger.authenticate(llave.strip())
        if caller is None:
            raise NoAutenticado("la llave de API no es válida o fue revocada")
        return caller


def contexto(ctx: typer.Context) -> Contexto:
    found = ctx.find_object(Contexto)
    if found is None:  # a command invoked without the root callback (a programming error)
        raise RuntimeError("sin contexto de docservice")
    return found


@contextmanager
def reported_errors(exit_code: int = 1) -> Iterator[None]:
    """The CLI's twin of the problem+json mapping: Spanish message on stderr, exit 1."""
    try:
        yield
    except DocServiceError as exc:
        typer.echo(f"error ({exc.code}): {exc.mensaje}", err=True)
        for field_error in exc.errores:
            typer.echo(f"  {field_error.pointer}: {field_error.mensaje}", err=True)
        raise typer.Exit(exit_code) from exc


def solicitante() -> str:
    """Who asked, as the ledger records it for the command line."""
    return f"cli:{getpass.getuser()}"


def read_datos(datos: Path) -> dict[str, Any]:
    """Case data from a JSON file, decimals kept exact."""
    try:
        payload = json.loads(datos.read_text(encoding="utf-8"), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise JsonMalformado(f"{datos} no es JSON válido: {exc}") from exc
    if not isinstance(payload, dict):
        raise DatosInvalidos(f"{datos} debe contener un objeto JSON")
    return payload
