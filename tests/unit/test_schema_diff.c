/* SPDX-License-Identifier: MIT */
/*
 * test_schema_diff.c: the diff and its SQL on SQLite models built from
 * DDL (and on PostgreSQL when RETORT_TEST_PG_URL is set): the order of
 * changes, `check` descriptions, "-- WARNING:" comments, which SQLite
 * changes take ALTER TABLE and which a rebuild, type narrowing, notes
 * about unsupported objects, retort's own tables, dump determinism,
 * a fixed number of catalog queries, and the errors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "project/url.h"
#include "retort.h"
#include "run/driver.h"
#include "schema/schema.h"
#include "schema_fixture.h"

/* ------------------------------------------------------------------ */
/* A driver wrapper that counts catalog queries */

static const rt_driver *inner;
static int nqueries;

static int counting_query(rt_conn *c, const char *sql, rt_rows *out,
			  rt_err *err)
{
	nqueries++;
	return inner->query(c, sql, out, err);
}

static int failing_query(rt_conn *c, const char *sql, rt_rows *out, rt_err *err)
{
	(void)c;
	(void)sql;
	memset(out, 0, sizeof(*out));
	return rt_err_set(err, RETORT_ERROR, "catalog is on fire");
}

/* ------------------------------------------------------------------ */
/* Order */

Test(order, parents_created_first_and_dropped_last)
{
	result r;
	const char *base = "CREATE TABLE zoo (id INTEGER PRIMARY KEY);\n";
	rt_str b = RT_STR_INIT;

	rt_str_printf(&b,
		      "%s"
		      "CREATE TABLE a_child (id INTEGER PRIMARY KEY, "
		      "m_id INTEGER REFERENCES m_mid (id));\n"
		      "CREATE TABLE m_mid (id INTEGER PRIMARY KEY, "
		      "z_id INTEGER REFERENCES z_parent (id));\n"
		      "CREATE TABLE z_parent (id INTEGER PRIMARY KEY);\n",
		      base);
	diff_sql(&r, base, b.ptr);
	cr_assert_eq(r.d->nchanges, 3);
	cr_assert_str_eq(r.d->changes[0].table, "z_parent");
	cr_assert_str_eq(r.d->changes[1].table, "m_mid");
	cr_assert_str_eq(r.d->changes[2].table, "a_child");
	/* the downgrade drops children first */
	cr_assert_lt(at(rt_str_cstr(&r.down), "DROP TABLE a_child"),
		     at(rt_str_cstr(&r.down), "DROP TABLE m_mid"));
	cr_assert_lt(at(rt_str_cstr(&r.down), "DROP TABLE m_mid"),
		     at(rt_str_cstr(&r.down), "DROP TABLE z_parent"));
	done(&r);
	rt_str_dispose(&b);
}

Test(order, phases)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, old TEXT);\n"
		 "CREATE INDEX ix_old ON t (a);\n"
		 "CREATE TABLE gone (id INTEGER PRIMARY KEY);\n"
		 "CREATE VIEW v_gone AS SELECT id FROM gone;\n"
		 "CREATE TRIGGER tr_t AFTER INSERT ON t BEGIN SELECT 1; END;\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
		 "CREATE INDEX ix_new ON t (b);\n"
		 "CREATE TABLE fresh (id INTEGER PRIMARY KEY);\n"
		 "CREATE VIEW v_fresh AS SELECT id FROM fresh;\n");
	{
		int dv = find(r.d, RT_DROP_VIEW, NULL);
		int dtr = find(r.d, RT_DROP_TRIGGER, NULL);
		int di = find(r.d, RT_DROP_INDEX, NULL);
		int dt = find(r.d, RT_DROP_TABLE, NULL);
		int at_ = find(r.d, RT_ADD_TABLE, NULL);
		int ac = find(r.d, RT_ADD_COLUMN, NULL);
		int dc = find(r.d, RT_DROP_COLUMN, NULL);
		int ai = find(r.d, RT_ADD_INDEX, NULL);
		int av = find(r.d, RT_ADD_VIEW, NULL);

		cr_assert(dv == 0 && dtr > dv && di > dtr && dt > di &&
			      at_ > dt && ac > at_ && dc > ac && ai > dc &&
			      av > ai,
			  "order: dv %d dtr %d di %d dt %d at %d ac %d dc %d "
			  "ai %d av %d\n%s",
			  dv, dtr, di, dt, at_, ac, dc, ai, av, up(&r));
	}
	done(&r);
}

