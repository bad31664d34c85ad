/* SPDX-License-Identifier: MIT */
/*
 * test_borrow.c: retort_use_sqlite() and retort_use_pgconn(), the
 * application's own connection instead of a URL. Through the public API
 * only, the way an embedding application calls it:
 *  - an in-memory SQLite database: upgrade, current, downgrade, and the
 *    application's handle sees the tables; the handle stays open and
 *    usable after retort_close(), its busy timeout and query_only as the
 *    application set them;
 *  - a PGconn on the test server (RETORT_TEST_PG_URL; skipped without
 *    it): the migration lock is held by that session while a revision
 *    runs and released after, pg_settings apply during the run and the
 *    session's own values are back after it;
 *  - bad input: a NULL handle, a handle of the other dialect than the
 *    project's url, a handle inside a transaction, a PGconn whose
 *    connection failed (CONNECTION_BAD): each a clear error, and nothing
 *    written.
 * The databases are read back with sqlite3 / libpq directly.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "retort.h"

#ifdef RETORT_WITH_POSTGRES
#include <libpq-fe.h>
#endif

#define REV(id, down, up, dn)                                              \
	"-- " id "\n--\n-- Revision ID: " id "\n-- Revises: " down         \
	"\n-- Create Date: 2024-01-02 03:04:05\n\n-- migrate:upgrade\n" up \
	"\n\n-- migrate:downgrade\n" dn "\n"

static const char rev_a[] =
    REV("a", "", "CREATE TABLE t1 (x INTEGER);", "DROP TABLE t1;");
static const char rev_b[] =
    REV("b", "a", "CREATE TABLE t2 (y INTEGER);", "DROP TABLE t2;");

/* A project of two revisions held in memory; config_text may be NULL. */
static retort *project(const char *config_text)
{
	retort_source src[2] = { { "a.sql", rev_a, sizeof(rev_a) - 1 },
				 { "b.sql", rev_b, sizeof(rev_b) - 1 } };
	retort_open_options o = RETORT_OPEN_OPTIONS_INIT;
	retort *r = NULL;

	o.sources = src;
	o.source_count = 2;
	o.config_text = config_text;
	cr_assert_eq(retort_open(&r, &o), 0, "%s", retort_errmsg(r));
	return r;
}

/* ------------------------------------------------------------------ */
/* SQLite */

static long sq_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK,
		     "%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static long sq_tables(sqlite3 *db)
{
	return sq_count(db, "SELECT count(*) FROM sqlite_schema WHERE type = "
			    "'table' AND name NOT LIKE 'sqlite_%'");
}

static int has_table(sqlite3 *db, const char *name)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM sqlite_schema WHERE name = '%s'", name);
	return sq_count(db, sql) == 1;
}

