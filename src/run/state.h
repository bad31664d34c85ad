/* SPDX-License-Identifier: MIT */
/*
 * state.h: what the database says about itself (state.c): its version
 * rows, whether it is dirty, the checksums of applied revisions against
 * the files (validate), and clearing the dirty state (repair). Reading
 * opens the database read-only and never creates the version table or
 * the database file.
 */
#ifndef RT_STATE_H
#define RT_STATE_H

#include "graph/problem.h"
#include "run/runner.h"

/* The version rows (none when there is no database or table yet). */
int rt_state_read_heads(retort *r, rt_heads *heads);

/* Revisions applied in a database at `heads` (its version rows): their
 * ancestors, dependencies included, into set (rt_set_free() it); rows
 * no file has are left out. 0 or RETORT_ENOMEM. */
int rt_applied_set(retort *r, const rt_heads *heads, rt_set *set);

/* A warning through the log callback when the database is dirty. */
void rt_state_warn_if_dirty(retort *r);

/* validate's database part: applied revisions whose section changed since
 * (problems of kind "checksum"), or nothing when there is no database or
 * no log table yet. */
int rt_validate_checksums(retort *r, rt_problems *out);

/* repair on an open runner: mark unfinished and failed runs repaired and,
 * with RETORT_REPAIR_CHECKSUMS, accept edited revisions. */
int rt_state_repair(rt_runner *rn, unsigned int flags,
		    retort_repair_result *out);

#endif
