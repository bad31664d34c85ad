/* SPDX-License-Identifier: MIT */
/*
 * test_stairway.c: the verify/ stage on its own (stairway.c), on a SQLite
 * database in memory opened through the driver: a revision whose
 * downgrade undoes it passes; one that forgets an index is reported with
 * the missing change; an empty downgrade is irreversible; a failing
 * upgrade stops; seed data loads after the first revision it fits and
 * its row counts are checked; rt_stairway_advance() only upgrades.
 * Revisions come from in-memory sources (rev_fixture.h); the graph is
 * the handle's.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "project/project.h"
#include "rev_fixture.h"
#include "run/driver.h"
#include "verify/stairway.h"

typedef struct env {
	retort *r;
	rt_str text[8], name[8];
	retort_source src[8];
	rt_url url;
	rt_conn *conn;
	rt_stairway st;
	rt_err err;
} env;

static void env_init(env *e, const rf_rev *revs, size_t n, const char *seed)
{
	retort_open_options oo = RETORT_OPEN_OPTIONS_INIT;
	rt_introspect_opts io;
	rt_open_opts o;
	size_t i;
	int missing;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < n; i++) {
		rf_render(&e->text[i], &revs[i]);
		rf_name(&e->name[i], &revs[i]);
		e->src[i].name = rt_str_cstr(&e->name[i]);
		e->src[i].text = rt_str_cstr(&e->text[i]);
		e->src[i].len = e->text[i].len;
	}
	oo.config_text = "[retort]\nurl = sqlite://\n";
	oo.sources = e->src;
	oo.source_count = n;
	cr_assert_eq(retort_open(&e->r, &oo), 0);
	cr_assert_eq(retort_load(e->r), 0, "%s", retort_errmsg(e->r));
	cr_assert_eq(rt_url_parse(&e->url, "sqlite://", &e->err), 0);
	memset(&o, 0, sizeof(o));
	o.display = "memory";
	o.lock_timeout_ms = 1000;
	cr_assert_eq(
	    rt_sqlite_driver.open(&e->conn, &e->url, &o, &missing, &e->err), 0);
	memset(&io, 0, sizeof(io));
	cr_assert_eq(rt_stairway_init(&e->st, &rt_sqlite_driver, e->conn,
				      RT_DIALECT_SQLITE, &io, seed,
				      seed ? strlen(seed) : 0, &e->err),
		     0, "%s", rt_err_msg(&e->err));
}

static void env_free(env *e)
{
	size_t i;

	rt_stairway_dispose(&e->st);
	rt_sqlite_driver.close(e->conn);
	rt_url_dispose(&e->url);
	rt_err_dispose(&e->err);
	retort_close(e->r);
	for (i = 0; i < 8; i++) {
		rt_str_dispose(&e->text[i]);
		rt_str_dispose(&e->name[i]);
	}
}

/* The i-th revision in load order. */
static const retort_revision *rev(env *e, size_t i)
{
	return retort_revision_at(e->r, i);
}

/* Run revision i; its status and "detail|detail" */
static rt_stair_status step(env *e, size_t i, rt_str *details, int *stop)
{
	rt_stair_result res;
	rt_stair_status s;
	size_t k;

	cr_assert_eq(rt_stairway_revision(&e->st, rev(e, i), &res, &e->err), 0,
		     "%s", rt_err_msg(&e->err));
	if (details) {
		rt_str_clear(details);
		for (k = 0; k < res.details.n; k++)
			rt_str_printf(details, "%s%s", k ? "|" : "",
				      res.details.v[k]);
	}
	if (stop)
		*stop = res.stop;
	s = res.status;
	rt_stair_result_dispose(&res);
	return s;
}

static const rf_rev GOOD[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER, y TEXT);", "DROP TABLE ta;" },
	{ "b", "a", "CREATE INDEX ta_y ON ta (y);", "DROP INDEX ta_y;" },
};

Test(stairway, a_downgrade_that_undoes_its_upgrade_passes)
{
	env e;

	env_init(&e, GOOD, 2, NULL);
	cr_assert_eq(step(&e, 0, NULL, NULL), RT_STAIR_OK);
	cr_assert_eq(step(&e, 1, NULL, NULL), RT_STAIR_OK);
	/* the stairway ends where the revisions leave the database */
	cr_assert_eq(e.st.cur->ntables, 1);
	cr_assert_eq(e.st.cur->tables[0].nindexes, 1);
	env_free(&e);
}

