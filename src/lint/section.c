/* SPDX-License-Identifier: MIT */
/*
 * section.c: reading a section (lint.h): the tokenizer cuts it into
 * statements, each is handed to the checks with the rules its nolint
 * comments silence, and a revision's sections are read in order.
 *
 * A nolint comment reads `retort:nolint RULE[,RULE...] reason` after its
 * comment marker (--, #, or a block comment). It applies to the
 * statement whose first token follows it (a comment before the statement,
 * or after the previous one). An unknown rule is an error naming
 * file:line (a typo would otherwise silence nothing, silently); a missing
 * reason is a finding of its own, nolint-reason.
 */
#include "lint/internal.h"

#include <string.h>

#define NOLINT "retort:nolint"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The comment's text without its markers, trimmed. */
static void comment_text(const char *p, size_t n, const char **out,
			 size_t *outn)
{
	if (n >= 2 && p[0] == '/' && p[1] == '*') {
		p += 2;
		n -= 2;
		if (n >= 2 && p[n - 2] == '*' && p[n - 1] == '/')
			n -= 2;
	} else if (n >= 2 && p[0] == '-' && p[1] == '-') {
		p += 2;
		n -= 2;
	} else if (n >= 1 && p[0] == '#') {
		p++;
		n--;
	}
	while (n && is_blank(*p)) {
		p++;
		n--;
	}
	while (n && is_blank(p[n - 1]))
		n--;
	*out = p;
	*outn = n;
}

/* Rules of a nolint comment into *mask; 0, RETORT_ECONFIG, ENOMEM. */
static int nolint(rt_lint *l, const char *c, size_t n, unsigned line,
		  uint32_t *mask, rt_err *err)
{
	const char *p, *end, *rules;
	size_t k = strlen(NOLINT);
	int rule;

	comment_text(c, n, &p, &n);
	if (n < k || strncmp(p, NOLINT, k) || (n > k && !is_blank(p[k])))
		return 0;
	end = p + n;
	for (p += k; p < end && is_blank(*p); p++)
		;
	for (rules = p; p < end && !is_blank(*p); p++)
		;
	if (rules == p)
		return rt_err_set(err, RETORT_ECONFIG,
				  "%s:%u: retort:nolint names no rule "
				  "(write: -- retort:nolint RULE reason)",
				  l->s->path, line);
	while (rules < p) {
		const char *comma = memchr(rules, ',', (size_t)(p - rules));
		size_t len =
		    comma ? (size_t)(comma - rules) : (size_t)(p - rules);

		if ((rule = rt_lint_rule_find(rules, len)) < 0)
			return rt_err_set(err, RETORT_ECONFIG,
					  "%s:%u: unknown lint rule '%.*s' in "
					  "retort:nolint (retort lint "
					  "--list-rules lists them)",
					  l->s->path, line, (int)len, rules);
		*mask |= 1u << rule;
		rules += len + (comma ? 1 : 0);
	}
	while (p < end && is_blank(*p))
		p++;
	if (p == end && rt_lint_emit(l, RT_LR_NOLINT_REASON, line,
				     "say why the rule does not apply: -- "
				     "retort:nolint RULE the reason",
				     "retort:nolint without a reason") < 0)
		return rt_err_oom(err);
	return 0;
}

/* Check the statement collected in l->st, then start the next one. */
static int end_statement(rt_lint *l, rt_err *err)
{
	int error = 0;

	if (l->st.n) {
		l->suppress = l->pending;
		l->pending = l->next;
		l->next = 0;
		error = rt_lint_check_stmt(l);
		l->suppress = 0;
		if (error == RETORT_ENOMEM)
			error = rt_err_oom(err);
	}
	rt_lstmt_clear(&l->st);
	return error;
}

/* The line breaks in a token. A word or a ';' holds none (a word is a
 * run without spaces), so only spaces, comments, quoted text and other
 * characters are counted; a plain loop, as most tokens are a few bytes,
 * too short for memchr's call to pay. */
static unsigned newlines(const rt_sql_token *tok, const char *p)
{
	unsigned k = 0;
	size_t i;

	if (tok->kind == RT_SQL_WORD || tok->kind == RT_SQL_SEMICOLON)
		return 0;
	for (i = 0; i < tok->len; i++)
		k += p[i] == '\n';
	return k;
}

static void begin_section(rt_lint *l, const rt_script *s,
			  const retort_section *sec, int downgrade,
			  rt_dialect d, int emit, int track)
{
	l->s = s;
	l->downgrade = downgrade;
	l->emit = emit;
	l->track = track;
	l->transactional = sec->transactional;
	l->d = d;
	l->st.d = d;
	l->suppress = l->pending = l->next = 0;
	l->lock_timeout = l->lock_reported = 0;
	if (!l->keep_fresh)
		l->fresh.n = 0;
	rt_lstmt_clear(&l->st);
}

