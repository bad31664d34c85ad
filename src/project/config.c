/* SPDX-License-Identifier: MIT */
/*
 * config.c: retort.ini, parsed with libinih, and lazy interpolation of its
 * values (see config.h for the syntax).
 *
 * Parsing. inih calls its handler without line numbers, so the text is fed
 * to ini_parse_stream() through our own reader, which hands over one line
 * per call and counts them: when the handler runs, `parser.line` is the
 * line it is handling. The reader also looks at each raw line before inih
 * does, which tells us what inih cannot: whether the line was indented (an
 * indented line after a key is that key's continuation, as in ConfigParser;
 * inih then calls the handler again with the same name), how many blank
 * lines preceded it (kept inside multi-line values, as ConfigParser does),
 * where section headers are (so that empty and duplicate sections are
 * seen, and section names are not cut at inih's 49 characters) and whether
 * the line is longer than inih's buffer. The reader's section detection
 * mirrors inih's own rules exactly: a line whose first non-blank character
 * is '[' is a header unless it is a continuation; the name ends at the
 * first ']' unless a ';' after whitespace (an inline comment) comes first.
 * The first error (ours or inih's syntax error, whichever comes first in
 * the file) is reported; after one of ours the reader stops the parse.
 *
 * Storage. Each key=value is an entry {section, lower-cased key, raw text,
 * line}. Sections are case-sensitive, [DEFAULT] is visible to every
 * section. Only the selected section's keys are checked against the
 * known-key table.
 *
 * Interpolation happens at rt_config_get() time and is cached in the entry
 * (`value`). rt_config_get() takes a const config: the entries array is
 * reached through a pointer that the const struct holds, so the cache is
 * writable without casts; the config is logically const (the cache never
 * changes what a get returns). Strings handed out stay valid until
 * rt_config_free(): values replaced by rt_config_set() are retired to a
 * list rather than freed. Values from rt_config_set() are `literal`: never
 * interpolated, inserted as is where %(key)s names them.
 *
 * [SECTION.lint], for the selected SECTION, is read as part of it: its key
 * KEY is stored as lint.KEY of SECTION (and checked, and counted for
 * duplicates, as that key), so that lint's settings may sit in a section
 * of their own, as the issue that asked for them wrote them.
 *
 * Invariants: entry keys are lower-case; line is 0 only for set values; a
 * cached value is the interpolation of the current raw text.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* getcwd, realpath */
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* realpath in glibc */
#endif

#include "project/config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "retort.h"
#include "util/file.h"
#include "util/str.h"
#include "util/vec.h"

/* ConfigParser's MAX_INTERPOLATION_DEPTH: the value read is level 1. */
#define INTERP_MAX_DEPTH 10
#define INTERP_MAX_LEN	 (1024 * 1024)

struct entry {
	char *section;
	char *key;     /* lower-case */
	rt_str raw;    /* as written, continuation lines joined by "\n" */
	char *value;   /* interpolation cache, NULL until first read */
	unsigned line; /* 0 for values from rt_config_set() */
	int literal;   /* set by rt_config_set(): never interpolated */
};

struct section_rec {
	char *name;
	unsigned line;
};

struct rt_config {
	char *path;    /* as given, or NULL */
	char *name;    /* for messages: path or "<memory>" */
	char *here;    /* absolute folder, for %(here)s */
	char *section; /* selected section */
	RT_VEC(struct entry *) entries;
	RT_VEC(struct section_rec) sections;
	RT_VEC(char *) retired; /* replaced strings, freed with the config */
};

static const char *const known_keys[] = {
	"script_location",
	"url",
	"version_locations",
	"path_separator",
	"recursive_version_locations",
	"file_template",
	"revision_ids",
	"truncate_slug_length",
	"timezone",
	"version_table",
	"version_table_schema",
	"log_table",
	"transaction_per_migration",
	"lock_timeout",
	"schema",
	"schema_command",
	"schema_command_timeout",
	"dev_url",
	"dev_url.postgresql",
	"dev_url.mysql",
	"pg_settings",
	"autogenerate_include_schemas",
	"autogenerate_exclude_schemas",
	"autogenerate_exclude_tables",
	"autogenerate_exclude_kinds",
	"autogenerate_exclude_extensions",
	"autogenerate_dialects",
	"sqlalchemy.url",
	"password_file",
	"test.data",
	"lint.enable",
	"lint.disable",
	"lint.require_if_not_exists",
};

