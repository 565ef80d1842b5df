"""/v1/leyendas/{clave}/versiones…: leyenda versions, the same life as plantillas'."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from docservice.api.deps import ANY_ROLE, ServicesDep, require_roles
from docservice.api.routers.versiones import (
    _ERRORS,
    PREVIEW_ERRORS,
    PREVIEW_ROLES,
    Accion,
    Comentario,
    VersionInfo,
)
from docservice.documentos.versiones_leyendas import LeyendaFiles
from docservice.model import Caller, Rol

router = APIRouter(tags=["versiones de leyendas"])


@router.post(
    "/leyendas/{clave}/versiones",
    summary="Subir una nueva versión de una leyenda",
    status_code=201,
    responses=_ERRORS,
)
async def submit_leyenda_version(
    *,
    clave: str,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(Rol.JURIDICO))],
    texto: Annotated[UploadFile, File(description="leyenda.txt")],
    esquema: Annotated[UploadFile, File(alias="schema", description="schema.json")],
    ejemplo: Annotated[UploadFile, File(description="ejemplo.json")],
    manifest: Annotated[UploadFile, File(description="manifest.toml")],
) -> VersionInfo:
    files = LeyendaFiles(
        texto=await texto.read(),
        schema=await esquema.read(),
        ejemplo=await ejemplo.read(),
        manifest=await manifest.read(),
    )
    record = await run_in_threadpool(services.versiones_leyendas.submit, clave, files, caller)
    return VersionInfo.of(record)


@router.get("/leyendas/{clave}/versiones", summary="Versiones de una leyenda", responses=_ERRORS)
async def list_leyenda_versions(
    clave: str, services: ServicesDep, _: Annotated[Caller, Depends(require_roles(*ANY_ROLE))]
) -> dict[str, Any]:
    records = await run_in_threadpool(services.versiones_leyendas.versions, clave)
    return {"clave": clave, "versiones": [VersionInfo.of(r) for r in records]}


@router.get(
    "/leyendas/{clave}/versiones/{version}/vista-previa",
    summary="La hoja de certificación de la versión (marca de borrador si no está publicada)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **PREVIEW_ERRORS},
)
async def preview_leyenda_version(
    clave: str,
    version: int,
    services: ServicesDep,
    _: Annotated[Caller, Depends(require_roles(*PREVIEW_ROLES))],
) -> Response:
    pdf = await run_in_threadpool(services.versiones_leyendas.preview, clave, version)
    return Response(pdf, media_type="application/pdf")


@router.post(
    "/leyendas/{clave}/versiones/{version}/{accion:accion}",
    summary="Enviar, devolver, aprobar, publicar o retirar una versión de leyenda",
    responses=_ERRORS,
)
async def act_on_leyenda_version(
    *,
    clave: str,
    version: int,
    accion: Accion,
    services: ServicesDep,
    caller: Annotated[Caller, Depends(require_roles(*ANY_ROLE))],
    cuerpo: Annotated[Comentario | None, Body()] = None,
) -> VersionInfo:
    comentario = cuerpo.comentario if cuerpo else None
    act = partial(services.versiones_leyendas.act, clave, version, accion, caller, comentario)
    return VersionInfo.of(await run_in_threadpool(act))