static char *sq_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	char *v = NULL;

	cr_assert_eq(sqlite3_prepare_v2(db,
					"SELECT group_concat(version_num) FROM "
					"retort_version",
					-1, &st, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v ? v : strdup("");
}

static sqlite3 *memory_db(void)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static void current_is(retort *r, const char *want)
{
	retort_revlist *cur = NULL;

	cr_assert_eq(retort_current(&cur, r, 0), 0, "%s", retort_errmsg(r));
	if (!want) {
		cr_assert_eq(retort_revlist_count(cur), 0);
	} else {
		cr_assert_eq(retort_revlist_count(cur), 1);
		cr_assert_str_eq(retort_revision_id(retort_revlist_at(cur, 0)),
				 want);
	}
	retort_revlist_free(cur);
}

/* DIR/name in a new temporary folder DIR, into path. */
static void temp_path(char *path, size_t size, const char *name)
{
	char dir[] = "/tmp/retort-borrow-XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, size, "%s/%s", dir, name);
}

/* A declared schema file holding sql, in a new temporary folder. */
static void schema_file(char *path, size_t size, const char *sql)
{
	FILE *f;

	temp_path(path, size, "schema.sql");
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(sql, f);
	fclose(f);
}

/* Remove the file of temp_path() and its folder. */
static void temp_remove(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

Test(borrow_sqlite, memory_upgrade_current_downgrade)
{
	sqlite3 *db = memory_db();
	retort *r = project(NULL);
	char *v;

	cr_assert_eq(retort_use_sqlite(r, db), 0, "%s", retort_errmsg(r));
	current_is(r, NULL);
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	/* the application's own handle sees what retort did */
	cr_assert(has_table(db, "t1") && has_table(db, "t2"));
	v = sq_version(db);
	cr_assert_str_eq(v, "b");
	free(v);
	cr_assert_eq(sq_count(db, "SELECT count(*) FROM retort_log WHERE "
				  "status = 'ok'"),
		     2);
	current_is(r, "b");
	cr_assert_eq(retort_downgrade(r, "-1", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert(has_table(db, "t1") && !has_table(db, "t2"));
	current_is(r, "a");
	cr_assert_eq(retort_downgrade(r, "base", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert(!has_table(db, "t1"));
	current_is(r, NULL);
	retort_close(r);
	cr_assert_eq(sqlite3_close(db), SQLITE_OK);
}

Test(borrow_sqlite, handle_stays_open_and_as_it_was)
{
	sqlite3 *db = memory_db();
	retort *r = project(NULL);
	const char *shown;

	sqlite3_busy_timeout(db, 1234);
	cr_assert_eq(retort_use_sqlite(r, db), 0, "%s", retort_errmsg(r));
	cr_assert_eq(retort_url_display(&shown, r), 0);
	cr_assert_str_eq(shown, "the application's sqlite3 connection");
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	current_is(r, "b"); /* a reading operation: query_only meanwhile */
	retort_close(r);
	/* still open, writable, not in a transaction, settings as set */
	cr_assert_neq(sqlite3_get_autocommit(db), 0);
	cr_assert_eq(sq_count(db, "PRAGMA busy_timeout"), 1234);
	cr_assert_eq(sq_count(db, "PRAGMA query_only"), 0);
	cr_assert_eq(
	    sqlite3_exec(db, "INSERT INTO t1 VALUES (7)", NULL, NULL, NULL),
	    SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sq_count(db, "SELECT x FROM t1"), 7);
	cr_assert_eq(sqlite3_close(db), SQLITE_OK);
}

Test(borrow_sqlite, a_file_another_process_sees)
{
	char path[64];
	sqlite3 *db, *other;
	retort *r = project(NULL);
	char *v;

	temp_path(path, sizeof(path), "app.db");
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(retort_use_sqlite(r, db), 0, "%s", retort_errmsg(r));
	cr_assert_eq(retort_upgrade(r, "a", NULL), 0, "%s", retort_errmsg(r));
	retort_close(r);
	cr_assert_eq(sqlite3_open(path, &other), SQLITE_OK);
	v = sq_version(other);
	cr_assert_str_eq(v, "a");
	free(v);
	sqlite3_close(other);
	sqlite3_close(db);
	temp_remove(path);
}

Test(borrow_sqlite, check_compares_the_applications_database)
{
	char path[64], cfg[128];
	sqlite3 *db = memory_db();
	retort_report *rep = NULL;
	retort *r;

	schema_file(
	    path, sizeof(path),
	    "CREATE TABLE t1 (x INTEGER);\nCREATE TABLE t2 (y INTEGER);\n");
	snprintf(cfg, sizeof(cfg), "[retort]\nschema = %s\n", path);
	r = project(cfg);
	cr_assert_eq(retort_use_sqlite(r, db), 0);
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert_eq(retort_check(&rep, r), 0, "%s", retort_errmsg(r));
	retort_report_free(rep);
	/* a table the application made on its own connection is seen */
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t3 (z INTEGER)", 0, 0, 0),
		     SQLITE_OK);
	cr_assert_eq(retort_check(&rep, r), RETORT_EPROBLEMS);
	cr_assert_eq(retort_report_count(rep), 1);
	cr_assert(strstr(retort_report_at(rep, 0)->message, "t3"), "%s",
		  retort_report_at(rep, 0)->message);
	retort_report_free(rep);
	retort_close(r);
	sqlite3_close(db);
	temp_remove(path);
}

Test(borrow_sqlite, null_handle)
{
	retort *r = project(NULL);
	retort_revlist *cur = NULL;

	cr_assert_eq(retort_use_sqlite(r, NULL), RETORT_EUSAGE);
	cr_assert_str_eq(retort_errmsg(r), "retort_use_sqlite: the connection "
					   "is NULL; pass an open one");
	cr_assert_eq(retort_use_pgconn(r, NULL), RETORT_EUSAGE);
	cr_assert_str_eq(retort_errmsg(r), "retort_use_pgconn: the connection "
					   "is NULL; pass an open one");
	/* nothing recorded: still no database at all */
	cr_assert_eq(retort_current(&cur, r, 0), RETORT_ECONFIG);
	cr_assert(strstr(retort_errmsg(r), "no database url configured"), "%s",
		  retort_errmsg(r));
	retort_close(r);
}

Test(borrow_sqlite, wrong_dialect_for_the_project)
{
	sqlite3 *db = memory_db();
	retort *r = project("[retort]\nurl = "
			    "postgresql://app:secret@127.0.0.1:1/appdb\n");
	const char *shown;

	cr_assert_eq(retort_use_sqlite(r, db), RETORT_EUSAGE);
	cr_assert_str_eq(retort_errmsg(r),
			 "retort_use_sqlite: the project's url "
			 "postgresql://app:***@127.0.0.1:1/appdb is a "
			 "postgresql database, not sqlite; pass a handle of "
			 "its kind, or change url in <memory>");
	/* nothing recorded: the url is still the configured one */
	cr_assert_eq(retort_url_display(&shown, r), 0);
	cr_assert_str_eq(shown, "postgresql://app:***@127.0.0.1:1/appdb");
	cr_assert_eq(sq_tables(db), 0);
	retort_close(r);
	sqlite3_close(db);
}

Test(borrow_sqlite, the_same_dialect_as_the_url_is_accepted)
{
	sqlite3 *db = memory_db();
	retort *r = project("[retort]\nurl = sqlite:////nonexistent/x.db\n");

	cr_assert_eq(retort_use_sqlite(r, db), 0, "%s", retort_errmsg(r));
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert(has_table(db, "t2"));
	retort_close(r);
	sqlite3_close(db);
}

Test(borrow_sqlite, inside_a_transaction)
{
	sqlite3 *db = memory_db();
	retort *r = project(NULL);

	cr_assert_eq(sqlite3_exec(db,
				  "CREATE TABLE mine (z INTEGER); BEGIN; "
				  "INSERT INTO mine VALUES (1)",
				  NULL, NULL, NULL),
		     SQLITE_OK);
	cr_assert_eq(retort_use_sqlite(r, db), 0);
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_EUSAGE);
	cr_assert_str_eq(retort_errmsg(r),
			 "cannot use the application's sqlite3 connection: "
			 "it is inside a transaction; commit or roll it back "
			 "first");
	/* the application's transaction is untouched, nothing written */
	cr_assert_eq(sqlite3_get_autocommit(db), 0);
	cr_assert_eq(sq_count(db, "SELECT count(*) FROM mine"), 1);
	cr_assert_eq(sq_tables(db), 1);
	cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	/* and once it is committed, retort can go on */
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert_eq(sq_tables(db), 5);
	retort_close(r);
	sqlite3_close(db);
}

Test(borrow_sqlite, read_only_handle_refuses_writes)
{
	char path[64];
	sqlite3 *db;
	retort *r = project(NULL);

	temp_path(path, sizeof(path), "app.db");
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE mine (z)", 0, 0, 0),
		     SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
		     SQLITE_OK);
	cr_assert_eq(retort_use_sqlite(r, db), 0);
	current_is(r, NULL); /* reading works */
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_EDB);
	cr_assert_str_eq(retort_errmsg(r),
			 "cannot write to database the application's sqlite3 "
			 "connection: it was opened read-only");
	cr_assert_eq(sq_tables(db), 1);
	retort_close(r);
	sqlite3_close(db);
	temp_remove(path);
}

/* ------------------------------------------------------------------ */
/* PostgreSQL */

#ifdef RETORT_WITH_POSTGRES

static PGconn *pg_connect(void)
{
	const char *url = getenv("RETORT_TEST_PG_URL");
	PGconn *c;

	if (!url || !*url)
		cr_skip_test("RETORT_TEST_PG_URL is not set (run under "
			     "tests/pg/server.sh run)");
	c = PQconnectdb(url);
	cr_assert_eq(PQstatus(c), CONNECTION_OK, "%s", PQerrorMessage(c));
	return c;
}

static char *pg_value(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	char *v;

	cr_assert_eq(PQresultStatus(res), PGRES_TUPLES_OK, "%s: %s", sql,
		     PQerrorMessage(c));
	v = strdup(PQgetisnull(res, 0, 0) ? "<null>" : PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static void pg_ok(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);

	cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK ||
		      PQresultStatus(res) == PGRES_TUPLES_OK,
		  "%s: %s", sql, PQerrorMessage(c));
	PQclear(res);
}

static void value_is(PGconn *c, const char *sql, const char *want)
{
	char *v = pg_value(c, sql);

	cr_assert_str_eq(v, want, "%s", sql);
	free(v);
}

/* A schema of this test's own, dropped first. */
static void fresh_schema(PGconn *c, const char *name)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
		 "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", name,
		 name);
	pg_ok(c, sql);
}

