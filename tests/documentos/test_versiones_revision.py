"""Uploads are reviewed in a bounded child, a few at a time: past the limit, 503.

Real pieces: the folder registry, a SQLite ledger, the session's LibreOffice pool. The slot
is held by a real lying zip (4 MB declaring 2,000 bytes, inflating to 4 GiB) under review,
kept until the second upload has been answered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from docservice.config import RenderSettings
from docservice.convert import ConverterPool
from docservice.documentos.revision import draft_pool
from docservice.documentos.versiones import VersionFiles, VersionService
from docservice.documentos.versiones_plantillas import plantilla_versions
from docservice.errors import DocServiceError, PlantillaInvalida, ServicioSaturado
from docservice.ledger.blobs import BlobStore
from docservice.model import Caller, Rol
from docservice.registry import Plantilla, load_registry
from docservice.registry import store as registry_store
from docservice.render import Renderer
from tests.conftest import PLANTILLAS
from tests.ledger.backends import migrated_ledger
from tests.zip_mentiroso import lying_docx

pytestmark = pytest.mark.libreoffice
CLAVE = "requerimiento_pago"
FOLDER = PLANTILLAS / CLAVE
ANA = Caller("ana", Rol.JURIDICO)


def upload(docx: bytes) -> VersionFiles:
    return VersionFiles(
        documento=docx,
        schema=(FOLDER / "schema.json").read_bytes(),
        ejemplo=(FOLDER / "ejemplo.json").read_bytes(),
        manifest=(FOLDER / "manifest.toml").read_bytes(),
    )


@contextmanager
def service(
    tmp_path: Path, pool: ConverterPool, settings: RenderSettings
) -> Iterator[VersionService[Plantilla]]:
    """The service with draft processes of its own, stopped at the end."""
    drafts = draft_pool(settings)
    try:
        yield plantilla_versions(
            registry=load_registry(PLANTILLAS),
            renderer=Renderer(settings),
            pool=pool,
            ledger=migrated_ledger(f"sqlite:///{tmp_path / 'ledger.db'}"),
            store=BlobStore(tmp_path / "blobs"),
            drafts=drafts,
        )
    finally:
        drafts.close()


def test_an_upload_past_the_concurrent_reviews_gets_503_with_retry_after(
    tmp_path: Path, pool: ConverterPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    with service(
        tmp_path, pool, RenderSettings(revisiones_simultaneas=1, revision_espera_s=0.2)
    ) as versions:
        bomb = lying_docx((FOLDER / "plantilla.docx").read_bytes(), gib=4)
        first: list[BaseException] = []
        reviewed, release = threading.Event(), threading.Event()
        real_review = versions.kind.review

        def held_review(*args: Any) -> list[str]:
            # The bomb's review is real, but it ends in a fraction of a second in a warm
            # child: the slot is kept until the test has tried the second upload.
            try:
                return real_review(*args)
            finally:
                reviewed.set()
                release.wait(timeout=60)

        monkeypatch.setattr(versions.kind, "review", held_review)

        def review() -> None:
            try:
                versions.submit(CLAVE, upload(bomb), ANA)
            except DocServiceError as exc:
                first.append(exc)

        holder = threading.Thread(target=review)
        holder.start()
        try:
            assert reviewed.wait(timeout=60)
            with pytest.raises(ServicioSaturado) as caught:
                versions.submit(CLAVE, upload(b"PK\x03\x04 no es un zip"), ANA)
        finally:
            release.set()
            holder.join(timeout=60)
        monkeypatch.undo()

        assert caught.value.mensaje == (
            "hay 1 revisiones de plantillas en curso; reintente en unos segundos"
        )
        assert caught.value.http_status == 503
        assert caught.value.headers() == {"Retry-After": "5"}
        assert len(first) == 1 and first[0].http_status == 422, first
        with pytest.raises(PlantillaInvalida) as refused:  # the slot is free again
            versions.submit(CLAVE, upload(b"PK\x03\x04 no es un zip"), ANA)
        assert refused.value.errores[0].mensaje.startswith("plantilla.docx: ")


def test_the_package_of_an_upload_is_inspected_in_the_child(
    tmp_path: Path, pool: ConverterPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API process never runs the inspection of an upload: the child does."""

    def not_here(docx: bytes, max_bytes: int) -> list[str]:
        raise AssertionError("inspección del paquete en el proceso de la API")

    with service(tmp_path, pool, RenderSettings()) as versions:
        monkeypatch.setattr(registry_store, "inspect_docx", not_here)
        with pytest.raises(PlantillaInvalida) as refused:
            versions.submit(CLAVE, upload(b"PK\x03\x04 no es un zip"), ANA)
        assert refused.value.errores[0].mensaje.startswith("plantilla.docx: ")
