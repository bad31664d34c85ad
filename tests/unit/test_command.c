/* SPDX-License-Identifier: MIT */
/*
 * test_command.c: util/command.c, /bin/sh -c with both outputs captured:
 * output whole, exit status, the stderr cap, a folder, the timeout and
 * the stop flag killing the whole process group.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/command.h"

static rt_command_result run_cmd(const char *cmd, const char *cwd,
				 long timeout_ms, const atomic_int *stop)
{
	rt_command c = { cmd, cwd, timeout_ms, stop };
	rt_command_result res;
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(rt_command_run(&c, &res, &err), 0, "%s", rt_err_msg(&err));
	rt_err_dispose(&err);
	return res;
}

Test(command, output_and_status)
{
	rt_command_result res =
	    run_cmd("printf 'a\\nb'; echo oops >&2; exit 3", NULL, 0, NULL);

	cr_assert_str_eq(rt_str_cstr(&res.out), "a\nb");
	cr_assert_str_eq(rt_str_cstr(&res.err), "oops\n");
	cr_assert_eq(res.exited, 1);
	cr_assert_eq(res.status, 3);
	cr_assert_eq(res.timed_out, 0);
	rt_command_result_dispose(&res);
}

Test(command, not_found_is_127)
{
	rt_command_result res = run_cmd("no-such-command-xyz", NULL, 0, NULL);

	cr_assert_eq(res.exited, 1);
	cr_assert_eq(res.status, 127);
	cr_assert(strstr(rt_str_cstr(&res.err), "not found"));
	rt_command_result_dispose(&res);
}

/* Large output on both pipes at once: neither blocks the command; stdout
 * whole, stderr capped. */
Test(command, both_pipes_large)
{
	rt_command_result res = run_cmd(
	    "i=0; while [ $i -lt 2000 ]; do echo "
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; "
	    "echo eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee "
	    ">&2; i=$((i+1)); done",
	    NULL, 20000, NULL);

	cr_assert_eq(res.timed_out, 0);
	cr_assert_eq(res.status, 0);
	cr_assert_eq(res.out.len, 2000u * 63u);
	cr_assert_eq(res.err.len, (size_t)RT_COMMAND_STDERR_MAX);
	rt_command_result_dispose(&res);
}

Test(command, runs_in_the_folder)
{
	rt_command_result res = run_cmd("pwd", "/tmp", 0, NULL);

	cr_assert_str_eq(rt_str_cstr(&res.out), "/tmp\n");
	rt_command_result_dispose(&res);
}

/* The timeout kills the process group: a background child holding the
 * pipe as well. */
Test(command, timeout_kills_the_group)
{
	struct timespec t0, t1;
	rt_command_result res;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = run_cmd("sleep 30 & sleep 30", NULL, 300, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	cr_assert_eq(res.timed_out, 1);
	cr_assert_eq(res.exited, 0);
	cr_assert_eq(res.signal, SIGKILL);
	cr_assert(ms >= 250 && ms < 5000, "took %ld ms", ms);
	rt_command_result_dispose(&res);
}

Test(command, stop_flag)
{
	static atomic_int stop;
	rt_command_result res;

	atomic_store(&stop, 1);
	res = run_cmd("sleep 30", NULL, 0, &stop);
	cr_assert_eq(res.stopped, 1);
	cr_assert_eq(res.exited, 0);
	rt_command_result_dispose(&res);
}
