# SPDX-License-Identifier: MIT
"""double every n

Revision ID: 0e0000000003
Revises: 0e0000000002
Create Date: 2026-11-24 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0e0000000003"
down_revision = "0e0000000002"
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, n FROM thing")).fetchall()
    for row in rows:
        conn.execute(sa.text("UPDATE thing SET n = :n WHERE id = :id"),
                     {"n": row.n * 2, "id": row.id})


def downgrade():
    op.execute("UPDATE thing SET n = n / 2")
