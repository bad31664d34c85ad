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
#include "run/run.h"
#include "run/runner.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/str.h"

/* ------------------------------------------------------------------ */
/* opening */

int rt_runner_open(rt_runner *rn, retort *r, int readonly,
		   const retort_run_options *opts)
{
	rt_open_opts oo;
	const char *display, *settings;
	long timeout;
	int error;

	memset(rn, 0, sizeof(*rn));
	rn->r = r;
	rn->opts = opts;
	if ((error = rt_project_url(r, &rn->url)) < 0 ||
	    (error = retort_url_display(&display, r)) < 0)
		return error;
	rn->drv = rt_driver_for(rn->url->dialect);
	if (!rn->drv)
		return rt_fail(r, RETORT_ECONFIG,
			       "this retort has no driver for %s databases "
			       "(url %s)",
			       rt_dialect_name(rn->url->dialect), display);
	if ((error = rt_version_table(r, &rn->table, &rn->schema)) < 0 ||
	    (error = rt_cfg(r, "log_table", "retort_log", &rn->log_table)) <
		0 ||
	    (error = rt_cfg_bool(r, "transaction_per_migration", 1,
				 &rn->per_migration)) < 0 ||
	    (error = rt_cfg_int(r, "lock_timeout", 60, &timeout)) < 0 ||
	    (error = rt_cfg(r, "pg_settings", NULL, &settings)) < 0)
		return error;
	rt_sql_table_name(&rn->vt, rn->url->dialect, rn->schema, rn->table);
	rt_sql_table_name(&rn->lt, rn->url->dialect, rn->schema, rn->log_table);
	if (rn->vt.oom || rn->lt.oom)
		return rt_err_oom(&r->err);
	memset(&oo, 0, sizeof(oo));
	oo.readonly = readonly;
	oo.lock_timeout_ms = (double)timeout * 1000.0;
	rn->lock_timeout_ms = oo.lock_timeout_ms;
	oo.display = display;
	oo.lock_key = rt_str_cstr(&rn->vt);
	oo.settings = settings;
	oo.event = opts ? opts->event : NULL;
	oo.event_payload = opts ? opts->event_payload : NULL;
	rn->readonly = readonly;
	if (gethostname(rn->host, sizeof(rn->host) - 1) < 0)
		strcpy(rn->host, "?");
	return rn->drv->open(&rn->conn, rn->url, &oo, &rn->missing, &r->err);
}

void rt_runner_close(rt_runner *rn)
{
	if (rn->conn) {
		if (rn->locked)
			rn->drv->unlock(rn->conn, &rn->scratch_err);
		rn->drv->close(rn->conn);
	}
	rn->conn = NULL;
	rt_str_dispose(&rn->vt);
	rt_str_dispose(&rn->lt);
	rt_err_dispose(&rn->scratch_err);
}

/* ------------------------------------------------------------------ */
/* tables */

static int exec_str(rt_runner *rn, const rt_str *sql)
{
	if (sql->oom)
		return rt_err_oom(&rn->r->err);
	return rn->drv->exec(rn->conn, rt_str_cstr(sql), sql->len, NULL,
			     &rn->r->err);
}

int rt_runner_ensure_tables(rt_runner *rn)
{
	rt_dialect d = rn->url->dialect;
	rt_str sql = RT_STR_INIT, idx = RT_STR_INIT;
	int exists, error;

	if (rn->tables_ready)
		return 0;
	if ((error = rn->drv->table_exists(rn->conn, rn->schema, rn->table,
					   &exists, &rn->r->err)) < 0)
		return error;
	if (!exists) {
		rt_sql_create_version_table(&sql, d, rn->schema, rn->table);
		if ((error = exec_str(rn, &sql)) < 0)
			goto done;
		rt_str_clear(&sql);
	}
	if ((error = rn->drv->table_exists(rn->conn, rn->schema, rn->log_table,
					   &exists, &rn->r->err)) < 0)
		goto done;
	if (!exists) {
		rt_str_printf(&sql,
			      "CREATE TABLE %s (\n"
			      "    id %s,\n"
			      "    revision VARCHAR(255),\n"
			      "    direction VARCHAR(16) NOT NULL,\n"
			      "    from_revisions TEXT NOT NULL,\n"
			      "    to_revisions TEXT NOT NULL,\n"
			      "    checksum VARCHAR(64),\n"
			      "    status VARCHAR(16) NOT NULL,\n"
			      "    started_at %s NOT NULL,\n"
			      "    duration_ms DOUBLE PRECISION,\n"
			      "    db_user VARCHAR(255),\n"
			      "    retort_version VARCHAR(32) NOT NULL,\n"
			      "    host VARCHAR(255),\n"
			      "    pid INTEGER,\n"
			      "    message TEXT\n"
			      ")",
			      rt_str_cstr(&rn->lt), rn->drv->serial_pk,
			      rn->drv->timestamp_type);
		if ((error = exec_str(rn, &sql)) < 0)
			goto done;
		rt_str_clear(&sql);
		/* dirty checks read this small partial index, not the log */
		rt_str_printf(&idx, "%s_unfinished", rn->log_table);
		rt_str_puts(&sql, "CREATE INDEX ");
		rt_sql_ident(&sql, d, rt_str_cstr(&idx));
		rt_str_printf(&sql,
			      " ON %s (status) WHERE status IN ('running', "
			      "'failed')",
			      rt_str_cstr(&rn->lt));
		if ((error = exec_str(rn, &sql)) < 0)
			goto done;
	}
	rn->tables_ready = 1;
done:
	rt_str_dispose(&sql);
	rt_str_dispose(&idx);
	return error;
}

