/* SPDX-License-Identifier: MIT */
/*
 * test_schema_roundtrip.c: the corpus in tests/data/schema/<case>/ run
 * through introspect, diff, render and back, on SQLite and (when
 * RETORT_TEST_PG_URL is set) on PostgreSQL, each case in databases of its
 * own (SQLite: in memory; PostgreSQL: two fresh databases created and
 * dropped through the URL's server).
 *
 * For every case: load a.sql (+ rows.sql) into database A and b.sql into
 * database B, introspect both, diff A -> B and render. The upgrade run on
 * A must give a model equal to B, the downgrade run after it a model
 * equal to A, and the rows of every column present on both sides must
 * survive both trips (on SQLite with the sqlite_sequence values of
 * AUTOINCREMENT tables). Each direction runs the way retort runs it: in
 * one transaction, unless rt_diff_render says it needs
 * `transaction:false` (then statement by statement). The dump of B,
 * loaded into a third database, must introspect equal to B and dump to
 * the same text. A file `dialects` in
 * a case folder limits it to the dialects it names ("sqlite",
 * "postgresql", "mysql"). MySQL runs when RETORT_TEST_MYSQL_URL is set,
 * like PostgreSQL.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "project/url.h"
#include "retort.h"
#include "run/driver.h"
#include "schema/schema.h"

#define CASE_DIR RETORT_TEST_DATA "/schema"

typedef struct tcase {
	char name[64];
} tcase;

/* Every folder of CASE_DIR, checked by corpus.complete. */
/* clang-format off */
#define CASES(X) \
	X(add_check_named) \
	X(add_column_not_null_default) \
	X(add_column_not_null_no_default) \
	X(add_column_nullable) \
	X(add_drop_index) \
	X(add_fk) \
	X(add_primary_key) \
	X(add_table) \
	X(add_tables_fk_chain) \
	X(add_unique_named) \
	X(change_check) \
	X(change_default) \
	X(change_fk_actions) \
	X(change_index) \
	X(change_primary_key_composite) \
	X(change_type_integer_to_bigint) \
	X(change_type_narrow) \
	X(change_type_widen) \
	X(composite_fk) \
	X(drop_column_indexed) \
	X(drop_column_plain) \
	X(drop_not_null) \
	X(drop_table) \
	X(drop_tables_with_fks) \
	X(drop_unique) \
	X(expression_index) \
	X(fk_deferrable) \
	X(multi_table_changes) \
	X(quoted_identifiers) \
	X(rebuild_with_fks) \
	X(self_referencing_fk) \
	X(set_not_null) \
	X(unique_partial_index) \
	X(view_over_changed_table) \
	X(views) \
	X(sqlite_add_unique_column) \
	X(sqlite_autoincrement) \
	X(sqlite_collate) \
	X(sqlite_default_expr_column) \
	X(sqlite_drop_fk_column) \
	X(sqlite_fk_cycle) \
	X(sqlite_generated_stored) \
	X(sqlite_generated_virtual) \
	X(sqlite_rebuild_cross_triggers) \
	X(sqlite_rebuild_referenced_by_view_and_trigger) \
	X(sqlite_strict) \
	X(sqlite_triggers) \
	X(sqlite_without_rowid) \
	X(pg_collation) \
	X(pg_comments) \
	X(pg_enum_add) \
	X(pg_enum_add_value) \
	X(pg_enum_drop_value) \
	X(pg_enum_quoted_names) \
	X(pg_extension_gin) \
	X(pg_fk_cycle) \
	X(pg_generated_stored) \
	X(pg_index_methods) \
	X(pg_key_change_with_referencing_fk) \
	X(pg_materialized_view) \
	X(pg_schemas) \
	X(pg_sequences) \
	X(pg_serial_identity) \
	X(pg_type_change_using) \
	X(pg_unsupported_objects) \
	X(sqlite_autoincrement_rebuild) \
	X(sqlite_fk_cycle_rebuild) \
	X(pg_enum_drop_value_dependents) \
	X(pg_enum_readd_value_used) \
	X(pg_generated_base_type_change) \
	X(pg_generated_add_with_base_type_change) \
	X(pg_generated_drop_with_base) \
	X(pg_generated_expression_indexed) \
	X(pg_identity_options) \
	X(pg_view_comments_and_indexes) \
	X(pg_view_recreated_keeps_comments) \
	X(mysql_auto_increment) \
	X(mysql_checks) \
	X(mysql_defaults_comments_collation) \
	X(mysql_enum_set) \
	X(mysql_fk_index) \
	X(mysql_fk_index_takeover) \
	X(mysql_generated) \
	X(mysql_generated_change) \
	X(mysql_key_type_change) \
	X(mysql_quoted_names) \
	X(mysql_index_kinds) \
	X(mysql_modify_column)
