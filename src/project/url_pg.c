/* SPDX-License-Identifier: MIT */
/*
 * url_pg.c: PostgreSQL's side of database URLs (url_pg.h).
 *
 * Key/value strings follow libpq's conninfo_parse(): a keyword, optional
 * blanks, '=', optional blanks, then the value: up to the next blank, or
 * between single quotes; a backslash takes the next character as it is,
 * in either. For a repeated keyword the last one counts (the fields keep
 * the last; other parameters are all kept, in order, for libpq, which
 * does the same).
 *
 * The parameters of a URL become libpq keywords by these rules (`rules`),
 * after what the SQLAlchemy dialects hand their driver (the URL's query
 * as keyword arguments) and what each driver does with it:
 *  - every driver: `database` is libpq's dbname; SQLAlchemy's several
 *    hosts, ?host=h1:p1&host=h2:p2 (or one ?host=h:p and no port), become
 *    libpq's lists host=h1,h2 and port=p1,p2 (SQLAlchemy's
 *    _split_multihost_from_url); pool_* and async_fallback are SQLAlchemy's
 *    own, dropped.
 *  - asyncpg: ssl (disable, allow, prefer, require, verify-ca, verify-full,
 *    or true and false, which are require and disable) is sslmode; timeout
 *    (seconds) is connect_timeout, rounded up to whole seconds. Its
 *    statement caches, command_timeout (a client-side limit on every call,
 *    not the server's statement_timeout), server_settings (a dict, which a
 *    URL cannot carry; pg_settings does this), direct_tls and the pool
 *    sizes are the driver's own, dropped.
 *  - psycopg (3) and psycopg2 hand every parameter to libpq; psycopg's
 *    prepare_threshold is its own, dropped.
 *  - pg8000: timeout is connect_timeout; unix_sock (the socket file,
 *    /dir/.s.PGSQL.5432) is host=/dir and port=5432; tcp_keepalive is
 *    keepalives; source_address is its own, dropped.
 *  - anything else goes to libpq as written, so that a libpq keyword works
 *    with every driver, and a name libpq does not know stays libpq's own
 *    error (`invalid connection option "x"`) when connecting.
 * What is dropped is named once, in u->warning, which the project logs.
 *
 * Invariant: the strings of u->libpq are owned by u, like everything else
 * in it; a failure leaves u for the caller to dispose.
 */
#include "project/url_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "retort.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_word_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* 1-65535 written in digits, or 0. */
static int port_number(const char *s)
{
	long v = 0;
	size_t i, n = strlen(s);

	if (!all_digits(s, n))
		return 0;
	for (i = 0; i < n && v <= 65535; i++)
		v = v * 10 + (s[i] - '0');
	return v >= 1 && v <= 65535 ? (int)v : 0;
}

/* Append key=value to *v, growing it; both are taken over (freed on
 * failure). */
static int push(rt_url_param **v, size_t *n, char *key, char *value,
		rt_err *err)
{
	rt_url_param *grown;

	if (!key || !value)
		goto oom;
	grown = realloc(*v, (*n + 1) * sizeof(**v));
	if (!grown)
		goto oom;
	*v = grown;
	grown[*n].key = key;
	grown[*n].value = value;
	(*n)++;
	return 0;
oom:
	free(key);
	free(value);
	return rt_err_oom(err);
}

/* ------------------------------------------------------------------ */
/* Key/value strings */

int rt_url_is_conninfo(const char *text)
{
	const char *p = text;

	if (!p)
		return 0;
	while (is_blank(*p))
		p++;
	if (!is_word_char(*p, 1))
		return 0;
	while (is_word_char(*p, 0))
		p++;
	while (is_blank(*p))
		p++;
	return *p == '=';
}

