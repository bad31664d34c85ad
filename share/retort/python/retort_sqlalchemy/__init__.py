# SPDX-License-Identifier: MIT
"""retort_sqlalchemy: a SQLAlchemy MetaData (and so SQLModel's) as DDL.

    PYTHONPATH=/usr/share/retort/python \\
        python3 -m retort_sqlalchemy app.models:Base.metadata --dialect sqlite

prints, for sqlite, postgresql or mysql, the statements that create every
table of the MetaData in dependency order (a table after the tables its
foreign keys reference; keys in a cycle, or with use_alter, are added at
the end with ALTER TABLE except on SQLite, which has them inline):
PostgreSQL schemas, enum types (CREATE TYPE) and sequences first, then
each table (columns, server defaults, primary key, unique,
check and foreign key constraints) followed by its indexes and, on
PostgreSQL, its comments (COMMENT ON). It is meant for retort.ini's
schema_command (`{dialect}` is substituted there), so that `retort
revision --autogenerate` and `retort check` compare the database with the
application's models, as Alembic's autogenerate does.

The OBJECT argument is MODULE:ATTRIBUTE[.ATTRIBUTE...]; the attribute may
be a MetaData, or anything with a `.metadata` (a declarative Base,
SQLModel). The current folder is on sys.path, as with any `python3 -m`.
Nothing connects to a database: every statement is compiled with the
dialect alone. Needs SQLAlchemy 1.4 or 2.x.
"""
import importlib
import warnings

import sqlalchemy as sa
from sqlalchemy.schema import (AddConstraint, CreateIndex, CreateSequence,
                               CreateTable, SetColumnComment,
                               SetTableComment, sort_tables_and_constraints)

__all__ = ["load_metadata", "dialect_for", "ddl"]

DIALECTS = ("sqlite", "postgresql", "mysql")


def load_metadata(spec):
    """The MetaData named by MODULE:ATTR[.ATTR...]."""
    if ":" not in spec:
        raise ValueError("'%s' is not MODULE:ATTRIBUTE (for example "
                         "app.models:Base.metadata)" % spec)
    modname, attrs = spec.split(":", 1)
    obj = importlib.import_module(modname)
    for part in attrs.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ValueError("module '%s' has no attribute '%s'"
                             % (modname, attrs)) from None
    if not isinstance(obj, sa.MetaData):
        obj = getattr(obj, "metadata", obj)
    if not isinstance(obj, sa.MetaData):
        raise ValueError("'%s' is not a SQLAlchemy MetaData (nor has one "
                         "as .metadata)" % spec)
    return obj


def dialect_for(name):
    if name not in DIALECTS:
        raise ValueError("unknown dialect '%s' (sqlite, postgresql or "
                         "mysql)" % name)
    mod = importlib.import_module("sqlalchemy.dialects." + name)
    return mod.dialect()


def _sql(element, dialect):
    text = str(element.compile(dialect=dialect)).strip()
    return "\n".join(line.rstrip() for line in text.splitlines())


def _pg_enums(metadata, dialect):
    from sqlalchemy.dialects.postgresql import ENUM
    from sqlalchemy.dialects.postgresql.base import CreateEnumType
    seen, out = set(), []
    for table in metadata.sorted_tables:
        for col in table.columns:
            t = col.type
            if not isinstance(t, sa.Enum) or not t.native_enum:
                continue
            key = (t.schema or table.schema, t.name)
            if key in seen:
                continue
            seen.add(key)
            enum = ENUM(*t.enums, name=t.name, schema=key[0])
            out.append(_sql(CreateEnumType(enum), dialect))
    return out


def ddl(metadata, dialect_name):
    """The statements, each without its ';', in order."""
    dialect = dialect_for(dialect_name)
    out = []
    if dialect_name == "postgresql":
        out += _pg_enums(metadata, dialect)
        for seq in sorted(metadata._sequences.values(),
                          key=lambda s: (s.schema or "", s.name)):
            out.append(_sql(CreateSequence(seq), dialect))
        schemas = sorted({t.schema for t in metadata.tables.values()
                          if t.schema})
        out += ["CREATE SCHEMA IF NOT EXISTS %s"
                % dialect.identifier_preparer.quote_schema(name)
                for name in schemas]
    # as MetaData.create_all orders them: each table after those its
    # foreign keys reference; the keys of a cycle (and use_alter ones)
    # added at the end with ALTER TABLE where the dialect can
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        collection = sort_tables_and_constraints(
            list(metadata.tables.values()))
    alter = []
    for table, fkcs in collection:
        if table is None:
            alter = list(fkcs) if dialect.supports_alter else []
            continue
        out.append(_sql(CreateTable(
            table, include_foreign_key_constraints=fkcs
            if dialect.supports_alter else None), dialect))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            out.append(_sql(CreateIndex(index), dialect))
        if dialect_name == "postgresql":
            if table.comment is not None:
                out.append(_sql(SetTableComment(table), dialect))
            for col in table.columns:
                if col.comment is not None:
                    out.append(_sql(SetColumnComment(col), dialect))
    for fkc in alter:
        out.append(_sql(AddConstraint(fkc), dialect))
    return out
