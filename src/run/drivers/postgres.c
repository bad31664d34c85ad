/* SPDX-License-Identifier: MIT */
/*
 * postgres.c: the PostgreSQL driver (libpq).
 *
 * - Connection parameters are the libpq keywords and values that the URL
 *   stage makes of the URL (rt_url_libpq(), project/url_pg.c): host (or
 *   a socket folder, or a list), port, user, password, dbname, the query
 *   parameters or key/value pairs (a SQLAlchemy driver's names mapped),
 *   application_name "retort" and connect_timeout 10 s by default so an
 *   unreachable host fails instead of hanging.
 * - The lock is a session advisory lock keyed on the version table. It is
 *   taken by polling pg_try_advisory_lock(): a waiting retort never sits
 *   in a long statement, so it holds no open transaction or snapshot that
 *   a `CREATE INDEX CONCURRENTLY` in the lock holder would have to wait
 *   for (the classic deadlock of blocking pg_advisory_lock()).
 * - run_step() sends BEGIN, the section's statements and the bookkeeping
 *   statements through libpq's pipeline mode: one round trip for the
 *   whole step (per 100 statements), plus one for COMMIT. Each statement
 *   is sent on its own, so an error's position maps to an exact line.
 * - Outside a transaction (transaction:false sections), exec() runs the
 *   statements one by one, so each is its own transaction as
 *   CREATE INDEX CONCURRENTLY and ALTER TYPE ... ADD VALUE require.
 * - COPY to or from the client (`COPY ... FROM stdin` as pg_dump writes
 *   it, `COPY ... TO stdout`) cannot work: retort has no rows to send and
 *   nowhere to put them. Wherever a result is read, a COPY state is ended
 *   at once (PQputCopyEnd with an error, or the rows drained after a
 *   cancel) and reported as an error; a pipeline batch ends after every
 *   COPY statement, so that ending the copy never has later statements
 *   of the same batch queued behind it.
 * - cancel() (the interrupt) sends a cancel request through a PGcancel
 *   prepared at connect, which libpq documents as safe in a signal
 *   handler, and sets a flag that exec(), run_step() and lock() look at
 *   between statements, batches and attempts.
 * - pg_settings are sent as parameters of set_config(), never as SQL
 *   text; their names are checked first (sql/pg_settings.h).
 * - adopt() wraps the application's own PGconn: it must be connected,
 *   idle (no transaction, no query in flight, no pipeline). The session
 *   setup is open()'s; the values it changes (client_min_messages,
 *   default_transaction_read_only, each pg_settings name) are read first
 *   and put back by close(), which leaves the connection open.
 * Every error message is non-empty: libpq's texts can be empty (a result
 *   without a message, a connection without an error), so each has a
 *   fallback.
 */
#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "project/url_pg.h"
#include "run/driver.h"
#include "sql/pg_settings.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/map.h"
#include "util/str.h"
#include "util/vec.h"

#define PIPELINE_BATCH 100

struct rt_conn {
	PGconn *pg;
	PGcancel *cancel;	/* for pg_cancel(), made at connect */
	atomic_int interrupted; /* pg_cancel() was called (lock-free) */
	char *display;
	double timeout_ms;
	retort_event_fn event;
	void *event_payload;
	void (*statement)(void *payload, size_t offset); /* progress */
	void *statement_payload;
	int64_t lock_key;
	char *schema; /* current_schema() after the settings */
	int in_tx;
	long changes;
	char user[128];
	/* adopt(): the application's connection, and the settings to put
	 * back (name, value as found or NULL) */
	int borrowed;
	int restore; /* the checks passed: give_back() acts */
	char **saved;
	size_t nsaved;
};

/* libpq messages end in newlines and may span lines: make one line. */
static void one_line(rt_str *out, const char *msg)
{
	const char *p = msg;
	int space = 0;

	for (; *p; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			space = 1;
			continue;
		}
		if (space && out->len) {
			if (out->ptr[out->len - 1] != ';' &&
			    out->ptr[out->len - 1] != ':')
				rt_str_putc(out, ';');
			rt_str_putc(out, ' ');
		}
		space = 0;
		rt_str_putc(out, *p);
	}
	while (out->len &&
	       (out->ptr[out->len - 1] == ' ' || out->ptr[out->len - 1] == ';'))
		rt_str_truncate(out, out->len - 1);
}

/* libpq's reason for a connection-level failure, never empty. */
static void conn_reason(rt_conn *c, rt_str *msg)
{
	size_t len = msg->len;

	one_line(msg, PQerrorMessage(c->pg));
	if (msg->len == len)
		rt_str_puts(msg, PQstatus(c->pg) == CONNECTION_BAD
				     ? "the connection is closed (libpq gave "
				       "no reason)"
				     : "libpq gave no reason");
}

