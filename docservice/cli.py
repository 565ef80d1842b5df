"""The command line: serve, render, certify, issue, sign, audit, pki, templates, keys."""

from __future__ import annotations

import getpass
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from docservice.config import Settings, load_settings
from docservice.errors import DocServiceError
from docservice.model import Caller, Rol

if TYPE_CHECKING:
    from docservice.api.deps import Services
    from docservice.ledger import Ledger
    from docservice.sign import DevPkiServer

app = typer.Typer(help="docservice: documentos oficiales de cobro coactivo.", no_args_is_help=True)
templates_app = typer.Typer(help="Plantillas registradas.", no_args_is_help=True)
keys_app = typer.Typer(help="Llaves de API.", no_args_is_help=True)
pki_app = typer.Typer(help="Infraestructura de llaves de desarrollo.", no_args_is_help=True)
audit_app = typer.Typer(help="Bitácora de auditoría encadenada.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(pki_app, name="pki")


class State:
    settings: Settings


state = State()


@app.callback()
def _load(ctx: typer.Context) -> None:
    state.settings = load_settings()


@contextmanager
def reported_errors() -> Iterator[None]:
    """The CLI's twin of the problem+json mapping: Spanish message on stderr, exit 1."""
    try:
        yield
    except DocServiceError as exc:
        typer.echo(f"error ({exc.code}): {exc.mensaje}", err=True)
        for field_error in exc.errores:
            typer.echo(f"  {field_error.pointer}: {field_error.mensaje}", err=True)
        raise typer.Exit(1) from exc


def _ledger(settings: Settings) -> Ledger:
    from docservice.ledger import Ledger

    return Ledger(settings.effective_database_url)


def ensure_dev_key(settings: Settings) -> str:
    """The development admin key under var/ (0600), created when absent or unknown to the DB."""
    path = settings.dev_key_file
    ledger = _ledger(settings)
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


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interfaz (por omisión la de la configuración)")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Puerto")] = None,
    dev: Annotated[
        bool, typer.Option("--dev", help="Crear e imprimir una llave de desarrollo")
    ] = False,
) -> None:
    """Start the HTTP API."""
    import uvicorn

    from docservice.api import create_app

    settings = state.settings
    host, port = host or settings.api.host, port or settings.api.port
    responder = None
    if dev:
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
    from docservice.errors import DocServiceError as Error
    from docservice.sign import init_dev_pki, serve_dev_pki

    try:
        pki = init_dev_pki(settings.sign.dev_pki_dir, config=settings.sign.dev_pki_config)
        server = serve_dev_pki(pki, log=settings.var_dir / "pki-desarrollo.log")
    except (Error, OSError, RuntimeError) as exc:
        typer.echo(f"  (sin TSA/OCSP de desarrollo: {exc})", err=True)
        return None
    typer.echo(f"  TSA, OCSP y CRL de desarrollo en {pki.url_prefix}")
    return server


