"""Draft processes import the modules of their tasks while they warm up, not on a task's clock:
with one task per process, an import left to the task would be paid by every draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from docservice.config import RenderSettings
from docservice.documentos.revision import draft_pool
from docservice.render.borradores import DraftPool
from tests.tareas import imported

REVISION = "docservice.documentos.revision"


@pytest.fixture(autouse=True)
def _importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned worker gets this sys.path: let it import ``tests.tareas``."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))


def test_the_review_module_is_imported_before_the_task() -> None:
    plain, preloaded = DraftPool(RenderSettings()), draft_pool(RenderSettings())
    try:
        assert plain.run("la prueba", imported, REVISION) is False
        assert preloaded.run("la prueba", imported, REVISION) is True
        assert preloaded.run("la prueba", imported, REVISION) is True  # its fresh successor too
    finally:
        plain.close()
        preloaded.close()
