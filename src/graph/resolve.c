/* SPDX-License-Identifier: MIT */
/*
 * resolve.c: the resolver's common ground (see resolve.h): its life cycle,
 * arguments, ref lists, and the RevisionError record with its rewriting
 * for the user. The resolution itself is in ident.c, target.c, iterate.c
 * and toposort.c, written function by function after
 * alembic/script/revision.py so that results and error texts match;
 * comments there name the Python function each part reproduces. Where
 * Python's behaviour depends on set iteration order (which is arbitrary),
 * load order is used instead.
 *
 * Costs: one resolution is O(1) for exact ids and O(N) for a prefix; a
 * lineage filter is O(N); the topological sort is linear in the todo set
 * plus the reachability searches that pick the next branch, which are
 * bounded by generation numbers and by the nodes still to emit.
 */
#include "graph/resolve.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

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

uint32_t rt_arg_count(rt_arg a)
{
	return a.is_tuple ? a.n : (a.str ? 1 : 0);
}

const char *rt_arg_at(rt_arg a, uint32_t i)
{
	return a.is_tuple ? a.v[i] : a.str;
}

/* ------------------------------------------------------------------ */
/* errors */

int rt_resolver_oom(rt_resolver *r)
{
	return rt_err_oom(r->err);
}

const char *rt_resolver_strdup(rt_resolver *r, const char *s)
{
	return s ? rt_arena_strdup(&r->scratch, s) : NULL;
}

int rt_rev_error(rt_resolver *r, enum rt_rev_error kind, const char *arg,
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
	r->arg = rt_resolver_strdup(r, arg);
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
/* ref lists */

const char *rt_ref_id(const rt_resolver *r, int32_t ref)
{
	return ref >= 0 ? r->g->revs[ref].s.id : NULL;
}

int rt_refs_alloc(rt_resolver *r, rt_refs *out, uint32_t cap)
{
	out->n = 0;
	out->v = rt_arena_alloc(&r->scratch, (cap ? cap : 1) * sizeof(*out->v));
	return out->v ? 0 : rt_resolver_oom(r);
}

int rt_refs_from_vec(rt_resolver *r, rt_refvec *v, rt_refs *out)
{
	if (rt_refs_alloc(r, out, (uint32_t)v->n) < 0) {
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

	if (rt_refs_alloc(r, out, l->n) < 0)
		return;
	for (i = 0; i < l->n; i++)
		out->v[out->n++] = (int32_t)l->v[i];
}

int rt_refs_has(const rt_refs *l, int32_t x)
{
	uint32_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == x)
			return 1;
	return 0;
}

int rt_refs_indices(rt_resolver *r, const rt_refs *refs, uint32_t **out,
		    uint32_t *n)
{
	uint32_t i;

	*n = 0;
	*out = malloc((refs->n ? refs->n : 1) * sizeof(**out));
	if (!*out)
		return rt_resolver_oom(r);
	for (i = 0; i < refs->n; i++)
		if (refs->v[i] >= 0)
			(*out)[(*n)++] = (uint32_t)refs->v[i];
	return 0;
}
