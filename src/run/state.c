/* SPDX-License-Identifier: MIT */
/*
 * state.c: reading what the database says about itself: its version rows
 * (`current`, `history -i`), the checksums of applied revisions
 * (`validate`), and clearing the dirty state (`repair`).
 *
 * Reading commands open the database read-only and never create the
 * version table or the database file.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "graph/ident.h"
#include "run/log.h"
#include "run/state.h"
#include "util/clock.h"
#include "util/str.h"

/* `current` says so when the database is dirty (writes would refuse). */
void rt_state_warn_if_dirty(retort *r)
{
	rt_runner rn;

	if (rt_runner_open(&rn, r, 1, NULL) == 0 &&
	    rt_runner_check_dirty(&rn) == RETORT_EDIRTY)
		rt_log(r, RETORT_LOG_WARNING, "%s", rt_err_msg(&r->err));
	rt_runner_close(&rn);
	rt_err_clear(&r->err);
}

int rt_state_read_heads(retort *r, rt_heads *heads)
{
	rt_runner rn;
	int error;

	if ((error = rt_runner_open(&rn, r, 1, NULL)) == 0)
		error = rt_runner_read_heads(&rn, heads);
	rt_runner_close(&rn);
	return error;
}

/* ------------------------------------------------------------------ */
/* checksums */

typedef struct applied {
	char *checksum;
	char *when;
} applied;

/* The last recorded checksum of every revision's upgrade section. */
static int load_checksums(rt_runner *rn, applied *by_rev)
{
	rt_graph *g = rn->r->graph;
	rt_str sql = RT_STR_INIT;
	rt_rows rows;
	size_t i;
	int error;

	rt_str_printf(&sql,
		      "SELECT revision, checksum, started_at FROM %s WHERE "
		      "status IN ('ok', 'repaired') AND direction IN "
		      "('upgrade', 'checksum') AND checksum IS NOT NULL "
		      "ORDER BY id",
		      rt_str_cstr(&rn->lt));
	error = rt_runner_query(rn, &sql, &rows, &rn->r->err);
	if (error < 0)
		return error;
	for (i = 0; i < rows.nrows; i++) {
		const char *rev = rt_rows_at(&rows, i, 0);
		uint32_t idx;

		if (!rev || !rt_map_get(&g->ids, rev, strlen(rev), &idx))
			continue;
		free(by_rev[idx].checksum);
		free(by_rev[idx].when);
		by_rev[idx].checksum = strdup(rt_rows_at(&rows, i, 1));
		by_rev[idx].when = strdup(
		    rt_rows_at(&rows, i, 2) ? rt_rows_at(&rows, i, 2) : "");
		if (!by_rev[idx].checksum || !by_rev[idx].when) {
			rt_rows_free(&rows);
			return rt_err_oom(&rn->r->err);
		}
	}
	rt_rows_free(&rows);
	return 0;
}

int rt_applied_set(retort *r, const rt_heads *heads, rt_set *set)
{
	uint32_t *t = malloc((heads->n ? heads->n : 1) * sizeof(*t));
	uint32_t n = 0;
	size_t i;
	int error;

	if (!t || rt_set_init(set, r->graph) < 0) {
		free(t);
		return rt_err_oom(&r->err);
	}
	for (i = 0; i < heads->n; i++) {
		uint32_t idx;

		if (rt_map_get(&r->graph->ids, heads->v[i], strlen(heads->v[i]),
			       &idx))
			t[n++] = idx;
	}
	error = rt_graph_reach(r->graph, t, n, RT_ANCESTORS, set);
	free(t);
	return error < 0 ? rt_err_oom(&r->err) : 0;
}

/* The checksum of the upgrade section this database's dialect runs, as
 * recorded in the log; "none" when the file has no such section any more
 * (never equal to a recorded checksum). */
static const char *file_sum(const rt_runner *rn, const retort_revision *rev)
{
	const char *sum = rt_revision_sum(rev, 0, rn->url->dialect);

	return sum ? sum : "none";
}

/* Applied revisions whose file no longer matches what ran: calls fn for
 * each with the recorded checksum and date. */
typedef int (*edited_fn)(rt_runner *rn, const retort_revision *rev,
			 const applied *a, void *payload);

