/* SPDX-License-Identifier: MIT */
/*
 * model.c: the schema model's life cycle (sort, free) and the helpers
 * every schema file shares (see internal.h): canonical SQL text,
 * identifier quoting, name order, topological sort, the introspection
 * helpers, and loading a declared schema into a scratch database.
 * It is the bottom of the schema module: it calls nothing in the other
 * schema files (introspect.c reads a database into a model through the
 * two back ends, which use these helpers).
 *
 * Invariants: rt_sx_canon is a pure function of the token sequence, so two
 * texts that differ only in blanks and comments give the same string;
 * rt_sql_ident (sql/quote.c) quotes every keyword of either dialect, so generated SQL never
 * depends on which words a dialect reserves.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/internal.h"
#include "sql/tokenize.h"
#include "util/map.h"
#include "util/vec.h"

/* ------------------------------------------------------------------ */
/* Names */

int rt_sx_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

int rt_sx_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

int rt_sx_ieq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

int rt_sx_cmp_name(const char *sa, const char *na, const char *sb,
		   const char *nb)
{
	int c = rt_sx_cmp(sa, sb);

	return c ? c : rt_sx_cmp(na, nb);
}

const char **rt_sx_strs(rt_arena *a, const char *const *v, size_t n)
{
	const char **out = rt_arena_alloc(a, (n ? n : 1) * sizeof(*out));
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++)
		if (!(out[i] = rt_arena_strdup(a, v[i])))
			return NULL;
	return out;
}

const char rt_sx_public[] = "public";

int rt_sx_unqualified(const char *schema)
{
	return !schema || !*schema ||
	       (schema != rt_sx_public && !strcmp(schema, "public"));
}

void rt_sx_qname(rt_str *out, rt_dialect d, const char *schema,
		 const char *name)
{
	if (!rt_sx_unqualified(schema)) {
		rt_sql_ident(out, d, schema);
		rt_str_putc(out, '.');
	}
	rt_sql_ident(out, d, name);
}

void rt_sx_display(rt_str *out, const char *schema, const char *name)
{
	if (!rt_sx_unqualified(schema))
		rt_str_printf(out, "%s.", schema);
	rt_str_puts(out, name);
}

void rt_sx_pg_type_name(rt_str *out, const rt_enum *e)
{
	if (e->type_name) {
		rt_str_puts(out, e->type_name);
		return;
	}
	/* format_type quotes like quote_ident: lower-case plain names and
	 * non-keywords stay bare; the reserved-word list differs a little
	 * from ours, which only matters for enums named like keywords */
	rt_sx_qname(out, RT_DIALECT_POSTGRESQL, e->schema, e->name);
}

/* ------------------------------------------------------------------ */
/* Text */

char *rt_sx_dequote(rt_arena *a, const char *tok, size_t len)
{
	char q, close, *out, *w;
	size_t i;

	if (len < 2 || !strchr("\"[`'", tok[0]))
		return rt_arena_strndup(a, tok, len);
	q = tok[0];
	close = q == '[' ? ']' : q;
	out = rt_arena_alloc(a, len);
	if (!out)
		return NULL;
	w = out;
	for (i = 1; i < len; i++) {
		if (tok[i] == close) {
			if (close != ']' && i + 1 < len &&
			    tok[i + 1] == close) {
				*w++ = close;
				i++;
				continue;
			}
			break;
		}
		*w++ = tok[i];
	}
	*w = '\0';
	return out;
}

static int tok_is(const char *sql, const rt_sql_token *t, char c)
{
	return t->kind == RT_SQL_OTHER && t->len == 1 && sql[t->start] == c;
}

char *rt_sx_canon(rt_arena *a, rt_dialect d, const char *sql, size_t len,
		  int upper)
{
	rt_str s = RT_STR_INIT;
	rt_sql_token tok, prev;
	size_t pos = 0, i;
	int have = 0;
	char *out;

	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		if (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT)
			continue;
		if (have && !tok_is(sql, &prev, '(') &&
		    !tok_is(sql, &prev, '.') && !tok_is(sql, &tok, ')') &&
		    !tok_is(sql, &tok, ',') && !tok_is(sql, &tok, '.') &&
		    !tok_is(sql, &tok, '('))
			rt_str_putc(&s, ' ');
		if (upper && tok.kind == RT_SQL_WORD) {
			for (i = 0; i < tok.len; i++)
				rt_str_putc(
				    &s, (char)toupper(
					    (unsigned char)sql[tok.start + i]));
		} else {
			rt_str_append(&s, sql + tok.start, tok.len);
		}
		prev = tok;
		have = 1;
	}
	if (s.oom) {
		rt_str_dispose(&s);
		return NULL;
	}
	out = rt_arena_strndup(a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	return out;
}

