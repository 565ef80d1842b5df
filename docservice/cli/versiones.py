"""``docservice templates`` and ``docservice legends``: versions of plantillas and leyendas.

Both groups are made by one function from a ``Tipo`` (what differs: the folder's main file, the
service that holds its versions); the lifecycle commands (send, return, approve, publish,
retire) are generated from the state machine's steps (``registry.flujo.PASOS``), so a step
added there is a command here. No ``from __future__ import annotations``: Typer evaluates the
commands' annotations, and their help texts depend on the group being made.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from docservice.cli.contexto import contexto, reported_errors

if TYPE_CHECKING:
    from docservice.bootstrap import Services
    from docservice.documentos.versiones import VersionFiles, VersionService

COMMAND_OF_STEP = {
    "enviar": "send",
    "devolver": "return",
    "aprobar": "approve",
    "publicar": "publish",
    "retirar": "retire",
}
"""The English command of each step of ``registry.flujo.PASOS`` (the steps stay Spanish)."""

LlaveOption = Annotated[
    str,
    typer.Option("--llave", envvar="DOCSERVICE_LLAVE", help="Llave de API de quien actúa"),
]
ComentarioOption = Annotated[str | None, typer.Option("--comentario", help="Comentario")]


@dataclass(frozen=True)
class Tipo:
    """What differs between the two groups: the noun, and which service holds the versions
    (the service's kind knows the folder's main file)."""

    nombre: str
    """«plantilla» or «leyenda», for help texts."""
    service: Callable[["Services"], "VersionService[Any]"]
    preview_needs_libreoffice: bool


PLANTILLA = Tipo("plantilla", lambda s: s.versiones, preview_needs_libreoffice=True)
LEYENDA = Tipo("leyenda", lambda s: s.versiones_leyendas, preview_needs_libreoffice=False)


def version_group(tipo: Tipo, help_text: str) -> typer.Typer:
    """The commands over ``tipo``'s versions: submit, the lifecycle steps, diff, preview."""
    group = typer.Typer(help=help_text, no_args_is_help=True)

    @group.command("submit")
    def submit(
        ctx: typer.Context,
        clave: Annotated[str, typer.Argument(help=f"Clave de la {tipo.nombre}")],
        carpeta: Annotated[
            Path,
            typer.Argument(
                help="Carpeta con el archivo principal, schema.json, ejemplo.json y manifest.toml",
                exists=True,
                file_okay=False,
            ),
        ],
        llave: LlaveOption,
    ) -> None:
        """Upload a new version (borrador); every lint finding is listed if refused."""
        with reported_errors():
            with contexto(ctx).services(convert=tipo.preview_needs_libreoffice) as services:
                service = tipo.service(services)
                files = _read_folder(carpeta, service.main_file)
                caller = contexto(ctx).caller(services, llave)
                record = service.submit(clave, files, caller)
        typer.echo(f"{clave} v{record.version}: {record.estado}")

    for accion in _steps():
        _add_step(group, tipo, accion)

    @group.command("diff")
    def diff(ctx: typer.Context, clave: str, de: int, a: int) -> None:
        """Text and schema differences between two versions."""
        with reported_errors(), contexto(ctx).services() as services:
            changes = tipo.service(services).diff(clave, de, a)
        for line in changes.texto:
            typer.echo(line)
        for titulo, campos in (("agregados", changes.campos_agregados),
                               ("quitados", changes.campos_quitados),
                               ("cambiados", changes.campos_cambiados)):  # fmt: skip
            if campos:
                typer.echo(f"campos {titulo}: {', '.join(campos)}")

    @group.command("preview")
    def preview(
        ctx: typer.Context,
        clave: str,
        version: int,
        output: Annotated[Path, typer.Option("-o", "--output", help="PDF de la vista previa")],
        datos: Annotated[
            Path | None,
            typer.Option("--datos", help="JSON con datos (por omisión, su ejemplo)", exists=True),
        ] = None,
    ) -> None:
        """Render a version with its ejemplo or given data (watermarked unless published)."""
        from docservice.cli.contexto import read_datos

        with reported_errors():
            payload = read_datos(datos) if datos is not None else None
            needs = tipo.preview_needs_libreoffice
            with contexto(ctx).services(convert=needs, render=needs) as services:
                pdf = tipo.service(services).preview(clave, version, payload)
        output.write_bytes(pdf)
        typer.echo(f"{output}: vista previa de {clave} v{version}")

    return group


