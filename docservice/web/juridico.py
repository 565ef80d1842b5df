"""Pages for legal staff under ``/juridico/``: plantillas and leyendas alike — their versions,
upload, review, publish, preview and the changes between two versions.

Login and logout are in ``ingreso``; the session (``sesion``) is a ledger row named by the
signed random id in the cookie, and every request re-checks its key (a revoked key logs out).
Every form carries the CSRF token; a POST without it is refused. Redirects go to the
configured public URL, never to the request's ``Host``. The two kinds share every page: the
path says which (``/juridico/plantillas/…``, ``/juridico/leyendas/…``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from docservice.documentos.versiones import VersionFiles, VersionService
from docservice.errors import DocServiceError
from docservice.ledger import VersionRecord
from docservice.model import Caller, Rol
from docservice.registry.flujo import PASOS, own_version
from docservice.web.rendering import SECURITY_HEADERS
from docservice.web.servicios import services
from docservice.web.sesion import view, web_sessions

router = APIRouter(prefix="/juridico", include_in_schema=False)
VENCIDO = "El formulario venció; intente de nuevo."
ETIQUETAS = {
    "enviar": "Enviar a revisión",
    "devolver": "Devolver",
    "aprobar": "Aprobar",
    "publicar": "Publicar",
    "retirar": "Retirar",
}


@dataclass(frozen=True)
class Tipo:
    """One kind of version as the pages show it."""

    ruta: str
    titulo: str
    archivo: str
    """The main file's name, the label of its upload field."""
    campo: str
    """The id of that field."""


TIPOS = {
    "plantillas": Tipo("plantillas", "Plantillas oficiales", "plantilla.docx", "plantilla"),
    "leyendas": Tipo("leyendas", "Leyendas de certificación", "leyenda.txt", "texto"),
}


class _TipoConvertor(StringConvertor):
    """Only the kinds match ``{tipo:tipo}``: any other path is a 404."""

    regex = "|".join(TIPOS)


register_url_convertor("tipo", _TipoConvertor())


def _service(request: Request, tipo: str) -> VersionService[Any]:
    wired = services(request)
    return wired.versiones if tipo == "plantillas" else wired.versiones_leyendas


def _caller(request: Request) -> Caller | None:
    return web_sessions(request).caller(request)


def _csrf_ok(request: Request, sent: str) -> bool:
    return web_sessions(request).csrf_ok(request, sent)


def _login(request: Request) -> RedirectResponse:
    return web_sessions(request).redirect("/juridico/ingresar")


