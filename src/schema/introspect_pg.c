/* SPDX-License-Identifier: MIT */
/*
 * introspect_pg.c: a PostgreSQL database's schema as a model, read from
 * pg_catalog in a fixed number of queries for the whole database (ten,
 * whatever the number of tables): namespaces, relations, columns,
 * constraints, indexes, enums, sequences, extensions, what hangs off
 * those (materialized view indexes, comments on indexes and view
 * columns, identity options), and everything the model does not cover
 * (listed in `unsupported`).
 *
 * Text comes back as the server prints it (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef), so two
 * databases with equal definitions give equal strings.
 *
 * Invariants: pg_catalog, information_schema, pg_toast and temporary
 * schemas are never read; objects that belong to an extension (pg_depend
 * deptype 'e') are left out, and so are identity sequences (deptype 'i'),
 * retort's own tables and the sequences they own. Rows are attached to
 * their table through a hash map keyed "schema\x1f" "name" (the names
 * as the catalogs have them).
 *
 * Schema names in the model are the session's view (see internal.h):
 * the default schema (current_schema()) is "", and is left out of the
 * index definitions the server qualifies; public, when it is not the
 * default, is rt_sx_public. So a declared schema that names no schema gives
 * SQL that names none, whatever search_path says.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schema/internal.h"
#include "sql/tokenize.h"
#include "util/map.h"
#include "util/vec.h"

/* clang-format off */
#define NSP_OK(n) \
	" " n ".nspname NOT IN ('pg_catalog', 'information_schema') AND " \
	n ".nspname NOT LIKE 'pg\\_toast%' AND " \
	n ".nspname NOT LIKE 'pg\\_temp\\_%' "
#define NOT_EXT(cls, oid) \
	" NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" cls \
	"'::regclass AND e.objid = " oid " AND e.deptype = 'e') "

static const char q_schemas[] =
	"SELECT n.nspname, n.nspname = pg_catalog.current_schema(), "
	"pg_catalog.quote_ident(n.nspname) FROM pg_namespace n "
	"WHERE" NSP_OK("n") "AND" NOT_EXT("pg_namespace", "n.oid");

static const char q_relations[] =
	"SELECT n.nspname, c.relname, c.relkind, c.relispartition, "
	"ds.description, "
	"CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, "
	"EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid), "
	"c.relrowsecurity "
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
	"LEFT JOIN pg_description ds ON ds.objoid = c.oid AND "
	"ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0 "
	"WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND" NSP_OK("n")
	"AND" NOT_EXT("pg_class", "c.oid");

static const char q_columns[] =
	"SELECT n.nspname, c.relname, a.attname, "
	"format_type(a.atttypid, a.atttypmod), a.attnotnull, "
	"pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
	"CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation "
	"THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) "
	"ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END "
	"END, ds.description, a.attnum "
	"FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_type t ON t.oid = a.atttypid "
	"LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND "
	"d.adnum = a.attnum "
	"LEFT JOIN pg_collation co ON co.oid = a.attcollation "
	"LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace "
	"LEFT JOIN pg_description ds ON ds.objoid = c.oid AND "
	"ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum "
	"WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND"
	NSP_OK("n") "ORDER BY n.nspname, c.relname, a.attnum";

static const char q_constraints[] =
	"SELECT n.nspname, c.relname, k.conname, k.contype, "
	"pg_get_constraintdef(k.oid), k.conkey, rn.nspname, rc.relname, "
	"CASE WHEN k.contype = 'f' THEN ARRAY(SELECT a.attname "
	"FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) "
	"JOIN pg_attribute a ON a.attrelid = k.confrelid AND "
	"a.attnum = u.num ORDER BY u.ord) END, "
	"k.confupdtype, k.confdeltype, k.condeferrable, k.condeferred "
	"FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"LEFT JOIN pg_class rc ON rc.oid = k.confrelid "
	"LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
	"WHERE c.relkind = 'r' AND k.contype IN ('p', 'u', 'c', 'f', 'x') AND"
	NSP_OK("n");

/* pg_get_indexdef costs tens of microseconds an index: plain indexes
 * (columns only, default operator classes and collations, no options)
 * leave it NULL and their definition is written from indkey. */
static const char q_indexes[] =
	"SELECT n.nspname, c.relname, i.relname, x.indisunique, am.amname, "
	"CASE WHEN x.indexprs IS NULL AND x.indpred IS NULL AND "
	"i.reloptions IS NULL AND i.reltablespace = 0 AND "
	"x.indnatts = x.indnkeyatts AND NOT x.indnullsnotdistinct AND "
	"x.indoption::text ~ '^[0 ]*$' AND x.indclass::oid[] <@ "
	"(SELECT array_agg(oid) FROM pg_opclass WHERE opcdefault) AND "
	"x.indcollation::oid[] <@ '{0,100}'::oid[] AND NOT EXISTS "
	"(SELECT 1 FROM pg_attribute ia WHERE ia.attrelid = x.indexrelid "
	"AND ia.attoptions IS NOT NULL) "
	"THEN NULL ELSE pg_get_indexdef(x.indexrelid) END, "
	"pg_get_expr(x.indpred, x.indrelid), x.indkey, x.indcollation "
	"FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
	"JOIN pg_class c ON c.oid = x.indrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_am am ON am.oid = i.relam "
	"WHERE c.relkind = 'r' AND" NSP_OK("n")
	"AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE "
	"k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND "
	"k.contype IN ('p', 'u', 'x'))";

