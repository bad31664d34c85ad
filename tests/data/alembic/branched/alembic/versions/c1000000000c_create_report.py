# SPDX-License-Identifier: MIT
"""create report

Revision ID: c1000000000c
Revises: a1000000000a
Create Date: 2026-11-24 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "c1000000000c"
down_revision = "a1000000000a"
branch_labels = ("reports",)
depends_on = None


def upgrade():
    op.create_table("report", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("body", sa.Text, comment="the report text"))


def downgrade():
    op.drop_table("report")