/* clang-format on */

#define AS_PARAM(n) { #n },
static tcase all_cases[] = { CASES(AS_PARAM) };
#define NCASES (sizeof(all_cases) / sizeof(*all_cases))

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *case_file(const char *name, const char *file)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s/%s", CASE_DIR, name, file);
	return slurp(path);
}

/* ------------------------------------------------------------------ */
/* Databases */

typedef struct db {
	const rt_driver *drv;
	rt_conn *conn;
	char dbname[96]; /* PostgreSQL: created here, dropped at close */
} db;

static rt_conn *open_url(const rt_driver *drv, rt_url *url)
{
	rt_open_opts o;
	rt_err err = RT_ERR_INIT;
	rt_conn *c = NULL;
	int missing = 0;

	memset(&o, 0, sizeof(o));
	o.lock_timeout_ms = 5000;
	o.display = "test";
	cr_assert_eq(drv->open(&c, url, &o, &missing, &err), 0, "open: %s",
		     rt_err_msg(&err));
	rt_err_dispose(&err);
	return c;
}

static void exec_sql(db *d, const char *sql, const char *what)
{
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	int rc = d->drv->exec(d->conn, sql, strlen(sql), &f, &err);

	cr_assert_eq(rc, 0, "%s failed at offset %ld: %s\n--- SQL ---\n%s",
		     what, f.offset, rt_err_msg(&err), sql);
	rt_err_dispose(&err);
}

/* A section the way retort runs it: in a transaction unless it is
 * marked transaction:false. */
static void exec_section(db *d, const char *sql, int transactional,
			 const char *what)
{
	rt_err err = RT_ERR_INIT;

	if (transactional)
		cr_assert_eq(d->drv->begin(d->conn, &err), 0, "%s",
			     rt_err_msg(&err));
	exec_sql(d, sql, what);
	if (transactional)
		cr_assert_eq(d->drv->commit(d->conn, &err), 0, "%s: %s", what,
			     rt_err_msg(&err));
	rt_err_dispose(&err);
}

static const char *server_url(rt_dialect dialect)
{
	return getenv(dialect == RT_DIALECT_MYSQL ? "RETORT_TEST_MYSQL_URL"
						  : "RETORT_TEST_PG_URL");
}

static void admin(rt_dialect dialect, const char *sql)
{
	rt_url url;
	rt_err err = RT_ERR_INIT;
	db a;

	cr_assert_eq(rt_url_parse(&url, server_url(dialect), &err), 0);
	memset(&a, 0, sizeof(a));
	a.drv = rt_driver_for(dialect);
	a.conn = open_url(a.drv, &url);
	exec_sql(&a, sql, "admin");
	a.drv->close(a.conn);
	rt_url_dispose(&url);
	rt_err_dispose(&err);
}

static void db_open(db *d, rt_dialect dialect, const char *name,
		    const char *side)
{
	rt_err err = RT_ERR_INIT;
	rt_url url;

	memset(d, 0, sizeof(*d));
	d->drv = rt_driver_for(dialect);
	cr_assert_not_null(d->drv);
	if (dialect == RT_DIALECT_SQLITE) {
		cr_assert_eq(rt_url_parse(&url, "sqlite:///:memory:", &err), 0);
	} else {
		char sql[256];

		snprintf(d->dbname, sizeof(d->dbname), "rt_%d_%s_%s",
			 (int)getpid(), name, side);
		snprintf(sql, sizeof(sql),
			 "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s",
			 d->dbname, d->dbname);
		admin(dialect, sql);
		cr_assert_eq(rt_url_parse(&url, server_url(dialect), &err), 0);
		free(url.database);
		url.database = strdup(d->dbname);
	}
	d->conn = open_url(d->drv, &url);
	rt_url_dispose(&url);
	rt_err_dispose(&err);
}

