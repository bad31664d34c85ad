/* SPDX-License-Identifier: MIT */
/*
 * api_interrupt.c: retort_interrupt(). The request and the cancelling of
 * the statement in flight live in util/interrupt.c and run/interrupt.c;
 * this is only the public entry point, kept async-signal-safe: no
 * allocation, no locks, no error message (the operation that stops sets
 * it).
 */
#include "api/api.h"

void retort_interrupt(retort *r)
{
	if (r)
		rt_intr_raise(&r->intr);
}