/* Keys known by their start: lint.severity.RULE (lint/ checks RULE). */
static const char *const known_prefixes[] = {
	"lint.severity.",
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Stored lower-case key `a` equals the n bytes of `b`, ignoring case. */
static int key_eq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!a[i] || a[i] != to_lower(b[i]))
			return 0;
	return a[i] == '\0';
}

static int ascii_caseeq(const char *a, const char *b)
{
	while (*a && to_lower(*a) == to_lower(*b)) {
		a++;
		b++;
	}
	return to_lower(*a) == to_lower(*b);
}

/* Message "file:line: ..." (no prefix when line is 0). */
static int cfg_fail(const rt_config *c, unsigned line, rt_err *err,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int cfg_fail(const rt_config *c, unsigned line, rt_err *err,
		    const char *fmt, ...)
{
	rt_str msg = RT_STR_INIT;
	va_list ap;

	if (line)
		rt_str_printf(&msg, "%s:%u: ", c->name, line);
	va_start(ap, fmt);
	rt_str_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (msg.oom) {
		rt_str_dispose(&msg);
		return rt_err_oom(err);
	}
	rt_err_set(err, RETORT_ECONFIG, "%s", rt_str_cstr(&msg));
	rt_str_dispose(&msg);
	return RETORT_ECONFIG;
}

/* ------------------------------------------------------------------ */
/* Entries */

static struct entry *find_in(const rt_config *c, const char *section,
			     const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < c->entries.n; i++) {
		struct entry *e = c->entries.v[i];

		if (rt_streq(e->section, section) && key_eq(e->key, key, n))
			return e;
	}
	return NULL;
}

/* The selected section first (url falling back to sqlalchemy.url), then
 * [DEFAULT] the same way. */
static struct entry *lookup(const rt_config *c, const char *key, size_t n)
{
	static const char *const sections[] = { NULL, "DEFAULT" };
	struct entry *e;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *s = sections[i] ? sections[i] : c->section;

		if ((e = find_in(c, s, key, n)) != NULL)
			return e;
		if (key_eq("url", key, n) &&
		    (e = find_in(c, s, "sqlalchemy.url", 14)) != NULL)
			return e;
	}
	return NULL;
}

static void entry_free(struct entry *e)
{
	if (!e)
		return;
	free(e->section);
	free(e->key);
	rt_str_dispose(&e->raw);
	free(e->value);
	free(e);
}

static struct entry *entry_new(const char *section, const char *key,
			       const char *value, unsigned line)
{
	struct entry *e = calloc(1, sizeof(*e));
	char *p;

	if (!e)
		return NULL;
	e->section = rt_strdup(section);
	e->key = rt_strdup(key);
	rt_str_puts(&e->raw, value);
	if (!e->section || !e->key || e->raw.oom) {
		entry_free(e);
		return NULL;
	}
	for (p = e->key; *p; p++)
		*p = to_lower(*p);
	e->line = line;
	return e;
}

const char *rt_config_known_key(size_t i)
{
	return i < sizeof(known_keys) / sizeof(known_keys[0]) ? known_keys[i]
							      : NULL;
}

const char *rt_config_key_prefix(const rt_config *c, const char *prefix,
				 size_t i)
{
	size_t k;

	for (k = 0; k < c->entries.n; k++) {
		const struct entry *e = c->entries.v[k];

		if (rt_streq(e->section, c->section) &&
		    rt_startswith(e->key, prefix) && i-- == 0)
			return e->key;
	}
	return NULL;
}

static int is_known_key(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(known_prefixes) / sizeof(known_prefixes[0]); i++)
		if (rt_startswith(key, known_prefixes[i]) &&
		    key[strlen(known_prefixes[i])])
			return 1;
	for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
		if (rt_streq(known_keys[i], key))
			return 1;
	return 0;
}

