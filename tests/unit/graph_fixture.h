/* SPDX-License-Identifier: MIT */
/*
 * graph_fixture.h: shared helpers for the graph, resolver and planner unit
 * tests (each tests/unit/test_*.c is its own executable, so the helpers are
 * static inline here).
 *
 * A graph is described compactly, one row per revision in load order:
 *
 *   static const fx_rev DIAMOND[] = {
 *       {"a", ""}, {"b1", "a"}, {"b2", "a"}, {"c", "b1 b2"}, {"d", "c"},
 *   };
 *
 * with optional third and fourth columns for `Depends On` and
 * `Branch Labels` (space-separated, like the second column). Every row is
 * rendered as a real revision file (fx_render) and run through the parser,
 * so the graph tests also exercise rt_script_parse. Files are named
 * "versions/<id>.sql" so that error messages carrying path:line are
 * predictable: "Revises" is line 4, "Branch Labels" line 6 when present,
 * "Depends On" line 6 or (after labels) 7.
 *
 * Lists of revisions are compared as one space-separated string (the full
 * order, newest first as Alembic returns them), so that a failure shows the
 * whole actual list. Plans are rendered one step per " | " group in the
 * form Alembic prints them ("upgrade a -> b") followed by the version-table
 * operations of the step in brackets.
 */
#ifndef RT_TEST_GRAPH_FIXTURE_H
#define RT_TEST_GRAPH_FIXTURE_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "graph/graph.h"
#include "graph/ident.h"
#include "graph/iterate.h"
#include "graph/problem.h"
#include "plan/plan.h"
#include "script/script.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/str.h"

#define FX_N(a) (sizeof(a) / sizeof((a)[0]))

/* Rows leave out the trailing columns they do not use ({"b", "a"}). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

typedef struct fx_rev {
	const char *id;
	const char *down;   /* space-separated; "" or NULL for a base */
	const char *deps;   /* space-separated; NULL for none */
	const char *labels; /* space-separated; NULL for none */
} fx_rev;

/* Append "a, b, c" for a space-separated list. */
static inline void fx_put_list(rt_str *out, const char *list)
{
	const char *p = list;
	int first = 1;

	while (p && *p) {
		size_t n;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " ");
		if (!first)
			rt_str_puts(out, ", ");
		rt_str_append(out, p, n);
		first = 0;
		p += n;
	}
}

/* The revision file a row stands for. */
static inline void fx_render(rt_str *out, const fx_rev *r)
{
	rt_str_printf(
	    out, "-- revision %s\n--\n-- Revision ID: %s\n-- Revises: ", r->id,
	    r->id);
	fx_put_list(out, r->down);
	rt_str_puts(out, "\n-- Create Date: 2024-01-02 03:04:05\n");
	if (r->labels) {
		rt_str_puts(out, "-- Branch Labels: ");
		fx_put_list(out, r->labels);
		rt_str_putc(out, '\n');
	}
	if (r->deps) {
		rt_str_puts(out, "-- Depends On: ");
		fx_put_list(out, r->deps);
		rt_str_putc(out, '\n');
	}
	rt_str_printf(out,
		      "\n-- migrate:upgrade\nCREATE TABLE t_%s (x INTEGER);\n"
		      "\n-- migrate:downgrade\nDROP TABLE t_%s;\n",
		      r->id, r->id);
}

typedef struct fx_graph {
	rt_arena arena; /* the parsed scripts' strings */
	rt_script *scripts;
	uint32_t n;
	rt_graph *g;
	rt_problems problems;
	rt_err err;
	int rc; /* what rt_graph_build returned */
} fx_graph;

/* Parse every row and build the graph; returns rt_graph_build's result
 * (parse errors fail the test). */
