"""Hostile files sent to POST /v1/verificaciones: a bounded, clear answer; the service goes on."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter

from docservice.config import Settings
from docservice.convert import ConverterPool
from docservice.model import Rol
from docservice.servidor import create_app
from docservice.sign import SignerRegistry, sign_pdf
from tests import hostile_pdfs

Headers = dict[Rol, dict[str, str]]


def verify(client: TestClient, headers: dict[str, str], pdf: bytes) -> Any:
    return client.post(
        "/v1/verificaciones", files={"archivo": ("x.pdf", pdf, "application/pdf")}, headers=headers
    )


@pytest.mark.parametrize(
    "build",
    [
        hostile_pdfs.flate_bomb,
        hostile_pdfs.nested_flate_bomb,
        hostile_pdfs.absurd_length,
        hostile_pdfs.deep_nesting,
        hostile_pdfs.page_tree_cycle,
    ],
    ids=["flate", "flate-anidado", "length", "anidamiento", "ciclo"],
)
def test_hostile_files_get_a_clear_answer(
    client: TestClient, auth: Headers, build: Callable[[], bytes]
) -> None:
    response = verify(client, auth[Rol.AUDITOR], build())
    if response.status_code == 200:
        report = response.json()
        assert report["veredicto"] == "no_valida"
        assert report["motivos"]
    else:
        assert response.status_code == 422, response.text
        assert response.json()["codigo"] in ("pdf_invalido", "limite_excedido")
        assert response.json()["detail"]
    assert client.get("/healthz").status_code == 200


def test_encrypted_and_unsigned(
    client: TestClient, auth: Headers, make_pdf: Callable[..., bytes]
) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="x", owner_password="y", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    encrypted = verify(client, auth[Rol.AUDITOR], out.getvalue())
    assert encrypted.status_code == 422
    assert "cifrado" in encrypted.json()["detail"]


def test_a_file_over_the_limit_is_413(
    settings: Settings, pool: ConverterPool, signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
) -> None:  # fmt: skip
    limited = settings.model_copy(
        update={
            "verificacion": settings.verificacion.model_copy(
                update={"max_archivo_bytes": 30_000, "workers": 1}
            )
        }
    )
    with TestClient(create_app(limited, pool=pool), raise_server_exceptions=False) as small:
        token = small.app.state.services.ledger.create_api_key("limite-v", Rol.AUDITOR)  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {token}"}
        too_big = verify(small, headers, b"%PDF-1.7\n" + b"%" * 40_000)
        assert too_big.status_code == 413
        assert too_big.json()["codigo"] == "cuerpo_demasiado_grande"
        signed = sign_pdf(make_pdf(lines=5), signer_registry.get("desarrollo"))
        assert len(signed) < 30_000
        answer = verify(small, headers, signed)
        assert answer.status_code == 200, answer.text
