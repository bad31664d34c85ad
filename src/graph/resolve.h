/*
 * resolve.h: Alembic's identifier resolution and traversal over rt_graph:
 * get_revisions / get_revision / _walk / _parse_upgrade_target /
 * _parse_downgrade_target / _collect_upgrade_revisions /
 * _collect_downgrade_revisions / _topological_sort / iterate_revisions /
 * _get_all_current, with the same results and the same error texts.
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

typedef struct rt_refs {
	int32_t *v;
	uint32_t n;
} rt_refs;

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

int rt_get_revisions(rt_resolver *r, rt_arg id, rt_refs *out);
int rt_get_revision(rt_resolver *r, const char *id, int32_t *out);
int rt_filter_for_lineage(rt_resolver *r, const rt_refs *targets,
			  const char *check_against, int include_deps,
			  rt_refs *out);

/* iterate_revisions: the revisions, newest first. */
int rt_iterate_revisions(rt_resolver *r, rt_arg upper, rt_arg lower,
			 int implicit_base, int inclusive,
			 int assert_relative_length, int select_for_downgrade,
			 rt_refs *out);

/* _get_all_current, in load order. */
int rt_get_all_current(rt_resolver *r, rt_arg ids, rt_refs *out);

/* Heads and bases as refs. */
void rt_refs_from_list(rt_resolver *r, const rt_idlist *l, rt_refs *out);

#endif
