"""The OpenAPI document: request bodies by reference and the problem+json answers of every route.

Routes that read their JSON body themselves (to keep decimals exact) describe it with
``json_body(Model)``; the model and its ``$defs`` become component schemas here. Every
operation documents the problem+json answers any route may give (authentication, size,
validation, overload, internal error) once, in ``complete``, besides the ones it lists.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from docservice.api.problems import PROBLEM_JSON

_REF = "#/components/schemas/{model}"
_MODELS: dict[str, type[BaseModel]] = {}

PROBLEMA: dict[str, Any] = {
    "title": "Problema",
    "description": "Respuesta de error (RFC 9457), en español",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance", "codigo"],
    "properties": {
        "type": {"type": "string", "description": "urn:docservice:problema:<codigo>"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "Qué pasó y qué hacer"},
        "instance": {"type": "string", "description": "La ruta solicitada"},
        "codigo": {"type": "string", "description": "Código estable del error"},
        "errores": {
            "type": "array",
            "description": "Cada campo rechazado, con su puntero JSON",
            "items": {
                "type": "object",
                "required": ["puntero", "mensaje"],
                "properties": {"puntero": {"type": "string"}, "mensaje": {"type": "string"}},
            },
        },
    },
}

_EVERY_V1 = {
    401: "Sin llave o llave inválida",
    403: "Rol sin permiso",
    422: "Parámetros o datos que no cumplen el esquema",
    500: "Error interno; quedó registrado",
    503: "Servicio saturado o no disponible",
}
_WITH_BODY = {400: "Cuerpo mal formado", 413: "Cuerpo demasiado grande"}
_WITH_PATH = {404: "Recurso inexistente"}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a route that parses ``model`` from its JSON body itself."""
    _MODELS[model.__name__] = model
    schema = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _add_component(components: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if components.setdefault(name, schema) != schema:
        raise RuntimeError(f"dos modelos distintos se llaman {name} en el OpenAPI")


def _register_models(components: dict[str, Any]) -> None:
    for name, model in _MODELS.items():
        schema = model.model_json_schema(ref_template=_REF)
        for def_name, definition in schema.pop("$defs", {}).items():
            _add_component(components, def_name, definition)
        _add_component(components, name, schema)


def _form_fields_not_null(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """A multipart field is a string or absent: it cannot carry JSON ``null``."""
    form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if not form or "$ref" not in form.get("schema", {}):
        return
    body = components[form["schema"]["$ref"].rsplit("/", 1)[1]]
    for field in body.get("properties", {}).values():
        branches = [b for b in field.get("anyOf", ()) if b.get("type") != "null"]
        if "anyOf" in field and len(branches) == 1:
            del field["anyOf"]
            field.update(branches[0])


def _common(path: str, operation: dict[str, Any]) -> dict[int, str]:
    if path.startswith("/v1/"):
        common = dict(_EVERY_V1)
    else:
        common = {500: _EVERY_V1[500], 503: _EVERY_V1[503]}
    if "requestBody" in operation:
        common |= _WITH_BODY
    if "{" in path:
        common |= _WITH_PATH
    return common


def _complete_operation(path: str, operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for code, description in _common(path, operation).items():
        responses.setdefault(str(code), {"description": description})
    problem = {PROBLEM_JSON: {"schema": {"$ref": _REF.format(model="Problema")}}}
    for status, response in responses.items():
        if status[0] in "45":
            response["content"] = problem


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the models read by hand and the common problem+json answers to ``schema``."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    _register_models(components)
    components["Problema"] = PROBLEMA
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)  # FastAPI's own 422 body, never sent: ours is a Problema
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            _complete_operation(path, operation)
            _form_fields_not_null(operation, components)
    return schema


def install(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on first request)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
