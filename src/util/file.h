/* SPDX-License-Identifier: MIT */
/*
 * file.h: opening and reading a file that must be a regular file (a
 * revision file, a password_file, the declared schema, seed data),
 * without ever blocking: a named pipe, a device or a
 * socket given by mistake is refused by name instead of hanging the
 * command (reading a pipe could block forever, a device never end).
 */
#ifndef RT_FILE_H
#define RT_FILE_H

#include <sys/types.h>

#include "util/str.h"

/* "a named pipe", "a character device", ...: what a file that is
 * neither a regular file nor a folder is, for messages. */
const char *rt_file_kind(mode_t mode);

/* Open path read-only (O_NONBLOCK, O_CLOEXEC). Unless `regular` says the
 * caller already knows it is a regular file (a folder listing's d_type),
 * fstat() checks that it is one. Returns the descriptor, or -1 with the
 * reason in why: strerror()'s text, or "not a regular file (a named
 * pipe)". */
int rt_open_regular(const char *path, int regular, char *why, size_t size);

/* The whole of the regular file at path into out (cleared first; reuse it
 * across files: no allocation once it is large enough), NUL-terminated.
 * `regular` as for rt_open_regular(). Returns 0; -1 with the reason in
 * why (the open's, or the read's); -2 when memory ran out. */
int rt_read_regular(const char *path, int regular, rt_str *out, char *why,
		    size_t size);

#endif
