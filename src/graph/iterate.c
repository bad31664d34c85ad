/* SPDX-License-Identifier: MIT */
/*
 * iterate.c: iterate_revisions (see iterate.h), after Alembic's
 * _collect_upgrade_revisions and _collect_downgrade_revisions: which
 * revisions lie between the bounds, and the heads to sort them from;
 * toposort.c puts them in order.
 *
 * The bounds go through target.c (relative destinations) and ident.c;
 * the overlap checks (check=True) and RangeNotAncestorError are Alembic's,
 * with its texts.
 */
#include "graph/iterate.h"

#include <stdlib.h>
#include <string.h>

#include "graph/ident.h"
#include "graph/target.h"
#include "graph/toposort.h"
#include "util/str.h"

static const char *arg_text(rt_resolver *r, rt_arg a)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	uint32_t i;

	if (!a.is_tuple)
		return a.str;
	if (!a.n)
		return NULL;
	if (a.n == 1)
		return a.v[0];
	rt_str_putc(&s, '(');
	for (i = 0; i < a.n; i++)
		rt_str_printf(&s, "%s'%s'", i ? ", " : "", a.v[i]);
	rt_str_putc(&s, ')');
	out = rt_resolver_strdup(r, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return out;
}

/* The argument as Python's "%s" prints it: a string as is, a tuple as its
 * repr ("('a',)", "('a', 'b')"); NULL for what is falsy (None, "", ()). */
static const char *arg_repr(rt_resolver *r, rt_arg a)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	uint32_t i;

	if (!a.is_tuple)
		return a.str && *a.str ? a.str : NULL;
	if (!a.n)
		return NULL;
	rt_str_putc(&s, '(');
	for (i = 0; i < a.n; i++)
		rt_str_printf(&s, "%s'%s'", i ? ", " : "", a.v[i]);
	rt_str_puts(&s, a.n == 1 ? ",)" : ")");
	out = rt_resolver_strdup(r, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return out;
}

/* RangeNotAncestorError(lower, upper): "lower or 'base'" */
static int range_error(rt_resolver *r, const char *lower, const char *upper)
{
	return rt_rev_error(r, RT_RE_RANGE, NULL,
			    "Revision %s is not an ancestor of revision %s",
			    lower ? lower : "base", upper ? upper : "base");
}

/* Descendants with Alembic's check=True overlap detection. */
static int descendants_checked(rt_resolver *r, const uint32_t *targets,
			       uint32_t n, rt_set *set)
{
	rt_refvec stack = RT_VEC_INIT;
	uint8_t *is_target = calloc(r->g->n ? r->g->n : 1, 1);
	uint32_t t, k;
	int error = 0;

	if (!is_target)
		return rt_resolver_oom(r);
	for (t = 0; t < n; t++)
		is_target[targets[t]] = 1;
	for (t = 0; t < n && !error; t++) {
		rt_str overlaps = RT_STR_INIT;

		stack.n = 0;
		if (RT_VEC_PUSH(&stack, (int32_t)targets[t]) < 0)
			goto oom;
		while (stack.n) {
			uint32_t x = (uint32_t)stack.v[--stack.n];
			const rt_idlist *e = &r->g->revs[x].next;

			if (is_target[x] && x != targets[t])
				rt_str_printf(&overlaps, "%s%s",
					      overlaps.len ? ", " : "",
					      r->g->revs[x].s.id);
			if (set->in[x])
				continue;
			rt_set_add(set, x);
			for (k = 0; k < e->n; k++)
				if (RT_VEC_PUSH(&stack, (int32_t)e->v[k]) < 0)
					goto oom;
		}
		if (overlaps.len)
			error = rt_rev_error(
			    r, RT_RE_REVISION, NULL,
			    "Requested revision %s overlaps "
			    "with other requested revisions %s",
			    r->g->revs[targets[t]].s.id, overlaps.ptr);
		rt_str_dispose(&overlaps);
	}
	RT_VEC_FREE(&stack);
	free(is_target);
	return error;
oom:
	RT_VEC_FREE(&stack);
	free(is_target);
	return rt_resolver_oom(r);
}

