/*
 * diff.c: what it takes to turn one model into another (rt_schema_diff),
 * as a list of changes in the order the upgrade runs them.
 *
 * Changes are collected into phases, then concatenated:
 *   drop views (readers first);
 *   add schemas, extensions, enums, sequences;
 *   drop triggers, foreign keys, keys and indexes, tables (children
 *     first);
 *   add tables (parents first), column changes, SQLite rebuilds (parents
 *     first), keys and indexes, triggers, foreign keys, sequence owners,
 *     views (dependencies first);
 *   drop sequences, enums, extensions, schemas.
 * A changed object is an RT_CHANGE_IMPLIED drop in its drop phase plus a
 * described add in its add phase. On SQLite, a table whose changes
 * ALTER TABLE cannot make gets an RT_REBUILD_TABLE; its changes stay in
 * the list (flagged RT_CHANGE_IN_REBUILD) so that `check` shows them.
 * Views that read a table that is rebuilt, loses a column or changes a
 * column's type are dropped and recreated around it (implied), and so are
 * views reading those views; on SQLite the same holds for triggers on
 * other tables that mention a rebuilt table (a rebuilt table's own
 * triggers are dropped before and created after all rebuilds), and on
 * PostgreSQL for foreign keys that reference a key being dropped and
 * re-added.
 *
 * Invariants: objects are matched by sorted merges or hash maps, never by
 * nested scans over all tables; every string lives in the diff's arena,
 * every object pointer points into the two models.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sql/tokenize.h"
#include "util/map.h"
#include "util/vec.h"
#include "schema/internal.h"

enum {
	PH_DROP_VIEW,
	PH_ADD_SCHEMA,
	PH_ADD_EXTENSION,
	PH_ENUM,
	PH_SEQUENCE,
	PH_DROP_TRIGGER,
	PH_DROP_FK,
	PH_DROP_KEYS,
	PH_DROP_TABLE,
	PH_ADD_TABLE,
	PH_COLUMNS,
	PH_REBUILD,
	PH_ADD_KEYS,
	PH_ADD_TRIGGER,
	PH_ADD_FK,
	PH_SEQ_OWNER,
	PH_ADD_VIEW,
	PH_DROP_SEQUENCE,
	PH_DROP_ENUM,
	PH_DROP_EXTENSION,
	PH_DROP_SCHEMA,
	NPHASES
};

typedef RT_VEC(rt_change) chvec;

typedef struct fkpair { /* an unchanged foreign key, both sides */
	const rt_table *table;
	const rt_fk *from, *to;
} fkpair;

typedef struct trpair { /* an unchanged SQLite trigger, both sides */
	const rt_table *table;
	const rt_trigger *from, *to;
} trpair;

typedef struct rebuild {
	const rt_table *from, *to;
	chvec changes;
} rebuild;

typedef struct dctx {
	rt_diff *d;
	rt_arena *a;
	rt_dialect dialect;
	chvec ph[NPHASES];
	RT_VEC(rebuild) rebuilds;
	RT_VEC(fkpair) kept_fks;
	RT_VEC(trpair) kept_triggers;
	rt_map disturbed;  /* lower-cased names views must be rebuilt for */
	rt_map keychanged; /* "schema\x1fname": PG tables losing a key */
	rt_map rebuilt;	   /* lower-cased names of SQLite rebuilt tables */
	int oom;
} dctx;

/* Per table pair while diffing it. */
typedef struct tdiff {
	const rt_table *from, *to;
	const char *disp; /* display name */
	chvec drop_fk, drop_keys, drop_trig;
	chvec col_add, col_change, col_drop;
	chvec add_keys, add_trig, add_fk;
	int rebuild; /* SQLite: ALTER TABLE cannot do it */
	const char *rebuild_why;
	int disturbed;	/* views reading it must be recreated */
	int keychanged; /* PG: a PK/unique goes (FKs onto it) */
} tdiff;

/* ------------------------------------------------------------------ */
/* Small helpers */

static const char *fmt(dctx *x, const char *f, ...)
    __attribute__((format(printf, 2, 3)));

