"""run_bounded: the child's answer, its errors, and the limits that kill it."""

from __future__ import annotations

import time

import pytest

from docservice.errors import DatosInvalidos, LimiteExcedido
from docservice.procesos.aislado import run_bounded
from tests import cargas
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))


def test_the_answer_and_the_errors_come_back() -> None:
    assert run_bounded(cargas.adds, 2, 3, seconds=30, memory_mb=1024, what="la suma") == 5
    with pytest.raises(DatosInvalidos, match="datos malos") as caught:
        run_bounded(cargas.refuses, seconds=30, memory_mb=1024, what="la prueba")
    assert caught.value.errores[0].pointer == "/x"


def test_a_child_past_its_time_is_killed() -> None:
    began = time.monotonic()
    with pytest.raises(LimiteExcedido, match=r"la espera excedió el límite de 1 s"):
        run_bounded(cargas.sleeps, 30, seconds=1, memory_mb=1024, what="la espera")
    assert time.monotonic() - began < 10


def test_a_child_past_its_memory_is_stopped() -> None:
    with pytest.raises(LimiteExcedido, match="límite de memoria"):
        run_bounded(cargas.eats_memory, 2048, seconds=30, memory_mb=512, what="el consumo")
