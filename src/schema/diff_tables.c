/* SPDX-License-Identifier: MIT */
/*
 * diff_tables.c: tables added, dropped and changed, and what their
 * changes imply for others.
 *
 * Added tables are created parents first (PostgreSQL adds their foreign
 * keys in a later phase), dropped ones go children first; a changed
 * table's changes go into their phases (diff_columns.c, diff_keys.c), or
 * on SQLite, when ALTER TABLE cannot make them, into one RT_REBUILD_TABLE
 * per table, rebuilds placed parents first. Afterwards, unchanged foreign
 * keys onto a key that is dropped and re-added (PostgreSQL), and
 * unchanged triggers that mention a rebuilt table (SQLite), are dropped
 * and created again around it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema/diff_internal.h"

/* SQLite: td's changes become one RT_REBUILD_TABLE that carries them
 * (flagged RT_CHANGE_IN_REBUILD), placed by rt_dx_place_rebuilds. */
static void queue_rebuild(dctx *x, tdiff *td)
{
	const rt_table *f = td->from, *t = td->to;
	rebuild rb;
	size_t nsub;

	memset(&rb, 0, sizeof(rb));
	rb.from = f;
	rb.to = t;
	rt_dx_append(x, &rb.changes, &td->drop_trig, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->drop_fk, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->drop_keys, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->gen_drop, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->col_add, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->col_change, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->col_drop, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->gen_add, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->add_keys, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->add_trig, RT_CHANGE_IN_REBUILD);
	rt_dx_append(x, &rb.changes, &td->add_fk, RT_CHANGE_IN_REBUILD);
	nsub = rb.changes.n;
	rt_dx_push(
	    x, &rb.changes, RT_REBUILD_TABLE, t->schema, t->name, NULL, f, t,
	    nsub ? rt_dx_fmt(x, "rebuild table %s", td->disp)
		 : rt_dx_fmt(x, "rebuild table %s (%s)", td->disp,
			     td->rebuild_why),
	    rt_dx_fmt(x,
		      "rebuilds table %s (%s): every row is copied into a "
		      "new table; needs PRAGMA foreign_keys=OFF, or the "
		      "DROP TABLE deletes referencing rows or fails",
		      td->disp, td->rebuild_why),
	    nsub ? RT_CHANGE_IMPLIED : 0);
	if (RT_VEC_PUSH(&x->rebuilds, rb) < 0) {
		RT_VEC_FREE(&rb.changes);
		x->oom = 1;
	}
	/* its triggers go before and come back after every rebuild: a
	 * trigger that names another rebuilt table would break that
	 * table's rename */
	for (nsub = 0; nsub < f->ntriggers; nsub++)
		rt_dx_push(x, &x->ph[PH_DROP_TRIGGER], RT_DROP_TRIGGER,
			   f->schema, f->name, f->triggers[nsub].name,
			   &f->triggers[nsub], NULL, NULL, NULL,
			   RT_CHANGE_IMPLIED);
	for (nsub = 0; nsub < t->ntriggers; nsub++)
		rt_dx_push(x, &x->ph[PH_ADD_TRIGGER], RT_ADD_TRIGGER, t->schema,
			   t->name, t->triggers[nsub].name, NULL,
			   &t->triggers[nsub], NULL, NULL, RT_CHANGE_IMPLIED);
	rt_dx_lower_put(x, &x->disturbed, t->name);
	rt_dx_lower_put(x, &x->rebuilt, t->name);
}

/* A table on both sides: its changes into their phases, or into a
 * rebuild. */
