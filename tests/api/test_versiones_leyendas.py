"""A leyenda version from upload to publication (certified copies then use its text), and
the same reads as plantillas: one version, the diff of two, a preview with given data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import LEYENDAS, leyenda_ejemplo, make_settings, pdf_text
from tests.pdfs import LETTER, pdf_of

CLAVE = "certificacion_copia"
FOLDER = LEYENDAS / CLAVE
BASE = f"/v1/leyendas/{CLAVE}"
NEVER_ENDS = b"{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.fixture(scope="module")
def app_client(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    settings = make_settings(tmp_path_factory.mktemp("leyendas"), sign_settings)
    settings = settings.model_copy(
        update={"render": settings.render.model_copy(update={"borrador_tiempo_s": 10})}
    )
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        people = {
            "ana": Rol.JURIDICO, "beto": Rol.APROBADOR, "root": Rol.ADMIN, "sistema": Rol.SISTEMA
        }  # fmt: skip
        yield (
            client,
            {
                name: {"Authorization": f"Bearer {ledger.create_api_key(name, rol)}"}
                for name, rol in people.items()
            },
        )


def files(**replace: bytes) -> dict[str, Any]:
    parts = {
        "texto": (FOLDER / "leyenda.txt").read_bytes(),
        "schema": (FOLDER / "schema.json").read_bytes(),
        "ejemplo": (FOLDER / "ejemplo.json").read_bytes(),
        "manifest": (FOLDER / "manifest.toml").read_bytes(),
    } | replace
    return {name: (name, data) for name, data in parts.items()}


def certify(client: TestClient, headers: dict[str, str]) -> bytes:
    response = client.post(
        "/v1/certificaciones",
        files={"archivo": ("c.pdf", pdf_of([LETTER]), "application/pdf")},
        data={"leyenda": CLAVE, "datos": json.dumps(leyenda_ejemplo(CLAVE))},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.content


def test_a_leyenda_version_is_published_and_used(app_client: Any) -> None:
    client, headers = app_client
    seeded = client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"]
    # the folder's v2 is published, its versiones/1/ kept as the retired v1
    assert [(v["version"], v["estado"]) for v in seeded] == [(1, "retirada"), (2, "publicada")]
    nuevo = (FOLDER / "leyenda.txt").read_text("utf-8") + "\n\nTexto agregado en la versión dos."
    created = client.post(f"{BASE}/versiones", files=files(texto=nuevo.encode()),
                          headers=headers["ana"])  # fmt: skip
    assert created.status_code == 201, created.text
    preview = client.get(f"{BASE}/versiones/3/vista-previa", headers=headers["beto"])
    assert "Texto agregado en la versión dos." in pdf_text(preview.content)
    assert "3 (tres) fojas útiles" in " ".join(pdf_text(preview.content).split())
    assert "CERTIFICACIÓN" in pdf_text(preview.content)  # laid out as on a certified copy,
    assert "[centrado]" not in pdf_text(preview.content)  # its layout marks not printed
    for who, accion in (("ana", "enviar"), ("beto", "aprobar"), ("beto", "publicar")):
        step = client.post(f"{BASE}/versiones/3/{accion}", headers=headers[who])
        assert step.status_code == 200, step.text
    assert "Texto agregado en la versión dos." in pdf_text(certify(client, headers["ana"]))
    retired = client.post(f"{BASE}/versiones/3/retirar", headers=headers["root"])
    assert retired.json()["estado"] == "retirada"
    assert "Texto agregado" not in pdf_text(certify(client, headers["ana"]))


@pytest.mark.parametrize(
    ("parts", "finding"),
    [
        ({"texto": b"{{ ''.__class__.__mro__ }}"}, "__class__"),
        ({"texto": b"\xff\xfe no utf8"}, "no está en UTF-8"),
        ({"schema": b'{"type": "objeto"}'}, "no es un JSON Schema 2020-12 válido"),
        ({"ejemplo": b'{"fecha": "ayer"}'}, "ejemplo.json /fecha"),
        ({"texto": NEVER_ENDS}, "excedió el límite de 10 s"),
    ],
)
def test_bad_leyenda_versions_are_refused(
    app_client: Any, parts: dict[str, bytes], finding: str
) -> None:
    client, headers = app_client
    before = client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"]
    response = client.post(f"{BASE}/versiones", files=files(**parts), headers=headers["ana"])
    assert response.status_code == 422, response.text
    problem = response.json()
    text = problem["detail"] + " ".join(e["mensaje"] for e in problem.get("errores", []))
    assert finding in text, problem
    assert client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"] == before


def test_one_leyenda_version_is_read_and_a_missing_one_is_a_spanish_404(app_client: Any) -> None:
    client, headers = app_client
    one = client.get(f"{BASE}/versiones/2", headers=headers["ana"])
    assert one.status_code == 200, one.text
    assert (one.json()["version"], one.json()["estado"]) == (2, "publicada")
    texto = (FOLDER / "leyenda.txt").read_bytes()
    assert one.json()["plantilla_sha256"] == hashlib.sha256(texto).hexdigest()
    missing = client.get(f"{BASE}/versiones/99", headers=headers["ana"])
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"la leyenda «{CLAVE}» no tiene la versión 99"
    unknown = client.get("/v1/leyendas/inexistente/versiones/1", headers=headers["ana"])
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "la leyenda «inexistente» no tiene versiones registradas"


def test_the_diff_of_two_leyenda_versions_names_lines_and_fields(app_client: Any) -> None:
    """The folder's v2 added the authority's header and dropped the caller's date (v1)."""
    client, headers = app_client
    diff = client.get(f"{BASE}/diff", params={"de": 1, "a": 2}, headers=headers["beto"])
    assert diff.status_code == 200, diff.text
    body = diff.json()
    assert "+[titulo] CERTIFICACIÓN" in body["texto"]
    assert "+[centrado] {{ autoridad.organo }}" in body["texto"]
    assert any(line.startswith("-{% set dia = fecha|fecha_en_letra %}") for line in body["texto"])
    assert body["campos_agregados"] == ["/autoridad", "/autoridad/organo", "/autoridad/unidad"]
    assert body["campos_quitados"] == ["/fecha"]
    same = client.get(f"{BASE}/diff", params={"de": 2, "a": 2}, headers=headers["beto"]).json()
    assert same["texto"] == [] and same["campos_cambiados"] == []
    missing = client.get(f"{BASE}/diff", params={"de": 2, "a": 99}, headers=headers["beto"])
    assert missing.status_code == 404
    assert missing.json()["detail"] == f"la leyenda «{CLAVE}» no tiene la versión 99"


