/* SPDX-License-Identifier: MIT */
/*
 * interrupt.h: a stop request that a signal handler (or another thread)
 * can raise while an operation runs, and the cancel hooks it fires.
 *
 * The handle (project/project.h) embeds one rt_intr. rt_intr_raise()
 * sets `pending` and calls every hook registered at that moment; the
 * runner registers a hook for each connection it has open, whose function
 * cancels the statement in flight (run/interrupt.c).
 *
 * Invariants: rt_intr_raise() is async-signal-safe (lock-free atomics,
 * no allocation, no locks) and may run on any thread. A hook is never
 * called after rt_intr_remove() returned, so its memory (and the
 * connection it names) may be freed then: remove() waits for a raise()
 * that runs on another thread and may be inside the hook; a raise() from a
 * signal handler on the removing thread has finished by the time the
 * thread resumes. Hooks must be async-signal-safe themselves.
 */
#ifndef RT_INTERRUPT_H
#define RT_INTERRUPT_H

#include <stdatomic.h>

#define RT_INTR_SLOTS 4

typedef struct rt_intr_hook {
	void (*fn)(struct rt_intr_hook *hook);
} rt_intr_hook;

typedef struct rt_intr {
	atomic_int pending; /* raised and not yet taken */
	atomic_int busy;    /* raise() calls inside a hook */
	_Atomic(rt_intr_hook *) hooks[RT_INTR_SLOTS];
} rt_intr;

/* Zeroed memory is a valid, empty rt_intr (calloc'd handles). */
void rt_intr_init(rt_intr *in);

/* Set pending and call the registered hooks: async-signal-safe. */
void rt_intr_raise(rt_intr *in);
/* Is a stop requested? (does not clear it) */
int rt_intr_pending(rt_intr *in);
/* Clear the request; returns whether it was set. */
int rt_intr_take(rt_intr *in);

/* Register a hook (0), or -1 when every slot is taken. */
int rt_intr_add(rt_intr *in, rt_intr_hook *hook);
/* Unregister a hook (no-op when absent); see the invariants above. */
void rt_intr_remove(rt_intr *in, rt_intr_hook *hook);

#endif
