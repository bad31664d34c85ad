/* SPDX-License-Identifier: MIT */
/*
 * graph.c: building the revision graph (see graph.h) and the reachability
 * walks everything else is made of.
 *
 * Building follows Alembic's RevisionMap._revision_map step by step, so the
 * same files give the same heads, bases, labels and errors:
 *   1. self-loops and duplicate ids (Revision.__init__, "present more than
 *      once"), 2. branch labels into the key map, 3. dependencies resolved
 *   through ids and labels, 4. child lists and heads, 5. cycle detection,
 *   6. normalised dependencies, 7. label propagation.
 * Each step is a function taking the builder, marked with its number;
 * rt_graph_build runs them in order until one returns an error (a problem
 * when not keep_going, a cycle, or OOM). Every step is linear in revisions + edges, except the dependency
 * normalisation, which searches ancestors only for revisions that declare
 * dependencies, pruned by generation numbers.
 */
#include "graph/graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/vec.h"

typedef RT_VEC(uint32_t) u32vec;

int rt_set_init(rt_set *s, const rt_graph *g)
{
	s->in = calloc(g->n ? g->n : 1, 1);
	s->count = 0;
	return s->in ? 0 : RETORT_ENOMEM;
}

void rt_set_add(rt_set *s, uint32_t i)
{
	if (!s->in[i]) {
		s->in[i] = 1;
		s->count++;
	}
}

void rt_set_free(rt_set *s)
{
	free(s->in);
	s->in = NULL;
	s->count = 0;
}

int rt_graph_lookup(const rt_graph *g, const char *key, size_t len,
		    uint32_t *idx)
{
	return rt_map_get(&g->keys, key, len, idx);
}

const char *rt_revision_sum_at(const retort_revision *rev, int downgrade,
			       uint32_t i)
{
	int dir = downgrade ? 1 : 0;
	const retort_section *sec;
	char *sum;

	if (i >= rev->s.nsections[dir])
		return NULL;
	sec = &rev->s.sections[dir][i].sec;
	sum = rev->sums + ((dir ? rev->s.nsections[0] : 0) + i) * 65;
	if (!sum[0])
		rt_section_checksum(sec->sql, sec->len, sum);
	return sum;
}

const char *rt_revision_sum(const retort_revision *rev, int downgrade,
			    rt_dialect d)
{
	uint32_t i;

	if (!rt_script_section(&rev->s, downgrade, d, &i))
		return NULL;
	return rt_revision_sum_at(rev, downgrade, i);
}

const char *rt_revision_default_sum(const retort_revision *rev, int downgrade)
{
	const retort_section *sec =
	    downgrade ? &rev->s.downgrade : &rev->s.upgrade;
	int dir = downgrade ? 1 : 0;
	uint32_t i;

	for (i = 0; i < rev->s.nsections[dir]; i++)
		if (rev->s.sections[dir][i].sec.sql == sec->sql)
			return rt_revision_sum_at(rev, downgrade, i);
	return NULL;
}

int rt_graph_has_label(const rt_graph *g, uint32_t idx, uint32_t label)
{
	const rt_idlist *l = &g->revs[idx].labels;
	uint32_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == label)
			return 1;
	return 0;
}

static const rt_idlist *edges(const retort_revision *r, enum rt_walk_dir d)
{
	switch (d) {
	case RT_ANCESTORS_VERSIONED:
		return &r->down;
	case RT_ANCESTORS:
		return &r->norm_down;
	case RT_DESCENDANTS_VERSIONED:
		return &r->next;
	case RT_DESCENDANTS:
		return &r->all_next;
	}
	return &r->down;
}

int rt_graph_reach(const rt_graph *g, const uint32_t *targets, uint32_t n,
		   enum rt_walk_dir dir, rt_set *set)
{
	u32vec stack = RT_VEC_INIT;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (set->in[targets[i]])
			continue;
		rt_set_add(set, targets[i]);
		if (RT_VEC_PUSH(&stack, targets[i]) < 0)
			goto oom;
		while (stack.n) {
			const rt_idlist *e =
			    edges(&g->revs[stack.v[--stack.n]], dir);
			uint32_t j;

			for (j = 0; j < e->n; j++) {
				if (set->in[e->v[j]])
					continue;
				rt_set_add(set, e->v[j]);
				if (RT_VEC_PUSH(&stack, e->v[j]) < 0)
					goto oom;
			}
		}
	}
	RT_VEC_FREE(&stack);
	return 0;