def test_a_leyenda_version_previews_with_given_data(app_client: Any) -> None:
    client, headers = app_client
    datos = leyenda_ejemplo(CLAVE) | {"lugar": "Tlalnepantla de Baz, Estado de México"}
    preview = client.post(f"{BASE}/versiones/2/vista-previa", json={"datos": datos},
                          headers=headers["beto"])  # fmt: skip
    assert preview.status_code == 200, preview.text
    assert preview.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(preview.content).split())
    assert "en Tlalnepantla de Baz, Estado de México" in text
    assert "Naucalpan de Juárez" not in text
    assert "BORRADOR" not in text  # v2 is published: no watermark
    bad = client.post(f"{BASE}/versiones/2/vista-previa", json={"datos": {"lugar": 7}},
                      headers=headers["beto"])  # fmt: skip
    assert bad.status_code == 422, bad.text
    punteros = {e["puntero"] for e in bad.json()["errores"]}
    assert {"/lugar", "/funcionario", "/origen"} <= punteros, punteros
    refused = client.post(f"{BASE}/versiones/2/vista-previa", json={"datos": datos},
                          headers=headers["sistema"])  # fmt: skip
    assert refused.status_code == 403


def test_a_leyenda_action_in_the_wrong_state_is_a_spanish_409(app_client: Any) -> None:
    client, headers = app_client
    response = client.post(f"{BASE}/versiones/2/enviar", headers=headers["ana"])
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == (
        "no se puede enviar una versión en estado «publicada»; debe estar en «borrador»"
    )


def test_the_version_routes_keep_their_operation_ids(app_client: Any) -> None:
    """Clients generated from the OpenAPI name their methods by operationId: the plantillas'
    are those they had before leyendas shared their routes, the leyendas' follow them."""
    client, _ = app_client
    paths = client.get("/openapi.json").json()["paths"]
    found = {
        (method.upper(), path): operation["operationId"].split("_v1_")[0]
        for path, operations in paths.items()
        if "/versiones" in path or path.endswith("/diff")
        for method, operation in operations.items()
    }
    routes = {
        ("POST", "/versiones"): "submit_{}version",
        ("GET", "/versiones"): "list_{}versions",
        ("GET", "/versiones/{version}"): "get_{}version",
        ("GET", "/diff"): "diff_{}versions",
        ("GET", "/versiones/{version}/vista-previa"): "preview_{}version",
        ("POST", "/versiones/{version}/vista-previa"): "preview_{}with_data",
        ("POST", "/versiones/{version}/{accion}"): "act_on_{}version",
    }
    assert found == {
        (method, f"/v1/{ruta}/{{clave}}{path}"): name.format(infix)
        for ruta, infix in (("plantillas", ""), ("leyendas", "leyenda_"))
        for (method, path), name in routes.items()
    }
