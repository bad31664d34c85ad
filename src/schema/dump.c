/* SPDX-License-Identifier: MIT */
/*
 * dump.c: a model as deterministic DDL (rt_schema_dump) that loads back
 * into an empty database of the same dialect and introspects to an equal
 * model, so it can serve as a declared schema.
 *
 * Order: PostgreSQL schemas, extensions, enums and sequences; tables with
 * their indexes (and SQLite triggers, PostgreSQL comments), sorted by
 * (schema, name); PostgreSQL foreign keys and sequence owners once every
 * table exists; views, each after the views it reads. The model's lists
 * are sorted, so the same database always gives the same text.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/internal.h"

int rt_schema_dump(const rt_schema *s, rt_str *out, rt_err *err)
{
	rt_dialect d;
	size_t i, k, *order;

	if (!s)
		return rt_err_set(err, RETORT_EUSAGE, "no schema to dump");
	d = s->dialect;
	if (d != RT_DIALECT_SQLITE && d != RT_DIALECT_POSTGRESQL &&
	    d != RT_DIALECT_MYSQL)
		return rt_err_set(err, RETORT_EUSAGE, "cannot dump a %s schema",
				  rt_dialect_name(d));
	for (i = 0; i < s->nunsupported; i++)
		rt_str_printf(out, "-- not included (unsupported): %s\n",
			      s->unsupported[i]);
	if (s->nunsupported)
		rt_str_putc(out, '\n');
	for (i = 0; i < s->nschemas; i++) {
		rt_str_puts(out, "CREATE SCHEMA ");
		rt_sql_ident(out, d, s->schemas[i]);
		rt_str_puts(out, ";\n");
	}
	for (i = 0; i < s->nextensions; i++)
		rt_sx_emit_extension(out, &s->extensions[i]);
	for (i = 0; i < s->nenums; i++)
		rt_sx_emit_enum(out, &s->enums[i]);
	for (i = 0; i < s->nsequences; i++)
		rt_sx_emit_sequence(out, &s->sequences[i]);
	for (i = 0; i < s->ntables; i++) {
		if (out->len)
			rt_str_putc(out, '\n');
		rt_sx_emit_table(out, d, &s->tables[i]);
	}
	if (d == RT_DIALECT_MYSQL) {
		int gap = 1;

		for (i = 0; i < s->ntables; i++)
			for (k = 0; k < s->tables[i].nfks; k++) {
				if (gap && out->len)
					rt_str_putc(out, '\n');
				gap = 0;
				rt_sx_my_fk(out, s->tables[i].name,
					    &s->tables[i].fks[k]);
			}
	}
	if (d == RT_DIALECT_POSTGRESQL) {
		int gap = 1;

		for (i = 0; i < s->ntables; i++)
			for (k = 0; k < s->tables[i].nfks; k++) {
				if (gap && out->len)
					rt_str_putc(out, '\n');
				gap = 0;
				rt_sx_emit_fk(out, &s->tables[i],
					      &s->tables[i].fks[k]);
			}
		for (i = 0; i < s->nsequences; i++)
			if (s->sequences[i].owned_by)
				rt_sx_emit_sequence_owner(out,
							  &s->sequences[i]);
	}
	order = malloc((s->nviews ? s->nviews : 1) * sizeof(*order));
	if (!order || rt_sx_view_order(d, s->views, s->nviews, order) < 0) {
		free(order);
		return rt_err_oom(err);
	}
	for (i = 0; i < s->nviews; i++) {
		if (out->len)
			rt_str_putc(out, '\n');
		rt_sx_emit_view(out, d, &s->views[order[i]]);
	}
	free(order);
	return out->oom ? rt_err_oom(err) : 0;
}
