/* SPDX-License-Identifier: MIT */
/*
 * diff_views.c: views added, dropped and changed, and the unchanged views
 * that must be dropped and created again because something they read
 * changes: a disturbed table (diff_tables.c, diff_objects.c) or another
 * view that is recreated, transitively. Drops run readers first, creates
 * dependencies first (sx_view_order).
 */
#include <stdlib.h>

#include "schema/diff_internal.h"

static size_t *order_views(dctx *x, const rt_schema *s)
{
	size_t *order = malloc((s->nviews ? s->nviews : 1) * sizeof(*order));

	if (!order ||
	    sx_view_order(x->dialect, s->views, s->nviews, order) < 0) {
		free(order);
		x->oom = 1;
		return NULL;
	}
	return order;
}

static const rt_view *find_view(const rt_schema *s, const rt_view *v)
{
	size_t lo = 0, hi = s->nviews;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sx_cmp_name(s->views[mid].schema, s->views[mid].name,
				    v->schema, v->name);

		if (!c)
			return &s->views[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int view_equal(const rt_view *a, const rt_view *b)
{
	return a->materialized == b->materialized &&
	       sx_eq(a->definition, b->definition);
}

void dx_views(dctx *x, const rt_schema *f, const rt_schema *t)
{
	unsigned char *redo = calloc(f->nviews ? f->nviews : 1, 1);
	size_t *fo = NULL, *to = NULL, i, k;
	int again = 1;

	if (!redo) {
		x->oom = 1;
		return;
	}
	/* changed and dropped views disturb those reading them */
	for (i = 0; i < f->nviews; i++) {
		const rt_view *b = find_view(t, &f->views[i]);

		if (!b || !view_equal(&f->views[i], b)) {
			redo[i] = 1;
			dx_lower_put(x, &x->disturbed, f->views[i].name);
		}
	}
	while (again && !x->oom) {
		again = 0;
		for (i = 0; i < f->nviews; i++) {
			if (redo[i] ||
			    !dx_mentions_any(x->dialect, f->views[i].definition,
					     &x->disturbed))
				continue;
			redo[i] = 2; /* unchanged, recreated */
			dx_lower_put(x, &x->disturbed, f->views[i].name);
			again = 1;
		}
	}
	fo = order_views(x, f);
	to = order_views(x, t);
	for (k = f->nviews; fo && k-- > 0;) {
		const rt_view *a = &f->views[fo[k]];
		const rt_view *b = find_view(t, a);

		if (!redo[fo[k]])
			continue;
		dx_push(x, &x->ph[PH_DROP_VIEW], RT_DROP_VIEW, a->schema,
			a->name, NULL, a, NULL,
			b ? NULL
			  : dx_fmt(x, "drop %sview %s",
				   a->materialized ? "materialized " : "",
				   dx_disp(x, a->schema, a->name)),
			NULL, b ? RT_CHANGE_IMPLIED : 0);
	}
	for (k = 0; to && k < t->nviews; k++) {
		const rt_view *b = &t->views[to[k]];
		const rt_view *a = find_view(f, b);
		const char *n = dx_disp(x, b->schema, b->name);
		const char *mat = b->materialized ? "materialized " : "";

		if (!a)
			dx_push(x, &x->ph[PH_ADD_VIEW], RT_ADD_VIEW, b->schema,
				b->name, NULL, NULL, b,
				dx_fmt(x, "add %sview %s", mat, n), NULL, 0);
		else if (!view_equal(a, b))
			dx_push(x, &x->ph[PH_ADD_VIEW], RT_CHANGE_VIEW,
				b->schema, b->name, NULL, a, b,
				dx_fmt(x, "change %sview %s", mat, n), NULL, 0);
		else if (redo[a - f->views])
			dx_push(x, &x->ph[PH_ADD_VIEW], RT_ADD_VIEW, b->schema,
				b->name, NULL, NULL, b, NULL, NULL,
				RT_CHANGE_IMPLIED);
	}
	free(fo);
	free(to);
	free(redo);
}
