/* SPDX-License-Identifier: MIT */
/*
 * iterate.h: Alembic's iterate_revisions: the revisions between two
 * bounds, newest first, as upgrade, downgrade, history and --sql ranges
 * use them. Selecting follows _collect_upgrade_revisions or
 * _collect_downgrade_revisions; ordering is _topological_sort
 * (toposort.h). Errors are recorded on the resolver (resolve.h).
 */
#ifndef RT_ITERATE_H
#define RT_ITERATE_H

#include "graph/resolve.h"

/* iterate_revisions(upper, lower, implicit_base, inclusive,
 * assert_relative_length, select_for_downgrade): the revisions, newest
 * first. */
int rt_iterate_revisions(rt_resolver *r, rt_arg upper, rt_arg lower,
			 int implicit_base, int inclusive,
			 int assert_relative_length, int select_for_downgrade,
			 rt_refs *out);

#endif
