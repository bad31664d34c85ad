/* SPDX-License-Identifier: MIT */
/*
 * test_pg_driver.c: the PostgreSQL driver on its own, below any check of
 * revision files: COPY to or from the client met at run time (exec
 * statement by statement, run_step pipelined, a COPY late in a long
 * pipeline, one behind a comment), cancel() from another thread, and the
 * rule that every failure sets a non-empty one-line message (refused
 * connection, lost connection, COPY, bad SQL).
 *
 * Needs a server: RETORT_TEST_PG_URL (tests/pg/server.sh run ctest ...);
 * every test skips without it.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "retort.h"
#include "run/driver.h"
#include "util/clock.h"
#include "util/str.h"

#ifdef RETORT_WITH_POSTGRES

static const rt_driver *drv = &rt_postgres_driver;

static const char *server(void)
{
	const char *u = getenv("RETORT_TEST_PG_URL");

	if (!u || !*u)
		cr_skip_test("RETORT_TEST_PG_URL is not set (run under "
			     "tests/pg/server.sh run)");
	return u;
}

/* A one-line, non-empty message. */
static void expect_message(const rt_err *err)
{
	const char *m = rt_err_msg(err);

	cr_assert(m && *m, "empty error message");
	cr_assert_null(strchr(m, '\n'), "message spans lines: %s", m);
	cr_assert_neq(m[strlen(m) - 1], ' ', "message ends in a blank: %s", m);
	cr_assert_neq(m[strlen(m) - 1], ':', "message ends in ':': %s", m);
}

static rt_conn *connect_to(const char *text, int expect_ok, rt_err *err)
{
	rt_open_opts oo;
	rt_url url;
	rt_conn *c = NULL;
	int missing, rc;

	memset(&oo, 0, sizeof(oo));
	oo.lock_timeout_ms = 2000;
	oo.display = "the test server";
	oo.lock_table = "test_pg_driver";
	cr_assert_eq(rt_url_parse(&url, text, err), 0, "%s", rt_err_msg(err));
	rc = drv->open(&c, &url, &oo, &missing, err);
	rt_url_dispose(&url);
	if (expect_ok)
		cr_assert_eq(rc, 0, "%s", rt_err_msg(err));
	return c;
}

static rt_conn *connect_ok(void)
{
	rt_err err = RT_ERR_INIT;
	rt_conn *c = connect_to(server(), 1, &err);

	rt_err_dispose(&err);
	return c;
}

static void exec_ok(rt_conn *c, const char *sql)
{
	rt_err err = RT_ERR_INIT;
	rt_failure f;

	cr_assert_eq(drv->exec(c, sql, strlen(sql), &f, &err), 0, "%s: %s", sql,
		     rt_err_msg(&err));
	rt_err_dispose(&err);
}

static char *one(rt_conn *c, const char *sql)
{
	rt_err err = RT_ERR_INIT;
	rt_rows rows;
	char *v;

	cr_assert_eq(drv->query(c, sql, &rows, &err), 0, "%s: %s", sql,
		     rt_err_msg(&err));
	cr_assert_eq(rows.nrows, 1);
	v = strdup(rt_rows_at(&rows, 0, 0) ? rt_rows_at(&rows, 0, 0) : "");
	rt_rows_free(&rows);
	rt_err_dispose(&err);
	return v;
}

static void expect_one(rt_conn *c, const char *sql, const char *want)
{
	char *v = one(c, sql);

	cr_assert_str_eq(v, want, "%s", sql);
	free(v);
}

static const char copy_in_msg[] =
    "COPY ... FROM stdin is not supported: retort sends SQL only, so "
    "there is no data to copy (rows after the COPY are not read); load "
    "the data with INSERT statements or COPY FROM a server file";
static const char copy_out_msg[] =
    "COPY ... TO stdout is not supported: retort does not read the rows "
    "it would send; COPY TO a server file, or use a SELECT";

/* setup: a table of our own, dropped first */
static rt_conn *with_table(void)
{
	rt_conn *c = connect_ok();

	exec_ok(c, "DROP TABLE IF EXISTS test_pg_driver_t;\n"
		   "CREATE TABLE test_pg_driver_t (id int)");
	return c;
}

Test(pg_driver, copy_in_exec)
{
	rt_conn *c = with_table();
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	const char *before = "INSERT INTO test_pg_driver_t VALUES (1);\n"
			     "/* a comment */ ";
	char sql[512];
	double t0 = rt_clock_ms();

	snprintf(sql, sizeof(sql),
		 "%scopy test_pg_driver_t FROM STDIN;\n2\n3\n\\.\n"
		 "INSERT INTO test_pg_driver_t VALUES (4);",
		 before);
	cr_assert_eq(drv->exec(c, sql, strlen(sql), &f, &err), RETORT_ERROR);
	cr_assert_lt(rt_clock_ms() - t0, 2000);
	expect_message(&err);
	cr_assert_str_eq(rt_err_msg(&err), copy_in_msg);
	/* the statement starts at its first token, after the comment */
	cr_assert_eq(f.offset, (long)strlen(before), "offset %ld", f.offset);
	/* autocommit: the first statement stays; the connection is usable */
	expect_one(c, "SELECT string_agg(id::text, ',') FROM test_pg_driver_t",
		   "1");
	exec_ok(c, "DROP TABLE test_pg_driver_t");
	drv->close(c);
	rt_err_dispose(&err);
}