static const struct section_rec *find_section(const rt_config *c,
					      const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < c->sections.n; i++) {
		const struct section_rec *s = &c->sections.v[i];

		if (strlen(s->name) == n && !memcmp(s->name, name, n))
			return s;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing */

struct parser {
	rt_config *c;
	const char *buf;
	size_t len, pos;
	unsigned line;	    /* line last handed to inih */
	int indented;	    /* that line began with whitespace */
	unsigned blanks;    /* blank lines since the last key or header */
	const char *cur;    /* current section (owned by c->sections) */
	struct entry *last; /* last key (inih's prev_name), or NULL */
	rt_err *err;
	int error; /* first error of ours, 0 if none */
	unsigned error_line;
};

static int parse_fail(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int parse_fail(struct parser *p, const char *fmt, ...)
{
	rt_str msg = RT_STR_INIT;
	va_list ap;

	if (p->error)
		return p->error;
	va_start(ap, fmt);
	rt_str_vprintf(&msg, fmt, ap);
	va_end(ap);
	p->error_line = p->line;
	p->error = cfg_fail(p->c, p->line, p->err, "%s", rt_str_cstr(&msg));
	if (msg.oom)
		p->error = rt_err_oom(p->err);
	rt_str_dispose(&msg);
	return p->error;
}

static int parse_oom(struct parser *p)
{
	if (!p->error) {
		p->error_line = p->line;
		p->error = rt_err_oom(p->err);
	}
	return p->error;
}

/* A section header, mirroring inih: returns the name's length, or -1. */
static int header_name(const char *start, const char **name)
{
	const char *q = start + 1;
	int was_space = 0;

	while (*q && *q != ']' && !(was_space && *q == ';')) {
		was_space = is_space(*q);
		q++;
	}
	if (*q != ']' || q - start - 1 > INT_MAX)
		return -1;
	*name = start + 1;
	return (int)(q - start - 1);
}

/* Look at a line before inih does (see the top of the file). */
static void scan_line(struct parser *p, const char *line)
{
	const struct section_rec *dup;
	struct section_rec rec;
	const char *start = line, *name;
	int n;

	while (is_space(*start))
		start++;
	p->indented = start > line;
	if (!*start) {
		p->blanks++;
		return;
	}
	if (*start == ';' || *start == '#' || *start != '[' ||
	    (p->indented && p->last))
		return;
	if ((n = header_name(start, &name)) < 0)
		return; /* inih reports the syntax error */
	if (n == 0) {
		parse_fail(p, "empty section name");
		return;
	}
	if ((dup = find_section(p->c, name, (size_t)n)) != NULL) {
		parse_fail(p, "duplicate section [%.*s] (first on line %u)", n,
			   name, dup->line);
		return;
	}
	rec.name = rt_strndup(name, (size_t)n);
	rec.line = p->line;
	if (!rec.name || RT_VEC_PUSH(&p->c->sections, rec) < 0) {
		free(rec.name);
		parse_oom(p);
		return;
	}
	p->cur = rec.name;
	p->last = NULL;
	p->blanks = 0;
}

/* ini_reader: one line per call, without its "\n" or "\r\n". */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	const char *s, *nl;
	size_t n, next;

	if (p->error || p->pos >= p->len)
		return NULL;
	s = p->buf + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	n = nl ? (size_t)(nl - s) : p->len - p->pos;
	next = p->pos + n + (nl ? 1 : 0);
	p->line++;
	/* every leading BOM: inih would strip one more than we did */
	while (p->line == 1 && n >= 3 && (unsigned char)s[0] == 0xEF &&
	       (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) {
		s += 3;
		n -= 3;
	}
	if (n && s[n - 1] == '\r')
		n--;
	if (num < 2 || n > (size_t)num - 1) {
		parse_fail(p, "line longer than %d characters", num - 1);
		return NULL;
	}
	if (memchr(s, '\0', n)) {
		parse_fail(p, "NUL byte in line");
		return NULL;
	}
	memcpy(str, s, n);
	str[n] = '\0';
	p->pos = next;
	scan_line(p, str);
	return p->error ? NULL : str;
}

/* The entry for a key of the current section. A key of [SECTION.lint]
 * (SECTION the selected one) is stored as lint.KEY of SECTION (*sub = 1):
 * `[retort.lint] disable = x` is `lint.disable = x` in [retort]. */
static struct entry *new_value(struct parser *p, const char *name,
			       const char *value, int *sub)
{
	const char *sec = p->c->section;
	size_t n = strlen(sec);
	struct entry *e;
	char *key;

	*sub = !strncmp(p->cur, sec, n) && !strcmp(p->cur + n, ".lint");
	if (!*sub)
		return entry_new(p->cur, name, value, p->line);
	if ((key = malloc(strlen(name) + 6)) == NULL)
		return NULL;
	memcpy(key, "lint.", 5);
	strcpy(key + 5, name);
	e = entry_new(sec, key, value, p->line);
	free(key);
	return e;
}

/* ini_handler: a key, or the continuation of the previous key. */
static int on_value(void *user, const char *section, const char *name,
		    const char *value)
{
	struct parser *p = user;
	rt_config *c = p->c;
	struct entry *e, *dup;
	unsigned i;
	int sub;

	(void)section; /* p->cur: not cut at inih's 49 characters */
	if (p->error)
		return 1;
	if (p->indented && p->last) {
		/* inih only calls back for an indented line after a key
		 * when it is that key's continuation */
		for (i = 0; i <= p->blanks; i++)
			rt_str_putc(&p->last->raw, '\n');
		rt_str_puts(&p->last->raw, value);
		p->blanks = 0;
		if (p->last->raw.oom)
			parse_oom(p);
		return 1;
	}
	p->blanks = 0;
	if (!p->cur) {
		parse_fail(p, "key '%s' before any [section]", name);
		return 1;
	}
	if (!*name) {
		parse_fail(p, "syntax error");
		return 1;
	}
	if ((e = new_value(p, name, value, &sub)) == NULL) {
		parse_oom(p);
		return 1;
	}
	if ((sub || rt_streq(p->cur, c->section)) && !is_known_key(e->key)) {
		parse_fail(p, "unknown key '%s' in [%s]",
			   e->key + (sub ? 5 : 0), p->cur);
		entry_free(e);
		return 1;
	}
	if ((dup = find_in(c, e->section, e->key, strlen(e->key))) != NULL) {
		if (sub)
			parse_fail(p,
				   "duplicate key '%s' in [%s] (%s first set "
				   "on line %u)",
				   e->key + 5, p->cur, e->key, dup->line);
		else
			parse_fail(p,
				   "duplicate key '%s' in [%s] (first set on "
				   "line %u)",
				   e->key, p->cur, dup->line);
		entry_free(e);
		return 1;
	}
	if (RT_VEC_PUSH(&c->entries, e) < 0) {
		entry_free(e);
		parse_oom(p);
		return 1;
	}
	p->last = e;
	return 1;
}

static int parse_text(rt_config *c, const char *text, size_t len, rt_err *err)
{
	struct parser p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.buf = text;
	p.len = len;
	p.err = err;
	rc = ini_parse_stream(read_line, &p, on_value, &p);
	if (rc > 0 && (!p.error || (unsigned)rc < p.error_line))
		return cfg_fail(c, (unsigned)rc, err, "syntax error");
	if (p.error)
		return p.error;
	if (rc == -2)
		return rt_err_oom(err);
	if (rc < 0)
		return rt_err_set(err, RETORT_ECONFIG, "cannot parse '%s'",
				  c->name);
	return 0;
}

/* The config file whole; a named pipe or a device is refused, not read
 * (rt_read_regular). */
static int read_file(rt_str *out, const char *path, rt_err *err)
{
	char why[128];

	switch (rt_read_regular(path, 0, out, why, sizeof(why))) {
	case 0:
		return 0;
	case -2:
		return rt_err_oom(err);
	default:
		return rt_err_set(err, RETORT_ECONFIG,
				  "cannot read config file '%s': %s", path,
				  why);
	}
}

/* ------------------------------------------------------------------ */
/* %(here)s */

static int get_cwd(rt_str *out, rt_err *err)
{
	size_t size = 256;

	for (;;) {
		if (rt_str_grow(out, size) < 0)
			return rt_err_oom(err);
		if (getcwd(out->ptr, size + 1) != NULL) {
			out->len = strlen(out->ptr);
			return 0;
		}
		if (errno != ERANGE)
			return rt_err_set(
			    err, RETORT_ECONFIG,
			    "cannot determine the current directory: %s",
			    strerror(errno));
		size *= 2;
	}
}

/* Append absolute path `abs` with "." and ".." resolved lexically. */
static void put_normalized(rt_str *out, const char *abs)
{
	size_t base = out->len;
	const char *s = abs, *e;

	while (*s) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = s;
		while (*e && *e != '/')
			e++;
		if (e - s == 1 && s[0] == '.') {
			/* skip */
		} else if (e - s == 2 && s[0] == '.' && s[1] == '.') {
			while (out->len > base && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len > base)
				out->len--;
			if (out->ptr)
				out->ptr[out->len] = '\0';
		} else {
			rt_str_putc(out, '/');
			rt_str_append(out, s, (size_t)(e - s));
		}
		s = e;
	}
	if (out->len == base)
		rt_str_putc(out, '/');
}

/* The absolute folder of `path` (NULL: the working directory). */
static int make_here(char **out, const char *path, rt_err *err)
{
	rt_str dir = RT_STR_INIT, abs = RT_STR_INIT, cwd = RT_STR_INIT;
	char *real = NULL;
	size_t n;
	int error = 0;

	if (!path) {
		if ((error = get_cwd(&cwd, err)) < 0)
			goto done;
		*out = rt_str_detach(&cwd);
		goto done;
	}
	/* dirname */
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0)
		rt_str_putc(&dir, '.');
	else
		rt_str_append(&dir, path, n);
	if (dir.oom) {
		error = rt_err_oom(err);
		goto done;
	}
	if ((real = realpath(dir.ptr, NULL)) != NULL) {
		*out = real;
		goto done;
	}
	if (dir.ptr[0] == '/') {
		put_normalized(&abs, dir.ptr);
	} else {
		if ((error = get_cwd(&cwd, err)) < 0)
			goto done;
		rt_str_putc(&cwd, '/');
		rt_str_puts(&cwd, dir.ptr);
		put_normalized(&abs, rt_str_cstr(&cwd));
	}
	if (abs.oom || cwd.oom) {
		error = rt_err_oom(err);
		goto done;
	}
	*out = rt_str_detach(&abs);
done:
	rt_str_dispose(&dir);
	rt_str_dispose(&abs);
	rt_str_dispose(&cwd);
	return error;
}

