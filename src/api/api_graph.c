/* SPDX-License-Identifier: MIT */
/*
 * api_graph.c: the read-only public API over the loaded graph: revision
 * getters, revision lists, heads, resolution, history, current, and the
 * Alembic output formats (Script.log_entry and Script._head_only).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "graph/ident.h"
#include "graph/iterate.h"
#include "util/str.h"

struct retort_revlist {
	const retort_revision **v;
	size_t n;
};

/* ------------------------------------------------------------------ */
/* revisions */

size_t retort_revision_count(const retort *r)
{
	return r && r->graph && r->loaded ? r->graph->n : 0;
}

const retort_revision *retort_revision_at(const retort *r, size_t i)
{
	return i < retort_revision_count(r) ? &r->graph->revs[i] : NULL;
}

const char *retort_revision_id(const retort_revision *rev)
{
	return rev->s.id;
}

const char *retort_revision_doc(const retort_revision *rev)
{
	return rev->s.doc;
}

const char *retort_revision_longdoc(const retort_revision *rev)
{
	return rev->s.longdoc;
}

const char *retort_revision_path(const retort_revision *rev)
{
	return rev->s.path;
}

const char *retort_revision_create_date(const retort_revision *rev)
{
	return rev->s.create_date;
}

unsigned int retort_revision_flags(const retort_revision *rev)
{
	return rev->flags;
}

size_t retort_revision_down_count(const retort_revision *rev)
{
	return rev->s.ndown;
}

const char *retort_revision_down_at(const retort_revision *rev, size_t i)
{
	return i < rev->s.ndown ? rev->s.down[i] : NULL;
}

size_t retort_revision_depends_count(const retort_revision *rev)
{
	return rev->s.ndeps;
}

const char *retort_revision_depends_at(const retort_revision *rev, size_t i)
{
	return i < rev->s.ndeps ? rev->s.deps[i] : NULL;
}

size_t retort_revision_label_count(const retort_revision *rev)
{
	return rev->labels.n;
}

const char *retort_revision_label_at(const retort_revision *rev, size_t i)
{
	return i < rev->labels.n ? rev->label_names[i] : NULL;
}

size_t retort_revision_child_count(const retort_revision *rev)
{
	return rev->next.n;
}

const retort_revision *retort_revision_child_at(const retort_revision *rev,
						size_t i)
{
	/* children are indexes into the same array as rev */
	return i < rev->next.n ? rev - rev->idx + rev->next.v[i] : NULL;
}

const retort_section *retort_revision_upgrade(const retort_revision *rev)
{
	return &rev->s.upgrade;
}

const retort_section *retort_revision_downgrade(const retort_revision *rev)
{
	return &rev->s.downgrade;
}

const char *retort_revision_checksum(const retort_revision *rev, int downgrade)
{
	return rt_revision_default_sum(rev, downgrade);
}

size_t retort_revision_section_count(const retort_revision *rev, int downgrade)
{
	return rev->s.nsections[downgrade ? 1 : 0];
}

const retort_section *retort_revision_section_at(const retort_revision *rev,
						 int downgrade, size_t i,
						 const char **dialect)
{
	const rt_script_sec *sec;

	if (i >= rev->s.nsections[downgrade ? 1 : 0])
		return NULL;
	sec = &rev->s.sections[downgrade ? 1 : 0][i];
	if (dialect)
		*dialect = sec->dialect < 0
			       ? NULL
			       : rt_dialect_name((rt_dialect)sec->dialect);
	return &sec->sec;
}

const retort_section *retort_revision_section(const retort_revision *rev,
					      int downgrade,
					      const char *dialect)
{
	const rt_script_sec *sec;
	rt_dialect d;

	if (!dialect || rt_dialect_from_name(dialect, strlen(dialect), &d) < 0)
		return NULL;
	sec = rt_script_section(&rev->s, downgrade, d, NULL);
	return sec ? &sec->sec : NULL;
}

const char *retort_revision_section_checksum(const retort_revision *rev,
					     int downgrade, size_t i)
{
	return i > UINT32_MAX ? NULL
			      : rt_revision_sum_at(rev, downgrade, (uint32_t)i);
}

/* ------------------------------------------------------------------ */
/* lists */

size_t retort_revlist_count(const retort_revlist *list)
{
	return list ? list->n : 0;
}

const retort_revision *retort_revlist_at(const retort_revlist *list, size_t i)
{
	return list && i < list->n ? list->v[i] : NULL;
}

void retort_revlist_free(retort_revlist *list)
{
	if (!list)
		return;
	free(list->v);
	free(list);
}

