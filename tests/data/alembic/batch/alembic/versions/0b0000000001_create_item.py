# SPDX-License-Identifier: MIT
"""create item

Revision ID: 0b0000000001
Revises: None
Create Date: 2026-11-25 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0b0000000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    item = op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50)),
        sa.Column("price", sa.Integer),
    )
    op.bulk_insert(item, [{"id": 1, "name": "pen", "price": 3},
                          {"id": 2, "name": "ink", "price": 9}])


def downgrade():
    op.drop_table("item")
