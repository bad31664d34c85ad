/* SPDX-License-Identifier: MIT */
/*
 * test_schema_parse.c: reading SQLite CREATE TABLE / INDEX / VIEW text
 * (schema/sqlite_parse.c): column types and constraints, named and
 * unnamed table constraints, foreign key clauses, generated columns,
 * quoting, comments, table options, the name's span for rebuilds, index
 * keys and predicates, and what it refuses.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "retort.h"
#include "schema/sqlite_parse.h"

static rt_arena arena = RT_ARENA_INIT;

static void teardown(void)
{
	rt_arena_free(&arena);
}

TestSuite(sqlite_parse, .fini = teardown);

static rt_sqlite_tablespec table(const char *sql)
{
	rt_sqlite_tablespec t;
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(rt_sqlite_parse_table(&t, &arena, sql, &err), 0, "%s",
		     rt_err_msg(&err));
	rt_err_dispose(&err);
	return t;
}

static const rt_sqlite_constraint *con(const rt_sqlite_tablespec *t, size_t i,
				       char kind)
{
	cr_assert_lt(i, t->nconstraints);
	cr_assert_eq(t->constraints[i].kind, kind, "constraint %zu is '%c'", i,
		     t->constraints[i].kind);
	return &t->constraints[i];
}

Test(sqlite_parse, columns_types_and_column_constraints)
{
	rt_sqlite_tablespec t =
	    table("CREATE TABLE book (\n"
		  "  id integer primary key autoincrement,\n"
		  "  title varchar ( 200 ) NOT NULL COLLATE nocase,\n"
		  "  price DECIMAL(10,2) DEFAULT 0 CHECK (price >= 0),\n"
		  "  n INT DEFAULT -1,\n"
		  "  made TEXT DEFAULT CURRENT_TIMESTAMP,\n"
		  "  x DOUBLE PRECISION DEFAULT (1 + 2),\n"
		  "  untyped,\n"
		  "  isbn TEXT CONSTRAINT uq_isbn UNIQUE ON CONFLICT ABORT\n"
		  ")");

	cr_assert_str_eq(t.name, "book");
	cr_assert_eq(t.ncolumns, 8);
	cr_assert_str_eq(t.columns[0].type, "INTEGER");
	cr_assert(t.columns[0].primary_key);
	cr_assert(t.columns[0].autoincrement);
	cr_assert_str_eq(t.columns[1].type, "VARCHAR(200)");
	cr_assert(t.columns[1].not_null);
	cr_assert_str_eq(t.columns[1].collation, "NOCASE");
	cr_assert_str_eq(t.columns[1].definition,
			 "title varchar ( 200 ) NOT NULL COLLATE nocase");
	cr_assert_str_eq(t.columns[2].type, "DECIMAL(10, 2)");
	cr_assert_str_eq(t.columns[2].default_expr, "0");
	cr_assert_not(t.columns[2].default_is_expr);
	cr_assert_str_eq(t.columns[3].default_expr, "- 1");
	cr_assert_not(t.columns[3].default_is_expr);
	cr_assert(t.columns[4].default_is_expr);
	cr_assert_str_eq(t.columns[5].type, "DOUBLE PRECISION");
	cr_assert(t.columns[5].default_is_expr);
	cr_assert_str_eq(t.columns[5].default_expr, "(1 + 2)");
	cr_assert_str_eq(t.columns[6].name, "untyped");
	cr_assert_str_eq(t.columns[6].type, "");
	/* pk of id, the check on price, the unique on isbn */
	cr_assert_eq(t.nconstraints, 3);
	cr_assert_str_eq(con(&t, 0, 'p')->columns[0], "id");
	cr_assert_str_eq(con(&t, 1, 'c')->expr, "price >= 0");
	cr_assert_str_eq(con(&t, 1, 'c')->column, "price");
	cr_assert_str_eq(con(&t, 2, 'u')->name, "uq_isbn");
	cr_assert_str_eq(con(&t, 2, 'u')->columns[0], "isbn");
}