oom:
	RT_VEC_FREE(&stack);
	return RETORT_ENOMEM;
}

int rt_graph_ancestors_checked(const rt_graph *g, const uint32_t *targets,
			       uint32_t n, rt_set *set, rt_err *err)
{
	u32vec stack = RT_VEC_INIT;
	uint8_t *is_target = NULL, *hit = NULL;
	int error = 0;
	uint32_t t;

	is_target = calloc(g->n ? g->n : 1, 1);
	hit = calloc(g->n ? g->n : 1, 1);
	if (!is_target || !hit)
		goto oom;
	for (t = 0; t < n; t++)
		is_target[targets[t]] = 1;
	for (t = 0; t < n; t++) {
		uint32_t target = targets[t], k;
		rt_str overlaps = RT_STR_INIT;

		stack.n = 0;
		if (RT_VEC_PUSH(&stack, target) < 0)
			goto oom;
		while (stack.n) {
			uint32_t rev = stack.v[--stack.n];
			const rt_idlist *e;

			/* per_target records every popped node, seen or not */
			if (is_target[rev] && rev != target)
				hit[rev] = 1;
			if (set->in[rev])
				continue;
			rt_set_add(set, rev);
			e = &g->revs[rev].norm_down;
			for (k = 0; k < e->n; k++)
				if (RT_VEC_PUSH(&stack, e->v[k]) < 0)
					goto oom;
		}
		for (k = 0; k < n; k++) {
			if (!hit[targets[k]])
				continue;
			hit[targets[k]] = 0;
			if (overlaps.len)
				rt_str_puts(&overlaps, ", ");
			rt_str_puts(&overlaps, g->revs[targets[k]].s.id);
		}
		if (overlaps.len) {
			error = rt_err_set(
			    err, RETORT_EGRAPH,
			    "Requested revision %s overlaps with "
			    "other requested revisions %s",
			    g->revs[target].s.id, rt_str_cstr(&overlaps));
			rt_str_dispose(&overlaps);
			goto done;
		}
		rt_str_dispose(&overlaps);
	}
	goto done;
oom:
	error = rt_err_oom(err);
done:
	RT_VEC_FREE(&stack);
	free(is_target);
	free(hit);
	return error;
}

/* DFS from `desc` through `dir` edges, pruning nodes whose gen is not
 * above gen(anc). Marks use the graph's scratch generation counter. */
static int reaches(rt_graph *g, uint32_t from, uint32_t to,
		   enum rt_walk_dir dir)
{
	u32vec stack = RT_VEC_INIT;
	uint32_t floor = g->revs[to].gen;
	int found = 0;

	if (from == to)
		return 1;
	if (g->revs[from].gen <= floor)
		return 0;
	if (++g->mark_gen == 0) {
		memset(g->mark, 0, g->n * sizeof(*g->mark));
		g->mark_gen = 1;
	}
	if (RT_VEC_PUSH(&stack, from) < 0)
		return -1;
	g->mark[from] = g->mark_gen;
	while (stack.n && !found) {
		const rt_idlist *e = edges(&g->revs[stack.v[--stack.n]], dir);
		uint32_t j;

		for (j = 0; j < e->n; j++) {
			uint32_t x = e->v[j];

			if (x == to) {
				found = 1;
				break;
			}
			if (g->mark[x] == g->mark_gen ||
			    g->revs[x].gen <= floor)
				continue;
			g->mark[x] = g->mark_gen;
			if (RT_VEC_PUSH(&stack, x) < 0) {
				found = -1;
				break;
			}
		}
	}
	RT_VEC_FREE(&stack);
	return found;
}

int rt_graph_is_ancestor(rt_graph *g, uint32_t anc, uint32_t desc)
{
	return reaches(g, desc, anc, RT_ANCESTORS) == 1;
}

/* ------------------------------------------------------------------ */
/* building */

typedef struct builder {
	rt_graph *g;
	uint32_t nscripts; /* g->revs holds them, only .s set, until step 1 */
	rt_problems *problems;
	int keep_going; /* cleared when a cycle is found */
	rt_err *err;
	int first_error;
} builder;

