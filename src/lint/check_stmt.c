/* SPDX-License-Identifier: MIT */
/*
 * check_stmt.c: the checks of every statement but ALTER TABLE
 * (check_alter.c): CREATE TABLE and CREATE INDEX (tracked; index locking,
 * CONCURRENTLY in a transaction, UNIQUE on existing rows), DROP, TRUNCATE,
 * DELETE and UPDATE without WHERE, SET lock_timeout, ALTER TYPE ... ADD
 * VALUE, REINDEX CONCURRENTLY. Statements are recognised by their first
 * words; anything else passes.
 */
#include "lint/internal.h"

#include <stdio.h>
#include <string.h>

static const char *const idem_hint =
    "write IF NOT EXISTS / IF EXISTS (lint.require_if_not_exists is set)";

static int if_exists(const rt_lstmt *s, size_t i, int not )
{
	if (!rt_lw(s, i, "if"))
		return 0;
	return not ? rt_lw(s, i + 1, "not") && rt_lw(s, i + 2, "exists")
		   : rt_lw(s, i + 1, "exists");
}

/* SET lock_timeout, SET SESSION lock_wait_timeout, set_config(...). */
static void lock_timeout_set(rt_lint *l)
{
	static const char *const names[] = { "lock_timeout",
					     "lock_wait_timeout",
					     "innodb_lock_wait_timeout", NULL };
	static const char *const set_config[] = { "set_config", NULL };
	const rt_lstmt *s = &l->st;
	size_t i;

	if (rt_lw(s, 0, "set") && rt_lany(s, 1, 4, names))
		l->lock_timeout = 1;
	if (!rt_lw(s, 0, "select") || !rt_lany(s, 1, s->n, set_config))
		return;
	for (i = 1; i < s->n; i++)
		if (s->t[i].kind == RT_SQL_STRING && s->t[i].len == 14 &&
		    !strncmp(s->t[i].p, "'lock_timeout'", 14))
			l->lock_timeout = 1;
}

static int create_index(rt_lint *l, size_t i, int unique)
{
	const rt_lstmt *s = &l->st;
	unsigned line = s->t[0].line;
	char table[RT_LNAME_MAX], desc[DESC_MAX];
	int conc = rt_lw(s, i, "concurrently"), error;
	size_t on = rt_lfind(s, i, s->n, "on", 0), k = on + 1;

	if (conc)
		i++;
	if (!if_exists(s, i, 1) && l->d != RT_DIALECT_MYSQL &&
	    (error = rt_lint_emit(l, RT_LR_NON_IDEMPOTENT, line, idem_hint,
				  "CREATE INDEX without IF NOT EXISTS")) < 0)
		return error;
	if (conc && l->transactional &&
	    (error = rt_lint_emit(l, RT_LR_CONCURRENTLY_TX, line,
				  "mark the section transaction:false "
				  "(-- migrate:upgrade transaction:false)",
				  "CREATE INDEX CONCURRENTLY cannot run "
				  "inside a transaction")) < 0)
		return error;
	if (rt_lw(s, k, "only"))
		k++;
	if (on >= s->n || !rt_lname(s, &k, table) || rt_lint_is_fresh(l, table))
		return 0;
	rt_lint_describe(l, table, desc, sizeof(desc));
	if (!conc && l->d == RT_DIALECT_POSTGRESQL &&
	    ((error = rt_lint_emit(
		  l, RT_LR_CREATE_INDEX, line,
		  "CREATE INDEX CONCURRENTLY in a transaction:false section",
		  "CREATE INDEX on existing %s blocks writes to it until "
		  "the index is built",
		  desc)) < 0 ||
	     (error = rt_lint_locking(l, line, "CREATE INDEX")) < 0))
		return error;
	if (unique)
		return rt_lint_emit(l, RT_LR_ADD_UNIQUE, line,
				    "remove duplicates in an earlier "
				    "revision, and check for them before "
				    "deploying",
				    "CREATE UNIQUE INDEX on existing %s fails "
				    "when its rows hold duplicates",
				    desc);
	return 0;
}