/* One value at *pp into v (quotes and backslashes undone). */
static int conninfo_value(const char **pp, rt_str *v)
{
	const char *p = *pp;

	if (*p == '\'') {
		for (p++;; p++) {
			if (!*p)
				return -1;
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '\'')
				break;
			rt_str_putc(v, *p);
		}
		p++;
	} else {
		for (; *p && !is_blank(*p); p++) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '\\')
				continue;
			rt_str_putc(v, *p);
		}
	}
	*pp = p;
	return 0;
}

static void set_field(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* Keep keyword k = value (taken over) in u. */
static int conninfo_keep(rt_url *u, const char *k, size_t kn, char *value,
			 rt_err *err)
{
	if (!value)
		return rt_err_oom(err);
	if (kn == 4 && !memcmp(k, "host", 4)) {
		set_field(&u->host, value);
	} else if (kn == 4 && !memcmp(k, "user", 4)) {
		set_field(&u->username, value);
	} else if (kn == 8 && !memcmp(k, "password", 8)) {
		set_field(&u->password, value);
	} else if (kn == 6 && !memcmp(k, "dbname", 6)) {
		set_field(&u->database, value);
	} else if (kn == 4 && !memcmp(k, "port", 4)) {
		/* one port is a number, anything else libpq's to judge */
		u->port = port_number(value);
		set_field(&u->ports, NULL);
		if (u->port)
			free(value);
		else
			u->ports = value;
	} else {
		return push(&u->params, &u->nparams, rt_strndup(k, kn), value,
			    err);
	}
	return 0;
}

int rt_url_parse_conninfo(rt_url *u, const char *text, const char *masked,
			  rt_err *err)
{
	const char *p = text, *k;
	size_t kn;
	int error;

	u->dialect = RT_DIALECT_POSTGRESQL;
	u->conninfo = 1;
	for (;;) {
		rt_str v = RT_STR_INIT;

		while (is_blank(*p))
			p++;
		if (!*p)
			return 0;
		k = p;
		while (*p && *p != '=' && !is_blank(*p))
			p++;
		kn = (size_t)(p - k);
		while (is_blank(*p))
			p++;
		if (*p != '=')
			return rt_err_set(err, RETORT_ECONFIG,
					  "invalid connection string '%s': "
					  "missing \"=\" after \"%.*s\"",
					  masked, (int)kn, k);
		for (p++; is_blank(*p); p++)
			;
		if (conninfo_value(&p, &v) < 0) {
			rt_str_dispose(&v);
			return rt_err_set(err, RETORT_ECONFIG,
					  "invalid connection string '%s': "
					  "unterminated quoted string",
					  masked);
		}
		if (v.oom) {
			rt_str_dispose(&v);
			return rt_err_oom(err);
		}
		if ((error = conninfo_keep(u, k, kn, rt_str_detach(&v), err)) <
		    0)
			return error;
	}
}

/* A value as libpq reads it back: quoted when empty or holding a blank, a
 * quote or a backslash. */
static void put_value(rt_str *out, const char *v)
{
	const char *p;

	if (*v && !strpbrk(v, " \t\n\r\f\v'\\")) {
		rt_str_puts(out, v);
		return;
	}
	rt_str_putc(out, '\'');
	for (p = v; *p; p++) {
		if (*p == '\'' || *p == '\\')
			rt_str_putc(out, '\\');
		rt_str_putc(out, *p);
	}
	rt_str_putc(out, '\'');
}

/* " k=v" (no blank before the first pair). */
static void put_pair(rt_str *out, size_t *npairs, const char *k, const char *v)
{
	if ((*npairs)++)
		rt_str_putc(out, ' ');
	rt_str_puts(out, k);
	rt_str_putc(out, '=');
	put_value(out, v);
}

int rt_url_display_conninfo(rt_str *out, const rt_url *u)
{
	size_t n = 0, i;
	char port[8];

	if (u->host)
		put_pair(out, &n, "host", u->host);
	if (u->ports) {
		put_pair(out, &n, "port", u->ports);
	} else if (u->port) {
		snprintf(port, sizeof(port), "%d", u->port);
		put_pair(out, &n, "port", port);
	}
	if (u->database)
		put_pair(out, &n, "dbname", u->database);
	if (u->username)
		put_pair(out, &n, "user", u->username);
	if (u->password)
		put_pair(out, &n, "password", "***");
	for (i = 0; i < u->nparams; i++)
		put_pair(out, &n, u->params[i].key,
			 strcasecmp(u->params[i].key, "password")
			     ? u->params[i].value
			     : "***");
	return out->oom ? RETORT_ENOMEM : 0;
}

void rt_url_mask_conninfo(rt_str *out, const char *text)
{
	const char *p = text, *k, *v;
	size_t kn;

	while (*p) {
		if (is_blank(*p)) {
			rt_str_putc(out, *p++);
			continue;
		}
		k = p;
		while (*p && *p != '=' && !is_blank(*p))
			p++;
		kn = (size_t)(p - k);
		for (v = p; is_blank(*v); v++)
			;
		if (*v != '=') {
			rt_str_append(out, k, kn);
			continue;
		}
		for (v++; is_blank(*v); v++)
			;
		p = v;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			for (; *p && !is_blank(*p); p++)
				if (*p == '\\' && p[1])
					p++;
		}
		rt_str_append(out, k, (size_t)(v - k));
		if (kn == 8 && !strncasecmp(k, "password", 8))
			rt_str_puts(out, "***");
		else
			rt_str_append(out, v, (size_t)(p - v));
	}
}

