/* SPDX-License-Identifier: MIT */
/*
 * interrupt.c: stop requests and cancel hooks (interrupt.h).
 *
 * Only lock-free atomics are used, which C11 allows in signal handlers;
 * the static assertions below make a build without them fail instead of
 * silently becoming unsafe.
 */
#include <sched.h>
#include <stddef.h>

#include "util/interrupt.h"

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int must be lock-free");
_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2,
	       "atomic pointers must be lock-free");

void rt_intr_init(rt_intr *in)
{
	size_t i;

	atomic_init(&in->pending, 0);
	atomic_init(&in->busy, 0);
	for (i = 0; i < RT_INTR_SLOTS; i++)
		atomic_init(&in->hooks[i], NULL);
}

void rt_intr_raise(rt_intr *in)
{
	size_t i;

	atomic_store(&in->pending, 1);
	atomic_fetch_add(&in->busy, 1);
	for (i = 0; i < RT_INTR_SLOTS; i++) {
		rt_intr_hook *h = atomic_load(&in->hooks[i]);

		if (h)
			h->fn(h);
	}
	atomic_fetch_sub(&in->busy, 1);
}

int rt_intr_pending(rt_intr *in)
{
	return atomic_load(&in->pending) != 0;
}

int rt_intr_take(rt_intr *in)
{
	return atomic_exchange(&in->pending, 0) != 0;
}

int rt_intr_add(rt_intr *in, rt_intr_hook *hook)
{
	size_t i;

	for (i = 0; i < RT_INTR_SLOTS; i++) {
		rt_intr_hook *expected = NULL;

		if (atomic_compare_exchange_strong(&in->hooks[i], &expected,
						   hook))
			return 0;
	}
	return -1;
}

void rt_intr_remove(rt_intr *in, rt_intr_hook *hook)
{
	size_t i;

	for (i = 0; i < RT_INTR_SLOTS; i++) {
		rt_intr_hook *expected = hook;

		atomic_compare_exchange_strong(&in->hooks[i], &expected, NULL);
	}
	/* a raise() on another thread may still be inside the hook */
	while (atomic_load(&in->busy))
		sched_yield();
}