Test(pg_driver, copy_out_exec)
{
	rt_conn *c = with_table();
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	const char *sql =
	    "COPY (SELECT generate_series(1, 2000000)) TO STDOUT;\n"
	    "INSERT INTO test_pg_driver_t VALUES (1);";
	double t0 = rt_clock_ms();

	cr_assert_eq(drv->exec(c, sql, strlen(sql), &f, &err), RETORT_ERROR);
	cr_assert_lt(rt_clock_ms() - t0, 2000);
	cr_assert_str_eq(rt_err_msg(&err), copy_out_msg);
	cr_assert_eq(f.offset, 0);
	expect_one(c, "SELECT count(*) FROM test_pg_driver_t", "0");
	drv->close(c);
	rt_err_dispose(&err);
}

/* run_step with the COPY after `pad` statements, rows and more after it,
 * and an epilogue: fails at the COPY, and a rollback leaves nothing. */
static void copy_in_step(int pad)
{
	rt_conn *c = with_table();
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	rt_str sql = RT_STR_INIT;
	const char *epi[] = { "INSERT INTO test_pg_driver_t VALUES (99)" };
	long changes[1];
	size_t at;
	int i;
	double t0;

	for (i = 0; i < pad; i++)
		rt_str_puts(&sql, "INSERT INTO test_pg_driver_t VALUES (1);\n");
	at = sql.len;
	rt_str_puts(&sql, "COPY test_pg_driver_t (id) FROM stdin;\n"
			  "2\n3\n\\.\n\n"
			  "INSERT INTO test_pg_driver_t VALUES (4);\n");
	t0 = rt_clock_ms();
	cr_assert_eq(
	    drv->run_step(c, 1, sql.ptr, sql.len, epi, 1, changes, &f, &err),
	    RETORT_ERROR, "%s", rt_err_msg(&err));
	cr_assert_lt(rt_clock_ms() - t0, 2000);
	cr_assert_str_eq(rt_err_msg(&err), copy_in_msg);
	cr_assert_eq(f.offset, (long)at);
	cr_assert_eq(drv->rollback(c, &err), 0, "%s", rt_err_msg(&err));
	expect_one(c, "SELECT count(*) FROM test_pg_driver_t", "0");
	/* and the connection pipelines again */
	rt_str_clear(&sql);
	rt_str_puts(&sql, "INSERT INTO test_pg_driver_t VALUES (5)");
	cr_assert_eq(
	    drv->run_step(c, 1, sql.ptr, sql.len, epi, 1, changes, &f, &err), 0,
	    "%s", rt_err_msg(&err));
	cr_assert_eq(changes[0], 1);
	cr_assert_eq(drv->commit(c, &err), 0, "%s", rt_err_msg(&err));
	expect_one(c,
		   "SELECT string_agg(id::text, ',' ORDER BY id) FROM "
		   "test_pg_driver_t",
		   "5,99");
	exec_ok(c, "DROP TABLE test_pg_driver_t");
	drv->close(c);
	rt_str_dispose(&sql);
	rt_err_dispose(&err);
}

Test(pg_driver, copy_in_step_first)
{
	server();
	copy_in_step(0);
}

Test(pg_driver, copy_in_step_middle)
{
	server();
	copy_in_step(3);
}

Test(pg_driver, copy_in_step_later_batch)
{
	/* past the first batch of 100, and at a batch's last place */
	server();
	copy_in_step(150);
	copy_in_step(98);
}

