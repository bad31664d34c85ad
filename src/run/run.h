/*
 * run.h: executing plans against a database through a driver: connect,
 * lock, read the version rows, plan, run each step in its transaction with
 * its version and log rows, unlock.
 */
#ifndef RT_RUN_H
#define RT_RUN_H

#include "project/project.h"
#include "plan/plan.h"

typedef enum rt_run_kind {
	RT_RUN_UPGRADE,
	RT_RUN_DOWNGRADE,
	RT_RUN_STAMP
} rt_run_kind;

/* Run upgrade/downgrade (one target) or stamp (targets) online. */
int rt_run_online(retort *r, rt_run_kind kind, const char *const *targets,
		  size_t ntargets, const retort_run_options *opts);

/* Shared with the offline path (api_run.c). */
int rt_check_irreversible(retort *r, const retort_plan *plan, int allow);
int rt_version_table(retort *r, const char **table, const char **schema);

/* validate's database part: applied revisions whose section changed since
 * (problems of kind "checksum"), or nothing when there is no database or
 * no log table yet. */
int rt_validate_checksums(retort *r, rt_problems *out);

#endif
