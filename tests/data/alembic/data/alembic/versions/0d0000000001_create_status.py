# SPDX-License-Identifier: MIT
"""create status

Revision ID: 0d0000000001
Revises: None
Create Date: 2026-11-20 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0d0000000001"
down_revision = None
branch_labels = None
depends_on = None


status = sa.table("status", sa.column("code", sa.String), sa.column("label", sa.String))


def upgrade():
    op.create_table(
        "status",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("label", sa.String(50), nullable=False),
    )
    op.bulk_insert(status, [{"code": "new", "label": "New"},
                            {"code": "done", "label": "It's done"}])


def downgrade():
    op.drop_table("status")
