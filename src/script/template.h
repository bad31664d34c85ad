/* SPDX-License-Identifier: MIT */
/*
 * template.h: filling script.sql.tmpl, the template of new revision
 * files, with ${name} placeholders. (The file name comes from
 * file_template through pyformat.h and slug.h.)
 */
#ifndef RT_TEMPLATE_H
#define RT_TEMPLATE_H

#include <stddef.h>

#include "util/err.h"
#include "util/str.h"

typedef struct rt_tmpl_var {
	const char *name;
	const char *value;
} rt_tmpl_var;

/*
 * Render a revision template. ${name} is replaced by the variable's value;
 * $$ is a literal $. A multi-line value placed after a line prefix made of
 * whitespace and "--" (e.g. "-- ${message}") gets that prefix repeated on
 * each of its lines, so it stays inside the comment header. An unknown
 * ${name} or an unterminated ${ is an error naming tmpl_path:line.
 */
int rt_template_render(rt_str *out, const char *tmpl, size_t len,
		       const char *tmpl_path, const rt_tmpl_var *vars,
		       size_t nvars, rt_err *err);

#endif