static int conn_error(rt_conn *c, rt_err *err, int code, const char *what)
{
	rt_str msg = RT_STR_INIT;
	int rc;

	conn_reason(c, &msg);
	rc = rt_err_set(err, code, "%s %s: %s", what, c->display,
			rt_str_cstr(&msg));
	rt_str_dispose(&msg);
	return rc;
}

/* The server's error as "message: detail", and its SQLSTATE. */
static int result_error(rt_conn *c, PGresult *res, rt_failure *f, rt_err *err)
{
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	rt_str msg = RT_STR_INIT;
	int code = RETORT_ERROR;
	int rc;

	if (PQstatus(c->pg) == CONNECTION_BAD) {
		code = RETORT_EDB;
		rt_str_puts(&msg, "lost the connection to the server: ");
		conn_reason(c, &msg);
	} else if (primary && *primary) {
		one_line(&msg, primary);
		if (detail && *detail) {
			rt_str_puts(&msg, ": ");
			one_line(&msg, detail);
		}
	} else
		one_line(&msg, PQresultErrorMessage(res));
	if (!msg.len)
		one_line(&msg, PQerrorMessage(c->pg));
	if (!msg.len)
		rt_str_printf(&msg, "unexpected result from the server (%s)",
			      PQresStatus(PQresultStatus(res)));
	if (f && state)
		snprintf(f->sqlstate, sizeof(f->sqlstate), "%s", state);
	if (state && (!strcmp(state, "55P03") || !strcmp(state, "40P01")))
		code = RETORT_ELOCKED;
	if (c->interrupted && code != RETORT_EDB)
		code = RETORT_EINTERRUPTED;
	rc = rt_err_set(err, code, "%s", rt_str_cstr(&msg));
	rt_str_dispose(&msg);
	return rc;
}

/* Byte offset of 1-based character position `pos` in UTF-8 text. */
static long char_to_byte(const char *s, size_t len, long pos)
{
	size_t i = 0;
	long chars = 0;

	while (i < len && chars < pos - 1) {
		unsigned char ch = (unsigned char)s[i];

		i += ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
		chars++;
	}
	return (long)(i < len ? i : len);
}

/* FNV-1a of "retort:" + schema + "." + table: the lock's key. */
static int64_t lock_key(const char *schema, const char *table)
{
	const char *parts[4] = { "retort:", schema, ".", table };
	uint64_t h = RT_FNV1A64_INIT;
	size_t i;

	for (i = 0; i < 4; i++)
		h = rt_fnv1a64(h, parts[i], strlen(parts[i]));
	return (int64_t)h;
}

static int is_copy(ExecStatusType st)
{
	return st == PGRES_COPY_IN || st == PGRES_COPY_OUT ||
	       st == PGRES_COPY_BOTH;
}

/*
 * The connection is in a COPY state: end it now and fail. COPY FROM
 * stdin is ended with CopyFail (the server answers with an error);
 * COPY TO stdout is cancelled and its rows drained. With `drain` (after
 * PQexec) the results that follow are read too, so that the connection
 * is idle again; in a pipeline the caller reads them as usual.
 */
static int copy_refused(rt_conn *c, ExecStatusType st, int drain, rt_err *err)
{
	char buf[256];
	int rc;

	if (st == PGRES_COPY_IN) {
		rc = rt_err_set(err, RETORT_ERROR,
				"COPY ... FROM stdin is not supported: retort "
				"sends SQL only, so there is no data to copy "
				"(rows after the COPY are not read); load the "
				"data with INSERT statements or COPY FROM a "
				"server file");
		if (PQputCopyEnd(c->pg, "COPY FROM stdin is not supported by "
					"retort") < 0)
			drain = 0;
	} else {
		rc = rt_err_set(
		    err, RETORT_ERROR,
		    st == PGRES_COPY_OUT
			? "COPY ... TO stdout is not supported: retort does "
			  "not read the rows it would send; COPY TO a server "
			  "file, or use a SELECT"
			: "a COPY BOTH (replication) stream is not supported");
		if (c->cancel)
			PQcancel(c->cancel, buf, sizeof(buf));
		if (st == PGRES_COPY_BOTH)
			PQputCopyEnd(c->pg, "not supported by retort");
	}
	if (st != PGRES_COPY_IN) {
		char *row;
		int k;

		while ((k = PQgetCopyData(c->pg, &row, 0)) > 0)
			PQfreemem(row);
		if (k == -2)
			drain = 0;
	}
	if (drain) {
		PGresult *res;

		while ((res = PQgetResult(c->pg)) != NULL) {
			ExecStatusType more = PQresultStatus(res);

			PQclear(res);
			if (is_copy(more)) /* another COPY in the same text */
				return copy_refused(c, more, 1, err);
		}
	}
	return rc;
}

