"""Tipo de cada folio: constancia o copia certificada (series de uno u otro).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Rows issued before this revision were constancias.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("constancia") as batch:
        batch.add_column(
            sa.Column("tipo", sa.String(length=20), nullable=False, server_default="constancia")
        )
        batch.create_check_constraint("tipo", "tipo IN ('constancia', 'certificacion')")


def downgrade() -> None:
    with op.batch_alter_table("constancia") as batch:
        batch.drop_constraint(op.f("ck_constancia_tipo"), type_="check")
        batch.drop_column("tipo")