static const char *fmt(dctx *x, const char *f, ...)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	va_list ap;

	va_start(ap, f);
	rt_str_vprintf(&s, f, ap);
	va_end(ap);
	out = s.oom ? NULL : rt_arena_strndup(x->a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

static const char *disp(dctx *x, const char *schema, const char *name)
{
	rt_str s = RT_STR_INIT;
	const char *out;

	sx_display(&s, schema, name);
	out = s.oom ? NULL : rt_arena_strndup(x->a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

static const char *join(dctx *x, const char *const *v, size_t n, int quote)
{
	rt_str s = RT_STR_INIT;
	const char *out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			rt_str_puts(&s, ", ");
		if (quote)
			rt_str_printf(&s, "'%s'", v[i]);
		else
			rt_str_puts(&s, v[i]);
	}
	out = s.oom ? NULL : rt_arena_strndup(x->a, rt_str_cstr(&s), s.len);
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

static void push(dctx *x, chvec *v, rt_change_kind kind, const char *schema,
		 const char *table, const char *name, const void *from,
		 const void *to, const char *desc, const char *warn,
		 unsigned flags)
{
	rt_change c;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.schema = schema;
	c.table = table;
	c.name = name;
	c.from = from;
	c.to = to;
	c.description = desc;
	c.warning = warn;
	c.flags = flags;
	if (RT_VEC_PUSH(v, c) < 0)
		x->oom = 1;
}

static void append(dctx *x, chvec *dst, chvec *src, unsigned flags)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		src->v[i].flags |= flags;
		if (RT_VEC_PUSH(dst, src->v[i]) < 0)
			x->oom = 1;
	}
	RT_VEC_FREE(src);
}

static int strs_eq(const char *const *a, size_t na, const char *const *b,
		   size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (!sx_eq(a[i], b[i]))
			return 0;
	return 1;
}

static void lower_put(dctx *x, rt_map *m, const char *name)
{
	char *k = rt_arena_strdup(x->a, name), *p;

	if (!k) {
		x->oom = 1;
		return;
	}
	for (p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (rt_map_put(m, k, strlen(k), 1) < 0)
		x->oom = 1;
}

static const char *qkey(dctx *x, const char *schema, const char *name)
{
	return fmt(x, "%s\x1f%s", schema ? schema : "", name);
}

/* 1 when an identifier in `text` is a key of m (lower-cased). */
static int mentions_any(rt_dialect d, const char *text, const rt_map *m)
{
	rt_sql_token tok;
	size_t pos = 0, len, i, n;
	char buf[256];
	uint32_t v;

	if (!text || !m->n)
		return 0;
	len = strlen(text);
	while (rt_sql_next(d, text, len, &pos, &tok)) {
		const char *p = text + tok.start;

		n = tok.len;
		if (tok.kind == RT_SQL_STRING && n >= 2 && p[0] != '\'') {
			p++;
			n -= 2;
		} else if (tok.kind != RT_SQL_WORD) {
			continue;
		}
		if (n >= sizeof(buf))
			continue;
		for (i = 0; i < n; i++)
			buf[i] = (char)tolower((unsigned char)p[i]);
		if (rt_map_get(m, buf, n, &v))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Types: is a change safe, narrowing, or a conversion? */

enum { TC_SAFE, TC_NARROW, TC_CONVERT };

typedef struct tinfo {
	char base[64];
	long args[2];
	int nargs;
	int array;
} tinfo;

static void parse_type(const char *t, tinfo *p)
{
	size_t n = 0;
	int depth = 0, space = 0;
	const char *s;

	memset(p, 0, sizeof(*p));
	for (s = t ? t : ""; *s; s++) {
		if (*s == '(') {
			if (!depth && p->nargs < 2) {
				char *end;

				p->args[p->nargs] = strtol(s + 1, &end, 10);
				if (end != s + 1)
					p->nargs++;
				if (*end == ',' && p->nargs < 2) {
					const char *q = end + 1;

					while (*q == ' ')
						q++;
					p->args[p->nargs] = strtol(q, &end, 10);
					if (end != q)
						p->nargs++;
				}
			}
			depth++;
			continue;
		}
		if (*s == ')') {
			depth -= depth > 0;
			continue;
		}
		if (depth)
			continue;
		if (*s == '[') {
			p->array = 1;
			break;
		}
		if (*s == ' ') {
			space = n > 0;
			continue;
		}
		if (n + 2 < sizeof(p->base)) {
			if (space)
				p->base[n++] = ' ';
			p->base[n++] = (char)tolower((unsigned char)*s);
		}
		space = 0;
	}
	p->base[n] = '\0';
}

/* family*10 + rank: 1x integers, 2x floats, 3x text, 40 numeric */
static int family(const char *b)
{
	static const struct {
		const char *name;
		int code;
	} names[] = {
		{ "tinyint", 11 },
		{ "smallint", 11 },
		{ "int2", 11 },
		{ "mediumint", 12 },
		{ "int", 12 },
		{ "integer", 12 },
		{ "int4", 12 },
		{ "bigint", 13 },
		{ "int8", 13 },
		{ "real", 21 },
		{ "float4", 21 },
		{ "float", 22 },
		{ "double", 22 },
		{ "double precision", 22 },
		{ "float8", 22 },
		{ "char", 31 },
		{ "character", 31 },
		{ "bpchar", 31 },
		{ "nchar", 31 },
		{ "varchar", 32 },
		{ "character varying", 32 },
		{ "nvarchar", 32 },
		{ "varying character", 32 },
		{ "text", 33 },
		{ "clob", 33 },
		{ "numeric", 40 },
		{ "decimal", 40 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(b, names[i].name))
			return names[i].code;
	return 0;
}

static long text_len(const tinfo *t, int fam)
{
	if (fam == 33 || (fam == 32 && !t->nargs))
		return -1; /* unbounded */
	return t->nargs ? t->args[0] : 1;
}

static int type_change(const char *from, const char *to)
{
	tinfo a, b;
	int fa, fb;
	static const long digits[] = { 0, 5, 10, 19 };

	parse_type(from, &a);
	parse_type(to, &b);
	if (a.array != b.array)
		return TC_CONVERT;
	fa = family(a.base);
	fb = family(b.base);
	if (!strcmp(a.base, b.base) || (fa && fa == fb)) {
		if (fa == 40) {
			if (!b.nargs)
				return TC_SAFE;
			if (!a.nargs)
				return TC_NARROW;
			{
				long sa = a.nargs > 1 ? a.args[1] : 0;
				long sb = b.nargs > 1 ? b.args[1] : 0;

				return b.args[0] - sb < a.args[0] - sa ||
					       sb < sa
					   ? TC_NARROW
					   : TC_SAFE;
			}
		}
		if (!b.nargs)
			return TC_SAFE;
		if (!a.nargs || b.args[0] < a.args[0])
			return TC_NARROW;
		return TC_SAFE;
	}
	if (fa / 10 == fb / 10 && fa / 10 >= 1 && fa / 10 <= 2)
		return fb < fa ? TC_NARROW : TC_SAFE;
	if (fa / 10 == 3 && fb / 10 == 3) {
		long la = text_len(&a, fa), lb = text_len(&b, fb);

		if (lb < 0)
			return TC_SAFE;
		return la < 0 || lb < la ? TC_NARROW : TC_SAFE;
	}
	if (fa / 10 == 1 && fb == 40) {
		if (!b.nargs)
			return TC_SAFE;
		return b.args[0] - (b.nargs > 1 ? b.args[1] : 0) <
			       digits[fa % 10 > 3 ? 3 : fa % 10]
			   ? TC_NARROW
			   : TC_SAFE;
	}
	if (fa == 40 && fb / 10 == 1)
		return TC_NARROW;
	if ((fb == 33 || (fb == 32 && !b.nargs)) && fa && fa / 10 != 3)
		return TC_SAFE;
	return TC_CONVERT;
}

static const char *coltype(dctx *x, const rt_column *c)
{
	const char *t = c->type && *c->type ? c->type : "(no type)";

	if (c->collation)
		return fmt(x, "%s COLLATE %s", t, c->collation);
	return t;
}

/* ------------------------------------------------------------------ */
/* Schemas, extensions, enums, sequences */

static void diff_schemas(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nschemas || j < t->nschemas) {
		int c = i >= f->nschemas ? 1
			: j >= t->nschemas
			    ? -1
			    : sx_cmp(f->schemas[i], t->schemas[j]);

		if (c < 0) {
			const char *n = f->schemas[i++];

			push(x, &x->ph[PH_DROP_SCHEMA], RT_DROP_SCHEMA, n, n,
			     NULL, n, NULL, fmt(x, "drop schema %s", n), NULL,
			     0);
		} else if (c > 0) {
			const char *n = t->schemas[j++];

			push(x, &x->ph[PH_ADD_SCHEMA], RT_ADD_SCHEMA, n, n,
			     NULL, NULL, n, fmt(x, "add schema %s", n), NULL,
			     0);
		} else {
			i++;
			j++;
		}
	}
}

static void diff_extensions(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nextensions || j < t->nextensions) {
		const rt_extension *a =
		    i < f->nextensions ? &f->extensions[i] : NULL;
		const rt_extension *b =
		    j < t->nextensions ? &t->extensions[j] : NULL;
		int c = !a ? 1 : !b ? -1 : sx_cmp(a->name, b->name);

		if (a && c <= 0 &&
		    (c < 0 || !b || !sx_eq(a->schema, b->schema)))
			push(x, &x->ph[PH_DROP_EXTENSION], RT_DROP_EXTENSION,
			     a->schema, a->name, NULL, a, NULL,
			     c < 0 ? fmt(x, "drop extension %s", a->name)
				   : NULL,
			     NULL, c < 0 ? 0 : RT_CHANGE_IMPLIED);
		if (b && c >= 0 &&
		    (c > 0 || !a || !sx_eq(a->schema, b->schema)))
			push(x, &x->ph[PH_ADD_EXTENSION], RT_ADD_EXTENSION,
			     b->schema, b->name, NULL, NULL, b,
			     c > 0
				 ? fmt(x, "add extension %s", b->name)
				 : fmt(x,
				       "move extension %s from schema %s "
				       "to %s",
				       b->name, a ? a->schema : "", b->schema),
			     NULL, 0);
		i += c <= 0;
		j += c >= 0;
	}
}

/* Columns of `s` whose type is the enum (or an array of it). */
static void disturb_enum_users(dctx *x, const rt_schema *s, const rt_enum *e)
{
	rt_str tn = RT_STR_INIT, arr = RT_STR_INIT;
	size_t i, k;

	sx_pg_type_name(&tn, e);
	rt_str_printf(&arr, "%s[]", rt_str_cstr(&tn));
	for (i = 0; i < s->ntables; i++) {
		const rt_table *t = &s->tables[i];

		for (k = 0; k < t->ncolumns; k++)
			if (sx_eq(t->columns[k].type, rt_str_cstr(&tn)) ||
			    sx_eq(t->columns[k].type, rt_str_cstr(&arr))) {
				lower_put(x, &x->disturbed, t->name);
				break;
			}
	}
	rt_str_dispose(&tn);
	rt_str_dispose(&arr);
}

/* 1 when every label of a appears in b, in the same order. */
static int labels_kept(const rt_enum *a, const rt_enum *b)
{
	size_t i = 0, j;

	for (j = 0; j < b->nlabels && i < a->nlabels; j++)
		if (sx_eq(a->labels[i], b->labels[j]))
			i++;
	return i == a->nlabels;
}

static int has_label(const rt_enum *e, const char *l)
{
	size_t i;

	for (i = 0; i < e->nlabels; i++)
		if (sx_eq(e->labels[i], l))
			return 1;
	return 0;
}

static void diff_enum(dctx *x, const rt_schema *fs, const rt_enum *a,
		      const rt_enum *b)
{
	const char *n = disp(x, b->schema, b->name);
	size_t j;

	if (strs_eq(a->labels, a->nlabels, b->labels, b->nlabels))
		return;
	if (labels_kept(a, b)) {
		for (j = 0; j < b->nlabels; j++)
			if (!has_label(a, b->labels[j]))
				push(x, &x->ph[PH_ENUM], RT_ADD_ENUM_VALUE,
				     b->schema, b->name, b->labels[j], a, b,
				     fmt(x, "add value '%s' to enum %s",
					 b->labels[j], n),
				     NULL, 0);
		return;
	}
	{
		RT_VEC(const char *) gone = RT_VEC_INIT;
		const char *warn;

		for (j = 0; j < a->nlabels; j++)
			if (!has_label(b, a->labels[j]) &&
			    RT_VEC_PUSH(&gone, a->labels[j]) < 0)
				x->oom = 1;
		if (gone.n)
			warn = fmt(x,
				   "drops value%s %s from enum %s: converting "
				   "the columns fails if rows hold %s",
				   gone.n > 1 ? "s" : "",
				   join(x, gone.v, gone.n, 1), n,
				   gone.n > 1 ? "them" : "it");
		else
			warn = fmt(x,
				   "recreates enum %s to reorder its values "
				   "and converts the columns using it",
				   n);
		RT_VEC_FREE(&gone);
		push(x, &x->ph[PH_ENUM], RT_CHANGE_ENUM, b->schema, b->name,
		     NULL, a, b,
		     fmt(x, "change enum %s from (%s) to (%s)", n,
			 join(x, a->labels, a->nlabels, 1),
			 join(x, b->labels, b->nlabels, 1)),
		     warn, 0);
		disturb_enum_users(x, fs, a);
	}
}

static void diff_enums(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nenums || j < t->nenums) {
		const rt_enum *a = i < f->nenums ? &f->enums[i] : NULL;
		const rt_enum *b = j < t->nenums ? &t->enums[j] : NULL;
		int c =
		    !a	 ? 1
		    : !b ? -1
			 : sx_cmp_name(a->schema, a->name, b->schema, b->name);

		if (c < 0 && a)
			push(
			    x, &x->ph[PH_DROP_ENUM], RT_DROP_ENUM, a->schema,
			    a->name, NULL, a, NULL,
			    fmt(x, "drop enum %s", disp(x, a->schema, a->name)),
			    NULL, 0);
		else if (c > 0 && b)
			push(x, &x->ph[PH_ENUM], RT_ADD_ENUM, b->schema,
			     b->name, NULL, NULL, b,
			     fmt(x, "add enum %s (%s)",
				 disp(x, b->schema, b->name),
				 join(x, b->labels, b->nlabels, 1)),
			     NULL, 0);
		else if (a && b)
			diff_enum(x, f, a, b);
		i += c <= 0;
		j += c >= 0;
	}
}

static void seq_change(dctx *x, const rt_sequence *a, const rt_sequence *b)
{
	rt_str s = RT_STR_INIT;
	const char *n = disp(x, b->schema, b->name);

#define SEQ_FIELD(f, label)                                       \
	if (a->f != b->f)                                         \
		rt_str_printf(&s, "%s" label " %lld -> %lld",     \
			      s.len ? ", " : "", (long long)a->f, \
			      (long long)b->f);
	if (!sx_eq(a->type, b->type))
		rt_str_printf(&s, "type %s -> %s", a->type, b->type);
	SEQ_FIELD(start, "start")
	SEQ_FIELD(increment, "increment")
	SEQ_FIELD(min, "minvalue")
	SEQ_FIELD(max, "maxvalue")
	SEQ_FIELD(cache, "cache")
	SEQ_FIELD(cycle, "cycle")
#undef SEQ_FIELD
	if (!sx_eq(a->owned_by, b->owned_by))
		rt_str_printf(&s, "%sowned by %s -> %s", s.len ? ", " : "",
			      a->owned_by ? a->owned_by : "none",
			      b->owned_by ? b->owned_by : "none");
	if (s.len) {
		push(x, &x->ph[PH_SEQUENCE], RT_CHANGE_SEQUENCE, b->schema,
		     b->name, NULL, a, b,
		     fmt(x, "change sequence %s (%s)", n, rt_str_cstr(&s)),
		     type_change(a->type, b->type) == TC_NARROW ||
			     b->max < a->max
			 ? fmt(x,
			       "narrows sequence %s: fails if its current "
			       "value is past the new maximum",
			       n)
			 : NULL,
		     0);
		if (b->owned_by && !sx_eq(a->owned_by, b->owned_by))
			push(x, &x->ph[PH_SEQ_OWNER], RT_SET_SEQUENCE_OWNER,
			     b->schema, b->name, NULL, a, b, NULL, NULL,
			     RT_CHANGE_IMPLIED);
	}
	if (s.oom)
		x->oom = 1;
	rt_str_dispose(&s);
}

static void diff_sequences(dctx *x, const rt_schema *f, const rt_schema *t)
{
	size_t i = 0, j = 0;

	while (i < f->nsequences || j < t->nsequences) {
		const rt_sequence *a =
		    i < f->nsequences ? &f->sequences[i] : NULL;
		const rt_sequence *b =
		    j < t->nsequences ? &t->sequences[j] : NULL;
		int c =
		    !a	 ? 1
		    : !b ? -1
			 : sx_cmp_name(a->schema, a->name, b->schema, b->name);

		if (c < 0 && a) {
			push(x, &x->ph[PH_DROP_SEQUENCE], RT_DROP_SEQUENCE,
			     a->schema, a->name, NULL, a, NULL,
			     fmt(x, "drop sequence %s",
				 disp(x, a->schema, a->name)),
			     a->owned_by ? NULL
					 : fmt(x,
					       "drops sequence %s and its "
					       "current value",
					       disp(x, a->schema, a->name)),
			     0);
		} else if (c > 0 && b) {
			push(x, &x->ph[PH_SEQUENCE], RT_ADD_SEQUENCE, b->schema,
			     b->name, NULL, NULL, b,
			     fmt(x, "add sequence %s",
				 disp(x, b->schema, b->name)),
			     NULL, 0);
			if (b->owned_by)
				push(x, &x->ph[PH_SEQ_OWNER],
				     RT_SET_SEQUENCE_OWNER, b->schema, b->name,
				     NULL, NULL, b, NULL, NULL,
				     RT_CHANGE_IMPLIED);
		} else if (a && b) {
			seq_change(x, a, b);
		}
		i += c <= 0;
		j += c >= 0;
	}
}

/* ------------------------------------------------------------------ */
/* Tables */

static int cmp_colp(const void *a, const void *b)
{
	const rt_column *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static const rt_column **sorted_cols(const rt_table *t)
{
	const rt_column **v =
	    malloc((t->ncolumns ? t->ncolumns : 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < t->ncolumns; i++)
		v[i] = &t->columns[i];
	qsort(v, t->ncolumns, sizeof(*v), cmp_colp);
	return v;
}

static const rt_column *find_col(const rt_column **v, size_t n,
				 const char *name)
{
	rt_column key;
	const rt_column *kp = &key, **hit;

	key.name = name;
	hit = bsearch(&kp, v, n, sizeof(*v), cmp_colp);
	return hit ? *hit : NULL;
}

static int in_names(const char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sx_ieq(v[i], name))
			return 1;
	return 0;
}

static int in_key(const rt_table *t, const char *col)
{
	size_t i;

	if (t->primary_key &&
	    in_names(t->primary_key->columns, t->primary_key->ncolumns, col))
		return 1;
	for (i = 0; i < t->nuniques; i++)
		if (in_names(t->uniques[i].columns, t->uniques[i].ncolumns,
			     col))
			return 1;
	return 0;
}

/* SQLite: can ALTER TABLE ADD COLUMN add it? */
static int sqlite_addable(const rt_table *t, const rt_column *c)
{
	if (!c->definition || in_key(t, c->name) || c->default_is_expr ||
	    (c->generated && c->generated_stored) || c->identity)
		return 0;
	if (c->not_null && !c->generated &&
	    (!c->default_expr || sx_ieq(c->default_expr, "NULL")))
		return 0;
	return 1;
}

/* SQLite: can ALTER TABLE DROP COLUMN drop it? */
static int sqlite_droppable(const rt_table *t, const rt_column *c)
{
	size_t i, k;

	if (in_key(t, c->name))
		return 0;
	for (i = 0; i < t->nfks; i++)
		if (in_names(t->fks[i].columns, t->fks[i].ncolumns, c->name))
			return 0;
	for (i = 0; i < t->nchecks; i++)
		if (sx_mentions(RT_DIALECT_SQLITE, t->checks[i].expr, c->name))
			return 0;
	for (i = 0; i < t->ncolumns; i++)
		if (sx_mentions(RT_DIALECT_SQLITE, t->columns[i].generated,
				c->name))
			return 0;
	for (i = 0; i < t->nindexes; i++) {
		for (k = 0; k < t->indexes[i].nkeys; k++)
			if (sx_mentions(RT_DIALECT_SQLITE,
					t->indexes[i].keys[k], c->name))
				return 0;
		if (sx_mentions(RT_DIALECT_SQLITE, t->indexes[i].where,
				c->name))
			return 0;
	}
	for (i = 0; i < t->ntriggers; i++)
		if (sx_mentions(RT_DIALECT_SQLITE, t->triggers[i].definition,
				c->name))
			return 0;
	return 1;
}

static void need_rebuild(tdiff *td, const char *why)
{
	if (!td->rebuild)
		td->rebuild_why = why;
	td->rebuild = 1;
}

static void diff_column(dctx *x, tdiff *td, const rt_column *a,
			const rt_column *b)
{
	const rt_table *t = td->to;
	const char *cn = fmt(x, "%s.%s", td->disp, b->name);
	int lite = x->dialect == RT_DIALECT_SQLITE;
	int type =
	    !sx_eq(a->type, b->type) || !sx_eq(a->collation, b->collation);
	int regen = !lite && b->generated &&
		    (!sx_eq(a->generated, b->generated) ||
		     a->generated_stored != b->generated_stored);
	chvec *v = &td->col_change;
	size_t before = v->n;

#define COL(kind, desc, warn) \
	push(x, v, kind, t->schema, t->name, b->name, a, b, desc, warn, 0)
	if (regen) {
		/* PostgreSQL cannot change a generation expression: the
		 * column is dropped and added again */
		COL(RT_CHANGE_COLUMN_GENERATED,
		    a->generated
			? fmt(x,
			      "change generated expression of %s "
			      "from %s to %s",
			      cn, a->generated, b->generated)
			: fmt(x, "make %s generated as %s", cn, b->generated),
		    fmt(x,
			"drops and re-adds column %s to change its "
			"generation expression (values are recomputed)",
			cn));
		td->disturbed = 1;
		goto comment;
	}
	if (a->generated && (!b->generated || lite) &&
	    (!sx_eq(a->generated, b->generated) ||
	     a->generated_stored != b->generated_stored))
		COL(RT_CHANGE_COLUMN_GENERATED,
		    b->generated ? fmt(x,
				       "change generated expression of %s "
				       "from %s to %s",
				       cn, a->generated, b->generated)
				 : fmt(x,
				       "make %s a plain column (was "
				       "generated as %s)",
				       cn, a->generated),
		    NULL);
	if (a->identity != b->identity && !b->identity)
		COL(RT_CHANGE_COLUMN_IDENTITY,
		    lite ? fmt(x, "drop AUTOINCREMENT from %s", cn)
			 : fmt(x, "drop identity from %s", cn),
		    NULL);
	if (type) {
		int k = type_change(a->type, b->type);

		COL(RT_CHANGE_COLUMN_TYPE,
		    fmt(x, "change type of %s from %s to %s", cn, coltype(x, a),
			coltype(x, b)),
		    k == TC_NARROW
			? fmt(x,
			      "narrows %s from %s to %s: existing values "
			      "may not fit",
			      cn, coltype(x, a), coltype(x, b))
		    : k == TC_CONVERT
			? fmt(x,
			      "converts %s from %s to %s: values that "
			      "do not convert make it fail",
			      cn, coltype(x, a), coltype(x, b))
			: NULL);
		td->disturbed = 1;
	}
	if (!sx_eq(a->default_expr, b->default_expr))
		COL(RT_CHANGE_COLUMN_DEFAULT,
		    !a->default_expr
			? fmt(x, "set default of %s to %s", cn, b->default_expr)
		    : !b->default_expr
			? fmt(x, "drop default of %s (was %s)", cn,
			      a->default_expr)
			: fmt(x, "change default of %s from %s to %s", cn,
			      a->default_expr, b->default_expr),
		    NULL);
	if (a->not_null != b->not_null)
		COL(RT_CHANGE_COLUMN_NULL,
		    b->not_null ? fmt(x, "set NOT NULL on %s", cn)
				: fmt(x, "drop NOT NULL on %s", cn),
		    b->not_null ? fmt(x,
				      "sets NOT NULL on %s: fails if the "
				      "column holds NULLs",
				      cn)
				: NULL);
	if (a->identity != b->identity && b->identity)
		COL(RT_CHANGE_COLUMN_IDENTITY,
		    lite ? fmt(x, "add AUTOINCREMENT to %s", cn)
			 : fmt(x, "make %s an identity column (%s)", cn,
			       b->identity == 'a' ? "GENERATED ALWAYS"
						  : "GENERATED BY DEFAULT"),
		    lite || a->identity
			? NULL
			: fmt(x,
			      "the identity of %s starts at 1: existing "
			      "values may collide with it",
			      cn));
	if (!a->generated && b->generated && lite)
		COL(RT_CHANGE_COLUMN_GENERATED,
		    fmt(x, "make %s generated as %s", cn, b->generated), NULL);
comment:
	if (!sx_eq(a->comment, b->comment))
		COL(RT_CHANGE_COLUMN_COMMENT,
		    fmt(x, "change comment on column %s", cn), NULL);
#undef COL
	if (lite && v->n > before)
		need_rebuild(td, "column changes");
}

static void diff_columns(dctx *x, tdiff *td)
{
	const rt_table *f = td->from, *t = td->to;
	const rt_column **fs = sorted_cols(f), **ts = sorted_cols(t);
	int lite = x->dialect == RT_DIALECT_SQLITE;
	size_t i;

	if (!fs || !ts) {
		x->oom = 1;
		goto done;
	}
	for (i = 0; i < t->ncolumns; i++) {
		const rt_column *b = &t->columns[i];
		const rt_column *a = find_col(fs, f->ncolumns, b->name);
		const char *cn = fmt(x, "%s.%s", td->disp, b->name);

		if (a) {
			diff_column(x, td, a, b);
			continue;
		}
		push(x, &td->col_add, RT_ADD_COLUMN, t->schema, t->name,
		     b->name, NULL, b,
		     fmt(x, "add column %s %s%s", cn, coltype(x, b),
			 b->not_null ? " NOT NULL" : ""),
		     b->not_null && !b->default_expr && !b->identity &&
			     !b->generated
			 ? fmt(x,
			       "adds NOT NULL column %s without a "
			       "default: fails if %s has rows",
			       cn, td->disp)
			 : NULL,
		     0);
		if (lite && !sqlite_addable(t, b))
			need_rebuild(td, "a column ALTER TABLE ADD COLUMN "
					 "cannot add");
	}
	for (i = 0; i < f->ncolumns; i++) {
		const rt_column *a = &f->columns[i];

		if (find_col(ts, t->ncolumns, a->name))
			continue;
		push(x, &td->col_drop, RT_DROP_COLUMN, f->schema, f->name,
		     a->name, a, NULL,
		     fmt(x, "drop column %s.%s", td->disp, a->name),
		     fmt(x, "drops column %s.%s and its data", td->disp,
			 a->name),
		     0);
		td->disturbed = 1;
		if (lite && !sqlite_droppable(f, a))
			need_rebuild(td, "a column ALTER TABLE DROP COLUMN "
					 "cannot drop");
	}
done:
	free(fs);
	free(ts);
}

/* Keyed merge of two arrays of objects. */
typedef struct kv {
	const char *key;
	const void *p;
} kv;

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

typedef void (*pair_fn)(dctx *x, tdiff *td, const void *a, const void *b);

static void merge(dctx *x, tdiff *td, kv *a, size_t na, kv *b, size_t nb,
		  pair_fn fn)
{
	size_t i = 0, j = 0;

	qsort(a, na, sizeof(*a), cmp_kv);
	qsort(b, nb, sizeof(*b), cmp_kv);
	while (i < na || j < nb) {
		int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].key, b[j].key);

		fn(x, td, c <= 0 ? a[i].p : NULL, c >= 0 ? b[j].p : NULL);
		i += c <= 0;
		j += c >= 0;
	}
}

static const char *key_desc(dctx *x, const rt_key *k)
{
	return join(x, k->columns, k->ncolumns, 0);
}

/* "name (a, b)" or "(a, b)" */
static const char *key_named(dctx *x, const rt_key *k)
{
	return k->name ? fmt(x, "%s (%s)", k->name, key_desc(x, k))
		       : fmt(x, "(%s)", key_desc(x, k));
}

static void pk_pair(dctx *x, tdiff *td)
{
	const rt_key *a = td->from->primary_key, *b = td->to->primary_key;
	const rt_table *t = td->to;

	if (!a && !b)
		return;
	if (a && b && sx_eq(a->name, b->name) &&
	    strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	    sx_eq(a->definition, b->definition))
		return;
	if (a) {
		push(x, &td->drop_keys, RT_DROP_PRIMARY_KEY, t->schema, t->name,
		     a->name, a, NULL,
		     b ? NULL
		       : fmt(x, "drop primary key on %s (%s)", td->disp,
			     key_desc(x, a)),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
		td->keychanged = 1;
	}
	if (b)
		push(x, &td->add_keys, RT_ADD_PRIMARY_KEY, t->schema, t->name,
		     b->name, NULL, b,
		     a ? fmt(x, "change primary key on %s from %s to %s",
			     td->disp, key_named(x, a), key_named(x, b))
		       : fmt(x, "add primary key on %s (%s)", td->disp,
			     key_desc(x, b)),
		     fmt(x,
			 "adds a primary key to %s: fails if existing rows "
			 "have duplicates or NULLs",
			 td->disp),
		     0);
	if (x->dialect == RT_DIALECT_SQLITE)
		need_rebuild(td, "primary key changes");
}

static const char *named(dctx *x, const char *name)
{
	return name ? fmt(x, " %s", name) : "";
}

static void unique_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_key *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b && sx_eq(a->name, b->name) &&
	    strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	    sx_eq(a->definition, b->definition))
		return;
	if (a) {
		push(x, &td->drop_keys, RT_DROP_UNIQUE, t->schema, t->name,
		     a->name, a, NULL,
		     b ? NULL
		       : fmt(x, "drop unique constraint%s on %s (%s)",
			     named(x, a->name), td->disp, key_desc(x, a)),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
		td->keychanged = 1;
	}
	if (b)
		push(x, &td->add_keys, RT_ADD_UNIQUE, t->schema, t->name,
		     b->name, NULL, b,
		     a ? fmt(x,
			     "change unique constraint%s on %s from (%s) to "
			     "(%s)",
			     named(x, b->name), td->disp, key_desc(x, a),
			     key_desc(x, b))
		       : fmt(x, "add unique constraint%s on %s (%s)",
			     named(x, b->name), td->disp, key_desc(x, b)),
		     fmt(x,
			 "adds a unique constraint to %s: fails if "
			 "existing rows have duplicates",
			 td->disp),
		     0);
	if (x->dialect == RT_DIALECT_SQLITE)
		need_rebuild(td, "unique constraint changes");
}

static void check_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_check *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b && sx_eq(a->expr, b->expr))
		return;
	if (a)
		push(x, &td->drop_keys, RT_DROP_CHECK, t->schema, t->name,
		     a->name, a, NULL,
		     b ? NULL
		       : fmt(x, "drop check constraint%s on %s (%s)",
			     named(x, a->name), td->disp, a->expr),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
	if (b)
		push(
		    x, &td->add_keys, RT_ADD_CHECK, t->schema, t->name, b->name,
		    NULL, b,
		    a ? fmt(x,
			    "change check constraint%s on %s from (%s) to (%s)",
			    named(x, b->name), td->disp, a->expr, b->expr)
		      : fmt(x, "add check constraint%s on %s (%s)",
			    named(x, b->name), td->disp, b->expr),
		    fmt(x,
			"adds a check constraint to %s: fails if existing "
			"rows violate it",
			td->disp),
		    0);
	if (x->dialect == RT_DIALECT_SQLITE)
		need_rebuild(td, "check constraint changes");
}

