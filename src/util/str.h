/* SPDX-License-Identifier: MIT */
/*
 * Stage util/ (the bottom of the pipeline): strings, vectors, hash maps,
 * arenas, SHA-256, clocks and time zones, paths, process identity,
 * running a command, UTF-8 and Unicode tables. Takes bytes, gives data structures; uses only libc;
 * no global state. Every other stage may use it.
 *
 * str.h: a growable, always NUL-terminated byte string.
 *
 * Invariants: ptr is NULL only while cap == 0; otherwise ptr[len] == '\0'.
 * A failed allocation sets `oom` and makes every later append a no-op, so a
 * chain of appends can be checked once at the end (libgit2's git_str habit).
 */
#ifndef RT_STR_H
#define RT_STR_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rt_str {
	char *ptr;
	size_t len;
	size_t cap;
	int oom;
} rt_str;

#define RT_STR_INIT           \
	{                     \
		NULL, 0, 0, 0 \
	}

int rt_str_grow(rt_str *s, size_t extra);
int rt_str_append(rt_str *s, const char *data, size_t n);
int rt_str_puts(rt_str *s, const char *cstr);
int rt_str_putc(rt_str *s, char c);
int rt_str_printf(rt_str *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int rt_str_vprintf(rt_str *s, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append `n` copies of c. */
int rt_str_pad(rt_str *s, char c, size_t n);
void rt_str_clear(rt_str *s);
void rt_str_truncate(rt_str *s, size_t len);
/* Returns the buffer (caller frees) and resets s; "" when empty. */
char *rt_str_detach(rt_str *s);
void rt_str_dispose(rt_str *s);
/* ptr, or "" when nothing was appended yet. */
const char *rt_str_cstr(const rt_str *s);

/* Small string helpers that do not allocate. */
int rt_streq(const char *a, const char *b);
int rt_startswith(const char *s, const char *prefix);
/* Duplicate n bytes into a new NUL-terminated string (NULL on OOM). */
char *rt_strndup(const char *s, size_t n);
char *rt_strdup(const char *s);

#endif
