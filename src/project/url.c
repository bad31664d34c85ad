/* SPDX-License-Identifier: MIT */
/*
 * url.c: SQLAlchemy-style database URLs (see url.h).
 *
 * Grammar, after SQLAlchemy 1.4's _parse_url:
 *   scheme    [A-Za-z0-9_+]+ before the first "://"; dialect[+driver]
 *   authority the text after "://" up to the first '/', '?' or '#' (or
 *             the end), so that an '@' in the query is not taken for the
 *             end of a password (RFC 3986 3.2)
 *   userinfo  the text before the LAST '@' of the authority, so that both
 *             u:p%40ss@h and u:p@ss@h give the password "p@ss"; the
 *             username ends at the first ':' (the password may hold ':').
 *             A '/', '?' or '#' in a password must be written %2F, %3F,
 *             %23.
 *   host      [ipv6] or the text up to ':', '/', '?' or '#'
 *   port      digits after ':', 1-65535 (an empty port is no port)
 *   database  after the '/' that follows the host, up to '?'
 *   query     k=v pairs split on '&' ('+' is not a space)
 * Nothing may follow the authority but '/' or '?' (a '#' is an error).
 * User, password, host, database and query keys and values are
 * percent-decoded; an invalid escape is kept as written; %00 is an error.
 *
 * Invariants: a parsed rt_url owns every string in it; after a failed parse
 * it is all zeros. No message built here contains a password: the URL is
 * always shown through rt_url_mask() or rt_url_display().
 */
#include "project/url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "project/url_pg.h"
#include "retort.h"

static int is_scheme_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '_';
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int caseeq_n(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!b[i] || to_lower(a[i]) != b[i])
			return 0;
	return b[n] == '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Last occurrence of c in [s, s+n). */
static const char *memrchr_(const char *s, char c, size_t n)
{
	while (n > 0) {
		n--;
		if (s[n] == c)
			return s + n;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Masking and display */

static void mask_from(rt_str *out, const char *start, const char *at)
{
	const char *colon = memchr(start, ':', (size_t)(at - start));

	if (colon) {
		rt_str_append(out, start, (size_t)(colon + 1 - start));
		rt_str_puts(out, "***");
	} else {
		rt_str_append(out, start, (size_t)(at - start));
	}
}

static int mask_userinfo(rt_str *out, const char *text);

/* Is this query key a password (libpq's "password" parameter)? */
static int password_key(const char *k, size_t n)
{
	return n == 8 && !strncasecmp(k, "password", 8);
}

/* Mask "password=..." values in the query parts of out[from..]. */
static void mask_query_passwords(rt_str *out, size_t from)
{
	size_t i;

	for (i = from; out->ptr && i < out->len; i++) {
		size_t v, e;

		if ((out->ptr[i] != '?' && out->ptr[i] != '&') ||
		    i + 10 > out->len || !password_key(out->ptr + i + 1, 8) ||
		    out->ptr[i + 9] != '=')
			continue;
		v = i + 10;
		for (e = v; e < out->len && out->ptr[e] != '&' &&
			    out->ptr[e] != ' ' && out->ptr[e] != '\'';
		     e++)
			;
		if (e == v || (e - v == 3 && !memcmp(out->ptr + v, "***", 3)))
			continue;
		{
			rt_str tail = RT_STR_INIT;

			rt_str_puts(&tail, out->ptr + e);
			rt_str_truncate(out, v);
			rt_str_puts(out, "***");
			rt_str_puts(out, rt_str_cstr(&tail));
			rt_str_dispose(&tail);
		}
	}
}

int rt_url_mask(rt_str *out, const char *text)
{
	size_t from = out->len;
	int error;

	if (rt_url_is_conninfo(text)) {
		rt_url_mask_conninfo(out, text);
		return out->oom ? RETORT_ENOMEM : 0;
	}
	error = mask_userinfo(out, text);

	if (!error)
		mask_query_passwords(out, from);
	return out->oom ? RETORT_ENOMEM : error;
}

static int mask_userinfo(rt_str *out, const char *text)
{
	const char *p, *sep, *a, *end, *at;
	size_t n;

	if (!text)
		return 0;
	p = text;
	sep = strstr(p, "://");
	if (!sep) {
		/* not a URL: hide anything between the first ':' and the
		 * last '@', in case it is a password */
		at = strrchr(text, '@');
		if (at)
			mask_from(out, text, at);
		rt_str_puts(out, at ? at : text);
		return out->oom ? RETORT_ENOMEM : 0;
	}
	while (sep) {
		a = sep + 3;
		end = strchr(a, '/');
		if (!end)
			end = a + strlen(a);
		at = memrchr_(a, '@', (size_t)(end - a));
		if (!at) {
			/* a '/' in the password hides the '@' from the
			 * parser; mask up to an '@' before the query */
			n = strcspn(a, "?");
			at = memrchr_(a, '@', n);
		}
		rt_str_append(out, p, (size_t)(a - p));
		if (at) {
			mask_from(out, a, at);
			p = at;
		} else {
			p = a;
		}
		sep = strstr(p, "://");
	}
	rt_str_puts(out, p);
	return out->oom ? RETORT_ENOMEM : 0;
}

/* Append s, percent-encoding controls, space, '%' and the characters of
 * special; non-ASCII stays. Query keys and values encode '@' too, so that
 * a parser that looks for the userinfo's '@' past the '?' (as this one
 * once did) cannot misread them. */
static void put_enc(rt_str *out, const char *s, const char *special)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == 0x7f || c == '%' || strchr(special, c)) {
			rt_str_putc(out, '%');
			rt_str_putc(out, hex[c >> 4]);
			rt_str_putc(out, hex[c & 15]);
		} else {
			rt_str_putc(out, (char)c);
		}
	}
}