/* Record a problem; returns the error to stop with, or 0 to go on. */
static int problem(builder *b, const char *kind, const retort_revision *r,
		   unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int problem(builder *b, const char *kind, const retort_revision *r,
		   unsigned line, const char *fmt, ...)
{
	rt_str msg = RT_STR_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	rt_str_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (msg.oom)
		return rt_err_oom(b->err);
	if (b->problems &&
	    rt_problem_add(b->problems, kind, r ? r->s.id : NULL,
			   r ? r->s.path : NULL, line, msg.ptr) < 0) {
		rt_str_dispose(&msg);
		return rt_err_oom(b->err);
	}
	if (!b->first_error) {
		if (r && line)
			rt_err_set(b->err, RETORT_EGRAPH, "%s:%u: %s",
				   r->s.path, line, msg.ptr);
		else
			rt_err_set(b->err, RETORT_EGRAPH, "%s", msg.ptr);
		b->first_error = RETORT_EGRAPH;
	}
	rt_str_dispose(&msg);
	error = b->keep_going ? 0 : RETORT_EGRAPH;
	return error;
}

static int list_alloc(rt_graph *g, rt_idlist *l, uint32_t n)
{
	l->n = 0;
	l->v = NULL;
	if (!n)
		return 0;
	l->v = rt_arena_alloc(&g->arena, n * sizeof(*l->v));
	return l->v ? 0 : -1;
}

static int list_has(const rt_idlist *l, uint32_t x)
{
	uint32_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == x)
			return 1;
	return 0;
}

/* Labels are the only per-revision lists that grow after building, so
 * they are malloc'd (freed by rt_graph_free). */
static int label_add(retort_revision *r, uint32_t label)
{
	uint32_t *v;

	if (list_has(&r->labels, label))
		return 0;
	v = realloc(r->labels.v, (r->labels.n + 1) * sizeof(*v));
	if (!v)
		return -1;
	v[r->labels.n++] = label;
	r->labels.v = v;
	return 0;
}

static int labels_union(retort_revision *dst, const uint32_t *labels,
			uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (label_add(dst, labels[i]) < 0)
			return -1;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int id_in(const char *id, const char *const *list, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(id, list[i]))
			return 1;
	return 0;
}

/* 1. Revision.__init__'s checks (self-loops) and duplicate ids: a script
 * that fails them is a problem and is left out (*skip). */
static int check_script(builder *b, const rt_script *s, int *skip)
{
	retort_revision tmp = { 0 };
	uint32_t prev;

	tmp.s = *s;
	*skip = 1;
	if (id_in(s->id, s->down, s->ndown))
		return problem(b, "self-loop", &tmp, s->down_line,
			       "Self-loop is detected in revisions (%s)",
			       s->id);
	if (id_in(s->id, s->deps, s->ndeps))
		return problem(b, "dependency-self-loop", &tmp, s->deps_line,
			       "Dependency self-loop is detected in revisions "
			       "(%s)",
			       s->id);
	if (rt_map_get(&b->g->ids, s->id, strlen(s->id), &prev))
		return problem(b, "duplicate-id", &tmp, s->id_line,
			       "Revision %s is present more than once (also "
			       "in %s)",
			       s->id, b->g->revs[prev].s.path);
	*skip = 0;
	return 0;
}

/* 1. The revisions, numbered in load order, and the id map. */
static int add_revisions(builder *b)
{
	rt_graph *g = b->g;
	uint32_t i, n = b->nscripts;
	int error, skip;

	/* in place: the kept revisions move down over the skipped ones */
	for (i = 0; i < n; i++) {
		retort_revision *r = &g->revs[g->n];
		rt_script s = g->revs[i].s;

		if ((error = check_script(b, &s, &skip)) < 0)
			return error;
		if (skip)
			continue;
		memset(r, 0, sizeof(*r));
		r->s = s;
		r->idx = g->n;
		r->sums = rt_arena_alloc(
		    &g->arena,
		    (size_t)(r->s.nsections[0] + r->s.nsections[1]) * 65);
		if (!r->sums ||
		    rt_map_put(&g->ids, r->s.id, strlen(r->s.id), g->n) < 0 ||
		    rt_map_put(&g->keys, r->s.id, strlen(r->s.id), g->n) < 0)
			return rt_err_oom(b->err);
		g->n++;
	}
	g->mark = calloc(g->n ? g->n : 1, sizeof(*g->mark));
	return g->mark ? 0 : rt_err_oom(b->err);
}

