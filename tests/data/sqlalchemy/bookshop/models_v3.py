# SPDX-License-Identifier: MIT
"""Bookshop models, version 3: reviews (a foreign key with ON DELETE
CASCADE, a check constraint, a composite index), book.pages, and
book.title widened to 300."""
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
    title = sa.Column(sa.String(300), nullable=False, index=True)
    kind = sa.Column(sa.Enum(Kind, name="book_kind"), nullable=False,
                     server_default="novel")
    pages = sa.Column(sa.Integer)
    author_id = sa.Column(sa.Integer, sa.ForeignKey("author.id"),
                          nullable=False)
    author = relationship(Author)


class Review(Base):
    __tablename__ = "review"
    __table_args__ = (
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="ck_review_stars"),
        sa.Index("ix_review_book_stars", "book_id", "stars"),
    )
    id = sa.Column(sa.Integer, primary_key=True)
    book_id = sa.Column(sa.Integer,
                        sa.ForeignKey("book.id", ondelete="CASCADE"),
                        nullable=False)
    stars = sa.Column(sa.Integer, nullable=False)
    body = sa.Column(sa.Text)
