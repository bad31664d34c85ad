/* SPDX-License-Identifier: MIT */
/*
 * sqlite.c: the SQLite driver (libsqlite3), the embedded default.
 *
 * Locking is SQLite's own: begin() is BEGIN IMMEDIATE, which takes the
 * database's write lock. A busy handler (instead of a plain busy timeout)
 * retries with a short back-off, reports once that it is waiting, and
 * gives up after lock_timeout. Statements run one by one through
 * prepare/step, so a failure names the statement and, with
 * sqlite3_error_offset(), the token that failed.
 *
 * A read-only open never creates the file: a missing database is
 * reported as `missing` so that `current` can say "no revisions" without
 * leaving an empty app.db behind.
 */
#include <errno.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/driver.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/str.h"

struct rt_conn {
	sqlite3 *db;
	char *display;
	double timeout_ms;
	double wait_start;
	int told;
	retort_event_fn event;
	void *event_payload;
	char user[64];
};

static int sq_fail(rt_conn *c, rt_err *err, int code, const char *what)
{
	return rt_err_set(err, code, "%s %s: %s", what, c->display,
			  sqlite3_errmsg(c->db));
}

/* Called by SQLite while another connection holds the lock. */
static int busy_handler(void *arg, int count)
{
	rt_conn *c = arg;
	double now = rt_clock_ms();
	struct timespec ts;
	long ms;

	if (count == 0) {
		c->wait_start = now;
		c->told = 0;
	}
	if (now - c->wait_start >= c->timeout_ms)
		return 0;
	if (!c->told && now - c->wait_start >= 200 && c->event) {
		retort_event ev;
		rt_str msg = RT_STR_INIT;

		memset(&ev, 0, sizeof(ev));
		ev.kind = RETORT_EVENT_LOCK_WAIT;
		rt_str_printf(&msg,
			      "waiting for another process to release the "
			      "lock on %s (lock_timeout %.0f s)",
			      c->display, c->timeout_ms / 1000);
		ev.message = rt_str_cstr(&msg);
		c->event(&ev, c->event_payload);
		rt_str_dispose(&msg);
		c->told = 1;
	}
	ms = count < 10 ? 2 + count * 2 : 50;
	if (now - c->wait_start + (double)ms > c->timeout_ms)
		ms = (long)(c->timeout_ms - (now - c->wait_start)) + 1;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return 1;
}

static int folder_not_writable(const char *path)
{
	char *dir = strdup(path), *slash;
	int bad;

	if (!dir)
		return 0;
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	bad = access(dir, W_OK) < 0;
	free(dir);
	return bad;
}

/* How to open: writing commands read-write (creating the file); reading
 * commands read-write without creating when they may write the file and
 * its folder, so that SQLite can roll back a hot journal a crashed writer
 * left (a read-only connection cannot, and fails every read until a
 * writer comes along), and read-only otherwise. */
static int read_flags(const char *path, int memory, int readonly)
{
	if (!readonly)
		return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (!memory && access(path, W_OK) == 0 && !folder_not_writable(path))
		return SQLITE_OPEN_READWRITE;
	return SQLITE_OPEN_READONLY;
}

