# SPDX-License-Identifier: MIT
"""add book year

Revision ID: 3c2e7a9f4d33
Revises: 2b1d6f8e3c22
Create Date: 2026-11-22 09:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "3c2e7a9f4d33"
down_revision = "2b1d6f8e3c22"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("book", sa.Column("year", sa.Integer, nullable=False,
                                    server_default="2000"))


def downgrade():
    op.drop_column("book", "year")
