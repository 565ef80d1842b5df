"""Pages for legal staff under ``/juridico/``: plantillas, upload, review, publish.

Login and logout are in ``ingreso``; the session (``sesion``) is a ledger row named by the
signed random id in the cookie, and every request re-checks its key (a revoked key logs out).
Every form carries the CSRF token; a POST without it is refused. Redirects go to the
configured public URL, never to the request's ``Host``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from docservice.documentos.versiones import VersionFiles
from docservice.errors import DocServiceError
from docservice.model import Caller, Rol
from docservice.registry.flujo import PASOS, Estado, own_version
from docservice.web.rendering import SECURITY_HEADERS
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


def _caller(request: Request) -> Caller | None:
    return web_sessions(request).caller(request)


def _csrf_ok(request: Request, sent: str) -> bool:
    return web_sessions(request).csrf_ok(request, sent)


def _login(request: Request) -> RedirectResponse:
    return web_sessions(request).redirect("/juridico/ingresar")


def _view(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return view(request, name, context, status)


@router.get("/", response_class=HTMLResponse, response_model=None)
async def home(request: Request) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    services = request.app.state.services
    filas = []
    for clave in services.documentos.registry.claves():
        versiones = await run_in_threadpool(services.versiones.versions, clave)
        filas.append({"clave": clave, "versiones": versiones})
    return _view(request, "juridico_inicio.html", {"caller": caller, "filas": filas})


def _allowed(caller: Caller, record: Any) -> list[tuple[str, str]]:
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


async def _plantilla_page(
    request: Request,
    caller: Caller,
    clave: str,
    *,
    mensaje: str | None = None,
    hallazgos: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    services = request.app.state.services
    versiones = await run_in_threadpool(services.versiones.versions, clave)
    context = {
        "caller": caller,
        "clave": clave,
        "filas": [{"v": v, "acciones": _allowed(caller, v)} for v in reversed(versiones)],
        "mensaje": mensaje,
        "hallazgos": hallazgos or [],
        "puede_subir": caller.rol in (Rol.JURIDICO, Rol.ADMIN),
    }
    return _view(request, "juridico_plantilla.html", context, status)


@router.get("/plantillas/{clave}", response_class=HTMLResponse, response_model=None)
async def plantilla(request: Request, clave: str) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    try:
        return await _plantilla_page(request, caller, clave)
    except DocServiceError as exc:
        return _view(
            request,
            "juridico_inicio.html",
            {"caller": caller, "filas": [], "error": exc.mensaje},
            exc.http_status,
        )


@router.post("/plantillas/{clave}/versiones", response_class=HTMLResponse, response_model=None)
async def upload(  # noqa: PLR0917  # one parameter per file of the form
    request: Request,
    clave: str,
    plantilla_docx: Annotated[UploadFile, File(alias="plantilla")],
    esquema: Annotated[UploadFile, File(alias="schema")],
    ejemplo: Annotated[UploadFile, File()],
    manifest: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    if not _csrf_ok(request, csrf):
        return await _plantilla_page(request, caller, clave, mensaje=VENCIDO, status=400)
    files = VersionFiles(
        docx=await plantilla_docx.read(), schema=await esquema.read(),
        ejemplo=await ejemplo.read(), manifest=await manifest.read(),
    )  # fmt: skip
    try:
        record = await run_in_threadpool(
            request.app.state.services.versiones.submit, clave, files, caller
        )
    except DocServiceError as exc:
        hallazgos = [e.mensaje for e in exc.errores] or [exc.mensaje]
        return await _plantilla_page(
            request,
            caller,
            clave,
            mensaje="La versión no se aceptó.",
            hallazgos=hallazgos,
            status=exc.http_status,
        )
    mensaje = f"Versión {record.version} registrada como borrador."
    return await _plantilla_page(request, caller, clave, mensaje=mensaje)


@router.post(
    "/plantillas/{clave}/versiones/{version}/{accion}",
    response_class=HTMLResponse,
    response_model=None,
)
async def act(  # noqa: PLR0917  # path parts and form fields
    request: Request, clave: str, version: int, accion: str,
    csrf: Annotated[str, Form()] = "", comentario: Annotated[str, Form(max_length=2000)] = "",
) -> Response:  # fmt: skip
    caller = _caller(request)
    if caller is None:
        return _login(request)
    if not _csrf_ok(request, csrf):
        return await _plantilla_page(request, caller, clave, mensaje=VENCIDO, status=400)
    service = request.app.state.services.versiones
    try:
        record = await run_in_threadpool(
            service.act, clave, version, accion, caller, comentario or None
        )
    except DocServiceError as exc:
        return await _plantilla_page(
            request, caller, clave, mensaje=exc.mensaje, status=exc.http_status
        )
    mensaje = f"Versión {version}: {record.estado}."
    return await _plantilla_page(request, caller, clave, mensaje=mensaje)


@router.get("/plantillas/{clave}/versiones/{version}/vista-previa", response_model=None)
async def preview(request: Request, clave: str, version: int) -> Response:
    if _caller(request) is None:
        return _login(request)
    pdf = await run_in_threadpool(request.app.state.services.versiones.preview, clave, version)
    headers = SECURITY_HEADERS | {
        "Content-Disposition": f'inline; filename="{clave}-v{version}.pdf"'
    }
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/plantillas/{clave}/diff", response_class=HTMLResponse, response_model=None)
async def diff(request: Request, clave: str, de: int, a: int) -> Response:
    caller = _caller(request)
    if caller is None:
        return _login(request)
    result = await run_in_threadpool(request.app.state.services.versiones.diff, clave, de, a)
    return _view(
        request,
        "juridico_diff.html",
        {"caller": caller, "clave": clave, "de": de, "a": a, "d": result},
    )


__all__ = ["Estado", "router"]
