/* SPDX-License-Identifier: MIT */
/*
 * test_lint.c: the lint rule engine (src/lint/) without the CLI: statements
 * read with the tokenizer (words in strings and comments do not count),
 * the tracked schema across revisions (existing versus new tables, column
 * types, validated checks, renames), nolint comments, settings, the rule
 * table, and the type widths behind narrow-type and alter-column-type.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lint/lint.h"
#include "lint/rules.h"
#include "lint/track.h"
#include "lint/types.h"
#include "retort.h"
#include "script/script.h"
#include "util/arena.h"
#include "util/err.h"

static rt_arena arena;
static rt_lint *engine;
static rt_lint_settings settings;

static void setup(void)
{
	rt_lint_settings_default(&settings);
	engine = rt_lint_new(&settings);
	cr_assert_not_null(engine);
}

static void teardown(void)
{
	rt_lint_free(engine);
	rt_arena_free(&arena);
}

TestSuite(lint, .init = setup, .fini = teardown);
TestSuite(lint_rules);
TestSuite(lint_types);
TestSuite(lint_track);

/* Parse a revision id/parent with the sections given; lint it (emit). */
static int lint_rev(const char *id, const char *parent, const char *up,
		    const char *down, rt_dialect d, int emit, rt_err *err)
{
	char text[4096];
	rt_script s;
	rt_err perr = RT_ERR_INIT;

	snprintf(text, sizeof(text),
		 "-- rev\n--\n-- Revision ID: %s\n-- Revises: %s\n\n"
		 "-- migrate:upgrade\n%s\n-- migrate:downgrade\n%s\n",
		 id, parent, up, down);
	cr_assert_eq(
	    rt_script_parse(&s, &arena, "v.sql", text, strlen(text), &perr), 0,
	    "%s", rt_err_msg(&perr));
	rt_err_dispose(&perr);
	return rt_lint_revision(engine, &s, d, emit, err);
}

static void lint_ok(const char *id, const char *parent, const char *up,
		    rt_dialect d, int emit)
{
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(lint_rev(id, parent, up, "SELECT 1;", d, emit, &err), 0,
		     "%s", rt_err_msg(&err));
	rt_err_dispose(&err);
}

/* The rules that fired, space-separated, in order. */
static const char *rules_fired(void)
{
	static char out[1024];
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < rt_lint_count(engine); i++)
		n +=
		    (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
				     i ? " " : "", rt_lint_at(engine, i)->rule);
	return out;
}

Test(lint, words_in_strings_and_comments_do_not_count)
{
	lint_ok("a", "",
		"SELECT 'DROP TABLE t; DELETE FROM t';\n"
		"-- TRUNCATE t;\n/* UPDATE t SET a = 1; */\n"
		"SELECT $$DROP TABLE t$$;",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "");
}

Test(lint, new_table_in_the_same_section_is_not_existing)
{
	lint_ok("a", "",
		"CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\n"
		"ALTER TABLE t ADD COLUMN c int NOT NULL;\n"
		"DELETE FROM t;\nDROP TABLE t;",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "");
}

Test(lint, table_from_an_earlier_revision_exists_and_names_it)
{
	const retort_lint_finding *f;

	lint_ok("a", "", "CREATE TABLE \"T\" (id int);", RT_DIALECT_POSTGRESQL,
		0);
	lint_ok("b", "a",
		"SET lock_timeout = '1s';\nCREATE INDEX i ON \"T\" (id);",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "create-index-not-concurrent");
	f = rt_lint_at(engine, 0);
	cr_assert_str_eq(f->revision, "b");
	cr_assert_str_eq(f->path, "v.sql");
	cr_assert_eq(f->line, 8);
	cr_assert_str_eq(f->section, "upgrade");
	cr_assert_str_eq(f->dialect, "postgresql");
	cr_assert_eq(f->severity, RETORT_LINT_ERROR);
	cr_assert(strstr(f->message, "table 'T' (created by revision a)"), "%s",
		  f->message);
	cr_assert_eq(rt_lint_errors(engine), 1);
}

Test(lint, not_emitting_tracks_but_reports_nothing)
{
	lint_ok("a", "", "DROP TABLE x;", RT_DIALECT_SQLITE, 0);
	cr_assert_eq(rt_lint_count(engine), 0);
}

Test(lint, rename_carries_the_table_and_its_columns)
{
	lint_ok("a", "",
		"CREATE TABLE t (name varchar(100));\n"
		"ALTER TABLE t RENAME TO u;\n"
		"ALTER TABLE u RENAME COLUMN name TO title;",
		RT_DIALECT_POSTGRESQL, 0);
	lint_ok("b", "a",
		"SET lock_timeout = '1s';\n"
		"ALTER TABLE u ALTER COLUMN title TYPE varchar(10);",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "narrow-type alter-column-type");
	cr_assert(strstr(rt_lint_at(engine, 0)->message,
			 "table 'u' (created by revision a) goes from "
			 "varchar(100) to the narrower varchar(10)"));
}

