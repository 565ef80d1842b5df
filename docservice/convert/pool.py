"""A pool of warm LibreOffice processes: bounded queue, timeouts, crash recovery, recycling."""

from __future__ import annotations

import fcntl
import logging
import os
import queue
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from docservice.config import ConvertSettings
from docservice.convert import confinamiento
from docservice.convert.libreoffice import (
    ConversionTimeout,
    DocumentRefused,
    LibreOfficeProcess,
    ProcessCrashed,
    ProcessInfo,
    network_isolation_available,
)
from docservice.errors import ConversionFallida, DocumentoInvalido, ErrorInterno, ServicioSaturado

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PoolHealth:
    """Snapshot for /healthz."""

    procesos: tuple[ProcessInfo, ...]
    en_espera: int
    aislado_de_red: bool

    @property
    def sano(self) -> bool:
        return any(p.alive for p in self.procesos)


MAX_INSTANCES = 64


def claim_workdir(root: Path) -> tuple[Path, int]:
    """The first ``root/instancia-N`` no other live process holds, and the lock that holds it.

    Several service processes may share one ``var/``: each gets its own LibreOffice profiles
    (two soffice on one profile clash) and reuses them warm after a restart. The lock is an
    ``flock`` on an open file, so a process that dies releases it.
    """
    root.mkdir(parents=True, exist_ok=True)
    for number in range(MAX_INSTANCES):
        fd = os.open(root / f"instancia-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return root / f"instancia-{number}", fd
    raise ErrorInterno(f"hay {MAX_INSTANCES} procesos del servicio usando {root}")


def reap_orphans(workdir: Path) -> list[int]:
    """Kill soffice processes left on ``workdir`` by a service process that died.

    Only called while holding the workdir's lock, so whatever still runs there has no owner;
    a new soffice on a profile an orphan holds would hand its work over and exit.
    """
    marker = f"UserInstallation={workdir.resolve().as_uri()}/".encode()
    reaped = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker not in cmdline.read_bytes():
                continue
            pid = int(cmdline.parent.name)
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            continue
        reaped.append(pid)
    if reaped:
        log.warning("procesos de LibreOffice huérfanos en %s terminados: %s", workdir, reaped)
    return reaped


class ConverterPool:
    """Converts .docx to PDF on N warm soffice processes, one document at a time each."""

    def __init__(self, settings: ConvertSettings, root: Path) -> None:
        workdir, self._claim = claim_workdir(root)
        self.workdir = workdir
        reap_orphans(workdir)
        self._settings = settings
        self._isolated = settings.isolate_network and network_isolation_available()
        if settings.isolate_network and not self._isolated:
            log.warning("unshare -n no está disponible: LibreOffice corre con acceso a la red")
        self.confined = settings.confinar and confinamiento.available()
        if settings.confinar and not self.confined:
            log.warning("sin root no hay confinamiento: LibreOffice lee lo que su usuario lee")
        uid = settings.soffice_uid if self.confined else None
        self._processes = [
            LibreOfficeProcess(slot, settings, workdir, self._isolated, uid)
            for slot in range(settings.workers)
        ]
        self._idle: queue.Queue[LibreOfficeProcess] = queue.Queue()
        self._waiting = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._monitor = threading.Thread(target=self._watch, name="lo-monitor", daemon=True)

    def start(self) -> None:
        """Start every process in parallel; a process that fails to start is retried on use."""
        with ThreadPoolExecutor(max_workers=len(self._processes)) as executor:
            list(executor.map(self._start_quietly, self._processes))
        for process in self._processes:
            self._idle.put(process)
        self._monitor.start()

    def _watch(self) -> None:
        """Replace dead idle processes in the background, so the pool heals between requests."""
        while not self._closing.wait(self._settings.monitor_interval_s):
            for process in self._processes:
                if not process.lock.acquire(blocking=False):
                    continue
                try:
                    if not process.alive() and not self._closing.is_set():
                        log.warning("proceso %s de LibreOffice muerto; reiniciando", process.slot)
                        self._start_quietly(process)
                finally:
                    process.lock.release()

    def _start_quietly(self, process: LibreOfficeProcess) -> None:
        try:
            process.start()
        except ProcessCrashed as exc:
            log.error("proceso %s de LibreOffice no arrancó: %s", process.slot, exc)

    def close(self) -> None:
        self._closing.set()
        if self._monitor.is_alive():
            self._monitor.join()
        for process in self._processes:
            process.stop()
        if self._claim >= 0:
            os.close(self._claim)  # releases the flock: another process may take this workdir
            self._claim = -1

    def health(self) -> PoolHealth:
        with self._lock:
            waiting = self._waiting
        return PoolHealth(tuple(p.info() for p in self._processes), waiting, self._isolated)

    def soffice_pids(self) -> list[int]:
        return [p.soffice_pid for p in self._processes if p.soffice_pid is not None]

    def convert(self, docx: bytes) -> bytes:
        """Convert one document; a crashed process costs this request one retry."""
        process = self._acquire()
        recycle = False
        try:
            with process.lock:
                pdf = self._convert_on(process, docx)
            recycle = process.conversions >= self._settings.restart_after
            return pdf
        finally:
            if recycle:
                threading.Thread(target=self._recycle, args=(process,), daemon=True).start()
            else:
                self._idle.put(process)

    def _recycle(self, process: LibreOfficeProcess) -> None:
        """Replace a process that reached its conversion budget, off the request path."""
        with process.lock:
            self._start_quietly(process)
        self._idle.put(process)

    def _convert_on(self, process: LibreOfficeProcess, docx: bytes) -> bytes:
        timeout = self._settings.conversion_timeout_s
        for attempt in (1, 2):
            try:
                self._ensure_ready(process)
                pdf = process.convert(docx, timeout)
            except DocumentRefused as exc:
                raise DocumentoInvalido(
                    f"LibreOffice no pudo abrir el documento generado: {exc}"
                ) from exc
            except ConversionTimeout as exc:
                log.error("conversión excedió %s s; proceso %s reiniciado", timeout, process.slot)
                raise ConversionFallida(
                    f"la conversión a PDF excedió el tiempo límite de {timeout:g} s"
                ) from exc
            except ProcessCrashed as exc:
                log.warning(
                    "proceso %s de LibreOffice falló (intento %s): %s", process.slot, attempt, exc
                )
                process.stop()
                continue
            return pdf
        raise ConversionFallida("LibreOffice falló dos veces al convertir el documento")

    def _ensure_ready(self, process: LibreOfficeProcess) -> None:
        if process.alive():
            return
        try:
            process.start()
        except ProcessCrashed as exc:
            raise ConversionFallida(f"no se pudo reiniciar LibreOffice: {exc}") from exc

    def _acquire(self) -> LibreOfficeProcess:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._waiting >= self._settings.queue_limit:
                raise ServicioSaturado(
                    "todos los procesos de conversión están ocupados y la cola está llena; "
                    "reintente en unos segundos",
                    reintentar_en=2,
                )
            self._waiting += 1
        try:
            return self._idle.get(timeout=self._settings.queue_timeout_s)
        except queue.Empty as exc:
            raise ServicioSaturado(
                "no hubo un proceso de conversión libre a tiempo; reintente en unos segundos",
                reintentar_en=2,
            ) from exc
        finally:
            with self._lock:
                self._waiting -= 1
