/* SPDX-License-Identifier: MIT */
/*
 * test_schema_emit.c: the exact SQL rt_diff_render writes, both ways, for
 * the main kinds of change on each dialect: tables created and dropped,
 * columns added, dropped and changed, indexes, foreign keys, the SQLite
 * table rebuild, enums, and the "-- WARNING:" line before a destructive
 * or data-dependent step.
 *
 * SQLite models come from DDL (schema_fixture.h), so their text is what
 * sqlite_schema holds. PostgreSQL models are written out in C with the
 * texts the server prints (format_type, pg_get_constraintdef,
 * pg_get_indexdef), so these tests run without a server; one more test
 * checks the same on a real server when RETORT_TEST_PG_URL is set.
 * MySQL models likewise carry what information_schema prints (MariaDB's
 * int(11), its column-level CHECKs).
 * Every expectation is the whole text, so any change to the SQL shows.
 */
#include "schema_fixture.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The whole text; on a mismatch both are shown as they are. */
static void expect_sql(const char *what, const rt_str *got, const char *want)
{
	cr_assert_str_eq(rt_str_cstr(got), want,
			 "%s:\n---- got ----\n%s---- want ----\n%s", what,
			 rt_str_cstr(got), want);
}

/* Diff and render two models written in C (not freed by done()). */
static void diff_static(result *r, rt_schema *a, rt_schema *b)
{
	diff_models(r, a, b);
	r->a = r->b = NULL;
}

/* ------------------------------------------------------------------ */
/* SQLite */

Test(sqlite, create_and_drop_tables)
{
	result r;

	diff_sql(&r, "CREATE TABLE keep (id INTEGER PRIMARY KEY);\n",
		 "CREATE TABLE keep (id INTEGER PRIMARY KEY);\n"
		 "CREATE TABLE author (id INTEGER PRIMARY KEY, "
		 "name TEXT NOT NULL);\n"
		 "CREATE TABLE book (id INTEGER PRIMARY KEY,\n"
		 "  author_id INTEGER REFERENCES author (id),\n"
		 "  title TEXT);\n"
		 "CREATE INDEX ix_book_title ON book (title);\n"
		 "CREATE VIEW titles AS SELECT title FROM book;\n");
	expect_sql("upgrade", &r.up,
		   "CREATE TABLE author (id INTEGER PRIMARY KEY, "
		   "name TEXT NOT NULL);\n"
		   "\n"
		   "CREATE TABLE book (id INTEGER PRIMARY KEY,\n"
		   "  author_id INTEGER REFERENCES author (id),\n"
		   "  title TEXT);\n"
		   "CREATE INDEX ix_book_title ON book (title);\n"
		   "\n"
		   "CREATE VIEW titles AS SELECT title FROM book;\n");
	expect_sql("downgrade", &r.down,
		   "DROP VIEW titles;\n"
		   "\n"
		   "-- WARNING: drops table book and all its rows\n"
		   "DROP TABLE book;\n"
		   "\n"
		   "-- WARNING: drops table author and all its rows\n"
		   "DROP TABLE author;\n");
	cr_assert_eq(r.nontx, 0);
	done(&r);
}

Test(sqlite, add_and_drop_columns)
{
	result r;

	diff_sql(&r, "CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT);\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, "
		 "b TEXT DEFAULT 'x', n INTEGER NOT NULL DEFAULT 0);\n");
	expect_sql("upgrade", &r.up,
		   "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x';\n"
		   "\n"
		   "ALTER TABLE t ADD COLUMN n INTEGER NOT NULL DEFAULT 0;\n"
		   "\n"
		   "-- WARNING: drops column t.old and its data\n"
		   "ALTER TABLE t DROP COLUMN old;\n");
	expect_sql("downgrade", &r.down,
		   "ALTER TABLE t ADD COLUMN old TEXT;\n"
		   "\n"
		   "-- WARNING: drops column t.b and its data\n"
		   "ALTER TABLE t DROP COLUMN b;\n"
		   "\n"
		   "-- WARNING: drops column t.n and its data\n"
		   "ALTER TABLE t DROP COLUMN n;\n");
	done(&r);
}

