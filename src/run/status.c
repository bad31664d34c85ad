/* SPDX-License-Identifier: MIT */
/*
 * status.c: see status.h. Applied: the version rows and their ancestors
 * (dependencies included), as `current` and upgrade see them. The last
 * run of each revision is the log's last 'ok' or 'repaired' row for it
 * in the upgrade or stamp direction; its checksum is the last one
 * recorded by an upgrade or by `repair --checksums` (what validate
 * compares).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "plan/plan.h"
#include "run/state.h"
#include "run/status.h"

void rt_status_free(retort_status *st)
{
	if (!st)
		return;
	RT_VEC_FREE(&st->v);
	rt_arena_free(&st->strings);
	free(st);
}

static const char *keep(retort_status *st, const char *s)
{
	return s ? rt_arena_strdup(&st->strings, s) : NULL;
}

/* Entries in upgrade order: the plan from base to every head. */
static int entries(retort *r, retort_status *st)
{
	retort_plan *plan = NULL;
	size_t i;
	int error;

	if (!r->graph->n)
		return 0;
	if ((error = rt_plan_upgrade(&plan, r->graph, "heads", NULL, 0,
				     &r->err)) < 0)
		return error;
	for (i = 0; i < plan->steps.n; i++) {
		retort_status_entry e;

		memset(&e, 0, sizeof(e));
		e.revision = plan->steps.v[i].revision;
		e.id = e.revision->s.id;
		e.duration_ms = -1;
		if (RT_VEC_PUSH(&st->v, e) < 0) {
			rt_plan_free(plan);
			return rt_err_oom(&r->err);
		}
	}
	rt_plan_free(plan);
	return 0;
}

/* The entry of revision id: through the graph's ids and `at` (entry by
 * revision index), else among the rows no file has (few). */
static retort_status_entry *find(retort *r, retort_status *st, const size_t *at,
				 const char *id)
{
	uint32_t idx;
	size_t i;

	if (!id)
		return NULL;
	if (rt_map_get(&r->graph->ids, id, strlen(id), &idx))
		return at[idx] < st->v.n ? &st->v.v[at[idx]] : NULL;
	for (i = 0; i < st->v.n; i++)
		if (!st->v.v[i].revision && !strcmp(st->v.v[i].id, id))
			return &st->v.v[i];
	return NULL;
}

/* Applied: the rows and their ancestors; rows no file has are added. */
static int mark_applied(retort *r, retort_status *st, const rt_heads *rows)
{
	rt_set set = { 0 };
	size_t i;
	int error;

	if ((error = rt_applied_set(r, rows, &set)) < 0)
		return error;
	for (i = 0; i < rows->n && !error; i++) {
		retort_status_entry e;
		uint32_t idx;

		if (rt_map_get(&r->graph->ids, rows->v[i], strlen(rows->v[i]),
			       &idx))
			continue;
		memset(&e, 0, sizeof(e));
		e.id = keep(st, rows->v[i]);
		e.applied = 1;
		e.duration_ms = -1;
		e.checksum = RETORT_CHECKSUM_FILE_MISSING;
		if (!e.id || RT_VEC_PUSH(&st->v, e) < 0)
			error = rt_err_oom(&r->err);
	}
	for (i = 0; i < st->v.n && !error; i++) {
		retort_status_entry *e = &st->v.v[i];

		if (e->revision && set.in[e->revision->idx]) {
			e->applied = 1;
			e->checksum = RETORT_CHECKSUM_UNKNOWN;
		}
	}
	rt_set_free(&set);
	return error;
}

/* One log row (revision, direction, started_at, duration_ms, db_user,
 * host, checksum) onto its entry. */
static int apply_row(retort *r, retort_status *st, const size_t *at,
		     const rt_rows *rows, size_t i, rt_dialect d)
{
	retort_status_entry *e = find(r, st, at, rt_rows_at(rows, i, 0));
	const char *dir = rt_rows_at(rows, i, 1);
	const char *sum = rt_rows_at(rows, i, 6);

	if (!e || !e->applied || !dir)
		return 0;
	if (!strcmp(dir, "upgrade") || !strcmp(dir, "stamp")) {
		const char *ms = rt_rows_at(rows, i, 3);

		e->applied_at = keep(st, rt_rows_at(rows, i, 2));
		e->applied_by = keep(st, rt_rows_at(rows, i, 4));
		e->host = keep(st, rt_rows_at(rows, i, 5));
		e->duration_ms = ms ? atof(ms) : -1;
		e->stamped = !strcmp(dir, "stamp");
		if ((rt_rows_at(rows, i, 2) && !e->applied_at) ||
		    (rt_rows_at(rows, i, 4) && !e->applied_by) ||
		    (rt_rows_at(rows, i, 5) && !e->host))
			return rt_err_oom(&r->err);
	}
	if (sum && e->revision &&
	    (!strcmp(dir, "upgrade") || !strcmp(dir, "checksum"))) {
		/* the section this dialect runs; none any more: changed */
		const char *now = rt_revision_sum(e->revision, 0, d);

		e->checksum = !now || strcmp(sum, now)
				  ? RETORT_CHECKSUM_CHANGED
				  : RETORT_CHECKSUM_MATCHES;
	}
	return 0;
}