int rt_lint_section(rt_lint *l, const rt_script *s, const retort_section *sec,
		    int downgrade, rt_dialect d, int emit, int track,
		    rt_err *err)
{
	rt_sql_token tok;
	size_t pos = 0;
	unsigned line = sec->line;
	uint32_t mask;
	int error;

	begin_section(l, s, sec, downgrade, d, emit, track);
	while (rt_sql_next(d, sec->sql, sec->len, &pos, &tok)) {
		const char *p = sec->sql + tok.start;

		if (tok.kind == RT_SQL_COMMENT && emit) {
			mask = 0;
			if ((error = nolint(l, p, tok.len, line, &mask, err)) <
			    0)
				return error;
			if (l->st.n) /* inside a statement: the next one */
				l->next |= mask;
			else
				l->pending |= mask;
		} else if (tok.kind == RT_SQL_SEMICOLON) {
			if ((error = end_statement(l, err)) < 0)
				return error;
		} else if (tok.kind != RT_SQL_SPACE &&
			   tok.kind != RT_SQL_COMMENT &&
			   rt_lstmt_push(&l->st, sec->sql, &tok, line) < 0) {
			return rt_err_oom(err);
		}
		line += newlines(&tok, p);
	}
	return end_statement(l, err);
}

/* One dialect's pair of sections: the upgrade (its tables tracked when
 * `track`), then the downgrade, then whether it is missing. */
static int lint_pair(rt_lint *l, const rt_script *s, const rt_script_sec *up,
		     const rt_script_sec *down, rt_dialect d, int emit,
		     int track, rt_err *err)
{
	int error;

	if (up && (error = rt_lint_section(l, s, &up->sec, 0, d, emit, track,
					   err)) < 0)
		return error;
	if (!emit || !down)
		return 0;
	/* the downgrade undoes the upgrade: the tables the upgrade created
	 * are its own, not the busy tables the locking rules are about */
	l->keep_fresh = up != NULL;
	error = rt_lint_section(l, s, &down->sec, 1, d, emit, 0, err);
	l->keep_fresh = 0;
	if (error < 0)
		return error;
	/* a nolint comment in an empty section is for this rule */
	l->suppress = l->pending;
	if (down->sec.empty && !down->sec.noop &&
	    rt_lint_emit(l, RT_LR_MISSING_DOWNGRADE, down->marker,
			 "write the statements that undo the upgrade, or mark "
			 "the section `-- migrate:downgrade noop` when there "
			 "is nothing to undo",
			 "the downgrade section is empty: the revision cannot "
			 "be downgraded") < 0)
		return rt_err_oom(err);
	l->suppress = 0;
	return 0;
}

/*
 * The sections dialect d runs are read as d (the upgrade's tables tracked
 * for the revisions after it); a section of another dialect
 * (`dialect:postgresql` while linting for sqlite) is read as its own
 * dialect, against the tables d's sections built, and tracks nothing. A
 * revision with no section for d is left to validate and the plan, which
 * refuse it.
 */
int rt_lint_revision(rt_lint *l, const rt_script *s, rt_dialect d, int emit,
		     rt_err *err)
{
	const rt_script_sec *up = rt_script_section(s, 0, d, NULL);
	const rt_script_sec *down = rt_script_section(s, 1, d, NULL);
	uint32_t i;
	int error;

	if ((error = lint_pair(l, s, up, down, d, emit, 1, err)) < 0)
		return error;
	for (i = 0; emit && i < 2 * RT_SCRIPT_SECTIONS; i++) {
		int dir = i >= RT_SCRIPT_SECTIONS;
		const rt_script_sec *sec;
		rt_dialect e;

		if (i % RT_SCRIPT_SECTIONS >= s->nsections[dir])
			continue;
		sec = &s->sections[dir][i % RT_SCRIPT_SECTIONS];
		e = (rt_dialect)sec->dialect;
		if (sec->dialect < 0 || e == d)
			continue;
		/* each other dialect once: from its upgrade, or from its
		 * downgrade when it has no upgrade of its own */
		if (dir && rt_script_section(s, 0, e, NULL) &&
		    rt_script_section(s, 0, e, NULL)->dialect == (int)e)
			continue;
		up = rt_script_section(s, 0, e, NULL);
		down = rt_script_section(s, 1, e, NULL);
		if ((error = lint_pair(l, s, up, down, e, emit, 0, err)) < 0)
			return error;
	}
	return 0;
}
