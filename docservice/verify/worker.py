"""Verification in worker processes bounded in time and memory (research §3).

A hostile PDF may decompress to gigabytes or nest objects deeply: pyHanko bounds much of it,
not all. Each worker is a spawned process with ``RLIMIT_AS`` set; a verification past its
wall time gets the worker killed and replaced. The parent never parses the PDF.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import queue
import resource
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any

from docservice.config import VerificacionSettings
from docservice.errors import (
    DocServiceError,
    ErrorInterno,
    LimiteExcedido,
    PdfInvalido,
    ServicioSaturado,
)
from docservice.sign.efirma import load_certificate
from docservice.verify.analysis import TrustConfig, Verifier
from docservice.verify.report import Reporte

log = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs, picklable: certificates as bytes, limits as numbers."""

    roots: tuple[bytes, ...]
    intermediates: tuple[bytes, ...]
    fetch: bool
    fetch_timeout_s: float
    cache_s: float
    memory_bytes: int

    @classmethod
    def of(cls, settings: VerificacionSettings) -> WorkerConfig:
        def read(paths: list[Any], what: str) -> tuple[bytes, ...]:
            try:
                return tuple(path.read_bytes() for path in paths)
            except OSError as exc:
                raise ErrorInterno(f"no se pudo leer {what} de verificación: {exc}") from exc

        return cls(
            roots=read(settings.raices, "una raíz de confianza"),
            intermediates=read(settings.intermedios, "un certificado intermedio"),
            fetch=settings.consultar_revocacion,
            fetch_timeout_s=settings.timeout_revocacion_s,
            cache_s=settings.cache_revocacion_s,
            memory_bytes=settings.memoria_limite_mb * 1024 * 1024,
        )


def _serve(conn: Connection, config: WorkerConfig) -> None:
    """Worker main loop: PDF bytes in, ("ok", report) or ("error", code, message) out."""
    resource.setrlimit(resource.RLIMIT_AS, (config.memory_bytes, config.memory_bytes))
    trust = TrustConfig(
        roots=tuple(load_certificate(der) for der in config.roots),
        intermediates=tuple(load_certificate(der) for der in config.intermediates),
        fetch=config.fetch,
        fetch_timeout_s=config.fetch_timeout_s,
        cache_s=config.cache_s,
    )
    loop = asyncio.new_event_loop()
    verifier = Verifier(trust)
    conn.send(("listo",))
    while True:
        try:
            data = conn.recv_bytes()
        except EOFError:
            break
        conn.send(_answer(loop, verifier, data))
    loop.run_until_complete(verifier.close())


def _answer(loop: asyncio.AbstractEventLoop, verifier: Any, data: bytes) -> tuple[Any, ...]:
    try:
        report = loop.run_until_complete(verifier.analyze(data))
    except DocServiceError as exc:
        return ("error", exc.code, exc.mensaje)
    except MemoryError:
        return ("error", "limite_excedido", "la verificación excedió el límite de memoria")
    except RecursionError:
        return ("error", "pdf_invalido", "el PDF anida objetos a una profundidad excesiva")
    except Exception as exc:  # noqa: BLE001  # never let one PDF kill the worker silently
        return ("error", "pdf_invalido", f"el PDF no se pudo analizar: {type(exc).__name__}")
    return ("ok", report.model_dump(mode="json"))


class _Worker:
    def __init__(self, config: WorkerConfig) -> None:
        self._config = config
        self.conn: Connection | None = None
        self.process: SpawnProcess | None = None

    def start(self, timeout_s: float) -> Connection:
        parent, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child, self._config), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        try:
            ready = parent.poll(timeout_s) and parent.recv() == ("listo",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise ErrorInterno("el proceso de verificación no arrancó")
        return parent

    def kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        if self.conn is not None:
            self.conn.close()
        self.process, self.conn = None, None


class VerifierPool:
    """N warm verification workers; one PDF at a time each."""

    def __init__(self, settings: VerificacionSettings) -> None:
        self._settings = settings
        self._config = WorkerConfig.of(settings)
        self._workers = [_Worker(self._config) for _ in range(settings.workers)]
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()

    def start(self) -> None:
        for worker in self._workers:
            worker.start(timeout_s=60)
            self._idle.put(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.kill()

    def verify(self, data: bytes) -> Reporte:
        try:
            worker = self._idle.get(timeout=self._settings.tiempo_limite_s)
        except queue.Empty as exc:
            raise ServicioSaturado("todos los procesos de verificación están ocupados") from exc
        try:
            answer = self._ask(worker, data)
        finally:
            self._idle.put(worker)
        if answer[0] == "ok":
            return Reporte.model_validate(answer[1])
        raise _error(answer[1], answer[2])

    def _ask(self, worker: _Worker, data: bytes) -> tuple[Any, ...]:
        limit = self._settings.tiempo_limite_s
        try:
            conn = worker.conn or worker.start(timeout_s=60)
            conn.send_bytes(data)
            if conn.poll(limit):
                answer: tuple[Any, ...] = conn.recv()
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return ("error", "limite_excedido", "la verificación excedió el límite de memoria")
        self._replace(worker)
        return ("error", "limite_excedido", f"la verificación excedió el límite de {limit:g} s")

    @staticmethod
    def _replace(worker: _Worker) -> None:
        worker.kill()
        try:
            worker.start(timeout_s=60)
        except ErrorInterno:
            log.error("no se pudo reemplazar un proceso de verificación; se reintentará")


def _error(code: str, mensaje: str) -> DocServiceError:
    if code == "limite_excedido":
        return LimiteExcedido(mensaje)
    return PdfInvalido(mensaje)
