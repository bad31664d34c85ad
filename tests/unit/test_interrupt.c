/* SPDX-License-Identifier: MIT */
/*
 * test_interrupt.c: retort_interrupt() and what it reaches: the stop
 * request and its cancel hooks (util/interrupt.c), the SQLite driver's
 * cancel() (a long statement stops, the next call runs normally), and a
 * whole upgrade stopped from another thread: the revision is rolled back,
 * nothing is recorded, and the message names it.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "retort.h"
#include "run/driver.h"
#include "util/clock.h"
#include "util/interrupt.h"

/* ------------------------------------------------------------------ */
/* the request and its hooks */

typedef struct counting_hook {
	rt_intr_hook base;
	int calls;
} counting_hook;

static void count(rt_intr_hook *h)
{
	((counting_hook *)h)->calls++;
}

Test(interrupt, hooks)
{
	rt_intr in;
	counting_hook h[RT_INTR_SLOTS + 1];
	size_t i;

	rt_intr_init(&in);
	memset(h, 0, sizeof(h));
	for (i = 0; i < RT_INTR_SLOTS + 1; i++)
		h[i].base.fn = count;
	cr_assert(!rt_intr_pending(&in));
	for (i = 0; i < RT_INTR_SLOTS; i++)
		cr_assert_eq(rt_intr_add(&in, &h[i].base), 0);
	cr_assert_eq(rt_intr_add(&in, &h[RT_INTR_SLOTS].base), -1);
	rt_intr_remove(&in, &h[1].base);
	rt_intr_raise(&in);
	cr_assert(rt_intr_pending(&in));
	cr_assert_eq(h[0].calls, 1);
	cr_assert_eq(h[1].calls, 0);
	cr_assert_eq(h[2].calls, 1);
	/* pending until taken */
	cr_assert(rt_intr_pending(&in));
	cr_assert(rt_intr_take(&in));
	cr_assert(!rt_intr_take(&in));
	cr_assert(!rt_intr_pending(&in));
	/* a freed slot is reused */
	cr_assert_eq(rt_intr_add(&in, &h[RT_INTR_SLOTS].base), 0);
	rt_intr_raise(&in);
	cr_assert_eq(h[RT_INTR_SLOTS].calls, 1);
	for (i = 0; i < RT_INTR_SLOTS + 1; i++)
		rt_intr_remove(&in, &h[i].base);
	rt_intr_raise(&in);
	cr_assert_eq(h[0].calls, 2);
}

/* ------------------------------------------------------------------ */
/* the SQLite driver */

static const char slow[] =
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
    "WHERE x < 5000000000) SELECT count(*) FROM n";

typedef struct later {
	pthread_t thread;
	long ms;
	void (*fn)(void *arg);
	void *arg;
} later;

