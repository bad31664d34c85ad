/* SPDX-License-Identifier: MIT */
/*
 * Stage schema/: a database's catalogs in (through run/driver.h), the
 * schema model out; two models in, their differences and the SQL that
 * turns one into the other out, per dialect; a model as DDL (dump).
 * Uses util/, sql/, project/url.h and run/driver.h.
 *
 * schema.h: the schema model behind autogenerate, check and dump.
 *
 * A model is what a database's catalogs say: tables with their columns,
 * keys, constraints and indexes; views; and on PostgreSQL schemas, enums,
 * sequences, extensions and comments. Both sides of a comparison are
 * models read the same way (the live database, and the declared schema
 * loaded into a scratch database), so a diff compares like with like.
 *
 * Invariants:
 *  - every list is sorted by (schema, name), so that diffs, dumps and
 *    generated SQL are deterministic;
 *  - text that the database normalises (types, default and check
 *    expressions, index definitions) is stored as the database prints it
 *    back (PostgreSQL: format_type, pg_get_expr, pg_get_constraintdef,
 *    pg_get_indexdef; SQLite: the declared text, whitespace-normalised), so
 *    equal definitions compare equal;
 *  - retort's own tables (version and log tables) are never in a model.
 * All strings of a model live in its arena and die with rt_schema_free().
 */
#ifndef RT_SCHEMA_H
#define RT_SCHEMA_H

#include <stddef.h>

#include "project/url.h"
#include "run/driver.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/str.h"

typedef struct rt_column {
	const char *name;
	const char *type; /* as the database prints it */
	int not_null;
	const char *default_expr; /* NULL: no default */
	/* identity / autoincrement: 0 none; 'a' GENERATED ALWAYS, 'd' BY
	 * DEFAULT (PostgreSQL); 'i' INTEGER PRIMARY KEY AUTOINCREMENT
	 * (SQLite) */
	char identity;
	/* PostgreSQL identity: the options of its sequence, as
	 * pg_sequence holds them (all 0 when unknown: the defaults) */
	long long ident_start, ident_increment, ident_min, ident_max;
	long long ident_cache;
	int ident_cycle;
	const char *generated; /* generated column expression, or NULL */
	int generated_stored;  /* 1 STORED, 0 VIRTUAL */
	const char *collation; /* NULL: the default */
	const char *comment;   /* PostgreSQL */
	/* SQLite: the column's text in CREATE TABLE (for ADD COLUMN), and
	 * whether its default is an expression ALTER TABLE ADD COLUMN cannot
	 * take (parenthesised, CURRENT_TIME/DATE/TIMESTAMP) */
	const char *definition;
	int default_is_expr;
} rt_column;

typedef struct rt_key {	  /* primary key or unique constraint */
	const char *name; /* NULL when unnamed (SQLite) */
	const char **columns;
	size_t ncolumns;
	/* PostgreSQL: pg_get_constraintdef ("UNIQUE NULLS NOT DISTINCT
	 * (a)"); NULL on SQLite */
	const char *definition;
} rt_key;

typedef struct rt_check {
	const char *name; /* NULL when unnamed */
	const char *expr;
	/* MariaDB: the column of a column-level CHECK (part of the
	 * column's definition: MODIFY COLUMN drops it unless it is written
	 * again); NULL otherwise. Not compared. */
	const char *column;
} rt_check;

typedef struct rt_fk {
	const char *name; /* NULL when unnamed */
	const char **columns;
	size_t ncolumns;
	const char *ref_schema; /* NULL: same schema */
	const char *ref_table;
	const char **ref_columns;
	size_t nref_columns;
	const char *on_delete; /* "NO ACTION" when not set */
	const char *on_update;
	int deferrable;
	int initially_deferred;
	const char *definition; /* PostgreSQL: pg_get_constraintdef */
	/* MySQL: the index InnoDB made for it (not listed among the
	 * table's indexes), dropped with it; NULL when none */
	const char *index;
} rt_fk;

typedef struct rt_index {
	const char *name;
	int unique;
	const char *method; /* "btree", "gin", ... (PostgreSQL) */
	const char **keys;  /* column names or expressions, in order */
	size_t nkeys;
	const char *where;	/* partial index predicate, or NULL */
	const char *definition; /* the full CREATE INDEX statement */
	const char *comment;	/* PostgreSQL */
} rt_index;

typedef struct rt_comment { /* a comment on a view's column */
	const char *name;
	const char *text;
} rt_comment;

