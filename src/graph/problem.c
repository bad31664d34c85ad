/* SPDX-License-Identifier: MIT */
/*
 * problem.c: the problem list (see problem.h) and the public report type
 * that hands it to callers of retort_validate().
 */
#include "graph/problem.h"

#include <stdlib.h>
#include <string.h>

static const char *dup_or_null(rt_arena *a, const char *s)
{
	return s ? rt_arena_strdup(a, s) : NULL;
}

int rt_problem_add(rt_problems *p, const char *kind, const char *revision,
		   const char *path, unsigned line, const char *message)
{
	retort_problem pr;

	pr.kind = dup_or_null(&p->strings, kind);
	pr.revision = dup_or_null(&p->strings, revision);
	pr.path = dup_or_null(&p->strings, path);
	pr.line = line;
	pr.message = dup_or_null(&p->strings, message);
	if ((kind && !pr.kind) || (revision && !pr.revision) ||
	    (path && !pr.path) || (message && !pr.message))
		return RETORT_ENOMEM;
	if (RT_VEC_PUSH(&p->v, pr) < 0)
		return RETORT_ENOMEM;
	return 0;
}

void rt_problems_free(rt_problems *p)
{
	RT_VEC_FREE(&p->v);
	rt_arena_free(&p->strings);
}

retort_report *rt_report_new(rt_problems *p)
{
	retort_report *rep = malloc(sizeof(*rep));

	if (!rep)
		return NULL;
	rep->problems = *p;
	memset(p, 0, sizeof(*p));
	return rep;
}

void rt_report_free(retort_report *rep)
{
	if (!rep)
		return;
	rt_problems_free(&rep->problems);
	free(rep);
}
