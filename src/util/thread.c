/* SPDX-License-Identifier: MIT */
/*
 * thread.c: see thread.h. A new thread inherits its creator's signal mask,
 * so the mask is set to "all blocked" around pthread_create and put back.
 */
#include "util/thread.h"

#include <signal.h>

int rt_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
