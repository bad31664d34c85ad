/* SPDX-License-Identifier: MIT */
/*
 * test_schema_filter.c: the autogenerate_* filters (rt_schema_filter)
 * applied while reading a SQLite model: tables and views by pattern
 * (bare or main.-qualified), kinds, the notes about unsupported objects,
 * and the kind names and pattern checks behind the configuration
 * errors.
 */
#include "schema_fixture.h"

static rt_schema *filtered(const char *sql, const rt_schema_filter *f)
{
	const rt_driver *drv;
	rt_conn *c = open_url("sqlite:///:memory:", &drv);
	rt_introspect_opts o = { "retort_version", "retort_log", NULL, f,
				 NULL };
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL;

	run(drv, c, sql);
	cr_assert_eq(rt_schema_introspect(&s, drv, c, &o, &err), 0, "%s",
		     rt_err_msg(&err));
	drv->close(c);
	rt_err_dispose(&err);
	return s;
}

static const char ddl[] =
    "CREATE TABLE app (id INTEGER PRIMARY KEY, v TEXT);\n"
    "CREATE INDEX ix_app_v ON app (v);\n"
    "CREATE TABLE legacy_a (id INTEGER);\n"
    "CREATE TABLE legacy_b (id INTEGER);\n"
    "CREATE VIEW legacy_view AS SELECT id FROM legacy_a;\n"
    "CREATE VIEW app_view AS SELECT id FROM app;\n"
    "CREATE TRIGGER app_t AFTER INSERT ON app BEGIN SELECT 1; END;\n"
    "CREATE VIRTUAL TABLE docs USING fts5(body);\n";

static void names(rt_str *out, const rt_schema *s)
{
	size_t i;

	for (i = 0; i < s->ntables; i++)
		rt_str_printf(out, "%s%s", out->len ? " " : "",
			      s->tables[i].name);
	for (i = 0; i < s->nviews; i++)
		rt_str_printf(out, " view:%s", s->views[i].name);
	for (i = 0; i < s->nunsupported; i++)
		rt_str_printf(out, " note:%s", s->unsupported[i]);
}

static void expect_names(const rt_schema_filter *f, const char *want)
{
	rt_schema *s = filtered(ddl, f);
	rt_str got = RT_STR_INIT;

	names(&got, s);
	cr_assert_str_eq(rt_str_cstr(&got), want);
	rt_str_dispose(&got);
	rt_schema_free(s);
}

Test(filter, none_keeps_everything)
{
	expect_names(NULL, "app legacy_a legacy_b view:app_view "
			   "view:legacy_view note:virtual table docs");
}

Test(filter, tables_and_views_by_pattern)
{
	const char *pats[] = { "legacy_*", "do?s" };
	const char *qualified[] = { "main.legacy_[ab]" };
	const char *other[] = { "temp.legacy_*" };
	rt_schema_filter f;

	memset(&f, 0, sizeof(f));
	f.exclude_tables = pats;
	f.nexclude_tables = 2;
	expect_names(&f, "app view:app_view");
	f.exclude_tables = qualified;
	f.nexclude_tables = 1;
	expect_names(&f, "app view:app_view view:legacy_view "
			 "note:virtual table docs");
	f.exclude_tables = other;
	expect_names(&f, "app legacy_a legacy_b view:app_view "
			 "view:legacy_view note:virtual table docs");
}

Test(filter, kinds)
{
	rt_schema_filter f;
	rt_schema *s;

	memset(&f, 0, sizeof(f));
	f.exclude_kinds = RT_KIND_VIEW | RT_KIND_TABLE;
	expect_names(&f, "");
	f.exclude_kinds = RT_KIND_INDEX | RT_KIND_TRIGGER;
	s = filtered(ddl, &f);
	cr_assert_str_eq(s->tables[0].name, "app");
	cr_assert_eq(s->tables[0].nindexes, 0);
	cr_assert_eq(s->tables[0].ntriggers, 0);
	cr_assert_eq(s->nviews, 2);
	rt_schema_free(s);
}

Test(filter, schemas_on_sqlite_are_main)
{
	const char *main_only[] = { "main" };
	const char *other[] = { "other" };
	rt_schema_filter f;

	memset(&f, 0, sizeof(f));
	f.include_schemas = main_only;
	f.ninclude_schemas = 1;
	expect_names(&f, "app legacy_a legacy_b view:app_view "
			 "view:legacy_view note:virtual table docs");
	f.include_schemas = other;
	expect_names(&f, "");
	f.ninclude_schemas = 0;
	f.exclude_schemas = main_only;
	f.nexclude_schemas = 1;
	expect_names(&f, "");
}

Test(filter, kind_names_and_patterns)
{
	cr_assert_eq(rt_schema_kind("table"), RT_KIND_TABLE);
	cr_assert_eq(rt_schema_kind("function"), RT_KIND_FUNCTION);
	cr_assert_eq(rt_schema_kind("tabel"), 0);
	cr_assert_eq(rt_schema_kind("Table"), 0);
	cr_assert_null(rt_schema_table_pattern_error("legacy_*"));
	cr_assert_null(rt_schema_table_pattern_error("audit.*"));
	cr_assert_not_null(rt_schema_table_pattern_error("a.b.c"));
	cr_assert_not_null(rt_schema_table_pattern_error(".b"));
	cr_assert_not_null(rt_schema_table_pattern_error("a."));
}
