/* SPDX-License-Identifier: MIT */
/*
 * sqlite_parse.h: what the SQLite catalog pragmas do not say, read from
 * the CREATE TABLE / CREATE INDEX / CREATE VIEW text in sqlite_schema:
 * constraint names, CHECK expressions, collations, AUTOINCREMENT,
 * generated column expressions, DEFERRABLE, and each column's own text.
 *
 * The parser works on rt_sql tokens and follows SQLite's grammar loosely:
 * it never rejects text SQLite accepted (unknown tokens are skipped), and
 * reports RETORT_ERROR only when the text is not a CREATE statement of
 * the expected kind. Expressions are stored canonically (rt_sx_canon).
 * Everything lives in the arena passed in.
 */
#ifndef RT_SCHEMA_SQLITE_PARSE_H
#define RT_SCHEMA_SQLITE_PARSE_H

#include <stddef.h>

#include "util/arena.h"
#include "util/err.h"

typedef struct rt_sqlite_colspec {
	const char *name;
	const char *type;	  /* canonical, upper-cased; "" when none */
	const char *definition;	  /* the column's text, name to last token */
	const char *collation;	  /* upper-cased unless quoted, or NULL */
	const char *default_expr; /* canonical, or NULL */
	int default_is_expr;	  /* (expr) or CURRENT_*: not constant */
	const char *generated;	  /* canonical expression, or NULL */
	int generated_stored;
	int not_null;
	int primary_key; /* column-level PRIMARY KEY */
	int autoincrement;
} rt_sqlite_colspec;

typedef struct rt_sqlite_constraint {
	char kind;	    /* 'p' primary key, 'u' unique, 'c' check, 'f' fk */
	const char *name;   /* CONSTRAINT name, or NULL */
	const char *column; /* set when written on a column */
	const char **columns; /* p, u, f */
	size_t ncolumns;
	const char *expr;      /* c */
	const char *ref_table; /* f */
	const char **ref_columns;
	size_t nref_columns;
	const char *on_delete; /* f: "NO ACTION" when not written */
	const char *on_update;
	int deferrable;
	int initially_deferred;
} rt_sqlite_constraint;

typedef struct rt_sqlite_tablespec {
	const char *name;
	size_t name_start, name_len; /* the [schema.]name span in the text */
	rt_sqlite_colspec *columns;
	size_t ncolumns;
	rt_sqlite_constraint *constraints; /* in the order written */
	size_t nconstraints;
	int without_rowid;
	int strict;
} rt_sqlite_tablespec;

typedef struct rt_sqlite_indexspec {
	const char *name;
	const char *table;
	int unique;
	const char **keys; /* canonical text of each indexed column */
	size_t nkeys;
	const char *where; /* canonical, or NULL */
} rt_sqlite_indexspec;

int rt_sqlite_parse_table(rt_sqlite_tablespec *out, rt_arena *a,
			  const char *sql, rt_err *err);
int rt_sqlite_parse_index(rt_sqlite_indexspec *out, rt_arena *a,
			  const char *sql, rt_err *err);
/* The canonical text of a CREATE VIEW after the view's name (optional
 * column list, AS, the SELECT). */
int rt_sqlite_parse_view(const char **definition, rt_arena *a, const char *sql,
			 rt_err *err);

#endif
