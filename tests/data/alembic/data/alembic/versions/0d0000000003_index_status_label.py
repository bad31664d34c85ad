# SPDX-License-Identifier: MIT
"""index status label

Built outside a transaction (CONCURRENTLY on PostgreSQL).

Revision ID: 0d0000000003
Revises: 0d0000000002
Create Date: 2026-11-25 12:00:00.000000

"""
from alembic import op

revision = "0d0000000003"
down_revision = "0d0000000002"
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_status_label", "status", ["label"],
                        postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_status_label", table_name="status",
                      postgresql_concurrently=True)