/* The revisions check that their session holds an advisory lock (the
 * migration lock): a division by zero otherwise. */
#define HOLDS_LOCK                                                    \
	"SELECT 1 / (SELECT count(*) FROM pg_locks WHERE locktype = " \
	"'advisory' AND pid = pg_backend_pid() AND granted)::int;"
/* a also keeps the lock's key, for another session to take */
#define KEEP_KEY                                                             \
	"CREATE TABLE lockkey AS SELECT classid, objid FROM pg_locks WHERE " \
	"locktype = 'advisory' AND pid = pg_backend_pid();"
static const char pg_a[] =
    REV("a", "", HOLDS_LOCK " " KEEP_KEY " CREATE TABLE t1 (x int);",
	"DROP TABLE t1; DROP TABLE lockkey;");
static const char pg_b[] =
    REV("b", "a", HOLDS_LOCK " CREATE TABLE t2 (y int);", "DROP TABLE t2;");

static retort *pg_project(const char *config_text)
{
	retort_source src[2] = { { "a.sql", pg_a, sizeof(pg_a) - 1 },
				 { "b.sql", pg_b, sizeof(pg_b) - 1 } };
	retort_open_options o = RETORT_OPEN_OPTIONS_INIT;
	retort *r = NULL;

	o.sources = src;
	o.source_count = 2;
	o.config_text = config_text;
	cr_assert_eq(retort_open(&r, &o), 0, "%s", retort_errmsg(r));
	return r;
}

