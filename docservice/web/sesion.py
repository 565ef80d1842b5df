"""Sessions of the legal staff's pages: signed cookie, CSRF token, lockout, public redirects.

The cookie carries only a random id and its HMAC; the session itself (which API key, until
when) is a row of the ledger database (``ledger.SessionStore``), so logout deletes it for
every process and a replayed cookie finds nothing. Before login the cookie's id is stored
nowhere: it only anchors the CSRF token of the login form (a keyed HMAC of the id).

Failed logins are counted in the same database per client address and per key prefix;
``ingreso_fallos`` of them within ``ingreso_ventana_min`` lock both for
``ingreso_bloqueo_min`` (the right key is refused meanwhile, 429 with Retry-After).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from docservice.config import Settings
from docservice.ledger import Ledger, LoginPolicy, SessionStore
from docservice.model import Caller, Rol
from docservice.web.rendering import page
from docservice.web.servicios import services as services_of

COOKIE = "docservice_juridico"
PATH = "/juridico"
ROLES = {Rol.JURIDICO, Rol.APROBADOR, Rol.ADMIN}
PREFIX_CHARS = 10
"""``ds_`` and 7 characters: enough to tell keys apart, far too few to guess one from."""
REFUSED = "La llave no es válida o no es de jurídico, aprobación o administración."


@dataclass(frozen=True)
class Refusal:
    """A refused login: the Spanish message, its status and, for a lockout, the wait."""

    mensaje: str
    status: int
    reintentar_en: int | None = None


class WebSessions:
    """Everything the pages need about sessions, built once per app from Settings + ledger."""

    def __init__(
        self,
        settings: Settings,
        ledger: Ledger,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        api = settings.api
        secret = api.secreto_sesion
        self._secret = (secret.get_secret_value() if secret else secrets.token_urlsafe(32)).encode()
        self.public_url = api.public_base_url.rstrip("/")
        self.secure = api.cookie_segura or self.public_url.lower().startswith("https://")
        self._duracion = timedelta(hours=api.sesion_horas)
        self._policy = LoginPolicy(
            fallos=api.ingreso_fallos,
            ventana=timedelta(minutes=api.ingreso_ventana_min),
            bloqueo=timedelta(minutes=api.ingreso_bloqueo_min),
        )
        self._zona = ZoneInfo(settings.zona_horaria)
        self._ledger = ledger
        self._store = SessionStore(ledger.engine)
        self._clock = clock

    # --- cookie and CSRF ---------------------------------------------------------------------

    def _mac(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def cookie_id(self, request: Request) -> str | None:
        """The id of the request's cookie when its signature holds."""
        value = request.cookies.get(COOKIE, "")
        session_id, _, mac = value.partition(".")
        if not session_id or not hmac.compare_digest(mac, self._mac("cookie", session_id)):
            return None
        return session_id

    def set_cookie(self, response: Response, session_id: str, *, max_age: int | None) -> None:
        response.set_cookie(
            COOKIE,
            f"{session_id}.{self._mac('cookie', session_id)}",
            max_age=max_age,
            path=PATH,
            secure=self.secure,
            httponly=True,
            samesite="strict",
        )

    def clear_cookie(self, response: Response) -> None:
        response.delete_cookie(
            COOKIE, path=PATH, secure=self.secure, httponly=True, samesite="strict"
        )

    def anonymous_id(self, request: Request) -> tuple[str, bool]:
        """The cookie's id, or a new one (True: the response must set it)."""
        session_id = self.cookie_id(request)
        return (session_id, False) if session_id else (secrets.token_urlsafe(32), True)

    def csrf(self, session_id: str) -> str:
        return self._mac("csrf", session_id)

    def csrf_ok(self, request: Request, sent: str) -> bool:
        session_id = self.cookie_id(request)
        return session_id is not None and hmac.compare_digest(self.csrf(session_id), sent)

    def redirect(self, path: str) -> RedirectResponse:
        """A redirect to the configured public URL, whatever ``Host`` the request named."""
        return RedirectResponse(f"{self.public_url}{path}", status_code=303)

    # --- sessions ----------------------------------------------------------------------------

    def caller(self, request: Request) -> Caller | None:
        """The session's holder, re-checked against its key (a revoked key logs out)."""
        session_id = self.cookie_id(request)
        if session_id is None:
            return None
        caller = self._store.caller(session_id, self._clock())
        return caller if caller is not None and caller.rol in ROLES else None

    def login(self, llave: str, direccion: str) -> str | Refusal:
        """A new session id for a good key, or why it was refused (each refusal counted)."""
        now = self._clock()
        llave = llave.strip()
        claves = [
            f"direccion:{direccion[:60]}",
            "prefijo:" + hashlib.sha256(llave[:PREFIX_CHARS].encode()).hexdigest()[:64],
        ]
        until = self._store.locked_until(claves, now)
        if until is not None:
            return self._locked(until, now)
        digest = hashlib.sha256(llave.encode()).hexdigest()
        caller = self._ledger.authenticate_digest(digest)
        session_id = None
        if caller is not None and caller.rol in ROLES:
            session_id = self._store.open(digest, now, self._duracion)
        if session_id is not None:
            return session_id
        until = self._store.record_failure(claves, now, self._policy)
        return Refusal(REFUSED, 401) if until is None else self._locked(until, now)

    def logout(self, request: Request) -> None:
        session_id = self.cookie_id(request)
        if session_id is not None:
            self._store.close(session_id)

    @property
    def max_age(self) -> int:
        return int(self._duracion.total_seconds())

    def _locked(self, until: datetime, now: datetime) -> Refusal:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        local = until.astimezone(self._zona)
        minutos = math.ceil(seconds / 60)
        mensaje = (
            "El acceso está bloqueado temporalmente por demasiados intentos fallidos de ingreso. "
            f"Intente de nuevo a partir de las {local:%H:%M} h "
            f"(en {minutos} {'minuto' if minutos == 1 else 'minutos'})."
        )
        return Refusal(mensaje, 429, seconds)


def web_sessions(request: Request) -> WebSessions:
    """The app's WebSessions, made on first use (its secret then lives as long as the app)."""
    state = request.app.state
    sessions: WebSessions | None = getattr(state, "sesiones_web", None)
    if sessions is None:
        services = services_of(request)
        sessions = WebSessions(services.settings, services.ledger)
        state.sesiones_web = sessions
    return sessions


def client_address(request: Request) -> str:
    return request.client.host if request.client else "desconocida"


def view(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """A page whose forms carry the CSRF token of the request's cookie (set when missing)."""
    sessions = web_sessions(request)
    session_id, new = sessions.anonymous_id(request)
    response = page(request, name, {"csrf": sessions.csrf(session_id), **context}, status)
    if new:
        sessions.set_cookie(response, session_id, max_age=None)
    return response


__all__ = ["COOKIE", "ROLES", "Refusal", "WebSessions", "client_address", "view", "web_sessions"]
