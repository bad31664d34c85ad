/* SPDX-License-Identifier: MIT */
/*
 * runner.c: an open connection with the project's tables (runner.h):
 * connecting with the project's settings, creating the version and log
 * tables, reading the version rows, and the dirty check that every write
 * makes first. run.c (upgrade, downgrade, stamp) and state.c (current,
 * validate's checksums, repair) build on it. With the application's own
 * connection (retort_use_sqlite(), retort_use_pgconn()) the driver adopts
 * it instead of opening one; closing then gives it back.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "graph/graph.h"
#include "plan/render.h"
#include "run/log.h"
#include "run/runner.h"
#include "util/clock.h"
#include "util/proc.h"

/* opening */

/* The version and log tables' names as the bookkeeping writes them:
 * qualified with the schema resolved when the session opened, so that a
 * revision moving search_path cannot send them elsewhere. */
static int qualify_tables(rt_runner *rn)
{
	rt_dialect d = rn->url->dialect;

	if ((!rn->schema || !*rn->schema) && rn->drv->schema)
		rn->schema = rn->drv->schema(rn->conn);
	rt_sql_table_name(&rn->vt, d, rn->schema, rn->table);
	rt_sql_table_name(&rn->lt, d, rn->schema, rn->log_table);
	return rn->vt.oom || rn->lt.oom ? rt_err_oom(&rn->r->err) : 0;
}

/* The driver says where in the section it is: tell the caller. */
static void on_statement(void *payload, size_t offset)
{
	rt_runner *rn = payload;

	rt_runner_statement(rn, rn->cur_sec, offset);
}

void rt_runner_statement(rt_runner *rn, const retort_section *sec,
			 size_t offset)
{
	retort_event ev;
	size_t i;

	if (!sec || offset >= sec->len || !rn->opts || !rn->opts->event)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = RETORT_EVENT_STATEMENT;
	ev.step = rn->step;
	/* statements come in order: count lines from the last one reported
	 * in the same section, not from its start each time */
	if (rn->ev_sec != sec || rn->ev_off > offset) {
		rn->ev_sec = sec;
		rn->ev_off = 0;
		rn->ev_line = sec->line;
	}
	for (i = rn->ev_off; i < offset; i++)
		rn->ev_line += sec->sql[i] == '\n';
	rn->ev_off = offset;
	ev.line = rn->ev_line;
	/* the statement's own first line, past blank lines */
	for (i = offset;
	     i < sec->len && (sec->sql[i] == '\n' || sec->sql[i] == ' ' ||
			      sec->sql[i] == '\t' || sec->sql[i] == '\r');
	     i++)
		ev.line += sec->sql[i] == '\n';
	if (i == sec->len)
		return; /* only blanks left */
	ev.statement = sec->sql + i;
	ev.statement_len = sec->len - i;
	rn->opts->event(&ev, rn->opts->event_payload);
}

/* retort_set_connect_wait(): connect, retrying once a second while the
 * server is not there yet, each attempt reported. */
