/* SPDX-License-Identifier: MIT */
/*
 * introspect_sqlite.c: a SQLite database's schema as a model, in five
 * queries whatever the number of tables: sqlite_schema, pragma_table_list,
 * and the table-valued pragmas table_xinfo, index_list + index_xinfo and
 * foreign_key_list joined against sqlite_schema. What the pragmas do not
 * say (constraint names, CHECK expressions, collations, AUTOINCREMENT,
 * generated expressions, DEFERRABLE) comes from the CREATE TABLE text
 * (sqlite_parse.c).
 *
 * Invariants: rows are attached to their table through a hash map, never
 * by scanning; internal tables (sqlite_*), shadow tables of virtual
 * tables and retort's own tables are left out; virtual tables and
 * triggers on views are listed in `unsupported`.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/internal.h"
#include "schema/sqlite_parse.h"
#include "util/map.h"
#include "util/vec.h"

/* clang-format off */
#define NOT_INTERNAL "m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

static const char q_objects[] =
	"SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_schema m "
	"WHERE " NOT_INTERNAL;
static const char q_list[] =
	"SELECT name, type, wr, strict FROM pragma_table_list "
	"WHERE schema = 'main'";
static const char q_columns[] =
	"SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, "
	"p.hidden FROM sqlite_schema m JOIN pragma_table_xinfo(m.name) p "
	"WHERE m.type = 'table' AND " NOT_INTERNAL
	" ORDER BY m.name, p.cid";
static const char q_uniques[] =
	"SELECT m.name, il.name, ix.name FROM sqlite_schema m "
	"JOIN pragma_index_list(m.name) il "
	"JOIN pragma_index_xinfo(il.name) ix "
	"WHERE m.type = 'table' AND " NOT_INTERNAL
	" AND il.origin = 'u' AND ix.key = 1 "
	"ORDER BY m.name, il.name, ix.seqno";
static const char q_fks[] =
	"SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", "
	"f.on_update, f.on_delete FROM sqlite_schema m "
	"JOIN pragma_foreign_key_list(m.name) f "
	"WHERE m.type = 'table' AND " NOT_INTERNAL
	" ORDER BY m.name, f.id, f.seq";
/* clang-format on */

typedef struct tinfo { /* per table, while building */
	rt_sqlite_tablespec spec;
	rt_sx_tparts p;
	RT_VEC(int) pkpos;	/* pk position of each column (0: not in pk) */
	unsigned char *fk_used; /* spec constraints matched to a pragma fk */
} tinfo;

typedef struct build {
	rt_schema *s;
	rt_arena *a;
	rt_map names; /* table name -> index */
	RT_VEC(rt_table) tables;
	RT_VEC(tinfo) info;
	RT_VEC(rt_view) views;
	rt_sx_strvec unsupported;
	rt_map views_by_name;
	int oom;
} build;

#define dup(b, s) rt_sx_dup((b)->a, (s), &(b)->oom)
#define note(b, ...) \
	rt_sx_note((b)->a, &(b)->unsupported, &(b)->oom, __VA_ARGS__)

static int find_table(const build *b, const char *name, size_t *i)
{
	uint32_t v;

	if (!name || !rt_map_get(&b->names, name, strlen(name), &v))
		return 0;
	*i = v;
	return 1;
}

static int excluded(const rt_introspect_opts *o, const char *name)
{
	return (o->version_table && rt_sx_ieq(name, o->version_table)) ||
	       (o->log_table && rt_sx_ieq(name, o->log_table));
}

static const rt_sqlite_colspec *colspec(const tinfo *ti, const char *name)
{
	size_t i;

	for (i = 0; i < ti->spec.ncolumns; i++)
		if (rt_sx_ieq(ti->spec.columns[i].name, name))
			return &ti->spec.columns[i];
	return NULL;
}

static int same_names(const char *const *a, size_t na, const char *const *b,
		      size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (!rt_sx_ieq(a[i], b[i]))
			return 0;
	return 1;
}

