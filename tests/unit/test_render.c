/* SPDX-License-Identifier: MIT */
/*
 * test_render.c: offline rendering (src/plan/render.c, `--sql`): plans
 * built by the planner from small graphs of in-memory revision files, and
 * the exact text rt_render_plan writes for them per dialect: BEGIN/COMMIT
 * with transaction_per_migration on and off, transaction:false sections
 * outside any transaction, the version table's CREATE TABLE before a step
 * that starts from no rows, the "-- Running" comments, the version-row
 * INSERT/UPDATE/DELETE of upgrades, downgrades, merges and stamps,
 * schema-qualified and quoted version tables, the ';' a section's last
 * statement gets, empty sections, and the write callback (everything
 * reaches it, in per-step chunks, and its failure stops the rendering).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "graph_fixture.h"
#include "plan/render.h"
#include "rev_fixture.h"

/* ------------------------------------------------------------------ */
/* graphs of revision files with chosen sections */

static rt_graph *rf_build(fx_graph *fx, const rf_rev *revs, size_t n)
{
	size_t i;

	memset(fx, 0, sizeof(*fx));
	fx->scripts = calloc(n, sizeof(*fx->scripts));
	cr_assert_not_null(fx->scripts);
	fx->n = (uint32_t)n;
	for (i = 0; i < n; i++) {
		rt_str text = RT_STR_INIT, name = RT_STR_INIT;

		rf_render(&text, &revs[i]);
		rf_name(&name, &revs[i]);
		cr_assert_eq(
		    rt_script_parse(&fx->scripts[i], &fx->arena,
				    rt_str_cstr(&name), rt_str_cstr(&text),
				    text.len, &fx->err),
		    0, "parsing %s: %s", revs[i].id, rt_err_msg(&fx->err));
		rt_str_dispose(&text);
		rt_str_dispose(&name);
	}
	fx->rc = rt_graph_build(&fx->g, fx->scripts, fx->n, &fx->problems, 0,
				&fx->err);
	cr_assert_eq(fx->rc, 0, "graph: %s", rt_err_msg(&fx->err));
	return fx->g;
}

#define RF_OK(fx, revs) rf_build((fx), (revs), RF_N(revs))

/* What the write callback received. */
typedef struct sink {
	rt_str all;
	int calls;
	int fail_at;	  /* 1-based call that returns non-zero; 0: none */
	size_t chunk[16]; /* length of each call's data */
} sink;

static int sink_write(const char *data, size_t len, void *payload)
{
	sink *s = payload;

	s->calls++;
	cr_assert_gt(len, 0, "the write callback got an empty chunk");
	if (s->calls <= 16)
		s->chunk[s->calls - 1] = len;
	if (s->fail_at && s->calls >= s->fail_at)
		return 1;
	rt_str_append(&s->all, data, len);
	return 0;
}

typedef struct ropts {
	rt_dialect dialect;
	const char *schema;
	const char *table; /* NULL: retort_version */
	int whole;	   /* transaction_per_migration = false */
} ropts;

/* Plan (fx_plan's kinds and space-separated rows) and render; returns
 * the text (caller frees). */
static char *render_ex(rt_graph *g, enum fx_plan_kind kind, const char *target,
		       const char *rows, ropts ro, sink *s)
{
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, kind, target, rows, &err);
	rt_render_opts o;
	int rc;

	cr_assert_not_null(p, "plan %s from [%s]: %s", target, rows,
			   rt_err_msg(&err));
	memset(&o, 0, sizeof(o));
	o.dialect = ro.dialect;
	o.version_table = ro.table ? ro.table : "retort_version";
	o.version_schema = ro.schema;
	o.transaction_per_migration = !ro.whole;
	o.write = sink_write;
	o.payload = s;
	rc = rt_render_plan(p, &o, &err);
	cr_assert_eq(rc, 0, "render: %s", rt_err_msg(&err));
	retort_plan_free(p);
	rt_err_dispose(&err);
	return rt_str_detach(&s->all);
}

static char *render(rt_graph *g, enum fx_plan_kind kind, const char *target,
		    const char *rows, ropts ro)
{
	sink s;
	char *out;

	memset(&s, 0, sizeof(s));
	out = render_ex(g, kind, target, rows, ro, &s);
	/* a small plan is written in one piece */
	cr_assert_leq(s.calls, 1);
	return out ? out : rt_strdup("");
}

#define EXPECT_TEXT(actual_expr, expected)                                  \
	do {                                                                \
		char *got_ = (actual_expr);                                 \
		cr_assert_str_eq(got_, (expected),                          \
				 "\n--- got ---\n%s\n--- expected ---\n%s", \
				 got_, (expected));                         \
		free(got_);                                                 \
	} while (0)

