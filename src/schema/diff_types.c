/* SPDX-License-Identifier: MIT */
/*
 * diff_types.c: what a type change does to existing values, for the
 * "-- WARNING:" comments: TC_SAFE (every value fits: widening an integer,
 * a longer varchar, more numeric digits, a known type to unbounded text),
 * TC_NARROW (values may not fit) or TC_CONVERT (values must convert and
 * may fail: another family, array <-> scalar).
 *
 * Types are compared by their printed text (lower-cased base name and up
 * to two numeric arguments), in families: integers, floats, character
 * types (by length) and numeric (by digits before and after the point).
 * Unknown types are a conversion unless the names are equal.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema/diff_internal.h"

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

int rt_dx_type_change(const char *from, const char *to)
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

int rt_dx_type_args_only(const char *from, const char *to)
{
	tinfo a, b;

	if (!from || !to || !strcmp(from, to))
		return 0;
	parse_type(from, &a);
	parse_type(to, &b);
	return a.base[0] && !strcmp(a.base, b.base) && a.array == b.array;
}

const char *rt_dx_coltype(dctx *x, const rt_column *c)
{
	const char *t = c->type && *c->type ? c->type : "(no type)";

	if (c->collation)
		return rt_dx_fmt(x, "%s COLLATE %s", t, c->collation);
	return t;
}
