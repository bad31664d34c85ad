/* SPDX-License-Identifier: MIT */
/*
 * test_pg_settings.c: the `pg_settings` value (sql/pg_settings.c): pairs,
 * quoted values, and the names that are refused because they would have
 * carried SQL when they were pasted into SET.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "retort.h"
#include "sql/pg_settings.h"

static void expect_pairs(const char *text, const char *const *want,
			 size_t nwant)
{
	rt_err err = RT_ERR_INIT;
	rt_pg_setting *v;
	size_t n, i;

	cr_assert_eq(rt_pg_settings_parse(text, &v, &n, &err), 0, "'%s': %s",
		     text, rt_err_msg(&err));
	cr_assert_eq(n, nwant / 2, "'%s': %zu pairs", text, n);
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(v[i].name, want[2 * i]);
		cr_assert_str_eq(v[i].value, want[2 * i + 1]);
	}
	rt_pg_settings_free(v, n);
	rt_err_dispose(&err);
}

static void expect_error(const char *text, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_pg_setting *v = (rt_pg_setting *)&err;
	size_t n = 99;

	cr_assert_eq(rt_pg_settings_parse(text, &v, &n, &err), RETORT_ECONFIG,
		     "'%s' parsed", text);
	cr_assert_str_eq(rt_err_msg(&err), msg);
	cr_assert_null(v);
	cr_assert_eq(n, 0);
	rt_err_dispose(&err);
}

Test(pg_settings, pairs)
{
	static const char *const a[] = { "lock_timeout", "5s",
					 "statement_timeout", "0" };
	static const char *const b[] = { "search_path", "tenant_a, public",
					 "application_name", "o'brien" };
	static const char *const c[] = { "myapp.tenant",
					 "x'; DROP TABLE x; --" };
	static const char *const d[] = { "work_mem", "" };

	expect_pairs(NULL, NULL, 0);
	expect_pairs("", NULL, 0);
	expect_pairs(" , ,", NULL, 0);
	expect_pairs("lock_timeout=5s, statement_timeout=0", a, 4);
	expect_pairs("\n lock_timeout = 5s ,statement_timeout= 0 ,", a, 4);
	expect_pairs("search_path='tenant_a, public', application_name=o'brien",
		     b, 4);
	/* a value is data, whatever it holds */
	expect_pairs("myapp.tenant=x'; DROP TABLE x; --", c, 2);
	expect_pairs("work_mem=", d, 2);
}

Test(pg_settings, names)
{
	cr_assert(rt_pg_setting_name_ok("search_path", 11));
	cr_assert(rt_pg_setting_name_ok("_x$1", 4));
	cr_assert(rt_pg_setting_name_ok("myapp.tenant", 12));
	cr_assert(rt_pg_setting_name_ok("A.b_$", 5));
	cr_assert(!rt_pg_setting_name_ok("", 0));
	cr_assert(!rt_pg_setting_name_ok("1x", 2));
	cr_assert(!rt_pg_setting_name_ok("$x", 2));
	cr_assert(!rt_pg_setting_name_ok("a.", 2));
	cr_assert(!rt_pg_setting_name_ok(".a", 2));
	cr_assert(!rt_pg_setting_name_ok("a.b.c", 5));
	cr_assert(!rt_pg_setting_name_ok("a b", 3));
	cr_assert(!rt_pg_setting_name_ok("a;b", 3));
	cr_assert(!rt_pg_setting_name_ok("a\"b", 3));
	cr_assert(!rt_pg_setting_name_ok("a-b", 3));
	/* the length is what counts, not a NUL */
	cr_assert(rt_pg_setting_name_ok("ab;", 2));
}

Test(pg_settings, errors)
{
	expect_error("nonsense", "pg_settings: expected name=value, not "
				 "'nonsense'");
	expect_error("a=1, b", "pg_settings: expected name=value, not 'b'");
	expect_error("search_path='a, b", "pg_settings: unterminated quote in "
					  "'search_path='a, b'");
	/* the payload of search_path=${TENANT} with TENANT="public,
	 * search_path TO DEFAULT; DROP TABLE x; SET search_path=public" */
	expect_error("search_path=public, search_path TO DEFAULT; DROP TABLE "
		     "x; SET search_path=public",
		     "pg_settings: not a setting name: 'search_path TO "
		     "DEFAULT; DROP TABLE x; SET search_path' (a name is "
		     "letters, digits, '_' and '$', with one '.' for a custom "
		     "setting such as myapp.tenant)");
	expect_error("=1", "pg_settings: not a setting name: '' (a name is "
			   "letters, digits, '_' and '$', with one '.' for a "
			   "custom setting such as myapp.tenant)");
	/* control characters are shown escaped, long names cut */
	expect_error("a\tb\x01=1",
		     "pg_settings: not a setting name: 'a\\x09b\\x01' (a name "
		     "is letters, digits, '_' and '$', with one '.' for a "
		     "custom setting such as myapp.tenant)");
}

Test(pg_settings, long_names_are_cut)
{
	char text[300];
	rt_err err = RT_ERR_INIT;
	rt_pg_setting *v;
	size_t n;

	memset(text, 'x', 200);
	text[100] = ' ';
	strcpy(text + 200, "=1");
	cr_assert_eq(rt_pg_settings_parse(text, &v, &n, &err), RETORT_ECONFIG);
	cr_assert(strstr(rt_err_msg(&err), "...' (a name is") != NULL, "%s",
		  rt_err_msg(&err));
	cr_assert(strlen(rt_err_msg(&err)) < 250);
	rt_err_dispose(&err);
}