/* ------------------------------------------------------------------ */
/* Parameters to libpq keywords */

enum family { ANY, ASYNCPG, PSYCOPG, PG8000 };
enum conv { SAME, SSL, SECONDS, BOOL01, UNIX_SOCK, DROP };

static const struct rule {
	enum family family; /* ANY: every driver */
	const char *name;   /* a trailing '*' makes it a prefix */
	const char *keyword;
	enum conv conv;
} rules[] = {
	{ ANY, "database", "dbname", SAME },
	{ ANY, "pool_*", NULL, DROP },
	{ ANY, "async_fallback", NULL, DROP },
	{ ASYNCPG, "ssl", "sslmode", SSL },
	{ ASYNCPG, "timeout", "connect_timeout", SECONDS },
	{ ASYNCPG, "command_timeout", NULL, DROP },
	{ ASYNCPG, "prepared_statement_cache_size", NULL, DROP },
	{ ASYNCPG, "prepared_statement_name_func", NULL, DROP },
	{ ASYNCPG, "statement_cache_size", NULL, DROP },
	{ ASYNCPG, "max_cached_statement_lifetime", NULL, DROP },
	{ ASYNCPG, "max_cacheable_statement_size", NULL, DROP },
	{ ASYNCPG, "server_settings", NULL, DROP },
	{ ASYNCPG, "direct_tls", NULL, DROP },
	{ ASYNCPG, "min_size", NULL, DROP },
	{ ASYNCPG, "max_size", NULL, DROP },
	{ ASYNCPG, "max_queries", NULL, DROP },
	{ ASYNCPG, "max_inactive_connection_lifetime", NULL, DROP },
	{ PSYCOPG, "prepare_threshold", NULL, DROP },
	{ PG8000, "timeout", "connect_timeout", SECONDS },
	{ PG8000, "unix_sock", "host", UNIX_SOCK },
	{ PG8000, "tcp_keepalive", "keepalives", BOOL01 },
	{ PG8000, "source_address", NULL, DROP },
};

static int family_of(const char *driver)
{
	static const struct {
		const char *name;
		enum family f;
	} names[] = {
		{ "asyncpg", ASYNCPG },	      { "psycopg", PSYCOPG },
		{ "psycopg2", PSYCOPG },      { "psycopg2cffi", PSYCOPG },
		{ "psycopg_async", PSYCOPG }, { "pg8000", PG8000 },
	};
	size_t i;

	for (i = 0; driver && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(driver, names[i].name))
			return (int)names[i].f;
	return -1;
}

