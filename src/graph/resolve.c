/*
 * resolve.c: identifier resolution and traversal (see resolve.h), written
 * function by function after alembic/script/revision.py so that results
 * and error texts match. Comments name the Python function each part
 * reproduces. Where Python's behaviour depends on set iteration order
 * (which is arbitrary), load order is used instead.
 *
 * Costs: one resolution is O(1) for exact ids and O(N) for a prefix; a
 * lineage filter is O(N); the topological sort is linear in the todo set
 * plus the reachability searches that pick the next branch, which are
 * bounded by generation numbers and by the nodes still to emit.
 */
#include "graph/resolve.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/vec.h"

typedef RT_VEC(int32_t) refvec;

void rt_resolver_init(rt_resolver *r, rt_graph *g, rt_err *err)
{
	memset(r, 0, sizeof(*r));
	r->g = g;
	r->err = err;
}

void rt_resolver_dispose(rt_resolver *r)
{
	rt_arena_free(&r->scratch);
}

rt_arg rt_arg_str(const char *s)
{
	rt_arg a = { s, NULL, 0, 0 };

	return a;
}

rt_arg rt_arg_tuple(const char *const *v, uint32_t n)
{
	rt_arg a = { NULL, v, n, 1 };

	return a;
}

static uint32_t arg_count(rt_arg a)
{
	return a.is_tuple ? a.n : (a.str ? 1 : 0);
}

static const char *arg_at(rt_arg a, uint32_t i)
{
	return a.is_tuple ? a.v[i] : a.str;
}

/* ------------------------------------------------------------------ */
/* errors */

static int oom(rt_resolver *r)
{
	return rt_err_oom(r->err);
}

static const char *sdup(rt_resolver *r, const char *s)
{
	return s ? rt_arena_strdup(&r->scratch, s) : NULL;
}

static int rev_error(rt_resolver *r, enum rt_rev_error kind, const char *arg,
		     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int rev_error(rt_resolver *r, enum rt_rev_error kind, const char *arg,
		     const char *fmt, ...)
{
	va_list ap;

	rt_str_clear(&r->err->msg);
	r->err->msg.oom = 0;
	va_start(ap, fmt);
	rt_str_vprintf(&r->err->msg, fmt, ap);
	va_end(ap);
	r->err->code =
	    kind == RT_RE_RESOLUTION ? RETORT_ENOTFOUND : RETORT_EGRAPH;
	r->kind = kind;
	r->arg = sdup(r, arg);
	r->detail = NULL;
	return r->err->code;
}

static void subst(rt_str *out, const char *tmpl, const char *start,
		  const char *end, const char *head_arg)
{
	const char *p = tmpl;

	while (*p) {
		if (!strncmp(p, "%(start)s", 9)) {
			rt_str_puts(out, start ? start : "None");
			p += 9;
		} else if (!strncmp(p, "%(end)s", 7)) {
			rt_str_puts(out, end ? end : "None");
			p += 7;
		} else if (!strncmp(p, "%(head_arg)s", 12)) {
			rt_str_puts(out, head_arg ? head_arg : "None");
			p += 12;
		} else {
			rt_str_putc(out, *p++);
		}
	}
}

int rt_resolver_catch(rt_resolver *r, const rt_catch *c)
{
	static const rt_catch none = { 0 };
	rt_str msg = RT_STR_INIT;
	int code = r->err->code;

	if (!c)
		c = &none;
	switch (r->kind) {
	case RT_RE_RANGE:
		subst(&msg,
		      c->ancestor ? c->ancestor
				  : "Requested range %(start)s:%(end)s does "
				    "not refer to ancestor/descendant "
				    "revisions along the same branch",
		      c->start, c->end, NULL);
		break;
	case RT_RE_MULTIPLE_HEADS:
		subst(&msg,
		      c->multiple_heads
			  ? c->multiple_heads
			  : "Multiple head revisions are present for given "
			    "argument '%(head_arg)s'; please specify a "
			    "specific target revision, "
			    "'<branchname>@%(head_arg)s' to narrow to a "
			    "specific head, or 'heads' for all heads",
		      c->start, c->end, c->end ? c->end : r->arg);
		code = RETORT_ENOTFOUND;
		break;
	case RT_RE_RESOLUTION:
		if (c->resolution)
			rt_str_puts(&msg, c->resolution);
		else
			rt_str_printf(&msg,
				      "Can't locate revision identified by "
				      "'%s'",
				      r->arg ? r->arg : "");
		if (r->detail)
			rt_str_printf(&msg, " (%s)", r->detail);
		break;
	default:
		return code;
	}
	if (msg.oom) {
		rt_str_dispose(&msg);
		return rt_err_oom(r->err);
	}
	rt_err_set(r->err, code, "%s", msg.ptr);
	rt_str_dispose(&msg);
	r->kind = RT_RE_NONE;
	return code;
}

/* ------------------------------------------------------------------ */
/* small helpers */

static const char *rev_id(const rt_resolver *r, int32_t ref)
{
	return ref >= 0 ? r->g->revs[ref].s.id : NULL;
}

static int refs_alloc(rt_resolver *r, rt_refs *out, uint32_t cap)
{
	out->n = 0;
	out->v = rt_arena_alloc(&r->scratch, (cap ? cap : 1) * sizeof(*out->v));
	return out->v ? 0 : oom(r);
}

static int refs_from_vec(rt_resolver *r, refvec *v, rt_refs *out)
{
	if (refs_alloc(r, out, (uint32_t)v->n) < 0) {
		RT_VEC_FREE(v);
		return RETORT_ENOMEM;
	}
	if (v->n)
		memcpy(out->v, v->v, v->n * sizeof(*v->v));
	out->n = (uint32_t)v->n;
	RT_VEC_FREE(v);
	return 0;
}

void rt_refs_from_list(rt_resolver *r, const rt_idlist *l, rt_refs *out)
{
	uint32_t i;

	if (refs_alloc(r, out, l->n) < 0)
		return;
	for (i = 0; i < l->n; i++)
		out->v[out->n++] = (int32_t)l->v[i];
}

static int refs_has(const rt_refs *l, int32_t x)
{
	uint32_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == x)
			return 1;
	return 0;
}

static const char *join_ids(rt_resolver *r, const rt_refs *l)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		if (i)
			rt_str_puts(&s, ", ");
		rt_str_puts(&s, l->v[i] >= 0 ? rev_id(r, l->v[i]) : "None");
	}
	out = sdup(r, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return out;
}

/* Python's int() on a decimal string: optional sign and digits. */
static int parse_int(const char *s, long *out)
{
	const char *p = s;
	char *end;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p)
		return 0;
	*out = strtol(s, &end, 10);
	return 1;
}

/* ------------------------------------------------------------------ */
/* _resolve_revision_number */

typedef struct resolved {
	const char **ids; /* NULL entries never appear */
	uint32_t n;
	const char *label; /* NULL when there is no '@' */
} resolved;

static int get_current_head(rt_resolver *r, const char *label,
			    const char **out);
static int filter_lineage_ids(rt_resolver *r, const rt_refs *targets,
			      const char *check_against, int include_deps,
			      rt_refs *out);

static int ids_alloc(rt_resolver *r, resolved *res, uint32_t n)
{
	res->n = 0;
	res->ids = rt_arena_alloc(&r->scratch, (n ? n : 1) * sizeof(char *));
	return res->ids ? 0 : oom(r);
}