Test(order, views_after_the_views_they_read)
{
	result r;

	diff_sql(&r, "CREATE TABLE t (x INTEGER);",
		 "CREATE TABLE t (x INTEGER);\n"
		 "CREATE VIEW a_top AS SELECT x FROM m_mid;\n"
		 "CREATE VIEW m_mid AS SELECT x FROM z_base;\n"
		 "CREATE VIEW z_base AS SELECT x FROM t;\n");
	cr_assert_lt(at(up(&r), "CREATE VIEW z_base"),
		     at(up(&r), "CREATE VIEW m_mid"));
	cr_assert_lt(at(up(&r), "CREATE VIEW m_mid"),
		     at(up(&r), "CREATE VIEW a_top"));
	cr_assert_lt(at(rt_str_cstr(&r.down), "DROP VIEW a_top"),
		     at(rt_str_cstr(&r.down), "DROP VIEW z_base"));
	done(&r);
}

Test(order, views_reading_a_rebuilt_table_are_recreated)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE t (x VARCHAR(10));\n"
		 "CREATE VIEW v1 AS SELECT x FROM t;\n"
		 "CREATE VIEW v2 AS SELECT x FROM v1;\n"
		 "CREATE VIEW other AS SELECT 1 AS one;\n",
		 "CREATE TABLE t (x TEXT);\n"
		 "CREATE VIEW v1 AS SELECT x FROM t;\n"
		 "CREATE VIEW v2 AS SELECT x FROM v1;\n"
		 "CREATE VIEW other AS SELECT 1 AS one;\n");
	cr_assert_eq(rt_diff_count(r.d), 1, "%s", rt_str_cstr(&r.check));
	cr_assert_str_eq(rt_str_cstr(&r.check),
			 "change type of t.x from VARCHAR(10) to TEXT\n");
	cr_assert_lt(at(up(&r), "DROP VIEW v2"), at(up(&r), "DROP VIEW v1"));
	cr_assert_lt(at(up(&r), "DROP VIEW v1"), at(up(&r), "DROP TABLE t"));
	cr_assert_gt(at(up(&r), "CREATE VIEW v1"), at(up(&r), "RENAME TO t"));
	cr_assert_eq(at(up(&r), "VIEW other"), -1);
	done(&r);
}

/* ------------------------------------------------------------------ */
/* check descriptions */

Test(describe, columns_keys_and_indexes)
{
	result r;

	diff_sql(
	    &r,
	    "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT, "
	    "born INTEGER DEFAULT 1900);\n"
	    "CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT);\n",
	    "CREATE TABLE author (id INTEGER PRIMARY KEY, "
	    "name VARCHAR(200) NOT NULL, born INTEGER);\n"
	    "CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT, "
	    "isbn VARCHAR(13), "
	    "author_id INTEGER CONSTRAINT fk_author REFERENCES author (id) "
	    "ON DELETE CASCADE, CONSTRAINT uq_isbn UNIQUE (isbn), "
	    "CHECK (length(title) > 0));\n"
	    "CREATE UNIQUE INDEX ux_title ON book (title) WHERE isbn IS "
	    "NOT NULL;\n");
	cr_assert_str_eq(
	    rt_str_cstr(&r.check),
	    "change type of author.name from TEXT to VARCHAR(200)\n"
	    "set NOT NULL on author.name\n"
	    "drop default of author.born (was 1900)\n"
	    "add column book.isbn VARCHAR(13)\n"
	    "add column book.author_id INTEGER\n"
	    "add unique constraint uq_isbn on book (isbn)\n"
	    "add check constraint on book (length(title) > 0)\n"
	    "add unique index ux_title on book (title) WHERE isbn IS NOT "
	    "NULL\n"
	    "add foreign key fk_author on book (author_id) references "
	    "author (id) ON DELETE CASCADE\n");
	/* the two rebuilds are how, not what: not listed */
	cr_assert_eq(rt_diff_count(r.d), 9);
	cr_assert_geq(find(r.d, RT_REBUILD_TABLE, "author"), 0);
	cr_assert_geq(find(r.d, RT_REBUILD_TABLE, "book"), 0);
	done(&r);
}

