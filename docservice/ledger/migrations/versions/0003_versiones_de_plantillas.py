"""Versiones de plantillas y leyendas con su estado (borrador … publicada, retirada).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plantilla_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(length=10), nullable=False),
        sa.Column("clave", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("estado", sa.String(length=12), nullable=False),
        sa.Column("documento_sha256", sa.String(length=64), nullable=False),
        sa.Column("schema_json", sa.Text(), nullable=False),
        sa.Column("ejemplo_json", sa.Text(), nullable=False),
        sa.Column("manifest_toml", sa.Text(), nullable=False),
        sa.Column("schema_sha256", sa.String(length=64), nullable=False),
        sa.Column("ejemplo_sha256", sa.String(length=64), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("creada_por", sa.String(length=100), nullable=False),
        sa.Column("creada_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enviada_por", sa.String(length=100), nullable=True),
        sa.Column("actualizada_en", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comentario", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "estado IN ('borrador', 'en_revision', 'aprobada', 'publicada', 'retirada')",
            name=op.f("ck_plantilla_version_estado"),
        ),
        sa.CheckConstraint(
            "tipo IN ('plantilla', 'leyenda')", name=op.f("ck_plantilla_version_tipo")
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_plantilla_version_version_positiva")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plantilla_version")),
        sa.UniqueConstraint(
            "tipo", "clave", "version", name="uq_plantilla_version_tipo_clave_version"
        ),
    )
    op.create_index(
        op.f("ix_plantilla_version_clave"), "plantilla_version", ["clave"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_plantilla_version_clave"), table_name="plantilla_version")
    op.drop_table("plantilla_version")
