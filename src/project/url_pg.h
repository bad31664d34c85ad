/* SPDX-License-Identifier: MIT */
/*
 * url_pg.h: PostgreSQL's side of database URLs (url.h): libpq's key/value
 * connection strings, and the libpq keywords that a URL's parameters
 * become. url.c calls the first five while parsing, displaying and
 * masking; the PostgreSQL driver calls rt_url_libpq().
 */
#ifndef RT_URL_PG_H
#define RT_URL_PG_H

#include <stddef.h>

#include "project/url.h"
#include "util/err.h"
#include "util/str.h"

/* The room rt_url_libpq() needs, its NULL terminator included: a URL with
 * more parameters than fit is refused when parsed. */
#define RT_URL_LIBPQ_MAX 64

/* Is text (after leading blanks) "keyword=..." rather than a URL? */
int rt_url_is_conninfo(const char *text);

/* Parse a key/value string into u (the parts libpq names host, port,
 * user, password and dbname into their fields, the rest into params, in
 * order). masked: the text as messages show it. */
int rt_url_parse_conninfo(rt_url *u, const char *text, const char *masked,
			  rt_err *err);

/* u, a key/value string, rebuilt with the password as "***". */
int rt_url_display_conninfo(rt_str *out, const rt_url *u);

/* text, a key/value string, with every password value as "***" (even in
 * text that does not parse). */
void rt_url_mask_conninfo(rt_str *out, const char *text);

/* Fill u->libpq (and u->warning) from u->params; see url_pg.c for what is
 * renamed, converted and dropped. A value a driver would refuse is an
 * error naming the parameter. */
int rt_url_map_libpq(rt_url *u, const char *masked, rt_err *err);

/* The libpq connection keywords and values for u, NULL-terminated, for
 * PQconnectdbParams(): host, port, user, password and dbname from the
 * fields, then u->libpq in order (libpq takes the last of a repeated
 * keyword), then application_name=retort and connect_timeout=10 unless
 * already there (so that an unreachable host fails instead of hanging).
 * keys and vals have room for RT_URL_LIBPQ_MAX entries; the strings point
 * into u and into port. Returns the number of pairs. */
size_t rt_url_libpq(const rt_url *u, const char **keys, const char **vals,
		    char port[8]);

#endif
