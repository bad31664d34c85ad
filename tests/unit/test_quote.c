/* SPDX-License-Identifier: MIT */
/*
 * test_quote.c: sql/quote.c, the one identifier and literal quoter that
 * the version-table SQL, the offline renderer and the schema code share:
 * plain lower-case names bare, everything else (upper case, spaces,
 * keywords of either dialect) quoted with the dialect's quote character.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sql/quote.h"

static char got[256];

static const char *ident(rt_dialect d, const char *name)
{
	rt_str s = RT_STR_INIT;

	rt_sql_ident(&s, d, name);
	cr_assert(!s.oom);
	strcpy(got, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return got;
}

Test(quote, plain_names_stay_bare)
{
	cr_assert_str_eq(ident(RT_DIALECT_SQLITE, "retort_version"),
			 "retort_version");
	cr_assert_str_eq(ident(RT_DIALECT_POSTGRESQL, "_a1"), "_a1");
	cr_assert_str_eq(ident(RT_DIALECT_MYSQL, "book"), "book");
}

Test(quote, other_names_are_quoted_per_dialect)
{
	cr_assert_str_eq(ident(RT_DIALECT_POSTGRESQL, "Author"), "\"Author\"");
	cr_assert_str_eq(ident(RT_DIALECT_SQLITE, "a b"), "\"a b\"");
	cr_assert_str_eq(ident(RT_DIALECT_POSTGRESQL, "1st"), "\"1st\"");
	cr_assert_str_eq(ident(RT_DIALECT_POSTGRESQL, "a\"b"), "\"a\"\"b\"");
	cr_assert_str_eq(ident(RT_DIALECT_MYSQL, "Author"), "`Author`");
	cr_assert_str_eq(ident(RT_DIALECT_MYSQL, "a`b"), "`a``b`");
}

Test(quote, keywords_are_quoted)
{
	cr_assert_str_eq(ident(RT_DIALECT_POSTGRESQL, "user"), "\"user\"");
	cr_assert_str_eq(ident(RT_DIALECT_SQLITE, "order"), "\"order\"");
	cr_assert_str_eq(ident(RT_DIALECT_SQLITE, "select"), "\"select\"");
	cr_assert_str_eq(ident(RT_DIALECT_MYSQL, "table"), "`table`");
	/* a keyword as a prefix is no keyword */
	cr_assert_str_eq(ident(RT_DIALECT_POSTGRESQL, "users"), "users");
}

Test(quote, table_names_and_literals)
{
	rt_str s = RT_STR_INIT;

	rt_sql_table_name(&s, RT_DIALECT_POSTGRESQL, "Meta", "retort_version");
	cr_assert_str_eq(rt_str_cstr(&s), "\"Meta\".retort_version");
	rt_str_clear(&s);
	rt_sql_table_name(&s, RT_DIALECT_SQLITE, "", "v");
	cr_assert_str_eq(rt_str_cstr(&s), "v");
	rt_str_clear(&s);
	rt_sql_literal(&s, RT_DIALECT_POSTGRESQL, "it's \\n");
	cr_assert_str_eq(rt_str_cstr(&s), "'it''s \\n'");
	rt_str_clear(&s);
	rt_sql_literal(&s, RT_DIALECT_MYSQL, "it's \\n");
	cr_assert_str_eq(rt_str_cstr(&s), "'it''s \\\\n'");
	rt_str_dispose(&s);
}
