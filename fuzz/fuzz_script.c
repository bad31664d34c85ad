/* SPDX-License-Identifier: MIT */
/*
 * fuzz_script.c: libFuzzer target for the revision file parser
 * (rt_script_parse, src/script.h).
 *
 * Each input is one revision file. Whatever the bytes, the parser must
 * return without crashing, leaking or reading out of bounds, and:
 *  - on failure, set a RETORT_ECONFIG/RETORT_ENOMEM error whose message
 *    starts with the path;
 *  - on success, hand back a script that satisfies the invariants of
 *    script.h: a valid id, valid list items, section pointers inside the
 *    arena copy of the text, 64-hex checksums from rt_section_checksum,
 *    `empty` as rt_sql_is_empty says;
 *  - give the same result for the same file with CRLF line ends and with a
 *    UTF-8 BOM (same ids, lists, lines and checksums, or the same error).
 * The SQL of each section is also run through the tokenizer and splitter
 * of src/sql.c in every dialect, checking that tokens tile the text.
 *
 * A broken invariant aborts with a message (not assert(): the fuzz build
 * is RelWithDebInfo, which defines NDEBUG).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort.h"
#include "script/script.h"
#include "sql/tokenize.h"
#include "util/arena.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH "migrations/versions/fuzz.sql"

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

static int is_hex64(const char *h)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') ||
		      (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return h[64] == '\0';
}

static void check_id(const char *s)
{
	char bad[64];

	CHECK(s != NULL);
	CHECK(s[0] != '\0');
	CHECK(strlen(s) <= 255);
	CHECK(rt_valid_id(s, strlen(s), bad) == 1);
	CHECK(bad[0] == '\0');
}

static void check_list(const char *const *v, uint32_t n, unsigned line)
{
	uint32_t i;

	CHECK(n == 0 || v != NULL);
	CHECK(n == 0 || line > 0);
	for (i = 0; i < n; i++)
		check_id(v[i]);
}

/* Tokens tile the text; statements lie inside it. */
static void check_sql(rt_dialect d, const char *sql, size_t len)
{
	rt_sql_token tok;
	rt_sql_stmt *st = NULL;
	size_t pos = 0, expect = 0, n = 0, i;
	int only_blank = 1;

	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		CHECK(tok.start == expect);
		CHECK(tok.len > 0);
		CHECK(tok.start + tok.len <= len);
		CHECK(pos == tok.start + tok.len);
		if (tok.kind != RT_SQL_SPACE && tok.kind != RT_SQL_COMMENT &&
		    tok.kind != RT_SQL_SEMICOLON)
			only_blank = 0;
		expect = pos;
	}
	CHECK(expect == len);
	CHECK(rt_sql_is_empty(d, sql, len) == only_blank);
	(void)rt_sql_needs_terminator(d, sql, len);
	if (rt_sql_split(d, sql, len, &st, &n) == 0) {
		CHECK(n == 0 || st != NULL);
		CHECK((n == 0) == only_blank);
		for (i = 0; i < n; i++) {
			CHECK(st[i].start <= len);
			CHECK(st[i].len <= len - st[i].start);
			CHECK(st[i].line >= 1);
			CHECK(st[i].line ==
				  rt_sql_line_of(sql, len, st[i].start) ||
			      st[i].start == len);
		}
	}
	free(st);
}

/* The same checksum for the two sections (CRLF/BOM variants). */
static int same_sum(const retort_section *a, const retort_section *b)
{
	char ha[65], hb[65];

	rt_section_checksum(a->sql, a->len, ha);
	rt_section_checksum(b->sql, b->len, hb);
	return strcmp(ha, hb) == 0;
}

