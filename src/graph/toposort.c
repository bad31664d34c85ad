/* SPDX-License-Identifier: MIT */
/*
 * toposort.c: Alembic's _topological_sort over a set of revisions (see
 * toposort.h): the order iterate_revisions returns, newest first, which
 * upgrades run reversed. The comment above rt_topological_sort says how
 * Alembic picks the next revision and how this does the same without its
 * quadratic ancestor sets.
 */
#include "graph/toposort.h"

#include <stdlib.h>
#include <string.h>

#include "util/vec.h"
/* The list of current heads, in Alembic's list order: a doubly linked
 * list of slots, each holding one revision. */
typedef struct slot {
	int32_t prev, next;
	uint32_t rev;
} slot;

typedef struct sorter {
	rt_graph *g;
	uint8_t *todo;	      /* still to emit */
	uint8_t *in_frontier; /* in a slot */
	uint32_t *pending;    /* todo revisions it is a norm_down of */
	uint32_t remaining;   /* todo revisions left */
	int convex;	      /* see todo_is_convex */
	RT_VEC(slot) slots;
	int32_t first, last;
	rt_refvec stack; /* scratch for the searches */
} sorter;

/*
 * Is the todo set convex: does no revision outside it lie on a path
 * (through norm_down) between two revisions inside it? Walks down from
 * the outside parents of todo revisions; meeting a todo revision on the
 * way means some todo revision is an ancestor of another only through
 * revisions that are not to be emitted. Sets *out; returns <0 on OOM.
 */
static int todo_is_convex(const rt_graph *g, const uint8_t *todo, int *out)
{
	uint8_t *seen = calloc(g->n ? g->n : 1, 1);
	RT_VEC(uint32_t) stack = RT_VEC_INIT;
	uint32_t i, j;
	int error = 0;

	*out = 1;
	if (!seen)
		return -1;
	for (i = 0; i < g->n && *out; i++) {
		const rt_idlist *d = &g->revs[i].norm_down;

		if (!todo[i])
			continue;
		for (j = 0; j < d->n; j++) {
			uint32_t x = d->v[j];

			if (todo[x] || seen[x])
				continue;
			seen[x] = 1;
			if (RT_VEC_PUSH(&stack, x) < 0)
				goto oom;
		}
		while (stack.n && *out) {
			const rt_idlist *e =
			    &g->revs[stack.v[--stack.n]].norm_down;

			for (j = 0; j < e->n; j++) {
				uint32_t x = e->v[j];

				if (todo[x]) {
					*out = 0;
					break;
				}
				if (seen[x])
					continue;
				seen[x] = 1;
				if (RT_VEC_PUSH(&stack, x) < 0)
					goto oom;
			}
		}
	}
	goto done;
oom:
	error = -1;
done:
	RT_VEC_FREE(&stack);
	free(seen);
	return error;
}

static void sorter_free(sorter *so)
{
	free(so->todo);
	free(so->in_frontier);
	free(so->pending);
	RT_VEC_FREE(&so->slots);
	RT_VEC_FREE(&so->stack);
}

/* The todo set copied, its convexity, and the pending children (through
 * norm_down) of every todo revision. Returns -1 on OOM. */
static int sorter_init(sorter *so, rt_graph *g, const rt_set *todo)
{
	uint32_t i, j;

	memset(so, 0, sizeof(*so));
	so->g = g;
	so->first = so->last = -1;
	so->todo = malloc(g->n ? g->n : 1);
	so->in_frontier = calloc(g->n ? g->n : 1, 1);
	so->pending = calloc(g->n ? g->n : 1, sizeof(*so->pending));
	if (!so->todo || !so->in_frontier || !so->pending)
		return -1;
	memcpy(so->todo, todo->in, g->n);
	so->remaining = todo->count;
	if (todo_is_convex(g, so->todo, &so->convex) < 0)
		return -1;
	for (i = 0; i < g->n; i++) {
		const rt_idlist *d = &g->revs[i].norm_down;

		if (!so->todo[i])
			continue;
		for (j = 0; j < d->n; j++)
			if (so->todo[d->v[j]])
				so->pending[d->v[j]]++;
	}
	return 0;
}

/* A new head at the end of the list. Returns -1 on OOM. */
static int append_head(sorter *so, uint32_t rev)
{
	slot s = { so->last, -1, rev };

	if (RT_VEC_PUSH(&so->slots, s) < 0)
		return -1;
	if (so->last >= 0)
		so->slots.v[so->last].next = (int32_t)(so->slots.n - 1);
	else
		so->first = (int32_t)(so->slots.n - 1);
	so->last = (int32_t)(so->slots.n - 1);
	so->in_frontier[rev] = 1;
	return 0;
}

/* The initial heads: those in todo, each once, in load order. Returns -1
 * on OOM. */
