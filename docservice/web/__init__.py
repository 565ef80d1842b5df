"""Edge: server-rendered Spanish pages: public verification by folio, the auditor's upload,
the legal staff's review of plantillas (login and sessions in ``ingreso`` / ``sesion``)."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from docservice.web import auditoria, ingreso, juridico, pages
from docservice.web.redirecciones import PublicRedirects
from docservice.web.rendering import HERE


def install(app: FastAPI) -> None:
    app.include_router(pages.router)
    app.include_router(auditoria.router)
    app.include_router(ingreso.router)
    app.include_router(juridico.router)
    app.mount("/estaticos", StaticFiles(directory=HERE / "estaticos"), name="estaticos")
    app.add_middleware(PublicRedirects)


__all__ = ["install"]
