/* SPDX-License-Identifier: MIT */
/*
 * mysql.c: the MySQL and MariaDB driver (libmariadb, which talks to both).
 *
 * - Connection parameters come from the URL as SQLAlchemy writes it
 *   (mysql://, mysql+pymysql://, mysql+mysqldb://, mariadb://,
 *   mariadb+mariadbconnector://): user, password, host (default
 *   "localhost", which libmariadb reaches through the default socket),
 *   port, database, and the query parameters my_params() knows
 *   (unix_socket, charset, ssl_*, connect/read/write_timeout). Any other
 *   parameter is an error naming it, never silently dropped. The
 *   connection uses utf8mb4 unless `charset` says otherwise, and
 *   CLIENT_FOUND_ROWS, so that changes() counts matched rows as on the
 *   other databases.
 * - MySQL has no transactional DDL (the flags say so): every statement
 *   of a section is its own unit, which the runner records statement by
 *   statement (run.c). exec() splits the text with the MySQL tokenizer
 *   (DELIMITER blocks included) and sends one statement at a time; an
 *   error's "at line N" maps to the line in the file.
 * - The lock is GET_LOCK() on a connection of its own, named
 *   "retort:DB.TABLE" (hashed when longer than the 64 characters MySQL
 *   allows), so it survives a KILL QUERY of the migration's statement. A
 *   waiting run polls it in steps of at most a second and names the
 *   holder (IS_USED_LOCK + information_schema.processlist).
 * - cancel() must be async-signal-safe, and stopping a MySQL statement
 *   takes a KILL QUERY from another connection. So each connection has a
 *   small watcher thread waiting on a semaphore: cancel() sets a flag
 *   and posts the semaphore (both async-signal-safe), and the thread
 *   connects and sends KILL QUERY for the migration's and the lock's
 *   connection ids.
 */
#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "run/driver.h"
#include "sql/quote.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/map.h"
#include "util/str.h"
#include "util/thread.h"

#define MY_LOCK_NAME_MAX 64

/* What a new connection to the same server needs (the lock connection,
 * the watcher's KILL connection). */
typedef struct my_target {
	char *host, *user, *password, *db, *socket, *charset;
	unsigned port;
	char *ssl_key, *ssl_cert, *ssl_ca, *ssl_capath, *ssl_cipher;
	int ssl_enforce, ssl_verify;
	unsigned connect_timeout, read_timeout, write_timeout;
} my_target;

struct rt_conn {
	MYSQL *my;
	MYSQL *lk; /* the lock's connection, while locked */
	my_target t;
	char *display;
	char *db;
	double timeout_ms;
	retort_event_fn event;
	void *event_payload;
	/* where in a section exec() is (rt_open_opts.statement) */
	void (*statement)(void *payload, size_t offset);
	void *statement_payload;
	char lock_name[MY_LOCK_NAME_MAX + 1];
	long changes;
	char user[128];
	/* cancel() */
	atomic_int interrupted;
	atomic_ulong thread_id, lock_thread_id;
	atomic_int quit;
	sem_t wake;
	pthread_t watcher;
	int has_watcher;
};

/* ------------------------------------------------------------------ */
/* connection parameters */

static void target_free(my_target *t)
{
	free(t->host);
	free(t->user);
	free(t->password);
	free(t->db);
	free(t->socket);
	free(t->charset);
	free(t->ssl_key);
	free(t->ssl_cert);
	free(t->ssl_ca);
	free(t->ssl_capath);
	free(t->ssl_cipher);
	memset(t, 0, sizeof(*t));
}

static int dup_opt(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? strdup(v) : NULL;
	return v && !*dst ? -1 : 0;
}

static int parse_uint(const char *v, unsigned *out)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (!*v || *end || n > 86400)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int is_true(const char *v)
{
	return !strcasecmp(v, "true") || !strcmp(v, "1") ||
	       !strcasecmp(v, "yes") || !strcasecmp(v, "on");
}

/* ssl_mode as mysqlclient and the mysql client spell it. */
static int ssl_mode(my_target *t, const char *v)
{
	if (!strcasecmp(v, "disabled") || !strcasecmp(v, "preferred")) {
		t->ssl_enforce = 0;
		t->ssl_verify = 0;
	} else if (!strcasecmp(v, "required")) {
		t->ssl_enforce = 1;
		t->ssl_verify = 0;
	} else if (!strcasecmp(v, "verify_ca") ||
		   !strcasecmp(v, "verify_identity")) {
		t->ssl_enforce = 1;
		t->ssl_verify = 1;
	} else
		return -1;
	return 0;
}

