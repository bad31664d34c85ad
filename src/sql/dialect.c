/* SPDX-License-Identifier: MIT */
/*
 * dialect.c: names of the dialects, as URLs and messages spell them.
 */
#include "sql/dialect.h"

const char *rt_dialect_name(rt_dialect d)
{
	switch (d) {
	case RT_DIALECT_SQLITE:
		return "sqlite";
	case RT_DIALECT_POSTGRESQL:
		return "postgresql";
	case RT_DIALECT_MYSQL:
		return "mysql";
	}
	return "unknown";
}
