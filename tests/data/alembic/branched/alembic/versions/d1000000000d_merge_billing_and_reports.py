# SPDX-License-Identifier: MIT
"""merge billing and reports

Revision ID: d1000000000d
Revises: b2000000000b, c1000000000c
Create Date: 2026-11-22 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "d1000000000d"
down_revision = ("b2000000000b", "c1000000000c")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
