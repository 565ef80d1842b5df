"""Dependencies of the routes: the wired services and the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from docservice.bootstrap import Services, from_state
from docservice.errors import NoAutenticado, NoAutorizado
from docservice.model import Caller, Rol


def get_services(request: Request) -> Services:
    return from_state(request.app.state)


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