Test(describe, empty_diff_and_notes)
{
	result r;
	const char *sql = "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
			  "CREATE VIRTUAL TABLE docs USING fts5(body);\n";

	diff_sql(&r, sql, sql);
	cr_assert_eq(rt_diff_count(r.d), 0);
	cr_assert_str_eq(up(&r), "");
	cr_assert_str_eq(rt_str_cstr(&r.down), "");
	cr_assert_eq(r.d->nnotes, 1);
	cr_assert_str_eq(rt_str_cstr(&r.check),
			 "note: virtual table docs is not supported: not "
			 "compared\n");
	done(&r);
}

Test(describe, retort_tables_are_not_in_the_model)
{
	rt_schema *s = model("CREATE TABLE retort_version (v TEXT);\n"
			     "CREATE TABLE retort_log (id INTEGER PRIMARY KEY "
			     "AUTOINCREMENT, x TEXT);\n"
			     "CREATE INDEX retort_log_unfinished ON retort_log "
			     "(x);\n"
			     "CREATE TABLE app (id INTEGER);\n");

	cr_assert_eq(s->ntables, 1);
	cr_assert_str_eq(s->tables[0].name, "app");
	rt_schema_free(s);
}

/* ------------------------------------------------------------------ */
/* Warnings */

static int warned_before(const char *sql, const char *warning, const char *stmt)
{
	rt_str w = RT_STR_INIT;
	long pw, ps;

	rt_str_printf(&w, "-- WARNING: %s\n", warning);
	pw = at(sql, w.ptr);
	ps = at(sql, stmt);
	rt_str_dispose(&w);
	return pw >= 0 && ps > pw;
}

Test(warnings, destructive_steps)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE a (id INTEGER PRIMARY KEY, n TEXT, "
		 "gone TEXT, w VARCHAR(10));\n"
		 "CREATE TABLE old (id INTEGER);\n",
		 "CREATE TABLE a (id INTEGER PRIMARY KEY, n VARCHAR(20), "
		 "w TEXT);\n");
	cr_assert(warned_before(up(&r), "drops table old and all its rows",
				"DROP TABLE old;"),
		  "%s", up(&r));
	cr_assert(warned_before(up(&r),
				"narrows a.n from TEXT to VARCHAR(20): "
				"existing values may not fit",
				"CREATE TABLE _retort_new_a"),
		  "%s", up(&r));
	cr_assert(warned_before(up(&r), "drops column a.gone and its data",
				"CREATE TABLE _retort_new_a"),
		  "%s", up(&r));
	cr_assert(at(up(&r), "-- WARNING: rebuilds table a") >= 0);
	cr_assert_eq(at(up(&r), "from VARCHAR(10)"), -1,
		     "widening is not a warning:\n%s", up(&r));
	/* the way back: widening n is safe, narrowing w is not */
	cr_assert(at(rt_str_cstr(&r.down), "narrows a.w from TEXT to "
					   "VARCHAR(10)") >= 0);
	cr_assert_eq(at(rt_str_cstr(&r.down), "narrows a.n"), -1);
	done(&r);
}

Test(warnings, not_null_and_types)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b BIGINT, "
		 "c NUMERIC(10, 2), d REAL, e INTEGER, f NUMERIC(10, 2), "
		 "g TEXT);\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, "
		 "b INTEGER, c INTEGER, d DOUBLE PRECISION, "
		 "e NUMERIC(12, 2), f NUMERIC(14, 2), g BLOB, "
		 "h TEXT NOT NULL);\n");
	cr_assert(at(up(&r), "-- WARNING: sets NOT NULL on t.a: fails if the "
			     "column holds NULLs") >= 0);
	cr_assert(at(up(&r), "narrows t.b from BIGINT to INTEGER") >= 0);
	cr_assert(at(up(&r), "narrows t.c from NUMERIC(10, 2) to INTEGER") >=
		  0);
	cr_assert(at(up(&r), "converts t.g from TEXT to BLOB") >= 0);
	cr_assert(at(up(&r), "adds NOT NULL column t.h without a default: "
			     "fails if t has rows") >= 0);
	cr_assert_eq(at(up(&r), "t.d from"), -1, "%s", up(&r));
	cr_assert_eq(at(up(&r), "t.e from"), -1, "%s", up(&r));
	cr_assert_eq(at(up(&r), "t.f from"), -1, "%s", up(&r));
	done(&r);
}

/* SQLite ignores a type's arguments: changing only those is a note, not
 * a difference, and never a rebuild on its own. */