static const struct rule *rule_for(int family, const char *key)
{
	size_t i, n;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];

		if (r->family != ANY && (int)r->family != family)
			continue;
		n = strlen(r->name);
		if (r->name[n - 1] == '*' ? !strncmp(key, r->name, n - 1)
					  : !strcmp(key, r->name))
			return r;
	}
	return NULL;
}

struct mapping {
	rt_url *u;
	const char *masked;
	rt_err *err;
	rt_str dropped; /* "a, b" */
	size_t ndropped;
};

static int map_fail(struct mapping *m, const rt_url_param *p, const char *what)
{
	return rt_err_set(m->err, RETORT_ECONFIG,
			  "invalid database url '%s': %s=%s %s", m->masked,
			  p->key, p->value, what);
}

static int put(struct mapping *m, const char *key, const char *value, size_t n)
{
	return push(&m->u->libpq, &m->u->nlibpq, rt_strdup(key),
		    rt_strndup(value, n), m->err);
}

static int conv_ssl(struct mapping *m, const rt_url_param *p, const char *kw)
{
	static const char *const modes[] = { "disable",	  "allow",
					     "prefer",	  "require",
					     "verify-ca", "verify-full" };
	char v[16];
	size_t i;

	for (i = 0; p->value[i] && i < sizeof(v) - 1; i++)
		v[i] = p->value[i] == '_' ? '-' : p->value[i];
	v[i] = '\0';
	if (!p->value[i]) {
		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (!strcasecmp(v, modes[i]))
				return put(m, kw, modes[i], strlen(modes[i]));
		if (!strcasecmp(v, "true"))
			return put(m, kw, "require", 7);
		if (!strcasecmp(v, "false"))
			return put(m, kw, "disable", 7);
	}
	return map_fail(m, p,
			"is not one of disable, allow, prefer, require, "
			"verify-ca, verify-full, true, false");
}

/* Seconds, maybe with a fraction, rounded up to whole ones. */
static int conv_seconds(struct mapping *m, const rt_url_param *p,
			const char *kw)
{
	const char *v = p->value, *dot = strchr(v, '.');
	size_t n = dot ? (size_t)(dot - v) : strlen(v), i;
	unsigned long s = 0;
	int up = 0;
	char buf[16];

	if (n > 9 || (n == 0 && !dot) || (n && !all_digits(v, n)) ||
	    (dot &&
	     (!all_digits(dot + 1, strlen(dot + 1)) || (n == 0 && !dot[1]))))
		return map_fail(m, p, "is not a number of seconds");
	for (i = 0; i < n; i++)
		s = s * 10 + (unsigned long)(v[i] - '0');
	for (i = 1; dot && dot[i]; i++)
		up |= dot[i] != '0';
	snprintf(buf, sizeof(buf), "%lu", s + (unsigned long)up);
	return put(m, kw, buf, strlen(buf));
}

static int conv_bool01(struct mapping *m, const rt_url_param *p, const char *kw)
{
	static const char *const yes[] = { "true", "1", "yes", "on" };
	static const char *const no[] = { "false", "0", "no", "off" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(p->value, yes[i]))
			return put(m, kw, "1", 1);
		if (!strcasecmp(p->value, no[i]))
			return put(m, kw, "0", 1);
	}
	return map_fail(m, p, "is not true or false");
}

/* pg8000's unix_sock, the socket file: libpq's host is its folder and the
 * port its suffix (/run/postgresql/.s.PGSQL.5432). */
static int conv_unix_sock(struct mapping *m, const rt_url_param *p,
			  const char *kw)
{
	static const char file[] = "/.s.PGSQL.";
	const char *v = p->value, *f = strstr(v, file);
	int error;

	while (f && strstr(f + 1, file))
		f = strstr(f + 1, file);
	if (!f || !port_number(f + sizeof(file) - 1))
		return put(m, kw, v, strlen(v));
	if ((error = put(m, kw, f == v ? "/" : v,
			 f == v ? 1 : (size_t)(f - v))) < 0)
		return error;
	return put(m, "port", f + sizeof(file) - 1,
		   strlen(f + sizeof(file) - 1));
}

