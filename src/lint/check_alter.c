/* SPDX-License-Identifier: MIT */
/*
 * check_alter.c: ALTER TABLE, action by action (the actions are split at
 * the commas outside parentheses):
 *   ADD [COLUMN]      add-not-null-column, volatile-default, sqlite-alter
 *   ADD constraint    add-check-not-valid, add-foreign-key-not-valid,
 *                     add-unique, sqlite-alter
 *   DROP [COLUMN]     drop-column
 *   ALTER [COLUMN]    alter-column-type, narrow-type, set-not-null,
 *                     sqlite-alter
 *   MODIFY / CHANGE   narrow-type (MySQL), sqlite-alter
 *   VALIDATE, RENAME  tracked
 * A table created earlier in the same section is new: the rules about
 * existing rows and locks pass it. Every ALTER TABLE of an existing table
 * is a locking statement (lock-timeout).
 */
#include "lint/internal.h"

#include <stdio.h>
#include <string.h>

#include "lint/types.h"

typedef struct alter {
	rt_lint *l;
	const rt_lstmt *s;
	char table[RT_LNAME_MAX];
	char desc_[DESC_MAX]; /* desc(): filled when a message needs it */
	int fresh;
	unsigned line;
} alter;

/* "table 't' (created by revision r)", for messages. */
static const char *desc(alter *a)
{
	if (!a->desc_[0])
		rt_lint_describe(a->l, a->table, a->desc_, sizeof(a->desc_));
	return a->desc_;
}

static const char *const sqlite_hint =
    "rebuild the table: CREATE TABLE new, INSERT INTO new SELECT ..., "
    "DROP TABLE old, ALTER TABLE new RENAME TO old";

static int sqlite_refuses(alter *a, const char *what)
{
	return rt_lint_emit(a->l, RT_LR_SQLITE_ALTER, a->line, sqlite_hint,
			    "SQLite's ALTER TABLE cannot %s", what);
}

/* Word w followed by word w2 somewhere in [i, end). */
static int pair_in(const rt_lstmt *s, size_t i, size_t end, const char *w,
		   const char *w2)
{
	for (; i + 1 < end; i++)
		if (rt_lw(s, i, w) && rt_lw(s, i + 1, w2))
			return 1;
	return 0;
}

static int volatile_default(alter *a, size_t j, size_t end, const char *type)
{
	static const char *const fns[] = { "random",
					   "gen_random_uuid",
					   "uuid_generate_v1",
					   "uuid_generate_v1mc",
					   "uuid_generate_v4",
					   "clock_timestamp",
					   "timeofday",
					   "nextval",
					   NULL };
	const rt_lstmt *s = a->s;
	size_t d = rt_lfind(s, j, end, "default", 0);
	const char *why = NULL;

	if (d < end && rt_lany(s, d + 1, end, fns))
		why = "a volatile DEFAULT";
	else if (!strncmp(type, "serial", 6) ||
		 !strncmp(type, "bigserial", 9) ||
		 !strncmp(type, "smallserial", 11))
		why = "a serial type (its DEFAULT is nextval())";
	else if (rt_lfind(s, j, end, "generated", 0) < end)
		why = "a GENERATED column";
	if (!why || a->fresh)
		return 0;
	return rt_lint_emit(a->l, RT_LR_VOLATILE_DEFAULT, a->line,
			    "add the column without a default (or with a "
			    "constant one), then fill it in batches",
			    "ADD COLUMN with %s rewrites existing %s under an "
			    "exclusive lock",
			    why, desc(a));
}