static inline int fx_build(fx_graph *fx, const fx_rev *revs, size_t n,
			   int keep_going)
{
	size_t i;

	memset(fx, 0, sizeof(*fx));
	fx->scripts = calloc(n ? n : 1, sizeof(*fx->scripts));
	cr_assert_not_null(fx->scripts);
	fx->n = (uint32_t)n;
	for (i = 0; i < n; i++) {
		rt_str text = RT_STR_INIT, path = RT_STR_INIT;
		int rc;

		fx_render(&text, &revs[i]);
		rt_str_printf(&path, "versions/%s.sql", revs[i].id);
		rc = rt_script_parse(&fx->scripts[i], &fx->arena,
				     rt_str_cstr(&path), rt_str_cstr(&text),
				     text.len, &fx->err);
		cr_assert_eq(rc, 0, "parsing %s: %s", revs[i].id,
			     rt_err_msg(&fx->err));
		rt_str_dispose(&text);
		rt_str_dispose(&path);
	}
	fx->rc = rt_graph_build(&fx->g, fx->scripts, fx->n, &fx->problems,
				keep_going, &fx->err);
	return fx->rc;
}

static inline void fx_free(fx_graph *fx)
{
	rt_graph_free(fx->g);
	fx->g = NULL;
	rt_problems_free(&fx->problems);
	rt_err_dispose(&fx->err);
	rt_arena_free(&fx->arena);
	free(fx->scripts);
	fx->scripts = NULL;
}

/* Build a graph that must build cleanly. */
static inline rt_graph *fx_ok(fx_graph *fx, const fx_rev *revs, size_t n)
{
	int rc = fx_build(fx, revs, n, 0);

	cr_assert_eq(rc, 0, "graph build failed (%d): %s", rc,
		     rt_err_msg(&fx->err));
	cr_assert_not_null(fx->g);
	cr_assert_eq(fx->problems.v.n, 0);
	return fx->g;
}

#define FX_OK(fx, revs) fx_ok((fx), (revs), FX_N(revs))