static int fk_equal(const rt_fk *a, const rt_fk *b)
{
	return sx_eq(a->name, b->name) &&
	       strs_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	       sx_eq(a->ref_schema, b->ref_schema) &&
	       sx_eq(a->ref_table, b->ref_table) &&
	       strs_eq(a->ref_columns, a->nref_columns, b->ref_columns,
		       b->nref_columns) &&
	       sx_eq(a->on_delete, b->on_delete) &&
	       sx_eq(a->on_update, b->on_update) &&
	       a->deferrable == b->deferrable &&
	       a->initially_deferred == b->initially_deferred &&
	       sx_eq(a->definition, b->definition);
}

static const char *fk_desc(dctx *x, const rt_fk *k)
{
	rt_str s = RT_STR_INIT;
	const char *out;

	rt_str_printf(&s, "(%s) references ",
		      join(x, k->columns, k->ncolumns, 0));
	sx_display(&s, k->ref_schema, k->ref_table);
	if (k->nref_columns)
		rt_str_printf(&s, " (%s)",
			      join(x, k->ref_columns, k->nref_columns, 0));
	if (k->on_delete && strcmp(k->on_delete, "NO ACTION"))
		rt_str_printf(&s, " ON DELETE %s", k->on_delete);
	if (k->on_update && strcmp(k->on_update, "NO ACTION"))
		rt_str_printf(&s, " ON UPDATE %s", k->on_update);
	if (k->deferrable)
		rt_str_printf(&s, " DEFERRABLE%s",
			      k->initially_deferred ? " INITIALLY DEFERRED"
						    : "");
	out = s.oom ? NULL : rt_arena_strdup(x->a, rt_str_cstr(&s));
	rt_str_dispose(&s);
	if (!out)
		x->oom = 1;
	return out ? out : "";
}