static int add_column(alter *a, size_t j, size_t end)
{
	static const char *const stop[] = {
		"not",	      "null",	   "default",	     "primary",
		"references", "unique",	   "check",	     "constraint",
		"collate",    "generated", "auto_increment", "comment",
		NULL
	};
	const rt_lstmt *s = a->s;
	char col[RT_LNAME_MAX], type[128];
	size_t t, d;
	int not_null = pair_in(s, j, end, "not", "null"), error;
	int has_default = rt_lfind(s, j, end, "default", 0) < end;

	if (!rt_lname(s, &j, col))
		return 0;
	for (t = j; t < end && !rt_lany(s, t, t + 1, stop); t++)
		;
	rt_ltext(s, j, t, type, sizeof(type));
	if (a->l->track &&
	    rt_track_set_column(&a->l->tr, a->table, col, type) < 0)
		return RETORT_ENOMEM;
	if (a->l->d == RT_DIALECT_POSTGRESQL &&
	    (error = volatile_default(a, j, end, type)) < 0)
		return error;
	if (a->l->d == RT_DIALECT_SQLITE) {
		static const char *const keys[] = { "primary", "unique", NULL };
		static const char *const now[] = { "current_timestamp",
						   "current_time",
						   "current_date", NULL };

		d = rt_lfind(s, j, end, "default", 0);
		if (rt_lany(s, j, end, keys))
			return sqlite_refuses(a, "add a PRIMARY KEY or UNIQUE "
						 "column");
		if (d < end &&
		    (rt_lc(s, d + 1, '(') || rt_lany(s, d + 1, d + 2, now)))
			return sqlite_refuses(a, "add a column with a "
						 "non-constant DEFAULT");
	}
	if (!not_null || has_default ||
	    rt_lfind(s, j, end, "generated", 0) < end ||
	    strstr(type, "serial") ||
	    (a->fresh && a->l->d != RT_DIALECT_SQLITE))
		return 0;
	return rt_lint_emit(
	    a->l, RT_LR_ADD_NOT_NULL, a->line,
	    "add it nullable, fill it, then set NOT NULL; or give it a "
	    "DEFAULT",
	    a->l->d == RT_DIALECT_SQLITE
		? "ADD COLUMN %s NOT NULL without a DEFAULT: SQLite refuses "
		  "it on %s"
		: "ADD COLUMN %s NOT NULL without a DEFAULT fails on %s when "
		  "it has rows",
	    col, desc(a));
}

/* CHECK ( col IS NOT NULL ) at i: the column, tracked. */
static int track_not_null_check(alter *a, size_t i, const char *cname,
				int validated)
{
	const rt_lstmt *s = a->s;
	char col[RT_LNAME_MAX];
	size_t j = i + 2;

	if (!a->l->track || !*cname || !rt_lc(s, i + 1, '(') ||
	    !rt_lname(s, &j, col) || !rt_lw(s, j, "is") ||
	    !rt_lw(s, j + 1, "not") || !rt_lw(s, j + 2, "null") ||
	    !rt_lc(s, j + 3, ')'))
		return 0;
	return rt_track_check(&a->l->tr, a->table, cname, col, validated) < 0
		   ? RETORT_ENOMEM
		   : 0;
}

static int add_constraint(alter *a, size_t j, size_t end)
{
	const rt_lstmt *s = a->s;
	char cname[RT_LNAME_MAX] = "";
	int not_valid, error;

	if (rt_lw(s, j, "constraint")) {
		j++;
		if (!rt_lname(s, &j, cname))
			return 0;
	}
	if (a->l->d == RT_DIALECT_SQLITE)
		return sqlite_refuses(a, "add a constraint");
	not_valid = pair_in(s, j, end, "not", "valid");
	if (rt_lw(s, j, "check")) {
		if ((error = track_not_null_check(a, j, cname, !not_valid)) < 0)
			return error;
		if (a->fresh || not_valid)
			return 0;
		return rt_lint_emit(
		    a->l, RT_LR_ADD_CHECK, a->line,
		    "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE "
		    "CONSTRAINT in a later statement or revision",
		    "ADD CHECK scans existing %s under an exclusive lock",
		    desc(a));
	}
	if (rt_lw(s, j, "foreign") && !a->fresh && !not_valid)
		return rt_lint_emit(
		    a->l, RT_LR_ADD_FK, a->line,
		    "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then "
		    "VALIDATE CONSTRAINT in a later statement or revision",
		    "ADD FOREIGN KEY scans existing %s while it locks both "
		    "tables against writes",
		    desc(a));
	if ((rt_lw(s, j, "unique") || rt_lw(s, j, "primary")) && !a->fresh &&
	    !pair_in(s, j, end, "using", "index"))
		return rt_lint_emit(
		    a->l, RT_LR_ADD_UNIQUE, a->line,
		    a->l->d == RT_DIALECT_POSTGRESQL
			? "CREATE UNIQUE INDEX CONCURRENTLY, then ADD "
			  "CONSTRAINT ... UNIQUE USING INDEX"
			: "remove duplicates in an earlier revision, and "
			  "check for them before deploying",
		    "ADD %s on existing %s fails when its rows hold "
		    "duplicates, and builds its index under a lock",
		    rt_lw(s, j, "unique") ? "UNIQUE" : "PRIMARY KEY", desc(a));
	return 0;
}

