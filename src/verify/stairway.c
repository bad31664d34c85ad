/* SPDX-License-Identifier: MIT */
/*
 * stairway.c: see stairway.h. Each section runs as `upgrade` would run it:
 * a transactional one between begin() and commit() (rolled back when it
 * fails, so the database stays where it was), a `transaction:false` one
 * statement by statement with nothing to roll back, which is why its
 * failure stops the stairway.
 */
#include <stdlib.h>
#include <string.h>

#include "script/script.h"
#include "sql/quote.h"
#include "util/clock.h"
#include "verify/stairway.h"

int rt_stairway_init(rt_stairway *st, const rt_driver *drv, rt_conn *conn,
		     rt_dialect d, const rt_introspect_opts *io,
		     const char *seed, size_t seed_len, rt_err *err)
{
	memset(st, 0, sizeof(*st));
	st->drv = drv;
	st->conn = conn;
	st->dialect = d;
	st->io = *io;
	st->seed = seed;
	st->seed_len = seed_len;
	return rt_schema_introspect(&st->cur, drv, conn, io, err);
}

void rt_stairway_dispose(rt_stairway *st)
{
	rt_schema_free(st->cur);
	rt_str_dispose(&st->seed_error);
	rt_err_dispose(&st->err);
	memset(st, 0, sizeof(*st));
}

void rt_stair_result_dispose(rt_stair_result *res)
{
	size_t i;

	rt_str_dispose(&res->message);
	for (i = 0; i < res->details.n; i++)
		free(res->details.v[i]);
	RT_VEC_FREE(&res->details);
	memset(res, 0, sizeof(*res));
}

/* A database-level failure (connection lost, interrupted, out of
 * memory) ends the whole run; a statement's failure is a verdict. */
static int fatal(int error)
{
	return error == RETORT_EDB || error == RETORT_EINTERRUPTED ||
	       error == RETORT_ENOMEM;
}

/* The section of rev that the scratch database's dialect runs: its own
 * `dialect:` section, else the untagged one; NULL when it has neither. */
static const retort_section *
section_of(const rt_stairway *st, const retort_revision *rev, int downgrade)
{
	const rt_script_sec *s =
	    rt_script_section(&rev->s, downgrade, st->dialect, NULL);

	return s ? &s->sec : NULL;
}

/* Run a text in a transaction (rolled back on failure) or, for
 * transaction:false, as it comes. */
static int run_text(rt_stairway *st, const char *sql, size_t len, int tx,
		    rt_failure *f)
{
	rt_err ignore = RT_ERR_INIT;
	int error;

	f->offset = -1;
	f->sqlstate[0] = '\0';
	rt_err_clear(&st->err);
	if (tx && (error = st->drv->begin(st->conn, &st->err)) < 0)
		return error;
	error = st->drv->exec(st->conn, sql, len, f, &st->err);
	if (!tx)
		return error;
	if (error < 0)
		st->drv->rollback(st->conn, &ignore);
	else
		error = st->drv->commit(st->conn, &st->err);
	rt_err_dispose(&ignore);
	return error;
}

/* Run one section; on a failure, res says "what: path:line: message". */
static int run_section(rt_stairway *st, const retort_revision *rev,
		       const retort_section *sec, const char *what, double *ms,
		       rt_stair_result *res)
{
	rt_failure f;
	double t0 = rt_clock_ms();
	int error;

	if (!sec || sec->empty)
		return 0;
	error = run_text(st, sec->sql, sec->len, sec->transactional, &f);
	*ms += rt_clock_ms() - t0;
	if (error < 0) {
		/* after a verdict already given, say what followed */
		rt_str_puts(&res->message,
			    res->message.len ? "; then the " : "the ");
		rt_str_printf(&res->message, "%s failed: %s:%u: %s", what,
			      rev->s.path, rt_section_line(sec, f.offset),
			      rt_err_msg(&st->err));
		/* transaction:false: some of it may have run */
		res->stop = !sec->transactional;
	}
	return error;
}

static int add_detail(rt_stair_result *res, const char *text)
{
	char *copy = strdup(text);

	if (!copy || RT_VEC_PUSH(&res->details, copy) < 0) {
		free(copy);
		return RETORT_ENOMEM;
	}
	return 0;
}

/* Each change that turns `got` into `want`, as `check` words them:
 * what the section should also have done. */
