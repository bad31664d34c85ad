# SPDX-License-Identifier: MIT
"""lib roles

Revision ID: 12000000000a
Revises: 11000000000a
Create Date: 2026-11-23 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "12000000000a"
down_revision = "11000000000a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("lib_role", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("name", sa.String(40), nullable=False, unique=True))


def downgrade():
    op.drop_table("lib_role")
