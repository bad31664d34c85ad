/* SPDX-License-Identifier: MIT */
/*
 * diff_views.c: views added, dropped and changed, and the unchanged views
 * that must be dropped and created again because something they read
 * changes: a disturbed table (diff_tables.c, diff_objects.c) or another
 * view that is recreated, transitively. Drops run readers first, creates
 * dependencies first (rt_sx_view_order). On PostgreSQL the comments on a
 * view and its columns, and a materialized view's indexes, are compared
 * too, and written again whenever the view is created again.
 */
#include <stdlib.h>

#include "schema/diff_internal.h"

static size_t *order_views(dctx *x, const rt_schema *s)
{
	size_t *order = malloc((s->nviews ? s->nviews : 1) * sizeof(*order));

	if (!order ||
	    rt_sx_view_order(x->dialect, s->views, s->nviews, order) < 0) {
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
		int c = rt_sx_cmp_name(s->views[mid].schema, s->views[mid].name,
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
	       rt_sx_eq(a->definition, b->definition);
}

static const rt_index *find_index(const rt_view *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->nindexes; i++)
		if (rt_sx_eq(v->indexes[i].name, name))
			return &v->indexes[i];
	return NULL;
}

static const char *column_comment(const rt_view *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->ncolumn_comments; i++)
		if (rt_sx_eq(v->column_comments[i].name, name))
			return v->column_comments[i].text;
	return NULL;
}

/* A column comment of v that w lacks or has otherwise (or on the way
 * back, one w has and v lacks). */
static void column_comments(dctx *x, const rt_view *a, const rt_view *b,
			    const char *n, unsigned flags)
{
	size_t i;

	for (i = 0; i < b->ncolumn_comments; i++) {
		const rt_comment *c = &b->column_comments[i];

		if (!rt_sx_eq(column_comment(a, c->name), c->text))
			rt_dx_push(x, &x->ph[PH_ADD_VIEW],
				   RT_CHANGE_VIEW_COLUMN_COMMENT, b->schema,
				   b->name, c->name, a, b,
				   rt_dx_fmt(x,
					     "change comment on column %s.%s",
					     n, c->name),
				   NULL, flags);
	}
	for (i = 0; i < a->ncolumn_comments; i++) {
		const rt_comment *c = &a->column_comments[i];

		if (!column_comment(b, c->name))
			rt_dx_push(x, &x->ph[PH_ADD_VIEW],
				   RT_CHANGE_VIEW_COLUMN_COMMENT, b->schema,
				   b->name, c->name, a, b,
				   rt_dx_fmt(x,
					     "change comment on column %s.%s",
					     n, c->name),
				   NULL, flags);
	}
}

/*
 * PostgreSQL: comments and (materialized view) indexes of a view on both
 * sides. When the view is recreated, its CREATE writes them: the
 * differences are only listed (RT_CHANGE_IN_REBUILD, before the view's
 * add); otherwise they are made on the view as it is.
 */