/* 2. Branch labels into the key map (and the label table); a label that
 * is already a key is a problem and is left out. */
static int add_labels(builder *b)
{
	rt_graph *g = b->g;
	RT_VEC(rt_label) labels = RT_VEC_INIT;
	uint32_t i, j;
	int error = 0;

	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		for (j = 0; j < r->s.nlabels; j++) {
			const char *name = r->s.labels[j];
			rt_label lab = { name, i };
			uint32_t other;

			if (rt_map_get(&g->keys, name, strlen(name), &other)) {
				if ((error = problem(
					 b, "duplicate-label", r,
					 r->s.labels_line,
					 "Branch name '%s' in revision %s "
					 "already used by revision %s",
					 name, r->s.id, g->revs[other].s.id)) <
				    0)
					goto done;
				continue;
			}
			if (rt_map_put(&g->keys, name, strlen(name), i) < 0 ||
			    rt_map_put(&g->label_ids, name, strlen(name),
				       (uint32_t)labels.n) < 0 ||
			    label_add(r, (uint32_t)labels.n) < 0 ||
			    RT_VEC_PUSH(&labels, lab) < 0) {
				error = rt_err_oom(b->err);
				goto done;
			}
		}
	}
	g->labels = labels.v;
	g->nlabels = (uint32_t)labels.n;
	labels.v = NULL;
done:
	RT_VEC_FREE(&labels);
	return error;
}

/* 3. One header line's names (`names`, looked up in `map`) into `list`,
 * each once; a name that is not there is a problem and is dropped. */
static int resolve_names(builder *b, const retort_revision *r,
			 const char *const *names, uint32_t n,
			 const rt_map *map, unsigned line, rt_idlist *list)
{
	uint32_t j, x;
	int error;

	for (j = 0; j < n; j++) {
		if (!rt_map_get(map, names[j], strlen(names[j]), &x)) {
			if ((error = problem(b, "missing-revision", r, line,
					     "Revision %s referenced from %s "
					     "is not present",
					     names[j], r->s.id)) < 0)
				return error;
			continue;
		}
		if (!list_has(list, x))
			list->v[list->n++] = x;
	}
	return 0;
}

/* 3. Revises through the ids, Depends On through ids and labels.
 * Depending on its own label is a dependency cycle, found in step 5 as
 * Alembic finds it. */
static int resolve_edges(builder *b)
{
	rt_graph *g = b->g;
	uint32_t i;
	int error;

	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		if (list_alloc(g, &r->down, r->s.ndown) < 0 ||
		    list_alloc(g, &r->deps, r->s.ndeps) < 0)
			return rt_err_oom(b->err);
		if ((error = resolve_names(b, r, r->s.down, r->s.ndown, &g->ids,
					   r->s.down_line, &r->down)) < 0 ||
		    (error =
			 resolve_names(b, r, r->s.deps, r->s.ndeps, &g->keys,
				       r->s.deps_line, &r->deps)) < 0)
			return error;
	}
	return 0;
}

/* 4. Child lists: next through down, all_next through down and deps. */
static int add_children(builder *b)
{
	rt_graph *g = b->g;
	uint32_t *cnt = calloc(g->n ? g->n : 1, sizeof(*cnt));
	uint32_t *acnt = calloc(g->n ? g->n : 1, sizeof(*acnt));
	uint32_t i, j;
	int error = 0;

	if (!cnt || !acnt)
		goto oom;
	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		for (j = 0; j < r->down.n; j++) {
			cnt[r->down.v[j]]++;
			acnt[r->down.v[j]]++;
		}
		for (j = 0; j < r->deps.n; j++)
			if (!list_has(&r->down, r->deps.v[j]))
				acnt[r->deps.v[j]]++;
	}
	for (i = 0; i < g->n; i++)
		if (list_alloc(g, &g->revs[i].next, cnt[i]) < 0 ||
		    list_alloc(g, &g->revs[i].all_next, acnt[i]) < 0)
			goto oom;
	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		for (j = 0; j < r->down.n; j++) {
			retort_revision *d = &g->revs[r->down.v[j]];

			d->next.v[d->next.n++] = i;
			d->all_next.v[d->all_next.n++] = i;
		}
		for (j = 0; j < r->deps.n; j++) {
			retort_revision *d = &g->revs[r->deps.v[j]];

			if (!list_has(&r->down, r->deps.v[j]))
				d->all_next.v[d->all_next.n++] = i;
		}
	}
	goto done;