static void fk_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_fk *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b && fk_equal(a, b)) {
		fkpair p = { t, a, b };

		if (RT_VEC_PUSH(&x->kept_fks, p) < 0)
			x->oom = 1;
		return;
	}
	if (a)
		push(x, &td->drop_fk, RT_DROP_FK, t->schema, t->name, a->name,
		     a, NULL,
		     b ? NULL
		       : fmt(x, "drop foreign key%s on %s %s",
			     named(x, a->name), td->disp, fk_desc(x, a)),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
	if (b)
		push(x, &td->add_fk, RT_ADD_FK, t->schema, t->name, b->name,
		     NULL, b,
		     a ? fmt(x, "change foreign key%s on %s from %s to %s",
			     named(x, b->name), td->disp, fk_desc(x, a),
			     fk_desc(x, b))
		       : fmt(x, "add foreign key%s on %s %s", named(x, b->name),
			     td->disp, fk_desc(x, b)),
		     fmt(x,
			 "adds a foreign key to %s: fails if existing rows "
			 "reference missing rows",
			 td->disp),
		     0);
	if (x->dialect == RT_DIALECT_SQLITE)
		need_rebuild(td, "foreign key changes");
}

static const char *index_desc(dctx *x, const rt_index *ix)
{
	const char *s = fmt(x, "(%s)", join(x, ix->keys, ix->nkeys, 0));

	if (ix->method && strcmp(ix->method, "btree"))
		s = fmt(x, "USING %s %s", ix->method, s);
	if (ix->where)
		s = fmt(x, "%s WHERE %s", s, ix->where);
	return s;
}

