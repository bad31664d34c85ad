# SPDX-License-Identifier: MIT
"""item name required, price dropped

Revision ID: 0b0000000002
Revises: 0b0000000001
Create Date: 2026-11-21 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0b0000000002"
down_revision = "0b0000000001"
branch_labels = None
depends_on = None


def old_item():
    return sa.Table(
        "item", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50)),
        sa.Column("price", sa.Integer),
    )


def new_item():
    return sa.Table(
        "item", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )


def upgrade():
    with op.batch_alter_table("item", copy_from=old_item()) as b:
        b.alter_column("name", existing_type=sa.String(50), nullable=False)
        b.drop_column("price")


def downgrade():
    with op.batch_alter_table("item", copy_from=new_item()) as b:
        b.add_column(sa.Column("price", sa.Integer))
        b.alter_column("name", existing_type=sa.String(50), nullable=True)