/* One query parameter; 1 when unknown, -1 for a bad value, -2 OOM. */
static int my_param(my_target *t, const char *k, const char *v)
{
	if (!strcmp(k, "unix_socket"))
		return dup_opt(&t->socket, v) < 0 ? -2 : 0;
	if (!strcmp(k, "charset"))
		return dup_opt(&t->charset, v) < 0 ? -2 : 0;
	if (!strcmp(k, "ssl_ca"))
		return dup_opt(&t->ssl_ca, v) < 0 ? -2 : 0;
	if (!strcmp(k, "ssl_capath"))
		return dup_opt(&t->ssl_capath, v) < 0 ? -2 : 0;
	if (!strcmp(k, "ssl_cert"))
		return dup_opt(&t->ssl_cert, v) < 0 ? -2 : 0;
	if (!strcmp(k, "ssl_key"))
		return dup_opt(&t->ssl_key, v) < 0 ? -2 : 0;
	if (!strcmp(k, "ssl_cipher"))
		return dup_opt(&t->ssl_cipher, v) < 0 ? -2 : 0;
	if (!strcmp(k, "ssl_mode"))
		return ssl_mode(t, v);
	if (!strcmp(k, "ssl") || !strcmp(k, "ssl_verify_cert")) {
		if (is_true(v))
			t->ssl_enforce = 1;
		if (!strcmp(k, "ssl_verify_cert"))
			t->ssl_verify = is_true(v);
		return 0;
	}
	if (!strcmp(k, "ssl_check_hostname"))
		return 0; /* part of ssl_verify_cert for libmariadb */
	if (!strcmp(k, "connect_timeout"))
		return parse_uint(v, &t->connect_timeout);
	if (!strcmp(k, "read_timeout"))
		return parse_uint(v, &t->read_timeout);
	if (!strcmp(k, "write_timeout"))
		return parse_uint(v, &t->write_timeout);
	return 1;
}

static int my_params(my_target *t, const rt_url *url, const char *display,
		     rt_err *err)
{
	size_t i;

	t->port = (unsigned)url->port;
	t->connect_timeout = 10;
	if (dup_opt(&t->host, url->host ? url->host : "localhost") < 0 ||
	    dup_opt(&t->user, url->username) < 0 ||
	    dup_opt(&t->password, url->password) < 0 ||
	    dup_opt(&t->db, url->database && *url->database ? url->database
							    : NULL) < 0 ||
	    dup_opt(&t->charset, "utf8mb4") < 0)
		return rt_err_oom(err);
	for (i = 0; i < url->nparams; i++) {
		const char *k = url->params[i].key, *v = url->params[i].value;
		int rc = my_param(t, k, v ? v : "");

		if (rc == -2)
			return rt_err_oom(err);
		if (rc == -1)
			return rt_err_set(err, RETORT_ECONFIG,
					  "invalid value for '%s' in url %s%s",
					  k, display,
					  !strcmp(k, "ssl_mode")
					      ? " (ssl_mode is DISABLED, "
						"PREFERRED, REQUIRED, "
						"VERIFY_CA or VERIFY_IDENTITY)"
					      : "");
		if (rc == 1)
			return rt_err_set(
			    err, RETORT_ECONFIG,
			    "unknown parameter '%s' in url %s (retort's MySQL "
			    "driver knows unix_socket, charset, ssl_mode, "
			    "ssl_ca, ssl_capath, ssl_cert, ssl_key, "
			    "ssl_cipher, ssl, ssl_verify_cert, "
			    "connect_timeout, read_timeout, write_timeout)",
			    k, display);
	}
	if (!t->db)
		return rt_err_set(err, RETORT_ECONFIG,
				  "the url %s names no database: write it "
				  "after the host, as in "
				  "mysql://user:password@host/dbname",
				  display);
	return 0;
}

