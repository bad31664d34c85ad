/* SPDX-License-Identifier: MIT */
/*
 * toposort.h: Alembic's _topological_sort: the revisions of a set in the
 * order iterate_revisions gives them (newest first), starting from the
 * given heads, each revision after everything in the set that depends on
 * it through norm_down. Ties are broken as Alembic breaks them, by the
 * order of its list of current heads (load order where Python iterates a
 * set).
 */
#ifndef RT_TOPOSORT_H
#define RT_TOPOSORT_H

#include "graph/resolve.h"

/* The revisions of `todo` in order into `out` (in the resolver's scratch);
 * "Dependency resolution failed; broken map" when the heads do not lead
 * to all of them. */
int rt_topological_sort(rt_resolver *r, const rt_set *todo,
			const rt_refs *heads, rt_refs *out);

#endif
