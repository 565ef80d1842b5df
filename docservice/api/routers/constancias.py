"""/v1/constancias: issue under a folio, read its record and file, cancel it."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from docservice.api.deps import ANY_ROLE, ServicesDep, require_roles
from docservice.api.openapi import json_body
from docservice.api.problems import problem_responses, pydantic_errors
from docservice.api.routers.documentos import parse_json_body
from docservice.constancias import ConstanciaRequest, file_name
from docservice.errors import DatosInvalidos
from docservice.ledger import ConstanciaRecord
from docservice.model import Caller, Rol

router = APIRouter(tags=["constancias"])

SERIE = r"^[A-Z0-9][A-Z0-9-]{0,19}$"


class SolicitudConstancia(BaseModel):
    """Cuerpo de ``POST /v1/constancias``."""

    model_config = ConfigDict(extra="forbid")

    plantilla: str = Field(min_length=1, max_length=64, description="Clave de la plantilla")
    datos: dict[str, Any] = Field(description="Datos del caso, según el esquema de la plantilla")
    serie: str | None = Field(
        default=None, pattern=SERIE, description="Serie de folios; la configurada si se omite"
    )
    version: int | None = Field(default=None, ge=1, description="Versión de la plantilla")
    perfil: str | None = Field(
        default=None, min_length=1, max_length=64, description="Perfil de firma de certificación"
    )


class Cancelacion(BaseModel):
    """Cuerpo de ``POST /v1/constancias/{folio}/cancelacion``."""

    model_config = ConfigDict(extra="forbid")

    motivo: str = Field(min_length=1, max_length=500, description="Por qué deja de tener efectos")


class ConstanciaInfo(BaseModel):
    """Lo que el registro guarda de un folio."""

    folio: str
    tipo: str = Field(description="constancia o certificacion")
    estado: str = Field(description="reservado, emitido o anulado")
    vigente: bool = Field(description="Emitida y no cancelada")
    plantilla: str
    plantilla_version: int | None
    documento_id: str | None
    contenido_sha256: str | None
    emisor: str | None
    solicitante: str
    deudor_nombre: str | None
    deudor_rfc: str | None
    reservado_en: datetime
    emitido_en: datetime | None
    anulado_motivo: str | None
    cancelada_en: datetime | None
    cancelacion_motivo: str | None
    cancelada_por: str | None

    @classmethod
    def of(cls, record: ConstanciaRecord) -> ConstanciaInfo:
        fields = {name: getattr(record, name) for name in cls.model_fields if name != "vigente"}
        return cls(vigente=record.vigente, **fields)


Serie = Annotated[str, Path(pattern=SERIE, description="Serie, p. ej. CONST")]
Anio = Annotated[int, Path(ge=2000, le=2999, description="Año del folio")]
Numero = Annotated[int, Path(ge=1, le=999_999_999, description="Número consecutivo")]


def folio_of(serie: str, anio: int, numero: int) -> str:
    return f"{serie}/{anio:04d}/{numero:06d}"


def _pdf_response(contenido: bytes, record: ConstanciaRecord) -> Response:
    return Response(
        contenido,
        media_type="application/pdf",
        headers={
            "X-Folio": record.folio,
            "X-Documento-Id": record.documento_id or "",
            "X-Contenido-SHA256": record.contenido_sha256 or "",
            "Content-Disposition": f'inline; filename="{file_name(record.folio)}"',
        },
    )


@router.post(
    "/constancias",
    summary="Emitir una constancia con folio",
    response_class=Response,
    responses={
        200: {"description": "La constancia firmada (PDF)", "content": {"application/pdf": {}}},
        **problem_responses(
            (400, "JSON mal formado"),
            (401, "Sin llave o llave inválida"),
            (403, "Rol sin permiso"),
            (404, "Plantilla, versión o perfil inexistente"),
            (422, "Datos que no cumplen el esquema; no se toma folio"),
            (502, "Conversión fallida o TSA sin respuesta; el folio queda anulado"),
            (503, "Servicio saturado o perfil no disponible"),
        ),
    },
    openapi_extra=json_body(SolicitudConstancia),
)
async def issue_constancia(
    request: Request,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.SISTEMA, Rol.JURIDICO))],
) -> Response:
    try:
        solicitud = SolicitudConstancia.model_validate(parse_json_body(await request.body()))
    except ValidationError as exc:
        raise DatosInvalidos(
            "la solicitud no es válida", errores=pydantic_errors(exc.errors())
        ) from exc
    issued = await run_in_threadpool(
        services.constancias.issue,
        ConstanciaRequest(
            plantilla=solicitud.plantilla,
            datos=solicitud.datos,
            solicitante=caller.nombre,
            serie=solicitud.serie,
            version=solicitud.version,
            perfil_firma=solicitud.perfil,
        ),
    )
    return _pdf_response(issued.contenido, issued.constancia)


_READ_ERRORS = problem_responses(
    (401, "Sin llave o llave inválida"), (404, "Folio inexistente"), (422, "Folio mal formado")
)


@router.get(
    "/constancias/{serie}/{anio}/{numero}",
    summary="Datos de un folio",
    responses=_READ_ERRORS,
)
async def get_constancia(
    services: ServicesDep,
    _caller: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
    serie: Serie,
    anio: Anio,
    numero: Numero,
) -> ConstanciaInfo:
    record = await run_in_threadpool(services.constancias.get, folio_of(serie, anio, numero))
    return ConstanciaInfo.of(record)


@router.get(
    "/constancias/{serie}/{anio}/{numero}/pdf",
    summary="El PDF emitido con un folio",
    response_class=Response,
    responses={
        200: {"description": "El archivo guardado", "content": {"application/pdf": {}}},
        **_READ_ERRORS,
        **problem_responses((409, "El folio fue anulado: no tiene documento")),
    },
)
async def get_constancia_pdf(
    services: ServicesDep,
    _caller: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
    serie: Serie,
    anio: Anio,
    numero: Numero,
) -> Response:
    folio = folio_of(serie, anio, numero)
    record = await run_in_threadpool(services.constancias.get, folio)
    contenido = await run_in_threadpool(services.constancias.pdf, folio)
    return _pdf_response(contenido, record)


@router.post(
    "/constancias/{serie}/{anio}/{numero}/cancelacion",
    summary="Cancelar una constancia",
    responses={
        **_READ_ERRORS,
        **problem_responses(
            (403, "Solo aprobador o admin"), (409, "Ya cancelada, o el folio no se emitió")
        ),
    },
)
async def cancel_constancia(
    *,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.APROBADOR))],
    serie: Serie,
    anio: Anio,
    numero: Numero,
    cancelacion: Cancelacion,
) -> ConstanciaInfo:
    folio = folio_of(serie, anio, numero)
    cancel = partial(services.constancias.cancel, folio, cancelacion.motivo, caller.nombre)
    return ConstanciaInfo.of(await run_in_threadpool(cancel))