static int sq_open(rt_conn **out, const rt_url *url, const rt_open_opts *o,
		   int *missing, rt_err *err)
{
	rt_conn *c = calloc(1, sizeof(*c));
	const char *path = url->database;
	int memory = rt_url_is_memory(url);
	int flags, rc;
	struct stat st;

	*out = NULL;
	*missing = 0;
	if (!c)
		return rt_err_oom(err);
	c->display = strdup(o->display ? o->display : "sqlite");
	c->timeout_ms = o->lock_timeout_ms;
	c->event = o->event;
	c->event_payload = o->event_payload;
	if (!c->display) {
		free(c);
		return rt_err_oom(err);
	}
	if (memory)
		path = ":memory:";
	if (!memory) {
		if (stat(path, &st) < 0) {
			char *dir = strdup(path), *slash;

			if (!dir) {
				free(c->display);
				free(c);
				return rt_err_oom(err);
			}
			slash = strrchr(dir, '/');
			if (slash)
				*(slash == dir ? slash + 1 : slash) = '\0';
			else
				strcpy(dir, ".");
			if (o->readonly) {
				*missing = 1;
				free(dir);
				free(c->display);
				free(c);
				return 0;
			}
			if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
				rc = rt_err_set(
				    err, RETORT_EDB,
				    "cannot open database %s: folder "
				    "'%s' does not exist",
				    c->display, dir);
				free(dir);
				free(c->display);
				free(c);
				return rc;
			}
			if (access(dir, W_OK) < 0) {
				rc = rt_err_set(err, RETORT_EDB,
						"cannot create database %s: "
						"folder '%s' is not writable",
						c->display, dir);
				free(dir);
				free(c->display);
				free(c);
				return rc;
			}
			free(dir);
		} else if (!o->readonly && folder_not_writable(path)) {
			rc = rt_err_set(err, RETORT_EDB,
					"cannot write to database %s: its "
					"folder is not writable (SQLite keeps "
					"its journal there)",
					c->display);
			free(c->display);
			free(c);
			return rc;
		} else if (S_ISDIR(st.st_mode)) {
			rc = rt_err_set(err, RETORT_EDB,
					"cannot open database %s: '%s' is a "
					"folder",
					c->display, path);
			free(c->display);
			free(c);
			return rc;
		}
	}
	flags = read_flags(path, memory, o->readonly);
	rc = sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = rt_err_set(
		    err, RETORT_EDB, "cannot open database %s: %s", c->display,
		    c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		free(c->display);
		free(c);
		return rc;
	}
	sqlite3_extended_result_codes(c->db, 1);
	if (!o->readonly && !memory &&
	    sqlite3_db_readonly(c->db, "main") == 1) {
		rc = rt_err_set(err, RETORT_EDB,
				"cannot write to database %s: the file is "
				"read-only",
				c->display);
		sqlite3_close(c->db);
		free(c->display);
		free(c);
		return rc;
	}
	sqlite3_busy_handler(c->db, busy_handler, c);
	/* a reading command opened read-write keeps to reading */
	if (o->readonly && (flags & SQLITE_OPEN_READWRITE))
		sqlite3_exec(c->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
	/* touch the file so that "not a database" shows up here (and a hot
	 * journal a crashed writer left is rolled back) */
	rc = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema", NULL,
			  NULL, NULL);
	if (rc == SQLITE_READONLY_ROLLBACK) {
		rc = rt_err_set(err, RETORT_EDB,
				"cannot read database %s: a writer that "
				"crashed left its journal (%s-journal), and "
				"only a process that may write the file and "
				"its folder can roll it back; run retort "
				"once as such a user",
				c->display, path);
		sqlite3_close(c->db);
		free(c->display);
		free(c);
		return rc;
	}
	if (rc != SQLITE_OK) {
		int code =
		    (rc & 0xff) == SQLITE_BUSY ? RETORT_ELOCKED : RETORT_EDB;

		rc = rt_err_set(err, code, "cannot read database %s: %s",
				c->display, sqlite3_errmsg(c->db));
		sqlite3_close(c->db);
		free(c->display);
		free(c);
		return rc;
	}
	{
		struct passwd pw, *res = NULL;
		char buf[1024];
		const char *u = getenv("USER");

		if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 &&
		    res)
			u = res->pw_name;
		snprintf(c->user, sizeof(c->user), "%s", u ? u : "");
	}
	*out = c;
	return 0;
}

static void sq_close(rt_conn *c)
{
	if (!c)
		return;
	sqlite3_close(c->db);
	free(c->display);
	free(c);
}

static int sq_exec(rt_conn *c, const char *sql, size_t len, rt_failure *failure,
		   rt_err *err)
{
	const char *p = sql, *end = sql + len;

	if (failure) {
		failure->offset = -1;
		failure->sqlstate[0] = '\0';
	}
	while (p < end) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc =
		    sqlite3_prepare_v2(c->db, p, (int)(end - p), &st, &tail);

		if (rc == SQLITE_OK && st) {
			do
				rc = sqlite3_step(st);
			while (rc == SQLITE_ROW);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			int off = sqlite3_error_offset(c->db);
			int code = (rc & 0xff) == SQLITE_BUSY ||
					   (rc & 0xff) == SQLITE_LOCKED
				       ? RETORT_ELOCKED
				       : RETORT_ERROR;

			/* sqlite3_error_offset() counts from the text given
			 * to prepare (p); without it, point at the start of
			 * the statement: skip blanks and comments */
			if (failure) {
				size_t pos = (size_t)(p - sql);
				rt_sql_token tok;

				if (off >= 0)
					failure->offset = (long)pos + off;
				else {
					size_t q = pos;

					while (rt_sql_next(RT_DIALECT_SQLITE,
							   sql, len, &q,
							   &tok) &&
					       (tok.kind == RT_SQL_SPACE ||
						tok.kind == RT_SQL_COMMENT))
						pos = q;
					failure->offset = (long)pos;
				}
			}
			rt_err_set(err, code, "%s", sqlite3_errmsg(c->db));
			sqlite3_finalize(st);
			return code;
		}
		sqlite3_finalize(st);
		if (!tail || tail <= p)
			break;
		p = tail;
	}
	return 0;
}

static int sq_query(rt_conn *c, const char *sql, rt_rows *out, rt_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, i, nc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rt_err_set(err,
				  (rc & 0xff) == SQLITE_BUSY ? RETORT_ELOCKED
							     : RETORT_ERROR,
				  "%s: %s", c->display, sqlite3_errmsg(c->db));
	nc = sqlite3_column_count(st);
	out->ncols = (size_t)nc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((out->nrows + 1) * (size_t)nc > cap) {
			size_t ncap = cap ? cap * 2 : (size_t)nc * 16;
			char **cells =
			    realloc(out->cells, ncap * sizeof(*cells));

			if (!cells)
				goto oom;
			out->cells = cells;
			cap = ncap;
		}
		for (i = 0; i < nc; i++) {
			const unsigned char *t = sqlite3_column_text(st, i);
			char **cell =
			    &out->cells[out->nrows * (size_t)nc + (size_t)i];

			*cell = t ? strdup((const char *)t) : NULL;
			if (t && !*cell) {
				out->nrows++;
				goto oom;
			}
		}
		out->nrows++;
	}
	if (rc != SQLITE_DONE) {
		rc = rt_err_set(err,
				(rc & 0xff) == SQLITE_BUSY ? RETORT_ELOCKED
							   : RETORT_ERROR,
				"%s: %s", c->display, sqlite3_errmsg(c->db));
		sqlite3_finalize(st);
		rt_rows_free(out);
		return rc;
	}
	sqlite3_finalize(st);
	return 0;
