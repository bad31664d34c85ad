# SPDX-License-Identifier: MIT
"""comment status on postgresql

A revision that asks which database it runs on: offline, Alembic's
MigrationContext still knows the dialect.

Revision ID: 0d0000000004
Revises: 0d0000000003
Create Date: 2026-11-26 12:00:00.000000

"""
from alembic import op

revision = "0d0000000004"
down_revision = "0d0000000003"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("COMMENT ON TABLE status IS 'workflow states'")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("COMMENT ON TABLE status IS NULL")