Test(sqlite, indexes)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
		 "CREATE INDEX ix_a ON t (a);\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
		 "CREATE UNIQUE INDEX ux_b ON t (b) WHERE b IS NOT NULL;\n");
	expect_sql("upgrade", &r.up,
		   "DROP INDEX ix_a;\n"
		   "\n"
		   "-- WARNING: adds unique index ux_b: fails if existing "
		   "rows have duplicates\n"
		   "CREATE UNIQUE INDEX ux_b ON t (b) WHERE b IS NOT NULL;\n");
	expect_sql("downgrade", &r.down,
		   "DROP INDEX ux_b;\n"
		   "\n"
		   "CREATE INDEX ix_a ON t (a);\n");
	done(&r);
}

Test(sqlite, foreign_key_takes_a_rebuild)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, p_id INTEGER, "
		 "gone TEXT);\n"
		 "CREATE INDEX ix_t ON t (p_id);\n",
		 "CREATE TABLE p (id INTEGER PRIMARY KEY);\n"
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, "
		 "p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);\n"
		 "CREATE INDEX ix_t ON t (p_id);\n");
	expect_sql("upgrade", &r.up,
		   "-- WARNING: drops column t.gone and its data\n"
		   "-- WARNING: adds a foreign key to t: fails if existing "
		   "rows reference missing rows\n"
		   "-- WARNING: rebuilds table t (foreign key changes): every "
		   "row is copied into a new table; needs PRAGMA "
		   "foreign_keys=OFF, or the DROP TABLE deletes referencing "
		   "rows or fails\n"
		   "CREATE TABLE _retort_new_t (id INTEGER PRIMARY KEY, "
		   "p_id INTEGER REFERENCES p (id) ON DELETE CASCADE);\n"
		   "INSERT INTO _retort_new_t (id, p_id) SELECT id, p_id "
		   "FROM t;\n"
		   "DROP TABLE t;\n"
		   "ALTER TABLE _retort_new_t RENAME TO t;\n"
		   "CREATE INDEX ix_t ON t (p_id);\n"
		   "PRAGMA foreign_key_check(t);\n");
	expect_sql("downgrade", &r.down,
		   "-- WARNING: rebuilds table t (foreign key changes): every "
		   "row is copied into a new table; needs PRAGMA "
		   "foreign_keys=OFF, or the DROP TABLE deletes referencing "
		   "rows or fails\n"
		   "CREATE TABLE _retort_new_t (id INTEGER PRIMARY KEY, "
		   "p_id INTEGER, gone TEXT);\n"
		   "INSERT INTO _retort_new_t (id, p_id) SELECT id, p_id "
		   "FROM t;\n"
		   "DROP TABLE t;\n"
		   "ALTER TABLE _retort_new_t RENAME TO t;\n"
		   "CREATE INDEX ix_t ON t (p_id);\n"
		   "PRAGMA foreign_key_check(t);\n");
	done(&r);
}

Test(sqlite, column_change_rebuilds_around_views_and_triggers)
{
	result r;

	diff_sql(&r,
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n"
		 "CREATE TABLE log (msg TEXT);\n"
		 "CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
		 "INSERT INTO log VALUES ('t'); END;\n"
		 "CREATE VIEW v AS SELECT a FROM t;\n",
		 "CREATE TABLE t (id INTEGER PRIMARY KEY, "
		 "a VARCHAR(10) NOT NULL);\n"
		 "CREATE TABLE log (msg TEXT);\n"
		 "CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
		 "INSERT INTO log VALUES ('t'); END;\n"
		 "CREATE VIEW v AS SELECT a FROM t;\n");
	expect_sql("upgrade", &r.up,
		   "DROP VIEW v;\n"
		   "\n"
		   "DROP TRIGGER tr;\n"
		   "\n"
		   "-- WARNING: narrows t.a from TEXT to VARCHAR(10): existing "
		   "values may not fit\n"
		   "-- WARNING: sets NOT NULL on t.a: fails if the column "
		   "holds NULLs\n"
		   "-- WARNING: rebuilds table t (column changes): every row "
		   "is copied into a new table; needs PRAGMA "
		   "foreign_keys=OFF, or the DROP TABLE deletes referencing "
		   "rows or fails\n"
		   "CREATE TABLE _retort_new_t (id INTEGER PRIMARY KEY, "
		   "a VARCHAR(10) NOT NULL);\n"
		   "INSERT INTO _retort_new_t (id, a) SELECT id, a FROM t;\n"
		   "DROP TABLE t;\n"
		   "ALTER TABLE _retort_new_t RENAME TO t;\n"
		   "PRAGMA foreign_key_check(t);\n"
		   "\n"
		   "CREATE TRIGGER tr AFTER INSERT ON t BEGIN "
		   "INSERT INTO log VALUES ('t'); END;\n"
		   "\n"
		   "CREATE VIEW v AS SELECT a FROM t;\n");
	done(&r);
}

