# SPDX-License-Identifier: MIT
"""app users

Revision ID: 21000000000b
Revises: None
Create Date: 2026-11-27 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "21000000000b"
down_revision = None
branch_labels = ("app",)
depends_on = None


def upgrade():
    op.create_table("app_user", sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("email", sa.String(200), nullable=False))


def downgrade():
    op.drop_table("app_user")
