/* SPDX-License-Identifier: MIT */
/*
 * diff_keys.c: what hangs off a table on both sides: primary key, unique
 * constraints, checks, foreign keys, indexes and (SQLite) triggers.
 *
 * Each kind is a keyed merge: by name, or for unnamed ones by what they
 * cover (columns, expression, referenced table). A changed one is an
 * implied drop plus a described add; so is, with an implied add, an
 * unchanged one that reads a PostgreSQL column dropped and added again
 * (td->regen) or names a recreated enum (rt_dx_must_recreate). Unchanged foreign keys and triggers
 * are remembered (x->kept_fks, x->kept_triggers) in case what they
 * depend on is dropped and re-added (diff_tables.c). On SQLite, any
 * change but an index's needs a rebuild.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/diff_internal.h"

/* Keyed merge of two arrays of objects. */
typedef struct kv {
	const char *key;
	const void *p;
} kv;

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

typedef void (*pair_fn)(dctx *x, tdiff *td, const void *a, const void *b);

static void merge(dctx *x, tdiff *td, kv *a, size_t na, kv *b, size_t nb,
		  pair_fn fn)
{
	size_t i = 0, j = 0;

	qsort(a, na, sizeof(*a), cmp_kv);
	qsort(b, nb, sizeof(*b), cmp_kv);
	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].key, b[j].key);

		fn(x, td, c <= 0 ? a[i].p : NULL, c >= 0 ? b[j].p : NULL);
		i += c <= 0;
		j += c >= 0;
	}
}

int rt_dx_must_recreate(dctx *x, const rt_map *regen, const char *text)
{
	if (x->dialect == RT_DIALECT_SQLITE || !text)
		return 0;
	return (regen && rt_dx_mentions_any(x->dialect, text, regen)) ||
	       rt_dx_mentions_any(x->dialect, text, &x->enum_names);
}

/* An unchanged object that must be dropped and added again around the
 * column changes (rt_dx_must_recreate): implied changes. */
static void recreate(dctx *x, tdiff *td, rt_change_kind drop,
		     rt_change_kind add, const char *name, const void *a,
		     const void *b)
{
	const rt_table *t = td->to;
	int fk = drop == RT_DROP_FK;

	rt_dx_push(x, fk ? &td->drop_fk : &td->drop_keys, drop, t->schema,
		   t->name, name, a, NULL, NULL, NULL, RT_CHANGE_IMPLIED);
	rt_dx_push(x, fk ? &td->add_fk : &td->add_keys, add, t->schema, t->name,
		   name, NULL, b, NULL, NULL, RT_CHANGE_IMPLIED);
	if (drop == RT_DROP_PRIMARY_KEY || drop == RT_DROP_UNIQUE)
		td->keychanged = 1;
}

/* A key's text for rt_dx_must_recreate: its definition or its columns. */
static int key_must_recreate(dctx *x, tdiff *td, const rt_key *k)
{
	size_t i;

	if (k->definition)
		return rt_dx_must_recreate(x, &td->regen, k->definition);
	for (i = 0; i < k->ncolumns; i++)
		if (rt_dx_lower_has(&td->regen, k->columns[i]))
			return 1;
	return 0;
}

static const char *key_desc(dctx *x, const rt_key *k)
{
	return rt_dx_join(x, k->columns, k->ncolumns, 0);
}

/* "name (a, b)" or "(a, b)" */
static const char *key_named(dctx *x, const rt_key *k)
{
	return k->name ? rt_dx_fmt(x, "%s (%s)", k->name, key_desc(x, k))
		       : rt_dx_fmt(x, "(%s)", key_desc(x, k));
}