def _read_folder(carpeta: Path, main_file: str) -> "VersionFiles":
    from docservice.documentos.versiones import VersionFiles
    from docservice.errors import EntradaInvalida

    try:
        return VersionFiles.from_folder(carpeta, main_file)
    except FileNotFoundError as exc:
        raise EntradaInvalida(f"falta {Path(exc.filename).name} en {carpeta}") from exc


def _steps() -> dict[str, str]:
    """Each step of the state machine and the help its command shows."""
    from docservice.registry.flujo import PASOS

    helps = {}
    for accion, paso in PASOS.items():
        roles = ", ".join(sorted(r.value for r in paso.roles))
        comentario = "; exige comentario" if paso.comentario_obligatorio else ""
        helps[accion] = (
            f"{accion.capitalize()} una versión: de «{paso.desde.value}» a «{paso.hacia.value}» "
            f"(rol: {roles}{comentario})."
        )
    return helps


def _add_step(group: typer.Typer, tipo: Tipo, accion: str) -> None:
    def step(
        ctx: typer.Context,
        clave: str,
        version: int,
        llave: LlaveOption,
        comentario: ComentarioOption = None,
    ) -> None:
        with reported_errors(), contexto(ctx).services() as services:
            caller = contexto(ctx).caller(services, llave)
            record = tipo.service(services).act(clave, version, accion, caller, comentario)
        typer.echo(f"{clave} v{record.version}: {record.estado}")

    group.command(COMMAND_OF_STEP[accion], help=_steps()[accion])(step)


plantillas = version_group(PLANTILLA, "Plantillas registradas y sus versiones.")
leyendas = version_group(LEYENDA, "Leyendas de certificación y sus versiones.")


@plantillas.command("list")
def templates_list(ctx: typer.Context) -> None:
    """List the plantillas in service (and any that were refused)."""
    from docservice.registry import load_registry

    registry = load_registry(contexto(ctx).settings.plantillas_dir)
    for clave in registry.claves():
        m = registry.current(clave).manifest
        typer.echo(f"{clave}\tv{m.version}\t{m.nombre}")
    for clave, reason in registry.problemas.items():
        typer.echo(f"{clave}\tNO DISPONIBLE\t{reason}", err=True)


@leyendas.command("list")
def legends_list(ctx: typer.Context) -> None:
    """List the leyendas in service (and any that were refused)."""
    from docservice.registry import load_leyendas

    registry = load_leyendas(contexto(ctx).settings.leyendas_dir)
    for clave, leyenda in sorted(registry.leyendas.items()):
        typer.echo(f"{clave}\tv{leyenda.manifest.version}\t{leyenda.manifest.nombre}")
    for clave, reason in registry.problemas.items():
        typer.echo(f"{clave}\tNO DISPONIBLE\t{reason}", err=True)


@plantillas.command("lint")
def templates_lint(ctx: typer.Context) -> None:
    """Check every plantilla: sandboxed tags, schema ↔ template, ejemplo validates and renders."""
    from docservice.documentos.propiedades import template_info
    from docservice.registry import load_registry
    from docservice.render import Renderer

    settings = contexto(ctx).settings
    registry = load_registry(settings.plantillas_dir)
    renderer = Renderer(settings.render)
    failed = dict(registry.problemas)
    for clave in registry.claves():
        p = registry.current(clave)
        findings = renderer.lint(
            p.docx, template_info(p), p.schema, p.ejemplo, p.manifest.rfc_genericos_permitidos
        )
        if findings:
            failed[clave] = "; ".join(findings)
        else:
            typer.echo(f"{clave}: correcta")
    for clave, reason in failed.items():
        typer.echo(f"{clave}: {reason}", err=True)
    if failed:
        raise typer.Exit(1)