static const ropts SQLITE = { RT_DIALECT_SQLITE, NULL, NULL, 0 };
static const ropts SQLITE_WHOLE = { RT_DIALECT_SQLITE, NULL, NULL, 1 };
static const ropts PG = { RT_DIALECT_POSTGRESQL, NULL, NULL, 0 };
static const ropts PG_WHOLE = { RT_DIALECT_POSTGRESQL, NULL, NULL, 1 };
static const ropts MYSQL = { RT_DIALECT_MYSQL, NULL, NULL, 0 };
static const ropts MYSQL_WHOLE = { RT_DIALECT_MYSQL, NULL, NULL, 1 };

#define CREATE_VT                                                       \
	"CREATE TABLE retort_version (\n"                               \
	"    version_num VARCHAR(255) NOT NULL,\n"                      \
	"    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n" \
	");\n\n"

/* a, b: one statement, then two */
static const rf_rev LINEAR[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a", "INSERT INTO ta VALUES (1);\nUPDATE ta SET x = 2;",
	  "DELETE FROM ta;" },
	{ "c", "b", "CREATE TABLE tc (x INTEGER);", "DROP TABLE tc;" },
};

/* b's sections are transaction:false */
static const rf_rev NOTX[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a", "CREATE INDEX CONCURRENTLY ix ON ta (x);",
	  "DROP INDEX CONCURRENTLY ix;", 1, 1 },
	{ "c", "b", "CREATE TABLE tc (x INTEGER);", "DROP TABLE tc;" },
};

/* the first revision is transaction:false */
static const rf_rev NOTX_FIRST[] = {
	{ "x", "", "CREATE INDEX CONCURRENTLY ix ON t (x);",
	  "DROP INDEX CONCURRENTLY ix;", 1, 1 },
};

/* a branch and its merge (with empty sections) */
static const rf_rev MERGE[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b1", "a", "CREATE TABLE tb1 (x INTEGER);", "DROP TABLE tb1;" },
	{ "b2", "a", "CREATE TABLE tb2 (x INTEGER);", "DROP TABLE tb2;" },
	{ "m", "b1, b2" },
};

/* two roots */
static const rf_rev FOREST[] = {
	{ "a1", "", "CREATE TABLE ta1 (x INTEGER);", "DROP TABLE ta1;" },
	{ "a2", "", "CREATE TABLE ta2 (x INTEGER);", "DROP TABLE ta2;" },
};

/* ------------------------------------------------------------------ */
/* transactions */

static const char LINEAR_UP_TO_B[] =
    "BEGIN;\n\n" CREATE_VT "-- Running upgrade  -> a\n\n"
    "CREATE TABLE ta (x INTEGER);\n\n"
    "INSERT INTO retort_version (version_num) VALUES ('a');\n\n"
    "COMMIT;\n\n"
    "BEGIN;\n\n"
    "-- Running upgrade a -> b\n\n"
    "INSERT INTO ta VALUES (1);\nUPDATE ta SET x = 2;\n\n"
    "UPDATE retort_version SET version_num='b' WHERE "
    "retort_version.version_num = 'a';\n\n"
    "COMMIT;\n\n";

Test(render, upgrade_one_transaction_per_migration_sqlite)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);

	EXPECT_TEXT(render(g, FX_UPGRADE, "b", "", SQLITE), LINEAR_UP_TO_B);
	fx_free(&fx);
}

Test(render, upgrade_postgresql_writes_the_same_text)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);

	EXPECT_TEXT(render(g, FX_UPGRADE, "b", "", PG), LINEAR_UP_TO_B);
	fx_free(&fx);
}

Test(render, whole_run_in_one_transaction)
{
	static const char expected[] =
	    "BEGIN;\n\n" CREATE_VT "-- Running upgrade  -> a\n\n"
	    "CREATE TABLE ta (x INTEGER);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a');\n\n"
	    "-- Running upgrade a -> b\n\n"
	    "INSERT INTO ta VALUES (1);\nUPDATE ta SET x = 2;\n\n"
	    "UPDATE retort_version SET version_num='b' WHERE "
	    "retort_version.version_num = 'a';\n\n"
	    "-- Running upgrade b -> c\n\n"
	    "CREATE TABLE tc (x INTEGER);\n\n"
	    "UPDATE retort_version SET version_num='c' WHERE "
	    "retort_version.version_num = 'b';\n\n"
	    "COMMIT;\n\n";
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);

	EXPECT_TEXT(render(g, FX_UPGRADE, "head", "", SQLITE_WHOLE), expected);
	EXPECT_TEXT(render(g, FX_UPGRADE, "head", "", PG_WHOLE), expected);
	fx_free(&fx);
}

