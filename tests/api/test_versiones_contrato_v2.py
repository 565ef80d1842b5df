"""Version 2 of a form goes through the life cycle, and version 1 stays renderable by number.

Two paths: a folder that only knows v1 gets v2 uploaded, reviewed by a second person,
published, and v1 retired through the API; and the repository's own folders, which keep v1
under ``versiones/1/``, seed it as retired with v2 published.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import PLANTILLAS, make_settings, pdf_text

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
V1, V2 = PLANTILLAS / CLAVE / "versiones" / "1", PLANTILLAS / CLAVE
PEOPLE = {"ana": Rol.JURIDICO, "beto": Rol.APROBADOR, "root": Rol.ADMIN, "sis": Rol.SISTEMA}


def _client(
    settings: Any, pool: ConverterPool, suffix: str = ""
) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        headers = {
            name: {"Authorization": f"Bearer {ledger.create_api_key(name + suffix, rol)}"}
            for name, rol in PEOPLE.items()
        }
        yield client, headers


@pytest.fixture(scope="module")
def only_v1(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    """An app whose plantillas folder holds the requerimiento as it was before contract v2."""
    root = tmp_path_factory.mktemp("solo-v1")
    shutil.copytree(V1, root / "plantillas" / CLAVE)
    settings = make_settings(root / "var", sign_settings)
    settings = settings.model_copy(update={"plantillas_dir": root / "plantillas"})
    yield from _client(settings, pool)


@pytest.fixture(scope="module")
def repository(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, Any]]]:
    settings = make_settings(tmp_path_factory.mktemp("repositorio"), sign_settings)
    yield from _client(settings, pool)


def render(client: TestClient, headers: dict[str, Any], version: int, datos: Any) -> Any:
    body = {"plantilla": CLAVE, "version": version, "datos": datos}
    return client.post("/v1/documentos", json=body, headers=headers["sis"])


def v2_files() -> dict[str, Any]:
    names = {"docx": "plantilla.docx", "schema": "schema.json", "ejemplo": "ejemplo.json",
             "manifest": "manifest.toml"}  # fmt: skip
    return {part: (name, (V2 / name).read_bytes()) for part, name in names.items()}


def test_v2_is_published_through_the_life_cycle_and_v1_retired(only_v1: Any) -> None:
    client, headers = only_v1
    base = f"/v1/plantillas/{CLAVE}/versiones"
    submitted = client.post(base, files=v2_files(), headers=headers["ana"])
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["version"] == 2
    steps = [("ana", 2, "enviar"), ("beto", 2, "aprobar"), ("beto", 2, "publicar"),
             ("root", 1, "retirar")]  # fmt: skip
    for person, version, accion in steps:
        moved = client.post(
            f"{base}/{version}/{accion}",
            json={"comentario": "contrato v2"},
            headers=headers[person],
        )
        assert moved.status_code == 200, (accion, moved.text)
    listed = client.get(base, headers=headers["ana"]).json()["versiones"]
    assert [(v["version"], v["estado"]) for v in listed] == [(1, "retirada"), (2, "publicada")]
    detail = client.get(f"/v1/plantillas/{CLAVE}", headers=headers["sis"]).json()
    assert detail["version"] == 2 and detail["versiones_retiradas"] == [1]

    old = render(client, headers, 1, json.loads((V1 / "ejemplo.json").read_text("utf-8")))
    assert old.status_code == 200, old.text
    assert old.headers["x-plantilla-version"] == "1"
    assert old.headers["x-plantilla-estado"] == "retirada"
    new = render(client, headers, 2, json.loads((V2 / "ejemplo.json").read_text("utf-8")))
    assert new.status_code == 200, new.text
    assert new.headers["x-plantilla-estado"] == "publicada"
    assert "Formato" in pdf_text(new.content) and "versión 2" in pdf_text(new.content)


def test_the_repository_seeds_v1_retired_and_v2_published(repository: Any) -> None:
    client, headers = repository
    claves = sorted(p.name for p in PLANTILLAS.iterdir() if (p / "manifest.toml").is_file())
    assert len(claves) == 10  # every form of domain.md
    for clave in claves:
        listed = client.get(f"/v1/plantillas/{clave}/versiones", headers=headers["ana"])
        assert listed.status_code == 200, (clave, listed.text)
        states = [(v["version"], v["estado"]) for v in listed.json()["versiones"]]
        assert states == [(1, "retirada"), (2, "publicada")], clave
    old = render(client, headers, 1, json.loads((V1 / "ejemplo.json").read_text("utf-8")))
    assert old.status_code == 200, old.text
    assert old.headers["x-plantilla-estado"] == "retirada"


def test_a_ledger_seeded_before_v2_retires_v1_at_the_next_start(
    tmp_path: Path, sign_settings: SignSettings, pool: ConverterPool
) -> None:
    root = tmp_path / "plantillas"
    shutil.copytree(V1, root / CLAVE)
    settings = make_settings(tmp_path / "var", sign_settings)
    settings = settings.model_copy(update={"plantillas_dir": root})
    for _ in _client(settings, pool):
        pass  # first start: v1 seeded as published
    shutil.rmtree(root / CLAVE)
    shutil.copytree(V2, root / CLAVE)  # the repository moves on: v2 with v1 in versiones/1/
    for client, headers in _client(settings, pool, suffix="-2"):
        listed = client.get(f"/v1/plantillas/{CLAVE}/versiones", headers=headers["ana"]).json()
        assert [(v["version"], v["estado"]) for v in listed["versiones"]] == [
            (1, "retirada"),
            (2, "publicada"),
        ]