static int ancestors_checked(rt_resolver *r, const rt_refs *refs, rt_set *set)
{
	uint32_t *t, n;
	int error;

	if ((error = rt_refs_indices(r, refs, &t, &n)) < 0)
		return error;
	error = rt_graph_ancestors_checked(r->g, t, n, set, r->err);
	if (error == RETORT_EGRAPH) {
		r->kind = RT_RE_REVISION;
	}
	free(t);
	return error;
}

/* A lower bound "branch@...": keep only the targets on that branch (a
 * revision standing for the branch must carry exactly one label). */
static int targets_on_named_base(rt_resolver *r, const char *lower,
				 rt_refs *targets)
{
	const char *branch = rt_arena_strndup(
	    &r->scratch, lower, (size_t)(strchr(lower, '@') - lower));
	int32_t branch_rev;
	uint32_t i, lab, w = 0;
	int error;

	if (!branch)
		return rt_resolver_oom(r);
	if ((error = rt_get_revision(r, branch, &branch_rev)) < 0)
		return error;
	if (branch_rev >= 0 && !strcmp(rt_ref_id(r, branch_rev), branch)) {
		const rt_idlist *labs = &r->g->revs[branch_rev].labels;

		if (labs->n != 1)
			return rt_rev_error(r, RT_RE_REVISION, NULL,
					    "Revision %s is not on exactly "
					    "one branch",
					    branch);
		branch = r->g->labels[labs->v[0]].name;
	}
	if (rt_map_get(&r->g->label_ids, branch, strlen(branch), &lab)) {
		for (i = 0; i < targets->n; i++)
			if (targets->v[i] >= 0 &&
			    rt_graph_has_label(r->g, (uint32_t)targets->v[i],
					       lab))
				targets->v[w++] = targets->v[i];
	}
	targets->n = w; /* no such label: no targets */
	return 0;
}

/* Without implicit_base every current revision must be required. "base"
 * from a walk (history -r -1:x) is not None and not a required revision
 * either. */
static int check_current_required(rt_resolver *r, rt_arg upper, rt_arg lower,
				  const rt_refs *current,
				  const rt_set *required)
{
	uint32_t i;

	for (i = 0; i < current->n; i++)
		if (current->v[i] == RT_BASE ||
		    (current->v[i] >= 0 && !required->in[current->v[i]]))
			return range_error(r, arg_repr(r, lower),
					   arg_repr(r, upper));
	return 0;
}

/* A lower bound that resolved to None is read again as a downgrade
 * target (a relative one walks from upper); *lower and *current become
 * what it names. */
static int reparse_lower(rt_resolver *r, rt_arg upper, rt_arg *lower,
			 int assert_rel, rt_refs *current)
{
	const char *label, **one;
	int32_t rev;
	int error;

	if ((error = rt_parse_downgrade_target(r, upper, arg_text(r, *lower),
					       assert_rel, &label, &rev)) < 0)
		return error;
	if (rev == RT_BASE || rev == RT_NONE) {
		current->n = 0;
		*lower = rt_arg_tuple(NULL, 0);
		return 0;
	}
	current->v[0] = rev;
	current->n = 1;
	one = rt_arena_alloc(&r->scratch, sizeof(*one));
	if (!one)
		return rt_resolver_oom(r);
	one[0] = rt_ref_id(r, rev);
	*lower = rt_arg_tuple(one, 1);
	return 0;
}

/* Narrow `needs` to descendants of the current revisions (with the
 * overlap check). */
static int keep_descendants(rt_resolver *r, const rt_refs *current,
			    rt_set *needs)
{
	rt_set desc = { 0 };
	uint32_t *t, n, i;
	int error;

	if ((error = rt_refs_indices(r, current, &t, &n)) < 0)
		return error;
	if (rt_set_init(&desc, r->g) < 0) {
		free(t);
		return rt_resolver_oom(r);
	}
	error = descendants_checked(r, t, n, &desc);
	free(t);
	if (!error)
		for (i = 0; i < r->g->n; i++)
			if (needs->in[i] && !desc.in[i]) {
				needs->in[i] = 0;
				needs->count--;
			}
	rt_set_free(&desc);
	return error;
}

