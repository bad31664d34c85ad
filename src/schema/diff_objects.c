/* SPDX-License-Identifier: MIT */
/*
 * diff_objects.c: the objects outside tables: schemas, extensions, enums
 * and sequences (PostgreSQL).
 *
 * Each list is merged in (schema, name) order. An enum that only gains
 * values gets ALTER TYPE ... ADD VALUE changes; one that loses or
 * reorders values is recreated (RT_CHANGE_ENUM: renamed away, created
 * anew, the columns that keep the type converted; the old type dropped
 * at the end) and the tables with columns of that type count as
 * disturbed, so views reading them are recreated; diff_columns.c and
 * diff_keys.c recreate what else depends on it (x->enum_types). A sequence's new owner is set in its own phase, once the
 * owning column exists.
 */
#include <string.h>

#include "schema/diff_internal.h"

void rt_dx_schemas(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nschemas || j < t->nschemas) {
		int c = i >= f->nschemas ? 1
			: j >= t->nschemas
			    ? -1
			    : rt_sx_cmp(f->schemas[i], t->schemas[j]);

		if (c < 0) {
			const char *n = f->schemas[i++];

			rt_dx_push(
			    x, &x->ph[PH_DROP_SCHEMA], RT_DROP_SCHEMA, n, n,
			    NULL, n, NULL, rt_dx_fmt(x, "drop schema %s", n),
			    rt_dx_fmt(
				x,
				"drops schema %s; fails if it still holds "
				"objects the declared schema does not know",
				n),
			    0);
		} else if (c > 0) {
			const char *n = t->schemas[j++];

			rt_dx_push(x, &x->ph[PH_ADD_SCHEMA], RT_ADD_SCHEMA, n,
				   n, NULL, NULL, n,
				   rt_dx_fmt(x, "add schema %s", n), NULL, 0);
		} else {
			i++;
			j++;
		}
	}
}

void rt_dx_extensions(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nextensions || j < t->nextensions) {
		const rt_extension *a =
		    i < f->nextensions ? &f->extensions[i] : NULL;
		const rt_extension *b =
		    j < t->nextensions ? &t->extensions[j] : NULL;
		int c = !a ? 1 : !b ? -1 : rt_sx_cmp(a->name, b->name);

		if (a && c <= 0 &&
		    (c < 0 || !b || !rt_sx_eq(a->schema, b->schema)))
			rt_dx_push(
			    x, &x->ph[PH_DROP_EXTENSION], RT_DROP_EXTENSION,
			    a->schema, a->name, NULL, a, NULL,
			    c < 0 ? rt_dx_fmt(x, "drop extension %s", a->name)
				  : NULL,
			    c < 0
				? rt_dx_fmt(x,
					    "drops extension %s and the types "
					    "and functions it provides; fails "
					    "while other objects use them",
					    a->name)
				: NULL,
			    c < 0 ? 0 : RT_CHANGE_IMPLIED);
		if (b && c >= 0 &&
		    (c > 0 || !a || !rt_sx_eq(a->schema, b->schema)))
			rt_dx_push(
			    x, &x->ph[PH_ADD_EXTENSION], RT_ADD_EXTENSION,
			    b->schema, b->name, NULL, NULL, b,
			    c > 0 ? rt_dx_fmt(x, "add extension %s", b->name)
				  : rt_dx_fmt(
					x,
					"move extension %s from schema %s "
					"to %s",
					b->name, a ? a->schema : "", b->schema),
			    NULL, 0);
		i += c <= 0;
		j += c >= 0;
	}
}

static void put_exact(dctx *x, rt_map *m, const rt_str *k)
{
	const char *key = k->oom ? NULL : rt_arena_strdup(x->a, k->ptr);

	if (!key || rt_map_put(m, key, strlen(key), 1) < 0)
		x->oom = 1;
}

/* Columns of `s` whose type is the enum (or an array of it); the enum's
 * names go into x->enum_types and x->enum_names. */
