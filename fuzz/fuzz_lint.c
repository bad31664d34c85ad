/* SPDX-License-Identifier: MIT */
/*
 * fuzz_lint.c: libFuzzer target for the lint rule engine (src/lint/).
 *
 * The input is SQL: its first half (cut at the first NUL byte, or in the
 * middle when there is none) is the upgrade section of revision a, the
 * rest the upgrade section of revision b, which revises a. Both are linted
 * in every dialect, a tracked and b reported on, as `retort lint` reads a
 * project. Whatever the bytes, the engine must return without crashing,
 * leaking or reading out of bounds, and:
 *  - return 0, or RETORT_ECONFIG (an unknown rule in a nolint comment)
 *    with a one-line message naming "b.sql:LINE:" (or "a.sql:" never:
 *    a is only tracked, so its comments are not read);
 *  - give findings whose rule is in the table, whose severity is its
 *    default (not off), whose revision is b, whose line lies inside b's
 *    upgrade section, and whose message and hint are one line each;
 *  - count as errors exactly the findings of severity error.
 *
 * A broken invariant aborts with a message (not assert(): the fuzz build
 * is RelWithDebInfo, which defines NDEBUG).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint.h"
#include "retort.h"
#include "script/script.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

static unsigned lines_in(const char *s, size_t n)
{
	unsigned k = 1;
	size_t i;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static void check_findings(const rt_lint *l, const rt_script *b)
{
	size_t i, errors = 0;
	unsigned last =
	    b->upgrade.line + lines_in(b->upgrade.sql, b->upgrade.len) - 1;

	for (i = 0; i < rt_lint_count(l); i++) {
		const retort_lint_finding *f = rt_lint_at(l, i);
		int rule = rt_lint_rule_find(f->rule, strlen(f->rule));

		CHECK(rule >= 0);
		CHECK(f->severity != RETORT_LINT_OFF);
		CHECK(f->severity ==
		      rt_lint_rule_get((rt_lint_rule)rule)->severity);
		CHECK(strcmp(f->revision, "b") == 0);
		CHECK(strchr(f->message, '\n') == NULL);
		CHECK(strchr(f->hint, '\n') == NULL);
		if (strcmp(f->section, "upgrade") == 0)
			CHECK(f->line >= b->upgrade.line && f->line <= last);
		errors += f->severity == RETORT_LINT_ERROR;
	}
	CHECK(errors == rt_lint_errors(l));
}

static void one(rt_dialect d, const rt_script *a, const rt_script *b)
{
	rt_lint_settings set;
	rt_err err = RT_ERR_INIT;
	rt_lint *l;
	int rc;

	rt_lint_settings_default(&set);
	l = rt_lint_new(&set);
	CHECK(l != NULL);
	CHECK(rt_lint_revision(l, a, d, 0, &err) == 0);
	CHECK(rt_lint_count(l) == 0);
	rc = rt_lint_revision(l, b, d, 1, &err);
	if (rc == 0) {
		check_findings(l, b);
	} else {
		CHECK(rc == RETORT_ECONFIG);
		CHECK(strncmp(rt_err_msg(&err), "b.sql:", 6) == 0);
		CHECK(strchr(rt_err_msg(&err), '\n') == NULL);
	}
	rt_err_dispose(&err);
	rt_lint_free(l);
}

/* A revision whose upgrade section is sql[0..n) (no marker lines in it:
 * a line starting "-- migrate:" is cut short, so that the sections stay
 * as given). */
static int make(rt_script *out, rt_arena *arena, const char *id,
		const char *parent, const char *sql, size_t n)
{
	static const char fmt[] = "-- rev\n--\n-- Revision ID: %s\n"
				  "-- Revises: %s\n\n-- migrate:upgrade\n";
	static const char down[] = "\n-- migrate:downgrade noop\n";
	size_t head = sizeof(fmt) + 32, len = 0, i;
	char *text = malloc(head + n + sizeof(down));
	char path[8];
	rt_err err = RT_ERR_INIT;
	int rc;

	if (!text)
		return -1;
	len = (size_t)snprintf(text, head, fmt, id, parent);
	for (i = 0; i < n; i++)
		text[len++] = sql[i] == '-' && i + 11 <= n &&
				      !memcmp(sql + i, "-- migrate:", 11)
				  ? ' '
				  : sql[i];
	memcpy(text + len, down, sizeof(down));
	len += sizeof(down) - 1;
	snprintf(path, sizeof(path), "%s.sql", id);
	rc = rt_script_parse(out, arena, path, text, len, &err);
	rt_err_dispose(&err);
	free(text);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *sql = (const char *)data;
	const char *nul = memchr(sql, '\0', size);
	size_t cut = nul ? (size_t)(nul - sql) : size / 2;
	size_t rest = nul ? cut + 1 : cut;
	rt_arena arena = RT_ARENA_INIT;
	rt_script a, b;

	if (make(&a, &arena, "a", "", sql, cut) == 0 &&
	    make(&b, &arena, "b", "a", sql + rest, size - rest) == 0) {
		one(RT_DIALECT_SQLITE, &a, &b);
		one(RT_DIALECT_POSTGRESQL, &a, &b);
		one(RT_DIALECT_MYSQL, &a, &b);
	}
	rt_arena_free(&arena);
	return 0;
}
