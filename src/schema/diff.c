/* SPDX-License-Identifier: MIT */
/*
 * diff.c: what it takes to turn one model into another (rt_schema_diff),
 * as a list of changes in the order the upgrade runs them.
 *
 * Changes are collected into phases, then concatenated:
 *   drop views (readers first);
 *   add schemas, extensions, enums and enum values, sequences;
 *   drop triggers, foreign keys, keys and indexes, PostgreSQL generated
 *     columns, tables (children first);
 *   recreate the PostgreSQL enums that lose or reorder values;
 *   add tables (parents first), column changes, PostgreSQL generated
 *     columns, SQLite rebuilds (parents first) and then their foreign
 *     key checks, keys and indexes, triggers, foreign keys, sequence
 *     owners, views (dependencies first) with their comments and indexes;
 *   drop sequences, enums, extensions, schemas.
 * A changed object is an RT_CHANGE_IMPLIED drop in its drop phase plus a
 * described add in its add phase. On SQLite, a table whose changes
 * ALTER TABLE cannot make gets an RT_REBUILD_TABLE; its changes stay in
 * the list (flagged RT_CHANGE_IN_REBUILD) so that `check` shows them.
 * Views that read a table that is rebuilt, loses a column or changes a
 * column's type are dropped and recreated around it (implied), and so are
 * views reading those views; on SQLite the same holds for triggers on
 * other tables that mention a rebuilt table (a rebuilt table's own
 * triggers are dropped before and created after all rebuilds), and on
 * PostgreSQL for foreign keys that reference a key being dropped and
 * re-added, or whose columns are converted (a cast, a recreated enum).
 * On PostgreSQL, a generated column whose expression changes, or that
 * reads a column whose type changes (or whose enum is recreated), is
 * dropped before the column changes and added after them, and the
 * indexes and constraints on it are recreated around it; so are those
 * that name a recreated enum.
 *
 * This file holds the entry points, joins the phases into one list, and
 * has the helpers the other diff files use (diff_internal.h lists the
 * files and what each diffs).
 *
 * Invariants: objects are matched by sorted merges or hash maps, never by
 * nested scans over all tables; every string lives in the diff's arena,
 * every object pointer points into the two models.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schema/diff_internal.h"
#include "sql/tokenize.h"

/* ------------------------------------------------------------------ */
/* Helpers */