/* Names of the shadow tables of virtual tables (pragma_table_list). */
static void shadow_tables(build *b, const rt_rows *list, rt_map *shadow)
{
	size_t r;

	for (r = 0; r < list->nrows; r++) {
		const char *type = rt_rows_at(list, r, 1);

		if (type && !strcmp(type, "shadow") &&
		    rt_map_put(shadow, rt_rows_at(list, r, 0),
			       strlen(rt_rows_at(list, r, 0)), 1) < 0)
			b->oom = 1;
	}
}

/* The tables of sqlite_schema (not internal, shadow, virtual or
 * retort's own), each with its parsed CREATE TABLE text. */
static int add_tables(build *b, const rt_rows *rows, const rt_map *shadow,
		      const rt_introspect_opts *o, rt_err *err)
{
	size_t r;
	int error;

	for (r = 0; r < rows->nrows && !b->oom; r++) {
		const char *type = rt_rows_at(rows, r, 0);
		const char *name = rt_rows_at(rows, r, 1);
		const char *sql = rt_rows_at(rows, r, 3);
		uint32_t v;
		rt_table t;
		tinfo ti;

		if (strcmp(type, "table") || !sql || excluded(o, name) ||
		    rt_map_get(shadow, name, strlen(name), &v))
			continue;
		if (!strncasecmp(sql, "CREATE VIRTUAL", 14)) {
			if (rt_sx_keep_note(o->filter, RT_KIND_TABLE, "main",
					    name))
				note(b, "virtual table %s", name);
			continue;
		}
		memset(&t, 0, sizeof(t));
		memset(&ti, 0, sizeof(ti));
		t.name = dup(b, name);
		t.sql = dup(b, sql);
		if (b->oom)
			break;
		if ((error = rt_sqlite_parse_table(&ti.spec, b->a, sql, err)) <
		    0)
			return error;
		if (RT_VEC_PUSH(&b->tables, t) < 0 ||
		    RT_VEC_PUSH(&b->info, ti) < 0 ||
		    rt_map_put(&b->names, t.name, strlen(t.name),
			       (uint32_t)(b->tables.n - 1)) < 0)
			b->oom = 1;
	}
	return 0;
}

/* WITHOUT ROWID and STRICT, from pragma_table_list. */
static void table_flags(build *b, const rt_rows *list)
{
	size_t r, i;

	for (r = 0; r < list->nrows && !b->oom; r++) {
		if (find_table(b, rt_rows_at(list, r, 0), &i)) {
			const char *wr = rt_rows_at(list, r, 2);
			const char *st = rt_rows_at(list, r, 3);

			b->tables.v[i].without_rowid = wr && !strcmp(wr, "1");
			b->tables.v[i].strict = st && !strcmp(st, "1");
		}
	}
}

static int add_view(build *b, const char *name, const char *sql, rt_err *err)
{
	rt_view v;
	int error;

	memset(&v, 0, sizeof(v));
	v.name = dup(b, name);
	v.sql = dup(b, sql);
	if ((error = rt_sqlite_parse_view(&v.definition, b->a, sql, err)) < 0)
		return error;
	if (RT_VEC_PUSH(&b->views, v) < 0)
		b->oom = 1;
	return 0;
}

/* An index of a table we keep (others are skipped). */
static int add_index(build *b, const char *name, const char *tbl,
		     const char *sql, rt_err *err)
{
	rt_sqlite_indexspec spec;
	rt_index ix;
	size_t i;
	int error;

	if (!find_table(b, tbl, &i))
		return 0;
	if ((error = rt_sqlite_parse_index(&spec, b->a, sql, err)) < 0)
		return error;
	memset(&ix, 0, sizeof(ix));
	ix.name = dup(b, name);
	ix.unique = spec.unique;
	ix.keys = spec.keys;
	ix.nkeys = spec.nkeys;
	ix.where = spec.where;
	ix.definition = dup(b, sql);
	if (RT_VEC_PUSH(&b->info.v[i].p.indexes, ix) < 0)
		b->oom = 1;
	return 0;
}