typedef struct rt_trigger { /* SQLite: recreated after a table rebuild */
	const char *name;
	const char *definition;
} rt_trigger;

typedef struct rt_table {
	/* NULL on SQLite; PostgreSQL: "" for the session's default schema
	 * (rt_schema.default_schema), which generated SQL leaves out, as
	 * for every object's schema below */
	const char *schema;
	const char *name;
	rt_column *columns; /* in table order */
	size_t ncolumns;
	rt_key *primary_key; /* NULL when none */
	rt_key *uniques;
	size_t nuniques;
	rt_check *checks;
	size_t nchecks;
	rt_fk *fks;
	size_t nfks;
	rt_index *indexes; /* not those backing the PK/unique constraints */
	size_t nindexes;
	rt_trigger *triggers;
	size_t ntriggers;
	const char *comment;
	const char *sql; /* SQLite: the CREATE TABLE text from sqlite_schema */
	int without_rowid; /* SQLite */
	int strict;	   /* SQLite */
} rt_table;

typedef struct rt_view {
	const char *schema;
	const char *name;
	const char *definition; /* SELECT text as the database prints it */
	int materialized;
	const char *sql; /* SQLite: CREATE VIEW text */
	/* PostgreSQL: comments on the view and its columns (sorted by
	 * column name), and a materialized view's indexes */
	const char *comment;
	rt_comment *column_comments;
	size_t ncolumn_comments;
	rt_index *indexes;
	size_t nindexes;
} rt_view;

typedef struct rt_enum {
	const char *schema;
	const char *name;
	const char **labels; /* in order */
	size_t nlabels;
	/* how columns of this type print it (format_type), or NULL */
	const char *type_name;
} rt_enum;

typedef struct rt_sequence {
	const char *schema;
	const char *name;
	const char *type;
	long long start, increment, min, max, cache;
	int cycle;
	const char *owned_by; /* "table.column" of an owning column, or NULL */
	/* the owning table as the catalogs name it (for filters), or NULL */
	const char *owner_schema, *owner_table;
} rt_sequence;

typedef struct rt_extension {
	const char *name;
	const char *schema;
} rt_extension;

typedef struct rt_schema {
	rt_arena arena;
	rt_dialect dialect;
	const char **schemas; /* PostgreSQL: user schemas (not public) */
	size_t nschemas;
	rt_table *tables;
	size_t ntables;
	rt_view *views;
	size_t nviews;
	rt_enum *enums;
	size_t nenums;
	rt_sequence *sequences; /* not those owned by identity columns */
	size_t nsequences;
	rt_extension *extensions;
	size_t nextensions;
	/* objects the model does not cover, each "kind name" (functions,
	 * domains, policies, ...): reported as notes, never silently
	 * skipped */
	const char **unsupported;
	size_t nunsupported;
	/* PostgreSQL: the name of the session's default schema, which the
	 * model spells "" (current_schema(); "public" when the search path
	 * has none); MySQL: the current database (DATABASE()), whose
	 * objects the model spells without a schema (NULL), for filters;
	 * NULL on SQLite */
	const char *default_schema;
} rt_schema;

/*
 * What autogenerate and check leave out (autogenerate_* in retort.ini):
 * applied while reading each side, so that neither has it. Patterns are
 * fnmatch(3) globs. A schema is matched by its name in the catalogs
 * (the default schema too; SQLite's is "main"). A table pattern
 * "SCHEMA.NAME" matches both parts, "NAME" the name in any schema; it
 * applies to tables (with their indexes, triggers and the sequences
 * they own) and views. The notes about unsupported objects follow the
 * same rules, by the kind and schema of the object. On MySQL the schema
 * is the URL's database (by its name).
 */
enum {
	RT_KIND_SCHEMA = 1u << 0, /* CREATE/DROP SCHEMA (not their objects) */
	RT_KIND_EXTENSION = 1u << 1,
	RT_KIND_ENUM = 1u << 2,
	RT_KIND_SEQUENCE = 1u << 3,
	RT_KIND_TABLE = 1u << 4,
	RT_KIND_VIEW = 1u << 5, /* and materialized views */
	RT_KIND_INDEX = 1u << 6,
	RT_KIND_TRIGGER = 1u << 7,
	/* the kinds below are not compared (notes only) */
	RT_KIND_FUNCTION = 1u << 8, /* and procedures, aggregates */
	RT_KIND_DOMAIN = 1u << 9,
	RT_KIND_TYPE = 1u << 10, /* composite and range types */
	RT_KIND_POLICY = 1u << 11,
	RT_KIND_RULE = 1u << 12,
	RT_KIND_COLLATION = 1u << 13
};

