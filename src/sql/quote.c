/* SPDX-License-Identifier: MIT */
/*
 * quote.c: identifiers and string literals in SQL that retort writes
 * (version and log rows, generated schema changes, offline output).
 *
 * One rule for every caller: a name is written bare only when it is a
 * plain lower-case identifier that is no keyword of SQLite or PostgreSQL;
 * otherwise it is quoted with the dialect's quote character ('"', or '`'
 * on MySQL), the quote doubled inside.
 */
#include "sql/quote.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Keywords of SQLite and PostgreSQL (reserved or not) that must be
 * quoted as names; sorted for bsearch. */
static const char *const keywords[] = {
	"abort",
	"action",
	"add",
	"after",
	"all",
	"alter",
	"always",
	"analyse",
	"analyze",
	"and",
	"any",
	"array",
	"as",
	"asc",
	"asymmetric",
	"attach",
	"authorization",
	"autoincrement",
	"before",
	"begin",
	"between",
	"binary",
	"both",
	"by",
	"cascade",
	"case",
	"cast",
	"check",
	"collate",
	"collation",
	"column",
	"commit",
	"concurrently",
	"conflict",
	"constraint",
	"create",
	"cross",
	"current",
	"current_catalog",
	"current_date",
	"current_role",
	"current_schema",
	"current_time",
	"current_timestamp",
	"current_user",
	"database",
	"default",
	"deferrable",
	"deferred",
	"delete",
	"desc",
	"detach",
	"distinct",
	"do",
	"drop",
	"each",
	"else",
	"end",
	"escape",
	"except",
	"exclude",
	"exclusive",
	"exists",
	"explain",
	"fail",
	"false",
	"fetch",
	"filter",
	"first",
	"following",
	"for",
	"foreign",
	"freeze",
	"from",
	"full",
	"generated",
	"glob",
	"grant",
	"group",
	"groups",
	"having",
	"if",
	"ignore",
	"ilike",
	"immediate",
	"in",
	"index",
	"indexed",
	"initially",
	"inner",
	"insert",
	"instead",
	"intersect",
	"into",
	"is",
	"isnull",
	"join",
	"key",
	"last",
	"lateral",
	"leading",
	"left",
	"like",
	"limit",
	"localtime",
	"localtimestamp",
	"match",
	"materialized",
	"natural",
	"no",
	"not",
	"nothing",
	"notnull",
	"null",
	"nulls",
	"of",
	"offset",
	"on",
	"only",
	"or",
	"order",
	"others",
	"outer",
	"over",
	"overlaps",
	"partition",
	"placing",
	"plan",
	"pragma",
	"preceding",
	"primary",
	"query",
	"raise",
	"range",
	"recursive",
	"references",
	"regexp",
	"reindex",
	"release",
	"rename",
	"replace",
	"restrict",
	"returning",
	"right",
	"rollback",
	"row",
	"rows",
	"savepoint",
	"select",
	"session_user",
	"set",
	"similar",
	"some",
	"symmetric",
	"table",
	"tablesample",
	"temp",
	"temporary",
	"then",
	"ties",
	"to",
	"trailing",
	"transaction",
	"trigger",
	"true",
	"unbounded",
	"union",
	"unique",
	"update",
	"user",
	"using",
	"vacuum",
	"values",
	"variadic",
	"verbose",
	"view",
	"virtual",
	"when",
	"where",
	"window",
	"with",
	"without",
};

static int cmp_kw(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_keyword(const char *name)
{
	return bsearch(&name, keywords, sizeof(keywords) / sizeof(*keywords),
		       sizeof(*keywords), cmp_kw) != NULL;
}

int rt_sql_ident(rt_str *out, rt_dialect d, const char *name)
{
	const char *p;
	int plain = islower((unsigned char)name[0]) || name[0] == '_';
	char q = d == RT_DIALECT_MYSQL ? '`' : '"';

	for (p = name; *p && plain; p++)
		plain = islower((unsigned char)*p) ||
			isdigit((unsigned char)*p) || *p == '_';
	if (plain && !is_keyword(name))
		return rt_str_puts(out, name);
	rt_str_putc(out, q);
	for (p = name; *p; p++) {
		if (*p == q)
			rt_str_putc(out, q);
		rt_str_putc(out, *p);
	}
	return rt_str_putc(out, q);
}

int rt_sql_table_name(rt_str *out, rt_dialect d, const char *schema,
		      const char *table)
{
	if (schema && *schema) {
		rt_sql_ident(out, d, schema);
		rt_str_putc(out, '.');
	}
	return rt_sql_ident(out, d, table);
}

int rt_sql_literal(rt_str *out, rt_dialect d, const char *s)
{
	/* ids and checksums have nothing to escape: one append */
	if (!strchr(s, '\'') && !strchr(s, '\\')) {
		rt_str_putc(out, '\'');
		rt_str_puts(out, s);
		return rt_str_putc(out, '\'');
	}
	rt_str_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			rt_str_putc(out, '\'');
		else if (*s == '\\' && d == RT_DIALECT_MYSQL)
			rt_str_putc(out, '\\');
		rt_str_putc(out, *s);
	}
	return rt_str_putc(out, '\'');
}
