/* SPDX-License-Identifier: MIT */
/*
 * slug.h: Alembic's slug: the \w+ words of the message, lower-cased,
 * joined by '_', truncated to truncate_slug_length at a word boundary with
 * a trailing '_' when cut.
 */
#ifndef RT_SLUG_H
#define RT_SLUG_H

#include "util/str.h"

/* Alembic's slug. truncate <= 0 means 40. Counts characters (UTF-8 code
 * points), and treats non-ASCII letters as word characters. Returns 0 or
 * RETORT_ENOMEM. */
int rt_slugify(rt_str *out, const char *message, int truncate);

#endif
