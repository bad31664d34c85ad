/* SPDX-License-Identifier: MIT */
/*
 * internal.h: what the schema files share and nobody else uses: text
 * normalisation, identifier quoting, name comparison, sorting of a model,
 * a deterministic topological sort (model.c), the statements shared by
 * rendering and dump (emit.c), and the two introspection back ends
 * (introspect_sqlite.c, introspect_pg.c, called by introspect.c).
 *
 * Invariants: every function that allocates takes the arena the result
 * lives in (a model's or a diff's); the rt_str writers only append.
 */
#ifndef RT_SCHEMA_INTERNAL_H
#define RT_SCHEMA_INTERNAL_H

#include <stddef.h>

#include "schema/schema.h"
#include "sql/quote.h"
#include "util/vec.h"

/* Canonical text of SQL: comments dropped, one space between tokens but
 * none after '(' or '.' nor before ')' ',' '.' '('; with `upper`, unquoted
 * words are upper-cased (types). NULL on OOM. */
char *rt_sx_canon(rt_arena *a, rt_dialect d, const char *sql, size_t len,
		  int upper);

/* An identifier token's name: quotes removed ("", [], ``, ''), doubled
 * quotes undone. NULL on OOM. */
char *rt_sx_dequote(rt_arena *a, const char *tok, size_t len);

/*
 * Schemas in a model: NULL on SQLite; on PostgreSQL, introspection writes
 * the session's default schema (current_schema(), where unqualified names
 * go) as "", so that generated SQL leaves it out whatever it is called,
 * and the schema public, when it is not the default one, as rt_sx_public
 * (this very pointer), so that it is written out. Models built by hand
 * (tests) may say "public" for the default schema.
 */
extern const char rt_sx_public[];
/* 1 when objects of the schema are written without it: NULL, "", or a
 * "public" that is not rt_sx_public. */
int rt_sx_unqualified(const char *schema);
/* schema.name, the schema left out when rt_sx_unqualified(). */
void rt_sx_qname(rt_str *out, rt_dialect d, const char *schema,
		 const char *name);
/* The same for messages, unquoted. */
void rt_sx_display(rt_str *out, const char *schema, const char *name);

/* NULL-safe string equality and order (NULL first). */
int rt_sx_eq(const char *a, const char *b);
int rt_sx_cmp(const char *a, const char *b);
/* ASCII case-insensitive equality. */
int rt_sx_ieq(const char *a, const char *b);
/* Order of (schema, name) pairs. */
int rt_sx_cmp_name(const char *sa, const char *na, const char *sb,
		   const char *nb);

/* 1 when SQL text holds `name` as an identifier (case-insensitive,
 * quoted or not). */
int rt_sx_mentions(rt_dialect d, const char *text, const char *name);

/* Sort every list of a model (see the invariants in schema.h). */
void rt_sx_sort(rt_schema *s);

/* Order n nodes so that for every edge a -> b, a comes first; ties and
 * cycle members in index order. `order` receives n indexes. Returns 0 or
 * -1 on OOM. */
int rt_sx_topo(size_t n, const size_t *from, const size_t *to, size_t nedges,
	       size_t *order);

/* Dependency order of views: each after the views its definition
 * names. Returns 0 or -1 on OOM. */
int rt_sx_view_order(rt_dialect d, const rt_view *views, size_t n,
		     size_t *order);

/* Statements (each ending ";\n") shared by rendering and dump. A table
 * is its CREATE TABLE (PostgreSQL: without foreign keys) followed by its
 * indexes, triggers (SQLite) and comments (PostgreSQL); a PostgreSQL view
 * its CREATE VIEW, comments and (materialized) indexes. */
void rt_sx_emit_table(rt_str *out, rt_dialect d, const rt_table *t);
void rt_sx_emit_fk(rt_str *out, const rt_table *t, const rt_fk *fk);
void rt_sx_emit_enum(rt_str *out, const rt_enum *e);
void rt_sx_emit_sequence(rt_str *out, const rt_sequence *q);
void rt_sx_emit_sequence_owner(rt_str *out, const rt_sequence *q);
void rt_sx_emit_view(rt_str *out, rt_dialect d, const rt_view *v);
void rt_sx_emit_extension(rt_str *out, const rt_extension *e);
/* PostgreSQL: an identity column's sequence options that differ from
 * the defaults for its type, as " (START WITH 100 INCREMENT BY 5)", or
 * nothing (also when the options are unknown: ident_increment 0). */
void rt_sx_identity_options(rt_str *out, const rt_column *c);