/* A connection to the target; NULL with *errno_out and msg set. */
static MYSQL *my_connect(const my_target *t, unsigned *errno_out, rt_str *msg)
{
	MYSQL *m = mysql_init(NULL);
	my_bool yes = 1;
	unsigned long flags = CLIENT_FOUND_ROWS | CLIENT_MULTI_RESULTS;

	if (!m) {
		*errno_out = CR_OUT_OF_MEMORY;
		rt_str_puts(msg, "out of memory");
		return NULL;
	}
	mysql_options(m, MYSQL_SET_CHARSET_NAME, t->charset);
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &t->connect_timeout);
	if (t->read_timeout)
		mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &t->read_timeout);
	if (t->write_timeout)
		mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &t->write_timeout);
	if (t->ssl_key || t->ssl_cert || t->ssl_ca || t->ssl_capath ||
	    t->ssl_cipher)
		mysql_ssl_set(m, t->ssl_key, t->ssl_cert, t->ssl_ca,
			      t->ssl_capath, t->ssl_cipher);
	if (t->ssl_enforce)
		mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &yes);
	if (t->ssl_verify)
		mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
	if (!mysql_real_connect(m, t->host, t->user, t->password, t->db,
				t->port, t->socket, flags)) {
		*errno_out = mysql_errno(m);
		rt_str_puts(msg, *mysql_error(m) ? mysql_error(m)
						 : "the server gave no reason");
		mysql_close(m);
		return NULL;
	}
	return m;
}

/* ------------------------------------------------------------------ */
/* errors */

static int is_lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	       e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR ||
	       e == ER_CONNECTION_KILLED || e == ER_SERVER_SHUTDOWN ||
	       e == CR_SERVER_LOST_EXTENDED;
}

/* The server's last error on m as an rt_err; f gets its SQLSTATE. */
static int my_error(rt_conn *c, MYSQL *m, rt_failure *f, rt_err *err)
{
	unsigned e = mysql_errno(m);
	const char *msg = mysql_error(m), *state = mysql_sqlstate(m);
	int code = RETORT_ERROR;

	if (f && state && strcmp(state, "00000") && strcmp(state, "HY000"))
		snprintf(f->sqlstate, sizeof(f->sqlstate), "%s", state);
	if (is_lost(e))
		return rt_err_set(err, RETORT_EDB,
				  "lost the connection to %s: %s (MySQL error "
				  "%u)",
				  c->display, *msg ? msg : "no reason given",
				  e);
	if (e == ER_LOCK_WAIT_TIMEOUT || e == ER_LOCK_DEADLOCK)
		code = RETORT_ELOCKED;
	if (c->interrupted && (e == ER_QUERY_INTERRUPTED || e == 1969))
		return rt_err_set(err, RETORT_EINTERRUPTED, "interrupted");
	return rt_err_set(err, code, "%s (MySQL error %u)",
			  *msg ? msg : "the server gave no reason", e);
}

/* "... at line N" in a syntax error: the byte offset of that line of the
 * statement, or the statement's start. */
static long error_offset(MYSQL *m, const char *stmt, size_t len, long start)
{
	const char *msg = mysql_error(m), *p = strstr(msg, " at line ");
	long line, i;

	if (!p)
		return start;
	line = strtol(p + 9, NULL, 10);
	for (i = 0; line > 1 && (size_t)i < len; i++)
		if (stmt[i] == '\n')
			line--;
	return start + i;
}

/* ------------------------------------------------------------------ */
/* the watcher behind cancel() */

static void *watch(void *arg)
{
	rt_conn *c = arg;

	for (;;) {
		unsigned long ids[2];
		unsigned e;
		rt_str msg = RT_STR_INIT;
		MYSQL *k;
		int i;

		while (sem_wait(&c->wake) != 0)
			;
		if (c->quit)
			return NULL;
		ids[0] = c->thread_id;
		ids[1] = c->lock_thread_id;
		k = my_connect(&c->t, &e, &msg);
		rt_str_dispose(&msg);
		for (i = 0; k && i < 2; i++) {
			char sql[48];

			if (!ids[i])
				continue;
			snprintf(sql, sizeof(sql), "KILL QUERY %lu", ids[i]);
			mysql_query(k, sql);
		}
		if (k)
			mysql_close(k);
	}
}

/* Async-signal-safe: a flag and sem_post(). */
static void my_cancel(rt_conn *c)
{
	c->interrupted = 1;
	if (c->has_watcher)
		sem_post(&c->wake);
}

/* ------------------------------------------------------------------ */
/* open and close */

static int simple(rt_conn *c, const char *sql, rt_err *err)
{
	MYSQL_RES *res;

	if (mysql_query(c->my, sql))
		return my_error(c, c->my, NULL, err);
	do {
		res = mysql_store_result(c->my);
		if (res)
			mysql_free_result(res);
	} while (mysql_next_result(c->my) == 0);
	c->changes = (long)mysql_affected_rows(c->my);
	return 0;
}