static int for_each_edited(rt_runner *rn, edited_fn fn, void *payload)
{
	retort *r = rn->r;
	rt_heads heads = { 0 };
	applied *by_rev = NULL;
	rt_set set = { 0 };
	uint32_t i;
	int error, exists;

	if ((error = rt_runner_read_heads(rn, &heads)) < 0 || rn->missing)
		goto done;
	if ((error = rn->drv->table_exists(rn->conn, rn->schema, rn->log_table,
					   &exists, &r->err)) < 0 ||
	    !exists)
		goto done;
	by_rev = calloc(r->graph->n ? r->graph->n : 1, sizeof(*by_rev));
	if (!by_rev) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error = load_checksums(rn, by_rev)) < 0 ||
	    (error = rt_applied_set(r, &heads, &set)) < 0)
		goto done;
	for (i = 0; i < r->graph->n && !error; i++) {
		const retort_revision *rev = &r->graph->revs[i];

		if (!set.in[i] || !by_rev[i].checksum)
			continue;
		if (strcmp(by_rev[i].checksum, file_sum(rn, rev)))
			error = fn(rn, rev, &by_rev[i], payload);
	}
done:
	if (by_rev)
		for (i = 0; i < r->graph->n; i++) {
			free(by_rev[i].checksum);
			free(by_rev[i].when);
		}
	free(by_rev);
	rt_set_free(&set);
	rt_heads_free(&heads);
	return error;
}

static int report_edited(rt_runner *rn, const retort_revision *rev,
			 const applied *a, void *payload)
{
	rt_problems *out = payload;
	const rt_script_sec *sec =
	    rt_script_section(&rev->s, 0, rn->url->dialect, NULL);
	rt_str msg = RT_STR_INIT;
	int error = 0;

	rt_str_printf(&msg,
		      "revision %s was edited after it was applied (%s): the "
		      "database ran sha256 %.12s, the file now has %.12s "
		      "('retort repair --checksums' accepts the edit)",
		      rev->s.id, a->when, a->checksum, file_sum(rn, rev));
	if (msg.oom || rt_problem_add(out, "checksum", rev->s.id, rev->s.path,
				      sec ? sec->marker : rev->s.upgrade_line,
				      msg.ptr) < 0)
		error = rt_err_oom(&rn->r->err);
	rt_str_dispose(&msg);
	return error;
}

/* Version rows that no revision file has: every later command fails on
 * them, so validate reports each (with what rt_project_check_rows says). */
static int report_unknown_rows(rt_runner *rn, rt_problems *out)
{
	retort *r = rn->r;
	rt_heads heads = { 0 };
	size_t i;
	int error;

	if ((error = rt_runner_read_heads(rn, &heads)) < 0)
		goto done;
	for (i = 0; i < heads.n && !error; i++) {
		const char *row = heads.v[i];

		if (rt_project_check_rows(r, &row, 1) == 0)
			continue;
		error = rt_problem_add(out, "unknown-revision", row, NULL, 0,
				       rt_err_msg(&r->err)) < 0
			    ? rt_err_oom(&r->err)
			    : 0;
		rt_err_clear(&r->err);
	}
done:
	rt_heads_free(&heads);
	return error;
}

int rt_validate_checksums(retort *r, rt_problems *out)
{
	const rt_url *url;
	rt_runner rn;
	int error;

	/* no database configured (or its variable unset): nothing to
	 * compare, which is what a files-only CI job wants */
	if (rt_project_url(r, &url) < 0) {
		rt_log(r, RETORT_LOG_WARNING,
		       "not checking applied checksums: %s",
		       rt_err_msg(&r->err));
		rt_err_clear(&r->err);
		return 0;
	}
	if ((error = rt_runner_open(&rn, r, 1, NULL)) == 0 &&
	    (error = report_unknown_rows(&rn, out)) == 0)
		error = for_each_edited(&rn, report_edited, out);
	rt_runner_close(&rn);
	return error;
}

/* ------------------------------------------------------------------ */
/* repair */