Test(render, mysql_has_no_transactions)
{
	static const char expected[] =
	    "CREATE TABLE retort_version (\n"
	    "    version_num VARCHAR(255) NOT NULL,\n"
	    "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
	    ");\n\n"
	    "-- Running upgrade  -> a\n\n"
	    "CREATE TABLE ta (x INTEGER);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a');\n\n"
	    "-- Running upgrade a -> b\n\n"
	    "INSERT INTO ta VALUES (1);\nUPDATE ta SET x = 2;\n\n"
	    "UPDATE retort_version SET version_num='b' WHERE "
	    "retort_version.version_num = 'a';\n\n";
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);

	EXPECT_TEXT(render(g, FX_UPGRADE, "b", "", MYSQL), expected);
	EXPECT_TEXT(render(g, FX_UPGRADE, "b", "", MYSQL_WHOLE), expected);
	fx_free(&fx);
}

/* MySQL statements written with DELIMITER and comments */
static const rf_rev MYPROC[] = {
	{ "a", "",
	  "CREATE TABLE `t` (a INT); # a comment\n"
	  "DELIMITER $$\n"
	  "CREATE PROCEDURE p() BEGIN SELECT 'x;y'; SELECT 2; END$$\n"
	  "DELIMITER ;\n"
	  "CALL p()\n;\n"
	  "SET @a = 1 -- last",
	  "DROP PROCEDURE p;\nDROP TABLE `t`;" },
};

Test(render, mysql_statements_without_delimiter)
{
	static const char expected[] =
	    "CREATE TABLE retort_version (\n"
	    "    version_num VARCHAR(255) NOT NULL,\n"
	    "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
	    ");\n\n"
	    "-- Running upgrade  -> a\n\n"
	    "CREATE TABLE `t` (a INT);\n"
	    "CREATE PROCEDURE p() BEGIN SELECT 'x;y'; SELECT 2; END;\n"
	    "CALL p();\n"
	    "SET @a = 1;\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a');\n\n";
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, MYPROC);

	EXPECT_TEXT(render(g, FX_UPGRADE, "a", "", MYSQL), expected);
	fx_free(&fx);
}

Test(render, transaction_false_section_outside_any_transaction)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, NOTX);

	/* per migration: the step has no BEGIN/COMMIT, its neighbours do */
	EXPECT_TEXT(render(g, FX_UPGRADE, "c", "a", PG),
		    "-- Running upgrade a -> b\n\n"
		    "CREATE INDEX CONCURRENTLY ix ON ta (x);\n\n"
		    "UPDATE retort_version SET version_num='b' WHERE "
		    "retort_version.version_num = 'a';\n\n"
		    "BEGIN;\n\n"
		    "-- Running upgrade b -> c\n\n"
		    "CREATE TABLE tc (x INTEGER);\n\n"
		    "UPDATE retort_version SET version_num='c' WHERE "
		    "retort_version.version_num = 'b';\n\n"
		    "COMMIT;\n\n");
	/* one transaction for the run: committed around the section, the
	 * version row written in the reopened transaction */
	EXPECT_TEXT(render(g, FX_UPGRADE, "c", "a", PG_WHOLE),
		    "BEGIN;\n\n"
		    "-- Running upgrade a -> b\n\n"
		    "COMMIT;\n\n"
		    "CREATE INDEX CONCURRENTLY ix ON ta (x);\n\n"
		    "BEGIN;\n\n"
		    "UPDATE retort_version SET version_num='b' WHERE "
		    "retort_version.version_num = 'a';\n\n"
		    "-- Running upgrade b -> c\n\n"
		    "CREATE TABLE tc (x INTEGER);\n\n"
		    "UPDATE retort_version SET version_num='c' WHERE "
		    "retort_version.version_num = 'b';\n\n"
		    "COMMIT;\n\n");
	/* downgrade: the downgrade section's marker counts */
	EXPECT_TEXT(render(g, FX_DOWNGRADE, "a", "c", SQLITE),
		    "BEGIN;\n\n"
		    "-- Running downgrade c -> b\n\n"
		    "DROP TABLE tc;\n\n"
		    "UPDATE retort_version SET version_num='b' WHERE "
		    "retort_version.version_num = 'c';\n\n"
		    "COMMIT;\n\n"
		    "-- Running downgrade b -> a\n\n"
		    "DROP INDEX CONCURRENTLY ix;\n\n"
		    "UPDATE retort_version SET version_num='a' WHERE "
		    "retort_version.version_num = 'b';\n\n");
	/* MySQL has no transactions to leave */
	EXPECT_TEXT(render(g, FX_UPGRADE, "b", "a", MYSQL_WHOLE),
		    "-- Running upgrade a -> b\n\n"
		    "CREATE INDEX CONCURRENTLY ix ON ta (x);\n\n"
		    "UPDATE retort_version SET version_num='b' WHERE "
		    "retort_version.version_num = 'a';\n\n");
	fx_free(&fx);
}

