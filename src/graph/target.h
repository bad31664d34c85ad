/* SPDX-License-Identifier: MIT */
/*
 * target.h: where an upgrade or a downgrade goes, given the current
 * revisions: Alembic's _parse_upgrade_target and _parse_downgrade_target,
 * which read relative destinations ("+2", "-1", "head-1", "ae10+2",
 * "branch@+1", "branch@head-2") and hand everything else to get_revisions
 * or get_revision. Errors are recorded on the resolver (resolve.h).
 */
#ifndef RT_TARGET_H
#define RT_TARGET_H

#include "graph/resolve.h"

/* _parse_upgrade_target: the revisions to upgrade to (a walk that ends at
 * "base" gives none). `assert_rel` is assert_relative_length: a walk that
 * runs out is an error rather than staying put. */
int rt_parse_upgrade_target(rt_resolver *r, rt_arg current, rt_arg target,
			    int assert_rel, rt_refs *out);

/* _parse_downgrade_target: the label it names (NULL: none) and the
 * revision to downgrade to (RT_NONE or RT_BASE for base); target NULL is
 * None. */
int rt_parse_downgrade_target(rt_resolver *r, rt_arg current,
			      const char *target, int assert_rel,
			      const char **label_out, int32_t *out);

#endif
