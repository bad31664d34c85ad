/* SPDX-License-Identifier: MIT */
/*
 * proc.c: process identity from /proc (proc.h). The start time is field
 * 22 of /proc/PID/stat, counted after the command name's closing ')'
 * (the name itself may hold spaces and parentheses).
 */
#include "util/proc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_small(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

static int start_ticks(pid_t pid, unsigned long long *out)
{
	char path[64], buf[1024], *p;
	int field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (read_small(path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return -1;
	/* after ")": field 3 (state) onwards; start time is field 22 */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -1;
	*out = strtoull(p + 1, NULL, 10);
	return 0;
}

void rt_proc_identity(pid_t pid, char out[RT_PROC_IDENTITY_MAX])
{
	char boot[64];
	unsigned long long ticks;

	out[0] = '\0';
	if (read_small("/proc/sys/kernel/random/boot_id", boot, sizeof(boot)) <
		0 ||
	    start_ticks(pid, &ticks) < 0)
		return;
	boot[strcspn(boot, "\n")] = '\0';
	snprintf(out, RT_PROC_IDENTITY_MAX, "boot %s start %llu", boot, ticks);
}

int rt_proc_alive(pid_t pid, const char *identity)
{
	char now[RT_PROC_IDENTITY_MAX];

	if (pid <= 0 || (kill(pid, 0) < 0 && errno != EPERM))
		return 0;
	if (!identity || !*identity)
		return 1;
	rt_proc_identity(pid, now);
	return !*now || !strcmp(now, identity);
}
