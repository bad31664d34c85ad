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
#include "sql/classify.h"
#include "sql/tokenize.h"
#include "util/clock.h"
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
static void step_row(const retort_step *s, const char *status,
		     const char *started, double ms, rt_log_row *row)
{
	memset(row, 0, sizeof(*row));
	row->revision = s->revision ? s->revision->s.id
			: s->nto    ? s->to[0]
			: s->nfrom  ? s->from[0]
				    : NULL;
	row->direction = s->kind == RETORT_STEP_UPGRADE	    ? "upgrade"
			 : s->kind == RETORT_STEP_DOWNGRADE ? "downgrade"
							    : "stamp";
	row->checksum =
	    s->revision
		? rt_revision_sum(s->revision, s->kind == RETORT_STEP_DOWNGRADE)
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

/* The INSERT of a step's log row, appended to sql. */
static int log_insert_sql(rt_runner *rn, const retort_step *s,
			  const char *status, const char *started, double ms,
			  rt_str *sql)
{
	rt_str from = RT_STR_INIT, to = RT_STR_INIT;
	rt_log_row row;
	int error;

	step_row(s, status, started, ms, &row);
	join_ids(&from, s->from, s->nfrom);
	join_ids(&to, s->to, s->nto);
	row.from = rt_str_cstr(&from);
	row.to = rt_str_cstr(&to);
	error = from.oom || to.oom ? -1 : rt_log_insert_sql(rn, &row, sql);
	rt_str_dispose(&from);
	rt_str_dispose(&to);
	return error;
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

static unsigned line_at(const retort_section *sec, long offset)
{
	unsigned line = sec->line;
	long i;

	for (i = 0; i < offset && (size_t)i < sec->len; i++)
		if (sec->sql[i] == '\n')
			line++;
	return line;
}

/* The database says an object the upgrade creates exists already. */
static int already_exists(rt_runner *rn, const rt_failure *f)
{
	if (f->sqlstate[0])
		return !strcmp(f->sqlstate, "42P07") ||
		       !strcmp(f->sqlstate, "42710") ||
		       !strcmp(f->sqlstate, "42P06");
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
	line = f->offset >= 0 ? line_at(sec, f->offset) : sec->line;
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
	error = rn->drv->exec(rn->conn, sec->sql, sec->len, &f, &rn->r->err);
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

static const retort_section *step_section(const retort_step *s)
{
	if (!s->revision)
		return NULL;
	return s->kind == RETORT_STEP_DOWNGRADE ? &s->revision->s.downgrade
						: &s->revision->s.upgrade;
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
	const retort_section *sec = step_section(s);
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

		error = rn->drv->run_step(
		    rn->conn, begin, sec && !sec->empty ? sec->sql : nothing,
		    sec && !sec->empty ? sec->len : 0, epi, n, changes, &f,
		    &rn->r->err);
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
	const retort_section *sec = step_section(s);
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

/* A transaction:false step; called inside a transaction, which it
 * commits before the section and reopens after it. */
static int step_outside_tx(rt_runner *rn, const retort_step *s, double t0,
			   const char *started)
{
	const retort_section *sec = step_section(s);
	int error;

	if ((error = log_insert(rn, s, "running", started, 0)) < 0 ||
	    (error = rn->drv->commit(rn->conn, &rn->r->err)) < 0)
		return error;
	rn->in_tx = 0;
	error = run_section(rn, s, sec);
	if (error < 0) {
		/* record the failure: the database is now dirty */
		rt_err saved = RT_ERR_INIT;

		rt_err_move(&saved, &rn->r->err);
		if (rn->drv->begin(rn->conn, &rn->scratch_err) == 0) {
			if (rt_log_finish(rn, "failed", rt_clock_ms() - t0,
					  rt_err_msg(&saved)) == 0)
				rn->drv->commit(rn->conn, &rn->scratch_err);
			else
				rn->drv->rollback(rn->conn, &rn->scratch_err);
		}
		rt_err_move(&rn->r->err, &saved);
		rt_str_printf(&rn->r->err.msg,
			      " (it ran outside a transaction: the database "
			      "is now marked dirty; fix it by hand, then run "
			      "'retort repair')");
		return error;
	}
	if ((error = rn->drv->begin(rn->conn, &rn->r->err)) < 0)
		return error;
	rn->in_tx = 1;
	if ((error = version_ops(rn, s)) < 0 ||
	    (error = rt_log_finish(rn, "ok", rt_clock_ms() - t0, NULL)) < 0)
		return error;
	return 0;
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
	const retort_section *sec = step_section(s);
	size_t n = x->plan->steps.n;
	char started[64];
	double t0;
	int error;

	emit(rn, RETORT_EVENT_STEP_BEGIN, s, x->i, n, 0);
	rn->step = s;
	rn->step_line = 0;
	t0 = rt_clock_ms();
	rt_clock_utc_text(started);
	/* without transactional DDL (MySQL) every section runs as a
	 * transaction:false one does: its progress is recorded */
	if (!sec || sec->empty ||
	    (sec->transactional && (rn->drv->flags & RT_DRV_TRANSACTIONAL_DDL)))
		error = step_in_tx(rn, s, t0, started);
	else if ((error = begin_tx(rn)) == 0)
		error = step_outside_tx(rn, s, t0, started);
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

int rt_run_online(retort *r, rt_run_kind kind, const char *const *targets,
		  size_t ntargets, const retort_run_options *opts)
{
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
	if ((error = rt_runner_open(rn, r, 0, opts)) == 0) {
		x.per_tx_lock =
		    !!(rn->drv->flags & RT_DRV_LOCK_PER_TRANSACTION);
		x.whole = !rn->per_migration &&
			  (rn->drv->flags & RT_DRV_TRANSACTIONAL_DDL);
		error = run_loop(&x);
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
	rt_plan_free(x.plan);
	rt_heads_free(&x.heads);
	rt_heads_free(&x.expected);
	return error;
}

/* Refuse to run an empty downgrade section unless allowed, or marked
 * noop. */
static int check_irreversible(retort *r, const retort_plan *plan, int allow)
{
	size_t i;

	if (allow)
		return 0;
	for (i = 0; i < plan->steps.n; i++) {
		const retort_step *s = &plan->steps.v[i];

		/* an empty downgrade undoes nothing, which is right when
		 * the upgrade did nothing either (a merge, a no-op) */
		if (s->kind == RETORT_STEP_DOWNGRADE &&
		    s->revision->s.downgrade.empty &&
		    !s->revision->s.downgrade.noop &&
		    !s->revision->s.upgrade.empty)
			return rt_fail(r, RETORT_EUSAGE,
				       "%s:%u: revision %s has an empty "
				       "downgrade section; nothing can undo "
				       "it (use --allow-irreversible to move "
				       "past it anyway, or mark the section "
				       "'-- migrate:downgrade noop' when the "
				       "upgrade needs no undoing)",
				       s->revision->s.path,
				       s->revision->s.downgrade_line,
				       s->revision->s.id);
	}
	return 0;
}

/* A statement the step cannot run as written: transaction control in a
 * transactional section (it would end the transaction that the version
 * and log rows belong to), or COPY with client data. */
static int check_section(retort *r, const retort_step *s, rt_dialect d)
{
	const retort_section *sec = step_section(s);
	unsigned kinds = 1u << RT_SQL_COPY_CLIENT, line = 0;
	char word[32];
	int kind;

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

	if ((error = check_irreversible(r, plan, allow_irreversible)) < 0)
		return error;
	for (i = 0; i < plan->steps.n; i++)
		if (plan->steps.v[i].kind != RETORT_STEP_STAMP &&
		    (error = check_section(r, &plan->steps.v[i], d)) < 0)
			return error;
	return 0;
}