/* put_enc() of [s, s+n). */
static void put_enc_n(rt_str *out, const char *s, size_t n, const char *special)
{
	char *copy = rt_strndup(s, n);

	if (!copy) {
		out->oom = 1;
		return;
	}
	put_enc(out, copy, special);
	free(copy);
}

/* The host, or libpq's list of hosts as h1:p1,h2,h3:p3 (`ports` holds
 * the ports, an empty entry for none). */
static void put_hosts(rt_str *out, const rt_url *u)
{
	const char *h = u->host, *pt = u->ports, *he, *pe;

	while (h) {
		he = h + strcspn(h, ",");
		if (memchr(h, ':', (size_t)(he - h))) {
			rt_str_putc(out, '[');
			put_enc_n(out, h, (size_t)(he - h), "/?#[]@,");
			rt_str_putc(out, ']');
		} else {
			put_enc_n(out, h, (size_t)(he - h), ":/?#[]@,");
		}
		if (pt) {
			pe = pt + strcspn(pt, ",");
			if (pe > pt) {
				rt_str_putc(out, ':');
				rt_str_append(out, pt, (size_t)(pe - pt));
			}
			pt = *pe ? pe + 1 : NULL;
		}
		if (!*he)
			break;
		rt_str_putc(out, ',');
		h = he + 1;
	}
}

int rt_url_display(rt_str *out, const rt_url *u)
{
	size_t i;

	if (u->conninfo)
		return rt_url_display_conninfo(out, u);
	rt_str_puts(out, u->scheme ? u->scheme : rt_dialect_name(u->dialect));
	rt_str_puts(out, "://");
	if (u->username || u->password) {
		if (u->username)
			put_enc(out, u->username, ":@/?#[]");
		if (u->password)
			rt_str_puts(out, ":***");
		rt_str_putc(out, '@');
	}
	put_hosts(out, u);
	if (u->port)
		rt_str_printf(out, ":%d", u->port);
	if (u->database) {
		rt_str_putc(out, '/');
		put_enc(out, u->database, "?#");
	}
	for (i = 0; i < u->nparams; i++) {
		rt_str_putc(out, i ? '&' : '?');
		put_enc(out, u->params[i].key, "&=#@");
		rt_str_putc(out, '=');
		if (password_key(u->params[i].key, strlen(u->params[i].key)))
			rt_str_puts(out, "***");
		else
			put_enc(out, u->params[i].value, "&#@");
	}
	return out->oom ? RETORT_ENOMEM : 0;
}

/* ------------------------------------------------------------------ */
/* Parsing */

/* The parse's state: the text, its masked form for messages, and the
 * cursor (p) with the end of the authority and its last '@' (NULL when
 * none). */
struct url_parse {
	const char *text;
	rt_str masked;
	rt_err *err;
	const char *p, *end, *at;
};