/* One value of a one-row query on m into out (NULL: ""). */
static int scalar(rt_conn *c, MYSQL *m, const char *sql, char *out, size_t size,
		  int *isnull, rt_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	*out = '\0';
	if (isnull)
		*isnull = 1;
	if (mysql_query(m, sql) || !(res = mysql_store_result(m)))
		return my_error(c, m, NULL, err);
	row = mysql_fetch_row(res);
	if (row && row[0]) {
		snprintf(out, size, "%s", row[0]);
		if (isnull)
			*isnull = 0;
	}
	mysql_free_result(res);
	return 0;
}

static void my_close(rt_conn *c)
{
	if (!c)
		return;
	if (c->has_watcher) {
		c->quit = 1;
		sem_post(&c->wake);
		pthread_join(c->watcher, NULL);
		sem_destroy(&c->wake);
	}
	if (c->lk)
		mysql_close(c->lk);
	if (c->my)
		mysql_close(c->my);
	target_free(&c->t);
	free(c->display);
	free(c->db);
	free(c);
}

static int connect_error(rt_conn *c, unsigned e, const rt_str *msg, rt_err *err)
{
	if (e == ER_BAD_DB_ERROR)
		return rt_err_set(err, RETORT_EDB,
				  "cannot connect to %s: database '%s' does "
				  "not exist (MySQL error %u); create it "
				  "first (CREATE DATABASE `%s`)",
				  c->display, c->t.db, e, c->t.db);
	if (e == ER_ACCESS_DENIED_ERROR || e == ER_DBACCESS_DENIED_ERROR)
		return rt_err_set(err, RETORT_EDB,
				  "cannot connect to %s: %s (MySQL error %u); "
				  "check the user and password in the url",
				  c->display, rt_str_cstr(msg), e);
	return rt_err_set(err, RETORT_EDB,
			  "cannot connect to %s: %s (MySQL "
			  "error %u)",
			  c->display, rt_str_cstr(msg), e);
}

/* The lock's name: "retort:DB.TABLE", or a hash of it past 64 chars. */
static void lock_name(rt_conn *c, const char *table)
{
	rt_str full = RT_STR_INIT;

	rt_str_printf(&full, "retort:%s.%s", c->db, table ? table : "");
	if (!full.oom && full.len <= MY_LOCK_NAME_MAX)
		memcpy(c->lock_name, full.ptr, full.len + 1);
	else
		snprintf(c->lock_name, sizeof(c->lock_name), "retort:%016llx",
			 (unsigned long long)rt_fnv1a64(
			     RT_FNV1A64_INIT, rt_str_cstr(&full), full.len));
	rt_str_dispose(&full);
}

static int my_session(rt_conn *c, const rt_open_opts *o, rt_err *err)
{
	char buf[256];
	int rc;

	if (o->readonly &&
	    (rc = simple(c, "SET SESSION TRANSACTION READ ONLY", err)) < 0)
		return rc;
	if ((rc = scalar(c, c->my, "SELECT DATABASE()", buf, sizeof(buf), NULL,
			 err)) < 0)
		return rc;
	if (!(c->db = strdup(buf)))
		return rt_err_oom(err);
	snprintf(c->user, sizeof(c->user), "%s", c->t.user ? c->t.user : "");
	if (o->lock_schema && *o->lock_schema) {
		free(c->db);
		if (!(c->db = strdup(o->lock_schema)))
			return rt_err_oom(err);
	}
	lock_name(c, o->lock_table);
	c->thread_id = mysql_thread_id(c->my);
	return 0;
}

static int my_open(rt_conn **out, const rt_url *url, const rt_open_opts *o,
		   int *missing, rt_err *err)
{
	rt_str msg = RT_STR_INIT;
	unsigned e = 0;
	rt_conn *c;
	int rc;

	*out = NULL;
	*missing = 0;
	if (!(c = calloc(1, sizeof(*c))))
		return rt_err_oom(err);
	c->timeout_ms = o->lock_timeout_ms;
	c->event = o->event;
	c->event_payload = o->event_payload;
	c->statement = o->statement;
	c->statement_payload = o->statement_payload;
	if (!(c->display = strdup(o->display ? o->display : "mysql"))) {
		my_close(c);
		return rt_err_oom(err);
	}
	if ((rc = my_params(&c->t, url, c->display, err)) < 0) {
		my_close(c);
		return rc;
	}
	c->my = my_connect(&c->t, &e, &msg);
	if (!c->my) {
		rc = msg.oom ? rt_err_oom(err) : connect_error(c, e, &msg, err);
		rt_str_dispose(&msg);
		my_close(c);
		return rc;
	}
	if ((rc = my_session(c, o, err)) < 0) {
		my_close(c);
		return rc;
	}
	if (sem_init(&c->wake, 0, 0) == 0) {
		if (rt_thread_start(&c->watcher, watch, c) == 0)
			c->has_watcher = 1;
		else
			sem_destroy(&c->wake);
	}
	*out = c;
	return 0;
}

