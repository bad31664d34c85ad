/* SPDX-License-Identifier: MIT */
/*
 * run.c: running upgrade, downgrade and stamp against a database.
 *
 * The run, per transaction:
 *   BEGIN (SQLite: IMMEDIATE = the write lock)
 *   refuse if the log says the database is dirty
 *   read the version rows; (re)plan if they are not what the last step
 *     left (another deploy got there first), so that concurrent runs
 *     apply each revision exactly once and all end at the target
 *   run the step's section, its version-row changes and its log row
 *   COMMIT
 * With a session lock (PostgreSQL) the lock is taken once and the rows
 * are read once. With transaction_per_migration = false the whole run is
 * one transaction. A `transaction:false` section runs between two
 * transactions: a "running" log row is committed first and turned into
 * "ok" afterwards, so a failure (or a crash) leaves the database marked
 * dirty until `retort repair`.
 *
 * Invariant: the version rows and the log change only together with the
 * SQL they describe, in one transaction, except around transaction:false
 * sections as above.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "plan/render.h"
#include "run/log.h"
#include "run/run.h"
#include "run/runner.h"
#include "script/todo.h"
#include "sql/classify.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/sha256.h"
#include "util/str.h"

static int heads_has(const rt_heads *h, const char *id)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->v[i], id))
			return 1;
	return 0;
}

static int heads_equal(const rt_heads *a, const rt_heads *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!heads_has(b, a->v[i]))
			return 0;
	return 1;
}

static int heads_apply(rt_heads *h, const retort_step *s)
{
	size_t i, j;

	for (i = 0; i < s->nops; i++) {
		const retort_version_op *op = &s->ops[i];

		if (op->from)
			for (j = 0; j < h->n; j++)
				if (!strcmp(h->v[j], op->from)) {
					free(h->v[j]);
					h->v[j] = h->v[--h->n];
					break;
				}
		if (op->to && rt_heads_add(h, op->to) < 0)
			return -1;
	}
	return 0;
}

/* The log row of a step; from and to are filled in by the caller. */
static void step_row(const rt_runner *rn, const retort_step *s,
		     const char *status, const char *started, double ms,
		     rt_log_row *row)
{
	memset(row, 0, sizeof(*row));
	row->done = -1;
	row->revision = s->revision ? s->revision->s.id
			: s->nto    ? s->to[0]
			: s->nfrom  ? s->from[0]
				    : NULL;
	row->direction = s->kind == RETORT_STEP_UPGRADE	    ? "upgrade"
			 : s->kind == RETORT_STEP_DOWNGRADE ? "downgrade"
							    : "stamp";
	row->checksum =
	    s->revision
		? rt_revision_sum(s->revision, s->kind == RETORT_STEP_DOWNGRADE,
				  rn->url->dialect)
		: NULL;
	row->status = status;
	row->started = started;
	row->ms = ms;
}

static void join_ids(rt_str *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rt_str_printf(s, "%s%s", i ? "," : "", v[i]);
}

/* The INSERT of a step's log row, appended to sql; with done >= 0, its
 * progress (statements_done, statements_sum) too. */
static int log_insert_done(rt_runner *rn, const retort_step *s,
			   const char *status, const char *started, double ms,
			   long done, const char *done_sum, rt_str *sql)
{
	rt_str from = RT_STR_INIT, to = RT_STR_INIT;
	rt_log_row row;
	int error;

	step_row(rn, s, status, started, ms, &row);
	row.done = done;
	row.done_sum = done_sum;
	join_ids(&from, s->from, s->nfrom);
	join_ids(&to, s->to, s->nto);
	row.from = rt_str_cstr(&from);
	row.to = rt_str_cstr(&to);
	error = from.oom || to.oom ? -1 : rt_log_insert_sql(rn, &row, sql);
	rt_str_dispose(&from);
	rt_str_dispose(&to);
	return error;
}

static int log_insert_sql(rt_runner *rn, const retort_step *s,
			  const char *status, const char *started, double ms,
			  rt_str *sql)
{
	return log_insert_done(rn, s, status, started, ms, -1, NULL, sql);
}

