/* SPDX-License-Identifier: MIT */
/*
 * Stage verify/ (after schema/): revisions in, a verdict on them out,
 * found by running them on a scratch database the caller opened (through
 * run/driver.h) and reading its schema with schema/. Uses every stage
 * before it; never opens or drops a database itself.
 *
 * stairway.h: pytest-alembic's "stairway" for one revision at a time:
 * upgrade, read the schema, downgrade, compare with the schema before the
 * upgrade, upgrade again, compare with the schema after the first
 * upgrade. With seed data, every table's row count before the downgrade
 * must be the one after the second upgrade.
 *
 * rt_stairway_revision() is the unit `retort test` repeats in upgrade
 * order, and what a lint rule ("the downgrade does not undo the
 * upgrade") can run on its own: the result says what went wrong, with
 * the schema differences the downgrade left, one line each.
 *
 * Seed data (`test.data`): loaded, in a transaction, after the first
 * revision whose stairway passed and after which the file runs without an
 * error (the tables it fills exist from then on); until then each attempt
 * is rolled back and tried again after the next revision.
 */
#ifndef RT_STAIRWAY_H
#define RT_STAIRWAY_H

#include "graph/graph.h"
#include "run/driver.h"
#include "schema/schema.h"
#include "util/str.h"
#include "util/vec.h"

typedef enum rt_stair_status {
	RT_STAIR_OK = 0,
	RT_STAIR_UPGRADE_FAILED,   /* the upgrade's SQL failed */
	RT_STAIR_IRREVERSIBLE,	   /* an empty downgrade: nothing to test */
	RT_STAIR_DOWNGRADE_FAILED, /* the downgrade's SQL failed */
	RT_STAIR_DIFFERS,	   /* the downgrade left the schema different */
	RT_STAIR_REUPGRADE_FAILED, /* the second upgrade's SQL failed */
	RT_STAIR_REUPGRADE_DIFFERS, /* ... or built another schema */
	RT_STAIR_DATA_CHANGED	    /* row counts differ after down + up */
} rt_stair_status;

typedef struct rt_stair_result {
	const retort_revision *rev;
	rt_stair_status status;
	/* the database is in no known state: revisions above this one
	 * cannot be tested on it */
	int stop;
	rt_str message;		/* one line; empty when OK */
	RT_VEC(char *) details; /* differences or row counts, one each */
	double upgrade_ms, downgrade_ms;
	int seeded; /* the seed data was loaded after this revision */
} rt_stair_result;

typedef struct rt_stairway {
	const rt_driver *drv;
	rt_conn *conn;
	rt_dialect dialect;
	rt_introspect_opts io;
	rt_schema *cur; /* the schema where the database stands */
	/* seed data: its text; loaded yet? */
	const char *seed;
	size_t seed_len;
	int seeded;
	rt_str seed_error; /* why the last attempt failed */
	rt_err err;	   /* errors recorded as results, not raised */
} rt_stairway;

/* Start on the connection (at base: no revision applied), reading its
 * schema. The seed (NULL: none) must outlive the stairway. */
int rt_stairway_init(rt_stairway *st, const rt_driver *drv, rt_conn *conn,
		     rt_dialect d, const rt_introspect_opts *io,
		     const char *seed, size_t seed_len, rt_err *err);
void rt_stairway_dispose(rt_stairway *st);

/*
 * One revision, whose parents are applied: up, down, up, comparing as
 * the file comment says, and then the seed attempt. A revision whose
 * downgrade is empty (not `noop`) is only upgraded (RT_STAIR_IRREVERSIBLE:
 * the caller decides whether that is a failure).
 * Returns 0 with *res filled (dispose it with rt_stair_result_dispose()),
 * whatever the verdict; negative only when the stairway cannot say (out
 * of memory, the connection lost: err set).
 */
int rt_stairway_revision(rt_stairway *st, const retort_revision *rev,
			 rt_stair_result *res, rt_err *err);
void rt_stair_result_dispose(rt_stair_result *res);

/* Only upgrade (no down and up): to bring the scratch database to the
 * revisions below the one a caller tests alone (a lint rule testing one
 * revision replays its ancestors with this, in upgrade order). res as
 * above (RT_STAIR_OK or RT_STAIR_UPGRADE_FAILED, with stop). */
int rt_stairway_advance(rt_stairway *st, const retort_revision *rev,
			rt_stair_result *res, rt_err *err);

#endif