static void check_section(const rt_script *s, const retort_section *sec,
			  unsigned marker_line)
{
	char hex[65];

	CHECK(marker_line > 0);
	CHECK(sec->sql != NULL);
	CHECK(sec->sql >= s->text);
	CHECK(sec->sql <= s->text + s->len);
	CHECK(sec->len <= (size_t)(s->text + s->len - sec->sql));
	CHECK(sec->line == marker_line + 1);
	CHECK(sec->transactional == 0 || sec->transactional == 1);
	rt_section_checksum(sec->sql, sec->len, hex);
	CHECK(is_hex64(hex));
	CHECK(sec->empty ==
	      rt_sql_is_empty(RT_DIALECT_SQLITE, sec->sql, sec->len));
	check_sql(RT_DIALECT_SQLITE, sec->sql, sec->len);
	check_sql(RT_DIALECT_POSTGRESQL, sec->sql, sec->len);
	check_sql(RT_DIALECT_MYSQL, sec->sql, sec->len);
}

/* Per-dialect sections: each one well formed, at most one per dialect
 * (and one untagged) per direction, and the lookup gives the dialect's
 * own section, else the untagged one. */
static void check_dialect_sections(const rt_script *s)
{
	int dir, d;
	uint32_t i, k;

	for (dir = 0; dir < 2; dir++) {
		CHECK(s->nsections[dir] >= 1);
		CHECK(s->nsections[dir] <= RT_SCRIPT_SECTIONS);
		for (i = 0; i < s->nsections[dir]; i++) {
			const rt_script_sec *x = &s->sections[dir][i];

			CHECK(x->dialect >= -1 && x->dialect <= 2);
			CHECK(s->tagged || x->dialect == -1);
			check_section(s, &x->sec, x->marker);
			for (k = 0; k < i; k++)
				CHECK(s->sections[dir][k].dialect !=
				      x->dialect);
		}
		for (d = 0; d <= 2; d++) {
			const rt_script_sec *x =
			    rt_script_section(s, dir, (rt_dialect)d, NULL);
			int own = 0, any = 0;

			for (i = 0; i < s->nsections[dir]; i++) {
				own |= s->sections[dir][i].dialect == d;
				any |= s->sections[dir][i].dialect == -1;
			}
			CHECK((x != NULL) == (own || any));
			CHECK(!x || x->dialect == (own ? d : -1));
		}
	}
}

static void check_script(const rt_script *s, const char *in, size_t n)
{
	CHECK(s->path != NULL && strcmp(s->path, PATH) == 0);
	CHECK(s->filename != NULL && strcmp(s->filename, "fuzz.sql") == 0);
	CHECK(s->text != NULL);
	if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
		in += 3;
		n -= 3;
	}
	CHECK(s->len == n);
	CHECK(memcmp(s->text, in, n) == 0);
	CHECK(s->text[s->len] == '\0');
	check_id(s->id);
	CHECK(s->id_line > 0);
	CHECK(s->down_line > 0);
	CHECK(s->doc != NULL);
	CHECK(s->longdoc != NULL);
	check_list(s->down, s->ndown, s->down_line);
	check_list(s->deps, s->ndeps, s->deps_line);
	check_list(s->labels, s->nlabels, s->labels_line);
	CHECK(s->upgrade_line != s->downgrade_line);
	check_section(s, &s->upgrade, s->upgrade_line);
	check_section(s, &s->downgrade, s->downgrade_line);
	check_dialect_sections(s);
}

