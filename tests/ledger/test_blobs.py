"""The content-addressed store: atomic writes, hashes checked on read, no half file on a crash."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from docservice.config import Settings
from docservice.errors import EntradaInvalida, ErrorInterno, NoEncontrado
from docservice.ledger.blobs import BlobStore

DATA = b"%PDF-1.7 constancia de no adeudo\n" * 100
SHA = hashlib.sha256(DATA).hexdigest()

# Writes through the real BlobStore in another process and hangs at the file's fsync, i.e.
# after the temporary file exists and before the rename, until the test kills it.
WRITER = """
import os, stat, sys, time
from pathlib import Path
from docservice.ledger.blobs import BlobStore

real_fsync = os.fsync

def hang(fd):
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        return real_fsync(fd)  # a folder: let it through
    print("escribiendo", flush=True)
    time.sleep(120)

os.fsync = hang
BlobStore(Path(sys.argv[1])).put(sys.argv[2].encode() * 1000)
"""


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_put_get_and_layout(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    assert not store.exists(SHA)
    assert store.put(DATA) == SHA
    assert store.exists(SHA) and store.get(SHA) == DATA
    assert files_under(store.root) == [f"{SHA[:2]}/{SHA}"]


def test_put_is_idempotent(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    store.put(DATA)
    inode = store.path_for(SHA).stat().st_ino
    assert store.put(DATA) == SHA
    assert store.path_for(SHA).stat().st_ino == inode  # not written again
    assert files_under(tmp_path) == [f"{SHA[:2]}/{SHA}"]


def test_an_altered_file_is_refused_on_read_and_repaired_by_put(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    store.put(DATA)
    store.path_for(SHA).write_bytes(DATA.replace(b"no adeudo", b"adeudo ya"))
    with pytest.raises(ErrorInterno, match="archivo almacenado alterado"):
        store.get(SHA)
    store.put(DATA)
    assert store.get(SHA) == DATA


def test_unknown_and_malformed_names(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(NoEncontrado):
        store.get("0" * 64)
    for bad in ("../../etc/passwd", SHA.upper(), SHA[:63], ""):
        with pytest.raises(EntradaInvalida):
            store.get(bad)


def test_a_write_failing_after_the_temp_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def disk_error(fd: int) -> None:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return real_fsync(fd)
        assert any(p.name.endswith(".tmp") for p in tmp_path.rglob("*"))  # the temp is there
        raise OSError(5, "error de E/S simulado")

    store = BlobStore(tmp_path)
    monkeypatch.setattr(os, "fsync", disk_error)
    with pytest.raises(OSError, match="simulado"):
        store.put(DATA)
    assert not store.exists(SHA)
    assert files_under(tmp_path) == []


def test_a_writer_killed_mid_write_leaves_no_final_file(tmp_path: Path) -> None:
    """SIGKILL between creating the temp file and renaming it: the final name never appears;
    the orphaned temp file is left for ``cleanup_temp``, which spares recent ones."""
    payload = "foja"
    sha = hashlib.sha256(payload.encode() * 1000).hexdigest()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), payload], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "escribiendo"
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=10) == -signal.SIGKILL
    writer.stdout.close()

    store = BlobStore(tmp_path)
    assert not store.exists(sha)
    leftovers = files_under(tmp_path)
    assert len(leftovers) == 1 and leftovers[0].endswith(".tmp")
    assert store.cleanup_temp() == 0  # could still be a write in progress
    assert store.cleanup_temp(older_than=timedelta(0)) == 1
    assert files_under(tmp_path) == []
    assert store.put(payload.encode() * 1000) == sha and store.exists(sha)


def test_the_store_lives_under_var(tmp_path: Path) -> None:
    assert BlobStore.from_settings(Settings(var_dir=tmp_path)).root == tmp_path / "blobs"
