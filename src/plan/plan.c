/* SPDX-License-Identifier: MIT */
/*
 * plan.c: turning a target into steps and version-table changes (see
 * plan.h), after ScriptDirectory._upgrade_revs/_downgrade_revs/_stamp_revs
 * and HeadMaintainer.update_to_step in Alembic.
 *
 * One deliberate difference: at a merge (and when undoing one) Alembic
 * picks which rows to DELETE and which to UPDATE in Python set order and
 * may name a row that is not there; retort keeps the order of the
 * revision's down revisions and only touches rows that exist. The rows
 * after every step are the same.
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

#include "graph/ident.h"
#include "graph/iterate.h"
#include "util/str.h"

typedef RT_VEC(const char *) strvec;

typedef struct planner {
	rt_graph *g;
	rt_resolver res;
	retort_plan *plan;
	strvec heads; /* current version rows (pointers to graph ids) */
	rt_err *err;
} planner;

static int heads_has(const strvec *h, const char *id)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->v[i], id))
			return 1;
	return 0;
}

static void heads_remove(strvec *h, const char *id)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!strcmp(h->v[i], id)) {
			memmove(&h->v[i], &h->v[i + 1],
				(h->n - i - 1) * sizeof(*h->v));
			h->n--;
			return;
		}
}

/* The revision of a version row, or -1 when the row names no revision. */
static int32_t head_rev(planner *p, const char *id)
{
	uint32_t idx;

	return rt_map_get(&p->g->ids, id, strlen(id), &idx) ? (int32_t)idx : -1;
}

static const char **copy_ids(planner *p, const char *const *ids, size_t n)
{
	const char **v =
	    rt_arena_alloc(&p->plan->arena, (n ? n : 1) * sizeof(*v));

	if (v && n)
		memcpy(v, ids, n * sizeof(*v));
	return v;
}

static retort_step *add_step(planner *p, retort_step_kind kind,
			     const retort_revision *rev,
			     const char *const *from, size_t nfrom,
			     const char *const *to, size_t nto)
{
	retort_step s;
	uint8_t *e;

	memset(&s, 0, sizeof(s));
	s.kind = kind;
	s.revision = rev;
	s.from = copy_ids(p, from, nfrom);
	s.nfrom = nfrom;
	s.to = copy_ids(p, to, nto);
	s.nto = nto;
	if (!s.from || !s.to || RT_VEC_PUSH(&p->plan->steps, s) < 0)
		return NULL;
	e = realloc(p->plan->empty_before, p->plan->steps.n);
	if (!e)
		return NULL;
	p->plan->empty_before = e;
	e[p->plan->steps.n - 1] = p->heads.n == 0;
	return &p->plan->steps.v[p->plan->steps.n - 1];
}

/* Append a version op to a step and apply it to the rows. */
static int op(planner *p, retort_step *s, retort_version_op_kind kind,
	      const char *from, const char *to)
{
	retort_version_op *ops;

	switch (kind) {
	case RETORT_VERSION_INSERT:
		if (heads_has(&p->heads, to))
			return rt_err_set(p->err, RETORT_ERROR,
					  "version table already has a row "
					  "for '%s'",
					  to);
		if (RT_VEC_PUSH(&p->heads, to) < 0)
			return rt_err_oom(p->err);
		break;
	case RETORT_VERSION_DELETE:
		if (!heads_has(&p->heads, from))
			return rt_err_set(p->err, RETORT_ERROR,
					  "version table has no row for '%s' "
					  "to delete",
					  from);
		heads_remove(&p->heads, from);
		break;
	case RETORT_VERSION_UPDATE:
		if (!heads_has(&p->heads, from))
			return rt_err_set(p->err, RETORT_ERROR,
					  "version table has no row for '%s' "
					  "to update to '%s'",
					  from, to);
		if (heads_has(&p->heads, to))
			return rt_err_set(p->err, RETORT_ERROR,
					  "version table already has a row "
					  "for '%s'",
					  to);
		heads_remove(&p->heads, from);
		if (RT_VEC_PUSH(&p->heads, to) < 0)
			return rt_err_oom(p->err);
		break;
	}
	ops = rt_arena_alloc(&p->plan->arena, (s->nops + 1) * sizeof(*ops));
	if (!ops)
		return rt_err_oom(p->err);
	if (s->nops)
		memcpy(ops, s->ops, s->nops * sizeof(*ops));
	ops[s->nops].kind = kind;
	ops[s->nops].from = from;
	ops[s->nops].to = to;
	s->ops = ops;
	s->nops++;
	return 0;
}

/* Ancestors (norm_down, inclusive) of every row except those in
 * `except`; marks them in `set`. */
