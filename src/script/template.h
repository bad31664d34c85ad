/*
 * template.h: the text generators behind new revision files.
 *  - rt_pyformat: Python's "%(name)s" mapping formatting, for file_template
 *    (%(rev)s, %(slug)s, %(year)d, %(month).2d, ... and %%)
 *  - rt_slugify: Alembic's slug: the \w+ words of the message, lower-cased,
 *    joined by '_', truncated to truncate_slug_length at a word boundary
 *    with a trailing '_' when cut
 *  - rt_template_render: script.sql.tmpl with ${name} placeholders
 */
#ifndef RT_TEMPLATE_H
#define RT_TEMPLATE_H

#include <stddef.h>

#include "util/err.h"
#include "util/str.h"

typedef struct rt_fmt_arg {
	const char *name;
	const char *str; /* string value, or NULL for a number */
	long long num;
} rt_fmt_arg;

/*
 * Python %-formatting with a mapping: %(name)[flags][width][.prec]conv with
 * flags "-+ #0", conv in "sdiurxXfF" (numbers), "s"/"r" (strings). A number
 * formatted with %s prints as decimal; a string with %d is an error.
 * Errors (RETORT_ECONFIG) name `what` (e.g. "file_template"): unknown key
 * "file_template: unknown token 'foo' in '%(foo)s'", bad syntax.
 */
int rt_pyformat(rt_str *out, const char *fmt, const rt_fmt_arg *args,
		size_t nargs, const char *what, rt_err *err);

/* Alembic's slug. truncate <= 0 means 40. Counts characters (UTF-8 code
 * points), and treats non-ASCII letters as word characters. */
int rt_slugify(rt_str *out, const char *message, int truncate);

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