static int drop_action(alter *a, size_t j)
{
	static const char *const other[] = { "constraint", "index",	"key",
					     "foreign",	   "primary",	"check",
					     "default",	   "partition", NULL };
	const rt_lstmt *s = a->s;
	char col[RT_LNAME_MAX];

	if (rt_lw(s, j, "constraint") && a->l->d == RT_DIALECT_SQLITE)
		return sqlite_refuses(a, "drop a constraint");
	if (rt_lany(s, j, j + 1, other))
		return 0;
	if (rt_lw(s, j, "column"))
		j++;
	if (rt_lw(s, j, "if") && rt_lw(s, j + 1, "exists"))
		j += 2;
	if (a->fresh || !rt_lname(s, &j, col))
		return 0;
	return rt_lint_emit(a->l, RT_LR_DROP_COLUMN, a->line,
			    "stop using the column first; drop it in a later "
			    "revision once nothing reads it and a backup "
			    "exists",
			    "DROP COLUMN %s deletes its data from %s", col,
			    desc(a));
}

/* A new type for col (ALTER COLUMN TYPE, MODIFY, CHANGE): [j, t). */
static int new_type(alter *a, const char *col, const char *tocol, size_t j,
		    size_t t)
{
	const char *old = rt_track_column(&a->l->tr, a->table, col);
	char type[128];
	rt_ltype from, to;
	int error;

	rt_ltext(a->s, j, t, type, sizeof(type));
	rt_ltype_parse(old ? old : "", &from);
	rt_ltype_parse(type, &to);
	if (!a->fresh && rt_ltype_narrower(&from, &to) &&
	    (error = rt_lint_emit(a->l, RT_LR_NARROW_TYPE, a->line,
				  "check that every value fits before "
				  "deploying, or keep the wider type",
				  "column %s of %s goes from %s to the "
				  "narrower %s: values that do not fit make "
				  "it fail or are cut",
				  col, desc(a), old, type)) < 0)
		return error;
	if (!a->fresh && a->l->d == RT_DIALECT_POSTGRESQL &&
	    !rt_ltype_pg_in_place(&from, &to) &&
	    (error = rt_lint_emit(
		 a->l, RT_LR_ALTER_TYPE, a->line,
		 "add a new column, fill it in batches, switch readers, "
		 "then drop the old one",
		 "ALTER COLUMN %s TYPE %s rewrites %s under an exclusive "
		 "lock",
		 col, type, desc(a))) < 0)
		return error;
	if (a->l->track &&
	    rt_track_set_column(&a->l->tr, a->table, tocol, type) < 0)
		return RETORT_ENOMEM;
	return 0;
}

/* The end of a type at j: USING, COLLATE, a constraint word, the end. */
static size_t type_end(const rt_lstmt *s, size_t j, size_t end)
{
	static const char *const stop[] = {
		"using",	  "collate", "not",    "null",
		"default",	  "first",   "after",  "comment",
		"auto_increment", "primary", "unique", NULL
	};

	while (j < end && !rt_lany(s, j, j + 1, stop))
		j++;
	return j;
}

static int alter_column(alter *a, size_t j, size_t end)
{
	const rt_lstmt *s = a->s;
	char col[RT_LNAME_MAX];

	if (a->l->d == RT_DIALECT_SQLITE)
		return sqlite_refuses(a, "alter a column");
	if (rt_lw(s, j, "column"))
		j++;
	if (!rt_lname(s, &j, col))
		return 0;
	if (rt_lw(s, j, "set") && rt_lw(s, j + 1, "data") &&
	    rt_lw(s, j + 2, "type"))
		j += 2;
	if (rt_lw(s, j, "type"))
		return new_type(a, col, col, j + 1, type_end(s, j + 1, end));
	if (!rt_lw(s, j, "set") || !rt_lw(s, j + 1, "not") ||
	    !rt_lw(s, j + 2, "null") || a->fresh ||
	    rt_track_not_null_ok(&a->l->tr, a->table, col))
		return 0;
	return rt_lint_emit(
	    a->l, RT_LR_SET_NOT_NULL, a->line,
	    "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID, VALIDATE "
	    "CONSTRAINT c, then SET NOT NULL (PostgreSQL 12+ skips the scan)",
	    "SET NOT NULL on %s scans existing %s under an exclusive lock", col,
	    desc(a));
}