static void diff_table(dctx *x, const rt_table *f, const rt_table *t)
{
	tdiff td;
	int lite = x->dialect == RT_DIALECT_SQLITE;

	memset(&td, 0, sizeof(td));
	td.from = f;
	td.to = t;
	td.disp = rt_dx_disp(x, t->schema, t->name);
	rt_dx_columns(x, &td);
	rt_dx_keys(x, &td);
	if (!rt_sx_eq(f->comment, t->comment))
		rt_dx_push(x, &td.col_change, RT_CHANGE_TABLE_COMMENT,
			   t->schema, t->name, NULL, f, t,
			   rt_dx_fmt(x, "change comment on table %s", td.disp),
			   NULL, 0);
	if (lite &&
	    (f->without_rowid != t->without_rowid || f->strict != t->strict))
		rt_dx_need_rebuild(&td, f->without_rowid != t->without_rowid
					    ? "WITHOUT ROWID changes"
					    : "STRICT changes");
	if (td.keychanged && !lite &&
	    rt_map_put(&x->keychanged, rt_dx_qkey(x, t->schema, t->name),
		       strlen(rt_dx_qkey(x, t->schema, t->name)), 1) < 0)
		x->oom = 1;
	if (td.rebuild) {
		/* the new CREATE TABLE text carries what the notes leave */
		RT_VEC_FREE(&td.notes);
		queue_rebuild(x, &td);
		goto done;
	}
	rt_dx_append(x, &x->ph[PH_COLUMNS], &td.notes, 0);
	rt_dx_append(x, &x->ph[PH_DROP_TRIGGER], &td.drop_trig, 0);
	rt_dx_append(x, &x->ph[PH_DROP_FK], &td.drop_fk, 0);
	rt_dx_append(x, &x->ph[PH_DROP_KEYS], &td.drop_keys, 0);
	rt_dx_append(x, &x->ph[PH_DROP_GENERATED], &td.gen_drop, 0);
	rt_dx_append(x, &x->ph[PH_COLUMNS], &td.col_add, 0);
	rt_dx_append(x, &x->ph[PH_COLUMNS], &td.col_change, 0);
	rt_dx_append(x, &x->ph[PH_COLUMNS], &td.col_drop, 0);
	rt_dx_append(x, &x->ph[PH_ADD_GENERATED], &td.gen_add, 0);
	rt_dx_append(x, &x->ph[PH_ADD_KEYS], &td.add_keys, 0);
	rt_dx_append(x, &x->ph[PH_ADD_TRIGGER], &td.add_trig, 0);
	rt_dx_append(x, &x->ph[PH_ADD_FK], &td.add_fk, 0);
	if (td.disturbed)
		rt_dx_lower_put(x, &x->disturbed, t->name);
done:
	rt_map_free(&td.retyped);
	rt_map_free(&td.regen);
}

/* Order tables so that referenced ones come first (only edges within
 * the set count). Returns a malloc'd index array, or NULL on OOM. */
static size_t *order_tables(const rt_table *const *v, size_t n)
{
	rt_map m = RT_MAP_INIT;
	RT_VEC(size_t) ef = RT_VEC_INIT, et = RT_VEC_INIT;
	size_t *order = malloc((n ? n : 1) * sizeof(*order)), i, k;
	rt_str key = RT_STR_INIT;
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	int ok = order && keys;

	for (i = 0; i < n && ok; i++) {
		rt_str_clear(&key);
		rt_str_printf(&key, "%s\x1f%s",
			      v[i]->schema ? v[i]->schema : "", v[i]->name);
		keys[i] = key.oom ? NULL : rt_strdup(key.ptr);
		ok = keys[i] &&
		     rt_map_put(&m, keys[i], strlen(keys[i]), (uint32_t)i) == 0;
	}
	for (i = 0; i < n && ok; i++) {
		for (k = 0; k < v[i]->nfks && ok; k++) {
			const rt_fk *fk = &v[i]->fks[k];
			const char *rs = fk->ref_schema ? fk->ref_schema
					 : v[i]->schema ? v[i]->schema
							: "";
			uint32_t j;

			rt_str_clear(&key);
			rt_str_printf(&key, "%s\x1f%s", rs, fk->ref_table);
			if (key.oom) {
				ok = 0;
				break;
			}
			if (rt_map_get(&m, key.ptr, key.len, &j) && j != i &&
			    (RT_VEC_PUSH(&ef, (size_t)j) < 0 ||
			     RT_VEC_PUSH(&et, i) < 0))
				ok = 0;
		}
	}
	if (ok && rt_sx_topo(n, ef.v, et.v, ef.n, order) < 0)
		ok = 0;
	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	rt_str_dispose(&key);
	rt_map_free(&m);
	RT_VEC_FREE(&ef);
	RT_VEC_FREE(&et);
	if (!ok) {
		free(order);
		return NULL;
	}
	return order;
}