Test(sqlite_parse, table_constraints_named_and_unnamed)
{
	rt_sqlite_tablespec t =
	    table("CREATE TABLE m (a INT, b INT, c TEXT,\n"
		  "  CONSTRAINT pk_m PRIMARY KEY (a, b DESC),\n"
		  "  UNIQUE (c COLLATE nocase, a),\n"
		  "  CONSTRAINT ck_m CHECK (a > 0 AND (b < 10 OR b IS NULL)),\n"
		  "  CHECK(length(c)>1),\n"
		  "  CONSTRAINT fk_m FOREIGN KEY (a, b) REFERENCES p (x, y)\n"
		  "    ON DELETE SET NULL ON UPDATE CASCADE MATCH SIMPLE\n"
		  "    DEFERRABLE INITIALLY DEFERRED\n"
		  ")");
	const rt_sqlite_constraint *c;

	cr_assert_eq(t.ncolumns, 3);
	cr_assert_eq(t.nconstraints, 5);
	c = con(&t, 0, 'p');
	cr_assert_str_eq(c->name, "pk_m");
	cr_assert_eq(c->ncolumns, 2);
	cr_assert_str_eq(c->columns[1], "b");
	c = con(&t, 1, 'u');
	cr_assert_null(c->name);
	cr_assert_eq(c->ncolumns, 2);
	cr_assert_str_eq(c->columns[0], "c");
	cr_assert_str_eq(con(&t, 2, 'c')->expr,
			 "a > 0 AND(b < 10 OR b IS NULL)");
	cr_assert_str_eq(con(&t, 2, 'c')->name, "ck_m");
	cr_assert_str_eq(con(&t, 3, 'c')->expr, "length(c) > 1");
	cr_assert_null(con(&t, 3, 'c')->name);
	c = con(&t, 4, 'f');
	cr_assert_str_eq(c->name, "fk_m");
	cr_assert_str_eq(c->ref_table, "p");
	cr_assert_eq(c->nref_columns, 2);
	cr_assert_str_eq(c->ref_columns[1], "y");
	cr_assert_str_eq(c->on_delete, "SET NULL");
	cr_assert_str_eq(c->on_update, "CASCADE");
	cr_assert(c->deferrable);
	cr_assert(c->initially_deferred);
}

Test(sqlite_parse, column_references_and_generated)
{
	rt_sqlite_tablespec t =
	    table("CREATE TABLE c (\n"
		  "  p INTEGER CONSTRAINT fk_p REFERENCES parent ON DELETE "
		  "CASCADE NOT DEFERRABLE NOT NULL,\n"
		  "  q INTEGER REFERENCES parent(id) DEFERRABLE,\n"
		  "  v REAL GENERATED ALWAYS AS (p * 2) VIRTUAL,\n"
		  "  s REAL AS (p + q) STORED,\n"
		  "  g AS (abs(p))\n"
		  ")");
	const rt_sqlite_constraint *c;

	cr_assert_eq(t.ncolumns, 5);
	cr_assert(t.columns[0].not_null, "NOT NULL after the fk clause");
	c = con(&t, 0, 'f');
	cr_assert_str_eq(c->name, "fk_p");
	cr_assert_str_eq(c->column, "p");
	cr_assert_eq(c->nref_columns, 0, "an implicit reference to the pk");
	cr_assert_str_eq(c->on_delete, "CASCADE");
	cr_assert_str_eq(c->on_update, "NO ACTION");
	cr_assert_not(c->deferrable);
	c = con(&t, 1, 'f');
	cr_assert_str_eq(c->ref_columns[0], "id");
	cr_assert(c->deferrable);
	cr_assert_not(c->initially_deferred);
	cr_assert_str_eq(t.columns[2].generated, "p * 2");
	cr_assert_not(t.columns[2].generated_stored);
	cr_assert_str_eq(t.columns[3].generated, "p + q");
	cr_assert(t.columns[3].generated_stored);
	cr_assert_str_eq(t.columns[4].generated, "abs(p)");
	cr_assert_str_eq(t.columns[4].type, "");
}