/* _collect_upgrade_revisions: needs (set) and targets (refs). needs is
 * the targets and their ancestors less the current revisions and theirs
 * (plus the current ones when inclusive). */
static int collect_upgrade(rt_resolver *r, rt_arg upper, rt_arg lower,
			   int inclusive, int implicit_base, int assert_rel,
			   rt_set *needs, rt_refs *targets)
{
	rt_refs current, tmp;
	rt_set required = { 0 }, current_set = { 0 };
	uint32_t i;
	int error;

	if ((error = rt_parse_upgrade_target(r, lower, upper, assert_rel,
					     targets)) < 0)
		return error;
	if (!lower.is_tuple && lower.str && strchr(lower.str, '@') &&
	    (error = targets_on_named_base(r, lower.str, targets)) < 0)
		return error;
	if (rt_set_init(&required, r->g) < 0 ||
	    rt_set_init(&current_set, r->g) < 0) {
		error = rt_resolver_oom(r);
		goto done;
	}
	if ((error = ancestors_checked(r, targets, &required)) < 0 ||
	    (error = rt_get_revisions(r, lower, &current)) < 0)
		goto done;
	if (!implicit_base && (error = check_current_required(
				   r, upper, lower, &current, &required)) < 0)
		goto done;
	if (current.n && current.v[0] == RT_NONE &&
	    (error = reparse_lower(r, upper, &lower, assert_rel, &current)) < 0)
		goto done;
	if ((error = ancestors_checked(r, &current, &current_set)) < 0)
		goto done;
	for (i = 0; i < r->g->n; i++)
		if (required.in[i] && !current_set.in[i])
			rt_set_add(needs, i);
	if (inclusive) {
		if ((error = rt_get_revisions(r, lower, &tmp)) < 0)
			goto done;
		for (i = 0; i < tmp.n; i++)
			if (tmp.v[i] >= 0)
				rt_set_add(needs, (uint32_t)tmp.v[i]);
	}
	if (current.n && !implicit_base)
		error = keep_descendants(r, &current, needs);
done:
	rt_set_free(&required);
	rt_set_free(&current_set);
	return error;
}

/* Where a downgrade cuts: the bases for base, the target itself when
 * inclusive, else its children. */
static int downgrade_roots(rt_resolver *r, int32_t target_rev, int inclusive,
			   rt_refvec *roots)
{
	uint32_t i;

	if (target_rev == RT_NONE) {
		for (i = 0; i < r->g->n; i++)
			if (!r->g->revs[i].s.ndown &&
			    RT_VEC_PUSH(roots, (int32_t)i) < 0)
				return rt_resolver_oom(r);
	} else if (inclusive) {
		if (RT_VEC_PUSH(roots, target_rev) < 0)
			return rt_resolver_oom(r);
	} else {
		const rt_idlist *next = &r->g->revs[target_rev].next;

		for (i = 0; i < next->n; i++)
			if (RT_VEC_PUSH(roots, (int32_t)next->v[i]) < 0)
				return rt_resolver_oom(r);
	}
	return 0;
}

/* With a label and several roots, keep the roots that are versioned
 * ancestors of the label's revision. */
static int roots_on_branch(rt_resolver *r, const char *label, rt_refvec *roots)
{
	int32_t branch_rev;
	rt_set anc = { 0 };
	size_t w = 0, k;
	int error;

	if ((error = rt_resolve_branch(r, label, &branch_rev)) < 0)
		return error;
	if (rt_set_init(&anc, r->g) < 0)
		return rt_resolver_oom(r);
	if (branch_rev >= 0) {
		uint32_t b = (uint32_t)branch_rev;

		if (rt_graph_reach(r->g, &b, 1, RT_ANCESTORS_VERSIONED, &anc) <
		    0) {
			rt_set_free(&anc);
			return rt_resolver_oom(r);
		}
	}
	for (k = 0; k < roots->n; k++)
		if (anc.in[roots->v[k]])
			roots->v[w++] = roots->v[k];
	roots->n = w;
	rt_set_free(&anc);
	if (!roots->n)
		return rt_rev_error(r, RT_RE_REVISION, NULL,
				    "Not a valid downgrade target from "
				    "current heads");
	return 0;
}