static void pk_pair(dctx *x, tdiff *td)
{
	const rt_key *a = td->from->primary_key, *b = td->to->primary_key;
	const rt_table *t = td->to;

	if (!a && !b)
		return;
	if (a && b && rt_sx_eq(a->name, b->name) &&
	    rt_dx_strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	    rt_sx_eq(a->definition, b->definition)) {
		if (key_must_recreate(x, td, a))
			recreate(x, td, RT_DROP_PRIMARY_KEY, RT_ADD_PRIMARY_KEY,
				 a->name, a, b);
		return;
	}
	if (a) {
		rt_dx_push(x, &td->drop_keys, RT_DROP_PRIMARY_KEY, t->schema,
			   t->name, a->name, a, NULL,
			   b ? NULL
			     : rt_dx_fmt(x, "drop primary key on %s (%s)",
					 td->disp, key_desc(x, a)),
			   NULL, b ? RT_CHANGE_IMPLIED : 0);
		td->keychanged = 1;
	}
	if (b)
		rt_dx_push(
		    x, &td->add_keys, RT_ADD_PRIMARY_KEY, t->schema, t->name,
		    b->name, NULL, b,
		    a ? rt_dx_fmt(x, "change primary key on %s from %s to %s",
				  td->disp, key_named(x, a), key_named(x, b))
		      : rt_dx_fmt(x, "add primary key on %s (%s)", td->disp,
				  key_desc(x, b)),
		    rt_dx_fmt(
			x,
			"adds a primary key to %s: fails if existing rows "
			"have duplicates or NULLs",
			td->disp),
		    0);
	if (x->dialect == RT_DIALECT_SQLITE)
		rt_dx_need_rebuild(td, "primary key changes");
}

static const char *named(dctx *x, const char *name)
{
	return name ? rt_dx_fmt(x, " %s", name) : "";
}

static void unique_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_key *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b && rt_sx_eq(a->name, b->name) &&
	    rt_dx_strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	    rt_sx_eq(a->definition, b->definition)) {
		if (key_must_recreate(x, td, a))
			recreate(x, td, RT_DROP_UNIQUE, RT_ADD_UNIQUE, a->name,
				 a, b);
		return;
	}
	if (a) {
		rt_dx_push(
		    x, &td->drop_keys, RT_DROP_UNIQUE, t->schema, t->name,
		    a->name, a, NULL,
		    b ? NULL
		      : rt_dx_fmt(x, "drop unique constraint%s on %s (%s)",
				  named(x, a->name), td->disp, key_desc(x, a)),
		    NULL, b ? RT_CHANGE_IMPLIED : 0);
		td->keychanged = 1;
	}
	if (b)
		rt_dx_push(
		    x, &td->add_keys, RT_ADD_UNIQUE, t->schema, t->name,
		    b->name, NULL, b,
		    a ? rt_dx_fmt(
			    x,
			    "change unique constraint%s on %s from (%s) to "
			    "(%s)",
			    named(x, b->name), td->disp, key_desc(x, a),
			    key_desc(x, b))
		      : rt_dx_fmt(x, "add unique constraint%s on %s (%s)",
				  named(x, b->name), td->disp, key_desc(x, b)),
		    rt_dx_fmt(x,
			      "adds a unique constraint to %s: fails if "
			      "existing rows have duplicates",
			      td->disp),
		    0);
	if (x->dialect == RT_DIALECT_SQLITE)
		rt_dx_need_rebuild(td, "unique constraint changes");
}

static void check_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_check *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b && rt_sx_eq(a->expr, b->expr)) {
		if (rt_dx_must_recreate(x, &td->regen, a->expr))
			recreate(x, td, RT_DROP_CHECK, RT_ADD_CHECK, a->name, a,
				 b);
		return;
	}
	if (a)
		rt_dx_push(x, &td->drop_keys, RT_DROP_CHECK, t->schema, t->name,
			   a->name, a, NULL,
			   b ? NULL
			     : rt_dx_fmt(x,
					 "drop check constraint%s on %s (%s)",
					 named(x, a->name), td->disp, a->expr),
			   NULL, b ? RT_CHANGE_IMPLIED : 0);
	if (b)
		rt_dx_push(
		    x, &td->add_keys, RT_ADD_CHECK, t->schema, t->name, b->name,
		    NULL, b,
		    a ? rt_dx_fmt(
			    x,
			    "change check constraint%s on %s from (%s) to (%s)",
			    named(x, b->name), td->disp, a->expr, b->expr)
		      : rt_dx_fmt(x, "add check constraint%s on %s (%s)",
				  named(x, b->name), td->disp, b->expr),
		    rt_dx_fmt(
			x,
			"adds a check constraint to %s: fails if existing "
			"rows violate it",
			td->disp),
		    0);
	if (x->dialect == RT_DIALECT_SQLITE)
		rt_dx_need_rebuild(td, "check constraint changes");
}