static int url_fail(struct url_parse *up, const char *what)
{
	if (up->masked.oom)
		return rt_err_oom(up->err);
	return rt_err_set(up->err, RETORT_ECONFIG,
			  "invalid database url '%s': %s",
			  rt_str_cstr(&up->masked), what);
}

/* Percent-decode [s, s+n) into *out. */
static int decode(struct url_parse *up, char **out, const char *s, size_t n)
{
	char *d;
	size_t i, j = 0;
	int hi, lo;

	if ((d = malloc(n + 1)) == NULL)
		return rt_err_oom(up->err);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			if (!hi && !lo) {
				free(d);
				return url_fail(up, "encoded NUL byte (%00)");
			}
			d[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[j++] = s[i];
		}
	}
	d[j] = '\0';
	*out = d;
	return 0;
}

static int add_param(struct url_parse *up, rt_url *u, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	rt_url_param *v, *pr;
	int error;

	v = realloc(u->params, (u->nparams + 1) * sizeof(*v));
	if (!v)
		return rt_err_oom(up->err);
	u->params = v;
	pr = &u->params[u->nparams];
	pr->key = pr->value = NULL;
	u->nparams++;
	if ((error = decode(up, &pr->key, s, eq ? (size_t)(eq - s) : n)) < 0)
		return error;
	if (eq)
		return decode(up, &pr->value, eq + 1, n - (size_t)(eq + 1 - s));
	if ((pr->value = calloc(1, 1)) == NULL)
		return rt_err_oom(up->err);
	return 0;
}

static int parse_query(struct url_parse *up, rt_url *u, const char *q)
{
	size_t n;
	int error;

	while (*q) {
		n = strcspn(q, "&");
		if (n && (error = add_param(up, u, q, n)) < 0)
			return error;
		q += n;
		if (*q == '&')
			q++;
	}
	return 0;
}

/* The end of the authority: the first '/', '?' or '#' after "://". */
static const char *authority_end(const char *a)
{
	return a + strcspn(a, "/?#");
}

/* When the authority (ending at *end) has no '@' but one follows it (before
 * the query, if the authority ended at a '/'), the '/', '?' or '#' that
 * ended it was most likely in a password: that character, else 0. */
static char cut_password(const char *end)
{
	const char *at = *end ? strchr(end, '@') : NULL;

	if (!at || (*end == '/' && memchr(end, '?', (size_t)(at - end))))
		return 0;
	return *end;
}

/* slash_in_password: what cut_password() found. The port is then a piece
 * of the password and is not shown. */
static int parse_port(struct url_parse *up, int *out, const char *s, size_t n,
		      char slash_in_password)
{
	rt_str msg = RT_STR_INIT;
	size_t i;
	long port = 0;
	int error;

	if (n == 0)
		return 0; /* "h:/db": no port, as in SQLAlchemy */
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9' && port <= 65535; i++)
		port = port * 10 + (s[i] - '0');
	if (i == n && port >= 1 && port <= 65535) {
		*out = (int)port;
		return 0;
	}
	if (slash_in_password) {
		rt_str_printf(&msg,
			      "bad port (write a '%c' in the password as "
			      "%%%02X)",
			      slash_in_password,
			      (unsigned)(unsigned char)slash_in_password);
		goto out;
	}
	rt_str_puts(&msg, "bad port '");
	rt_str_append(&msg, s, n);
	rt_str_putc(&msg, '\'');
out:
	if (msg.oom)
		error = rt_err_oom(up->err);
	else
		error = url_fail(up, msg.ptr);
	rt_str_dispose(&msg);
	return error;
}

static int parse_scheme(struct url_parse *up, rt_url *u, const char *s,
			size_t n)
{
	const char *plus = memchr(s, '+', n);
	size_t dn = plus ? (size_t)(plus - s) : n;
	int error;

	if ((u->scheme = rt_strndup(s, n)) == NULL)
		return rt_err_oom(up->err);
	if (plus && (u->driver = rt_strndup(plus + 1, n - dn - 1)) == NULL)
		return rt_err_oom(up->err);
	if (caseeq_n(s, dn, "sqlite")) {
		u->dialect = RT_DIALECT_SQLITE;
	} else if (caseeq_n(s, dn, "postgresql") ||
		   caseeq_n(s, dn, "postgres") || caseeq_n(s, dn, "pgsql")) {
		u->dialect = RT_DIALECT_POSTGRESQL;
	} else if (caseeq_n(s, dn, "mysql") || caseeq_n(s, dn, "mariadb")) {
		u->dialect = RT_DIALECT_MYSQL;
	} else {
		error = rt_err_set(up->err, RETORT_ECONFIG,
				   "unsupported database '%.*s' in url '%s'",
				   (int)dn, s, rt_str_cstr(&up->masked));
		return up->masked.oom ? rt_err_oom(up->err) : error;
	}
	return 0;
}