/* ------------------------------------------------------------------ */
/* PostgreSQL models, as introspection would read them */

static const char *id_col[] = { "id" };
static const char *name_col[] = { "name" };
static const char *author_id_col[] = { "author_id" };

static rt_schema pg_schema(rt_table *tables, size_t ntables)
{
	rt_schema s;

	memset(&s, 0, sizeof(s));
	s.dialect = RT_DIALECT_POSTGRESQL;
	s.tables = tables;
	s.ntables = ntables;
	return s;
}

static rt_column author_cols[] = {
	{ .name = "id", .type = "integer", .not_null = 1, .identity = 'a' },
	{ .name = "name",
	  .type = "text",
	  .not_null = 1,
	  .comment = "pen name" },
};
static rt_key author_pk = { "author_pkey", id_col, 1, "PRIMARY KEY (id)" };
static rt_key author_uniques[] = {
	{ "author_name_key", name_col, 1, "UNIQUE (name)" },
};

static rt_column book_cols[] = {
	{ .name = "id", .type = "bigint", .not_null = 1, .identity = 'd' },
	{ .name = "author_id", .type = "integer", .not_null = 1 },
	{ .name = "title", .type = "character varying(200)", .not_null = 1 },
	{ .name = "price",
	  .type = "numeric(10,2)",
	  .not_null = 1,
	  .default_expr = "0" },
};
static rt_key book_pk = { "book_pkey", id_col, 1, "PRIMARY KEY (id)" };
static rt_check book_checks[] = {
	{ "book_price_check", "((price >= (0)::numeric))", NULL },
};
static rt_fk book_fks[] = {
	{ .name = "book_author_id_fkey",
	  .columns = author_id_col,
	  .ncolumns = 1,
	  .ref_schema = "public",
	  .ref_table = "author",
	  .ref_columns = id_col,
	  .nref_columns = 1,
	  .on_delete = "CASCADE",
	  .on_update = "NO ACTION",
	  .definition = "FOREIGN KEY (author_id) REFERENCES author(id) "
			"ON DELETE CASCADE" },
};
static const char *title_key[] = { "title" };
static rt_index book_indexes[] = {
	{ .name = "book_title_idx",
	  .method = "btree",
	  .keys = title_key,
	  .nkeys = 1,
	  .definition = "CREATE INDEX book_title_idx ON public.book USING "
			"btree (title)" },
};

Test(postgresql_model, create_and_drop_tables)
{
	rt_table tables[] = {
		{ .schema = "public",
		  .name = "author",
		  .columns = author_cols,
		  .ncolumns = N(author_cols),
		  .primary_key = &author_pk,
		  .uniques = author_uniques,
		  .nuniques = N(author_uniques),
		  .comment = "who writes" },
		{ .schema = "public",
		  .name = "book",
		  .columns = book_cols,
		  .ncolumns = N(book_cols),
		  .primary_key = &book_pk,
		  .checks = book_checks,
		  .nchecks = N(book_checks),
		  .fks = book_fks,
		  .nfks = N(book_fks),
		  .indexes = book_indexes,
		  .nindexes = N(book_indexes) },
	};
	rt_schema a = pg_schema(NULL, 0), b = pg_schema(tables, N(tables));
	result r;

	diff_static(&r, &a, &b);
	expect_sql("upgrade", &r.up,
		   "CREATE TABLE author (\n"
		   "    id integer GENERATED ALWAYS AS IDENTITY NOT NULL,\n"
		   "    name text NOT NULL,\n"
		   "    CONSTRAINT author_pkey PRIMARY KEY (id),\n"
		   "    CONSTRAINT author_name_key UNIQUE (name)\n"
		   ");\n"
		   "COMMENT ON TABLE author IS 'who writes';\n"
		   "COMMENT ON COLUMN author.name IS 'pen name';\n"
		   "\n"
		   "CREATE TABLE book (\n"
		   "    id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n"
		   "    author_id integer NOT NULL,\n"
		   "    title character varying(200) NOT NULL,\n"
		   "    price numeric(10,2) DEFAULT 0 NOT NULL,\n"
		   "    CONSTRAINT book_pkey PRIMARY KEY (id),\n"
		   "    CONSTRAINT book_price_check CHECK "
		   "((price >= (0)::numeric))\n"
		   ");\n"
		   "CREATE INDEX book_title_idx ON public.book USING btree "
		   "(title);\n"
		   "\n"
		   "ALTER TABLE book ADD CONSTRAINT book_author_id_fkey "
		   "FOREIGN KEY (author_id) REFERENCES author(id) ON DELETE "
		   "CASCADE;\n");
	expect_sql("downgrade", &r.down,
		   "-- WARNING: drops table book and all its rows\n"
		   "DROP TABLE book;\n"
		   "\n"
		   "-- WARNING: drops table author and all its rows\n"
		   "DROP TABLE author;\n");
	cr_assert_str_eq(rt_str_cstr(&r.check), "add table author\n"
						"add table book\n");
	done(&r);
}

