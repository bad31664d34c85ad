/* SPDX-License-Identifier: MIT */
/*
 * classify.c: statement kinds for the runner's checks (classify.h). A
 * statement's kind is read from its leading words (and, for COPY, the
 * FROM STDIN / TO STDOUT pair anywhere in it), word tokens only.
 */
#include "sql/classify.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/tokenize.h"

#define MAX_WORDS 8

typedef struct words {
	char w[MAX_WORDS][24];
	size_t n;
	int copy_client; /* FROM STDIN or TO STDOUT seen */
} words;

static int word_is(const char *sql, const rt_sql_token *t, const char *w)
{
	return t->len == strlen(w) && !strncasecmp(sql + t->start, w, t->len);
}

/* Collect the first words, and for a COPY the FROM STDIN / TO STDOUT
 * pair anywhere in it (other statements stop after MAX_WORDS words). */
static void read_words(rt_dialect d, const char *sql, size_t len, words *out)
{
	rt_sql_token tok, prev = { RT_SQL_SPACE, 0, 0 };
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		if (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT)
			continue;
		if (tok.kind == RT_SQL_WORD && prev.kind == RT_SQL_WORD &&
		    ((word_is(sql, &prev, "from") &&
		      word_is(sql, &tok, "stdin")) ||
		     (word_is(sql, &prev, "to") &&
		      word_is(sql, &tok, "stdout"))))
			out->copy_client = 1;
		if (out->n < MAX_WORDS) {
			size_t k = tok.kind == RT_SQL_WORD ? tok.len : 0;

			if (k >= sizeof(out->w[0]))
				k = sizeof(out->w[0]) - 1;
			memcpy(out->w[out->n], sql + tok.start, k);
			out->w[out->n][k] = '\0';
			out->n++;
		} else if (strcasecmp(out->w[0], "copy"))
			break; /* only a COPY is read to its end */
		prev = tok;
	}
}

static int is(const words *w, size_t i, const char *word)
{
	return i < w->n && !strcasecmp(w->w[i], word);
}

/* ROLLBACK [WORK|TRANSACTION] TO ... undoes to a savepoint and keeps the
 * transaction; PREPARED forms are transaction control. */
static int rollback_ends(const words *w)
{
	size_t i = 1;

	if (is(w, i, "work") || is(w, i, "transaction"))
		i++;
	return !is(w, i, "to");
}

rt_sql_kind rt_sql_classify(rt_dialect d, const char *stmt, size_t len)
{
	words w;

	read_words(d, stmt, len, &w);
	if (is(&w, 0, "begin") || is(&w, 0, "commit") || is(&w, 0, "end") ||
	    is(&w, 0, "abort") ||
	    (is(&w, 0, "start") && is(&w, 1, "transaction")) ||
	    (is(&w, 0, "prepare") && is(&w, 1, "transaction")) ||
	    (is(&w, 0, "rollback") && rollback_ends(&w)))
		return RT_SQL_TX_CONTROL;
	if (d == RT_DIALECT_POSTGRESQL && is(&w, 0, "copy") && w.copy_client)
		return RT_SQL_COPY_CLIENT;
	return RT_SQL_PLAIN;
}

int rt_sql_keeps_transaction(rt_dialect d, const char *stmt, size_t len)
{
	static const char *const dml[] = { "insert",	"update",  "delete",
					   "replace",	"select",  "with",
					   "savepoint", "release", "do",
					   "values",	"table" };
	words w;
	size_t i;

	read_words(d, stmt, len, &w);
	if (is(&w, 0, "rollback"))
		return !rollback_ends(&w);
	for (i = 0; i < sizeof(dml) / sizeof(dml[0]); i++)
		if (is(&w, 0, dml[i]))
			return 1;
	return 0;
}

int rt_sql_find_kind(rt_dialect d, const char *sql, size_t len, unsigned kinds,
		     unsigned *line, char word[32])
{
	rt_sql_stmt *st = NULL;
	size_t n = 0, i;
	int found = RT_SQL_PLAIN;

	if (rt_sql_split(d, sql, len, &st, &n) < 0)
		return -1;
	for (i = 0; i < n && found == RT_SQL_PLAIN; i++) {
		rt_sql_kind k =
		    rt_sql_classify(d, sql + st[i].start, st[i].len);
		words w;
		size_t j, used = 0;

		if (!(kinds & (1u << k)))
			continue;
		found = (int)k;
		*line = st[i].line;
		read_words(d, sql + st[i].start, st[i].len, &w);
		word[0] = '\0';
		for (j = 0; j < w.n && j < 2 && *w.w[j]; j++) {
			if (used + strlen(w.w[j]) + 2 > 32)
				break;
			if (used)
				word[used++] = ' ';
			for (const char *c = w.w[j]; *c; c++)
				word[used++] = (char)toupper((unsigned char)*c);
			word[used] = '\0';
		}
	}
	free(st);
	return found;
}