/* ------------------------------------------------------------------ */
/* statements */

static int drain(rt_conn *c, rt_failure *f, rt_err *err)
{
	MYSQL_RES *res;
	int st;

	for (;;) {
		res = mysql_store_result(c->my);
		if (res)
			mysql_free_result(res);
		else if (mysql_field_count(c->my))
			return my_error(c, c->my, f, err);
		else
			c->changes = (long)mysql_affected_rows(c->my);
		st = mysql_next_result(c->my);
		if (st > 0)
			return my_error(c, c->my, f, err);
		if (st < 0)
			return 0;
	}
}

static int my_exec(rt_conn *c, const char *sql, size_t len, rt_failure *f,
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
	if (rt_sql_split(RT_DIALECT_MYSQL, sql, len, &stmts, &n) < 0)
		return rt_err_oom(err);
	for (i = 0; i < n && !rc; i++) {
		const char *s = sql + stmts[i].start;

		if (c->interrupted) {
			rc =
			    rt_err_set(err, RETORT_EINTERRUPTED, "interrupted");
			if (f)
				f->offset = (long)stmts[i].start;
			break;
		}
		if (c->statement)
			c->statement(c->statement_payload, stmts[i].start);
		if (mysql_real_query(c->my, s, stmts[i].len)) {
			rc = my_error(c, c->my, f, err);
			if (f)
				f->offset = error_offset(c->my, s, stmts[i].len,
							 (long)stmts[i].start);
			break;
		}
		if ((rc = drain(c, f, err)) < 0 && f)
			f->offset = (long)stmts[i].start;
	}
	free(stmts);
	return rc;
}

static int my_query(rt_conn *c, const char *sql, rt_rows *out, rt_err *err)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t r, k;
	int rc = 0;

	c->interrupted = 0;
	memset(out, 0, sizeof(*out));
	if (mysql_query(c->my, sql))
		return my_error(c, c->my, NULL, err);
	res = mysql_store_result(c->my);
	if (!res)
		return mysql_field_count(c->my) ? my_error(c, c->my, NULL, err)
						: drain(c, NULL, err);
	out->nrows = (size_t)mysql_num_rows(res);
	out->ncols = mysql_num_fields(res);
	if (out->nrows && out->ncols &&
	    !(out->cells = calloc(out->nrows * out->ncols, sizeof(char *)))) {
		out->nrows = 0;
		rc = rt_err_oom(err);
	}
	for (r = 0; !rc && r < out->nrows && (row = mysql_fetch_row(res));
	     r++) {
		unsigned long *lens = mysql_fetch_lengths(res);

		for (k = 0; k < out->ncols && !rc; k++) {
			char **cell = &out->cells[r * out->ncols + k];

			if (row[k] && !(*cell = strndup(row[k], lens[k])))
				rc = rt_err_oom(err);
		}
	}
	mysql_free_result(res);
	while (mysql_next_result(c->my) == 0)
		if ((res = mysql_store_result(c->my)))
			mysql_free_result(res);
	if (rc)
		rt_rows_free(out);
	return rc;
}

static int my_begin(rt_conn *c, rt_err *err)
{
	c->interrupted = 0;
	return simple(c, "START TRANSACTION", err);
}

static int my_commit(rt_conn *c, rt_err *err)
{
	return simple(c, "COMMIT", err);
}

static int my_rollback(rt_conn *c, rt_err *err)
{
	rt_err ignore = RT_ERR_INIT;

	(void)err;
	/* a lost connection has nothing to roll back */
	simple(c, "ROLLBACK", &ignore);
	rt_err_dispose(&ignore);
	return 0;
}

/* ------------------------------------------------------------------ */
/* the lock */