static rt_column t_before[] = {
	{ .name = "id", .type = "integer", .not_null = 1 },
	{ .name = "a", .type = "text" },
	{ .name = "code", .type = "text", .default_expr = "'0'::text" },
	{ .name = "d", .type = "text", .default_expr = "'x'::text" },
	{ .name = "old", .type = "text" },
};
static rt_column t_after[] = {
	{ .name = "id", .type = "integer", .not_null = 1 },
	{ .name = "a", .type = "text", .not_null = 1 },
	{ .name = "code", .type = "integer", .default_expr = "0" },
	{ .name = "d", .type = "text", .default_expr = "'y'::text" },
	{ .name = "added",
	  .type = "boolean",
	  .not_null = 1,
	  .default_expr = "false",
	  .comment = "new" },
};

Test(postgresql_model, columns)
{
	rt_table ta = { .schema = "public",
			.name = "t",
			.columns = t_before,
			.ncolumns = N(t_before) };
	rt_table tb = { .schema = "public",
			.name = "t",
			.columns = t_after,
			.ncolumns = N(t_after) };
	rt_schema a = pg_schema(&ta, 1), b = pg_schema(&tb, 1);
	result r;

	diff_static(&r, &a, &b);
	expect_sql("upgrade", &r.up,
		   "ALTER TABLE t ADD COLUMN added boolean DEFAULT false "
		   "NOT NULL;\n"
		   "COMMENT ON COLUMN t.added IS 'new';\n"
		   "\n"
		   "-- WARNING: sets NOT NULL on t.a: fails if the column "
		   "holds NULLs\n"
		   "ALTER TABLE t ALTER COLUMN a SET NOT NULL;\n"
		   "\n"
		   "-- WARNING: converts t.code from text to integer: values "
		   "that do not convert make it fail\n"
		   "ALTER TABLE t ALTER COLUMN code DROP DEFAULT;\n"
		   "ALTER TABLE t ALTER COLUMN code TYPE integer USING "
		   "code::integer;\n"
		   "\n"
		   "ALTER TABLE t ALTER COLUMN code SET DEFAULT 0;\n"
		   "\n"
		   "ALTER TABLE t ALTER COLUMN d SET DEFAULT 'y'::text;\n"
		   "\n"
		   "-- WARNING: drops column t.old and its data\n"
		   "ALTER TABLE t DROP COLUMN old;\n");
	expect_sql("downgrade", &r.down,
		   "ALTER TABLE t ADD COLUMN old text;\n"
		   "\n"
		   "ALTER TABLE t ALTER COLUMN a DROP NOT NULL;\n"
		   "\n"
		   "ALTER TABLE t ALTER COLUMN code TYPE text;\n"
		   "\n"
		   "ALTER TABLE t ALTER COLUMN code SET DEFAULT '0'::text;\n"
		   "\n"
		   "ALTER TABLE t ALTER COLUMN d SET DEFAULT 'x'::text;\n"
		   "\n"
		   "-- WARNING: drops column t.added and its data\n"
		   "ALTER TABLE t DROP COLUMN added;\n");
	done(&r);
}

static const char *a_key[] = { "a" };
static const char *b_key[] = { "b" };
static rt_index s_before[] = {
	{ .name = "t_a_idx",
	  .method = "btree",
	  .keys = a_key,
	  .nkeys = 1,
	  .definition = "CREATE INDEX t_a_idx ON s.t USING btree (a)" },
};
static rt_index s_after[] = {
	{ .name = "t_b_idx",
	  .unique = 1,
	  .method = "btree",
	  .keys = b_key,
	  .nkeys = 1,
	  .definition = "CREATE UNIQUE INDEX t_b_idx ON s.t USING btree (b)" },
};
static rt_column ab_cols[] = {
	{ .name = "a", .type = "text" },
	{ .name = "b", .type = "text" },
};
static const char *s_schemas[] = { "s" };

