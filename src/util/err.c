/* SPDX-License-Identifier: MIT */
/*
 * err.c: setting and moving error records (see err.h). Formatting failure
 * (out of memory while building the message) degrades to a fixed message.
 */
#include "util/err.h"

#include "retort.h"

int rt_err_vset(rt_err *e, int code, const char *fmt, va_list ap)
{
	/* format into a fresh string: the arguments may point into the
	 * message being replaced */
	rt_str msg = RT_STR_INIT;

	rt_str_vprintf(&msg, fmt, ap);
	rt_str_dispose(&e->msg);
	e->msg = msg;
	e->code = code;
	return code;
}

int rt_err_set(rt_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int rt_err_oom(rt_err *e)
{
	rt_str_dispose(&e->msg);
	e->code = RETORT_ENOMEM;
	return RETORT_ENOMEM;
}

void rt_err_clear(rt_err *e)
{
	e->code = 0;
	rt_str_clear(&e->msg);
}

void rt_err_dispose(rt_err *e)
{
	rt_str_dispose(&e->msg);
	e->code = 0;
}

void rt_err_move(rt_err *dst, rt_err *src)
{
	rt_str_dispose(&dst->msg);
	*dst = *src;
	src->code = 0;
	src->msg = (rt_str)RT_STR_INIT;
}

const char *rt_err_msg(const rt_err *e)
{
	if (e->code == RETORT_ENOMEM && !e->msg.len)
		return "out of memory";
	if (e->msg.oom)
		return "out of memory";
	return rt_str_cstr(&e->msg);
}