/* "GET_LOCK('name', secs)" and the like into buf. */
static int lock_sql(rt_conn *c, rt_str *sql, const char *fn, const char *extra)
{
	rt_str_printf(sql, "SELECT %s(", fn);
	rt_sql_literal(sql, RT_DIALECT_MYSQL, c->lock_name);
	rt_str_printf(sql, "%s)", extra);
	return sql->oom ? -1 : 0;
}

/* Who holds the lock, for the waiting message. */
static void lock_holder(rt_conn *c, rt_str *out)
{
	rt_str sql = RT_STR_INIT;
	MYSQL_RES *res = NULL;
	MYSQL_ROW row;

	rt_str_puts(&sql, "SELECT p.ID, p.USER, p.HOST FROM "
			  "information_schema.PROCESSLIST p WHERE p.ID = "
			  "IS_USED_LOCK(");
	rt_sql_literal(&sql, RT_DIALECT_MYSQL, c->lock_name);
	rt_str_putc(&sql, ')');
	if (!sql.oom && !mysql_query(c->lk, sql.ptr))
		res = mysql_store_result(c->lk);
	row = res ? mysql_fetch_row(res) : NULL;
	if (row && row[0])
		rt_str_printf(out, "held by connection %s (%s@%s)", row[0],
			      row[1] && *row[1] ? row[1] : "?",
			      row[2] && *row[2] ? row[2] : "?");
	else
		rt_str_puts(out, "held by another session");
	if (res)
		mysql_free_result(res);
	rt_str_dispose(&sql);
}

static void lock_wait_event(rt_conn *c)
{
	rt_str msg = RT_STR_INIT;
	retort_event ev;

	rt_str_printf(&msg, "waiting for the migration lock on %s, ",
		      c->display);
	lock_holder(c, &msg);
	rt_str_printf(&msg, " (lock_timeout %.0f s)", c->timeout_ms / 1000);
	memset(&ev, 0, sizeof(ev));
	ev.kind = RETORT_EVENT_LOCK_WAIT;
	ev.message = rt_str_cstr(&msg);
	c->event(&ev, c->event_payload);
	rt_str_dispose(&msg);
}

/* One GET_LOCK attempt waiting up to secs: 1 got it, 0 not, <0 error. */
static int try_lock(rt_conn *c, double secs, rt_err *err)
{
	rt_str sql = RT_STR_INIT, extra = RT_STR_INIT;
	char v[16];
	int isnull, rc;

	rt_str_printf(&extra, ", %.3f", secs);
	lock_sql(c, &sql, "GET_LOCK", rt_str_cstr(&extra));
	rc = sql.oom || extra.oom
		 ? rt_err_oom(err)
		 : scalar(c, c->lk, sql.ptr, v, sizeof(v), &isnull, err);
	rt_str_dispose(&sql);
	rt_str_dispose(&extra);
	if (rc < 0)
		return rc;
	if (c->interrupted)
		return rt_err_set(err, RETORT_EINTERRUPTED,
				  "interrupted while waiting for the "
				  "migration lock on %s",
				  c->display);
	return !isnull && !strcmp(v, "1");
}

static int lock_loop(rt_conn *c, rt_err *err)
{
	double start = rt_clock_ms(), left;
	int told = 0, got;

	for (;;) {
		left = c->timeout_ms - (rt_clock_ms() - start);
		got = try_lock(c, told ? (left < 1000 ? left / 1000 : 1.0) : 0,
			       err);
		if (got != 0)
			return got < 0 ? got : 0;
		left = c->timeout_ms - (rt_clock_ms() - start);
		if (left <= 0) {
			rt_str who = RT_STR_INIT;
			int rc;

			lock_holder(c, &who);
			rc = rt_err_set(err, RETORT_ELOCKED,
					"could not take the migration lock on "
					"%s within %.0f s (lock_timeout): %s",
					c->display, c->timeout_ms / 1000,
					rt_str_cstr(&who));
			rt_str_dispose(&who);
			return rc;
		}
		if (!told && c->event)
			lock_wait_event(c);
		told = 1;
	}
}

static int my_lock(rt_conn *c, rt_err *err)
{
	rt_str msg = RT_STR_INIT;
	unsigned e = 0;
	int rc;

	c->interrupted = 0;
	if (!c->lk) {
		c->lk = my_connect(&c->t, &e, &msg);
		if (!c->lk) {
			rc = connect_error(c, e, &msg, err);
			rt_str_dispose(&msg);
			return rc;
		}
		c->lock_thread_id = mysql_thread_id(c->lk);
	}
	rc = lock_loop(c, err);
	if (rc < 0) {
		mysql_close(c->lk);
		c->lk = NULL;
		c->lock_thread_id = 0;
	}
	return rc;
}