Test(postgresql_model, indexes_in_a_schema)
{
	rt_table ta = { .schema = "s",
			.name = "t",
			.columns = ab_cols,
			.ncolumns = N(ab_cols),
			.indexes = s_before,
			.nindexes = N(s_before) };
	rt_table tb = ta;
	rt_schema a = pg_schema(&ta, 1), b = pg_schema(&tb, 1);
	result r;

	tb.indexes = s_after;
	tb.nindexes = N(s_after);
	a.schemas = b.schemas = s_schemas;
	a.nschemas = b.nschemas = 1;
	diff_static(&r, &a, &b);
	expect_sql("upgrade", &r.up,
		   "DROP INDEX s.t_a_idx;\n"
		   "\n"
		   "-- WARNING: adds unique index t_b_idx: fails if existing "
		   "rows have duplicates\n"
		   "CREATE UNIQUE INDEX t_b_idx ON s.t USING btree (b);\n");
	expect_sql("downgrade", &r.down,
		   "DROP INDEX s.t_b_idx;\n"
		   "\n"
		   "CREATE INDEX t_a_idx ON s.t USING btree (a);\n");
	done(&r);
}

static rt_column p_cols[] = {
	{ .name = "id", .type = "integer", .not_null = 1 },
};
static rt_key p_pk = { "p_pkey", id_col, 1, "PRIMARY KEY (id)" };
static rt_column c_cols[] = {
	{ .name = "id", .type = "integer", .not_null = 1 },
	{ .name = "author_id", .type = "integer" },
};
static rt_fk c_before[] = {
	{ .name = "c_author_id_fkey",
	  .columns = author_id_col,
	  .ncolumns = 1,
	  .ref_schema = "public",
	  .ref_table = "p",
	  .ref_columns = id_col,
	  .nref_columns = 1,
	  .on_delete = "NO ACTION",
	  .on_update = "NO ACTION",
	  .definition = "FOREIGN KEY (author_id) REFERENCES p(id)" },
};
/* no definition: written from its parts */
static rt_fk c_after[] = {
	{ .name = "c_p_fk",
	  .columns = author_id_col,
	  .ncolumns = 1,
	  .ref_table = "p",
	  .ref_columns = id_col,
	  .nref_columns = 1,
	  .on_delete = "SET NULL",
	  .on_update = "NO ACTION",
	  .deferrable = 1,
	  .initially_deferred = 1 },
};

Test(postgresql_model, foreign_keys)
{
	rt_table before[] = {
		{ .schema = "public",
		  .name = "c",
		  .columns = c_cols,
		  .ncolumns = N(c_cols),
		  .fks = c_before,
		  .nfks = N(c_before) },
		{ .schema = "public",
		  .name = "p",
		  .columns = p_cols,
		  .ncolumns = N(p_cols),
		  .primary_key = &p_pk },
	};
	rt_table after[N(before)];
	rt_schema a, b;
	result r;

	memcpy(after, before, sizeof(before));
	after[0].fks = c_after;
	after[0].nfks = N(c_after);
	a = pg_schema(before, N(before));
	b = pg_schema(after, N(after));
	diff_static(&r, &a, &b);
	expect_sql("upgrade", &r.up,
		   "ALTER TABLE c DROP CONSTRAINT c_author_id_fkey;\n"
		   "\n"
		   "-- WARNING: adds a foreign key to c: fails if existing "
		   "rows reference missing rows\n"
		   "ALTER TABLE c ADD CONSTRAINT c_p_fk FOREIGN KEY "
		   "(author_id) REFERENCES p (id) ON DELETE SET NULL "
		   "DEFERRABLE INITIALLY DEFERRED;\n");
	expect_sql("downgrade", &r.down,
		   "ALTER TABLE c DROP CONSTRAINT c_p_fk;\n"
		   "\n"
		   "-- WARNING: adds a foreign key to c: fails if existing "
		   "rows reference missing rows\n"
		   "ALTER TABLE c ADD CONSTRAINT c_author_id_fkey FOREIGN KEY "
		   "(author_id) REFERENCES p(id);\n");
	done(&r);
}

