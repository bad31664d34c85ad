/* SPDX-License-Identifier: MIT */
/*
 * emit.c: a diff as SQL (rt_diff_render) and the statements it shares
 * with the dump (rt_sx_emit_*).
 *
 * The upgrade is the diff's changes in list order (diff.c already put
 * them in dependency order); the downgrade is the reverse diff (to ->
 * from) rendered the same way, so both directions get the same care.
 * Each change is a block of statements ending in ";\n", preceded by
 * "-- WARNING: ..." lines when it destroys or depends on data, blocks
 * separated by a blank line. Changes flagged RT_CHANGE_IN_REBUILD are
 * written by the change after them (a SQLite table's rebuild, a
 * PostgreSQL column added again), with their warnings.
 *
 * SQLite text comes from sqlite_schema as written (CREATE TABLE, INDEX,
 * VIEW, TRIGGER); PostgreSQL text is built from the model, with the
 * server's own renderings (pg_get_constraintdef, pg_get_indexdef, ...)
 * for constraint, index and view bodies.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/internal.h"
#include "schema/sqlite_parse.h"
#include "sql/quote.h"

#define PG RT_DIALECT_POSTGRESQL

static void stmt_end(rt_str *out)
{
	rt_str_puts(out, ";\n");
}

static void lit(rt_str *out, const char *s)
{
	rt_sql_literal(out, PG, s);
}

static void qname(rt_str *out, rt_dialect d, const char *schema,
		  const char *name)
{
	rt_sx_qname(out, d, schema, name);
}

static void alter(rt_str *out, rt_dialect d, const char *schema,
		  const char *table)
{
	rt_str_puts(out, "ALTER TABLE ");
	qname(out, d, schema, table);
	rt_str_putc(out, ' ');
}

static void alter_column(rt_str *out, const char *schema, const char *table,
			 const char *col)
{
	alter(out, PG, schema, table);
	rt_str_puts(out, "ALTER COLUMN ");
	rt_sql_ident(out, PG, col);
	rt_str_putc(out, ' ');
}

/* ------------------------------------------------------------------ */
/* Shared statements */

void rt_sx_identity_options(rt_str *out, const rt_column *c)
{
	long long inc = c->ident_increment, tmin, tmax, dmin, dmax;
	const char *t = c->type ? c->type : "";
	int n = 0;

	if (!inc)
		return;
	if (!strcmp(t, "smallint")) {
		tmin = -32768;
		tmax = 32767;
	} else if (!strcmp(t, "integer")) {
		tmin = -2147483647LL - 1;
		tmax = 2147483647LL;
	} else {
		tmin = -9223372036854775807LL - 1;
		tmax = 9223372036854775807LL;
	}
	dmin = inc > 0 ? 1 : tmin;
	dmax = inc > 0 ? tmax : -1;
#define OPT(cond, ...)                                      \
	do {                                                \
		if (cond) {                                 \
			rt_str_puts(out, n++ ? " " : " ("); \
			rt_str_printf(out, __VA_ARGS__);    \
		}                                           \
	} while (0)
	OPT(c->ident_start != (inc > 0 ? c->ident_min : c->ident_max),
	    "START WITH %lld", c->ident_start);
	OPT(inc != 1, "INCREMENT BY %lld", inc);
	OPT(c->ident_min != dmin, "MINVALUE %lld", c->ident_min);
	OPT(c->ident_max != dmax, "MAXVALUE %lld", c->ident_max);
	OPT(c->ident_cache > 1, "CACHE %lld", c->ident_cache);
	OPT(c->ident_cycle, "CYCLE");
#undef OPT
	if (n)
		rt_str_putc(out, ')');
}