static int read_log(rt_runner *rn, retort_status *st)
{
	rt_str sql = RT_STR_INIT;
	size_t *at =
	    malloc((rn->r->graph->n ? rn->r->graph->n : 1) * sizeof(*at));
	rt_rows rows;
	size_t i;
	int error;

	if (!at)
		return rt_err_oom(&rn->r->err);
	for (i = 0; i < rn->r->graph->n; i++)
		at[i] = SIZE_MAX;
	for (i = 0; i < st->v.n; i++)
		if (st->v.v[i].revision)
			at[st->v.v[i].revision->idx] = i;
	rt_str_printf(&sql,
		      "SELECT revision, direction, started_at, duration_ms, "
		      "db_user, host, checksum FROM %s WHERE status IN ('ok', "
		      "'repaired') ORDER BY id",
		      rt_str_cstr(&rn->lt));
	error = rt_runner_query(rn, &sql, &rows, &rn->r->err);
	if (error == 0) {
		for (i = 0; error == 0 && i < rows.nrows; i++)
			error = apply_row(rn->r, st, at, &rows, i,
					  rn->url->dialect);
		rt_rows_free(&rows);
	}
	free(at);
	return error;
}

/* statements_done of the oldest unfinished or failed run; -1 when NULL,
 * or when the log table predates the column (reading never adds it). */
static long read_done(rt_runner *rn)
{
	rt_str sql = RT_STR_INIT;
	rt_err ignore = RT_ERR_INIT;
	rt_rows rows;
	long done = -1;

	rt_str_printf(&sql,
		      "SELECT statements_done FROM %s WHERE status IN "
		      "('running', 'failed') ORDER BY id",
		      rt_str_cstr(&rn->lt));
	if (rt_runner_query(rn, &sql, &rows, &ignore) == 0) {
		if (rows.nrows && rt_rows_at(&rows, 0, 0))
			done = atol(rt_rows_at(&rows, 0, 0));
		rt_rows_free(&rows);
	}
	rt_err_dispose(&ignore);
	return done;
}

/* The oldest unfinished or failed run, as the dirty check reads it. */
static int read_dirty(rt_runner *rn, retort_status *st)
{
	retort_dirty *d = &st->dirty;
	rt_rows rows;
	int error;

	if ((error = rt_runner_unfinished(rn, &rows)) < 0)
		return error;
	if (rows.nrows) {
		d->dirty = 1;
		d->revision = keep(st, rt_rows_at(&rows, 0, 0));
		d->direction = keep(st, rt_rows_at(&rows, 0, 1));
		d->status = keep(st, rt_rows_at(&rows, 0, 2));
		d->started_at = keep(st, rt_rows_at(&rows, 0, 3));
		d->host = keep(st, rt_rows_at(&rows, 0, 4));
		d->pid = keep(st, rt_rows_at(&rows, 0, 5));
		d->message = keep(st, rt_rows_at(&rows, 0, 6));
		d->statements_done = read_done(rn);
	}
	rt_rows_free(&rows);
	return 0;
}

int rt_status_read(retort *r, retort_status **out)
{
	retort_status *st = calloc(1, sizeof(*st));
	rt_heads rows = { 0 };
	rt_runner rn;
	int error, exists = 0;

	*out = NULL;
	if (!st)
		return rt_err_oom(&r->err);
	if ((error = entries(r, st)) < 0 ||
	    (error = rt_runner_open(&rn, r, 1, NULL)) < 0)
		goto done;
	if ((error = rt_runner_read_heads(&rn, &rows)) < 0 ||
	    (error = mark_applied(r, st, &rows)) < 0)
		goto close;
	if (!rn.missing &&
	    (error = rn.drv->table_exists(rn.conn, rn.schema, rn.log_table,
					  &exists, &r->err)) < 0)
		goto close;
	if (exists && ((error = read_log(&rn, st)) < 0 ||
		       (error = read_dirty(&rn, st)) < 0))
		goto close;
close:
	rt_runner_close(&rn);
done:
	rt_heads_free(&rows);
	if (error < 0)
		rt_status_free(st);
	else
		*out = st;
	return error;
}
