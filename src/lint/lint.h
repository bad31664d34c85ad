/* SPDX-License-Identifier: MIT */
/*
 * lint.h: the rule engine. The caller (api/api_lint.c) hands it the
 * revisions in upgrade order, each with emit = 1 when it is to be linted
 * and 0 when it is only read for what it builds; the engine tracks the
 * schema through every upgrade section (track.h) and collects findings.
 *
 * A revision is linted section by section (rt_lint_section), each with
 * its own dialect, so that a section written for one database is read
 * with that database's tokenizer and rules. Inside a section, statements
 * are read in order: `-- retort:nolint RULE[,RULE] reason` silences the
 * rules on the statement after it; `SET lock_timeout` covers the
 * statements after it; a table created earlier in the same section is
 * new (no rule about existing rows applies to it).
 *
 * Downgrade sections are linted but not tracked: the schema a later
 * revision sees is the one the upgrades built.
 */
#ifndef RT_LINT_H
#define RT_LINT_H

#include <stddef.h>

#include "lint/rules.h"
#include "retort.h"
#include "script/script.h"
#include "sql/dialect.h"
#include "util/err.h"

typedef struct rt_lint_settings {
	retort_lint_severity sev[RT_LR_COUNT];
	/* lock_timeout is set for every session (pg_settings): the
	 * lock-timeout rule is satisfied before the first statement */
	int session_lock_timeout;
} rt_lint_settings;

/* Every rule at its default severity. */
void rt_lint_settings_default(rt_lint_settings *set);

typedef struct rt_lint rt_lint;

/* A new engine; NULL when memory ran out. */
rt_lint *rt_lint_new(const rt_lint_settings *set);
void rt_lint_free(rt_lint *l);

/* The upgrade section (tracked), then the downgrade section, then
 * missing-downgrade, all with dialect d. Errors: RETORT_ECONFIG (an
 * unknown rule in a nolint comment, "path:line: ..."), RETORT_ENOMEM. */
int rt_lint_revision(rt_lint *l, const rt_script *s, rt_dialect d, int emit,
		     rt_err *err);

/* One section: downgrade 0 or 1; track 1 to record what it builds. */
int rt_lint_section(rt_lint *l, const rt_script *s, const retort_section *sec,
		    int downgrade, rt_dialect d, int emit, int track,
		    rt_err *err);

size_t rt_lint_count(const rt_lint *l);
const retort_lint_finding *rt_lint_at(const rt_lint *l, size_t i);
/* The number of findings of severity ERROR. */
size_t rt_lint_errors(const rt_lint *l);

#endif