static int ancestors_of_other_heads(planner *p, const char *const *except,
				    size_t nexcept, rt_set *set, int *any)
{
	uint32_t *t = malloc((p->heads.n ? p->heads.n : 1) * sizeof(*t));
	uint32_t nt = 0;
	size_t i, j;
	int error;

	*any = 0;
	if (!t || rt_set_init(set, p->g) < 0) {
		free(t);
		return rt_err_oom(p->err);
	}
	for (i = 0; i < p->heads.n; i++) {
		int skip = 0;
		int32_t x;

		for (j = 0; j < nexcept; j++)
			if (!strcmp(p->heads.v[i], except[j]))
				skip = 1;
		if (skip)
			continue;
		*any = 1;
		x = head_rev(p, p->heads.v[i]);
		if (x >= 0)
			t[nt++] = (uint32_t)x;
	}
	error = rt_graph_reach(p->g, t, nt, RT_ANCESTORS, set);
	free(t);
	return error < 0 ? rt_err_oom(p->err) : 0;
}

/* HeadMaintainer.update_to_step for a RevisionStep. */
/* Alembic's _unmerge_to_revisions then should_delete_branch /
 * should_unmerge_branches, for a downgrade from a head. Returns 1 when
 * neither applies (the step is a plain update). */
static int unmerge(planner *p, retort_step *s, const retort_revision *R,
		   const char **ndid)
{
	const rt_idlist *nd = &R->norm_down;
	const char *self = R->s.id;
	const char **to =
	    rt_arena_alloc(&p->plan->arena, (nd->n ? nd->n : 1) * sizeof(*to));
	rt_set anc = { 0 };
	size_t i, nto = 0;
	int any, error;

	if (!to)
		return rt_err_oom(p->err);
	if ((error = ancestors_of_other_heads(p, &self, 1, &anc, &any)) < 0) {
		rt_set_free(&anc);
		return error;
	}
	for (i = 0; i < nd->n; i++)
		if (!any || !anc.in[nd->v[i]])
			to[nto++] = ndid[i];
	rt_set_free(&anc);
	if (!nd->n || !nto) /* should_delete_branch */
		return op(p, s, RETORT_VERSION_DELETE, self, NULL);
	if (nd->n <= 1)
		return 1;
	/* should_unmerge_branches */
	for (i = 0; i + 1 < nto; i++)
		if ((error = op(p, s, RETORT_VERSION_INSERT, NULL, to[i])) < 0)
			return error;
	return op(p, s, RETORT_VERSION_UPDATE, self, to[nto - 1]);
}

/* should_merge_branches: merge_branch_idents, for an upgrade to a merge
 * point whose parents are heads. */
static int merge(planner *p, retort_step *s, const retort_revision *R,
		 const char **ndid)
{
	const rt_idlist *nd = &R->norm_down;
	const char **from =
	    rt_arena_alloc(&p->plan->arena, nd->n * sizeof(*from));
	rt_set anc = { 0 };
	size_t i, nfrom = 0;
	int any, error;

	if (!from)
		return rt_err_oom(p->err);
	if ((error = ancestors_of_other_heads(p, ndid, nd->n, &anc, &any)) <
	    0) {
		rt_set_free(&anc);
		return error;
	}
	for (i = 0; i < nd->n; i++)
		if ((!any || !anc.in[nd->v[i]]) &&
		    heads_has(&p->heads, ndid[i]))
			from[nfrom++] = ndid[i];
	rt_set_free(&anc);
	for (i = 0; i + 1 < nfrom; i++)
		if ((error = op(p, s, RETORT_VERSION_DELETE, from[i], NULL)) <
		    0)
			return error;
	return op(p, s, RETORT_VERSION_UPDATE, from[nfrom - 1], R->s.id);
}

/* update_version_num: the one parent that is a version row. */
static int update_row(planner *p, retort_step *s, const retort_revision *R,
		      const char **ndid, int upgrade)
{
	const rt_idlist *nd = &R->norm_down;
	const char *down = nd->n == 1 ? ndid[0] : NULL;
	size_t i, found = 0;

	if (nd->n != 1) {
		for (i = 0; i < nd->n; i++)
			if (heads_has(&p->heads, ndid[i])) {
				down = ndid[i];
				found++;
			}
		if (found != 1)
			return rt_err_set(p->err, RETORT_ERROR,
					  "Can't do an UPDATE because "
					  "downrevision is ambiguous (%s)",
					  R->s.id);
	}
	if (upgrade)
		return op(p, s, RETORT_VERSION_UPDATE, down, R->s.id);
	return op(p, s, RETORT_VERSION_UPDATE, R->s.id, down);
}