static void pg_column(rt_str *out, const rt_column *c)
{
	rt_sql_ident(out, PG, c->name);
	rt_str_printf(out, " %s", c->type);
	if (c->collation)
		rt_str_printf(out, " COLLATE %s", c->collation);
	if (c->identity) {
		rt_str_printf(out, " GENERATED %s AS IDENTITY",
			      c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		rt_sx_identity_options(out, c);
	}
	if (c->generated)
		rt_str_printf(out, " GENERATED ALWAYS AS (%s) STORED",
			      c->generated);
	if (c->default_expr)
		rt_str_printf(out, " DEFAULT %s", c->default_expr);
	if (c->not_null)
		rt_str_puts(out, " NOT NULL");
}

static void pg_comment(rt_str *out, const char *what, const char *schema,
		       const char *table, const char *col, const char *comment)
{
	rt_str_printf(out, "COMMENT ON %s ", what);
	qname(out, PG, schema, table);
	if (col) {
		rt_str_putc(out, '.');
		rt_sql_ident(out, PG, col);
	}
	rt_str_puts(out, " IS ");
	if (comment)
		lit(out, comment);
	else
		rt_str_puts(out, "NULL");
	stmt_end(out);
}

/* CREATE INDEX and (PostgreSQL) its comment; `schema` is its table's. */
static void index_stmt(rt_str *out, rt_dialect d, const char *schema,
		       const rt_index *ix)
{
	rt_str_puts(out, ix->definition);
	stmt_end(out);
	if (d == PG && ix->comment)
		pg_comment(out, "INDEX", schema, ix->name, NULL, ix->comment);
}

static void constraint(rt_str *out, const char *name, const char *body)
{
	if (name) {
		rt_str_puts(out, "CONSTRAINT ");
		rt_sql_ident(out, PG, name);
		rt_str_putc(out, ' ');
	}
	rt_str_puts(out, body);
}

static void key_body(rt_str *out, const rt_key *k, const char *kw)
{
	size_t i;

	if (k->definition) {
		constraint(out, k->name, k->definition);
		return;
	}
	constraint(out, k->name, kw);
	rt_str_puts(out, " (");
	for (i = 0; i < k->ncolumns; i++) {
		if (i)
			rt_str_puts(out, ", ");
		rt_sql_ident(out, PG, k->columns[i]);
	}
	rt_str_putc(out, ')');
}

static void check_body(rt_str *out, const rt_check *c)
{
	constraint(out, c->name, "CHECK ");
	rt_str_puts(out, c->expr);
}

/* SQLite: the CREATE TABLE text as stored, with the name written the
 * usual way (after ALTER TABLE RENAME, SQLite stores it quoted). */
static void sqlite_create_table(rt_str *out, const rt_table *t)
{
	rt_arena arena = RT_ARENA_INIT;
	rt_err err = RT_ERR_INIT;
	rt_sqlite_tablespec spec;

	if (t->sql && rt_sqlite_parse_table(&spec, &arena, t->sql, &err) == 0) {
		rt_str_append(out, t->sql, spec.name_start);
		rt_sql_ident(out, RT_DIALECT_SQLITE, t->name);
		rt_str_puts(out, t->sql + spec.name_start + spec.name_len);
	} else {
		rt_str_puts(out, t->sql ? t->sql : "");
	}
	rt_arena_free(&arena);
	rt_err_dispose(&err);
}

void rt_sx_emit_table(rt_str *out, rt_dialect d, const rt_table *t)
{
	size_t i;

	if (d == RT_DIALECT_MYSQL) {
		rt_sx_my_table(out, t);
		return;
	}
	if (d != PG) {
		sqlite_create_table(out, t);
		stmt_end(out);
		for (i = 0; i < t->nindexes; i++) {
			rt_str_puts(out, t->indexes[i].definition);
			stmt_end(out);
		}
		for (i = 0; i < t->ntriggers; i++) {
			rt_str_puts(out, t->triggers[i].definition);
			stmt_end(out);
		}
		return;
	}
	rt_str_puts(out, "CREATE TABLE ");
	qname(out, PG, t->schema, t->name);
	rt_str_puts(out, " (");
	for (i = 0; i < t->ncolumns; i++) {
		rt_str_puts(out, i ? ",\n    " : "\n    ");
		pg_column(out, &t->columns[i]);
	}
	if (t->primary_key) {
		rt_str_puts(out, t->ncolumns ? ",\n    " : "\n    ");
		key_body(out, t->primary_key, "PRIMARY KEY");
	}
	for (i = 0; i < t->nuniques; i++) {
		rt_str_puts(out, ",\n    ");
		key_body(out, &t->uniques[i], "UNIQUE");
	}
	for (i = 0; i < t->nchecks; i++) {
		rt_str_puts(out, ",\n    ");
		check_body(out, &t->checks[i]);
	}
	rt_str_puts(out, "\n)");
	stmt_end(out);
	for (i = 0; i < t->nindexes; i++)
		index_stmt(out, PG, t->schema, &t->indexes[i]);
	if (t->comment)
		pg_comment(out, "TABLE", t->schema, t->name, NULL, t->comment);
	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].comment)
			pg_comment(out, "COLUMN", t->schema, t->name,
				   t->columns[i].name, t->columns[i].comment);
}

void rt_sx_emit_fk(rt_str *out, const rt_table *t, const rt_fk *fk)
{
	size_t i;

	alter(out, PG, t->schema, t->name);
	rt_str_puts(out, "ADD ");
	if (fk->definition) {
		constraint(out, fk->name, fk->definition);
		stmt_end(out);
		return;
	}
	constraint(out, fk->name, "FOREIGN KEY (");
	for (i = 0; i < fk->ncolumns; i++) {
		if (i)
			rt_str_puts(out, ", ");
		rt_sql_ident(out, PG, fk->columns[i]);
	}
	rt_str_puts(out, ") REFERENCES ");
	qname(out, PG, fk->ref_schema ? fk->ref_schema : t->schema,
	      fk->ref_table);
	if (fk->nref_columns) {
		rt_str_puts(out, " (");
		for (i = 0; i < fk->nref_columns; i++) {
			if (i)
				rt_str_puts(out, ", ");
			rt_sql_ident(out, PG, fk->ref_columns[i]);
		}
		rt_str_putc(out, ')');
	}
	if (fk->on_delete && strcmp(fk->on_delete, "NO ACTION"))
		rt_str_printf(out, " ON DELETE %s", fk->on_delete);
	if (fk->on_update && strcmp(fk->on_update, "NO ACTION"))
		rt_str_printf(out, " ON UPDATE %s", fk->on_update);
	if (fk->deferrable)
		rt_str_printf(out, " DEFERRABLE INITIALLY %s",
			      fk->initially_deferred ? "DEFERRED"
						     : "IMMEDIATE");
	stmt_end(out);
}

