"""Forged and altered PDFs through POST /v1/verificaciones: each one is caught and named.

Every case starts from a document signed by the service and is attacked here (tests/forgeries.py):
what pdfsig calls valid, the verifier must not.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.model import Rol
from docservice.sign import SignerRegistry, sign_pdf
from tests import forgeries

pytestmark = pytest.mark.usefixtures("pki_server")
Headers = dict[Rol, dict[str, str]]


@pytest.fixture(scope="module")
def signed(signer_registry: SignerRegistry, make_pdf: Callable[..., bytes]) -> bytes:
    return sign_pdf(make_pdf(lines=20), signer_registry.get("desarrollo"))


@pytest.fixture
def report(client: TestClient, auth: Headers) -> Callable[[bytes], dict[str, Any]]:
    def verify(pdf: bytes) -> dict[str, Any]:
        response = client.post(
            "/v1/verificaciones",
            files={"archivo": ("x.pdf", pdf, "application/pdf")},
            headers=auth[Rol.AUDITOR],
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    return verify


def reasons(result: dict[str, Any]) -> str:
    return " | ".join(result["motivos"])


def test_the_untouched_document_is_valid(report: Callable[..., Any], signed: bytes) -> None:
    result = report(signed)
    assert result["veredicto"] == "valida", reasons(result)
    assert result["firmas"][0]["revocacion"]["estado"] == "vigente"


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        (forgeries.isa_replace_contents, "(revisión 2): se cambió el contenido de la página 1"),
        (forgeries.isa_overlay_xobject, "(revisión 2): se cambió el contenido de la página 1"),
        (forgeries.isa_add_page, "(revisión 2): se agregaron 1 página(s)"),
        (forgeries.isa_freetext_annot, "(revisión 2): se agregaron 1 anotación(es) en la página 1"),
        (forgeries.swa_wrapping, "firma"),
        (forgeries.usf_zero_contents, "mal formada"),
        (forgeries.usf_empty_contents, "mal formada"),
        (forgeries.usf_garbage_contents, "mal formada"),
        (forgeries.usf_no_byterange, "mal formada"),
        (forgeries.usf_null_byterange, "mal formada"),
        (forgeries.usf_zero_byterange, "firma"),
        (forgeries.usf_no_certificate, "mal formada"),
        (forgeries.append_without_xref, "datos añadidos después de la última revisión"),
        (forgeries.append_garbage, "datos añadidos después de la última revisión"),
        (forgeries.byte_flip, "los bytes firmados cambiaron"),
    ],
    ids=lambda value: getattr(value, "__name__", "motivo"),
)
def test_alterations_and_forgeries_are_not_valid(
    report: Callable[..., Any], signed: bytes, attack: Callable[[bytes], bytes], expected: str
) -> None:
    result = report(attack(signed))
    assert result["veredicto"] == "no_valida", reasons(result)
    assert expected in reasons(result)


def test_signature_wrapping_is_named(report: Callable[..., Any], signed: bytes) -> None:
    result = report(forgeries.swa_wrapping(signed))
    text = reasons(result)
    assert "rango de bytes firmado no es el estándar" in text or "mal formada" in text, text


def test_a_shadow_revealed_later_is_caught(
    report: Callable[..., Any], signer_registry: SignerRegistry, make_pdf: Callable[..., bytes]
) -> None:
    prepared = sign_pdf(
        forgeries.shadow_prepare(make_pdf(lines=20)), signer_registry.get("desarrollo")
    )
    assert report(prepared)["veredicto"] == "valida"  # the shadow is only latent
    result = report(forgeries.shadow_reveal(prepared))
    assert result["veredicto"] == "no_valida"
    assert "se cambió el contenido de la página 1" in reasons(result)


def test_a_certification_forbidding_changes_then_an_annotation(
    report: Callable[..., Any], signer_registry: SignerRegistry, make_pdf: Callable[..., bytes]
) -> None:
    certified = forgeries.certify_no_changes(make_pdf(), signer_registry.get("desarrollo").signer)
    assert report(certified)["firmas"][0]["tipo"] == "certificacion"
    result = report(forgeries.isa_freetext_annot(certified))
    assert result["veredicto"] == "no_valida"
    assert "se modificó después de la firma" in reasons(result)


def test_an_unknown_ca_is_not_trusted_but_everything_else_is_shown(
    report: Callable[..., Any], make_pdf: Callable[..., bytes]
) -> None:
    forged = forgeries.counter_sign(make_pdf(), forgeries.untrusted_signer(), field_name="Firma1")
    result = report(forged)
    assert result["veredicto"] == "no_valida"
    [firma] = result["firmas"]
    assert firma["confianza"]["confiable"] is False
    assert "no proviene de una autoridad de certificación de confianza" in reasons(result)
    assert firma["integridad"] is True
    assert firma["firmante"]["nombre"] == "MARIANA TÉLLEZ QUIROGA"  # the name alone proves nothing


def test_a_revoked_signer_is_named(
    report: Callable[..., Any], profile: Callable[..., Any], make_pdf: Callable[..., bytes]
) -> None:
    result = report(sign_pdf(make_pdf(), profile("revocado", "B-T")))
    assert result["veredicto"] == "no_valida"
    firma = result["firmas"][0]
    assert firma["revocacion"]["estado"] == "revocado"
    assert firma["revocacion"]["fuente"] == "OCSP"
    assert "el certificado del firmante fue revocado el 2025-06-01 (llave comprometida)" in reasons(
        result
    )


def test_a_second_signature_of_ours_is_an_allowed_change(
    report: Callable[..., Any], signed: bytes, signer_registry: SignerRegistry
) -> None:
    twice = forgeries.counter_sign(signed, signer_registry.get("ec").signer)
    result = report(twice)
    assert result["veredicto"] == "valida_con_advertencias", reasons(result)
    first, second = result["firmas"]
    assert first["modificaciones_posteriores"]["nivel"] == "llenado_de_formularios"
    assert "se agregaron otras firmas" in " ".join(first["motivos"])
    assert second["veredicto"] == "valida"


def test_an_untrusted_counter_signature_spoils_the_document(
    report: Callable[..., Any], signed: bytes
) -> None:
    result = report(forgeries.counter_sign(signed, forgeries.untrusted_signer()))
    assert result["veredicto"] == "no_valida"
    assert result["firmas"][1]["confianza"]["confiable"] is False


def test_a_sneaky_signature_stamp_is_never_plainly_valid(
    report: Callable[..., Any], signed: bytes, signer_registry: SignerRegistry
) -> None:
    sneaky = forgeries.counter_sign(
        signed,
        signer_registry.get("ec").signer,
        stamp_text=forgeries.EVIL_TEXT,
        box=(70, 690, 400, 720),
    )
    assert report(sneaky)["veredicto"] != "valida"


def test_random_mutations_of_the_signed_bytes_are_never_valid(
    client: TestClient, auth: Headers, signed: bytes
) -> None:
    """Research S28: flips, inserts, deletions and truncations inside the signed ranges."""
    match = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed))[-1]
    _, b, c, d = (int(x) for x in match.groups())
    offsets = [*range(20, b), *range(c, c + d)]  # past the header, outside the /Contents hole
    rng = random.Random(20261125)  # noqa: S311  # reproducible test cases, not secrets
    for case in range(80):
        data = bytearray(signed)
        at = rng.choice(offsets)
        kind = case % 4
        if kind == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            data[at:at] = bytes([rng.randrange(256)])
        elif kind == 2:
            del data[at]
        else:
            del data[at:]
        response = client.post(
            "/v1/verificaciones",
            files={"archivo": ("m.pdf", bytes(data), "application/pdf")},
            headers=auth[Rol.AUDITOR],
        )
        assert response.status_code in (200, 422), (case, response.text)
        if response.status_code == 200:
            assert response.json()["veredicto"] != "valida", (case, kind, at)