static int fk_equal(const rt_fk *a, const rt_fk *b)
{
	return rt_sx_eq(a->name, b->name) &&
	       rt_dx_strs_eq(a->columns, a->ncolumns, b->columns,
			     b->ncolumns) &&
	       rt_sx_eq(a->ref_schema, b->ref_schema) &&
	       rt_sx_eq(a->ref_table, b->ref_table) &&
	       rt_dx_strs_eq(a->ref_columns, a->nref_columns, b->ref_columns,
			     b->nref_columns) &&
	       rt_sx_eq(a->on_delete, b->on_delete) &&
	       rt_sx_eq(a->on_update, b->on_update) &&
	       a->deferrable == b->deferrable &&
	       a->initially_deferred == b->initially_deferred &&
	       rt_sx_eq(a->definition, b->definition);
}

static const char *fk_desc(dctx *x, const rt_fk *k)
{
	rt_str s = RT_STR_INIT;
	const char *out;

	rt_str_printf(&s, "(%s) references ",
		      rt_dx_join(x, k->columns, k->ncolumns, 0));
	rt_sx_display(&s, k->ref_schema, k->ref_table);
	if (k->nref_columns)
		rt_str_printf(
		    &s, " (%s)",
		    rt_dx_join(x, k->ref_columns, k->nref_columns, 0));
	if (k->on_delete && strcmp(k->on_delete, "NO ACTION"))
		rt_str_printf(&s, " ON DELETE %s", k->on_delete);
	if (k->on_update && strcmp(k->on_update, "NO ACTION"))
		rt_str_printf(&s, " ON UPDATE %s", k->on_update);
	if (k->deferrable)
		rt_str_printf(&s, " DEFERRABLE%s",
			      k->initially_deferred ? " INITIALLY DEFERRED"
						    : "");
	out = s.oom ? NULL : rt_arena_strdup(x->a, rt_str_cstr(&s));
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

static void fk_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_fk *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b && fk_equal(a, b)) {
		fkpair p = { t, a, b };
		size_t i;

		for (i = 0; i < a->ncolumns; i++)
			if (rt_dx_lower_has(&td->regen, a->columns[i]))
				break;
		if (i < a->ncolumns)
			recreate(x, td, RT_DROP_FK, RT_ADD_FK, a->name, a, b);
		else if (RT_VEC_PUSH(&x->kept_fks, p) < 0)
			x->oom = 1;
		return;
	}
	if (a)
		rt_dx_push(x, &td->drop_fk, RT_DROP_FK, t->schema, t->name,
			   a->name, a, NULL,
			   b ? NULL
			     : rt_dx_fmt(x, "drop foreign key%s on %s %s",
					 named(x, a->name), td->disp,
					 fk_desc(x, a)),
			   NULL, b ? RT_CHANGE_IMPLIED : 0);
	if (b)
		rt_dx_push(
		    x, &td->add_fk, RT_ADD_FK, t->schema, t->name, b->name,
		    NULL, b,
		    a ? rt_dx_fmt(x, "change foreign key%s on %s from %s to %s",
				  named(x, b->name), td->disp, fk_desc(x, a),
				  fk_desc(x, b))
		      : rt_dx_fmt(x, "add foreign key%s on %s %s",
				  named(x, b->name), td->disp, fk_desc(x, b)),
		    rt_dx_fmt(
			x,
			"adds a foreign key to %s: fails if existing rows "
			"reference missing rows",
			td->disp),
		    0);
	if (x->dialect == RT_DIALECT_SQLITE)
		rt_dx_need_rebuild(td, "foreign key changes");
}

