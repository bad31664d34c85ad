# SPDX-License-Identifier: MIT
"""Bookshop models, version 1 (tests/cli/online_sqlalchemy.bats copies
models_vN.py to app/models.py): authors and their books."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Author(Base):
    __tablename__ = "author"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(100), nullable=False)


class Book(Base):
    __tablename__ = "book"
    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(200), nullable=False, index=True)
    author_id = sa.Column(sa.Integer, sa.ForeignKey("author.id"),
                          nullable=False)
    author = relationship(Author)
