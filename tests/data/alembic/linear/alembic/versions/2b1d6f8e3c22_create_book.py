# SPDX-License-Identifier: MIT
"""create book

A book has one author; titles are looked up often.

Revision ID: 2b1d6f8e3c22
Revises: 1a0c5e7d2b11
Create Date: 2026-11-21 11:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

revision = "2b1d6f8e3c22"
down_revision = "1a0c5e7d2b11"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "book",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("author_id", sa.Integer,
                  sa.ForeignKey("author.id", name="fk_book_author"),
                  nullable=False),
        sa.UniqueConstraint("title", "author_id", name="uq_book_title"),
    )
    op.create_index("ix_book_title", "book", ["title"])


def downgrade():
    op.drop_index("ix_book_title", table_name="book")
    op.drop_table("book")
