"""Documents from the command line: render, issue, certify, sign and verify one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from docservice.cli.contexto import contexto, read_datos, reported_errors, solicitante
from docservice.errors import DatosInvalidos

DatosArgument = Annotated[
    Path, typer.Argument(help="Archivo JSON con los datos del caso", exists=True, dir_okay=False)
]
PerfilOption = Annotated[str | None, typer.Option(help="Perfil de firma de certificación")]
SerieOption = Annotated[str | None, typer.Option(help="Serie de folios")]


def render(  # noqa: PLR0917  # Typer: one parameter per argument or option
    ctx: typer.Context,
    clave: Annotated[str, typer.Argument(help="Clave de la plantilla")],
    datos: DatosArgument,
    output: Annotated[Path, typer.Option("-o", "--output", help="Archivo de salida")],
    formato: Annotated[str, typer.Option(help="pdf o docx")] = "pdf",
    version: Annotated[int | None, typer.Option(help="Versión de la plantilla")] = None,
) -> None:
    """Render one document to a file."""
    from docservice.documentos import DocumentRequest

    with reported_errors():
        if formato not in ("pdf", "docx"):
            raise DatosInvalidos("el formato debe ser pdf o docx")
        payload = read_datos(datos)
        fmt: Literal["pdf", "docx"] = "pdf" if formato == "pdf" else "docx"
        with contexto(ctx).services(convert=fmt == "pdf", render=True) as services:
            produced = services.documentos.produce(
                DocumentRequest(
                    plantilla=clave,
                    datos=payload,
                    solicitante=solicitante(),
                    version=version,
                    formato=fmt,
                )
            )
        output.write_bytes(produced.contenido)
        typer.echo(
            f"{output}: {produced.plantilla} v{produced.version}, "
            f"documento {produced.id}, sha256 {produced.sha256}"
        )


def certify(  # noqa: PLR0917  # Typer: one parameter per argument or option
    ctx: typer.Context,
    entrada: Annotated[Path, typer.Argument(help="PDF a certificar", exists=True, dir_okay=False)],
    leyenda: Annotated[str, typer.Option("--leyenda", help="Clave de la leyenda")],
    datos: Annotated[
        Path,
        typer.Option(
            "--datos", help="JSON con los datos de la leyenda", exists=True, dir_okay=False
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Copia certificada")],
    impresion: Annotated[
        str, typer.Option(help="una_cara o doble_cara (dos páginas por foja)")
    ] = "una_cara",
    perfil: PerfilOption = None,
    serie: SerieOption = None,
) -> None:
    """Certify a copy: foliate every page, append the legend, sign, store, record."""
    from docservice.certify import CertificationRequest

    with reported_errors():
        if impresion not in ("una_cara", "doble_cara"):
            raise DatosInvalidos("la impresión debe ser una_cara o doble_cara")
        payload = read_datos(datos)
        lado: Literal["una_cara", "doble_cara"] = (
            "doble_cara" if impresion == "doble_cara" else "una_cara"
        )
        with contexto(ctx).services() as services:
            copy = services.certificaciones.certify(
                CertificationRequest(
                    pdf=entrada.read_bytes(),
                    leyenda=leyenda,
                    datos=payload,
                    solicitante=solicitante(),
                    impresion=lado,
                    perfil_firma=perfil,
                    serie=serie,
                )
            )
        output.write_bytes(copy.contenido)
        typer.echo(
            f"{output}: folio {copy.constancia.folio}, {copy.fojas} fojas "
            f"({copy.paginas} páginas), sha256 {copy.constancia.contenido_sha256}"
        )


def issue(  # noqa: PLR0917  # Typer: one parameter per argument or option
    ctx: typer.Context,
    clave: Annotated[str, typer.Argument(help="Clave de la plantilla")],
    datos: DatosArgument,
    output: Annotated[Path, typer.Option("-o", "--output", help="Constancia firmada")],
    serie: SerieOption = None,
    perfil: PerfilOption = None,
) -> None:
    """Issue a constancia under the next folio of its series."""
    from docservice.constancias import ConstanciaRequest

    with reported_errors():
        payload = read_datos(datos)
        with contexto(ctx).services(convert=True, render=True) as services:
            issued = services.constancias.issue(
                ConstanciaRequest(
                    plantilla=clave,
                    datos=payload,
                    solicitante=solicitante(),
                    serie=serie,
                    perfil_firma=perfil,
                )
            )
        output.write_bytes(issued.contenido)
        typer.echo(
            f"{output}: folio {issued.constancia.folio}, "
            f"sha256 {issued.constancia.contenido_sha256}"
        )


def sign(
    ctx: typer.Context,
    entrada: Annotated[Path, typer.Argument(help="PDF a firmar", exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF firmado")],
    profile: Annotated[str, typer.Option("--profile", help="Perfil de firma")] = "desarrollo",
) -> None:
    """Sign a PDF with a signing profile (earlier signatures stay valid)."""
    from docservice.sign import SignerRegistry, sign_pdf

    with reported_errors():
        signers = SignerRegistry.load(contexto(ctx).settings.sign)
        signed = sign_pdf(entrada.read_bytes(), signers.get(profile))
        output.write_bytes(signed)
    typer.echo(f"{output}: firmado con el perfil «{profile}»")


VERIFY_EXIT = {"valida": 0, "valida_con_advertencias": 0, "no_valida": 1}


def verify(
    ctx: typer.Context,
    archivo: Annotated[Path, typer.Argument(help="PDF a verificar", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="El reporte completo en JSON")] = False,
) -> None:
    """Verify a PDF's signatures; exit 0 valid, 1 not valid, 2 could not read."""
    with reported_errors(exit_code=2), contexto(ctx).services(verify=True) as services:
        report = services.verificaciones.verify(archivo.read_bytes(), solicitante=solicitante())
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        from docservice.verify.text import report_lines

        for line in report_lines(report):
            typer.echo(line)
    raise typer.Exit(VERIFY_EXIT[report.veredicto])


def register(app: typer.Typer) -> None:
    for command in (render, certify, issue, sign, verify):
        app.command()(command)