/* "dialect[+driver]://": the scheme, then up->p is past the "://". */
static int parse_head(struct url_parse *up, rt_url *u)
{
	const char *text = up->text, *sep = strstr(text, "://");
	size_t i;

	for (i = 0; sep && text + i < sep; i++)
		if (!is_scheme_char(text[i]))
			break;
	if (!sep || sep == text || text + i < sep || text[0] == '+' ||
	    sep[-1] == '+')
		return url_fail(up, "expected dialect://...");
	up->p = sep + 3;
	up->end = authority_end(up->p);
	return parse_scheme(up, u, text, (size_t)(sep - text));
}

/* user[:password]@, before the last '@' of the authority. */
static int parse_userinfo(struct url_parse *up, rt_url *u)
{
	const char *a = up->p, *colon;
	int error;

	up->at = memrchr_(a, '@', (size_t)(up->end - a));
	if (!up->at)
		return 0;
	colon = memchr(a, ':', (size_t)(up->at - a));
	if ((error = decode(up, &u->username, a,
			    (size_t)((colon ? colon : up->at) - a))) < 0)
		return error;
	if (colon && (error = decode(up, &u->password, colon + 1,
				     (size_t)(up->at - colon - 1))) < 0)
		return error;
	if (!colon && !*u->username) {
		free(u->username);
		u->username = NULL;
	}
	up->p = up->at + 1;
	return 0;
}

/* The length of the text before any character of a or b. */
static size_t span(const char *s, const char *a, const char *b)
{
	size_t n = strcspn(s, a), m = strcspn(s, b);

	return n < m ? n : m;
}

/* One host (a name, or [ipv6]) and :port at up->p, each ending at
 * `stops` too. *host is NULL when empty; *port 0 when none. */
static int parse_one_host(struct url_parse *up, char **host, int *port,
			  const char *stops)
{
	const char *p = up->p, *q;
	int error;

	if (*p == '[') {
		q = p + 1;
		while (q < up->end && *q != ']')
			q++;
		if (*q != ']' || q == p + 1)
			return url_fail(up, "unterminated '[' in host");
		if ((error = decode(up, host, p + 1, (size_t)(q - p - 1))) < 0)
			return error;
		p = q + 1;
	} else {
		q = p + span(p, ":/?#", stops);
		if (q > p && (error = decode(up, host, p, (size_t)(q - p))) < 0)
			return error;
		p = q;
	}
	if (*p == ':') {
		q = p + 1 + span(p + 1, "/?#", stops);
		if ((error = parse_port(up, port, p + 1, (size_t)(q - p - 1),
					up->at ? 0 : cut_password(up->end))) <
		    0)
			return error;
		p = q;
	}
	up->p = p;
	return 0;
}

/* libpq's several hosts, h1:p1,h2,[v6]:p3 (PostgreSQL only): the first is
 * in u already; host becomes the list "h1,h2,v6" and ports "p1,,p3" (or
 * NULL when no host has a port). A ',' in a host itself would split it in
 * libpq, so it is an error. */
static int parse_more_hosts(struct url_parse *up, rt_url *u)
{
	rt_str hosts = RT_STR_INIT, ports = RT_STR_INIT;
	int any = u->port != 0, error = 0;
	char *h = u->host;
	int port = u->port;

	u->host = NULL;
	u->port = 0;
	for (;;) {
		if (h && strchr(h, ',')) {
			error = url_fail(up, "a ',' in a host name");
			break;
		}
		rt_str_puts(&hosts, h ? h : "");
		if (port)
			rt_str_printf(&ports, "%d", port);
		free(h);
		h = NULL;
		port = 0;
		if (*up->p != ',')
			break;
		up->p++;
		rt_str_putc(&hosts, ',');
		rt_str_putc(&ports, ',');
		if ((error = parse_one_host(up, &h, &port, ",")) < 0)
			break;
		any |= port != 0;
	}
	free(h);
	if (!error && (hosts.oom || ports.oom))
		error = rt_err_oom(up->err);
	if (!error) {
		u->host = rt_str_detach(&hosts);
		if (any)
			u->ports = rt_str_detach(&ports);
		if (!u->host || (any && !u->ports))
			error = rt_err_oom(up->err);
	}
	rt_str_dispose(&hosts);
	rt_str_dispose(&ports);
	return error;
}

