/* SPDX-License-Identifier: MIT */
/*
 * internal.h: what the files of lint/ share: the engine's state while it
 * reads one section (lint.c owns it), and the statement checks
 * (check_stmt.c: CREATE, DROP, TRUNCATE, DELETE, UPDATE, SET, ALTER TYPE;
 * check_alter.c: ALTER TABLE). A check reads l->st, the statement, and
 * calls rt_lint_emit() for each rule that fires; emit decides whether
 * the rule applies (dialect, section, severity, nolint).
 */
#ifndef RT_LINT_INTERNAL_H
#define RT_LINT_INTERNAL_H

#include <stdint.h>

#include "lint/lint.h"
#include "lint/stmt.h"
#include "lint/track.h"
#include "util/arena.h"
#include "util/vec.h"

struct rt_lint {
	rt_arena a; /* finding strings, tracked names */
	RT_VEC(retort_lint_finding) found;
	/* the revision the findings' names were copied for, and the copies */
	const rt_script *named;
	const char *rev, *path;
	size_t nerrors;
	rt_lint_settings set;
	rt_track tr;
	/* the section being read */
	const rt_script *s;
	int downgrade, emit, track;
	int transactional;
	rt_dialect d;
	uint32_t suppress;	    /* rule bits silenced for this statement */
	uint32_t pending;	    /* ... for the statement being collected */
	uint32_t next;		    /* ... and for the one after it */
	int lock_timeout;	    /* SET lock_timeout seen in the section */
	int lock_reported;	    /* lock-timeout reported in the section */
	RT_VEC(const char *) fresh; /* tables created in this section */
	int keep_fresh;		    /* a downgrade: keep those of its upgrade */
	rt_lstmt st;
};

/* Report rule at line when it applies; message printf-style. The hint
 * is kept as given: a string literal (it outlives the finding). 0 or
 * RETORT_ENOMEM. */
int rt_lint_emit(rt_lint *l, rt_lint_rule rule, unsigned line, const char *hint,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Table created earlier in this section. */
int rt_lint_is_fresh(const rt_lint *l, const char *table);
/* Record a table created (or, with drop, dropped) by the statement. */
int rt_lint_created(rt_lint *l, const char *table);
int rt_lint_dropped(rt_lint *l, const char *table);
/* A table of this section renamed (the tracker is renamed by the caller). */
int rt_lint_renamed(rt_lint *l, const char *from, const char *to);
/* The room rt_lint_describe() needs: a name and its words. */
#define DESC_MAX (RT_LNAME_MAX + 96)
/* "table 'x' (created by revision r)" or "table 'x'" into out. */
void rt_lint_describe(const rt_lint *l, const char *table, char *out,
		      size_t size);
/* A statement that takes a strong lock on an existing table: reports
 * lock-timeout once per section when no lock timeout is set. */
int rt_lint_locking(rt_lint *l, unsigned line, const char *what);

/* The checks: 0 or a negative RETORT_E* code. */
int rt_lint_check_stmt(rt_lint *l);
int rt_lint_check_alter(rt_lint *l);

#endif
