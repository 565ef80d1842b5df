"""Start-up checks: a plantilla whose template tries to escape the sandbox is refused by name."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from docservice.config import RenderSettings
from docservice.documentos import DocumentService
from docservice.documentos.propiedades import canonical_sha256, document_properties
from docservice.ledger import Ledger
from docservice.registry import Registry, load_registry
from docservice.render import Renderer
from tests.conftest import PLANTILLAS
from tests.ledger.backends import migrated_ledger


def poison(docx: Path, payload: str) -> None:
    """Put ``payload`` into the body of a real plantilla, in one run."""
    source = docx.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"<w:body>",
                    b"<w:body><w:p><w:r><w:t>" + payload.encode() + b"</w:t></w:r></w:p>",
                    1,
                )
            zout.writestr(item, data)
    docx.write_bytes(out.getvalue())


def make_service(registry: Registry, ledger: Ledger) -> DocumentService:
    """A service for start-up checks only: lint needs neither LibreOffice nor keys."""
    return DocumentService(
        registry=registry,
        renderer=Renderer(RenderSettings()),
        pool=None,  # type: ignore[arg-type]
        ledger=ledger,
        signers=None,
        public_base_url="http://127.0.0.1",  # type: ignore[arg-type]
    )


def test_hostile_plantilla_is_taken_out_of_service(tmp_path: Path) -> None:
    root = tmp_path / "plantillas"
    shutil.copytree(PLANTILLAS, root)
    poison(
        root / "constancia_adeudos" / "plantilla.docx",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    )
    registry = load_registry(root)
    ledger = migrated_ledger(f"sqlite:///{tmp_path / 'db.sqlite'}")
    make_service(registry, ledger).check_registry()
    assert "constancia_adeudos" not in registry.claves()
    assert "entorno seguro" in registry.problemas["constancia_adeudos"]
    assert "requerimiento_pago" in registry.claves()


def test_template_using_a_field_outside_the_schema_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "plantillas"
    shutil.copytree(PLANTILLAS, root)
    poison(root / "requerimiento_pago" / "plantilla.docx", "{{ deudor_secreto }}")
    registry = load_registry(root)
    ledger = migrated_ledger(f"sqlite:///{tmp_path / 'db.sqlite'}")
    make_service(registry, ledger).check_registry()
    assert "«deudor_secreto», que no está en el esquema" in registry.problemas["requerimiento_pago"]


def test_case_data_hash_is_stable_and_exact() -> None:
    a = canonical_sha256({"b": Decimal("1.10"), "a": "ñ"})
    assert a == canonical_sha256({"a": "ñ", "b": Decimal("1.10")})
    assert a != canonical_sha256({"a": "ñ", "b": Decimal("1.1")})


def test_document_properties_fit_word_limits_for_the_longest_clave() -> None:
    """Word refuses core properties over 255 characters; claves may have 64."""
    plantilla = load_registry(PLANTILLAS).current("requerimiento_pago")
    longest = replace(plantilla, manifest=plantilla.manifest.model_copy(update={"clave": "x" * 64}))
    props = document_properties(
        longest, "3f1c2a9e-5b7d-4c1e-9a0b-2d4e6f8a1c3e", "f" * 64, "n" * 100
    )
    for value in (props.title, props.subject, props.keywords, props.comments):
        assert len(value) <= 255, value
