"""The filled .docx is inspected before LibreOffice sees it (issue 12, item 2).

A template that prints a value through ``|safe`` lets the case data write raw WordprocessingML:
here an INCLUDEPICTURE field pointing at a local file. The upload lint cannot see it (the
template itself is clean); the inspection of the rendered document must.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, cast

import pytest

from docservice.config import RenderSettings
from docservice.convert import ConverterPool
from docservice.documentos import DocumentService
from docservice.documentos.service import DocumentRequest
from docservice.errors import PlantillaInvalida
from docservice.registry import load_registry
from docservice.render import Renderer
from tests.conftest import PLANTILLAS, ejemplo
from tests.documentos.test_service import poison
from tests.ledger.backends import migrated_ledger

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
FIELD_XML = (
    '</w:t></w:r><w:fldSimple w:instr="INCLUDEPICTURE &quot;file:///etc/hostname&quot; \\d">'
    "<w:r><w:t>x</w:t></w:r></w:fldSimple><w:r><w:t>"
)
REFUSED = (
    f"el documento llenado con la plantilla «{CLAVE}» no es seguro y no se convirtió: "
    "«word/document.xml» usa el campo INCLUDEPICTURE, que no se permite"
)


class CountingPool:
    """The session's real pool, counting what it is asked to convert."""

    def __init__(self, pool: ConverterPool) -> None:
        self.pool = pool
        self.converted = 0

    def convert(self, docx: bytes) -> bytes:
        self.converted += 1
        return self.pool.convert(docx)


def with_nombre(nombre: str) -> dict[str, Any]:
    datos = ejemplo(CLAVE)
    datos["deudor"]["nombre"] = nombre
    return datos


@pytest.fixture
def counting(pool: ConverterPool) -> CountingPool:
    return CountingPool(pool)


@pytest.fixture
def service(tmp_path: Path, counting: CountingPool) -> DocumentService:
    """The real service over a copy of plantillas/ whose requerimiento_pago prints
    ``deudor.nombre|safe``."""
    root = tmp_path / "plantillas"
    shutil.copytree(PLANTILLAS, root)
    poison(root / CLAVE / "plantilla.docx", "{{ deudor.nombre|safe }}")
    return DocumentService(
        registry=load_registry(root),
        renderer=Renderer(RenderSettings()),
        pool=cast("ConverterPool", counting),
        ledger=migrated_ledger(f"sqlite:///{tmp_path / 'db.sqlite'}"),
        signers=None,  # type: ignore[arg-type]  # unsigned documents only
        public_base_url="http://127.0.0.1",
    )


def test_field_xml_written_through_safe_is_refused_before_conversion(
    service: DocumentService, counting: CountingPool
) -> None:
    request = DocumentRequest(CLAVE, with_nombre(FIELD_XML), solicitante="prueba")
    with pytest.raises(PlantillaInvalida) as refused:
        service.build(service.check(request))
    assert refused.value.mensaje == REFUSED
    assert refused.value.http_status == 422
    assert counting.converted == 0  # LibreOffice never saw it


def test_the_same_template_with_plain_data_converts(
    service: DocumentService, counting: CountingPool
) -> None:
    request = DocumentRequest(CLAVE, with_nombre("Comercializadora Ejemplo"), solicitante="prueba")
    built = service.build(service.check(request))
    assert built.contenido.startswith(b"%PDF")
    assert counting.converted == 1


def test_a_docx_asked_for_is_inspected_too(service: DocumentService) -> None:
    request = DocumentRequest(CLAVE, with_nombre(FIELD_XML), solicitante="prueba", formato="docx")
    with pytest.raises(PlantillaInvalida, match="usa el campo INCLUDEPICTURE"):
        service.build(service.check(request))