Test(borrow_pg, upgrade_with_the_lock_settings_put_back)
{
	PGconn *c = pg_connect();
	retort *r = pg_project("[retort]\npg_settings = search_path=borrow_a, "
			       "statement_timeout=12345\n");
	retort_revlist *cur = NULL;
	char *path_before = pg_value(c, "SHOW search_path");

	fresh_schema(c, "borrow_a");
	pg_ok(c, "SET client_min_messages = notice");
	cr_assert_eq(retort_use_pgconn(r, c), 0, "%s", retort_errmsg(r));
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	/* the tables went where pg_settings' search_path says */
	value_is(c,
		 "SELECT string_agg(table_name, ',' ORDER BY table_name) "
		 "FROM information_schema.tables WHERE table_schema = "
		 "'borrow_a'",
		 "lockkey,retort_log,retort_version,t1,t2");
	value_is(c, "SELECT version_num FROM borrow_a.retort_version", "b");
	cr_assert_eq(retort_current(&cur, r, 0), 0, "%s", retort_errmsg(r));
	cr_assert_eq(retort_revlist_count(cur), 1);
	retort_revlist_free(cur);
	cr_assert_eq(retort_downgrade(r, "a", NULL), 0, "%s", retort_errmsg(r));
	value_is(c, "SELECT version_num FROM borrow_a.retort_version", "a");
	retort_close(r);
	/* the session as the application left it: open, idle, no lock,
	 * its own settings */
	cr_assert_eq(PQstatus(c), CONNECTION_OK);
	cr_assert_eq(PQtransactionStatus(c), PQTRANS_IDLE);
	value_is(c,
		 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
		 "AND pid = pg_backend_pid()",
		 "0");
	value_is(c, "SHOW search_path", path_before);
	value_is(c, "SHOW client_min_messages", "notice");
	value_is(c, "SHOW statement_timeout", "0");
	value_is(c, "SHOW default_transaction_read_only", "off");
	pg_ok(c, "DROP SCHEMA borrow_a CASCADE");
	free(path_before);
	PQfinish(c);
}

Test(borrow_pg, another_session_holding_the_lock)
{
	PGconn *c = pg_connect(), *other = pg_connect();
	retort *r = pg_project("[retort]\npg_settings = search_path=borrow_b\n"
			       "lock_timeout = 1\n");

	fresh_schema(c, "borrow_b");
	cr_assert_eq(retort_use_pgconn(r, c), 0);
	cr_assert_eq(retort_upgrade(r, "a", NULL), 0, "%s", retort_errmsg(r));
	/* another session takes the key revision a saw held */
	pg_ok(other, "SELECT pg_advisory_lock((classid::bigint << 32) | "
		     "objid::bigint) FROM borrow_b.lockkey");
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_ELOCKED);
	cr_assert(strstr(retort_errmsg(r), "lock"), "%s", retort_errmsg(r));
	value_is(c, "SELECT version_num FROM borrow_b.retort_version", "a");
	value_is(c, "SELECT to_regclass('borrow_b.t2') IS NULL", "t");
	/* released: the run goes through */
	pg_ok(other, "SELECT pg_advisory_unlock_all()");
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	value_is(c, "SELECT version_num FROM borrow_b.retort_version", "b");
	retort_close(r);
	value_is(c,
		 "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
		 "AND pid = pg_backend_pid()",
		 "0");
	pg_ok(c, "DROP SCHEMA borrow_b CASCADE");
	PQfinish(other);
	PQfinish(c);
}