Test(lint, dropped_table_is_forgotten)
{
	lint_ok("a", "", "CREATE TABLE t (id int);", RT_DIALECT_SQLITE, 0);
	lint_ok("b", "a", "DROP TABLE t;", RT_DIALECT_SQLITE, 0);
	lint_ok("c", "b", "DELETE FROM t;", RT_DIALECT_SQLITE, 1);
	cr_assert_str_eq(rules_fired(), "delete-without-where");
	cr_assert(strstr(rt_lint_at(engine, 0)->message, "table 't'"));
	cr_assert_null(strstr(rt_lint_at(engine, 0)->message, "created by"));
}

Test(lint, nolint_applies_to_the_next_statement_only)
{
	lint_ok("a", "",
		"-- retort:nolint delete-without-where ok\n"
		"DELETE FROM t;\nDELETE FROM t;",
		RT_DIALECT_SQLITE, 1);
	cr_assert_str_eq(rules_fired(), "delete-without-where");
	cr_assert_eq(rt_lint_at(engine, 0)->line, 9);
}

Test(lint, nolint_unknown_rule_is_an_error_naming_the_line)
{
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(lint_rev("a", "",
			      "SELECT 1;\n# retort:nolint nope why\n"
			      "DELETE FROM t;",
			      "SELECT 1;", RT_DIALECT_MYSQL, 1, &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "v.sql:8: unknown lint rule 'nope' in retort:nolint "
			 "(retort lint --list-rules lists them)");
	rt_err_dispose(&err);
}

Test(lint, severity_settings_apply)
{
	rt_lint_free(engine);
	settings.sev[RT_LR_DELETE_NO_WHERE] = RETORT_LINT_WARNING;
	settings.sev[RT_LR_UPDATE_NO_WHERE] = RETORT_LINT_OFF;
	engine = rt_lint_new(&settings);
	lint_ok("a", "", "DELETE FROM t;\nUPDATE t SET a = 1;",
		RT_DIALECT_SQLITE, 1);
	cr_assert_str_eq(rules_fired(), "delete-without-where");
	cr_assert_eq(rt_lint_at(engine, 0)->severity, RETORT_LINT_WARNING);
	cr_assert_eq(rt_lint_errors(engine), 0);
}

Test(lint, session_lock_timeout_satisfies_the_rule)
{
	lint_ok("a", "", "ALTER TABLE t ADD COLUMN c int;",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "lock-timeout");
	rt_lint_free(engine);
	settings.session_lock_timeout = 1;
	engine = rt_lint_new(&settings);
	lint_ok("a", "", "ALTER TABLE t ADD COLUMN c int;",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "");
}

Test(lint, validated_check_across_revisions_allows_set_not_null)
{
	lint_ok("a", "",
		"ALTER TABLE t ADD CONSTRAINT nn CHECK (c IS NOT NULL) "
		"NOT VALID;",
		RT_DIALECT_POSTGRESQL, 0);
	lint_ok("b", "a", "ALTER TABLE public.t VALIDATE CONSTRAINT nn;",
		RT_DIALECT_POSTGRESQL, 0);
	lint_ok("c", "b",
		"SET lock_timeout = '1s';\n"
		"ALTER TABLE t ALTER COLUMN c SET NOT NULL, "
		"ALTER COLUMN d SET NOT NULL;",
		RT_DIALECT_POSTGRESQL, 1);
	cr_assert_str_eq(rules_fired(), "set-not-null");
	cr_assert(strstr(rt_lint_at(engine, 0)->message, "SET NOT NULL on d"));
}

Test(lint, downgrade_skips_destructive_rules_and_tracks_nothing)
{
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(lint_rev("a", "", "CREATE TABLE t (id int);",
			      "DROP TABLE t;\nDELETE FROM u;",
			      RT_DIALECT_SQLITE, 1, &err),
		     0);
	cr_assert_str_eq(rules_fired(), "");
	/* t still exists for the next revision */
	lint_ok("b", "a", "DROP TABLE t;", RT_DIALECT_SQLITE, 1);
	cr_assert_str_eq(rules_fired(), "drop-table");
	rt_err_dispose(&err);
}

Test(lint, downgrade_of_its_own_tables_is_no_busy_table_lock)
{
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(lint_rev("a", "", "CREATE TABLE t (id int);",
			      "DROP TABLE t;", RT_DIALECT_POSTGRESQL, 1, &err),
		     0);
	cr_assert_str_eq(rules_fired(), "");
	cr_assert_eq(lint_rev("b", "a",
			      "SET lock_timeout = '1s';\n"
			      "ALTER TABLE t ADD COLUMN c int;",
			      "ALTER TABLE t DROP COLUMN c;",
			      RT_DIALECT_POSTGRESQL, 1, &err),
		     0);
	cr_assert_str_eq(rules_fired(), "lock-timeout");
	cr_assert_str_eq(rt_lint_at(engine, 0)->section, "downgrade");
	rt_err_dispose(&err);
}

Test(lint_rules, ids_are_unique_and_found)
{
	int i, j;

	for (i = 0; i < RT_LR_COUNT; i++) {
		const char *id = rt_lint_rule_get((rt_lint_rule)i)->id;

		cr_assert_eq(rt_lint_rule_find(id, strlen(id)), i, "%s", id);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(
			    id, rt_lint_rule_get((rt_lint_rule)j)->id);
	}
	cr_assert_eq(rt_lint_rule_find("drop", 4), -1);
	cr_assert_eq(rt_lint_rule_find("drop-table-x", 12), -1);
	cr_assert_null(rt_lint_rule_get(RT_LR_COUNT));
	cr_assert_eq(rt_lint_severity_parse("Warning"), RETORT_LINT_WARNING);
	cr_assert_eq(rt_lint_severity_parse("fatal"), -1);
	cr_assert_str_eq(rt_lint_severity_name(RETORT_LINT_OFF), "off");
}

static rt_ltype ty(const char *text)
{
	rt_ltype t;

	rt_ltype_parse(text, &t);
	return t;
}

Test(lint_types, narrower)
{
	rt_ltype a, b;

#define NARROW(x, y, want)                                                   \
	do {                                                                 \
		a = ty(x);                                                   \
		b = ty(y);                                                   \
		cr_assert_eq(rt_ltype_narrower(&a, &b), want, "%s -> %s", x, \
			     y);                                             \
	} while (0)
	NARROW("varchar(100)", "varchar(50)", 1);
	NARROW("varchar(100)", "varchar(100)", 0);
	NARROW("text", "varchar(10)", 1);
	NARROW("varchar(10)", "text", 0);
	NARROW("character varying(20)", "varchar(5)", 1);
	NARROW("bigint", "integer", 1);
	NARROW("int", "int8", 0);
	NARROW("numeric(10,2)", "numeric(8,2)", 1);
	NARROW("numeric(10,2)", "numeric(12,1)", 1);
	NARROW("numeric", "numeric(12,2)", 1);
	NARROW("double precision", "real", 1);
	NARROW("integer", "varchar(5)", 0); /* another family: unknown */
	NARROW("jsonb", "text", 0);
	NARROW("", "varchar(5)", 0);
#undef NARROW
}

Test(lint_types, pg_in_place)
{
	rt_ltype a, b;

#define IN_PLACE(x, y, want)                                                 \
	do {                                                                 \
		a = ty(x);                                                   \
		b = ty(y);                                                   \
		cr_assert_eq(rt_ltype_pg_in_place(&a, &b), want, "%s -> %s", \
			     x, y);                                          \
	} while (0)
	IN_PLACE("varchar(10)", "varchar(20)", 1);
	IN_PLACE("varchar(10)", "text", 1);
	IN_PLACE("varchar(20)", "varchar(10)", 0);
	IN_PLACE("text", "varchar(10)", 0);
	IN_PLACE("numeric(10,2)", "numeric(12,2)", 1);
	IN_PLACE("numeric(10,2)", "numeric(12,3)", 0);
	IN_PLACE("numeric(10,2)", "numeric", 1);
	IN_PLACE("integer", "bigint", 0);
	IN_PLACE("", "text", 0);
#undef IN_PLACE
}

/* The tracked schema: a table's columns, newest first; a rename keeps
 * them; a drop forgets the table. */
Test(lint_track, columns_follow_renames_and_drops)
{
	rt_arena a = RT_ARENA_INIT;
	rt_track t;
	char col[16];
	int i;

	rt_track_init(&t, &a);
	cr_assert_eq(rt_track_create_table(&t, "t", "r1"), 0);
	for (i = 0; i < 500; i++) {
		snprintf(col, sizeof(col), "c%d", i);
		cr_assert_eq(rt_track_set_column(&t, "t", col, "integer"), 0);
	}
	cr_assert_eq(rt_track_set_column(&t, "t", "c7", "bigint"), 0);
	cr_assert_str_eq(rt_track_column(&t, "t", "c7"), "bigint");
	cr_assert_str_eq(rt_track_column(&t, "t", "c499"), "integer");
	cr_assert_null(rt_track_column(&t, "t", "c500"));
	cr_assert_null(rt_track_column(&t, "u", "c1"));
	cr_assert_eq(rt_track_rename_table(&t, "t", "u"), 0);
	cr_assert_null(rt_track_column(&t, "t", "c1"));
	cr_assert_str_eq(rt_track_column(&t, "u", "c1"), "integer");
	cr_assert_str_eq(rt_track_creator(&t, "u"), "r1");
	cr_assert_eq(rt_track_drop_table(&t, "u"), 0);
	cr_assert_null(rt_track_column(&t, "u", "c1"));
	cr_assert_null(rt_track_creator(&t, "u"));
	/* a column of a table never seen created is tracked all the same */
	cr_assert_eq(rt_track_set_column(&t, "v", "x", "text"), 0);
	cr_assert_str_eq(rt_track_column(&t, "v", "x"), "text");
	cr_assert_null(rt_track_creator(&t, "v"));
	rt_track_dispose(&t);
	rt_arena_free(&a);
}