Test(render, transaction_false_first_step_creates_the_table_outside)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, NOTX_FIRST);

	EXPECT_TEXT(
	    render(g, FX_UPGRADE, "x", "", PG), CREATE_VT
	    "-- Running upgrade  -> x\n\n"
	    "CREATE INDEX CONCURRENTLY ix ON t (x);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('x');\n\n");
	EXPECT_TEXT(render(g, FX_UPGRADE, "x", "", PG_WHOLE),
		    "BEGIN;\n\n" CREATE_VT "-- Running upgrade  -> x\n\n"
		    "COMMIT;\n\n"
		    "CREATE INDEX CONCURRENTLY ix ON t (x);\n\n"
		    "BEGIN;\n\n"
		    "INSERT INTO retort_version (version_num) VALUES ('x');\n\n"
		    "COMMIT;\n\n");
	fx_free(&fx);
}

Test(render, empty_plan)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);
	sink s;
	char *out;

	/* per migration: nothing, and no call at all */
	memset(&s, 0, sizeof(s));
	out = render_ex(g, FX_UPGRADE, "head", "c", SQLITE, &s);
	cr_assert_eq(s.calls, 0);
	free(out);
	/* one transaction for the run: an empty one, as Alembic writes */
	EXPECT_TEXT(render(g, FX_UPGRADE, "head", "c", SQLITE_WHOLE),
		    "BEGIN;\n\nCOMMIT;\n\n");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* the version table */

Test(render, create_table_only_before_a_step_with_no_rows)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, FOREST);

	/* two roots from nothing: the table once, before the first */
	EXPECT_TEXT(
	    render(g, FX_UPGRADE, "heads", "", SQLITE),
	    "BEGIN;\n\n" CREATE_VT "-- Running upgrade  -> a2\n\n"
	    "CREATE TABLE ta2 (x INTEGER);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a2');\n\n"
	    "COMMIT;\n\n"
	    "BEGIN;\n\n"
	    "-- Running upgrade  -> a1\n\n"
	    "CREATE TABLE ta1 (x INTEGER);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a1');\n\n"
	    "COMMIT;\n\n");
	/* with a row already there: no CREATE TABLE, an INSERT */
	EXPECT_TEXT(
	    render(g, FX_UPGRADE, "heads", "a1", SQLITE),
	    "BEGIN;\n\n"
	    "-- Running upgrade  -> a2\n\n"
	    "CREATE TABLE ta2 (x INTEGER);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a2');\n\n"
	    "COMMIT;\n\n");
	fx_free(&fx);
}

Test(render, downgrade_to_base_updates_then_deletes)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);

	/* "-- Running downgrade a -> " ends in a blank, as in Alembic */
	EXPECT_TEXT(render(g, FX_DOWNGRADE, "base", "b", PG),
		    "BEGIN;\n\n"
		    "-- Running downgrade b -> a\n\n"
		    "DELETE FROM ta;\n\n"
		    "UPDATE retort_version SET version_num='a' WHERE "
		    "retort_version.version_num = 'b';\n\n"
		    "COMMIT;\n\n"
		    "BEGIN;\n\n"
		    "-- Running downgrade a -> \n\n"
		    "DROP TABLE ta;\n\n"
		    "DELETE FROM retort_version WHERE "
		    "retort_version.version_num = 'a';\n\n"
		    "COMMIT;\n\n");
	fx_free(&fx);
}

Test(render, merge_upgrade_and_downgrade_rows)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, MERGE);

	/* the merge: one row deleted, the other moved; no section text */
	EXPECT_TEXT(render(g, FX_UPGRADE, "m", "b1 b2", PG),
		    "BEGIN;\n\n"
		    "-- Running upgrade b1, b2 -> m\n\n"
		    "DELETE FROM retort_version WHERE "
		    "retort_version.version_num = 'b1';\n\n"
		    "UPDATE retort_version SET version_num='m' WHERE "
		    "retort_version.version_num = 'b2';\n\n"
		    "COMMIT;\n\n");
	/* and back: one row inserted, the other moved back */
	EXPECT_TEXT(
	    render(g, FX_DOWNGRADE, "b1", "m", PG),
	    "BEGIN;\n\n"
	    "-- Running downgrade m -> b1, b2\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('b1');\n\n"
	    "UPDATE retort_version SET version_num='b2' WHERE "
	    "retort_version.version_num = 'm';\n\n"
	    "COMMIT;\n\n");
	/* the branch point from one row: an INSERT for the second branch */
	EXPECT_TEXT(
	    render(g, FX_UPGRADE, "b2", "b1", PG),
	    "BEGIN;\n\n"
	    "-- Running upgrade a -> b2\n\n"
	    "CREATE TABLE tb2 (x INTEGER);\n\n"
	    "INSERT INTO retort_version (version_num) VALUES ('b2');\n\n"
	    "COMMIT;\n\n");
	fx_free(&fx);
}