/* Build a graph that must fail with `msg` (the whole message). */
static inline void fx_build_fails(const fx_rev *revs, size_t n, const char *msg)
{
	fx_graph fx;
	int rc = fx_build(&fx, revs, n, 0);

	cr_assert_eq(rc, RETORT_EGRAPH, "expected RETORT_EGRAPH, got %d (%s)",
		     rc, rt_err_msg(&fx.err));
	cr_assert_null(fx.g);
	cr_assert_str_eq(rt_err_msg(&fx.err), msg);
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* lists of ids */

static inline uint32_t fx_idx(const rt_graph *g, const char *id)
{
	uint32_t idx = 0;

	cr_assert(rt_map_get(&g->ids, id, strlen(id), &idx), "no revision %s",
		  id);
	return idx;
}

static inline const retort_revision *fx_rev_of(const rt_graph *g,
					       const char *id)
{
	return &g->revs[fx_idx(g, id)];
}

/* "a b c" for an id list of the graph. */
static inline char *fx_idlist_str(const rt_graph *g, const rt_idlist *l)
{
	rt_str s = RT_STR_INIT;
	uint32_t i;

	for (i = 0; i < l->n; i++)
		rt_str_printf(&s, "%s%s", i ? " " : "", g->revs[l->v[i]].s.id);
	return rt_str_detach(&s);
}

/* "a b c" for refs (RT_NONE prints "None", RT_BASE prints "base"). */
static inline char *fx_refs_str(const rt_graph *g, const rt_refs *r)
{
	rt_str s = RT_STR_INIT;
	uint32_t i;

	for (i = 0; i < r->n; i++) {
		int32_t x = r->v[i];

		rt_str_printf(&s, "%s%s", i ? " " : "",
			      x >= 0	     ? g->revs[x].s.id
			      : x == RT_BASE ? "base"
					     : "None");
	}
	return rt_str_detach(&s);
}

/* "a b c" for a string array. */
static inline char *fx_strs_str(const char *const *v, size_t n)
{
	rt_str s = RT_STR_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		rt_str_printf(&s, "%s%s", i ? " " : "", v[i]);
	return rt_str_detach(&s);
}

#define FX_ASSERT_STR_FREE(actual_expr, expected)         \
	do {                                              \
		char *fx_actual_ = (actual_expr);         \
		cr_assert_str_eq(fx_actual_, (expected)); \
		free(fx_actual_);                         \
	} while (0)

/* Compare an id list with a space-separated expectation. */
#define FX_ASSERT_IDLIST(g, list, expected) \
	FX_ASSERT_STR_FREE(fx_idlist_str((g), (list)), (expected))
#define FX_ASSERT_REFS(g, refs, expected) \
	FX_ASSERT_STR_FREE(fx_refs_str((g), (refs)), (expected))

/* ------------------------------------------------------------------ */
/* plans */

static inline void fx_put_ids(rt_str *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rt_str_printf(s, "%s%s", i ? ", " : "", v[i]);
}

/* "upgrade a -> b [UPDATE a->b] | upgrade  -> c [INSERT c]" */
static inline char *fx_plan_str(const retort_plan *p)
{
	static const char *const kinds[] = { "upgrade", "downgrade", "stamp" };
	rt_str s = RT_STR_INIT;
	size_t i, j;

	for (i = 0; i < p->steps.n; i++) {
		const retort_step *st = &p->steps.v[i];

		if (i)
			rt_str_puts(&s, " | ");
		rt_str_printf(&s, "%s ", kinds[st->kind]);
		fx_put_ids(&s, st->from, st->nfrom);
		rt_str_puts(&s, " -> ");
		fx_put_ids(&s, st->to, st->nto);
		rt_str_puts(&s, " [");
		for (j = 0; j < st->nops; j++) {
			const retort_version_op *o = &st->ops[j];

			if (j)
				rt_str_puts(&s, "; ");
			switch (o->kind) {
			case RETORT_VERSION_INSERT:
				rt_str_printf(&s, "INSERT %s", o->to);
				break;
			case RETORT_VERSION_UPDATE:
				rt_str_printf(&s, "UPDATE %s->%s", o->from,
					      o->to);
				break;
			case RETORT_VERSION_DELETE:
				rt_str_printf(&s, "DELETE %s", o->from);
				break;
			}
		}
		rt_str_putc(&s, ']');
	}
	return rt_str_detach(&s);
}

static inline int fx_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Replays every step's ops over the starting rows and renders the sorted
 * rows after each step: "b3 | b1 b3 | c2". Also checks that the last state
 * equals plan->final. */
static inline char *fx_plan_rows(const retort_plan *p)
{
	const char **rows = calloc(p->nstart + p->steps.n + 8, sizeof(*rows));
	size_t cap = p->nstart + p->steps.n + 8, n = 0, i, j, k;
	rt_str s = RT_STR_INIT;

	cr_assert_not_null(rows);
	for (i = 0; i < p->nstart; i++) {
		for (k = 0; k < n && strcmp(rows[k], p->start[i]); k++)
			;
		if (k == n)
			rows[n++] = p->start[i];
	}
	for (i = 0; i < p->steps.n; i++) {
		const retort_step *st = &p->steps.v[i];
		const char **sorted;

		for (j = 0; j < st->nops; j++) {
			const retort_version_op *o = &st->ops[j];

			if (o->kind != RETORT_VERSION_INSERT) {
				for (k = 0; k < n && strcmp(rows[k], o->from);
				     k++)
					;
				cr_assert_lt(k, n, "op on a missing row %s",
					     o->from);
				rows[k] = rows[--n];
			}
			if (o->kind != RETORT_VERSION_DELETE) {
				for (k = 0; k < n; k++)
					cr_assert_str_neq(rows[k], o->to);
				cr_assert_lt(n, cap);
				rows[n++] = o->to;
			}
		}
		sorted = calloc(n ? n : 1, sizeof(*sorted));
		cr_assert_not_null(sorted);
		memcpy(sorted, rows, n * sizeof(*rows));
		qsort(sorted, n, sizeof(*sorted), fx_cmp_str);
		if (i)
			rt_str_puts(&s, " | ");
		for (k = 0; k < n; k++)
			rt_str_printf(&s, "%s%s", k ? " " : "", sorted[k]);
		free(sorted);
	}
	/* the replayed end state is the plan's final row set */
	qsort(rows, n, sizeof(*rows), fx_cmp_str);
	cr_assert_eq(n, p->nfinal);
	for (k = 0; k < n; k++)
		cr_assert_str_eq(rows[k], p->final[k]);
	free(rows);
	return rt_str_detach(&s);
}

/* Split "a b c" into an array of pointers into a private copy; release
 * with fx_split_free. */
typedef struct fx_strv {
	char *buf;
	const char **v;
	size_t n;
} fx_strv;

static inline fx_strv fx_split(const char *list)
{
	fx_strv sv;
	char *p;

	sv.buf = rt_strdup(list ? list : "");
	sv.v = calloc(strlen(sv.buf) / 2 + 2, sizeof(*sv.v));
	sv.n = 0;
	cr_assert(sv.buf && sv.v);
	for (p = strtok(sv.buf, " "); p; p = strtok(NULL, " "))
		sv.v[sv.n++] = p;
	return sv;
}

static inline void fx_split_free(fx_strv *sv)
{
	free(sv->buf);
	free((void *)sv->v);
}

enum fx_plan_kind { FX_UPGRADE, FX_DOWNGRADE, FX_STAMP };

/* Plan from space-separated version rows; returns the plan or NULL with
 * the error left in *err. For stamp, `target` is a space-separated list. */
static inline retort_plan *fx_plan(rt_graph *g, enum fx_plan_kind kind,
				   const char *target, const char *rows,
				   rt_err *err)
{
	fx_strv h = fx_split(rows);
	retort_plan *p = NULL;
	int rc;

	if (kind == FX_UPGRADE)
		rc = rt_plan_upgrade(&p, g, target, h.v, h.n, err);
	else if (kind == FX_DOWNGRADE)
		rc = rt_plan_downgrade(&p, g, target, h.v, h.n, err);
	else {
		fx_strv t = fx_split(target);

		rc = rt_plan_stamp(&p, g, t.v, t.n, h.v, h.n, err);
		fx_split_free(&t);
	}
	fx_split_free(&h);
	if (rc < 0) {
		cr_assert_null(p);
		return NULL;
	}
	cr_assert_eq(rc, 0);
	cr_assert_not_null(p);
	return p;
}

/* Plan that must succeed; asserts the steps (fx_plan_str), the rows after
 * each step (fx_plan_rows: "after step 1 | after step 2 ...") and the final
 * rows. */
static inline void fx_expect_plan(rt_graph *g, enum fx_plan_kind kind,
				  const char *target, const char *rows,
				  const char *steps, const char *each,
				  const char *final)
{
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, kind, target, rows, &err);
	char *s, *f, *r;

	cr_assert_not_null(p, "plan %s from [%s] failed: %s", target, rows,
			   rt_err_msg(&err));
	s = fx_plan_str(p);
	cr_assert_str_eq(s, steps,
			 "plan %s from [%s]:\n got      %s\n expected %s",
			 target, rows, s, steps);
	r = fx_plan_rows(p);
	cr_assert_str_eq(
	    r, each,
	    "rows after each step of %s from [%s]:\n got      %s\n "
	    "expected %s",
	    target, rows, r, each);
	f = fx_strs_str(p->final, p->nfinal);
	cr_assert_str_eq(f, final,
			 "final rows of %s from [%s]: got [%s], expected [%s]",
			 target, rows, f, final);
	free(s);
	free(f);
	free(r);
	retort_plan_free(p);
	rt_err_dispose(&err);
}

