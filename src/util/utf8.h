/* SPDX-License-Identifier: MIT */
/*
 * utf8.h: decoding and encoding UTF-8, and counting code points, for
 * texts that count characters as Python does (slugs, %-format widths).
 *
 * Invariants: a malformed byte (a bad lead byte, a short or overlong
 * sequence, a surrogate, past U+10FFFF) decodes as one character with
 * code point -1, so every byte string has a length in code points and
 * decoding always advances.
 */
#ifndef RT_UTF8_H
#define RT_UTF8_H

#include <stddef.h>

#include "util/str.h"

/* Decode the sequence at s[0..n) (n >= 1): returns its length in bytes
 * and sets *cp, or -1 in *cp for a malformed byte (length 1). */
size_t rt_utf8_decode(const char *s, size_t n, long *cp);

/* Append the encoding of cp (0 <= cp <= 0x10FFFF). */
void rt_utf8_put(rt_str *out, long cp);

/* Code points in s[0..n). */
size_t rt_utf8_count(const char *s, size_t n);

/* Byte length of the first `cps` code points of s[0..n) (all of it when
 * shorter). */
size_t rt_utf8_prefix(const char *s, size_t n, size_t cps);

#endif