static const rf_rev FORGETS[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER, y TEXT);", "DROP TABLE ta;" },
	{ "b", "a",
	  "CREATE TABLE tb (x INTEGER);\nCREATE INDEX ta_y ON ta (y);",
	  "DROP TABLE tb;" },
};

Test(stairway, a_downgrade_that_forgets_an_index_is_reported_with_the_change)
{
	rt_str d = RT_STR_INIT;
	env e;
	int stop;

	env_init(&e, FORGETS, 2, NULL);
	cr_assert_eq(step(&e, 0, NULL, NULL), RT_STAIR_OK);
	cr_assert_eq(step(&e, 1, &d, &stop), RT_STAIR_DIFFERS);
	cr_assert_str_eq(rt_str_cstr(&d), "drop index ta_y on ta (y)");
	/* the second upgrade then fails on the index: no known state */
	cr_assert(stop);
	rt_str_dispose(&d);
	env_free(&e);
}

static const rf_rev IRREVERSIBLE[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", NULL },
	{ "b", "a", "CREATE TABLE tb (x INTEGER);", "DROP TABLE tb;" },
	{ "c", "b", "SELECT * FROM nowhere;", "" },
};

Test(stairway, empty_downgrade_is_irreversible_and_a_failed_upgrade_stops)
{
	rt_stair_result res;
	env e;
	int stop;

	env_init(&e, IRREVERSIBLE, 3, NULL);
	cr_assert_eq(step(&e, 0, NULL, &stop), RT_STAIR_IRREVERSIBLE);
	cr_assert(!stop);
	cr_assert_eq(step(&e, 1, NULL, NULL), RT_STAIR_OK);
	cr_assert_eq(rt_stairway_revision(&e.st, rev(&e, 2), &res, &e.err), 0);
	cr_assert_eq(res.status, RT_STAIR_UPGRADE_FAILED);
	cr_assert(res.stop);
	cr_assert(strstr(rt_str_cstr(&res.message),
			 "the upgrade failed: c.sql:8: no such table: nowhere"),
		  "%s", rt_str_cstr(&res.message));
	rt_stair_result_dispose(&res);
	env_free(&e);
}

static const rf_rev SEEDED[] = {
	{ "a", "", "CREATE TABLE other (x INTEGER);", "DROP TABLE other;" },
	{ "b", "a", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "c", "b", "CREATE TABLE tc (x INTEGER);",
	  "DROP TABLE tc;\nDELETE FROM ta;" },
};

Test(stairway, seed_data_loads_when_it_fits_and_lost_rows_are_reported)
{
	rt_stair_result res;
	rt_str d = RT_STR_INIT;
	env e;

	env_init(&e, SEEDED, 3, "INSERT INTO ta VALUES (1), (2);");
	cr_assert_eq(rt_stairway_revision(&e.st, rev(&e, 0), &res, &e.err), 0);
	cr_assert(!res.seeded);
	rt_stair_result_dispose(&res);
	cr_assert(strstr(rt_str_cstr(&e.st.seed_error), "no such table: ta"));
	cr_assert_eq(rt_stairway_revision(&e.st, rev(&e, 1), &res, &e.err), 0);
	cr_assert(res.seeded);
	rt_stair_result_dispose(&res);
	cr_assert_eq(step(&e, 2, &d, NULL), RT_STAIR_DATA_CHANGED);
	cr_assert_str_eq(rt_str_cstr(&d), "table ta: 2 rows before the "
					  "downgrade, 0 after upgrading again");
	rt_str_dispose(&d);
	env_free(&e);
}

Test(stairway, advance_only_upgrades)
{
	rt_stair_result res;
	env e;

	env_init(&e, FORGETS, 2, NULL);
	cr_assert_eq(rt_stairway_advance(&e.st, rev(&e, 0), &res, &e.err), 0);
	cr_assert_eq(res.status, RT_STAIR_OK);
	rt_stair_result_dispose(&res);
	cr_assert_eq(rt_stairway_advance(&e.st, rev(&e, 1), &res, &e.err), 0);
	cr_assert_eq(res.status, RT_STAIR_OK);
	cr_assert_eq(res.downgrade_ms, 0);
	rt_stair_result_dispose(&res);
	cr_assert_eq(e.st.cur->ntables, 2);
	env_free(&e);
}
