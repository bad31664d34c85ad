/* SPDX-License-Identifier: MIT */
/*
 * ident.c: identifiers to revisions (see ident.h), after Alembic's
 * RevisionMap: _resolve_revision_number turns the symbols (heads, head,
 * base, label@...) into ids, _revision_for_ident finds the revision of an
 * id (exact key, else a prefix of four or more characters, checked against
 * a branch when there is a label), _shares_lineage / filter_for_lineage
 * keep what lies on a branch, and _walk steps up or down.
 *
 * The functions call each other as the Python ones do (a label is itself
 * resolved as an identifier, filter_for_lineage resolves its argument), so
 * they live together. Every error is recorded with rt_rev_error.
 */
#include "graph/ident.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/vec.h"

static const char *join_ids(rt_resolver *r, const rt_refs *l)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		if (i)
			rt_str_puts(&s, ", ");
		rt_str_puts(&s, l->v[i] >= 0 ? rt_ref_id(r, l->v[i]) : "None");
	}
	out = rt_resolver_strdup(r, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return out;
}

int rt_parse_steps(const char *s, size_t len, long *out)
{
	size_t i = 0, k;
	unsigned long v = 0;
	int neg = 0;

	if (len && (s[0] == '+' || s[0] == '-'))
		neg = s[i++] == '-';
	if (i == len)
		return 0;
	for (k = i; k < len; k++)
		if (!isdigit((unsigned char)s[k]))
			return 0;
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > ((unsigned long)LONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = neg ? -(long)v : (long)v;
	return 1;
}

int rt_steps_error(rt_resolver *r, const char *shown)
{
	const char *digits = shown + (*shown == '+' || *shown == '-');

	while (digits[0] == '0' && digits[1])
		digits++;
	return rt_rev_error(r, RT_RE_REVISION, NULL,
			    "Relative revision %s didn't produce %s "
			    "migrations",
			    shown, digits);
}

/* ------------------------------------------------------------------ */
/* _resolve_revision_number */

typedef struct resolved {
	const char **ids; /* NULL entries never appear */
	uint32_t n;
	const char *label; /* NULL when there is no '@' */
} resolved;

static int get_current_head(rt_resolver *r, const char *label,
			    const char **out);

static int ids_alloc(rt_resolver *r, resolved *res, uint32_t n)
{
	res->n = 0;
	res->ids = rt_arena_alloc(&r->scratch, (n ? n : 1) * sizeof(char *));
	return res->ids ? 0 : rt_resolver_oom(r);
}

/* id_ NULL means Python's None. */
static int resolve_number(rt_resolver *r, const char *id_, resolved *res)
{
	const char *at = id_ ? strchr(id_, '@') : NULL;
	const char *id = id_;
	int error;

	res->label = NULL;
	if (at) {
		res->label =
		    rt_arena_strndup(&r->scratch, id_, (size_t)(at - id_));
		if (!res->label)
			return rt_resolver_oom(r);
		id = at + 1;
	}
	if (id && !strcmp(id, "heads")) {
		rt_refs heads, filtered;
		const rt_idlist *src = res->label && *res->label
					   ? &r->g->heads
					   : &r->g->real_heads;
		uint32_t i;

		rt_refs_from_list(r, src, &heads);
		if (!heads.v)
			return rt_resolver_oom(r);
		if (res->label && *res->label) {
			if ((error = rt_filter_for_lineage(
				 r, &heads, res->label, 0, &filtered)) < 0)
				return error;
			heads = filtered;
		}
		if (ids_alloc(r, res, heads.n) < 0)
			return RETORT_ENOMEM;
		for (i = 0; i < heads.n; i++)
			res->ids[res->n++] = rt_ref_id(r, heads.v[i]);
		return 0;
	}
	if (id && !strcmp(id, "head")) {
		const char *head;

		if ((error = get_current_head(r, res->label, &head)) < 0)
			return error;
		if (ids_alloc(r, res, 1) < 0)
			return RETORT_ENOMEM;
		if (head)
			res->ids[res->n++] = head;
		return 0;
	}
	if (!id || !strcmp(id, "base"))
		return ids_alloc(r, res, 0);
	if (ids_alloc(r, res, 1) < 0)
		return RETORT_ENOMEM;
	res->ids[res->n++] = id;
	return 0;
}

/* ------------------------------------------------------------------ */
/* _revision_for_ident, _resolve_branch, _shares_lineage */

int rt_resolve_branch(rt_resolver *r, const char *label, int32_t *out)
{
	uint32_t idx;
	int error;

	if (rt_graph_lookup(r->g, label, strlen(label), &idx)) {
		*out = (int32_t)idx;
		return 0;
	}
	error = rt_revision_for_ident(r, label, NULL, out);
	if (error == RETORT_ENOTFOUND && r->kind == RT_RE_RESOLUTION)
		return rt_rev_error(r, RT_RE_RESOLUTION, label,
				    "No such branch: '%s'", label);
	return error;
}

/* Mark everything that shares lineage with any of `tests`: their
 * ancestors and descendants (lineage is symmetric). The two walks use
 * separate sets: rt_graph_reach stops at nodes already in its set, and an
 * ancestor of one test may be a descendant of another whose own
 * descendants the second walk must still reach (_shares_lineage builds
 * the two sets separately too). */
static int lineage_set(rt_resolver *r, const rt_refs *tests, int include_deps,
		       rt_set *set)
{
	rt_set down = { 0 };
	uint32_t *t = NULL;
	uint32_t i, n;
	int error;

	if (rt_set_init(set, r->g) < 0)
		return rt_resolver_oom(r);
	if ((error = rt_refs_indices(r, tests, &t, &n)) < 0)
		goto done;
	if (rt_set_init(&down, r->g) < 0) {
		error = rt_resolver_oom(r);
		goto done;
	}
	if (rt_graph_reach(r->g, t, n,
			   include_deps ? RT_ANCESTORS : RT_ANCESTORS_VERSIONED,
			   set) < 0 ||
	    rt_graph_reach(r->g, t, n,
			   include_deps ? RT_DESCENDANTS
					: RT_DESCENDANTS_VERSIONED,
			   &down) < 0) {
		error = rt_resolver_oom(r);
		goto done;
	}
	for (i = 0; i < r->g->n; i++)
		if (down.in[i])
			rt_set_add(set, i);
done:
	rt_set_free(&down);
	free(t);
	return error;
}

/* filter_for_lineage over refs: keeps targets (NONE/BASE dropped) that
 * share lineage with check_against. */
int rt_filter_for_lineage(rt_resolver *r, const rt_refs *targets,
			  const char *check_against, int include_deps,
			  rt_refs *out)
{
	resolved res;
	rt_refs tests;
	rt_set set = { 0 };
	uint32_t i;
	int error;

	if ((error = resolve_number(r, check_against, &res)) < 0)
		return error;
	if (rt_refs_alloc(r, &tests, res.n + 1) < 0 ||
	    rt_refs_alloc(r, out, targets->n) < 0)
		return RETORT_ENOMEM;
	if (res.label && *res.label) {
		int32_t x;

		if ((error = rt_revision_for_ident(r, res.label, NULL, &x)) < 0)
			return error;
		tests.v[tests.n++] = x;
	}
	for (i = 0; i < res.n; i++) {
		int32_t x;

		if ((error = rt_revision_for_ident(r, res.ids[i], NULL, &x)) <
		    0)
			return error;
		tests.v[tests.n++] = x;
	}
	if (!tests.n) {
		for (i = 0; i < targets->n; i++)
			out->v[out->n++] = targets->v[i];
		return 0;
	}
	if ((error = lineage_set(r, &tests, include_deps, &set)) < 0) {
		rt_set_free(&set);
		return error;
	}
	for (i = 0; i < targets->n; i++)
		if (targets->v[i] >= 0 && set.in[targets->v[i]])
			out->v[out->n++] = targets->v[i];
	rt_set_free(&set);
	return 0;
}

static int shares_lineage(rt_resolver *r, int32_t target, int32_t test)
{
	rt_set set = { 0 };
	rt_refs tests;
	int32_t one = test;
	int in;

	tests.v = &one;
	tests.n = 1;
	if (lineage_set(r, &tests, 0, &set) < 0) {
		rt_set_free(&set);
		return -1;
	}
	in = set.in[target];
	rt_set_free(&set);
	return in;
}

/* resolved_id NULL: Python's () -> None. */
/* Prefix matches: keys longer than 3 characters that start with the
 * prefix, revision ids in load order, then branch labels; `names` and
 * `revs` run in parallel. */
typedef struct candidates {
	RT_VEC(const char *) names;
	rt_refvec revs;
} candidates;

static void candidates_free(candidates *c)
{
	RT_VEC_FREE(&c->names);
	RT_VEC_FREE(&c->revs);
}

static int candidate_add(candidates *c, const char *name, const char *prefix,
			 size_t plen, uint32_t rev)
{
	if (strlen(name) <= 3 || strncmp(name, prefix, plen))
		return 0;
	if (RT_VEC_PUSH(&c->names, name) < 0 ||
	    RT_VEC_PUSH(&c->revs, (int32_t)rev) < 0)
		return -1;
	return 0;
}

static int find_candidates(rt_resolver *r, const char *prefix, candidates *c)
{
	size_t plen = strlen(prefix);
	uint32_t i;

	for (i = 0; i < r->g->n; i++)
		if (candidate_add(c, r->g->revs[i].s.id, prefix, plen, i) < 0)
			return rt_resolver_oom(r);
	for (i = 0; i < r->g->nlabels; i++)
		if (candidate_add(c, r->g->labels[i].name, prefix, plen,
				  r->g->labels[i].rev) < 0)
			return rt_resolver_oom(r);
	return 0;
}

/* Keep the candidates that share lineage with check_branch. */
static int candidates_on_branch(rt_resolver *r, candidates *c,
				const char *check_branch)
{
	rt_refs in, kept;
	size_t k, w = 0;
	int error;

	in.v = c->revs.v;
	in.n = (uint32_t)c->revs.n;
	if ((error = rt_filter_for_lineage(r, &in, check_branch, 0, &kept)) < 0)
		return error;
	for (k = 0; k < c->revs.n; k++)
		if (rt_refs_has(&kept, c->revs.v[k])) {
			c->names.v[w] = c->names.v[k];
			c->revs.v[w++] = c->revs.v[k];
		}
	c->names.n = c->revs.n = w;
	return 0;
}

/* "Multiple revisions start with 'ae1': 'ae1027', 'ae1099', ...", with
 * up to five of them in the detail. */
static int ambiguous_prefix(rt_resolver *r, const char *prefix,
			    const candidates *c)
{
	rt_str list = RT_STR_INIT, d = RT_STR_INIT;
	size_t k;

	for (k = 0; k < c->names.n && k < 3; k++)
		rt_str_printf(&list, "%s'%s'", k ? ", " : "", c->names.v[k]);
	rt_rev_error(r, RT_RE_RESOLUTION, prefix,
		     "Multiple revisions start with '%s': %s...", prefix,
		     rt_str_cstr(&list));
	rt_str_clear(&list);
	for (k = 0; k < c->names.n && k < 5; k++)
		rt_str_printf(&list, "%s'%s'", k ? ", " : "", c->names.v[k]);
	if (c->names.n > 5)
		rt_str_puts(&list, ", ...");
	rt_str_printf(&d, "multiple revisions start with '%s': %s", prefix,
		      rt_str_cstr(&list));
	r->detail = rt_resolver_strdup(r, rt_str_cstr(&d));
	rt_str_dispose(&d);
	rt_str_dispose(&list);
	return RETORT_ENOTFOUND;
}

/* The one revision a prefix names (on check_branch when branch_rev is
 * not RT_NONE). */
static int prefix_lookup(rt_resolver *r, const char *prefix,
			 const char *check_branch, int32_t branch_rev,
			 int32_t *out)
{
	candidates c = { RT_VEC_INIT, RT_VEC_INIT };
	size_t plen = strlen(prefix);
	int error;

	if (!plen)
		return rt_rev_error(r, RT_RE_RESOLUTION, prefix,
				    "No such revision or branch ''");
	if ((error = find_candidates(r, prefix, &c)) < 0)
		goto done;
	if (branch_rev != RT_NONE && c.revs.n &&
	    (error = candidates_on_branch(r, &c, check_branch)) < 0)
		goto done;
	if (!c.revs.n)
		error = rt_rev_error(
		    r, RT_RE_RESOLUTION, prefix,
		    "No such revision or branch '%s'%s", prefix,
		    plen < 4 ? "; please ensure at least four characters are "
			       "present for partial revision identifier "
			       "matches"
			     : "");
	else if (c.revs.n > 1)
		error = ambiguous_prefix(r, prefix, &c);
	else
		*out = c.revs.v[0];
done:
	candidates_free(&c);
	return error;
}

int rt_revision_for_ident(rt_resolver *r, const char *resolved_id,
			  const char *check_branch, int32_t *out)
{
	int32_t branch_rev = RT_NONE, revision = RT_NONE;
	int error, on_branch = check_branch && *check_branch;
	uint32_t idx;

	*out = RT_NONE;
	if (on_branch &&
	    (error = rt_resolve_branch(r, check_branch, &branch_rev)) < 0)
		return error;
	if (!resolved_id)
		revision = RT_NONE;
	else if (rt_graph_lookup(r->g, resolved_id, strlen(resolved_id), &idx))
		revision = (int32_t)idx;
	else if ((error = prefix_lookup(r, resolved_id, check_branch,
					branch_rev, &revision)) < 0)
		return error;
	if (on_branch && revision != RT_NONE) {
		int s = shares_lineage(r, revision, branch_rev);

		if (s < 0)
			return rt_resolver_oom(r);
		if (!s)
			return rt_rev_error(r, RT_RE_RESOLUTION, resolved_id,
					    "Revision %s is not a member of "
					    "branch '%s'",
					    rt_ref_id(r, revision),
					    check_branch);
	}
	*out = revision;
	return 0;
}

/* get_current_head */
static int get_current_head(rt_resolver *r, const char *label, const char **out)
{
	rt_refs heads, filtered;
	int error;

	*out = NULL;
	rt_refs_from_list(r, &r->g->heads, &heads);
	if (!heads.v)
		return rt_resolver_oom(r);
	if (label && *label) {
		if ((error = rt_filter_for_lineage(r, &heads, label, 0,
						   &filtered)) < 0)
			return error;
		heads = filtered;
	}
	if (heads.n > 1) {
		rt_str arg = RT_STR_INIT;

		if (label && *label)
			rt_str_printf(&arg, "%s@head", label);
		else
			rt_str_puts(&arg, "head");
		rt_rev_error(r, RT_RE_MULTIPLE_HEADS, rt_str_cstr(&arg),
			     "Multiple heads are present for given argument "
			     "'%s'; %s",
			     rt_str_cstr(&arg), join_ids(r, &heads));
		r->heads = join_ids(r, &heads);
		rt_str_dispose(&arg);
		return r->err->code;
	}
	if (heads.n)
		*out = rt_ref_id(r, heads.v[0]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* get_revisions / get_revision / _walk */

static int get_revisions_one(rt_resolver *r, const char *id, rt_refvec *acc)
{
	resolved res;
	int error, rc;
	uint32_t i;
	long n;

	if ((error = resolve_number(r, id, &res)) < 0)
		return error;
	rc =
	    res.n == 1 ? rt_parse_steps(res.ids[0], strlen(res.ids[0]), &n) : 0;
	/* too big for a long: an id if positive, a walk too far if not */
	if (rc < 0 && res.ids[0][0] == '-')
		return rt_steps_error(r, res.ids[0]);
	if (rc > 0 && n < 0) {
		/* branch@-n: walk down from each head on the branch */
		const rt_idlist *heads = &r->g->real_heads;

		for (i = 0; i < heads->n; i++) {
			int32_t w;

			if (res.label && *res.label) {
				uint32_t lab;

				if (!rt_map_get(&r->g->label_ids, res.label,
						strlen(res.label), &lab) ||
				    !rt_graph_has_label(r->g, heads->v[i], lab))
					continue;
			}
			if ((error = rt_walk(r, (int32_t)heads->v[i], n, NULL,
					     1, &w)) < 0)
				return error;
			if (RT_VEC_PUSH(acc, w) < 0)
				return rt_resolver_oom(r);
		}
		return 0;
	}
	for (i = 0; i < res.n; i++) {
		int32_t x;

		if ((error = rt_revision_for_ident(r, res.ids[i], res.label,
						   &x)) < 0)
			return error;
		if (RT_VEC_PUSH(acc, x) < 0)
			return rt_resolver_oom(r);
	}
	return 0;
}

int rt_get_revisions(rt_resolver *r, rt_arg id, rt_refs *out)
{
	rt_refvec acc = RT_VEC_INIT;
	uint32_t i;
	int error = 0;

	for (i = 0; i < rt_arg_count(id); i++)
		if ((error = get_revisions_one(r, rt_arg_at(id, i), &acc)) <
		    0) {
			RT_VEC_FREE(&acc);
			return error;
		}
	return rt_refs_from_vec(r, &acc, out);
}

int rt_get_revision(rt_resolver *r, const char *id, int32_t *out)
{
	resolved res;
	int error;

	*out = RT_NONE;
	if ((error = resolve_number(r, id, &res)) < 0)
		return error;
	if (res.n > 1) {
		rt_str heads = RT_STR_INIT;
		uint32_t i;

		for (i = 0; i < res.n; i++)
			rt_str_printf(&heads, "%s%s", i ? ", " : "",
				      res.ids[i]);
		rt_rev_error(r, RT_RE_MULTIPLE_HEADS, id,
			     "Multiple heads are present for given argument "
			     "'%s'; %s",
			     id, rt_str_cstr(&heads));
		r->heads = rt_resolver_strdup(r, rt_str_cstr(&heads));
		rt_str_dispose(&heads);
		return r->err->code;
	}
	return rt_revision_for_ident(r, res.n ? res.ids[0] : NULL, res.label,
				     out);
}

/* Alembic's "Ambiguous walk", with the ways the walk could go and what
 * to name instead. */
static int ambiguous_walk(rt_resolver *r, int32_t from, int up,
			  const rt_refs *ways)
{
	rt_str ids = RT_STR_INIT;
	uint32_t i;
	int error;

	for (i = 0; i < ways->n; i++)
		rt_str_printf(&ids, "%s%s", i ? ", " : "",
			      ways->v[i] < 0 ? "base"
					     : r->g->revs[ways->v[i]].s.id);
	if (ids.oom)
		error = rt_resolver_oom(r);
	else if (from < 0)
		error = rt_rev_error(
		    r, RT_RE_REVISION, NULL,
		    "Ambiguous walk (%s %u %s: %s; name the one to go to)",
		    "there are", ways->n, up ? "bases" : "heads",
		    rt_str_cstr(&ids));
	else
		error = rt_rev_error(
		    r, RT_RE_REVISION, NULL,
		    "Ambiguous walk (revision %s has %u %s: %s; %s one of "
		    "them by id instead)",
		    r->g->revs[from].s.id, ways->n, up ? "children" : "parents",
		    rt_str_cstr(&ids), up ? "name" : "downgrade to");
	rt_str_dispose(&ids);
	return error;
}

/* _walk: steps > 0 walks up (children), < 0 down (parents). */
int rt_walk(rt_resolver *r, int32_t start, long steps, const char *label,
	    int no_overwalk, int32_t *out)
{
	int32_t initial = start;
	/* |steps| without overflow, for LONG_MIN too */
	unsigned long i,
	    n = steps < 0 ? 0UL - (unsigned long)steps : (unsigned long)steps;
	int error;

	for (i = 0; i < n; i++) {
		rt_refs children;

		if (steps > 0) {
			rt_refs up;

			if (initial == RT_BASE)
				return rt_rev_error(r, RT_RE_REVISION, NULL,
						    "Ambiguous walk");
			rt_refs_from_list(r,
					  initial == RT_NONE
					      ? &r->g->bases
					      : &r->g->revs[initial].next,
					  &up);
			if (!up.v)
				return rt_resolver_oom(r);
			if (label && *label) {
				if ((error = rt_filter_for_lineage(
					 r, &up, label, 0, &children)) < 0)
					return error;
			} else
				children = up;
		} else {
			if (initial == RT_BASE)
				children.n = 0;
			else {
				rt_refs_from_list(
				    r,
				    initial == RT_NONE
					? &r->g->heads
					: &r->g->revs[initial].down,
				    &children);
				if (!children.v)
					return rt_resolver_oom(r);
				if (!children.n) {
					children.v[0] = RT_BASE;
					children.n = 1;
				}
			}
		}
		if (!children.n) {
			*out = no_overwalk ? RT_NONE : initial;
			return 0;
		}
		if (children.n > 1)
			return ambiguous_walk(r, initial, steps > 0, &children);
		initial = children.v[0];
	}
	*out = initial;
	return 0;
}

/* _get_all_current + _filter_into_branch_heads */
int rt_all_current(rt_resolver *r, const rt_refs *tops, rt_refs *out)
{
	rt_set set = { 0 };
	uint32_t *t = NULL, i, n, j;
	int error;

	if (rt_set_init(&set, r->g) < 0)
		return rt_resolver_oom(r);
	if ((error = rt_refs_indices(r, tops, &t, &n)) < 0)
		goto done;
	if (rt_graph_reach(r->g, t, n, RT_ANCESTORS, &set) < 0 ||
	    rt_refs_alloc(r, out, set.count) < 0) {
		error = rt_resolver_oom(r);
		goto done;
	}
	for (i = 0; i < r->g->n; i++) {
		const rt_idlist *next = &r->g->revs[i].next;
		int has_child = 0;

		if (!set.in[i])
			continue;
		for (j = 0; j < next->n && !has_child; j++)
			has_child = set.in[next->v[j]];
		if (!has_child)
			out->v[out->n++] = (int32_t)i;
	}
done:
	free(t);
	rt_set_free(&set);
	return error;
}

int rt_get_all_current(rt_resolver *r, rt_arg ids, rt_refs *out)
{
	rt_refs tops;
	int error;

	if ((error = rt_get_revisions(r, ids, &tops)) < 0)
		return error;
	return rt_all_current(r, &tops, out);
}
