"""Four eyes through the API: whoever uploaded or sent a version never approves or publishes it.

``admin`` passes every role check, so an admin who uploads a version and has someone else send
it is the case the rule exists for. Runs on its own app and database: publishing changes what
the registry serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import PLANTILLAS, make_settings

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
FOLDER = PLANTILLAS / CLAVE
BASE = f"/v1/plantillas/{CLAVE}/versiones"
RULE = "regla de cuatro ojos: quien sube o envía una versión no la aprueba ni la publica"
PEOPLE = {
    "dora": Rol.ADMIN, "eva": Rol.JURIDICO, "rita": Rol.ADMIN, "beto": Rol.APROBADOR,
    "carla": Rol.APROBADOR,
}  # fmt: skip


@pytest.fixture(scope="module")
def app_client(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    settings = make_settings(tmp_path_factory.mktemp("cuatro_ojos"), sign_settings)
    settings = settings.model_copy(
        update={"render": settings.render.model_copy(update={"borrador_tiempo_s": 10})}
    )
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        headers = {
            name: {"Authorization": f"Bearer {ledger.create_api_key(name, rol)}"}
            for name, rol in PEOPLE.items()
        }
        yield client, headers


def upload(client: TestClient, headers: dict[str, str]) -> int:
    names = {"docx": "plantilla.docx", "schema": "schema.json", "ejemplo": "ejemplo.json",
             "manifest": "manifest.toml"}  # fmt: skip
    parts = {part: (name, (FOLDER / name).read_bytes()) for part, name in names.items()}
    created = client.post(BASE, files=parts, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["estado"] == "borrador"
    return int(created.json()["version"])


def refusal(response: Any) -> tuple[int, str, str]:
    problem = response.json()
    return response.status_code, problem["codigo"], problem["detail"]


def test_the_author_never_approves_or_publishes_what_someone_else_sent(app_client: Any) -> None:
    client, headers = app_client
    version = upload(client, headers["dora"])  # an admin uploads: admin passes every role

    def act(who: str, accion: str) -> Any:
        return client.post(f"{BASE}/{version}/{accion}", headers=headers[who])

    assert act("eva", "enviar").json()["estado"] == "en_revision"  # a second juridico sends
    subio = f"una versión que usted subió ({RULE})"
    assert refusal(act("dora", "aprobar")) == (403, "no_autorizado", f"no puede aprobar {subio}")
    assert act("beto", "aprobar").json()["estado"] == "aprobada"  # a third person
    assert refusal(act("dora", "publicar")) == (403, "no_autorizado", f"no puede publicar {subio}")
    assert act("beto", "publicar").json()["estado"] == "publicada"
    listed = client.get(BASE, headers=headers["beto"]).json()["versiones"]
    moved = next(v for v in listed if v["version"] == version)
    assert (moved["creada_por"], moved["enviada_por"], moved["estado"]) == (
        "dora", "eva", "publicada",
    )  # fmt: skip


def test_the_sender_never_approves_or_publishes_what_they_sent(app_client: Any) -> None:
    client, headers = app_client
    version = upload(client, headers["eva"])

    def act(who: str, accion: str) -> Any:
        return client.post(f"{BASE}/{version}/{accion}", headers=headers[who])

    assert act("rita", "enviar").json()["estado"] == "en_revision"  # an admin sends it
    envio = f"una versión que usted envió a revisión ({RULE})"
    assert refusal(act("rita", "aprobar")) == (403, "no_autorizado", f"no puede aprobar {envio}")
    assert act("carla", "aprobar").json()["estado"] == "aprobada"
    assert refusal(act("rita", "publicar")) == (403, "no_autorizado", f"no puede publicar {envio}")
    assert act("carla", "publicar").json()["estado"] == "publicada"
