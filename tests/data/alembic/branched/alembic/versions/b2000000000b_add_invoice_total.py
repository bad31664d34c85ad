# SPDX-License-Identifier: MIT
"""add invoice total

Revision ID: b2000000000b
Revises: b1000000000b
Create Date: 2026-11-24 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "b2000000000b"
down_revision = "b1000000000b"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("invoice", sa.Column("total", sa.Numeric(10, 2)))


def downgrade():
    op.drop_column("invoice", "total")
