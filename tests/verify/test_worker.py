"""The verification workers' bounds: a verification past its time is killed, the pool heals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from docservice.config import Settings
from docservice.errors import LimiteExcedido, PdfInvalido
from docservice.sign import SignerRegistry, sign_pdf
from docservice.verify import VerifierPool


def test_a_verification_over_its_time_is_killed_and_the_worker_replaced(
    settings: Settings, signer_registry: SignerRegistry, make_pdf: Callable[..., bytes]
) -> None:
    hurried = settings.verificacion.model_copy(update={"workers": 1, "tiempo_limite_s": 0.001})
    pool = VerifierPool(hurried)
    pool.start()
    try:
        before = pool._workers[0].process
        assert before is not None
        with pytest.raises(LimiteExcedido, match=r"excedió el límite de 0\.001 s"):
            pool.verify(sign_pdf(make_pdf(), signer_registry.get("desarrollo")))
        after = pool._workers[0].process
        assert after is not None and after.is_alive()
        assert after.pid != before.pid and not before.is_alive()
    finally:
        pool.close()


def test_workers_run_under_an_address_space_limit(settings: Settings) -> None:
    """The worker sets RLIMIT_AS on itself; a file too big for it is refused, the pool heals."""
    small = settings.verificacion.model_copy(update={"workers": 1, "memoria_limite_mb": 300})
    pool = VerifierPool(small)
    pool.start()
    try:
        process = pool._workers[0].process
        assert process is not None
        limits = Path(f"/proc/{process.pid}/limits").read_text()
        [line] = [row for row in limits.splitlines() if row.startswith("Max address space")]
        assert line.split()[3:5] == [str(300 * 1024 * 1024)] * 2
        huge = b"%PDF-1.7\n%" + b"x" * (200 * 1024 * 1024) + b"\n%%EOF\n"
        with pytest.raises(LimiteExcedido, match="memoria"):
            pool.verify(huge)
        with pytest.raises(PdfInvalido):
            pool.verify(b"%PDF-1.7 y nada mas")
    finally:
        pool.close()
