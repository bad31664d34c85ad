/* SPDX-License-Identifier: MIT */
/*
 * slug.c: Alembic's slug of a revision message, the %(slug)s of
 * file_template: "_".join(re.findall(r"\w+", message)).lower(), cut to
 * truncate_slug_length characters at a word boundary with a trailing '_'
 * when cut (see slug.h).
 *
 * Invariants: the slug is appended to `out`, which is truncated back to
 * its length on entry when an allocation fails. It matches Python 3.11
 * for every character: \w and str.lower() come from util/unicode.h,
 * including the final-sigma rule and U+0130; lengths count code points.
 * A malformed UTF-8 byte is kept, as part of the word around it.
 */
#include "script/slug.h"

#include <string.h>

#include "retort.h"
#include "util/unicode.h"
#include "util/utf8.h"

static int is_word(long cp)
{
	if (cp < 0)
		return 1; /* a malformed byte: keep it with its neighbours */
	return rt_unicode_is_word(cp);
}

/*
 * Python lowers U+03A3 to final sigma U+03C2 after a cased letter (case-
 * ignorable ones skipped) when no cased letter follows (likewise). Words
 * are joined by '_', which is neither, so only the current word counts:
 * `prev_cased` tells about its last character that was not case-ignorable,
 * and s[0..n) is the message after the sigma.
 */
static int final_sigma(int prev_cased, const char *s, size_t n)
{
	size_t i = 0;
	long cp = -1;

	if (!prev_cased)
		return 0;
	while (i < n) {
		i += rt_utf8_decode(s + i, n - i, &cp);
		if (!is_word(cp))
			return 1;
		if (!rt_unicode_is_case_ignorable(cp))
			return !rt_unicode_is_cased(cp);
	}
	return 1;
}

int rt_slugify(rt_str *out, const char *message, int truncate)
{
	size_t mark = out->len, n, i = 0, k, cps = 0, cut, us;
	int in_word = 0, prev_cased = 0;
	long cp;

	if (truncate <= 0)
		truncate = 40;
	n = message ? strlen(message) : 0;
	/* "_".join(re.findall(r"\w+", message)).lower() */
	while (i < n) {
		k = rt_utf8_decode(message + i, n - i, &cp);
		if (!is_word(cp)) {
			in_word = 0;
			i += k;
			continue;
		}
		if (!in_word) {
			if (cps) {
				rt_str_putc(out, '_');
				cps++;
			}
			prev_cased = 0;
		}
		in_word = 1;
		if (cp < 0) {
			rt_str_append(out, message + i, 1);
		} else if (cp == 0x130) {
			/* İ lowers to i + U+0307 COMBINING DOT ABOVE */
			rt_str_puts(out, "i\xcc\x87");
			cps++;
		} else if (cp == 0x3a3 &&
			   final_sigma(prev_cased, message + i + k,
				       n - i - k)) {
			rt_utf8_put(out, 0x3c2);
		} else {
			rt_utf8_put(out, rt_unicode_lower(cp));
		}
		if (!rt_unicode_is_case_ignorable(cp))
			prev_cased = rt_unicode_is_cased(cp);
		cps++;
		i += k;
	}
	/* slug[:truncate].rsplit("_", 1)[0] + "_" */
	if (cps > (size_t)truncate && !out->oom) {
		cut = mark + rt_utf8_prefix(out->ptr + mark, out->len - mark,
					    (size_t)truncate);
		for (us = cut; us > mark && out->ptr[us - 1] != '_'; us--)
			;
		rt_str_truncate(out, us > mark ? us - 1 : cut);
		rt_str_putc(out, '_');
	}
	if (out->oom) {
		rt_str_truncate(out, mark);
		return RETORT_ENOMEM;
	}
	return 0;
}
