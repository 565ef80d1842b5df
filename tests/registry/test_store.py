"""Loading plantillas: a broken folder is reported by name and the others still serve."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docservice.errors import PlantillaNoEncontrada, VersionNoEncontrada
from docservice.registry import load_registry
from tests.conftest import PLANTILLAS


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    root = tmp_path / "plantillas"
    shutil.copytree(PLANTILLAS, root)
    return root


def test_shipped_plantillas_load() -> None:
    registry = load_registry(PLANTILLAS)
    assert {"requerimiento_pago", "constancia_adeudos"} <= set(registry.claves())
    assert registry.problemas == {}


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        (lambda d: (d / "schema.json").write_text("{ no es json"), "schema.json no es JSON válido"),
        (lambda d: (d / "plantilla.docx").write_bytes(b"texto plano"), "no es un paquete zip"),
        (lambda d: (d / "ejemplo.json").unlink(), "faltan archivos: ejemplo.json"),
        (
            lambda d: (d / "manifest.toml").write_text(
                'clave = "otra"\nnombre = "x"\nversion = 1\n'
            ),
            "no coincide con la carpeta",
        ),
        (
            lambda d: (d / "manifest.toml").write_text(
                'clave = "requerimiento_pago"\nversion = 0\n'
            ),
            "manifest.toml inválido",
        ),
    ],
)
def test_broken_plantilla_is_refused_by_name(copied: Path, breakage: object, reason: str) -> None:
    breakage(copied / "requerimiento_pago")  # type: ignore[operator]
    registry = load_registry(copied)
    assert reason in registry.problemas["requerimiento_pago"]
    assert "requerimiento_pago" not in registry.claves()
    assert "constancia_adeudos" in registry.claves()


def test_unknown_clave_and_version() -> None:
    registry = load_registry(PLANTILLAS)
    with pytest.raises(PlantillaNoEncontrada, match="no existe la plantilla «nada»"):
        registry.get("nada")
    with pytest.raises(VersionNoEncontrada, match="no tiene la versión 99"):
        registry.get("requerimiento_pago", 99)
