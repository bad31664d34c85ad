/* SPDX-License-Identifier: MIT */
/*
 * types.c: type families and sizes (types.h), after PostgreSQL's, MySQL's
 * and SQLite's names for the same types.
 */
#include "lint/types.h"

#include <stdlib.h>
#include <string.h>

/* The name before '(' equals one of the '|'-separated names in list. */
static int named(const char *name, size_t n, const char *list)
{
	const char *p = list;

	while (*p) {
		const char *e = strchr(p, '|');
		size_t k = e ? (size_t)(e - p) : strlen(p);

		if (k == n && !strncmp(p, name, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static const struct {
	const char *names;
	rt_ltype_family family;
	long size;
} fixed[] = {
	{ "tinyint", RT_LT_INT, 1 },
	{ "smallint|int2", RT_LT_INT, 2 },
	{ "mediumint", RT_LT_INT, 3 },
	{ "integer|int|int4", RT_LT_INT, 4 },
	{ "bigint|int8", RT_LT_INT, 8 },
	{ "real|float4", RT_LT_FLOAT, 4 },
	{ "double precision|double|float8|float", RT_LT_FLOAT, 8 },
	{ "text|mediumtext|longtext|clob|character varying|varchar", RT_LT_CHAR,
	  -1 },
	{ "tinytext", RT_LT_CHAR, 255 },
};

void rt_ltype_parse(const char *text, rt_ltype *out)
{
	const char *paren = strchr(text, '(');
	size_t n = paren ? (size_t)(paren - text) : strlen(text), i;
	long a = -1, b = 0;

	out->family = RT_LT_UNKNOWN;
	out->size = -1;
	out->scale = 0;
	if (paren) {
		char *end;

		a = strtol(paren + 1, &end, 10);
		if (*end == ',')
			b = strtol(end + 1, &end, 10);
		if (*end != ')')
			return;
	}
	if (named(text, n, "character varying|varchar|nvarchar|varchar2")) {
		out->family = RT_LT_CHAR;
		out->size = a;
	} else if (named(text, n, "character|char|bpchar|nchar")) {
		out->family = RT_LT_BPCHAR;
		out->size = paren ? a : 1;
	} else if (named(text, n, "numeric|decimal")) {
		out->family = RT_LT_NUMERIC;
		out->size = a;
		out->scale = b;
	} else {
		for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			if (named(text, n, fixed[i].names)) {
				out->family = fixed[i].family;
				out->size = fixed[i].size;
			}
	}
}

/* size -1 is unbounded */
static int smaller(long to, long from)
{
	return to >= 0 && (from < 0 || to < from);
}

int rt_ltype_narrower(const rt_ltype *from, const rt_ltype *to)
{
	if (from->family == RT_LT_UNKNOWN || to->family != from->family)
		return 0;
	if (to->family == RT_LT_NUMERIC)
		return smaller(to->size, from->size) ||
		       (to->size >= 0 && to->scale < from->scale);
	return smaller(to->size, from->size);
}

int rt_ltype_pg_in_place(const rt_ltype *from, const rt_ltype *to)
{
	if (from->family == RT_LT_CHAR && to->family == RT_LT_CHAR)
		return !smaller(to->size, from->size);
	if (from->family == RT_LT_NUMERIC && to->family == RT_LT_NUMERIC)
		return to->size < 0 ||
		       (from->size >= 0 && to->size >= from->size &&
			to->scale == from->scale);
	return 0;
}
