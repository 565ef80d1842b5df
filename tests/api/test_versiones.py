"""A plantilla version from upload to publication and retirement, through the API.

Runs on its own app and database: publishing changes what the registry serves.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.pdf.tipografia import pdf_literal
from docservice.servidor import create_app
from tests.conftest import PLANTILLAS, ejemplo, make_settings, pdf_text
from tests.registry.test_docx_lint import _external_image, keep, rebuilt

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
FOLDER = PLANTILLAS / CLAVE
BASE = f"/v1/plantillas/{CLAVE}"
PUBLICADA = 2  # the folder's version; versiones/1/ is seeded as the retired v1
NUEVA = PUBLICADA + 1


@pytest.fixture(scope="module")
def app_client(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    settings = make_settings(tmp_path_factory.mktemp("versiones"), sign_settings)
    settings = settings.model_copy(
        update={"render": settings.render.model_copy(update={"borrador_tiempo_s": 10})}
    )
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        people = {
            "ana": Rol.JURIDICO, "beto": Rol.APROBADOR, "carla": Rol.APROBADOR, "root": Rol.ADMIN
        }  # fmt: skip
        headers = {
            name: {"Authorization": f"Bearer {ledger.create_api_key(name, rol)}"}
            for name, rol in people.items()
        }
        yield client, headers


def files(docx: bytes | None = None, **replace: bytes) -> dict[str, Any]:
    parts = {
        "docx": docx or (FOLDER / "plantilla.docx").read_bytes(),
        "schema": (FOLDER / "schema.json").read_bytes(),
        "ejemplo": (FOLDER / "ejemplo.json").read_bytes(),
        "manifest": (FOLDER / "manifest.toml").read_bytes(),
    } | replace
    return {name: (name, data) for name, data in parts.items()}


def with_paragraph(text: str) -> bytes:
    document = Document(io.BytesIO((FOLDER / "plantilla.docx").read_bytes()))
    target = next(p for p in document.paragraphs if p.text.startswith("Asunto:"))
    target.insert_paragraph_before(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _hostile(kind: str) -> bytes:
    if kind == "macro":
        return rebuilt(keep, {"word/vbaProject.bin": b"\0" * 100})
    if kind == "external":
        return rebuilt(_external_image)
    return rebuilt(keep, {"bomba.xml": b" " * (60 * 1024 * 1024)})


def test_folder_versions_are_seeded_as_published(app_client: Any) -> None:
    client, headers = app_client
    listed = client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"]
    assert [(v["version"], v["estado"], v["creada_por"]) for v in listed] == [
        (1, "retirada", "semilla"),
        (PUBLICADA, "publicada", "semilla"),
    ]


def test_a_version_walks_from_upload_to_publication_and_retirement(
    app_client: Any, pool: ConverterPool
) -> None:
    client, headers = app_client
    docx = with_paragraph("Texto nuevo revisado por jurídico.")
    created = client.post(f"{BASE}/versiones", files=files(docx), headers=headers["ana"])
    assert created.status_code == 201, created.text
    assert (created.json()["version"], created.json()["estado"]) == (NUEVA, "borrador")

    preview = client.get(f"{BASE}/versiones/{NUEVA}/vista-previa", headers=headers["beto"])
    assert preview.status_code == 200
    assert "Texto nuevo revisado por jurídico." in pdf_text(preview.content)
    assert pdf_literal("BORRADOR — SIN VALIDEZ") in preview.content

    def act(who: str, accion: str, **body: str) -> Any:
        return client.post(
            f"{BASE}/versiones/{NUEVA}/{accion}", json=body or None, headers=headers[who]
        )

    assert act("beto", "publicar").status_code == 409  # not approved yet
    assert act("ana", "enviar").json()["estado"] == "en_revision"
    refused = act("ana", "aprobar")
    assert refused.status_code == 403 and "aprobador" in refused.json()["detail"]
    assert act("beto", "devolver").status_code == 422  # a comment is required
    assert act("beto", "devolver", comentario="cite el 151").json()["estado"] == "borrador"
    assert act("ana", "enviar").json()["estado"] == "en_revision"
    assert act("carla", "aprobar").json()["estado"] == "aprobada"
    assert act("ana", "publicar").status_code == 403
    assert act("carla", "publicar").json()["estado"] == "publicada"

    body = {"plantilla": CLAVE, "datos": ejemplo(CLAVE)}
    current = client.post("/v1/documentos", json=body, headers=headers["ana"])
    assert current.headers["x-plantilla-version"] == str(NUEVA)
    assert "Texto nuevo revisado por jurídico." in pdf_text(current.content)
    old = client.post("/v1/documentos", json=body | {"version": PUBLICADA}, headers=headers["ana"])
    assert old.headers["x-plantilla-version"] == str(PUBLICADA)
    assert "Texto nuevo revisado" not in pdf_text(old.content)

    custom = client.post(
        f"{BASE}/versiones/{PUBLICADA}/vista-previa",
        json={"datos": ejemplo(CLAVE) | {"numero_oficio": "OFICIO-DE-PRUEBA-77"}},
        headers=headers["beto"],
    )
    assert custom.status_code == 200, custom.text
    assert "OFICIO-DE-PRUEBA-77" in pdf_text(custom.content)
    diff = client.get(
        f"{BASE}/diff", params={"de": PUBLICADA, "a": NUEVA}, headers=headers["beto"]
    ).json()
    assert "+Texto nuevo revisado por jurídico." in diff["texto"]

    settings = client.app.state.services.settings  # type: ignore[attr-defined]
    with TestClient(create_app(settings, pool=pool)) as restarted:  # a restart keeps serving it
        again = restarted.post("/v1/documentos", json=body, headers=headers["ana"])
        assert again.headers["x-plantilla-version"] == str(NUEVA)

    assert act("beto", "retirar").status_code == 403
    assert act("root", "retirar").json()["estado"] == "retirada"
    back = client.post("/v1/documentos", json=body, headers=headers["ana"])
    assert back.headers["x-plantilla-version"] == str(PUBLICADA)


@pytest.mark.parametrize(
    ("parts", "finding"),
    [
        ({"docx": b"PK\x03\x04 no es zip"}, "dañado"),
        ({"docx": _hostile("macro")}, "macros"),
        ({"docx": _hostile("external")}, "enlaza un recurso externo"),
        ({"docx": _hostile("bomb")}, "posible bomba zip"),
        ({"schema": b"{ no es json"}, "schema.json no es JSON válido"),
        ({"schema": b'{"type": "objeto"}'}, "no es un JSON Schema 2020-12 válido"),
        ({"ejemplo": b'{"fecha": "ayer"}'}, "ejemplo.json"),
        (
            {"manifest": b'clave = "otra_cosa"\nnombre = "x"\nversion = 1\n'},
            "no es «requerimiento_pago»",
        ),
    ],
)
def test_bad_versions_are_refused_with_findings_and_change_nothing(
    app_client: Any, parts: dict[str, bytes], finding: str
) -> None:
    client, headers = app_client
    before = client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"]
    response = client.post(f"{BASE}/versiones", files=files(**parts), headers=headers["ana"])
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "plantilla_invalida"
    assert any(finding in e["mensaje"] for e in problem["errores"]), problem["errores"]
    assert client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"] == before


def test_a_template_reaching_python_internals_is_refused(app_client: Any) -> None:
    client, headers = app_client
    docx = with_paragraph("{{ ''.__class__.__mro__ }}")
    response = client.post(f"{BASE}/versiones", files=files(docx), headers=headers["ana"])
    assert response.status_code == 422, response.text
    assert any("__class__" in e["mensaje"] or "inseguro" in e["mensaje"] or "unsafe" in e["mensaje"]
               for e in response.json()["errores"]), response.json()["errores"]  # fmt: skip


def test_seeding_twice_is_harmless(app_client: Any) -> None:
    """Two service processes starting together both try to seed: the second skips."""
    client, headers = app_client
    services = client.app.state.services  # type: ignore[attr-defined]
    assert services.versiones.seed(PLANTILLAS) == []
    listed = client.get(f"{BASE}/versiones", headers=headers["ana"]).json()["versiones"]
    assert [v["version"] for v in listed if v["creada_por"] == "semilla"] == [1, PUBLICADA]


def test_a_template_that_never_ends_is_stopped(app_client: Any) -> None:
    """The sandbox bounds no CPU: the draft is checked in a child killed at its time limit."""
    client, headers = app_client
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    response = client.post(
        f"{BASE}/versiones", files=files(with_paragraph(loop)), headers=headers["ana"]
    )
    assert response.status_code == 422, response.text
    assert response.json()["codigo"] == "limite_excedido"
    assert "excedió el límite de 10 s" in response.json()["detail"]
    assert client.get("/healthz").status_code == 200


def split_runs(*pieces: str) -> bytes:
    """The model with a paragraph whose text Word split into runs of different formatting."""
    document = Document(io.BytesIO((FOLDER / "plantilla.docx").read_bytes()))
    target = next(p for p in document.paragraphs if p.text.startswith("Asunto:"))
    paragraph = target.insert_paragraph_before("")
    for index, piece in enumerate(pieces):
        paragraph.add_run(piece).bold = index % 2 == 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_tags_split_across_runs_are_read_whole(app_client: Any) -> None:
    """Word splits a tag into runs when its formatting changes midway; the lint sees through."""
    client, headers = app_client
    good = split_runs("Referencia: {{ numero_", "oficio }}")
    created = client.post(f"{BASE}/versiones", files=files(good), headers=headers["ana"])
    assert created.status_code == 201, created.text
    version = created.json()["version"]
    preview = client.get(f"{BASE}/versiones/{version}/vista-previa", headers=headers["beto"])
    numero = ejemplo(CLAVE)["numero_oficio"]
    assert f"Referencia: {numero}" in pdf_text(preview.content)
    hostile = split_runs("{{ ''.__cla", "ss__.__mro__ }}")
    refused = client.post(f"{BASE}/versiones", files=files(hostile), headers=headers["ana"])
    assert refused.status_code == 422, refused.text