Test(render, stamps_insert_update_delete)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);

	EXPECT_TEXT(render(g, FX_STAMP, "c", "", SQLITE),
		    "BEGIN;\n\n" CREATE_VT "-- Running stamp_revision  -> c\n\n"
		    "INSERT INTO retort_version (version_num) VALUES ('c');\n\n"
		    "COMMIT;\n\n");
	EXPECT_TEXT(render(g, FX_STAMP, "c", "a", SQLITE),
		    "BEGIN;\n\n"
		    "-- Running stamp_revision a -> c\n\n"
		    "UPDATE retort_version SET version_num='c' WHERE "
		    "retort_version.version_num = 'a';\n\n"
		    "COMMIT;\n\n");
	EXPECT_TEXT(render(g, FX_STAMP, "base", "b", SQLITE),
		    "BEGIN;\n\n"
		    "-- Running stamp_revision b -> \n\n"
		    "DELETE FROM retort_version WHERE "
		    "retort_version.version_num = 'b';\n\n"
		    "COMMIT;\n\n");
	EXPECT_TEXT(render(g, FX_STAMP, "base", "b", MYSQL),
		    "-- Running stamp_revision b -> \n\n"
		    "DELETE FROM retort_version WHERE "
		    "retort_version.version_num = 'b';\n\n");
	fx_free(&fx);
}

Test(render, schema_qualified_version_table)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);
	ropts ops = { RT_DIALECT_POSTGRESQL, "ops", NULL, 1 };
	ropts empty = { RT_DIALECT_POSTGRESQL, "", NULL, 1 };

	EXPECT_TEXT(
	    render(g, FX_UPGRADE, "b", "", ops),
	    "BEGIN;\n\n"
	    "CREATE TABLE ops.retort_version (\n"
	    "    version_num VARCHAR(255) NOT NULL,\n"
	    "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
	    ");\n\n"
	    "-- Running upgrade  -> a\n\n"
	    "CREATE TABLE ta (x INTEGER);\n\n"
	    "INSERT INTO ops.retort_version (version_num) VALUES ('a');\n\n"
	    "-- Running upgrade a -> b\n\n"
	    "INSERT INTO ta VALUES (1);\nUPDATE ta SET x = 2;\n\n"
	    "UPDATE ops.retort_version SET version_num='b' WHERE "
	    "ops.retort_version.version_num = 'a';\n\n"
	    "COMMIT;\n\n");
	EXPECT_TEXT(render(g, FX_STAMP, "base", "b", ops),
		    "BEGIN;\n\n"
		    "-- Running stamp_revision b -> \n\n"
		    "DELETE FROM ops.retort_version WHERE "
		    "ops.retort_version.version_num = 'b';\n\n"
		    "COMMIT;\n\n");
	/* an empty schema is no schema */
	EXPECT_TEXT(render(g, FX_STAMP, "base", "b", empty),
		    "BEGIN;\n\n"
		    "-- Running stamp_revision b -> \n\n"
		    "DELETE FROM retort_version WHERE "
		    "retort_version.version_num = 'b';\n\n"
		    "COMMIT;\n\n");
	fx_free(&fx);
}