int rt_revlist_from_refs(retort *r, const struct rt_refs *refs,
			 retort_revlist **out)
{
	retort_revlist *l = calloc(1, sizeof(*l));
	uint32_t i;

	*out = NULL;
	if (!l)
		return rt_err_oom(&r->err);
	l->v = malloc((refs->n ? refs->n : 1) * sizeof(*l->v));
	if (!l->v) {
		free(l);
		return rt_err_oom(&r->err);
	}
	for (i = 0; i < refs->n; i++)
		if (refs->v[i] >= 0)
			l->v[l->n++] = &r->graph->revs[refs->v[i]];
	*out = l;
	return 0;
}

static int revlist_from_idlist(retort *r, const rt_idlist *ids,
			       retort_revlist **out)
{
	rt_refs refs;
	uint32_t i;
	int error;

	refs.n = ids->n;
	refs.v = malloc((ids->n ? ids->n : 1) * sizeof(*refs.v));
	if (!refs.v)
		return rt_err_oom(&r->err);
	for (i = 0; i < ids->n; i++)
		refs.v[i] = (int32_t)ids->v[i];
	error = rt_revlist_from_refs(r, &refs, out);
	free(refs.v);
	return error;
}

static int ensure_loaded(retort *r)
{
	rt_err_clear(&r->err);
	return rt_project_load(r, 0);
}

int retort_heads(retort_revlist **out, retort *r, unsigned int flags)
{
	int error;

	*out = NULL;
	if ((error = ensure_loaded(r)) < 0)
		return error;
	return revlist_from_idlist(r,
				   flags & RETORT_HEADS_RESOLVE_DEPENDENCIES
				       ? &r->graph->real_heads
				       : &r->graph->heads,
				   out);
}

int retort_resolve(retort_revlist **out, retort *r, const char *ident)
{
	rt_resolver res;
	rt_refs refs;
	int error;

	*out = NULL;
	if ((error = ensure_loaded(r)) < 0)
		return error;
	rt_resolver_init(&res, r->graph, &r->err);
	error = rt_get_revisions(&res, rt_arg_str(ident), &refs);
	if (error < 0)
		error = rt_resolver_catch(&res, NULL);
	else
		error = rt_revlist_from_refs(r, &refs, out);
	rt_resolver_dispose(&res);
	return error;
}

