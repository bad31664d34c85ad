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
#include "run/run.h"
#include "run/runner.h"
#include "sql/quote.h"
#include "util/clock.h"
#include "util/str.h"

/* `current` says so when the database is dirty (writes would refuse). */
static void warn_if_dirty(retort *r)
{
	rt_runner rn;

	if (rt_runner_open(&rn, r, 1, NULL) == 0 &&
	    rt_runner_check_dirty(&rn) == RETORT_EDIRTY)
		rt_log(r, RETORT_LOG_WARNING, "%s", rt_err_msg(&r->err));
	rt_runner_close(&rn);
	rt_err_clear(&r->err);
}

static int read_rows(retort *r, rt_heads *heads)
{
	rt_runner rn;
	int error;

	if ((error = rt_runner_open(&rn, r, 1, NULL)) == 0)
		error = rt_runner_read_heads(&rn, heads);
	rt_runner_close(&rn);
	return error;
}

int retort_version_rows(char ***out, size_t *count, retort *r)
{
	rt_heads heads = { 0 };
	int error;

	*out = NULL;
	*count = 0;
	rt_err_clear(&r->err);
	if ((error = read_rows(r, &heads)) < 0) {
		rt_heads_free(&heads);
		return error;
	}
	*out = heads.v;
	*count = heads.n;
	return 0;
}

void retort_strings_free(char **v, size_t count)
{
	size_t i;

	for (i = 0; v && i < count; i++)
		free(v[i]);
	free(v);
}

/* "Can't locate revision" for a row that no file has, with a hint. */
static int unknown_rows(retort *r, const rt_heads *heads)
{
	size_t i;

	for (i = 0; i < heads->n; i++) {
		uint32_t idx;

		if (!rt_map_get(&r->graph->ids, heads->v[i],
				strlen(heads->v[i]), &idx))
			return rt_fail(r, RETORT_ENOTFOUND,
				       "Can't locate revision identified by "
				       "'%s' (the database is at revision "
				       "'%s', which is not in the revision "
				       "files: was the file deleted, or is "
				       "this the wrong project? 'retort "
				       "stamp --purge REV' resets the "
				       "version table)",
				       heads->v[i], heads->v[i]);
	}
	return 0;
}

