# SPDX-License-Identifier: MIT
"""status rank and relabel

Revision ID: 0d0000000002
Revises: 0d0000000001
Create Date: 2026-11-22 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0d0000000002"
down_revision = "0d0000000001"
branch_labels = None
depends_on = None


status = sa.table("status", sa.column("code", sa.String), sa.column("label", sa.String),
                  sa.column("rank", sa.Integer))


def upgrade():
    op.add_column("status", sa.Column("rank", sa.Integer, nullable=False,
                                      server_default="0"))
    op.execute("UPDATE status SET rank = 2 WHERE code = 'done'")
    op.execute(status.update().where(status.c.code == "new")
               .values(label="Fresh", rank=1))


def downgrade():
    op.execute(status.update().where(status.c.code == "new")
               .values(label="New"))
    op.drop_column("status", "rank")
