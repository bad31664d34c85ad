/* SPDX-License-Identifier: MIT */
/*
 * postgres.c: the PostgreSQL driver (libpq).
 *
 * - Connection parameters come from the URL: host (or a socket folder,
 *   %2F-encoded or ?host=), port, user, password, dbname, and any query
 *   parameter (sslmode, connect_timeout, application_name, options, ...)
 *   handed to libpq as is. application_name defaults to "retort" and
 *   connect_timeout to 10 s so an unreachable host fails instead of
 *   hanging.
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
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run/driver.h"
#include "sql/quote.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/str.h"
#include "util/vec.h"

#define PIPELINE_BATCH 100

struct rt_conn {
	PGconn *pg;
	char *display;
	double timeout_ms;
	retort_event_fn event;
	void *event_payload;
	int64_t lock_key;
	char *schema; /* current_schema() after the settings */
	int in_tx;
	long changes;
	char user[128];
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

static int conn_error(rt_conn *c, rt_err *err, int code, const char *what)
{
	rt_str msg = RT_STR_INIT;
	int rc;

	one_line(&msg, PQerrorMessage(c->pg));
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
		one_line(&msg, PQerrorMessage(c->pg));
	} else if (primary) {
		one_line(&msg, primary);
		if (detail) {
			rt_str_puts(&msg, ": ");
			one_line(&msg, detail);
		}
	} else
		one_line(&msg, PQresultErrorMessage(res));
	if (f && state)
		snprintf(f->sqlstate, sizeof(f->sqlstate), "%s", state);
	if (state && (!strcmp(state, "55P03") || !strcmp(state, "40P01")))
		code = RETORT_ELOCKED;
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
	uint64_t h = 14695981039346656037ULL; /* FNV-1a offset basis */
	const char *parts[4] = { "retort:", schema, ".", table };
	const char *p;
	size_t i;

	for (i = 0; i < 4; i++)
		for (p = parts[i]; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (int64_t)h;
}

static int simple(rt_conn *c, const char *sql, rt_err *err)
{
	PGresult *res = PQexec(c->pg, sql);
	int rc = 0;

	if (!res || (PQresultStatus(res) != PGRES_COMMAND_OK &&
		     PQresultStatus(res) != PGRES_TUPLES_OK))
		rc = res ? result_error(c, res, NULL, err)
			 : conn_error(c, err, RETORT_EDB, "lost");
	PQclear(res);
	return rc;
}

/* pg_settings: "name=value, name=value"; a value holding a comma is
 * single-quoted: search_path='tenant_a, public'. */