int retort_current(retort_revlist **out, retort *r, unsigned int flags)
{
	rt_heads heads = { 0 };
	rt_resolver res;
	rt_refs refs;
	int error;

	*out = NULL;
	rt_err_clear(&r->err);
	if ((error = rt_project_load(r, 0)) < 0 ||
	    (error = read_rows(r, &heads)) < 0 ||
	    (error = unknown_rows(r, &heads)) < 0)
		goto done;
	warn_if_dirty(r);
	if (flags & RETORT_CURRENT_CHECK_HEADS) {
		const rt_idlist *h = &r->graph->heads;
		int same = h->n == heads.n;
		uint32_t i;
		size_t k;

		for (i = 0; i < h->n && same; i++) {
			int found = 0;

			for (k = 0; k < heads.n; k++)
				found |= !strcmp(heads.v[k],
						 r->graph->revs[h->v[i]].s.id);
			same = found;
		}
		if (!same) {
			error = rt_fail(r, RETORT_EPROBLEMS,
					"Database is not on all head "
					"revisions");
			goto done;
		}
	}
	rt_resolver_init(&res, r->graph, &r->err);
	error = rt_get_all_current(
	    &res, rt_arg_tuple((const char *const *)heads.v, (uint32_t)heads.n),
	    &refs);
	if (error < 0)
		error = rt_resolver_catch(&res, NULL);
	else
		error = rt_revlist_from_refs(r, &refs, out);
	rt_resolver_dispose(&res);
done:
	rt_heads_free(&heads);
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
	if (sql.oom) {
		rt_str_dispose(&sql);
		return rt_err_oom(&rn->r->err);
	}
	error = rn->drv->query(rn->conn, sql.ptr, &rows, &rn->r->err);
	rt_str_dispose(&sql);
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

/* Revisions applied in a database at `heads`: their ancestors. */
static int applied_set(retort *r, const rt_heads *heads, rt_set *set)
{
	uint32_t *t = malloc((heads->n ? heads->n : 1) * sizeof(*t));
	uint32_t n = 0;
	size_t i;
	int rc;

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
	rc = rt_graph_reach(r->graph, t, n, RT_ANCESTORS, set);
	free(t);
	return rc < 0 ? rt_err_oom(&r->err) : 0;
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
	    (error = applied_set(r, &heads, &set)) < 0)
		goto done;
	for (i = 0; i < r->graph->n && !error; i++) {
		const retort_revision *rev = &r->graph->revs[i];

		if (!set.in[i] || !by_rev[i].checksum)
			continue;
		if (strcmp(by_rev[i].checksum, rt_revision_sum(rev, 0)))
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
	rt_str msg = RT_STR_INIT;
	int error = 0;

	rt_str_printf(&msg,
		      "revision %s was edited after it was applied (%s): the "
		      "database ran sha256 %.12s, the file now has %.12s "
		      "('retort repair --checksums' accepts the edit)",
		      rev->s.id, a->when, a->checksum, rt_revision_sum(rev, 0));
	if (msg.oom || rt_problem_add(out, "checksum", rev->s.id, rev->s.path,
				      rev->s.upgrade_line, msg.ptr) < 0)
		error = rt_err_oom(&rn->r->err);
	rt_str_dispose(&msg);
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
	if ((error = rt_runner_open(&rn, r, 1, NULL)) == 0)
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
	rt_dialect d = rn->url->dialect;
	rt_str sql = RT_STR_INIT;
	char started[64];
	int error;

	rt_clock_utc_text(started);
	rt_str_printf(&sql,
		      "INSERT INTO %s (revision, direction, from_revisions, "
		      "to_revisions, checksum, status, started_at, "
		      "duration_ms, db_user, retort_version, host, pid, "
		      "message) VALUES (",
		      rt_str_cstr(&rn->lt));
	rt_sql_literal(&sql, d, rev->s.id);
	rt_str_puts(&sql, ", 'checksum', '', '', ");
	rt_sql_literal(&sql, d, rt_revision_sum(rev, 0));
	rt_str_puts(&sql, ", 'ok', ");
	rt_sql_literal(&sql, d, started);
	rt_str_puts(&sql, ", 0, ");
	if (rn->drv->user(rn->conn))
		rt_sql_literal(&sql, d, rn->drv->user(rn->conn));
	else
		rt_str_puts(&sql, "NULL");
	rt_str_puts(&sql, ", ");
	rt_sql_literal(&sql, d, retort_version());
	rt_str_puts(&sql, ", ");
	rt_sql_literal(&sql, d, rn->host);
	rt_str_printf(&sql, ", %ld, ", (long)getpid());
	{
		rt_str m = RT_STR_INIT;

		rt_str_printf(&m, "accepted an edit; was %s", a->checksum);
		rt_sql_literal(&sql, d, rt_str_cstr(&m));
		rt_str_dispose(&m);
	}
	rt_str_putc(&sql, ')');
	if (sql.oom) {
		rt_str_dispose(&sql);
		return rt_err_oom(&rn->r->err);
	}
	error = rn->drv->exec(rn->conn, sql.ptr, sql.len, NULL, &rn->r->err);
	rt_str_dispose(&sql);
	if (!error) {
		res->checksums++;
		rt_log(rn->r, RETORT_LOG_INFO,
		       "accepted the edited revision %s (%s)", rev->s.id,
		       rev->s.path);
	}
	return error;
}

/* Lock waits reach the user through the log callback. */
static void log_event(const retort_event *ev, void *payload)
{
	if (ev->kind == RETORT_EVENT_LOCK_WAIT)
		rt_log(payload, RETORT_LOG_NOTICE, "%s", ev->message);
}

int retort_repair(retort_repair_result *out, retort *r, unsigned int flags)
{
	retort_run_options none = RETORT_RUN_OPTIONS_INIT;
	rt_runner rn;
	rt_rows rows = { 0 };
	rt_str sql = RT_STR_INIT;
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	rt_err_clear(&r->err);
	if ((error = rt_project_load(r, 0)) < 0)
		return error;
	none.event = log_event;
	none.event_payload = r;
	if ((error = rt_runner_open(&rn, r, 0, &none)) < 0)
		goto done;
	if ((error = rn.drv->lock(rn.conn, &r->err)) < 0)
		goto done;
	rn.locked = 1;
	if ((error = rn.drv->begin(rn.conn, &r->err)) < 0)
		goto done;
	rn.in_tx = 1;
	if ((error = rt_runner_ensure_tables(&rn)) < 0)
		goto done;
	rt_str_printf(&sql,
		      "SELECT revision, direction, status, started_at FROM %s "
		      "WHERE status IN ('running', 'failed') ORDER BY id",
		      rt_str_cstr(&rn.lt));
	if (sql.oom) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error = rn.drv->query(rn.conn, sql.ptr, &rows, &r->err)) < 0)
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
			      rt_str_cstr(&rn.lt));
		if (sql.oom) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		if ((error = rn.drv->exec(rn.conn, sql.ptr, sql.len, NULL,
					  &r->err)) < 0)
			goto done;
	}
	if ((flags & RETORT_REPAIR_CHECKSUMS) &&
	    (error = for_each_edited(&rn, accept_edited, out)) < 0)
		goto done;
	if ((error = rn.drv->commit(rn.conn, &r->err)) < 0)
		goto done;
	rn.in_tx = 0;
	if (!out->runs && !out->checksums)
		rt_log(r, RETORT_LOG_INFO, "nothing to repair");
done:
	if (rn.conn && rn.in_tx)
		rn.drv->rollback(rn.conn, &rn.scratch_err);
	rt_rows_free(&rows);
	rt_str_dispose(&sql);
	rt_runner_close(&rn);
	return error;
}
