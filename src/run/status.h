/* SPDX-License-Identifier: MIT */
/*
 * status.h: `status` (status.c): every revision applied or pending, with
 * its last run from the log table and its checksum state, and the dirty
 * state; read-only (nothing is created). The public struct is defined
 * here; api/api_state.c hands it out.
 */
#ifndef RT_STATUS_H
#define RT_STATUS_H

#include "run/runner.h"
#include "util/arena.h"
#include "util/vec.h"

struct retort_status {
	rt_arena strings;
	RT_VEC(retort_status_entry) v;
	retort_dirty dirty;
};

/* Build the status (the graph loaded; *out freed with
 * rt_status_free()). */
int rt_status_read(retort *r, retort_status **out);
void rt_status_free(retort_status *st);

#endif
