# SPDX-License-Identifier: MIT
"""create core

Revision ID: a1000000000a
Revises: None
Create Date: 2026-11-20 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "a1000000000a"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("core", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("code", sa.String(20), nullable=False))


def downgrade():
    op.drop_table("core")
