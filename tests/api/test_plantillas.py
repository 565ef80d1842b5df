"""GET /v1/plantillas, detail, schema; /healthz; unknown routes in problem+json."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from docservice.model import Rol
from tests.conftest import PLANTILLAS

Headers = dict[Rol, dict[str, str]]


def test_list_is_open_to_every_role(client: TestClient, auth: Headers) -> None:
    for rol in Rol:
        response = client.get("/v1/plantillas", headers=auth[rol])
        assert response.status_code == 200
        claves = {p["clave"] for p in response.json()["plantillas"]}
        assert {"requerimiento_pago", "constancia_adeudos"} <= claves


def test_list_needs_a_key(client: TestClient) -> None:
    assert client.get("/v1/plantillas").status_code == 401


def test_detail(client: TestClient, auth: Headers) -> None:
    body = client.get("/v1/plantillas/requerimiento_pago", headers=auth[Rol.AUDITOR]).json()
    assert body["version"] == 2 and body["estado"] == "publicada"
    assert body["fundamento"] and len(body["plantilla_sha256"]) == 64
    assert {"autoridad", "deudor", "creditos", "fecha", "numero_oficio", "plazo"} == set(
        body["campos"]
    )


def test_schema_is_the_shipped_one(client: TestClient, auth: Headers) -> None:
    response = client.get("/v1/plantillas/constancia_adeudos/esquema", headers=auth[Rol.SISTEMA])
    assert response.headers["content-type"] == "application/schema+json"
    shipped = json.loads((PLANTILLAS / "constancia_adeudos" / "schema.json").read_text("utf-8"))
    assert response.json() == shipped


def test_unknown_plantilla_detail_is_404(client: TestClient, auth: Headers) -> None:
    response = client.get("/v1/plantillas/nada/esquema", headers=auth[Rol.SISTEMA])
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    response = client.get("/v1/nada")
    assert response.status_code == 404
    assert response.json()["detail"] == "el recurso solicitado no existe"


def test_health_shows_pool_and_plantillas(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["estado"] == "ok"
    assert len(body["conversion"]["procesos"]) == 2
    assert body["llenado"] == {"procesos_vivos": 2, "procesos": 2}
    assert body["verificacion"] == {"procesos_vivos": 2, "procesos": 2}
    assert "requerimiento_pago" in body["plantillas"]["disponibles"]


def test_openapi_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/documentos", "/v1/plantillas", "/v1/plantillas/{clave}/esquema"} <= set(paths)
