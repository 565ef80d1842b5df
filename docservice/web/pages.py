"""The public verification page ``/verificar/{folio}``: no key, nothing private shown.

Status, type, issue date, issuer, the file's SHA-256, and the debtor's name with the RFC
masked. Served from Jinja2 templates (autoescaped) with a strict Content-Security-Policy:
the page loads nothing but its own stylesheet.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from docservice.constancias import PublicStatus
from docservice.errors import DocServiceError, NoEncontrado
from docservice.formato import fecha_larga
from docservice.ledger import DocumentRecord
from docservice.web.rendering import page
from docservice.web.servicios import services as services_of

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ESTADOS = {
    "vigente": ("Vigente", "El documento fue emitido por esta oficina y está en vigor."),
    "cancelada": ("Cancelada", "El documento fue emitido por esta oficina, pero se canceló."),
    "anulada": ("Folio anulado", "Este folio se reservó pero no llegó a emitirse documento."),
    "en_proceso": ("En proceso", "El documento con este folio se está emitiendo."),
}

router = APIRouter(include_in_schema=False)


def moment_text(moment: datetime | None, zona: ZoneInfo) -> str | None:
    """ "25 de noviembre de 2026, 10:32 h" in the service's time zone."""
    if moment is None:
        return None
    local = moment.astimezone(zona)
    return f"{fecha_larga(local)}, {local:%H:%M} h"


def _not_found(request: Request, buscado: str) -> HTMLResponse:
    return page(request, "no_encontrado.html", {"buscado": buscado[:120]}, 404)


def _status_context(status: PublicStatus, zona: ZoneInfo) -> dict[str, Any]:
    titulo, explicacion = ESTADOS[status.estado]
    return {
        "s": status,
        "estado_titulo": titulo,
        "explicacion": explicacion,
        "emitido": moment_text(status.emitido_en, zona),
        "cancelada": moment_text(status.cancelada_en, zona),
    }


@router.get("/verificar/{serie}/{anio}/{numero}", response_class=HTMLResponse)
async def verify_folio(request: Request, serie: str, anio: str, numero: str) -> HTMLResponse:
    folio = f"{serie}/{anio}/{numero}"
    services = services_of(request)
    constancias = services.constancias
    try:
        status = await run_in_threadpool(constancias.public_status, folio)
    except NoEncontrado:
        return _not_found(request, folio)
    zona = ZoneInfo(services.settings.zona_horaria)
    return page(request, "verificacion.html", _status_context(status, zona), 200)


@router.get("/verificar/{buscado:path}", response_class=HTMLResponse)
async def verify_document(request: Request, buscado: str) -> HTMLResponse:
    """A signed document without folio: its QR carries the document id."""
    if not UUID.fullmatch(buscado):
        return _not_found(request, buscado)
    services = services_of(request)
    ledger = services.ledger
    try:
        record: DocumentRecord | None = await run_in_threadpool(ledger.get_document, buscado)
    except DocServiceError:
        record = None
    if record is None:
        return _not_found(request, buscado)
    zona = ZoneInfo(services.settings.zona_horaria)
    context = {"d": record, "creado": moment_text(record.creado, zona)}
    return page(request, "documento.html", context, 200)