static int revision_step(planner *p, uint32_t ri, int upgrade)
{
	retort_revision *R = &p->g->revs[ri];
	const rt_idlist *nd = &R->norm_down;
	const char **ndid = NULL;
	const char *self = R->s.id;
	retort_step *s;
	size_t i, in_heads = 0;
	int error;

	ndid = rt_arena_alloc(&p->plan->arena,
			      (nd->n ? nd->n : 1) * sizeof(*ndid));
	if (!ndid)
		return rt_err_oom(p->err);
	for (i = 0; i < nd->n; i++) {
		ndid[i] = p->g->revs[nd->v[i]].s.id;
		in_heads += heads_has(&p->heads, ndid[i]);
	}
	if (upgrade)
		s = add_step(p, RETORT_STEP_UPGRADE, R, R->s.down, R->s.ndown,
			     &self, 1);
	else
		s = add_step(p, RETORT_STEP_DOWNGRADE, R, &self, 1, R->s.down,
			     R->s.ndown);
	if (!s)
		return rt_err_oom(p->err);
	if (!upgrade && heads_has(&p->heads, self) &&
	    (error = unmerge(p, s, R, ndid)) <= 0)
		return error;
	if (upgrade && (!nd->n || !in_heads)) /* should_create_branch */
		return op(p, s, RETORT_VERSION_INSERT, NULL, self);
	if (upgrade && nd->n > 1 && in_heads > 1)
		return merge(p, s, R, ndid);
	return update_row(p, s, R, ndid, upgrade);
}

