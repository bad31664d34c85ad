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
#include <stdlib.h>
#include <string.h>

#include "graph/ident.h"
#include "util/str.h"

/* _relative_destination = r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)", .match() */
typedef struct relmatch {
	const char *label;  /* NULL when absent */
	const char *symbol; /* NULL when absent */
	long relative;
	const char *relative_str;
} relmatch;

static int is_word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

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
		return -1;
	m->relative = strtol(m->relative_str, NULL, 10);
	return 1;
}

static int match_relative(rt_resolver *r, const char *target, relmatch *m)
{
	const char *at;
	uint32_t idx;
	int rc;

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
		if ((rc = match_rest(r, at + 1, m)) != 0) {
			if (rc < 0)
				return rt_resolver_oom(r);
			m->label = rt_arena_strndup(&r->scratch, target,
						    (size_t)(at - target));
			return m->label ? 1 : rt_resolver_oom(r);
		}
	}
	rc = match_rest(r, target, m);
	return rc < 0 ? rt_resolver_oom(r) : rc;
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

/* _parse_downgrade_target -> (label, ref) */
int rt_parse_downgrade_target(rt_resolver *r, rt_arg current,
			      const char *target, int assert_rel,
			      const char **label_out, int32_t *out)
{
	relmatch m;
	int rc, error;

	*label_out = NULL;
	*out = RT_NONE;
	if (!target)
		return 0;
	rc = match_relative(r, target, &m);
	if (rc < 0)
		return rc;
	if (rc) {
		const char *label = m.label, *symbol = m.symbol;
		int32_t start, rev;
		int relative_revision;

		if (m.relative >= 0) {
			if (!symbol)
				return rt_rev_error(
				    r, RT_RE_REVISION, NULL,
				    "Relative revision %s didn't "
				    "produce %ld migrations",
				    m.relative_str, m.relative);
			if ((error = rt_get_revision(r, symbol, &start)) < 0 ||
			    (error = rt_walk(r, start, m.relative, label,
					     assert_rel, &rev)) < 0)
				return error;
			if (rev == RT_NONE)
				return rt_rev_error(r, RT_RE_REVISION, NULL,
						    "Walked too far");
			*label_out = label;
			*out = rev;
			return 0;
		}
		relative_revision = symbol == NULL;
		if (relative_revision) {
			if (label && *label) {
				rt_refs cur, syms;
				uint32_t i, nc = rt_arg_count(current);

				/* filter_for_lineage(to_tuple(current)):
				 * _shares_lineage looks each entry up as an
				 * id (_revision_for_ident), so a symbol such
				 * as "heads" in a history range fails here */
				if (rt_refs_alloc(r, &cur, nc) < 0)
					return RETORT_ENOMEM;
				for (i = 0; i < nc; i++) {
					int32_t x;

					if ((error = rt_revision_for_ident(
						 r, rt_arg_at(current, i), NULL,
						 &x)) < 0)
						return error;
					cur.v[cur.n++] = x;
				}
				if ((error = rt_filter_for_lineage(
					 r, &cur, label, 0, &syms)) < 0)
					return error;
				if (!syms.n) {
					/* _get_all_current resolves them
					 * with get_revisions */
					rt_refs all;

					if ((error = rt_get_revisions(
						 r, current, &cur)) < 0 ||
					    (error = rt_all_current(
						 r, &cur, &all)) < 0 ||
					    (error = rt_filter_for_lineage(
						 r, &all, label, 0, &syms)) < 0)
						return error;
				}
				if (syms.n != 1)
					return rt_rev_error(
					    r, RT_RE_REVISION, NULL,
					    "Ambiguous downgrade from "
					    "multiple current revisions "
					    "on branch '%s'",
					    label);
				symbol = rt_ref_id(r, syms.v[0]);
			} else {
				uint32_t i, nc = rt_arg_count(current);

				if (!nc)
					return rt_rev_error(
					    r, RT_RE_REVISION, NULL,
					    "Relative revision %s didn't "
					    "produce %ld migrations",
					    m.relative_str, -m.relative);
				for (i = 1; i < nc; i++)
					if (strcmp(rt_arg_at(current, i),
						   rt_arg_at(current, 0)))
						r->warning =
						    "downgrade -1 from "
						    "multiple heads is "
						    "ambiguous; this usage "
						    "will be disallowed in "
						    "a future release.";
				symbol = rt_arg_at(current, 0);
				label = symbol;
			}
		}
		if ((error = get_revision_label_symbol(r, label, symbol,
						       &start)) < 0 ||
		    (error = rt_walk(r, start, m.relative, NULL, assert_rel,
				     &rev)) < 0)
			return error;
		if (rev == RT_NONE) {
			if (relative_revision)
				return rt_rev_error(
				    r, RT_RE_REVISION, NULL,
				    "Relative revision %s didn't "
				    "produce %ld migrations",
				    m.relative_str, -m.relative);
			return rt_rev_error(r, RT_RE_REVISION, NULL,
					    "Walked too far");
		}
		*label_out = label;
		*out = rev;
		return 0;
	}
	/* absolute: rpartition('@') */
	{
		const char *at = strrchr(target, '@');

		if (at && at != target) {
			*label_out = rt_arena_strndup(&r->scratch, target,
						      (size_t)(at - target));
			if (!*label_out)
				return rt_resolver_oom(r);
		}
		return rt_get_revision(r, at ? at + 1 : target, out);
	}
}