def _view(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return view(request, name, context, status)


async def _home(
    request: Request, caller: Caller, error: str | None = None, status: int = 200
) -> HTMLResponse:
    secciones = []
    for tipo in TIPOS.values():
        service = _service(request, tipo.ruta)
        filas = [
            {"clave": clave, "versiones": await run_in_threadpool(service.versions, clave)}
            for clave in service.claves()
        ]
        secciones.append({"tipo": tipo, "filas": filas})
    context = {"caller": caller, "secciones": secciones, "error": error}
    return _view(request, "juridico_inicio.html", context, status)


@router.get("/", response_class=HTMLResponse, response_model=None)
async def home(request: Request) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    return await _home(request, caller)


def _allowed(caller: Caller, record: VersionRecord) -> list[tuple[str, str]]:
    acciones = []
    for accion, paso in PASOS.items():
        if record.estado != paso.desde.value or caller.rol not in paso.roles:
            continue
        if own_version(
            accion, caller, creada_por=record.creada_por, enviada_por=record.enviada_por
        ):
            continue
        acciones.append((accion, ETIQUETAS[accion]))
    return acciones


async def _versions_page(
    request: Request,
    caller: Caller,
    tipo: str,
    clave: str,
    *,
    mensaje: str | None = None,
    hallazgos: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    try:
        versiones = await run_in_threadpool(_service(request, tipo).versions, clave)
    except DocServiceError as exc:
        return await _home(request, caller, exc.mensaje, exc.http_status)
    context = {
        "caller": caller,
        "tipo": TIPOS[tipo],
        "clave": clave,
        "filas": [{"v": v, "acciones": _allowed(caller, v)} for v in reversed(versiones)],
        "mensaje": mensaje,
        "hallazgos": hallazgos or [],
        "puede_subir": caller.rol in (Rol.JURIDICO, Rol.ADMIN),
    }
    return _view(request, "juridico_versiones.html", context, status)


@router.get("/{tipo:tipo}/{clave}", response_class=HTMLResponse, response_model=None)
async def versions(request: Request, tipo: str, clave: str) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    return await _versions_page(request, caller, tipo, clave)


@router.post("/{tipo:tipo}/{clave}/versiones", response_class=HTMLResponse, response_model=None)
async def upload(  # noqa: PLR0917  # path parts and one parameter per file of the form
    request: Request,
    tipo: str,
    clave: str,
    documento: Annotated[UploadFile, File()],
    esquema: Annotated[UploadFile, File(alias="schema")],
    ejemplo: Annotated[UploadFile, File()],
    manifest: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    if not _csrf_ok(request, csrf):
        return await _versions_page(request, caller, tipo, clave, mensaje=VENCIDO, status=400)
    files = VersionFiles(
        documento=await documento.read(), schema=await esquema.read(),
        ejemplo=await ejemplo.read(), manifest=await manifest.read(),
    )  # fmt: skip
    try:
        record = await run_in_threadpool(_service(request, tipo).submit, clave, files, caller)
    except DocServiceError as exc:
        return await _versions_page(
            request, caller, tipo, clave, mensaje="La versión no se aceptó.",
            hallazgos=[e.mensaje for e in exc.errores] or [exc.mensaje], status=exc.http_status,
        )  # fmt: skip
    mensaje = f"Versión {record.version} registrada como borrador."
    return await _versions_page(request, caller, tipo, clave, mensaje=mensaje)


@router.post(
    "/{tipo:tipo}/{clave}/versiones/{version}/{accion}",
    response_class=HTMLResponse,
    response_model=None,
)
async def act(  # noqa: PLR0917  # path parts and form fields
    request: Request, tipo: str, clave: str, version: int, accion: str,
    csrf: Annotated[str, Form()] = "", comentario: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    caller = _caller(request)
    if caller is None:
        return _login(request)
    if not _csrf_ok(request, csrf):
        return await _versions_page(request, caller, tipo, clave, mensaje=VENCIDO, status=400)
    service = _service(request, tipo)
    try:
        record = await run_in_threadpool(
            service.act, clave, version, accion, caller, comentario or None
        )
    except DocServiceError as exc:
        return await _versions_page(
            request, caller, tipo, clave, mensaje=exc.mensaje, status=exc.http_status
        )
    mensaje = f"Versión {version}: {record.estado}."
    return await _versions_page(request, caller, tipo, clave, mensaje=mensaje)


@router.get("/{tipo:tipo}/{clave}/versiones/{version}/vista-previa", response_model=None)
async def preview(request: Request, tipo: str, clave: str, version: int) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    try:
        pdf = await run_in_threadpool(_service(request, tipo).preview, clave, version)
    except DocServiceError as exc:
        return await _versions_page(
            request, caller, tipo, clave, mensaje=exc.mensaje, status=exc.http_status
        )
    headers = SECURITY_HEADERS | {
        "Content-Disposition": f'inline; filename="{clave}-v{version}.pdf"'
    }
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/{tipo:tipo}/{clave}/diff", response_class=HTMLResponse, response_model=None)
async def diff(request: Request, tipo: str, clave: str, de: int, a: int) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    try:
        result = await run_in_threadpool(_service(request, tipo).diff, clave, de, a)
    except DocServiceError as exc:
        return await _versions_page(
            request, caller, tipo, clave, mensaje=exc.mensaje, status=exc.http_status
        )
    context = {"caller": caller, "tipo": TIPOS[tipo], "clave": clave, "de": de, "a": a,
               "d": result}  # fmt: skip
    return _view(request, "juridico_diff.html", context)


__all__ = ["router"]