/* ------------------------------------------------------------------ */
/* Finding the file */

/* The search walks "..", "../..", ... and compares each folder with its
 * parent by device and inode: the same inode is the root, another device
 * a mount point. */
int rt_config_find(char **out, const char *name, rt_err *err)
{
	rt_str rel = RT_STR_INIT, cand = RT_STR_INIT, cwd = RT_STR_INIT;
	struct stat here, up, st;
	const char *why = NULL;
	unsigned depth = 0, k;
	int error = 0;

	*out = NULL;
	if (stat(".", &here) < 0) {
		/* let reading the file say what is wrong */
		*out = rt_strdup(name);
		return *out ? 0 : rt_err_oom(err);
	}
	for (;;) {
		rt_str_clear(&cand);
		rt_str_printf(&cand, "%s%s", rt_str_cstr(&rel), name);
		if (cand.oom || rel.oom) {
			error = rt_err_oom(err);
			goto done;
		}
		if (stat(cand.ptr, &st) == 0) {
			*out = rt_str_detach(&cand);
			goto done;
		}
		rt_str_puts(&rel, "../");
		if (rel.oom) {
			error = rt_err_oom(err);
			goto done;
		}
		if (stat(rel.ptr, &up) < 0) {
			why = ", the last folder retort may read";
			break;
		}
		if (up.st_dev == here.st_dev && up.st_ino == here.st_ino)
			break; /* the root */
		if (up.st_dev != here.st_dev) {
			why = ", a mount point";
			break;
		}
		here = up;
		depth++;
	}
	if ((error = get_cwd(&cwd, err)) < 0)
		goto done;
	/* the folder where the search stopped: depth levels above cwd */
	rt_str_clear(&rel);
	rt_str_puts(&rel, cwd.ptr);
	for (k = 0; k < depth && rel.ptr; k++) {
		const char *slash = strrchr(rel.ptr, '/');

		rt_str_truncate(&rel, slash && slash > rel.ptr
					  ? (size_t)(slash - rel.ptr)
					  : 1);
	}
	if (rel.oom) {
		error = rt_err_oom(err);
		goto done;
	}
	error = rt_err_set(err, RETORT_ECONFIG,
			   "no %s in %s or its parent folders (up to %s%s); "
			   "pass -c FILE, set RETORT_CONFIG, or create a "
			   "project with 'retort init DIR'",
			   name, cwd.ptr, rel.ptr, why ? why : "");
done:
	rt_str_dispose(&rel);
	rt_str_dispose(&cand);
	rt_str_dispose(&cwd);
	return error;
}