static int my_unlock(rt_conn *c, rt_err *err)
{
	(void)err;
	if (!c->lk)
		return 0;
	/* closing the connection releases the lock whatever happens */
	c->lock_thread_id = 0;
	mysql_close(c->lk);
	c->lk = NULL;
	return 0;
}

/* ------------------------------------------------------------------ */
/* catalog */

static int count_sql(rt_conn *c, rt_str *sql, const char *schema,
		     const char *where_table, const char *skip1,
		     const char *skip2, long *n, rt_err *err)
{
	char v[32];
	int rc;

	rt_str_puts(sql, "SELECT COUNT(*) FROM information_schema.TABLES "
			 "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = ");
	if (schema && *schema)
		rt_sql_literal(sql, RT_DIALECT_MYSQL, schema);
	else
		rt_str_puts(sql, "DATABASE()");
	if (where_table) {
		rt_str_puts(sql, " AND TABLE_NAME = ");
		rt_sql_literal(sql, RT_DIALECT_MYSQL, where_table);
	}
	if (skip1) {
		rt_str_puts(sql, " AND TABLE_NAME <> ");
		rt_sql_literal(sql, RT_DIALECT_MYSQL, skip1);
	}
	if (skip2) {
		rt_str_puts(sql, " AND TABLE_NAME <> ");
		rt_sql_literal(sql, RT_DIALECT_MYSQL, skip2);
	}
	if (sql->oom)
		return rt_err_oom(err);
	c->interrupted = 0;
	rc = scalar(c, c->my, sql->ptr, v, sizeof(v), NULL, err);
	*n = rc < 0 ? 0 : atol(v);
	return rc;
}

static int my_table_exists(rt_conn *c, const char *schema, const char *table,
			   int *exists, rt_err *err)
{
	rt_str sql = RT_STR_INIT;
	long n = 0; /* (count_sql leaves it unset when out of memory) */
	int rc = count_sql(c, &sql, schema, table, NULL, NULL, &n, err);

	*exists = rc == 0 && n > 0;
	rt_str_dispose(&sql);
	return rc;
}

static int my_count_tables(rt_conn *c, const char *schema, const char *skip1,
			   const char *skip2, long *n, rt_err *err)
{
	rt_str sql = RT_STR_INIT;
	int rc = count_sql(c, &sql, schema, NULL, skip1, skip2, n, err);

	rt_str_dispose(&sql);
	return rc;
}

static long my_changes(rt_conn *c)
{
	return c->changes;
}

static const char *my_schema(rt_conn *c)
{
	return c->db;
}

static const char *my_user(rt_conn *c)
{
	return c->user[0] ? c->user : NULL;
}

/* --wait-for-db: a client-side failure (2000-2999: no server on the
 * socket or port yet, host unreachable, connection dropped while it
 * starts), a server shutting down or out of connections may pass; a
 * refused login, a missing database or any other server error will not.
 * connect_error() ends every message with "(MySQL error N)". */
static int my_open_retryable(const char *message)
{
	const char *p = strstr(message, "(MySQL error ");
	unsigned long e;

	if (!p)
		return 1;
	e = strtoul(p + 13, NULL, 10);
	return (e >= 2000 && e < 3000) || e == ER_SERVER_SHUTDOWN ||
	       e == ER_CON_COUNT_ERROR;
}

const rt_driver rt_mysql_driver = {
	.name = "mysql",
	.dialect = RT_DIALECT_MYSQL,
	.flags = 0,
	.open = my_open,
	.close = my_close,
	.exec = my_exec,
	.query = my_query,
	.begin = my_begin,
	.commit = my_commit,
	.rollback = my_rollback,
	.lock = my_lock,
	.unlock = my_unlock,
	.table_exists = my_table_exists,
	.count_tables = my_count_tables,
	.changes = my_changes,
	.run_step = NULL,
	.schema = my_schema,
	.user = my_user,
	.cancel = my_cancel,
	.timestamp_type = "DATETIME(6)",
	.serial_pk = "BIGINT AUTO_INCREMENT PRIMARY KEY",
	.open_retryable = my_open_retryable,
};