/* id_ NULL means Python's None. */
static int resolve_number(rt_resolver *r, const char *id_, resolved *res)
{
	const char *at = id_ ? strchr(id_, '@') : NULL;
	const char *id = id_;
	int error;

	res->label = NULL;
	if (at) {
		res->label =
		    rt_arena_strndup(&r->scratch, id_, (size_t)(at - id_));
		if (!res->label)
			return oom(r);
		id = at + 1;
	}
	if (id && !strcmp(id, "heads")) {
		rt_refs heads, filtered;
		const rt_idlist *src = res->label && *res->label
					   ? &r->g->heads
					   : &r->g->real_heads;
		uint32_t i;

		rt_refs_from_list(r, src, &heads);
		if (!heads.v)
			return oom(r);
		if (res->label && *res->label) {
			if ((error = filter_lineage_ids(r, &heads, res->label,
							0, &filtered)) < 0)
				return error;
			heads = filtered;
		}
		if (ids_alloc(r, res, heads.n) < 0)
			return RETORT_ENOMEM;
		for (i = 0; i < heads.n; i++)
			res->ids[res->n++] = rev_id(r, heads.v[i]);
		return 0;
	}
	if (id && !strcmp(id, "head")) {
		const char *head;

		if ((error = get_current_head(r, res->label, &head)) < 0)
			return error;
		if (ids_alloc(r, res, 1) < 0)
			return RETORT_ENOMEM;
		if (head)
			res->ids[res->n++] = head;
		return 0;
	}
	if (!id || !strcmp(id, "base"))
		return ids_alloc(r, res, 0);
	if (ids_alloc(r, res, 1) < 0)
		return RETORT_ENOMEM;
	res->ids[res->n++] = id;
	return 0;
}

/* ------------------------------------------------------------------ */
/* _revision_for_ident, _resolve_branch, _shares_lineage */

static int for_ident(rt_resolver *r, const char *resolved_id,
		     const char *check_branch, int32_t *out);

static int resolve_branch(rt_resolver *r, const char *label, int32_t *out)
{
	uint32_t idx;
	int error;

	if (rt_graph_lookup(r->g, label, strlen(label), &idx)) {
		*out = (int32_t)idx;
		return 0;
	}
	error = for_ident(r, label, NULL, out);
	if (error == RETORT_ENOTFOUND && r->kind == RT_RE_RESOLUTION)
		return rev_error(r, RT_RE_RESOLUTION, label,
				 "No such branch: '%s'", label);
	return error;
}

/* Mark everything that shares lineage with any of `tests`: their
 * ancestors and descendants (lineage is symmetric). The two walks use
 * separate sets: rt_graph_reach stops at nodes already in its set, and an
 * ancestor of one test may be a descendant of another whose own
 * descendants the second walk must still reach (_shares_lineage builds
 * the two sets separately too). */
static int lineage_set(rt_resolver *r, const rt_refs *tests, int include_deps,
		       rt_set *set)
{
	rt_set down = { 0 };
	uint32_t *t = NULL;
	uint32_t i, n = 0;
	int error = 0;

	if (rt_set_init(set, r->g) < 0)
		return oom(r);
	t = malloc((tests->n ? tests->n : 1) * sizeof(*t));
	if (!t || rt_set_init(&down, r->g) < 0) {
		error = oom(r);
		goto done;
	}
	for (i = 0; i < tests->n; i++)
		if (tests->v[i] >= 0)
			t[n++] = (uint32_t)tests->v[i];
	if (rt_graph_reach(r->g, t, n,
			   include_deps ? RT_ANCESTORS : RT_ANCESTORS_VERSIONED,
			   set) < 0 ||
	    rt_graph_reach(r->g, t, n,
			   include_deps ? RT_DESCENDANTS
					: RT_DESCENDANTS_VERSIONED,
			   &down) < 0) {
		error = oom(r);
		goto done;
	}
	for (i = 0; i < r->g->n; i++)
		if (down.in[i])
			rt_set_add(set, i);
done:
	rt_set_free(&down);
	free(t);
	return error;
}

/* filter_for_lineage over refs: keeps targets (NONE/BASE dropped) that
 * share lineage with check_against. */
static int filter_lineage_ids(rt_resolver *r, const rt_refs *targets,
			      const char *check_against, int include_deps,
			      rt_refs *out)
{
	resolved res;
	rt_refs tests;
	rt_set set = { 0 };
	uint32_t i;
	int error;

	if ((error = resolve_number(r, check_against, &res)) < 0)
		return error;
	if (refs_alloc(r, &tests, res.n + 1) < 0 ||
	    refs_alloc(r, out, targets->n) < 0)
		return RETORT_ENOMEM;
	if (res.label && *res.label) {
		int32_t x;

		if ((error = for_ident(r, res.label, NULL, &x)) < 0)
			return error;
		tests.v[tests.n++] = x;
	}
	for (i = 0; i < res.n; i++) {
		int32_t x;

		if ((error = for_ident(r, res.ids[i], NULL, &x)) < 0)
			return error;
		tests.v[tests.n++] = x;
	}
	if (!tests.n) {
		for (i = 0; i < targets->n; i++)
			out->v[out->n++] = targets->v[i];
		return 0;
	}
	if ((error = lineage_set(r, &tests, include_deps, &set)) < 0) {
		rt_set_free(&set);
		return error;
	}
	for (i = 0; i < targets->n; i++)
		if (targets->v[i] >= 0 && set.in[targets->v[i]])
			out->v[out->n++] = targets->v[i];
	rt_set_free(&set);
	return 0;
}

int rt_filter_for_lineage(rt_resolver *r, const rt_refs *targets,
			  const char *check_against, int include_deps,
			  rt_refs *out)
{
	return filter_lineage_ids(r, targets, check_against, include_deps, out);
}

static int shares_lineage(rt_resolver *r, int32_t target, int32_t test)
{
	rt_set set = { 0 };
	rt_refs tests;
	int32_t one = test;
	int in;

	tests.v = &one;
	tests.n = 1;
	if (lineage_set(r, &tests, 0, &set) < 0) {
		rt_set_free(&set);
		return -1;
	}
	in = set.in[target];
	rt_set_free(&set);
	return in;
}