/* ------------------------------------------------------------------ */
/* Load and free */

int rt_config_load(rt_config **out, const char *path, const char *text,
		   const char *section, rt_err *err)
{
	rt_str file = RT_STR_INIT;
	rt_config *c;
	int error = 0;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return rt_err_oom(err);
	c->path = path ? rt_strdup(path) : NULL;
	c->name = rt_strdup(path ? path : "<memory>");
	c->section = rt_strdup(section ? section : "retort");
	if ((path && !c->path) || !c->name || !c->section) {
		error = rt_err_oom(err);
		goto done;
	}
	if ((error = make_here(&c->here, path, err)) < 0)
		goto done;
	if (!c->here) {
		error = rt_err_oom(err);
		goto done;
	}
	if (!path && !text)
		goto done;
	if (!text) {
		if ((error = read_file(&file, path, err)) < 0)
			goto done;
		error = parse_text(c, rt_str_cstr(&file), file.len, err);
	} else {
		error = parse_text(c, text, strlen(text), err);
	}
	if (error < 0)
		goto done;
	if (!find_section(c, c->section, strlen(c->section))) {
		error = rt_err_set(err, RETORT_ECONFIG, "%s: no [%s] section",
				   c->name, c->section);
		goto done;
	}
done:
	rt_str_dispose(&file);
	if (error < 0)
		rt_config_free(c);
	else
		*out = c;
	return error;
}