Test(warnings, sqlite_length_only_is_a_note)
{
	result r;

	/* alone: only the notes, both ways */
	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(10));\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(20));\n");
	cr_assert_eq(rt_diff_count(r.d), 0);
	cr_assert_str_eq(rt_str_cstr(&r.check), "");
	cr_assert_str_eq(up(&r), "-- note: t.a: VARCHAR(10) -> VARCHAR(20) is "
				 "left alone: SQLite does not enforce lengths, "
				 "so the table is not rebuilt for it\n");
	cr_assert_str_eq(rt_str_cstr(&r.down),
			 "-- note: t.a: VARCHAR(20) -> VARCHAR(10) is left "
			 "alone: SQLite does not enforce lengths, so the table "
			 "is not rebuilt for it\n");
	done(&r);
	/* with a change ALTER TABLE makes: the notes and that change */
	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(100), "
		 "b NUMERIC(10, 2));\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a varchar(200), "
		 "b NUMERIC, c TEXT);\n");
	cr_assert_str_eq(rt_str_cstr(&r.check), "add column t.c TEXT\n");
	cr_assert(at(up(&r), "-- note: t.a: VARCHAR(100) -> VARCHAR(200) is "
			     "left alone") >= 0,
		  "%s", up(&r));
	cr_assert(at(up(&r), "-- note: t.b: NUMERIC(10, 2) -> NUMERIC is") >= 0,
		  "%s", up(&r));
	cr_assert(at(up(&r), "ALTER TABLE t ADD COLUMN c TEXT;") >= 0, "%s",
		  up(&r));
	cr_assert_eq(at(up(&r), "_retort_new_t"), -1, "%s", up(&r));
	done(&r);
	/* with a change that needs a rebuild: the new table has the new
	 * lengths, no note */
	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(100), "
		 "c VARCHAR(5));\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a VARCHAR(200), "
		 "c CHAR(5));\n");
	cr_assert_str_eq(rt_str_cstr(&r.check),
			 "change type of t.c from VARCHAR(5) to CHAR(5)\n");
	cr_assert(at(up(&r), "a VARCHAR(200)") >= 0, "%s", up(&r));
	cr_assert_eq(at(up(&r), "-- note:"), -1, "%s", up(&r));
	done(&r);
}

/* ------------------------------------------------------------------ */
/* SQLite: ALTER TABLE or rebuild */

static void expect_alter(const char *a, const char *b, const char *stmt)
{
	result r;

	diff_sql(&r, a, b);
	cr_assert(at(up(&r), stmt) >= 0, "expected %s in:\n%s", stmt, up(&r));
	cr_assert_eq(find(r.d, RT_REBUILD_TABLE, NULL), -1,
		     "unexpected rebuild:\n%s", up(&r));
	done(&r);
}

static void expect_rebuild(const char *a, const char *b)
{
	result r;

	diff_sql(&r, a, b);
	cr_assert_geq(find(r.d, RT_REBUILD_TABLE, "t"), 0,
		      "expected a rebuild:\n%s", up(&r));
	cr_assert(at(up(&r), "INSERT INTO _retort_new_t") >= 0 ||
		      at(up(&r), "CREATE TABLE _retort_new_t") >= 0,
		  "%s", up(&r));
	cr_assert(at(up(&r), "PRAGMA foreign_key_check(t);") >= 0);
	done(&r);
}

#define T0 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT"

Test(sqlite_alter, what_alter_table_can_do)
{
	expect_alter(T0 ");", T0 ", b TEXT);",
		     "ALTER TABLE t ADD COLUMN b TEXT;");
	expect_alter(T0 ");", T0 ", b INTEGER NOT NULL DEFAULT 3);",
		     "ALTER TABLE t ADD COLUMN b INTEGER NOT NULL DEFAULT 3;");
	expect_alter(T0 ");", T0 ", v AS (a || 'x'));",
		     "ALTER TABLE t ADD COLUMN v AS (a || 'x');");
	expect_alter(T0 ", b TEXT);", T0 ");", "ALTER TABLE t DROP COLUMN b;");
	expect_alter(T0 "); CREATE INDEX i ON t (a);", T0 ");",
		     "DROP INDEX i;");
	expect_alter(T0 ");", T0 "); CREATE INDEX i ON t (a);",
		     "CREATE INDEX i ON t (a);");
}

