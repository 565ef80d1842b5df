"""Esquema inicial: llaves, documentos, series de folios, constancias y bitácora encadenada.

Revision ID: 0001
Revises:
Create Date: 2026-05-01

Databases made before Alembic (``create_all``) already have ``api_key`` and ``documento``
with this very shape: they are adopted as they are, the other tables are created.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64


def _exists(table: str) -> bool:
    return sa.inspect(op.get_bind()).has_table(table)


def _create_api_key() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nombre", sa.String(length=100), nullable=False),
        sa.Column("rol", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("creada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revocada", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("nombre", name=op.f("uq_api_key_nombre")),
    )
    op.create_index(op.f("ix_api_key_sha256"), "api_key", ["sha256"], unique=True)


def _create_documento() -> None:
    op.create_table(
        "documento",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plantilla", sa.String(length=64), nullable=False),
        sa.Column("plantilla_version", sa.Integer(), nullable=False),
        sa.Column("plantilla_sha256", sa.String(length=64), nullable=False),
        sa.Column("datos_sha256", sa.String(length=64), nullable=False),
        sa.Column("contenido_sha256", sa.String(length=64), nullable=False),
        sa.Column("formato", sa.String(length=8), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("solicitante", sa.String(length=100), nullable=False),
        sa.Column("creado", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documento")),
    )
    op.create_index(op.f("ix_documento_plantilla"), "documento", ["plantilla"])
    op.create_index(op.f("ix_documento_contenido_sha256"), "documento", ["contenido_sha256"])


def _create_folios() -> None:
    op.create_table(
        "serie_folio",
        sa.Column("serie", sa.String(length=20), nullable=False),
        sa.Column("anio", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("siguiente", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("serie", "anio", name=op.f("pk_serie_folio")),
    )
    op.create_table(
        "constancia",
        sa.Column("folio", sa.String(length=40), nullable=False),
        sa.Column("serie", sa.String(length=20), nullable=False),
        sa.Column("anio", sa.Integer(), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("estado", sa.String(length=10), nullable=False),
        sa.Column("documento_id", sa.String(length=36), nullable=True),
        sa.Column("plantilla", sa.String(length=64), nullable=False),
        sa.Column("plantilla_version", sa.Integer(), nullable=True),
        sa.Column("contenido_sha256", sa.String(length=64), nullable=True),
        sa.Column("deudor_nombre", sa.String(length=300), nullable=True),
        sa.Column("deudor_rfc", sa.String(length=13), nullable=True),
        sa.Column("emisor", sa.String(length=100), nullable=True),
        sa.Column("solicitante", sa.String(length=100), nullable=False),
        sa.Column("reservado_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("emitido_en", sa.DateTime(timezone=True), nullable=True),
        sa.Column("anulado_motivo", sa.Text(), nullable=True),
        sa.Column("cancelada_en", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelacion_motivo", sa.Text(), nullable=True),
        sa.Column("cancelada_por", sa.String(length=100), nullable=True),
        sa.CheckConstraint(
            "estado IN ('reservado', 'emitido', 'anulado')", name=op.f("ck_constancia_estado")
        ),
        sa.CheckConstraint("numero >= 1", name=op.f("ck_constancia_numero_positivo")),
        sa.PrimaryKeyConstraint("folio", name=op.f("pk_constancia")),
        sa.UniqueConstraint(
            "serie", "anio", "numero", name=op.f("uq_constancia_serie_anio_numero")
        ),
    )
    op.create_index(op.f("ix_constancia_estado"), "constancia", ["estado"])


def _create_audit() -> None:
    op.create_table(
        "evento_auditoria",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("momento", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("accion", sa.String(length=64), nullable=False),
        sa.Column("objeto", sa.String(length=200), nullable=False),
        sa.Column("detalle", sa.Text(), nullable=False),
        sa.Column("hash_previo", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evento_auditoria")),
    )
    op.create_index(op.f("ix_evento_auditoria_accion"), "evento_auditoria", ["accion"])
    op.create_index(op.f("ix_evento_auditoria_objeto"), "evento_auditoria", ["objeto"])
    head = op.create_table(
        "auditoria_cabeza",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ultimo_id", sa.Integer(), nullable=False),
        sa.Column("ultimo_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditoria_cabeza")),
    )
    op.bulk_insert(head, [{"id": 1, "ultimo_id": 0, "ultimo_hash": GENESIS_HASH}])


def upgrade() -> None:
    if not _exists("api_key"):
        _create_api_key()
    if not _exists("documento"):
        _create_documento()
    _create_folios()
    _create_audit()


def downgrade() -> None:
    for table in ("auditoria_cabeza", "evento_auditoria", "constancia", "serie_folio"):
        op.drop_table(table)
    op.drop_table("documento")
    op.drop_table("api_key")