void rt_config_free(rt_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->entries.n; i++)
		entry_free(c->entries.v[i]);
	RT_VEC_FREE(&c->entries);
	for (i = 0; i < c->sections.n; i++)
		free(c->sections.v[i].name);
	RT_VEC_FREE(&c->sections);
	for (i = 0; i < c->retired.n; i++)
		free(c->retired.v[i]);
	RT_VEC_FREE(&c->retired);
	free(c->path);
	free(c->name);
	free(c->here);
	free(c->section);
	free(c);
}

/* ------------------------------------------------------------------ */
/* Interpolation */

struct interp {
	const rt_config *c;
	const struct entry *top; /* the key being read */
	rt_str *out;
	rt_err *err;
};

static int expand_text(struct interp *in, const struct entry *e, const char *s,
		       size_t n, int depth);

static int expand_entry(struct interp *in, const struct entry *e, int depth)
{
	if (e->literal)
		return rt_str_append(in->out, e->raw.ptr, e->raw.len) < 0
			   ? rt_err_oom(in->err)
			   : 0;
	if (e->value)
		return rt_str_puts(in->out, e->value) < 0 ? rt_err_oom(in->err)
							  : 0;
	if (depth > INTERP_MAX_DEPTH)
		return cfg_fail(in->c, in->top->line, in->err,
				"interpolation too deep in '%s'", in->top->key);
	return expand_text(in, e, rt_str_cstr(&e->raw), e->raw.len, depth);
}

/* %(name)s at s[0]; *used receives its length. */
static int expand_ref(struct interp *in, const struct entry *e, const char *s,
		      size_t n, int depth, size_t *used)
{
	const char *name = s + 2, *close;
	const struct entry *ref;
	size_t len;

	close = n > 2 ? memchr(name, ')', n - 2) : NULL;
	if (!close || close == name || (size_t)(close - s) + 1 >= n ||
	    close[1] != 's')
		return cfg_fail(in->c, e->line, in->err,
				"bad interpolation syntax in '%s' (write %%%% "
				"for a literal %%)",
				e->key);
	len = (size_t)(close - name);
	*used = (size_t)(close - s) + 2;
	if ((ref = lookup(in->c, name, len)) != NULL)
		return expand_entry(in, ref, depth + 1);
	if (key_eq("here", name, len))
		return rt_str_puts(in->out, in->c->here) < 0
			   ? rt_err_oom(in->err)
			   : 0;
	if (len > INT_MAX)
		len = INT_MAX;
	return cfg_fail(in->c, e->line, in->err,
			"unknown interpolation key '%.*s' in '%s' (write "
			"%%%%(%.*s)s to keep it literal)",
			(int)len, name, e->key, (int)len, name);
}

