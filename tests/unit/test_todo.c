/* SPDX-License-Identifier: MIT */
/*
 * test_todo.c: rt_todo_find (script/todo.h): a `-- retort:todo` line only
 * at the start of a line (after blanks), its line number counted from the
 * given first line, the reason after ':' and blanks, CR removed, quoted
 * markers ignored, and the next marker found by scanning on.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "script/todo.h"

static const char *find(const char *text, unsigned first, unsigned *line,
			size_t *n)
{
	return rt_todo_find(text, strlen(text), first, line, n);
}

Test(todo, none)
{
	unsigned line = 99;
	size_t n = 99;

	cr_assert_null(find("", 1, &line, &n));
	cr_assert_null(find("SELECT 1;\n-- a comment\n", 1, &line, &n));
	cr_assert_null(find("-- | -- retort:todo quoted\n", 1, &line, &n));
	cr_assert_null(find("SELECT '-- retort:todo';\n", 1, &line, &n));
	cr_assert_null(find("-- retort:tod\n", 1, &line, &n));
	cr_assert_eq(line, 99);
}

Test(todo, reason_and_line)
{
	const char *text = "SELECT 1;\n\n  -- retort:todo: upgrade() needs "
			   "the database\r\nSELECT 2;\n";
	unsigned line = 0;
	size_t n = 0;
	const char *why = find(text, 7, &line, &n);

	cr_assert_not_null(why);
	cr_assert_eq(line, 9);
	cr_assert_eq(n, strlen("upgrade() needs the database"));
	cr_assert_eq(strncmp(why, "upgrade() needs the database", n), 0);
}

Test(todo, bare_marker_at_end_without_newline)
{
	unsigned line = 0;
	size_t n = 99;
	const char *why = find("x\n\t-- retort:todo", 1, &line, &n);

	cr_assert_not_null(why);
	cr_assert_eq(line, 2);
	cr_assert_eq(n, 0);
}

Test(todo, scanning_on_finds_the_next)
{
	const char *text = "-- retort:todo one\nSQL;\n-- retort:todo two\n";
	const char *end = text + strlen(text), *why, *next;
	unsigned line = 0;
	size_t n = 0;

	why = rt_todo_find(text, strlen(text), 1, &line, &n);
	cr_assert_eq(line, 1);
	cr_assert_eq(strncmp(why, "one", n), 0);
	next = strchr(why, '\n') + 1;
	why = rt_todo_find(next, (size_t)(end - next), line + 1, &line, &n);
	cr_assert_not_null(why);
	cr_assert_eq(line, 3);
	cr_assert_eq(n, 3);
	cr_assert_eq(strncmp(why, "two", n), 0);
}