static int open_waiting(rt_runner *rn, const rt_open_opts *oo)
{
	retort *r = rn->r;
	double t0 = rt_clock_ms(), wait_ms = r->connect_wait_s * 1000.0, left;
	unsigned attempt = 1;
	int error;

	for (;;) {
		error = rn->drv->open(&rn->conn, rn->url, oo, &rn->missing,
				      &r->err);
		if (error != RETORT_EDB || wait_ms <= 0)
			return error;
		if (rn->drv->open_retryable &&
		    !rn->drv->open_retryable(rt_err_msg(&r->err))) {
			rt_str_puts(&r->err.msg,
				    " (not retried: waiting does not change "
				    "a refused login)");
			return error;
		}
		left = wait_ms - (rt_clock_ms() - t0);
		if (left <= 0) {
			rt_str m = RT_STR_INIT;

			rt_str_printf(&m,
				      "gave up waiting for the database after "
				      "%.0f s (%u attempt%s): %s",
				      (rt_clock_ms() - t0) / 1000.0, attempt,
				      attempt == 1 ? "" : "s",
				      rt_err_msg(&r->err));
			rt_fail(r, RETORT_EDB, "%s", rt_str_cstr(&m));
			rt_str_dispose(&m);
			return RETORT_EDB;
		}
		rt_log(r, RETORT_LOG_NOTICE,
		       "waiting for the database (attempt %u, %.0f of %.0f s): "
		       "%s",
		       attempt, (rt_clock_ms() - t0) / 1000.0,
		       r->connect_wait_s, rt_err_msg(&r->err));
		{
			long ms = left < 1000 ? (long)left + 1 : 1000;
			struct timespec ts = { ms / 1000,
					       (ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
		if ((error = rt_interrupt_check(r)) < 0)
			return error;
		rt_err_clear(&r->err);
		attempt++;
	}
}

/* A log table made before its progress columns gets them (writers only,
 * outside a transaction). */
static int upgrade_log_table(rt_runner *rn)
{
	int exists, error;

	if (rn->missing)
		return 0;
	if ((error = rn->drv->table_exists(rn->conn, rn->schema, rn->log_table,
					   &exists, &rn->r->err)) < 0)
		return error;
	return exists ? rt_log_upgrade_table(rn) : 0;
}

int rt_runner_open(rt_runner *rn, retort *r, int readonly,
		   const retort_run_options *opts)
{
	rt_open_opts oo;
	rt_str where = RT_STR_INIT;
	const char *display, *settings;
	int dry = opts && opts->version >= 2 && opts->dry_run;
	long timeout;
	int error;

	memset(rn, 0, sizeof(*rn));
	rn->r = r;
	rn->opts = opts;
	if ((error = rt_interrupt_check(r)) < 0 ||
	    (error = rt_project_url(r, &rn->url)) < 0 ||
	    (error = rt_project_url_display(r, &display)) < 0)
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
	memset(&oo, 0, sizeof(oo));
	oo.readonly = readonly;
	oo.lock_timeout_ms = (double)timeout * 1000.0;
	rn->lock_timeout_ms = oo.lock_timeout_ms;
	oo.display = display;
	oo.lock_table = rn->table;
	oo.lock_schema = rn->schema;
	oo.settings = settings;
	if (rt_config_line(r->cfg, "pg_settings"))
		rt_str_printf(&where, "%s:%u", rt_config_path(r->cfg),
			      rt_config_line(r->cfg, "pg_settings"));
	oo.settings_where = where.oom ? NULL : rt_str_cstr(&where);
	oo.event = opts ? opts->event : NULL;
	oo.event_payload = opts ? opts->event_payload : NULL;
	if (opts && opts->event) {
		oo.statement = on_statement;
		oo.statement_payload = rn;
	}
	rn->readonly = readonly;
	if (gethostname(rn->host, sizeof(rn->host) - 1) < 0)
		strcpy(rn->host, "?");
	if (r->borrowed && !rn->drv->adopt)
		error = rt_fail(r, RETORT_ECONFIG,
				"the %s driver cannot use an application's "
				"connection",
				rn->drv->name);
	else if (r->borrowed)
		error = rn->drv->adopt(&rn->conn, r->borrowed, &oo, &r->err);
	else
		error = open_waiting(rn, &oo);
	rt_str_dispose(&where);
	/* a dry run changes nothing, the log table's columns included
	 * (it may hold a writable connection, for the lock: see run.c) */
	if (error < 0 || (error = qualify_tables(rn)) < 0 ||
	    (!readonly && !dry && (error = upgrade_log_table(rn)) < 0))
		return error;
	rt_interrupt_attach(r, &rn->intr, rn->drv, rn->conn);
	return rt_interrupt_check(r);
}

/* ------------------------------------------------------------------ */

void rt_runner_close(rt_runner *rn)
{
	if (rn->r) {
		rt_interrupt_detach(rn->r, &rn->intr);
		if (rn->r->err.code == RETORT_EINTERRUPTED)
			rt_interrupt_reported(rn->r);
	}
	if (rn->conn) {
		if (rn->locked)
			rn->drv->unlock(rn->conn, &rn->scratch_err);
		rn->drv->close(rn->conn);
	}
	rn->conn = NULL;
	rt_str_dispose(&rn->vt);
	rt_str_dispose(&rn->lt);
	rt_str_dispose(&rn->busy);
	rt_err_dispose(&rn->scratch_err);
}

/* tables */

int rt_runner_exec(rt_runner *rn, const rt_str *sql)
{
	if (sql->oom)
		return rt_err_oom(&rn->r->err);
	return rn->drv->exec(rn->conn, rt_str_cstr(sql), sql->len, NULL,
			     &rn->r->err);
}

int rt_runner_query(rt_runner *rn, rt_str *sql, rt_rows *rows, rt_err *err)
{
	int error;

	if (sql->oom) {
		rt_str_dispose(sql);
		return rt_err_oom(err);
	}
	error = rn->drv->query(rn->conn, sql->ptr, rows, err);
	rt_str_dispose(sql);
	return error;
}

/* ------------------------------------------------------------------ */

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
		if ((error = rt_runner_exec(rn, &sql)) < 0)
			goto done;
		rt_str_clear(&sql);
	}
	if ((error = rn->drv->table_exists(rn->conn, rn->schema, rn->log_table,
					   &exists, &rn->r->err)) < 0)
		goto done;
	if (!exists) {
		if (rt_log_create_sql(rn, &sql, &idx) < 0) {
			error = rt_err_oom(&rn->r->err);
			goto done;
		}
		if ((error = rt_runner_exec(rn, &sql)) < 0 ||
		    (error = rt_runner_exec(rn, &idx)) < 0)
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
	error = rt_runner_query(rn, &sql, &rows, &rn->r->err);
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

int rt_runner_row_alive(rt_runner *rn, const char *host, const char *pid,
			const char *identity)
{
	long p = pid ? strtol(pid, NULL, 10) : 0;

	return host && !strcmp(host, rn->host) && p > 0 &&
	       p != (long)getpid() && rt_proc_alive((pid_t)p, identity);
}

/* The unfinished rows: revision, direction, status, started_at, host,
 * pid, message; oldest first. */
int rt_runner_unfinished(rt_runner *rn, rt_rows *rows)
{
	rt_str sql = RT_STR_INIT;

	rt_str_printf(&sql,
		      "SELECT revision, direction, status, started_at, host, "
		      "pid, message FROM %s WHERE status IN ('running', "
		      "'failed') ORDER BY id",
		      rt_str_cstr(&rn->lt));
	return rt_runner_query(rn, &sql, rows, &rn->r->err);
}

/* How the dirty row's section came to run outside a transaction, for
 * the messages: "transaction:false", or, for a section that did not ask
 * for it on a database without transactional DDL, "no transactional DDL
 * on MySQL". */
static const char *outside_why(rt_runner *rn, const char *rev, const char *dir)
{
	const rt_script_sec *sec;
	uint32_t idx;

	if ((rn->drv->flags & RT_DRV_TRANSACTIONAL_DDL) || !rev || !dir ||
	    !rn->r->graph ||
	    !rt_graph_lookup(rn->r->graph, rev, strlen(rev), &idx) ||
	    idx >= rn->r->graph->n)
		return "transaction:false";
	/* the section this database's dialect ran */
	sec = rt_script_section(&rn->r->graph->revs[idx].s,
				!strcmp(dir, "downgrade"), rn->url->dialect,
				NULL);
	return sec && sec->sec.transactional ? "no transactional DDL on MySQL"
					     : "transaction:false";
}

/* The dirty state a finished or dead run left, as an error. */
static int dirty_error(rt_runner *rn, const rt_rows *rows)
{
	const char *rev = rt_rows_at(rows, 0, 0);
	const char *dir = rt_rows_at(rows, 0, 1);
	const char *when = rt_rows_at(rows, 0, 3);
	const char *host = rt_rows_at(rows, 0, 4);
	const char *pid = rt_rows_at(rows, 0, 5);
	const char *msg = rt_rows_at(rows, 0, 6);
	const char *why = outside_why(rn, rev, dir);

	if (!strcmp(rt_rows_at(rows, 0, 2), "running") && host &&
	    strcmp(host, rn->host))
		return rt_fail(rn->r, RETORT_EDIRTY,
			       "the database is dirty: %s of revision %s "
			       "(%s) started at %s by pid %s "
			       "on another host, %s, where retort cannot tell "
			       "whether it still runs, and never finished: if "
			       "it still runs, wait for it; otherwise check "
			       "what it did, fix the database by hand, then "
			       "run 'retort repair'",
			       dir, rev ? rev : "?", why, when, pid ? pid : "?",
			       host);
	if (!strcmp(rt_rows_at(rows, 0, 2), "running"))
		return rt_fail(rn->r, RETORT_EDIRTY,
			       "the database is dirty: %s of revision %s "
			       "(%s) started at %s by %s pid "
			       "%s, which is no longer running, and never "
			       "finished; check what it did, fix the database "
			       "by hand, then run 'retort repair'",
			       dir, rev ? rev : "?", why, when,
			       host ? host : "?", pid ? pid : "?");
	return rt_fail(rn->r, RETORT_EDIRTY,
		       "the database is dirty: %s of revision %s "
		       "(%s) failed at %s: %s; fix the "
		       "database by hand, then run 'retort repair'",
		       dir, rev ? rev : "?", why, when, msg ? msg : "");
}

/* Is the database dirty? 0: clean; RETORT_EDIRTY with the message set;
 * 1: a live process on this host is running a transaction:false step
 * (wait and retry; rn->busy says which). */
int rt_runner_check_dirty(rt_runner *rn)
{
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
	if ((error = rt_runner_unfinished(rn, &rows)) < 0)
		return error;
	if (!rows.nrows)
		error = 0;
	else if (!strcmp(rt_rows_at(&rows, 0, 2), "running") &&
		 rt_runner_row_alive(rn, rt_rows_at(&rows, 0, 4),
				     rt_rows_at(&rows, 0, 5),
				     rt_rows_at(&rows, 0, 6))) {
		rt_str_clear(&rn->busy);
		rt_str_printf(&rn->busy,
			      "%s of revision %s (transaction:false) is "
			      "being run by pid %s on this host since %s",
			      rt_rows_at(&rows, 0, 1),
			      rt_rows_at(&rows, 0, 0) ? rt_rows_at(&rows, 0, 0)
						      : "?",
			      rt_rows_at(&rows, 0, 5), rt_rows_at(&rows, 0, 3));
		error = 1;
	} else
		error = dirty_error(rn, &rows);
	rt_rows_free(&rows);
	return error;
}