/* ${VAR} or ${VAR:-default} at s[0]; *used receives its length. */
static int expand_env(struct interp *in, const struct entry *e, const char *s,
		      size_t n, int depth, size_t *used)
{
	const char *val;
	char *var = NULL;
	size_t j = 2, k, def = 0, deflen = 0;
	int level = 0, has_default = 0, error = 0;

	while (j < n && (is_digit(s[j]) || s[j] == '_' ||
			 (to_lower(s[j]) >= 'a' && to_lower(s[j]) <= 'z')))
		j++;
	if (j == 2 || is_digit(s[2]))
		goto bad;
	if (j < n && s[j] == '}') {
		*used = j + 1;
	} else if (j + 1 < n && s[j] == ':' && s[j + 1] == '-') {
		for (k = j + 2; k < n; k++) {
			if (s[k] == '$' && k + 1 < n && s[k + 1] == '{') {
				level++;
				k++;
			} else if (s[k] == '}' && level-- == 0) {
				break;
			}
		}
		if (k >= n)
			goto bad;
		has_default = 1;
		def = j + 2;
		deflen = k - def;
		*used = k + 1;
	} else {
		goto bad;
	}
	if ((var = rt_strndup(s + 2, j - 2)) == NULL) {
		error = rt_err_oom(in->err);
		goto done;
	}
	val = getenv(var);
	if (has_default && (!val || !*val)) {
		/* a nested default counts as a level, like a reference */
		if (depth >= INTERP_MAX_DEPTH)
			error = cfg_fail(in->c, in->top->line, in->err,
					 "interpolation too deep in '%s'",
					 in->top->key);
		else
			error = expand_text(in, e, s + def, deflen, depth + 1);
	} else if (!val) {
		error = cfg_fail(
		    in->c, e->line, in->err,
		    "environment variable '%s' is not set (used by '%s')", var,
		    e->key);
	} else if (rt_str_puts(in->out, val) < 0) {
		error = rt_err_oom(in->err);
	}
	goto done;
bad:
	error = cfg_fail(
	    in->c, e->line, in->err,
	    "bad ${...} syntax in '%s' (write ${VAR} or ${VAR:-default})",
	    e->key);
done:
	free(var);
	return error;
}

static int expand_text(struct interp *in, const struct entry *e, const char *s,
		       size_t n, int depth)
{
	size_t i = 0, used = 0;
	int error;

	while (i < n) {
		/* references may fan out: bound what they can produce */
		if (in->out->len > INTERP_MAX_LEN)
			return cfg_fail(in->c, in->top->line, in->err,
					"interpolation of '%s' is longer than "
					"%d bytes",
					in->top->key, INTERP_MAX_LEN);
		if (s[i] == '%' && i + 1 < n && s[i + 1] == '%') {
			rt_str_putc(in->out, '%');
			i += 2;
		} else if (s[i] == '%' && i + 1 < n && s[i + 1] == '(') {
			if ((error = expand_ref(in, e, s + i, n - i, depth,
						&used)) < 0)
				return error;
			i += used;
		} else if (s[i] == '%') {
			return cfg_fail(in->c, e->line, in->err,
					"bad interpolation syntax in '%s' "
					"(write %%%% for a literal %%)",
					e->key);
		} else if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			if ((error = expand_env(in, e, s + i, n - i, depth,
						&used)) < 0)
				return error;
			i += used;
		} else {
			rt_str_putc(in->out, s[i]);
			i++;
		}
	}
	return in->out->oom ? rt_err_oom(in->err) : 0;
}

/* ------------------------------------------------------------------ */
/* Getters and setters */

