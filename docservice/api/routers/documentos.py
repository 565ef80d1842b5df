"""POST /v1/documentos: case data in, finished document out."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from docservice.api.deps import ServicesDep, require_roles
from docservice.api.openapi import json_body
from docservice.api.problems import problem_responses, pydantic_errors
from docservice.documentos import MEDIA_TYPES, DocumentRequest
from docservice.errors import DatosInvalidos, JsonMalformado
from docservice.model import Caller, Rol

router = APIRouter(tags=["documentos"])


class FirmaSolicitada(BaseModel):
    """Firma electrónica del documento con un perfil configurado."""

    model_config = ConfigDict(extra="forbid")

    perfil: str = Field(
        min_length=1, max_length=64, description="Perfil de firma, p. ej. desarrollo"
    )


class SolicitudDocumento(BaseModel):
    """Cuerpo de ``POST /v1/documentos``."""

    # The service refuses a signed DOCX; the schema says so, so clients (and fuzzers) know.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "if": {"required": ["firma"], "properties": {"firma": {"type": "object"}}},
            "then": {"properties": {"formato": {"const": "pdf"}}},
        },
    )

    plantilla: str = Field(min_length=1, max_length=64, description="Clave de la plantilla")
    version: int | None = Field(
        default=None, ge=1, description="Versión publicada; la vigente si se omite"
    )
    datos: dict[str, Any] = Field(description="Datos del caso, según el esquema de la plantilla")
    formato: Literal["pdf", "docx"] = "pdf"
    firma: FirmaSolicitada | None = Field(
        default=None, description="Si se indica, el PDF sale firmado"
    )


def parse_json_body(raw: bytes) -> Any:
    """JSON with decimals kept exact (never float)."""
    try:
        return json.loads(raw, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise JsonMalformado(f"el cuerpo no es JSON válido: {exc}") from exc


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "El documento (PDF o DOCX)",
        "content": {media_type: {} for media_type in MEDIA_TYPES.values()},
    },
    **problem_responses(
        (400, "JSON mal formado"),
        (401, "Sin llave o llave inválida"),
        (403, "Rol sin permiso"),
        (404, "Plantilla, versión o perfil de firma inexistente"),
        (413, "Cuerpo demasiado grande"),
        (422, "Datos que no cumplen el esquema; lista cada campo"),
        (502, "Conversión fallida, o TSA/OCSP sin respuesta"),
        (503, "Servicio saturado o perfil de firma no disponible"),
    ),
}


@router.post(
    "/documentos",
    summary="Generar un documento",
    response_class=Response,
    responses=_RESPONSES,
    openapi_extra=json_body(SolicitudDocumento),
)
async def create_document(
    request: Request,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.SISTEMA, Rol.JURIDICO))],
) -> Response:
    payload = parse_json_body(await request.body())
    try:
        solicitud = SolicitudDocumento.model_validate(payload)
    except ValidationError as exc:
        raise DatosInvalidos(
            "la solicitud no es válida", errores=pydantic_errors(exc.errors())
        ) from exc
    produced = await run_in_threadpool(
        services.documentos.produce,
        DocumentRequest(
            plantilla=solicitud.plantilla,
            version=solicitud.version,
            datos=solicitud.datos,
            formato=solicitud.formato,
            solicitante=caller.nombre,
            perfil_firma=solicitud.firma.perfil if solicitud.firma else None,
        ),
    )
    return Response(
        produced.contenido,
        media_type=produced.media_type,
        headers={
            "X-Documento-Id": produced.id,
            "X-Plantilla-Version": str(produced.version),
            "X-Plantilla-Estado": produced.estado,
            "X-Contenido-SHA256": produced.sha256,
            "Content-Disposition": f'inline; filename="{produced.filename}"',
        },
    )