Test(sqlite_parse, quoting_comments_and_options)
{
	const char *sql = "CREATE TABLE IF NOT EXISTS main.\"Order\" ( -- x\n"
			  "  [select] TEXT /* c, d */ DEFAULT 'a,b',\n"
			  "  `we\"ird` INT,\n"
			  "  \"q\"\"uote\" INT CHECK (\"q\"\"uote\" <> ',')\n"
			  ") WITHOUT ROWID, STRICT";
	rt_sqlite_tablespec t = table(sql);

	cr_assert_str_eq(t.name, "Order");
	cr_assert_eq(t.name_len, strlen("main.\"Order\""));
	cr_assert_eq(strncmp(sql + t.name_start, "main.\"Order\"", t.name_len),
		     0);
	cr_assert_eq(t.ncolumns, 3);
	cr_assert_str_eq(t.columns[0].name, "select");
	cr_assert_str_eq(t.columns[0].default_expr, "'a,b'");
	cr_assert_str_eq(t.columns[1].name, "we\"ird");
	cr_assert_str_eq(t.columns[2].name, "q\"uote");
	cr_assert_str_eq(con(&t, 0, 'c')->expr, "\"q\"\"uote\" <> ','");
	cr_assert(t.without_rowid);
	cr_assert(t.strict);
}

Test(sqlite_parse, name_span_for_rebuilds)
{
	const char *sql = "CREATE TABLE \"book\" (id INTEGER)";
	rt_sqlite_tablespec t = table(sql);

	cr_assert_eq(t.name_start, 13);
	cr_assert_eq(t.name_len, 6);
	t = table("create temp table t(x)");
	cr_assert_str_eq(t.name, "t");
	cr_assert_eq(t.name_start, 18);
}

Test(sqlite_parse, create_table_as_select_has_no_body)
{
	rt_sqlite_tablespec t = table("CREATE TABLE c AS SELECT 1 AS x");

	cr_assert_str_eq(t.name, "c");
	cr_assert_eq(t.ncolumns, 0);
	cr_assert_eq(t.nconstraints, 0);
}

Test(sqlite_parse, rejects_other_statements)
{
	rt_sqlite_tablespec t;
	rt_sqlite_indexspec ix;
	const char *def;
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(rt_sqlite_parse_table(&t, &arena,
					   "CREATE VIEW v AS "
					   "SELECT 1",
					   &err),
		     RETORT_ERROR);
	cr_assert_str_eq(rt_err_msg(&err),
			 "not a CREATE TABLE statement: CREATE VIEW v AS "
			 "SELECT 1");
	cr_assert_eq(rt_sqlite_parse_table(&t, &arena, "", &err), RETORT_ERROR);
	cr_assert_eq(rt_sqlite_parse_index(&ix, &arena, "CREATE INDEX x", &err),
		     RETORT_ERROR);
	cr_assert_eq(rt_sqlite_parse_view(&def, &arena, "CREATE VIEW", &err),
		     RETORT_ERROR);
	rt_err_dispose(&err);
}

Test(sqlite_parse, index_keys_and_predicate)
{
	rt_sqlite_indexspec ix;
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(rt_sqlite_parse_index(
			 &ix, &arena,
			 "CREATE UNIQUE INDEX IF NOT EXISTS \"Ix\" ON t "
			 "(lower(a), b COLLATE nocase DESC,c) "
			 "WHERE  d = 0 AND e IS NOT NULL",
			 &err),
		     0);
	cr_assert_str_eq(ix.name, "Ix");
	cr_assert_str_eq(ix.table, "t");
	cr_assert(ix.unique);
	cr_assert_eq(ix.nkeys, 3);
	cr_assert_str_eq(ix.keys[0], "lower(a)");
	cr_assert_str_eq(ix.keys[1], "b COLLATE nocase DESC");
	cr_assert_str_eq(ix.keys[2], "c");
	cr_assert_str_eq(ix.where, "d = 0 AND e IS NOT NULL");
	cr_assert_eq(
	    rt_sqlite_parse_index(&ix, &arena, "create index i on t(x)", &err),
	    0);
	cr_assert_not(ix.unique);
	cr_assert_null(ix.where);
	rt_err_dispose(&err);
}

Test(sqlite_parse, view_definition_is_canonical)
{
	const char *a, *b;
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(rt_sqlite_parse_view(&a, &arena,
					  "CREATE VIEW v AS SELECT a,b FROM t "
					  "-- trailing\n WHERE a>1",
					  &err),
		     0);
	cr_assert_eq(
	    rt_sqlite_parse_view(&b, &arena,
				 "create view if not exists v as\n"
				 "  select a , b\n  from t where a > 1",
				 &err),
	    0);
	cr_assert_str_eq(a, "AS SELECT a, b FROM t WHERE a > 1");
	cr_assert_str_eq(b, "as select a, b from t where a > 1");
	rt_err_dispose(&err);
}