/* resolved_id NULL: Python's () -> None. */
static int for_ident(rt_resolver *r, const char *resolved_id,
		     const char *check_branch, int32_t *out)
{
	int32_t branch_rev = RT_NONE, revision = RT_NONE;
	int error;
	uint32_t idx;

	*out = RT_NONE;
	if (check_branch && *check_branch) {
		if ((error = resolve_branch(r, check_branch, &branch_rev)) < 0)
			return error;
	}
	if (!resolved_id)
		revision = RT_NONE;
	else if (rt_graph_lookup(r->g, resolved_id, strlen(resolved_id), &idx))
		revision = (int32_t)idx;
	else {
		/* partial lookup over every key longer than 3 characters:
		 * revision ids in load order, then branch labels */
		size_t plen = strlen(resolved_id);
		RT_VEC(const char *) names = RT_VEC_INIT;
		refvec revs = RT_VEC_INIT;
		uint32_t i;

		if (!plen)
			return rev_error(r, RT_RE_RESOLUTION, resolved_id,
					 "No such revision or branch ''");
		for (i = 0; i < r->g->n; i++) {
			const char *id = r->g->revs[i].s.id;

			if (strlen(id) > 3 && !strncmp(id, resolved_id, plen) &&
			    (RT_VEC_PUSH(&names, id) < 0 ||
			     RT_VEC_PUSH(&revs, (int32_t)i) < 0))
				goto oom;
		}
		for (i = 0; i < r->g->nlabels; i++) {
			const char *l = r->g->labels[i].name;

			if (strlen(l) > 3 && !strncmp(l, resolved_id, plen) &&
			    (RT_VEC_PUSH(&names, l) < 0 ||
			     RT_VEC_PUSH(&revs, (int32_t)r->g->labels[i].rev) <
				 0))
				goto oom;
		}
		if (branch_rev != RT_NONE && revs.n) {
			rt_refs in, kept;
			size_t k, w = 0;

			in.v = revs.v;
			in.n = (uint32_t)revs.n;
			if ((error = filter_lineage_ids(r, &in, check_branch, 0,
							&kept)) < 0) {
				RT_VEC_FREE(&names);
				RT_VEC_FREE(&revs);
				return error;
			}
			for (k = 0; k < revs.n; k++)
				if (refs_has(&kept, revs.v[k])) {
					names.v[w] = names.v[k];
					revs.v[w++] = revs.v[k];
				}
			names.n = revs.n = w;
		}
		if (!revs.n) {
			RT_VEC_FREE(&names);
			RT_VEC_FREE(&revs);
			return rev_error(
			    r, RT_RE_RESOLUTION, resolved_id,
			    "No such revision or branch '%s'%s", resolved_id,
			    plen < 4 ? "; please ensure at least four "
				       "characters are present for partial "
				       "revision identifier matches"
				     : "");
		}
		if (revs.n > 1) {
			rt_str list = RT_STR_INIT;
			size_t k;

			for (k = 0; k < names.n && k < 3; k++)
				rt_str_printf(&list, "%s'%s'", k ? ", " : "",
					      names.v[k]);
			rev_error(r, RT_RE_RESOLUTION, resolved_id,
				  "Multiple revisions start with '%s': %s...",
				  resolved_id, rt_str_cstr(&list));
			rt_str_clear(&list);
			for (k = 0; k < names.n && k < 5; k++)
				rt_str_printf(&list, "%s'%s'", k ? ", " : "",
					      names.v[k]);
			if (names.n > 5)
				rt_str_puts(&list, ", ...");
			{
				rt_str d = RT_STR_INIT;

				rt_str_printf(&d,
					      "multiple revisions start with "
					      "'%s': %s",
					      resolved_id, rt_str_cstr(&list));
				r->detail = sdup(r, rt_str_cstr(&d));
				rt_str_dispose(&d);
			}
			rt_str_dispose(&list);
			RT_VEC_FREE(&names);
			RT_VEC_FREE(&revs);
			return RETORT_ENOTFOUND;
		}
		revision = revs.v[0];
		RT_VEC_FREE(&names);
		RT_VEC_FREE(&revs);
		goto found;
	oom:
		RT_VEC_FREE(&names);
		RT_VEC_FREE(&revs);
		return oom(r);
	}
found:
	if (check_branch && *check_branch && revision != RT_NONE) {
		int s = shares_lineage(r, revision, branch_rev);

		if (s < 0)
			return oom(r);
		if (!s)
			return rev_error(r, RT_RE_RESOLUTION, resolved_id,
					 "Revision %s is not a member of "
					 "branch '%s'",
					 rev_id(r, revision), check_branch);
	}
	*out = revision;
	return 0;
}

/* get_current_head */
static int get_current_head(rt_resolver *r, const char *label, const char **out)
{
	rt_refs heads, filtered;
	int error;

	*out = NULL;
	rt_refs_from_list(r, &r->g->heads, &heads);
	if (!heads.v)
		return oom(r);
	if (label && *label) {
		if ((error = filter_lineage_ids(r, &heads, label, 0,
						&filtered)) < 0)
			return error;
		heads = filtered;
	}
	if (heads.n > 1) {
		rt_str arg = RT_STR_INIT;

		if (label && *label)
			rt_str_printf(&arg, "%s@head", label);
		else
			rt_str_puts(&arg, "head");
		rev_error(r, RT_RE_MULTIPLE_HEADS, rt_str_cstr(&arg),
			  "Multiple heads are present for given argument "
			  "'%s'; %s",
			  rt_str_cstr(&arg), join_ids(r, &heads));
		r->heads = join_ids(r, &heads);
		rt_str_dispose(&arg);
		return r->err->code;
	}
	if (heads.n)
		*out = rev_id(r, heads.v[0]);
	return 0;
}

/* ------------------------------------------------------------------ */
/* get_revisions / get_revision / _walk */

static int walk(rt_resolver *r, int32_t start, long steps, const char *label,
		int no_overwalk, int32_t *out);

static int get_revisions_one(rt_resolver *r, const char *id, refvec *acc)
{
	resolved res;
	int error;
	uint32_t i;
	long n;

	if ((error = resolve_number(r, id, &res)) < 0)
		return error;
	if (res.n == 1 && parse_int(res.ids[0], &n) && n < 0) {
		/* branch@-n: walk down from each head on the branch */
		const rt_idlist *heads = &r->g->real_heads;

		for (i = 0; i < heads->n; i++) {
			int32_t w;

			if (res.label && *res.label) {
				uint32_t lab;

				if (!rt_map_get(&r->g->label_ids, res.label,
						strlen(res.label), &lab) ||
				    !rt_graph_has_label(r->g, heads->v[i], lab))
					continue;
			}
			if ((error = walk(r, (int32_t)heads->v[i], n, NULL, 1,
					  &w)) < 0)
				return error;
			if (RT_VEC_PUSH(acc, w) < 0)
				return oom(r);
		}
		return 0;
	}
	for (i = 0; i < res.n; i++) {
		int32_t x;

		if ((error = for_ident(r, res.ids[i], res.label, &x)) < 0)
			return error;
		if (RT_VEC_PUSH(acc, x) < 0)
			return oom(r);
	}
	return 0;
}

int rt_get_revisions(rt_resolver *r, rt_arg id, rt_refs *out)
{
	refvec acc = RT_VEC_INIT;
	uint32_t i;
	int error = 0;

	for (i = 0; i < arg_count(id); i++)
		if ((error = get_revisions_one(r, arg_at(id, i), &acc)) < 0) {
			RT_VEC_FREE(&acc);
			return error;
		}
	return refs_from_vec(r, &acc, out);
}

int rt_get_revision(rt_resolver *r, const char *id, int32_t *out)
{
	resolved res;
	int error;

	*out = RT_NONE;
	if ((error = resolve_number(r, id, &res)) < 0)
		return error;
	if (res.n > 1) {
		rt_str heads = RT_STR_INIT;
		uint32_t i;

		for (i = 0; i < res.n; i++)
			rt_str_printf(&heads, "%s%s", i ? ", " : "",
				      res.ids[i]);
		rev_error(r, RT_RE_MULTIPLE_HEADS, id,
			  "Multiple heads are present for given argument "
			  "'%s'; %s",
			  id, rt_str_cstr(&heads));
		r->heads = sdup(r, rt_str_cstr(&heads));
		rt_str_dispose(&heads);
		return r->err->code;
	}
	return for_ident(r, res.n ? res.ids[0] : NULL, res.label, out);
}

