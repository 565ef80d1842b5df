"""The OpenAPI document says what the API answers; undeclared methods get 405 with ``Allow``."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from docservice.model import Rol

PROBLEMA = {"$ref": "#/components/schemas/Problema"}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_reference_resolves_and_no_inline_defs(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    text = json.dumps(document)
    assert "#/$defs/" not in text
    schemas = document["components"]["schemas"]
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    body = document["paths"]["/v1/documentos"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SolicitudDocumento"
    }
    firma = schemas["SolicitudDocumento"]["properties"]["firma"]["anyOf"][0]["$ref"]
    assert schemas[firma.rsplit("/", 1)[1]]["required"] == ["perfil"]
    assert schemas["SolicitudDocumento"]["then"] == {"properties": {"formato": {"const": "pdf"}}}


def test_every_v1_operation_documents_its_problem_answers(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        expected = {"500", "503"}
        if path.startswith("/v1/"):
            expected |= {"401", "403", "422"}
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if "{" in path:
            expected |= {"404"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for status, response in responses.items():
            if status[0] in "45":
                assert response["content"] == {"application/problem+json": {"schema": PROBLEMA}}
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_multipart_fields_are_strings_or_absent(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    body = schemas["Body_certify_copy_v1_certificaciones_post"]["properties"]
    assert body["datos"]["minLength"] == 2
    assert body["serie"]["type"] == "string" and "anyOf" not in body["serie"]
    assert body["serie"]["pattern"] == "^[A-Z0-9][A-Z0-9-]{0,19}$"


def test_405_names_every_method_of_the_path(client: TestClient) -> None:
    response = client.delete("/v1/plantillas/constancia_adeudos/versiones")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["codigo"] == "http_405"


def test_an_action_route_does_not_capture_vista_previa(
    client: TestClient, auth: dict[Rol, dict[str, str]]
) -> None:
    path = "/v1/leyendas/certificacion_copia/versiones/1/vista-previa"
    response = client.delete(path, headers=auth[Rol.ADMIN])
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "GET, POST"
    without_data = client.post(path, headers=auth[Rol.ADMIN])  # the preview with data's 422
    assert [e["puntero"] for e in without_data.json()["errores"]] == ["/body/datos"]


def test_a_body_that_is_not_json_is_a_documented_400(
    client: TestClient, auth: dict[Rol, dict[str, str]]
) -> None:
    response = client.post(
        "/v1/plantillas/constancia_adeudos/versiones/1/enviar",
        content=b"\x1an\xff",
        headers=auth[Rol.ADMIN] | {"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "el cuerpo de la solicitud no se pudo leer (¿JSON mal formado?)"
    )


def test_the_schema_route_documents_its_media_type(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    ok = paths["/v1/plantillas/{clave}/esquema"]["get"]["responses"]["200"]
    assert "application/schema+json" in ok["content"]