void rt_dx_tables(dctx *x, const rt_schema *f, const rt_schema *t)
{
	RT_VEC(const rt_table *) added = RT_VEC_INIT, dropped = RT_VEC_INIT;
	size_t i = 0, j = 0, *order = NULL, k, m;
	/* foreign keys are separate statements (not SQLite's CREATE TABLE) */
	int pg = x->dialect != RT_DIALECT_SQLITE;

	while (i < f->ntables || j < t->ntables) {
		const rt_table *a = i < f->ntables ? &f->tables[i] : NULL;
		const rt_table *b = j < t->ntables ? &t->tables[j] : NULL;
		int c = !a   ? 1
			: !b ? -1
			     : rt_sx_cmp_name(a->schema, a->name, b->schema,
					      b->name);

		if (c < 0) {
			if (RT_VEC_PUSH(&dropped, a) < 0)
				x->oom = 1;
		} else if (c > 0) {
			if (RT_VEC_PUSH(&added, b) < 0)
				x->oom = 1;
		} else {
			diff_table(x, a, b);
		}
		i += c <= 0;
		j += c >= 0;
	}
	/* drops: children first */
	if (dropped.n && !(order = order_tables(dropped.v, dropped.n)))
		x->oom = 1;
	for (k = dropped.n; order && k-- > 0;) {
		const rt_table *a = dropped.v[order[k]];
		const char *n = rt_dx_disp(x, a->schema, a->name);

		rt_dx_push(
		    x, &x->ph[PH_DROP_TABLE], RT_DROP_TABLE, a->schema, a->name,
		    NULL, a, NULL, rt_dx_fmt(x, "drop table %s", n),
		    rt_dx_fmt(x, "drops table %s and all its rows", n), 0);
		rt_dx_lower_put(x, &x->disturbed, a->name);
		/* PostgreSQL: in a reference cycle among dropped tables,
		 * a table dropped earlier is still referenced: that
		 * foreign key goes first */
		for (m = 0; pg && m < a->nfks; m++) {
			const rt_fk *fk = &a->fks[m];
			size_t q;

			for (q = k + 1; q < dropped.n; q++) {
				const rt_table *o = dropped.v[order[q]];

				if (rt_sx_eq(o->name, fk->ref_table) &&
				    rt_sx_eq(o->schema, fk->ref_schema
							    ? fk->ref_schema
							    : a->schema))
					break;
			}
			if (q < dropped.n)
				rt_dx_push(x, &x->ph[PH_DROP_FK], RT_DROP_FK,
					   a->schema, a->name, fk->name, fk,
					   NULL, NULL, NULL, RT_CHANGE_IMPLIED);
		}
	}
	free(order);
	order = NULL;
	/* adds: parents first; PostgreSQL adds foreign keys afterwards */
	if (added.n && !(order = order_tables(added.v, added.n)))
		x->oom = 1;
	for (k = 0; order && k < added.n; k++) {
		const rt_table *b = added.v[order[k]];

		rt_dx_push(x, &x->ph[PH_ADD_TABLE], RT_ADD_TABLE, b->schema,
			   b->name, NULL, NULL, b,
			   rt_dx_fmt(x, "add table %s",
				     rt_dx_disp(x, b->schema, b->name)),
			   NULL, 0);
		for (m = 0; pg && m < b->nfks; m++)
			rt_dx_push(x, &x->ph[PH_ADD_FK], RT_ADD_FK, b->schema,
				   b->name, b->fks[m].name, NULL, &b->fks[m],
				   NULL, NULL, RT_CHANGE_IMPLIED);
	}
	free(order);
	RT_VEC_FREE(&added);
	RT_VEC_FREE(&dropped);
}