/* _walk: steps > 0 walks up (children), < 0 down (parents). */
static int walk(rt_resolver *r, int32_t start, long steps, const char *label,
		int no_overwalk, int32_t *out)
{
	int32_t initial = start;
	long i, n = steps < 0 ? -steps : steps;
	int error;

	for (i = 0; i < n; i++) {
		rt_refs children;

		if (steps > 0) {
			rt_refs up;

			if (initial == RT_BASE)
				return rev_error(r, RT_RE_REVISION, NULL,
						 "Ambiguous walk");
			rt_refs_from_list(r,
					  initial == RT_NONE
					      ? &r->g->bases
					      : &r->g->revs[initial].next,
					  &up);
			if (!up.v)
				return oom(r);
			if (label && *label) {
				if ((error = filter_lineage_ids(
					 r, &up, label, 0, &children)) < 0)
					return error;
			} else
				children = up;
		} else {
			if (initial == RT_BASE)
				children.n = 0;
			else {
				rt_refs_from_list(
				    r,
				    initial == RT_NONE
					? &r->g->heads
					: &r->g->revs[initial].down,
				    &children);
				if (!children.v)
					return oom(r);
				if (!children.n) {
					children.v[0] = RT_BASE;
					children.n = 1;
				}
			}
		}
		if (!children.n) {
			*out = no_overwalk ? RT_NONE : initial;
			return 0;
		}
		if (children.n > 1)
			return rev_error(r, RT_RE_REVISION, NULL,
					 "Ambiguous walk");
		initial = children.v[0];
	}
	*out = initial;
	return 0;
}

/* ------------------------------------------------------------------ */
/* relative targets */

/* _relative_destination = r"(?:(.+?)@)?(\w+)?((?:\+|-)\d+)", .match() */
typedef struct relmatch {
	const char *label;  /* NULL when absent */
	const char *symbol; /* NULL when absent */
	long relative;
	const char *relative_str;
} relmatch;

