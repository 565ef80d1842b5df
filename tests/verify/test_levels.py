"""PAdES levels seen by the verifier: timestamps, embedded validation data, archive stamps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from docservice.sign import SignerRegistry, sign_pdf

pytestmark = pytest.mark.usefixtures("pki_server")
TSA = "Sellado de Tiempo de Desarrollo de docservice"


def verify(client: TestClient, auth: dict[Rol, dict[str, str]], pdf: bytes) -> dict[str, Any]:
    response = client.post(
        "/v1/verificaciones",
        files={"archivo": ("n.pdf", pdf, "application/pdf")},
        headers=auth[Rol.AUDITOR],
    )
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


@pytest.mark.parametrize(
    ("perfil", "nivel", "fuente"),
    [("sellado", "B-T", "OCSP"), ("largo-plazo", "B-LT", "DSS"), ("archivo", "B-LTA", "DSS")],
)
def test_levels_timestamps_and_revocation_sources(  # noqa: PLR0917  # fixtures and parameters
    client: TestClient,
    auth: dict[Rol, dict[str, str]],
    signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
    perfil: str,
    nivel: str,
    fuente: str,
) -> None:
    report = verify(client, auth, sign_pdf(make_pdf(), signer_registry.get(perfil)))
    assert report["veredicto"] == "valida", report["motivos"]
    firma = report["firmas"][0]
    assert firma["nivel_pades"] == nivel
    assert firma["sello_de_tiempo"]["tsa"] == TSA
    assert firma["sello_de_tiempo"]["valido"] is True
    assert firma["revocacion"] == {
        "estado": "vigente", "fuente": fuente, "fecha_revocacion": None, "motivo": None
    }  # fmt: skip
    if nivel == "B-LTA":
        stamp = report["firmas"][1]
        assert stamp["tipo"] == "sello_de_tiempo_de_documento"
        assert stamp["sello_de_tiempo"]["tsa"] == TSA
        assert firma["modificaciones_posteriores"]["nivel"] == "sellos_de_archivo"
