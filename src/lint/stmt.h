/* SPDX-License-Identifier: MIT */
/*
 * stmt.h: one statement as the rules read it: its tokens without spaces
 * and comments, each with its parenthesis depth and line, so that a rule
 * asks "is word i NOT" or "where is ON at depth 0" instead of scanning
 * text. Words are compared without case; quoted identifiers and strings
 * are single tokens (a DROP in a string is not a word). The tokens point
 * into the section's text, which outlives the statement.
 */
#ifndef RT_LINT_STMT_H
#define RT_LINT_STMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sql/dialect.h"
#include "sql/tokenize.h"

typedef struct rt_ltok {
	const char *p;
	uint32_t len;
	uint16_t kind;	/* rt_sql_token_kind: WORD, STRING or OTHER */
	uint16_t depth; /* parentheses open before this token */
	unsigned line;
} rt_ltok;

typedef struct rt_lstmt {
	rt_ltok *t;
	size_t n, cap;
	int depth;
	rt_dialect d;
} rt_lstmt;

#define RT_LNAME_MAX 128

/* Append a token of the statement (not a space or comment); -1 on OOM. */
int rt_lstmt_push(rt_lstmt *s, const char *sql, const rt_sql_token *tok,
		  unsigned line);
void rt_lstmt_clear(rt_lstmt *s);
void rt_lstmt_dispose(rt_lstmt *s);

/* Token i is the word w (w in lower case; the token in any case).
 * Out-of-range i is no word. Inline: the rules call it for every token,
 * and strlen of a literal folds. */
static inline int rt_lw(const rt_lstmt *s, size_t i, const char *w)
{
	const rt_ltok *t;
	size_t n, k;

	if (i >= s->n)
		return 0;
	t = &s->t[i];
	if (t->kind != RT_SQL_WORD || (t->p[0] | 0x20) != w[0])
		return 0;
	n = strlen(w);
	if (t->len != n)
		return 0;
	for (k = 1; k < n; k++) {
		char c = t->p[k];

		if ((c >= 'A' && c <= 'Z' ? (char)(c + 32) : c) != w[k])
			return 0;
	}
	return 1;
}
/* Token i is the one-character token c. */
int rt_lc(const rt_lstmt *s, size_t i, char c);
/* The first token in [from, to) that is word w at depth `depth`, else to. */
size_t rt_lfind(const rt_lstmt *s, size_t from, size_t to, const char *w,
		int depth);
/* Any word of the NULL-ended list ws in [from, to) (any depth): 1/0. */
int rt_lany(const rt_lstmt *s, size_t from, size_t to, const char *const *ws);
/* The end of the element starting at i: the next ',' at depth `depth`
 * (or the end of the statement), for ALTER TABLE actions and column
 * lists. */
size_t rt_lnext_comma(const rt_lstmt *s, size_t i, size_t to, int depth);

/* Read a name (schema.table, "Quoted", `q`, [q]) at *i into out (the last
 * part; unquoted parts lower-cased) and move *i past it. Returns 0 when
 * token *i is not a name. */
int rt_lname(const rt_lstmt *s, size_t *i, char out[RT_LNAME_MAX]);

/* The text of tokens [from, to) normalised for comparing types: lower
 * case, one space between words, none around punctuation. */
void rt_ltext(const rt_lstmt *s, size_t from, size_t to, char *out,
	      size_t size);

#endif
