/* SPDX-License-Identifier: MIT */
/*
 * pyformat.h: Python's "%(name)s" % mapping formatting, for file_template
 * (%(rev)s, %(slug)s, %(year)d, %(month).2d, ... and %%).
 */
#ifndef RT_PYFORMAT_H
#define RT_PYFORMAT_H

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

#endif
