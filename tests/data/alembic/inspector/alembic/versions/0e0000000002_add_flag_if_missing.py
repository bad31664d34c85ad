# SPDX-License-Identifier: MIT
"""add flag if missing

Revision ID: 0e0000000002
Revises: 0e0000000001
Create Date: 2026-11-22 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0e0000000002"
down_revision = "0e0000000001"
branch_labels = None
depends_on = None


def upgrade():
    insp = sa.inspect(op.get_bind())
    if "flag" not in [c["name"] for c in insp.get_columns("thing")]:
        op.add_column("thing", sa.Column("flag", sa.Boolean))


def downgrade():
    op.drop_column("thing", "flag")