static const char *mood_ok[] = { "ok" };
static const char *mood_sad_ok[] = { "sad", "ok" };
static rt_column mood_cols[] = {
	{ .name = "m", .type = "mood", .default_expr = "'ok'::mood" },
};

Test(postgresql_model, enum_values)
{
	rt_enum ea = { "public", "mood", mood_ok, N(mood_ok), NULL };
	rt_enum eb = { "public", "mood", mood_sad_ok, N(mood_sad_ok), NULL };
	rt_table t = { .schema = "public",
		       .name = "t",
		       .columns = mood_cols,
		       .ncolumns = N(mood_cols) };
	rt_schema a = pg_schema(&t, 1), b = pg_schema(&t, 1);
	result r;

	a.enums = &ea;
	b.enums = &eb;
	a.nenums = b.nenums = 1;
	diff_static(&r, &a, &b);
	expect_sql("upgrade", &r.up,
		   "ALTER TYPE mood ADD VALUE 'sad' BEFORE 'ok';\n");
	cr_assert_eq(r.nontx, 1, "ADD VALUE needs transaction:false");
	/* the way back recreates the type and converts its columns */
	expect_sql("downgrade", &r.down,
		   "-- WARNING: drops value 'sad' from enum mood: converting "
		   "the columns fails if rows hold it\n"
		   "ALTER TYPE mood RENAME TO mood__retort_old;\n"
		   "CREATE TYPE mood AS ENUM ('ok');\n"
		   "ALTER TABLE t ALTER COLUMN m DROP DEFAULT;\n"
		   "ALTER TABLE t ALTER COLUMN m TYPE mood USING "
		   "m::text::mood;\n"
		   "ALTER TABLE t ALTER COLUMN m SET DEFAULT 'ok'::mood;\n"
		   "\n"
		   "DROP TYPE mood__retort_old;\n");
	done(&r);
}

/* ------------------------------------------------------------------ */
/* PostgreSQL, on a real server */

Test(postgresql, tables_index_and_foreign_key)
{
	result r;

	need_pg();
	diff_models(
	    &r,
	    pg_model("CREATE TABLE author (id integer PRIMARY KEY, "
		     "old text);\n",
		     "emit_a"),
	    pg_model("CREATE TABLE author (id integer PRIMARY KEY, "
		     "born date);\n"
		     "CREATE TABLE book (id bigint PRIMARY KEY, "
		     "author_id integer NOT NULL REFERENCES author "
		     "ON DELETE CASCADE, title varchar(200));\n"
		     "CREATE INDEX book_title ON book (lower(title));\n",
		     "emit_b"));
	expect_sql("upgrade", &r.up,
		   "CREATE TABLE book (\n"
		   "    id bigint NOT NULL,\n"
		   "    author_id integer NOT NULL,\n"
		   "    title character varying(200),\n"
		   "    CONSTRAINT book_pkey PRIMARY KEY (id)\n"
		   ");\n"
		   "CREATE INDEX book_title ON book USING btree "
		   "(lower((title)::text));\n"
		   "\n"
		   "ALTER TABLE author ADD COLUMN born date;\n"
		   "\n"
		   "-- WARNING: drops column author.old and its data\n"
		   "ALTER TABLE author DROP COLUMN old;\n"
		   "\n"
		   "ALTER TABLE book ADD CONSTRAINT book_author_id_fkey "
		   "FOREIGN KEY (author_id) REFERENCES author(id) ON DELETE "
		   "CASCADE;\n");
	expect_sql("downgrade", &r.down,
		   "-- WARNING: drops table book and all its rows\n"
		   "DROP TABLE book;\n"
		   "\n"
		   "ALTER TABLE author ADD COLUMN old text;\n"
		   "\n"
		   "-- WARNING: drops column author.born and its data\n"
		   "ALTER TABLE author DROP COLUMN born;\n");
	done(&r);
}

/* ------------------------------------------------------------------ */
/* MySQL / MariaDB models, as introspect_mysql.c reads them */

static rt_schema my_schema(rt_table *tables, size_t ntables)
{
	rt_schema s;

	memset(&s, 0, sizeof(s));
	s.dialect = RT_DIALECT_MYSQL;
	s.tables = tables;
	s.ntables = ntables;
	return s;
}

