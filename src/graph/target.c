/* SPDX-License-Identifier: MIT */
/*
 * target.c: the destinations of upgrade and downgrade (see target.h),
 * after Alembic's _parse_upgrade_target and _parse_downgrade_target.
 *
 * A destination is absolute (any identifier ident.c resolves) or relative,
 * matched as Alembic's _relative_destination regex
 * r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)" with .match(): an optional label, an
 * optional symbol to walk from, and a signed number of steps. Without a
 * symbol the walk starts from the current revisions (the database's).
 * retort ids may contain '-', so an exact id or label is never read as
 * relative.
 */
#include "graph/target.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/ident.h"
#include "util/str.h"

/* _relative_destination = r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)", .match() */
typedef struct relmatch {
	const char *label;	  /* NULL when absent */
	const char *symbol;	  /* NULL when absent */
	long relative;		  /* |relative| <= LONG_MAX */
	const char *relative_str; /* the signed number as given */
} relmatch;

static int is_word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/* The symbol and the signed number: 1 when `s` starts with them, 0 when
 * not, or the error (OOM, a number too big to walk). */
static int match_rest(rt_resolver *r, const char *s, relmatch *m)
{
	size_t k = 0, d;

	while (is_word((unsigned char)s[k]))
		k++;
	/* a run of word characters ending in digits may itself be the
	 * relative part's digits only after a sign, so no backtracking is
	 * needed: the sign must follow the whole run */
	if (s[k] != '+' && s[k] != '-')
		return 0;
	d = k + 1;
	if (!isdigit((unsigned char)s[d]))
		return 0;
	while (isdigit((unsigned char)s[d]))
		d++;
	m->symbol = k ? rt_arena_strndup(&r->scratch, s, k) : NULL;
	m->relative_str = rt_arena_strndup(&r->scratch, s + k, d - k);
	if ((k && !m->symbol) || !m->relative_str)
		return rt_resolver_oom(r);
	if (rt_parse_steps(s + k, d - k, &m->relative) < 0)
		return rt_steps_error(r, m->relative_str);
	return 1;
}

static int match_relative(rt_resolver *r, const char *target, relmatch *m)
{
	const char *at;
	uint32_t idx;
	int error;

	memset(m, 0, sizeof(*m));
	/* retort ids may contain '-': an exact id or label is never
	 * relative (Alembic forbids '-' in ids, so nothing changes there) */
	if (rt_graph_lookup(r->g, target, strlen(target), &idx))
		return 0;
	for (at = strchr(target, '@'); at; at = strchr(at + 1, '@')) {
		if (at == target)
			continue;
		if (rt_graph_lookup(r->g, at + 1, strlen(at + 1), &idx))
			return 0;
		if ((error = match_rest(r, at + 1, m)) != 0) {
			if (error < 0)
				return error;
			m->label = rt_arena_strndup(&r->scratch, target,
						    (size_t)(at - target));
			return m->label ? 1 : rt_resolver_oom(r);
		}
	}
	return match_rest(r, target, m);
}

static int get_revision_label_symbol(rt_resolver *r, const char *label,
				     const char *symbol, int32_t *out)
{
	rt_str s = RT_STR_INIT;
	int error;

	if (!label)
		return rt_get_revision(r, symbol, out);
	rt_str_printf(&s, "%s@%s", label, symbol ? symbol : "");
	if (s.oom)
		return rt_resolver_oom(r);
	error = rt_get_revision(r, rt_resolver_strdup(r, s.ptr), out);
	rt_str_dispose(&s);
	return error;
}

/* "Relative revision +5 didn't produce 5 migrations" */
static int no_migrations(rt_resolver *r, const char *shown, long count)
{
	return rt_rev_error(r, RT_RE_REVISION, NULL,
			    "Relative revision %s didn't produce %ld "
			    "migrations",
			    shown, count);
}

/* Is `x` a norm_down revision of one of `l`? */
static int below_one_of(const rt_graph *g, const rt_refs *l, int32_t x)
{
	uint32_t i, k;

	for (i = 0; i < l->n; i++) {
		const rt_idlist *d = &g->revs[l->v[i]].norm_down;

		for (k = 0; k < d->n; k++)
			if ((int32_t)d->v[k] == x)
				return 1;
	}
	return 0;
}

