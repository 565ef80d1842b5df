"""/v1/plantillas/{clave}/versiones…: submit, review, publish, retire, preview and diff."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Body, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from docservice.api.deps import ANY_ROLE, ServicesDep, require_roles
from docservice.api.problems import problem_responses
from docservice.documentos.versiones import VersionFiles
from docservice.ledger import VersionRecord
from docservice.model import Caller, Rol

router = APIRouter(tags=["versiones de plantillas"])
PREVIEW_ROLES = (Rol.JURIDICO, Rol.APROBADOR)
"""Who may render a version (admin always may); auditors and systems may not."""
Accion = Literal["enviar", "devolver", "aprobar", "publicar", "retirar"]


class _AccionConvertor(StringConvertor):
    """Only the actions match ``{accion:accion}``: «vista-previa» is not an action, so a method
    its own route lacks gets 405 rather than a 422 from the action route."""

    regex = "|".join(get_args(Accion))


register_url_convertor("accion", _AccionConvertor())


class VersionInfo(BaseModel):
    clave: str
    version: int
    estado: str
    creada_por: str
    creada_en: datetime
    enviada_por: str | None
    actualizada_en: datetime
    comentario: str | None
    plantilla_sha256: str
    schema_sha256: str
    ejemplo_sha256: str
    manifest_sha256: str

    @classmethod
    def of(cls, record: VersionRecord) -> VersionInfo:
        values = asdict(record)
        return cls(plantilla_sha256=record.documento_sha256, **values)


class Comentario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comentario: str | None = Field(default=None, max_length=2000)


_ERRORS = problem_responses(
    (401, "Sin llave o llave inválida"),
    (403, "Rol sin permiso o revisión de la propia versión"),
    (404, "Plantilla o versión inexistente"),
    (409, "La versión no está en el estado que la acción exige"),
    (413, "Archivos demasiado grandes"),
    (422, "La versión no pasó la revisión: lista cada hallazgo"),
)
PREVIEW_ERRORS = {
    **_ERRORS,
    **problem_responses(
        (422, "Datos inválidos, o el llenado excedió su límite de tiempo o memoria"),
        (429, "Demasiadas vistas previas a la vez (con Retry-After)"),
        (503, "Procesos de llenado ocupados (con Retry-After)"),
    ),
}


@router.post(
    "/plantillas/{clave}/versiones", summary="Subir una nueva versión", status_code=201,
    responses=_ERRORS,
)  # fmt: skip
async def submit_version(
    *,
    clave: str,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.JURIDICO))],
    docx: Annotated[UploadFile, File(description="plantilla.docx")],
    esquema: Annotated[UploadFile, File(alias="schema", description="schema.json")],
    ejemplo: Annotated[UploadFile, File(description="ejemplo.json")],
    manifest: Annotated[UploadFile, File(description="manifest.toml")],
) -> VersionInfo:
    files = VersionFiles(
        docx=await docx.read(), schema=await esquema.read(),
        ejemplo=await ejemplo.read(), manifest=await manifest.read(),
    )  # fmt: skip
    record = await run_in_threadpool(services.versiones.submit, clave, files, caller)
    return VersionInfo.of(record)


@router.get(
    "/plantillas/{clave}/versiones", summary="Versiones de una plantilla", responses=_ERRORS
)
async def list_versions(
    clave: str, services: ServicesDep, _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))]
) -> dict[str, Any]:
    records = await run_in_threadpool(services.versiones.versions, clave)
    return {"clave": clave, "versiones": [VersionInfo.of(r) for r in records]}


@router.get("/plantillas/{clave}/versiones/{version}", summary="Una versión", responses=_ERRORS)
async def get_version(
    clave: str,
    version: int,
    services: ServicesDep,
    _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
) -> VersionInfo:
    return VersionInfo.of(await run_in_threadpool(services.versiones.version, clave, version))


@router.get(
    "/plantillas/{clave}/versiones/{version}/vista-previa",
    summary="Vista previa en PDF (con marca «BORRADOR — SIN VALIDEZ» si no está publicada)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **PREVIEW_ERRORS},
)
async def preview_version(
    clave: str,
    version: int,
    services: ServicesDep,
    _: Annotated[Caller, Depends(require_roles(*PREVIEW_ROLES))],
) -> Response:
    pdf = await run_in_threadpool(services.versiones.preview, clave, version)
    return Response(pdf, media_type="application/pdf")


@router.get(
    "/plantillas/{clave}/diff", summary="Diferencias entre dos versiones", responses=_ERRORS
)
async def diff_versions(
    clave: str,
    services: ServicesDep,
    _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
    de: Annotated[int, Query(ge=1)],
    a: Annotated[int, Query(ge=1)],
) -> dict[str, Any]:
    diff = await run_in_threadpool(services.versiones.diff, clave, de, a)
    return {"clave": clave, "de": de, "a": a, **asdict(diff)}


@router.post(
    "/plantillas/{clave}/versiones/{version}/vista-previa",
    summary="Vista previa en PDF con datos dados",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **PREVIEW_ERRORS},
)
async def preview_with_data(
    clave: str,
    version: int,
    services: ServicesDep,
    _: Annotated[Caller, Depends(require_roles(*PREVIEW_ROLES))],
    datos: Annotated[dict[str, Any], Body(embed=True, description="Datos del caso")],
) -> Response:
    pdf = await run_in_threadpool(services.versiones.preview, clave, version, datos)
    return Response(pdf, media_type="application/pdf")


@router.post(
    "/plantillas/{clave}/versiones/{version}/{accion:accion}",
    summary="Enviar, devolver, aprobar, publicar o retirar una versión",
    responses=_ERRORS,
)
async def act_on_version(
    *,
    clave: str,
    version: int,
    accion: Accion,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
    cuerpo: Annotated[Comentario | None, Body()] = None,
) -> VersionInfo:
    comentario = cuerpo.comentario if cuerpo else None
    act = partial(services.versiones.act, clave, version, accion, caller, comentario)
    return VersionInfo.of(await run_in_threadpool(act))