static int accept_edited(rt_runner *rn, const retort_revision *rev,
			 const applied *a, void *payload)
{
	retort_repair_result *res = payload;
	rt_str msg = RT_STR_INIT;
	char started[64];
	rt_log_row row;
	int error;

	rt_clock_utc_text(started);
	rt_str_printf(&msg, "accepted an edit; was %s", a->checksum);
	memset(&row, 0, sizeof(row));
	row.done = -1;
	row.revision = rev->s.id;
	row.direction = "checksum";
	row.from = row.to = "";
	row.checksum = rt_revision_sum(rev, 0, rn->url->dialect);
	row.status = "ok";
	row.started = started;
	row.message = rt_str_cstr(&msg);
	error = msg.oom ? rt_err_oom(&rn->r->err) : rt_log_insert(rn, &row);
	rt_str_dispose(&msg);
	if (!error) {
		res->checksums++;
		rt_log(rn->r, RETORT_LOG_INFO,
		       "accepted the edited revision %s (%s)", rev->s.id,
		       rev->s.path);
	}
	return error;
}

/* A "running" row whose process is alive is a run in progress, not a
 * dirty database: repairing it would let the next run repeat it. */
static int refuse_live(rt_runner *rn, const rt_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->nrows; i++) {
		const char *rev = rt_rows_at(rows, i, 0);

		if (strcmp(rt_rows_at(rows, i, 2), "running") ||
		    !rt_runner_row_alive(rn, rt_rows_at(rows, i, 4),
					 rt_rows_at(rows, i, 5),
					 rt_rows_at(rows, i, 6)))
			continue;
		return rt_fail(rn->r, RETORT_ERROR,
			       "not repairing: %s of revision %s "
			       "(transaction:false) is still being run by pid "
			       "%s on this host (started %s); wait for it to "
			       "finish, or stop it and run 'retort repair' "
			       "again",
			       rt_rows_at(rows, i, 1), rev ? rev : "?",
			       rt_rows_at(rows, i, 5), rt_rows_at(rows, i, 3));
	}
	return 0;
}

int rt_state_repair(rt_runner *rn, unsigned int flags,
		    retort_repair_result *out)
{
	retort *r = rn->r;
	rt_rows rows = { 0 };
	rt_str sql = RT_STR_INIT;
	size_t i;
	int error;

	if ((error = rn->drv->lock(rn->conn, &r->err)) < 0)
		goto done;
	rn->locked = 1;
	if ((error = rn->drv->begin(rn->conn, &r->err)) < 0)
		goto done;
	rn->in_tx = 1;
	if ((error = rt_runner_ensure_tables(rn)) < 0)
		goto done;
	if ((error = rt_runner_unfinished(rn, &rows)) < 0 ||
	    (error = refuse_live(rn, &rows)) < 0)
		goto done;
	for (i = 0; i < rows.nrows; i++) {
		const char *rev = rt_rows_at(&rows, i, 0);

		rt_log(r, RETORT_LOG_INFO,
		       "marked the %s %s of revision %s (started %s) as "
		       "repaired",
		       rt_rows_at(&rows, i, 2), rt_rows_at(&rows, i, 1),
		       rev ? rev : "?", rt_rows_at(&rows, i, 3));
		rt_log(r, RETORT_LOG_INFO,
		       "the version table does not record that %s of %s: if "
		       "you completed it by hand, stamp the revision it was "
		       "moving to ('retort stamp REV'); otherwise the next "
		       "run does it again",
		       rt_rows_at(&rows, i, 1), rev ? rev : "?");
	}
	out->runs = rows.nrows;
	if (rows.nrows) {
		rt_str_clear(&sql);
		rt_str_printf(&sql,
			      "UPDATE %s SET status = 'repaired' WHERE status "
			      "IN ('running', 'failed')",
			      rt_str_cstr(&rn->lt));
		if (sql.oom) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		if ((error = rn->drv->exec(rn->conn, sql.ptr, sql.len, NULL,
					   &r->err)) < 0)
			goto done;
	}
	if ((flags & RETORT_REPAIR_CHECKSUMS) &&
	    (error = for_each_edited(rn, accept_edited, out)) < 0)
		goto done;
	if ((error = rn->drv->commit(rn->conn, &r->err)) < 0)
		goto done;
	rn->in_tx = 0;
	if (!out->runs && !out->checksums)
		rt_log(r, RETORT_LOG_INFO, "nothing to repair");
done:
	if (rn->conn && rn->in_tx)
		rn->drv->rollback(rn->conn, &rn->scratch_err);
	rt_rows_free(&rows);
	rt_str_dispose(&sql);
	return error;
}