oom:
	error = rt_err_oom(b->err);
done:
	free(cnt);
	free(acnt);
	return error;
}

/* Hand a vector over to an id list. */
static void take(rt_idlist *list, u32vec *vec)
{
	list->n = (uint32_t)vec->n;
	list->v = vec->v;
	vec->v = NULL;
}

/* 4. Flags, heads and bases. Alembic looks at what the file says, not at
 * what resolved; when validate goes on past missing parents, a revision
 * left without any counts as a base, so that it is not mistaken for part
 * of a cycle. */
static int find_heads_and_bases(builder *b)
{
	rt_graph *g = b->g;
	u32vec heads = RT_VEC_INIT, rheads = RT_VEC_INIT;
	u32vec bases = RT_VEC_INIT, rbases = RT_VEC_INIT;
	uint32_t i;
	int error = 0;

	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		r->flags = 0;
		if (!r->next.n) {
			r->flags |= RETORT_REV_HEAD;
			if (RT_VEC_PUSH(&heads, i) < 0)
				goto oom;
		}
		if (!r->all_next.n) {
			r->flags |= RETORT_REV_REAL_HEAD;
			if (RT_VEC_PUSH(&rheads, i) < 0)
				goto oom;
		}
		if (!r->s.ndown)
			r->flags |= RETORT_REV_BASE;
		if (!r->s.ndown || (b->keep_going && !r->down.n)) {
			if (RT_VEC_PUSH(&bases, i) < 0)
				goto oom;
			if ((!r->s.ndeps || (b->keep_going && !r->deps.n)) &&
			    RT_VEC_PUSH(&rbases, i) < 0)
				goto oom;
		}
		if (r->next.n > 1)
			r->flags |= RETORT_REV_BRANCHPOINT;
		if (r->down.n > 1)
			r->flags |= RETORT_REV_MERGEPOINT;
		r->real_branchpoint = r->all_next.n > 1;
	}
	take(&g->heads, &heads);
	take(&g->real_heads, &rheads);
	take(&g->bases, &bases);
	take(&g->real_bases, &rbases);
	goto done;
oom:
	error = rt_err_oom(b->err);
done:
	RT_VEC_FREE(&heads);
	RT_VEC_FREE(&rheads);
	RT_VEC_FREE(&bases);
	RT_VEC_FREE(&rbases);
	return error;
}

/* Everything below `heads` through down and deps (the dependencies as
 * declared, before step 6 normalises them). Returns -1 on OOM. */
static int reach_down_and_deps(const rt_graph *g, const rt_idlist *heads,
			       rt_set *down)
{
	u32vec stack = RT_VEC_INIT;
	uint32_t i, j;
	int k;

	for (i = 0; i < heads->n; i++) {
		if (down->in[heads->v[i]])
			continue;
		rt_set_add(down, heads->v[i]);
		if (RT_VEC_PUSH(&stack, heads->v[i]) < 0)
			goto oom;
		while (stack.n) {
			const retort_revision *r = &g->revs[stack.v[--stack.n]];
			const rt_idlist *ls[2] = { &r->down, &r->deps };

			for (k = 0; k < 2; k++)
				for (j = 0; j < ls[k]->n; j++) {
					uint32_t x = ls[k]->v[j];

					if (down->in[x])
						continue;
					rt_set_add(down, x);
					if (RT_VEC_PUSH(&stack, x) < 0)
						goto oom;
				}
		}
	}
	RT_VEC_FREE(&stack);
	return 0;
oom:
	RT_VEC_FREE(&stack);
	return -1;
}

/* The revisions _detect_cycles names: those not both below a head and
 * above a base, sorted by id; all of them in load order when there is no
 * head or no base. `ids` has room for g->n. Returns -1 on OOM. */
