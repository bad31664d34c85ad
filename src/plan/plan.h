/* SPDX-License-Identifier: MIT */
/*
 * Stage plan/ (resolve -> plan): the graph and the database's version
 * rows in; the steps of an upgrade, downgrade or stamp with their
 * version-row changes out (plan.h), and that plan as offline SQL
 * (render.h, `--sql`). Uses util/, sql/, script/ and graph/.
 *
 * plan.h: what an upgrade, downgrade or stamp does, step by step, with the
 * version-table changes each step makes (Alembic's HeadMaintainer applied
 * to RevisionStep and StampStep). A plan is computed from the version rows
 * the database has when the run starts, so the online runner and the
 * offline SQL renderer execute the same plan.
 *
 * Invariant: applying the steps' ops in order to `start` gives `final`;
 * every UPDATE/DELETE names a row present at that point, every INSERT a
 * row absent (checked while planning; a violation is an error rather than
 * a surprise at run time).
 */
#ifndef RT_PLAN_H
#define RT_PLAN_H

#include "graph/graph.h"
#include "graph/resolve.h"
#include "retort.h"
#include "util/arena.h"
#include "util/vec.h"

struct retort_plan {
	rt_arena arena;
	RT_VEC(retort_step) steps;
	const char **start; /* version rows before the run */
	size_t nstart;
	const char **final; /* version rows after the run, sorted */
	size_t nfinal;
	uint8_t *empty_before; /* per step: no rows before it ran */
	const char *warning;   /* Alembic's warning, if it would print one */
};

/* `upgrade destination` from version rows `heads`. */
int rt_plan_upgrade(retort_plan **out, rt_graph *g, const char *destination,
		    const char *const *heads, size_t nheads, rt_err *err);
/* `downgrade destination` from version rows `heads`. */
int rt_plan_downgrade(retort_plan **out, rt_graph *g, const char *destination,
		      const char *const *heads, size_t nheads, rt_err *err);
/* `stamp targets` from `heads` (after deleting all rows when purge). */
int rt_plan_stamp(retort_plan **out, rt_graph *g, const char *const *targets,
		  size_t ntargets, const char *const *heads, size_t nheads,
		  rt_err *err);

void rt_plan_free(retort_plan *plan);

/* The section a step runs on dialect d (rt_script_section()); NULL for a
 * stamp step, and for a revision with no section for d (which
 * rt_plan_check_dialect() refuses before anything runs). */
const retort_section *rt_step_section(const retort_step *s, rt_dialect d);

/* Every upgrade and downgrade step of plan has a section for dialect d;
 * otherwise RETORT_EUSAGE, "path:line: revision X has no upgrade section
 * for postgresql (...)", naming the first such revision and the line of
 * its first marker of that direction. */
int rt_plan_check_dialect(const retort_plan *plan, rt_dialect d, rt_err *err);

#endif