typedef struct rt_schema_filter {
	const char *const *include_schemas; /* none: every schema */
	size_t ninclude_schemas;
	const char *const *exclude_schemas;
	size_t nexclude_schemas;
	const char *const *exclude_tables;
	size_t nexclude_tables;
	const char *const *exclude_extensions;
	size_t nexclude_extensions;
	unsigned exclude_kinds; /* RT_KIND_* */
} rt_schema_filter;

/* The RT_KIND_* bit of a kind's name ("table", "view", ...): 0 when
 * there is none. */
unsigned rt_schema_kind(const char *name);
/* The kinds' names, "schema, extension, ..." (for messages). */
const char *rt_schema_kind_names(void);
/* NULL when a table pattern is well-formed, else what is wrong. */
const char *rt_schema_table_pattern_error(const char *pattern);

typedef struct rt_introspect_opts {
	const char *version_table; /* excluded */
	const char *log_table;	   /* excluded (and its index) */
	const char *schema;	   /* where those live (PostgreSQL), or NULL */
	const rt_schema_filter *filter; /* what to leave out, or NULL */
	/* MySQL: the name filters know the current database by (the live
	 * database's, for its scratch twin too), or NULL: DATABASE() */
	const char *database;
} rt_introspect_opts;

/* Read the whole database's schema in a fixed number of queries (never
 * one per table on PostgreSQL). */
int rt_schema_introspect(rt_schema **out, const rt_driver *drv, rt_conn *c,
			 const rt_introspect_opts *o, rt_err *err);
void rt_schema_free(rt_schema *s);

/* ---- diff ---- */

typedef enum rt_change_kind {
	RT_ADD_SCHEMA,
	RT_DROP_SCHEMA,
	RT_ADD_EXTENSION,
	RT_DROP_EXTENSION,
	RT_ADD_ENUM,
	RT_DROP_ENUM,
	RT_ADD_ENUM_VALUE, /* needs transaction:false before PG 12 */
	RT_CHANGE_ENUM,	   /* values removed/reordered: recreate */
	RT_ADD_SEQUENCE,
	RT_DROP_SEQUENCE,
	RT_CHANGE_SEQUENCE,
	RT_ADD_TABLE,
	RT_DROP_TABLE,
	RT_ADD_COLUMN,
	RT_DROP_COLUMN,
	RT_CHANGE_COLUMN_TYPE,
	RT_CHANGE_COLUMN_NULL,
	RT_CHANGE_COLUMN_DEFAULT,
	RT_CHANGE_COLUMN_IDENTITY,
	RT_CHANGE_COLUMN_GENERATED,
	RT_CHANGE_COLUMN_COMMENT,
	RT_CHANGE_TABLE_COMMENT,
	RT_ADD_PRIMARY_KEY,
	RT_DROP_PRIMARY_KEY,
	RT_ADD_UNIQUE,
	RT_DROP_UNIQUE,
	RT_ADD_CHECK,
	RT_DROP_CHECK,
	RT_ADD_FK,
	RT_DROP_FK,
	RT_ADD_INDEX,
	RT_DROP_INDEX,
	RT_ADD_TRIGGER,
	RT_DROP_TRIGGER,
	RT_ADD_VIEW,
	RT_DROP_VIEW,
	RT_CHANGE_VIEW,
	RT_REBUILD_TABLE, /* SQLite: ALTER TABLE cannot do it */
	/* PostgreSQL: ALTER SEQUENCE ... OWNED BY, once the owning column
	 * exists (always RT_CHANGE_IMPLIED: part of an add or change) */
	RT_SET_SEQUENCE_OWNER,
	/* no SQL, a "-- note: <description>" line: a difference the
	 * database ignores, left alone (SQLite: a type's length or
	 * precision); always RT_CHANGE_IMPLIED */
	RT_NOTE,
	/* PostgreSQL: comments on a view (from/to: rt_view), on one of its
	 * columns (name; from/to: rt_view) and on an index (from/to:
	 * rt_index; table: its table or materialized view) */
	RT_CHANGE_VIEW_COMMENT,
	RT_CHANGE_VIEW_COLUMN_COMMENT,
	RT_CHANGE_INDEX_COMMENT,
	/* SQLite: PRAGMA foreign_key_check on a rebuilt table, once every
	 * table of the revision is rebuilt (always RT_CHANGE_IMPLIED) */
	RT_CHECK_FOREIGN_KEYS
} rt_change_kind;