/* A trigger on a table we keep; one on a view is noted as unsupported. */
static void add_trigger(build *b, const char *name, const char *tbl,
			const char *sql, const rt_introspect_opts *o)
{
	rt_trigger tr;
	size_t i;

	if (!find_table(b, tbl, &i)) {
		if (!excluded(o, tbl) &&
		    rt_sx_keep_note(o->filter, RT_KIND_TRIGGER, "main", tbl))
			note(b, "trigger %s (on view %s)", name, tbl);
		return;
	}
	tr.name = dup(b, name);
	tr.definition = dup(b, sql);
	if (RT_VEC_PUSH(&b->info.v[i].p.triggers, tr) < 0)
		b->oom = 1;
}

/* Views, indexes and triggers of sqlite_schema, once the tables are
 * known. */
static int add_others(build *b, const rt_rows *rows,
		      const rt_introspect_opts *o, rt_err *err)
{
	size_t r;
	int error = 0;

	for (r = 0; r < rows->nrows && !b->oom && !error; r++) {
		const char *type = rt_rows_at(rows, r, 0);
		const char *name = rt_rows_at(rows, r, 1);
		const char *tbl = rt_rows_at(rows, r, 2);
		const char *sql = rt_rows_at(rows, r, 3);

		if (!sql)
			continue;
		if (!strcmp(type, "view"))
			error = add_view(b, name, sql, err);
		else if (!strcmp(type, "index"))
			error = add_index(b, name, tbl, sql, err);
		else if (!strcmp(type, "trigger"))
			add_trigger(b, name, tbl, sql, o);
	}
	return error;
}

/* Tables, views, indexes and triggers from sqlite_schema. */
static int load_objects(build *b, const rt_driver *drv, rt_conn *c,
			const rt_introspect_opts *o, rt_err *err)
{
	rt_rows list, rows;
	rt_map shadow = RT_MAP_INIT;
	int error;

	if ((error = drv->query(c, q_list, &list, err)) < 0)
		return error;
	if ((error = drv->query(c, q_objects, &rows, err)) < 0) {
		rt_rows_free(&list);
		return error;
	}
	shadow_tables(b, &list, &shadow);
	/* tables first, so that indexes and triggers find them */
	if ((error = add_tables(b, &rows, &shadow, o, err)) < 0)
		goto done;
	table_flags(b, &list);
	if ((error = add_others(b, &rows, o, err)) < 0)
		goto done;
	error = b->oom ? rt_err_oom(err) : 0;
done:
	rt_map_free(&shadow);
	rt_rows_free(&list);
	rt_rows_free(&rows);
	return error;
}