static int simple(rt_conn *c, const char *sql, rt_err *err)
{
	PGresult *res;
	int rc = 0;

	c->interrupted = 0;
	res = PQexec(c->pg, sql);
	if (res && is_copy(PQresultStatus(res)))
		rc = copy_refused(c, PQresultStatus(res), 1, err);
	else if (!res || (PQresultStatus(res) != PGRES_COMMAND_OK &&
			  PQresultStatus(res) != PGRES_TUPLES_OK))
		rc = res ? result_error(c, res, NULL, err)
			 : conn_error(c, err, RETORT_EDB,
				      "lost the connection to");
	PQclear(res);
	return rc;
}

/* pg_settings (sql/pg_settings.h): each one through set_config() with
 * the name and value as parameters. Errors are configuration errors that
 * say where the setting came from. */
static int apply_settings(rt_conn *c, const rt_open_opts *o, rt_err *err)
{
	rt_pg_setting *v = NULL;
	size_t n = 0, i;
	int rc;

	rc = rt_pg_settings_parse(o->settings, &v, &n, err);
	for (i = 0; i < n && !rc; i++) {
		const char *params[2] = { v[i].name, v[i].value };
		PGresult *res = PQexecParams(
		    c->pg, "SELECT pg_catalog.set_config($1, $2, false)", 2,
		    NULL, params, NULL, NULL, 0);

		if (!res)
			rc = conn_error(c, err, RETORT_EDB,
					"lost the connection to");
		else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = result_error(c, res, NULL, err);
			if (rc != RETORT_EDB) {
				/* a bad name or value: say it is a setting */
				rt_str m = RT_STR_INIT;

				rt_str_printf(&m, "pg_settings: %s",
					      rt_err_msg(err));
				rc = rt_err_set(err, RETORT_ECONFIG, "%s",
						rt_str_cstr(&m));
				rt_str_dispose(&m);
			}
		}
		PQclear(res);
	}
	rt_pg_settings_free(v, n);
	if (rc == RETORT_ECONFIG && o->settings_where && *o->settings_where) {
		rt_str m = RT_STR_INIT;

		rt_str_printf(&m, "%s: %s", o->settings_where, rt_err_msg(err));
		rc = m.oom ? rt_err_oom(err)
			   : rt_err_set(err, RETORT_ECONFIG, "%s",
					rt_str_cstr(&m));
		rt_str_dispose(&m);
	}
	return rc;
}

static int check_result(rt_conn *c, PGresult *res, rt_failure *f, rt_err *err);

/* The schema the version table lives in: the configured one, or the
 * first existing schema of the search path (after pg_settings), which is
 * where an unqualified CREATE TABLE puts it. The lock is keyed on it. */
