"""Edge: server-rendered Spanish pages: public verification by folio, the auditor's upload."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from docservice.web import auditoria, juridico, pages
from docservice.web.rendering import HERE


def install(app: FastAPI) -> None:
    app.include_router(pages.router)
    app.include_router(auditoria.router)
    app.include_router(juridico.router)
    app.mount("/estaticos", StaticFiles(directory=HERE / "estaticos"), name="estaticos")


__all__ = ["install"]
