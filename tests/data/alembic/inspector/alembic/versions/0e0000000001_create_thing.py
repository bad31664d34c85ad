# SPDX-License-Identifier: MIT
"""create thing

Revision ID: 0e0000000001
Revises: None
Create Date: 2026-11-23 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0e0000000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("thing", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("n", sa.Integer))


def downgrade():
    op.drop_table("thing")