static int drop(struct mapping *m, const char *key)
{
	const char *s = rt_str_cstr(&m->dropped);
	size_t n = strlen(key);

	/* named once */
	while ((s = strstr(s, key)) != NULL) {
		if ((s == m->dropped.ptr || s[-1] == ' ') &&
		    (s[n] == ',' || !s[n]))
			return 0;
		s += n;
	}
	if (m->ndropped++)
		rt_str_puts(&m->dropped, ", ");
	rt_str_puts(&m->dropped, key);
	return m->dropped.oom ? rt_err_oom(m->err) : 0;
}

/* SQLAlchemy's several hosts: host=h1:p1&host=h2&host=h3:p3 (or a single
 * host=h:p and no port parameter). One token into host and port. */
static void split_host(const char *t, const char **h, size_t *hn,
		       const char **port)
{
	const char *colon = strrchr(t, ':');

	*h = t;
	*hn = strlen(t);
	*port = "";
	if (t[0] == '[' && (colon = strchr(t, ']')) != NULL) {
		*h = t + 1;
		*hn = (size_t)(colon - t - 1);
		if (colon[1] == ':' && all_digits(colon + 2, strlen(colon + 2)))
			*port = colon + 2;
		return;
	}
	if (colon && !memchr(t, ':', (size_t)(colon - t)) &&
	    (all_digits(colon + 1, strlen(colon + 1)) || !colon[1])) {
		*hn = (size_t)(colon - t);
		*port = colon + 1;
	}
}

/* Does the query hold SQLAlchemy's several hosts? Then host and port go to
 * libpq as the lists that they stand for, where the first host was. */
static int is_multihost(const rt_url *u, size_t *nhost)
{
	size_t i, port = 0;
	const char *one = NULL, *h, *pt;
	size_t hn;

	*nhost = 0;
	for (i = 0; i < u->nparams; i++) {
		if (!strcmp(u->params[i].key, "host")) {
			(*nhost)++;
			one = u->params[i].value;
		}
		port += !strcmp(u->params[i].key, "port");
	}
	if (*nhost > 1)
		return port ? -1 : 1;
	if (*nhost == 0 || port || *one == '/' || *one == '[')
		return 0;
	split_host(one, &h, &hn, &pt);
	return *pt != '\0';
}

static int map_hosts(struct mapping *m)
{
	rt_str hosts = RT_STR_INIT, ports = RT_STR_INIT;
	const char *h, *pt;
	size_t i, hn, k = 0;
	int any = 0, error;

	for (i = 0; i < m->u->nparams; i++) {
		if (strcmp(m->u->params[i].key, "host"))
			continue;
		split_host(m->u->params[i].value, &h, &hn, &pt);
		if (k++) {
			rt_str_putc(&hosts, ',');
			rt_str_putc(&ports, ',');
		}
		rt_str_append(&hosts, h, hn);
		rt_str_puts(&ports, pt);
		any |= *pt != '\0';
	}
	if (hosts.oom || ports.oom)
		error = rt_err_oom(m->err);
	else if ((error = put(m, "host", rt_str_cstr(&hosts), hosts.len)) ==
		     0 &&
		 any)
		error = put(m, "port", rt_str_cstr(&ports), ports.len);
	rt_str_dispose(&hosts);
	rt_str_dispose(&ports);
	return error;
}