static void enum_labels(rt_str *out, const rt_enum *e)
{
	size_t i;

	rt_str_putc(out, '(');
	for (i = 0; i < e->nlabels; i++) {
		if (i)
			rt_str_puts(out, ", ");
		lit(out, e->labels[i]);
	}
	rt_str_putc(out, ')');
}

void rt_sx_emit_enum(rt_str *out, const rt_enum *e)
{
	rt_str_puts(out, "CREATE TYPE ");
	qname(out, PG, e->schema, e->name);
	rt_str_puts(out, " AS ENUM ");
	enum_labels(out, e);
	stmt_end(out);
}

static void seq_options(rt_str *out, const rt_sequence *q)
{
	rt_str_printf(out,
		      " AS %s START WITH %lld INCREMENT BY %lld MINVALUE %lld "
		      "MAXVALUE %lld CACHE %lld %s",
		      q->type ? q->type : "bigint", q->start, q->increment,
		      q->min, q->max, q->cache,
		      q->cycle ? "CYCLE" : "NO CYCLE");
}

void rt_sx_emit_sequence(rt_str *out, const rt_sequence *q)
{
	rt_str_puts(out, "CREATE SEQUENCE ");
	qname(out, PG, q->schema, q->name);
	seq_options(out, q);
	stmt_end(out);
}

void rt_sx_emit_sequence_owner(rt_str *out, const rt_sequence *q)
{
	rt_str_puts(out, "ALTER SEQUENCE ");
	qname(out, PG, q->schema, q->name);
	rt_str_printf(out, " OWNED BY %s", q->owned_by ? q->owned_by : "NONE");
	stmt_end(out);
}

void rt_sx_emit_view(rt_str *out, rt_dialect d, const rt_view *v)
{
	size_t i;

	if (d == RT_DIALECT_MYSQL) {
		rt_sx_my_view(out, v, 0);
		return;
	}
	if (d != PG && v->sql) {
		rt_str_puts(out, v->sql);
		stmt_end(out);
		return;
	}
	rt_str_printf(out, "CREATE %sVIEW ",
		      v->materialized ? "MATERIALIZED " : "");
	qname(out, d, v->schema, v->name);
	rt_str_printf(out, " AS\n%s", v->definition);
	stmt_end(out);
	if (d != PG)
		return;
	if (v->comment)
		pg_comment(out, v->materialized ? "MATERIALIZED VIEW" : "VIEW",
			   v->schema, v->name, NULL, v->comment);
	for (i = 0; i < v->ncolumn_comments; i++)
		pg_comment(out, "COLUMN", v->schema, v->name,
			   v->column_comments[i].name,
			   v->column_comments[i].text);
	for (i = 0; i < v->nindexes; i++)
		index_stmt(out, PG, v->schema, &v->indexes[i]);
}

void rt_sx_emit_extension(rt_str *out, const rt_extension *e)
{
	rt_str_puts(out, "CREATE EXTENSION IF NOT EXISTS ");
	rt_sql_ident(out, PG, e->name);
	if (!rt_sx_unqualified(e->schema)) {
		rt_str_puts(out, " WITH SCHEMA ");
		rt_sql_ident(out, PG, e->schema);
	}
	stmt_end(out);
}

/* ------------------------------------------------------------------ */
/* Rendering one change */

typedef struct rctx {
	const rt_diff *d;
	rt_dialect dialect;
	rt_str *out;
	int nontransactional;
	rt_err *err;
	int rc;
} rctx;

static void drop_named(rt_str *out, rt_dialect d, const char *what,
		       const char *schema, const char *name)
{
	rt_str_printf(out, "DROP %s ", what);
	qname(out, d, schema, name);
	stmt_end(out);
}

static void drop_constraint(rt_str *out, const rt_change *c, const char *name)
{
	alter(out, PG, c->schema, c->table);
	rt_str_puts(out, "DROP CONSTRAINT ");
	rt_sql_ident(out, PG, name ? name : "");
	stmt_end(out);
}

