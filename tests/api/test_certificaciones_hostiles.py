"""Hostile PDFs sent to POST /v1/certificaciones (research §3): refused in Spanish, no folio
taken, the service goes on serving; a legal but heavy page is certified without parsing it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.bootstrap import Services
from docservice.model import Rol
from tests import hostile_pdfs
from tests.conftest import folio_year, leyenda_ejemplo, pdf_text

Headers = dict[Rol, dict[str, str]]


def post(client: TestClient, headers: dict[str, str], pdf: bytes) -> Any:
    return client.post(
        "/v1/certificaciones",
        files={"archivo": ("hostil.pdf", pdf, "application/pdf")},
        data={
            "leyenda": "certificacion_copia",
            "datos": json.dumps(leyenda_ejemplo("certificacion_copia")),
            "serie": "HOSTIL",
        },
        headers=headers,
    )


@pytest.mark.parametrize(
    ("build", "detail"),
    [
        (hostile_pdfs.flate_bomb, "excede los límites de descompresión"),
        (hostile_pdfs.nested_flate_bomb, "excede los límites de descompresión"),
        (hostile_pdfs.absurd_length, "excede los límites de descompresión"),
        (hostile_pdfs.deep_nesting, "dañado"),
        (hostile_pdfs.page_tree_cycle, "dañado"),
    ],
    ids=["flate", "flate-anidado", "length", "anidamiento", "ciclo"],
)
def test_hostile_pdf_is_refused_without_a_folio(
    client: TestClient,
    auth: Headers,
    services: Services,
    build: Callable[[], bytes],
    detail: str,
) -> None:
    response = post(client, auth[Rol.SISTEMA], build())
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["codigo"] == "pdf_invalido"
    assert detail in problem["detail"]
    assert services.ledger.folio_series_report("HOSTIL", folio_year()).highest == 0
    assert client.get("/healthz").status_code == 200


def test_a_page_of_two_million_operators_is_certified_untouched(
    client: TestClient, auth: Headers
) -> None:
    """The original content is wrapped, never tokenized: heavy but legal pages cost nothing."""
    response = post(client, auth[Rol.SISTEMA], hostile_pdfs.many_operators())
    assert response.status_code == 200, response.text
    assert "Foja 1 de 1" in pdf_text(response.content)
