/*
 * run.h: executing plans against a database through a driver: connect,
 * lock, read the version rows, plan, run each step in its transaction with
 * its version and log rows, unlock.
 */
#ifndef RT_RUN_H
#define RT_RUN_H

#include "plan/plan.h"
#include "project/project.h"

typedef enum rt_run_kind {
	RT_RUN_UPGRADE,
	RT_RUN_DOWNGRADE,
	RT_RUN_STAMP
} rt_run_kind;

/* Run upgrade/downgrade (one target) or stamp (targets) online. */
int rt_run_online(retort *r, rt_run_kind kind, const char *const *targets,
		  size_t ntargets, const retort_run_options *opts);

/* Refuse a plan that downgrades through an empty downgrade section (a
 * revision nothing can undo) unless allowed; shared with --sql. */
int rt_check_irreversible(retort *r, const retort_plan *plan, int allow);

#endif