/* SQLite rebuilds, parents first, then a foreign key check of each. */
void rt_dx_place_rebuilds(dctx *x)
{
	size_t n = x->rebuilds.n, k, *order;
	const rt_table **v = calloc(n ? n : 1, sizeof(*v));

	if (!v) {
		x->oom = 1;
		return;
	}
	for (k = 0; k < n; k++)
		v[k] = x->rebuilds.v[k].to;
	order = order_tables(v, n);
	if (!order)
		x->oom = 1;
	for (k = 0; order && k < n; k++) {
		const rt_table *t = x->rebuilds.v[order[k]].to;

		rt_dx_append(x, &x->ph[PH_REBUILD],
			     &x->rebuilds.v[order[k]].changes, 0);
		/* after every rebuild: in a reference cycle, a table's
		 * foreign keys may need the key another rebuild adds */
		rt_dx_push(x, &x->ph[PH_FK_CHECK], RT_CHECK_FOREIGN_KEYS,
			   t->schema, t->name, NULL, NULL, t, NULL, NULL,
			   RT_CHANGE_IMPLIED);
	}
	free(order);
	free(v);
}

/* 1 when one of the columns is in x->converted. */
static int any_converted(dctx *x, const char *schema, const char *table,
			 const char *const *cols, size_t n)
{
	size_t i;
	uint32_t v;

	for (i = 0; i < n && x->converted.n; i++) {
		const char *k = rt_dx_fmt(x, "%s\x1f%s\x1f%s",
					  schema ? schema : "", table, cols[i]);

		if (rt_map_get(&x->converted, k, strlen(k), &v))
			return 1;
	}
	return 0;
}

/* PostgreSQL and MySQL: unchanged foreign keys onto a key that is
 * dropped and re-added, or on columns (either side) whose values are
 * converted (MySQL: whose type changes at all), are dropped first and
 * added again. */
void rt_dx_reattach_fks(dctx *x)
{
	size_t i;

	for (i = 0; i < x->kept_fks.n; i++) {
		const fkpair *p = &x->kept_fks.v[i];
		const char *rs =
		    p->to->ref_schema ? p->to->ref_schema : p->table->schema;
		const char *k = rt_dx_qkey(x, rs, p->to->ref_table);
		uint32_t v;

		if (!rt_map_get(&x->keychanged, k, strlen(k), &v) &&
		    !any_converted(x, p->table->schema, p->table->name,
				   p->to->columns, p->to->ncolumns) &&
		    !any_converted(x, rs, p->to->ref_table, p->to->ref_columns,
				   p->to->nref_columns))
			continue;
		rt_dx_push(x, &x->ph[PH_DROP_FK], RT_DROP_FK, p->table->schema,
			   p->table->name, p->from->name, p->from, NULL, NULL,
			   NULL, RT_CHANGE_IMPLIED);
		rt_dx_push(x, &x->ph[PH_ADD_FK], RT_ADD_FK, p->table->schema,
			   p->table->name, p->to->name, NULL, p->to, NULL, NULL,
			   RT_CHANGE_IMPLIED);
	}
}

/* SQLite: triggers on other tables that mention a rebuilt table would
 * break its rename; they are dropped and created again around it. */
void rt_dx_reattach_triggers(dctx *x)
{
	size_t i;

	for (i = 0; i < x->kept_triggers.n; i++) {
		const trpair *p = &x->kept_triggers.v[i];
		char buf[256];
		size_t n = strlen(p->table->name), q;
		uint32_t v;

		/* triggers on a rebuilt table are the rebuild's */
		if (n < sizeof(buf)) {
			for (q = 0; q < n; q++)
				buf[q] = (char)tolower(
				    (unsigned char)p->table->name[q]);
			if (rt_map_get(&x->rebuilt, buf, n, &v))
				continue;
		}
		if (!rt_dx_mentions_any(x->dialect, p->from->definition,
					&x->rebuilt))
			continue;
		rt_dx_push(x, &x->ph[PH_DROP_TRIGGER], RT_DROP_TRIGGER,
			   p->table->schema, p->table->name, p->from->name,
			   p->from, NULL, NULL, NULL, RT_CHANGE_IMPLIED);
		rt_dx_push(x, &x->ph[PH_ADD_TRIGGER], RT_ADD_TRIGGER,
			   p->table->schema, p->table->name, p->to->name, NULL,
			   p->to, NULL, NULL, RT_CHANGE_IMPLIED);
	}
}
