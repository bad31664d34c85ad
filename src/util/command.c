/* SPDX-License-Identifier: MIT */
/*
 * command.c: /bin/sh -c COMMAND with both outputs captured (command.h).
 *
 * fork + exec rather than posix_spawn: the child must change folder and
 * start its own process group, which posix_spawn cannot do portably. The
 * child calls only async-signal-safe functions between fork and exec. The
 * parent polls both pipes (so neither fills up and blocks the child) in
 * slices of at most 100 ms, to notice the timeout and *stop, then reaps
 * the child with waitpid (polling, under the same timeout and *stop). The pipes are close-on-exec on our side so that
 * a command started concurrently by another thread does not inherit them.
 */
#include "util/command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "retort.h"
#include "util/clock.h"

extern char **environ;

/* Nonzero when the run must end now: *stop, or the deadline (0: none)
 * passed; sets the result's flag. */
static int must_end(const rt_command *c, double deadline,
		    rt_command_result *res)
{
	if (c->stop && atomic_load(c->stop))
		res->stopped = 1;
	else if (deadline && rt_clock_ms() >= deadline)
		res->timed_out = 1;
	return res->stopped || res->timed_out;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int cloexec_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

/* The child: never returns. */
static void child(const rt_command *c, int out, int err)
{
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(err, 2) < 0)
		_exit(126);
	if (null > 2)
		close(null);
	if (c->cwd && chdir(c->cwd) < 0) {
		static const char msg[] =
		    "cannot change to the project folder\n";

		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(126);
		_exit(126);
	}
	{
		/* execve: async-signal-safe, as the child of a threaded
		 * process requires */
		char sh[] = "sh", dash_c[] = "-c", *cmd;
		char *argv[4];

		/* execve takes char *const[]; the text is not written */
		memcpy(&cmd, &c->command, sizeof(cmd));
		argv[0] = sh;
		argv[1] = dash_c;
		argv[2] = cmd;
		argv[3] = NULL;
		execve("/bin/sh", argv, environ);
	}
	_exit(127);
}

/* Read what is there on fd into s (at most `max` kept; 0: no limit);
 * closes fd at end of file. */
static void drain(int *fd, rt_str *s, size_t max)
{
	char buf[8192];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close_fd(fd);
		return;
	}
	if (max && s->len + (size_t)n > max)
		n = s->len < max ? (ssize_t)(max - s->len) : 0;
	rt_str_append(s, buf, (size_t)n);
}

/* Poll both pipes until both are closed, the timeout or *stop. */
static void collect(const rt_command *c, double deadline, int fds[2],
		    rt_command_result *res)
{
	while (fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd p[2];
		long wait = 100;
		int i, n = 0;

		if (must_end(c, deadline, res))
			break;
		if (deadline && deadline - rt_clock_ms() < wait)
			wait = (long)(deadline - rt_clock_ms()) + 1;
		for (i = 0; i < 2; i++)
			if (fds[i] >= 0) {
				p[n].fd = fds[i];
				p[n].events = POLLIN;
				p[n].revents = 0;
				n++;
			}
		if (poll(p, (nfds_t)n, (int)wait) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (p[i].fd == fds[0])
				drain(&fds[0], &res->out, 0);
			else
				drain(&fds[1], &res->err,
				      RT_COMMAND_STDERR_MAX);
		}
	}
}

/* Wait for the command to exit: it may still run after closing both
 * outputs, so the timeout and *stop hold here too (its group is killed
 * when either ends it). */
static int reap(const rt_command *c, pid_t pid, double deadline,
		rt_command_result *res, int *status)
{
	int flags = WNOHANG;
	pid_t got;

	for (;;) {
		if (flags && (res->timed_out || res->stopped ||
			      must_end(c, deadline, res))) {
			kill(-pid, SIGKILL);
			flags = 0; /* now it ends: wait for it */
		}
		got = waitpid(pid, status, flags);
		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
		if (got == 0) {
			struct timespec nap = { 0, 20 * 1000 * 1000 };

			nanosleep(&nap, NULL);
		}
	}
}

int rt_command_run(const rt_command *c, rt_command_result *res, rt_err *err)
{
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, fds[2], status;
	double deadline = c->timeout_ms > 0 ? rt_clock_ms() + c->timeout_ms : 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (cloexec_pipe(out) < 0 || cloexec_pipe(errp) < 0) {
		int e = errno;

		close_fd(&out[0]);
		close_fd(&out[1]);
		return rt_err_set(err, RETORT_ERROR,
				  "cannot run a command: pipe: %s",
				  strerror(e));
	}
	pid = fork();
	if (pid == 0)
		child(c, out[1], errp[1]);
	close_fd(&out[1]);
	close_fd(&errp[1]);
	if (pid < 0) {
		int e = errno;

		close_fd(&out[0]);
		close_fd(&errp[0]);
		return rt_err_set(err, RETORT_ERROR,
				  "cannot run a command: fork: %s",
				  strerror(e));
	}
	/* both sides set the group, so kill(-pid) works whichever runs
	 * first */
	setpgid(pid, pid);
	fds[0] = out[0];
	fds[1] = errp[0];
	collect(c, deadline, fds, res);
	close_fd(&fds[0]);
	close_fd(&fds[1]);
	if (reap(c, pid, deadline, res, &status) < 0)
		return rt_err_set(err, RETORT_ERROR,
				  "cannot run a command: waitpid: %s",
				  strerror(errno));
	/* the command exited but left children holding the pipes: they
	 * were read to the end above (or killed on the timeout) */
	if (WIFEXITED(status)) {
		res->exited = 1;
		res->status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->signal = WTERMSIG(status);
	}
	if (res->out.oom || res->err.oom)
		return rt_err_oom(err);
	return 0;
}

void rt_command_result_dispose(rt_command_result *res)
{
	rt_str_dispose(&res->out);
	rt_str_dispose(&res->err);
	memset(res, 0, sizeof(*res));
}
