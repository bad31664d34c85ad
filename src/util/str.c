/* SPDX-License-Identifier: MIT */
/*
 * str.c: growable strings (see str.h). Growth doubles the capacity so that
 * appends are amortised O(1); the sticky `oom` flag turns later appends into
 * no-ops after the first allocation failure.
 */
#include "util/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rt_str_grow(rt_str *s, size_t extra)
{
	size_t need, cap;
	char *p;

	if (s->oom)
		return -1;
	if (extra > (size_t)-1 - s->len - 1)
		goto oom;
	need = s->len + extra + 1;
	if (need <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	p = realloc(s->ptr, cap);
	if (!p)
		goto oom;
	if (!s->ptr)
		p[0] = '\0';
	s->ptr = p;
	s->cap = cap;
	return 0;
oom:
	s->oom = 1;
	return -1;
}

int rt_str_append(rt_str *s, const char *data, size_t n)
{
	if (rt_str_grow(s, n) < 0)
		return -1;
	if (n)
		memcpy(s->ptr + s->len, data, n);
	s->len += n;
	s->ptr[s->len] = '\0';
	return 0;
}

int rt_str_puts(rt_str *s, const char *cstr)
{
	return rt_str_append(s, cstr, strlen(cstr));
}

int rt_str_putc(rt_str *s, char c)
{
	return rt_str_append(s, &c, 1);
}

int rt_str_pad(rt_str *s, char c, size_t n)
{
	if (rt_str_grow(s, n) < 0)
		return -1;
	memset(s->ptr + s->len, c, n);
	s->len += n;
	s->ptr[s->len] = '\0';
	return 0;
}

int rt_str_vprintf(rt_str *s, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	if (s->oom)
		return -1;
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || rt_str_grow(s, (size_t)n) < 0)
		return -1;
	vsnprintf(s->ptr + s->len, (size_t)n + 1, fmt, ap);
	s->len += (size_t)n;
	return 0;
}

int rt_str_printf(rt_str *s, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = rt_str_vprintf(s, fmt, ap);
	va_end(ap);
	return error;
}

void rt_str_clear(rt_str *s)
{
	s->len = 0;
	if (s->ptr)
		s->ptr[0] = '\0';
}

void rt_str_truncate(rt_str *s, size_t len)
{
	if (len < s->len) {
		s->len = len;
		s->ptr[len] = '\0';
	}
}

char *rt_str_detach(rt_str *s)
{
	char *p = s->ptr;

	if (!p)
		p = rt_strdup("");
	s->ptr = NULL;
	s->len = s->cap = 0;
	s->oom = 0;
	return p;
}

void rt_str_dispose(rt_str *s)
{
	free(s->ptr);
	s->ptr = NULL;
	s->len = s->cap = 0;
	s->oom = 0;
}

const char *rt_str_cstr(const rt_str *s)
{
	return s->ptr ? s->ptr : "";
}

int rt_streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

int rt_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *rt_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rt_strdup(const char *s)
{
	return rt_strndup(s, strlen(s));
}