Test(render, quoted_names_per_dialect)
{
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, LINEAR);
	ropts pg = { RT_DIALECT_POSTGRESQL, "Ops", "Versions", 0 };
	ropts my = { RT_DIALECT_MYSQL, "Ops", "Versions", 0 };
	ropts kw = { RT_DIALECT_SQLITE, NULL, "order", 0 };

	EXPECT_TEXT(
	    render(g, FX_STAMP, "a", "", pg),
	    "BEGIN;\n\n"
	    "CREATE TABLE \"Ops\".\"Versions\" (\n"
	    "    version_num VARCHAR(255) NOT NULL,\n"
	    "    CONSTRAINT \"Versions_pkc\" PRIMARY KEY (version_num)\n"
	    ");\n\n"
	    "-- Running stamp_revision  -> a\n\n"
	    "INSERT INTO \"Ops\".\"Versions\" (version_num) VALUES "
	    "('a');\n\n"
	    "COMMIT;\n\n");
	EXPECT_TEXT(render(g, FX_STAMP, "a", "", my),
		    "CREATE TABLE `Ops`.`Versions` (\n"
		    "    version_num VARCHAR(255) NOT NULL,\n"
		    "    CONSTRAINT `Versions_pkc` PRIMARY KEY (version_num)\n"
		    ");\n\n"
		    "-- Running stamp_revision  -> a\n\n"
		    "INSERT INTO `Ops`.`Versions` (version_num) VALUES "
		    "('a');\n\n");
	EXPECT_TEXT(render(g, FX_STAMP, "b", "a", my),
		    "-- Running stamp_revision a -> b\n\n"
		    "UPDATE `Ops`.`Versions` SET version_num='b' WHERE "
		    "`Ops`.`Versions`.version_num = 'a';\n\n");
	/* a keyword is quoted, the constraint named after it is not */
	EXPECT_TEXT(render(g, FX_STAMP, "a", "", kw),
		    "BEGIN;\n\n"
		    "CREATE TABLE \"order\" (\n"
		    "    version_num VARCHAR(255) NOT NULL,\n"
		    "    CONSTRAINT order_pkc PRIMARY KEY (version_num)\n"
		    ");\n\n"
		    "-- Running stamp_revision  -> a\n\n"
		    "INSERT INTO \"order\" (version_num) VALUES ('a');\n\n"
		    "COMMIT;\n\n");
	fx_free(&fx);
}

Test(render, version_statements_directly)
{
	retort_version_op ins = { RETORT_VERSION_INSERT, NULL, "x'y" };
	retort_version_op upd = { RETORT_VERSION_UPDATE, "a\\b", "c" };
	retort_version_op del = { RETORT_VERSION_DELETE, "d", NULL };
	rt_str s = RT_STR_INIT;

	/* literals are escaped per dialect (ids cannot hold these, but
	 * the statement builder must not depend on that) */
	cr_assert_eq(rt_sql_version_op(&s, RT_DIALECT_SQLITE, NULL, "v", &ins),
		     0);
	cr_assert_str_eq(rt_str_cstr(&s),
			 "INSERT INTO v (version_num) VALUES ('x''y')");
	rt_str_clear(&s);
	rt_sql_version_op(&s, RT_DIALECT_MYSQL, "s", "v", &upd);
	cr_assert_str_eq(rt_str_cstr(&s),
			 "UPDATE s.v SET version_num='c' WHERE s.v.version_num "
			 "= 'a\\\\b'");
	rt_str_clear(&s);
	rt_sql_version_op(&s, RT_DIALECT_POSTGRESQL, "s", "v", &upd);
	cr_assert_str_eq(rt_str_cstr(&s),
			 "UPDATE s.v SET version_num='c' WHERE s.v.version_num "
			 "= 'a\\b'");
	rt_str_clear(&s);
	rt_sql_version_op(&s, RT_DIALECT_POSTGRESQL, NULL, "Select", &del);
	cr_assert_str_eq(rt_str_cstr(&s), "DELETE FROM \"Select\" WHERE "
					  "\"Select\".version_num = 'd'");
	rt_str_clear(&s);
	cr_assert_eq(
	    rt_sql_create_version_table(&s, RT_DIALECT_MYSQL, NULL, "my`v"), 0);
	cr_assert_str_eq(
	    rt_str_cstr(&s),
	    "CREATE TABLE `my``v` (\n"
	    "    version_num VARCHAR(255) NOT NULL,\n"
	    "    CONSTRAINT `my``v_pkc` PRIMARY KEY (version_num)\n"
	    ")");
	rt_str_dispose(&s);
}

/* ------------------------------------------------------------------ */
/* section text */

/* Render `b` (upgrade section `up`) from a in dialect d, and compare the
 * section's part of the text. */
static void expect_section(rt_dialect d, const char *up, const char *shown)
{
	rf_rev revs[] = { { "a", "" }, { "b", "a", up } };
	ropts ro = { d, NULL, NULL, 0 };
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, revs);
	rt_str want = RT_STR_INIT;
	int tx = d != RT_DIALECT_MYSQL;

	rt_str_printf(&want, "%s-- Running upgrade a -> b\n\n%s%s%s%s",
		      tx ? "BEGIN;\n\n" : "", shown ? shown : "",
		      shown ? "\n\n" : "",
		      "UPDATE retort_version SET version_num='b' WHERE "
		      "retort_version.version_num = 'a';\n\n",
		      tx ? "COMMIT;\n\n" : "");
	EXPECT_TEXT(render(g, FX_UPGRADE, "b", "a", ro), rt_str_cstr(&want));
	rt_str_dispose(&want);
	fx_free(&fx);
}

