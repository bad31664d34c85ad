/* SPDX-License-Identifier: MIT */
/*
 * log.h: the log table (retort_log): its definition and the rows the
 * runner and repair write into it (log.c). One row per applied, reverted,
 * stamped or accepted revision; a transaction:false step's row is written
 * as "running" before its SQL and finished afterwards; while it runs,
 * its message holds the process's identity (util/proc.h), which the
 * dirty check and repair use to tell a live run from a dead one.
 *
 * A section that runs outside a transaction (transaction:false, or any
 * section on a database without transactional DDL) records its progress
 * in its row: statements_done, the number of its statements known to
 * have completed, and statements_sum, the SHA-256 of their text (run.c's
 * resume compares it with the file).
 */
#ifndef RT_LOG_H
#define RT_LOG_H

#include "run/runner.h"

typedef struct rt_log_row {
	const char *revision;  /* NULL for none */
	const char *direction; /* upgrade, downgrade, stamp, checksum */
	const char *from, *to; /* comma-joined version rows */
	const char *checksum;  /* NULL for none */
	const char *status;    /* ok, running, failed, repaired */
	const char *started;   /* UTC text */
	double ms;	       /* < 0: the database computes it on write */
	const char *message;   /* NULL for none */
	long done;	       /* statements_done, or -1 for NULL */
	const char *done_sum;  /* statements_sum (with done >= 0) */
} rt_log_row;

/* CREATE TABLE for the log and its index of unfinished rows. */
int rt_log_create_sql(rt_runner *rn, rt_str *table, rt_str *index);

/* The INSERT of a row (appended to sql); the user, retort version, host
 * and pid are the runner's. -1 on out of memory. */
int rt_log_insert_sql(rt_runner *rn, const rt_log_row *row, rt_str *sql);
int rt_log_insert(rt_runner *rn, const rt_log_row *row);

/* Finish this process's newest "running" row; with done >= 0 its
 * progress too. */
int rt_log_finish(rt_runner *rn, const char *status, double ms,
		  const char *message, long done, const char *done_sum);

/* Delete this process's newest "running" row (its section changed
 * nothing). */
int rt_log_discard(rt_runner *rn);

/* Record the progress of this process's newest "running" row. */
int rt_log_progress(rt_runner *rn, long done, const char *done_sum);

/* Take over the failed row `id` to resume it: running again, with this
 * process's pid, host and identity. */
int rt_log_resume(rt_runner *rn, const char *id);

/* Add statements_done and statements_sum to a log table made before
 * them (outside a transaction; a no-op when they are there). */
int rt_log_upgrade_table(rt_runner *rn);

#endif
