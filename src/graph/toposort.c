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
typedef struct slot {
	int32_t prev, next; /* doubly linked list of frontier heads */
	uint32_t rev;
} slot;

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
int rt_topological_sort(rt_resolver *r, const rt_set *todo_in,
			const rt_refs *heads, rt_refs *out)
{
	rt_graph *g = r->g;
	uint8_t *todo = NULL, *in_frontier = NULL;
	uint32_t *pending = NULL;
	RT_VEC(slot) slots = RT_VEC_INIT;
	rt_refvec stack = RT_VEC_INIT;
	uint32_t *order = NULL, norder = 0, i, j, remaining;
	int32_t first = -1, last = -1, cur;
	int error = 0, convex;

	if (rt_refs_alloc(r, out, todo_in->count) < 0)
		return RETORT_ENOMEM;
	todo = malloc(g->n ? g->n : 1);
	in_frontier = calloc(g->n ? g->n : 1, 1);
	pending = calloc(g->n ? g->n : 1, sizeof(*pending));
	order = malloc((heads->n ? heads->n : 1) * sizeof(*order));
	if (!todo || !in_frontier || !pending || !order)
		goto oom;
	memcpy(todo, todo_in->in, g->n);
	remaining = todo_in->count;
	if (todo_is_convex(g, todo, &convex) < 0)
		goto oom;
	/* pending children (through norm_down) of every todo node */
	for (i = 0; i < g->n; i++) {
		const rt_idlist *d = &g->revs[i].norm_down;

		if (!todo[i])
			continue;
		for (j = 0; j < d->n; j++)
			if (todo[d->v[j]])
				pending[d->v[j]]++;
	}
	/* initial heads: those in todo, unique, in load order */
	for (i = 0; i < heads->n; i++) {
		int32_t h = heads->v[i];

		if (h < 0 || !todo[h] || in_frontier[h])
			continue;
		in_frontier[h] = 1;
		order[norder++] = (uint32_t)h;
	}
	for (i = 1; i < norder; i++) { /* insertion sort by index */
		uint32_t x = order[i];

		for (j = i; j > 0 && order[j - 1] > x; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
#define APPEND(revidx)                                               \
	do {                                                         \
		slot s_ = { last, -1, (revidx) };                    \
		if (RT_VEC_PUSH(&slots, s_) < 0)                     \
			goto oom;                                    \
		if (last >= 0)                                       \
			slots.v[last].next = (int32_t)(slots.n - 1); \
		else                                                 \
			first = (int32_t)(slots.n - 1);              \
		last = (int32_t)(slots.n - 1);                       \
		in_frontier[(revidx)] = 1;                           \
	} while (0)
	for (i = 0; i < norder; i++)
		APPEND(order[i]);

	cur = first;
	while (cur >= 0) {
		uint32_t c = slots.v[cur].rev;
		retort_revision *cand = &g->revs[c];
		uint32_t nadd = 0, firstadd = 0;

		if (pending[c] || !convex) {
			/* switch to the first head (list order) that has
			 * the candidate as an ancestor */
			int32_t s, found = -1;
			uint32_t floor = cand->gen;

			if (++g->mark_gen == 0) {
				memset(g->mark, 0, g->n * sizeof(*g->mark));
				g->mark_gen = 1;
			}
			for (s = first; s >= 0 && found < 0;
			     s = slots.v[s].next) {
				uint32_t h = slots.v[s].rev;

				if (s == cur || g->revs[h].gen <= floor ||
				    g->mark[h] == g->mark_gen)
					continue;
				g->mark[h] = g->mark_gen;
				stack.n = 0;
				if (RT_VEC_PUSH(&stack, (int32_t)h) < 0)
					goto oom;
				while (stack.n && found < 0) {
					const rt_idlist *d =
					    &g->revs[stack.v[--stack.n]]
						 .norm_down;

					for (j = 0; j < d->n; j++) {
						uint32_t x = d->v[j];

						if (x == c) {
							found = s;
							break;
						}
						if ((convex && !todo[x]) ||
						    g->mark[x] == g->mark_gen ||
						    g->revs[x].gen <= floor)
							continue;
						g->mark[x] = g->mark_gen;
						if (RT_VEC_PUSH(&stack,
								(int32_t)x) < 0)
							goto oom;
					}
				}
			}
			if (found >= 0) {
				cur = found;
				continue;
			}
			if (convex) {
				error = rt_rev_error(r, RT_RE_REVISION, NULL,
						     "Dependency resolution "
						     "failed; broken map");
				goto done;
			}
			/* no other head descends from it: emit */
		}
		/* emit */
		if (todo[c]) {
			const rt_idlist *d = &cand->norm_down;

			out->v[out->n++] = (int32_t)c;
			todo[c] = 0;
			remaining--;
			for (j = 0; j < d->n; j++)
				if (todo[d->v[j]])
					pending[d->v[j]]--;
		}
		in_frontier[c] = 0;
		/* heads_to_add: down revisions still to do, not heads yet */
		for (j = 0; j < cand->norm_down.n; j++) {
			uint32_t x = cand->norm_down.v[j];

			if (!todo[x] || in_frontier[x])
				continue;
			if (!nadd++) {
				firstadd = x;
				slots.v[cur].rev = x;
				in_frontier[x] = 1;
			} else
				APPEND(x);
		}
		if (!nadd) {
			/* remove this head; the index moves back one */
			int32_t p = slots.v[cur].prev, n = slots.v[cur].next;

			if (p >= 0)
				slots.v[p].next = n;
			else
				first = n;
			if (n >= 0)
				slots.v[n].prev = p;
			else
				last = p;
			cur = p >= 0 ? p : first;
		}
		(void)firstadd;
	}
#undef APPEND
	if (remaining) {
		error =
		    rt_rev_error(r, RT_RE_REVISION, NULL,
				 "Dependency resolution failed; broken map");
		goto done;
	}
	goto done;
oom:
	error = rt_resolver_oom(r);
done:
	free(todo);
	free(in_frontier);
	free(pending);
	free(order);
	RT_VEC_FREE(&slots);
	RT_VEC_FREE(&stack);
	return error;
}
