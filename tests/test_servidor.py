"""The HTTP service's start: upgrade, start-up duties, workers, plantillas compiled ahead."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from docservice.bootstrap import Services
from docservice.config import RenderSettings, SignSettings
from docservice.convert import ConverterPool
from docservice.servidor import create_app
from tests.conftest import make_settings


def test_the_service_compiles_every_plantilla_in_each_worker_before_use(
    tmp_path: Path, sign_settings: SignSettings, pool: ConverterPool
) -> None:
    settings = make_settings(tmp_path, sign_settings).model_copy(
        update={"render": RenderSettings(precompilar=True)}
    )
    with TestClient(create_app(settings, pool=pool)) as client:
        services: Services = client.app.state.services  # type: ignore[attr-defined]
        in_service = sum(len(v) for v in services.registry.plantillas.values())
        assert in_service >= len(list(settings.plantillas_dir.glob("*/manifest.toml")))
        deadline = time.monotonic() + 120
        while (done := services.render_pool.compilations()) != [in_service] * 2:
            assert time.monotonic() < deadline, done
            time.sleep(0.5)
        answer = client.get("/healthz").json()
    assert answer["llenado"] == {"procesos_vivos": 2, "procesos": 2}


def test_a_service_started_on_a_new_database_upgrades_it_first(
    tmp_path: Path, sign_settings: SignSettings, pool: ConverterPool
) -> None:
    settings = make_settings(tmp_path, sign_settings)
    with TestClient(create_app(settings, pool=pool)) as client:
        services: Services = client.app.state.services  # type: ignore[attr-defined]
        versions = services.versiones.versions("requerimiento_pago")
    assert [(v.version, v.estado) for v in versions] == [(1, "retirada"), (2, "publicada")]


def test_a_service_stopped_while_it_precompiles_stops_cleanly(
    tmp_path: Path, sign_settings: SignSettings, pool: ConverterPool
) -> None:
    """The background compilation stops before the render workers close under it."""
    settings = make_settings(tmp_path, sign_settings).model_copy(
        update={"render": RenderSettings(precompilar=True)}
    )
    for _ in range(2):
        with TestClient(create_app(settings, pool=pool)) as client:
            assert client.get("/healthz").json()["llenado"]["procesos_vivos"] == 2
