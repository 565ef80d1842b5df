"""Content-addressed file store: ``<root>/<sha[:2]>/<sha>``, written atomically, checked on read.

A write goes to a temporary file in the final folder, is flushed to disk, renamed over the
final name and the folder is flushed too, so after a crash the final name holds either
nothing or the whole file. A crash can leave temporary files behind; ``cleanup_temp`` removes
the old ones (never recent ones: they may belong to a write in progress in another process).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

from docservice.config import Settings
from docservice.errors import EntradaInvalida, ErrorInterno, NoEncontrado

SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
TEMP_SUFFIX = ".tmp"
FILE_MODE = 0o640


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BlobStore:
    """Immutable blobs named by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> BlobStore:
        return cls(settings.var_dir / "blobs")

    def path_for(self, sha256: str) -> Path:
        if not SHA256_PATTERN.fullmatch(sha256):
            raise EntradaInvalida(f"identificador de archivo inválido: «{sha256[:80]}»")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its SHA-256; storing the same bytes again is a no-op.

        An existing file that no longer matches its name (altered on disk) is replaced.
        """
        sha256 = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha256)
        if final.is_file() and _sha256_of(final) == sha256:
            return sha256
        self._ensure_folder(final.parent)
        temp = final.parent / f".{sha256}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
        try:
            self._write_durably(temp, data)
            temp.replace(final)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        _fsync_dir(final.parent)
        return sha256

    def get(self, sha256: str) -> bytes:
        """The stored bytes, checked against their name."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NoEncontrado(f"no existe el archivo almacenado {sha256}") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ErrorInterno(f"archivo almacenado alterado: {sha256}")
        return data

    def cleanup_temp(self, older_than: timedelta = timedelta(hours=1)) -> int:
        """Remove temporary files left by crashed writes; returns how many were removed."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than.total_seconds()
        removed = 0
        for temp in self.root.glob(f"*/.*{TEMP_SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):
                if temp.stat().st_mtime <= cutoff:
                    temp.unlink()
                    removed += 1
        return removed

    def _ensure_folder(self, folder: Path) -> None:
        if folder.is_dir():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        folder.mkdir(exist_ok=True)
        _fsync_dir(self.root)

    @staticmethod
    def _write_durably(temp: Path, data: bytes) -> None:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
