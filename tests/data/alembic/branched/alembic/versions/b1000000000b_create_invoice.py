# SPDX-License-Identifier: MIT
"""create invoice

Revision ID: b1000000000b
Revises: a1000000000a
Create Date: 2026-11-27 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "b1000000000b"
down_revision = "a1000000000a"
branch_labels = ("billing",)
depends_on = None


def upgrade():
    op.create_table("invoice", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("core_id", sa.Integer, sa.ForeignKey("core.id")))


def downgrade():
    op.drop_table("invoice")
