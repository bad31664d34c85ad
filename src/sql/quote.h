/* SPDX-License-Identifier: MIT */
/*
 * quote.h: quoting identifiers and literals for a dialect (quote.c).
 */
#ifndef RT_QUOTE_H
#define RT_QUOTE_H

#include "sql/dialect.h"
#include "util/str.h"

/* Append an identifier, quoted when it is not a plain lower-case name or
 * when it is a keyword ('"', '`' on MySQL; the quote doubled inside). */
int rt_sql_ident(rt_str *out, rt_dialect d, const char *name);

/* schema.table (schema omitted when NULL or empty), each part quoted as
 * rt_sql_ident does. */
int rt_sql_table_name(rt_str *out, rt_dialect d, const char *schema,
		      const char *table);

/* Append a string literal ('' doubling; backslashes doubled on MySQL). */
int rt_sql_literal(rt_str *out, rt_dialect d, const char *s);

#endif