int retort_history(retort_revlist **out, retort *r, const char *range,
		   const char *const *current, size_t ncurrent)
{
	rt_resolver res;
	rt_refs refs;
	rt_arg upper, lower;
	char *base = NULL, *head = NULL;
	const char *c_start = NULL, *c_end = NULL;
	int error;

	*out = NULL;
	if ((error = ensure_loaded(r)) < 0 ||
	    (error = rt_project_check_rows(r, current, ncurrent)) < 0)
		return error;
	if (range) {
		const char *colon = strchr(range, ':');
		const char *s = range, *e;

		if (!colon || strchr(colon + 1, ':'))
			return rt_fail(r, RETORT_EUSAGE,
				       "History range requires [start]:[end], "
				       "[start]:, or :[end]");
		while (*s == ' ' || *s == '\t')
			s++;
		e = range + strlen(range);
		while (e > colon + 1 && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		base = strndup(s, (size_t)(colon - s));
		head = strndup(colon + 1, (size_t)(e - colon - 1));
		if (!base || !head) {
			free(base);
			free(head);
			return rt_err_oom(&r->err);
		}
	}
	/* "current" means the database's revisions (empty: none) */
	if (head && !strcmp(head, "current"))
		upper = ncurrent ? rt_arg_tuple(current, (uint32_t)ncurrent)
				 : rt_arg_str("heads");
	else
		upper = rt_arg_str(head && *head ? head : "heads");
	if (base && !strcmp(base, "current"))
		lower = ncurrent ? rt_arg_tuple(current, (uint32_t)ncurrent)
				 : rt_arg_str("base");
	else
		lower = rt_arg_str(base && *base ? base : "base");
	c_start = base && *base ? base : "base";
	c_end = head && *head ? head : "heads";
	rt_resolver_init(&res, r->graph, &r->err);
	error = rt_iterate_revisions(&res, upper, lower, 0, 1, 0, 0, &refs);
	if (error < 0) {
		rt_catch c = { NULL, NULL, c_start, c_end, NULL };

		error = rt_resolver_catch(&res, &c);
	} else
		error = rt_revlist_from_refs(r, &refs, out);
	rt_resolver_dispose(&res);
	free(base);
	free(head);
	return error;
}

int retort_all_current(retort_revlist **out, retort *r,
		       const char *const *heads, size_t nheads)
{
	rt_resolver res;
	rt_refs refs;
	int error;

	*out = NULL;
	if ((error = ensure_loaded(r)) < 0)
		return error;
	rt_resolver_init(&res, r->graph, &r->err);
	error = rt_get_all_current(&res, rt_arg_tuple(heads, (uint32_t)nheads),
				   &refs);
	if (error < 0)
		error = rt_resolver_catch(&res, NULL);
	else
		error = rt_revlist_from_refs(r, &refs, out);
	rt_resolver_dispose(&res);
	return error;
}

/* ------------------------------------------------------------------ */
/* formats */

static void down_text(rt_str *s, const retort_revision *rev)
{
	uint32_t i;

	if (!rev->s.ndown) {
		rt_str_puts(s, "<base>");
		return;
	}
	for (i = 0; i < rev->s.ndown; i++)
		rt_str_printf(s, "%s%s", i ? ", " : "", rev->s.down[i]);
}

static void comma_list(rt_str *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rt_str_printf(s, "%s%s", i ? ", " : "", v[i]);
}

static int buf_append(retort_buf *out, const rt_str *s)
{
	size_t need;
	char *p;

	if (s->oom)
		return RETORT_ENOMEM;
	need = out->size + s->len + 1;
	if (need > out->asize) {
		size_t cap = out->asize ? out->asize : 64;

		while (cap < need)
			cap *= 2;
		p = realloc(out->ptr, cap);
		if (!p)
			return RETORT_ENOMEM;
		out->ptr = p;
		out->asize = cap;
	}
	memcpy(out->ptr + out->size, rt_str_cstr(s), s->len);
	out->size += s->len;
	out->ptr[out->size] = '\0';
	return 0;
}

int retort_revision_format(retort_buf *out, const retort_revision *rev,
			   unsigned int flags)
{
	rt_str s = RT_STR_INIT;
	int head = !!(rev->flags & RETORT_REV_HEAD);
	int real_head = !!(rev->flags & RETORT_REV_REAL_HEAD);
	int bp = !!(rev->flags & RETORT_REV_BRANCHPOINT);
	int mp = !!(rev->flags & RETORT_REV_MERGEPOINT);
	int error;

	if (flags & RETORT_FMT_VERBOSE) {
		const char *p, *nl;
		uint32_t i;

		rt_str_printf(&s, "Rev: %s%s%s%s%s\n", rev->s.id,
			      head ? " (head)" : "", bp ? " (branchpoint)" : "",
			      mp ? " (mergepoint)" : "",
			      flags & RETORT_FMT_CURRENT ? " (current)" : "");
		rt_str_puts(&s, mp ? "Merges: " : "Parent: ");
		down_text(&s, rev);
		rt_str_putc(&s, '\n');
		if (rev->s.ndeps) {
			rt_str_puts(&s, "Also depends on: ");
			comma_list(&s, rev->s.deps, rev->s.ndeps);
			rt_str_putc(&s, '\n');
		}
		if (bp) {
			rt_str_puts(&s, "Branches into: ");
			for (i = 0; i < rev->next.n; i++)
				rt_str_printf(
				    &s, "%s%s", i ? ", " : "",
				    retort_revision_child_at(rev, i)->s.id);
			rt_str_putc(&s, '\n');
		}
		if (rev->labels.n) {
			rt_str_puts(&s, "Branch names: ");
			comma_list(&s, rev->label_names, rev->labels.n);
			rt_str_putc(&s, '\n');
		}
		rt_str_printf(&s, "Path: %s\n\n", rev->s.path);
		for (p = rev->s.longdoc; p;) {
			nl = strchr(p, '\n');
			rt_str_puts(&s, "    ");
			rt_str_append(&s, p, nl ? (size_t)(nl - p) : strlen(p));
			if (!nl)
				break;
			rt_str_putc(&s, '\n');
			p = nl + 1;
		}
		rt_str_putc(&s, '\n');
	} else {
		if (flags & RETORT_FMT_PARENTS) {
			down_text(&s, rev);
			if (rev->s.ndeps) {
				rt_str_puts(&s, " (");
				comma_list(&s, rev->s.deps, rev->s.ndeps);
				rt_str_putc(&s, ')');
			}
			rt_str_puts(&s, " -> ");
		}
		rt_str_puts(&s, rev->s.id);
		if ((flags & RETORT_FMT_BRANCHES) && rev->labels.n) {
			rt_str_puts(&s, " (");
			comma_list(&s, rev->label_names, rev->labels.n);
			rt_str_putc(&s, ')');
		}
		if (flags & (RETORT_FMT_HEAD | RETORT_FMT_TREE)) {
			if (real_head)
				rt_str_puts(&s, " (head)");
			if (head && !real_head)
				rt_str_puts(&s, " (effective head)");
			if (flags & RETORT_FMT_CURRENT)
				rt_str_puts(&s, " (current)");
		}
		if (flags & RETORT_FMT_TREE) {
			if (bp)
				rt_str_puts(&s, " (branchpoint)");
			if (mp)
				rt_str_puts(&s, " (mergepoint)");
		}
		if (flags & RETORT_FMT_DOC)
			rt_str_printf(&s, ", %s", rev->s.doc);
	}
	error = buf_append(out, &s);
	rt_str_dispose(&s);
	return error;
}
