/* SPDX-License-Identifier: MIT */
/*
 * schema_fixture.h: shared helpers for the schema unit tests (each
 * tests/unit/test_*.c is its own executable, so the helpers are static
 * inline here).
 *
 * A model comes from DDL run in a database and introspected: model() on a
 * SQLite database in memory, pg_model() in a fresh database on the
 * server of RETORT_TEST_PG_URL (call need_pg() first: it skips the test
 * when no server is set). diff_sql() and diff_models() diff two models
 * and render both directions into a `result`, which done() frees along
 * with the models.
 */
#ifndef RT_TEST_SCHEMA_FIXTURE_H
#define RT_TEST_SCHEMA_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "project/url.h"
#include "retort.h"
#include "run/driver.h"
#include "schema/schema.h"

static inline rt_conn *open_url(const char *text, const rt_driver **drv)
{
	rt_open_opts o;
	rt_err err = RT_ERR_INIT;
	rt_conn *c = NULL;
	rt_url url;
	int missing = 0;

	cr_assert_eq(rt_url_parse(&url, text, &err), 0);
	*drv = rt_driver_for(url.dialect);
	memset(&o, 0, sizeof(o));
	o.lock_timeout_ms = 5000;
	o.display = "test";
	cr_assert_eq((*drv)->open(&c, &url, &o, &missing, &err), 0, "%s",
		     rt_err_msg(&err));
	rt_url_dispose(&url);
	rt_err_dispose(&err);
	return c;
}

static inline void run(const rt_driver *drv, rt_conn *c, const char *sql)
{
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(drv->exec(c, sql, strlen(sql), NULL, &err), 0, "%s\n%s",
		     rt_err_msg(&err), sql);
	rt_err_dispose(&err);
}

static inline rt_schema *introspect(const rt_driver *drv, rt_conn *c)
{
	rt_introspect_opts o = { "retort_version", "retort_log", NULL, NULL,
				 NULL };
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL;

	cr_assert_eq(rt_schema_introspect(&s, drv, c, &o, &err), 0, "%s",
		     rt_err_msg(&err));
	rt_err_dispose(&err);
	return s;
}

/* A SQLite model from DDL. */
static inline rt_schema *model(const char *sql)
{
	const rt_driver *drv;
	rt_conn *c = open_url("sqlite:///:memory:", &drv);
	rt_schema *s;

	run(drv, c, sql);
	s = introspect(drv, c);
	drv->close(c);
	return s;
}

typedef struct result {
	rt_schema *a, *b;
	rt_diff *d;
	rt_str up, down, check;
	int nontx;
} result;

static inline void diff_models(result *r, rt_schema *a, rt_schema *b)
{
	rt_err err = RT_ERR_INIT;

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->b = b;
	cr_assert_eq(rt_schema_diff(&r->d, a, b, &err), 0, "%s",
		     rt_err_msg(&err));
	cr_assert_eq(rt_diff_render(r->d, &r->up, &r->down, &r->nontx, &err), 0,
		     "%s", rt_err_msg(&err));
	cr_assert_eq(rt_diff_describe(r->d, &r->check, &err), 0);
	rt_err_dispose(&err);
}

static inline void diff_sql(result *r, const char *a, const char *b)
{
	diff_models(r, model(a), model(b));
}

static inline void done(result *r)
{
	rt_diff_free(r->d);
	rt_schema_free(r->a);
	rt_schema_free(r->b);
	rt_str_dispose(&r->up);
	rt_str_dispose(&r->down);
	rt_str_dispose(&r->check);
}

/* Index of the first change of that kind (on that table), or -1. */
static inline int find(const rt_diff *d, rt_change_kind kind, const char *table)
{
	size_t i;

	for (i = 0; i < d->nchanges; i++)
		if (d->changes[i].kind == kind &&
		    (!table || !strcmp(d->changes[i].table, table)))
			return (int)i;
	return -1;
}

/* Offset of needle in haystack, or -1. */
static inline long at(const char *hay, const char *needle)
{
	const char *p = strstr(hay ? hay : "", needle);

	return p ? p - hay : -1;
}

static inline const char *up(const result *r)
{
	return rt_str_cstr(&r->up);
}

/* The test server's URL with another database name. */
static inline char *with_database(const char *url, const char *name)
{
	const char *q = strchr(url, '?'), *slash;
	size_t n = q ? (size_t)(q - url) : strlen(url);
	rt_str out = RT_STR_INIT;

	for (slash = url + n; slash > url && *(slash - 1) != '/'; slash--)
		;
	rt_str_append(&out, url, (size_t)(slash - url));
	rt_str_puts(&out, name);
	if (q)
		rt_str_puts(&out, q);
	return rt_str_detach(&out);
}

static inline void pg_admin(const char *url, const char *sql)
{
	const rt_driver *drv;
	rt_conn *c = open_url(url, &drv);

	run(drv, c, sql);
	drv->close(c);
}

static inline rt_schema *pg_model(const char *sql, const char *tag)
{
	const char *url = getenv("RETORT_TEST_PG_URL");
	char name[64], q[256], *db;
	const rt_driver *drv;
	rt_conn *c;
	rt_schema *s;

	snprintf(name, sizeof(name), "rt_%d_%s", (int)getpid(), tag);
	snprintf(q, sizeof(q), "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s",
		 name, name);
	pg_admin(url, q);
	db = with_database(url, name);
	c = open_url(db, &drv);
	run(drv, c, sql);
	s = introspect(drv, c);
	drv->close(c);
	snprintf(q, sizeof(q), "DROP DATABASE %s", name);
	pg_admin(url, q);
	free(db);
	return s;
}

static inline void need_pg(void)
{
	if (!getenv("RETORT_TEST_PG_URL") ||
	    !rt_driver_for(RT_DIALECT_POSTGRESQL))
		cr_skip_test("RETORT_TEST_PG_URL is not set");
}

#endif
