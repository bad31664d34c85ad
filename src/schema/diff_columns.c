/* SPDX-License-Identifier: MIT */
/*
 * diff_columns.c: the columns of a table on both sides: added, dropped
 * (matched by name: a rename is a drop and an add) and changed, with a
 * change per attribute in the order its ALTER must run.
 *
 * On PostgreSQL, generated columns are dropped before and added after
 * the other column changes of their table (td->gen_drop, td->gen_add),
 * since they read those columns; one that must change (its expression,
 * or the type of a column it reads) is dropped and added again, and the
 * indexes and constraints on it with it (td->regen, diff_keys.c).
 *
 * On SQLite, a changed column always needs a rebuild; an added or
 * dropped one only when ALTER TABLE ADD/DROP COLUMN cannot do it (keys,
 * NOT NULL without a default, expression defaults, stored generated
 * columns; columns used by indexes, checks, foreign keys, generated
 * columns or triggers).
 */
#include <stdlib.h>
#include <string.h>

#include "schema/diff_internal.h"

static int cmp_colp(const void *a, const void *b)
{
	const rt_column *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static const rt_column **sorted_cols(const rt_table *t)
{
	const rt_column **v =
	    malloc((t->ncolumns ? t->ncolumns : 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < t->ncolumns; i++)
		v[i] = &t->columns[i];
	qsort(v, t->ncolumns, sizeof(*v), cmp_colp);
	return v;
}

static const rt_column *find_col(const rt_column **v, size_t n,
				 const char *name)
{
	rt_column key;
	const rt_column *kp = &key, **hit;

	key.name = name;
	hit = bsearch(&kp, v, n, sizeof(*v), cmp_colp);
	return hit ? *hit : NULL;
}

static int in_names(const char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rt_sx_ieq(v[i], name))
			return 1;
	return 0;
}

static int in_key(const rt_table *t, const char *col)
{
	size_t i;

	if (t->primary_key &&
	    in_names(t->primary_key->columns, t->primary_key->ncolumns, col))
		return 1;
	for (i = 0; i < t->nuniques; i++)
		if (in_names(t->uniques[i].columns, t->uniques[i].ncolumns,
			     col))
			return 1;
	return 0;
}

/* SQLite: can ALTER TABLE ADD COLUMN add it? */
static int sqlite_addable(const rt_table *t, const rt_column *c)
{
	if (!c->definition || in_key(t, c->name) || c->default_is_expr ||
	    (c->generated && c->generated_stored) || c->identity)
		return 0;
	if (c->not_null && !c->generated &&
	    (!c->default_expr || rt_sx_ieq(c->default_expr, "NULL")))
		return 0;
	return 1;
}

/* SQLite: can ALTER TABLE DROP COLUMN drop it? */
static int sqlite_droppable(const rt_table *t, const rt_column *c)
{
	size_t i, k;

	if (in_key(t, c->name))
		return 0;
	for (i = 0; i < t->nfks; i++)
		if (in_names(t->fks[i].columns, t->fks[i].ncolumns, c->name))
			return 0;
	for (i = 0; i < t->nchecks; i++)
		if (rt_sx_mentions(RT_DIALECT_SQLITE, t->checks[i].expr,
				   c->name))
			return 0;
	for (i = 0; i < t->ncolumns; i++)
		if (rt_sx_mentions(RT_DIALECT_SQLITE, t->columns[i].generated,
				   c->name))
			return 0;
	for (i = 0; i < t->nindexes; i++) {
		for (k = 0; k < t->indexes[i].nkeys; k++)
			if (rt_sx_mentions(RT_DIALECT_SQLITE,
					   t->indexes[i].keys[k], c->name))
				return 0;
		if (rt_sx_mentions(RT_DIALECT_SQLITE, t->indexes[i].where,
				   c->name))
			return 0;
	}
	for (i = 0; i < t->ntriggers; i++)
		if (rt_sx_mentions(RT_DIALECT_SQLITE, t->triggers[i].definition,
				   c->name))
			return 0;
	return 1;
}

/* A change of column b (a before) on td's table, into v. */
#define COL(kind, desc, warn)                                               \
	rt_dx_push(x, v, kind, td->to->schema, td->to->name, b->name, a, b, \
		   desc, warn, 0)

static void column_type(dctx *x, tdiff *td, chvec *v, const rt_column *a,
			const rt_column *b, const char *cn)
{
	int k = rt_dx_type_change(a->type, b->type);

	COL(RT_CHANGE_COLUMN_TYPE,
	    rt_dx_fmt(x, "change type of %s from %s to %s", cn,
		      rt_dx_coltype(x, a), rt_dx_coltype(x, b)),
	    k == TC_NARROW
		? rt_dx_fmt(x,
			    "narrows %s from %s to %s: existing "
			    "values may not fit",
			    cn, rt_dx_coltype(x, a), rt_dx_coltype(x, b))
	    : k == TC_CONVERT
		? rt_dx_fmt(x,
			    "converts %s from %s to %s: values that do not "
			    "convert make it fail",
			    cn, rt_dx_coltype(x, a), rt_dx_coltype(x, b))
		: NULL);
	td->disturbed = 1;
}

static void column_default(dctx *x, tdiff *td, chvec *v, const rt_column *a,
			   const rt_column *b, const char *cn)
{
	COL(RT_CHANGE_COLUMN_DEFAULT,
	    !a->default_expr
		? rt_dx_fmt(x, "set default of %s to %s", cn, b->default_expr)
	    : !b->default_expr
		? rt_dx_fmt(x, "drop default of %s (was %s)", cn,
			    a->default_expr)
		: rt_dx_fmt(x, "change default of %s from %s to %s", cn,
			    a->default_expr, b->default_expr),
	    NULL);
}

/* PostgreSQL: the identity options as CREATE TABLE would write them. */
static int identity_equal(dctx *x, const rt_column *a, const rt_column *b)
{
	rt_str sa = RT_STR_INIT, sb = RT_STR_INIT;
	int eq;

	rt_sx_identity_options(&sa, a);
	rt_sx_identity_options(&sb, b);
	if (sa.oom || sb.oom)
		x->oom = 1;
	eq = rt_sx_eq(rt_str_cstr(&sa), rt_str_cstr(&sb));
	rt_str_dispose(&sa);
	rt_str_dispose(&sb);
	return eq;
}

static const char *identity_desc(dctx *x, const rt_column *c)
{
	rt_str s = RT_STR_INIT;
	const char *out;

	rt_str_puts(&s, c->identity == 'a' ? "GENERATED ALWAYS"
					   : "GENERATED BY DEFAULT");
	rt_sx_identity_options(&s, c);
	out = s.oom ? NULL : rt_arena_strdup(x->a, rt_str_cstr(&s));
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

/*
 * Everything but the comment, when the column is not dropped and added
 * again, in the order the ALTERs must run: the generation and identity
 * that go first, then type, default, NOT NULL, and the identity or
 * generation that come.
 */
static void column_attributes(dctx *x, tdiff *td, chvec *v, const rt_column *a,
			      const rt_column *b, const char *cn)
{
	int lite = x->dialect == RT_DIALECT_SQLITE;
	/* MySQL's AUTO_INCREMENT is SQLite's AUTOINCREMENT here: there or
	 * not, no options */
	int my = x->dialect == RT_DIALECT_MYSQL;

	if (a->generated && (!b->generated || lite) &&
	    (!rt_sx_eq(a->generated, b->generated) ||
	     a->generated_stored != b->generated_stored))
		COL(RT_CHANGE_COLUMN_GENERATED,
		    b->generated
			? rt_dx_fmt(x,
				    "change generated expression of %s "
				    "from %s to %s",
				    cn, a->generated, b->generated)
			: rt_dx_fmt(x,
				    "make %s a plain column (was "
				    "generated as %s)",
				    cn, a->generated),
		    NULL);
	if (a->identity != b->identity && !b->identity)
		COL(RT_CHANGE_COLUMN_IDENTITY,
		    lite ? rt_dx_fmt(x, "drop AUTOINCREMENT from %s", cn)
		    : my ? rt_dx_fmt(x, "drop AUTO_INCREMENT from %s", cn)
			 : rt_dx_fmt(x, "drop identity from %s", cn),
		    NULL);
	if (lite && rt_sx_eq(a->collation, b->collation) &&
	    rt_dx_type_args_only(a->type, b->type))
		/* SQLite ignores lengths: not worth a rebuild */
		rt_dx_push(
		    x, &td->notes, RT_NOTE, td->to->schema, td->to->name,
		    b->name, a, b,
		    rt_dx_fmt(x,
			      "%s: %s -> %s is left alone: SQLite does not "
			      "enforce lengths, so the table is not rebuilt "
			      "for it",
			      cn, a->type, b->type),
		    NULL, RT_CHANGE_IMPLIED);
	else if (!rt_sx_eq(a->type, b->type) ||
		 !rt_sx_eq(a->collation, b->collation))
		column_type(x, td, v, a, b, cn);
	if (!rt_sx_eq(a->default_expr, b->default_expr))
		column_default(x, td, v, a, b, cn);
	if (a->not_null != b->not_null)
		COL(RT_CHANGE_COLUMN_NULL,
		    b->not_null ? rt_dx_fmt(x, "set NOT NULL on %s", cn)
				: rt_dx_fmt(x, "drop NOT NULL on %s", cn),
		    b->not_null ? rt_dx_fmt(x,
					    "sets NOT NULL on %s: fails if the "
					    "column holds NULLs",
					    cn)
				: NULL);
	if (b->identity && !lite && !my &&
	    (a->identity != b->identity || !identity_equal(x, a, b)))
		COL(RT_CHANGE_COLUMN_IDENTITY,
		    a->identity
			? rt_dx_fmt(x, "change identity of %s from %s to %s",
				    cn, identity_desc(x, a),
				    identity_desc(x, b))
			: rt_dx_fmt(x, "make %s an identity column (%s)", cn,
				    identity_desc(x, b)),
		    a->identity
			? NULL
			: rt_dx_fmt(
			      x,
			      "the identity of %s starts at %lld: existing "
			      "values may collide with it",
			      cn, b->ident_increment ? b->ident_start : 1LL));
	else if (a->identity != b->identity && b->identity)
		COL(RT_CHANGE_COLUMN_IDENTITY,
		    rt_dx_fmt(x,
			      my ? "add AUTO_INCREMENT to %s"
				 : "add AUTOINCREMENT to %s",
			      cn),
		    NULL);
	if (!a->generated && b->generated && lite)
		COL(RT_CHANGE_COLUMN_GENERATED,
		    rt_dx_fmt(x, "make %s generated as %s", cn, b->generated),
		    NULL);
}

/* PostgreSQL: a generated column is dropped and added again when its
 * expression changes (PostgreSQL cannot change one), when it was a plain
 * column, and when its own type or that of a column it reads changes
 * (PostgreSQL refuses to change the type of a column a generated column
 * reads). */
static int recreated(dctx *x, const tdiff *td, const rt_column *a,
		     const rt_column *b)
{
	if (x->dialect == RT_DIALECT_SQLITE || !b->generated)
		return 0;
	return !a->generated || !rt_sx_eq(a->generated, b->generated) ||
	       a->generated_stored != b->generated_stored ||
	       rt_dx_lower_has(&td->retyped, b->name) ||
	       rt_dx_mentions_any(x->dialect, a->generated, &td->retyped) ||
	       rt_dx_mentions_any(x->dialect, b->generated, &td->retyped);
}

/* PostgreSQL: b dropped before the column changes and added after them;
 * its differences are made by the add (RT_CHANGE_IN_REBUILD), and what
 * reads it is recreated too (td->regen). */
static void column_recreated(dctx *x, tdiff *td, const rt_column *a,
			     const rt_column *b, const char *cn)
{
	chvec sub = RT_VEC_INIT, *v = &sub;

	rt_dx_push(x, &td->gen_drop, RT_DROP_COLUMN, td->from->schema,
		   td->from->name, a->name, a, NULL, NULL, NULL,
		   RT_CHANGE_IMPLIED);
	if (!a->generated || !rt_sx_eq(a->generated, b->generated) ||
	    a->generated_stored != b->generated_stored)
		COL(RT_CHANGE_COLUMN_GENERATED,
		    a->generated
			? rt_dx_fmt(x,
				    "change generated expression of %s "
				    "from %s to %s",
				    cn, a->generated, b->generated)
			: rt_dx_fmt(x, "make %s generated as %s", cn,
				    b->generated),
		    rt_dx_fmt(x,
			      "drops and re-adds column %s to change its "
			      "generation expression (values are recomputed)",
			      cn));
	else
		column_attributes(x, td, v, a, b, cn);
	if (!rt_sx_eq(a->comment, b->comment))
		COL(RT_CHANGE_COLUMN_COMMENT,
		    rt_dx_fmt(x, "change comment on column %s", cn), NULL);
	rt_dx_append(x, &td->gen_add, &sub, RT_CHANGE_IN_REBUILD);
	rt_dx_push(x, &td->gen_add, RT_ADD_COLUMN, td->to->schema, td->to->name,
		   b->name, NULL, b, NULL, NULL, RT_CHANGE_IMPLIED);
	rt_dx_lower_put(x, &td->regen, b->name);
	td->disturbed = 1;
}

/* A column on both sides; on SQLite any change means a rebuild. */
static void diff_column(dctx *x, tdiff *td, const rt_column *a,
			const rt_column *b)
{
	const char *cn = rt_dx_fmt(x, "%s.%s", td->disp, b->name);
	chvec *v = &td->col_change;
	size_t before = v->n;

	if (recreated(x, td, a, b)) {
		column_recreated(x, td, a, b, cn);
		return;
	}
	column_attributes(x, td, v, a, b, cn);
	if (!rt_sx_eq(a->comment, b->comment))
		COL(RT_CHANGE_COLUMN_COMMENT,
		    rt_dx_fmt(x, "change comment on column %s", cn), NULL);
	if (x->dialect == RT_DIALECT_SQLITE && v->n > before)
		rt_dx_need_rebuild(td, "column changes");
}

#undef COL

/* The columns whose type changes (PostgreSQL: or whose enum is
 * recreated): td->retyped, and x->converted for those whose values are
 * converted. */
static void find_retyped(dctx *x, tdiff *td, const rt_column **fs)
{
	const rt_table *t = td->to;
	size_t i;
	uint32_t v;

	for (i = 0; i < t->ncolumns; i++) {
		const rt_column *b = &t->columns[i];
		const rt_column *a = find_col(fs, td->from->ncolumns, b->name);
		int renum, conv;
		const char *k;

		if (!a)
			continue;
		renum =
		    x->dialect != RT_DIALECT_SQLITE && a->type &&
		    rt_sx_eq(a->type, b->type) &&
		    rt_map_get(&x->enum_types, a->type, strlen(a->type), &v);
		if (!renum && rt_sx_eq(a->type, b->type) &&
		    rt_sx_eq(a->collation, b->collation))
			continue;
		rt_dx_lower_put(x, &td->retyped, b->name);
		/* MySQL refuses any type change of a column a foreign key
		 * uses, on either side (error 1832): it counts as converted,
		 * so that the key is dropped and added again around it */
		conv = renum ||
		       (!rt_sx_eq(a->type, b->type) &&
			(x->dialect == RT_DIALECT_MYSQL ||
			 rt_dx_type_change(a->type, b->type) == TC_CONVERT));
		if (!conv || x->dialect == RT_DIALECT_SQLITE)
			continue;
		k = rt_dx_fmt(x, "%s\x1f%s\x1f%s", t->schema ? t->schema : "",
			      t->name, b->name);
		if (rt_map_put(&x->converted, k, strlen(k), 1) < 0)
			x->oom = 1;
	}
}

void rt_dx_columns(dctx *x, tdiff *td)
{
	const rt_table *f = td->from, *t = td->to;
	const rt_column **fs = sorted_cols(f), **ts = sorted_cols(t);
	int lite = x->dialect == RT_DIALECT_SQLITE;
	size_t i;

	if (!fs || !ts) {
		x->oom = 1;
		goto done;
	}
	find_retyped(x, td, fs);
	for (i = 0; i < t->ncolumns; i++) {
		const rt_column *b = &t->columns[i];
		const rt_column *a = find_col(fs, f->ncolumns, b->name);
		const char *cn = rt_dx_fmt(x, "%s.%s", td->disp, b->name);

		if (a) {
			diff_column(x, td, a, b);
			continue;
		}
		rt_dx_push(
		    x, b->generated && !lite ? &td->gen_add : &td->col_add,
		    RT_ADD_COLUMN, t->schema, t->name, b->name, NULL, b,
		    rt_dx_fmt(x, "add column %s %s%s", cn, rt_dx_coltype(x, b),
			      b->not_null ? " NOT NULL" : ""),
		    b->not_null && !b->default_expr && !b->identity &&
			    !b->generated
			? rt_dx_fmt(x,
				    "adds NOT NULL column %s without a "
				    "default: fails if %s has rows",
				    cn, td->disp)
			: NULL,
		    0);
		if (lite && !sqlite_addable(t, b))
			rt_dx_need_rebuild(td,
					   "a column ALTER TABLE ADD COLUMN "
					   "cannot add");
	}
	for (i = 0; i < f->ncolumns; i++) {
		const rt_column *a = &f->columns[i];

		if (find_col(ts, t->ncolumns, a->name))
			continue;
		rt_dx_push(
		    x, a->generated && !lite ? &td->gen_drop : &td->col_drop,
		    RT_DROP_COLUMN, f->schema, f->name, a->name, a, NULL,
		    rt_dx_fmt(x, "drop column %s.%s", td->disp, a->name),
		    rt_dx_fmt(x, "drops column %s.%s and its data", td->disp,
			      a->name),
		    0);
		td->disturbed = 1;
		if (lite && !sqlite_droppable(f, a))
			rt_dx_need_rebuild(td,
					   "a column ALTER TABLE DROP COLUMN "
					   "cannot drop");
	}
done:
	free(fs);
	free(ts);
}
