/* SPDX-License-Identifier: MIT */
/*
 * dialect.c: names of the dialects, as URLs and messages spell them.
 */
#include "sql/dialect.h"

#include <string.h>
#include <strings.h>

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

int rt_dialect_from_name(const char *name, size_t n, rt_dialect *out)
{
	static const rt_dialect all[] = { RT_DIALECT_SQLITE,
					  RT_DIALECT_POSTGRESQL,
					  RT_DIALECT_MYSQL };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *s = rt_dialect_name(all[i]);

		if (strlen(s) == n && !strncasecmp(s, name, n)) {
			*out = all[i];
			return 0;
		}
	}
	return -1;
}
