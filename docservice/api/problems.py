"""The one mapping from errors to RFC 9457 application/problem+json, in Spanish."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from docservice.errors import DatosInvalidos, DocServiceError, ErrorInterno, FieldError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_HTTP_TITLES = {
    400: "el cuerpo de la solicitud no se pudo leer (¿JSON mal formado?)",
    404: "el recurso solicitado no existe",
    405: "método HTTP no permitido para este recurso",
    406: "formato de respuesta no disponible",
    415: "tipo de contenido no soportado",
}


def problem_responses(*errors: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the problem+json answers a route may give."""
    return {code: {"description": desc, "content": {PROBLEM_JSON: {}}} for code, desc in errors}


def problem_body(error: DocServiceError, instance: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:docservice:problema:{error.code}",
        "title": error.titulo,
        "status": error.http_status,
        "detail": error.mensaje,
        "instance": instance,
        "codigo": error.code,
    }
    if error.errores:
        body["errores"] = [{"puntero": e.pointer, "mensaje": e.mensaje} for e in error.errores]
    return body


def problem_response(error: DocServiceError, instance: str) -> JSONResponse:
    return JSONResponse(
        problem_body(error, instance),
        status_code=error.http_status,
        media_type=PROBLEM_JSON,
        headers=error.headers(),
    )


def pydantic_errors(errors: Any, prefix: tuple[str, ...] = ()) -> tuple[FieldError, ...]:
    """Pydantic/FastAPI validation errors as JSON pointers with Spanish messages."""
    messages = {
        "missing": "campo obligatorio ausente",
        "extra_forbidden": "campo no permitido",
        "string_type": "debe ser texto",
        "int_type": "debe ser un número entero",
        "int_parsing": "debe ser un número entero",
        "dict_type": "debe ser un objeto",
        "literal_error": "valor no permitido",
        "greater_than_equal": "valor demasiado pequeño",
        "string_too_short": "no debe estar vacío",
        "string_too_long": "texto demasiado largo",
        "model_attributes_type": "debe ser un objeto",
    }
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in prefix]
        pointer = "/" + "/".join(loc)
        out.append(
            FieldError(pointer, messages.get(err.get("type", ""), err.get("msg", "valor inválido")))
        )
    return tuple(out)


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(r.matches(dict(request.scope, method=method))[0] is Match.FULL for r in routes)
    ]
    return ", ".join(allowed)


def install(app: FastAPI) -> None:
    """Register the handlers: one for the whole DocServiceError tree, and the framework's."""

    @app.exception_handler(DocServiceError)
    async def _domain(request: Request, exc: DocServiceError) -> JSONResponse:
        if exc.http_status >= 500:
            log.error("%s %s → %s: %s", request.method, request.url.path, exc.code, exc.mensaje)
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        error = DatosInvalidos("la solicitud no es válida", errores=pydantic_errors(exc.errors()))
        return problem_response(error, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = DocServiceError(_HTTP_TITLES.get(exc.status_code, "solicitud no atendida"))
        body = problem_body(error, request.url.path) | {
            "status": exc.status_code,
            "title": "Error HTTP",
            "codigo": f"http_{exc.status_code}",
        }
        headers = dict(exc.headers or {})  # e.g. Retry-After: part of the answer
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return JSONResponse(
            body, status_code=exc.status_code, media_type=PROBLEM_JSON, headers=headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("error no previsto en %s %s", request.method, request.url.path)
        return problem_response(
            ErrorInterno("ocurrió un error interno; quedó registrado"), request.url.path
        )
