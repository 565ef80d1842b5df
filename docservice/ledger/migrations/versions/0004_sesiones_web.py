"""Sesiones de las páginas de jurídico e intentos fallidos de ingreso.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sesion_web",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("creada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expira", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["api_key_id"],
            ["api_key.id"],
            name=op.f("fk_sesion_web_api_key_id_api_key"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_sha256", name=op.f("pk_sesion_web")),
    )
    op.create_index(op.f("ix_sesion_web_api_key_id"), "sesion_web", ["api_key_id"])
    op.create_index(op.f("ix_sesion_web_expira"), "sesion_web", ["expira"])
    op.create_table(
        "intento_ingreso",
        sa.Column("clave", sa.String(length=80), nullable=False),
        sa.Column("fallos", sa.Integer(), nullable=False),
        sa.Column("desde", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bloqueada_hasta", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("clave", name=op.f("pk_intento_ingreso")),
    )


def downgrade() -> None:
    op.drop_table("intento_ingreso")
    op.drop_index(op.f("ix_sesion_web_expira"), table_name="sesion_web")
    op.drop_index(op.f("ix_sesion_web_api_key_id"), table_name="sesion_web")
    op.drop_table("sesion_web")
