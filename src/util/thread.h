/* SPDX-License-Identifier: MIT */
/*
 * thread.h: starting the library's own threads (the loader's workers, the
 * MySQL driver's cancel watcher) with every signal blocked in them, so
 * that a signal meant for the application (Ctrl-C, SIGTERM) reaches one of
 * its threads, whose waits it is there to cut short, never one of ours.
 */
#ifndef RT_THREAD_H
#define RT_THREAD_H

#include <pthread.h>

/* pthread_create(t, NULL, fn, arg) with every signal blocked in the new
 * thread; the caller's mask is unchanged. Returns pthread_create's
 * result (0 when started). */
int rt_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
