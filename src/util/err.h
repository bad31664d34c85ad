/* SPDX-License-Identifier: MIT */
/*
 * err.h: the error record that travels up through the library. A function
 * that fails sets it once (code + one-line message) and returns the code;
 * callers propagate the code without rewriting the message, unless they
 * deliberately translate it (as Alembic rewrites resolution errors).
 *
 * Codes are the public RETORT_E* values from retort.h.
 */
#ifndef RT_ERR_H
#define RT_ERR_H

#include <stdarg.h>

#include "util/str.h"

typedef struct rt_err {
	int code;
	rt_str msg;
} rt_err;

#define RT_ERR_INIT            \
	{                      \
		0, RT_STR_INIT \
	}

/* Sets code and message; returns code. */
int rt_err_set(rt_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rt_err_vset(rt_err *e, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int rt_err_oom(rt_err *e);
void rt_err_clear(rt_err *e);
void rt_err_dispose(rt_err *e);
/* Moves src's error into dst (dst's previous error is dropped). */
void rt_err_move(rt_err *dst, rt_err *src);
const char *rt_err_msg(const rt_err *e);

#endif
