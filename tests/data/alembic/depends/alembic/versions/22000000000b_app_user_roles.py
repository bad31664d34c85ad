# SPDX-License-Identifier: MIT
"""app user roles

Revision ID: 22000000000b
Revises: 21000000000b
Create Date: 2026-11-21 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "22000000000b"
down_revision = "21000000000b"
branch_labels = None
depends_on = "12000000000a"


def upgrade():
    op.create_table(
        "app_user_role",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id"), primary_key=True),
        sa.Column("role_id", sa.Integer, sa.ForeignKey("lib_role.id"), primary_key=True),
    )


def downgrade():
    op.drop_table("app_user_role")