oom:
	sqlite3_finalize(st);
	rt_rows_free(out);
	return rt_err_oom(err);
}

static int simple(rt_conn *c, const char *sql, const char *what, rt_err *err)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xff) == SQLITE_BUSY)
		return rt_err_set(err, RETORT_ELOCKED,
				  "could not take the lock on %s within "
				  "%.0f s (lock_timeout): another process "
				  "is writing to it",
				  c->display, c->timeout_ms / 1000);
	return sq_fail(
	    c, err, (rc & 0xff) == SQLITE_READONLY ? RETORT_EDB : RETORT_ERROR,
	    what);
}

static int sq_begin(rt_conn *c, rt_err *err)
{
	return simple(c, "BEGIN IMMEDIATE", "cannot write to database", err);
}

static int sq_commit(rt_conn *c, rt_err *err)
{
	return simple(c, "COMMIT", "cannot commit to database", err);
}

static int sq_rollback(rt_conn *c, rt_err *err)
{
	if (sqlite3_get_autocommit(c->db))
		return 0;
	return simple(c, "ROLLBACK", "cannot roll back", err);
}

static int sq_nolock(rt_conn *c, rt_err *err)
{
	(void)c;
	(void)err;
	return 0;
}

static int sq_count_tables(rt_conn *c, const char *schema, const char *skip1,
			   const char *skip2, long *n, rt_err *err)
{
	sqlite3_stmt *st = NULL;
	rt_str q = RT_STR_INIT;
	int rc;

	*n = 0;
	rt_str_printf(&q,
		      "SELECT count(*) FROM \"%s\".sqlite_schema WHERE type = "
		      "'table' AND name NOT LIKE 'sqlite\\_%%' ESCAPE '\\' "
		      "AND name <> ? AND name <> ?",
		      schema && *schema ? schema : "main");
	if (q.oom) {
		rt_str_dispose(&q);
		return rt_err_oom(err);
	}
	rc = sqlite3_prepare_v2(c->db, q.ptr, -1, &st, NULL);
	rt_str_dispose(&q);
	if (rc != SQLITE_OK)
		return sq_fail(c, err, RETORT_ERROR, "cannot read");
	sqlite3_bind_text(st, 1, skip1, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, skip2, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0
				: sq_fail(c, err, RETORT_ERROR, "cannot read");
}

static int sq_table_exists(rt_conn *c, const char *schema, const char *table,
			   int *exists, rt_err *err)
{
	sqlite3_stmt *st = NULL;
	rt_str q = RT_STR_INIT;
	int rc;

	*exists = 0;
	if (schema && *schema)
		rt_str_printf(&q,
			      "SELECT 1 FROM \"%s\".sqlite_schema WHERE "
			      "type = 'table' AND name = ?",
			      schema);
	else
		rt_str_puts(&q, "SELECT 1 FROM sqlite_schema WHERE type = "
				"'table' AND name = ?");
	if (q.oom) {
		rt_str_dispose(&q);
		return rt_err_oom(err);
	}
	rc = sqlite3_prepare_v2(c->db, q.ptr, -1, &st, NULL);
	rt_str_dispose(&q);
	if (rc != SQLITE_OK)
		return sq_fail(c, err, RETORT_ERROR, "cannot read");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*exists = 1;
	else if (rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return sq_fail(c, err,
			       (rc & 0xff) == SQLITE_BUSY ? RETORT_ELOCKED
							  : RETORT_ERROR,
			       "cannot read");
	}
	sqlite3_finalize(st);
	return 0;
}

static long sq_changes(rt_conn *c)
{
	return sqlite3_changes(c->db);
}

static const char *sq_user(rt_conn *c)
{
	return c->user[0] ? c->user : NULL;
}

const rt_driver rt_sqlite_driver = {
	.name = "sqlite",
	.dialect = RT_DIALECT_SQLITE,
	.flags = RT_DRV_LOCK_PER_TRANSACTION | RT_DRV_TRANSACTIONAL_DDL,
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.query = sq_query,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.lock = sq_nolock,
	.unlock = sq_nolock,
	.table_exists = sq_table_exists,
	.count_tables = sq_count_tables,
	.changes = sq_changes,
	.user = sq_user,
	.timestamp_type = "VARCHAR(32)",
	.serial_pk = "INTEGER PRIMARY KEY AUTOINCREMENT",
};