typedef struct rt_change {
	rt_change_kind kind;
	const char *schema;
	const char *table; /* or the object name for non-table objects */
	const char *name;  /* column/constraint/index name, or NULL */
	/* the object before and after (NULL for add/drop respectively);
	 * the pointers are into the two models */
	const void *from;
	const void *to;
	/* data-dependent or destructive: the generated SQL gets a
	 * "-- WARNING: ..." comment with this text */
	const char *warning;
	/* one line for `check`: "add column book.isbn VARCHAR(13)" */
	const char *description;
	unsigned flags; /* RT_CHANGE_* */
} rt_change;

/* A difference that a later change makes by recreating the object: the
 * table's RT_REBUILD_TABLE (SQLite), or a PostgreSQL column dropped and
 * added again (a generated column whose expression or base column
 * changes). Listed by `check`, not rendered; its warning is written
 * before the change that makes it, which follows it in the list. */
#define RT_CHANGE_IN_REBUILD 0x01
/* Not a difference but a step another one needs (a view or trigger
 * dropped and recreated around a rebuilt table, a foreign key around a
 * changed key): rendered, not listed by `check`. */
#define RT_CHANGE_IMPLIED 0x02

typedef struct rt_diff {
	rt_arena arena;
	rt_change *changes; /* in dependency order for the upgrade */
	size_t nchanges;
	const rt_schema *from, *to;
	/* notes about unsupported objects on either side */
	const char **notes;
	size_t nnotes;
} rt_diff;

/* What it takes to turn `from` into `to`. Renames are never guessed: a
 * renamed column is a drop plus an add. */
int rt_schema_diff(rt_diff **out, const rt_schema *from, const rt_schema *to,
		   rt_err *err);
void rt_diff_free(rt_diff *d);

/* The number of differences (changes not flagged RT_CHANGE_IMPLIED): 0
 * when the two models are equal. */
size_t rt_diff_count(const rt_diff *d);

/* The differences for `check`, one description a line, then the notes
 * (each line "note: ..."). Appends to out. */
int rt_diff_describe(const rt_diff *d, rt_str *out, rt_err *err);

/*
 * SQL for the dialect: `upgrade` turns `from` into `to`, `downgrade` turns
 * `to` back into `from`; both in dependency order (referenced tables
 * first, drops in reverse), with "-- WARNING:" comments before destructive
 * or data-dependent steps. On SQLite, a change ALTER TABLE cannot make is
 * written as a table rebuild that keeps every row: create the new table
 * (the target's CREATE TABLE text under a temporary name), copy the kept
 * columns (and its sqlite_sequence value when it is AUTOINCREMENT on
 * both sides), drop the old, rename, recreate its indexes; once every
 * table is rebuilt, PRAGMA foreign_key_check on each (tables in a
 * reference cycle may need each other's new keys); its triggers, and
 * views and triggers that read it, are dropped before and created after
 * the rebuilds. It needs PRAGMA foreign_keys=OFF (SQLite's default),
 * which the SQL leaves to the user.
 * `nontransactional` gets RT_NONTX_UPGRADE and/or RT_NONTX_DOWNGRADE when
 * that direction needs `transaction:false` (ALTER TYPE ... ADD VALUE: the
 * new value cannot be used before it is committed). Either output may be
 * NULL.
 */
#define RT_NONTX_UPGRADE   0x01
#define RT_NONTX_DOWNGRADE 0x02
int rt_diff_render(const rt_diff *d, rt_str *upgrade, rt_str *downgrade,
		   int *nontransactional, rt_err *err);

/* A schema as deterministic DDL that loads back into an empty database
 * of the same dialect (usable as a declared schema). */
int rt_schema_dump(const rt_schema *s, rt_str *out, rt_err *err);

/* Run a declared schema (DDL text) in one transaction, pipelined where
 * the driver can (PostgreSQL): loading it into a scratch database for
 * autogenerate and check. A failing statement is reported as
 * "path:line: message (SQLSTATE)" like a revision's, `path` naming the
 * text (NULL: "the declared schema"); nothing stays loaded. */
int rt_schema_load(const rt_driver *drv, rt_conn *c, const char *path,
		   const char *sql, size_t len, rt_err *err);

#endif
