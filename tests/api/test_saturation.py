"""A saturated conversion pool answers 503 with Retry-After and keeps serving afterwards."""

from __future__ import annotations

import copy
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.config import SignSettings
from docservice.model import Rol
from docservice.servidor import create_app
from tests.conftest import ejemplo, make_settings

pytestmark = pytest.mark.libreoffice


def _until_served(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> None:
    """Post ``body`` until it is served (the pool may still be busy warming up)."""
    deadline = time.monotonic() + 60
    while (answer := client.post("/v1/documentos", headers=headers, json=body)).status_code == 503:
        assert time.monotonic() < deadline, answer.json()
        time.sleep(0.5)
    assert answer.status_code == 200, answer.json()


def test_full_queue_is_503_with_retry_after(tmp_path: Path, sign_settings: SignSettings) -> None:
    settings = make_settings(tmp_path, sign_settings, workers=1, queue_limit=0)
    with TestClient(create_app(settings)) as client:
        ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {ledger.create_api_key('carga', Rol.SISTEMA)}"}
        constancia = {"plantilla": "constancia_adeudos", "datos": ejemplo("constancia_adeudos")}
        _until_served(client, headers, constancia)  # pool idle, constancia compiled: the second
        # request below reaches the converter within the first one's conversion
        big = copy.deepcopy(ejemplo("requerimiento_pago"))
        big["creditos"] = [  # 300 créditos, each number once (a number twice is refused)
            {**credito, "numero_credito": f"{credito['numero_credito']}{copia:02d}"}
            for copia in range(30)
            for credito in big["creditos"]
        ]
        results: list[Any] = []
        first = threading.Thread(
            target=lambda: results.append(
                client.post(
                    "/v1/documentos",
                    json={"plantilla": "requerimiento_pago", "datos": big},
                    headers=headers,
                )
            )
        )
        first.start()
        pool = client.app.state.services.pool  # type: ignore[attr-defined]
        deadline = time.monotonic() + 20
        while not pool.health().procesos[0].busy and time.monotonic() < deadline:
            time.sleep(0.005)
        second = client.post("/v1/documentos", headers=headers, json=constancia)
        first.join(60)
        assert second.status_code == 503
        assert second.headers["retry-after"].isdigit()
        assert second.json()["codigo"] == "servicio_saturado"
        assert results[0].status_code == 200
        again = client.post("/v1/documentos", headers=headers, json=constancia)
        assert again.status_code == 200
