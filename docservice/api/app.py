"""The FastAPI application factory: the composition root of the HTTP service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from docservice import web
from docservice.api import openapi, problems
from docservice.api.deps import Services
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
    versiones_leyendas,
)
from docservice.certify import CertificationService
from docservice.config import Settings
from docservice.constancias import ConstanciaService
from docservice.convert import ConverterPool
from docservice.documentos import DocumentService
from docservice.documentos.issuing import FolioIssuer, ReservationSweeper
from docservice.documentos.versiones import VersionService
from docservice.documentos.versiones_leyendas import LeyendaVersionService
from docservice.ledger import Ledger
from docservice.ledger.blobs import BlobStore
from docservice.procesos import ConcurrencyLimit
from docservice.registry import load_leyendas, load_registry
from docservice.render import Renderer, RenderPool
from docservice.sign import SignerRegistry
from docservice.verify import VerificationService, VerifierPool


def build_services(settings: Settings, pool: ConverterPool | None = None) -> Services:
    """Wire the building blocks; the pool is started by the caller (or by the app's lifespan)."""
    registry = load_registry(settings.plantillas_dir)
    leyendas = load_leyendas(settings.leyendas_dir)
    renderer = Renderer(settings.render)
    render_pool = RenderPool(settings.render)
    previews = ConcurrencyLimit(settings.render.vistas_previas_simultaneas, "vistas previas")
    ledger = Ledger(settings.effective_database_url)
    pool = pool or ConverterPool(settings.convert, settings.var_dir / "libreoffice")
    signers = SignerRegistry.load(settings.sign)
    store = BlobStore.from_settings(settings)
    issuer = FolioIssuer(ledger, store, ZoneInfo(settings.zona_horaria))
    documentos = DocumentService(
        registry=registry,
        renderer=renderer,
        pool=pool,
        ledger=ledger,
        signers=signers,
        public_base_url=settings.api.public_base_url,
        render_pool=render_pool,
    )
    documentos.check_registry()
    version_service = VersionService(
        registry=registry, renderer=renderer, pool=pool, ledger=ledger, store=store,
        render_pool=render_pool, previews=previews,
    )  # fmt: skip
    version_service.seed(settings.plantillas_dir)
    version_service.restore_published()
    leyenda_versions = LeyendaVersionService(
        leyendas=leyendas, renderer=renderer, ledger=ledger, store=store, previews=previews
    )
    leyenda_versions.seed(settings.leyendas_dir)
    leyenda_versions.restore_published()
    documentos.record_loaded(leyendas)
    vencida = timedelta(seconds=settings.constancias.reserva_vencida_s)
    issuer.recover(vencida)
    store.cleanup_temp()
    verifier_pool = VerifierPool(settings.verificacion)
    return Services(
        settings=settings,
        ledger=ledger,
        pool=pool,
        documentos=documentos,
        signers=signers,
        constancias=ConstanciaService(
            documentos=documentos,
            issuer=issuer,
            ledger=ledger,
            store=store,
            leyendas=leyendas,
            settings=settings.constancias,
        ),
        certificaciones=CertificationService(
            leyendas=leyendas,
            renderer=renderer,
            signers=signers,
            issuer=issuer,
            settings=settings.certificaciones,
            public_base_url=settings.api.public_base_url,
            zona_horaria=ZoneInfo(settings.zona_horaria),
            render_pool=render_pool,
        ),
        verifier_pool=verifier_pool,
        versiones=version_service,
        versiones_leyendas=leyenda_versions,
        verificaciones=VerificationService(pool=verifier_pool, ledger=ledger),
        render_pool=render_pool,
        barrido=ReservationSweeper(issuer, vencida, settings.constancias.barrido_s),
    )


def create_app(settings: Settings, *, pool: ConverterPool | None = None) -> FastAPI:
    """The HTTP app. A ``pool`` passed in is used as is and left running at shutdown."""
    owns_pool = pool is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await run_in_threadpool(build_services, settings, pool)
        if owns_pool:
            await run_in_threadpool(services.pool.start)
        await run_in_threadpool(services.verifier_pool.start)
        if services.render_pool is not None:
            await run_in_threadpool(services.render_pool.start)
        app.state.services = services
        if services.barrido:
            services.barrido.start()
        try:
            yield
        finally:
            if services.barrido:
                services.barrido.close()
            if owns_pool:
                services.pool.close()
            services.verifier_pool.close()
            if services.render_pool is not None:
                services.render_pool.close()
            services.ledger.close()

    app = FastAPI(
        title="docservice",
        summary="Documentos oficiales de cobro coactivo: generar, firmar, certificar, verificar",
        version="0.1.0",
        lifespan=lifespan,
    )
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
    app.include_router(versiones_leyendas.router, prefix="/v1")
    app.include_router(salud.router)
    web.install(app)
    return app