int rt_sx_mentions(rt_dialect d, const char *text, const char *name)
{
	rt_sql_token tok;
	size_t pos = 0, len, n = strlen(name);

	if (!text)
		return 0;
	len = strlen(text);
	while (rt_sql_next(d, text, len, &pos, &tok)) {
		const char *p = text + tok.start;

		if (tok.kind == RT_SQL_WORD) {
			if (tok.len == n && !strncasecmp(p, name, n))
				return 1;
		} else if (tok.kind == RT_SQL_STRING && tok.len == n + 2 &&
			   p[0] != '\'' && !strncasecmp(p + 1, name, n)) {
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Order */

static int cmp_table(const void *a, const void *b)
{
	const rt_table *x = a, *y = b;

	return rt_sx_cmp_name(x->schema, x->name, y->schema, y->name);
}

static int cmp_view(const void *a, const void *b)
{
	const rt_view *x = a, *y = b;

	return rt_sx_cmp_name(x->schema, x->name, y->schema, y->name);
}

static int cmp_enum(const void *a, const void *b)
{
	const rt_enum *x = a, *y = b;

	return rt_sx_cmp_name(x->schema, x->name, y->schema, y->name);
}

static int cmp_seq(const void *a, const void *b)
{
	const rt_sequence *x = a, *y = b;

	return rt_sx_cmp_name(x->schema, x->name, y->schema, y->name);
}

static int cmp_ext(const void *a, const void *b)
{
	const rt_extension *x = a, *y = b;

	return rt_sx_cmp(x->name, y->name);
}

static int cmp_str(const void *a, const void *b)
{
	return rt_sx_cmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_strs(const char *const *a, size_t na, const char *const *b,
		    size_t nb)
{
	size_t i;
	int c;

	for (i = 0; i < na && i < nb; i++)
		if ((c = rt_sx_cmp(a[i], b[i])))
			return c;
	return na < nb ? -1 : na > nb;
}

static int cmp_key(const void *a, const void *b)
{
	const rt_key *x = a, *y = b;
	int c = rt_sx_cmp(x->name, y->name);

	return c ? c
		 : cmp_strs(x->columns, x->ncolumns, y->columns, y->ncolumns);
}

static int cmp_check(const void *a, const void *b)
{
	const rt_check *x = a, *y = b;
	int c = rt_sx_cmp(x->name, y->name);

	return c ? c : rt_sx_cmp(x->expr, y->expr);
}

static int cmp_fk(const void *a, const void *b)
{
	const rt_fk *x = a, *y = b;
	int c = rt_sx_cmp(x->name, y->name);

	if (!c)
		c = cmp_strs(x->columns, x->ncolumns, y->columns, y->ncolumns);
	if (!c)
		c = rt_sx_cmp_name(x->ref_schema, x->ref_table, y->ref_schema,
				   y->ref_table);
	return c ? c
		 : cmp_strs(x->ref_columns, x->nref_columns, y->ref_columns,
			    y->nref_columns);
}

static int cmp_index(const void *a, const void *b)
{
	const rt_index *x = a, *y = b;

	return rt_sx_cmp(x->name, y->name);
}

static int cmp_trigger(const void *a, const void *b)
{
	const rt_trigger *x = a, *y = b;

	return rt_sx_cmp(x->name, y->name);
}

static int cmp_comment(const void *a, const void *b)
{
	const rt_comment *x = a, *y = b;

	return rt_sx_cmp(x->name, y->name);
}

#define SORT(v, n, f)                                       \
	do {                                                \
		if ((n) > 1)                                \
			qsort((v), (n), sizeof(*(v)), (f)); \
	} while (0)

void rt_sx_sort(rt_schema *s)
{
	size_t i;

	SORT(s->schemas, s->nschemas, cmp_str);
	SORT(s->tables, s->ntables, cmp_table);
	SORT(s->views, s->nviews, cmp_view);
	SORT(s->enums, s->nenums, cmp_enum);
	SORT(s->sequences, s->nsequences, cmp_seq);
	SORT(s->extensions, s->nextensions, cmp_ext);
	SORT(s->unsupported, s->nunsupported, cmp_str);
	for (i = 0; i < s->ntables; i++) {
		rt_table *t = &s->tables[i];

		SORT(t->uniques, t->nuniques, cmp_key);
		SORT(t->checks, t->nchecks, cmp_check);
		SORT(t->fks, t->nfks, cmp_fk);
		SORT(t->indexes, t->nindexes, cmp_index);
		SORT(t->triggers, t->ntriggers, cmp_trigger);
	}
	for (i = 0; i < s->nviews; i++) {
		rt_view *v = &s->views[i];

		SORT(v->indexes, v->nindexes, cmp_index);
		SORT(v->column_comments, v->ncolumn_comments, cmp_comment);
	}
}

int rt_sx_topo(size_t n, const size_t *from, const size_t *to, size_t nedges,
	       size_t *order)
{
	size_t *indeg = calloc(n ? n : 1, sizeof(*indeg));
	size_t *start = calloc(n + 1, sizeof(*start));
	size_t *adj = malloc((nedges ? nedges : 1) * sizeof(*adj));
	size_t *fill = calloc(n ? n : 1, sizeof(*fill));
	unsigned char *done = calloc(n ? n : 1, 1);
	size_t i, head = 0, tail = 0, scan = 0;
	int error = -1;

	if (!indeg || !start || !adj || !fill || !done)
		goto out;
	for (i = 0; i < nedges; i++) {
		if (from[i] == to[i])
			continue;
		start[from[i] + 1]++;
		indeg[to[i]]++;
	}
	for (i = 0; i < n; i++)
		start[i + 1] += start[i];
	for (i = 0; i < nedges; i++)
		if (from[i] != to[i])
			adj[start[from[i]] + fill[from[i]]++] = to[i];
	/* Kahn's algorithm; `order` doubles as the queue. When the queue
	 * runs dry with nodes left (a cycle), the first remaining node in
	 * index order goes next. */
	while (tail < n) {
		if (head == tail) {
			while (scan < n && (done[scan] || indeg[scan]))
				scan++;
			if (scan == n) {
				scan = 0;
				while (done[scan])
					scan++;
			}
			done[scan] = 1;
			order[tail++] = scan;
		}
		{
			size_t u = order[head++], k;

			for (k = start[u]; k < start[u + 1]; k++) {
				size_t v = adj[k];

				if (indeg[v])
					indeg[v]--;
				if (!indeg[v] && !done[v]) {
					done[v] = 1;
					order[tail++] = v;
				}
			}
		}
	}
	error = 0;
out:
	free(indeg);
	free(start);
	free(adj);
	free(fill);
	free(done);
	return error;
}

int rt_sx_view_order(rt_dialect d, const rt_view *views, size_t n,
		     size_t *order)
{
	rt_map m = RT_MAP_INIT;
	RT_VEC(size_t) ef = RT_VEC_INIT, et = RT_VEC_INIT;
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	size_t i, q;
	int ok = keys != NULL;

	for (i = 0; i < n && ok; i++) {
		keys[i] = rt_strdup(views[i].name);
		if (!keys[i]) {
			ok = 0;
			break;
		}
		for (q = 0; keys[i][q]; q++)
			keys[i][q] = (char)tolower((unsigned char)keys[i][q]);
		ok = rt_map_put(&m, keys[i], strlen(keys[i]), (uint32_t)i) == 0;
	}
	for (i = 0; i < n && ok; i++) {
		const char *text = views[i].definition;
		size_t pos = 0, len = text ? strlen(text) : 0;
		rt_sql_token tok;
		char buf[256];
		uint32_t j;

		while (ok && rt_sql_next(d, text, len, &pos, &tok)) {
			const char *p = text + tok.start;
			size_t nn = tok.len;

			if (tok.kind == RT_SQL_STRING && nn >= 2 &&
			    p[0] != '\'') {
				p++;
				nn -= 2;
			} else if (tok.kind != RT_SQL_WORD) {
				continue;
			}
			if (nn >= sizeof(buf))
				continue;
			for (q = 0; q < nn; q++)
				buf[q] = (char)tolower((unsigned char)p[q]);
			if (rt_map_get(&m, buf, nn, &j) && j != i &&
			    (RT_VEC_PUSH(&ef, (size_t)j) < 0 ||
			     RT_VEC_PUSH(&et, i) < 0))
				ok = 0;
		}
	}
	if (ok && rt_sx_topo(n, ef.v, et.v, ef.n, order) < 0)
		ok = 0;
	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	rt_map_free(&m);
	RT_VEC_FREE(&ef);
	RT_VEC_FREE(&et);
	return ok ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Life cycle */

void rt_schema_free(rt_schema *s)
{
	if (!s)
		return;
	rt_arena_free(&s->arena);
	free(s);
}

int rt_schema_load(const rt_driver *drv, rt_conn *c, const char *path,
		   const char *sql, size_t len, rt_err *err)
{
	rt_failure f;
	rt_err ignored = RT_ERR_INIT;
	int error;

	f.offset = -1;
	f.sqlstate[0] = '\0';
	if (drv->run_step) {
		error = drv->run_step(c, 1, sql, len, NULL, 0, NULL, &f, err);
	} else {
		error = drv->begin(c, err);
		if (!error)
			error = drv->exec(c, sql, len, &f, err);
	}
	if (error < 0) {
		/* "path:line: message (SQLSTATE)", as a revision's errors */
		if (error != RETORT_ENOMEM && error != RETORT_EDB) {
			rt_str msg = RT_STR_INIT;

			rt_str_puts(&msg, path ? path : "the declared schema");
			if (f.offset >= 0)
				rt_str_printf(
				    &msg, ":%u",
				    rt_sql_line_of(sql, len, (size_t)f.offset));
			rt_str_printf(&msg, ": %s%s%s%s", rt_err_msg(err),
				      f.sqlstate[0] ? " (SQLSTATE " : "",
				      f.sqlstate, f.sqlstate[0] ? ")" : "");
			rt_err_set(err, error, "%s", rt_str_cstr(&msg));
			rt_str_dispose(&msg);
		}
		drv->rollback(c, &ignored);
		rt_err_dispose(&ignored);
		return error;
	}
	return drv->commit(c, err);
}

const rt_column *rt_sx_find_column(const rt_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && i < t->ncolumns; i++)
		if (rt_sx_eq(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

void rt_sx_tparts_finish(rt_arena *a, int *oom, rt_table *t,
			 const rt_sx_tparts *p)
{
	RT_SX_TO_ARENA(a, *oom, t->columns, t->ncolumns, p->cols);
	RT_SX_TO_ARENA(a, *oom, t->uniques, t->nuniques, p->uniques);
	RT_SX_TO_ARENA(a, *oom, t->checks, t->nchecks, p->checks);
	RT_SX_TO_ARENA(a, *oom, t->fks, t->nfks, p->fks);
	RT_SX_TO_ARENA(a, *oom, t->indexes, t->nindexes, p->indexes);
	RT_SX_TO_ARENA(a, *oom, t->triggers, t->ntriggers, p->triggers);
}

void rt_sx_tparts_free(rt_sx_tparts *p)
{
	RT_VEC_FREE(&p->cols);
	RT_VEC_FREE(&p->uniques);
	RT_VEC_FREE(&p->checks);
	RT_VEC_FREE(&p->fks);
	RT_VEC_FREE(&p->indexes);
	RT_VEC_FREE(&p->triggers);
}

const char *rt_sx_dup(rt_arena *a, const char *s, int *oom)
{
	const char *d;

	if (!s)
		return NULL;
	d = rt_arena_strdup(a, s);
	if (!d)
		*oom = 1;
	return d;
}

void rt_sx_note(rt_arena *a, rt_sx_strvec *notes, int *oom, const char *fmt,
		...)
{
	rt_str s = RT_STR_INIT;
	const char *d;
	va_list ap;

	va_start(ap, fmt);
	rt_str_vprintf(&s, fmt, ap);
	va_end(ap);
	d = s.oom ? NULL : rt_arena_strdup(a, rt_str_cstr(&s));
	rt_str_dispose(&s);
	if (!d || RT_VEC_PUSH(notes, d) < 0)
		*oom = 1;
}
