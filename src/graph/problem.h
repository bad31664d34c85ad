/* SPDX-License-Identifier: MIT */
/*
 * problem.h: a list of problems found in the revision files or the graph,
 * for `validate` (which reports them all) and for the first-error message
 * of every other command. Strings are owned by the list.
 */
#ifndef RT_PROBLEM_H
#define RT_PROBLEM_H

#include "retort.h"
#include "util/arena.h"
#include "util/vec.h"

typedef struct rt_problems {
	RT_VEC(retort_problem) v;
	rt_arena strings;
} rt_problems;

#define RT_PROBLEMS_INIT                   \
	{                                  \
		RT_VEC_INIT, RT_ARENA_INIT \
	}

/* Record a problem; `message` is copied. Returns 0 or RETORT_ENOMEM. */
int rt_problem_add(rt_problems *p, const char *kind, const char *revision,
		   const char *path, unsigned line, const char *message);
void rt_problems_free(rt_problems *p);

/* Wrap a problem list (moved out of `p`) as a public report; NULL on OOM
 * (p is then left as it was). */
/* The public report: a problem list handed to the caller. */
struct retort_report {
	rt_problems problems;
};

retort_report *rt_report_new(rt_problems *p);
void rt_report_free(retort_report *rep);

#endif