static void view_extras(dctx *x, const rt_view *a, const rt_view *b,
			int recreated)
{
	const char *n = rt_dx_disp(x, b->schema, b->name);
	unsigned fl = recreated ? RT_CHANGE_IN_REBUILD : 0;
	chvec *drops = recreated ? &x->ph[PH_ADD_VIEW] : &x->ph[PH_DROP_KEYS];
	size_t i;

	if (x->dialect == RT_DIALECT_SQLITE)
		return;
	if (!rt_sx_eq(a->comment, b->comment))
		rt_dx_push(x, &x->ph[PH_ADD_VIEW], RT_CHANGE_VIEW_COMMENT,
			   b->schema, b->name, NULL, a, b,
			   rt_dx_fmt(x, "change comment on %sview %s",
				     b->materialized ? "materialized " : "", n),
			   NULL, fl);
	column_comments(x, a, b, n, fl);
	for (i = 0; i < a->nindexes; i++) {
		const rt_index *ia = &a->indexes[i];
		const rt_index *ib = find_index(b, ia->name);

		if (ib && rt_sx_eq(ia->definition, ib->definition)) {
			if (recreated && !rt_sx_eq(ia->comment, ib->comment))
				rt_dx_push(
				    x, &x->ph[PH_ADD_VIEW],
				    RT_CHANGE_INDEX_COMMENT, b->schema, b->name,
				    ib->name, ia, ib,
				    rt_dx_fmt(x,
					      "change comment on index %s on "
					      "%s",
					      ib->name, n),
				    NULL, fl);
			else if (!recreated)
				rt_dx_index_kept(x, NULL, &x->ph[PH_DROP_KEYS],
						 &x->ph[PH_ADD_VIEW], b->schema,
						 b->name, n, ia, ib);
			continue;
		}
		if (recreated && ib)
			continue; /* its change is listed with the add */
		rt_dx_push(x, drops, RT_DROP_INDEX, a->schema, a->name,
			   ia->name, ia, NULL,
			   ib ? NULL
			      : rt_dx_fmt(x, "drop %sindex %s on %s",
					  ia->unique ? "unique " : "", ia->name,
					  n),
			   NULL, ib ? RT_CHANGE_IMPLIED : fl);
	}
	for (i = 0; i < b->nindexes; i++) {
		const rt_index *ib = &b->indexes[i];
		const rt_index *ia = find_index(a, ib->name);

		if (ia && rt_sx_eq(ia->definition, ib->definition))
			continue;
		rt_dx_push(
		    x, &x->ph[PH_ADD_VIEW], RT_ADD_INDEX, b->schema, b->name,
		    ib->name, NULL, ib,
		    ia ? rt_dx_fmt(x, "change index %s on %s", ib->name, n)
		       : rt_dx_fmt(x, "add %sindex %s on %s",
				   ib->unique ? "unique " : "", ib->name, n),
		    ib->unique ? rt_dx_fmt(x,
					   "adds unique index %s: fails if "
					   "existing rows have duplicates",
					   ib->name)
			       : NULL,
		    fl);
	}
}

void rt_dx_views(dctx *x, const rt_schema *f, const rt_schema *t)
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
			rt_dx_lower_put(x, &x->disturbed, f->views[i].name);
		}
	}
	/* MySQL keeps a view as SQL text naming columns, which stays valid
	 * across column changes of its tables and replacing the views it
	 * reads: only changed and dropped views are recreated */
	if (x->dialect == RT_DIALECT_MYSQL)
		again = 0;
	while (again && !x->oom) {
		again = 0;
		for (i = 0; i < f->nviews; i++) {
			if (redo[i] || !rt_dx_mentions_any(
					   x->dialect, f->views[i].definition,
					   &x->disturbed))
				continue;
			redo[i] = 2; /* unchanged, recreated */
			rt_dx_lower_put(x, &x->disturbed, f->views[i].name);
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
		rt_dx_push(x, &x->ph[PH_DROP_VIEW], RT_DROP_VIEW, a->schema,
			   a->name, NULL, a, NULL,
			   b ? NULL
			     : rt_dx_fmt(x, "drop %sview %s",
					 a->materialized ? "materialized " : "",
					 rt_dx_disp(x, a->schema, a->name)),
			   NULL, b ? RT_CHANGE_IMPLIED : 0);
	}
	for (k = 0; to && k < t->nviews; k++) {
		const rt_view *b = &t->views[to[k]];
		const rt_view *a = find_view(f, b);
		const char *n = rt_dx_disp(x, b->schema, b->name);
		const char *mat = b->materialized ? "materialized " : "";

		if (a)
			view_extras(x, a, b,
				    !view_equal(a, b) || redo[a - f->views]);
		if (!a)
			rt_dx_push(x, &x->ph[PH_ADD_VIEW], RT_ADD_VIEW,
				   b->schema, b->name, NULL, NULL, b,
				   rt_dx_fmt(x, "add %sview %s", mat, n), NULL,
				   0);
		else if (!view_equal(a, b))
			rt_dx_push(x, &x->ph[PH_ADD_VIEW], RT_CHANGE_VIEW,
				   b->schema, b->name, NULL, a, b,
				   rt_dx_fmt(x, "change %sview %s", mat, n),
				   NULL, 0);
		else if (redo[a - f->views])
			rt_dx_push(x, &x->ph[PH_ADD_VIEW], RT_ADD_VIEW,
				   b->schema, b->name, NULL, NULL, b, NULL,
				   NULL, RT_CHANGE_IMPLIED);
	}
	free(fo);
	free(to);
	free(redo);
}
