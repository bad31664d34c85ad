/* SPDX-License-Identifier: MIT */
/*
 * resolve.h: the resolver, Alembic's identifier resolution and traversal
 * over rt_graph (the functions of alembic/script/revision.py that take
 * strings), with the same results and the same error texts. This header
 * holds what every part shares: the resolver and its scratch arena, the
 * argument and result types, the recorded RevisionError and its rewriting
 * for the user (ScriptDirectory._catch_revision_errors). The parts:
 *
 *   ident.h     identifiers to revisions: get_revisions / get_revision /
 *               _resolve_revision_number / _revision_for_ident /
 *               filter_for_lineage / _walk / _get_all_current
 *   target.h    relative destinations: _parse_upgrade_target /
 *               _parse_downgrade_target
 *   iterate.h   what to run: _collect_upgrade_revisions /
 *               _collect_downgrade_revisions / iterate_revisions
 *   toposort.h  the order to run it in: _topological_sort
 *
 * Callers include the part they use; this header alone gives the resolver's
 * life cycle and error handling.
 *
 * A "ref" is a revision index, or RT_NONE (Python's None) or RT_BASE (the
 * string "base" that _walk can return). Strings and lists a resolver hands
 * out live in its scratch arena until rt_resolver_dispose().
 *
 * Errors are recorded with their Alembic exception kind so that callers can
 * rewrite them as ScriptDirectory._catch_revision_errors does (a command
 * may give its own text for MultipleHeads or RangeNotAncestorError).
 */
#ifndef RT_RESOLVE_H
#define RT_RESOLVE_H

#include "graph/graph.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/vec.h"

typedef struct rt_refs {
	int32_t *v;
	uint32_t n;
} rt_refs;

/* A growable list of refs, turned into rt_refs by rt_refs_from_vec. */
typedef RT_VEC(int32_t) rt_refvec;

/* Alembic's string-or-tuple arguments: a single string (which may hold
 * symbols, ranges of relative forms) or a tuple of ids (database rows). */
typedef struct rt_arg {
	const char *str;      /* the single string (NULL: None) */
	const char *const *v; /* the tuple */
	uint32_t n;	      /* tuple length */
	int is_tuple;
} rt_arg;

enum rt_rev_error {
	RT_RE_NONE = 0,
	RT_RE_REVISION,	      /* RevisionError: its own message */
	RT_RE_RESOLUTION,     /* ResolutionError: arg = the identifier */
	RT_RE_MULTIPLE_HEADS, /* MultipleHeads: arg, heads */
	RT_RE_RANGE	      /* RangeNotAncestorError: lower, upper */
};

typedef struct rt_resolver {
	rt_graph *g;
	rt_err *err;
	rt_arena scratch;
	enum rt_rev_error kind;
	const char *arg;
	const char *heads;   /* comma-joined, for MultipleHeads */
	const char *detail;  /* extra text for a resolution error */
	const char *warning; /* Alembic's util.warn(), for the caller to log */
} rt_resolver;

void rt_resolver_init(rt_resolver *r, rt_graph *g, rt_err *err);
void rt_resolver_dispose(rt_resolver *r);

/* Single-string and tuple arguments. */
rt_arg rt_arg_str(const char *s);
rt_arg rt_arg_tuple(const char *const *v, uint32_t n);
/* Python's to_tuple(): a string is one item, None none. */
uint32_t rt_arg_count(rt_arg a);
const char *rt_arg_at(rt_arg a, uint32_t i);

/* The texts a command substitutes (NULL: Alembic's defaults). %(start)s,
 * %(end)s and %(head_arg)s are replaced as in Python. */
typedef struct rt_catch {
	const char *ancestor;
	const char *multiple_heads;
	const char *start;
	const char *end;
	const char *resolution;
} rt_catch;

/* Turn the recorded RevisionError into the user-facing message on err
 * (ScriptDirectory._catch_revision_errors). Returns err->code. */
int rt_resolver_catch(rt_resolver *r, const rt_catch *c);

/* Heads and bases as refs. */
void rt_refs_from_list(rt_resolver *r, const rt_idlist *l, rt_refs *out);

/* ---- for the resolver's own files (ident.c, target.c, iterate.c,
 * toposort.c) ---- */

/* Record a RevisionError of `kind` (arg: the identifier it is about) with
 * the message on r->err; returns the error code. */
int rt_rev_error(rt_resolver *r, enum rt_rev_error kind, const char *arg,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Out of memory: sets r->err, returns RETORT_ENOMEM. */
int rt_resolver_oom(rt_resolver *r);
/* A copy in the scratch arena (NULL stays NULL; NULL on OOM). */
const char *rt_resolver_strdup(rt_resolver *r, const char *s);
/* The id of a ref; NULL for RT_NONE and RT_BASE. */
const char *rt_ref_id(const rt_resolver *r, int32_t ref);

/* An empty list with room for `cap` refs, in the scratch arena. */
int rt_refs_alloc(rt_resolver *r, rt_refs *out, uint32_t cap);
/* Copy `v` into the arena and free it (also on failure). */
int rt_refs_from_vec(rt_resolver *r, rt_refvec *v, rt_refs *out);
int rt_refs_has(const rt_refs *l, int32_t x);
/* The revisions among `refs` (RT_NONE and RT_BASE left out) as a malloc'd
 * index array for the rt_graph walks; the caller frees *out. */
int rt_refs_indices(rt_resolver *r, const rt_refs *refs, uint32_t **out,
		    uint32_t *n);

#endif