/* The column list of CREATE TABLE name ( ... ) at i, tracked. */
static int track_columns(rt_lint *l, const char *table, size_t i)
{
	static const char *const cons[] = { "constraint", "primary", "unique",
					    "check",	  "foreign", "key",
					    "index",	  "exclude", "like",
					    "fulltext",	  "spatial", NULL };
	static const char *const stop[] = { "not",
					    "null",
					    "default",
					    "primary",
					    "references",
					    "unique",
					    "check",
					    "constraint",
					    "collate",
					    "generated",
					    "auto_increment",
					    "autoincrement",
					    "comment",
					    "as",
					    NULL };
	const rt_lstmt *s = &l->st;
	char col[RT_LNAME_MAX], type[128];
	size_t end, j, t;

	if (!l->track || !rt_lc(s, i, '('))
		return 0;
	for (i++; i < s->n && s->t[i].depth >= 1; i = end + 1) {
		end = rt_lnext_comma(s, i, s->n, 1);
		for (t = i; t < end && s->t[t].depth >= 1; t++)
			;
		end = t; /* the list's closing ')' ends the last one */
		j = i;
		if (rt_lany(s, i, i + 1, cons) || !rt_lname(s, &j, col))
			continue;
		for (t = j; t < end &&
			    (s->t[t].depth > 1 || !rt_lany(s, t, t + 1, stop));
		     t++)
			;
		rt_ltext(s, j, t, type, sizeof(type));
		if (rt_track_set_column(&l->tr, table, col, type) < 0)
			return RETORT_ENOMEM;
	}
	return 0;
}

static int create_table(rt_lint *l, size_t i)
{
	const rt_lstmt *s = &l->st;
	char table[RT_LNAME_MAX];
	int ine = if_exists(s, i, 1), error;

	if (ine)
		i += 3;
	if (!ine && (error = rt_lint_emit(l, RT_LR_NON_IDEMPOTENT, s->t[0].line,
					  idem_hint,
					  "CREATE TABLE without IF NOT "
					  "EXISTS")) < 0)
		return error;
	if (!rt_lname(s, &i, table))
		return 0;
	if ((error = rt_lint_created(l, table)) < 0)
		return error;
	return track_columns(l, table, i);
}

static int create(rt_lint *l)
{
	static const char *const skip[] = { "temp",   "temporary", "unlogged",
					    "global", "local",	   NULL };
	const rt_lstmt *s = &l->st;
	size_t i = 1;
	int unique = 0;

	if (rt_lw(s, i, "or") && rt_lw(s, i + 1, "replace"))
		i += 2;
	while (rt_lany(s, i, i + 1, skip))
		i++;
	if (rt_lw(s, i, "unique")) {
		unique = 1;
		i++;
	}
	if (rt_lw(s, i, "index"))
		return create_index(l, i + 1, unique);
	if (rt_lw(s, i, "table"))
		return create_table(l, i + 1);
	return 0;
}

/* DROP TABLE a, b: each table not created in this section. */
static int drop_tables(rt_lint *l, size_t i)
{
	const rt_lstmt *s = &l->st;
	char table[RT_LNAME_MAX], desc[DESC_MAX];
	int error;

	while (rt_lname(s, &i, table)) {
		if (!rt_lint_is_fresh(l, table)) {
			rt_lint_describe(l, table, desc, sizeof(desc));
			if ((error = rt_lint_emit(
				 l, RT_LR_DROP_TABLE, s->t[0].line,
				 "rename it and drop it in a later revision, "
				 "once nothing reads it and a backup exists",
				 "DROP TABLE deletes %s and its rows", desc)) <
				0 ||
			    (error = rt_lint_locking(l, s->t[0].line,
						     "DROP TABLE")) < 0)
				return error;
		}
		if ((error = rt_lint_dropped(l, table)) < 0)
			return error;
		if (!rt_lc(s, i, ','))
			break;
		i++;
	}
	return 0;
}

static int drop(rt_lint *l)
{
	const rt_lstmt *s = &l->st;
	size_t i = 2;
	int error;

	if (rt_lw(s, 1, "index") && rt_lw(s, 2, "concurrently")) {
		i++;
		if (l->transactional &&
		    (error =
			 rt_lint_emit(l, RT_LR_CONCURRENTLY_TX, s->t[0].line,
				      "mark the section transaction:false",
				      "DROP INDEX CONCURRENTLY cannot run "
				      "inside a transaction")) < 0)
			return error;
	}
	if (!if_exists(s, i, 0) &&
	    (error = rt_lint_emit(l, RT_LR_NON_IDEMPOTENT, s->t[0].line,
				  idem_hint, "DROP without IF EXISTS")) < 0)
		return error;
	if (if_exists(s, i, 0))
		i += 2;
	if (rt_lw(s, 1, "schema") || rt_lw(s, 1, "database"))
		return rt_lint_emit(l, RT_LR_DROP_SCHEMA, s->t[0].line,
				    "drop it by hand after a backup, outside "
				    "the migrations",
				    "DROP %s deletes every object in it",
				    rt_lw(s, 1, "schema") ? "SCHEMA"
							  : "DATABASE");
	if (rt_lw(s, 1, "table"))
		return drop_tables(l, i);
	return 0;
}

