/* SPDX-License-Identifier: MIT */
/*
 * unicode.h: the few Unicode character properties retort needs, as
 * Python 3.11 (Unicode 14.0) has them, so that slugs and repr() match
 * Alembic's byte for byte. Code points are `long`; a negative one (a
 * malformed byte, see utf8.h) has none of the properties.
 */
#ifndef RT_UNICODE_H
#define RT_UNICODE_H

/* Where re's \w matches (letters, digits, '_', ...). */
int rt_unicode_is_word(long cp);

/* str.lower() of one code point, for those that lower to one code point
 * (U+0130 lowers to two, "i\u0307": the caller handles it). */
long rt_unicode_lower(long cp);

/* For a \w character: Cased and not Case_Ignorable; Case_Ignorable. These
 * decide when str.lower() writes capital sigma as final sigma. */
int rt_unicode_is_cased(long cp);
int rt_unicode_is_case_ignorable(long cp);

/* Above U+007F: an assigned code point that repr() escapes (categories
 * Cc, Cf, Zs, Zl, Zp, Co). 0 for ASCII, which the caller handles. */
int rt_unicode_repr_escapes(long cp);

#endif