static int apply_settings(rt_conn *c, const char *settings, rt_err *err)
{
	const char *p = settings;
	int rc = 0;

	while (p && *p && !rc) {
		const char *n0, *n1, *v0, *v1;
		rt_str sql = RT_STR_INIT;
		char *value;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		n0 = p;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p != '=')
			return rt_err_set(err, RETORT_ECONFIG,
					  "pg_settings: expected name=value, "
					  "not '%.*s'",
					  (int)(p - n0), n0);
		n1 = p++;
		while (n1 > n0 && n1[-1] == ' ')
			n1--;
		while (*p == ' ')
			p++;
		if (*p == '\'') {
			v0 = ++p;
			while (*p && *p != '\'')
				p++;
			if (!*p)
				return rt_err_set(err, RETORT_ECONFIG,
						  "pg_settings: unterminated "
						  "quote in '%s'",
						  n0);
			v1 = p++;
		} else {
			v0 = p;
			while (*p && *p != ',')
				p++;
			v1 = p;
			while (v1 > v0 && v1[-1] == ' ')
				v1--;
		}
		value = strndup(v0, (size_t)(v1 - v0));
		if (!value)
			return rt_err_oom(err);
		rt_str_printf(&sql, "SET %.*s = ", (int)(n1 - n0), n0);
		rt_sql_literal(&sql, RT_DIALECT_POSTGRESQL, value);
		free(value);
		if (sql.oom)
			rc = rt_err_oom(err);
		else if ((rc = simple(c, sql.ptr, err)) < 0 &&
			 rc != RETORT_EDB) {
			/* a bad name or value: say where it came from */
			rt_str m = RT_STR_INIT;

			rt_str_printf(&m, "pg_settings: %s", rt_err_msg(err));
			rc = rt_err_set(err, RETORT_ECONFIG, "%s",
					rt_str_cstr(&m));
			rt_str_dispose(&m);
		}
		rt_str_dispose(&sql);
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

static int pg_open(rt_conn **out, const rt_url *url, const rt_open_opts *o,
		   int *missing, rt_err *err)
{
	const char *keys[32], *vals[32];
	char port[16];
	rt_conn *c;
	size_t i, n = 0;
	int have_app = 0, have_timeout = 0, rc;

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
#define KV(k, v)                                            \
	do {                                                \
		if (n < sizeof(keys) / sizeof(*keys) - 1) { \
			keys[n] = (k);                      \
			vals[n] = (v);                      \
			n++;                                \
		}                                           \
	} while (0)
	if (url->host)
		KV("host", url->host);
	if (url->port) {
		snprintf(port, sizeof(port), "%d", url->port);
		KV("port", port);
	}
	if (url->username)
		KV("user", url->username);
	if (url->password)
		KV("password", url->password);
	if (url->database)
		KV("dbname", url->database);
	for (i = 0; i < url->nparams; i++) {
		have_app |= !strcmp(url->params[i].key, "application_name");
		have_timeout |= !strcmp(url->params[i].key, "connect_timeout");
		KV(url->params[i].key, url->params[i].value);
	}
	if (!have_app)
		KV("application_name", "retort");
	if (!have_timeout)
		KV("connect_timeout", "10");
#undef KV
	keys[n] = vals[n] = NULL;
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
	snprintf(c->user, sizeof(c->user), "%s", PQuser(c->pg));
	/* warnings and notices are not ours to print */
	if ((rc = simple(c, "SET client_min_messages = warning", err)) < 0 ||
	    (o->readonly &&
	     (rc = simple(c, "SET default_transaction_read_only = on", err)) <
		 0) ||
	    (rc = apply_settings(c, o->settings, err)) < 0 ||
	    (rc = resolve_schema(c, o, err)) < 0) {
		PQfinish(c->pg);
		free(c->schema);
		free(c->display);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void pg_close(rt_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	free(c->schema);
	free(c->display);
	free(c);
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

	if (f) {
		f->offset = -1;
		f->sqlstate[0] = '\0';
	}
	if (rt_sql_split(RT_DIALECT_POSTGRESQL, sql, len, &stmts, &n) < 0)
		return rt_err_oom(err);
	for (i = 0; i < n && !rc; i++) {
		char *text = strndup(sql + stmts[i].start, stmts[i].len);
		PGresult *res;

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
	PGresult *res = PQexec(c->pg, sql);
	int rc, r, k;

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
		      "%u AND l.objid = %u AND l.objsubid = 1",
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
	for (;;) {
		PGresult *res = PQexec(c->pg, sql);
		int rc = check_result(c, res, NULL, err);
		int got = rc == 0 && PQntuples(res) == 1 &&
			  !strcmp(PQgetvalue(res, 0, 0), "t");
		struct timespec ts = { 0, 200 * 1000000L };

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
	PGresult *res = PQexecParams(
	    c->pg,
	    "SELECT 1 FROM pg_catalog.pg_class c JOIN "
	    "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
	    "c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = "
	    "coalesce($2, current_schema())",
	    2, NULL, params, NULL, NULL, 0);
	int rc = check_result(c, res, NULL, err);

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
} piece;

/* Send pieces [from, to) followed by a sync; read their results. On the
 * first error, record it and keep reading to the sync. */
static int pipeline_batch(rt_conn *c, const piece *pieces, size_t from,
			  size_t to, const char *sql, size_t len, long *changes,
			  rt_failure *f, rt_err *err)
{
	size_t i;
	int rc = 0;

	for (i = from; i < to; i++)
		if (!PQsendQueryParams(c->pg, pieces[i].text, 0, NULL, NULL,
				       NULL, NULL, 0))
			return conn_error(c, err, RETORT_EDB,
					  "lost the connection to");
	if (!PQpipelineSync(c->pg))
		return conn_error(c, err, RETORT_EDB, "lost the connection to");
	for (i = from; i < to; i++) {
		PGresult *res;

		while ((res = PQgetResult(c->pg)) != NULL) {
			ExecStatusType st = PQresultStatus(res);

			if (st == PGRES_PIPELINE_ABORTED) {
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
	size_t n = 0, i, from;
	int rc = 0;

	if (f) {
		f->offset = -1;
		f->sqlstate[0] = '\0';
	}
	if (rt_sql_split(RT_DIALECT_POSTGRESQL, sql, len, &stmts, &n) < 0)
		return rt_err_oom(err);
	if (begin) {
		piece p = { "BEGIN", NULL, (size_t)-1, 0 };

		if (RT_VEC_PUSH(&pieces, p) < 0)
			goto oom;
	}
	for (i = 0; i < n; i++) {
		piece p;

		p.owned = strndup(sql + stmts[i].start, stmts[i].len);
		p.text = p.owned;
		p.start = stmts[i].start;
		p.epilogue = 0;
		if (!p.owned || RT_VEC_PUSH(&pieces, p) < 0) {
			free(p.owned);
			goto oom;
		}
	}
	for (i = 0; i < nepilogue; i++) {
		piece p = { epilogue[i], NULL, (size_t)-1, (int)i + 1 };

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
	for (from = 0; from < pieces.n && !rc; from += PIPELINE_BATCH) {
		size_t to = from + PIPELINE_BATCH < pieces.n
				? from + PIPELINE_BATCH
				: pieces.n;

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

const rt_driver rt_postgres_driver = {
	.name = "postgresql",
	.dialect = RT_DIALECT_POSTGRESQL,
	.flags = RT_DRV_TRANSACTIONAL_DDL,
	.open = pg_open,
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
	.timestamp_type = "TIMESTAMP WITH TIME ZONE",
	.serial_pk = "BIGSERIAL PRIMARY KEY",
};
