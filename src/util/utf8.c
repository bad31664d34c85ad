/* SPDX-License-Identifier: MIT */
/*
 * utf8.c: UTF-8 decoding and encoding (see utf8.h). Decoding follows the
 * strict definition (no overlongs, no surrogates, nothing past U+10FFFF)
 * and never reads past the end it is given.
 */
#include "util/utf8.h"

/*
 * Decode the sequence at s[0..n) (n >= 1): returns its length and sets *cp,
 * or -1 in *cp for a malformed byte (which then counts as one character).
 */
size_t rt_utf8_decode(const char *str, size_t n, long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	long v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		goto bad;
	}
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = -1;
	return 1;
}

void rt_utf8_put(rt_str *out, long cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		rt_str_append(out, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		rt_str_append(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		rt_str_append(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		rt_str_append(out, b, 4);
	}
}

/* Code points in s[0..n). */
size_t rt_utf8_count(const char *s, size_t n)
{
	size_t i = 0, count = 0;
	long cp;

	while (i < n) {
		i += rt_utf8_decode(s + i, n - i, &cp);
		count++;
	}
	return count;
}

/* Byte length of the first `cps` code points of s[0..n) (all of it when
 * shorter). */
size_t rt_utf8_prefix(const char *s, size_t n, size_t cps)
{
	size_t i = 0;
	long cp;

	while (i < n && cps--)
		i += rt_utf8_decode(s + i, n - i, &cp);
	return i;
}