/* The tips of a branch among the active revisions: the ancestors of `cur`
 * (dependencies included) that share lineage with `label`, less those
 * below another of them. */
static int branch_tips(rt_resolver *r, const rt_refs *cur, const char *label,
		       rt_refs *out)
{
	rt_set anc = { 0 };
	rt_refs active, on_branch;
	uint32_t *t, i, nt;
	int error;

	if (rt_set_init(&anc, r->g) < 0)
		return rt_resolver_oom(r);
	if ((error = rt_refs_indices(r, cur, &t, &nt)) < 0) {
		rt_set_free(&anc);
		return error;
	}
	error = rt_graph_reach(r->g, t, nt, RT_ANCESTORS, &anc);
	free(t);
	if (error < 0 || rt_refs_alloc(r, &active, anc.count) < 0) {
		rt_set_free(&anc);
		return rt_resolver_oom(r);
	}
	for (i = 0; i < r->g->n; i++)
		if (anc.in[i])
			active.v[active.n++] = (int32_t)i;
	rt_set_free(&anc);
	if ((error = rt_filter_for_lineage(r, &active, label, 0, &on_branch)) <
	    0)
		return error;
	if (rt_refs_alloc(r, out, on_branch.n) < 0)
		return RETORT_ENOMEM;
	for (i = 0; i < on_branch.n; i++)
		if (!below_one_of(r->g, &on_branch, on_branch.v[i]))
			out->v[out->n++] = on_branch.v[i];
	return 0;
}

/* Where an upgrade's "+N" or "label@+N" starts: the current revision (on
 * the label's branch), else the branch's tips among the active revisions
 * when it has no current one, else base (RT_NONE). */
static int upgrade_start(rt_resolver *r, rt_arg current, const char *label,
			 int32_t *start)
{
	rt_refs cur, start_revs;
	int error;

	if ((error = rt_get_revisions(r, current, &cur)) < 0)
		return error;
	start_revs = cur;
	if (label && *label) {
		if ((error = rt_filter_for_lineage(r, &cur, label, 0,
						   &start_revs)) < 0)
			return error;
		/* the branch is not a head */
		if (!start_revs.n &&
		    (error = branch_tips(r, &cur, label, &start_revs)) < 0)
			return error;
	}
	if (start_revs.n > 1)
		return rt_rev_error(r, RT_RE_REVISION, NULL,
				    "Ambiguous upgrade from multiple current "
				    "revisions");
	*start = start_revs.n ? start_revs.v[0] : RT_NONE;
	return 0;
}

/* The one current revision on branch `label`, for a downgrade's
 * "label@-N". */
static int current_on_branch(rt_resolver *r, rt_arg current, const char *label,
			     const char **symbol)
{
	rt_refs cur, syms;
	uint32_t i, nc = rt_arg_count(current);
	int error;

	/* filter_for_lineage(to_tuple(current)): _shares_lineage looks each
	 * entry up as an id (_revision_for_ident), so a symbol such as
	 * "heads" in a history range fails here */
	if (rt_refs_alloc(r, &cur, nc) < 0)
		return RETORT_ENOMEM;
	for (i = 0; i < nc; i++) {
		int32_t x;

		if ((error = rt_revision_for_ident(r, rt_arg_at(current, i),
						   NULL, &x)) < 0)
			return error;
		cur.v[cur.n++] = x;
	}
	if ((error = rt_filter_for_lineage(r, &cur, label, 0, &syms)) < 0)
		return error;
	if (!syms.n) {
		/* _get_all_current resolves them with get_revisions */
		rt_refs all;

		if ((error = rt_get_revisions(r, current, &cur)) < 0 ||
		    (error = rt_all_current(r, &cur, &all)) < 0 ||
		    (error = rt_filter_for_lineage(r, &all, label, 0, &syms)) <
			0)
			return error;
	}
	if (syms.n != 1)
		return rt_rev_error(r, RT_RE_REVISION, NULL,
				    "Ambiguous downgrade from multiple current "
				    "revisions on branch '%s'",
				    label);
	*symbol = rt_ref_id(r, syms.v[0]);
	return 0;
}

/* Where a downgrade's "-N" or "label@-N" starts: a symbol and the label to
 * resolve it with. Without a label it is the first current revision, which
 * then also serves as the label (Alembic narrows the walk to its branch
 * that way). */
