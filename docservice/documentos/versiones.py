"""Versions for legal staff — plantillas and leyendas alike: submit, review, move, preview, diff.

One ``VersionService`` serves both kinds; what differs is a ``VersionKind`` strategy: what the
main file is (a .docx or a text), how an upload is reviewed and a version rendered, and how a
published version is put in service (``Registry`` or ``LeyendaRegistry``). A submitted version
is reviewed whole in one bounded process — its package, its lint and its ejemplo filled — and
refused with every finding; its files go to the blob store, its record to the ledger. The
folders (``plantillas/``, ``leyendas/``) seed the ledger with their versions as published.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from docservice.config import RenderSettings
from docservice.documentos.versionado import MARCA, VersionFiles, VersionLedger, refused
from docservice.errors import ServicioSaturado
from docservice.ledger import Ledger, VersionRecord
from docservice.ledger.blobs import BlobStore
from docservice.model import Caller
from docservice.pdf.contenido import watermark
from docservice.procesos import ConcurrencyLimit
from docservice.registry import BrokenPlantilla, Manifest, manifest_from_text
from docservice.registry.diff import VersionDiff, diff_lines
from docservice.registry.flujo import Estado


class Versioned(Protocol):
    """What the service reads of any version: its data schema (for the diff)."""

    @property
    def schema(self) -> Mapping[str, Any]: ...


V = TypeVar("V", bound=Versioned)
__all__ = ["VersionFiles", "VersionKind", "VersionService"]


class VersionKind(Protocol[V]):
    """What differs between plantilla and leyenda versions."""

    tipo: str
    """The ledger's kind and the noun: ``plantilla`` or ``leyenda``."""
    plural: str
    main_file: str
    """The main file's name in a folder: ``plantilla.docx`` or ``leyenda.txt``."""

    def built(self, manifest: Manifest, files: VersionFiles, estado: str) -> V:
        """A stored version, ready to render; BrokenPlantilla if unsound."""

    def review(self, manifest: Manifest, files: VersionFiles) -> list[str]:
        """An upload's findings (empty: it may be recorded), checked in a bounded process."""

    def render(self, version: V, datos: Mapping[str, Any] | None, published: bool) -> bytes:
        """The version's preview PDF (``datos`` None → its ejemplo), without watermark."""

    def lines(self, version: V) -> list[str]:
        """The main file as text lines, for the diff."""

    def claves(self) -> list[str]:
        """The claves the folders gave the registry."""

    def folder_version(self, clave: str) -> int:
        """The version the folder of ``clave`` holds as current."""

    def serve(
        self, clave: str, records: Sequence[VersionRecord], load: Callable[[VersionRecord], V]
    ) -> None:
        """Make the registry serve what ``records`` (all of the clave's) say is in service."""