/* MySQL: MODIFY [COLUMN] col type, CHANGE [COLUMN] old new type. */
static int modify(alter *a, size_t j, size_t end, int change)
{
	const rt_lstmt *s = a->s;
	char col[RT_LNAME_MAX], to[RT_LNAME_MAX];

	if (a->l->d == RT_DIALECT_SQLITE)
		return sqlite_refuses(a, change ? "CHANGE a column"
						: "MODIFY a column");
	if (rt_lw(s, j, "column"))
		j++;
	if (!rt_lname(s, &j, col))
		return 0;
	strcpy(to, col);
	if (change && !rt_lname(s, &j, to))
		return 0;
	return new_type(a, col, to, j, type_end(s, j, end));
}

/* RENAME [COLUMN] a TO b, RENAME TO t. */
static int rename_action(alter *a, size_t j)
{
	const rt_lstmt *s = a->s;
	char from[RT_LNAME_MAX], to[RT_LNAME_MAX];
	const char *type;

	if (rt_lw(s, j, "to") || rt_lw(s, j, "as")) {
		j++;
		if (!rt_lname(s, &j, to))
			return 0;
		if (a->l->track &&
		    rt_track_rename_table(&a->l->tr, a->table, to) < 0)
			return RETORT_ENOMEM;
		return rt_lint_renamed(a->l, a->table, to);
	}
	if (rt_lw(s, j, "column"))
		j++;
	if (!rt_lname(s, &j, from) || !rt_lw(s, j, "to"))
		return 0;
	j++;
	if (!rt_lname(s, &j, to) || !a->l->track ||
	    !(type = rt_track_column(&a->l->tr, a->table, from)))
		return 0;
	return rt_track_set_column(&a->l->tr, a->table, to, type) < 0
		   ? RETORT_ENOMEM
		   : 0;
}

static int action(alter *a, size_t j, size_t end)
{
	static const char *const cons[] = { "constraint", "check",   "foreign",
					    "unique",	  "primary", "exclude",
					    "index",	  "key",     "fulltext",
					    "spatial",	  NULL };
	const rt_lstmt *s = a->s;
	char cname[RT_LNAME_MAX];
	size_t k = j + 2;

	if (rt_lw(s, j, "add")) {
		if (rt_lany(s, j + 1, j + 2, cons))
			return add_constraint(a, j + 1, end);
		j++;
		if (rt_lw(s, j, "column"))
			j++;
		if (rt_lw(s, j, "if") && rt_lw(s, j + 1, "not"))
			j += 3;
		return add_column(a, j, end);
	}
	if (rt_lw(s, j, "drop"))
		return drop_action(a, j + 1);
	if (rt_lw(s, j, "alter"))
		return alter_column(a, j + 1, end);
	if (rt_lw(s, j, "modify") || rt_lw(s, j, "change"))
		return modify(a, j + 1, end, rt_lw(s, j, "change"));
	if (rt_lw(s, j, "rename"))
		return rename_action(a, j + 1);
	if (a->l->d == RT_DIALECT_SQLITE)
		return sqlite_refuses(a, "do this (it can RENAME, ADD COLUMN "
					 "and DROP COLUMN)");
	if (rt_lw(s, j, "validate") && rt_lw(s, j + 1, "constraint") &&
	    a->l->track && rt_lname(s, &k, cname) &&
	    rt_track_validate(&a->l->tr, a->table, cname) < 0)
		return RETORT_ENOMEM;
	return 0;
}

int rt_lint_check_alter(rt_lint *l)
{
	const rt_lstmt *s = &l->st;
	alter a = { l, s, "", "", 0, s->t[0].line };
	size_t i = 2, end;
	int error, n = 0;

	if (rt_lw(s, i, "if") && rt_lw(s, i + 1, "exists"))
		i += 2;
	if (rt_lw(s, i, "only"))
		i++;
	if (!rt_lname(s, &i, a.table))
		return 0;
	if (rt_lc(s, i, '*'))
		i++;
	a.fresh = rt_lint_is_fresh(l, a.table);
	for (; i < s->n; i = end + 1, n++) {
		end = rt_lnext_comma(s, i, s->n, 0);
		if (n == 1 && l->d == RT_DIALECT_SQLITE &&
		    (error = sqlite_refuses(&a, "take several actions in "
						"one statement")) < 0)
			return error;
		if ((error = action(&a, i, end)) < 0)
			return error;
	}
	if (a.fresh || l->d == RT_DIALECT_SQLITE)
		return 0;
	return rt_lint_locking(l, a.line, "ALTER TABLE");
}