Test(render, last_statement_gets_a_semicolon)
{
	expect_section(RT_DIALECT_SQLITE, "CREATE TABLE t (x INTEGER)",
		       "CREATE TABLE t (x INTEGER);");
	expect_section(RT_DIALECT_POSTGRESQL,
		       "CREATE TABLE t (x INTEGER);\nDROP TABLE t",
		       "CREATE TABLE t (x INTEGER);\nDROP TABLE t;");
	/* blank lines around the text are dropped, no second ';' */
	expect_section(RT_DIALECT_SQLITE,
		       "\n  \n\tCREATE TABLE t (x INTEGER);  \n\n\n",
		       "CREATE TABLE t (x INTEGER);");
	/* a ';' inside a string does not end the statement */
	expect_section(RT_DIALECT_SQLITE, "INSERT INTO t VALUES ('a;')",
		       "INSERT INTO t VALUES ('a;');");
	/* after a line comment, on its own line (else it is commented out) */
	expect_section(RT_DIALECT_SQLITE, "CREATE TABLE t (x INTEGER)\n-- end",
		       "CREATE TABLE t (x INTEGER)\n-- end\n;");
	/* after a block comment, right after it */
	expect_section(RT_DIALECT_SQLITE,
		       "CREATE TABLE t (x INTEGER)\n/* end */",
		       "CREATE TABLE t (x INTEGER)\n/* end */;");
	/* a terminated statement followed by a comment keeps its text */
	expect_section(RT_DIALECT_SQLITE, "CREATE TABLE t (x INTEGER);\n-- end",
		       "CREATE TABLE t (x INTEGER);\n-- end");
}

Test(render, semicolon_rule_follows_the_dialect)
{
	/* '#' starts a comment on MySQL only: there the ';' in it does not
	 * count */
	expect_section(RT_DIALECT_MYSQL, "SELECT 1\n# done;",
		       "SELECT 1\n# done;\n;");
	expect_section(RT_DIALECT_SQLITE, "SELECT 1\n# done;",
		       "SELECT 1\n# done;");
	/* block comments nest on PostgreSQL only */
	expect_section(RT_DIALECT_POSTGRESQL, "SELECT 1;\n/* a /* b */ ; */",
		       "SELECT 1;\n/* a /* b */ ; */");
	expect_section(RT_DIALECT_SQLITE, "SELECT 1;\n/* a /* b */ ; */",
		       "SELECT 1;\n/* a /* b */ ; */;");
}

Test(render, empty_sections)
{
	/* no text at all: the version row follows the comment */
	expect_section(RT_DIALECT_SQLITE, NULL, NULL);
	expect_section(RT_DIALECT_SQLITE, "\n\n   \n", NULL);
	/* only a comment: kept, and no ';' (there is no statement) */
	expect_section(RT_DIALECT_POSTGRESQL, "-- nothing to do",
		       "-- nothing to do");
	expect_section(RT_DIALECT_MYSQL, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* the write callback */

/* ~40 KB of statements */
static char *big_section(const char *table)
{
	rt_str s = RT_STR_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		rt_str_printf(&s, "INSERT INTO %s VALUES (%04d, 'xxxxxxx');\n",
			      table, i);
	return rt_str_detach(&s);
}

Test(render, write_callback_receives_everything_in_step_chunks)
{
	char *s1 = big_section("t1"), *s2 = big_section("t2"),
	     *s3 = big_section("t3");
	rf_rev revs[] = { { "a", "", s1 }, { "b", "a", s2 }, { "c", "b", s3 } };
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, revs);
	rt_str want = RT_STR_INIT;
	size_t after_b;
	sink s;
	char *out;

	cr_assert_gt(strlen(s1), 40000);
	rt_str_printf(
	    &want,
	    "BEGIN;\n\n" CREATE_VT "-- Running upgrade  -> a\n\n%s\n"
	    "INSERT INTO retort_version (version_num) VALUES ('a');\n\n"
	    "COMMIT;\n\n"
	    "BEGIN;\n\n"
	    "-- Running upgrade a -> b\n\n%s\n"
	    "UPDATE retort_version SET version_num='b' WHERE "
	    "retort_version.version_num = 'a';\n\n"
	    "COMMIT;\n\n",
	    s1, s2);
	after_b = want.len;
	rt_str_printf(&want,
		      "BEGIN;\n\n"
		      "-- Running upgrade b -> c\n\n%s\n"
		      "UPDATE retort_version SET version_num='c' WHERE "
		      "retort_version.version_num = 'b';\n\n"
		      "COMMIT;\n\n",
		      s3);
	memset(&s, 0, sizeof(s));
	out = render_ex(g, FX_UPGRADE, "c", "", SQLITE, &s);
	/* flushed once the text passed 64 KiB (after b), then the rest */
	cr_assert_eq(s.calls, 2);
	cr_assert_eq(s.chunk[0], after_b);
	cr_assert_eq(s.chunk[1], want.len - after_b);
	cr_assert_str_eq(out, rt_str_cstr(&want));
	free(out);
	rt_str_dispose(&want);
	fx_free(&fx);
	free(s1);
	free(s2);
	free(s3);
}

static void expect_write_failure(rt_graph *g, const char *target, int fail_at)
{
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, FX_UPGRADE, target, "", &err);
	rt_render_opts o;
	sink s;

	cr_assert_not_null(p);
	memset(&s, 0, sizeof(s));
	s.fail_at = fail_at;
	memset(&o, 0, sizeof(o));
	o.dialect = RT_DIALECT_POSTGRESQL;
	o.version_table = "retort_version";
	o.transaction_per_migration = 1;
	o.write = sink_write;
	o.payload = &s;
	cr_assert_eq(rt_render_plan(p, &o, &err), RETORT_ERROR);
	cr_assert_eq(err.code, RETORT_ERROR);
	cr_assert_str_eq(rt_err_msg(&err), "cannot write the SQL output");
	/* nothing is written after the failure */
	cr_assert_eq(s.calls, fail_at);
	retort_plan_free(p);
	rt_err_dispose(&err);
	rt_str_dispose(&s.all);
}

