"""Updates pyHanko allows after a signature, named for what they are; stricter for our documents.

Each forgery starts from a PDF signed with the service's dev profile (tests/forgeries.py). A
document counts as ours when the ledger holds the hash of one of its signed revisions, as it
does for everything docservice issues; here the record is written directly (no LibreOffice).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docservice.bootstrap import Services
from docservice.ledger import DocumentRecord
from docservice.model import Rol
from docservice.sign import SignerRegistry, sign_pdf
from tests import forgeries

pytestmark = pytest.mark.usefixtures("pki_server")
Headers = dict[Rol, dict[str, str]]
Report = Callable[[bytes], dict[str, Any]]
ISSUED = (
    "docservice emitió este documento (revisión 2) y después se le hicieron cambios que no son "
    "firmas, datos de validación (DSS) ni sellos de tiempo de documento: "
)


@pytest.fixture
def signed(signer_registry: SignerRegistry, make_pdf: Callable[..., bytes]) -> bytes:
    """A fresh document signed with our dev profile (its hash is unique to the test)."""
    return sign_pdf(make_pdf(lines=12), signer_registry.get("desarrollo"))


@pytest.fixture
def report(client: TestClient, auth: Headers) -> Report:
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


def issue(services: Services, sha256: str) -> None:
    """Record a signed revision in the ledger as docservice records what it issues."""
    services.ledger.record_document(
        DocumentRecord(
            id=str(uuid.uuid4()), plantilla="constancia_adeudos", plantilla_version=2,
            plantilla_sha256="0" * 64, datos_sha256="0" * 64, contenido_sha256=sha256,
            formato="pdf", bytes=1, solicitante="pruebas", creado=datetime.now(UTC),
        )
    )  # fmt: skip


def metadata_reason(metadatos: dict[str, str]) -> str:
    producer = metadatos["Producer"]
    return (
        f"palabras clave (Keywords) = «documento_id={forgeries.FAKE_DOCUMENT_ID}»; "
        f"programa productor (Producer) = «{producer}»; título (Title) = «ADEUDO PAGADO»"
    )


def test_a_rewritten_info_dictionary_is_named_metadata(signed: bytes, report: Report) -> None:
    result = report(forgeries.metadata_rewrite(signed))
    assert result["veredicto"] == "valida_con_advertencias", result["motivos"]
    [firma] = result["firmas"]
    cambios = firma["modificaciones_posteriores"]
    assert cambios["nivel"] == "metadatos"
    assert cambios["metadatos"]["Title"] == "ADEUDO PAGADO"
    assert cambios["metadatos"]["Keywords"] == f"documento_id={forgeries.FAKE_DOCUMENT_ID}"
    assert cambios["revisiones"]["metadatos"] == 1
    assert result["motivos"] == [
        "Firma1: después de la firma se cambiaron los metadatos del documento, que la firma no "
        "cubre: " + metadata_reason(cambios["metadatos"])
    ]
    assert result["documento"]["registro"]["emitido_por_docservice"] is False


def test_a_rewritten_info_dictionary_of_ours_is_not_valid(
    signed: bytes, report: Report, services: Services
) -> None:
    issue(services, hashlib.sha256(signed).hexdigest())
    result = report(forgeries.metadata_rewrite(signed))
    assert result["veredicto"] == "no_valida"
    metadatos = result["firmas"][0]["modificaciones_posteriores"]["metadatos"]
    assert result["motivos"][0] == (
        ISSUED
        + "se cambiaron los metadatos: "
        + metadata_reason(metadatos)
        + "; revisiones 1 de metadatos"
    )
    registro = result["documento"]["registro"]
    assert (registro["coincide"], registro["revision"]) == ("revision_firmada", 2)


def test_added_revisions_that_change_nothing_are_counted(
    signed: bytes, report: Report, services: Services
) -> None:
    padded = forgeries.empty_revisions(signed, 40)
    result = report(padded)
    assert result["veredicto"] == "valida_con_advertencias", result["motivos"]
    cambios = result["firmas"][0]["modificaciones_posteriores"]
    assert cambios["nivel"] == "revisiones_sin_cambios"
    assert cambios["revisiones"]["sin_cambios_visibles"] == 40
    detalle = "40 revisión(es) posterior(es) a la firma (40 sin cambios visibles)"
    assert cambios["detalle"] == detalle
    assert result["motivos"] == [
        "Firma1: después de la firma se agregaron revisiones que no son firmas, sellos de tiempo "
        "ni datos de validación: 40 sin cambios visibles"
    ]

    issue(services, hashlib.sha256(signed).hexdigest())
    ours = report(padded)
    assert ours["veredicto"] == "no_valida"
    assert ours["motivos"][0] == ISSUED + "revisiones 40 sin cambios visibles"


def test_junk_after_the_end_of_file_is_not_valid_not_unreadable(
    signed: bytes, report: Report, services: Services
) -> None:
    issue(services, hashlib.sha256(signed).hexdigest())
    result = report(forgeries.append_junk(signed, 4096))  # a 422 «EOF marker not found» before
    assert result["veredicto"] == "no_valida"
    assert result["motivos"][0] == (
        "hay datos añadidos después de la última revisión del archivo, fuera de toda firma "
        "(4096 bytes)"
    )
    assert result["firmas"][0]["integridad"] is True
    assert result["documento"]["bytes"] == len(signed) + 4096
    assert result["documento"]["registro"]["coincide"] == "revision_firmada"


def test_our_second_signature_stays_allowed_on_our_document(
    signed: bytes, report: Report, services: Services, signer_registry: SignerRegistry
) -> None:
    issue(services, hashlib.sha256(signed).hexdigest())
    result = report(forgeries.counter_sign(signed, signer_registry.get("ec").signer))
    assert result["veredicto"] == "valida_con_advertencias", result["motivos"]
    assert result["documento"]["registro"]["coincide"] == "revision_firmada"
    first = result["firmas"][0]["modificaciones_posteriores"]
    assert first["nivel"] == "llenado_de_formularios"
    assert first["revisiones"]["firmas"] == 1
    assert not any(m.startswith("docservice emitió") for m in result["motivos"])


def test_an_archive_timestamp_and_dss_stay_valid_on_our_document(
    report: Report, services: Services, signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
) -> None:  # fmt: skip
    archived = sign_pdf(make_pdf(lines=14), signer_registry.get("archivo"))
    issue(services, report(archived)["firmas"][0]["sha256_revision"])
    result = report(archived)
    assert result["veredicto"] == "valida", result["motivos"]
    assert result["documento"]["registro"]["coincide"] == "revision_firmada"
    cambios = result["firmas"][0]["modificaciones_posteriores"]
    assert cambios["nivel"] == "sellos_de_archivo"
    assert cambios["revisiones"]["sellos_de_tiempo"] == 1
    assert cambios["revisiones"]["dss"] >= 1
    assert cambios["revisiones"]["sin_cambios_visibles"] == cambios["revisiones"]["otras"] == 0


def test_an_archived_document_of_ours_is_found_past_its_dss_and_stays_strict(
    report: Report, services: Services, signer_registry: SignerRegistry,
    make_pdf: Callable[..., bytes],
) -> None:  # fmt: skip
    """B-LTA ends in a DSS update after the timestamp: the ledger holds that whole file."""
    archived = sign_pdf(make_pdf(lines=16), signer_registry.get("archivo"))
    issue(services, hashlib.sha256(archived).hexdigest())
    assert report(archived)["veredicto"] == "valida"
    result = report(forgeries.metadata_rewrite(archived))
    assert result["veredicto"] == "no_valida"
    registro = result["documento"]["registro"]
    last = result["documento"]["revisiones"] - 1
    assert (registro["coincide"], registro["revision"]) == ("revision_anterior", last)
    huella = result["documento"]["huellas"][-1]
    assert huella["revision"] == last and huella["posteriores"]["metadatos"] == 1
    assert result["motivos"][0] == (
        f"docservice emitió este documento (revisión {last}) y después se le hicieron cambios "
        "que no son firmas, datos de validación (DSS) ni sellos de tiempo de documento: "
        "se cambiaron los metadatos: "
        + metadata_reason(huella["metadatos"])
        + "; revisiones 1 de metadatos"
    )
