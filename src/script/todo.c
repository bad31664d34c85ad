/* SPDX-License-Identifier: MIT */
/*
 * todo.c: finding `-- retort:todo` lines (see todo.h).
 */
#include "script/todo.h"

#include <string.h>

const char *rt_todo_find(const char *text, size_t len, unsigned first_line,
			 unsigned *line, size_t *reason_len)
{
	static const char marker[] = "-- retort:todo";
	const size_t mlen = sizeof(marker) - 1;
	const char *p = text, *end = text + len, *eol;
	unsigned n = first_line;

	for (; p && p < end; p = eol + 1, n++) {
		const char *t = p;

		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		while (t < eol && (*t == ' ' || *t == '\t'))
			t++;
		if ((size_t)(eol - t) < mlen || memcmp(t, marker, mlen))
			continue;
		t += mlen;
		while (t < eol && (*t == ':' || *t == ' ' || *t == '\t'))
			t++;
		*line = n;
		*reason_len = (size_t)(eol - t);
		while (*reason_len && t[*reason_len - 1] == '\r')
			(*reason_len)--;
		return t;
	}
	return NULL;
}