static const rt_table *find_table(const rt_schema *s, const rt_table *t)
{
	size_t lo = 0, hi = s->ntables;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = rt_sx_cmp_name(s->tables[mid].schema,
				       s->tables[mid].name, t->schema, t->name);

		if (!c)
			return &s->tables[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * PostgreSQL: recreate an enum whose values were removed or reordered:
 * the type renamed away, the new one created, and every column that has
 * the type (or an array of it) on both sides converted, keeping its
 * default. The diff placed this after everything that names the
 * type was dropped (checks, indexes, foreign keys, generated columns
 * reading such a column, views) and before it is created again; columns
 * that leave the type are changed later like any type change, and the
 * old type is dropped at the end (an implied RT_DROP_ENUM).
 */
static void change_enum(rctx *r, const rt_change *c)
{
	const rt_enum *a = c->from, *b = c->to;
	const rt_schema *from = r->d->from, *to = r->d->to;
	rt_str tn = RT_STR_INIT, arr = RT_STR_INIT, old = RT_STR_INIT;
	rt_str *out = r->out;
	size_t i, k;

	rt_sx_pg_type_name(&tn, a);
	rt_str_printf(&arr, "%s[]", rt_str_cstr(&tn));
	rt_str_printf(&old, "%s__retort_old", a->name);
	rt_str_puts(out, "ALTER TYPE ");
	qname(out, PG, a->schema, a->name);
	rt_str_puts(out, " RENAME TO ");
	rt_sql_ident(out, PG, rt_str_cstr(&old));
	stmt_end(out);
	rt_sx_emit_enum(out, b);
	for (i = 0; i < from->ntables; i++) {
		const rt_table *t = &from->tables[i];
		const rt_table *u = find_table(to, t);

		for (k = 0; u && k < t->ncolumns; k++) {
			const rt_column *col = &t->columns[k];
			const rt_column *uc = rt_sx_find_column(u, col->name);
			int isarr = rt_sx_eq(col->type, rt_str_cstr(&arr));

			if (!isarr && !rt_sx_eq(col->type, rt_str_cstr(&tn)))
				continue;
			if (!uc || !rt_sx_eq(uc->type, col->type) ||
			    col->generated || uc->generated)
				continue;
			if (col->default_expr) {
				alter_column(out, t->schema, t->name,
					     col->name);
				rt_str_puts(out, "DROP DEFAULT");
				stmt_end(out);
			}
			alter_column(out, t->schema, t->name, col->name);
			rt_str_printf(out, "TYPE %s USING ", col->type);
			rt_sql_ident(out, PG, col->name);
			rt_str_printf(out, "::text%s::%s", isarr ? "[]" : "",
				      col->type);
			stmt_end(out);
			/* a default that changes is set by its own change */
			if (uc->default_expr &&
			    rt_sx_eq(uc->default_expr, col->default_expr)) {
				alter_column(out, t->schema, t->name,
					     col->name);
				rt_str_printf(out, "SET DEFAULT %s",
					      uc->default_expr);
				stmt_end(out);
			}
		}
	}
	rt_str_dispose(&tn);
	rt_str_dispose(&arr);
	rt_str_dispose(&old);
}

static void add_enum_value(rctx *r, const rt_change *c)
{
	const rt_enum *a = c->from, *b = c->to;
	rt_str *out = r->out;
	size_t i, k;

	for (i = 0; i < b->nlabels && !rt_sx_eq(b->labels[i], c->name); i++)
		;
	rt_str_puts(out, "ALTER TYPE ");
	qname(out, PG, b->schema, b->name);
	rt_str_puts(out, " ADD VALUE ");
	lit(out, c->name);
	if (i > 0) {
		rt_str_puts(out, " AFTER ");
		lit(out, b->labels[i - 1]);
	} else {
		for (k = 1; k < b->nlabels; k++) {
			size_t j;

			for (j = 0; j < a->nlabels; j++)
				if (rt_sx_eq(a->labels[j], b->labels[k]))
					break;
			if (j < a->nlabels)
				break;
		}
		if (k < b->nlabels) {
			rt_str_puts(out, " BEFORE ");
			lit(out, b->labels[k]);
		}
	}
	stmt_end(out);
	r->nontransactional = 1;
}

static void change_sequence(rctx *r, const rt_change *c)
{
	const rt_sequence *a = c->from, *b = c->to;
	rt_str *out = r->out;

	rt_str_puts(out, "ALTER SEQUENCE ");
	qname(out, PG, b->schema, b->name);
	seq_options(out, b);
	/* the old owner may be dropped later, which would drop the
	 * sequence with it: detach first, the new owner comes later */
	if (a->owned_by && !rt_sx_eq(a->owned_by, b->owned_by))
		rt_str_puts(out, " OWNED BY NONE");
	stmt_end(out);
}

/* PostgreSQL: add, drop or change an identity; a change sets every
 * option of its sequence (when the model knows them). */
static void change_identity(rt_str *out, const rt_change *c)
{
	const rt_column *ca = c->from, *cb = c->to;

	alter_column(out, c->schema, c->table, c->name);
	if (!cb->identity) {
		rt_str_puts(out, "DROP IDENTITY");
	} else if (!ca->identity) {
		rt_str_printf(out, "ADD GENERATED %s AS IDENTITY",
			      cb->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		rt_sx_identity_options(out, cb);
	} else {
		rt_str_printf(out, "SET GENERATED %s",
			      cb->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		if (cb->ident_increment)
			rt_str_printf(out,
				      " SET START WITH %lld SET INCREMENT BY "
				      "%lld SET MINVALUE %lld SET MAXVALUE "
				      "%lld SET CACHE %lld SET %sCYCLE",
				      cb->ident_start, cb->ident_increment,
				      cb->ident_min, cb->ident_max,
				      cb->ident_cache > 0 ? cb->ident_cache
							  : 1LL,
				      cb->ident_cycle ? "" : "NO ");
	}
	stmt_end(out);
}

static int needs_using(const char *from, const char *to);

static void change_type(rctx *r, const rt_change *c)
{
	const rt_column *a = c->from, *b = c->to;
	rt_str *out = r->out;
	int conv = needs_using(a->type, b->type);

	if (conv && a->default_expr) {
		alter_column(out, c->schema, c->table, b->name);
		rt_str_puts(out, "DROP DEFAULT");
		stmt_end(out);
	}
	alter_column(out, c->schema, c->table, b->name);
	rt_str_printf(out, "TYPE %s", b->type);
	if (b->collation)
		rt_str_printf(out, " COLLATE %s", b->collation);
	if (conv) {
		rt_str_puts(out, " USING ");
		rt_sql_ident(out, PG, b->name);
		rt_str_printf(out, "::%s", b->type);
	}
	stmt_end(out);
	/* a changed default is set by its own change */
	if (conv && a->default_expr && b->default_expr &&
	    !strcmp(a->default_expr, b->default_expr)) {
		alter_column(out, c->schema, c->table, b->name);
		rt_str_printf(out, "SET DEFAULT %s", b->default_expr);
		stmt_end(out);
	}
}

/* A cast is needed unless both types are of one family PostgreSQL
 * converts implicitly in ALTER COLUMN TYPE (assignment casts). */
static int needs_using(const char *from, const char *to)
{
	static const char *const groups[][8] = {
		{ "smallint", "integer", "bigint", "numeric", "real",
		  "double precision", NULL },
		{ "text", "character varying", "character", "\"char\"", "name",
		  "citext", NULL },
		{ "timestamp without time zone", "timestamp with time zone",
		  "date", NULL },
		{ "time without time zone", "time with time zone", NULL },
		{ "bit", "bit varying", NULL },
	};
	char fa[64], fb[64];
	size_t g, k, n;
	int ia, ib;
	const char *p;

	for (n = 0, p = from; *p && *p != '(' && *p != '[' && n + 1 < 64; p++)
		fa[n++] = *p;
	fa[n] = '\0';
	for (n = 0, p = to; *p && *p != '(' && *p != '[' && n + 1 < 64; p++)
		fb[n++] = *p;
	fb[n] = '\0';
	/* "timestamp(3) without time zone" */
	if (!strncmp(from, "timestamp(", 10))
		strcpy(fa, strstr(from, "with ") && !strstr(from, "without")
			       ? "timestamp with time zone"
			       : "timestamp without time zone");
	if (!strncmp(to, "timestamp(", 10))
		strcpy(fb, strstr(to, "with ") && !strstr(to, "without")
			       ? "timestamp with time zone"
			       : "timestamp without time zone");
	if (!strcmp(fa, fb))
		return (strchr(from, '[') != NULL) != (strchr(to, '[') != NULL);
	if (strchr(from, '[') || strchr(to, '['))
		return 1;
	for (g = 0; g < sizeof(groups) / sizeof(*groups); g++) {
		ia = ib = 0;
		for (k = 0; groups[g][k]; k++) {
			ia |= !strcmp(groups[g][k], fa);
			ib |= !strcmp(groups[g][k], fb);
		}
		if (ia && ib)
			return 0;
	}
	/* anything converts to text implicitly */
	return strcmp(fb, "text") && strcmp(fb, "character varying");
}

static int autoincrement(const rt_table *t)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].identity == 'i')
			return 1;
	return 0;
}

static void sqlite_rebuild(rctx *r, const rt_change *c)
{
	const rt_table *a = c->from, *b = c->to;
	rt_str *out = r->out, tmp = RT_STR_INIT, cols = RT_STR_INIT;
	rt_arena arena = RT_ARENA_INIT;
	rt_sqlite_tablespec spec;
	size_t i, k;
	int n = 0;

	if (!b->sql) {
		r->rc = rt_err_set(r->err, RETORT_ERROR,
				   "cannot rebuild table %s: no CREATE TABLE "
				   "text",
				   b->name);
		return;
	}
	if ((r->rc = rt_sqlite_parse_table(&spec, &arena, b->sql, r->err)) < 0)
		goto done;
	rt_str_printf(&tmp, "_retort_new_%s", b->name);
	/* 1. the new table under a temporary name */
	rt_str_append(out, b->sql, spec.name_start);
	rt_sql_ident(out, RT_DIALECT_SQLITE, rt_str_cstr(&tmp));
	rt_str_puts(out, b->sql + spec.name_start + spec.name_len);
	stmt_end(out);
	/* 2. the rows, for the columns both sides have */
	for (i = 0; i < b->ncolumns; i++) {
		if (b->columns[i].generated)
			continue;
		for (k = 0; k < a->ncolumns; k++)
			if (rt_sx_eq(a->columns[k].name, b->columns[i].name))
				break;
		if (k == a->ncolumns)
			continue;
		if (n++)
			rt_str_puts(&cols, ", ");
		rt_sql_ident(&cols, RT_DIALECT_SQLITE, b->columns[i].name);
	}
	if (n) {
		rt_str_puts(out, "INSERT INTO ");
		rt_sql_ident(out, RT_DIALECT_SQLITE, rt_str_cstr(&tmp));
		rt_str_printf(out, " (%s) SELECT %s FROM ", rt_str_cstr(&cols),
			      rt_str_cstr(&cols));
		rt_sql_ident(out, RT_DIALECT_SQLITE, a->name);
		stmt_end(out);
	}
	/* AUTOINCREMENT on both sides: ids never handed out again, so the
	 * new table takes over the old one's sqlite_sequence value (which
	 * may be past the largest id left) */
	if (autoincrement(a) && autoincrement(b)) {
		rt_str_puts(out, "DELETE FROM sqlite_sequence WHERE name = ");
		rt_sql_literal(out, RT_DIALECT_SQLITE, rt_str_cstr(&tmp));
		stmt_end(out);
		rt_str_puts(out, "INSERT INTO sqlite_sequence (name, seq) "
				 "SELECT ");
		rt_sql_literal(out, RT_DIALECT_SQLITE, rt_str_cstr(&tmp));
		rt_str_puts(out, ", seq FROM sqlite_sequence WHERE name = ");
		rt_sql_literal(out, RT_DIALECT_SQLITE, a->name);
		stmt_end(out);
	}
	/* 3. swap */
	drop_named(out, RT_DIALECT_SQLITE, "TABLE", NULL, a->name);
	rt_str_puts(out, "ALTER TABLE ");
	rt_sql_ident(out, RT_DIALECT_SQLITE, rt_str_cstr(&tmp));
	rt_str_puts(out, " RENAME TO ");
	rt_sql_ident(out, RT_DIALECT_SQLITE, b->name);
	stmt_end(out);
	/* 4. the target's indexes (its triggers follow once every table
	 * is rebuilt, and so does its foreign key check: diff_tables.c
	 * adds them) */
	for (i = 0; i < b->nindexes; i++) {
		rt_str_puts(out, b->indexes[i].definition);
		stmt_end(out);
	}
done:
	rt_arena_free(&arena);
	rt_str_dispose(&tmp);
	rt_str_dispose(&cols);
}

static void unrenderable(rctx *r, const rt_change *c)
{
	r->rc = rt_err_set(r->err, RETORT_ERROR,
			   "cannot write SQL for change %d on %s (%s)",
			   (int)c->kind, c->table ? c->table : "?",
			   rt_dialect_name(r->dialect));
}

static void render_sqlite(rctx *r, const rt_change *c)
{
	rt_str *out = r->out;
	const rt_dialect d = RT_DIALECT_SQLITE;

	switch (c->kind) {
	case RT_ADD_TABLE:
		rt_sx_emit_table(out, d, c->to);
		break;
	case RT_DROP_TABLE:
		drop_named(out, d, "TABLE", NULL, c->table);
		break;
	case RT_ADD_COLUMN:
		alter(out, d, NULL, c->table);
		rt_str_printf(out, "ADD COLUMN %s",
			      ((const rt_column *)c->to)->definition);
		stmt_end(out);
		break;
	case RT_DROP_COLUMN:
		alter(out, d, NULL, c->table);
		rt_str_puts(out, "DROP COLUMN ");
		rt_sql_ident(out, d, c->name);
		stmt_end(out);
		break;
	case RT_ADD_INDEX:
		rt_str_puts(out, ((const rt_index *)c->to)->definition);
		stmt_end(out);
		break;
	case RT_DROP_INDEX:
		drop_named(out, d, "INDEX", NULL, c->name);
		break;
	case RT_ADD_TRIGGER:
		rt_str_puts(out, ((const rt_trigger *)c->to)->definition);
		stmt_end(out);
		break;
	case RT_DROP_TRIGGER:
		drop_named(out, d, "TRIGGER", NULL, c->name);
		break;
	case RT_ADD_VIEW:
	case RT_CHANGE_VIEW:
		rt_sx_emit_view(out, d, c->to);
		break;
	case RT_DROP_VIEW:
		drop_named(out, d, "VIEW", NULL, c->table);
		break;
	case RT_REBUILD_TABLE:
		sqlite_rebuild(r, c);
		break;
	case RT_NOTE:
		rt_str_printf(out, "-- note: %s\n", c->description);
		break;
	case RT_CHECK_FOREIGN_KEYS:
		rt_str_puts(out, "PRAGMA foreign_key_check(");
		rt_sql_ident(out, d, c->table);
		rt_str_putc(out, ')');
		stmt_end(out);
		break;
	default:
		unrenderable(r, c);
		break;
	}
}

static void render_pg(rctx *r, const rt_change *c)
{
	rt_str *out = r->out;
	const rt_column *cb = c->to;

	switch (c->kind) {
	case RT_ADD_SCHEMA:
		rt_str_puts(out, "CREATE SCHEMA ");
		rt_sql_ident(out, PG, c->table);
		stmt_end(out);
		break;
	case RT_DROP_SCHEMA:
		rt_str_puts(out, "DROP SCHEMA ");
		rt_sql_ident(out, PG, c->table);
		stmt_end(out);
		break;
	case RT_ADD_EXTENSION:
		rt_sx_emit_extension(out, c->to);
		break;
	case RT_DROP_EXTENSION:
		rt_str_puts(out, "DROP EXTENSION ");
		rt_sql_ident(out, PG, c->table);
		stmt_end(out);
		break;
	case RT_ADD_ENUM:
		rt_sx_emit_enum(out, c->to);
		break;
	case RT_DROP_ENUM:
		drop_named(out, PG, "TYPE", c->schema, c->table);
		break;
	case RT_ADD_ENUM_VALUE:
		add_enum_value(r, c);
		break;
	case RT_CHANGE_ENUM:
		change_enum(r, c);
		break;
	case RT_ADD_SEQUENCE:
		rt_sx_emit_sequence(out, c->to);
		break;
	case RT_CHANGE_SEQUENCE:
		change_sequence(r, c);
		break;
	case RT_SET_SEQUENCE_OWNER:
		rt_sx_emit_sequence_owner(out, c->to);
		break;
	case RT_DROP_SEQUENCE:
		drop_named(out, PG, "SEQUENCE IF EXISTS", c->schema, c->table);
		break;
	case RT_ADD_TABLE:
		rt_sx_emit_table(out, PG, c->to);
		break;
	case RT_DROP_TABLE:
		drop_named(out, PG, "TABLE", c->schema, c->table);
		break;
	case RT_ADD_COLUMN:
		alter(out, PG, c->schema, c->table);
		rt_str_puts(out, "ADD COLUMN ");
		pg_column(out, cb);
		stmt_end(out);
		if (cb->comment)
			pg_comment(out, "COLUMN", c->schema, c->table, cb->name,
				   cb->comment);
		break;
	case RT_DROP_COLUMN:
		alter(out, PG, c->schema, c->table);
		rt_str_puts(out, "DROP COLUMN ");
		rt_sql_ident(out, PG, c->name);
		stmt_end(out);
		break;
	case RT_CHANGE_COLUMN_TYPE:
		change_type(r, c);
		break;
	case RT_CHANGE_COLUMN_NULL:
		alter_column(out, c->schema, c->table, c->name);
		rt_str_puts(out,
			    cb->not_null ? "SET NOT NULL" : "DROP NOT NULL");
		stmt_end(out);
		break;
	case RT_CHANGE_COLUMN_DEFAULT:
		alter_column(out, c->schema, c->table, c->name);
		if (cb->default_expr)
			rt_str_printf(out, "SET DEFAULT %s", cb->default_expr);
		else
			rt_str_puts(out, "DROP DEFAULT");
		stmt_end(out);
		break;
	case RT_CHANGE_COLUMN_IDENTITY:
		change_identity(out, c);
		break;
	case RT_CHANGE_COLUMN_GENERATED:
		/* a new expression is a drop and an add (diff_columns.c) */
		if (cb->generated) {
			unrenderable(r, c);
			break;
		}
		alter_column(out, c->schema, c->table, c->name);
		rt_str_puts(out, "DROP EXPRESSION");
		stmt_end(out);
		break;
	case RT_CHANGE_COLUMN_COMMENT:
		pg_comment(out, "COLUMN", c->schema, c->table, c->name,
			   cb->comment);
		break;
	case RT_CHANGE_TABLE_COMMENT:
		pg_comment(out, "TABLE", c->schema, c->table, NULL,
			   ((const rt_table *)c->to)->comment);
		break;
	case RT_ADD_PRIMARY_KEY:
	case RT_ADD_UNIQUE:
		alter(out, PG, c->schema, c->table);
		rt_str_puts(out, "ADD ");
		key_body(out, c->to,
			 c->kind == RT_ADD_UNIQUE ? "UNIQUE" : "PRIMARY KEY");
		stmt_end(out);
		break;
	case RT_ADD_CHECK:
		alter(out, PG, c->schema, c->table);
		rt_str_puts(out, "ADD ");
		check_body(out, c->to);
		stmt_end(out);
		break;
	case RT_DROP_PRIMARY_KEY:
	case RT_DROP_UNIQUE:
		drop_constraint(out, c, ((const rt_key *)c->from)->name);
		break;
	case RT_DROP_CHECK:
		drop_constraint(out, c, ((const rt_check *)c->from)->name);
		break;
	case RT_ADD_FK: {
		rt_table t;

		memset(&t, 0, sizeof(t));
		t.schema = c->schema;
		t.name = c->table;
		rt_sx_emit_fk(out, &t, c->to);
		break;
	}
	case RT_DROP_FK:
		drop_constraint(out, c, ((const rt_fk *)c->from)->name);
		break;
	case RT_ADD_INDEX:
		index_stmt(out, PG, c->schema, c->to);
		break;
	case RT_DROP_INDEX:
		drop_named(out, PG, "INDEX", c->schema, c->name);
		break;
	case RT_CHANGE_INDEX_COMMENT:
		pg_comment(out, "INDEX", c->schema, c->name, NULL,
			   ((const rt_index *)c->to)->comment);
		break;
	case RT_CHANGE_VIEW_COMMENT: {
		const rt_view *v = c->to;

		pg_comment(out, v->materialized ? "MATERIALIZED VIEW" : "VIEW",
			   c->schema, c->table, NULL, v->comment);
		break;
	}
	case RT_CHANGE_VIEW_COLUMN_COMMENT: {
		const rt_view *v = c->to;
		const char *text = NULL;
		size_t i;

		for (i = 0; i < v->ncolumn_comments; i++)
			if (rt_sx_eq(v->column_comments[i].name, c->name))
				text = v->column_comments[i].text;
		pg_comment(out, "COLUMN", c->schema, c->table, c->name, text);
		break;
	}
	case RT_ADD_VIEW:
	case RT_CHANGE_VIEW:
		rt_sx_emit_view(out, PG, c->to);
		break;
	case RT_DROP_VIEW:
		drop_named(out, PG,
			   ((const rt_view *)c->from)->materialized
			       ? "MATERIALIZED VIEW"
			       : "VIEW",
			   c->schema, c->table);
		break;
	default:
		unrenderable(r, c);
		break;
	}
}

static void warning(rt_str *out, const char *w)
{
	rt_str_printf(out, "-- WARNING: %s\n", w);
}

static int render(const rt_diff *d, rt_str *out, int *nontx, rt_err *err)
{
	const rt_change *modified = NULL;
	rctx r;
	size_t i, k;

	memset(&r, 0, sizeof(r));
	r.d = d;
	r.dialect = d->from->dialect;
	r.out = out;
	r.err = err;
	if (r.dialect != RT_DIALECT_SQLITE && r.dialect != PG &&
	    r.dialect != RT_DIALECT_MYSQL)
		return rt_err_set(err, RETORT_EUSAGE,
				  "cannot write schema changes for %s",
				  rt_dialect_name(r.dialect));
	for (i = 0; i < d->nchanges && !r.rc; i++) {
		const rt_change *c = &d->changes[i];
		size_t mark = out->len;

		if (c->flags & RT_CHANGE_IN_REBUILD)
			continue;
		/* MySQL: one MODIFY COLUMN makes all of a column's changes,
		 * with all their warnings */
		if (r.dialect == RT_DIALECT_MYSQL && modified &&
		    rt_sx_my_same_column(modified, c))
			continue;
		/* foreign key checks follow the last rebuild directly */
		if (mark && c->kind != RT_CHECK_FOREIGN_KEYS)
			rt_str_putc(out, '\n');
		/* a rebuild (or re-add) carries the warnings of the changes
		 * it makes, which come right before it */
		for (k = i; k > 0; k--) {
			const rt_change *s = &d->changes[k - 1];

			if (!(s->flags & RT_CHANGE_IN_REBUILD))
				break;
		}
		for (; k < i; k++)
			if (d->changes[k].warning)
				warning(out, d->changes[k].warning);
		if (c->warning)
			warning(out, c->warning);
		if (r.dialect == RT_DIALECT_MYSQL) {
			for (k = i + 1; k < d->nchanges &&
					rt_sx_my_same_column(c, &d->changes[k]);
			     k++)
				if (d->changes[k].warning)
					warning(out, d->changes[k].warning);
			modified = c;
			r.rc = rt_sx_my_change(out, d, c, err);
		} else if (r.dialect == PG)
			render_pg(&r, c);
		else
			render_sqlite(&r, c);
	}
	if (nontx)
		*nontx = r.nontransactional;
	if (!r.rc && out->oom)
		r.rc = rt_err_oom(err);
	return r.rc;
}

int rt_diff_render(const rt_diff *d, rt_str *upgrade, rt_str *downgrade,
		   int *nontransactional, rt_err *err)
{
	rt_diff *rev = NULL;
	int error = 0;

	if (nontransactional)
		*nontransactional = 0;
	if (!d)
		return rt_err_set(err, RETORT_EUSAGE,
				  "no schema diff to render");
	if (upgrade && (error = render(d, upgrade, nontransactional, err)) < 0)
		return error;
	if (nontransactional && *nontransactional)
		*nontransactional = RT_NONTX_UPGRADE;
	if (downgrade) {
		int down_nontx = 0;

		if ((error = rt_schema_diff(&rev, d->to, d->from, err)) < 0)
			return error;
		error = render(rev, downgrade, &down_nontx, err);
		rt_diff_free(rev);
		if (nontransactional && down_nontx)
			*nontransactional |= RT_NONTX_DOWNGRADE;
	}
	return error;
}