int rt_runner_read_heads(rt_runner *rn, rt_heads *out)
{
	rt_str sql = RT_STR_INIT;
	rt_rows rows;
	size_t i;
	int exists, error;

	rt_heads_clear(out);
	if (rn->missing)
		return 0;
	if (!rn->tables_ready) {
		if ((error =
			 rn->drv->table_exists(rn->conn, rn->schema, rn->table,
					       &exists, &rn->r->err)) < 0)
			return error;
		if (!exists)
			return 0;
	}
	rt_str_printf(&sql, "SELECT %s.version_num FROM %s",
		      rt_str_cstr(&rn->vt), rt_str_cstr(&rn->vt));
	if (sql.oom) {
		rt_str_dispose(&sql);
		return rt_err_oom(&rn->r->err);
	}
	error = rn->drv->query(rn->conn, sql.ptr, &rows, &rn->r->err);
	rt_str_dispose(&sql);
	if (error < 0)
		return error;
	for (i = 0; i < rows.nrows && !error; i++) {
		const char *v = rt_rows_at(&rows, i, 0);

		if (v && rt_heads_add(out, v) < 0)
			error = rt_err_oom(&rn->r->err);
	}
	rt_rows_free(&rows);
	return error;
}

void rt_heads_clear(rt_heads *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->v[i]);
	h->n = 0;
}

void rt_heads_free(rt_heads *h)
{
	rt_heads_clear(h);
	free(h->v);
	h->v = NULL;
	h->cap = 0;
}

int rt_heads_add(rt_heads *h, const char *id)
{
	char *copy = strdup(id);

	if (!copy || RT_VEC_PUSH(h, copy) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

int rt_heads_copy(rt_heads *dst, const rt_heads *src)
{
	size_t k;

	rt_heads_clear(dst);
	for (k = 0; k < src->n; k++)
		if (rt_heads_add(dst, src->v[k]) < 0)
			return -1;
	return 0;
}

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

/* ------------------------------------------------------------------ */
/* the log */

static void join_ids(rt_str *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rt_str_printf(s, "%s%s", i ? "," : "", v[i]);
}

static const char *direction_name(retort_step_kind k)
{
	return k == RETORT_STEP_UPGRADE	    ? "upgrade"
	       : k == RETORT_STEP_DOWNGRADE ? "downgrade"
					    : "stamp";
}

static int literal_or_null(rt_str *s, rt_dialect d, const char *v)
{
	if (!v)
		return rt_str_puts(s, "NULL");
	return rt_sql_literal(s, d, v);
}

/* The INSERT of a log row for a step; status "ok" or "running". */
/* ms < 0: let the database compute the duration from started_at when
 * the row is written (for steps sent in one round trip, whose duration
 * is not known when the statement is built). */
static int log_insert_sql(rt_runner *rn, const retort_step *s,
			  const retort_section *sec, const char *status,
			  const char *started, double ms, rt_str *sql)
{
	rt_dialect d = rn->url->dialect;
	rt_str from = RT_STR_INIT, to = RT_STR_INIT;
	const char *rev =
	    s->revision ? retort_revision_id(s->revision)
			: (s->nto ? s->to[0] : (s->nfrom ? s->from[0] : NULL));

	join_ids(&from, s->from, s->nfrom);
	join_ids(&to, s->to, s->nto);
	rt_str_printf(sql,
		      "INSERT INTO %s (revision, direction, from_revisions, "
		      "to_revisions, checksum, status, started_at, "
		      "duration_ms, db_user, retort_version, host, pid) "
		      "VALUES (",
		      rt_str_cstr(&rn->lt));
	literal_or_null(sql, d, rev);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, direction_name(s->kind));
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, rt_str_cstr(&from));
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, rt_str_cstr(&to));
	rt_str_puts(sql, ", ");
	literal_or_null(
	    sql, d,
	    s->revision
		? rt_revision_sum(s->revision, s->kind == RETORT_STEP_DOWNGRADE)
		: NULL);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, status);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, started);
	if (ms >= 0)
		rt_str_printf(sql, ", %.3f, ", ms);
	else if (d == RT_DIALECT_POSTGRESQL) {
		rt_str_puts(sql, ", EXTRACT(EPOCH FROM clock_timestamp() - ");
		rt_sql_literal(sql, d, started);
		rt_str_puts(sql, "::timestamptz) * 1000, ");
	} else
		rt_str_puts(sql, ", NULL, ");
	literal_or_null(sql, d, rn->drv->user(rn->conn));
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, retort_version());
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, rn->host);
	rt_str_printf(sql, ", %ld)", (long)getpid());
	rt_str_dispose(&from);
	rt_str_dispose(&to);
	return sql->oom ? -1 : 0;
}