/* _parse_upgrade_target -> refs */
int rt_parse_upgrade_target(rt_resolver *r, rt_arg current, rt_arg target,
			    int assert_rel, rt_refs *out)
{
	relmatch m;
	int rc, error;
	int32_t rev;

	if (target.is_tuple || !target.str)
		return rt_get_revisions(r, target, out);
	rc = match_relative(r, target.str, &m);
	if (rc < 0)
		return rc;
	if (!rc)
		return rt_get_revisions(r, target, out);
	if (rt_refs_alloc(r, out, 1) < 0)
		return RETORT_ENOMEM;
	if (m.relative > 0) {
		if (!m.symbol) {
			rt_refs start_revs;

			if (m.label && *m.label) {
				rt_refs cur;

				if ((error = rt_get_revisions(r, current,
							      &cur)) < 0 ||
				    (error = rt_filter_for_lineage(
					 r, &cur, m.label, 0, &start_revs)) < 0)
					return error;
				if (!start_revs.n) {
					/* the branch is not a head: start
					 * from its tips among the active
					 * revisions, or from base */
					rt_set anc = { 0 };
					rt_refs active, on_branch;
					uint32_t *t, i, nt = 0, j;

					if (rt_set_init(&anc, r->g) < 0)
						return rt_resolver_oom(r);
					t = malloc((cur.n ? cur.n : 1) *
						   sizeof(*t));
					if (!t) {
						rt_set_free(&anc);
						return rt_resolver_oom(r);
					}
					for (i = 0; i < cur.n; i++)
						if (cur.v[i] >= 0)
							t[nt++] =
							    (uint32_t)cur.v[i];
					error = rt_graph_reach(
					    r->g, t, nt, RT_ANCESTORS, &anc);
					free(t);
					if (error < 0 ||
					    rt_refs_alloc(r, &active,
							  anc.count) < 0) {
						rt_set_free(&anc);
						return rt_resolver_oom(r);
					}
					for (i = 0; i < r->g->n; i++)
						if (anc.in[i])
							active.v[active.n++] =
							    (int32_t)i;
					rt_set_free(&anc);
					if ((error = rt_filter_for_lineage(
						 r, &active, m.label, 0,
						 &on_branch)) < 0)
						return error;
					if (rt_refs_alloc(r, &start_revs,
							  on_branch.n + 1) < 0)
						return RETORT_ENOMEM;
					for (i = 0; i < on_branch.n; i++) {
						const rt_idlist *nd =
						    &r->g->revs[on_branch.v[i]]
							 .norm_down;
						int below = 0;

						(void)nd;
						for (j = 0;
						     j < on_branch.n && !below;
						     j++) {
							const rt_idlist *d =
							    &r->g->revs
								 [on_branch
								      .v[j]]
								     .norm_down;
							uint32_t k;

							for (k = 0; k < d->n;
							     k++)
								if ((int32_t)d
									->v[k] ==
								    on_branch
									.v[i])
									below =
									    1;
						}
						if (!below)
							start_revs
							    .v[start_revs.n++] =
							    on_branch.v[i];
					}
					if (!start_revs.n)
						start_revs.v[start_revs.n++] =
						    RT_NONE;
				}
			} else {
				if ((error = rt_get_revisions(r, current,
							      &start_revs)) < 0)
					return error;
				if (!start_revs.n) {
					if (rt_refs_alloc(r, &start_revs, 1) <
					    0)
						return RETORT_ENOMEM;
					start_revs.v[start_revs.n++] = RT_NONE;
				}
			}
			if (start_revs.n > 1)
				return rt_rev_error(
				    r, RT_RE_REVISION, NULL,
				    "Ambiguous upgrade from "
				    "multiple current revisions");
			if ((error = rt_walk(r, start_revs.v[0], m.relative,
					     m.label, assert_rel, &rev)) < 0)
				return error;
			if (rev == RT_NONE)
				return rt_rev_error(
				    r, RT_RE_REVISION, NULL,
				    "Relative revision %s didn't "
				    "produce %ld migrations",
				    m.relative_str, m.relative);
			out->v[out->n++] = rev;
			return 0;
		}
		{
			int32_t start;

			if ((error = rt_get_revision(r, m.symbol, &start)) <
				0 ||
			    (error = rt_walk(r, start, m.relative, m.label,
					     assert_rel, &rev)) < 0)
				return error;
		}
		if (rev == RT_NONE)
			return rt_rev_error(r, RT_RE_REVISION, NULL,
					    "Walked too far");
		out->v[out->n++] = rev;
		return 0;
	}
	if (!m.symbol)
		return rt_rev_error(r, RT_RE_REVISION, NULL,
				    "Relative revision %ld didn't produce %ld "
				    "migrations",
				    m.relative, -m.relative);
	{
		int32_t start;

		if ((error = get_revision_label_symbol(r, m.label, m.symbol,
						       &start)) < 0 ||
		    (error = rt_walk(r, start, m.relative, NULL, assert_rel,
				     &rev)) < 0)
			return error;
	}
	if (rev == RT_NONE)
		return rt_rev_error(r, RT_RE_REVISION, NULL, "Walked too far");
	if (rev != RT_BASE)
		out->v[out->n++] = rev;
	return 0;
}
