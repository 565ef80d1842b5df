"""Adapter: one warm soffice process and the UNO bridge process that drives it."""

from __future__ import annotations

import logging
import os
import selectors
import shutil
import signal
import struct
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from docservice.config import ConvertSettings
from docservice.convert import confinamiento, lifeline

log = logging.getLogger(__name__)

_WORKER_SCRIPT = Path(__file__).with_name("uno_worker.py")
_FIRST_START_RESTART = 81  # soffice.bin exits once with 81 after creating a new profile


class ProcessCrashed(Exception):
    """The soffice or its bridge died or stopped answering the protocol."""


class ConversionTimeout(Exception):
    """A conversion exceeded its time budget; the process was killed."""


class DocumentRefused(Exception):
    """LibreOffice could not open the document (the process itself is fine)."""


@dataclass(frozen=True)
class ProcessInfo:
    """What /healthz shows of one process."""

    slot: int
    pid: int | None
    alive: bool
    busy: bool
    conversions: int
    restarts: int


def network_isolation_available() -> bool:
    """Whether ``unshare -n`` works here (root, or user namespaces allowed)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    result = subprocess.run([unshare, "-n", "true"], capture_output=True, check=False)
    return result.returncode == 0


class LibreOfficeProcess:
    """A soffice with its own profile, listening on a private pipe, and its bridge."""

    def __init__(
        self,
        slot: int,
        settings: ConvertSettings,
        workdir: Path,
        isolate: bool,
        confine_uid: int | None = None,
    ) -> None:
        self.slot = slot
        self._settings = settings
        self._workdir = workdir
        self._confine_uid = confine_uid
        """Run confined as this uid (``confinamiento``); None: as this process's user."""
        self._profile = workdir / f"perfil-{slot}"
        self._tmp = workdir / f"tmp-{slot}"
        """TMPDIR of this soffice and its bridge: UNO pipes and scratch files, wiped on stop."""
        self._isolate = isolate
        self._soffice: subprocess.Popen[bytes] | None = None
        self._bridge: subprocess.Popen[bytes] | None = None
        self.conversions = 0
        self.restarts = -1
        self.lock = threading.Lock()
        """Held while converting or restarting, so the pool's monitor never races a request."""

    @property
    def soffice_pid(self) -> int | None:
        return self._soffice.pid if self._soffice else None

    def alive(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self._soffice, self._bridge))

    def info(self) -> ProcessInfo:
        return ProcessInfo(
            slot=self.slot,
            pid=self.soffice_pid,
            alive=self.alive(),
            busy=self.lock.locked(),
            conversions=self.conversions,
            restarts=max(0, self.restarts),
        )

    def start(self) -> None:
        """Start soffice and its bridge, and wait until the bridge says it is connected."""
        self.stop()
        self.restarts += 1
        self.conversions = 0
        self._profile.mkdir(parents=True, exist_ok=True)
        self._tmp.mkdir(parents=True, exist_ok=True)
        if self._confine_uid is not None:
            confinamiento.hand_over(self._workdir, self._confine_uid, self._profile, self._tmp)
        pipe_name = f"ds{self.slot}-{uuid.uuid4().hex[:12]}"
        self._soffice = self._spawn_soffice(pipe_name)
        bridge = [str(self._settings.uno_python), str(_WORKER_SCRIPT)]
        if self._confine_uid is not None:  # the script's folder is hidden from the bridge
            bridge = self._confined([bridge[0], "-c", _WORKER_SCRIPT.read_text()])
        self._bridge = subprocess.Popen(
            [*bridge, pipe_name, str(self._settings.start_timeout_s)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=self._env(),
        )
        lifeline.guard(self._bridge.pid)
        try:
            if self._read(1, self._settings.start_timeout_s) != b"R":
                raise ProcessCrashed("el puente UNO respondió algo inesperado")
        except (ProcessCrashed, ConversionTimeout) as exc:
            self.stop()
            raise ProcessCrashed(f"LibreOffice no arrancó: {exc}") from exc

    def _spawn_soffice(self, pipe_name: str) -> subprocess.Popen[bytes]:
        cmd = [
            str(self._settings.soffice_bin),
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--nofirststartwizard",
            f"-env:UserInstallation={self._profile.resolve().as_uri()}",
            f"--accept=pipe,name={pipe_name};urp;StarOffice.ComponentContext",
        ]
        if self._confine_uid is not None:
            cmd = self._confined(cmd)
        elif self._isolate:
            cmd = ["unshare", "-n", "--", *cmd]
        code: int | None = None
        for _ in range(3):
            proc = subprocess.Popen(
                cmd,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            lifeline.guard(proc.pid)  # killed with the service, even by SIGKILL
            try:
                code = proc.wait(timeout=1.5)
            except subprocess.TimeoutExpired:
                return proc
            if code != _FIRST_START_RESTART:
                log.warning(
                    "soffice %s terminó al arrancar (código %s); reintentando", self.slot, code
                )
        raise ProcessCrashed(f"soffice no logró arrancar (último código {code})")

    def _confined(self, command: list[str]) -> list[str]:
        uid = self._confine_uid if self._confine_uid is not None else os.geteuid()
        return confinamiento.wrap(command, self._workdir, self._tmp, uid, network=self._isolate)

    def _env(self) -> dict[str, str]:
        path = "/usr/local/bin:/usr/bin:/bin"
        return {
            "TMPDIR": str(self._tmp.resolve()),
            "PATH": path,
            "LANG": "C.UTF-8",
            "HOME": str(self._profile.resolve()),
        } | ({"OSL_SOCKET_PATH": confinamiento.SOCKETS} if self._confine_uid is not None else {})

    def convert(self, docx: bytes, timeout_s: float) -> bytes:
        """Send one .docx, get the PDF back; raise on crash, timeout or a refused document."""
        if not self.alive():
            raise ProcessCrashed("el proceso de LibreOffice no está vivo")
        stdin = self._bridge.stdin if self._bridge else None
        if stdin is None:
            raise ProcessCrashed("el puente UNO no está conectado")
        deadline = time.monotonic() + timeout_s
        try:
            stdin.write(struct.pack(">I", len(docx)) + docx)
            stdin.flush()
            kind = self._read(1, deadline - time.monotonic())
            (size,) = struct.unpack(">I", self._read(4, deadline - time.monotonic()))
            payload = self._read(size, deadline - time.monotonic())
        except ConversionTimeout:
            self.stop()
            raise
        except (BrokenPipeError, OSError) as exc:
            raise ProcessCrashed(str(exc)) from exc
        self.conversions += 1
        if kind == b"E":
            raise DocumentRefused(payload.decode(errors="replace"))
        if kind != b"O":
            raise ProcessCrashed("respuesta inesperada del puente UNO")
        return payload

    def _read(self, size: int, timeout_s: float) -> bytes:
        stdout = self._bridge.stdout if self._bridge else None
        if stdout is None:
            raise ProcessCrashed("el puente UNO no está conectado")
        fd = stdout.fileno()
        deadline = time.monotonic() + timeout_s
        chunks: list[bytes] = []
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not sel.select(remaining):
                    raise ConversionTimeout(f"sin respuesta en {timeout_s:.1f} s")
                chunk = os.read(fd, min(size, 1 << 20))
                if not chunk:
                    raise ProcessCrashed("el proceso de LibreOffice terminó")
                chunks.append(chunk)
                size -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        """Kill both processes (their whole process groups) and reap them."""
        for proc in (self._bridge, self._soffice):
            if proc is None:
                continue
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
        self._bridge = self._soffice = None
        shutil.rmtree(self._tmp, ignore_errors=True)
