"""HTTP edge: FastAPI app factory, routers, authentication, problem+json."""

from docservice.api.app import build_services, create_app

__all__ = ["build_services", "create_app"]
