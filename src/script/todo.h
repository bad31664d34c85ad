/* SPDX-License-Identifier: MIT */
/*
 * todo.h: `-- retort:todo` lines, work left in a revision file. `retort
 * import` writes one (with the reason after it) where it could not render
 * an Alembic revision's function; validate reports each, and a run
 * refuses a section that still has one, so that a revision that does
 * nothing is never recorded as applied.
 *
 * A marker is a line whose first characters, after blanks, are
 * "-- retort:todo"; quoted text (e.g. "-- | -- retort:todo") is not one.
 */
#ifndef RT_TODO_H
#define RT_TODO_H

#include <stddef.h>

/* The first marker in text[0..len), whose first line is line first_line
 * of its file. Returns a pointer to the reason (the rest of the marker's
 * line after any ':' and blanks; *reason_len may be 0) and sets *line to
 * the marker's line; NULL when there is none. To find the next one, scan
 * again from the end of the reason's line. */
const char *rt_todo_find(const char *text, size_t len, unsigned first_line,
			 unsigned *line, size_t *reason_len);

#endif
