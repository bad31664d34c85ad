# SPDX-License-Identifier: MIT
"""Bookshop models, version 2: author.email (unique, with a comment), a
book kind (a native enum on PostgreSQL) with a server default, a table
comment."""
import enum

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Kind(enum.Enum):
    novel = "novel"
    essay = "essay"


class Author(Base):
    __tablename__ = "author"
    __table_args__ = {"comment": "people who write books"}
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(100), nullable=False)
    email = sa.Column(sa.String(200), unique=True, comment="where to write")


class Book(Base):
    __tablename__ = "book"
    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(200), nullable=False, index=True)
    kind = sa.Column(sa.Enum(Kind, name="book_kind"), nullable=False,
                     server_default="novel")
    author_id = sa.Column(sa.Integer, sa.ForeignKey("author.id"),
                          nullable=False)
    author = relationship(Author)