static int resolve_schema(rt_conn *c, const rt_open_opts *o, rt_err *err)
{
	PGresult *res;
	int rc;

	if (o->lock_schema && *o->lock_schema) {
		c->schema = strdup(o->lock_schema);
	} else {
		res = PQexec(c->pg, "SELECT pg_catalog.current_schema()");
		if ((rc = check_result(c, res, NULL, err)) < 0) {
			PQclear(res);
			return rc;
		}
		if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
			PQclear(res);
			return rt_err_set(
			    err, RETORT_ECONFIG,
			    "no schema of the search path exists on %s, so "
			    "retort has nowhere to keep its version table; "
			    "create one, or set version_table_schema",
			    c->display);
		}
		c->schema = strdup(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	if (!c->schema)
		return rt_err_oom(err);
	c->lock_key = lock_key(c->schema, o->lock_table ? o->lock_table : "");
	return 0;
}

static const char *pg_schema(rt_conn *c)
{
	return c->schema;
}

/* What every session gets, the application's too: warnings and notices
 * are not ours to print; the settings; the version table's schema. */
static int setup_session(rt_conn *c, const rt_open_opts *o, rt_err *err)
{
	int rc;

	snprintf(c->user, sizeof(c->user), "%s", PQuser(c->pg));
	c->cancel = PQgetCancel(c->pg);
	if ((rc = simple(c, "SET client_min_messages = warning", err)) < 0 ||
	    (o->readonly &&
	     (rc = simple(c, "SET default_transaction_read_only = on", err)) <
		 0) ||
	    (rc = apply_settings(c, o, err)) < 0 ||
	    (rc = resolve_schema(c, o, err)) < 0)
		return rc;
	return 0;
}

static void pg_close(rt_conn *c);

static int pg_open(rt_conn **out, const rt_url *url, const rt_open_opts *o,
		   int *missing, rt_err *err)
{
	const char *keys[RT_URL_LIBPQ_MAX], *vals[RT_URL_LIBPQ_MAX];
	char port[8];
	rt_conn *c;
	int rc;

	*out = NULL;
	*missing = 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return rt_err_oom(err);
	c->display = strdup(o->display ? o->display : "postgresql");
	if (!c->display) {
		free(c);
		return rt_err_oom(err);
	}
	c->timeout_ms = o->lock_timeout_ms;
	c->event = o->event;
	c->event_payload = o->event_payload;
	c->statement = o->statement;
	c->statement_payload = o->statement_payload;
	rt_url_libpq(url, keys, vals, port);
	c->pg = PQconnectdbParams(keys, vals, 0);
	if (!c->pg) {
		free(c->display);
		free(c);
		return rt_err_oom(err);
	}
	if (PQstatus(c->pg) != CONNECTION_OK) {
		rc = conn_error(c, err, RETORT_EDB, "cannot connect to");
		PQfinish(c->pg);
		free(c->display);
		free(c);
		return rc;
	}
	if ((rc = setup_session(c, o, err)) < 0) {
		pg_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* ------------------------------------------------------------------ */
/* a borrowed connection (the application's PGconn) */

/* Read one setting's value (NULL for a custom one not set) before the
 * session setup changes it. */
static int save_one(rt_conn *c, const char *name, rt_err *err)
{
	const char *params[1] = { name };
	char **grown, *nm, *val = NULL;
	PGresult *res =
	    PQexecParams(c->pg, "SELECT pg_catalog.current_setting($1, true)",
			 1, NULL, params, NULL, NULL, 0);
	int rc;

	if ((rc = check_result(c, res, NULL, err)) < 0) {
		PQclear(res);
		return rc;
	}
	nm = strdup(name);
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		val = strdup(PQgetvalue(res, 0, 0));
	rc = !nm || (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) && !val);
	PQclear(res);
	grown =
	    rc ? NULL : realloc(c->saved, (c->nsaved + 2) * sizeof(*c->saved));
	if (!grown) {
		free(nm);
		free(val);
		return rt_err_oom(err);
	}
	c->saved = grown;
	c->saved[c->nsaved++] = nm;
	c->saved[c->nsaved++] = val;
	return 0;
}

/* Every setting setup_session() changes: put back by give_back(). */
static int save_settings(rt_conn *c, const rt_open_opts *o, rt_err *err)
{
	rt_pg_setting *v = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = save_one(c, "client_min_messages", err)) < 0 ||
	    (o->readonly &&
	     (rc = save_one(c, "default_transaction_read_only", err)) < 0))
		return rc;
	/* a bad list fails in apply_settings() with its full message */
	if (rt_pg_settings_parse(o->settings, &v, &n, err) < 0) {
		rt_err_clear(err);
		return 0;
	}
	for (i = 0; i < n && !rc; i++)
		rc = save_one(c, v[i].name, err);
	rt_pg_settings_free(v, n);
	return rc;
}

/* Is the application's connection one retort can use? */
static int check_borrowed(rt_conn *c, rt_err *err)
{
	const char *why = NULL;

	if (PQstatus(c->pg) != CONNECTION_OK)
		return conn_error(c, err, RETORT_EDB, "cannot use");
	if (PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF)
		why = "it is in pipeline mode";
	else if (PQisBusy(c->pg))
		why = "a query is in progress on it";
	else if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		why =
		    "it is inside a transaction; commit or roll it back first";
	if (why)
		return rt_err_set(err, RETORT_EUSAGE, "cannot use %s: %s",
				  c->display, why);
	return 0;
}

