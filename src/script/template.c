/* SPDX-License-Identifier: MIT */
/*
 * template.c: filling script.sql.tmpl, the revision template: ${name}
 * placeholders replaced by their values, $$ a literal $ (see template.h).
 *
 * Invariants: the result is appended to `out` and, on failure, `out` is
 * truncated back to the length it had on entry, so a caller never sees
 * half a file. A placeholder never spans lines; an error names the
 * template's path and line.
 */
#include "script/template.h"

#include <string.h>

#include "retort.h"

static int is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.';
}

/*
 * Insert `value`. When the text before the placeholder on its line is only
 * blanks and '-' (a comment leader such as "-- "), later lines of the value
 * get that prefix too; an empty line gets it without trailing blanks.
 */
static void put_value(rt_str *out, const char *value, const char *prefix,
		      size_t plen)
{
	size_t trimmed, i;
	const char *nl;

	for (i = 0; i < plen; i++) {
		if (prefix[i] != ' ' && prefix[i] != '\t' && prefix[i] != '-') {
			plen = 0; /* not a comment leader: insert as is */
			break;
		}
	}
	trimmed = plen;
	while (trimmed &&
	       (prefix[trimmed - 1] == ' ' || prefix[trimmed - 1] == '\t'))
		trimmed--;
	while ((nl = strchr(value, '\n'))) {
		rt_str_append(out, value, (size_t)(nl - value) + 1);
		value = nl + 1;
		if (!*value || *value == '\n' ||
		    (*value == '\r' && (!value[1] || value[1] == '\n')))
			rt_str_append(out, prefix, trimmed);
		else
			rt_str_append(out, prefix, plen);
	}
	rt_str_puts(out, value);
}

int rt_template_render(rt_str *out, const char *tmpl, size_t len,
		       const char *tmpl_path, const rt_tmpl_var *vars,
		       size_t nvars, rt_err *err)
{
	size_t mark = out->len, i = 0, line_start = 0, start, name, end, j;
	unsigned line = 1;
	const rt_tmpl_var *var;
	int error = 0;

	if (!tmpl_path)
		tmpl_path = "<template>";
	while (i < len) {
		start = i;
		while (i < len && tmpl[i] != '$') {
			if (tmpl[i] == '\n') {
				line++;
				line_start = i + 1;
			}
			i++;
		}
		rt_str_append(out, tmpl + start, i - start);
		if (i >= len)
			break;
		if (i + 1 >= len ||
		    (tmpl[i + 1] != '{' && tmpl[i + 1] != '$')) {
			rt_str_putc(out, '$'); /* a lone $ */
			i++;
			continue;
		}
		if (tmpl[i + 1] == '$') {
			rt_str_putc(out, '$');
			i += 2;
			continue;
		}
		name = i + 2;
		for (end = name;
		     end < len && tmpl[end] != '}' && tmpl[end] != '\n'; end++)
			;
		if (end >= len || tmpl[end] != '}') {
			error = rt_err_set(err, RETORT_ECONFIG,
					   "%s:%u: unterminated '${'",
					   tmpl_path, line);
			goto done;
		}
		for (j = name; j < end && is_name_char(tmpl[j]); j++)
			;
		if (j == name || j < end || !is_name_start(tmpl[name])) {
			error = rt_err_set(err, RETORT_ECONFIG,
					   "%s:%u: bad placeholder '%.*s'",
					   tmpl_path, line, (int)(end + 1 - i),
					   tmpl + i);
			goto done;
		}
		var = NULL;
		for (j = 0; j < nvars && !var; j++) {
			if (strlen(vars[j].name) == end - name &&
			    !memcmp(vars[j].name, tmpl + name, end - name))
				var = &vars[j];
		}
		if (!var) {
			error = rt_err_set(err, RETORT_ECONFIG,
					   "%s:%u: unknown placeholder '%.*s'",
					   tmpl_path, line, (int)(end + 1 - i),
					   tmpl + i);
			goto done;
		}
		put_value(out, var->value ? var->value : "", tmpl + line_start,
			  i - line_start);
		i = end + 1;
	}
	if (out->oom)
		error = rt_err_oom(err);
done:
	if (error)
		rt_str_truncate(out, mark);
	return error;
}