const char *rt_dx_fmt(dctx *x, const char *f, ...)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	va_list ap;

	va_start(ap, f);
	rt_str_vprintf(&s, f, ap);
	va_end(ap);
	out = s.oom ? NULL : rt_arena_strndup(x->a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

const char *rt_dx_disp(dctx *x, const char *schema, const char *name)
{
	rt_str s = RT_STR_INIT;
	const char *out;

	rt_sx_display(&s, schema, name);
	out = s.oom ? NULL : rt_arena_strndup(x->a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

const char *rt_dx_join(dctx *x, const char *const *v, size_t n, int quote)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			rt_str_puts(&s, ", ");
		if (quote)
			rt_str_printf(&s, "'%s'", v[i]);
		else
			rt_str_puts(&s, v[i]);
	}
	out = s.oom ? NULL : rt_arena_strndup(x->a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

void rt_dx_push(dctx *x, chvec *v, rt_change_kind kind, const char *schema,
		const char *table, const char *name, const void *from,
		const void *to, const char *desc, const char *warn,
		unsigned flags)
{
	rt_change c;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.schema = schema;
	c.table = table;
	c.name = name;
	c.from = from;
	c.to = to;
	c.description = desc;
	c.warning = warn;
	c.flags = flags;
	if (RT_VEC_PUSH(v, c) < 0)
		x->oom = 1;
}

void rt_dx_append(dctx *x, chvec *dst, chvec *src, unsigned flags)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		src->v[i].flags |= flags;
		if (RT_VEC_PUSH(dst, src->v[i]) < 0)
			x->oom = 1;
	}
	RT_VEC_FREE(src);
}

int rt_dx_strs_eq(const char *const *a, size_t na, const char *const *b,
		  size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (!rt_sx_eq(a[i], b[i]))
			return 0;
	return 1;
}

void rt_dx_lower_put(dctx *x, rt_map *m, const char *name)
{
	char *k = rt_arena_strdup(x->a, name), *p;

	if (!k) {
		x->oom = 1;
		return;
	}
	for (p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (rt_map_put(m, k, strlen(k), 1) < 0)
		x->oom = 1;
}

const char *rt_dx_qkey(dctx *x, const char *schema, const char *name)
{
	return rt_dx_fmt(x, "%s\x1f%s", schema ? schema : "", name);
}

/* 1 when an identifier in `text` is a key of m (lower-cased). */
int rt_dx_mentions_any(rt_dialect d, const char *text, const rt_map *m)
{
	rt_sql_token tok;
	size_t pos = 0, len, i, n;
	char buf[256];
	uint32_t v;

	if (!text || !m->n)
		return 0;
	len = strlen(text);
	while (rt_sql_next(d, text, len, &pos, &tok)) {
		const char *p = text + tok.start;

		n = tok.len;
		if (tok.kind == RT_SQL_STRING && n >= 2 && p[0] != '\'') {
			p++;
			n -= 2;
		} else if (tok.kind != RT_SQL_WORD) {
			continue;
		}
		if (n >= sizeof(buf))
			continue;
		for (i = 0; i < n; i++)
			buf[i] = (char)tolower((unsigned char)p[i]);
		if (rt_map_get(m, buf, n, &v))
			return 1;
	}
	return 0;
}

int rt_dx_lower_has(const rt_map *m, const char *name)
{
	char buf[256];
	size_t n = name ? strlen(name) : 0, i;
	uint32_t v;

	if (!name || !m->n || n >= sizeof(buf))
		return 0;
	for (i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	return rt_map_get(m, buf, n, &v);
}

void rt_dx_need_rebuild(tdiff *td, const char *why)
{
	if (!td->rebuild)
		td->rebuild_why = why;
	td->rebuild = 1;
}

/* ------------------------------------------------------------------ */
/* Entry points */

static void make_notes(dctx *x, const rt_schema *f, const rt_schema *t)
{
	RT_VEC(const char *) v = RT_VEC_INIT;
	size_t i = 0, j = 0;

	while (i < f->nunsupported || j < t->nunsupported) {
		const char *a = i < f->nunsupported ? f->unsupported[i] : NULL;
		const char *b = j < t->nunsupported ? t->unsupported[j] : NULL;
		int c = !a ? 1 : !b ? -1 : strcmp(a, b);
		const char *n = rt_dx_fmt(
		    x, "%s is not supported: not compared", c <= 0 ? a : b);

		if (RT_VEC_PUSH(&v, n) < 0)
			x->oom = 1;
		i += c <= 0;
		j += c >= 0;
	}
	x->d->notes = rt_arena_alloc(x->a, (v.n ? v.n : 1) * sizeof(*v.v));
	if (!x->d->notes)
		x->oom = 1;
	else if (v.n)
		memcpy(x->d->notes, v.v, v.n * sizeof(*v.v));
	x->d->nnotes = v.n;
	RT_VEC_FREE(&v);
}

int rt_schema_diff(rt_diff **out, const rt_schema *from, const rt_schema *to,
		   rt_err *err)
{
	dctx x;
	rt_diff *d;
	size_t n = 0, p, i;
	int error = 0;

	*out = NULL;
	if (!from || !to)
		return rt_err_set(err, RETORT_EUSAGE,
				  "schema diff needs two models");
	if (from->dialect != to->dialect)
		return rt_err_set(err, RETORT_EUSAGE,
				  "cannot compare a %s schema with a %s schema",
				  rt_dialect_name(from->dialect),
				  rt_dialect_name(to->dialect));
	d = calloc(1, sizeof(*d));
	if (!d)
		return rt_err_oom(err);
	d->from = from;
	d->to = to;
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.a = &d->arena;
	x.dialect = from->dialect;
	rt_dx_schemas(&x, from, to);
	rt_dx_extensions(&x, from, to);
	rt_dx_enums(&x, from, to);
	rt_dx_sequences(&x, from, to);
	rt_dx_tables(&x, from, to);
	rt_dx_place_rebuilds(&x);
	rt_dx_reattach_fks(&x);
	rt_dx_reattach_triggers(&x);
	rt_dx_views(&x, from, to);
	make_notes(&x, from, to);
	for (p = 0; p < NPHASES; p++)
		n += x.ph[p].n;
	d->changes = rt_arena_alloc(x.a, (n ? n : 1) * sizeof(*d->changes));
	if (!d->changes)
		x.oom = 1;
	for (p = 0; p < NPHASES && d->changes; p++) {
		if (x.ph[p].n)
			memcpy(d->changes + d->nchanges, x.ph[p].v,
			       x.ph[p].n * sizeof(*x.ph[p].v));
		d->nchanges += x.ph[p].n;
	}
	if (x.oom)
		error = rt_err_oom(err);
	for (p = 0; p < NPHASES; p++)
		RT_VEC_FREE(&x.ph[p]);
	for (i = 0; i < x.rebuilds.n; i++)
		RT_VEC_FREE(&x.rebuilds.v[i].changes);
	RT_VEC_FREE(&x.rebuilds);
	RT_VEC_FREE(&x.kept_fks);
	RT_VEC_FREE(&x.kept_triggers);
	rt_map_free(&x.disturbed);
	rt_map_free(&x.keychanged);
	rt_map_free(&x.rebuilt);
	rt_map_free(&x.enum_types);
	rt_map_free(&x.enum_names);
	rt_map_free(&x.converted);
	if (error < 0) {
		rt_diff_free(d);
		return error;
	}
	*out = d;
	return 0;
}

void rt_diff_free(rt_diff *d)
{
	if (!d)
		return;
	rt_arena_free(&d->arena);
	free(d);
}

size_t rt_diff_count(const rt_diff *d)
{
	size_t i, n = 0;

	for (i = 0; d && i < d->nchanges; i++)
		n += !(d->changes[i].flags & RT_CHANGE_IMPLIED);
	return n;
}

int rt_diff_describe(const rt_diff *d, rt_str *out, rt_err *err)
{
	size_t i;

	for (i = 0; i < d->nchanges; i++) {
		const rt_change *c = &d->changes[i];

		if (c->flags & RT_CHANGE_IMPLIED || !c->description)
			continue;
		rt_str_puts(out, c->description);
		rt_str_putc(out, '\n');
	}
	for (i = 0; i < d->nnotes; i++)
		rt_str_printf(out, "note: %s\n", d->notes[i]);
	return out->oom ? rt_err_oom(err) : 0;
}