static int pg_adopt(rt_conn **out, void *handle, const rt_open_opts *o,
		    rt_err *err)
{
	rt_conn *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return rt_err_oom(err);
	c->pg = handle;
	c->borrowed = 1;
	c->display = strdup(o->display ? o->display : "postgresql");
	c->timeout_ms = o->lock_timeout_ms;
	c->event = o->event;
	c->event_payload = o->event_payload;
	c->statement = o->statement;
	c->statement_payload = o->statement_payload;
	if (!c->display)
		rc = rt_err_oom(err);
	else if ((rc = check_borrowed(c, err)) == 0) {
		c->restore = 1;
		if ((rc = save_settings(c, o, err)) == 0)
			rc = setup_session(c, o, err);
	}
	if (rc < 0) {
		pg_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* Leave the application's connection as adopt() found it: no open
 * transaction, its settings back (newest first; NULL resets). */
static void give_back(rt_conn *c)
{
	size_t i;

	if (!c->restore || PQstatus(c->pg) != CONNECTION_OK)
		return;
	if (PQtransactionStatus(c->pg) == PQTRANS_INTRANS ||
	    PQtransactionStatus(c->pg) == PQTRANS_INERROR)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	for (i = c->nsaved; i >= 2; i -= 2) {
		const char *params[2] = { c->saved[i - 2], c->saved[i - 1] };

		PQclear(PQexecParams(
		    c->pg, "SELECT pg_catalog.set_config($1, $2, false)", 2,
		    NULL, params, NULL, NULL, 0));
	}
}

static void pg_close(rt_conn *c)
{
	size_t i;

	if (!c)
		return;
	PQfreeCancel(c->cancel);
	if (c->borrowed)
		give_back(c);
	else
		PQfinish(c->pg);
	for (i = 0; i < c->nsaved; i++)
		free(c->saved[i]);
	free(c->saved);
	free(c->schema);
	free(c->display);
	free(c);
}

/* Async-signal-safe: PQcancel() on the object made at connect, and a
 * flag. */
static void pg_cancel(rt_conn *c)
{
	char buf[256];

	c->interrupted = 1;
	if (c->cancel)
		PQcancel(c->cancel, buf, sizeof(buf));
}

static int interrupted(rt_conn *c, rt_err *err)
{
	(void)c;
	return rt_err_set(err, RETORT_EINTERRUPTED, "interrupted");
}

static int check_result(rt_conn *c, PGresult *res, rt_failure *f, rt_err *err)
{
	ExecStatusType st;

	if (!res)
		return conn_error(c, err, RETORT_EDB, "lost the connection to");
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
	    st == PGRES_EMPTY_QUERY) {
		c->changes = atol(PQcmdTuples(res));
		return 0;
	}
	if (is_copy(st))
		return copy_refused(c, st, 1, err);
	return result_error(c, res, f, err);
}

static void locate(const char *sql, size_t len, size_t stmt_start,
		   PGresult *res, rt_failure *f)
{
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);

	if (!f)
		return;
	if (pos)
		f->offset =
		    (long)stmt_start +
		    char_to_byte(sql + stmt_start, len - stmt_start, atol(pos));
	else
		f->offset = (long)stmt_start;
}

/* One statement at a time, each its own round trip (autocommit mode, or
 * whole texts inside a transaction on the generic path). */
static int pg_exec(rt_conn *c, const char *sql, size_t len, rt_failure *f,
		   rt_err *err)
{
	rt_sql_stmt *stmts = NULL;
	size_t n = 0, i;
	int rc = 0;

	c->interrupted = 0;
	if (f) {
		f->offset = -1;
		f->sqlstate[0] = '\0';
	}
	if (rt_sql_split(RT_DIALECT_POSTGRESQL, sql, len, &stmts, &n) < 0)
		return rt_err_oom(err);
	for (i = 0; i < n && !rc; i++) {
		char *text;
		PGresult *res;

		if (c->interrupted) {
			rc = interrupted(c, err);
			if (f)
				f->offset = (long)stmts[i].start;
			break;
		}
		if (c->statement)
			c->statement(c->statement_payload, stmts[i].start);
		text = strndup(sql + stmts[i].start, stmts[i].len);
		if (!text) {
			rc = rt_err_oom(err);
			break;
		}
		res = PQexec(c->pg, text);
		free(text);
		rc = check_result(c, res, f, err);
		if (rc < 0 && res)
			locate(sql, len, stmts[i].start, res, f);
		PQclear(res);
	}
	free(stmts);
	return rc;
}

static int pg_query(rt_conn *c, const char *sql, rt_rows *out, rt_err *err)
{
	PGresult *res;
	int rc, r, k;

	c->interrupted = 0;
	res = PQexec(c->pg, sql);
	memset(out, 0, sizeof(*out));
	if ((rc = check_result(c, res, NULL, err)) < 0) {
		PQclear(res);
		return rc;
	}
	out->nrows = (size_t)PQntuples(res);
	out->ncols = (size_t)PQnfields(res);
	if (out->nrows && out->ncols) {
		out->cells =
		    calloc(out->nrows * out->ncols, sizeof(*out->cells));
		if (!out->cells) {
			PQclear(res);
			out->nrows = 0;
			return rt_err_oom(err);
		}
	}
	for (r = 0; r < (int)out->nrows; r++)
		for (k = 0; k < (int)out->ncols; k++) {
			char **cell =
			    &out->cells[(size_t)r * out->ncols + (size_t)k];

			if (PQgetisnull(res, r, k))
				continue;
			*cell = strdup(PQgetvalue(res, r, k));
			if (!*cell) {
				PQclear(res);
				rt_rows_free(out);
				return rt_err_oom(err);
			}
		}
	PQclear(res);
	return 0;
}