Test(sqlite_alter, what_needs_a_rebuild)
{
	/* column changes */
	expect_rebuild(T0 ");", "CREATE TABLE t (id INTEGER PRIMARY KEY, "
				"a VARCHAR(5));");
	expect_rebuild(T0 ");", T0 " NOT NULL);");
	expect_rebuild(T0 ");", T0 " DEFAULT 'x');");
	expect_rebuild(T0 ");", T0 " COLLATE NOCASE);");
	expect_rebuild(T0 ");", "CREATE TABLE t (id INTEGER PRIMARY KEY "
				"AUTOINCREMENT, a TEXT);");
	/* columns ALTER TABLE cannot add */
	expect_rebuild(T0 ");", T0 ", b TEXT NOT NULL);");
	expect_rebuild(T0 ");", T0 ", b TEXT UNIQUE);");
	expect_rebuild(T0 ");", T0 ", b TEXT DEFAULT CURRENT_TIMESTAMP);");
	expect_rebuild(T0 ");", T0 ", b TEXT DEFAULT (lower('X')));");
	expect_rebuild(T0 ");", T0 ", s AS (a || 'x') STORED);");
	expect_rebuild("CREATE TABLE t (a TEXT);",
		       "CREATE TABLE t (a TEXT, id INTEGER PRIMARY KEY);");
	/* columns ALTER TABLE cannot drop */
	expect_rebuild(T0 ", b TEXT); CREATE INDEX i ON t (b);", T0 ");");
	expect_rebuild(T0 ", b TEXT UNIQUE);", T0 ");");
	expect_rebuild(T0 ", b INTEGER REFERENCES t (id));", T0 ");");
	expect_rebuild(T0 ", b INT, CHECK (b > 0));", T0 ");");
	/* constraints and options */
	expect_rebuild(T0 ");", T0 ", CHECK (a <> ''));");
	expect_rebuild(T0 ");", T0 ", UNIQUE (a));");
	expect_rebuild(T0 ");", T0 ") WITHOUT ROWID;");
	expect_rebuild(T0 ");", T0 ") STRICT;");
	expect_rebuild("CREATE TABLE p (id INTEGER PRIMARY KEY);" T0 ");",
		       "CREATE TABLE p (id INTEGER PRIMARY KEY);" T0
		       " REFERENCES p (id));");
}

Test(sqlite_alter, rebuild_keeps_the_target_text_and_shared_columns)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT, "
		 "a TEXT);\n"
		 "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;\n",
		 "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
		 "CREATE TABLE \"t\" (\n  id INTEGER PRIMARY KEY,\n"
		 "  a TEXT NOT NULL REFERENCES p (id),\n"
		 "  g AS (a || '!') STORED\n);\n"
		 "CREATE INDEX ix_t ON t (a);\n"
		 "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;\n");
	cr_assert_str_eq(
	    up(&r), "DROP TRIGGER tr;\n"
		    "\n"
		    "-- WARNING: sets NOT NULL on t.a: fails if the column "
		    "holds NULLs\n"
		    "-- WARNING: drops column t.old and its data\n"
		    "-- WARNING: adds a foreign key to t: fails if "
		    "existing rows reference missing rows\n"
		    "-- WARNING: rebuilds table t (column changes): every "
		    "row is copied into a "
		    "new table; needs PRAGMA foreign_keys=OFF, or the "
		    "DROP TABLE deletes referencing rows or fails\n"
		    "CREATE TABLE _retort_new_t (\n  id INTEGER PRIMARY "
		    "KEY,\n  a TEXT NOT NULL REFERENCES p (id),\n"
		    "  g AS (a || '!') STORED\n);\n"
		    "INSERT INTO _retort_new_t (id, a) SELECT id, a FROM "
		    "t;\n"
		    "DROP TABLE t;\n"
		    "ALTER TABLE _retort_new_t RENAME TO t;\n"
		    "CREATE INDEX ix_t ON t (a);\n"
		    "PRAGMA foreign_key_check(t);\n"
		    "\n"
		    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; "
		    "END;\n");
	done(&r);
}

/* ------------------------------------------------------------------ */
/* Dump */

