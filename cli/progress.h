/* SPDX-License-Identifier: MIT */
/*
 * progress.h: progress reporting for runs on stderr: one line per step
 * with its duration, and, when stderr is a terminal and the run is long,
 * a progress bar kept below those lines. Silent with -q.
 */
#ifndef RETORT_PROGRESS_H
#define RETORT_PROGRESS_H

#include "cli.h"

typedef struct progress {
	cli *c;
	int tty;
	int bar; /* the bar is on screen */
	size_t total;
} progress;

void progress_init(progress *p, cli *c);
void progress_event(const retort_event *ev, void *payload);
void progress_done(progress *p);

#endif
