"""Dependencies of the routes: the wired services and the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from docservice.certify import CertificationService
from docservice.config import Settings
from docservice.constancias import ConstanciaService
from docservice.convert import ConverterPool
from docservice.documentos import DocumentService
from docservice.documentos.issuing import ReservationSweeper
from docservice.documentos.versiones import VersionService
from docservice.documentos.versiones_leyendas import LeyendaVersionService
from docservice.errors import NoAutenticado, NoAutorizado
from docservice.ledger import Ledger
from docservice.model import Caller, Rol
from docservice.render import RenderPool
from docservice.sign import SignerRegistry
from docservice.verify import VerificationService, VerifierPool


@dataclass
class Services:
    """Everything the routes use, built once by ``create_app``."""

    settings: Settings
    ledger: Ledger
    pool: ConverterPool
    documentos: DocumentService
    signers: SignerRegistry
    constancias: ConstanciaService
    certificaciones: CertificationService
    verifier_pool: VerifierPool
    verificaciones: VerificationService
    versiones: VersionService
    versiones_leyendas: LeyendaVersionService
    render_pool: RenderPool | None = None
    """Workers filling published plantillas; started and closed by the lifespan."""
    barrido: ReservationSweeper | None = None
    """Voids folios of dead processes while serving; started and closed by the lifespan."""


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
_bearer = HTTPBearer(auto_error=False, description="Llave de API: `Authorization: Bearer <llave>`")


def require_roles(*roles: Rol) -> Callable[..., Caller]:
    """A dependency that authenticates the caller and checks its role (``admin`` always passes)."""
    allowed = {*roles, Rol.ADMIN}

    def dependency(
        services: ServicesDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Caller:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise NoAutenticado("falta el encabezado Authorization: Bearer <llave>")
        caller = services.ledger.authenticate(credentials.credentials)
        if caller is None:
            raise NoAutenticado("la llave de API no es válida o fue revocada")
        if caller.rol not in allowed:
            nombres = ", ".join(sorted(r.value for r in allowed))
            raise NoAutorizado(
                f"el rol «{caller.rol.value}» no puede hacer esto; se requiere: {nombres}"
            )
        return caller

    return dependency


ANY_ROLE = tuple(Rol)