Test(dump, deterministic_and_loads_back)
{
	const char *one = "CREATE TABLE b (id INTEGER PRIMARY KEY, "
			  "a_id INTEGER REFERENCES a (id));\n"
			  "CREATE VIEW vb AS SELECT id FROM va;\n"
			  "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);\n"
			  "CREATE INDEX ix_a ON a (x);\n"
			  "CREATE VIEW va AS SELECT id FROM a;\n"
			  "CREATE TRIGGER tr AFTER INSERT ON a BEGIN "
			  "INSERT INTO b (a_id) VALUES (new.id); END;\n";
	const char *two = "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);\n"
			  "CREATE VIEW va AS SELECT id FROM a;\n"
			  "CREATE TRIGGER tr AFTER INSERT ON a BEGIN "
			  "INSERT INTO b (a_id) VALUES (new.id); END;\n"
			  "CREATE INDEX ix_a ON a (x);\n"
			  "CREATE VIEW vb AS SELECT id FROM va;\n"
			  "CREATE TABLE b (id INTEGER PRIMARY KEY, "
			  "a_id INTEGER REFERENCES a (id));\n";
	rt_schema *s1 = model(one), *s2 = model(two), *s3;
	rt_str d1 = RT_STR_INIT, d2 = RT_STR_INIT, d1b = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;
	rt_diff *d;

	cr_assert_eq(rt_schema_dump(s1, &d1, &err), 0);
	cr_assert_eq(rt_schema_dump(s1, &d1b, &err), 0);
	cr_assert_eq(rt_schema_dump(s2, &d2, &err), 0);
	cr_assert_str_eq(d1.ptr, d1b.ptr);
	cr_assert_str_eq(d1.ptr, d2.ptr, "creation order leaks into the dump");
	cr_assert_lt(at(d1.ptr, "CREATE TABLE a"),
		     at(d1.ptr, "CREATE TABLE b"));
	cr_assert_lt(at(d1.ptr, "CREATE VIEW va"),
		     at(d1.ptr, "CREATE VIEW vb"));
	s3 = model(d1.ptr);
	cr_assert_eq(rt_schema_diff(&d, s1, s3, &err), 0);
	cr_assert_eq(rt_diff_count(d), 0);
	rt_diff_free(d);
	rt_schema_free(s1);
	rt_schema_free(s2);
	rt_schema_free(s3);
	rt_str_dispose(&d1);
	rt_str_dispose(&d1b);
	rt_str_dispose(&d2);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* Catalog queries */

static int count_queries(const char *url, const char *ddl)
{
	const rt_driver *drv;
	rt_conn *c = open_url(url, &drv);
	rt_driver wrapped = *drv;
	rt_schema *s;

	run(drv, c, ddl);
	inner = drv;
	wrapped.query = counting_query;
	nqueries = 0;
	s = introspect(&wrapped, c);
	rt_schema_free(s);
	drv->close(c);
	return nqueries;
}

static char *many_tables(int n)
{
	rt_str s = RT_STR_INIT;
	int i;

	for (i = 0; i < n; i++)
		rt_str_printf(&s,
			      "CREATE TABLE t%d (id INTEGER PRIMARY KEY, "
			      "p INTEGER REFERENCES t%d (id), x TEXT UNIQUE);\n"
			      "CREATE INDEX ix%d ON t%d (x);\n",
			      i, i ? i - 1 : 0, i, i);
	return rt_str_detach(&s);
}

Test(queries, fixed_number_on_sqlite)
{
	char *one = many_tables(1), *many = many_tables(60);
	int n1 = count_queries("sqlite:///:memory:", one);
	int n2 = count_queries("sqlite:///:memory:", many);

	cr_assert_eq(n1, n2);
	cr_assert_leq(n2, 5);
	free(one);
	free(many);
}

Test(queries, fixed_number_on_postgresql)
{
	const char *url = getenv("RETORT_TEST_PG_URL");
	char name[64], sql[256], *db, *many;
	int n1, n2;

	if (!url || !rt_driver_for(RT_DIALECT_POSTGRESQL))
		cr_skip_test("RETORT_TEST_PG_URL is not set");
	snprintf(name, sizeof(name), "rt_%d_queries", (int)getpid());
	snprintf(sql, sizeof(sql),
		 "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s", name, name);
	pg_admin(url, sql);
	db = with_database(url, name);
	many = many_tables(60);
	n1 = count_queries(db, "SELECT 1");
	n2 = count_queries(db, many);
	cr_expect_eq(n1, n2, "%d queries for no table, %d for 60", n1, n2);
	cr_expect_leq(n2, 10);
	snprintf(sql, sizeof(sql), "DROP DATABASE %s", name);
	pg_admin(url, sql);
	free(db);
	free(many);
}

/* ------------------------------------------------------------------ */
/* PostgreSQL */

Test(postgresql, descriptions_notes_and_enum_values)
{
	result r;

	need_pg();
	diff_models(&r,
		    pg_model("CREATE TYPE mood AS ENUM ('ok');\n"
			     "CREATE SCHEMA s;\n"
			     "CREATE TABLE s.author (id integer PRIMARY KEY, "
			     "name text);\n"
			     "CREATE FUNCTION f(x integer) RETURNS integer "
			     "LANGUAGE sql AS 'SELECT x';\n",
			     "a"),
		    pg_model("CREATE TYPE mood AS ENUM ('sad', 'ok');\n"
			     "CREATE SCHEMA s;\n"
			     "CREATE TABLE s.author (id bigint PRIMARY KEY, "
			     "name varchar(200) NOT NULL, m mood);\n"
			     "COMMENT ON TABLE s.author IS 'who';\n",
			     "b"));
	cr_assert_str_eq(rt_str_cstr(&r.check),
			 "add value 'sad' to enum mood\n"
			 "add column s.author.m mood\n"
			 "change type of s.author.id from integer to bigint\n"
			 "change type of s.author.name from text to character "
			 "varying(200)\n"
			 "set NOT NULL on s.author.name\n"
			 "change comment on table s.author\n"
			 "note: function public.f(x integer) is not supported: "
			 "not compared\n");
	cr_assert(r.nontx, "ADD VALUE needs transaction:false before PG 12");
	cr_assert(at(up(&r), "ALTER TYPE mood ADD VALUE 'sad' BEFORE 'ok';") >=
		      0,
		  "%s", up(&r));
	cr_assert(at(up(&r), "ALTER TABLE s.author ALTER COLUMN name TYPE "
			     "character varying(200);") >= 0,
		  "%s", up(&r));
	cr_assert(at(up(&r), "COMMENT ON TABLE s.author IS 'who';") >= 0);
	/* the way back recreates the enum without 'sad' */
	cr_assert(at(rt_str_cstr(&r.down),
		     "-- WARNING: drops value 'sad' from enum mood") >= 0,
		  "%s", rt_str_cstr(&r.down));
	cr_assert(
	    at(rt_str_cstr(&r.down),
	       "-- WARNING: narrows s.author.id from bigint to integer") >= 0);
	done(&r);
}

Test(postgresql, dump_order)
{
	rt_schema *s;
	rt_str d = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;

	need_pg();
	s = pg_model("CREATE SCHEMA z;\n"
		     "CREATE TYPE z.kind AS ENUM ('a', 'b');\n"
		     "CREATE TABLE parent (id integer PRIMARY KEY);\n"
		     "CREATE TABLE z.child (id serial PRIMARY KEY, "
		     "p integer REFERENCES parent (id), k z.kind);\n"
		     "CREATE VIEW v AS SELECT id FROM z.child;\n"
		     "CREATE TRIGGER t BEFORE INSERT ON parent FOR EACH ROW "
		     "EXECUTE FUNCTION suppress_redundant_updates_trigger();\n",
		     "dump");
	cr_assert_eq(rt_schema_dump(s, &d, &err), 0);
	cr_assert_str_eq(
	    d.ptr,
	    "-- not included (unsupported): trigger t on public.parent\n"
	    "\n"
	    "CREATE SCHEMA z;\n"
	    "CREATE TYPE z.kind AS ENUM ('a', 'b');\n"
	    "CREATE SEQUENCE z.child_id_seq AS integer START WITH 1 "
	    "INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO "
	    "CYCLE;\n"
	    "\n"
	    "CREATE TABLE parent (\n"
	    "    id integer NOT NULL,\n"
	    "    CONSTRAINT parent_pkey PRIMARY KEY (id)\n"
	    ");\n"
	    "\n"
	    "CREATE TABLE z.child (\n"
	    "    id integer DEFAULT nextval('z.child_id_seq'::regclass) NOT "
	    "NULL,\n"
	    "    p integer,\n"
	    "    k z.kind,\n"
	    "    CONSTRAINT child_pkey PRIMARY KEY (id)\n"
	    ");\n"
	    "\n"
	    "ALTER TABLE z.child ADD CONSTRAINT child_p_fkey FOREIGN KEY (p) "
	    "REFERENCES parent(id);\n"
	    "ALTER SEQUENCE z.child_id_seq OWNED BY z.child.id;\n"
	    "\n"
	    "CREATE VIEW v AS\n"
	    " SELECT child.id\n"
	    "   FROM z.child;\n");
	rt_schema_free(s);
	rt_str_dispose(&d);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* Errors */

Test(errors, bad_arguments_and_dialects)
{
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL, *lite = model("CREATE TABLE t (x);");
	rt_schema *pg = calloc(1, sizeof(*pg)), *my = calloc(1, sizeof(*my));
	rt_diff *d = NULL;
	rt_str out = RT_STR_INIT;

	pg->dialect = RT_DIALECT_POSTGRESQL;
	my->dialect = RT_DIALECT_MYSQL;
	cr_assert_eq(rt_schema_introspect(&s, NULL, NULL, NULL, &err),
		     RETORT_EUSAGE);
	cr_assert_str_eq(rt_err_msg(&err),
			 "schema introspection needs an open connection");
	cr_assert_null(s);
	cr_assert_eq(rt_schema_diff(&d, lite, pg, &err), RETORT_EUSAGE);
	cr_assert_str_eq(rt_err_msg(&err),
			 "cannot compare a sqlite schema with a postgresql "
			 "schema");
	cr_assert_null(d);
	cr_assert_eq(rt_schema_diff(&d, lite, NULL, &err), RETORT_EUSAGE);
	cr_assert_eq(rt_schema_diff(&d, my, my, &err), 0);
	/* MySQL renders (nothing, here); a dialect retort does not know
	 * does not */
	cr_assert_eq(rt_diff_render(d, &out, NULL, NULL, &err), 0);
	cr_assert_str_eq(rt_str_cstr(&out), "");
	my->dialect = (rt_dialect)7;
	cr_assert_eq(rt_diff_render(d, &out, NULL, NULL, &err), RETORT_EUSAGE);
	cr_assert_str_eq(rt_err_msg(&err),
			 "cannot write schema changes for unknown");
	cr_assert_eq(rt_diff_render(NULL, &out, NULL, NULL, &err),
		     RETORT_EUSAGE);
	cr_assert_eq(rt_schema_dump(my, &out, &err), RETORT_EUSAGE);
	cr_assert_str_eq(rt_err_msg(&err), "cannot dump a unknown schema");
	cr_assert_eq(rt_schema_dump(NULL, &out, &err), RETORT_EUSAGE);
	rt_diff_free(d);
	rt_schema_free(lite);
	rt_schema_free(pg);
	rt_schema_free(my);
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

Test(errors, catalog_failures_propagate)
{
	const rt_driver *drv;
	rt_conn *c = open_url("sqlite:///:memory:", &drv);
	rt_driver broken = *drv;
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL;

	broken.query = failing_query;
	cr_assert_eq(rt_schema_introspect(&s, &broken, c, NULL, &err),
		     RETORT_ERROR);
	cr_assert_str_eq(rt_err_msg(&err), "catalog is on fire");
	cr_assert_null(s);
	drv->close(c);
	rt_err_dispose(&err);
}

Test(errors, load_reports_the_line)
{
	const rt_driver *drv;
	rt_conn *c = open_url("sqlite:///:memory:", &drv);
	rt_err err = RT_ERR_INIT;
	const char *sql = "CREATE TABLE a (x);\n\nCREATE TABLE b (y;\n";
	rt_schema *s;

	cr_assert_eq(
	    rt_schema_load(drv, c, "schema.sql", sql, strlen(sql), &err),
	    RETORT_ERROR);
	cr_assert(at(rt_err_msg(&err), "schema.sql:3: ") == 0, "%s",
		  rt_err_msg(&err));
	/* rolled back: nothing was created */
	s = introspect(drv, c);
	cr_assert_eq(s->ntables, 0);
	rt_schema_free(s);
	sql = "CREATE TABLE a (x);";
	cr_assert_eq(
	    rt_schema_load(drv, c, "schema.sql", sql, strlen(sql), &err), 0);
	drv->close(c);
	rt_err_dispose(&err);
}

Test(errors, unparseable_catalog_text)
{
	const rt_driver *drv;
	rt_conn *c = open_url("sqlite:///:memory:", &drv);
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL;

	/* an index whose stored text is not CREATE INDEX cannot happen
	 * with SQLite itself; a writable schema can fake it */
	run(drv, c,
	    "CREATE TABLE t (x); CREATE INDEX i ON t (x);"
	    "PRAGMA writable_schema = ON;"
	    "UPDATE sqlite_schema SET sql = 'CREATE INDEX broken' "
	    "WHERE name = 'i';");
	cr_assert_eq(rt_schema_introspect(&s, drv, c, NULL, &err),
		     RETORT_ERROR);
	cr_assert_str_eq(rt_err_msg(&err),
			 "not a CREATE INDEX statement: CREATE INDEX broken");
	drv->close(c);
	rt_err_dispose(&err);
}
