/* SPDX-License-Identifier: MIT */
/*
 * stmt.c: a statement's tokens and the small readers the rules use
 * (stmt.h). Depth counts '(' and ')' tokens; a stray ')' does not make it
 * negative.
 */
#include "lint/stmt.h"

#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

int rt_lstmt_push(rt_lstmt *s, const char *sql, const rt_sql_token *tok,
		  unsigned line)
{
	rt_ltok *t;

	if (s->n == s->cap &&
	    rt_vec_grow((void **)&s->t, &s->cap, s->n + 1, sizeof(*s->t)) < 0)
		return -1;
	t = &s->t[s->n++];
	t->p = sql + tok->start;
	t->len = (uint32_t)tok->len;
	t->kind = (uint16_t)tok->kind;
	t->line = line;
	if (tok->kind == RT_SQL_OTHER && tok->len == 1 && *t->p == ')' &&
	    s->depth > 0)
		s->depth--;
	t->depth = (uint16_t)(s->depth > 65535 ? 65535 : s->depth);
	if (tok->kind == RT_SQL_OTHER && tok->len == 1 && *t->p == '(')
		s->depth++;
	return 0;
}

void rt_lstmt_clear(rt_lstmt *s)
{
	s->n = 0;
	s->depth = 0;
}

void rt_lstmt_dispose(rt_lstmt *s)
{
	free(s->t);
	s->t = NULL;
	s->n = s->cap = 0;
}

int rt_lc(const rt_lstmt *s, size_t i, char c)
{
	return i < s->n && s->t[i].kind == RT_SQL_OTHER && s->t[i].len == 1 &&
	       s->t[i].p[0] == c;
}

size_t rt_lfind(const rt_lstmt *s, size_t from, size_t to, const char *w,
		int depth)
{
	size_t i;

	if (to > s->n)
		to = s->n;
	for (i = from; i < to; i++)
		if (s->t[i].depth == depth && rt_lw(s, i, w))
			return i;
	return to;
}

int rt_lany(const rt_lstmt *s, size_t from, size_t to, const char *const *ws)
{
	size_t i, k;

	if (to > s->n)
		to = s->n;
	for (i = from; i < to; i++)
		for (k = 0; ws[k]; k++)
			if (rt_lw(s, i, ws[k]))
				return 1;
	return 0;
}

size_t rt_lnext_comma(const rt_lstmt *s, size_t i, size_t to, int depth)
{
	if (to > s->n)
		to = s->n;
	for (; i < to; i++)
		if (s->t[i].depth == depth && rt_lc(s, i, ','))
			return i;
	return to;
}

/* One part of a name into out (NUL-terminated); 0 when not a name. */
static int name_part(const rt_lstmt *s, size_t i, char out[RT_LNAME_MAX])
{
	const rt_ltok *t = &s->t[i];
	size_t k, n = 0;
	const char *p = t->p;
	size_t len = t->len;
	int fold = t->kind == RT_SQL_WORD || s->d != RT_DIALECT_POSTGRESQL;

	if (t->kind == RT_SQL_STRING) {
		if (len < 2 || *p == '\'')
			return 0; /* a string literal is no name */
		p++;
		len -= 2;
	} else if (t->kind != RT_SQL_WORD) {
		return 0;
	}
	for (k = 0; k < len && n + 1 < RT_LNAME_MAX; k++) {
		char c = p[k];

		out[n++] = fold && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	out[n] = '\0';
	return 1;
}

int rt_lname(const rt_lstmt *s, size_t *i, char out[RT_LNAME_MAX])
{
	size_t k = *i;

	if (k >= s->n || !name_part(s, k, out))
		return 0;
	while (rt_lc(s, k + 1, '.') && k + 2 < s->n && name_part(s, k + 2, out))
		k += 2;
	*i = k + 1;
	return 1;
}

void rt_ltext(const rt_lstmt *s, size_t from, size_t to, char *out, size_t size)
{
	size_t i, n = 0, k;
	int prev_word = 0;

	if (to > s->n)
		to = s->n;
	for (i = from; i < to && n + 1 < size; i++) {
		const rt_ltok *t = &s->t[i];
		int word = t->kind == RT_SQL_WORD;

		if (word && prev_word && n + 2 < size)
			out[n++] = ' ';
		for (k = 0; k < t->len && n + 1 < size; k++) {
			char c = t->p[k];

			out[n++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		prev_word = word;
	}
	out[n] = '\0';
}
