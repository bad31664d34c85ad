/* SPDX-License-Identifier: MIT */
/*
 * runner.h: an open connection plus everything a run needs to know about
 * the project's tables. Shared by run.c (upgrade/downgrade/stamp) and
 * state.c (current, validate's checksums, repair).
 */
#ifndef RT_RUNNER_H
#define RT_RUNNER_H

#include "project/project.h"
#include "run/driver.h"
#include "run/interrupt.h"
#include "util/str.h"
#include "util/vec.h"

typedef RT_VEC(char *) rt_heads; /* version rows, owned strings */

typedef struct rt_runner {
	retort *r;
	const retort_run_options *opts;
	const rt_driver *drv;
	rt_conn *conn;
	const rt_url *url;
	const char *table, *schema, *log_table;
	rt_str vt, lt; /* qualified, quoted names */
	int per_migration;
	double lock_timeout_ms;
	int readonly;
	int missing; /* read-only open of a database that does not exist */
	int locked;
	int in_tx;
	int tables_ready;
	char host[256];
	rt_err scratch_err; /* errors we report but do not propagate */
	rt_str busy;	    /* the live run check_dirty waits for */
	/* retort_interrupt() (run/interrupt.c): conn attached to the
	 * handle, the step in flight and where its section failed */
	rt_conn_hook intr;
	const retort_step *step;
	unsigned step_line; /* 0 unknown */
	/* the section being exec'd: the driver's statement offsets are
	 * reported as RETORT_EVENT_STATEMENT against it */
	const retort_section *cur_sec;
	/* rt_runner_statement(): the line at ev_off of ev_sec */
	const retort_section *ev_sec;
	size_t ev_off;
	unsigned ev_line;
	/* the step's section runs outside a transaction, statement by
	 * statement (run.c): step_done statements of it completed */
	int step_outside;
	size_t step_done;
	int resumed; /* ... taking over a failed row */
} rt_runner;

/* Report the statement at byte `offset` of sec as RETORT_EVENT_STATEMENT
 * (its line, its text), when the caller asked for events; a NULL sec or
 * an offset past its statements reports nothing. */
void rt_runner_statement(rt_runner *rn, const retort_section *sec,
			 size_t offset);

/* Connect with the project's settings (readonly: never create). */
int rt_runner_open(rt_runner *rn, retort *r, int readonly,
		   const retort_run_options *opts);
void rt_runner_close(rt_runner *rn);
/* Execute SQL built in a string (out of memory when it is). */
int rt_runner_exec(rt_runner *rn, const rt_str *sql);
/* Query SQL built in a string, and dispose of the string (out of memory
 * when it is); errors go to err (&rn->r->err, or one to ignore). */
int rt_runner_query(rt_runner *rn, rt_str *sql, rt_rows *rows, rt_err *err);

/* Create the version and log tables when missing. */
int rt_runner_ensure_tables(rt_runner *rn);
/* The version rows (none when the table or database is missing). */
int rt_runner_read_heads(rt_runner *rn, rt_heads *out);
/* 0 clean, RETORT_EDIRTY (message set), or 1: wait for a live process
 * (rn->busy describes it). */
int rt_runner_check_dirty(rt_runner *rn);

/* The log's unfinished rows: revision, direction, status, started_at,
 * host, pid, message; oldest first. */
int rt_runner_unfinished(rt_runner *rn, rt_rows *rows);

/* 1 when the run a log row names (host, pid, the process identity its
 * message holds) is another process alive on this host. */
int rt_runner_row_alive(rt_runner *rn, const char *host, const char *pid,
			const char *identity);

int rt_heads_add(rt_heads *h, const char *id);
int rt_heads_copy(rt_heads *dst, const rt_heads *src);
void rt_heads_clear(rt_heads *h);
void rt_heads_free(rt_heads *h);

#endif