static const char q_enums[] =
	"SELECT n.nspname, t.typname, ARRAY(SELECT e.enumlabel FROM pg_enum e "
	"WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), "
	"format_type(t.oid, NULL) "
	"FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
	"WHERE t.typtype = 'e' AND" NSP_OK("n")
	"AND" NOT_EXT("pg_type", "t.oid");

static const char q_sequences[] =
	"SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), "
	"s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, "
	"s.seqcycle, o.nspname, o.relname, o.attname "
	"FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"LEFT JOIN LATERAL (SELECT rn.nspname, rc.relname, a.attname "
	"FROM pg_depend d JOIN pg_class rc ON rc.oid = d.refobjid "
	"JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
	"JOIN pg_attribute a ON a.attrelid = d.refobjid AND "
	"a.attnum = d.refobjsubid "
	"WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND "
	"d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' LIMIT 1) o "
	"ON true WHERE" NSP_OK("n")
	"AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE "
	"e.classid = 'pg_class'::regclass AND e.objid = c.oid AND "
	"e.deptype IN ('e', 'i'))";

static const char q_extensions[] =
	"SELECT e.extname, n.nspname FROM pg_extension e "
	"JOIN pg_namespace n ON n.oid = e.extnamespace "
	"WHERE e.extname <> 'plpgsql'";

/* What hangs off the relations above, one kind a row: 'i' an index of a
 * materialized view (unique, method, definition, predicate), 'c' the
 * comment on an index, 'v' the comment on a view's column, 's' the
 * options of an identity column's sequence (start, increment, min, max,
 * cache, cycle). */
static const char q_extras[] =
	"SELECT 'i', n.nspname, c.relname, i.relname, x.indisunique::text, "
	"am.amname::text, pg_get_indexdef(x.indexrelid), "
	"pg_get_expr(x.indpred, x.indrelid), NULL, NULL "
	"FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
	"JOIN pg_class c ON c.oid = x.indrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_am am ON am.oid = i.relam "
	"WHERE c.relkind = 'm' AND" NSP_OK("n")
	"AND" NOT_EXT("pg_class", "c.oid")
	"UNION ALL SELECT 'c', n.nspname, c.relname, i.relname, "
	"ds.description, NULL, NULL, NULL, NULL, NULL "
	"FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
	"JOIN pg_class c ON c.oid = x.indrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_description ds ON ds.objoid = i.oid AND "
	"ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0 "
	"WHERE c.relkind IN ('r', 'm') AND" NSP_OK("n")
	"UNION ALL SELECT 'v', n.nspname, c.relname, a.attname, "
	"ds.description, NULL, NULL, NULL, NULL, NULL "
	"FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_description ds ON ds.objoid = c.oid AND "
	"ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum "
	"WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND" NSP_OK("n")
	"UNION ALL SELECT 's', n.nspname, c.relname, a.attname, "
	"q.seqstart::text, q.seqincrement::text, q.seqmin::text, "
	"q.seqmax::text, q.seqcache::text, q.seqcycle::text "
	"FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND "
	"d.refobjid = c.oid AND d.refobjsubid = a.attnum AND "
	"d.classid = 'pg_class'::regclass AND d.deptype = 'i' "
	"JOIN pg_sequence q ON q.seqrelid = d.objid "
	"WHERE c.relkind = 'r' AND a.attidentity <> '' AND" NSP_OK("n");

/* Everything the model does not cover, one "kind name" a row, with the
 * kind for filters, its schema and the table it belongs to. */
static const char q_unsupported[] =
	"SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN "
	"'aggregate ' WHEN 'w' THEN 'window function ' ELSE 'function ' END "
	"|| n.nspname || '.' || p.proname || '(' || "
	"pg_get_function_identity_arguments(p.oid) || ')', 'function', "
	"n.nspname, NULL "
	"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
	"WHERE" NSP_OK("n") "AND" NOT_EXT("pg_proc", "p.oid")
	"UNION ALL SELECT 'trigger ' || t.tgname || ' on ' || n.nspname || "
	"'.' || c.relname, 'trigger', n.nspname, c.relname FROM pg_trigger t "
	"JOIN pg_class c ON c.oid = t.tgrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"WHERE NOT t.tgisinternal AND" NSP_OK("n")
	"AND" NOT_EXT("pg_class", "c.oid")
	"UNION ALL SELECT CASE t.typtype WHEN 'd' THEN 'domain ' WHEN 'r' "
	"THEN 'range type ' ELSE 'composite type ' END || n.nspname || '.' "
	"|| t.typname, CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, "
	"n.nspname, NULL FROM pg_type t "
	"JOIN pg_namespace n ON n.oid = t.typnamespace "
	"LEFT JOIN pg_class c ON c.oid = t.typrelid "
	"WHERE (t.typtype IN ('d', 'r') OR (t.typtype = 'c' AND "
	"c.relkind = 'c')) AND" NSP_OK("n") "AND" NOT_EXT("pg_type", "t.oid")
	"UNION ALL SELECT 'policy ' || p.polname || ' on ' || n.nspname || "
	"'.' || c.relname, 'policy', n.nspname, c.relname FROM pg_policy p "
	"JOIN pg_class c ON c.oid = p.polrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" NSP_OK("n")
	"UNION ALL SELECT 'rule ' || r.rulename || ' on ' || n.nspname || "
	"'.' || c.relname, 'rule', n.nspname, c.relname FROM pg_rewrite r "
	"JOIN pg_class c ON c.oid = r.ev_class "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"WHERE r.rulename <> '_RETURN' AND" NSP_OK("n")
	"AND" NOT_EXT("pg_class", "c.oid")
	"UNION ALL SELECT 'collation ' || n.nspname || '.' || co.collname, "
	"'collation', n.nspname, NULL "
	"FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace "
	"WHERE" NSP_OK("n") "AND" NOT_EXT("pg_collation", "co.oid")
	"UNION ALL SELECT 'event trigger ' || evtname, 'trigger', NULL, NULL "
	"FROM pg_event_trigger";
/* clang-format on */

typedef struct tinfo {
	rt_sx_tparts p;
	RT_VEC(const char *) byattnum; /* column names by attnum */
} tinfo;

typedef struct build {
	rt_arena *a;
	rt_map names; /* "schema\x1fname" -> table index */
	rt_str key;   /* scratch */
	RT_VEC(rt_table) tables;
	RT_VEC(tinfo) info;
	RT_VEC(rt_view) views;
	RT_VEC(const char *) schemas;
	RT_VEC(rt_enum) enums;
	RT_VEC(rt_sequence) sequences;
	RT_VEC(rt_extension) extensions;
	rt_sx_strvec unsupported;
	const rt_introspect_opts *o;
	const char *own_schema; /* where retort's tables live */
	const char *dflt;	/* current_schema(), "public" when none */
	const char *dflt_on;	/* " ON <quote_ident(dflt)>." */
	int oom;
} build;

#define dup(b, s) rt_sx_dup((b)->a, (s), &(b)->oom)
#define note(b, ...) \
	rt_sx_note((b)->a, &(b)->unsupported, &(b)->oom, __VA_ARGS__)

static int is_true(const char *s)
{
	return s && s[0] == 't';
}

static int find_table(build *b, const char *schema, const char *name, size_t *i)
{
	uint32_t v;

	if (!schema || !name)
		return 0;
	rt_str_clear(&b->key);
	rt_str_printf(&b->key, "%s\x1f%s", schema, name);
	if (b->key.oom) {
		b->oom = 1;
		return 0;
	}
	if (!rt_map_get(&b->names, b->key.ptr, b->key.len, &v))
		return 0;
	*i = v;
	return 1;
}

/* A schema name from the catalogs as the model spells it. */
static const char *nsp(build *b, const char *raw)
{
	if (!raw)
		return NULL;
	if (!strcmp(raw, b->dflt))
		return "";
	if (!strcmp(raw, "public"))
		return rt_sx_public;
	return dup(b, raw);
}

/* pg_get_indexdef's "... ON schema.table ..." without the default
 * schema. */
static const char *unqualify_index(build *b, const char *def)
{
	const char *on = def ? strstr(def, b->dflt_on) : NULL;
	rt_str s = RT_STR_INIT;
	const char *out;

	if (!on)
		return dup(b, def);
	rt_str_append(&s, def, (size_t)(on - def));
	rt_str_puts(&s, " ON ");
	rt_str_puts(&s, on + strlen(b->dflt_on));
	out = s.oom ? NULL : rt_arena_strdup(b->a, s.ptr);
	if (!out)
		b->oom = 1;
	rt_str_dispose(&s);
	return out;
}

static int excluded(const build *b, const char *schema, const char *name)
{
	const rt_introspect_opts *o = b->o;

	if (!rt_sx_eq(schema, b->own_schema))
		return 0;
	return (o->version_table && rt_sx_eq(name, o->version_table)) ||
	       (o->log_table && rt_sx_eq(name, o->log_table));
}

/* A text[] / name[] value as printed by PostgreSQL: {a,"b c"}. */
static const char **parse_array(build *b, const char *s, size_t *n)
{
	RT_VEC(const char *) v = RT_VEC_INIT;
	rt_str item = RT_STR_INIT;
	const char **out;

	*n = 0;
	if (!s || *s != '{') {
		out = rt_arena_alloc(b->a, sizeof(*out));
		if (!out)
			b->oom = 1;
		return out;
	}
	s++;
	while (*s && *s != '}') {
		rt_str_clear(&item);
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && s[1])
					s++;
				rt_str_putc(&item, *s);
			}
			if (*s == '"')
				s++;
		} else {
			while (*s && *s != ',' && *s != '}')
				rt_str_putc(&item, *s++);
		}
		if (item.oom || RT_VEC_PUSH(&v, dup(b, rt_str_cstr(&item))) < 0)
			b->oom = 1;
		if (*s == ',')
			s++;
	}
	rt_str_dispose(&item);
	out = rt_arena_alloc(b->a, (v.n ? v.n : 1) * sizeof(*out));
	if (!out)
		b->oom = 1;
	else if (v.n)
		memcpy(out, v.v, v.n * sizeof(*out));
	*n = v.n;
	RT_VEC_FREE(&v);
	return out;
}