static const char *index_desc(dctx *x, const rt_index *ix)
{
	const char *s =
	    rt_dx_fmt(x, "(%s)", rt_dx_join(x, ix->keys, ix->nkeys, 0));

	if (ix->method && strcmp(ix->method, "btree"))
		s = rt_dx_fmt(x, "USING %s %s", ix->method, s);
	if (ix->where)
		s = rt_dx_fmt(x, "%s WHERE %s", s, ix->where);
	return s;
}

static void index_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_index *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b &&
	    (x->dialect == RT_DIALECT_SQLITE
		 ? a->unique == b->unique &&
		       rt_dx_strs_eq(a->keys, a->nkeys, b->keys, b->nkeys) &&
		       rt_sx_eq(a->where, b->where)
		 : rt_sx_eq(a->definition, b->definition))) {
		rt_dx_index_kept(x, td->regen.n ? &td->regen : NULL,
				 &td->drop_keys, &td->add_keys, t->schema,
				 t->name, td->disp, a, b);
		if (a->unique &&
		    rt_dx_must_recreate(x, &td->regen, a->definition))
			td->keychanged = 1;
		return;
	}
	if (a) {
		rt_dx_push(x, &td->drop_keys, RT_DROP_INDEX, t->schema, t->name,
			   a->name, a, NULL,
			   b ? NULL
			     : rt_dx_fmt(x, "drop %sindex %s on %s %s",
					 a->unique ? "unique " : "", a->name,
					 td->disp, index_desc(x, a)),
			   NULL, b ? RT_CHANGE_IMPLIED : 0);
		if (a->unique)
			td->keychanged = 1;
	}
	if (b)
		rt_dx_push(
		    x, &td->add_keys, RT_ADD_INDEX, t->schema, t->name, b->name,
		    NULL, b,
		    a ? rt_dx_fmt(x, "change index %s on %s from %s%s to %s%s",
				  b->name, td->disp, a->unique ? "UNIQUE " : "",
				  index_desc(x, a), b->unique ? "UNIQUE " : "",
				  index_desc(x, b))
		      : rt_dx_fmt(x, "add %sindex %s on %s %s",
				  b->unique ? "unique " : "", b->name, td->disp,
				  index_desc(x, b)),
		    b->unique ? rt_dx_fmt(x,
					  "adds unique index %s: fails if "
					  "existing rows have duplicates",
					  b->name)
			      : NULL,
		    0);
}

void rt_dx_index_kept(dctx *x, const rt_map *regen, chvec *drops, chvec *adds,
		      const char *schema, const char *table, const char *disp,
		      const rt_index *a, const rt_index *b)
{
	int again = rt_dx_must_recreate(x, regen, a->definition);

	if (again)
		rt_dx_push(x, drops, RT_DROP_INDEX, schema, table, a->name, a,
			   NULL, NULL, NULL, RT_CHANGE_IMPLIED);
	if (!rt_sx_eq(a->comment, b->comment))
		rt_dx_push(x, adds, RT_CHANGE_INDEX_COMMENT, schema, table,
			   b->name, a, b,
			   rt_dx_fmt(x, "change comment on index %s on %s",
				     b->name, disp),
			   NULL, again ? RT_CHANGE_IN_REBUILD : 0);
	if (again)
		rt_dx_push(x, adds, RT_ADD_INDEX, schema, table, b->name, NULL,
			   b, NULL, NULL, RT_CHANGE_IMPLIED);
}