static const char *code_col[] = { "code" };
static const char *ref_id_col[] = { "id" };
static const char *body_key[] = { "`body`(20)" };
static rt_column my_author_cols[] = {
	{ .name = "id", .type = "int(11)", .not_null = 1, .identity = 'i' },
	{ .name = "code",
	  .type = "varchar(20)",
	  .not_null = 1,
	  .collation = "utf8mb4_bin",
	  .comment = "the author's code" },
	{ .name = "kind",
	  .type = "enum('person','group')",
	  .default_expr = "'person'" },
	{ .name = "seen",
	  .type = "timestamp",
	  .not_null = 1,
	  .default_expr = "current_timestamp() ON UPDATE current_timestamp()" },
	{ .name = "code_len",
	  .type = "int(11)",
	  .generated = "octet_length(`code`)",
	  .generated_stored = 1 },
};
static rt_key my_author_pk = { NULL, ref_id_col, 1, NULL };
static rt_key my_author_uniques[] = { { "uq_author_code", code_col, 1, NULL } };
static rt_check my_author_checks[] = {
	{ "code", "(`code` <> '')", "code" },
	{ "ck_kind", "(`kind` is not null)", NULL },
};
static rt_column my_book_cols[] = {
	{ .name = "id", .type = "bigint(20)", .not_null = 1 },
	{ .name = "author_id", .type = "int(11)" },
	{ .name = "body", .type = "text" },
};
static rt_fk my_book_fks[] = {
	{ .name = "fk_book_author",
	  .columns = author_id_col,
	  .ncolumns = 1,
	  .ref_table = "author",
	  .ref_columns = ref_id_col,
	  .nref_columns = 1,
	  .on_delete = "CASCADE",
	  .on_update = "RESTRICT",
	  .index = "fk_book_author" },
};
static rt_index my_book_indexes[] = {
	{ .name = "ix_book_body",
	  .method = "btree",
	  .keys = body_key,
	  .nkeys = 1,
	  .definition = "CREATE INDEX `ix_book_body` ON `book` (`body`(20))" },
};

Test(mysql_model, create_and_drop_tables)
{
	rt_table tables[] = {
		{ .name = "author",
		  .columns = my_author_cols,
		  .ncolumns = N(my_author_cols),
		  .primary_key = &my_author_pk,
		  .uniques = my_author_uniques,
		  .nuniques = N(my_author_uniques),
		  .checks = my_author_checks,
		  .nchecks = N(my_author_checks),
		  .comment = "who writes" },
		{ .name = "book",
		  .columns = my_book_cols,
		  .ncolumns = N(my_book_cols),
		  .fks = my_book_fks,
		  .nfks = N(my_book_fks),
		  .indexes = my_book_indexes,
		  .nindexes = N(my_book_indexes) },
	};
	rt_schema a = my_schema(NULL, 0), b = my_schema(tables, N(tables));
	result r;

	diff_static(&r, &a, &b);
	expect_sql("upgrade", &r.up,
		   "CREATE TABLE author (\n"
		   "    id int(11) NOT NULL AUTO_INCREMENT,\n"
		   "    code varchar(20) COLLATE utf8mb4_bin NOT NULL COMMENT "
		   "'the author''s code',\n"
		   "    kind enum('person','group') NULL DEFAULT 'person',\n"
		   "    seen timestamp NOT NULL DEFAULT current_timestamp() "
		   "ON UPDATE current_timestamp(),\n"
		   "    code_len int(11) GENERATED ALWAYS AS "
		   "(octet_length(`code`)) STORED,\n"
		   "    PRIMARY KEY (id),\n"
		   "    CONSTRAINT uq_author_code UNIQUE (code),\n"
		   "    CONSTRAINT code CHECK (`code` <> ''),\n"
		   "    CONSTRAINT ck_kind CHECK (`kind` is not null)\n"
		   ") COMMENT='who writes';\n"
		   "\n"
		   "CREATE TABLE book (\n"
		   "    id bigint(20) NOT NULL,\n"
		   "    author_id int(11) NULL,\n"
		   "    body text NULL\n"
		   ");\n"
		   "CREATE INDEX `ix_book_body` ON `book` (`body`(20));\n"
		   "\n"
		   "ALTER TABLE book ADD CONSTRAINT fk_book_author FOREIGN KEY "
		   "(author_id) REFERENCES author (id) ON DELETE CASCADE ON "
		   "UPDATE RESTRICT;\n");
	expect_sql("downgrade", &r.down,
		   "-- WARNING: drops table book and all its rows\n"
		   "DROP TABLE book;\n"
		   "\n"
		   "-- WARNING: drops table author and all its rows\n"
		   "DROP TABLE author;\n");
	done(&r);
}

