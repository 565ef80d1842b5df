"""The API on an app: routers, problem+json, OpenAPI and body-size limits."""

from __future__ import annotations

from fastapi import FastAPI

from docservice.api import openapi, problems
from docservice.api.limits import BodySizeLimit
from docservice.api.routers import (
    certificaciones,
    constancias,
    documentos,
    firmas,
    plantillas,
    salud,
    verificaciones,
    versiones,
)
from docservice.config import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """The /v1 routers, /healthz, problem+json, the OpenAPI document and body-size limits."""
    problems.install(app)
    openapi.install(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.api.max_body_bytes,
        per_path={
            "/v1/certificaciones": settings.certificaciones.max_archivo_bytes,
            "/v1/verificaciones": settings.verificacion.max_archivo_bytes,
            "/auditoria/verificar": settings.verificacion.max_archivo_bytes,
        },
    )
    app.include_router(documentos.router, prefix="/v1")
    app.include_router(constancias.router, prefix="/v1")
    app.include_router(certificaciones.router, prefix="/v1")
    app.include_router(verificaciones.router, prefix="/v1")
    app.include_router(firmas.router, prefix="/v1")
    app.include_router(plantillas.router, prefix="/v1")
    app.include_router(versiones.router, prefix="/v1")
    app.include_router(salud.router)
