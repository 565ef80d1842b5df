"""POST /v1/firmas: sign a PDF someone uploads."""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from docservice.api.deps import ServicesDep, require_roles
from docservice.api.problems import problem_responses
from docservice.model import Caller, Rol

router = APIRouter(tags=["firmas"])

_ERRORS = problem_responses(
    (401, "Sin llave o llave inválida"),
    (403, "Rol sin permiso"),
    (404, "Perfil de firma inexistente"),
    (409, "El documento no admite más firmas (firma de certificación)"),
    (413, "Archivo demasiado grande"),
    (422, "PDF cifrado, dañado o que no es PDF"),
    (502, "TSA u OCSP sin respuesta"),
    (503, "Perfil de firma no disponible"),
)


@router.post(
    "/firmas",
    summary="Firmar un PDF",
    response_class=Response,
    responses={
        200: {"description": "El PDF firmado", "content": {"application/pdf": {}}},
        **_ERRORS,
    },
)
async def sign_upload(
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.SISTEMA, Rol.JURIDICO))],
    archivo: Annotated[UploadFile, File(description="El PDF a firmar")],
    perfil: Annotated[str, Form(min_length=1, max_length=64, description="Perfil de firma")],
) -> Response:
    pdf = await archivo.read()
    signed = await run_in_threadpool(
        partial(services.documentos.sign_upload, solicitante=caller.nombre), pdf, perfil
    )
    return Response(
        signed,
        media_type="application/pdf",
        headers={
            "X-Contenido-SHA256": hashlib.sha256(signed).hexdigest(),
            "Content-Disposition": 'inline; filename="firmado.pdf"',
        },
    )
