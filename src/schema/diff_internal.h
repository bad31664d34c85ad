/* SPDX-License-Identifier: MIT */
/*
 * diff_internal.h: what the diff files share (diff.c and diff_*.c) and
 * nobody else uses: the phases changes are collected into, the diff's
 * working state, and the helpers that append changes.
 *
 *   diff.c          the entry points, the phases joined into one list,
 *                   and the helpers below
 *   diff_types.c    is a type change safe, narrowing or a conversion
 *   diff_objects.c  schemas, extensions, enums, sequences
 *   diff_tables.c   tables added, dropped or changed; SQLite rebuilds;
 *                   foreign keys and triggers around changed tables
 *   diff_columns.c  the columns of a changed table
 *   diff_keys.c     its keys, checks, foreign keys, indexes, triggers
 *   diff_views.c    views, and the views recreated around others
 *
 * Invariants: every string a helper returns lives in the diff's arena
 * (never NULL: "" after an allocation failure, which sets x->oom); a
 * phase function only appends to x's vectors and maps, and reports
 * allocation failures through x->oom alone.
 */
#ifndef RT_SCHEMA_DIFF_INTERNAL_H
#define RT_SCHEMA_DIFF_INTERNAL_H

#include <stddef.h>

#include "schema/internal.h"
#include "util/map.h"
#include "util/vec.h"

/* The order of the upgrade, phase by phase (see diff.c). */
enum {
	PH_DROP_VIEW,
	PH_ADD_SCHEMA,
	PH_ADD_EXTENSION,
	PH_ENUM,
	PH_SEQUENCE,
	PH_DROP_TRIGGER,
	PH_DROP_FK,
	PH_DROP_KEYS,
	PH_DROP_GENERATED,
	PH_DROP_TABLE,
	PH_CHANGE_ENUM,
	PH_ADD_TABLE,
	PH_COLUMNS,
	PH_ADD_GENERATED,
	PH_REBUILD,
	PH_FK_CHECK,
	PH_ADD_KEYS,
	PH_ADD_TRIGGER,
	PH_ADD_FK,
	PH_SEQ_OWNER,
	PH_ADD_VIEW,
	PH_DROP_SEQUENCE,
	PH_DROP_ENUM,
	PH_DROP_EXTENSION,
	PH_DROP_SCHEMA,
	NPHASES
};

typedef RT_VEC(rt_change) chvec;

typedef struct fkpair { /* an unchanged foreign key, both sides */
	const rt_table *table;
	const rt_fk *from, *to;
} fkpair;

typedef struct trpair { /* an unchanged SQLite trigger, both sides */
	const rt_table *table;
	const rt_trigger *from, *to;
} trpair;

typedef struct rebuild {
	const rt_table *from, *to;
	chvec changes;
} rebuild;

typedef struct dctx {
	rt_diff *d;
	rt_arena *a;
	rt_dialect dialect;
	chvec ph[NPHASES];
	RT_VEC(rebuild) rebuilds;
	RT_VEC(fkpair) kept_fks;
	RT_VEC(trpair) kept_triggers;
	rt_map disturbed;  /* lower-cased names views must be rebuilt for */
	rt_map keychanged; /* "schema\x1fname": PG tables losing a key */
	rt_map rebuilt;	   /* lower-cased names of SQLite rebuilt tables */
	/* PostgreSQL enums recreated (RT_CHANGE_ENUM): their type names as
	 * columns print them (and the array types), and their lower-cased
	 * bare names (for text that mentions them) */
	rt_map enum_types;
	rt_map enum_names;
	/* "schema\x1ftable\x1fcolumn" of PG columns whose values are
	 * converted (a type change that needs a cast, or a recreated
	 * enum): foreign keys on them are dropped and added again */
	rt_map converted;
	int oom;
} dctx;

/* Per table pair while diffing it. */
typedef struct tdiff {
	const rt_table *from, *to;
	const char *disp; /* display name */
	chvec drop_fk, drop_keys, drop_trig;
	chvec col_add, col_change, col_drop;
	/* PostgreSQL generated columns: dropped before the column changes
	 * (and before enums are recreated), added after them */
	chvec gen_drop, gen_add;
	chvec add_keys, add_trig, add_fk;
	chvec notes; /* RT_NOTE: left alone unless the table is rebuilt */
	/* lower-cased names: columns whose type changes (PostgreSQL: also
	 * those of a recreated enum), and PG columns dropped and added
	 * again, whose indexes and constraints must be recreated */
	rt_map retyped, regen;
	int rebuild; /* SQLite: ALTER TABLE cannot do it */
	const char *rebuild_why;
	int disturbed;	/* views reading it must be recreated */
	int keychanged; /* PG: a PK/unique goes (FKs onto it) */
} tdiff;

