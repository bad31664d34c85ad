/* SPDX-License-Identifier: MIT */
/*
 * sqlite.c: the SQLite driver (libsqlite3), the embedded default.
 *
 * Locking is SQLite's own: begin() is BEGIN IMMEDIATE, which takes the
 * database's write lock. A busy handler (instead of a plain busy timeout)
 * retries with a short back-off, reports once that it is waiting, and
 * gives up after lock_timeout. Statements run one by one through
 * prepare/step, so a failure names the statement and, with
 * sqlite3_error_offset(), the token that failed. Rows returned by a
 * `PRAGMA foreign_key_check` statement are an error (fk_violations), so
 * that a revision that checks its foreign keys rolls back on violations.
 *
 * cancel() (the interrupt) is sqlite3_interrupt(), which may be called
 * from a signal handler, plus a flag that exec() and the busy handler
 * look at between statements and attempts.
 *
 * A read-only open never creates the file: a missing database is
 * reported as `missing` so that `current` can say "no revisions" without
 * leaving an empty app.db behind.
 *
 * adopt() wraps the application's own sqlite3 * (an in-memory database,
 * SQLCipher, a custom VFS): `borrowed` is set, and close() then puts back
 * the busy timeout and query_only it found and rolls back a transaction
 * left open, instead of closing the handle.
 */
#include <errno.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
	void (*statement)(void *payload, size_t offset); /* progress */
	void *statement_payload;
	char user[64];
	atomic_int interrupted; /* sq_cancel() was called (lock-free) */
	/* adopt(): the application's handle, and what to put back */
	int borrowed;
	int restore;	      /* the checks passed: give_back() acts */
	int saved_busy_ms;    /* PRAGMA busy_timeout as found, or -1 */
	int saved_query_only; /* PRAGMA query_only as found, or -1 */
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
	if (now - c->wait_start >= c->timeout_ms || c->interrupted)
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

static void sq_close(rt_conn *c);

/* A missing database file: reading commands say so through *missing;
 * writing ones may create it when its folder exists and is writable. */
static int check_missing(rt_conn *c, const char *path, int readonly,
			 int *missing, rt_err *err)
{
	char *dir = strdup(path), *slash;
	struct stat st;
	int error = 0;

	if (!dir)
		return rt_err_oom(err);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		strcpy(dir, ".");
	if (readonly)
		*missing = 1;
	else if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		error = rt_err_set(err, RETORT_EDB,
				   "cannot open database %s: folder '%s' does "
				   "not exist",
				   c->display, dir);
	else if (access(dir, W_OK) < 0)
		error = rt_err_set(err, RETORT_EDB,
				   "cannot create database %s: folder '%s' is "
				   "not writable",
				   c->display, dir);
	free(dir);
	return error;
}

/* What the file system says before SQLite opens the file. */
static int check_path(rt_conn *c, const char *path, int readonly, int *missing,
		      rt_err *err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return check_missing(c, path, readonly, missing, err);
	if (!readonly && folder_not_writable(path))
		return rt_err_set(err, RETORT_EDB,
				  "cannot write to database %s: its folder is "
				  "not writable (SQLite keeps its journal "
				  "there)",
				  c->display);
	if (S_ISDIR(st.st_mode))
		return rt_err_set(err, RETORT_EDB,
				  "cannot open database %s: '%s' is a folder",
				  c->display, path);
	return 0;
}

/* Read the schema once, so that "not a database" shows up at open (and a
 * hot journal a crashed writer left is rolled back). */
static int touch(rt_conn *c, const char *path, rt_err *err)
{
	int rc = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema", NULL,
			      NULL, NULL);

	if (rc == SQLITE_OK)
		return 0;
	if (rc == SQLITE_READONLY_ROLLBACK)
		return rt_err_set(err, RETORT_EDB,
				  "cannot read database %s: a writer that "
				  "crashed left its journal (%s-journal), and "
				  "only a process that may write the file and "
				  "its folder can roll it back; run retort "
				  "once as such a user",
				  c->display, path);
	return rt_err_set(
	    err, (rc & 0xff) == SQLITE_BUSY ? RETORT_ELOCKED : RETORT_EDB,
	    "cannot read database %s: %s", c->display, sqlite3_errmsg(c->db));
}

