"""ASGI middleware: refuse bodies over the configured size (413) without reading them whole."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docservice.api.problems import problem_response
from docservice.errors import CuerpoDemasiadoGrande


class BodySizeLimit:
    """``max_bytes`` for every request; ``per_path`` raises (or lowers) it for exact paths."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, per_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = dict(per_path or {})

    @staticmethod
    def _error(limit: int) -> CuerpoDemasiadoGrande:
        return CuerpoDemasiadoGrande(f"el cuerpo de la solicitud excede el límite de {limit} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope["path"].rstrip("/"), self.max_bytes)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await problem_response(self._error(limit), scope["path"])(scope, receive, send)
            return
        seen = 0

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise self._error(limit)
            return message

        await self.app(scope, bounded_receive, send)
