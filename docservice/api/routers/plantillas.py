"""GET /v1/plantillas…: the forms the service can render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from docservice.api.deps import ANY_ROLE, ServicesDep, require_roles
from docservice.model import Caller
from docservice.registry import Plantilla

router = APIRouter(tags=["plantillas"])
AnyCaller = Annotated[Caller, Depends(require_roles(*ANY_ROLE))]


def summary(plantilla: Plantilla) -> dict[str, Any]:
    m = plantilla.manifest
    return {
        "clave": m.clave,
        "nombre": m.nombre,
        "version": m.version,
        "estado": plantilla.estado,
        "descripcion": m.descripcion,
    }


@router.get("/plantillas", summary="Listar las plantillas publicadas")
def list_plantillas(services: ServicesDep, _: AnyCaller) -> dict[str, Any]:
    registry = services.documentos.registry
    return {"plantillas": [summary(registry.current(c)) for c in registry.claves()]}


@router.get("/plantillas/{clave}", summary="Detalle de una plantilla")
def get_plantilla(clave: str, services: ServicesDep, _: AnyCaller) -> dict[str, Any]:
    registry = services.documentos.registry
    plantilla = registry.current(clave)
    m = plantilla.manifest
    return summary(plantilla) | {
        "formato_clave": m.formato_clave,
        "fundamento": list(m.fundamento),
        "plantilla_sha256": plantilla.docx_sha256,
        "versiones": sorted(registry.plantillas[clave]),
        "versiones_retiradas": sorted(registry.retiradas.get(clave, {})),
        "campos": sorted(plantilla.schema.get("properties", {})),
        "esquema": f"/v1/plantillas/{clave}/esquema",
    }


@router.get(
    "/plantillas/{clave}/esquema",
    summary="JSON Schema de los datos de una plantilla",
    response_class=JSONResponse,
    responses={
        200: {
            "description": "El esquema (JSON Schema 2020-12)",
            "content": {"application/schema+json": {"schema": {"type": "object"}}},
        }
    },
)
def get_schema(clave: str, services: ServicesDep, _: AnyCaller) -> JSONResponse:
    plantilla = services.documentos.registry.current(clave)
    return JSONResponse(plantilla.schema, media_type="application/schema+json")