static void *later_main(void *p)
{
	later *l = p;
	struct timespec ts = { l->ms / 1000, (l->ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	l->fn(l->arg);
	return NULL;
}

static void call_later(later *l, long ms, void (*fn)(void *), void *arg)
{
	l->ms = ms;
	l->fn = fn;
	l->arg = arg;
	cr_assert_eq(pthread_create(&l->thread, NULL, later_main, l), 0);
}

static void cancel_conn(void *arg)
{
	rt_sqlite_driver.cancel(arg);
}

static rt_conn *open_memory(void)
{
	rt_open_opts oo;
	rt_url url;
	rt_conn *c = NULL;
	rt_err err = RT_ERR_INIT;
	int missing;

	memset(&oo, 0, sizeof(oo));
	oo.lock_timeout_ms = 1000;
	oo.display = "sqlite://";
	cr_assert_eq(rt_url_parse(&url, "sqlite://", &err), 0);
	cr_assert_eq(rt_sqlite_driver.open(&c, &url, &oo, &missing, &err), 0,
		     "%s", rt_err_msg(&err));
	rt_url_dispose(&url);
	rt_err_dispose(&err);
	return c;
}

Test(interrupt, sqlite_cancel_stops_the_statement)
{
	rt_conn *c = open_memory();
	rt_err err = RT_ERR_INIT;
	rt_failure f;
	rt_rows rows;
	later l;
	double t0;
	const char *text = "CREATE TABLE t (id INTEGER);\n"
			   "INSERT INTO t VALUES (1);\n";
	char sql[512];

	snprintf(sql, sizeof(sql), "%s%s;\nINSERT INTO t VALUES (2);", text,
		 slow);
	call_later(&l, 200, cancel_conn, c);
	t0 = rt_clock_ms();
	cr_assert_eq(rt_sqlite_driver.exec(c, sql, strlen(sql), &f, &err),
		     RETORT_EINTERRUPTED, "%s", rt_err_msg(&err));
	pthread_join(l.thread, NULL);
	cr_assert_lt(rt_clock_ms() - t0, 5000);
	cr_assert_str_eq(rt_err_msg(&err), "interrupted");
	/* at the slow statement, not before it */
	cr_assert_eq(f.offset, (long)strlen(text));
	/* the next call runs normally, and what ran before stays */
	cr_assert_eq(
	    rt_sqlite_driver.query(c, "SELECT count(*) FROM t", &rows, &err), 0,
	    "%s", rt_err_msg(&err));
	cr_assert_str_eq(rt_rows_at(&rows, 0, 0), "1");
	rt_rows_free(&rows);
	/* a cancel while nothing runs does not stop the next call */
	rt_sqlite_driver.cancel(c);
	cr_assert_eq(
	    rt_sqlite_driver.exec(c, "INSERT INTO t VALUES (3)", 24, &f, &err),
	    0, "%s", rt_err_msg(&err));
	rt_sqlite_driver.close(c);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* a whole run */

static char dir[] = "/tmp/retort-test-interrupt-XXXXXX";

static retort *open_project(const char *up)
{
	static char config[600], rev[1024];
	retort_open_options o = RETORT_OPEN_OPTIONS_INIT;
	retort_source src = { "0001_slow.sql", rev, 0 };
	retort *r = NULL;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(config, sizeof(config),
		 "[retort]\nurl = sqlite:///%s/app.db\n", dir);
	snprintf(rev, sizeof(rev),
		 "-- slow\n--\n-- Revision ID: r1\n-- Revises:\n\n"
		 "-- migrate:upgrade\nCREATE TABLE t (id INTEGER);\n%s;\n\n"
		 "-- migrate:downgrade\nDROP TABLE t;\n",
		 up);
	src.len = strlen(rev);
	o.config_text = config;
	o.sources = &src;
	o.source_count = 1;
	cr_assert_eq(retort_open(&r, &o), 0, "%s", retort_errmsg(r));
	return r;
}

static void close_project(retort *r)
{
	char path[600];

	retort_close(r);
	snprintf(path, sizeof(path), "%s/app.db", dir);
	unlink(path);
	rmdir(dir);
}

static void interrupt_handle(void *arg)
{
	retort_interrupt(arg);
}

Test(interrupt, upgrade_from_another_thread)
{
	retort *r = open_project(slow);
	char **rows = NULL;
	size_t n = 9;
	later l;
	double t0;

	call_later(&l, 300, interrupt_handle, r);
	t0 = rt_clock_ms();
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_EINTERRUPTED, "%s",
		     retort_errmsg(r));
	pthread_join(l.thread, NULL);
	cr_assert_lt(rt_clock_ms() - t0, 5000);
	cr_assert_str_eq(retort_errmsg(r),
			 "interrupted while running upgrade <base> -> r1 "
			 "(0001_slow.sql:8); rolled back, nothing recorded");
	/* reported: the request is gone, nothing was recorded */
	cr_assert_eq(retort_version_rows(&rows, &n, r), 0, "%s",
		     retort_errmsg(r));
	cr_assert_eq(n, 0);
	retort_strings_free(rows, n);
	close_project(r);
}

Test(interrupt, pending_request_stops_the_next_operation)
{
	retort *r = open_project("SELECT 1");
	char **rows = NULL;
	size_t n = 9;

	retort_interrupt(r);
	cr_assert_eq(retort_upgrade(r, "head", NULL), RETORT_EINTERRUPTED);
	cr_assert_str_eq(retort_errmsg(r), "interrupted before connecting to "
					   "the database; nothing changed");
	cr_assert_eq(retort_upgrade(r, "head", NULL), 0, "%s",
		     retort_errmsg(r));
	cr_assert_eq(retort_version_rows(&rows, &n, r), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(rows[0], "r1");
	retort_strings_free(rows, n);
	close_project(r);
}