static void index_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_index *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b) {
		if (x->dialect == RT_DIALECT_SQLITE
			? a->unique == b->unique &&
			      strs_eq(a->keys, a->nkeys, b->keys, b->nkeys) &&
			      sx_eq(a->where, b->where)
			: sx_eq(a->definition, b->definition))
			return;
	}
	if (a) {
		push(x, &td->drop_keys, RT_DROP_INDEX, t->schema, t->name,
		     a->name, a, NULL,
		     b ? NULL
		       : fmt(x, "drop %sindex %s on %s %s",
			     a->unique ? "unique " : "", a->name, td->disp,
			     index_desc(x, a)),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
		if (a->unique)
			td->keychanged = 1;
	}
	if (b)
		push(x, &td->add_keys, RT_ADD_INDEX, t->schema, t->name,
		     b->name, NULL, b,
		     a ? fmt(x, "change index %s on %s from %s%s to %s%s",
			     b->name, td->disp, a->unique ? "UNIQUE " : "",
			     index_desc(x, a), b->unique ? "UNIQUE " : "",
			     index_desc(x, b))
		       : fmt(x, "add %sindex %s on %s %s",
			     b->unique ? "unique " : "", b->name, td->disp,
			     index_desc(x, b)),
		     b->unique ? fmt(x,
				     "adds unique index %s: fails if "
				     "existing rows have duplicates",
				     b->name)
			       : NULL,
		     0);
}