static int differences(const rt_schema *got, const rt_schema *want,
		       rt_stair_result *res, size_t *n, rt_err *err)
{
	rt_diff *d = NULL;
	size_t i;
	int error;

	*n = 0;
	if ((error = rt_schema_diff(&d, got, want, err)) < 0)
		return error;
	for (i = 0; i < d->nchanges && !error; i++) {
		if (d->changes[i].flags & RT_CHANGE_IMPLIED)
			continue;
		(*n)++;
		if (add_detail(res, d->changes[i].description) < 0)
			error = rt_err_oom(err);
	}
	rt_diff_free(d);
	return error;
}

/* The row count of every table of s, in its order (-1: unreadable). */
static int row_counts(rt_stairway *st, const rt_schema *s, long **out,
		      rt_err *err)
{
	size_t i;

	*out = calloc(s->ntables ? s->ntables : 1, sizeof(**out));
	if (!*out)
		return rt_err_oom(err);
	for (i = 0; i < s->ntables; i++) {
		const rt_table *t = &s->tables[i];
		rt_str sql = RT_STR_INIT;
		rt_rows rows;
		int error;

		rt_str_puts(&sql, "SELECT count(*) FROM ");
		rt_sql_table_name(&sql, st->dialect,
				  t->schema && *t->schema ? t->schema : NULL,
				  t->name);
		if (sql.oom) {
			rt_str_dispose(&sql);
			return rt_err_oom(err);
		}
		error = st->drv->query(st->conn, rt_str_cstr(&sql), &rows,
				       &st->err);
		rt_str_dispose(&sql);
		if (error < 0 && fatal(error)) {
			rt_err_move(err, &st->err);
			return error;
		}
		(*out)[i] =
		    error < 0 || rows.nrows != 1 || !rt_rows_at(&rows, 0, 0)
			? -1
			: atol(rt_rows_at(&rows, 0, 0));
		if (error == 0)
			rt_rows_free(&rows);
	}
	return 0;
}

/* Row counts of the tables of `up` (the schema after the upgrade) before
 * the downgrade and after the second upgrade. */
static int compare_counts(rt_stairway *st, const rt_schema *up,
			  const long *before, rt_stair_result *res, rt_err *err)
{
	long *after = NULL;
	size_t i;
	int error;

	if ((error = row_counts(st, up, &after, err)) < 0)
		return error;
	for (i = 0; i < up->ntables && !error; i++) {
		const rt_table *t = &up->tables[i];
		rt_str line = RT_STR_INIT;

		if (before[i] == after[i])
			continue;
		rt_str_printf(&line,
			      "table %s%s%s: %ld row%s before the "
			      "downgrade, %ld after upgrading again",
			      t->schema && *t->schema ? t->schema : "",
			      t->schema && *t->schema ? "." : "", t->name,
			      before[i], before[i] == 1 ? "" : "s", after[i]);
		error = line.oom || add_detail(res, rt_str_cstr(&line)) < 0
			    ? rt_err_oom(err)
			    : 0;
		rt_str_dispose(&line);
	}
	free(after);
	if (!error && res->details.n) {
		res->status = RT_STAIR_DATA_CHANGED;
		rt_str_printf(&res->message,
			      "the downgrade and upgrade lost or added rows "
			      "of the seed data (%zu table%s)",
			      res->details.n, res->details.n == 1 ? "" : "s");
	}
	return error;
}

/* After a revision that passed: try the seed data. */
static int try_seed(rt_stairway *st, rt_stair_result *res, rt_err *err)
{
	rt_failure f;
	int error;

	if (!st->seed || st->seeded)
		return 0;
	error = run_text(st, st->seed, st->seed_len, 1, &f);
	if (error < 0 && fatal(error)) {
		rt_err_move(err, &st->err);
		return error;
	}
	rt_str_clear(&st->seed_error);
	if (error < 0) {
		rt_str_puts(&st->seed_error, rt_err_msg(&st->err));
		return st->seed_error.oom ? rt_err_oom(err) : 0;
	}
	st->seeded = res->seeded = 1;
	return 0;
}

/* Read the schema into *out; a failure ends the run. */
static int read_schema(rt_stairway *st, rt_schema **out, rt_err *err)
{
	return rt_schema_introspect(out, st->drv, st->conn, &st->io, err);
}

