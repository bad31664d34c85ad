# SPDX-License-Identifier: MIT
"""create author

Revision ID: 1a0c5e7d2b11
Revises:
Create Date: 2026-11-20 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "1a0c5e7d2b11"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "author",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
    )


def downgrade():
    op.drop_table("author")
