/* SPDX-License-Identifier: MIT */
/*
 * scrub.c: hiding a database password given on the command line from
 * other users, who can read every process's arguments (ps,
 * /proc/PID/cmdline). After the option parser has copied a --url value,
 * scrub_url_password() overwrites the password's bytes in argv in place
 * with '*', as the mysql client does, and leaves the rest of the URL
 * readable. (The password is visible from the exec until the parse, a
 * window of microseconds; PGPASSWORD, ~/.pgpass or password_file in
 * retort.ini avoid it entirely.)
 *
 * What is a password follows the library's URL grammar (src/project/url.c):
 *  - the userinfo password: after the first ':' of the text before the
 *    last '@' of the authority, which ends at the first '/', '?' or '#';
 *  - when the authority has no '@' and its port is not a port (the
 *    library's "bad port" error, as with a raw '/', '?' or '#' in a
 *    password), the same up to the last '@' before the first '/' (the
 *    last one at all when there is no '/'), or else the last one before
 *    the first '?' (as rt_url_mask() reads such text): more rather than
 *    less. A URL that parses is never scrubbed this way:
 *    `h:5432?application_name=a@b` has no password;
 *  - the value of every query parameter whose percent-decoded key is
 *    "password" (any case), up to the next '&';
 *  - in a PostgreSQL URL with several hosts (h1:5432,h2:5433), the port of
 *    each host is judged on its own, as the library parses them;
 *  - in libpq's key/value string (host=h password='p w'), the value of
 *    every "password" keyword (any case): between its quotes, or up to the
 *    next blank, with libpq's backslash escapes.
 * Invariant (checked by fuzz/fuzz_args.c): when the URL parses, the
 * scrubbed text parses to the same parts, with a password (and password
 * parameters) made only of '*'.
 */
#include <string.h>
#include <strings.h>

#include "cli.h"

static void blank(char *from, char *to)
{
	for (; from < to; from++)
		*from = '*';
}

/* Last occurrence of c in [s, e). */
static char *last_of(char *s, char *e, char c)
{
	while (e > s)
		if (*--e == c)
			return e;
	return NULL;
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

/* Is [k, e) "password" once percent-decoded, in any case? */
static int is_password_key(const char *k, const char *e)
{
	static const char want[] = "password";
	size_t n = 0;
	int hi, lo;
	char c;

	while (k < e) {
		c = *k++;
		if (c == '%' && e - k >= 2 && (hi = hexval(k[0])) >= 0 &&
		    (lo = hexval(k[1])) >= 0) {
			c = (char)(hi * 16 + lo);
			k += 2;
		}
		if (n >= sizeof(want) - 1 || (c | 0x20) != want[n] ||
		    !(c >= 'A' && c <= 'z'))
			return 0;
		n++;
	}
	return n == sizeof(want) - 1;
}

/* Is the host [a, end) followed by a bad port (text after the host's ':'
 * that is not empty and not 1-65535), or an unterminated '['? */
static int bad_host_port(const char *a, const char *end)
{
	const char *p = a, *colon;
	long port = 0;

	if (*p == '[') {
		p = memchr(p, ']', (size_t)(end - p));
		if (!p)
			return 1;
	}
	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon || colon + 1 == end)
		return 0;
	for (p = colon + 1; p < end; p++) {
		if (*p < '0' || *p > '9' || port > 65535)
			return 1;
		port = port * 10 + (*p - '0');
	}
	return port < 1 || port > 65535;
}

/* Does the authority [a, end), which has no '@', end in a bad port? Then
 * the library fails on the URL. A PostgreSQL URL may name several hosts,
 * separated by ',' (outside [...]), each with its port. */
static int bad_port(const char *a, const char *end, int several)
{
	const char *e, *b;

	for (;;) {
		b = a;
		if (several && *a == '[' &&
		    (b = memchr(a, ']', (size_t)(end - a))) == NULL)
			return 1;
		e = several ? memchr(b, ',', (size_t)(end - b)) : NULL;
		if (!e)
			return bad_host_port(a, end);
		if (bad_host_port(a, e))
			return 1;
		a = e + 1;
	}
}

/* Is the scheme of [url, sep) PostgreSQL's (postgresql, postgres, pgsql,
 * with a +driver or not, any case)? */
static int pg_scheme(const char *url, const char *sep)
{
	static const char *const names[] = { "postgresql", "postgres",
					     "pgsql" };
	const char *plus = memchr(url, '+', (size_t)(sep - url));
	size_t n = (size_t)((plus ? plus : sep) - url), i;

	for (i = 0; i < 3; i++)
		if (strlen(names[i]) == n && !strncasecmp(url, names[i], n))
			return 1;
	return 0;
}

static int blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int word_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* libpq's key/value string: "keyword =" first, after blanks (as the
 * library tells it from a URL). */
static int is_conninfo(const char *s)
{
	while (blank_char(*s))
		s++;
	if (!word_char(*s, 1))
		return 0;
	while (word_char(*s, 0))
		s++;
	while (blank_char(*s))
		s++;
	return *s == '=';
}

/* Blank the value of every password keyword, the quotes kept. */
static void scrub_conninfo(char *s)
{
	char *k, *v;
	size_t kn;

	while (*s) {
		if (blank_char(*s)) {
			s++;
			continue;
		}
		for (k = s; *s && *s != '=' && !blank_char(*s); s++)
			;
		kn = (size_t)(s - k);
		for (v = s; blank_char(*v); v++)
			;
		if (*v != '=')
			continue;
		for (v++; blank_char(*v); v++)
			;
		s = v;
		if (*s == '\'') {
			for (s++, v++; *s && *s != '\''; s++)
				if (*s == '\\' && s[1])
					s++;
		} else {
			for (; *s && !blank_char(*s); s++)
				if (*s == '\\' && s[1])
					s++;
		}
		if (kn == 8 && !strncasecmp(k, "password", 8))
			blank(v, s);
		if (*s == '\'')
			s++;
	}
}

void scrub_url_password(char *url)
{
	char *sep, *a, *end, *at, *colon, *q, *seg;

	if (!url)
		return;
	if (is_conninfo(url)) {
		scrub_conninfo(url);
		return;
	}
	if ((sep = strstr(url, "://")) == NULL)
		return;
	a = sep + 3;
	end = a + strcspn(a, "/?#");
	at = last_of(a, end, '@');
	if (!at && *end && bad_port(a, end, pg_scheme(url, sep))) {
		char *slash = strchr(a, '/');

		at = last_of(a, slash ? slash : a + strlen(a), '@');
		if (!at)
			at = last_of(a, a + strcspn(a, "?"), '@');
	}
	if (at && (colon = memchr(a, ':', (size_t)(at - a))) != NULL)
		blank(colon + 1, at);

	/* password=... in the query */
	if ((q = strchr(at ? at : a, '?')) == NULL)
		return;
	for (seg = q + 1; *seg; seg++) {
		char *amp = seg + strcspn(seg, "&");
		char *eq = memchr(seg, '=', (size_t)(amp - seg));

		if (eq && is_password_key(seg, eq))
			blank(eq + 1, amp);
		seg = amp;
		if (!*seg)
			break;
	}
}
