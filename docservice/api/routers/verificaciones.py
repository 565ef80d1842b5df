"""POST /v1/verificaciones: the verification report of any PDF."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from starlette.concurrency import run_in_threadpool

from docservice.api.deps import ServicesDep, require_roles
from docservice.api.problems import problem_responses
from docservice.model import Caller, Rol
from docservice.verify import Reporte

router = APIRouter(tags=["verificaciones"])


@router.post(
    "/verificaciones",
    summary="Verificar las firmas de un PDF",
    description=(
        "Valida cada firma (integridad, confianza, revocación, cambios posteriores, nivel "
        "PAdES) y busca el documento en el registro de docservice por la huella del archivo "
        "o de cualquier revisión firmada. «no_valida» es un resultado, no un error."
    ),
    responses=problem_responses(
        (401, "Sin llave o llave inválida"),
        (403, "Solo auditor o admin"),
        (413, "Archivo demasiado grande"),
        (422, "No es un PDF, está dañado o cifrado, o excede los límites de tiempo o memoria"),
        (503, "Todos los procesos de verificación ocupados"),
    ),
)
async def verify_upload(
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.AUDITOR))],
    archivo: Annotated[UploadFile, File(description="El PDF a verificar")],
) -> Reporte:
    data = await archivo.read()
    verify = partial(services.verificaciones.verify, solicitante=caller.nombre)
    return await run_in_threadpool(verify, data)
