/* SPDX-License-Identifier: MIT */
/*
 * Stage run/ (plan -> run -> driver): the handle and a target in; a
 * database moved to it, with its version and log rows, out. The runner
 * (runner.h: connection, tables, dirty state), the log (log.h), the
 * database's own state (state.h) and the driver interface (driver.h)
 * with one driver per database in drivers/, which may use only driver.h
 * of this stage. Uses every stage before it.
 *
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

/* Refuse a plan that cannot run as written, before anything runs: a
 * downgrade through an empty downgrade section (nothing can undo the
 * revision) unless allowed; transaction control in a transactional
 * section; COPY with client data. Shared with --sql. */
int rt_check_plan(retort *r, const retort_plan *plan, rt_dialect d,
		  int allow_irreversible);

#endif