/* HeadMaintainer.update_to_step for a StampStep. */
static int stamp_step(planner *p, const char *const *from, size_t nfrom,
		      const char *const *to, size_t nto, int is_upgrade,
		      int branch_move)
{
	retort_step *s =
	    add_step(p, RETORT_STEP_STAMP, NULL, from, nfrom, to, nto);
	size_t i;
	int error;

	if (!s)
		return rt_err_oom(p->err);
	if (!is_upgrade && branch_move) /* should_delete_branch */
		return op(p, s, RETORT_VERSION_DELETE, from[0], NULL);
	if (is_upgrade) { /* should_create_branch */
		int from_missing = 0, to_missing = 0;

		for (i = 0; i < nfrom; i++)
			from_missing |= !heads_has(&p->heads, from[i]);
		for (i = 0; i < nto; i++)
			to_missing |= !heads_has(&p->heads, to[i]);
		if ((branch_move || from_missing) && to_missing)
			return op(p, s, RETORT_VERSION_INSERT, NULL, to[0]);
	}
	if (nfrom > 1) { /* should_merge_branches */
		for (i = 0; i + 1 < nfrom; i++)
			if ((error = op(p, s, RETORT_VERSION_DELETE, from[i],
					NULL)) < 0)
				return error;
		return op(p, s, RETORT_VERSION_UPDATE, from[nfrom - 1], to[0]);
	}
	if (nto > 1) { /* should_unmerge_branches */
		for (i = 0; i + 1 < nto; i++)
			if ((error = op(p, s, RETORT_VERSION_INSERT, NULL,
					to[i])) < 0)
				return error;
		return op(p, s, RETORT_VERSION_UPDATE, from[0], to[nto - 1]);
	}
	if (!nfrom || !nto) {
		/* Alembic asserts here: e.g. the same target named twice,
		 * which is already in the version table by now */
		return rt_err_set(p->err, RETORT_EUSAGE,
				  "cannot stamp %s: it is already in the "
				  "version table (a target given twice?)",
				  nto	  ? to[0]
				  : nfrom ? from[0]
					  : "base");
	}
	return op(p, s, RETORT_VERSION_UPDATE, from[0], to[0]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int planner_start(planner *p, rt_graph *g, const char *const *heads,
			 size_t nheads, rt_err *err)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->g = g;
	p->err = err;
	rt_resolver_init(&p->res, g, err);
	p->plan = calloc(1, sizeof(*p->plan));
	if (!p->plan)
		return rt_err_oom(err);
	p->plan->start = rt_arena_alloc(&p->plan->arena,
					(nheads ? nheads : 1) * sizeof(char *));
	if (!p->plan->start)
		return rt_err_oom(err);
	for (i = 0; i < nheads; i++) {
		const char *h = rt_arena_strdup(&p->plan->arena, heads[i]);

		if (!h)
			return rt_err_oom(err);
		p->plan->start[p->plan->nstart++] = h;
		if (!heads_has(&p->heads, h) && RT_VEC_PUSH(&p->heads, h) < 0)
			return rt_err_oom(err);
	}
	return 0;
}

static int planner_finish(planner *p, int error, retort_plan **out)
{
	if (!error) {
		p->plan->final = copy_ids(p, p->heads.v, p->heads.n);
		if (!p->plan->final)
			error = rt_err_oom(p->err);
		else {
			p->plan->nfinal = p->heads.n;
			qsort(p->plan->final, p->plan->nfinal,
			      sizeof(*p->plan->final), cmp_str);
		}
	}
	if (!error && p->res.warning)
		p->plan->warning =
		    rt_arena_strdup(&p->plan->arena, p->res.warning);
	RT_VEC_FREE(&p->heads);
	rt_resolver_dispose(&p->res);
	if (error) {
		rt_plan_free(p->plan);
		*out = NULL;
		return error;
	}
	*out = p->plan;
	return 0;
}

int rt_plan_upgrade(retort_plan **out, rt_graph *g, const char *destination,
		    const char *const *heads, size_t nheads, rt_err *err)
{
	rt_catch c = { "Destination %(end)s is not a valid upgrade target from "
		       "current head(s)",
		       NULL, NULL, destination, NULL };
	planner p;
	rt_refs revs;
	int error;
	uint32_t i;

	if ((error = planner_start(&p, g, heads, nheads, err)) < 0)
		return planner_finish(&p, error, out);
	error = rt_iterate_revisions(
	    &p.res, rt_arg_str(destination),
	    rt_arg_tuple(p.plan->start, (uint32_t)p.plan->nstart), 1, 0, 1, 0,
	    &revs);
	if (error < 0) {
		error = rt_resolver_catch(&p.res, &c);
		return planner_finish(&p, error, out);
	}
	for (i = revs.n; i-- > 0 && !error;)
		error = revision_step(&p, (uint32_t)revs.v[i], 1);
	return planner_finish(&p, error, out);
}

int rt_plan_downgrade(retort_plan **out, rt_graph *g, const char *destination,
		      const char *const *heads, size_t nheads, rt_err *err)
{
	rt_catch c = { "Destination %(end)s is not a valid downgrade target "
		       "from current head(s)",
		       NULL, NULL, destination, NULL };
	planner p;
	rt_refs revs;
	int error;
	uint32_t i;

	if ((error = planner_start(&p, g, heads, nheads, err)) < 0)
		return planner_finish(&p, error, out);
	error = rt_iterate_revisions(
	    &p.res, rt_arg_tuple(p.plan->start, (uint32_t)p.plan->nstart),
	    rt_arg_str(destination), 0, 0, 1, 1, &revs);
	if (error < 0) {
		error = rt_resolver_catch(&p.res, &c);
		return planner_finish(&p, error, out);
	}
	for (i = 0; i < revs.n && !error; i++)
		error = revision_step(&p, (uint32_t)revs.v[i], 0);
	return planner_finish(&p, error, out);
}

typedef RT_VEC(int32_t) revvec;

/* The current heads on the targets' lineages, each once (Alembic's
 * filter_for_lineage over the heads, per target). */
static int stamp_filter(planner *p, const rt_refs *heads_revs,
			const char *const *targets, size_t ntargets,
			revvec *out)
{
	size_t i, j, k;
	int error;

	for (i = 0; i < ntargets; i++) {
		rt_refs f;

		if (!targets[i] || !*targets[i])
			continue;
		if ((error = rt_filter_for_lineage(&p->res, heads_revs,
						   targets[i], 1, &f)) < 0)
			return error;
		for (j = 0; j < f.n; j++) {
			int dup = 0;

			for (k = 0; k < out->n; k++)
				dup |= out->v[k] == f.v[j];
			if (!dup && RT_VEC_PUSH(out, f.v[j]) < 0)
				return rt_err_oom(p->err);
		}
	}
	return 0;
}

/* Stamp to destination d from the filtered heads: delete them for base
 * (d < 0), move down or up from the head d descends from or leads to,
 * or add d as a new head. */
static int stamp_to(planner *p, int32_t d, const revvec *filtered,
		    const char **fids)
{
	rt_graph *g = p->g;
	rt_set desc = { 0 }, anc = { 0 };
	const char *did;
	size_t j, nf = filtered->n;
	int down = 0, up = 0, error = 0;
	uint32_t dd;

	if (d < 0) {
		for (j = 0; j < nf && !error; j++)
			error = stamp_step(p, &fids[j], 1, NULL, 0, 0, 1);
		return error;
	}
	for (j = 0; j < nf; j++)
		if (filtered->v[j] == d)
			return 0;
	did = g->revs[d].s.id;
	dd = (uint32_t)d;
	if (rt_set_init(&desc, g) < 0 || rt_set_init(&anc, g) < 0 ||
	    rt_graph_reach(g, &dd, 1, RT_DESCENDANTS, &desc) < 0 ||
	    rt_graph_reach(g, &dd, 1, RT_ANCESTORS, &anc) < 0) {
		rt_set_free(&desc);
		rt_set_free(&anc);
		return rt_err_oom(p->err);
	}
	for (j = 0; j < nf; j++) {
		down |= desc.in[filtered->v[j]];
		up |= anc.in[filtered->v[j]];
	}
	rt_set_free(&desc);
	rt_set_free(&anc);
	if (down)
		return stamp_step(p, fids, nf, &did, 1, 0, 0);
	if (up)
		return stamp_step(p, fids, nf, &did, 1, 1, 0);
	return stamp_step(p, NULL, 0, &did, 1, 1, 1);
}

int rt_plan_stamp(retort_plan **out, rt_graph *g, const char *const *targets,
		  size_t ntargets, const char *const *heads, size_t nheads,
		  rt_err *err)
{
	static const char *const base[1] = { "base" };
	rt_catch c = { NULL,
		       "Multiple heads are present; please specify a single "
		       "target revision",
		       NULL, NULL, NULL };
	planner p;
	rt_refs heads_revs, dests;
	revvec filtered = RT_VEC_INIT;
	const char **fids = NULL;
	size_t i, nf;
	int error;

	if ((error = planner_start(&p, g, heads, nheads, err)) < 0)
		return planner_finish(&p, error, out);
	if (!ntargets) {
		targets = base;
		ntargets = 1;
	}
	if ((error = rt_get_revisions(
		 &p.res, rt_arg_tuple(p.plan->start, (uint32_t)p.plan->nstart),
		 &heads_revs)) < 0 ||
	    (error = stamp_filter(&p, &heads_revs, targets, ntargets,
				  &filtered)) < 0)
		goto caught;
	nf = filtered.n;
	fids = rt_arena_alloc(&p.plan->arena, (nf ? nf : 1) * sizeof(*fids));
	if (!fids) {
		error = rt_err_oom(err);
		goto done;
	}
	for (i = 0; i < nf; i++)
		fids[i] = g->revs[filtered.v[i]].s.id;
	if ((error = rt_get_revisions(&p.res,
				      rt_arg_tuple(targets, (uint32_t)ntargets),
				      &dests)) < 0)
		goto caught;
	if (!dests.n) /* base: delete every row on the filtered branches */
		error = stamp_to(&p, -1, &filtered, fids);
	for (i = 0; i < dests.n && !error; i++)
		error = stamp_to(&p, dests.v[i], &filtered, fids);
	goto done;
caught:
	if (error != RETORT_ENOMEM)
		error = rt_resolver_catch(&p.res, &c);
done:
	RT_VEC_FREE(&filtered);
	return planner_finish(&p, error, out);
}

void rt_plan_free(retort_plan *plan)
{
	if (!plan)
		return;
	RT_VEC_FREE(&plan->steps);
	free(plan->empty_before);
	rt_arena_free(&plan->arena);
	free(plan);
}

const retort_section *rt_step_section(const retort_step *s, rt_dialect d)
{
	const rt_script_sec *sec;

	if (!s->revision || s->kind == RETORT_STEP_STAMP)
		return NULL;
	sec = rt_script_section(&s->revision->s,
				s->kind == RETORT_STEP_DOWNGRADE, d, NULL);
	return sec ? &sec->sec : NULL;
}

int rt_plan_check_dialect(const retort_plan *plan, rt_dialect d, rt_err *err)
{
	size_t i;

	for (i = 0; i < plan->steps.n; i++) {
		const retort_step *s = &plan->steps.v[i];
		int down = s->kind == RETORT_STEP_DOWNGRADE;
		const char *dir = down ? "downgrade" : "upgrade";
		char names[128];

		if (!s->revision || s->kind == RETORT_STEP_STAMP ||
		    rt_step_section(s, d))
			continue;
		rt_script_section_names(&s->revision->s, down, names,
					sizeof(names));
		return rt_err_set(
		    err, RETORT_EUSAGE,
		    "%s:%u: revision %s has no %s section for %s (it has %s); "
		    "add a '-- migrate:%s dialect:%s' section, or one without "
		    "dialect: for every database; nothing was run",
		    s->revision->s.path,
		    down ? s->revision->s.sections[1][0].marker
			 : s->revision->s.sections[0][0].marker,
		    s->revision->s.id, dir, rt_dialect_name(d), names, dir,
		    rt_dialect_name(d));
	}
	return 0;
}