/* Copy an array of strings into the arena. */
const char **rt_sx_strs(rt_arena *a, const char *const *v, size_t n);

/* Introspection helpers: copy a string into the arena, and record a note
 * about an object the model does not cover; both set *oom on failure. */
typedef RT_VEC(const char *) rt_sx_strvec;
const char *rt_sx_dup(rt_arena *a, const char *s, int *oom);
void rt_sx_note(rt_arena *a, rt_sx_strvec *notes, int *oom, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

/* The column of t named name; NULL when t is NULL or has none. */
const rt_column *rt_sx_find_column(const rt_table *t, const char *name);

/* A table's lists while an introspection back end builds them (each
 * keeps one in its own per-table record, beside what only it needs):
 * rt_sx_tparts_finish() copies them into the table's arrays in the
 * arena, rt_sx_tparts_free() frees them (after the copy, or on
 * failure). */
typedef struct rt_sx_tparts {
	RT_VEC(rt_column) cols;
	RT_VEC(rt_key) uniques;
	RT_VEC(rt_check) checks;
	RT_VEC(rt_fk) fks;
	RT_VEC(rt_index) indexes;
	RT_VEC(rt_trigger) triggers;
} rt_sx_tparts;

void rt_sx_tparts_finish(rt_arena *a, int *oom, rt_table *t,
			 const rt_sx_tparts *p);
void rt_sx_tparts_free(rt_sx_tparts *p);

/* Copy a vector built while introspecting (RT_VEC) into the arena as the
 * model's array dst of ndst elements (never NULL: at least one slot); sets
 * oom (an int lvalue) on failure. Needs <string.h>. */
#define RT_SX_TO_ARENA(arena, oom, dst, ndst, vec)                          \
	do {                                                                \
		(dst) = rt_arena_alloc((arena), ((vec).n ? (vec).n : 1) *   \
						    sizeof(*(vec).v));      \
		if (!(dst))                                                 \
			(oom) = 1;                                          \
		else if ((vec).n)                                           \
			memcpy((dst), (vec).v, (vec).n * sizeof(*(vec).v)); \
		(ndst) = (vec).n;                                           \
	} while (0)

/* filter.c: the autogenerate filters (f may be NULL: keep all). Schemas
 * are named as in the catalogs (NULL: SQLite's "main"). */
int rt_sx_keep_schema(const rt_schema_filter *f, const char *real);
/* A table (RT_KIND_TABLE) or view (RT_KIND_VIEW). */
int rt_sx_keep_relation(const rt_schema_filter *f, unsigned kind,
			const char *real, const char *name);
/* A note about an object of `kind` in schema `real` (NULL: none), on
 * `table` when it belongs to one. */
int rt_sx_keep_note(const rt_schema_filter *f, unsigned kind, const char *real,
		    const char *table);
/* Leave out of a model what f leaves out (its notes are the back end's). */
void rt_sx_filter(rt_schema *s, const rt_schema_filter *f);

/* Fill an empty model from the database (introspect.c sorts it). */
int rt_sx_introspect_sqlite(rt_schema *s, const rt_driver *drv, rt_conn *c,
			    const rt_introspect_opts *o, rt_err *err);
int rt_sx_introspect_pg(rt_schema *s, const rt_driver *drv, rt_conn *c,
			const rt_introspect_opts *o, rt_err *err);
int rt_sx_introspect_mysql(rt_schema *s, const rt_driver *drv, rt_conn *c,
			   const rt_introspect_opts *o, rt_err *err);

/* emit_mysql.c: MySQL statements. A table is its CREATE TABLE (without
 * foreign keys) and its CREATE INDEX statements; a foreign key an ALTER
 * TABLE ... ADD CONSTRAINT. */
void rt_sx_my_table(rt_str *out, const rt_table *t);
void rt_sx_my_fk(rt_str *out, const char *table, const rt_fk *fk);
void rt_sx_my_view(rt_str *out, const rt_view *v, int replace);
/* One change of d. A column change (type, NULL, default,
 * AUTO_INCREMENT, generation, comment) is a MODIFY COLUMN with the whole
 * target column, which makes the column's other changes too: emit.c
 * skips a change when rt_sx_my_same_column(previous, change). Returns 0
 * or sets err. */
int rt_sx_my_change(rt_str *out, const rt_diff *d, const rt_change *c,
		    rt_err *err);
int rt_sx_my_same_column(const rt_change *a, const rt_change *b);

/* The printed name of an enum as format_type writes it for columns of
 * its type: what introspection recorded, else schema.name quoted our
 * way (public left out). */
void rt_sx_pg_type_name(rt_str *out, const rt_enum *e);

#endif