static int log_insert(rt_runner *rn, const retort_step *s, const char *status,
		      const char *started, double ms)
{
	rt_str sql = RT_STR_INIT;
	int error;

	log_insert_sql(rn, s, status, started, ms, &sql);
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

/* ------------------------------------------------------------------ */
/* running one step */

/* The database says an object the upgrade creates exists already. */
static int already_exists(rt_runner *rn, const rt_failure *f)
{
	if (f->sqlstate[0])
		return !strcmp(f->sqlstate, "42P07") ||
		       !strcmp(f->sqlstate, "42710") ||
		       !strcmp(f->sqlstate, "42P06") ||
		       !strcmp(f->sqlstate, "42S01"); /* MySQL */
	return rn->url->dialect == RT_DIALECT_SQLITE &&
	       strstr(rt_err_msg(&rn->r->err), " already exists") != NULL;
}

/* Rewrite a failure in a section as "path:line: message (SQLSTATE)". */
static int section_error(rt_runner *rn, const retort_step *s,
			 const retort_section *sec, int error,
			 const rt_failure *f)
{
	rt_str msg = RT_STR_INIT;
	unsigned line;

	if (error >= 0 || error == RETORT_ENOMEM || error == RETORT_EDB)
		return error;
	line = rt_section_line(sec, f->offset);
	rn->step_line = line;
	rt_str_printf(&msg, "%s:%u: %s%s%s%s", s->revision->s.path, line,
		      rt_err_msg(&rn->r->err),
		      f->sqlstate[0] ? " (SQLSTATE " : "", f->sqlstate,
		      f->sqlstate[0] ? ")" : "");
	if (s->kind == RETORT_STEP_UPGRADE && already_exists(rn, f))
		rt_str_puts(&msg, " (if the database got this before retort "
				  "managed it, 'retort stamp REV' records the "
				  "revision it is at instead of running it)");
	rt_fail(rn->r, error == RETORT_ELOCKED ? RETORT_ELOCKED : RETORT_ERROR,
		"%s", rt_str_cstr(&msg));
	rt_str_dispose(&msg);
	return rn->r->err.code;
}

/* Run the section's SQL; on failure rewrite the error as
 * "path:line: message (SQLSTATE)". */
static int run_section(rt_runner *rn, const retort_step *s,
		       const retort_section *sec)
{
	rt_failure f;
	int error;

	if (!sec || sec->empty)
		return 0;
	rn->cur_sec = sec;
	error = rn->drv->exec(rn->conn, sec->sql, sec->len, &f, &rn->r->err);
	rn->cur_sec = NULL;
	return section_error(rn, s, sec, error, &f);
}

static int rowcount_error(rt_runner *rn, const retort_version_op *op, long n)
{
	if (op->kind == RETORT_VERSION_UPDATE)
		return rt_fail(rn->r, RETORT_ERROR,
			       "Online migration expected to match one row "
			       "when updating '%s' to '%s' in '%s'; %ld found",
			       op->from, op->to, rn->table, n);
	return rt_fail(rn->r, RETORT_ERROR,
		       "Online migration expected to match one row when "
		       "deleting '%s' in '%s'; %ld found",
		       op->from, rn->table, n);
}

static int version_ops(rt_runner *rn, const retort_step *s)
{
	rt_str sql = RT_STR_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < s->nops && !error; i++) {
		const retort_version_op *op = &s->ops[i];

		rt_str_clear(&sql);
		rt_sql_version_op(&sql, rn->url->dialect, rn->schema, rn->table,
				  op);
		if ((error = rt_runner_exec(rn, &sql)) < 0)
			break;
		if (op->kind != RETORT_VERSION_INSERT &&
		    rn->drv->changes(rn->conn) != 1)
			error =
			    rowcount_error(rn, op, rn->drv->changes(rn->conn));
	}
	rt_str_dispose(&sql);
	return error;
}

static const retort_section *step_section(const rt_runner *rn,
					  const retort_step *s)
{
	return rt_step_section(s, rn->url->dialect);
}