static void db_close(db *d)
{
	if (d->conn)
		d->drv->close(d->conn);
	d->conn = NULL;
	if (d->dbname[0]) {
		char sql[256];

		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s",
			 d->dbname);
		admin(d->drv->dialect, sql);
	}
}

static rt_schema *introspect(db *d)
{
	rt_introspect_opts o = { "retort_version", "retort_log", NULL, NULL,
				 NULL };
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL;

	cr_assert_eq(rt_schema_introspect(&s, d->drv, d->conn, &o, &err), 0,
		     "introspect: %s", rt_err_msg(&err));
	rt_err_dispose(&err);
	return s;
}

/* ------------------------------------------------------------------ */
/* Rows */

/* 1 when u has column c and its values are data on both sides (not
 * recomputed from another generation expression). */
static int has_column(const rt_table *u, const rt_column *c)
{
	size_t i;

	for (i = 0; i < u->ncolumns; i++)
		if (!strcmp(u->columns[i].name, c->name))
			return (!c->generated && !u->columns[i].generated) ||
			       (c->generated && u->columns[i].generated &&
				!strcmp(c->generated, u->columns[i].generated));
	return 0;
}

static const rt_table *find_table(const rt_schema *s, const rt_table *t)
{
	size_t i;

	for (i = 0; i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, t->name) &&
		    ((!s->tables[i].schema && !t->schema) ||
		     (s->tables[i].schema && t->schema &&
		      !strcmp(s->tables[i].schema, t->schema))))
			return &s->tables[i];
	return NULL;
}

static void quote(rt_str *q, const db *d, const char *name)
{
	const char qc = d->drv->dialect == RT_DIALECT_MYSQL ? '`' : '"';
	const char *p;

	rt_str_putc(q, qc);
	for (p = name; *p; p++) {
		if (*p == qc)
			rt_str_putc(q, qc);
		rt_str_putc(q, *p);
	}
	rt_str_putc(q, qc);
}

static int autoincrement(const rt_table *t)
{
	size_t i;

	for (i = 0; t && i < t->ncolumns; i++)
		if (t->columns[i].identity == 'i')
			return 1;
	return 0;
}

/* SQLite: the sqlite_sequence value of every table that is AUTOINCREMENT
 * on both sides (ids must never be reused). */
static void sequence_snapshot(db *d, const rt_schema *a, const rt_schema *b,
			      rt_str *out)
{
	size_t i;

	for (i = 0; i < a->ntables; i++) {
		const rt_table *t = &a->tables[i];
		rt_str q = RT_STR_INIT;
		rt_err err = RT_ERR_INIT;
		rt_rows rows;

		if (!autoincrement(t) || !autoincrement(find_table(b, t)))
			continue;
		rt_str_puts(&q,
			    "SELECT seq FROM sqlite_sequence WHERE name = '");
		rt_str_puts(&q, t->name);
		rt_str_putc(&q, '\'');
		cr_assert_eq(d->drv->query(d->conn, q.ptr, &rows, &err), 0,
			     "%s: %s", q.ptr, rt_err_msg(&err));
		rt_str_printf(out, "sqlite_sequence %s: %s\n", t->name,
			      rows.nrows ? rt_rows_at(&rows, 0, 0) : "none");
		rt_rows_free(&rows);
		rt_str_dispose(&q);
		rt_err_dispose(&err);
	}
}

/* The rows of the columns that a and b share, for every table in both,
 * as text. */