static int truncate_stmt(rt_lint *l)
{
	const rt_lstmt *s = &l->st;
	char table[RT_LNAME_MAX], desc[DESC_MAX];
	size_t i = 1;
	int error;

	if (rt_lw(s, i, "table"))
		i++;
	if (rt_lw(s, i, "only"))
		i++;
	while (rt_lname(s, &i, table)) {
		if (!rt_lint_is_fresh(l, table)) {
			rt_lint_describe(l, table, desc, sizeof(desc));
			if ((error = rt_lint_emit(
				 l, RT_LR_TRUNCATE, s->t[0].line,
				 "delete the rows the migration means to "
				 "remove with a DELETE ... WHERE",
				 "TRUNCATE deletes every row of %s", desc)) <
				0 ||
			    (error = rt_lint_locking(l, s->t[0].line,
						     "TRUNCATE")) < 0)
				return error;
		}
		if (!rt_lc(s, i, ','))
			break;
		i++;
	}
	return 0;
}

/* DELETE FROM t / UPDATE t ... without WHERE. */
static int no_where(rt_lint *l, int update)
{
	const rt_lstmt *s = &l->st;
	char table[RT_LNAME_MAX], desc[DESC_MAX];
	size_t i = 1;

	if (!update && rt_lw(s, i, "from"))
		i++;
	if (rt_lw(s, i, "only"))
		i++;
	if (!rt_lname(s, &i, table) || rt_lint_is_fresh(l, table) ||
	    rt_lfind(s, i, s->n, "where", 0) < s->n)
		return 0;
	rt_lint_describe(l, table, desc, sizeof(desc));
	return rt_lint_emit(
	    l, update ? RT_LR_UPDATE_NO_WHERE : RT_LR_DELETE_NO_WHERE,
	    s->t[0].line,
	    "add a WHERE clause (WHERE true when every row is meant)",
	    "%s without WHERE changes every row of %s",
	    update ? "UPDATE" : "DELETE", desc);
}

static int alter_type(rt_lint *l)
{
	const rt_lstmt *s = &l->st;
	size_t add = rt_lfind(s, 3, s->n, "add", 0);

	if (!l->transactional || !rt_lw(s, add + 1, "value"))
		return 0;
	return rt_lint_emit(
	    l, RT_LR_ENUM_VALUE_TX, s->t[0].line,
	    "put it in its own transaction:false section, before the "
	    "revisions that use the new value",
	    "ALTER TYPE ... ADD VALUE inside a transaction: PostgreSQL before "
	    "12 refuses it, and 12+ cannot use the new value until it "
	    "commits");
}

int rt_lint_check_stmt(rt_lint *l)
{
	const rt_lstmt *s = &l->st;
	static const char *const conc[] = { "concurrently", NULL };

	lock_timeout_set(l);
	if (rt_lw(s, 0, "create"))
		return create(l);
	if (rt_lw(s, 0, "drop"))
		return drop(l);
	if (rt_lw(s, 0, "truncate"))
		return truncate_stmt(l);
	if (rt_lw(s, 0, "delete") || rt_lw(s, 0, "update"))
		return no_where(l, rt_lw(s, 0, "update"));
	if (rt_lw(s, 0, "alter") && rt_lw(s, 1, "table"))
		return rt_lint_check_alter(l);
	if (rt_lw(s, 0, "alter") && rt_lw(s, 1, "type"))
		return alter_type(l);
	if (rt_lw(s, 0, "reindex") && rt_lany(s, 1, 4, conc) &&
	    l->transactional)
		return rt_lint_emit(l, RT_LR_CONCURRENTLY_TX, s->t[0].line,
				    "mark the section transaction:false",
				    "REINDEX CONCURRENTLY cannot run inside a "
				    "transaction");
	return 0;
}