static int load_namespaces(build *b, const rt_driver *drv, rt_conn *c,
			   rt_err *err)
{
	rt_rows rows;
	rt_str on = RT_STR_INIT;
	size_t r;
	int error;

	if ((error = drv->query(c, q_schemas, &rows, err)) < 0)
		return error;
	/* the default schema: current_schema(), or public when no schema
	 * of the search path exists */
	b->dflt = "public";
	for (r = 0; r < rows.nrows; r++)
		if (is_true(rt_rows_at(&rows, r, 1))) {
			b->dflt = dup(b, rt_rows_at(&rows, r, 0));
			rt_str_printf(&on, " ON %s.", rt_rows_at(&rows, r, 2));
		}
	if (!on.len)
		rt_str_puts(&on, " ON public.");
	b->dflt_on = on.oom ? NULL : rt_arena_strdup(b->a, on.ptr);
	rt_str_dispose(&on);
	if (!b->dflt || !b->dflt_on)
		b->oom = 1;
	/* the default schema and public are there on both sides */
	for (r = 0; r < rows.nrows; r++) {
		const char *n = rt_rows_at(&rows, r, 0);

		if (strcmp(n, "public") && strcmp(n, b->dflt) &&
		    RT_VEC_PUSH(&b->schemas, dup(b, n)) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

static int load_relations(build *b, const rt_driver *drv, rt_conn *c,
			  rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_relations, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *ns = rt_rows_at(&rows, r, 0);
		const char *name = rt_rows_at(&rows, r, 1);
		char kind = rt_rows_at(&rows, r, 2)[0];
		rt_str disp = RT_STR_INIT;

		rt_sx_display(&disp, ns, name);
		if (excluded(b, ns, name)) {
			rt_str_dispose(&disp);
			continue;
		}
		if (kind == 'p' || kind == 'f' ||
		    (kind == 'r' && is_true(rt_rows_at(&rows, r, 3)))) {
			if (rt_sx_keep_note(b->o->filter, RT_KIND_TABLE, ns,
					    name))
				note(b, "%s %s",
				     kind == 'p'   ? "partitioned table"
				     : kind == 'f' ? "foreign table"
						   : "partition",
				     rt_str_cstr(&disp));
		} else if (kind == 'v' || kind == 'm') {
			rt_view v;
			const char *def = rt_rows_at(&rows, r, 5);
			size_t n = def ? strlen(def) : 0;

			while (n && (def[n - 1] == ';' || def[n - 1] == ' ' ||
				     def[n - 1] == '\n'))
				n--;
			memset(&v, 0, sizeof(v));
			v.schema = nsp(b, ns);
			v.name = dup(b, name);
			v.comment = dup(b, rt_rows_at(&rows, r, 4));
			v.materialized = kind == 'm';
			v.definition =
			    rt_arena_strndup(b->a, def ? def : "", n);
			if (!v.definition || RT_VEC_PUSH(&b->views, v) < 0)
				b->oom = 1;
		} else {
			rt_table t;
			tinfo ti;
			rt_str key = RT_STR_INIT;
			const char *k;

			int noted = rt_sx_keep_note(b->o->filter, RT_KIND_TABLE,
						    ns, name);

			if (noted && is_true(rt_rows_at(&rows, r, 6)))
				note(b, "table inheritance of %s",
				     rt_str_cstr(&disp));
			if (noted && is_true(rt_rows_at(&rows, r, 7)))
				note(b, "row level security on %s",
				     rt_str_cstr(&disp));
			memset(&t, 0, sizeof(t));
			memset(&ti, 0, sizeof(ti));
			t.schema = nsp(b, ns);
			t.name = dup(b, name);
			t.comment = dup(b, rt_rows_at(&rows, r, 4));
			rt_str_printf(&key, "%s\x1f%s", ns, name);
			k = key.oom ? NULL
				    : rt_arena_strndup(b->a, key.ptr, key.len);
			if (!k || RT_VEC_PUSH(&b->tables, t) < 0 ||
			    RT_VEC_PUSH(&b->info, ti) < 0 ||
			    rt_map_put(&b->names, k, key.len,
				       (uint32_t)(b->tables.n - 1)) < 0)
				b->oom = 1;
			rt_str_dispose(&key);
		}
		rt_str_dispose(&disp);
	}
	rt_rows_free(&rows);
	return 0;
}

static void by_attnum(build *b, tinfo *ti, int num, const char *name)
{
	if (num <= 0 || num > 1700)
		return;
	while (ti->byattnum.n <= (size_t)num)
		if (RT_VEC_PUSH(&ti->byattnum, NULL) < 0) {
			b->oom = 1;
			return;
		}
	ti->byattnum.v[num] = name;
}

static int load_columns(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r, i;
	int error;

	if ((error = drv->query(c, q_columns, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *ident = rt_rows_at(&rows, r, 6);
		const char *gen = rt_rows_at(&rows, r, 7);
		const char *dflt = rt_rows_at(&rows, r, 5);
		rt_column col;

		if (!find_table(b, rt_rows_at(&rows, r, 0),
				rt_rows_at(&rows, r, 1), &i))
			continue;
		memset(&col, 0, sizeof(col));
		col.name = dup(b, rt_rows_at(&rows, r, 2));
		col.type = dup(b, rt_rows_at(&rows, r, 3));
		col.not_null = is_true(rt_rows_at(&rows, r, 4));
		col.identity = ident && *ident ? *ident : 0;
		if (gen && *gen) {
			col.generated = dup(b, dflt);
			col.generated_stored = *gen == 's';
		} else {
			col.default_expr = dup(b, dflt);
		}
		col.collation = dup(b, rt_rows_at(&rows, r, 8));
		col.comment = dup(b, rt_rows_at(&rows, r, 9));
		if (RT_VEC_PUSH(&b->info.v[i].p.cols, col) < 0)
			b->oom = 1;
		else
			by_attnum(b, &b->info.v[i],
				  atoi(rt_rows_at(&rows, r, 10)), col.name);
	}
	rt_rows_free(&rows);
	return 0;
}

/* conkey ("{1,3}") as column names. */
static const char **attnames(build *b, const tinfo *ti, const char *keys,
			     size_t *n)
{
	const char **v;
	size_t i;

	v = parse_array(b, keys, n);
	for (i = 0; v && i < *n; i++) {
		int num = atoi(v[i]);

		if (num > 0 && (size_t)num < ti->byattnum.n &&
		    ti->byattnum.v[num])
			v[i] = ti->byattnum.v[num];
	}
	return v;
}

/* The key list of pg_get_indexdef's "... USING method (k1, k2) ...". */
static const char **index_keys(build *b, const char *def, size_t *n)
{
	RT_VEC(const char *) v = RT_VEC_INIT;
	const char *u = def ? strstr(def, " USING ") : NULL, **out;
	size_t len, pos, start = 0;
	rt_sql_token tok;
	int depth = 0;

	*n = 0;
	if (u && (u = strchr(u, '('))) {
		len = strlen(u);
		pos = 0;
		while (rt_sql_next(RT_DIALECT_POSTGRESQL, u, len, &pos, &tok)) {
			char ch = tok.kind == RT_SQL_OTHER ? u[tok.start] : 0;

			if (ch == '(' && depth++ == 0) {
				start = pos;
			} else if ((ch == ')' && --depth == 0) ||
				   (ch == ',' && depth == 1)) {
				const char *k = rt_arena_strndup(
				    b->a, u + start, tok.start - start);

				while (k && *k == ' ')
					k++;
				if (!k || RT_VEC_PUSH(&v, k) < 0)
					b->oom = 1;
				start = pos;
				if (!depth)
					break;
			}
		}
	}
	out = rt_arena_alloc(b->a, (v.n ? v.n : 1) * sizeof(*out));
	if (!out)
		b->oom = 1;
	else if (v.n)
		memcpy(out, v.v, v.n * sizeof(*out));
	*n = v.n;
	RT_VEC_FREE(&v);
	return out;
}

static const char *fk_action(char c)
{
	switch (c) {
	case 'r':
		return "RESTRICT";
	case 'c':
		return "CASCADE";
	case 'n':
		return "SET NULL";
	case 'd':
		return "SET DEFAULT";
	default:
		return "NO ACTION";
	}
}

static int load_constraints(build *b, const rt_driver *drv, rt_conn *c,
			    rt_err *err)
{
	rt_rows rows;
	size_t r, i;
	int error;

	if ((error = drv->query(c, q_constraints, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *name = rt_rows_at(&rows, r, 2);
		char type = rt_rows_at(&rows, r, 3)[0];
		const char *def = rt_rows_at(&rows, r, 4);
		tinfo *ti;
		rt_table *t;

		if (!find_table(b, rt_rows_at(&rows, r, 0),
				rt_rows_at(&rows, r, 1), &i))
			continue;
		ti = &b->info.v[i];
		t = &b->tables.v[i];
		if (type == 'p' || type == 'u') {
			rt_key key;

			memset(&key, 0, sizeof(key));
			key.name = dup(b, name);
			key.definition = dup(b, def);
			key.columns = attnames(b, ti, rt_rows_at(&rows, r, 5),
					       &key.ncolumns);
			if (type == 'p') {
				t->primary_key =
				    rt_arena_alloc(b->a, sizeof(key));
				if (!t->primary_key)
					b->oom = 1;
				else
					*t->primary_key = key;
			} else if (RT_VEC_PUSH(&ti->p.uniques, key) < 0) {
				b->oom = 1;
			}
		} else if (type == 'c') {
			rt_check ck;

			ck.name = dup(b, name);
			ck.expr =
			    dup(b, !strncmp(def, "CHECK ", 6) ? def + 6 : def);
			if (RT_VEC_PUSH(&ti->p.checks, ck) < 0)
				b->oom = 1;
		} else if (type == 'f') {
			rt_fk fk;

			memset(&fk, 0, sizeof(fk));
			fk.name = dup(b, name);
			fk.definition = dup(b, def);
			fk.columns = attnames(b, ti, rt_rows_at(&rows, r, 5),
					      &fk.ncolumns);
			fk.ref_schema = nsp(b, rt_rows_at(&rows, r, 6));
			fk.ref_table = dup(b, rt_rows_at(&rows, r, 7));
			fk.ref_columns = parse_array(b, rt_rows_at(&rows, r, 8),
						     &fk.nref_columns);
			fk.on_update = fk_action(rt_rows_at(&rows, r, 9)[0]);
			fk.on_delete = fk_action(rt_rows_at(&rows, r, 10)[0]);
			fk.deferrable = is_true(rt_rows_at(&rows, r, 11));
			fk.initially_deferred =
			    is_true(rt_rows_at(&rows, r, 12));
			if (RT_VEC_PUSH(&ti->p.fks, fk) < 0)
				b->oom = 1;
		} else {
			rt_str d = RT_STR_INIT;

			rt_sx_display(&d, t->schema, t->name);
			if (rt_sx_keep_note(b->o->filter, 0,
					    rt_rows_at(&rows, r, 0),
					    rt_rows_at(&rows, r, 1)))
				note(b, "exclusion constraint %s on %s", name,
				     rt_str_cstr(&d));
			rt_str_dispose(&d);
		}
	}
	rt_rows_free(&rows);
	return 0;
}

/* The definition of a plain index as pg_get_indexdef would write it
 * (names quoted our way): its key columns from indkey ("1 3"), with
 * COLLATE "default" where the column has another collation. */
static void plain_index(build *b, const tinfo *ti, rt_index *ix,
			const char *schema, const char *rel, const char *indkey,
			const char *indcoll)
{
	RT_VEC(const char *) keys = RT_VEC_INIT;
	rt_str def = RT_STR_INIT;
	const char *p = indkey ? indkey : "", *q = indcoll ? indcoll : "";
	size_t k;

	rt_str_printf(&def, "CREATE %sINDEX ", ix->unique ? "UNIQUE " : "");
	rt_sql_ident(&def, RT_DIALECT_POSTGRESQL, ix->name);
	rt_str_puts(&def, " ON ");
	rt_sx_qname(&def, RT_DIALECT_POSTGRESQL, schema, rel);
	rt_str_printf(&def, " USING %s (", ix->method);
	while (*p) {
		char *end, *qend;
		long num = strtol(p, &end, 10);
		long coll = strtol(q, &qend, 10);
		const char *name = NULL;
		rt_str key = RT_STR_INIT;

		if (end == p)
			break;
		p = end;
		q = qend;
		while (*p == ' ')
			p++;
		if (num > 0 && (size_t)num < ti->byattnum.n)
			name = ti->byattnum.v[num];
		rt_sql_ident(&key, RT_DIALECT_POSTGRESQL, name ? name : "?");
		for (k = 0; name && k < ti->p.cols.n; k++)
			if (ti->p.cols.v[k].name == name &&
			    ti->p.cols.v[k].collation && coll == 100)
				rt_str_puts(&key, " COLLATE \"default\"");
		rt_str_printf(&def, "%s%s", keys.n ? ", " : "",
			      rt_str_cstr(&key));
		if (key.oom ||
		    RT_VEC_PUSH(&keys,
				rt_arena_strdup(b->a, rt_str_cstr(&key))) < 0)
			b->oom = 1;
		rt_str_dispose(&key);
	}
	rt_str_putc(&def, ')');
	ix->definition = def.oom ? NULL : rt_arena_strdup(b->a, def.ptr);
	ix->keys =
	    rt_arena_alloc(b->a, (keys.n ? keys.n : 1) * sizeof(*ix->keys));
	if (!ix->definition || !ix->keys)
		b->oom = 1;
	else if (keys.n)
		memcpy(ix->keys, keys.v, keys.n * sizeof(*keys.v));
	ix->nkeys = keys.n;
	rt_str_dispose(&def);
	RT_VEC_FREE(&keys);
}

static int load_indexes(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r, i;
	int error;

	if ((error = drv->query(c, q_indexes, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		rt_index ix;

		if (!find_table(b, rt_rows_at(&rows, r, 0),
				rt_rows_at(&rows, r, 1), &i))
			continue;
		memset(&ix, 0, sizeof(ix));
		ix.name = dup(b, rt_rows_at(&rows, r, 2));
		ix.unique = is_true(rt_rows_at(&rows, r, 3));
		ix.method = dup(b, rt_rows_at(&rows, r, 4));
		ix.where = dup(b, rt_rows_at(&rows, r, 6));
		if (rt_rows_at(&rows, r, 5)) {
			ix.definition =
			    unqualify_index(b, rt_rows_at(&rows, r, 5));
			ix.keys = index_keys(b, ix.definition, &ix.nkeys);
		} else {
			plain_index(
			    b, &b->info.v[i], &ix, b->tables.v[i].schema,
			    rt_rows_at(&rows, r, 1), rt_rows_at(&rows, r, 7),
			    rt_rows_at(&rows, r, 8));
		}
		if (RT_VEC_PUSH(&b->info.v[i].p.indexes, ix) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

static int load_types(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_enums, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		rt_enum e;

		e.schema = nsp(b, rt_rows_at(&rows, r, 0));
		e.name = dup(b, rt_rows_at(&rows, r, 1));
		e.labels = parse_array(b, rt_rows_at(&rows, r, 2), &e.nlabels);
		e.type_name = dup(b, rt_rows_at(&rows, r, 3));
		if (RT_VEC_PUSH(&b->enums, e) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	if ((error = drv->query(c, q_extensions, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		rt_extension x;

		x.name = dup(b, rt_rows_at(&rows, r, 0));
		x.schema = nsp(b, rt_rows_at(&rows, r, 1));
		if (RT_VEC_PUSH(&b->extensions, x) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

static int load_sequences(build *b, const rt_driver *drv, rt_conn *c,
			  rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_sequences, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *on = rt_rows_at(&rows, r, 9);
		const char *ot = rt_rows_at(&rows, r, 10);
		const char *oc = rt_rows_at(&rows, r, 11);
		rt_sequence q;

		if (ot && excluded(b, on, ot))
			continue;
		memset(&q, 0, sizeof(q));
		q.schema = nsp(b, rt_rows_at(&rows, r, 0));
		q.name = dup(b, rt_rows_at(&rows, r, 1));
		q.type = dup(b, rt_rows_at(&rows, r, 2));
		q.start = atoll(rt_rows_at(&rows, r, 3));
		q.increment = atoll(rt_rows_at(&rows, r, 4));
		q.min = atoll(rt_rows_at(&rows, r, 5));
		q.max = atoll(rt_rows_at(&rows, r, 6));
		q.cache = atoll(rt_rows_at(&rows, r, 7));
		q.cycle = is_true(rt_rows_at(&rows, r, 8));
		q.owner_schema = dup(b, on);
		q.owner_table = dup(b, ot);
		if (ot && oc) {
			rt_str s = RT_STR_INIT;

			rt_sx_qname(&s, RT_DIALECT_POSTGRESQL, nsp(b, on), ot);
			rt_str_putc(&s, '.');
			rt_sql_ident(&s, RT_DIALECT_POSTGRESQL, oc);
			q.owned_by =
			    s.oom ? NULL : rt_arena_strdup(b->a, s.ptr);
			if (!q.owned_by)
				b->oom = 1;
			rt_str_dispose(&s);
		}
		if (RT_VEC_PUSH(&b->sequences, q) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

static rt_column *find_column(tinfo *ti, const char *name)
{
	size_t i;

	for (i = 0; i < ti->p.cols.n; i++)
		if (rt_sx_eq(ti->p.cols.v[i].name, name))
			return &ti->p.cols.v[i];
	return NULL;
}

static rt_index *find_index(rt_index *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rt_sx_eq(v[i].name, name))
			return &v[i];
	return NULL;
}

#define TO_ARENA(b, dst, ndst, vec) \
	RT_SX_TO_ARENA((b)->a, (b)->oom, dst, ndst, vec)

typedef struct vextra { /* per view, while loading q_extras */
	RT_VEC(rt_index) indexes;
	RT_VEC(rt_comment) comments;
} vextra;

/* One 'i' or 'v' row of q_extras onto its view. */
static void view_extra(build *b, const rt_rows *rows, size_t r, vextra *ve)
{
	char kind = rt_rows_at(rows, r, 0)[0];

	if (kind == 'v') {
		rt_comment cm;

		cm.name = dup(b, rt_rows_at(rows, r, 3));
		cm.text = dup(b, rt_rows_at(rows, r, 4));
		if (RT_VEC_PUSH(&ve->comments, cm) < 0)
			b->oom = 1;
	} else {
		rt_index ix;

		memset(&ix, 0, sizeof(ix));
		ix.name = dup(b, rt_rows_at(rows, r, 3));
		ix.unique = is_true(rt_rows_at(rows, r, 4));
		ix.method = dup(b, rt_rows_at(rows, r, 5));
		ix.definition = dup(b, rt_rows_at(rows, r, 6));
		ix.where = dup(b, rt_rows_at(rows, r, 7));
		ix.keys = index_keys(b, ix.definition, &ix.nkeys);
		if (RT_VEC_PUSH(&ve->indexes, ix) < 0)
			b->oom = 1;
	}
}

/* Indexes of materialized views, comments on indexes and view columns,
 * identity options (q_extras). Index comments need the views' indexes,
 * so those rows are read in a second pass. */
static int load_extras(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	rt_map views = RT_MAP_INIT;
	rt_str key = RT_STR_INIT;
	vextra *ve = calloc(b->views.n ? b->views.n : 1, sizeof(*ve));
	size_t r, i, pass;
	uint32_t vi;
	int error;

	if (!ve)
		return rt_err_oom(err);
	if ((error = drv->query(c, q_extras, &rows, err)) < 0) {
		free(ve);
		return error;
	}
	for (i = 0; i < b->views.n && !b->oom; i++) {
		const rt_view *v = &b->views.v[i];
		const char *k;

		rt_str_clear(&key);
		rt_str_printf(&key, "%s\x1f%s", v->schema, v->name);
		k = key.oom ? NULL : rt_arena_strndup(b->a, key.ptr, key.len);
		if (!k || rt_map_put(&views, k, key.len, (uint32_t)i) < 0)
			b->oom = 1;
	}
	for (pass = 0; pass < 2; pass++)
		for (r = 0; r < rows.nrows && !b->oom; r++) {
			char kind = rt_rows_at(&rows, r, 0)[0];
			const char *nsp = rt_rows_at(&rows, r, 1);
			const char *rel = rt_rows_at(&rows, r, 2);
			const char *name = rt_rows_at(&rows, r, 3);
			rt_index *ix = NULL;
			rt_column *col;
			int isview;

			rt_str_clear(&key);
			rt_str_printf(&key, "%s\x1f%s", nsp, rel);
			isview = !key.oom &&
				 rt_map_get(&views, key.ptr, key.len, &vi);
			if (key.oom)
				b->oom = 1;

			if (pass == 0 && (kind == 'i' || kind == 'v')) {
				if (isview)
					view_extra(b, &rows, r, &ve[vi]);
			} else if (pass == 1 && kind == 'c') {
				if (isview)
					ix = find_index(ve[vi].indexes.v,
							ve[vi].indexes.n, name);
				else if (find_table(b, nsp, rel, &i))
					ix = find_index(
					    b->info.v[i].p.indexes.v,
					    b->info.v[i].p.indexes.n, name);
				if (ix)
					ix->comment =
					    dup(b, rt_rows_at(&rows, r, 4));
			} else if (pass == 0 && kind == 's' &&
				   find_table(b, nsp, rel, &i) &&
				   (col = find_column(&b->info.v[i], name))) {
				col->ident_start =
				    atoll(rt_rows_at(&rows, r, 4));
				col->ident_increment =
				    atoll(rt_rows_at(&rows, r, 5));
				col->ident_min = atoll(rt_rows_at(&rows, r, 6));
				col->ident_max = atoll(rt_rows_at(&rows, r, 7));
				col->ident_cache =
				    atoll(rt_rows_at(&rows, r, 8));
				col->ident_cycle =
				    is_true(rt_rows_at(&rows, r, 9));
			}
		}
	for (i = 0; i < b->views.n; i++) {
		rt_view *v = &b->views.v[i];

		if (!b->oom) {
			TO_ARENA(b, v->indexes, v->nindexes, ve[i].indexes);
			TO_ARENA(b, v->column_comments, v->ncolumn_comments,
				 ve[i].comments);
		}
		RT_VEC_FREE(&ve[i].indexes);
		RT_VEC_FREE(&ve[i].comments);
	}
	free(ve);
	rt_map_free(&views);
	rt_str_dispose(&key);
	rt_rows_free(&rows);
	return 0;
}

static int load_unsupported(build *b, const rt_driver *drv, rt_conn *c,
			    rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_unsupported, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++)
		if (rt_sx_keep_note(
			b->o->filter, rt_schema_kind(rt_rows_at(&rows, r, 1)),
			rt_rows_at(&rows, r, 2), rt_rows_at(&rows, r, 3)) &&
		    RT_VEC_PUSH(&b->unsupported,
				dup(b, rt_rows_at(&rows, r, 0))) < 0)
			b->oom = 1;
	rt_rows_free(&rows);
	return 0;
}

int rt_sx_introspect_pg(rt_schema *s, const rt_driver *drv, rt_conn *c,
			const rt_introspect_opts *o, rt_err *err)
{
	build b;
	size_t i;
	int error;

	memset(&b, 0, sizeof(b));
	b.a = &s->arena;
	b.o = o;
	b.own_schema = o->schema && *o->schema ? o->schema : "public";
	if ((error = load_namespaces(&b, drv, c, err)) < 0 ||
	    (error = load_relations(&b, drv, c, err)) < 0 ||
	    (error = load_columns(&b, drv, c, err)) < 0 ||
	    (error = load_constraints(&b, drv, c, err)) < 0 ||
	    (error = load_indexes(&b, drv, c, err)) < 0 ||
	    (error = load_types(&b, drv, c, err)) < 0 ||
	    (error = load_sequences(&b, drv, c, err)) < 0 ||
	    (error = load_extras(&b, drv, c, err)) < 0 ||
	    (error = load_unsupported(&b, drv, c, err)) < 0)
		goto done;
	for (i = 0; i < b.tables.n && !b.oom; i++)
		rt_sx_tparts_finish(b.a, &b.oom, &b.tables.v[i],
				    &b.info.v[i].p);
	TO_ARENA(&b, s->tables, s->ntables, b.tables);
	TO_ARENA(&b, s->views, s->nviews, b.views);
	TO_ARENA(&b, s->schemas, s->nschemas, b.schemas);
	TO_ARENA(&b, s->enums, s->nenums, b.enums);
	TO_ARENA(&b, s->sequences, s->nsequences, b.sequences);
	TO_ARENA(&b, s->extensions, s->nextensions, b.extensions);
	TO_ARENA(&b, s->unsupported, s->nunsupported, b.unsupported);
	s->default_schema = b.dflt;
	if (b.oom)
		error = rt_err_oom(err);
done:
	for (i = 0; i < b.info.n; i++) {
		tinfo *ti = &b.info.v[i];

		rt_sx_tparts_free(&ti->p);
		RT_VEC_FREE(&ti->byattnum);
	}
	RT_VEC_FREE(&b.info);
	RT_VEC_FREE(&b.tables);
	RT_VEC_FREE(&b.views);
	RT_VEC_FREE(&b.schemas);
	RT_VEC_FREE(&b.enums);
	RT_VEC_FREE(&b.sequences);
	RT_VEC_FREE(&b.extensions);
	RT_VEC_FREE(&b.unsupported);
	rt_map_free(&b.names);
	rt_str_dispose(&b.key);
	return error;
}
