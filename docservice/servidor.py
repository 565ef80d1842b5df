"""The HTTP service: the API and the pages on one FastAPI app, over the wired services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from docservice import api, web
from docservice.bootstrap import Services
from docservice.config import Settings
from docservice.convert import ConverterPool


def create_app(settings: Settings, *, pool: ConverterPool | None = None) -> FastAPI:
    """The HTTP app; at start it upgrades the database (``Services.upgrade``, once however many
    processes start). A ``pool`` passed in is used as is and left running at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services(settings, pool=pool)
        try:
            await run_in_threadpool(_start, services)
            app.state.services = services
            yield
        finally:
            await run_in_threadpool(services.close)

    app = FastAPI(
        title="docservice",
        summary="Documentos oficiales de cobro coactivo: generar, firmar, certificar, verificar",
        version="0.1.0",
        lifespan=lifespan,
    )
    api.install(app, settings)
    web.install(app)
    return app


def _start(services: Services) -> None:
    services.upgrade()
    services.build_all()
    services.start_up()
    services.start(convert=True, render=True, verify=True, sweep=True, drafts=True)
    if services.settings.render.precompilar:
        services.start_warming()