static void trigger_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_trigger *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b) {
		const char *ca = rt_sx_canon(x->a, x->dialect, a->definition,
					     strlen(a->definition), 0);
		const char *cb = rt_sx_canon(x->a, x->dialect, b->definition,
					     strlen(b->definition), 0);

		if (!ca || !cb)
			x->oom = 1;
		if (rt_sx_eq(ca, cb)) {
			trpair p = { t, a, b };

			if (RT_VEC_PUSH(&x->kept_triggers, p) < 0)
				x->oom = 1;
			return;
		}
	}
	if (a)
		rt_dx_push(x, &td->drop_trig, RT_DROP_TRIGGER, t->schema,
			   t->name, a->name, a, NULL,
			   b ? NULL
			     : rt_dx_fmt(x, "drop trigger %s on %s", a->name,
					 td->disp),
			   NULL, b ? RT_CHANGE_IMPLIED : 0);
	if (b)
		rt_dx_push(x, &td->add_trig, RT_ADD_TRIGGER, t->schema, t->name,
			   b->name, NULL, b,
			   rt_dx_fmt(x, "%s trigger %s on %s",
				     a ? "change" : "add", b->name, td->disp),
			   NULL, 0);
}

#define KV_FILL(x, v, arr, n, keyexpr)           \
	do {                                     \
		size_t i_;                       \
		for (i_ = 0; i_ < (n); i_++) {   \
			(v)[i_].p = &(arr)[i_];  \
			(v)[i_].key = (keyexpr); \
		}                                \
	} while (0)

void rt_dx_keys(dctx *x, tdiff *td)
{
	const rt_table *f = td->from, *t = td->to;
	size_t na =
	    f->nuniques + f->nchecks + f->nfks + f->nindexes + f->ntriggers;
	size_t nb =
	    t->nuniques + t->nchecks + t->nfks + t->nindexes + t->ntriggers;
	kv *a = malloc((na ? na : 1) * sizeof(*a));
	kv *b = malloc((nb ? nb : 1) * sizeof(*b));

	if (!a || !b) {
		x->oom = 1;
		goto done;
	}
	pk_pair(x, td);
#define UKEY(k) ((k).name ? (k).name : rt_dx_fmt(x, "(%s)", key_desc(x, &(k))))
	KV_FILL(x, a, f->uniques, f->nuniques, UKEY(f->uniques[i_]));
	KV_FILL(x, b, t->uniques, t->nuniques, UKEY(t->uniques[i_]));
	merge(x, td, a, f->nuniques, b, t->nuniques, unique_pair);
#undef UKEY
#define CKEY(k) ((k).name ? (k).name : rt_dx_fmt(x, "(%s)", (k).expr))
	KV_FILL(x, a, f->checks, f->nchecks, CKEY(f->checks[i_]));
	KV_FILL(x, b, t->checks, t->nchecks, CKEY(t->checks[i_]));
	merge(x, td, a, f->nchecks, b, t->nchecks, check_pair);
#undef CKEY
#define FKEY(k)                                                       \
	((k).name                                                     \
	     ? (k).name                                               \
	     : rt_dx_fmt(x, "(%s) %s.%s",                             \
			 rt_dx_join(x, (k).columns, (k).ncolumns, 0), \
			 (k).ref_schema ? (k).ref_schema : "", (k).ref_table))
	KV_FILL(x, a, f->fks, f->nfks, FKEY(f->fks[i_]));
	KV_FILL(x, b, t->fks, t->nfks, FKEY(t->fks[i_]));
	merge(x, td, a, f->nfks, b, t->nfks, fk_pair);
#undef FKEY
	KV_FILL(x, a, f->indexes, f->nindexes, f->indexes[i_].name);
	KV_FILL(x, b, t->indexes, t->nindexes, t->indexes[i_].name);
	merge(x, td, a, f->nindexes, b, t->nindexes, index_pair);
	KV_FILL(x, a, f->triggers, f->ntriggers, f->triggers[i_].name);
	KV_FILL(x, b, t->triggers, t->ntriggers, t->triggers[i_].name);
	merge(x, td, a, f->ntriggers, b, t->ntriggers, trigger_pair);
done:
	free(a);
	free(b);
}