Test(pg_driver, copy_out_step)
{
	rt_conn *c = with_table();
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	const char *sql = "INSERT INTO test_pg_driver_t VALUES (1);\n"
			  "-- out\nCOPY test_pg_driver_t TO STDOUT;\n"
			  "INSERT INTO test_pg_driver_t VALUES (2);";
	const char *epi[] = { "INSERT INTO test_pg_driver_t VALUES (99)" };
	long changes[1];

	cr_assert_eq(
	    drv->run_step(c, 1, sql, strlen(sql), epi, 1, changes, &f, &err),
	    RETORT_ERROR);
	cr_assert_str_eq(rt_err_msg(&err), copy_out_msg);
	cr_assert_eq(f.offset,
		     (long)strlen("INSERT INTO test_pg_driver_t VALUES (1);\n"
				  "-- out\n"),
		     "offset %ld", f.offset);
	cr_assert_eq(drv->rollback(c, &err), 0, "%s", rt_err_msg(&err));
	expect_one(c, "SELECT count(*) FROM test_pg_driver_t", "0");
	exec_ok(c, "DROP TABLE test_pg_driver_t");
	drv->close(c);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */

typedef struct later {
	pthread_t thread;
	rt_conn *c;
} later;

static void *cancel_main(void *p)
{
	later *l = p;
	struct timespec ts = { 0, 300 * 1000000L };

	nanosleep(&ts, NULL);
	drv->cancel(l->c);
	return NULL;
}

Test(pg_driver, cancel_from_another_thread)
{
	rt_conn *c = with_table();
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	const char *sql = "INSERT INTO test_pg_driver_t VALUES (1);\n"
			  "SELECT pg_sleep(30);\n"
			  "INSERT INTO test_pg_driver_t VALUES (2);";
	const char *epi[] = { "INSERT INTO test_pg_driver_t VALUES (99)" };
	long changes[1];
	later l;
	double t0;

	/* statement by statement */
	l.c = c;
	cr_assert_eq(pthread_create(&l.thread, NULL, cancel_main, &l), 0);
	t0 = rt_clock_ms();
	cr_assert_eq(drv->exec(c, sql, strlen(sql), &f, &err),
		     RETORT_EINTERRUPTED, "%s", rt_err_msg(&err));
	pthread_join(l.thread, NULL);
	cr_assert_lt(rt_clock_ms() - t0, 3000);
	cr_assert_str_eq(rt_err_msg(&err),
			 "canceling statement due to user request");
	cr_assert_str_eq(f.sqlstate, "57014");
	cr_assert_eq(f.offset, 41);
	expect_one(c, "SELECT count(*) FROM test_pg_driver_t", "1");
	/* pipelined */
	cr_assert_eq(pthread_create(&l.thread, NULL, cancel_main, &l), 0);
	t0 = rt_clock_ms();
	cr_assert_eq(
	    drv->run_step(c, 1, sql, strlen(sql), epi, 1, changes, &f, &err),
	    RETORT_EINTERRUPTED, "%s", rt_err_msg(&err));
	pthread_join(l.thread, NULL);
	cr_assert_lt(rt_clock_ms() - t0, 3000);
	cr_assert_eq(f.offset, 41);
	cr_assert_eq(drv->rollback(c, &err), 0, "%s", rt_err_msg(&err));
	expect_one(c, "SELECT count(*) FROM test_pg_driver_t", "1");
	/* a cancel while idle does not stop the next call */
	drv->cancel(c);
	exec_ok(c, "DROP TABLE test_pg_driver_t");
	drv->close(c);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* every failure has a message */

Test(pg_driver, messages_are_never_empty)
{
	rt_conn *c, *killer;
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	rt_rows rows;
	char sql[128], *pid;
	const char *epi[] = { "SELECT 1" };
	long changes[1];
	const char *url = server();

	/* refused connection */
	cr_assert_null(
	    connect_to("postgresql://nobody:pw@127.0.0.1:1/x", 0, &err));
	cr_assert_eq(err.code, RETORT_EDB);
	expect_message(&err);
	rt_err_clear(&err);
	/* bad SQL, in both paths */
	c = connect_ok();
	cr_assert_lt(drv->exec(c, "SELEC 1", 7, &f, &err), 0);
	expect_message(&err);
	rt_err_clear(&err);
	cr_assert_lt(
	    drv->run_step(c, 1, "SELEC 1", 7, epi, 1, changes, &f, &err), 0);
	expect_message(&err);
	rt_err_clear(&err);
	drv->rollback(c, &err);
	cr_assert_lt(drv->query(c, "SELECT * FROM no_such_table", &rows, &err),
		     0);
	expect_message(&err);
	rt_err_clear(&err);
	/* a lost connection: every entry point */
	pid = one(c, "SELECT pg_backend_pid()");
	killer = connect_to(url, 1, &err);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", pid);
	expect_one(killer, sql, "t");
	free(pid);
	cr_assert_lt(drv->exec(c, "SELECT 1", 8, &f, &err), 0);
	expect_message(&err);
	rt_err_clear(&err);
	cr_assert_lt(
	    drv->run_step(c, 1, "SELECT 1", 8, epi, 1, changes, &f, &err), 0);
	expect_message(&err);
	rt_err_clear(&err);
	cr_assert_lt(drv->query(c, "SELECT 1", &rows, &err), 0);
	expect_message(&err);
	rt_err_clear(&err);
	cr_assert_lt(drv->begin(c, &err), 0);
	expect_message(&err);
	rt_err_clear(&err);
	cr_assert_lt(drv->lock(c, &err), 0);
	expect_message(&err);
	drv->close(c);
	drv->close(killer);
	rt_err_dispose(&err);
}

#else

Test(pg_driver, not_built)
{
	cr_skip_test("built without the PostgreSQL driver");
}

#endif