static int map_param(struct mapping *m, int family, const rt_url_param *p)
{
	const struct rule *r = rule_for(family, p->key);

	if (!r)
		return put(m, p->key, p->value, strlen(p->value));
	switch (r->conv) {
	case SAME:
		return put(m, r->keyword, p->value, strlen(p->value));
	case SSL:
		return conv_ssl(m, p, r->keyword);
	case SECONDS:
		return conv_seconds(m, p, r->keyword);
	case BOOL01:
		return conv_bool01(m, p, r->keyword);
	case UNIX_SOCK:
		return conv_unix_sock(m, p, r->keyword);
	case DROP:
		break;
	}
	return drop(m, p->key);
}

static int map_warning(struct mapping *m)
{
	rt_str w = RT_STR_INIT;
	const char *scheme = m->u->scheme ? m->u->scheme : "postgresql";

	if (!m->ndropped)
		return 0;
	if (m->ndropped == 1)
		rt_str_printf(&w,
			      "ignoring a driver-only url parameter for %s: %s "
			      "(libpq has no such option)",
			      scheme, rt_str_cstr(&m->dropped));
	else
		rt_str_printf(&w,
			      "ignoring driver-only url parameters for %s: %s "
			      "(libpq has no such options)",
			      scheme, rt_str_cstr(&m->dropped));
	if (w.oom) {
		rt_str_dispose(&w);
		return rt_err_oom(m->err);
	}
	m->u->warning = rt_str_detach(&w);
	return m->u->warning ? 0 : rt_err_oom(m->err);
}

int rt_url_map_libpq(rt_url *u, const char *masked, rt_err *err)
{
	struct mapping m = { u, masked, err, RT_STR_INIT, 0 };
	int family = u->conninfo ? -1 : family_of(u->driver), multi = 0;
	size_t i, nhost = 0;
	int error = 0, hosts_done = 0;

	if (!u->conninfo && (multi = is_multihost(u, &nhost)) < 0)
		return rt_err_set(err, RETORT_ECONFIG,
				  "invalid database url '%s': several host "
				  "parameters and a port parameter (write "
				  "host=h1:p1&host=h2:p2, or "
				  "host=h1,h2&port=p1,p2)",
				  masked);
	for (i = 0; i < u->nparams && !error; i++) {
		const rt_url_param *p = &u->params[i];

		if (u->conninfo)
			error = put(&m, p->key, p->value, strlen(p->value));
		else if (multi && !strcmp(p->key, "host"))
			error = hosts_done++ ? 0 : map_hosts(&m);
		else
			error = map_param(&m, family, p);
	}
	if (!error && u->nlibpq > RT_URL_LIBPQ_MAX - 10)
		error = rt_err_set(err, RETORT_ECONFIG,
				   "invalid database url '%s': more than %d "
				   "connection parameters",
				   masked, RT_URL_LIBPQ_MAX - 10);
	if (!error)
		error = map_warning(&m);
	rt_str_dispose(&m.dropped);
	return error;
}

size_t rt_url_libpq(const rt_url *u, const char **keys, const char **vals,
		    char port[8])
{
	size_t n = 0, i;
	int app = 0, timeout = 0;

#define PUT(k, v)                               \
	do {                                    \
		if (n < RT_URL_LIBPQ_MAX - 1) { \
			keys[n] = (k);          \
			vals[n] = (v);          \
			n++;                    \
		}                               \
	} while (0)
	if (u->host)
		PUT("host", u->host);
	if (u->ports) {
		PUT("port", u->ports);
	} else if (u->port) {
		snprintf(port, 8, "%d", u->port);
		PUT("port", port);
	}
	if (u->username)
		PUT("user", u->username);
	if (u->password)
		PUT("password", u->password);
	if (u->database)
		PUT("dbname", u->database);
	for (i = 0; i < u->nlibpq; i++) {
		app |= !strcmp(u->libpq[i].key, "application_name");
		timeout |= !strcmp(u->libpq[i].key, "connect_timeout");
		PUT(u->libpq[i].key, u->libpq[i].value);
	}
	if (!app)
		PUT("application_name", "retort");
	if (!timeout)
		PUT("connect_timeout", "10");
#undef PUT
	keys[n] = vals[n] = NULL;
	return n;
}
