/* SPDX-License-Identifier: MIT */
/*
 * test_dialects.c: per-dialect sections past the parser: the plan's
 * check that every step has a section for the dialect (with the message
 * naming path:line), the section a step runs per dialect, checksums per
 * section, and the public accessors (retort_revision_section*).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "graph_fixture.h"
#include "plan/plan.h"
#include "retort.h"

static const char *const texts[] = {
	"-- a\n--\n-- Revision ID: a1\n-- Revises:\n\n"
	"-- migrate:upgrade dialect:sqlite\n"	  /* 6 */
	"CREATE TABLE s (id INTEGER);\n"	  /* 7 */
	"-- migrate:upgrade dialect:postgresql\n" /* 8 */
	"CREATE TABLE p (id SERIAL);\n"
	"-- migrate:downgrade\n" /* 10 */
	"DROP TABLE t;\n",
	"-- b\n--\n-- Revision ID: b2\n-- Revises: a1\n\n"
	"-- migrate:upgrade\n"
	"CREATE TABLE all_dbs (id INTEGER);\n"
	"-- migrate:downgrade\n"
	"DROP TABLE all_dbs;\n",
};

static fx_graph fx;

static rt_graph *build(void)
{
	size_t i, n = sizeof(texts) / sizeof(texts[0]);

	memset(&fx, 0, sizeof(fx));
	fx.scripts = calloc(n, sizeof(*fx.scripts));
	fx.n = (uint32_t)n;
	for (i = 0; i < n; i++) {
		char path[32];

		snprintf(path, sizeof(path), "versions/%zu.sql", i);
		cr_assert_eq(rt_script_parse(&fx.scripts[i], &fx.arena, path,
					     texts[i], strlen(texts[i]),
					     &fx.err),
			     0, "%s", rt_err_msg(&fx.err));
	}
	cr_assert_eq(
	    rt_graph_build(&fx.g, fx.scripts, fx.n, &fx.problems, 0, &fx.err),
	    0, "%s", rt_err_msg(&fx.err));
	return fx.g;
}

static void teardown(void)
{
	fx_free(&fx);
}

TestSuite(dialects, .fini = teardown);

static const char *text_of(const retort_section *sec)
{
	return rt_arena_strndup(&fx.arena, sec->sql, sec->len);
}

Test(dialects, plan_check_and_step_sections)
{
	rt_graph *g = build();
	retort_plan *plan = NULL;
	rt_err err = RT_ERR_INIT;

	cr_assert_eq(rt_plan_upgrade(&plan, g, "heads", NULL, 0, &err), 0, "%s",
		     rt_err_msg(&err));
	cr_assert_eq(plan->steps.n, 2);
	cr_assert_eq(rt_plan_check_dialect(plan, RT_DIALECT_SQLITE, &err), 0);
	cr_assert_eq(rt_plan_check_dialect(plan, RT_DIALECT_POSTGRESQL, &err),
		     0);
	cr_assert_str_eq(
	    text_of(rt_step_section(&plan->steps.v[0], RT_DIALECT_SQLITE)),
	    "CREATE TABLE s (id INTEGER);\n");
	cr_assert_str_eq(
	    text_of(rt_step_section(&plan->steps.v[0], RT_DIALECT_POSTGRESQL)),
	    "CREATE TABLE p (id SERIAL);\n");
	cr_assert_null(rt_step_section(&plan->steps.v[0], RT_DIALECT_MYSQL));
	/* the untagged section runs everywhere */
	cr_assert_not_null(
	    rt_step_section(&plan->steps.v[1], RT_DIALECT_MYSQL));
	cr_assert_eq(rt_plan_check_dialect(plan, RT_DIALECT_MYSQL, &err),
		     RETORT_EUSAGE);
	cr_assert_str_eq(
	    rt_err_msg(&err),
	    "versions/0.sql:6: revision a1 has no upgrade section for mysql "
	    "(it has dialect:sqlite, dialect:postgresql); add a '-- "
	    "migrate:upgrade dialect:mysql' section, or one without "
	    "dialect: for every database; nothing was run");
	rt_plan_free(plan);
	rt_err_dispose(&err);
}

Test(dialects, checksums_per_section)
{
	rt_graph *g = build();
	const retort_revision *a = fx_rev_of(g, "a1");
	char want[65];
	const char *s = rt_revision_sum(a, 0, RT_DIALECT_SQLITE);
	const char *p = rt_revision_sum(a, 0, RT_DIALECT_POSTGRESQL);

	cr_assert_not_null(s);
	cr_assert_not_null(p);
	cr_assert_str_neq(s, p);
	rt_section_checksum("CREATE TABLE s (id INTEGER);\n", 29, want);
	cr_assert_str_eq(s, want);
	cr_assert_null(rt_revision_sum(a, 0, RT_DIALECT_MYSQL));
	/* the downgrade is shared: one checksum for every dialect */
	cr_assert_str_eq(rt_revision_sum(a, 1, RT_DIALECT_SQLITE),
			 rt_revision_sum(a, 1, RT_DIALECT_MYSQL));
	/* the default section: the first (no untagged upgrade) */
	cr_assert_str_eq(rt_revision_default_sum(a, 0), s);
	cr_assert_str_eq(retort_revision_checksum(a, 0), s);
}

Test(dialects, public_accessors)
{
	rt_graph *g = build();
	const retort_revision *a = fx_rev_of(g, "a1");
	const retort_revision *b = fx_rev_of(g, "b2");
	const char *d = "unset";

	cr_assert_eq(retort_revision_section_count(a, 0), 2);
	cr_assert_eq(retort_revision_section_count(a, 1), 1);
	cr_assert_eq(retort_revision_section_count(b, 0), 1);
	cr_assert_str_eq(text_of(retort_revision_section_at(a, 0, 1, &d)),
			 "CREATE TABLE p (id SERIAL);\n");
	cr_assert_str_eq(d, "postgresql");
	cr_assert_not_null(retort_revision_section_at(a, 1, 0, &d));
	cr_assert_null(d);
	cr_assert_null(retort_revision_section_at(a, 0, 2, &d));
	cr_assert_str_eq(text_of(retort_revision_section(a, 0, "sqlite")),
			 "CREATE TABLE s (id INTEGER);\n");
	cr_assert_null(retort_revision_section(a, 0, "mysql"));
	cr_assert_null(retort_revision_section(a, 0, "oracle"));
	cr_assert_not_null(retort_revision_section(b, 0, "mysql"));
	cr_assert_str_eq(retort_revision_section_checksum(a, 0, 1),
			 rt_revision_sum(a, 0, RT_DIALECT_POSTGRESQL));
	cr_assert_null(retort_revision_section_checksum(a, 0, 2));
	/* the default accessors keep working */
	cr_assert_eq(retort_revision_upgrade(a)->line, 7);
	cr_assert_eq(retort_revision_downgrade(a)->line, 11);
}