static char *snapshot(db *d, const rt_schema *a, const rt_schema *b)
{
	rt_str out = RT_STR_INIT;
	size_t i, k, r;

	for (i = 0; i < a->ntables; i++) {
		const rt_table *t = &a->tables[i], *u = find_table(b, t);
		rt_str q = RT_STR_INIT;
		rt_err err = RT_ERR_INIT;
		rt_rows rows;
		int n = 0;

		if (!u)
			continue;
		rt_str_puts(&q, "SELECT ");
		for (k = 0; k < t->ncolumns; k++) {
			if (!has_column(u, &t->columns[k]))
				continue;
			if (n++)
				rt_str_puts(&q, ", ");
			quote(&q, d, t->columns[k].name);
		}
		if (!n) {
			rt_str_dispose(&q);
			continue;
		}
		rt_str_puts(&q, " FROM ");
		if (t->schema && *t->schema) { /* "": the default schema */
			quote(&q, d, t->schema);
			rt_str_putc(&q, '.');
		}
		quote(&q, d, t->name);
		rt_str_puts(&q, " ORDER BY ");
		for (k = 1; k <= (size_t)n; k++)
			rt_str_printf(&q, "%s%zu", k > 1 ? ", " : "", k);
		cr_assert_eq(d->drv->query(d->conn, q.ptr, &rows, &err), 0,
			     "%s: %s", q.ptr, rt_err_msg(&err));
		rt_str_printf(&out, "%s:\n", t->name);
		for (r = 0; r < rows.nrows; r++) {
			for (k = 0; k < rows.ncols; k++) {
				const char *v = rt_rows_at(&rows, r, k);

				rt_str_printf(&out, "%s%s", k ? "|" : "",
					      v ? v : "\\N");
			}
			rt_str_putc(&out, '\n');
		}
		rt_rows_free(&rows);
		rt_str_dispose(&q);
		rt_err_dispose(&err);
	}
	sequence_snapshot(d, a, b, &out);
	return rt_str_detach(&out);
}

/* ------------------------------------------------------------------ */

static void expect_equal(const rt_schema *got, const rt_schema *want,
			 const char *what, const char *sql)
{
	rt_err err = RT_ERR_INIT;
	rt_diff *d = NULL;
	rt_str desc = RT_STR_INIT;

	cr_assert_eq(rt_schema_diff(&d, got, want, &err), 0, "%s",
		     rt_err_msg(&err));
	rt_diff_describe(d, &desc, &err);
	cr_expect_eq(rt_diff_count(d), 0,
		     "%s: the database still differs:\n%s--- SQL ---\n%s", what,
		     rt_str_cstr(&desc), sql);
	rt_str_dispose(&desc);
	rt_diff_free(d);
	rt_err_dispose(&err);
}

/* dump(s) loaded into a fresh database is s again, and dumps the same. */
static void check_dump(const rt_schema *s, rt_dialect dialect, const char *name)
{
	rt_str dump = RT_STR_INIT, again = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;
	rt_schema *back;
	db d;

	cr_assert_eq(rt_schema_dump(s, &dump, &err), 0, "%s", rt_err_msg(&err));
	db_open(&d, dialect, name, "dump");
	cr_assert_eq(rt_schema_load(d.drv, d.conn, name, rt_str_cstr(&dump),
				    dump.len, &err),
		     0, "%s: the dump does not load: %s\n%s", name,
		     rt_err_msg(&err), rt_str_cstr(&dump));
	back = introspect(&d);
	expect_equal(back, s, "dump loaded back", rt_str_cstr(&dump));
	cr_assert_eq(rt_schema_dump(back, &again, &err), 0);
	/* unsupported objects are not dumped, so only their notes differ */
	if (!s->nunsupported)
		cr_expect_str_eq(rt_str_cstr(&again), rt_str_cstr(&dump),
				 "%s: the dump is not stable", name);
	else
		cr_expect_eq(back->nunsupported, 0);
	rt_schema_free(back);
	rt_str_dispose(&dump);
	rt_str_dispose(&again);
	rt_err_dispose(&err);
	db_close(&d);
}

static int case_runs_on(const char *name, rt_dialect dialect)
{
	char *only = case_file(name, "dialects");
	int yes = 1;

	if (only) {
		yes = strstr(only, rt_dialect_name(dialect)) != NULL;
		free(only);
	}
	return yes;
}