Test(borrow_pg, inside_a_transaction)
{
	PGconn *c = pg_connect(), *other = pg_connect();
	retort *r = pg_project("[retort]\nversion_table_schema = borrow_c\n");

	fresh_schema(c, "borrow_c");
	pg_ok(c, "BEGIN");
	cr_assert_eq(retort_use_pgconn(r, c), 0);
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_EUSAGE);
	cr_assert_str_eq(retort_errmsg(r),
			 "cannot use the application's PostgreSQL connection: "
			 "it is inside a transaction; commit or roll it back "
			 "first");
	cr_assert_eq(PQtransactionStatus(c), PQTRANS_INTRANS);
	pg_ok(c, "ROLLBACK");
	value_is(other,
		 "SELECT count(*) FROM information_schema.tables WHERE "
		 "table_schema = 'borrow_c'",
		 "0");
	retort_close(r);
	pg_ok(c, "DROP SCHEMA borrow_c CASCADE");
	PQfinish(other);
	PQfinish(c);
}

Test(borrow_pg, connection_bad)
{
	PGconn *c;
	retort *r = pg_project(NULL);

	if (!getenv("RETORT_TEST_PG_URL"))
		cr_skip_test("RETORT_TEST_PG_URL is not set");
	c = PQconnectdb("host=127.0.0.1 port=1 dbname=x user=x "
			"connect_timeout=2");
	cr_assert_eq(PQstatus(c), CONNECTION_BAD);
	cr_assert_eq(retort_use_pgconn(r, c), 0);
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_EDB);
	cr_assert(!strncmp(retort_errmsg(r),
			   "cannot use the application's PostgreSQL "
			   "connection: connection to server at",
			   strlen("cannot use the application's PostgreSQL "
				  "connection: connection to server at")),
		  "%s", retort_errmsg(r));
	cr_assert_null(strchr(retort_errmsg(r), '\n'));
	cr_assert(strstr(retort_errmsg(r), "127.0.0.1"), "%s",
		  retort_errmsg(r));
	retort_close(r);
	/* still the application's to finish */
	cr_assert_eq(PQstatus(c), CONNECTION_BAD);
	PQfinish(c);
}

Test(borrow_pg, check_needs_dev_url)
{
	char path[64], cfg[160];
	PGconn *c = pg_connect();
	retort_report *rep = NULL;
	retort *r;

	schema_file(path, sizeof(path), "CREATE TABLE t1 (x int);\n");
	snprintf(cfg, sizeof(cfg),
		 "[retort]\nschema = %s\npg_settings = search_path=borrow_d\n",
		 path);
	r = pg_project(cfg);
	fresh_schema(c, "borrow_d");
	cr_assert_eq(retort_use_pgconn(r, c), 0);
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert_eq(retort_check(&rep, r), RETORT_ECONFIG);
	cr_assert_str_eq(retort_errmsg(r),
			 "with the application's own PostgreSQL connection "
			 "retort has no URL to reach a scratch database for "
			 "the declared schema; set dev_url");
	retort_report_free(rep);
	retort_close(r);
	value_is(c, "SHOW search_path", "\"$user\", public");
	pg_ok(c, "DROP SCHEMA borrow_d CASCADE");
	PQfinish(c);
	temp_remove(path);
}

Test(borrow_pg, wrong_dialect_for_the_project)
{
	PGconn *c = pg_connect();
	retort *r = pg_project("[retort]\nurl = sqlite:///app.db\n");

	cr_assert_eq(retort_use_pgconn(r, c), RETORT_EUSAGE);
	cr_assert_str_eq(
	    retort_errmsg(r),
	    "retort_use_pgconn: the project's url sqlite:///app.db "
	    "is a sqlite database, not postgresql; pass a handle "
	    "of its kind, or change url in <memory>");
	retort_close(r);
	PQfinish(c);
}

#endif