static rt_column my_t_before[] = {
	{ .name = "id", .type = "int(11)", .not_null = 1 },
	{ .name = "name", .type = "varchar(20)" },
	{ .name = "n", .type = "int(11)", .not_null = 1, .default_expr = "0" },
	{ .name = "author_id", .type = "int(11)" },
};
static rt_column my_t_after[] = {
	{ .name = "first", .type = "int(11)" },
	{ .name = "id", .type = "int(11)", .not_null = 1 },
	{ .name = "name",
	  .type = "varchar(100)",
	  .not_null = 1,
	  .default_expr = "''" },
	{ .name = "mid", .type = "date" },
	{ .name = "n", .type = "int(11)", .not_null = 1, .default_expr = "0" },
	{ .name = "author_id", .type = "int(11)" },
	{ .name = "last", .type = "text" },
};
static rt_check my_n_check[] = { { "n", "(`n` >= 0)", "n" } };

/* All of a column's changes are one MODIFY COLUMN; added columns go to
 * their place (ALGORITHM=INSTANT only at the end); a foreign key is
 * dropped with its index; MariaDB's column-level CHECK comes and goes
 * with its column's definition; a view over the table stays. */
Test(mysql_model, columns_keys_and_checks)
{
	rt_table ta = { .name = "t",
			.columns = my_t_before,
			.ncolumns = N(my_t_before),
			.fks = my_book_fks,
			.nfks = N(my_book_fks) };
	rt_table tb = { .name = "t",
			.columns = my_t_after,
			.ncolumns = N(my_t_after),
			.checks = my_n_check,
			.nchecks = N(my_n_check) };
	/* a view over t: MySQL keeps it valid across the column changes,
	 * so it is not dropped and created again */
	rt_view v = { .name = "names",
		      .definition = "select `t`.`name` AS `name` from `t`" };
	rt_schema a = my_schema(&ta, 1), b = my_schema(&tb, 1);
	result r;

	a.views = b.views = &v;
	a.nviews = b.nviews = 1;
	diff_static(&r, &a, &b);
	expect_sql(
	    "upgrade", &r.up,
	    "ALTER TABLE t DROP FOREIGN KEY fk_book_author;\n"
	    "ALTER TABLE t DROP INDEX fk_book_author;\n"
	    "\n"
	    "ALTER TABLE t ADD COLUMN `first` int(11) NULL FIRST;\n"
	    "\n"
	    "ALTER TABLE t ADD COLUMN mid date NULL AFTER name;\n"
	    "\n"
	    "ALTER TABLE t ADD COLUMN `last` text NULL, "
	    "ALGORITHM=INSTANT;\n"
	    "\n"
	    "-- WARNING: sets NOT NULL on t.name: fails if the column "
	    "holds NULLs\n"
	    "ALTER TABLE t MODIFY COLUMN name varchar(100) NOT NULL "
	    "DEFAULT '';\n"
	    "\n"
	    "-- WARNING: adds a check constraint to t: fails if existing "
	    "rows violate it\n"
	    "ALTER TABLE t MODIFY COLUMN n int(11) NOT NULL DEFAULT 0 "
	    "CHECK (`n` >= 0);\n");
	expect_sql(
	    "downgrade", &r.down,
	    "ALTER TABLE t MODIFY COLUMN n int(11) NOT NULL DEFAULT 0;\n"
	    "\n"
	    "-- WARNING: narrows t.name from varchar(100) to "
	    "varchar(20): existing values may not fit\n"
	    "ALTER TABLE t MODIFY COLUMN name varchar(20) NULL;\n"
	    "\n"
	    "-- WARNING: drops column t.first and its data\n"
	    "ALTER TABLE t DROP COLUMN `first`;\n"
	    "\n"
	    "-- WARNING: drops column t.mid and its data\n"
	    "ALTER TABLE t DROP COLUMN mid;\n"
	    "\n"
	    "-- WARNING: drops column t.last and its data\n"
	    "ALTER TABLE t DROP COLUMN `last`;\n"
	    "\n"
	    "-- WARNING: adds a foreign key to t: fails if existing rows "
	    "reference missing rows\n"
	    "ALTER TABLE t ADD CONSTRAINT fk_book_author FOREIGN KEY "
	    "(author_id) REFERENCES author (id) ON DELETE CASCADE ON "
	    "UPDATE RESTRICT;\n");
	done(&r);
}