static void trigger_pair(dctx *x, tdiff *td, const void *pa, const void *pb)
{
	const rt_trigger *a = pa, *b = pb;
	const rt_table *t = td->to;

	if (a && b) {
		const char *ca = sx_canon(x->a, x->dialect, a->definition,
					  strlen(a->definition), 0);
		const char *cb = sx_canon(x->a, x->dialect, b->definition,
					  strlen(b->definition), 0);

		if (!ca || !cb)
			x->oom = 1;
		if (sx_eq(ca, cb)) {
			trpair p = { t, a, b };

			if (RT_VEC_PUSH(&x->kept_triggers, p) < 0)
				x->oom = 1;
			return;
		}
	}
	if (a)
		push(x, &td->drop_trig, RT_DROP_TRIGGER, t->schema, t->name,
		     a->name, a, NULL,
		     b ? NULL
		       : fmt(x, "drop trigger %s on %s", a->name, td->disp),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
	if (b)
		push(x, &td->add_trig, RT_ADD_TRIGGER, t->schema, t->name,
		     b->name, NULL, b,
		     fmt(x, "%s trigger %s on %s", a ? "change" : "add",
			 b->name, td->disp),
		     NULL, 0);
}

#define KV_FILL(x, v, arr, n, keyexpr)           \
	do {                                     \
		size_t i_;                       \
		for (i_ = 0; i_ < (n); i_++) {   \
			(v)[i_].p = &(arr)[i_];  \
			(v)[i_].key = (keyexpr); \
		}                                \
	} while (0)

static void diff_keys(dctx *x, tdiff *td)
{
	const rt_table *f = td->from, *t = td->to;
	size_t na =
	    f->nuniques + f->nchecks + f->nfks + f->nindexes + f->ntriggers;
	size_t nb =
	    t->nuniques + t->nchecks + t->nfks + t->nindexes + t->ntriggers;
	kv *a = malloc((na ? na : 1) * sizeof(*a));
	kv *b = malloc((nb ? nb : 1) * sizeof(*b));

	if (!a || !b) {
		x->oom = 1;
		goto done;
	}
	pk_pair(x, td);
#define UKEY(k) ((k).name ? (k).name : fmt(x, "(%s)", key_desc(x, &(k))))
	KV_FILL(x, a, f->uniques, f->nuniques, UKEY(f->uniques[i_]));
	KV_FILL(x, b, t->uniques, t->nuniques, UKEY(t->uniques[i_]));
	merge(x, td, a, f->nuniques, b, t->nuniques, unique_pair);
#undef UKEY
#define CKEY(k) ((k).name ? (k).name : fmt(x, "(%s)", (k).expr))
	KV_FILL(x, a, f->checks, f->nchecks, CKEY(f->checks[i_]));
	KV_FILL(x, b, t->checks, t->nchecks, CKEY(t->checks[i_]));
	merge(x, td, a, f->nchecks, b, t->nchecks, check_pair);
#undef CKEY
#define FKEY(k)                                                            \
	((k).name                                                          \
	     ? (k).name                                                    \
	     : fmt(x, "(%s) %s.%s", join(x, (k).columns, (k).ncolumns, 0), \
		   (k).ref_schema ? (k).ref_schema : "", (k).ref_table))
	KV_FILL(x, a, f->fks, f->nfks, FKEY(f->fks[i_]));
	KV_FILL(x, b, t->fks, t->nfks, FKEY(t->fks[i_]));
	merge(x, td, a, f->nfks, b, t->nfks, fk_pair);
#undef FKEY
	KV_FILL(x, a, f->indexes, f->nindexes, f->indexes[i_].name);
	KV_FILL(x, b, t->indexes, t->nindexes, t->indexes[i_].name);
	merge(x, td, a, f->nindexes, b, t->nindexes, index_pair);
	KV_FILL(x, a, f->triggers, f->ntriggers, f->triggers[i_].name);
	KV_FILL(x, b, t->triggers, t->ntriggers, t->triggers[i_].name);
	merge(x, td, a, f->ntriggers, b, t->ntriggers, trigger_pair);
done:
	free(a);
	free(b);
}

static void diff_table(dctx *x, const rt_table *f, const rt_table *t)
{
	tdiff td;
	int lite = x->dialect == RT_DIALECT_SQLITE;

	memset(&td, 0, sizeof(td));
	td.from = f;
	td.to = t;
	td.disp = disp(x, t->schema, t->name);
	diff_columns(x, &td);
	diff_keys(x, &td);
	if (!sx_eq(f->comment, t->comment))
		push(x, &td.col_change, RT_CHANGE_TABLE_COMMENT, t->schema,
		     t->name, NULL, f, t,
		     fmt(x, "change comment on table %s", td.disp), NULL, 0);
	if (lite &&
	    (f->without_rowid != t->without_rowid || f->strict != t->strict))
		need_rebuild(&td, f->without_rowid != t->without_rowid
				      ? "WITHOUT ROWID changes"
				      : "STRICT changes");
	if (td.keychanged && !lite &&
	    rt_map_put(&x->keychanged, qkey(x, t->schema, t->name),
		       strlen(qkey(x, t->schema, t->name)), 1) < 0)
		x->oom = 1;
	if (td.rebuild) {
		rebuild rb;
		size_t nsub;

		memset(&rb, 0, sizeof(rb));
		rb.from = f;
		rb.to = t;
		append(x, &rb.changes, &td.drop_trig, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.drop_fk, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.drop_keys, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.col_add, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.col_change, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.col_drop, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.add_keys, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.add_trig, RT_CHANGE_IN_REBUILD);
		append(x, &rb.changes, &td.add_fk, RT_CHANGE_IN_REBUILD);
		nsub = rb.changes.n;
		push(x, &rb.changes, RT_REBUILD_TABLE, t->schema, t->name, NULL,
		     f, t,
		     nsub ? fmt(x, "rebuild table %s", td.disp)
			  : fmt(x, "rebuild table %s (%s)", td.disp,
				td.rebuild_why),
		     fmt(x,
			 "rebuilds table %s (%s): every row is copied into a "
			 "new table; needs PRAGMA foreign_keys=OFF, or the "
			 "DROP TABLE deletes referencing rows or fails",
			 td.disp, td.rebuild_why),
		     nsub ? RT_CHANGE_IMPLIED : 0);
		if (RT_VEC_PUSH(&x->rebuilds, rb) < 0) {
			RT_VEC_FREE(&rb.changes);
			x->oom = 1;
		}
		/* its triggers go before and come back after every
		 * rebuild: a trigger that names another rebuilt table would
		 * break that table's rename */
		for (nsub = 0; nsub < f->ntriggers; nsub++)
			push(x, &x->ph[PH_DROP_TRIGGER], RT_DROP_TRIGGER,
			     f->schema, f->name, f->triggers[nsub].name,
			     &f->triggers[nsub], NULL, NULL, NULL,
			     RT_CHANGE_IMPLIED);
		for (nsub = 0; nsub < t->ntriggers; nsub++)
			push(x, &x->ph[PH_ADD_TRIGGER], RT_ADD_TRIGGER,
			     t->schema, t->name, t->triggers[nsub].name, NULL,
			     &t->triggers[nsub], NULL, NULL, RT_CHANGE_IMPLIED);
		lower_put(x, &x->disturbed, t->name);
		lower_put(x, &x->rebuilt, t->name);
		return;
	}
	append(x, &x->ph[PH_DROP_TRIGGER], &td.drop_trig, 0);
	append(x, &x->ph[PH_DROP_FK], &td.drop_fk, 0);
	append(x, &x->ph[PH_DROP_KEYS], &td.drop_keys, 0);
	append(x, &x->ph[PH_COLUMNS], &td.col_add, 0);
	append(x, &x->ph[PH_COLUMNS], &td.col_change, 0);
	append(x, &x->ph[PH_COLUMNS], &td.col_drop, 0);
	append(x, &x->ph[PH_ADD_KEYS], &td.add_keys, 0);
	append(x, &x->ph[PH_ADD_TRIGGER], &td.add_trig, 0);
	append(x, &x->ph[PH_ADD_FK], &td.add_fk, 0);
	if (td.disturbed)
		lower_put(x, &x->disturbed, t->name);
}

/* Order tables so that referenced ones come first (only edges within
 * the set count). Returns a malloc'd index array, or NULL on OOM. */
static size_t *order_tables(const rt_table *const *v, size_t n)
{
	rt_map m = RT_MAP_INIT;
	RT_VEC(size_t) ef = RT_VEC_INIT, et = RT_VEC_INIT;
	size_t *order = malloc((n ? n : 1) * sizeof(*order)), i, k;
	rt_str key = RT_STR_INIT;
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	int ok = order && keys;

	for (i = 0; i < n && ok; i++) {
		rt_str_clear(&key);
		rt_str_printf(&key, "%s\x1f%s",
			      v[i]->schema ? v[i]->schema : "", v[i]->name);
		keys[i] = key.oom ? NULL : rt_strdup(key.ptr);
		ok = keys[i] &&
		     rt_map_put(&m, keys[i], strlen(keys[i]), (uint32_t)i) == 0;
	}
	for (i = 0; i < n && ok; i++) {
		for (k = 0; k < v[i]->nfks && ok; k++) {
			const rt_fk *fk = &v[i]->fks[k];
			const char *rs = fk->ref_schema ? fk->ref_schema
					 : v[i]->schema ? v[i]->schema
							: "";
			uint32_t j;

			rt_str_clear(&key);
			rt_str_printf(&key, "%s\x1f%s", rs, fk->ref_table);
			if (key.oom) {
				ok = 0;
				break;
			}
			if (rt_map_get(&m, key.ptr, key.len, &j) && j != i &&
			    (RT_VEC_PUSH(&ef, (size_t)j) < 0 ||
			     RT_VEC_PUSH(&et, i) < 0))
				ok = 0;
		}
	}
	if (ok && sx_topo(n, ef.v, et.v, ef.n, order) < 0)
		ok = 0;
	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
	rt_str_dispose(&key);
	rt_map_free(&m);
	RT_VEC_FREE(&ef);
	RT_VEC_FREE(&et);
	if (!ok) {
		free(order);
		return NULL;
	}
	return order;
}

static void diff_tables(dctx *x, const rt_schema *f, const rt_schema *t)
{
	RT_VEC(const rt_table *) added = RT_VEC_INIT, dropped = RT_VEC_INIT;
	size_t i = 0, j = 0, *order = NULL, k, m;
	int pg = x->dialect == RT_DIALECT_POSTGRESQL;

	while (i < f->ntables || j < t->ntables) {
		const rt_table *a = i < f->ntables ? &f->tables[i] : NULL;
		const rt_table *b = j < t->ntables ? &t->tables[j] : NULL;
		int c =
		    !a	 ? 1
		    : !b ? -1
			 : sx_cmp_name(a->schema, a->name, b->schema, b->name);

		if (c < 0) {
			if (RT_VEC_PUSH(&dropped, a) < 0)
				x->oom = 1;
		} else if (c > 0) {
			if (RT_VEC_PUSH(&added, b) < 0)
				x->oom = 1;
		} else {
			diff_table(x, a, b);
		}
		i += c <= 0;
		j += c >= 0;
	}
	/* drops: children first */
	if (dropped.n && !(order = order_tables(dropped.v, dropped.n)))
		x->oom = 1;
	for (k = dropped.n; order && k-- > 0;) {
		const rt_table *a = dropped.v[order[k]];
		const char *n = disp(x, a->schema, a->name);

		push(x, &x->ph[PH_DROP_TABLE], RT_DROP_TABLE, a->schema,
		     a->name, NULL, a, NULL, fmt(x, "drop table %s", n),
		     fmt(x, "drops table %s and all its rows", n), 0);
		lower_put(x, &x->disturbed, a->name);
		/* PostgreSQL: in a reference cycle among dropped tables,
		 * a table dropped earlier is still referenced: that
		 * foreign key goes first */
		for (m = 0; pg && m < a->nfks; m++) {
			const rt_fk *fk = &a->fks[m];
			size_t q;

			for (q = k + 1; q < dropped.n; q++) {
				const rt_table *o = dropped.v[order[q]];

				if (sx_eq(o->name, fk->ref_table) &&
				    sx_eq(o->schema, fk->ref_schema
							 ? fk->ref_schema
							 : a->schema))
					break;
			}
			if (q < dropped.n)
				push(x, &x->ph[PH_DROP_FK], RT_DROP_FK,
				     a->schema, a->name, fk->name, fk, NULL,
				     NULL, NULL, RT_CHANGE_IMPLIED);
		}
	}
	free(order);
	order = NULL;
	/* adds: parents first; PostgreSQL adds foreign keys afterwards */
	if (added.n && !(order = order_tables(added.v, added.n)))
		x->oom = 1;
	for (k = 0; order && k < added.n; k++) {
		const rt_table *b = added.v[order[k]];

		push(x, &x->ph[PH_ADD_TABLE], RT_ADD_TABLE, b->schema, b->name,
		     NULL, NULL, b,
		     fmt(x, "add table %s", disp(x, b->schema, b->name)), NULL,
		     0);
		for (m = 0; pg && m < b->nfks; m++)
			push(x, &x->ph[PH_ADD_FK], RT_ADD_FK, b->schema,
			     b->name, b->fks[m].name, NULL, &b->fks[m], NULL,
			     NULL, RT_CHANGE_IMPLIED);
	}
	free(order);
	RT_VEC_FREE(&added);
	RT_VEC_FREE(&dropped);
}

/* SQLite rebuilds, parents first. */
static void place_rebuilds(dctx *x)
{
	size_t n = x->rebuilds.n, k, *order;
	const rt_table **v = calloc(n ? n : 1, sizeof(*v));

	if (!v) {
		x->oom = 1;
		return;
	}
	for (k = 0; k < n; k++)
		v[k] = x->rebuilds.v[k].to;
	order = order_tables(v, n);
	if (!order)
		x->oom = 1;
	for (k = 0; order && k < n; k++)
		append(x, &x->ph[PH_REBUILD], &x->rebuilds.v[order[k]].changes,
		       0);
	free(order);
	free(v);
}

/* PostgreSQL: unchanged foreign keys onto a key that is dropped and
 * re-added are dropped first and added again. */
static void reattach_fks(dctx *x)
{
	size_t i;

	for (i = 0; i < x->kept_fks.n; i++) {
		const fkpair *p = &x->kept_fks.v[i];
		const char *k = qkey(
		    x, p->to->ref_schema ? p->to->ref_schema : p->table->schema,
		    p->to->ref_table);
		uint32_t v;

		if (!rt_map_get(&x->keychanged, k, strlen(k), &v))
			continue;
		push(x, &x->ph[PH_DROP_FK], RT_DROP_FK, p->table->schema,
		     p->table->name, p->from->name, p->from, NULL, NULL, NULL,
		     RT_CHANGE_IMPLIED);
		push(x, &x->ph[PH_ADD_FK], RT_ADD_FK, p->table->schema,
		     p->table->name, p->to->name, NULL, p->to, NULL, NULL,
		     RT_CHANGE_IMPLIED);
	}
}

/* SQLite: triggers on other tables that mention a rebuilt table would
 * break its rename; they are dropped and created again around it. */
static void reattach_triggers(dctx *x)
{
	size_t i;

	for (i = 0; i < x->kept_triggers.n; i++) {
		const trpair *p = &x->kept_triggers.v[i];
		char buf[256];
		size_t n = strlen(p->table->name), q;
		uint32_t v;

		/* triggers on a rebuilt table are the rebuild's */
		if (n < sizeof(buf)) {
			for (q = 0; q < n; q++)
				buf[q] = (char)tolower(
				    (unsigned char)p->table->name[q]);
			if (rt_map_get(&x->rebuilt, buf, n, &v))
				continue;
		}
		if (!mentions_any(x->dialect, p->from->definition, &x->rebuilt))
			continue;
		push(x, &x->ph[PH_DROP_TRIGGER], RT_DROP_TRIGGER,
		     p->table->schema, p->table->name, p->from->name, p->from,
		     NULL, NULL, NULL, RT_CHANGE_IMPLIED);
		push(x, &x->ph[PH_ADD_TRIGGER], RT_ADD_TRIGGER,
		     p->table->schema, p->table->name, p->to->name, NULL, p->to,
		     NULL, NULL, RT_CHANGE_IMPLIED);
	}
}

/* ------------------------------------------------------------------ */
/* Views */

static size_t *order_views(dctx *x, const rt_schema *s)
{
	size_t *order = malloc((s->nviews ? s->nviews : 1) * sizeof(*order));

	if (!order ||
	    sx_view_order(x->dialect, s->views, s->nviews, order) < 0) {
		free(order);
		x->oom = 1;
		return NULL;
	}
	return order;
}

static const rt_view *find_view(const rt_schema *s, const rt_view *v)
{
	size_t lo = 0, hi = s->nviews;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sx_cmp_name(s->views[mid].schema, s->views[mid].name,
				    v->schema, v->name);

		if (!c)
			return &s->views[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int view_equal(const rt_view *a, const rt_view *b)
{
	return a->materialized == b->materialized &&
	       sx_eq(a->definition, b->definition);
}

static void diff_views(dctx *x, const rt_schema *f, const rt_schema *t)
{
	unsigned char *redo = calloc(f->nviews ? f->nviews : 1, 1);
	size_t *fo = NULL, *to = NULL, i, k;
	int again = 1;

	if (!redo) {
		x->oom = 1;
		return;
	}
	/* changed and dropped views disturb those reading them */
	for (i = 0; i < f->nviews; i++) {
		const rt_view *b = find_view(t, &f->views[i]);

		if (!b || !view_equal(&f->views[i], b)) {
			redo[i] = 1;
			lower_put(x, &x->disturbed, f->views[i].name);
		}
	}
	while (again && !x->oom) {
		again = 0;
		for (i = 0; i < f->nviews; i++) {
			if (redo[i] ||
			    !mentions_any(x->dialect, f->views[i].definition,
					  &x->disturbed))
				continue;
			redo[i] = 2; /* unchanged, recreated */
			lower_put(x, &x->disturbed, f->views[i].name);
			again = 1;
		}
	}
	fo = order_views(x, f);
	to = order_views(x, t);
	for (k = f->nviews; fo && k-- > 0;) {
		const rt_view *a = &f->views[fo[k]];
		const rt_view *b = find_view(t, a);

		if (!redo[fo[k]])
			continue;
		push(x, &x->ph[PH_DROP_VIEW], RT_DROP_VIEW, a->schema, a->name,
		     NULL, a, NULL,
		     b ? NULL
		       : fmt(x, "drop %sview %s",
			     a->materialized ? "materialized " : "",
			     disp(x, a->schema, a->name)),
		     NULL, b ? RT_CHANGE_IMPLIED : 0);
	}
	for (k = 0; to && k < t->nviews; k++) {
		const rt_view *b = &t->views[to[k]];
		const rt_view *a = find_view(f, b);
		const char *n = disp(x, b->schema, b->name);
		const char *mat = b->materialized ? "materialized " : "";

		if (!a)
			push(x, &x->ph[PH_ADD_VIEW], RT_ADD_VIEW, b->schema,
			     b->name, NULL, NULL, b,
			     fmt(x, "add %sview %s", mat, n), NULL, 0);
		else if (!view_equal(a, b))
			push(x, &x->ph[PH_ADD_VIEW], RT_CHANGE_VIEW, b->schema,
			     b->name, NULL, a, b,
			     fmt(x, "change %sview %s", mat, n), NULL, 0);
		else if (redo[a - f->views])
			push(x, &x->ph[PH_ADD_VIEW], RT_ADD_VIEW, b->schema,
			     b->name, NULL, NULL, b, NULL, NULL,
			     RT_CHANGE_IMPLIED);
	}
	free(fo);
	free(to);
	free(redo);
}

/* ------------------------------------------------------------------ */

static void make_notes(dctx *x, const rt_schema *f, const rt_schema *t)
{
	RT_VEC(const char *) v = RT_VEC_INIT;
	size_t i = 0, j = 0;

	while (i < f->nunsupported || j < t->nunsupported) {
		const char *a = i < f->nunsupported ? f->unsupported[i] : NULL;
		const char *b = j < t->nunsupported ? t->unsupported[j] : NULL;
		int c = !a ? 1 : !b ? -1 : strcmp(a, b);
		const char *n =
		    fmt(x, "%s is not supported: not compared", c <= 0 ? a : b);

		if (RT_VEC_PUSH(&v, n) < 0)
			x->oom = 1;
		i += c <= 0;
		j += c >= 0;
	}
	x->d->notes = rt_arena_alloc(x->a, (v.n ? v.n : 1) * sizeof(*v.v));
	if (!x->d->notes)
		x->oom = 1;
	else if (v.n)
		memcpy(x->d->notes, v.v, v.n * sizeof(*v.v));
	x->d->nnotes = v.n;
	RT_VEC_FREE(&v);
}

int rt_schema_diff(rt_diff **out, const rt_schema *from, const rt_schema *to,
		   rt_err *err)
{
	dctx x;
	rt_diff *d;
	size_t n = 0, p, i;
	int rc = 0;

	*out = NULL;
	if (!from || !to)
		return rt_err_set(err, RETORT_EUSAGE,
				  "schema diff needs two models");
	if (from->dialect != to->dialect)
		return rt_err_set(err, RETORT_EUSAGE,
				  "cannot compare a %s schema with a %s schema",
				  rt_dialect_name(from->dialect),
				  rt_dialect_name(to->dialect));
	d = calloc(1, sizeof(*d));
	if (!d)
		return rt_err_oom(err);
	d->from = from;
	d->to = to;
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.a = &d->arena;
	x.dialect = from->dialect;
	diff_schemas(&x, from, to);
	diff_extensions(&x, from, to);
	diff_enums(&x, from, to);
	diff_sequences(&x, from, to);
	diff_tables(&x, from, to);
	place_rebuilds(&x);
	reattach_fks(&x);
	reattach_triggers(&x);
	diff_views(&x, from, to);
	make_notes(&x, from, to);
	for (p = 0; p < NPHASES; p++)
		n += x.ph[p].n;
	d->changes = rt_arena_alloc(x.a, (n ? n : 1) * sizeof(*d->changes));
	if (!d->changes)
		x.oom = 1;
	for (p = 0; p < NPHASES && d->changes; p++) {
		if (x.ph[p].n)
			memcpy(d->changes + d->nchanges, x.ph[p].v,
			       x.ph[p].n * sizeof(*x.ph[p].v));
		d->nchanges += x.ph[p].n;
	}
	if (x.oom)
		rc = rt_err_oom(err);
	for (p = 0; p < NPHASES; p++)
		RT_VEC_FREE(&x.ph[p]);
	for (i = 0; i < x.rebuilds.n; i++)
		RT_VEC_FREE(&x.rebuilds.v[i].changes);
	RT_VEC_FREE(&x.rebuilds);
	RT_VEC_FREE(&x.kept_fks);
	RT_VEC_FREE(&x.kept_triggers);
	rt_map_free(&x.disturbed);
	rt_map_free(&x.keychanged);
	rt_map_free(&x.rebuilt);
	if (rc < 0) {
		rt_diff_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void rt_diff_free(rt_diff *d)
{
	if (!d)
		return;
	rt_arena_free(&d->arena);
	free(d);
}

size_t rt_diff_count(const rt_diff *d)
{
	size_t i, n = 0;

	for (i = 0; d && i < d->nchanges; i++)
		n += !(d->changes[i].flags & RT_CHANGE_IMPLIED);
	return n;
}

int rt_diff_describe(const rt_diff *d, rt_str *out, rt_err *err)
{
	size_t i;

	for (i = 0; i < d->nchanges; i++) {
		const rt_change *c = &d->changes[i];

		if (c->flags & RT_CHANGE_IMPLIED || !c->description)
			continue;
		rt_str_puts(out, c->description);
		rt_str_putc(out, '\n');
	}
	for (i = 0; i < d->nnotes; i++)
		rt_str_printf(out, "note: %s\n", d->notes[i]);
	return out->oom ? rt_err_oom(err) : 0;
}