def _read_datos(datos: Path) -> dict[str, Any]:
    """Case data from a JSON file, decimals kept exact."""
    from decimal import Decimal

    from docservice.errors import DatosInvalidos, JsonMalformado

    try:
        payload = json.loads(datos.read_text(encoding="utf-8"), parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise JsonMalformado(f"{datos} no es JSON válido: {exc}") from exc
    if not isinstance(payload, dict):
        raise DatosInvalidos(f"{datos} debe contener un objeto JSON")
    return payload


@contextmanager
def _services(*, convert: bool) -> Iterator[Services]:
    """The wired services for one command; the converter pool runs only when asked for."""
    from docservice.api import build_services

    settings = state.settings.model_copy(
        update={"convert": state.settings.convert.model_copy(update={"workers": 1})}
    )
    services = build_services(settings)
    if convert:
        services.pool.start()
    try:
        yield services
    finally:
        if convert:
            services.pool.close()
        services.ledger.close()


def _solicitante() -> str:
    return f"cli:{getpass.getuser()}"


@app.command()
def render(
    clave: Annotated[str, typer.Argument(help="Clave de la plantilla")],
    datos: Annotated[
        Path,
        typer.Argument(help="Archivo JSON con los datos del caso", exists=True, dir_okay=False),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Archivo de salida")],
    formato: Annotated[str, typer.Option(help="pdf o docx")] = "pdf",
    version: Annotated[int | None, typer.Option(help="Versión de la plantilla")] = None,
) -> None:
    """Render one document to a file."""
    from docservice.documentos import DocumentRequest
    from docservice.errors import DatosInvalidos

    with reported_errors():
        if formato not in ("pdf", "docx"):
            raise DatosInvalidos("el formato debe ser pdf o docx")
        payload = _read_datos(datos)
        fmt: Literal["pdf", "docx"] = "pdf" if formato == "pdf" else "docx"
        with _services(convert=fmt == "pdf") as services:
            produced = services.documentos.produce(
                DocumentRequest(
                    plantilla=clave,
                    datos=payload,
                    solicitante=_solicitante(),
                    version=version,
                    formato=fmt,
                )
            )
        output.write_bytes(produced.contenido)
        typer.echo(
            f"{output}: {produced.plantilla} v{produced.version}, "
            f"documento {produced.id}, sha256 {produced.sha256}"
        )


@app.command()
def certify(  # noqa: PLR0917  # Typer: one parameter per argument or option
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
    perfil: Annotated[str | None, typer.Option(help="Perfil de firma de certificación")] = None,
    serie: Annotated[str | None, typer.Option(help="Serie de folios")] = None,
) -> None:
    """Certify a copy: foliate every page, append the legend, sign, store, record."""
    from docservice.certify import CertificationRequest
    from docservice.errors import DatosInvalidos

    with reported_errors():
        if impresion not in ("una_cara", "doble_cara"):
            raise DatosInvalidos("la impresión debe ser una_cara o doble_cara")
        payload = _read_datos(datos)
        lado: Literal["una_cara", "doble_cara"] = (
            "doble_cara" if impresion == "doble_cara" else "una_cara"
        )
        with _services(convert=False) as services:
            copy = services.certificaciones.certify(
                CertificationRequest(
                    pdf=entrada.read_bytes(),
                    leyenda=leyenda,
                    datos=payload,
                    solicitante=_solicitante(),
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


@app.command()
def issue(
    clave: Annotated[str, typer.Argument(help="Clave de la plantilla")],
    datos: Annotated[
        Path,
        typer.Argument(help="Archivo JSON con los datos del caso", exists=True, dir_okay=False),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Constancia firmada")],
    serie: Annotated[str | None, typer.Option(help="Serie de folios")] = None,
    perfil: Annotated[str | None, typer.Option(help="Perfil de firma de certificación")] = None,
) -> None:
    """Issue a constancia under the next folio of its series."""
    from docservice.constancias import ConstanciaRequest

    with reported_errors():
        payload = _read_datos(datos)
        with _services(convert=True) as services:
            issued = services.constancias.issue(
                ConstanciaRequest(
                    plantilla=clave,
                    datos=payload,
                    solicitante=_solicitante(),
                    serie=serie,
                    perfil_firma=perfil,
                )
            )
        output.write_bytes(issued.contenido)
        typer.echo(
            f"{output}: folio {issued.constancia.folio}, "
            f"sha256 {issued.constancia.contenido_sha256}"
        )


@app.command()
def sign(
    entrada: Annotated[Path, typer.Argument(help="PDF a firmar", exists=True, dir_okay=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF firmado")],
    profile: Annotated[str, typer.Option("--profile", help="Perfil de firma")] = "desarrollo",
) -> None:
    """Sign a PDF with a signing profile (earlier signatures stay valid)."""
    from docservice.sign import SignerRegistry, sign_pdf

    with reported_errors():
        signers = SignerRegistry.load(state.settings.sign)
        signed = sign_pdf(entrada.read_bytes(), signers.get(profile))
        output.write_bytes(signed)
    typer.echo(f"{output}: firmado con el perfil «{profile}»")


@pki_app.command("init-dev")
def pki_init_dev() -> None:
    """Create the development PKI under certs/dev when absent (keys never leave it)."""
    from docservice.sign import init_dev_pki

    sign_settings = state.settings.sign
    pki = init_dev_pki(sign_settings.dev_pki_dir, config=sign_settings.dev_pki_config)
    typer.echo(f"PKI de desarrollo en {pki.dir}: {', '.join(sorted(pki.officials))}")


@templates_app.command("list")
def templates_list() -> None:
    """List the plantillas and any that were refused."""
    from docservice.registry import load_registry

    registry = load_registry(state.settings.plantillas_dir)
    for clave in registry.claves():
        m = registry.current(clave).manifest
        typer.echo(f"{clave}\tv{m.version}\t{m.nombre}")
    for clave, reason in registry.problemas.items():
        typer.echo(f"{clave}\tNO DISPONIBLE\t{reason}", err=True)


@templates_app.command("lint")
def templates_lint() -> None:
    """Check every plantilla: sandboxed tags, schema ↔ template, ejemplo validates and renders."""
    from docservice.documentos.service import template_info
    from docservice.registry import load_registry
    from docservice.render import Renderer

    registry = load_registry(state.settings.plantillas_dir)
    renderer = Renderer(state.settings.render)
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


LlaveOption = Annotated[
    str,
    typer.Option("--llave", envvar="DOCSERVICE_LLAVE", help="Llave de API de quien actúa"),
]


def _caller(services: Services, llave: str) -> Caller:
    from docservice.errors import NoAutenticado

    caller = services.ledger.authenticate(llave.strip())
    if caller is None:
        raise NoAutenticado("la llave de API no es válida o fue revocada")
    return caller


@templates_app.command("submit")
def templates_submit(
    clave: Annotated[str, typer.Argument(help="Clave de la plantilla")],
    carpeta: Annotated[
        Path,
        typer.Argument(
            help="Carpeta con plantilla.docx, schema.json, ejemplo.json y manifest.toml",
            exists=True,
            file_okay=False,
        ),
    ],
    llave: LlaveOption,
) -> None:
    """Upload a new version (borrador); every lint finding is listed if refused."""
    from docservice.documentos.versiones import VersionFiles

    with reported_errors(), _services(convert=True) as services:
        files = VersionFiles(
            docx=(carpeta / "plantilla.docx").read_bytes(),
            schema=(carpeta / "schema.json").read_bytes(),
            ejemplo=(carpeta / "ejemplo.json").read_bytes(),
            manifest=(carpeta / "manifest.toml").read_bytes(),
        )
        record = services.versiones.submit(clave, files, _caller(services, llave))
    typer.echo(f"{clave} v{record.version}: {record.estado}")


def _act(clave: str, version: int, accion: str, llave: str, comentario: str | None) -> None:
    with reported_errors(), _services(convert=False) as services:
        record = services.versiones.act(
            clave, version, accion, _caller(services, llave), comentario
        )
    typer.echo(f"{clave} v{record.version}: {record.estado}")


ComentarioOption = Annotated[str | None, typer.Option("--comentario", help="Comentario")]


@templates_app.command("send")
def templates_send(
    clave: str, version: int, llave: LlaveOption, comentario: ComentarioOption = None
) -> None:
    """Send a draft to review."""
    _act(clave, version, "enviar", llave, comentario)


@templates_app.command("return")
def templates_return(
    clave: str, version: int, llave: LlaveOption, comentario: ComentarioOption = None
) -> None:
    """Return a version under review to its author (a comment is required)."""
    _act(clave, version, "devolver", llave, comentario)


@templates_app.command("approve")
def templates_approve(
    clave: str, version: int, llave: LlaveOption, comentario: ComentarioOption = None
) -> None:
    """Approve a version under review (not your own)."""
    _act(clave, version, "aprobar", llave, comentario)


@templates_app.command("publish")
def templates_publish(
    clave: str, version: int, llave: LlaveOption, comentario: ComentarioOption = None
) -> None:
    """Publish an approved version: it becomes the current one."""
    _act(clave, version, "publicar", llave, comentario)


@templates_app.command("retire")
def templates_retire(
    clave: str, version: int, llave: LlaveOption, comentario: ComentarioOption = None
) -> None:
    """Retire a published version (admin)."""
    _act(clave, version, "retirar", llave, comentario)


@templates_app.command("diff")
def templates_diff(clave: str, de: int, a: int) -> None:
    """Body-text and schema differences between two versions."""
    with reported_errors(), _services(convert=False) as services:
        diff = services.versiones.diff(clave, de, a)
    for line in diff.texto:
        typer.echo(line)
    for titulo, campos in (("agregados", diff.campos_agregados), ("quitados", diff.campos_quitados),
                           ("cambiados", diff.campos_cambiados)):  # fmt: skip
        if campos:
            typer.echo(f"campos {titulo}: {', '.join(campos)}")


@templates_app.command("preview")
def templates_preview(
    clave: str,
    version: int,
    output: Annotated[Path, typer.Option("-o", "--output", help="PDF de la vista previa")],
) -> None:
    """Render a version with its ejemplo (watermarked unless published)."""
    with reported_errors(), _services(convert=True) as services:
        output.write_bytes(services.versiones.preview(clave, version))
    typer.echo(f"{output}: vista previa de {clave} v{version}")


@keys_app.command("create")
def keys_create(
    role: Annotated[Rol, typer.Option("--role", help="Rol de la llave")],
    name: Annotated[str, typer.Option("--name", help="Nombre de quien la usará")],
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    with reported_errors():
        ledger = _ledger(state.settings)
        try:
            token = ledger.create_api_key(name, role)
        finally:
            ledger.close()
    typer.echo(token)
    typer.echo(
        f"llave «{name}» con rol {role.value}; guárdela ahora, no se volverá a mostrar", err=True
    )


VERIFY_EXIT = {"valida": 0, "valida_con_advertencias": 0, "no_valida": 1}


@app.command()
def verify(
    archivo: Annotated[Path, typer.Argument(help="PDF a verificar", exists=True, dir_okay=False)],
    as_json: Annotated[bool, typer.Option("--json", help="El reporte completo en JSON")] = False,
) -> None:
    """Verify a PDF's signatures; exit 0 valid, 1 not valid, 2 could not read."""
    from docservice.ledger import Ledger
    from docservice.verify import VerificationService, VerifierPool

    settings = state.settings
    pool = VerifierPool(settings.verificacion.model_copy(update={"workers": 1}))
    ledger = Ledger(settings.effective_database_url)
    try:
        pool.start()
        service = VerificationService(pool=pool, ledger=ledger)
        report = service.verify(archivo.read_bytes(), solicitante=_solicitante())
    except DocServiceError as exc:
        typer.echo(f"error ({exc.code}): {exc.mensaje}", err=True)
        raise typer.Exit(2) from exc
    finally:
        pool.close()
        ledger.close()
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        from docservice.verify.text import report_lines

        for line in report_lines(report):
            typer.echo(line)
    raise typer.Exit(VERIFY_EXIT[report.veredicto])


@audit_app.command("verify")
def audit_verify(
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

    with reported_errors():
        since = Checkpoint.from_json(checkpoint.read_text("utf-8")) if checkpoint else None
        ledger = _ledger(state.settings)
        try:
            report = ledger.verify_audit_chain(since)
        finally:
            ledger.close()
    if not report.ok:
        typer.echo(f"bitácora ALTERADA: entrada {report.first_bad_id}: {report.reason}", err=True)
        typer.echo(f"{report.checked} entradas verificadas antes de la primera alterada", err=True)
        raise typer.Exit(1)
    typer.echo(f"bitácora íntegra: {report.checked} entradas verificadas")


@audit_app.command("checkpoint")
def audit_checkpoint(
    output: Annotated[Path, typer.Option("-o", "--output", help="Archivo del punto de control")],
) -> None:
    """Write the chain's head now; keep the file outside the database (and sign it)."""
    ledger = _ledger(state.settings)
    try:
        point = ledger.audit_checkpoint()
    finally:
        ledger.close()
    output.write_text(point.to_json() + "\n", encoding="utf-8")
    typer.echo(f"{output}: entrada {point.last_id}, {point.count} entradas")


def main() -> None:
    app(prog_name="docservice")


if __name__ == "__main__":
    main()
