# SPDX-License-Identifier: MIT
"""lib settings

Revision ID: 11000000000a
Revises: None
Create Date: 2026-11-27 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "11000000000a"
down_revision = None
branch_labels = ("lib",)
depends_on = None


def upgrade():
    op.create_table("lib_setting", sa.Column("k", sa.String(40), primary_key=True),
                    sa.Column("v", sa.Text))


def downgrade():
    op.drop_table("lib_setting")
