/* SPDX-License-Identifier: MIT */
/*
 * pg_settings.h: the `pg_settings` config value, "name=value, name=value",
 * parsed into name/value pairs (pg_settings.c).
 *
 * A value holding a comma is single-quoted: search_path='tenant_a, public'
 * (the quotes are not part of the value; a quoted value cannot hold a
 * quote). Names are checked here, values never: the driver passes both
 * as parameters of set_config(), so nothing in them is read as SQL.
 * A name is an identifier, optionally dotted once for a custom setting:
 * [A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?
 */
#ifndef RT_PG_SETTINGS_H
#define RT_PG_SETTINGS_H

#include <stddef.h>

#include "util/err.h"

typedef struct rt_pg_setting {
	char *name;
	char *value;
} rt_pg_setting;

/* Parse `text` (NULL or blank: none). Errors are RETORT_ECONFIG,
 * "pg_settings: ..." naming the offending part. */
int rt_pg_settings_parse(const char *text, rt_pg_setting **out, size_t *n,
			 rt_err *err);
void rt_pg_settings_free(rt_pg_setting *v, size_t n);

/* Is name[0..len) a setting name (see above)? */
int rt_pg_setting_name_ok(const char *name, size_t len);

#endif