static int initial_heads(sorter *so, const rt_refs *heads)
{
	uint32_t *order = malloc((heads->n ? heads->n : 1) * sizeof(*order));
	uint32_t norder = 0, i, j;
	int error = 0;

	if (!order)
		return -1;
	for (i = 0; i < heads->n; i++) {
		int32_t h = heads->v[i];

		if (h < 0 || !so->todo[h] || so->in_frontier[h])
			continue;
		so->in_frontier[h] = 1;
		order[norder++] = (uint32_t)h;
	}
	for (i = 1; i < norder; i++) { /* insertion sort by index */
		uint32_t x = order[i];

		for (j = i; j > 0 && order[j - 1] > x; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
	for (i = 0; i < norder && !error; i++)
		error = append_head(so, order[i]);
	free(order);
	return error;
}

/* Does the head in slot `s` have revision `c` as an ancestor? A search
 * down norm_down, pruned by generation, by the marks of earlier searches
 * for the same candidate, and (convex) by the todo set. Returns 1, 0, or
 * -1 on OOM. */
static int head_descends(sorter *so, int32_t s, uint32_t c)
{
	rt_graph *g = so->g;
	uint32_t h = so->slots.v[s].rev, floor = g->revs[c].gen, j;

	if (g->revs[h].gen <= floor || g->mark[h] == g->mark_gen)
		return 0;
	g->mark[h] = g->mark_gen;
	so->stack.n = 0;
	if (RT_VEC_PUSH(&so->stack, (int32_t)h) < 0)
		return -1;
	while (so->stack.n) {
		const rt_idlist *d =
		    &g->revs[so->stack.v[--so->stack.n]].norm_down;

		for (j = 0; j < d->n; j++) {
			uint32_t x = d->v[j];

			if (x == c)
				return 1;
			if ((so->convex && !so->todo[x]) ||
			    g->mark[x] == g->mark_gen ||
			    g->revs[x].gen <= floor)
				continue;
			g->mark[x] = g->mark_gen;
			if (RT_VEC_PUSH(&so->stack, (int32_t)x) < 0)
				return -1;
		}
	}
	return 0;
}

/* The first head in list order, other than the one in slot `cur`, that
 * has the candidate in `cur` as an ancestor: *found, or -1 for none.
 * Returns -1 on OOM. */
static int descending_head(sorter *so, int32_t cur, int32_t *found)
{
	rt_graph *g = so->g;
	uint32_t c = so->slots.v[cur].rev;
	int32_t s;
	int error;

	*found = -1;
	if (++g->mark_gen == 0) {
		memset(g->mark, 0, g->n * sizeof(*g->mark));
		g->mark_gen = 1;
	}
	for (s = so->first; s >= 0; s = so->slots.v[s].next) {
		if (s == cur)
			continue;
		if ((error = head_descends(so, s, c)) < 0)
			return -1;
		if (error) {
			*found = s;
			return 0;
		}
	}
	return 0;
}

/* Emit the candidate in slot `cur` (if still to do), put its todo down
 * revisions in its place (the first in its slot, the others at the end:
 * Alembic's heads_to_add), or drop the slot when there are none. Returns
 * the slot to look at next (-1: done), or -2 on OOM. */
static int32_t emit(sorter *so, int32_t cur, rt_refs *out)
{
	uint32_t c = so->slots.v[cur].rev, j, nadd = 0;
	const rt_idlist *d = &so->g->revs[c].norm_down;
	int32_t p, n;

	if (so->todo[c]) {
		out->v[out->n++] = (int32_t)c;
		so->todo[c] = 0;
		so->remaining--;
		for (j = 0; j < d->n; j++)
			if (so->todo[d->v[j]])
				so->pending[d->v[j]]--;
	}
	so->in_frontier[c] = 0;
	for (j = 0; j < d->n; j++) {
		uint32_t x = d->v[j];

		if (!so->todo[x] || so->in_frontier[x])
			continue;
		if (nadd++) {
			if (append_head(so, x) < 0)
				return -2;
			continue;
		}
		so->slots.v[cur].rev = x;
		so->in_frontier[x] = 1;
	}
	if (nadd)
		return cur;
	/* remove this head; the index moves back one */
	p = so->slots.v[cur].prev;
	n = so->slots.v[cur].next;
	if (p >= 0)
		so->slots.v[p].next = n;
	else
		so->first = n;
	if (n >= 0)
		so->slots.v[n].prev = p;
	else
		so->last = p;
	return p >= 0 ? p : so->first;
}

/*
 * Alembic keeps a list of "current heads" and their ancestor sets; it
 * emits the head at the current index unless another head has it as an
 * ancestor, in which case it moves to the first such head in list order.
 * The ancestor sets are over the whole graph, and the first head in list
 * order that descends from the candidate is found by a downward search
 * from each head, pruned by generation and by nodes already known not to
 * reach the candidate.
 *
 * When the todo set is convex (always for upgrades and downgrades),
 * "has a pending child" is the same test as "is an ancestor of another
 * head" and the search can stay inside the todo set. A history range with
 * a lower bound keeps only the versioned descendants of that bound, which
 * can cut a path that goes through a dependency: a todo revision is then
 * an ancestor of a head only through revisions outside the set, and only
 * the search over the whole graph says whether it must wait.
 */
int rt_topological_sort(rt_resolver *r, const rt_set *todo,
			const rt_refs *heads, rt_refs *out)
{
	sorter so;
	int32_t cur, found;
	int error = 0;

	if (rt_refs_alloc(r, out, todo->count) < 0)
		return RETORT_ENOMEM;
	if (sorter_init(&so, r->g, todo) < 0 || initial_heads(&so, heads) < 0)
		goto oom;
	for (cur = so.first; cur >= 0;) {
		uint32_t c = so.slots.v[cur].rev;

		if (so.pending[c] || !so.convex) {
			/* switch to the first head (list order) that has
			 * the candidate as an ancestor */
			if (descending_head(&so, cur, &found) < 0)
				goto oom;
			if (found >= 0) {
				cur = found;
				continue;
			}
			/* none: a broken map when convex, else emit it */
			if (so.convex)
				break;
		}
		if ((cur = emit(&so, cur, out)) == -2)
			goto oom;
	}
	if (cur >= 0 || so.remaining)
		error = rt_rev_error(r, RT_RE_REVISION, NULL,
				     "Dependency resolution failed; broken "
				     "map");
	goto done;
oom:
	error = rt_resolver_oom(r);
done:
	sorter_free(&so);
	return error;
}