class VersionService(Generic[V]):
    """The versions of one kind; the two instances differ only in their ``kind``."""

    def __init__(
        self,
        kind: VersionKind[V],
        *,
        settings: RenderSettings,
        ledger: Ledger,
        store: BlobStore,
        previews: ConcurrencyLimit | None = None,
    ) -> None:
        self.kind = kind
        self.main_file = kind.main_file
        self._settings = settings
        self._store = store
        self._previews = previews or ConcurrencyLimit(
            settings.vistas_previas_simultaneas, "vistas previas"
        )
        self._versions = VersionLedger(kind.tipo, ledger, store)
        self._reviews = threading.BoundedSemaphore(settings.revisiones_simultaneas)

    # --- reading ------------------------------------------------------------------------------

    def claves(self) -> list[str]:
        """The claves the folders gave the registry (those with versions in the ledger)."""
        return self.kind.claves()

    def versions(self, clave: str) -> list[VersionRecord]:
        return self._versions.versions(clave)

    def version(self, clave: str, version: int) -> VersionRecord:
        return self._versions.version(clave, version)

    def load(self, record: VersionRecord) -> V:
        """A recorded version, ready to render."""
        manifest = manifest_from_text(record.manifest_toml.encode())
        files = VersionFiles(
            documento=self._store.get(record.documento_sha256),
            schema=record.schema_json.encode(),
            ejemplo=record.ejemplo_json.encode(),
            manifest=record.manifest_toml.encode(),
        )
        return self.kind.built(
            manifest.model_copy(update={"version": record.version}), files, record.estado
        )

    # --- submitting and moving ----------------------------------------------------------------

    def submit(self, clave: str, files: VersionFiles, caller: Caller) -> VersionRecord:
        """Review and record a new ``borrador`` version; PlantillaInvalida lists the findings."""
        version = self._versions.next_number(clave)
        self._checked(clave, version, files)
        record = self._versions.record(
            clave, version, Estado.BORRADOR, files, creada_por=caller.nombre
        )
        self._versions.add(record, actor=caller.nombre)
        return record

    def act(
        self, clave: str, version: int, accion: str, caller: Caller, comentario: str | None
    ) -> VersionRecord:
        """Apply ``accion`` (four eyes); a version published or retired is served at once."""
        moved, hacia = self._versions.move(clave, version, accion, caller, comentario)
        if hacia in (Estado.PUBLICADA, Estado.RETIRADA):
            self.kind.serve(clave, self._versions.versions(clave), self.load)
        return moved

    def _checked(self, clave: str, version: int, files: VersionFiles) -> None:
        """The upload reviewed, at most ``revisiones_simultaneas`` of this kind at once."""
        if not self._reviews.acquire(timeout=self._settings.revision_espera_s):
            raise ServicioSaturado(
                f"hay {self._settings.revisiones_simultaneas} revisiones de {self.kind.plural} "
                "en curso; reintente en unos segundos",
                reintentar_en=5,
            )
        try:
            try:
                manifest = manifest_from_text(files.manifest)
                if manifest.clave != clave:
                    raise BrokenPlantilla(
                        f"la clave del manifiesto «{manifest.clave}» no es «{clave}»"
                    )
            except BrokenPlantilla as exc:
                raise refused([str(exc)]) from exc
            findings = self.kind.review(manifest.model_copy(update={"version": version}), files)
        finally:
            self._reviews.release()
        if findings:
            raise refused(findings)

    # --- preview, diff ------------------------------------------------------------------------

    def preview(self, clave: str, version: int, datos: dict[str, object] | None = None) -> bytes:
        """The version rendered (its ejemplo when ``datos`` is None); not published →
        watermarked «BORRADOR — SIN VALIDEZ». At most ``vistas_previas_simultaneas`` at once
        in this process; past it, 429."""
        with self._previews:
            record = self.version(clave, version)
            published = record.estado == Estado.PUBLICADA.value
            pdf = self.kind.render(self.load(record), datos, published)
        return pdf if published else watermark(pdf, MARCA)

    def diff(self, clave: str, de: int, a: int) -> VersionDiff:
        old, new = self.load(self.version(clave, de)), self.load(self.version(clave, a))
        return diff_lines(self.kind.lines(old), old.schema, self.kind.lines(new), new.schema)

    # --- start-up duties (``serve`` only) -----------------------------------------------------

    def seed(self, root: Path) -> list[str]:
        """Record every folder version the ledger does not have yet: the folder's own as
        published, those under ``versiones/<n>/`` as retired; what was recorded now."""
        return [
            seeded
            for clave in self.kind.claves()
            for seeded in self._versions.seed_folder(
                clave, root / clave, self.kind.folder_version(clave), self.kind.main_file
            )
        ]

    def restore_published(self) -> None:
        """Serve what the ledger holds as published beyond the folders (uploads), and keep
        the retired versions out of service; a clave the ledger does not know is left as the
        folder loaded it."""
        for clave in self.kind.claves():
            records = self._versions.recorded(clave)
            if records:
                self.kind.serve(clave, records, self.load)
