"""GET /healthz: is the service able to produce documents."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from docservice.api.deps import ServicesDep

router = APIRouter(tags=["salud"])


@router.get("/healthz", summary="Estado del servicio")
def health(services: ServicesDep) -> JSONResponse:
    pool = services.pool.health()
    registry = services.documentos.registry
    llenado = services.render_pool.alive()
    verificacion = services.verifier_pool.alive()
    sano = pool.sano and registry.claves() and llenado > 0 and verificacion > 0
    body = {
        "estado": "ok" if sano else "degradado",
        "conversion": {
            "procesos": [asdict(p) for p in pool.procesos],
            "en_espera": pool.en_espera,
            "aislado_de_red": pool.aislado_de_red,
        },
        "llenado": {
            "procesos_vivos": llenado,
            "procesos": services.settings.render.procesos,
        },
        "verificacion": {
            "procesos_vivos": verificacion,
            "procesos": services.settings.verificacion.workers,
        },
        "plantillas": {"disponibles": registry.claves(), "con_problemas": registry.problemas},
        "firma": {
            "perfiles_disponibles": services.signers.disponibles(),
            "perfiles_con_problemas": services.signers.fallas,
        },
    }
    return JSONResponse(body, status_code=200 if body["estado"] == "ok" else 503)
