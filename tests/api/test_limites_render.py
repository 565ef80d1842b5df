"""Every fill is bounded: published templates run in bounded workers, previews are limited.

Runs on its own app, over a temporary plantillas folder whose published requerimiento_pago has
a loop that depends on the case data (``n``): the review lint renders the ejemplo (n = 1), a
caller sends n = 100,000 (10¹⁰ iterations), or makes each iteration print 100 KB.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient

from docservice.config import RenderSettings, SignSettings
from docservice.convert import ConverterPool
from docservice.documentos.propiedades import document_properties, template_info
from docservice.errors import DatosInvalidos
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import PLANTILLAS, ejemplo, make_settings, pdf_text

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
BASE = f"/v1/plantillas/{CLAVE}"
LEYENDA = "/v1/leyendas/cotejo_electronico"
TIEMPO_S = 3.0
LOOP = (
    "Repeticiones: {% if not grande %}{% for i in range(n) %}{% for j in range(n) %}"
    "{% endfor %}{% endfor %}{% endif %}fin."
)
BIG = "{% if grande %}{% for i in range(n) %}{{ 'x' * 99999 }}{% endfor %}{% endif %}"


def _looping_folder(root: Path) -> Path:
    """A copy of requerimiento_pago whose template loops ``n``² times (n from the data)."""
    folder = root / CLAVE
    shutil.copytree(PLANTILLAS / CLAVE, folder, ignore=shutil.ignore_patterns("versiones"))
    document = Document(io.BytesIO((folder / "plantilla.docx").read_bytes()))
    target = next(p for p in document.paragraphs if p.text.startswith("Asunto:"))
    target.insert_paragraph_before(LOOP)
    target.insert_paragraph_before(BIG)
    out = io.BytesIO()
    document.save(out)
    (folder / "plantilla.docx").write_bytes(out.getvalue())
    schema = json.loads((folder / "schema.json").read_text("utf-8"))
    schema["properties"]["n"] = {
        "type": "integer", "minimum": 0, "maximum": 100000,
        "title": "Repeticiones", "description": "Cuántas veces se repite el ciclo de prueba.",
    }  # fmt: skip
    schema["properties"]["grande"] = {
        "type": "boolean", "title": "Texto grande", "description": "Imprime 100 KB por vuelta.",
    }  # fmt: skip
    (folder / "schema.json").write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    datos = ejemplo(CLAVE) | {"n": 1, "grande": False}
    (folder / "ejemplo.json").write_text(json.dumps(datos, ensure_ascii=False), "utf-8")
    return root


@pytest.fixture(scope="module")
def app_client(
    tmp_path_factory: pytest.TempPathFactory, sign_settings: SignSettings, pool: ConverterPool
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    var = tmp_path_factory.mktemp("limites")
    settings = make_settings(var, sign_settings).model_copy(
        update={
            "plantillas_dir": _looping_folder(tmp_path_factory.mktemp("plantillas")),
            "render": RenderSettings(
                tiempo_s=TIEMPO_S, memoria_mb=320, procesos=1, precompilar=False
            ),
        }
    )
    with TestClient(create_app(settings, pool=pool), raise_server_exceptions=False) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        people = {
            "ana": Rol.JURIDICO, "beto": Rol.APROBADOR, "sara": Rol.SISTEMA, "olga": Rol.AUDITOR,
        }  # fmt: skip
        headers = {
            name: {"Authorization": f"Bearer {ledger.create_api_key(name, rol)}"}
            for name, rol in people.items()
        }
        yield client, headers


def _document(client: TestClient, headers: dict[str, str], **datos: Any) -> Any:
    body = {"plantilla": CLAVE, "datos": ejemplo(CLAVE) | datos}
    return client.post("/v1/documentos", json=body, headers=headers)


def test_a_published_loop_driven_by_the_data_is_stopped_and_the_service_keeps_serving(
    app_client: Any,
) -> None:
    client, headers = app_client
    started = time.monotonic()
    response = _document(client, headers["sara"], n=100_000, grande=False)
    elapsed = time.monotonic() - started
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "limite_excedido"
    assert problem["detail"] == "el llenado de la plantilla excedió el límite de 3 s"
    assert elapsed < TIEMPO_S + 5

    normal = _document(client, headers["sara"], n=2, grande=False)
    assert normal.status_code == 200, normal.text
    assert "Repeticiones: fin." in pdf_text(normal.content)


def test_a_published_fill_that_outgrows_its_memory_is_stopped(app_client: Any) -> None:
    """100 KB per iteration, 100,000 iterations: 10 GB against a 320 MB address space."""
    client, headers = app_client
    response = _document(client, headers["sara"], n=100_000, grande=True)
    assert response.status_code == 422, response.text
    assert response.json()["codigo"] == "limite_excedido"
    assert "memoria" in response.json()["detail"]
    assert _document(client, headers["sara"], n=1, grande=False).status_code == 200


def test_errors_raised_in_the_worker_keep_their_code_and_pointers(app_client: Any) -> None:
    """The API process checks the data first; the worker's own check says the same."""
    client, _ = app_client
    services = client.app.state.services  # type: ignore[attr-defined]
    plantilla = services.documentos.registry.get(CLAVE)
    datos = ejemplo(CLAVE) | {"n": 1, "grande": False, "numero_oficio": ""}
    with pytest.raises(DatosInvalidos) as caught:  # the pool's validating entry (previews')
        services.render_pool.render(
            template=plantilla.docx,
            info=template_info(plantilla),
            schema=plantilla.schema,
            datos=datos,
            documento_id="x",
            properties=document_properties(plantilla, "x", "", "prueba"),
            template_sha256=plantilla.docx_sha256,
        )
    assert caught.value.code == "datos_invalidos"
    assert [e.pointer for e in caught.value.errores] == ["/numero_oficio"]


def test_previews_are_for_legal_staff_only(app_client: Any) -> None:
    client, headers = app_client
    for who in ("olga", "sara"):
        refused = client.get(f"{BASE}/versiones/2/vista-previa", headers=headers[who])
        assert refused.status_code == 403, refused.text
        assert refused.json()["codigo"] == "no_autorizado"
        posted = client.post(
            f"{BASE}/versiones/2/vista-previa", json={"datos": {}}, headers=headers[who]
        )
        assert posted.status_code == 403
        leyenda = client.get(f"{LEYENDA}/versiones/1/vista-previa", headers=headers[who])
        assert leyenda.status_code == 403
    allowed = client.get(f"{BASE}/versiones/2/vista-previa", headers=headers["ana"])
    assert allowed.status_code == 200, allowed.text


def test_concurrent_previews_beyond_the_limit_get_429_with_retry_after(app_client: Any) -> None:
    client, headers = app_client
    barrier = threading.Barrier(12)
    answers: list[Any] = []

    def ask() -> None:
        barrier.wait()
        answers.append(client.get(f"{BASE}/versiones/2/vista-previa", headers=headers["beto"]))

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(a.status_code for a in answers)
    assert len(statuses) == 12 and set(statuses) <= {200, 429}, statuses
    assert 1 <= statuses.count(200) <= 4 and statuses.count(429) >= 8, statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["codigo"] == "demasiadas_solicitudes"
    assert refused.json()["detail"] == (
        "ya hay 2 vistas previas en curso; intente de nuevo en unos segundos"
    )
    again = client.get(f"{BASE}/versiones/2/vista-previa", headers=headers["beto"])
    assert again.status_code == 200