static int downgrade_start(rt_resolver *r, rt_arg current, const relmatch *m,
			   const char **label, int32_t *start)
{
	const char *symbol = NULL;
	uint32_t i, nc = rt_arg_count(current);
	int error;

	if (*label && **label) {
		if ((error = current_on_branch(r, current, *label, &symbol)) <
		    0)
			return error;
	} else {
		if (!nc)
			return no_migrations(r, m->relative_str, -m->relative);
		for (i = 1; i < nc; i++)
			if (strcmp(rt_arg_at(current, i),
				   rt_arg_at(current, 0)))
				r->warning = "downgrade -1 from multiple heads "
					     "is ambiguous; this usage will be "
					     "disallowed in a future release.";
		symbol = rt_arg_at(current, 0);
		*label = symbol;
	}
	return get_revision_label_symbol(r, *label, symbol, start);
}

/*
 * The relative half of _parse_upgrade_target and _parse_downgrade_target:
 * the revision a match walks to, and the label it names. Going up, the
 * walk starts from the symbol and keeps to the label's branch; going down,
 * it starts from "label@symbol". Without a symbol it starts from the
 * current revisions, which an upgrade does only going up and a downgrade
 * only going down. The two differ on "sym+0", which counts as up for a
 * downgrade only (it matters for how the symbol is resolved).
 */
static int relative_target(rt_resolver *r, rt_arg current, const relmatch *m,
			   int upgrade, int assert_rel, const char **label_out,
			   int32_t *out)
{
	int up = upgrade ? m->relative > 0 : m->relative >= 0;
	const char *label = m->label;
	int32_t start, rev;
	int error;

	if (m->symbol && up)
		error = rt_get_revision(r, m->symbol, &start);
	else if (m->symbol)
		error = get_revision_label_symbol(r, label, m->symbol, &start);
	else if (up != upgrade && upgrade) {
		char shown[24];

		snprintf(shown, sizeof(shown), "%ld", m->relative);
		return no_migrations(r, shown, -m->relative);
	} else if (up != upgrade)
		return no_migrations(r, m->relative_str, m->relative);
	else if (upgrade)
		error = upgrade_start(r, current, label, &start);
	else
		error = downgrade_start(r, current, m, &label, &start);
	if (error < 0 ||
	    (error = rt_walk(r, start, m->relative, up ? label : NULL,
			     assert_rel, &rev)) < 0)
		return error;
	if (rev == RT_NONE) {
		if (m->symbol)
			return rt_rev_error(r, RT_RE_REVISION, NULL,
					    "Walked too far");
		return no_migrations(r, m->relative_str,
				     up ? m->relative : -m->relative);
	}
	*label_out = label;
	*out = rev;
	return 0;
}

/* _parse_downgrade_target -> (label, ref) */
int rt_parse_downgrade_target(rt_resolver *r, rt_arg current,
			      const char *target, int assert_rel,
			      const char **label_out, int32_t *out)
{
	const char *at;
	relmatch m;
	int error;

	*label_out = NULL;
	*out = RT_NONE;
	if (!target)
		return 0;
	if ((error = match_relative(r, target, &m)) != 0)
		return error < 0 ? error
				 : relative_target(r, current, &m, 0,
						   assert_rel, label_out, out);
	/* absolute: rpartition('@') */
	at = strrchr(target, '@');
	if (at && at != target) {
		*label_out = rt_arena_strndup(&r->scratch, target,
					      (size_t)(at - target));
		if (!*label_out)
			return rt_resolver_oom(r);
	}
	return rt_get_revision(r, at ? at + 1 : target, out);
}

/* _parse_upgrade_target -> refs (a walk down to "base" gives none) */
int rt_parse_upgrade_target(rt_resolver *r, rt_arg current, rt_arg target,
			    int assert_rel, rt_refs *out)
{
	const char *label;
	int32_t rev;
	relmatch m;
	int error;

	if (target.is_tuple || !target.str)
		return rt_get_revisions(r, target, out);
	if ((error = match_relative(r, target.str, &m)) <= 0)
		return error < 0 ? error : rt_get_revisions(r, target, out);
	if (rt_refs_alloc(r, out, 1) < 0)
		return RETORT_ENOMEM;
	if ((error = relative_target(r, current, &m, 1, assert_rel, &label,
				     &rev)) < 0)
		return error;
	if (rev != RT_BASE)
		out->v[out->n++] = rev;
	return 0;
}
