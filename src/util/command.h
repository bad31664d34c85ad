/* SPDX-License-Identifier: MIT */
/*
 * command.h: running a user's command (`schema_command`) through
 * /bin/sh -c and capturing what it prints (command.c).
 *
 * The command runs in its own process group, in the given folder, with
 * standard input from /dev/null; its standard output is captured whole,
 * its standard error up to RT_COMMAND_STDERR_MAX bytes (the rest is read
 * and dropped, so the command never blocks on a full pipe). When the
 * timeout passes, or *stop becomes nonzero (an interrupt), the whole
 * process group is killed (SIGKILL) and reaped. Nothing is printed; no
 * signal disposition of the caller is changed.
 *
 * Invariants: rt_command_run() returns 0 whenever the process was
 * started, whatever became of it (see the result's fields); a negative
 * RETORT_E* code only when it could not be started (pipe, fork), with
 * the message in err. A command that is not found is exit status 127
 * (the shell's), not an error here.
 */
#ifndef RT_COMMAND_H
#define RT_COMMAND_H

#include <stdatomic.h>

#include "util/err.h"
#include "util/str.h"

#define RT_COMMAND_STDERR_MAX 4096

typedef struct rt_command {
	const char *command;	/* the text given to /bin/sh -c */
	const char *cwd;	/* the folder it runs in; NULL: ours */
	long timeout_ms;	/* <= 0: no timeout */
	const atomic_int *stop; /* NULL, or nonzero to kill it now */
} rt_command;

typedef struct rt_command_result {
	rt_str out; /* standard output, whole */
	rt_str err; /* standard error, its first RT_COMMAND_STDERR_MAX bytes */
	int exited; /* it exited: status is its exit status */
	int status; /* exit status (exited) */
	int signal; /* the signal that ended it (!exited) */
	int timed_out; /* killed because timeout_ms passed */
	int stopped;   /* killed because *stop became nonzero */
} rt_command_result;

/* Run c; *res is initialized here and freed by rt_command_result_dispose
 * (also after a failure). */
int rt_command_run(const rt_command *c, rt_command_result *res, rt_err *err);

void rt_command_result_dispose(rt_command_result *res);

#endif