static int is_word(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static int match_rest(rt_resolver *r, const char *s, relmatch *m)
{
	size_t k = 0, d;

	while (is_word((unsigned char)s[k]))
		k++;
	/* a run of word characters ending in digits may itself be the
	 * relative part's digits only after a sign, so no backtracking is
	 * needed: the sign must follow the whole run */
	if (s[k] != '+' && s[k] != '-')
		return 0;
	d = k + 1;
	if (!isdigit((unsigned char)s[d]))
		return 0;
	while (isdigit((unsigned char)s[d]))
		d++;
	m->symbol = k ? rt_arena_strndup(&r->scratch, s, k) : NULL;
	m->relative_str = rt_arena_strndup(&r->scratch, s + k, d - k);
	if ((k && !m->symbol) || !m->relative_str)
		return -1;
	m->relative = strtol(m->relative_str, NULL, 10);
	return 1;
}

static int match_relative(rt_resolver *r, const char *target, relmatch *m)
{
	const char *at;
	uint32_t idx;
	int rc;

	memset(m, 0, sizeof(*m));
	/* retort ids may contain '-': an exact id or label is never
	 * relative (Alembic forbids '-' in ids, so nothing changes there) */
	if (rt_graph_lookup(r->g, target, strlen(target), &idx))
		return 0;
	for (at = strchr(target, '@'); at; at = strchr(at + 1, '@')) {
		if (at == target)
			continue;
		if (rt_graph_lookup(r->g, at + 1, strlen(at + 1), &idx))
			return 0;
		if ((rc = match_rest(r, at + 1, m)) != 0) {
			if (rc < 0)
				return oom(r);
			m->label = rt_arena_strndup(&r->scratch, target,
						    (size_t)(at - target));
			return m->label ? 1 : oom(r);
		}
	}
	rc = match_rest(r, target, m);
	return rc < 0 ? oom(r) : rc;
}

static int get_revision_label_symbol(rt_resolver *r, const char *label,
				     const char *symbol, int32_t *out)
{
	rt_str s = RT_STR_INIT;
	int error;

	if (!label)
		return rt_get_revision(r, symbol, out);
	rt_str_printf(&s, "%s@%s", label, symbol ? symbol : "");
	if (s.oom)
		return oom(r);
	error = rt_get_revision(r, sdup(r, s.ptr), out);
	rt_str_dispose(&s);
	return error;
}

/* _get_all_current + _filter_into_branch_heads */
static int all_current(rt_resolver *r, const rt_refs *tops, rt_refs *out)
{
	rt_set set = { 0 };
	uint32_t *t = NULL, i, n = 0, j;
	int error = 0;

	if (rt_set_init(&set, r->g) < 0)
		return oom(r);
	t = malloc((tops->n ? tops->n : 1) * sizeof(*t));
	if (!t) {
		rt_set_free(&set);
		return oom(r);
	}
	for (i = 0; i < tops->n; i++)
		if (tops->v[i] >= 0)
			t[n++] = (uint32_t)tops->v[i];
	if (rt_graph_reach(r->g, t, n, RT_ANCESTORS, &set) < 0 ||
	    refs_alloc(r, out, set.count) < 0) {
		error = oom(r);
		goto done;
	}
	for (i = 0; i < r->g->n; i++) {
		const rt_idlist *next = &r->g->revs[i].next;
		int has_child = 0;

		if (!set.in[i])
			continue;
		for (j = 0; j < next->n && !has_child; j++)
			has_child = set.in[next->v[j]];
		if (!has_child)
			out->v[out->n++] = (int32_t)i;
	}
done:
	free(t);
	rt_set_free(&set);
	return error;
}

int rt_get_all_current(rt_resolver *r, rt_arg ids, rt_refs *out)
{
	rt_refs tops;
	int error;

	if ((error = rt_get_revisions(r, ids, &tops)) < 0)
		return error;
	return all_current(r, &tops, out);
}

/* _parse_downgrade_target -> (label, ref) */
static int parse_downgrade_target(rt_resolver *r, rt_arg current,
				  const char *target, int assert_rel,
				  const char **label_out, int32_t *out)
{
	relmatch m;
	int rc, error;

	*label_out = NULL;
	*out = RT_NONE;
	if (!target)
		return 0;
	rc = match_relative(r, target, &m);
	if (rc < 0)
		return rc;
	if (rc) {
		const char *label = m.label, *symbol = m.symbol;
		int32_t start, rev;
		int relative_revision;

		if (m.relative >= 0) {
			if (!symbol)
				return rev_error(r, RT_RE_REVISION, NULL,
						 "Relative revision %s didn't "
						 "produce %ld migrations",
						 m.relative_str, m.relative);
			if ((error = rt_get_revision(r, symbol, &start)) < 0 ||
			    (error = walk(r, start, m.relative, label,
					  assert_rel, &rev)) < 0)
				return error;
			if (rev == RT_NONE)
				return rev_error(r, RT_RE_REVISION, NULL,
						 "Walked too far");
			*label_out = label;
			*out = rev;
			return 0;
		}
		relative_revision = symbol == NULL;
		if (relative_revision) {
			if (label && *label) {
				rt_refs cur, syms;
				uint32_t i, nc = arg_count(current);

				/* filter_for_lineage(to_tuple(current)):
				 * _shares_lineage looks each entry up as an
				 * id (_revision_for_ident), so a symbol such
				 * as "heads" in a history range fails here */
				if (refs_alloc(r, &cur, nc) < 0)
					return RETORT_ENOMEM;
				for (i = 0; i < nc; i++) {
					int32_t x;

					if ((error = for_ident(
						 r, arg_at(current, i), NULL,
						 &x)) < 0)
						return error;
					cur.v[cur.n++] = x;
				}
				if ((error = filter_lineage_ids(r, &cur, label,
								0, &syms)) < 0)
					return error;
				if (!syms.n) {
					/* _get_all_current resolves them
					 * with get_revisions */
					rt_refs all;

					if ((error = rt_get_revisions(
						 r, current, &cur)) < 0 ||
					    (error = all_current(r, &cur,
								 &all)) < 0 ||
					    (error = filter_lineage_ids(
						 r, &all, label, 0, &syms)) < 0)
						return error;
				}
				if (syms.n != 1)
					return rev_error(
					    r, RT_RE_REVISION, NULL,
					    "Ambiguous downgrade from "
					    "multiple current revisions "
					    "on branch '%s'",
					    label);
				symbol = rev_id(r, syms.v[0]);
			} else {
				uint32_t i, nc = arg_count(current);

				if (!nc)
					return rev_error(
					    r, RT_RE_REVISION, NULL,
					    "Relative revision %s didn't "
					    "produce %ld migrations",
					    m.relative_str, -m.relative);
				for (i = 1; i < nc; i++)
					if (strcmp(arg_at(current, i),
						   arg_at(current, 0)))
						r->warning =
						    "downgrade -1 from "
						    "multiple heads is "
						    "ambiguous; this usage "
						    "will be disallowed in "
						    "a future release.";
				symbol = arg_at(current, 0);
				label = symbol;
			}
		}
		if ((error = get_revision_label_symbol(r, label, symbol,
						       &start)) < 0 ||
		    (error = walk(r, start, m.relative, NULL, assert_rel,
				  &rev)) < 0)
			return error;
		if (rev == RT_NONE) {
			if (relative_revision)
				return rev_error(r, RT_RE_REVISION, NULL,
						 "Relative revision %s didn't "
						 "produce %ld migrations",
						 m.relative_str, -m.relative);
			return rev_error(r, RT_RE_REVISION, NULL,
					 "Walked too far");
		}
		*label_out = label;
		*out = rev;
		return 0;
	}
	/* absolute: rpartition('@') */
	{
		const char *at = strrchr(target, '@');

		if (at && at != target) {
			*label_out = rt_arena_strndup(&r->scratch, target,
						      (size_t)(at - target));
			if (!*label_out)
				return oom(r);
		}
		return rt_get_revision(r, at ? at + 1 : target, out);
	}
}

/* _parse_upgrade_target -> refs */
static int parse_upgrade_target(rt_resolver *r, rt_arg current, rt_arg target,
				int assert_rel, rt_refs *out)
{
	relmatch m;
	int rc, error;
	int32_t rev;

	if (target.is_tuple || !target.str)
		return rt_get_revisions(r, target, out);
	rc = match_relative(r, target.str, &m);
	if (rc < 0)
		return rc;
	if (!rc)
		return rt_get_revisions(r, target, out);
	if (refs_alloc(r, out, 1) < 0)
		return RETORT_ENOMEM;
	if (m.relative > 0) {
		if (!m.symbol) {
			rt_refs start_revs;

			if (m.label && *m.label) {
				rt_refs cur;

				if ((error = rt_get_revisions(r, current,
							      &cur)) < 0 ||
				    (error = filter_lineage_ids(
					 r, &cur, m.label, 0, &start_revs)) < 0)
					return error;
				if (!start_revs.n) {
					/* the branch is not a head: start
					 * from its tips among the active
					 * revisions, or from base */
					rt_set anc = { 0 };
					rt_refs active, on_branch;
					uint32_t *t, i, nt = 0, j;

					if (rt_set_init(&anc, r->g) < 0)
						return oom(r);
					t = malloc((cur.n ? cur.n : 1) *
						   sizeof(*t));
					if (!t) {
						rt_set_free(&anc);
						return oom(r);
					}
					for (i = 0; i < cur.n; i++)
						if (cur.v[i] >= 0)
							t[nt++] =
							    (uint32_t)cur.v[i];
					error = rt_graph_reach(
					    r->g, t, nt, RT_ANCESTORS, &anc);
					free(t);
					if (error < 0 ||
					    refs_alloc(r, &active, anc.count) <
						0) {
						rt_set_free(&anc);
						return oom(r);
					}
					for (i = 0; i < r->g->n; i++)
						if (anc.in[i])
							active.v[active.n++] =
							    (int32_t)i;
					rt_set_free(&anc);
					if ((error = filter_lineage_ids(
						 r, &active, m.label, 0,
						 &on_branch)) < 0)
						return error;
					if (refs_alloc(r, &start_revs,
						       on_branch.n + 1) < 0)
						return RETORT_ENOMEM;
					for (i = 0; i < on_branch.n; i++) {
						const rt_idlist *nd =
						    &r->g->revs[on_branch.v[i]]
							 .norm_down;
						int below = 0;

						(void)nd;
						for (j = 0;
						     j < on_branch.n && !below;
						     j++) {
							const rt_idlist *d =
							    &r->g->revs
								 [on_branch
								      .v[j]]
								     .norm_down;
							uint32_t k;

							for (k = 0; k < d->n;
							     k++)
								if ((int32_t)d
									->v[k] ==
								    on_branch
									.v[i])
									below =
									    1;
						}
						if (!below)
							start_revs
							    .v[start_revs.n++] =
							    on_branch.v[i];
					}
					if (!start_revs.n)
						start_revs.v[start_revs.n++] =
						    RT_NONE;
				}
			} else {
				if ((error = rt_get_revisions(r, current,
							      &start_revs)) < 0)
					return error;
				if (!start_revs.n) {
					if (refs_alloc(r, &start_revs, 1) < 0)
						return RETORT_ENOMEM;
					start_revs.v[start_revs.n++] = RT_NONE;
				}
			}
			if (start_revs.n > 1)
				return rev_error(r, RT_RE_REVISION, NULL,
						 "Ambiguous upgrade from "
						 "multiple current revisions");
			if ((error = walk(r, start_revs.v[0], m.relative,
					  m.label, assert_rel, &rev)) < 0)
				return error;
			if (rev == RT_NONE)
				return rev_error(r, RT_RE_REVISION, NULL,
						 "Relative revision %s didn't "
						 "produce %ld migrations",
						 m.relative_str, m.relative);
			out->v[out->n++] = rev;
			return 0;
		}
		{
			int32_t start;

			if ((error = rt_get_revision(r, m.symbol, &start)) <
				0 ||
			    (error = walk(r, start, m.relative, m.label,
					  assert_rel, &rev)) < 0)
				return error;
		}
		if (rev == RT_NONE)
			return rev_error(r, RT_RE_REVISION, NULL,
					 "Walked too far");
		out->v[out->n++] = rev;
		return 0;
	}
	if (!m.symbol)
		return rev_error(r, RT_RE_REVISION, NULL,
				 "Relative revision %ld didn't produce %ld "
				 "migrations",
				 m.relative, -m.relative);
	{
		int32_t start;

		if ((error = get_revision_label_symbol(r, m.label, m.symbol,
						       &start)) < 0 ||
		    (error = walk(r, start, m.relative, NULL, assert_rel,
				  &rev)) < 0)
			return error;
	}
	if (rev == RT_NONE)
		return rev_error(r, RT_RE_REVISION, NULL, "Walked too far");
	if (rev != RT_BASE)
		out->v[out->n++] = rev;
	return 0;
}

/* ------------------------------------------------------------------ */
/* collecting what to run */

static const char *arg_text(rt_resolver *r, rt_arg a)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	uint32_t i;

	if (!a.is_tuple)
		return a.str;
	if (!a.n)
		return NULL;
	if (a.n == 1)
		return a.v[0];
	rt_str_putc(&s, '(');
	for (i = 0; i < a.n; i++)
		rt_str_printf(&s, "%s'%s'", i ? ", " : "", a.v[i]);
	rt_str_putc(&s, ')');
	out = sdup(r, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return out;
}

/* The argument as Python's "%s" prints it: a string as is, a tuple as its
 * repr ("('a',)", "('a', 'b')"); NULL for what is falsy (None, "", ()). */
static const char *arg_repr(rt_resolver *r, rt_arg a)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	uint32_t i;

	if (!a.is_tuple)
		return a.str && *a.str ? a.str : NULL;
	if (!a.n)
		return NULL;
	rt_str_putc(&s, '(');
	for (i = 0; i < a.n; i++)
		rt_str_printf(&s, "%s'%s'", i ? ", " : "", a.v[i]);
	rt_str_puts(&s, a.n == 1 ? ",)" : ")");
	out = sdup(r, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return out;
}

/* RangeNotAncestorError(lower, upper): "lower or 'base'" */
static int range_error(rt_resolver *r, const char *lower, const char *upper)
{
	return rev_error(r, RT_RE_RANGE, NULL,
			 "Revision %s is not an ancestor of revision %s",
			 lower ? lower : "base", upper ? upper : "base");
}

static int to_u32(rt_resolver *r, const rt_refs *refs, uint32_t **out,
		  uint32_t *n)
{
	uint32_t i;

	*n = 0;
	*out = malloc((refs->n ? refs->n : 1) * sizeof(**out));
	if (!*out)
		return oom(r);
	for (i = 0; i < refs->n; i++)
		if (refs->v[i] >= 0)
			(*out)[(*n)++] = (uint32_t)refs->v[i];
	return 0;
}

/* Descendants with Alembic's check=True overlap detection. */
static int descendants_checked(rt_resolver *r, const uint32_t *targets,
			       uint32_t n, rt_set *set)
{
	refvec stack = RT_VEC_INIT;
	uint8_t *is_target = calloc(r->g->n ? r->g->n : 1, 1);
	uint32_t t, k;
	int error = 0;

	if (!is_target)
		return oom(r);
	for (t = 0; t < n; t++)
		is_target[targets[t]] = 1;
	for (t = 0; t < n && !error; t++) {
		rt_str overlaps = RT_STR_INIT;

		stack.n = 0;
		if (RT_VEC_PUSH(&stack, (int32_t)targets[t]) < 0)
			goto oom;
		while (stack.n) {
			uint32_t x = (uint32_t)stack.v[--stack.n];
			const rt_idlist *e = &r->g->revs[x].next;

			if (is_target[x] && x != targets[t])
				rt_str_printf(&overlaps, "%s%s",
					      overlaps.len ? ", " : "",
					      r->g->revs[x].s.id);
			if (set->in[x])
				continue;
			rt_set_add(set, x);
			for (k = 0; k < e->n; k++)
				if (RT_VEC_PUSH(&stack, (int32_t)e->v[k]) < 0)
					goto oom;
		}
		if (overlaps.len)
			error = rev_error(r, RT_RE_REVISION, NULL,
					  "Requested revision %s overlaps "
					  "with other requested revisions %s",
					  r->g->revs[targets[t]].s.id,
					  overlaps.ptr);
		rt_str_dispose(&overlaps);
	}
	RT_VEC_FREE(&stack);
	free(is_target);
	return error;
oom:
	RT_VEC_FREE(&stack);
	free(is_target);
	return oom(r);
}

static int ancestors_checked(rt_resolver *r, const rt_refs *refs, rt_set *set)
{
	uint32_t *t, n;
	int error;

	if ((error = to_u32(r, refs, &t, &n)) < 0)
		return error;
	error = rt_graph_ancestors_checked(r->g, t, n, set, r->err);
	if (error == RETORT_EGRAPH) {
		r->kind = RT_RE_REVISION;
	}
	free(t);
	return error;
}

/* _collect_upgrade_revisions: needs (set) and targets (refs). */
static int collect_upgrade(rt_resolver *r, rt_arg upper, rt_arg lower,
			   int inclusive, int implicit_base, int assert_rel,
			   rt_set *needs, rt_refs *targets)
{
	rt_refs current, tmp;
	rt_set required = { 0 }, current_set = { 0 };
	uint32_t i;
	int error;

	if ((error = parse_upgrade_target(r, lower, upper, assert_rel,
					  targets)) < 0)
		return error;
	if (!lower.is_tuple && lower.str && strchr(lower.str, '@')) {
		/* named bases: only targets on that branch */
		const char *l = lower.str;
		const char *branch = rt_arena_strndup(
		    &r->scratch, l, (size_t)(strchr(l, '@') - l));
		int32_t branch_rev;
		uint32_t lab, w = 0;

		if (!branch)
			return oom(r);
		if ((error = rt_get_revision(r, branch, &branch_rev)) < 0)
			return error;
		if (branch_rev >= 0 && !strcmp(rev_id(r, branch_rev), branch)) {
			const rt_idlist *labs = &r->g->revs[branch_rev].labels;

			if (labs->n != 1)
				return rev_error(
				    r, RT_RE_REVISION, NULL,
				    "Revision %s is not on exactly "
				    "one branch",
				    branch);
			branch = r->g->labels[labs->v[0]].name;
		}
		if (rt_map_get(&r->g->label_ids, branch, strlen(branch),
			       &lab)) {
			for (i = 0; i < targets->n; i++)
				if (targets->v[i] >= 0 &&
				    rt_graph_has_label(
					r->g, (uint32_t)targets->v[i], lab))
					targets->v[w++] = targets->v[i];
		}
		targets->n = w; /* no such label: no targets */
	}
	if (rt_set_init(&required, r->g) < 0 ||
	    rt_set_init(&current_set, r->g) < 0) {
		error = oom(r);
		goto done;
	}
	if ((error = ancestors_checked(r, targets, &required)) < 0)
		goto done;
	if ((error = rt_get_revisions(r, lower, &current)) < 0)
		goto done;
	if (!implicit_base) {
		/* "base" from a walk (history -r -1:x) is not None and not
		 * a required revision either */
		for (i = 0; i < current.n; i++)
			if (current.v[i] == RT_BASE ||
			    (current.v[i] >= 0 && !required.in[current.v[i]])) {
				error = range_error(r, arg_repr(r, lower),
						    arg_repr(r, upper));
				goto done;
			}
	}
	if (current.n && current.v[0] == RT_NONE) {
		const char *label;
		int32_t rev;

		if ((error =
			 parse_downgrade_target(r, upper, arg_text(r, lower),
						assert_rel, &label, &rev)) < 0)
			goto done;
		if (rev == RT_BASE || rev == RT_NONE) {
			current.n = 0;
			lower = rt_arg_tuple(NULL, 0);
		} else {
			current.v[0] = rev;
			current.n = 1;
			{
				const char **one =
				    rt_arena_alloc(&r->scratch, sizeof(*one));

				if (!one) {
					error = oom(r);
					goto done;
				}
				one[0] = rev_id(r, rev);
				lower = rt_arg_tuple(one, 1);
			}
		}
	}
	if ((error = ancestors_checked(r, &current, &current_set)) < 0)
		goto done;
	for (i = 0; i < r->g->n; i++)
		if (required.in[i] && !current_set.in[i])
			rt_set_add(needs, i);
	if (inclusive) {
		if ((error = rt_get_revisions(r, lower, &tmp)) < 0)
			goto done;
		for (i = 0; i < tmp.n; i++)
			if (tmp.v[i] >= 0)
				rt_set_add(needs, (uint32_t)tmp.v[i]);
	}
	if (current.n && !implicit_base) {
		rt_set desc = { 0 };
		uint32_t *t, n;

		if ((error = to_u32(r, &current, &t, &n)) < 0)
			goto done;
		if (rt_set_init(&desc, r->g) < 0) {
			free(t);
			error = oom(r);
			goto done;
		}
		error = descendants_checked(r, t, n, &desc);
		free(t);
		if (!error)
			for (i = 0; i < r->g->n; i++)
				if (needs->in[i] && !desc.in[i]) {
					needs->in[i] = 0;
					needs->count--;
				}
		rt_set_free(&desc);
	}
done:
	rt_set_free(&required);
	rt_set_free(&current_set);
	return error;
}

/* _collect_downgrade_revisions: to drop (set) and heads (refs). */
static int collect_downgrade(rt_resolver *r, rt_arg upper, rt_arg target,
			     int inclusive, int implicit_base, int assert_rel,
			     rt_set *drop, rt_refs *heads)
{
	const char *label;
	int32_t target_rev;
	refvec roots = RT_VEC_INIT;
	rt_set desc = { 0 }, active = { 0 };
	uint32_t *t = NULL, nt, i;
	int error;

	if ((error = parse_downgrade_target(r, upper, arg_text(r, target),
					    assert_rel, &label, &target_rev)) <
	    0)
		return error;
	if (target_rev == RT_BASE)
		target_rev = RT_NONE;
	if (target_rev == RT_NONE) {
		for (i = 0; i < r->g->n; i++)
			if (!r->g->revs[i].s.ndown &&
			    RT_VEC_PUSH(&roots, (int32_t)i) < 0)
				goto oom;
	} else if (inclusive) {
		if (RT_VEC_PUSH(&roots, target_rev) < 0)
			goto oom;
	} else {
		const rt_idlist *next = &r->g->revs[target_rev].next;

		for (i = 0; i < next->n; i++)
			if (RT_VEC_PUSH(&roots, (int32_t)next->v[i]) < 0)
				goto oom;
	}
	if (label && *label && roots.n > 1) {
		int32_t branch_rev;
		rt_set anc = { 0 };
		size_t w = 0, k;

		if ((error = resolve_branch(r, label, &branch_rev)) < 0)
			goto done;
		if (rt_set_init(&anc, r->g) < 0)
			goto oom;
		if (branch_rev >= 0) {
			uint32_t b = (uint32_t)branch_rev;

			if (rt_graph_reach(r->g, &b, 1, RT_ANCESTORS_VERSIONED,
					   &anc) < 0) {
				rt_set_free(&anc);
				goto oom;
			}
		}
		for (k = 0; k < roots.n; k++)
			if (anc.in[roots.v[k]])
				roots.v[w++] = roots.v[k];
		roots.n = w;
		rt_set_free(&anc);
		if (!roots.n) {
			error = rev_error(r, RT_RE_REVISION, NULL,
					  "Not a valid downgrade target from "
					  "current heads");
			goto done;
		}
	}
	if ((error = rt_get_revisions(r, upper, heads)) < 0)
		goto done;
	if (rt_set_init(&desc, r->g) < 0 || rt_set_init(&active, r->g) < 0)
		goto oom;
	nt = (uint32_t)roots.n;
	if (rt_graph_reach(r->g, (const uint32_t *)roots.v, nt, RT_DESCENDANTS,
			   &desc) < 0)
		goto oom;
	if ((error = to_u32(r, heads, &t, &nt)) < 0)
		goto done;
	if (rt_graph_reach(r->g, t, nt, RT_ANCESTORS, &active) < 0)
		goto oom;
	for (i = 0; i < r->g->n; i++)
		if (desc.in[i] && active.in[i])
			rt_set_add(drop, i);
	if (implicit_base) {
		/* wind the other branches back to base: every active
		 * revision that is not an ancestor of a root (the command
		 * line never asks for this; the API can) */
		rt_set_free(&desc);
		if (rt_set_init(&desc, r->g) < 0 ||
		    rt_graph_reach(r->g, (const uint32_t *)roots.v,
				   (uint32_t)roots.n, RT_ANCESTORS, &desc) < 0)
			goto oom;
		for (i = 0; i < r->g->n; i++)
			if (active.in[i] && !desc.in[i])
				rt_set_add(drop, i);
	}
	if (target_rev != RT_NONE && !drop->count &&
	    !refs_has(heads, target_rev)) {
		error = range_error(r, "Nothing to drop", arg_repr(r, upper));
		goto done;
	}
	goto done;
oom:
	error = oom(r);
done:
	free(t);
	RT_VEC_FREE(&roots);
	rt_set_free(&desc);
	rt_set_free(&active);
	return error;
}

/* ------------------------------------------------------------------ */
/* _topological_sort */

typedef struct slot {
	int32_t prev, next; /* doubly linked list of frontier heads */
	uint32_t rev;
} slot;

/*
 * Is the todo set convex: does no revision outside it lie on a path
 * (through norm_down) between two revisions inside it? Walks down from
 * the outside parents of todo revisions; meeting a todo revision on the
 * way means some todo revision is an ancestor of another only through
 * revisions that are not to be emitted. Sets *out; returns <0 on OOM.
 */
static int todo_is_convex(const rt_graph *g, const uint8_t *todo, int *out)
{
	uint8_t *seen = calloc(g->n ? g->n : 1, 1);
	RT_VEC(uint32_t) stack = RT_VEC_INIT;
	uint32_t i, j;
	int error = 0;

	*out = 1;
	if (!seen)
		return -1;
	for (i = 0; i < g->n && *out; i++) {
		const rt_idlist *d = &g->revs[i].norm_down;

		if (!todo[i])
			continue;
		for (j = 0; j < d->n; j++) {
			uint32_t x = d->v[j];

			if (todo[x] || seen[x])
				continue;
			seen[x] = 1;
			if (RT_VEC_PUSH(&stack, x) < 0)
				goto oom;
		}
		while (stack.n && *out) {
			const rt_idlist *e =
			    &g->revs[stack.v[--stack.n]].norm_down;

			for (j = 0; j < e->n; j++) {
				uint32_t x = e->v[j];

				if (todo[x]) {
					*out = 0;
					break;
				}
				if (seen[x])
					continue;
				seen[x] = 1;
				if (RT_VEC_PUSH(&stack, x) < 0)
					goto oom;
			}
		}
	}
	goto done;
oom:
	error = -1;
done:
	RT_VEC_FREE(&stack);
	free(seen);
	return error;
}

/*
 * Alembic keeps a list of "current heads" and their ancestor sets; it
 * emits the head at the current index unless another head has it as an
 * ancestor, in which case it moves to the first such head in list order.
 * The ancestor sets are over the whole graph, and the first head in list
 * order that descends from the candidate is found by a downward search
 * from each head, pruned by generation and by nodes already known not to
 * reach the candidate.
 *
 * When the todo set is convex (always for upgrades and downgrades),
 * "has a pending child" is the same test as "is an ancestor of another
 * head" and the search can stay inside the todo set. A history range with
 * a lower bound keeps only the versioned descendants of that bound, which
 * can cut a path that goes through a dependency: a todo revision is then
 * an ancestor of a head only through revisions outside the set, and only
 * the search over the whole graph says whether it must wait.
 */
static int topo_sort(rt_resolver *r, const rt_set *todo_in,
		     const rt_refs *heads, rt_refs *out)
{
	rt_graph *g = r->g;
	uint8_t *todo = NULL, *in_frontier = NULL;
	uint32_t *pending = NULL;
	RT_VEC(slot) slots = RT_VEC_INIT;
	refvec stack = RT_VEC_INIT;
	uint32_t *order = NULL, norder = 0, i, j, remaining;
	int32_t first = -1, last = -1, cur;
	int error = 0, convex;

	if (refs_alloc(r, out, todo_in->count) < 0)
		return RETORT_ENOMEM;
	todo = malloc(g->n ? g->n : 1);
	in_frontier = calloc(g->n ? g->n : 1, 1);
	pending = calloc(g->n ? g->n : 1, sizeof(*pending));
	order = malloc((heads->n ? heads->n : 1) * sizeof(*order));
	if (!todo || !in_frontier || !pending || !order)
		goto oom;
	memcpy(todo, todo_in->in, g->n);
	remaining = todo_in->count;
	if (todo_is_convex(g, todo, &convex) < 0)
		goto oom;
	/* pending children (through norm_down) of every todo node */
	for (i = 0; i < g->n; i++) {
		const rt_idlist *d = &g->revs[i].norm_down;

		if (!todo[i])
			continue;
		for (j = 0; j < d->n; j++)
			if (todo[d->v[j]])
				pending[d->v[j]]++;
	}
	/* initial heads: those in todo, unique, in load order */
	for (i = 0; i < heads->n; i++) {
		int32_t h = heads->v[i];

		if (h < 0 || !todo[h] || in_frontier[h])
			continue;
		in_frontier[h] = 1;
		order[norder++] = (uint32_t)h;
	}
	for (i = 1; i < norder; i++) { /* insertion sort by index */
		uint32_t x = order[i];

		for (j = i; j > 0 && order[j - 1] > x; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
#define APPEND(revidx)                                               \
	do {                                                         \
		slot s_ = { last, -1, (revidx) };                    \
		if (RT_VEC_PUSH(&slots, s_) < 0)                     \
			goto oom;                                    \
		if (last >= 0)                                       \
			slots.v[last].next = (int32_t)(slots.n - 1); \
		else                                                 \
			first = (int32_t)(slots.n - 1);              \
		last = (int32_t)(slots.n - 1);                       \
		in_frontier[(revidx)] = 1;                           \
	} while (0)
	for (i = 0; i < norder; i++)
		APPEND(order[i]);

	cur = first;
	while (cur >= 0) {
		uint32_t c = slots.v[cur].rev;
		retort_revision *cand = &g->revs[c];
		uint32_t nadd = 0, firstadd = 0;

		if (pending[c] || !convex) {
			/* switch to the first head (list order) that has
			 * the candidate as an ancestor */
			int32_t s, found = -1;
			uint32_t floor = cand->gen;

			if (++g->mark_gen == 0) {
				memset(g->mark, 0, g->n * sizeof(*g->mark));
				g->mark_gen = 1;
			}
			for (s = first; s >= 0 && found < 0;
			     s = slots.v[s].next) {
				uint32_t h = slots.v[s].rev;

				if (s == cur || g->revs[h].gen <= floor ||
				    g->mark[h] == g->mark_gen)
					continue;
				g->mark[h] = g->mark_gen;
				stack.n = 0;
				if (RT_VEC_PUSH(&stack, (int32_t)h) < 0)
					goto oom;
				while (stack.n && found < 0) {
					const rt_idlist *d =
					    &g->revs[stack.v[--stack.n]]
						 .norm_down;

					for (j = 0; j < d->n; j++) {
						uint32_t x = d->v[j];

						if (x == c) {
							found = s;
							break;
						}
						if ((convex && !todo[x]) ||
						    g->mark[x] == g->mark_gen ||
						    g->revs[x].gen <= floor)
							continue;
						g->mark[x] = g->mark_gen;
						if (RT_VEC_PUSH(&stack,
								(int32_t)x) < 0)
							goto oom;
					}
				}
			}
			if (found >= 0) {
				cur = found;
				continue;
			}
			if (convex) {
				error = rev_error(r, RT_RE_REVISION, NULL,
						  "Dependency resolution "
						  "failed; broken map");
				goto done;
			}
			/* no other head descends from it: emit */
		}
		/* emit */
		if (todo[c]) {
			const rt_idlist *d = &cand->norm_down;

			out->v[out->n++] = (int32_t)c;
			todo[c] = 0;
			remaining--;
			for (j = 0; j < d->n; j++)
				if (todo[d->v[j]])
					pending[d->v[j]]--;
		}
		in_frontier[c] = 0;
		/* heads_to_add: down revisions still to do, not heads yet */
		for (j = 0; j < cand->norm_down.n; j++) {
			uint32_t x = cand->norm_down.v[j];

			if (!todo[x] || in_frontier[x])
				continue;
			if (!nadd++) {
				firstadd = x;
				slots.v[cur].rev = x;
				in_frontier[x] = 1;
			} else
				APPEND(x);
		}
		if (!nadd) {
			/* remove this head; the index moves back one */
			int32_t p = slots.v[cur].prev, n = slots.v[cur].next;

			if (p >= 0)
				slots.v[p].next = n;
			else
				first = n;
			if (n >= 0)
				slots.v[n].prev = p;
			else
				last = p;
			cur = p >= 0 ? p : first;
		}
		(void)firstadd;
	}
#undef APPEND
	if (remaining) {
		error = rev_error(r, RT_RE_REVISION, NULL,
				  "Dependency resolution failed; broken map");
		goto done;
	}
	goto done;
oom:
	error = oom(r);
done:
	free(todo);
	free(in_frontier);
	free(pending);
	free(order);
	RT_VEC_FREE(&slots);
	RT_VEC_FREE(&stack);
	return error;
}

int rt_iterate_revisions(rt_resolver *r, rt_arg upper, rt_arg lower,
			 int implicit_base, int inclusive,
			 int assert_relative_length, int select_for_downgrade,
			 rt_refs *out)
{
	rt_set set = { 0 };
	rt_refs heads;
	int error;

	if (rt_set_init(&set, r->g) < 0)
		return oom(r);
	if (select_for_downgrade)
		error =
		    collect_downgrade(r, upper, lower, inclusive, implicit_base,
				      assert_relative_length, &set, &heads);
	else
		error =
		    collect_upgrade(r, upper, lower, inclusive, implicit_base,
				    assert_relative_length, &set, &heads);
	if (!error)
		error = topo_sort(r, &set, &heads, out);
	rt_set_free(&set);
	return error;
}