static void run_case(const char *name, rt_dialect dialect)
{
	char *a_sql = case_file(name, "a.sql");
	char *b_sql = case_file(name, "b.sql");
	char *rows_sql = case_file(name, "rows.sql");
	char *before, *after;
	rt_schema *a, *b, *a2, *a3;
	rt_diff *diff = NULL;
	rt_str up = RT_STR_INIT, down = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;
	int nontx = 0;
	db da, dbb;

	cr_assert_not_null(a_sql, "%s: no a.sql", name);
	cr_assert_not_null(b_sql, "%s: no b.sql", name);
	db_open(&da, dialect, name, "a");
	db_open(&dbb, dialect, name, "b");
	exec_sql(&da, a_sql, "a.sql");
	if (rows_sql)
		exec_sql(&da, rows_sql, "rows.sql");
	exec_sql(&dbb, b_sql, "b.sql");
	a = introspect(&da);
	b = introspect(&dbb);
	cr_assert_eq(rt_schema_diff(&diff, a, b, &err), 0, "%s",
		     rt_err_msg(&err));
	cr_assert_gt(rt_diff_count(diff), 0, "%s: A and B do not differ", name);
	cr_assert_eq(rt_diff_render(diff, &up, &down, &nontx, &err), 0, "%s",
		     rt_err_msg(&err));
	before = snapshot(&da, a, b);

	exec_section(&da, rt_str_cstr(&up), !(nontx & RT_NONTX_UPGRADE),
		     "upgrade");
	a2 = introspect(&da);
	expect_equal(a2, b, "after upgrade", rt_str_cstr(&up));
	after = snapshot(&da, a, b);
	cr_expect_str_eq(after, before, "%s: rows changed by the upgrade\n%s",
			 name, rt_str_cstr(&up));
	free(after);

	exec_section(&da, rt_str_cstr(&down), !(nontx & RT_NONTX_DOWNGRADE),
		     "downgrade");
	a3 = introspect(&da);
	expect_equal(a3, a, "after downgrade", rt_str_cstr(&down));
	after = snapshot(&da, a, b);
	cr_expect_str_eq(after, before, "%s: rows changed by the downgrade\n%s",
			 name, rt_str_cstr(&down));
	free(after);

	check_dump(b, dialect, name);
	free(before);
	rt_schema_free(a);
	rt_schema_free(b);
	rt_schema_free(a2);
	rt_schema_free(a3);
	rt_diff_free(diff);
	rt_str_dispose(&up);
	rt_str_dispose(&down);
	rt_err_dispose(&err);
	db_close(&da);
	db_close(&dbb);
	free(a_sql);
	free(b_sql);
	free(rows_sql);
}

ParameterizedTestParameters(roundtrip, sqlite)
{
	return cr_make_param_array(tcase, all_cases, NCASES);
}

ParameterizedTest(tcase *tc, roundtrip, sqlite)
{
	if (!case_runs_on(tc->name, RT_DIALECT_SQLITE))
		cr_skip_test("%s: PostgreSQL only", tc->name);
	run_case(tc->name, RT_DIALECT_SQLITE);
}

ParameterizedTestParameters(roundtrip, postgresql)
{
	return cr_make_param_array(tcase, all_cases, NCASES);
}

ParameterizedTest(tcase *tc, roundtrip, postgresql)
{
	if (!getenv("RETORT_TEST_PG_URL"))
		cr_skip_test("RETORT_TEST_PG_URL is not set");
	if (!rt_driver_for(RT_DIALECT_POSTGRESQL))
		cr_skip_test("built without PostgreSQL");
	if (!case_runs_on(tc->name, RT_DIALECT_POSTGRESQL))
		cr_skip_test("%s: SQLite only", tc->name);
	run_case(tc->name, RT_DIALECT_POSTGRESQL);
}

ParameterizedTestParameters(roundtrip, mysql)
{
	return cr_make_param_array(tcase, all_cases, NCASES);
}

ParameterizedTest(tcase *tc, roundtrip, mysql)
{
	if (!getenv("RETORT_TEST_MYSQL_URL"))
		cr_skip_test("RETORT_TEST_MYSQL_URL is not set");
	if (!rt_driver_for(RT_DIALECT_MYSQL))
		cr_skip_test("built without MySQL");
	if (!case_runs_on(tc->name, RT_DIALECT_MYSQL))
		cr_skip_test("%s: not for MySQL", tc->name);
	run_case(tc->name, RT_DIALECT_MYSQL);
}

/* Every corpus folder is in CASES and the other way round. */
Test(corpus, complete)
{
	DIR *dir = opendir(CASE_DIR);
	struct dirent *e;
	size_t seen = 0, i;

	cr_assert_not_null(dir);
	while ((e = readdir(dir))) {
		int found = 0;

		if (e->d_name[0] == '.')
			continue;
		for (i = 0; i < NCASES; i++)
			found |= !strcmp(all_cases[i].name, e->d_name);
		cr_expect(found, "case folder %s is not in CASES", e->d_name);
		seen++;
	}
	closedir(dir);
	cr_expect_eq(seen, NCASES, "CASES names %zu folders, found %zu",
		     (size_t)NCASES, seen);
	cr_expect_geq(NCASES, 30);
}