static int streq_null(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void same_list(const char *const *a, uint32_t na, const char *const *b,
		      uint32_t nb)
{
	uint32_t i;

	CHECK(na == nb);
	for (i = 0; i < na; i++)
		CHECK(strcmp(a[i], b[i]) == 0);
}

/* Two parses of the same file (LF vs CRLF, with vs without BOM). */
static void same_result(int rc1, const rt_script *a, const rt_err *e1, int rc2,
			const rt_script *b, const rt_err *e2)
{
	CHECK(rc1 == rc2);
	if (rc1 < 0) {
		CHECK(strcmp(rt_err_msg(e1), rt_err_msg(e2)) == 0);
		return;
	}
	CHECK(strcmp(a->id, b->id) == 0);
	CHECK(a->id_line == b->id_line);
	CHECK(streq_null(a->create_date, b->create_date));
	CHECK(strcmp(a->doc, b->doc) == 0);
	CHECK(strcmp(a->longdoc, b->longdoc) == 0);
	same_list(a->down, a->ndown, b->down, b->ndown);
	same_list(a->deps, a->ndeps, b->deps, b->ndeps);
	same_list(a->labels, a->nlabels, b->labels, b->nlabels);
	CHECK(a->down_line == b->down_line);
	CHECK(a->deps_line == b->deps_line);
	CHECK(a->labels_line == b->labels_line);
	CHECK(a->upgrade_line == b->upgrade_line);
	CHECK(a->downgrade_line == b->downgrade_line);
	CHECK(same_sum(&a->upgrade, &b->upgrade));
	CHECK(same_sum(&a->downgrade, &b->downgrade));
	CHECK(a->upgrade.empty == b->upgrade.empty);
	CHECK(a->downgrade.empty == b->downgrade.empty);
	CHECK(a->upgrade.transactional == b->upgrade.transactional);
	CHECK(a->downgrade.transactional == b->downgrade.transactional);
	{
		int dir;
		uint32_t i;

		for (dir = 0; dir < 2; dir++) {
			CHECK(a->nsections[dir] == b->nsections[dir]);
			for (i = 0;
			     i < a->nsections[dir] && i < b->nsections[dir];
			     i++) {
				CHECK(a->sections[dir][i].dialect ==
				      b->sections[dir][i].dialect);
				CHECK(same_sum(&a->sections[dir][i].sec,
					       &b->sections[dir][i].sec));
			}
		}
	}
}

static int parse(rt_script *s, rt_arena *a, const char *text, size_t len,
		 rt_err *err)
{
	int rc = rt_script_parse(s, a, PATH, text, len, err);

	if (rc < 0) {
		CHECK(rc == RETORT_ECONFIG || rc == RETORT_ENOMEM);
		CHECK(err->code == rc);
		if (rc == RETORT_ECONFIG)
			CHECK(strncmp(rt_err_msg(err), PATH ":",
				      sizeof(PATH)) == 0);
	} else {
		CHECK(rc == 0);
		check_script(s, text, len);
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	rt_arena a1 = RT_ARENA_INIT, a2 = RT_ARENA_INIT;
	rt_err e1 = RT_ERR_INIT, e2 = RT_ERR_INIT;
	rt_script s1, s2;
	char *alt;
	size_t i, n;
	int rc1, rc2;

	rc1 = parse(&s1, &a1, text, size, &e1);

	/* the same file with CRLF line ends (when it has no CR of its own) */
	if (!memchr(text, '\r', size) && (alt = malloc(2 * size + 1)) != NULL) {
		for (i = n = 0; i < size; i++) {
			if (text[i] == '\n')
				alt[n++] = '\r';
			alt[n++] = text[i];
		}
		rc2 = parse(&s2, &a2, alt, n, &e2);
		same_result(rc1, &s1, &e1, rc2, &s2, &e2);
		free(alt);
		rt_arena_free(&a2);
		rt_err_dispose(&e2);
	}

	/* the same file with a BOM (when it has none) */
	if ((size < 3 || memcmp(text, "\xEF\xBB\xBF", 3)) &&
	    (alt = malloc(size + 3)) != NULL) {
		memcpy(alt, "\xEF\xBB\xBF", 3);
		memcpy(alt + 3, text, size);
		rc2 = parse(&s2, &a2, alt, size + 3, &e2);
		same_result(rc1, &s1, &e1, rc2, &s2, &e2);
		free(alt);
		rt_arena_free(&a2);
		rt_err_dispose(&e2);
	}

	rt_arena_free(&a1);
	rt_err_dispose(&e1);
	return 0;
}
