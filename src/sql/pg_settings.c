/* SPDX-License-Identifier: MIT */
/*
 * pg_settings.c: parsing `pg_settings` (pg_settings.h).
 *
 * This used to be pasted into `SET <name> = '<value>'`, so a name taken
 * from the environment (pg_settings = search_path=${TENANT}) could carry
 * SQL. Now names must be identifiers and the driver sends both parts as
 * parameters; this file only splits and checks.
 */
#include <stdlib.h>
#include <string.h>

#include "retort.h"
#include "sql/pg_settings.h"
#include "util/str.h"

static int ident_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_';
}

static int ident_char(char ch)
{
	return ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '$';
}

int rt_pg_setting_name_ok(const char *name, size_t len)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 2; part++) {
		if (i >= len || !ident_start(name[i]))
			return 0;
		for (i++; i < len && ident_char(name[i]); i++)
			;
		if (i == len)
			return 1;
		if (name[i] != '.')
			return 0;
		i++;
	}
	return 0;
}

void rt_pg_settings_free(rt_pg_setting *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

/* "pg_settings: <what> '<text>'" with the text made printable: a name
 * may come from the environment and hold anything. */
static int bad(rt_err *err, const char *what, const char *s, size_t len,
	       const char *hint)
{
	rt_str shown = RT_STR_INIT;
	size_t i;
	int rc;

	for (i = 0; i < len && i < 80; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f)
			rt_str_printf(&shown, "\\x%02x", ch);
		else
			rt_str_putc(&shown, (char)ch);
	}
	if (i < len)
		rt_str_puts(&shown, "...");
	rc = rt_err_set(err, RETORT_ECONFIG, "pg_settings: %s '%s'%s", what,
			shown.oom ? "?" : rt_str_cstr(&shown), hint);
	rt_str_dispose(&shown);
	return rc;
}

int rt_pg_settings_parse(const char *text, rt_pg_setting **out, size_t *n,
			 rt_err *err)
{
	rt_pg_setting *v = NULL;
	size_t cap = 0, count = 0;
	const char *p = text;
	int rc = 0;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		const char *n0, *n1, *v0, *v1;
		rt_pg_setting s;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
			p++;
		if (!*p)
			break;
		n0 = p;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p != '=') {
			rc = bad(err, "expected name=value, not", n0,
				 (size_t)(p - n0), "");
			goto fail;
		}
		n1 = p++;
		while (n1 > n0 && (n1[-1] == ' ' || n1[-1] == '\t'))
			n1--;
		if (!rt_pg_setting_name_ok(n0, (size_t)(n1 - n0))) {
			rc = bad(err, "not a setting name:", n0,
				 (size_t)(n1 - n0),
				 " (a name is letters, digits, '_' and '$', "
				 "with one '.' for a custom setting such as "
				 "myapp.tenant)");
			goto fail;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\'') {
			v0 = ++p;
			while (*p && *p != '\'')
				p++;
			if (!*p) {
				rc = bad(err, "unterminated quote in", n0,
					 strlen(n0), "");
				goto fail;
			}
			v1 = p++;
		} else {
			v0 = p;
			while (*p && *p != ',')
				p++;
			v1 = p;
			while (v1 > v0 && (v1[-1] == ' ' || v1[-1] == '\t' ||
					   v1[-1] == '\n'))
				v1--;
		}
		s.name = strndup(n0, (size_t)(n1 - n0));
		s.value = strndup(v0, (size_t)(v1 - v0));
		if (!s.name || !s.value) {
			free(s.name);
			free(s.value);
			goto oom;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			rt_pg_setting *nv = realloc(v, ncap * sizeof(*nv));

			if (!nv) {
				free(s.name);
				free(s.value);
				goto oom;
			}
			v = nv;
			cap = ncap;
		}
		v[count++] = s;
	}
	*out = v;
	*n = count;
	return 0;
oom:
	rc = rt_err_oom(err);
fail:
	rt_pg_settings_free(v, count);
	return rc;
}