/* retort's message is Alembic's `want`, or Alembic's followed by a detail
 * in parentheses (the rule the conformance suite applies too). */
static inline int fx_alembic_message(const char *got, const char *want)
{
	size_t n = strlen(want);

	return !strcmp(got, want) ||
	       (!strncmp(got, want, n) && !strncmp(got + n, " (", 2) &&
		got[strlen(got) - 1] == ')');
}

/* Plan that must fail with Alembic's `msg` (see fx_alembic_message). */
static inline void fx_expect_plan_error(rt_graph *g, enum fx_plan_kind kind,
					const char *target, const char *rows,
					const char *msg)
{
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, kind, target, rows, &err);

	cr_assert_null(p, "plan %s from [%s] should have failed", target, rows);
	cr_assert_lt(err.code, 0);
	cr_assert(fx_alembic_message(rt_err_msg(&err), msg),
		  "message `%s` is not Alembic's `%s`", rt_err_msg(&err), msg);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* resolution */

/* A single-string or a space-separated tuple argument: "(a b)" is the tuple
 * (a, b), "()" the empty tuple, NULL is None, anything else a string. */
typedef struct fx_arg {
	fx_strv sv;
	rt_arg arg;
} fx_arg;

static inline fx_arg fx_arg_make(const char *spec)
{
	fx_arg a;

	memset(&a, 0, sizeof(a));
	if (spec && spec[0] == '(') {
		size_t n = strlen(spec);
		char *inner = rt_strndup(spec + 1, n >= 2 ? n - 2 : 0);

		a.sv = fx_split(inner);
		free(inner);
		a.arg = rt_arg_tuple(a.sv.v, (uint32_t)a.sv.n);
	} else {
		a.sv = fx_split("");
		a.arg = rt_arg_str(spec);
	}
	return a;
}