static void disturb_enum_users(dctx *x, const rt_schema *s, const rt_enum *e)
{
	rt_str tn = RT_STR_INIT, arr = RT_STR_INIT;
	size_t i, k;

	rt_sx_pg_type_name(&tn, e);
	rt_str_printf(&arr, "%s[]", rt_str_cstr(&tn));
	put_exact(x, &x->enum_types, &tn);
	put_exact(x, &x->enum_types, &arr);
	rt_dx_lower_put(x, &x->enum_names, e->name);
	for (i = 0; i < s->ntables; i++) {
		const rt_table *t = &s->tables[i];

		for (k = 0; k < t->ncolumns; k++)
			if (rt_sx_eq(t->columns[k].type, rt_str_cstr(&tn)) ||
			    rt_sx_eq(t->columns[k].type, rt_str_cstr(&arr))) {
				rt_dx_lower_put(x, &x->disturbed, t->name);
				break;
			}
	}
	rt_str_dispose(&tn);
	rt_str_dispose(&arr);
}

/* 1 when every label of a appears in b, in the same order. */
static int labels_kept(const rt_enum *a, const rt_enum *b)
{
	size_t i = 0, j;

	for (j = 0; j < b->nlabels && i < a->nlabels; j++)
		if (rt_sx_eq(a->labels[i], b->labels[j]))
			i++;
	return i == a->nlabels;
}

static int has_label(const rt_enum *e, const char *l)
{
	size_t i;

	for (i = 0; i < e->nlabels; i++)
		if (rt_sx_eq(e->labels[i], l))
			return 1;
	return 0;
}

static void diff_enum(dctx *x, const rt_schema *fs, const rt_enum *a,
		      const rt_enum *b)
{
	const char *n = rt_dx_disp(x, b->schema, b->name);
	size_t j;

	if (rt_dx_strs_eq(a->labels, a->nlabels, b->labels, b->nlabels))
		return;
	if (labels_kept(a, b)) {
		for (j = 0; j < b->nlabels; j++)
			if (!has_label(a, b->labels[j]))
				rt_dx_push(
				    x, &x->ph[PH_ENUM], RT_ADD_ENUM_VALUE,
				    b->schema, b->name, b->labels[j], a, b,
				    rt_dx_fmt(x, "add value '%s' to enum %s",
					      b->labels[j], n),
				    NULL, 0);
		return;
	}
	{
		RT_VEC(const char *) gone = RT_VEC_INIT;
		const char *warn;

		for (j = 0; j < a->nlabels; j++)
			if (!has_label(b, a->labels[j]) &&
			    RT_VEC_PUSH(&gone, a->labels[j]) < 0)
				x->oom = 1;
		if (gone.n)
			warn = rt_dx_fmt(
			    x,
			    "drops value%s %s from enum %s: converting "
			    "the columns fails if rows hold %s",
			    gone.n > 1 ? "s" : "",
			    rt_dx_join(x, gone.v, gone.n, 1), n,
			    gone.n > 1 ? "them" : "it");
		else
			warn =
			    rt_dx_fmt(x,
				      "recreates enum %s to reorder its values "
				      "and converts the columns using it",
				      n);
		RT_VEC_FREE(&gone);
		rt_dx_push(x, &x->ph[PH_CHANGE_ENUM], RT_CHANGE_ENUM, b->schema,
			   b->name, NULL, a, b,
			   rt_dx_fmt(x, "change enum %s from (%s) to (%s)", n,
				     rt_dx_join(x, a->labels, a->nlabels, 1),
				     rt_dx_join(x, b->labels, b->nlabels, 1)),
			   warn, 0);
		/* the old type goes once no column uses it */
		rt_dx_push(x, &x->ph[PH_DROP_ENUM], RT_DROP_ENUM, a->schema,
			   rt_dx_fmt(x, "%s__retort_old", a->name), NULL, a,
			   NULL, NULL, NULL, RT_CHANGE_IMPLIED);
		disturb_enum_users(x, fs, a);
	}
}

void rt_dx_enums(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nenums || j < t->nenums) {
		const rt_enum *a = i < f->nenums ? &f->enums[i] : NULL;
		const rt_enum *b = j < t->nenums ? &t->enums[j] : NULL;
		int c = !a   ? 1
			: !b ? -1
			     : rt_sx_cmp_name(a->schema, a->name, b->schema,
					      b->name);

		if (c < 0 && a)
			rt_dx_push(x, &x->ph[PH_DROP_ENUM], RT_DROP_ENUM,
				   a->schema, a->name, NULL, a, NULL,
				   rt_dx_fmt(x, "drop enum %s",
					     rt_dx_disp(x, a->schema, a->name)),
				   NULL, 0);
		else if (c > 0 && b)
			rt_dx_push(
			    x, &x->ph[PH_ENUM], RT_ADD_ENUM, b->schema, b->name,
			    NULL, NULL, b,
			    rt_dx_fmt(x, "add enum %s (%s)",
				      rt_dx_disp(x, b->schema, b->name),
				      rt_dx_join(x, b->labels, b->nlabels, 1)),
			    NULL, 0);
		else if (a && b)
			diff_enum(x, f, a, b);
		i += c <= 0;
		j += c >= 0;
	}
}

