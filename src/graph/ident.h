/* SPDX-License-Identifier: MIT */
/*
 * ident.h: identifiers to revisions, as Alembic's RevisionMap resolves
 * them: get_revisions / get_revision (with _resolve_revision_number and
 * _revision_for_ident), filter_for_lineage, _walk and _get_all_current.
 *
 * An identifier is a revision id, a unique prefix of one (four characters
 * or more unless it is unique anyway), a branch label, "head", "heads",
 * "base", "label@id", "label@head" and so on, or a negative number
 * ("-2", "label@-2": walk down from the heads). Results are refs (see
 * resolve.h); errors are recorded on the resolver for rt_resolver_catch.
 */
#ifndef RT_IDENT_H
#define RT_IDENT_H

#include "graph/resolve.h"

/* get_revisions: every revision an argument names (a tuple: each item's,
 * in order). */
int rt_get_revisions(rt_resolver *r, rt_arg id, rt_refs *out);
/* get_revision: at most one revision (several: MultipleHeads); NULL and
 * "base" give RT_NONE. */
int rt_get_revision(rt_resolver *r, const char *id, int32_t *out);
/* filter_for_lineage: the targets (RT_NONE and RT_BASE dropped) that are
 * ancestors or descendants of what check_against names; all of them when
 * it names nothing. */
int rt_filter_for_lineage(rt_resolver *r, const rt_refs *targets,
			  const char *check_against, int include_deps,
			  rt_refs *out);

/* _get_all_current, in load order. */
int rt_get_all_current(rt_resolver *r, rt_arg ids, rt_refs *out);

/* The same over refs already resolved (_get_all_current after
 * get_revisions, with _filter_into_branch_heads). */
int rt_all_current(rt_resolver *r, const rt_refs *tops, rt_refs *out);

/* _revision_for_ident: one already resolved id (NULL: None), checked
 * against the branch check_branch when it is not NULL or empty. */
int rt_revision_for_ident(rt_resolver *r, const char *resolved_id,
			  const char *check_branch, int32_t *out);

/* _resolve_branch: a label, or else an id or prefix standing for one. */
int rt_resolve_branch(rt_resolver *r, const char *label, int32_t *out);

/* _walk: `steps` > 0 walks up (children, filtered by `label`), < 0 down
 * (parents). Running out gives RT_NONE with no_overwalk, else the last
 * revision reached; more than one way gives "Ambiguous walk". */
int rt_walk(rt_resolver *r, int32_t start, long steps, const char *label,
	    int no_overwalk, int32_t *out);

/* A number of steps as Python's int() reads it: an optional sign and
 * decimal digits. Returns 1 with *out, 0 when `s` is not such a number,
 * or -1 when its magnitude is beyond LONG_MAX (more steps than any walk
 * can take; nothing is recorded). */
int rt_parse_steps(const char *s, size_t len, long *out);

/* The error for a number of steps rt_parse_steps found out of range:
 * Alembic's text for a walk that comes up short, "Relative revision
 * -99999999999999999999 didn't produce 99999999999999999999 migrations",
 * with `shown` the signed number as given. */
int rt_steps_error(rt_resolver *r, const char *shown);

#endif