static int pg_begin(rt_conn *c, rt_err *err)
{
	int rc = simple(c, "BEGIN", err);

	if (!rc)
		c->in_tx = 1;
	return rc;
}

static int pg_commit(rt_conn *c, rt_err *err)
{
	int rc = simple(c, "COMMIT", err);

	c->in_tx = 0;
	return rc;
}

static int pg_rollback(rt_conn *c, rt_err *err)
{
	c->in_tx = 0;
	if (PQstatus(c->pg) != CONNECTION_OK)
		return 0;
	return simple(c, "ROLLBACK", err);
}

/* Who holds the advisory lock, for the waiting message. */
static void lock_holder(rt_conn *c, rt_str *out)
{
	uint64_t k = (uint64_t)c->lock_key;
	rt_str sql = RT_STR_INIT;
	PGresult *res;

	rt_str_printf(&sql,
		      "SELECT a.pid, coalesce(a.application_name, ''), "
		      "coalesce(host(a.client_addr), 'local'), "
		      "to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') "
		      "FROM pg_catalog.pg_locks l JOIN "
		      "pg_catalog.pg_stat_activity a ON a.pid = l.pid WHERE "
		      "l.locktype = 'advisory' AND l.granted AND l.classid = "
		      "%u AND l.objid = %u AND l.objsubid = 1 AND l.database = "
		      "(SELECT oid FROM pg_catalog.pg_database WHERE datname = "
		      "current_database())",
		      (unsigned)(k >> 32), (unsigned)(k & 0xffffffffu));
	res = sql.oom ? NULL : PQexec(c->pg, sql.ptr);
	rt_str_dispose(&sql);
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res))
		rt_str_printf(out, "held by pid %s (%s%s%s, connected %s)",
			      PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
			      *PQgetvalue(res, 0, 1) ? ", " : "",
			      PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	else
		rt_str_puts(out, "held by another session");
	PQclear(res);
}

static int pg_lock(rt_conn *c, rt_err *err)
{
	double start = rt_clock_ms();
	char sql[96];
	int told = 0;

	snprintf(sql, sizeof(sql),
		 "SELECT pg_catalog.pg_try_advisory_lock(%lld)",
		 (long long)c->lock_key);
	c->interrupted = 0;
	for (;;) {
		PGresult *res;
		int rc, got;
		struct timespec ts = { 0, 200 * 1000000L };

		if (c->interrupted)
			return rt_err_set(err, RETORT_EINTERRUPTED,
					  "interrupted while waiting for the "
					  "migration lock on %s",
					  c->display);
		res = PQexec(c->pg, sql);
		rc = check_result(c, res, NULL, err);
		got = rc == 0 && PQntuples(res) == 1 &&
		      !strcmp(PQgetvalue(res, 0, 0), "t");
		PQclear(res);
		if (rc < 0)
			return rc;
		if (got)
			return 0;
		if (rt_clock_ms() - start >= c->timeout_ms) {
			rt_str who = RT_STR_INIT;

			lock_holder(c, &who);
			rc = rt_err_set(err, RETORT_ELOCKED,
					"could not take the migration lock on "
					"%s within %.0f s (lock_timeout): %s",
					c->display, c->timeout_ms / 1000,
					rt_str_cstr(&who));
			rt_str_dispose(&who);
			return rc;
		}
		if (!told && c->event) {
			rt_str msg = RT_STR_INIT;
			retort_event ev;

			rt_str_printf(&msg,
				      "waiting for the migration lock on %s, ",
				      c->display);
			lock_holder(c, &msg);
			rt_str_printf(&msg, " (lock_timeout %.0f s)",
				      c->timeout_ms / 1000);
			memset(&ev, 0, sizeof(ev));
			ev.kind = RETORT_EVENT_LOCK_WAIT;
			ev.message = rt_str_cstr(&msg);
			c->event(&ev, c->event_payload);
			rt_str_dispose(&msg);
			told = 1;
		}
		nanosleep(&ts, NULL);
	}
}

static int pg_unlock(rt_conn *c, rt_err *err)
{
	char sql[96];

	if (PQstatus(c->pg) != CONNECTION_OK)
		return 0;
	snprintf(sql, sizeof(sql), "SELECT pg_catalog.pg_advisory_unlock(%lld)",
		 (long long)c->lock_key);
	return simple(c, sql, err);
}

static int pg_table_exists(rt_conn *c, const char *schema, const char *table,
			   int *exists, rt_err *err)
{
	const char *params[2] = { table, schema && *schema ? schema : NULL };
	PGresult *res;
	int rc;

	c->interrupted = 0;
	res = PQexecParams(
	    c->pg,
	    "SELECT 1 FROM pg_catalog.pg_class c JOIN "
	    "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	    "c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = "
	    "coalesce($2, current_schema())",
	    2, NULL, params, NULL, NULL, 0);
	rc = check_result(c, res, NULL, err);
	*exists = rc == 0 && PQntuples(res) > 0;
	PQclear(res);
	return rc;
}