/* Down, compare with st->cur, up again, compare with `up`. */
static int down_up(rt_stairway *st, const retort_revision *rev, rt_schema **up,
		   rt_stair_result *res, rt_err *err)
{
	rt_schema *down = NULL, *again = NULL;
	long *counts = NULL;
	size_t n;
	int error;

	if (st->seeded && (error = row_counts(st, *up, &counts, err)) < 0)
		goto done;
	error = run_section(st, rev, section_of(st, rev, 1), "downgrade",
			    &res->downgrade_ms, res);
	if (error < 0) {
		res->status = RT_STAIR_DOWNGRADE_FAILED;
		goto verdict;
	}
	if ((error = read_schema(st, &down, err)) < 0 ||
	    (error = differences(down, st->cur, res, &n, err)) < 0)
		goto done;
	if (n) {
		res->status = RT_STAIR_DIFFERS;
		rt_str_printf(&res->message,
			      "the downgrade did not restore the schema "
			      "before the upgrade (%zu difference%s; below: "
			      "what it also needs to do)",
			      n, n == 1 ? "" : "s");
	}
	error = run_section(st, rev, section_of(st, rev, 0), "second upgrade",
			    &res->upgrade_ms, res);
	if (error < 0) {
		if (res->status == RT_STAIR_OK)
			res->status = RT_STAIR_REUPGRADE_FAILED;
		res->stop = 1; /* the schema is neither before nor after */
		goto verdict;
	}
	if ((error = read_schema(st, &again, err)) < 0)
		goto done;
	if (res->status == RT_STAIR_OK) {
		if ((error = differences(again, *up, res, &n, err)) < 0)
			goto done;
		if (n) {
			res->status = RT_STAIR_REUPGRADE_DIFFERS;
			rt_str_printf(&res->message,
				      "upgrading again built another schema "
				      "than the first upgrade (%zu "
				      "difference%s; below: what it also needs "
				      "to do)",
				      n, n == 1 ? "" : "s");
		}
	}
	/* counted over the first upgrade's tables: the second upgrade
	 * built the same ones, or the status says otherwise */
	if (counts && res->status == RT_STAIR_OK &&
	    (error = compare_counts(st, *up, counts, res, err)) < 0)
		goto done;
	rt_schema_free(*up);
	*up = again;
	again = NULL;
verdict:
	error = fatal(error) ? error : 0;
	if (error < 0)
		rt_err_move(err, &st->err);
done:
	free(counts);
	rt_schema_free(down);
	rt_schema_free(again);
	return error;
}

/* The first upgrade of rev and the schema after it (*up); a failure
 * that is a verdict stops the stairway and returns 0 with *up NULL. */
static int first_up(rt_stairway *st, const retort_revision *rev,
		    rt_stair_result *res, rt_schema **up, rt_err *err)
{
	int error;

	*up = NULL;
	memset(res, 0, sizeof(*res));
	res->rev = rev;
	error = run_section(st, rev, section_of(st, rev, 0), "upgrade",
			    &res->upgrade_ms, res);
	if (error < 0) {
		res->status = RT_STAIR_UPGRADE_FAILED;
		res->stop = 1;
		if (fatal(error))
			rt_err_move(err, &st->err);
		return fatal(error) ? error : 0;
	}
	return read_schema(st, up, err);
}

int rt_stairway_revision(rt_stairway *st, const retort_revision *rev,
			 rt_stair_result *res, rt_err *err)
{
	const retort_section *down = section_of(st, rev, 1),
			     *upsec = section_of(st, rev, 0);
	rt_schema *up;
	int error;

	if ((error = first_up(st, rev, res, &up, err)) < 0 || !up)
		return error;
	if (!down || (down->empty && !down->noop && upsec && !upsec->empty)) {
		res->status = RT_STAIR_IRREVERSIBLE;
		if (!down)
			rt_str_printf(&res->message,
				      "%s: revision %s has no downgrade "
				      "section for %s: nothing undoes the "
				      "upgrade there, which was not tested",
				      rev->s.path, rev->s.id,
				      rt_dialect_name(st->dialect));
		else
			rt_str_printf(
			    &res->message,
			    "%s:%u: the downgrade section is empty: "
			    "nothing undoes the upgrade, which was "
			    "not tested (mark it '-- migrate:downgrade "
			    "noop' if it needs no undoing)",
			    rev->s.path, down->line);
	} else if ((error = down_up(st, rev, &up, res, err)) < 0) {
		rt_schema_free(up);
		return error;
	}
	rt_schema_free(st->cur);
	st->cur = up;
	if (res->message.oom)
		return rt_err_oom(err);
	if (res->status == RT_STAIR_OK || res->status == RT_STAIR_IRREVERSIBLE)
		return try_seed(st, res, err);
	return 0;
}

int rt_stairway_advance(rt_stairway *st, const retort_revision *rev,
			rt_stair_result *res, rt_err *err)
{
	rt_schema *up;
	int error;

	if ((error = first_up(st, rev, res, &up, err)) < 0 || !up)
		return error;
	rt_schema_free(st->cur);
	st->cur = up;
	return 0;
}
