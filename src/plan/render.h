/* SPDX-License-Identifier: MIT */
/*
 * render.h: a plan as offline SQL (`--sql`), in Alembic's format:
 *
 *   BEGIN;                                   (transactional dialects)
 *
 *   CREATE TABLE retort_version (...);       (before a step with no rows)
 *
 *   -- Running upgrade  -> 1975ea83b712
 *
 *   <the section's SQL, ending in ';'>
 *
 *   INSERT INTO retort_version (version_num) VALUES ('1975ea83b712');
 *
 *   COMMIT;
 *
 * With transaction_per_migration each step gets its own BEGIN/COMMIT; a
 * `transaction:false` section is written outside any transaction.
 * retort treats SQLite as transactional (it is), unlike Alembic.
 */
#ifndef RT_RENDER_H
#define RT_RENDER_H

#include "plan/plan.h"
#include "sql/quote.h"

typedef struct rt_render_opts {
	rt_dialect dialect;
	const char *version_table;
	const char *version_schema; /* NULL or "" for none */
	int transaction_per_migration;
	retort_write_fn write;
	void *payload;
} rt_render_opts;

int rt_render_plan(const retort_plan *plan, const rt_render_opts *o,
		   rt_err *err);

/* The statements that create the version table and apply one op. */
int rt_sql_create_version_table(rt_str *out, rt_dialect d, const char *schema,
				const char *table);
int rt_sql_version_op(rt_str *out, rt_dialect d, const char *schema,
		      const char *table, const retort_version_op *op);

#endif