static int load_columns(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r, i;
	int error;

	if ((error = drv->query(c, q_columns, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *type = rt_rows_at(&rows, r, 2);
		const char *dflt = rt_rows_at(&rows, r, 4);
		const char *pk = rt_rows_at(&rows, r, 5);
		const char *hidden = rt_rows_at(&rows, r, 6);
		const rt_sqlite_colspec *cs;
		rt_column col;
		tinfo *ti;

		if (!find_table(b, rt_rows_at(&rows, r, 0), &i))
			continue;
		ti = &b->info.v[i];
		memset(&col, 0, sizeof(col));
		col.name = dup(b, rt_rows_at(&rows, r, 1));
		col.type =
		    rt_sx_canon(b->a, RT_DIALECT_SQLITE, type ? type : "",
				type ? strlen(type) : 0, 1);
		col.not_null = !strcmp(rt_rows_at(&rows, r, 3), "1");
		if (dflt)
			col.default_expr = rt_sx_canon(b->a, RT_DIALECT_SQLITE,
						       dflt, strlen(dflt), 0);
		if (!col.type || (dflt && !col.default_expr))
			b->oom = 1;
		cs = colspec(ti, col.name);
		if (cs) {
			col.collation = cs->collation;
			col.identity = cs->autoincrement ? 'i' : 0;
			col.definition = cs->definition;
			col.default_is_expr = cs->default_is_expr;
			if (hidden &&
			    (!strcmp(hidden, "2") || !strcmp(hidden, "3"))) {
				col.generated = cs->generated;
				col.generated_stored = !strcmp(hidden, "3");
			}
		}
		if (RT_VEC_PUSH(&ti->p.cols, col) < 0 ||
		    RT_VEC_PUSH(&ti->pkpos, atoi(pk ? pk : "0")) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return b->oom ? rt_err_oom(err) : 0;
}

/* Rows of one group (same table, same second column) as a name list. */
static const char **group_names(build *b, const rt_rows *rows, size_t from,
				size_t to, size_t col)
{
	const char **v =
	    rt_arena_alloc(b->a, (to - from ? to - from : 1) * sizeof(*v));
	size_t r;

	if (!v) {
		b->oom = 1;
		return NULL;
	}
	for (r = from; r < to; r++)
		v[r - from] = dup(b, rt_rows_at(rows, r, col));
	return v;
}

static int load_uniques(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r, e, i, k;
	int error;

	if ((error = drv->query(c, q_uniques, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r = e) {
		const char *tbl = rt_rows_at(&rows, r, 0);
		const char *ix = rt_rows_at(&rows, r, 1);
		rt_key key;
		tinfo *ti;

		for (e = r + 1;
		     e < rows.nrows && !strcmp(rt_rows_at(&rows, e, 0), tbl) &&
		     !strcmp(rt_rows_at(&rows, e, 1), ix);
		     e++)
			;
		if (!find_table(b, tbl, &i))
			continue;
		ti = &b->info.v[i];
		memset(&key, 0, sizeof(key));
		key.columns = group_names(b, &rows, r, e, 2);
		key.ncolumns = e - r;
		for (k = 0; k < ti->spec.nconstraints && key.columns; k++) {
			const rt_sqlite_constraint *sc =
			    &ti->spec.constraints[k];

			if (sc->kind == 'u' && sc->name &&
			    same_names(sc->columns, sc->ncolumns, key.columns,
				       key.ncolumns)) {
				key.name = sc->name;
				break;
			}
		}
		if (RT_VEC_PUSH(&ti->p.uniques, key) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return b->oom ? rt_err_oom(err) : 0;
}

static int load_fks(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r, e, i, k;
	int error;

	if ((error = drv->query(c, q_fks, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r = e) {
		const char *tbl = rt_rows_at(&rows, r, 0);
		const char *id = rt_rows_at(&rows, r, 1);
		int implicit = 0;
		rt_fk fk;
		tinfo *ti;

		for (e = r + 1;
		     e < rows.nrows && !strcmp(rt_rows_at(&rows, e, 0), tbl) &&
		     !strcmp(rt_rows_at(&rows, e, 1), id);
		     e++)
			;
		if (!find_table(b, tbl, &i))
			continue;
		ti = &b->info.v[i];
		for (k = r; k < e; k++)
			implicit |= rt_rows_at(&rows, k, 4) == NULL;
		memset(&fk, 0, sizeof(fk));
		fk.ref_table = dup(b, rt_rows_at(&rows, r, 2));
		fk.columns = group_names(b, &rows, r, e, 3);
		fk.ncolumns = e - r;
		if (!implicit) {
			fk.ref_columns = group_names(b, &rows, r, e, 4);
			fk.nref_columns = e - r;
		}
		fk.on_update = dup(b, rt_rows_at(&rows, r, 5));
		fk.on_delete = dup(b, rt_rows_at(&rows, r, 6));
		if (!ti->fk_used && ti->spec.nconstraints) {
			ti->fk_used = calloc(ti->spec.nconstraints, 1);
			if (!ti->fk_used)
				b->oom = 1;
		}
		for (k = 0;
		     k < ti->spec.nconstraints && fk.columns && ti->fk_used;
		     k++) {
			const rt_sqlite_constraint *sc =
			    &ti->spec.constraints[k];

			if (sc->kind != 'f' || ti->fk_used[k] ||
			    !rt_sx_ieq(sc->ref_table, fk.ref_table) ||
			    !same_names(sc->columns, sc->ncolumns, fk.columns,
					fk.ncolumns))
				continue;
			ti->fk_used[k] = 1;
			fk.name = sc->name;
			fk.deferrable = sc->deferrable;
			fk.initially_deferred = sc->initially_deferred;
			break;
		}
		if (RT_VEC_PUSH(&ti->p.fks, fk) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return b->oom ? rt_err_oom(err) : 0;
}

#define TO_ARENA(b, dst, ndst, vec) \
	RT_SX_TO_ARENA((b)->a, (b)->oom, dst, ndst, vec)

/* Move each table's vectors into the arena; primary keys and checks. */
static void finish_tables(build *b)
{
	size_t i, k, npk;

	for (i = 0; i < b->tables.n && !b->oom; i++) {
		rt_table *t = &b->tables.v[i];
		tinfo *ti = &b->info.v[i];

		for (k = 0; k < ti->spec.nconstraints; k++) {
			const rt_sqlite_constraint *sc =
			    &ti->spec.constraints[k];
			rt_check ck;

			if (sc->kind != 'c')
				continue;
			ck.name = sc->name;
			ck.expr = sc->expr;
			if (RT_VEC_PUSH(&ti->p.checks, ck) < 0)
				b->oom = 1;
		}
		rt_sx_tparts_finish(b->a, &b->oom, t, &ti->p);
		for (k = npk = 0; k < ti->pkpos.n; k++)
			npk += ti->pkpos.v[k] > 0;
		if (npk && !b->oom) {
			rt_key *pk = rt_arena_alloc(b->a, sizeof(*pk));

			if (pk)
				pk->columns = rt_arena_alloc(
				    b->a, npk * sizeof(*pk->columns));
			if (!pk || !pk->columns) {
				b->oom = 1;
				break;
			}
			for (k = 0; k < ti->pkpos.n; k++) {
				int pos = ti->pkpos.v[k];

				if (pos > 0 && (size_t)pos <= npk)
					pk->columns[pos - 1] =
					    t->columns[k].name;
			}
			pk->ncolumns = npk;
			for (k = 0; k < ti->spec.nconstraints; k++)
				if (ti->spec.constraints[k].kind == 'p')
					pk->name = ti->spec.constraints[k].name;
			t->primary_key = pk;
		}
	}
}

int rt_sx_introspect_sqlite(rt_schema *s, const rt_driver *drv, rt_conn *c,
			    const rt_introspect_opts *o, rt_err *err)
{
	build b;
	size_t i;
	int error;

	memset(&b, 0, sizeof(b));
	b.s = s;
	b.a = &s->arena;
	if ((error = load_objects(&b, drv, c, o, err)) < 0 ||
	    (error = load_columns(&b, drv, c, err)) < 0 ||
	    (error = load_uniques(&b, drv, c, err)) < 0 ||
	    (error = load_fks(&b, drv, c, err)) < 0)
		goto done;
	finish_tables(&b);
	TO_ARENA(&b, s->tables, s->ntables, b.tables);
	TO_ARENA(&b, s->views, s->nviews, b.views);
	TO_ARENA(&b, s->unsupported, s->nunsupported, b.unsupported);
	if (b.oom)
		error = rt_err_oom(err);
done:
	for (i = 0; i < b.info.n; i++) {
		tinfo *ti = &b.info.v[i];

		rt_sx_tparts_free(&ti->p);
		RT_VEC_FREE(&ti->pkpos);
		free(ti->fk_used);
	}
	RT_VEC_FREE(&b.info);
	RT_VEC_FREE(&b.tables);
	RT_VEC_FREE(&b.views);
	RT_VEC_FREE(&b.unsupported);
	rt_map_free(&b.names);
	rt_map_free(&b.views_by_name);
	return error;
}
