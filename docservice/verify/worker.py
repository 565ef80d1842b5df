"""Verification in worker processes bounded in time and memory (research §3).

A hostile PDF may decompress to gigabytes or nest objects deeply: pyHanko bounds much of it,
not all. Each worker is a spawned process with ``RLIMIT_AS`` set (``procesos.WorkerPool``); a
verification past its wall time gets the worker killed and replaced. The parent never parses
the PDF.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from docservice.config import VerificacionSettings
from docservice.errors import DocServiceError, ErrorInterno, PdfInvalido
from docservice.procesos import InThisProcess, PoolLimits, WorkerPool
from docservice.sign.efirma import load_certificate
from docservice.verify.analysis import TrustConfig, Verifier
from docservice.verify.report import Reporte

QUEUE_PER_WORKER = 8
"""Verifications that may wait per worker; one more is a 503 with Retry-After."""


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


class _Verification:
    """What a worker holds: the trust store, an event loop and a warm Verifier."""

    def __init__(self, config: WorkerConfig) -> None:
        trust = TrustConfig(
            roots=tuple(load_certificate(der) for der in config.roots),
            intermediates=tuple(load_certificate(der) for der in config.intermediates),
            fetch=config.fetch,
            fetch_timeout_s=config.fetch_timeout_s,
            cache_s=config.cache_s,
        )
        self._loop = asyncio.new_event_loop()
        self._verifier = Verifier(trust)

    def __call__(self, data: bytes) -> dict[str, Any]:
        try:
            report = self._loop.run_until_complete(self._verifier.analyze(data))
        except (DocServiceError, MemoryError):
            raise
        except RecursionError as exc:
            raise PdfInvalido("el PDF anida objetos a una profundidad excesiva") from exc
        except Exception as exc:  # never let one PDF kill the worker silently
            raise PdfInvalido(f"el PDF no se pudo analizar: {type(exc).__name__}") from exc
        answer: dict[str, Any] = report.model_dump(mode="json")
        return answer

    def close(self) -> None:
        self._loop.run_until_complete(self._verifier.close())


def _verification(config: WorkerConfig) -> _Verification:
    return _Verification(config)


class VerifierPool:
    """N warm verification workers (``procesos.WorkerPool``); one PDF at a time each.

    ``in_this_process`` is for a one-shot process (``docservice verify``): the same handler and
    bounds, applied to that process (``procesos.InThisProcess``), without spawning a worker.
    """

    def __init__(self, settings: VerificacionSettings, *, in_this_process: bool = False) -> None:
        limits = PoolLimits(
            workers=settings.workers,
            seconds=settings.tiempo_limite_s,
            memory_mb=settings.memoria_limite_mb,
            queue=settings.workers * QUEUE_PER_WORKER,
            what="la verificación",
        )
        runner = InThisProcess if in_this_process else WorkerPool
        self._pool: WorkerPool | InThisProcess = runner(
            limits, _verification, WorkerConfig.of(settings)
        )

    @property
    def _workers(self) -> list[Any]:
        return self._pool.workers if isinstance(self._pool, WorkerPool) else []

    def alive(self) -> int:
        """Verification workers with a live process."""
        return self._pool.alive()

    def start(self) -> None:
        self._pool.start()

    def close(self) -> None:
        self._pool.close()

    def verify(self, data: bytes) -> Reporte:
        return Reporte.model_validate(self._pool.run(data))