Test(render, a_failing_write_stops_the_rendering)
{
	char *s1 = big_section("t1"), *s2 = big_section("t2"),
	     *s3 = big_section("t3");
	rf_rev revs[] = { { "a", "", s1 }, { "b", "a", s2 }, { "c", "b", s3 } };
	fx_graph fx;
	rt_graph *g = RF_OK(&fx, revs);

	expect_write_failure(g, "c", 1); /* at the mid-plan flush */
	expect_write_failure(g, "c", 2); /* at the final write */
	expect_write_failure(g, "a", 1); /* a small plan's only write */
	fx_free(&fx);
	free(s1);
	free(s2);
	free(s3);
}

/* ------------------------------------------------------------------ */
/* through the public API: the config reaches the renderer */

static int buf_write(const char *data, size_t len, void *payload)
{
	return rt_str_append(payload, data, len) < 0;
}

Test(render, retort_upgrade_sql_uses_the_configured_table_and_mode)
{
	retort_open_options oo = RETORT_OPEN_OPTIONS_INIT;
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	retort_source src[RF_N(NOTX)];
	rt_str text[RF_N(NOTX)], name[RF_N(NOTX)], out = RT_STR_INIT;
	retort *r = NULL;
	size_t i;

	for (i = 0; i < RF_N(NOTX); i++) {
		text[i] = (rt_str)RT_STR_INIT;
		name[i] = (rt_str)RT_STR_INIT;
		rf_render(&text[i], &NOTX[i]);
		rf_name(&name[i], &NOTX[i]);
		src[i].name = rt_str_cstr(&name[i]);
		src[i].text = rt_str_cstr(&text[i]);
		src[i].len = text[i].len;
	}
	oo.config_text = "[retort]\n"
			 "url = postgresql://app@db.example/app\n"
			 "version_table = vt\n"
			 "version_table_schema = ops\n"
			 "transaction_per_migration = false\n";
	oo.sources = src;
	oo.source_count = RF_N(NOTX);
	cr_assert_eq(retort_open(&r, &oo), 0, "%s", retort_errmsg(r));
	ro.sql = 1;
	ro.write = buf_write;
	ro.write_payload = &out;
	cr_assert_eq(retort_upgrade(r, "a:c", &ro), 0, "%s", retort_errmsg(r));
	cr_assert_str_eq(rt_str_cstr(&out),
			 "BEGIN;\n\n"
			 "-- Running upgrade a -> b\n\n"
			 "COMMIT;\n\n"
			 "CREATE INDEX CONCURRENTLY ix ON ta (x);\n\n"
			 "BEGIN;\n\n"
			 "UPDATE ops.vt SET version_num='b' WHERE "
			 "ops.vt.version_num = 'a';\n\n"
			 "-- Running upgrade b -> c\n\n"
			 "CREATE TABLE tc (x INTEGER);\n\n"
			 "UPDATE ops.vt SET version_num='c' WHERE "
			 "ops.vt.version_num = 'b';\n\n"
			 "COMMIT;\n\n");
	retort_close(r);
	rt_str_dispose(&out);
	for (i = 0; i < RF_N(NOTX); i++) {
		rt_str_dispose(&text[i]);
		rt_str_dispose(&name[i]);
	}
}