static int cycle_members(const rt_graph *g, int with_deps, const char **ids,
			 uint32_t *nids)
{
	const rt_idlist *heads = with_deps ? &g->real_heads : &g->heads;
	const rt_idlist *bases = with_deps ? &g->real_bases : &g->bases;
	rt_set down = { 0 }, up = { 0 };
	uint32_t i;
	int error = -1;

	*nids = 0;
	if (!heads->n || !bases->n) {
		for (i = 0; i < g->n; i++)
			ids[(*nids)++] = g->revs[i].s.id;
		return 0;
	}
	if (rt_set_init(&down, g) < 0 || rt_set_init(&up, g) < 0)
		goto done;
	if (with_deps ? reach_down_and_deps(g, heads, &down) < 0
		      : rt_graph_reach(g, heads->v, heads->n,
				       RT_ANCESTORS_VERSIONED, &down) < 0)
		goto done;
	if (rt_graph_reach(
		g, bases->v, bases->n,
		with_deps ? RT_DESCENDANTS : RT_DESCENDANTS_VERSIONED, &up) < 0)
		goto done;
	for (i = 0; i < g->n; i++)
		if (!down.in[i] || !up.in[i])
			ids[(*nids)++] = g->revs[i].s.id;
	qsort(ids, *nids, sizeof(*ids), cmp_id);
	error = 0;
done:
	rt_set_free(&down);
	rt_set_free(&up);
	return error;
}

/* 5. Alembic's _detect_cycles, for one kind of edge. */
static int detect_cycles(builder *b, int with_deps)
{
	rt_graph *g = b->g;
	rt_str list = RT_STR_INIT;
	const char **ids;
	uint32_t i, nids;
	int error = 0;

	if (!g->n)
		return 0;
	ids = malloc(g->n * sizeof(*ids));
	if (!ids || cycle_members(g, with_deps, ids, &nids) < 0) {
		free(ids);
		return rt_err_oom(b->err);
	}
	for (i = 0; i < nids; i++)
		rt_str_printf(&list, "%s%s", i ? ", " : "", ids[i]);
	free(ids);
	if (list.oom)
		error = rt_err_oom(b->err);
	else if (nids) {
		b->keep_going = 0; /* nothing sensible can follow a cycle */
		g->cyclic = 1;
		error =
		    problem(b, with_deps ? "dependency-cycle" : "cycle", NULL,
			    0, "%s is detected in revisions (%s)",
			    with_deps ? "Dependency cycle" : "Cycle", list.ptr);
	}
	rt_str_dispose(&list);
	return error;
}

/* Topological levels over down + deps (Kahn's algorithm). */
static int compute_gen(rt_graph *g)
{
	uint32_t *indeg = calloc(g->n ? g->n : 1, sizeof(*indeg));
	uint32_t *queue = malloc((g->n ? g->n : 1) * sizeof(*queue));
	uint32_t qh = 0, qt = 0, i, j;

	if (!indeg || !queue) {
		free(indeg);
		free(queue);
		return -1;
	}
	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		for (j = 0; j < r->all_next.n; j++)
			indeg[r->all_next.v[j]]++;
	}
	for (i = 0; i < g->n; i++) {
		g->revs[i].gen = 1;
		if (!indeg[i])
			queue[qt++] = i;
	}
	while (qh < qt) {
		retort_revision *r = &g->revs[queue[qh++]];

		for (j = 0; j < r->all_next.n; j++) {
			retort_revision *c = &g->revs[r->all_next.v[j]];

			if (c->gen < r->gen + 1)
				c->gen = r->gen + 1;
			if (--indeg[c->idx] == 0)
				queue[qt++] = c->idx;
		}
	}
	free(indeg);
	free(queue);
	return 0;
}

/* _normalize_depends_on: drop a dependency when a versioned ancestor of
 * the revision declares the same dependency. */