static int log_insert(rt_runner *rn, const retort_step *s,
		      const retort_section *sec, const char *status,
		      const char *started, double ms)
{
	rt_str sql = RT_STR_INIT;
	int error;

	log_insert_sql(rn, s, sec, status, started, ms, &sql);
	error = exec_str(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

/* Finish the newest "running" row of this process. */
static int log_finish(rt_runner *rn, const char *status, double ms,
		      const char *message)
{
	rt_dialect d = rn->url->dialect;
	rt_str sql = RT_STR_INIT;
	int error;

	rt_str_printf(&sql, "UPDATE %s SET status = ", rt_str_cstr(&rn->lt));
	rt_sql_literal(&sql, d, status);
	rt_str_printf(&sql, ", duration_ms = %.3f, message = ", ms);
	literal_or_null(&sql, d, message);
	rt_str_printf(&sql,
		      " WHERE id = (SELECT max(id) FROM %s WHERE status = "
		      "'running' AND pid = %ld AND host = ",
		      rt_str_cstr(&rn->lt), (long)getpid());
	rt_sql_literal(&sql, d, rn->host);
	rt_str_putc(&sql, ')');
	error = exec_str(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

/* Is the database dirty? 0: clean; RETORT_EDIRTY with the message set;
 * 1: a live process on this host is running a transaction:false step
 * (wait and retry). */
int rt_runner_check_dirty(rt_runner *rn)
{
	rt_str sql = RT_STR_INIT;
	rt_rows rows;
	int error, exists;

	if (rn->missing)
		return 0;
	if (!rn->tables_ready) {
		if ((error = rn->drv->table_exists(rn->conn, rn->schema,
						   rn->log_table, &exists,
						   &rn->r->err)) < 0)
			return error;
		if (!exists)
			return 0;
	}
	rt_str_printf(&sql,
		      "SELECT revision, direction, status, started_at, host, "
		      "pid, message FROM %s WHERE status IN ('running', "
		      "'failed') ORDER BY id",
		      rt_str_cstr(&rn->lt));
	if (sql.oom) {
		rt_str_dispose(&sql);
		return rt_err_oom(&rn->r->err);
	}
	error = rn->drv->query(rn->conn, sql.ptr, &rows, &rn->r->err);
	rt_str_dispose(&sql);
	if (error < 0)
		return error;
	if (!rows.nrows) {
		rt_rows_free(&rows);
		return 0;
	}
	{
		const char *rev = rt_rows_at(&rows, 0, 0);
		const char *dir = rt_rows_at(&rows, 0, 1);
		const char *status = rt_rows_at(&rows, 0, 2);
		const char *when = rt_rows_at(&rows, 0, 3);
		const char *host = rt_rows_at(&rows, 0, 4);
		const char *pid = rt_rows_at(&rows, 0, 5);
		const char *msg = rt_rows_at(&rows, 0, 6);
		long p = pid ? strtol(pid, NULL, 10) : 0;

		if (!strcmp(status, "running") && host &&
		    !strcmp(host, rn->host) && p > 0 && p != (long)getpid() &&
		    (kill((pid_t)p, 0) == 0 || errno == EPERM)) {
			rt_rows_free(&rows);
			return 1;
		}
		if (!strcmp(status, "running"))
			error = rt_fail(
			    rn->r, RETORT_EDIRTY,
			    "the database is dirty: %s of revision %s "
			    "(transaction:false) started at %s by %s pid "
			    "%s and never finished; check what it did, "
			    "fix the database by hand, then run 'retort "
			    "repair'",
			    dir, rev ? rev : "?", when, host ? host : "?",
			    pid ? pid : "?");
		else
			error =
			    rt_fail(rn->r, RETORT_EDIRTY,
				    "the database is dirty: %s of revision %s "
				    "(transaction:false) failed at %s: %s; fix "
				    "the database by hand, then run 'retort "
				    "repair'",
				    dir, rev ? rev : "?", when, msg ? msg : "");
	}
	rt_rows_free(&rows);
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
	rt_str_printf(&msg, "%s:%u: %s%s%s%s", s->revision->s.path, line,
		      rt_err_msg(&rn->r->err),
		      f->sqlstate[0] ? " (SQLSTATE " : "", f->sqlstate,
		      f->sqlstate[0] ? ")" : "");
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
		if ((error = exec_str(rn, &sql)) < 0)
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
	return s->kind == RETORT_STEP_DOWNGRADE
		   ? retort_revision_downgrade(s->revision)
		   : retort_revision_upgrade(s->revision);
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
		return RETORT_EUSAGE; /* caller falls back */
	for (i = 0; i < s->nops; i++) {
		texts[n] = (rt_str)RT_STR_INIT;
		rt_sql_version_op(&texts[n], rn->url->dialect, rn->schema,
				  rn->table, &s->ops[i]);
		n++;
	}
	texts[n] = (rt_str)RT_STR_INIT;
	(void)t0;
	log_insert_sql(rn, s, sec, "ok", started, -1, &texts[n]);
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
		if (error != RETORT_EUSAGE)
			return error;
	}
	if (!rn->in_tx) {
		if ((error = rn->drv->begin(rn->conn, &rn->r->err)) < 0)
			return error;
		rn->in_tx = 1;
	}
	if ((error = run_section(rn, s, sec)) < 0 ||
	    (error = version_ops(rn, s)) < 0 ||
	    (error =
		 log_insert(rn, s, sec, "ok", started, rt_clock_ms() - t0)) < 0)
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

	if ((error = log_insert(rn, s, sec, "running", started, 0)) < 0 ||
	    (error = rn->drv->commit(rn->conn, &rn->r->err)) < 0)
		return error;
	rn->in_tx = 0;
	error = run_section(rn, s, sec);
	if (error < 0) {
		/* record the failure: the database is now dirty */
		rt_err saved = RT_ERR_INIT;

		rt_err_move(&saved, &rn->r->err);
		if (rn->drv->begin(rn->conn, &rn->scratch_err) == 0) {
			if (log_finish(rn, "failed", rt_clock_ms() - t0,
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
	    (error = log_finish(rn, "ok", rt_clock_ms() - t0, NULL)) < 0)
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
	if (error < 0) {
		/* rows naming revisions that are not in the files */
		size_t i;

		for (i = 0; i < heads->n; i++) {
			uint32_t idx;

			if (!rt_map_get(&r->graph->ids, heads->v[i],
					strlen(heads->v[i]), &idx)) {
				rt_str_printf(
				    &r->err.msg,
				    " (the database is at revision '%s', "
				    "which is not in the revision files: "
				    "was the file deleted, or is this the "
				    "wrong project? 'retort stamp --purge "
				    "REV' resets the version table)",
				    heads->v[i]);
				break;
			}
		}
		return error;
	}
	if ((*out)->warning)
		rt_log(r, RETORT_LOG_WARNING, "%s", (*out)->warning);
	if (kind != RT_RUN_STAMP &&
	    (error = rt_check_irreversible(r, *out,
					   rn->opts->allow_irreversible)) < 0) {
		retort_plan_free(*out);
		*out = NULL;
	}
	return error;
}

static int purge_rows(rt_runner *rn)
{
	rt_str sql = RT_STR_INIT;
	int error;

	rt_str_printf(&sql, "DELETE FROM %s", rt_str_cstr(&rn->vt));
	error = exec_str(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

static int sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	return nanosleep(&ts, NULL);
}

int rt_run_online(retort *r, rt_run_kind kind, const char *const *targets,
		  size_t ntargets, const retort_run_options *opts)
{
	rt_runner rn;
	retort_plan *plan = NULL;
	rt_heads heads = { 0 }, expected = { 0 };
	size_t i = 0;
	int per_tx_lock, whole, error, planned = 0;
	double wait_start = rt_clock_ms();

	if ((error = rt_runner_open(&rn, r, 0, opts)) < 0)
		goto done;
	per_tx_lock = !!(rn.drv->flags & RT_DRV_LOCK_PER_TRANSACTION);
	whole = !rn.per_migration && (rn.drv->flags & RT_DRV_TRANSACTIONAL_DDL);
	if ((error = rn.drv->lock(rn.conn, &r->err)) < 0)
		goto done;
	rn.locked = 1;

	for (;;) {
		const retort_step *s;
		const retort_section *sec;
		char started[64];
		double t0;

		if (!planned || per_tx_lock) {
			if (!rn.in_tx) {
				if ((error = rn.drv->begin(rn.conn, &r->err)) <
				    0)
					goto done;
				rn.in_tx = 1;
			}
			if ((error = rt_runner_ensure_tables(&rn)) < 0)
				goto done;
			error = rt_runner_check_dirty(&rn);
			if (error == 1) {
				/* another process is mid transaction:false
				 * step: let it finish */
				rn.drv->rollback(rn.conn, &rn.scratch_err);
				rn.in_tx = 0;
				if (rt_clock_ms() - wait_start >
				    rn.lock_timeout_ms) {
					error = rt_fail(
					    r, RETORT_ELOCKED,
					    "another retort on this host "
					    "is still running a "
					    "transaction:false revision; "
					    "gave up after lock_timeout");
					goto done;
				}
				sleep_ms(100);
				continue;
			}
			if (error < 0)
				goto done;
			if (!planned && kind == RT_RUN_STAMP && opts->purge) {
				if ((error = purge_rows(&rn)) < 0)
					goto done;
			}
			if ((error = rt_runner_read_heads(&rn, &heads)) < 0)
				goto done;
			if (!planned || !heads_equal(&heads, &expected)) {
				if (planned)
					rt_log(r, RETORT_LOG_INFO,
					       "another process changed the "
					       "database; planning again");
				retort_plan_free(plan);
				if ((error =
					 make_plan(&rn, kind, targets, ntargets,
						   &heads, &plan)) < 0)
					goto done;
				planned = 1;
				i = 0;
				if (rt_heads_copy(&expected, &heads) < 0) {
					error = rt_err_oom(&r->err);
					goto done;
				}
			}
			/* with a session lock, planning ends here; each
			 * step then opens its own transaction */
			if (!per_tx_lock && !whole) {
				if ((error = rn.drv->commit(rn.conn, &r->err)) <
				    0)
					goto done;
				rn.in_tx = 0;
			}
		}
		if (i >= plan->steps.n) {
			if (rn.in_tx) {
				if ((error = rn.drv->commit(rn.conn, &r->err)) <
				    0)
					goto done;
				rn.in_tx = 0;
			}
			break;
		}
		s = &plan->steps.v[i];
		sec = step_section(s);
		emit(&rn, RETORT_EVENT_STEP_BEGIN, s, i, plan->steps.n, 0);
		t0 = rt_clock_ms();
		rt_clock_utc_text(started);
		if (sec && !sec->transactional && !sec->empty) {
			if (!rn.in_tx) {
				if ((error = rn.drv->begin(rn.conn, &r->err)) <
				    0)
					goto done;
				rn.in_tx = 1;
			}
			error = step_outside_tx(&rn, s, t0, started);
		} else
			error = step_in_tx(&rn, s, t0, started);
		if (error < 0)
			goto done;
		if (heads_apply(&expected, s) < 0) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		if (!whole || i + 1 == plan->steps.n) {
			if ((error = rn.drv->commit(rn.conn, &r->err)) < 0)
				goto done;
			rn.in_tx = 0;
		}
		emit(&rn, RETORT_EVENT_STEP_END, s, i, plan->steps.n,
		     rt_clock_ms() - t0);
		i++;
		if (i >= plan->steps.n && !rn.in_tx)
			break;
	}
done:
	if (error < 0 && whole && rn.in_tx && i > 0)
		rt_str_puts(&r->err.msg,
			    " (transaction_per_migration = false: every "
			    "revision of this run was rolled back)");
	if (rn.conn && rn.in_tx) {
		rt_err keep = RT_ERR_INIT;

		rt_err_move(&keep, &r->err);
		rn.drv->rollback(rn.conn, &rn.scratch_err);
		rt_err_move(&r->err, &keep);
	}
	rt_runner_close(&rn);
	retort_plan_free(plan);
	rt_heads_free(&heads);
	rt_heads_free(&expected);
	return error;
}
