/* SPDX-License-Identifier: MIT */
/*
 * driver.h: what the runner needs from a database, as a table of
 * functions (redis's dictType habit). One driver per dialect in drivers/;
 * run.c and the schema code only see this interface, so PostgreSQL and
 * MySQL plug in without changes to the planner or runner.
 *
 * Contract:
 *  - open() connects; with `readonly` it must not create anything (a
 *    missing SQLite file is reported through `missing`, not created).
 *  - adopt() wraps a connection the application opened and lends
 *    (sqlite3 *, PGconn *): the same session setup as open() (settings,
 *    the lock's key, the schema), after checking the handle is usable
 *    (open, not inside a transaction). close() then leaves the handle
 *    open and the session as it found it: what open() changed on the
 *    session (SQLite's busy handler and query_only, PostgreSQL's
 *    settings) is put back, a transaction left open is rolled back.
 *  - exec() runs text that may hold several statements, in the current
 *    transaction state. On failure it sets err to the database's message
 *    and fills `failure` (byte offset of the error in the text when the
 *    database tells it, SQLSTATE when there is one).
 *  - begin() starts a transaction that holds the write lock when the
 *    driver's lock is per transaction (SQLite: BEGIN IMMEDIATE, waiting up
 *    to lock_timeout and reporting the wait); lock() takes a session lock
 *    held across transactions (PostgreSQL advisory lock) and is a no-op
 *    for per-transaction drivers.
 *  - query() runs one statement returning rows of text (NULL cells are
 *    NULL pointers).
 *  - changes() is the row count of the last exec'd DML statement.
 *  - run_step() (optional) runs a transactional step in as few round
 *    trips as the database allows: BEGIN (when `begin`), the section's
 *    statements, then the `epilogue` statements (version rows, log row),
 *    without committing; `changes[i]` receives each epilogue statement's
 *    row count. On a failure in the section, `failure` locates it as
 *    exec() does; a failure in the epilogue sets failure->offset to -2.
 *    Drivers without it get the generic begin/exec/changes sequence.
 *  - cancel() (optional) is async-signal-safe: it may run in a signal
 *    handler or on another thread while any other function of the
 *    connection runs. It stops the statement in flight (PostgreSQL: a
 *    cancel request; SQLite: sqlite3_interrupt) and makes the exec(),
 *    run_step() or lock() in progress return RETORT_EINTERRUPTED before
 *    its next statement (or lock attempt). A call that starts afterwards
 *    runs normally, so cleanup (ROLLBACK, the log row of a failed
 *    transaction:false section, dropping a scratch database) still works.
 * Every function returns 0 or a negative RETORT_E* code with err set to a
 * non-empty one-line message; RETORT_ELOCKED for lock timeouts,
 * RETORT_EDB for connection failures, RETORT_EINTERRUPTED after cancel().
 */
#ifndef RT_DRIVER_H
#define RT_DRIVER_H

#include <stddef.h>

#include "project/url.h"
#include "retort.h"
#include "util/err.h"

typedef struct rt_conn rt_conn;

#define RT_DRV_LOCK_PER_TRANSACTION 0x01 /* begin() is the lock */
#define RT_DRV_TRANSACTIONAL_DDL    0x02

typedef struct rt_open_opts {
	int readonly;
	double lock_timeout_ms;
	const char *display; /* the URL with its password masked */
	/* the version table, which names the lock: the lock is keyed on
	 * the table the name resolves to (lock_schema, or the session's
	 * current schema), so every spelling of it excludes the others */
	const char *lock_table;
	const char *lock_schema; /* NULL or "" when not configured */
	const char *settings;	 /* session settings "k=v, k=v" (PG) */
	retort_event_fn event;	 /* lock waits are reported here */
	void *event_payload;
	/* "file:line" that set `settings`, named in their errors (or NULL) */
	const char *settings_where;
	/* optional: exec() and run_step() call it, on their own thread,
	 * when a statement of the text they were given starts, with its
	 * byte offset in that text (progress reports); a driver that cannot
	 * tell may not call it at all */
	void (*statement)(void *payload, size_t offset);
	void *statement_payload;
} rt_open_opts;

typedef struct rt_failure {
	long offset;	  /* byte offset in the exec'd text, -1 unknown */
	char sqlstate[6]; /* "" when none */
} rt_failure;

typedef struct rt_rows {
	char **cells; /* nrows * ncols, row-major */
	size_t nrows, ncols;
} rt_rows;

void rt_rows_free(rt_rows *rows);
static inline const char *rt_rows_at(const rt_rows *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}

typedef struct rt_driver {
	const char *name;
	rt_dialect dialect;
	unsigned flags;
	int (*open)(rt_conn **out, const rt_url *url, const rt_open_opts *o,
		    int *missing, rt_err *err);
	/* a borrowed handle of this driver's library; never closed */
	int (*adopt)(rt_conn **out, void *handle, const rt_open_opts *o,
		     rt_err *err);
	void (*close)(rt_conn *c);
	int (*exec)(rt_conn *c, const char *sql, size_t len,
		    rt_failure *failure, rt_err *err);
	int (*query)(rt_conn *c, const char *sql, rt_rows *out, rt_err *err);
	int (*begin)(rt_conn *c, rt_err *err);
	int (*commit)(rt_conn *c, rt_err *err);
	int (*rollback)(rt_conn *c, rt_err *err);
	int (*lock)(rt_conn *c, rt_err *err);
	int (*unlock)(rt_conn *c, rt_err *err);
	int (*table_exists)(rt_conn *c, const char *schema, const char *table,
			    int *exists, rt_err *err);
	/* how many tables the schema (NULL: the default one) has besides
	 * `skip1` and `skip2` (retort's own) */
	int (*count_tables)(rt_conn *c, const char *schema, const char *skip1,
			    const char *skip2, long *n, rt_err *err);
	long (*changes)(rt_conn *c);
	int (*run_step)(rt_conn *c, int begin, const char *sql, size_t len,
			const char *const *epilogue, size_t nepilogue,
			long *changes, rt_failure *failure, rt_err *err);
	/* the schema unqualified names resolve to in this session
	 * (PostgreSQL's current_schema() after the settings), or NULL
	 * where the database has no search path (SQLite) */
	const char *(*schema)(rt_conn *c);
	/* database user name (for the log), or NULL */
	const char *(*user)(rt_conn *c);
	/* column types for the log table: timestamp, autoincrement key */
	const char *timestamp_type;
	const char *serial_pk;
	/* stop the statement in flight; async-signal-safe; may be NULL */
	void (*cancel)(rt_conn *c);
	/* optional: 1 when an open() that failed with this message (err)
	 * may succeed if tried again later (the server is starting, not
	 * reachable yet), 0 when it will not (a refused login); NULL: every
	 * RETORT_EDB failure of open() is worth retrying */
	int (*open_retryable)(const char *message);
} rt_driver;

/* The driver for a dialect, or NULL when this build lacks it. */
const rt_driver *rt_driver_for(rt_dialect d);

extern const rt_driver rt_sqlite_driver;
#ifdef RETORT_WITH_POSTGRES
extern const rt_driver rt_postgres_driver;
#endif
#ifdef RETORT_WITH_MYSQL
extern const rt_driver rt_mysql_driver;
#endif

#endif
