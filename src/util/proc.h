/* SPDX-License-Identifier: MIT */
/*
 * proc.h: telling a live process from a dead one whose pid was reused
 * (proc.c). A process is named by its pid plus an identity text: the
 * boot id and the process's start time in clock ticks since boot (from
 * /proc on Linux). A pid whose identity differs is another process.
 */
#ifndef RT_PROC_H
#define RT_PROC_H

#include <sys/types.h>

#define RT_PROC_IDENTITY_MAX 96

/* "boot <boot id> start <ticks>" for pid into out; "" where /proc cannot
 * tell (not Linux, no such process). */
void rt_proc_identity(pid_t pid, char out[RT_PROC_IDENTITY_MAX]);

/* 1 when pid runs and is the process `identity` names (any live pid when
 * identity is NULL or empty, or when this system cannot tell); 0 when it
 * is gone or the pid now belongs to another process. */
int rt_proc_alive(pid_t pid, const char *identity);

#endif
