"""Plantilla versions in the ledger, on SQLite and PostgreSQL: recorded, moved once, audited."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from docservice.errors import Conflicto, NoEncontrado
from docservice.ledger import Ledger, VersionRecord


def record(version: int = 1, estado: str = "borrador") -> VersionRecord:
    now = datetime.now(UTC)
    digest = hashlib.sha256(f"v{version}".encode()).hexdigest()
    return VersionRecord(
        tipo="plantilla", clave="requerimiento_pago", version=version, estado=estado,
        documento_sha256=digest, schema_json="{}", ejemplo_json="{}", manifest_toml="",
        schema_sha256=digest, ejemplo_sha256=digest, manifest_sha256=digest,
        creada_por="ana", creada_en=now, enviada_por=None, actualizada_en=now, comentario=None,
    )  # fmt: skip


def test_a_version_is_recorded_moved_and_audited(ledger: Ledger) -> None:
    ledger.add_version(record(), actor="ana")
    moved = ledger.move_version(
        "plantilla", "requerimiento_pago", 1, accion="enviar", desde="borrador",
        hacia="en_revision", actor="ana",
    )  # fmt: skip
    assert (moved.estado, moved.enviada_por) == ("en_revision", "ana")
    returned = ledger.move_version(
        "plantilla", "requerimiento_pago", 1, accion="devolver", desde="en_revision",
        hacia="borrador", actor="beto", comentario="falta el artículo 151",
    )  # fmt: skip
    assert (returned.estado, returned.comentario, returned.enviada_por) == (
        "borrador", "falta el artículo 151", "ana"
    )  # fmt: skip
    [listed] = ledger.versions("plantilla", "requerimiento_pago")
    assert listed.estado == "borrador"
    assert ledger.verify_audit_chain().ok
    with ledger.engine.connect() as conn:
        acciones = [
            row[0]
            for row in conn.exec_driver_sql("SELECT accion FROM evento_auditoria ORDER BY id")
        ]
    assert acciones[-3:] == [
        "plantilla.version_registrada", "plantilla.enviar", "plantilla.devolver"
    ]  # fmt: skip


def test_a_stale_move_and_a_duplicate_are_refused(ledger: Ledger) -> None:
    ledger.add_version(record(), actor="ana")
    with pytest.raises(Conflicto, match="ya existe la versión 1"):
        ledger.add_version(record(), actor="ana")
    with pytest.raises(Conflicto, match="ya está en «borrador»"):
        ledger.move_version(
            "plantilla", "requerimiento_pago", 1, accion="aprobar", desde="en_revision",
            hacia="aprobada", actor="beto",
        )  # fmt: skip
    with pytest.raises(NoEncontrado, match="no existe la versión 7"):
        ledger.move_version(
            "plantilla", "requerimiento_pago", 7, accion="enviar", desde="borrador",
            hacia="en_revision", actor="ana",
        )  # fmt: skip
    assert [v.version for v in ledger.versions("plantilla", "requerimiento_pago")] == [1]
