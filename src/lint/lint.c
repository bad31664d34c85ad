/* SPDX-License-Identifier: MIT */
/*
 * lint.c: the engine (lint.h): the section loop that cuts statements with
 * the tokenizer and reads nolint comments between them, and what the
 * checks share: emitting a finding, the tables new in this section, the
 * lock-timeout bookkeeping.
 *
 * A nolint comment that comes before a statement's first token applies to
 * that statement; one inside or after a statement applies to the next.
 * Lines: the section's first line plus the newlines before a token.
 */
#include "lint/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

void rt_lint_settings_default(rt_lint_settings *set)
{
	int i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < RT_LR_COUNT; i++)
		set->sev[i] = rt_lint_rule_get((rt_lint_rule)i)->severity;
}

rt_lint *rt_lint_new(const rt_lint_settings *set)
{
	rt_lint *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->set = *set;
	rt_track_init(&l->tr, &l->a);
	return l;
}

void rt_lint_free(rt_lint *l)
{
	if (!l)
		return;
	rt_track_dispose(&l->tr);
	RT_VEC_FREE(&l->found);
	RT_VEC_FREE(&l->fresh);
	rt_lstmt_dispose(&l->st);
	rt_arena_free(&l->a);
	free(l);
}

size_t rt_lint_count(const rt_lint *l)
{
	return l ? l->found.n : 0;
}

const retort_lint_finding *rt_lint_at(const rt_lint *l, size_t i)
{
	return l && i < l->found.n ? &l->found.v[i] : NULL;
}

size_t rt_lint_errors(const rt_lint *l)
{
	return l ? l->nerrors : 0;
}

static int applies(const rt_lint *l, rt_lint_rule rule)
{
	const rt_lint_rule_info *info = rt_lint_rule_get(rule);

	return l->emit && l->set.sev[rule] != RETORT_LINT_OFF &&
	       (info->dialects & (1u << l->d)) &&
	       (!l->downgrade || info->downgrade) &&
	       !(l->suppress & (1u << rule));
}

/* Control characters (a quoted name may hold a newline) become '?':
 * a message is one line. */
static void one_line(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* The revision's id and path, copied once per revision: the findings
 * outlive the project they were read from. */
static int own_names(rt_lint *l)
{
	if (l->named == l->s)
		return 0;
	l->rev = rt_arena_strdup(&l->a, l->s->id);
	l->path = rt_arena_strdup(&l->a, l->s->path);
	if (!l->rev || !l->path)
		return RETORT_ENOMEM;
	l->named = l->s;
	return 0;
}

/* The message, formatted straight into the arena when it fits the
 * buffer (most do), else through a string that grows. */
static char *message(rt_lint *l, const char *fmt, va_list ap)
{
	char buf[512];
	rt_str big = RT_STR_INIT;
	char *text;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0) {
		va_end(again);
		return NULL;
	}
	if ((size_t)n < sizeof(buf)) {
		va_end(again);
		return rt_arena_strndup(&l->a, buf, (size_t)n);
	}
	rt_str_vprintf(&big, fmt, again);
	va_end(again);
	text = big.oom ? NULL : rt_arena_strdup(&l->a, rt_str_cstr(&big));
	rt_str_dispose(&big);
	return text;
}

int rt_lint_emit(rt_lint *l, rt_lint_rule rule, unsigned line, const char *hint,
		 const char *fmt, ...)
{
	retort_lint_finding f;
	char *text;
	va_list ap;

	if (!applies(l, rule))
		return 0;
	if (own_names(l) < 0)
		return RETORT_ENOMEM;
	va_start(ap, fmt);
	text = message(l, fmt, ap);
	va_end(ap);
	if (!text)
		return RETORT_ENOMEM;
	one_line(text);
	f.message = text;
	f.rule = rt_lint_rule_get(rule)->id;
	f.severity = l->set.sev[rule];
	f.revision = l->rev;
	f.path = l->path;
	f.line = line;
	f.section = l->downgrade ? "downgrade" : "upgrade";
	f.dialect = rt_dialect_name(l->d);
	f.hint = hint ? hint : "";
	if (RT_VEC_PUSH(&l->found, f) < 0)
		return RETORT_ENOMEM;
	if (f.severity == RETORT_LINT_ERROR)
		l->nerrors++;
	return 0;
}

int rt_lint_is_fresh(const rt_lint *l, const char *table)
{
	size_t i;

	for (i = 0; i < l->fresh.n; i++)
		if (l->fresh.v[i] && !strcmp(l->fresh.v[i], table))
			return 1;
	return 0;
}

int rt_lint_created(rt_lint *l, const char *table)
{
	const char *copy = rt_arena_strdup(&l->a, table);

	if (!copy || RT_VEC_PUSH(&l->fresh, copy) < 0)
		return RETORT_ENOMEM;
	if (l->track && rt_track_create_table(&l->tr, copy, l->s->id) < 0)
		return RETORT_ENOMEM;
	return 0;
}

int rt_lint_dropped(rt_lint *l, const char *table)
{
	size_t i;

	for (i = 0; i < l->fresh.n; i++)
		if (l->fresh.v[i] && !strcmp(l->fresh.v[i], table))
			l->fresh.v[i] = NULL;
	if (l->track && rt_track_drop_table(&l->tr, table) < 0)
		return RETORT_ENOMEM;
	return 0;
}

int rt_lint_renamed(rt_lint *l, const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < l->fresh.n; i++)
		if (l->fresh.v[i] && !strcmp(l->fresh.v[i], from) &&
		    !(l->fresh.v[i] = rt_arena_strdup(&l->a, to)))
			return RETORT_ENOMEM;
	return 0;
}

void rt_lint_describe(const rt_lint *l, const char *table, char *out,
		      size_t size)
{
	const char *rev = rt_track_creator(&l->tr, table);

	if (rev && strcmp(rev, l->s->id))
		snprintf(out, size, "table '%s' (created by revision %s)",
			 table, rev);
	else
		snprintf(out, size, "table '%s'", table);
}

int rt_lint_locking(rt_lint *l, unsigned line, const char *what)
{
	const char *hint = l->d == RT_DIALECT_MYSQL
			       ? "start the section with SET SESSION "
				 "lock_wait_timeout = 5, and retry when "
				 "it times out"
			       : "start the section with SET lock_timeout "
				 "= '2s' (or set it in pg_settings), and "
				 "retry when it times out";

	if (l->lock_timeout || l->set.session_lock_timeout || l->lock_reported)
		return 0;
	l->lock_reported = 1;
	return rt_lint_emit(l, RT_LR_LOCK_TIMEOUT, line, hint,
			    "%s waits for its lock with no lock timeout, and "
			    "every query on the table queues behind it",
			    what);
}