static int pg_count_tables(rt_conn *c, const char *schema, const char *skip1,
			   const char *skip2, long *n, rt_err *err)
{
	const char *params[3] = { schema && *schema ? schema : NULL, skip1,
				  skip2 };
	PGresult *res = PQexecParams(
	    c->pg,
	    "SELECT count(*) FROM pg_catalog.pg_class c JOIN "
	    "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	    "c.relkind IN ('r', 'p') AND n.nspname = coalesce($1, "
	    "current_schema()) AND c.relname <> $2 AND c.relname <> $3",
	    3, NULL, params, NULL, NULL, 0);
	int rc = check_result(c, res, NULL, err);

	*n = rc == 0 && PQntuples(res) == 1 ? atol(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return rc;
}

static long pg_changes(rt_conn *c)
{
	return c->changes;
}

static const char *pg_user(rt_conn *c)
{
	return c->user[0] ? c->user : NULL;
}

/* ------------------------------------------------------------------ */
/* pipelined steps */

typedef struct piece {
	const char *text; /* NUL-terminated statement */
	char *owned;	  /* text, when this piece allocated it */
	size_t start;	  /* offset in the section, or (size_t)-1 */
	int epilogue;	  /* index into changes[] + 1, or 0 */
	int copy;	  /* a COPY statement: its batch ends after it */
} piece;

/* Does the statement start with the word COPY? */
static int starts_with_copy(const char *sql, size_t len)
{
	rt_sql_token tok;
	size_t pos = 0;

	while (rt_sql_next(RT_DIALECT_POSTGRESQL, sql, len, &pos, &tok)) {
		const char *w = sql + tok.start;

		if (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT)
			continue;
		return tok.kind == RT_SQL_WORD && tok.len >= 4 &&
		       !strncasecmp(w, "copy", 4) &&
		       (tok.len == 4 || !((w[4] >= 'a' && w[4] <= 'z') ||
					  (w[4] >= 'A' && w[4] <= 'Z') ||
					  (w[4] >= '0' && w[4] <= '9') ||
					  w[4] == '_' || w[4] == '$'));
	}
	return 0;
}

/* Send pieces [from, to) followed by a sync; read their results. On the
 * first error, record it and keep reading to the sync. */
static int pipeline_batch(rt_conn *c, const piece *pieces, size_t from,
			  size_t to, const char *sql, size_t len, long *changes,
			  rt_failure *f, rt_err *err)
{
	size_t i;
	int rc = 0;

	for (i = from; i < to; i++) {
		if (!PQsendQueryParams(c->pg, pieces[i].text, 0, NULL, NULL,
				       NULL, NULL, 0))
			return conn_error(c, err, RETORT_EDB,
					  "lost the connection to");
		/* progress: the server sends each result when it is ready
		 * (not all at the sync), so that the statement in flight is
		 * known; same round trips */
		if (c->statement && !PQsendFlushRequest(c->pg))
			return conn_error(c, err, RETORT_EDB,
					  "lost the connection to");
	}
	if (!PQpipelineSync(c->pg))
		return conn_error(c, err, RETORT_EDB, "lost the connection to");
	for (i = from; i < to; i++) {
		PGresult *res;

		/* the earlier pieces are done: this one is in flight */
		if (c->statement && pieces[i].start != (size_t)-1)
			c->statement(c->statement_payload, pieces[i].start);
		while ((res = PQgetResult(c->pg)) != NULL) {
			ExecStatusType st = PQresultStatus(res);

			if (st == PGRES_PIPELINE_ABORTED) {
				PQclear(res);
				continue;
			}
			if (is_copy(st)) {
				/* end it: its own result follows */
				rt_err ignore = RT_ERR_INIT;

				if (!rc) {
					rc = copy_refused(c, st, 0, err);
					if (f && pieces[i].start != (size_t)-1)
						locate(sql, len,
						       pieces[i].start, res, f);
				} else
					copy_refused(c, st, 0, &ignore);
				rt_err_dispose(&ignore);
				PQclear(res);
				continue;
			}
			if (!rc && st != PGRES_COMMAND_OK &&
			    st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
				rc = result_error(c, res, f, err);
				if (f) {
					if (pieces[i].start != (size_t)-1)
						locate(sql, len,
						       pieces[i].start, res, f);
					else
						f->offset = -2;
				}
			} else if (!rc && pieces[i].epilogue)
				changes[pieces[i].epilogue - 1] =
				    atol(PQcmdTuples(res));
			PQclear(res);
		}
	}
	/* the sync */
	{
		PGresult *res = PQgetResult(c->pg);

		if (!res || PQresultStatus(res) != PGRES_PIPELINE_SYNC) {
			if (!rc)
				rc = conn_error(c, err, RETORT_EDB,
						"lost the connection to");
		}
		PQclear(res);
	}
	return rc;
}

static int pg_run_step(rt_conn *c, int begin, const char *sql, size_t len,
		       const char *const *epilogue, size_t nepilogue,
		       long *changes, rt_failure *f, rt_err *err)
{
	RT_VEC(piece) pieces = RT_VEC_INIT;
	rt_sql_stmt *stmts = NULL;
	size_t n = 0, i, from, to;
	int rc = 0;

	c->interrupted = 0;
	if (f) {
		f->offset = -1;
		f->sqlstate[0] = '\0';
	}
	if (rt_sql_split(RT_DIALECT_POSTGRESQL, sql, len, &stmts, &n) < 0)
		return rt_err_oom(err);
	if (begin) {
		piece p = { "BEGIN", NULL, (size_t)-1, 0, 0 };

		if (RT_VEC_PUSH(&pieces, p) < 0)
			goto oom;
	}
	for (i = 0; i < n; i++) {
		piece p;

		p.owned = strndup(sql + stmts[i].start, stmts[i].len);
		p.text = p.owned;
		p.start = stmts[i].start;
		p.epilogue = 0;
		p.copy = starts_with_copy(sql + stmts[i].start, stmts[i].len);
		if (!p.owned || RT_VEC_PUSH(&pieces, p) < 0) {
			free(p.owned);
			goto oom;
		}
	}
	for (i = 0; i < nepilogue; i++) {
		piece p = { epilogue[i], NULL, (size_t)-1, (int)i + 1, 0 };

		changes[i] = -1;
		if (RT_VEC_PUSH(&pieces, p) < 0)
			goto oom;
	}
	if (!PQenterPipelineMode(c->pg)) {
		rc = conn_error(c, err, RETORT_EDB, "cannot pipeline on");
		goto done;
	}
	if (begin)
		c->in_tx = 1;
	for (from = 0; from < pieces.n && !rc; from = to) {
		if (c->interrupted) {
			rc = interrupted(c, err);
			if (f)
				f->offset = pieces.v[from].start != (size_t)-1
						? (long)pieces.v[from].start
						: -2;
			break;
		}
		for (to = from; to < pieces.n && to - from < PIPELINE_BATCH;)
			if (pieces.v[to++].copy)
				break;
		rc = pipeline_batch(c, pieces.v, from, to, sql, len, changes, f,
				    err);
	}
	if (!PQexitPipelineMode(c->pg) && !rc)
		rc = conn_error(c, err, RETORT_EDB, "cannot leave pipeline on");
	goto done;
oom:
	rc = rt_err_oom(err);
done:
	for (i = 0; i < pieces.n; i++)
		free(pieces.v[i].owned);
	RT_VEC_FREE(&pieces);
	free(stmts);
	return rc;
}

/* A failed connection is worth retrying unless the server answered and
 * refused the login: libpq's own failures (refused, no such host,
 * timeout, no socket) and the server's "not now" (starting up, shutting
 * down, recovering, too many clients) pass with time; a FATAL about the
 * password, the user or the database does not. */
static int pg_open_retryable(const char *message)
{
	static const char *const transient[] = {
		"the database system is starting up",
		"the database system is shutting down",
		"the database system is in recovery mode",
		"the database system is not yet accepting connections",
		"the database system is not accepting connections",
		"too many clients",
		"remaining connection slots are reserved",
	};
	size_t i;

	if (!strstr(message, "FATAL:"))
		return 1;
	for (i = 0; i < sizeof(transient) / sizeof(transient[0]); i++)
		if (strstr(message, transient[i]))
			return 1;
	return 0;
}

const rt_driver rt_postgres_driver = {
	.name = "postgresql",
	.dialect = RT_DIALECT_POSTGRESQL,
	.flags = RT_DRV_TRANSACTIONAL_DDL,
	.open = pg_open,
	.adopt = pg_adopt,
	.close = pg_close,
	.exec = pg_exec,
	.query = pg_query,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.table_exists = pg_table_exists,
	.count_tables = pg_count_tables,
	.changes = pg_changes,
	.run_step = pg_run_step,
	.schema = pg_schema,
	.user = pg_user,
	.cancel = pg_cancel,
	.open_retryable = pg_open_retryable,
	.timestamp_type = "TIMESTAMP WITH TIME ZONE",
	.serial_pk = "BIGSERIAL PRIMARY KEY",
};