int rt_config_get(const rt_config *c, const char *key, const char **out,
		  rt_err *err)
{
	rt_str buf = RT_STR_INIT;
	struct interp in;
	struct entry *e;
	int error = 0;

	*out = NULL;
	if ((e = lookup(c, key, strlen(key))) == NULL)
		return 0;
	if (e->literal) {
		*out = rt_str_cstr(&e->raw);
		return 0;
	}
	if (!e->value) {
		in.c = c;
		in.top = e;
		in.out = &buf;
		in.err = err;
		if ((error = expand_entry(&in, e, 1)) < 0)
			goto done;
		if ((e->value = rt_str_detach(&buf)) == NULL) {
			error = rt_err_oom(err);
			goto done;
		}
	}
	*out = e->value;
done:
	rt_str_dispose(&buf);
	return error;
}

int rt_config_get_default(const rt_config *c, const char *key, const char *def,
			  const char **out, rt_err *err)
{
	int error;

	if ((error = rt_config_get(c, key, out, err)) < 0)
		return error;
	if (!*out)
		*out = def;
	return 0;
}

/* The value of key and the entry it came from (for messages). */
static int get_entry(const rt_config *c, const char *key, const char **v,
		     const struct entry **e, rt_err *err)
{
	int error;

	*e = NULL;
	if ((error = rt_config_get(c, key, v, err)) < 0)
		return error;
	if (*v)
		*e = lookup(c, key, strlen(key));
	return 0;
}

int rt_config_get_bool(const rt_config *c, const char *key, int def, int *out,
		       rt_err *err)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	const struct entry *e;
	const char *v;
	size_t i;
	int error;

	*out = def;
	if ((error = get_entry(c, key, &v, &e, err)) < 0)
		return error;
	if (!v || !e)
		return 0;
	for (i = 0; i < 4; i++) {
		if (ascii_caseeq(v, yes[i])) {
			*out = 1;
			return 0;
		}
		if (ascii_caseeq(v, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return cfg_fail(c, e->line, err, "'%s' must be true or false, not '%s'",
			e->key, v);
}

int rt_config_get_int(const rt_config *c, const char *key, long def, long *out,
		      rt_err *err)
{
	const struct entry *e;
	const char *v, *p;
	long n = 0;
	int error;

	*out = def;
	if ((error = get_entry(c, key, &v, &e, err)) < 0)
		return error;
	if (!v || !e)
		return 0;
	for (p = v; is_digit(*p); p++) {
		if (n > (LONG_MAX - (*p - '0')) / 10)
			break;
		n = n * 10 + (*p - '0');
	}
	if (p == v || *p)
		return cfg_fail(c, e->line, err,
				"'%s' must be a non-negative integer, not '%s'",
				e->key, v);
	*out = n;
	return 0;
}

int rt_config_set(rt_config *c, const char *key, const char *value, rt_err *err)
{
	struct entry *e;
	char *copy;
	size_t i;

	/* every cached value may depend on this key: drop them all, but
	 * keep the strings alive (callers may still hold them) */
	for (i = 0; i < c->entries.n; i++) {
		e = c->entries.v[i];
		if (!e->value)
			continue;
		if (RT_VEC_PUSH(&c->retired, e->value) < 0)
			return rt_err_oom(err);
		e->value = NULL;
	}
	if ((e = find_in(c, c->section, key, strlen(key))) == NULL) {
		if ((e = entry_new(c->section, key, value, 0)) == NULL)
			return rt_err_oom(err);
		if (RT_VEC_PUSH(&c->entries, e) < 0) {
			entry_free(e);
			return rt_err_oom(err);
		}
	} else {
		if (RT_VEC_RESERVE(&c->retired, c->retired.n + 1) < 0 ||
		    (copy = rt_strdup(value)) == NULL)
			return rt_err_oom(err);
		c->retired.v[c->retired.n++] = rt_str_detach(&e->raw);
		e->raw.ptr = copy;
		e->raw.len = strlen(copy);
		e->raw.cap = e->raw.len + 1;
		e->line = 0;
	}
	e->literal = 1;
	return 0;
}

const char *rt_config_path(const rt_config *c)
{
	return c->name;
}

const char *rt_config_here(const rt_config *c)
{
	return c->here;
}

const char *rt_config_section(const rt_config *c)
{
	return c->section;
}

unsigned rt_config_line(const rt_config *c, const char *key)
{
	const struct entry *e = lookup(c, key, strlen(key));

	return e ? e->line : 0;
}
