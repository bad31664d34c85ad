/* SPDX-License-Identifier: MIT */
/*
 * dialect.h: the databases retort speaks to. The sql/ stage (tokenizer,
 * quoting) is what every later stage uses to write or read SQL for one of
 * them; it takes text and a dialect and gives tokens or quoted text, and
 * uses nothing but util/.
 */
#ifndef RT_DIALECT_H
#define RT_DIALECT_H

#include <stddef.h>

typedef enum rt_dialect {
	RT_DIALECT_SQLITE = 0,
	RT_DIALECT_POSTGRESQL = 1,
	RT_DIALECT_MYSQL = 2
} rt_dialect;

/* "sqlite", "postgresql", "mysql". */
const char *rt_dialect_name(rt_dialect d);

/* The dialect named by the n bytes of name (as rt_dialect_name() spells
 * it, any case): 0 and *out, or -1 for no such dialect. */
int rt_dialect_from_name(const char *name, size_t n, rt_dialect *out);

#endif