/* ---- diff.c: helpers ---- */

/* printf into the arena. */
const char *rt_dx_fmt(dctx *x, const char *f, ...)
    __attribute__((format(printf, 2, 3)));
/* schema.name for messages (public left out). */
const char *rt_dx_disp(dctx *x, const char *schema, const char *name);
/* "a, b, c", or "'a', 'b', 'c'" with quote. */
const char *rt_dx_join(dctx *x, const char *const *v, size_t n, int quote);
/* Append one change to v. */
void rt_dx_push(dctx *x, chvec *v, rt_change_kind kind, const char *schema,
		const char *table, const char *name, const void *from,
		const void *to, const char *desc, const char *warn,
		unsigned flags);
/* Move src's changes to the end of dst, adding flags; src is freed. */
void rt_dx_append(dctx *x, chvec *dst, chvec *src, unsigned flags);
int rt_dx_strs_eq(const char *const *a, size_t na, const char *const *b,
		  size_t nb);
/* Put the lower-cased name into m. */
void rt_dx_lower_put(dctx *x, rt_map *m, const char *name);
/* "schema\x1fname", the key of x->keychanged. */
const char *rt_dx_qkey(dctx *x, const char *schema, const char *name);
/* 1 when an identifier in `text` is a key of m (lower-cased). */
int rt_dx_mentions_any(rt_dialect d, const char *text, const rt_map *m);
/* 1 when m holds the lower-cased name. */
int rt_dx_lower_has(const rt_map *m, const char *name);
/* SQLite: td's table needs a rebuild; the first reason is kept. */
void rt_dx_need_rebuild(tdiff *td, const char *why);

/* ---- diff_types.c ---- */

enum { TC_SAFE, TC_NARROW, TC_CONVERT };

/* What changing a column or sequence type from `from` to `to` does to
 * the values: TC_SAFE, TC_NARROW (may not fit) or TC_CONVERT. */
int rt_dx_type_change(const char *from, const char *to);
/* 1 when two types differ only in their arguments (VARCHAR(20) and
 * VARCHAR(40), NUMERIC(10,2) and NUMERIC): SQLite ignores those. */
int rt_dx_type_args_only(const char *from, const char *to);
/* A column's type for messages, with its collation. */
const char *rt_dx_coltype(dctx *x, const rt_column *c);

/* ---- the phases, in the order rt_schema_diff runs them ---- */

/* diff_objects.c */
void rt_dx_schemas(dctx *x, const rt_schema *f, const rt_schema *t);
void rt_dx_extensions(dctx *x, const rt_schema *f, const rt_schema *t);
void rt_dx_enums(dctx *x, const rt_schema *f, const rt_schema *t);
void rt_dx_sequences(dctx *x, const rt_schema *f, const rt_schema *t);
/* diff_tables.c */
void rt_dx_tables(dctx *x, const rt_schema *f, const rt_schema *t);
void rt_dx_place_rebuilds(dctx *x);
void rt_dx_reattach_fks(dctx *x);
void rt_dx_reattach_triggers(dctx *x);
/* PostgreSQL: objects of a changed table that must be dropped and added
 * again around its column changes (diff_keys.c, for rt_dx_keys and the
 * views' indexes): those reading a column in td->regen, or naming a
 * recreated enum. */
int rt_dx_must_recreate(dctx *x, const rt_map *regen, const char *text);
/* An index on both sides with the same definition: a change of its
 * comment, and (rt_dx_must_recreate) its drop into `drops` and add into
 * `adds`. */
void rt_dx_index_kept(dctx *x, const rt_map *regen, chvec *drops, chvec *adds,
		      const char *schema, const char *table, const char *disp,
		      const rt_index *a, const rt_index *b);
/* diff_views.c (after the tables: it reads x->disturbed) */
void rt_dx_views(dctx *x, const rt_schema *f, const rt_schema *t);

/* For diff_tables.c, per changed table: diff_columns.c, diff_keys.c. */
void rt_dx_columns(dctx *x, tdiff *td);
void rt_dx_keys(dctx *x, tdiff *td);

#endif