static int normalize_deps(rt_graph *g)
{
	uint32_t *count = calloc(g->n ? g->n : 1, sizeof(*count));
	uint32_t **dependents = calloc(g->n ? g->n : 1, sizeof(*dependents));
	uint32_t i, j, k;
	int error = 0;

	if (!count || !dependents)
		goto oom;
	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->revs[i].deps.n; j++)
			count[g->revs[i].deps.v[j]]++;
	for (i = 0; i < g->n; i++) {
		if (!count[i])
			continue;
		dependents[i] = malloc(count[i] * sizeof(**dependents));
		if (!dependents[i])
			goto oom;
		count[i] = 0;
	}
	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->revs[i].deps.n; j++) {
			uint32_t d = g->revs[i].deps.v[j];

			dependents[d][count[d]++] = i;
		}
	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		if (list_alloc(g, &r->norm_deps, r->deps.n) < 0 ||
		    list_alloc(g, &r->norm_down, r->down.n + r->deps.n) < 0)
			goto oom;
		for (j = 0; j < r->deps.n; j++) {
			uint32_t d = r->deps.v[j];
			int inherited = 0;

			if (list_has(&r->norm_deps, d))
				continue;
			for (k = 0; k < count[d] && !inherited; k++) {
				uint32_t a = dependents[d][k];
				int rc;

				if (a == i || g->revs[a].gen >= r->gen)
					continue;
				rc = reaches(g, i, a, RT_ANCESTORS_VERSIONED);
				if (rc < 0)
					goto oom;
				inherited = rc;
			}
			if (!inherited)
				r->norm_deps.v[r->norm_deps.n++] = d;
		}
		/* Python keeps them in a set (tuple(set(...))), so its order
		 * is arbitrary; use load order, as everywhere Python iterates
		 * a set. The order decides how _topological_sort appends the
		 * new heads, and so the upgrade order. */
		for (j = 1; j < r->norm_deps.n; j++) {
			uint32_t x = r->norm_deps.v[j];

			for (k = j; k > 0 && r->norm_deps.v[k - 1] > x; k--)
				r->norm_deps.v[k] = r->norm_deps.v[k - 1];
			r->norm_deps.v[k] = x;
		}
		for (j = 0; j < r->down.n; j++)
			r->norm_down.v[r->norm_down.n++] = r->down.v[j];
		for (j = 0; j < r->norm_deps.n; j++)
			if (!list_has(&r->norm_down, r->norm_deps.v[j]))
				r->norm_down.v[r->norm_down.n++] =
				    r->norm_deps.v[j];
	}
	goto done;
oom:
	error = -1;
done:
	if (dependents)
		for (i = 0; i < g->n; i++)
			free(dependents[i]);
	free(dependents);
	free(count);
	return error;
}

/* _add_branches */
static int propagate_labels(rt_graph *g)
{
	u32vec stack = RT_VEC_INIT;
	uint8_t *seen = malloc(g->n ? g->n : 1);
	uint32_t i, j;
	int error = 0;

	if (!seen)
		return -1;
	for (i = 0; i < g->n; i++) {
		retort_revision *rev = &g->revs[i];
		uint32_t last = i, nlab;
		uint32_t *labs;
		int64_t parent;

		/* (labels that clashed with another were not added) */
		if (!rev->s.nlabels || !rev->labels.n)
			continue;
		/* a snapshot: the set may grow while we walk */
		nlab = rev->labels.n;
		labs = malloc(nlab * sizeof(*labs));
		if (!labs)
			goto oom;
		memcpy(labs, rev->labels.v, nlab * sizeof(*labs));
		memset(seen, 0, g->n);
		stack.n = 0;
		if (RT_VEC_PUSH(&stack, i) < 0) {
			free(labs);
			goto oom;
		}
		while (stack.n) {
			uint32_t x = stack.v[--stack.n];

			if (seen[x])
				continue;
			seen[x] = 1;
			last = x;
			if (labels_union(&g->revs[x], labs, nlab) < 0) {
				free(labs);
				goto oom;
			}
			for (j = 0; j < g->revs[x].next.n; j++)
				if (RT_VEC_PUSH(&stack, g->revs[x].next.v[j]) <
				    0) {
					free(labs);
					goto oom;
				}
		}
		parent = last;
		while (parent >= 0) {
			retort_revision *p = &g->revs[parent];

			if (p->real_branchpoint || p->down.n > 1)
				break;
			if (labels_union(p, labs, nlab) < 0) {
				free(labs);
				goto oom;
			}
			parent = p->down.n ? (int64_t)p->down.v[0] : -1;
		}
		free(labs);
	}
	goto done;
oom:
	error = -1;
done:
	RT_VEC_FREE(&stack);
	free(seen);
	return error;
}

