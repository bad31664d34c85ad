# SPDX-License-Identifier: MIT
"""item name longer and unique

batch_alter_table without copy_from: online, Alembic reflects the table;
retort import reflects it from a scratch SQLite database built from the
revisions before this one.

Revision ID: 0b0000000003
Revises: 0b0000000002
Create Date: 2026-11-23 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "0b0000000003"
down_revision = "0b0000000002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("item") as b:
        b.alter_column("name", type_=sa.String(80),
                       existing_type=sa.String(50), existing_nullable=False)
        b.create_unique_constraint("uq_item_name", ["name"])


def downgrade():
    with op.batch_alter_table("item") as b:
        b.drop_constraint("uq_item_name", type_="unique")
        b.alter_column("name", type_=sa.String(50),
                       existing_type=sa.String(80), existing_nullable=False)