/* The operating-system user, for the log. */
static void os_user(rt_conn *c)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	const char *u = getenv("USER");

	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
		u = res->pw_name;
	snprintf(c->user, sizeof(c->user), "%s", u ? u : "");
}

/* Open the file SQLite-side, on a connection already checked. */
static int open_db(rt_conn *c, const char *path, int memory, int readonly,
		   rt_err *err)
{
	int flags = read_flags(path, memory, readonly);
	int rc =
	    sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK)
		return rt_err_set(
		    err, RETORT_EDB, "cannot open database %s: %s", c->display,
		    c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(c->db, 1);
	if (!readonly && !memory && sqlite3_db_readonly(c->db, "main") == 1)
		return rt_err_set(err, RETORT_EDB,
				  "cannot write to database %s: the file is "
				  "read-only",
				  c->display);
	sqlite3_busy_handler(c->db, busy_handler, c);
	/* a reading command opened read-write keeps to reading */
	if (readonly && (flags & SQLITE_OPEN_READWRITE))
		sqlite3_exec(c->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
	return touch(c, path, err);
}

/* What open() and adopt() both take from the options; -1 when out of
 * memory. */
static int conn_init(rt_conn *c, const rt_open_opts *o)
{
	c->display = strdup(o->display ? o->display : "sqlite");
	c->timeout_ms = o->lock_timeout_ms;
	c->event = o->event;
	c->event_payload = o->event_payload;
	c->statement = o->statement;
	c->statement_payload = o->statement_payload;
	return c->display ? 0 : -1;
}

static int sq_open(rt_conn **out, const rt_url *url, const rt_open_opts *o,
		   int *missing, rt_err *err)
{
	rt_conn *c = calloc(1, sizeof(*c));
	int memory = rt_url_is_memory(url);
	const char *path = memory ? ":memory:" : url->database;
	int error;

	*out = NULL;
	*missing = 0;
	if (!c)
		return rt_err_oom(err);
	if (conn_init(c, o) < 0)
		error = rt_err_oom(err);
	else
		error =
		    memory ? 0 : check_path(c, path, o->readonly, missing, err);
	if (error == 0 && !*missing &&
	    (error = open_db(c, path, memory, o->readonly, err)) == 0) {
		os_user(c);
		*out = c;
		return 0;
	}
	sq_close(c);
	return error;
}

/* The integer a PRAGMA returns, or -1. */
static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The application's handle: what open() checks and sets, on a handle
 * that stays the application's. */
static int adopt_db(rt_conn *c, int readonly, rt_err *err)
{
	if (!sqlite3_get_autocommit(c->db))
		return rt_err_set(err, RETORT_EUSAGE,
				  "cannot use %s: it is inside a transaction; "
				  "commit or roll it back first",
				  c->display);
	if (!readonly && sqlite3_db_readonly(c->db, "main") == 1)
		return rt_err_set(err, RETORT_EDB,
				  "cannot write to database %s: it was opened "
				  "read-only",
				  c->display);
	c->restore = 1;
	c->saved_busy_ms = pragma_int(c->db, "PRAGMA busy_timeout");
	sqlite3_busy_handler(c->db, busy_handler, c);
	if (readonly) {
		c->saved_query_only = pragma_int(c->db, "PRAGMA query_only");
		sqlite3_exec(c->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
	}
	if (sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema", NULL,
			 NULL, NULL) != SQLITE_OK)
		return sq_fail(c, err, RETORT_EDB, "cannot read database");
	return 0;
}

static int sq_adopt(rt_conn **out, void *handle, const rt_open_opts *o,
		    rt_err *err)
{
	rt_conn *c = calloc(1, sizeof(*c));
	int error;

	*out = NULL;
	if (!c)
		return rt_err_oom(err);
	c->db = handle;
	c->borrowed = 1;
	c->saved_busy_ms = c->saved_query_only = -1;
	if (conn_init(c, o) < 0)
		error = rt_err_oom(err);
	else
		error = adopt_db(c, o->readonly, err);
	if (error < 0) {
		sq_close(c);
		return error;
	}
	os_user(c);
	*out = c;
	return 0;
}

/* Leave the application's handle as adopt() found it. */
static void give_back(rt_conn *c)
{
	char sql[64];

	if (!c->restore)
		return;
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	if (c->saved_query_only >= 0) {
		snprintf(sql, sizeof(sql), "PRAGMA query_only = %d",
			 c->saved_query_only);
		sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	}
	/* sqlite3_busy_timeout() replaces retort's handler (0: none) */
	sqlite3_busy_timeout(c->db,
			     c->saved_busy_ms > 0 ? c->saved_busy_ms : 0);
}

static void sq_close(rt_conn *c)
{
	if (!c)
		return;
	if (c->borrowed)
		give_back(c);
	else
		sqlite3_close(c->db);
	free(c->display);
	free(c);
}

/* The offset of the statement's first token at or after pos (blanks and
 * comments skipped). */
static size_t stmt_start(const char *sql, size_t len, size_t pos)
{
	size_t q = pos;
	rt_sql_token tok;

	while (rt_sql_next(RT_DIALECT_SQLITE, sql, len, &q, &tok) &&
	       (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT))
		pos = q;
	return pos;
}

/* Is the statement at sql[0..len) `PRAGMA [schema.]foreign_key_check`
 * (with or without a table)? */
static int is_fk_check(const char *sql, size_t len)
{
	static const char name[] = "foreign_key_check";
	size_t pos = stmt_start(sql, len, 0), n = 0;
	rt_sql_token tok;
	char word[80];

	if (!rt_sql_next(RT_DIALECT_SQLITE, sql, len, &pos, &tok) ||
	    tok.kind != RT_SQL_WORD || tok.len != 6 ||
	    strncasecmp(sql + tok.start, "pragma", 6))
		return 0;
	pos = stmt_start(sql, len, pos);
	/* the pragma's name, schema-qualified or quoted: letters, digits,
	 * '_', '.', quotes, up to '(' '=' ';' or a blank */
	for (; pos < len && n + 1 < sizeof(word); pos++) {
		char ch = sql[pos];

		if (ch == '"' || ch == '`' || ch == '[' || ch == ']')
			continue;
		if (ch == '.') {
			n = 0;
			continue;
		}
		if (!(ch == '_' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			break;
		word[n++] = ch;
	}
	word[n] = '\0';
	return n == sizeof(name) - 1 && !strcasecmp(word, name);
}

/*
 * PRAGMA foreign_key_check returns the rows that break a foreign key
 * (table, rowid, parent, fkid) instead of failing. A revision runs it
 * to check (a generated table rebuild ends with it): rows are an error,
 * so that the revision rolls back instead of committing the broken rows.
 */
static int fk_violations(rt_conn *c, sqlite3_stmt *st, rt_err *err)
{
	char *table = NULL, *parent = NULL;
	long first = 0, total = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		const char *p = (const char *)sqlite3_column_text(st, 2);

		total++;
		if (!table) {
			table = strdup(t ? t : "?");
			parent = strdup(p ? p : "?");
			if (!table || !parent) {
				free(table);
				free(parent);
				return rt_err_oom(err);
			}
		}
		if (!strcmp(table, t ? t : "?") && !strcmp(parent, p ? p : "?"))
			first++;
	}
	if (rc != SQLITE_DONE) {
		free(table);
		free(parent);
		return rt_err_set(err,
				  (rc & 0xff) == SQLITE_BUSY ||
					  (rc & 0xff) == SQLITE_LOCKED
				      ? RETORT_ELOCKED
				      : RETORT_ERROR,
				  "%s", sqlite3_errmsg(c->db));
	}
	if (!total)
		return 0;
	if (total > first)
		rt_err_set(err, RETORT_ERROR,
			   "foreign key violations: %ld row%s in table %s "
			   "reference%s missing rows in %s, and %ld more "
			   "row%s in other tables (PRAGMA foreign_key_check)",
			   first, first == 1 ? "" : "s", table,
			   first == 1 ? "s" : "", parent, total - first,
			   total - first == 1 ? "" : "s");
	else
		rt_err_set(err, RETORT_ERROR,
			   "foreign key violations: %ld row%s in table %s "
			   "reference%s missing rows in %s (PRAGMA "
			   "foreign_key_check)",
			   first, first == 1 ? "" : "s", table,
			   first == 1 ? "s" : "", parent);
	free(table);
	free(parent);
	return RETORT_ERROR;
}

static int sq_exec(rt_conn *c, const char *sql, size_t len, rt_failure *failure,
		   rt_err *err)
{
	const char *p = sql, *end = sql + len;

	c->interrupted = 0;
	if (failure) {
		failure->offset = -1;
		failure->sqlstate[0] = '\0';
	}
	while (p < end) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc;

		if (c->statement)
			c->statement(c->statement_payload, (size_t)(p - sql));
		rc = c->interrupted ? SQLITE_INTERRUPT
				    : sqlite3_prepare_v2(
					  c->db, p, (int)(end - p), &st, &tail);

		if (rc == SQLITE_OK && st &&
		    is_fk_check(p, (size_t)((tail ? tail : end) - p))) {
			int error = fk_violations(c, st, err);

			sqlite3_finalize(st);
			if (error < 0) {
				if (failure)
					failure->offset = (long)stmt_start(
					    sql, len, (size_t)(p - sql));
				return error;
			}
			if (!tail || tail <= p)
				break;
			p = tail;
			continue;
		}
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

			if (c->interrupted) {
				code = RETORT_EINTERRUPTED;
				off = -1;
			}

			/* sqlite3_error_offset() counts from the text given
			 * to prepare (p); without it, point at the start of
			 * the statement: skip blanks and comments */
			if (failure) {
				size_t pos = (size_t)(p - sql);

				failure->offset =
				    off >= 0 ? (long)pos + off
					     : (long)stmt_start(sql, len, pos);
			}
			rt_err_set(err, code, "%s",
				   code == RETORT_EINTERRUPTED
				       ? "interrupted"
				       : sqlite3_errmsg(c->db));
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
	int rc;

	c->interrupted = 0;
	rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	if (c->interrupted && (rc & 0xff) == SQLITE_BUSY)
		return rt_err_set(err, RETORT_EINTERRUPTED,
				  "interrupted while waiting for the lock on "
				  "%s",
				  c->display);
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

/* Async-signal-safe (sqlite3_interrupt is an atomic store). */
static void sq_cancel(rt_conn *c)
{
	c->interrupted = 1;
	sqlite3_interrupt(c->db);
}

/* A file that cannot be opened does not start existing by waiting. */
static int sq_open_retryable(const char *message)
{
	(void)message;
	return 0;
}

const rt_driver rt_sqlite_driver = {
	.name = "sqlite",
	.dialect = RT_DIALECT_SQLITE,
	.flags = RT_DRV_LOCK_PER_TRANSACTION | RT_DRV_TRANSACTIONAL_DDL,
	.open = sq_open,
	.adopt = sq_adopt,
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
	.cancel = sq_cancel,
	.open_retryable = sq_open_retryable,
	.timestamp_type = "VARCHAR(32)",
	.serial_pk = "INTEGER PRIMARY KEY AUTOINCREMENT",
};
