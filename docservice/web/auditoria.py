"""The auditor's page ``/auditoria/verificar``: upload a PDF, read the report, keep it as PDF.

Authenticated like the API (an auditor or admin key, typed into the form: no cookies, so no
CSRF); the report's PDF travels inside the page as a ``data:`` download, nothing is stored.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from docservice.errors import DocServiceError
from docservice.model import Rol
from docservice.verify.pdf import report_pdf
from docservice.verify.text import VEREDICTOS
from docservice.web.rendering import page
from docservice.web.servicios import services as services_of

router = APIRouter(include_in_schema=False)
ROLES = {Rol.AUDITOR, Rol.ADMIN}


@router.get("/auditoria/verificar", response_class=HTMLResponse)
async def form(request: Request) -> HTMLResponse:
    return page(request, "auditoria_formulario.html", {"error": None}, 200)


def _refuse(request: Request, message: str, status: int) -> HTMLResponse:
    return page(request, "auditoria_formulario.html", {"error": message}, status)


@router.post("/auditoria/verificar", response_class=HTMLResponse)
async def verify(
    request: Request,
    llave: Annotated[str, Form(max_length=200)] = "",
    archivo: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    services = services_of(request)
    caller = await run_in_threadpool(services.ledger.authenticate, llave.strip())
    if caller is None:
        return _refuse(request, "La llave no es válida o fue revocada.", 401)
    if caller.rol not in ROLES:
        return _refuse(
            request, "Solo una llave de auditor o de administración puede verificar.", 403
        )
    data = await archivo.read() if archivo is not None else b""
    if not data:
        return _refuse(request, "Elija el PDF que desea verificar.", 422)
    try:
        report = await run_in_threadpool(
            services.verificaciones.verify, data, solicitante=caller.nombre
        )
    except DocServiceError as exc:
        return _refuse(request, f"No se pudo verificar: {exc.mensaje}.", exc.http_status)
    pdf = await run_in_threadpool(report_pdf, report)
    context: dict[str, Any] = {
        "r": report,
        "nombre": archivo.filename if archivo is not None else "documento.pdf",
        "veredicto": VEREDICTOS[report.veredicto],
        "pdf_base64": base64.b64encode(pdf).decode(),
        "pdf_nombre": f"verificacion-{report.documento.sha256[:12]}.pdf",
    }
    return page(request, "auditoria_reporte.html", context, 200)
