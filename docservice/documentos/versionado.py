"""The ledger side of versions, for plantillas and leyendas alike: numbering, records, moves,
folder seeding (``versiones.VersionService`` is the rest)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docservice.errors import Conflicto, FieldError, NoEncontrado, PlantillaInvalida
from docservice.ledger import Ledger, VersionRecord
from docservice.ledger.blobs import BlobStore
from docservice.model import Caller
from docservice.registry import previous_versions
from docservice.registry.flujo import Estado, next_state

MARCA = "BORRADOR — SIN VALIDEZ"
NOMBRES = {"plantilla": "la plantilla", "leyenda": "la leyenda"}


@dataclass(frozen=True)
class VersionFiles:
    """The four files of a version, as uploaded; ``documento`` is its main file."""

    documento: bytes
    schema: bytes
    ejemplo: bytes
    manifest: bytes

    @classmethod
    def from_folder(cls, folder: Path, main_file: str) -> VersionFiles:
        """A version's files from a folder laid out like ``plantillas/<clave>/``."""
        return cls(
            documento=(folder / main_file).read_bytes(),
            schema=(folder / "schema.json").read_bytes(),
            ejemplo=(folder / "ejemplo.json").read_bytes(),
            manifest=(folder / "manifest.toml").read_bytes(),
        )


def refused(findings: list[str]) -> PlantillaInvalida:
    """The upload's refusal, every finding listed."""
    return PlantillaInvalida(
        f"la versión no se aceptó ({len(findings)} hallazgos)",
        errores=tuple(FieldError("/", finding) for finding in findings),
    )


class VersionLedger:
    """The ledger side of one kind of version (``plantilla`` or ``leyenda``)."""

    def __init__(self, tipo: str, ledger: Ledger, store: BlobStore) -> None:
        self.tipo = tipo
        self._ledger = ledger
        self._store = store

    def versions(self, clave: str) -> list[VersionRecord]:
        found = self._ledger.versions(self.tipo, clave)
        if not found:
            raise NoEncontrado(f"{NOMBRES[self.tipo]} «{clave}» no tiene versiones registradas")
        return found

    def recorded(self, clave: str) -> list[VersionRecord]:
        """The clave's versions in the ledger, none when it has none."""
        return self._ledger.versions(self.tipo, clave)

    def version(self, clave: str, version: int) -> VersionRecord:
        for record in self.versions(clave):
            if record.version == version:
                return record
        raise NoEncontrado(f"{NOMBRES[self.tipo]} «{clave}» no tiene la versión {version}")

    def next_number(self, clave: str) -> int:
        return max((r.version for r in self._ledger.versions(self.tipo, clave)), default=0) + 1

    def record(
        self,
        clave: str,
        version: int,
        estado: Estado,
        files: VersionFiles,
        *,
        creada_por: str,
        comentario: str | None = None,
    ) -> VersionRecord:
        """Store the main file and build the version's record (not yet in the ledger)."""
        now = datetime.now(UTC)
        return VersionRecord(
            tipo=self.tipo, clave=clave, version=version, estado=estado.value,
            documento_sha256=self._store.put(files.documento),
            schema_json=files.schema.decode(), ejemplo_json=files.ejemplo.decode(),
            manifest_toml=files.manifest.decode(), schema_sha256=_sha(files.schema),
            ejemplo_sha256=_sha(files.ejemplo), manifest_sha256=_sha(files.manifest),
            creada_por=creada_por, creada_en=now, enviada_por=None, actualizada_en=now,
            comentario=comentario,
        )  # fmt: skip

    def add(self, record: VersionRecord, actor: str) -> None:
        self._ledger.add_version(record, actor=actor)

    def seed(  # one folder version: where, which, in what state
        self, clave: str, folder: Path, version: int, main_file: str, *, retirada: bool = False
    ) -> bool:
        """Record a folder version (published, or retired for the folder's history).

        False when the ledger already has it; a version the ledger holds as published that
        the folder now keeps as history is retired in the ledger, audited.
        """
        known = {r.version: r for r in self._ledger.versions(self.tipo, clave)}
        if version in known:
            if retirada and known[version].estado == Estado.PUBLICADA.value:
                self._retire_seeded(clave, version)
            return False
        if not folder.is_dir():
            return False
        record = self.record(
            clave, version, Estado.RETIRADA if retirada else Estado.PUBLICADA,
            VersionFiles.from_folder(folder, main_file), creada_por="semilla",
            comentario=f"importada de la carpeta {folder}/",
        )  # fmt: skip
        try:
            self._ledger.add_version(record, actor="semilla")
        except Conflicto:  # another service process seeded it a moment ago
            return False
        return True

    def seed_folder(self, clave: str, folder: Path, current: int, main_file: str) -> list[str]:
        """Seed one clave's folder: its ``versiones/<n>/`` history retired, then its own
        files published; the versions recorded now, e.g. ``["x v1 (retirada)", "x v2"]``."""
        seeded = [
            f"{clave} v{old.name} (retirada)"
            for old in previous_versions(folder, current)
            if self.seed(clave, old, int(old.name), main_file, retirada=True)
        ]
        if self.seed(clave, folder, current, main_file):
            seeded.append(f"{clave} v{current}")
        return seeded

    def _retire_seeded(self, clave: str, version: int) -> None:
        try:
            self._ledger.move_version(
                self.tipo, clave, version, accion="retirar", desde=Estado.PUBLICADA.value,
                hacia=Estado.RETIRADA.value, actor="semilla",
                comentario="la carpeta la conserva como versión anterior",
            )  # fmt: skip
        except Conflicto:  # another service process retired it a moment ago
            pass

    def move(
        self, clave: str, version: int, accion: str, caller: Caller, comentario: str | None
    ) -> tuple[VersionRecord, Estado]:
        """Apply ``accion`` (state machine, then the ledger); the moved record and its state."""
        record = self.version(clave, version)
        hacia = next_state(
            Estado(record.estado), accion, caller,
            creada_por=record.creada_por, enviada_por=record.enviada_por, comentario=comentario,
        )  # fmt: skip
        moved = self._ledger.move_version(
            self.tipo, clave, version, accion=accion, desde=record.estado, hacia=hacia.value,
            actor=caller.nombre, comentario=comentario,
        )  # fmt: skip
        return moved, hacia


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