/* What to drop: the descendants of the roots that are active (ancestors
 * of the heads); with implicit_base also every active revision that is
 * not an ancestor of a root, which winds the other branches back to base
 * (the command line never asks for this; the API can). */
static int downgrade_drop(rt_resolver *r, const rt_refvec *roots,
			  const rt_refs *heads, int implicit_base, rt_set *drop)
{
	rt_set desc = { 0 }, active = { 0 };
	uint32_t *t = NULL, nt, i;
	int error = 0;

	if (rt_set_init(&desc, r->g) < 0 || rt_set_init(&active, r->g) < 0 ||
	    rt_graph_reach(r->g, (const uint32_t *)roots->v, (uint32_t)roots->n,
			   RT_DESCENDANTS, &desc) < 0)
		goto oom;
	if ((error = rt_refs_indices(r, heads, &t, &nt)) < 0)
		goto done;
	if (rt_graph_reach(r->g, t, nt, RT_ANCESTORS, &active) < 0)
		goto oom;
	for (i = 0; i < r->g->n; i++)
		if (desc.in[i] && active.in[i])
			rt_set_add(drop, i);
	if (implicit_base) {
		rt_set_free(&desc);
		if (rt_set_init(&desc, r->g) < 0 ||
		    rt_graph_reach(r->g, (const uint32_t *)roots->v,
				   (uint32_t)roots->n, RT_ANCESTORS, &desc) < 0)
			goto oom;
		for (i = 0; i < r->g->n; i++)
			if (active.in[i] && !desc.in[i])
				rt_set_add(drop, i);
	}
	goto done;
oom:
	error = rt_resolver_oom(r);
done:
	free(t);
	rt_set_free(&desc);
	rt_set_free(&active);
	return error;
}

/* _collect_downgrade_revisions: to drop (set) and heads (refs). */
static int collect_downgrade(rt_resolver *r, rt_arg upper, rt_arg target,
			     int inclusive, int implicit_base, int assert_rel,
			     rt_set *drop, rt_refs *heads)
{
	const char *label;
	int32_t target_rev;
	rt_refvec roots = RT_VEC_INIT;
	int error;

	if ((error = rt_parse_downgrade_target(r, upper, arg_text(r, target),
					       assert_rel, &label,
					       &target_rev)) < 0)
		return error;
	if (target_rev == RT_BASE)
		target_rev = RT_NONE;
	if ((error = downgrade_roots(r, target_rev, inclusive, &roots)) < 0 ||
	    (label && *label && roots.n > 1 &&
	     (error = roots_on_branch(r, label, &roots)) < 0) ||
	    (error = rt_get_revisions(r, upper, heads)) < 0 ||
	    (error = downgrade_drop(r, &roots, heads, implicit_base, drop)) < 0)
		goto done;
	if (target_rev != RT_NONE && !drop->count &&
	    !rt_refs_has(heads, target_rev))
		error = range_error(r, "Nothing to drop", arg_repr(r, upper));
done:
	RT_VEC_FREE(&roots);
	return error;
}

int rt_iterate_revisions(rt_resolver *r, rt_arg upper, rt_arg lower,
			 int implicit_base, int inclusive,
			 int assert_relative_length, int select_for_downgrade,
			 rt_refs *out)
{
	rt_set set = { 0 };
	rt_refs heads;
	int error;

	if (rt_set_init(&set, r->g) < 0)
		return rt_resolver_oom(r);
	if (select_for_downgrade)
		error =
		    collect_downgrade(r, upper, lower, inclusive, implicit_base,
				      assert_relative_length, &set, &heads);
	else
		error =
		    collect_upgrade(r, upper, lower, inclusive, implicit_base,
				    assert_relative_length, &set, &heads);
	if (!error)
		error = rt_topological_sort(r, &set, &heads, out);
	rt_set_free(&set);
	return error;
}
