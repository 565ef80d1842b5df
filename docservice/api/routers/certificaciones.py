"""POST /v1/certificaciones: a certified copy of an uploaded PDF."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from docservice.api.deps import ServicesDep, require_roles
from docservice.api.problems import problem_responses
from docservice.api.routers.documentos import parse_json_body
from docservice.certify import CertificationRequest
from docservice.errors import DatosInvalidos, FieldError
from docservice.model import Caller, Rol

router = APIRouter(tags=["certificaciones"])

_RESPONSES = problem_responses(
    (400, "datos no es JSON"),
    (401, "Sin llave o llave inválida"),
    (403, "Rol sin permiso"),
    (404, "Leyenda o perfil inexistente"),
    (413, "Archivo demasiado grande"),
    (422, "PDF cifrado, dañado, vacío o demasiado largo; datos fuera del esquema"),
    (502, "TSA sin respuesta; el folio queda anulado"),
    (503, "Servicio saturado o perfil no disponible"),
)


@router.post(
    "/certificaciones",
    summary="Certificar una copia",
    description=(
        "Folia cada página (foja, folio y huella del original), agrega la hoja de "
        "certificación con la leyenda y firma como certificación. El número de fojas lo "
        "cuenta el servicio del archivo; no se recibe del solicitante."
    ),
    response_class=Response,
    responses={
        200: {"description": "La copia certificada (PDF)", "content": {"application/pdf": {}}},
        **_RESPONSES,
    },
)
async def certify_copy(
    *,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.SISTEMA, Rol.JURIDICO))],
    archivo: Annotated[UploadFile, File(description="El PDF a certificar")],
    leyenda: Annotated[str, Form(min_length=1, max_length=64, description="Clave de la leyenda")],
    datos: Annotated[str, Form(min_length=2, description="Datos de la leyenda: un objeto JSON")],
    impresion: Annotated[
        Literal["una_cara", "doble_cara"],
        Form(description="doble_cara: dos páginas por foja"),
    ] = "una_cara",
    perfil: Annotated[
        str | None, Form(min_length=1, max_length=64, description="Perfil de firma")
    ] = None,
    serie: Annotated[
        str | None, Form(pattern=r"^[A-Z0-9][A-Z0-9-]{0,19}$", description="Serie de folios")
    ] = None,
) -> Response:
    payload = parse_json_body(datos.encode())
    if not isinstance(payload, dict):
        raise DatosInvalidos(
            "los datos de la leyenda deben ser un objeto JSON",
            errores=(FieldError("/datos", "debe ser un objeto JSON"),),
        )
    pdf = await archivo.read()
    copy = await run_in_threadpool(
        services.certificaciones.certify,
        CertificationRequest(
            pdf=pdf,
            leyenda=leyenda,
            datos=payload,
            solicitante=caller.nombre,
            impresion=impresion,
            perfil_firma=perfil,
            serie=serie,
        ),
    )
    return Response(
        copy.contenido,
        media_type="application/pdf",
        headers={
            "X-Folio": copy.constancia.folio,
            "X-Fojas": str(copy.fojas),
            "X-Paginas": str(copy.paginas),
            "X-Original-SHA256": copy.sha256_original,
            "X-Contenido-SHA256": copy.constancia.contenido_sha256 or "",
            "Content-Disposition": f'inline; filename="{copy.filename}"',
        },
    )