static void emit(rt_runner *rn, retort_event_kind kind, const retort_step *s,
		 size_t index, size_t total, double ms)
{
	retort_event ev;

	if (!rn->opts || !rn->opts->event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.step = s;
	ev.index = index;
	ev.total = total;
	ev.elapsed_ms = ms;
	rn->opts->event(&ev, rn->opts->event_payload);
}

/* step_pipelined's answer when the step does not fit the driver's
 * one-round-trip path (more version-row changes than it takes): run it
 * statement by statement instead. Positive, so never an error code. */
#define FALL_BACK 1

/* The driver's one-round-trip path: section + version rows + log row. */
static int step_pipelined(rt_runner *rn, const retort_step *s, double t0,
			  const char *started)
{
	const retort_section *sec = step_section(rn, s);
	rt_str texts[8];
	const char *epi[8];
	long changes[8];
	rt_failure f;
	size_t n = 0, i;
	int error = 0;

	if (s->nops + 1 > sizeof(texts) / sizeof(texts[0]))
		return FALL_BACK;
	for (i = 0; i < s->nops; i++) {
		texts[n] = (rt_str)RT_STR_INIT;
		rt_sql_version_op(&texts[n], rn->url->dialect, rn->schema,
				  rn->table, &s->ops[i]);
		n++;
	}
	texts[n] = (rt_str)RT_STR_INIT;
	(void)t0;
	log_insert_sql(rn, s, "ok", started, -1, &texts[n]);
	n++;
	for (i = 0; i < n; i++) {
		if (texts[i].oom)
			error = rt_err_oom(&rn->r->err);
		epi[i] = rt_str_cstr(&texts[i]);
	}
	if (!error) {
		static const char nothing[] = "";
		int begin = !rn->in_tx;

		rn->cur_sec = sec && !sec->empty ? sec : NULL;
		error = rn->drv->run_step(
		    rn->conn, begin, sec && !sec->empty ? sec->sql : nothing,
		    sec && !sec->empty ? sec->len : 0, epi, n, changes, &f,
		    &rn->r->err);
		rn->cur_sec = NULL;
		rn->in_tx = 1;
		if (error < 0 && f.offset != -2 && sec)
			error = section_error(rn, s, sec, error, &f);
		for (i = 0; i < s->nops && !error; i++)
			if (s->ops[i].kind != RETORT_VERSION_INSERT &&
			    changes[i] != 1)
				error =
				    rowcount_error(rn, &s->ops[i], changes[i]);
	}
	for (i = 0; i < n; i++)
		rt_str_dispose(&texts[i]);
	return error;
}

/* Inside a transaction (the caller's): run a transactional step. */
static int step_in_tx(rt_runner *rn, const retort_step *s, double t0,
		      const char *started)
{
	const retort_section *sec = step_section(rn, s);
	int error;

	if (rn->drv->run_step) {
		error = step_pipelined(rn, s, t0, started);
		if (error != FALL_BACK)
			return error;
	}
	if (!rn->in_tx) {
		if ((error = rn->drv->begin(rn->conn, &rn->r->err)) < 0)
			return error;
		rn->in_tx = 1;
	}
	if ((error = run_section(rn, s, sec)) < 0 ||
	    (error = version_ops(rn, s)) < 0 ||
	    (error = log_insert(rn, s, "ok", started, rt_clock_ms() - t0)) < 0)
		return error;
	return 0;
}

/* ------------------------------------------------------------------ */
/* sections outside a transaction, statement by statement
 *
 * A transaction:false section, and on a database without transactional
 * DDL (MySQL) every section, cannot be undone by a rollback. So its
 * progress is in its log row: before the section, a "running" row is
 * committed with statements_done = the statements known done (0, or
 * where a resumed run starts); before each statement that is its own
 * unit, the row is brought up to date (a statement in flight is thus
 * never counted); a failure turns it into "failed" with the count of
 * the statements that completed; success turns it into "ok" together
 * with the version rows. statements_sum is the SHA-256 of the completed
 * statements' text, so that a later run resumes at the failed statement
 * only when the file is unchanged up to it (run_prepare).
 *
 * On MySQL a section that is not transaction:false still gets every
 * transaction MySQL can give: consecutive statements that keep a
 * transaction open (rt_sql_keeps_transaction: data changes, savepoints)
 * run as one unit in a transaction with the row's progress, and a
 * trailing group commits together with the version rows and the "ok".
 * A section made only of such statements is an ordinary transactional
 * step.
 */

typedef struct section_run {
	const retort_section *sec;
	rt_sql_stmt *st;
	size_t n;
	unsigned char *keeps; /* per statement: may share a transaction */
	/* statements_sum so far: the hash of statements [0, summed), kept
	 * running so that recording progress statement after statement
	 * costs each statement's text once */
	rt_sha256 sum;
	size_t summed;
} section_run;

static void section_run_free(section_run *sr)
{
	free(sr->st);
	free(sr->keeps);
}

/* Split the section; with `group`, mark the statements that may share
 * a transaction. -1 when out of memory. */
static int section_run_init(section_run *sr, rt_dialect d,
			    const retort_section *sec, int group)
{
	size_t i;

	memset(sr, 0, sizeof(*sr));
	sr->sec = sec;
	rt_sha256_init(&sr->sum);
	if (rt_sql_split(d, sec->sql, sec->len, &sr->st, &sr->n) < 0)
		return -1;
	if (!(sr->keeps = calloc(sr->n + 1, 1)))
		return -1;
	for (i = 0; group && i < sr->n; i++)
		sr->keeps[i] = (unsigned char)rt_sql_keeps_transaction(
		    d, sec->sql + sr->st[i].start, sr->st[i].len);
	return 0;
}

static void sum_statements(section_run *sr, rt_sha256 *c, size_t from,
			   size_t to)
{
	for (; from < to && from < sr->n; from++) {
		rt_sha256_update(c, sr->sec->sql + sr->st[from].start,
				 sr->st[from].len);
		rt_sha256_update(c, "\n;\n", 3);
	}
}

/* statements_sum of the first n statements: SHA-256 (hex) of their text,
 * each followed by "\n;\n". Goes on from the running hash when n is at
 * or past it (progress only moves forward), else starts over. */
static void section_sum(section_run *sr, size_t n, char hex[65])
{
	rt_sha256 c;

	if (n >= sr->summed) {
		sum_statements(sr, &sr->sum, sr->summed, n);
		sr->summed = n;
		c = sr->sum;
	} else {
		rt_sha256_init(&c);
		sum_statements(sr, &c, 0, n);
	}
	rt_sha256_final_hex(&c, hex);
}

static int progress(rt_runner *rn, section_run *sr, size_t done)
{
	char sum[65];

	section_sum(sr, done, sum);
	return rt_log_progress(rn, (long)done, sum);
}

/* Statements [from, to) one exec each; *failed_at is the index of the
 * one that failed. */
static int exec_range(rt_runner *rn, const retort_step *s, section_run *sr,
		      size_t from, size_t to, size_t *failed_at)
{
	rt_failure f;
	size_t i;
	int error;

	for (i = from; i < to; i++) {
		const rt_sql_stmt *st = &sr->st[i];

		*failed_at = i;
		if ((error = rt_interrupt_check(rn->r)) < 0)
			return error;
		/* one statement an exec: reported here, whatever the
		 * driver reports (rn->cur_sec is NULL) */
		rt_runner_statement(rn, sr->sec, st->start);
		error = rn->drv->exec(rn->conn, sr->sec->sql + st->start,
				      st->len, &f, &rn->r->err);
		if (error < 0) {
			if (f.offset >= 0)
				f.offset += (long)st->start;
			else
				f.offset = (long)st->start;
			return section_error(rn, s, sr->sec, error, &f);
		}
	}
	return 0;
}

/* The section failed with `done` statements completed: roll back an open
 * transaction, record "failed" with the progress, and say what it means
 * after the error. */
static int section_failed(rt_runner *rn, const retort_step *s, section_run *sr,
			  size_t done, double t0, int error)
{
	rt_err saved = RT_ERR_INIT;
	char sum[65];
	unsigned line = rn->step_line ? rn->step_line : sr->sec->line;
	/* MySQL's first statement failed: a statement is atomic, so
	 * nothing changed and nothing is recorded, as with a rollback */
	int nothing = sr->sec->transactional && done == 0 && !rn->resumed;
	int rc;

	rt_err_move(&saved, &rn->r->err);
	if (rn->in_tx) {
		rn->drv->rollback(rn->conn, &rn->scratch_err);
		rn->in_tx = 0;
	}
	section_sum(sr, done, sum);
	if (error != RETORT_EDB &&
	    rn->drv->begin(rn->conn, &rn->scratch_err) == 0) {
		rc = nothing
			 ? rt_log_discard(rn)
			 : rt_log_finish(rn, "failed", rt_clock_ms() - t0,
					 rt_err_msg(&saved), (long)done, sum);
		if (rc == 0)
			rn->drv->commit(rn->conn, &rn->scratch_err);
		else
			rn->drv->rollback(rn->conn, &rn->scratch_err);
	}
	rt_err_move(&rn->r->err, &saved);
	if (error == RETORT_EINTERRUPTED || (nothing && error != RETORT_EDB))
		return error; /* interrupt.c says what it means */
	if (sr->sec->transactional)
		rt_str_printf(&rn->r->err.msg,
			      " (MySQL cannot roll back DDL: %zu of the %zu "
			      "statements of revision %s ran and stay; the "
			      "database is marked dirty at statement %zu; "
			      "fix the cause and run the same command again "
			      "to go on from there, or undo them by hand and "
			      "run 'retort repair')",
			      done, sr->n, s->revision->s.id, done + 1);
	else if (done == 0)
		rt_str_printf(&rn->r->err.msg,
			      " (it ran outside a transaction: the database "
			      "is now marked dirty; fix the cause and run the "
			      "same command again to go on from line %u, or "
			      "fix it by hand and run 'retort repair')",
			      line);
	else
		rt_str_printf(&rn->r->err.msg,
			      " (it ran outside a transaction: %zu of its %zu "
			      "statements ran and stay; the database is now "
			      "marked dirty at statement %zu; fix the cause "
			      "and run the same command again to go on from "
			      "there, or fix it by hand and run 'retort "
			      "repair')",
			      done, sr->n, done + 1);
	return error;
}

/* The section's units from statement sr->st[from]; the last one ends in
 * an open transaction holding the version rows and the "ok" row. */
static int run_units(rt_runner *rn, const retort_step *s, section_run *sr,
		     size_t from, double t0)
{
	size_t i = from, j, recorded = from, failed_at = from;
	char sum[65];
	int error;

	rn->step_outside = 1;
	while (i < sr->n) {
		rn->step_done = i;
		j = i + 1;
		if (sr->keeps[i])
			while (j < sr->n && sr->keeps[j])
				j++;
		if (recorded != i && (error = progress(rn, sr, i)) < 0)
			return section_failed(rn, s, sr, i, t0, error);
		recorded = i;
		if (sr->keeps[i]) {
			if ((error = rn->drv->begin(rn->conn, &rn->r->err)) < 0)
				return section_failed(rn, s, sr, i, t0, error);
			rn->in_tx = 1;
		}
		if ((error = exec_range(rn, s, sr, i, j, &failed_at)) < 0)
			return section_failed(
			    rn, s, sr, sr->keeps[i] ? i : failed_at, t0, error);
		if (sr->keeps[i] && j < sr->n) {
			if ((error = progress(rn, sr, j)) < 0 ||
			    (error = rn->drv->commit(rn->conn, &rn->r->err)) <
				0)
				return section_failed(rn, s, sr, i, t0, error);
			rn->in_tx = 0;
			recorded = j;
		}
		i = j;
	}
	if (!rn->in_tx) {
		if ((error = rn->drv->begin(rn->conn, &rn->r->err)) < 0)
			return error;
		rn->in_tx = 1;
	}
	section_sum(sr, sr->n, sum);
	if ((error = version_ops(rn, s)) < 0 ||
	    (error = rt_log_finish(rn, "ok", rt_clock_ms() - t0, NULL,
				   (long)sr->n, sum)) < 0)
		return error;
	return 0;
}

/* A step whose section runs outside a transaction (see above); called
 * inside a transaction, which it commits before the section, or outside
 * one; it leaves one open after the section. resume_id: the failed row this run takes over, its
 * section resuming at statement `from`. */
static int step_outside_tx(rt_runner *rn, const retort_step *s, double t0,
			   const char *started, const char *resume_id,
			   size_t from)
{
	const retort_section *sec = step_section(rn, s);
	section_run sr;
	char sum[65];
	size_t i;
	int error, all_keep = 1;

	if (!sec) /* (the caller sends only revisions' sections here) */
		return step_in_tx(rn, s, t0, started);
	if (section_run_init(&sr, rn->url->dialect, sec, sec->transactional) <
	    0) {
		section_run_free(&sr);
		return rt_err_oom(&rn->r->err);
	}
	for (i = 0; i < sr.n; i++)
		all_keep = all_keep && sr.keeps[i];
	if (all_keep && !resume_id) {
		/* nothing that commits: an ordinary transactional step */
		section_run_free(&sr);
		return step_in_tx(rn, s, t0, started);
	}
	section_sum(&sr, from, sum);
	rn->resumed = resume_id != NULL;
	if (resume_id)
		error = rt_log_resume(rn, resume_id);
	else {
		rt_str sql = RT_STR_INIT;

		log_insert_done(rn, s, "running", started, 0, (long)from, sum,
				&sql);
		error = rt_runner_exec(rn, &sql);
		rt_str_dispose(&sql);
	}
	/* the row is committed before the section: by itself outside a
	 * transaction (one round trip), else with the caller's */
	if (error == 0 && rn->in_tx &&
	    (error = rn->drv->commit(rn->conn, &rn->r->err)) == 0)
		rn->in_tx = 0;
	if (error == 0)
		error = run_units(rn, s, &sr, from, t0);
	section_run_free(&sr);
	return error;
}

/* ------------------------------------------------------------------ */
/* the run */

static int make_plan(rt_runner *rn, rt_run_kind kind,
		     const char *const *targets, size_t ntargets,
		     const rt_heads *heads, retort_plan **out)
{
	retort *r = rn->r;
	int error;

	*out = NULL;
	if ((error = rt_project_check_rows(r, (const char *const *)heads->v,
					   heads->n)) < 0)
		return error;
	switch (kind) {
	case RT_RUN_UPGRADE:
		error = rt_plan_upgrade(out, r->graph, targets[0],
					(const char *const *)heads->v, heads->n,
					&r->err);
		break;
	case RT_RUN_DOWNGRADE:
		error = rt_plan_downgrade(out, r->graph, targets[0],
					  (const char *const *)heads->v,
					  heads->n, &r->err);
		break;
	default:
		error = rt_plan_stamp(out, r->graph, targets, ntargets,
				      (const char *const *)heads->v, heads->n,
				      &r->err);
		break;
	}
	if (error < 0)
		return error;
	if ((*out)->warning)
		rt_log(r, RETORT_LOG_WARNING, "%s", (*out)->warning);
	if (kind != RT_RUN_STAMP &&
	    (error = rt_check_plan(r, *out, rn->url->dialect,
				   rn->opts->allow_irreversible)) < 0) {
		rt_plan_free(*out);
		*out = NULL;
	}
	return error;
}

static int purge_rows(rt_runner *rn)
{
	rt_str sql = RT_STR_INIT;
	int error;

	rt_str_printf(&sql, "DELETE FROM %s", rt_str_cstr(&rn->vt));
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

static int sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	return nanosleep(&ts, NULL);
}

/* One online run: the runner, the plan and where it stands. */
typedef struct run_ctx {
	retort *r;
	rt_runner rn;
	rt_run_kind kind;
	const char *const *targets;
	size_t ntargets;
	const retort_run_options *opts;
	retort_plan *plan;
	rt_heads heads, expected; /* rows read; rows the last step left */
	size_t i;		  /* the next step */
	int per_tx_lock, whole, planned;
	double wait_start;
	/* a failed section this run may resume (the rules are in
	 * resume_candidate and resume_check) */
	int candidate, resume;
	char resume_id[32], resume_rev[256];
	char resume_dir[16], resume_sum[65];
	size_t resume_from;
	rt_err dirty; /* the dirty error, while only a candidate */
} run_ctx;

/* run_prepare's answer while another process runs a transaction:false
 * step: try again shortly. Positive, so never an error code. */
#define WAIT 2

static int begin_tx(rt_runner *rn)
{
	int error;

	if (rn->in_tx)
		return 0;
	if ((error = rn->drv->begin(rn->conn, &rn->r->err)) < 0)
		return error;
	rn->in_tx = 1;
	return 0;
}

static int commit_tx(rt_runner *rn)
{
	int error;

	if (!rn->in_tx)
		return 0;
	if ((error = rn->drv->commit(rn->conn, &rn->r->err)) < 0)
		return error;
	rn->in_tx = 0;
	return 0;
}

/* Another process runs a transaction:false step: let it finish, up to
 * lock_timeout. */
static int wait_for_other(run_ctx *x)
{
	rt_runner *rn = &x->rn;

	rn->drv->rollback(rn->conn, &rn->scratch_err);
	rn->in_tx = 0;
	if (rt_clock_ms() - x->wait_start > rn->lock_timeout_ms)
		return rt_fail(x->r, RETORT_ELOCKED,
			       "gave up after lock_timeout (%.0f s) waiting: "
			       "%s; if that process is stuck, stop it: the "
			       "database is then dirty and 'retort repair' "
			       "clears it after you check its work",
			       rn->lock_timeout_ms / 1000,
			       rt_str_cstr(&rn->busy));
	sleep_ms(100);
	return WAIT;
}

/* The database is dirty (r->err says how): is it one failed section,
 * with its progress recorded, that this upgrade or downgrade may resume?
 * Then remember it and set the error aside until the plan is known
 * (0); otherwise the dirty error stands. */
static int resume_candidate(run_ctx *x)
{
	rt_runner *rn = &x->rn;
	rt_str sql = RT_STR_INIT;
	rt_rows rows;
	int error = RETORT_EDIRTY;

	x->candidate = 0;
	if (x->kind != RT_RUN_UPGRADE && x->kind != RT_RUN_DOWNGRADE)
		return error;
	rt_str_printf(&sql,
		      "SELECT id, revision, direction, status, "
		      "statements_done, statements_sum FROM %s WHERE status "
		      "IN ('running', 'failed') ORDER BY id",
		      rt_str_cstr(&rn->lt));
	if (rt_runner_query(rn, &sql, &rows, &rn->scratch_err) < 0)
		return error;
	if (rows.nrows == 1 && !strcmp(rt_rows_at(&rows, 0, 3), "failed") &&
	    rt_rows_at(&rows, 0, 0) && rt_rows_at(&rows, 0, 1) &&
	    rt_rows_at(&rows, 0, 4) && rt_rows_at(&rows, 0, 5) &&
	    strlen(rt_rows_at(&rows, 0, 1)) < sizeof(x->resume_rev) &&
	    strlen(rt_rows_at(&rows, 0, 5)) < sizeof(x->resume_sum)) {
		snprintf(x->resume_id, sizeof(x->resume_id), "%s",
			 rt_rows_at(&rows, 0, 0));
		snprintf(x->resume_rev, sizeof(x->resume_rev), "%s",
			 rt_rows_at(&rows, 0, 1));
		snprintf(x->resume_dir, sizeof(x->resume_dir), "%s",
			 rt_rows_at(&rows, 0, 2));
		x->resume_from =
		    (size_t)strtoul(rt_rows_at(&rows, 0, 4), NULL, 10);
		snprintf(x->resume_sum, sizeof(x->resume_sum), "%s",
			 rt_rows_at(&rows, 0, 5));
		x->candidate = 1;
		rt_err_move(&x->dirty, &x->r->err);
		error = 0;
	}
	rt_rows_free(&rows);
	return error;
}

/* With the plan made: the candidate resumes when the next step is its
 * revision in the same direction and the file is unchanged in the
 * statements that ran (their checksum); otherwise the dirty error
 * stands, saying why it does not resume when the file changed. */
static int resume_check(run_ctx *x)
{
	rt_runner *rn = &x->rn;
	const retort_step *s =
	    x->i < x->plan->steps.n ? &x->plan->steps.v[x->i] : NULL;
	const retort_section *sec = s ? step_section(rn, s) : NULL;
	section_run sr;
	char sum[65];
	int same_step, ok = 0;

	x->candidate = 0;
	same_step =
	    sec && s->revision && !strcmp(s->revision->s.id, x->resume_rev) &&
	    !strcmp(x->resume_dir,
		    s->kind == RETORT_STEP_DOWNGRADE ? "downgrade" : "upgrade");
	if (same_step) {
		if (section_run_init(&sr, rn->url->dialect, sec, 0) < 0) {
			section_run_free(&sr);
			return rt_err_oom(&x->r->err);
		}
		section_sum(&sr, x->resume_from, sum);
		/* (all of them: the failed statement was removed) */
		ok = x->resume_from <= sr.n && !strcmp(sum, x->resume_sum);
		section_run_free(&sr);
	}
	if (ok) {
		x->resume = 1;
		rt_err_clear(&x->dirty);
		rt_log(x->r, RETORT_LOG_INFO,
		       "resuming %s of revision %s at statement %zu: the "
		       "%zu before it ran and are unchanged in %s",
		       x->resume_dir, x->resume_rev, x->resume_from + 1,
		       x->resume_from, s->revision->s.path);
		return 0;
	}
	rt_err_move(&x->r->err, &x->dirty);
	if (same_step)
		rt_str_printf(&x->r->err.msg,
			      " (it does not resume by itself: %s changed in "
			      "the %zu statements that ran)",
			      s->revision->s.path, x->resume_from);
	return x->r->err.code;
}

/* In the transaction that holds the lock: refuse a dirty database, read
 * the version rows and (re)plan when they are not what the last step
 * left (another deploy got there first). */
static int run_prepare(run_ctx *x)
{
	rt_runner *rn = &x->rn;
	int error;

	if ((error = begin_tx(rn)) < 0 ||
	    (error = rt_runner_ensure_tables(rn)) < 0)
		return error;
	if ((error = rt_runner_check_dirty(rn)) == 1)
		return wait_for_other(x);
	if (error == RETORT_EDIRTY)
		error = resume_candidate(x);
	if (error < 0)
		return error;
	if (!x->planned && x->kind == RT_RUN_STAMP && x->opts->purge &&
	    (error = purge_rows(rn)) < 0)
		return error;
	if ((error = rt_runner_read_heads(rn, &x->heads)) < 0)
		return error;
	if (!x->planned || !heads_equal(&x->heads, &x->expected)) {
		if (x->planned)
			rt_log(x->r, RETORT_LOG_INFO,
			       "another process changed the database; "
			       "planning again");
		rt_plan_free(x->plan);
		x->plan = NULL;
		if ((error = make_plan(rn, x->kind, x->targets, x->ntargets,
				       &x->heads, &x->plan)) < 0)
			return error;
		x->planned = 1;
		x->i = 0;
		if (rt_heads_copy(&x->expected, &x->heads) < 0)
			return rt_err_oom(&x->r->err);
	}
	if (x->candidate && (error = resume_check(x)) < 0)
		return error;
	/* with a session lock, planning ends here; each step then opens
	 * its own transaction */
	if (!x->per_tx_lock && !x->whole)
		return commit_tx(rn);
	return 0;
}

/* Run step x->i in its transaction and commit it (or, for a whole-run
 * transaction, only after the last step). */
static int run_step(run_ctx *x)
{
	rt_runner *rn = &x->rn;
	const retort_step *s = &x->plan->steps.v[x->i];
	const retort_section *sec = step_section(rn, s);
	size_t n = x->plan->steps.n;
	char started[64];
	double t0;
	int error;

	emit(rn, RETORT_EVENT_STEP_BEGIN, s, x->i, n, 0);
	rn->step = s;
	rn->step_line = 0;
	rn->step_outside = 0;
	rn->step_done = 0;
	rn->resumed = 0;
	t0 = rt_clock_ms();
	rt_clock_utc_text(started);
	/* without transactional DDL (MySQL) every section runs as a
	 * transaction:false one does: its progress is recorded */
	if (x->resume) {
		x->resume = 0;
		error = step_outside_tx(rn, s, t0, started, x->resume_id,
					x->resume_from);
	} else if (!sec || sec->empty ||
		   (sec->transactional &&
		    (rn->drv->flags & RT_DRV_TRANSACTIONAL_DDL)))
		error = step_in_tx(rn, s, t0, started);
	else
		error = step_outside_tx(rn, s, t0, started, NULL, 0);
	/* interrupted after its last statement: do not commit */
	if (error < 0 || (error = rt_interrupt_check(x->r)) < 0)
		return error;
	if (heads_apply(&x->expected, s) < 0)
		return rt_err_oom(&x->r->err);
	if ((!x->whole || x->i + 1 == n) && (error = commit_tx(rn)) < 0)
		return error;
	rn->step = NULL;
	emit(rn, RETORT_EVENT_STEP_END, s, x->i, n, rt_clock_ms() - t0);
	x->i++;
	return 0;
}

static int run_loop(run_ctx *x)
{
	rt_runner *rn = &x->rn;
	int error;

	if ((error = rn->drv->lock(rn->conn, &x->r->err)) < 0)
		return error;
	rn->locked = 1;
	for (;;) {
		if ((error = rt_interrupt_check(x->r)) < 0)
			return error;
		if (!x->planned || x->per_tx_lock) {
			if ((error = run_prepare(x)) == WAIT)
				continue;
			if (error < 0)
				return error;
		}
		if (x->i >= x->plan->steps.n)
			return commit_tx(rn);
		if ((error = run_step(x)) < 0)
			return error;
		if (x->i >= x->plan->steps.n && !rn->in_tx)
			return 0;
	}
}

/* --dry-run: the run's plan from the database's rows, under the lock,
 * written as --sql writes it; nothing is written to the database. */
static int run_dry(run_ctx *x)
{
	rt_runner *rn = &x->rn;
	rt_render_opts ro;
	size_t i, n;
	int error;

	if (!rn->missing) {
		if ((error = rn->drv->lock(rn->conn, &x->r->err)) < 0)
			return error;
		rn->locked = 1;
		if (x->per_tx_lock && (error = begin_tx(rn)) < 0)
			return error;
		if ((error = rt_runner_check_dirty(rn)) == 1)
			return rt_fail(x->r, RETORT_ELOCKED,
				       "dry run: %s; try again when it is "
				       "done",
				       rt_str_cstr(&rn->busy));
		if (error < 0)
			return error;
	}
	/* stamp --purge: planned from no rows, as the run would */
	if (!(x->kind == RT_RUN_STAMP && x->opts->purge) &&
	    (error = rt_runner_read_heads(rn, &x->heads)) < 0)
		return error;
	if ((error = make_plan(rn, x->kind, x->targets, x->ntargets, &x->heads,
			       &x->plan)) < 0)
		return error;
	n = x->plan->steps.n;
	for (i = 0; i < n; i++) {
		emit(rn, RETORT_EVENT_STEP_BEGIN, &x->plan->steps.v[i], i, n,
		     0);
		emit(rn, RETORT_EVENT_STEP_END, &x->plan->steps.v[i], i, n, 0);
	}
	memset(&ro, 0, sizeof(ro));
	ro.dialect = rn->url->dialect;
	ro.version_table = rn->table;
	ro.version_schema = rn->schema;
	ro.transaction_per_migration = rn->per_migration;
	ro.write = x->opts->write;
	ro.payload = x->opts->write_payload;
	return rt_render_plan(x->plan, &ro, &x->r->err);
}

int rt_run_online(retort *r, rt_run_kind kind, const char *const *targets,
		  size_t ntargets, const retort_run_options *opts)
{
	int dry = opts->version >= 2 && opts->dry_run;
	run_ctx x;
	rt_runner *rn = &x.rn;
	int error;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.kind = kind;
	x.targets = targets;
	x.ntargets = ntargets;
	x.opts = opts;
	x.wait_start = rt_clock_ms();
	error = rt_runner_open(rn, r, dry, opts);
	/* a dry run opens read-only, so that a missing SQLite file stays
	 * missing; a lock taken by a transaction (BEGIN IMMEDIATE) needs a
	 * writable connection, on the file that exists (nothing is written:
	 * the transaction is rolled back) */
	if (error == 0 && dry && !rn->missing &&
	    (rn->drv->flags & RT_DRV_LOCK_PER_TRANSACTION)) {
		rt_runner_close(rn);
		error = rt_runner_open(rn, r, 0, opts);
	}
	if (error == 0) {
		x.per_tx_lock =
		    !!(rn->drv->flags & RT_DRV_LOCK_PER_TRANSACTION);
		x.whole = !rn->per_migration &&
			  (rn->drv->flags & RT_DRV_TRANSACTIONAL_DDL);
		error = dry ? run_dry(&x) : run_loop(&x);
	}
	error = rt_interrupt_run_result(rn, error, x.plan, x.i);
	if (error < 0 && x.whole && rn->in_tx && x.i > 0)
		rt_str_puts(&r->err.msg,
			    " (transaction_per_migration = false: every "
			    "revision of this run was rolled back)");
	if (rn->conn && rn->in_tx) {
		rt_err keep = RT_ERR_INIT;

		rt_err_move(&keep, &r->err);
		rn->drv->rollback(rn->conn, &rn->scratch_err);
		rt_err_move(&r->err, &keep);
	}
	rt_runner_close(rn);
	rt_err_dispose(&x.dirty);
	rt_plan_free(x.plan);
	rt_heads_free(&x.heads);
	rt_heads_free(&x.expected);
	return error;
}

/* Refuse to run an empty downgrade section unless allowed, or marked
 * noop. */
static int check_irreversible(retort *r, const retort_plan *plan, rt_dialect d,
			      int allow)
{
	size_t i;

	if (allow)
		return 0;
	for (i = 0; i < plan->steps.n; i++) {
		const retort_step *s = &plan->steps.v[i];
		const rt_script_sec *down, *up;

		if (s->kind != RETORT_STEP_DOWNGRADE)
			continue;
		down = rt_script_section(&s->revision->s, 1, d, NULL);
		up = rt_script_section(&s->revision->s, 0, d, NULL);
		/* an empty downgrade undoes nothing, which is right when
		 * the upgrade did nothing either (a merge, a no-op) */
		if (down && down->sec.empty && !down->sec.noop &&
		    !(up && up->sec.empty))
			return rt_fail(r, RETORT_EUSAGE,
				       "%s:%u: revision %s has an empty "
				       "downgrade section; nothing can undo "
				       "it (use --allow-irreversible to move "
				       "past it anyway, or mark the section "
				       "'-- migrate:downgrade noop' when the "
				       "upgrade needs no undoing)",
				       s->revision->s.path, down->marker,
				       s->revision->s.id);
	}
	return 0;
}

/* A statement the step cannot run as written: transaction control in a
 * transactional section (it would end the transaction that the version
 * and log rows belong to), or COPY with client data. And a section with a
 * `-- retort:todo` line (script/todo.h): it would be recorded as applied
 * while it did nothing of what the Alembic revision did. */
static int check_section(retort *r, const retort_step *s, rt_dialect d)
{
	const retort_section *sec = rt_step_section(s, d);
	unsigned kinds = 1u << RT_SQL_COPY_CLIENT, line = 0;
	char word[32];
	size_t n;
	int kind;

	if (sec && rt_todo_find(sec->sql, sec->len, sec->line, &line, &n))
		return rt_fail(
		    r, RETORT_EUSAGE,
		    "%s:%u: revision %s is not finished: a retort:todo line "
		    "('retort import' could not render it); write its SQL "
		    "and delete the line; nothing was run",
		    s->revision->s.path, line, s->revision->s.id);
	if (!sec || sec->empty)
		return 0;
	if (sec->transactional)
		kinds |= 1u << RT_SQL_TX_CONTROL;
	kind = rt_sql_find_kind(d, sec->sql, sec->len, kinds, &line, word);
	if (kind < 0)
		return rt_err_oom(&r->err);
	line += sec->line - 1;
	if (kind == RT_SQL_TX_CONTROL)
		return rt_fail(
		    r, RETORT_EUSAGE,
		    "%s:%u: %s in a transactional section: it would end "
		    "the transaction that revision %s runs and is recorded "
		    "in; remove it (retort wraps each revision in a "
		    "transaction), or mark the section transaction:false",
		    s->revision->s.path, line, word, s->revision->s.id);
	if (kind == RT_SQL_COPY_CLIENT)
		return rt_fail(
		    r, RETORT_EUSAGE,
		    "%s:%u: COPY with data from the client (FROM STDIN or "
		    "TO STDOUT) cannot run from a revision file (revision "
		    "%s); use INSERT statements, or COPY from a file on "
		    "the database server",
		    s->revision->s.path, line, s->revision->s.id);
	return 0;
}

int rt_check_plan(retort *r, const retort_plan *plan, rt_dialect d,
		  int allow_irreversible)
{
	size_t i;
	int error;

	if ((error = rt_plan_check_dialect(plan, d, &r->err)) < 0 ||
	    (error = check_irreversible(r, plan, d, allow_irreversible)) < 0)
		return error;
	for (i = 0; i < plan->steps.n; i++)
		if (plan->steps.v[i].kind != RETORT_STEP_STAMP &&
		    (error = check_section(r, &plan->steps.v[i], d)) < 0)
			return error;
	return 0;
}