static void seq_change(dctx *x, const rt_sequence *a, const rt_sequence *b)
{
	rt_str s = RT_STR_INIT;
	const char *n = rt_dx_disp(x, b->schema, b->name);

#define SEQ_FIELD(f, label)                                       \
	if (a->f != b->f)                                         \
		rt_str_printf(&s, "%s" label " %lld -> %lld",     \
			      s.len ? ", " : "", (long long)a->f, \
			      (long long)b->f);
	if (!rt_sx_eq(a->type, b->type))
		rt_str_printf(&s, "type %s -> %s", a->type, b->type);
	SEQ_FIELD(start, "start")
	SEQ_FIELD(increment, "increment")
	SEQ_FIELD(min, "minvalue")
	SEQ_FIELD(max, "maxvalue")
	SEQ_FIELD(cache, "cache")
	SEQ_FIELD(cycle, "cycle")
#undef SEQ_FIELD
	if (!rt_sx_eq(a->owned_by, b->owned_by))
		rt_str_printf(&s, "%sowned by %s -> %s", s.len ? ", " : "",
			      a->owned_by ? a->owned_by : "none",
			      b->owned_by ? b->owned_by : "none");
	if (s.len) {
		rt_dx_push(
		    x, &x->ph[PH_SEQUENCE], RT_CHANGE_SEQUENCE, b->schema,
		    b->name, NULL, a, b,
		    rt_dx_fmt(x, "change sequence %s (%s)", n, rt_str_cstr(&s)),
		    rt_dx_type_change(a->type, b->type) == TC_NARROW ||
			    b->max < a->max
			? rt_dx_fmt(x,
				    "narrows sequence %s: fails if its current "
				    "value is past the new maximum",
				    n)
			: NULL,
		    0);
		if (b->owned_by && !rt_sx_eq(a->owned_by, b->owned_by))
			rt_dx_push(x, &x->ph[PH_SEQ_OWNER],
				   RT_SET_SEQUENCE_OWNER, b->schema, b->name,
				   NULL, a, b, NULL, NULL, RT_CHANGE_IMPLIED);
	}
	if (s.oom)
		x->oom = 1;
	rt_str_dispose(&s);
}

void rt_dx_sequences(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nsequences || j < t->nsequences) {
		const rt_sequence *a =
		    i < f->nsequences ? &f->sequences[i] : NULL;
		const rt_sequence *b =
		    j < t->nsequences ? &t->sequences[j] : NULL;
		int c = !a   ? 1
			: !b ? -1
			     : rt_sx_cmp_name(a->schema, a->name, b->schema,
					      b->name);

		if (c < 0 && a) {
			rt_dx_push(
			    x, &x->ph[PH_DROP_SEQUENCE], RT_DROP_SEQUENCE,
			    a->schema, a->name, NULL, a, NULL,
			    rt_dx_fmt(x, "drop sequence %s",
				      rt_dx_disp(x, a->schema, a->name)),
			    a->owned_by
				? NULL
				: rt_dx_fmt(x,
					    "drops sequence %s and its "
					    "current value",
					    rt_dx_disp(x, a->schema, a->name)),
			    0);
		} else if (c > 0 && b) {
			rt_dx_push(x, &x->ph[PH_SEQUENCE], RT_ADD_SEQUENCE,
				   b->schema, b->name, NULL, NULL, b,
				   rt_dx_fmt(x, "add sequence %s",
					     rt_dx_disp(x, b->schema, b->name)),
				   NULL, 0);
			if (b->owned_by)
				rt_dx_push(x, &x->ph[PH_SEQ_OWNER],
					   RT_SET_SEQUENCE_OWNER, b->schema,
					   b->name, NULL, NULL, b, NULL, NULL,
					   RT_CHANGE_IMPLIED);
		} else if (a && b) {
			seq_change(x, a, b);
		}
		i += c <= 0;
		j += c >= 0;
	}
}
