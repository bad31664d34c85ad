/* SPDX-License-Identifier: MIT */
/*
 * url.h: database URLs, so that an application's existing DATABASE_URL
 * works as is. SQLAlchemy's form:
 *   dialect[+driver]://[user[:password]@][host][:port][/database][?k=v&...]
 *   sqlite:///relative.db   sqlite:////abs/path.db   sqlite:///:memory:
 *   postgresql://u:p@host:5432/db?sslmode=require   postgres://...
 *   postgresql+asyncpg://...?ssl=require (the driver's parameters mapped)
 *   postgresql://u@%2Fvar%2Frun%2Fpostgresql/db or ?host=/var/run/... (socket)
 *   mysql://...  mariadb://...
 * and, for PostgreSQL, libpq's own forms:
 *   postgresql://u:p@h1:5432,h2:5433/db?target_session_attrs=read-write
 *   host=h port=5432 dbname=db user=u password='p w' sslmode=require
 * User, password, host, database and query values are percent-decoded.
 *
 * Design. One rt_url holds any of these forms; the parts a message or a
 * check needs (user, password, host, port, database) are fields whatever
 * the form, and everything else stays a parameter as written, which is
 * what rt_url_display() shows. A key/value string (`conninfo`) is parsed
 * here with libpq's grammar rather than by PQconninfoParse(): this stage
 * has no libpq (a build without PostgreSQL still masks and names such a
 * URL), and libpq itself validates every keyword when the driver connects.
 * For PostgreSQL, the parse also translates the parameters into libpq's
 * keywords (`libpq`, url_pg.c): what a SQLAlchemy driver (asyncpg,
 * psycopg, pg8000) calls by another name is renamed or converted, what
 * only the driver uses is dropped and named in `warning`, and anything
 * else goes to libpq as is, which refuses what it does not know. The
 * driver takes the final list from rt_url_libpq() (url_pg.h).
 *
 * Passwords never leave this module unmasked except through the `password`
 * field (and a "password" parameter) handed to a driver: rt_url_display()
 * and rt_url_mask() print "***".
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
	int conninfo;	/* written as libpq key=value pairs (PostgreSQL) */
	char *scheme;	/* as written, e.g. "postgresql+asyncpg"; NULL for
			   a key/value string */
	char *driver;	/* after '+', or NULL */
	char *username; /* NULL when absent */
	char *password; /* NULL when absent */
	char *host;	/* NULL when absent; decoded (may be a socket dir);
			   several hosts as libpq's list "h1,h2" */
	int port;	/* 0 when absent, or given as `ports` */
	char *ports;	/* several hosts: libpq's list "5432,,5433" (an empty
			   entry is the default port); a key/value string's
			   port that is not one number; else NULL */
	char *database; /* NULL when absent; for sqlite the file path */
	rt_url_param *params;
	size_t nparams;
	/* PostgreSQL: the parameters as libpq keywords (url_pg.c) */
	rt_url_param *libpq;
	size_t nlibpq;
	char *warning; /* NULL, or the one line naming the driver-only
			  parameters that were dropped */
} rt_url;

/* Parse; errors (RETORT_ECONFIG) name the URL with its password masked:
 * "invalid database url 'postgresql://u:***@h:xx/db': bad port 'xx'",
 * "unsupported database 'oracle' in url 'oracle://...'",
 * "invalid connection string 'host=h password=***': unterminated quoted
 * string". */
int rt_url_parse(rt_url *out, const char *text, rt_err *err);
void rt_url_dispose(rt_url *u);
/* The URL rebuilt with the password as "***" (a key/value string as
 * key/value pairs). Appends to out; returns 0 or RETORT_ENOMEM. */
int rt_url_display(rt_str *out, const rt_url *u);
/* Mask the password in any URL-looking text (or key/value string) without
 * parsing it fully (for messages about URLs that failed to parse).
 * Appends to out; returns 0 or RETORT_ENOMEM; never fails on garbage. */
int rt_url_mask(rt_str *out, const char *text);
/* Query parameter value or NULL (the last one when repeated). */
const char *rt_url_param_get(const rt_url *u, const char *key);
/* "sqlite", "postgresql", "mysql". */
const char *rt_dialect_name(rt_dialect d);
/* For sqlite: 1 when the URL names an in-memory database. */
int rt_url_is_memory(const rt_url *u);

#endif
