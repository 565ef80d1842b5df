"""Redirects the framework builds from the request (a missing or extra trailing slash) point
at the configured public URL, not at whatever ``Host`` the request named."""

from __future__ import annotations

from starlette.datastructures import URL, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docservice.bootstrap import from_state


class PublicRedirects:
    """Rewrites a ``Location`` on the request's own origin to the public URL's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_origin = str(URL(scope=scope).replace(path="", query="", fragment=""))

        async def send_rewritten(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                location = headers.get("location")
                if location and location.startswith(request_origin):
                    public = from_state(scope["app"].state).settings.api.public_base_url
                    headers["location"] = _on_public(location, request_origin, public)
            await send(message)

        await self.app(scope, receive, send_rewritten)


def _on_public(location: str, request_origin: str, public_url: str) -> str:
    return public_url.rstrip("/") + location[len(request_origin) :]


__all__ = ["PublicRedirects"]
