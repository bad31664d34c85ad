/* SPDX-License-Identifier: MIT */
/*
 * url.h: SQLAlchemy-style database URLs, so that an application's existing
 * DATABASE_URL works as is:
 *   dialect[+driver]://[user[:password]@][host][:port][/database][?k=v&...]
 *   sqlite:///relative.db   sqlite:////abs/path.db   sqlite:///:memory:
 *   postgresql://u:p@host:5432/db?sslmode=require   postgres://...
 *   postgresql+asyncpg://... (driver suffix accepted and ignored)
 *   postgresql://u@%2Fvar%2Frun%2Fpostgresql/db or ?host=/var/run/... (socket)
 *   mysql://...  mariadb://...
 * User, password, host, database and query values are percent-decoded.
 *
 * Passwords never leave this module unmasked except through the `password`
 * field handed to a driver: rt_url_display() and rt_url_mask() print "***".
 */
#ifndef RT_URL_H
#define RT_URL_H

#include "sql/dialect.h"
#include "util/err.h"
#include "util/str.h"

typedef struct rt_url_param {
	char *key;
	char *value;
} rt_url_param;

typedef struct rt_url {
	rt_dialect dialect;
	char *scheme;	/* as written, e.g. "postgresql+asyncpg" */
	char *driver;	/* after '+', or NULL */
	char *username; /* NULL when absent */
	char *password; /* NULL when absent */
	char *host;	/* NULL when absent; decoded (may be a socket dir) */
	int port;	/* 0 when absent */
	char *database; /* NULL when absent; for sqlite the file path */
	rt_url_param *params;
	size_t nparams;
} rt_url;

/* Parse; errors (RETORT_ECONFIG) name the URL with its password masked:
 * "invalid database url 'postgresql://u:***@h:xx/db': bad port 'xx'",
 * "unsupported database 'oracle' in url 'oracle://...'". */
int rt_url_parse(rt_url *out, const char *text, rt_err *err);
void rt_url_dispose(rt_url *u);
/* The URL rebuilt with the password as "***". Appends to out; returns 0
 * or RETORT_ENOMEM. */
int rt_url_display(rt_str *out, const rt_url *u);
/* Mask the password in any URL-looking text without parsing it fully
 * (for messages about URLs that failed to parse). Appends to out; returns
 * 0 or RETORT_ENOMEM; never fails on garbage. */
int rt_url_mask(rt_str *out, const char *text);
/* Query parameter value or NULL (the last one when repeated). */
const char *rt_url_param_get(const rt_url *u, const char *key);
/* "sqlite", "postgresql", "mysql". */
const char *rt_dialect_name(rt_dialect d);
/* For sqlite: 1 when the URL names an in-memory database. */
int rt_url_is_memory(const rt_url *u);

#endif