static int name_labels(rt_graph *g)
{
	uint32_t i, j;

	for (i = 0; i < g->n; i++) {
		retort_revision *r = &g->revs[i];

		if (!r->labels.n)
			continue;
		r->label_names =
		    rt_arena_alloc(&g->arena, r->labels.n * sizeof(char *));
		if (!r->label_names)
			return -1;
		for (j = 0; j < r->labels.n; j++)
			r->label_names[j] = g->labels[r->labels.v[j]].name;
		qsort(r->label_names, r->labels.n, sizeof(char *), cmp_id);
	}
	return 0;
}

/* 5. Cycles through down, then through down and deps. */
static int find_cycles(builder *b)
{
	int error = detect_cycles(b, 0);

	return error ? error : detect_cycles(b, 1);
}

/* 6. Generation numbers, then the normalised dependencies (whose
 * searches are pruned by generation). */
static int normalize(builder *b)
{
	if (compute_gen(b->g) < 0 || normalize_deps(b->g) < 0)
		return rt_err_oom(b->err);
	return 0;
}

/* 7. Labels propagated along the branches, then listed by name. */
static int label_branches(builder *b)
{
	if (propagate_labels(b->g) < 0 || name_labels(b->g) < 0)
		return rt_err_oom(b->err);
	return 0;
}

void rt_graph_free(rt_graph *g)
{
	uint32_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++)
		free(g->revs[i].labels.v);
	rt_map_free(&g->ids);
	rt_map_free(&g->keys);
	rt_map_free(&g->label_ids);
	if (g->own_revs)
		free(g->revs);
	free(g->heads.v);
	free(g->real_heads.v);
	free(g->bases.v);
	free(g->real_bases.v);
	free(g->labels);
	free(g->mark);
	rt_arena_free(&g->arena);
	free(g);
}

static int build(rt_graph **out, retort_revision *revs, uint32_t n, int own,
		 rt_problems *problems, int keep_going, rt_err *err);

int rt_graph_build(rt_graph **out, const rt_script *scripts, uint32_t n,
		   rt_problems *problems, int keep_going, rt_err *err)
{
	retort_revision *revs = calloc(n ? n : 1, sizeof(*revs));
	uint32_t i;

	*out = NULL;
	if (!revs)
		return rt_err_oom(err);
	for (i = 0; i < n; i++)
		revs[i].s = scripts[i];
	return build(out, revs, n, 1, problems, keep_going, err);
}

int rt_graph_adopt(rt_graph **out, retort_revision *revs, uint32_t n,
		   rt_problems *problems, int keep_going, rt_err *err)
{
	return build(out, revs, n, 0, problems, keep_going, err);
}

/* own: revs is the graph's to free (else the caller's, kept as long) */
static int build(rt_graph **out, retort_revision *revs, uint32_t n, int own,
		 rt_problems *problems, int keep_going, rt_err *err)
{
	/* the steps numbered in the comment at the top */
	static int (*const steps[])(builder *) = {
		add_revisions,	      /* 1 */
		add_labels,	      /* 2 */
		resolve_edges,	      /* 3 */
		add_children,	      /* 4 */
		find_heads_and_bases, /* 4 */
		find_cycles,	      /* 5 */
		normalize,	      /* 6 */
		label_branches,	      /* 7 */
	};
	builder b = { NULL, n, problems, keep_going, err, 0 };
	size_t i;
	int error = 0;

	*out = NULL;
	b.g = calloc(1, sizeof(*b.g));
	if (!b.g) {
		if (own)
			free(revs);
		return rt_err_oom(err);
	}
	b.g->revs = revs;
	b.g->own_revs = own;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && !error; i++)
		error = steps[i](&b);
	if (!error)
		error = b.first_error;
	if (error < 0 && b.first_error)
		b.g->broken = 1;
	/* with keep_going, a graph with problems (a cycle too) is handed out
	 * for validate; never one that building could not finish */
	if (error == RETORT_ENOMEM || (error < 0 && !keep_going)) {
		rt_graph_free(b.g);
		return error;
	}
	*out = b.g;
	return error;
}