static inline void fx_arg_free(fx_arg *a)
{
	fx_split_free(&a->sv);
}

#define FX_INCLUSIVE	      0x01
#define FX_IMPLICIT_BASE      0x02
#define FX_DOWNGRADE_SELECT   0x04
#define FX_NO_ASSERT_RELATIVE 0x08 /* assert_relative_length=False */

/* iterate_revisions(upper, lower, ...): "ids" newest first, or NULL with
 * the raw RevisionError text in *msg (caller frees). */
static inline char *fx_iterate(rt_graph *g, const char *upper,
			       const char *lower, unsigned flags, char **msg)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	fx_arg up = fx_arg_make(upper), lo = fx_arg_make(lower);
	rt_refs out;
	char *res = NULL;
	int rc;

	*msg = NULL;
	rt_resolver_init(&r, g, &err);
	rc = rt_iterate_revisions(
	    &r, up.arg, lo.arg, !!(flags & FX_IMPLICIT_BASE),
	    !!(flags & FX_INCLUSIVE), !(flags & FX_NO_ASSERT_RELATIVE),
	    !!(flags & FX_DOWNGRADE_SELECT), &out);
	if (rc < 0)
		*msg = rt_strdup(rt_err_msg(&err));
	else
		res = fx_refs_str(g, &out);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_arg_free(&up);
	fx_arg_free(&lo);
	return res;
}

static inline void fx_expect_iter(rt_graph *g, const char *upper,
				  const char *lower, unsigned flags,
				  const char *expected)
{
	char *msg;
	char *res = fx_iterate(g, upper, lower, flags, &msg);

	cr_assert_not_null(res, "iterate %s..%s failed: %s",
			   upper ? upper : "None", lower ? lower : "None", msg);
	cr_assert_str_eq(
	    res, expected, "iterate %s..%s: got [%s], expected [%s]",
	    upper ? upper : "None", lower ? lower : "None", res, expected);
	free(res);
}

static inline void fx_expect_iter_error(rt_graph *g, const char *upper,
					const char *lower, unsigned flags,
					const char *expected)
{
	char *msg;
	char *res = fx_iterate(g, upper, lower, flags, &msg);

	cr_assert_null(res, "iterate %s..%s should fail, gave [%s]",
		       upper ? upper : "None", lower ? lower : "None", res);
	cr_assert(fx_alembic_message(msg, expected),
		  "iterate %s..%s: got '%s', expected '%s'",
		  upper ? upper : "None", lower ? lower : "None", msg,
		  expected);
	free(msg);
}

#endif