/* host[:port], or several for PostgreSQL. */
static int parse_host_port(struct url_parse *up, rt_url *u)
{
	int pg = u->dialect == RT_DIALECT_POSTGRESQL, error;

	if ((error = parse_one_host(up, &u->host, &u->port, pg ? "," : "")) < 0)
		return error;
	if (pg && (*up->p == ',' || (u->host && strchr(u->host, ','))) &&
	    (error = parse_more_hosts(up, u)) < 0)
		return error;
	if (*up->p && *up->p != '/' && *up->p != '?')
		return url_fail(up, "unexpected text after the host");
	return 0;
}

/* /database and ?query. */
static int parse_path_query(struct url_parse *up, rt_url *u)
{
	const char *p = up->p, *q;
	int error;

	if (*p == '/') {
		q = p + 1 + strcspn(p + 1, "?");
		if ((error = decode(up, &u->database, p + 1,
				    (size_t)(q - p - 1))) < 0)
			return error;
		p = q;
	}
	if (*p == '?')
		return parse_query(up, u, p + 1);
	return 0;
}

static int check_sqlite(struct url_parse *up, const rt_url *u)
{
	if (u->dialect == RT_DIALECT_SQLITE &&
	    (u->username || u->password || u->host || u->port))
		return url_fail(
		    up, "a sqlite url has no host (write sqlite:///relative.db "
			"or sqlite:////absolute/path.db)");
	return 0;
}

int rt_url_parse(rt_url *out, const char *text, rt_err *err)
{
	struct url_parse up;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&up, 0, sizeof(up));
	up.text = text;
	up.masked = (rt_str)RT_STR_INIT;
	up.err = err;
	if (!text || !*text)
		return rt_err_set(err, RETORT_ECONFIG,
				  "no database url configured (set url in "
				  "retort.ini, DATABASE_URL, or --url)");
	rt_url_mask(&up.masked, text);
	if (up.masked.oom)
		error = rt_err_oom(err);
	else if (rt_url_is_conninfo(text))
		error = rt_url_parse_conninfo(out, text, up.masked.ptr, err);
	else if ((error = parse_head(&up, out)) == 0 &&
		 (error = parse_userinfo(&up, out)) == 0 &&
		 (error = parse_host_port(&up, out)) == 0 &&
		 (error = parse_path_query(&up, out)) == 0)
		error = check_sqlite(&up, out);
	if (!error && out->dialect == RT_DIALECT_POSTGRESQL)
		error = rt_url_map_libpq(out, up.masked.ptr, err);
	rt_str_dispose(&up.masked);
	if (error < 0)
		rt_url_dispose(out);
	return error;
}

void rt_url_dispose(rt_url *u)
{
	size_t i;

	if (!u)
		return;
	free(u->scheme);
	free(u->driver);
	free(u->username);
	free(u->password);
	free(u->host);
	free(u->ports);
	free(u->database);
	for (i = 0; i < u->nparams; i++) {
		free(u->params[i].key);
		free(u->params[i].value);
	}
	free(u->params);
	for (i = 0; i < u->nlibpq; i++) {
		free(u->libpq[i].key);
		free(u->libpq[i].value);
	}
	free(u->libpq);
	free(u->warning);
	memset(u, 0, sizeof(*u));
}

const char *rt_url_param_get(const rt_url *u, const char *key)
{
	size_t i = u->nparams;

	/* the last one wins, as in a libpq conninfo string */
	while (i > 0) {
		i--;
		if (strcmp(u->params[i].key, key) == 0)
			return u->params[i].value;
	}
	return NULL;
}

int rt_url_is_memory(const rt_url *u)
{
	return u->dialect == RT_DIALECT_SQLITE &&
	       (!u->database || !*u->database ||
		strcmp(u->database, ":memory:") == 0);
}
