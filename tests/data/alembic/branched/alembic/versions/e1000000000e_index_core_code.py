# SPDX-License-Identifier: MIT
"""index core code

Revision ID: e1000000000e
Revises: d1000000000d
Create Date: 2026-11-22 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "e1000000000e"
down_revision = "d1000000000d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_core_code", "core", ["code"], unique=True)


def downgrade():
    op.drop_index("ix_core_code", table_name="core")
