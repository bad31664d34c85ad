/* SPDX-License-Identifier: MIT */
/*
 * progress.h: progress reporting for runs (upgrade, downgrade, stamp) on
 * stderr. Each step's "Running upgrade A -> B, message ..." line is
 * written when it starts and completed with its duration when it ends.
 * A step running longer than the threshold (RETORT_PROGRESS_INTERVAL
 * seconds, default 5) shows its elapsed time and the statement in flight:
 * on a terminal the line is rewritten in place every second; otherwise
 * (a log) one line is added every interval, and the step's line is
 * written again, whole, when it ends. When stderr is a terminal and the
 * run is long, a progress bar is kept below the lines. Silent with -q.
 *
 * --dry-run: "Would run ..." lines instead, and the SQL on stdout.
 * --json: nothing on stderr but errors; one object on stdout at the end:
 * the steps that ran (or would run) with their durations, and for a dry
 * run the SQL.
 */
#ifndef RETORT_PROGRESS_H
#define RETORT_PROGRESS_H

#include <pthread.h>
#include <stdio.h>

#include "cli.h"

typedef struct progress {
	cli *c;
	int tty;
	int bar; /* the bar is on screen */
	size_t total;
	int dry;
	/* --json: the steps so far, and a dry run's SQL */
	FILE *steps;
	char *steps_buf;
	size_t steps_len, nsteps;
	FILE *sql;
	char *sql_buf;
	size_t sql_len;
	/* the step in flight, shared with the ticker thread under mu */
	pthread_mutex_t mu;
	pthread_t ticker;
	int ticking, stop;
	int running;	  /* a step is in flight */
	int open_line;	  /* its "Running ..." line has no newline yet */
	int ticked;	  /* a tick line was written for it */
	double started;	  /* ms, monotonic */
	double last_tick; /* ms */
	double threshold_ms;
	char head[512]; /* "Running upgrade A -> B, message" */
	char stmt[128]; /* "line N: first line of the statement" */
} progress;

void progress_init(progress *p, cli *c, int dry_run);
void progress_event(const retort_event *ev, void *payload);
/* The write callback for --sql and --dry-run output (stdout, or the
 * JSON's "sql" with --json). */
int progress_write(const char *data, size_t len, void *payload);
/* Stop the ticker, clear the bar; with --json print the object (rc: the
 * library's result, r: for its message). */
void progress_done(progress *p, retort *r, int rc);

#endif
