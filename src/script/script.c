/* SPDX-License-Identifier: MIT */
/*
 * script.c: the revision file parser (format in script.h).
 *
 * One pass over the lines. The header is read first (leading `--` lines,
 * blank lines before it skipped), then everything after it must be blank,
 * a comment, or inside a section. Every error names path:line and the
 * parser stops at the first one; `validate` reports it per file.
 *
 * Strings handed out point into one arena copy of the file, so a parsed
 * script costs one allocation for its text plus small header fields.
 */
#include "script/script.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/tokenize.h"
#include "util/sha256.h"
#include "util/str.h"
#include "util/vec.h"

#define MAX_ID_LEN 255

typedef struct line {
	const char *p; /* start of line */
	size_t len;    /* without "\n" and a trailing "\r" */
	unsigned no;   /* 1-based */
} line;

typedef struct parser {
	rt_arena *a;
	const char *path;
	const char *text;
	size_t len;
	size_t pos;
	unsigned lineno;
	rt_err *err;
	/* the sections while the file is read; copied into the arena,
	 * sized, at the end (keep_sections()) */
	rt_script_sec sec[2][RT_SCRIPT_SECTIONS];
} parser;

static int next_line(parser *ps, line *out)
{
	const char *nl;

	if (ps->pos >= ps->len)
		return 0;
	out->p = ps->text + ps->pos;
	nl = memchr(out->p, '\n', ps->len - ps->pos);
	out->len = nl ? (size_t)(nl - out->p) : ps->len - ps->pos;
	ps->pos += out->len + (nl ? 1 : 0);
	if (out->len && out->p[out->len - 1] == '\r')
		out->len--;
	out->no = ++ps->lineno;
	return 1;
}

static int is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i]))
			return 0;
	return 1;
}

static void trim(const char **p, size_t *n)
{
	while (*n && isspace((unsigned char)**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && isspace((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/* A line that starts with "--" after optional indentation: its content
 * (after "--" and one optional space) is returned through c/cn. */
static int comment_content(const line *l, const char **c, size_t *cn)
{
	const char *p = l->p;
	size_t n = l->len;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n < 2 || p[0] != '-' || p[1] != '-')
		return 0;
	p += 2;
	n -= 2;
	if (n && *p == ' ') {
		p++;
		n--;
	}
	*c = p;
	*cn = n;
	return 1;
}

/* "-- migrate:NAME opts": returns 1 and the rest after "migrate:". */
static int is_marker(const line *l, const char **rest, size_t *rn)
{
	const char *p = l->p;
	size_t n = l->len;

	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n < 2 || p[0] != '-' || p[1] != '-')
		return 0;
	p += 2;
	n -= 2;
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	if (n < 8 || memcmp(p, "migrate:", 8) != 0)
		return 0;
	*rest = p + 8;
	*rn = n - 8;
	return 1;
}

static int id_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int rt_valid_id(const char *s, size_t len, char bad[64])
{
	char seen[256];
	size_t i, nb = 0;
	int ok = 1;

	bad[0] = '\0';
	/* the common case: every character allowed */
	for (i = 0; i < len && id_char((unsigned char)s[i]); i++)
		;
	if (i == len && len && len <= MAX_ID_LEN)
		return 1;
	memset(seen, 0, sizeof(seen));
	if (len == 0 || len > MAX_ID_LEN)
		ok = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (id_char(c))
			continue;
		seen[c] = 1;
		ok = 0;
	}
	for (i = 0; i < 256 && nb + 8 < 64; i++) {
		if (!seen[i])
			continue;
		if (nb) {
			bad[nb++] = ',';
			bad[nb++] = ' ';
		}
		if (i >= 32 && i < 127)
			bad[nb++] = (char)i;
		else {
			snprintf(bad + nb, 64 - nb, "\\x%02x", (unsigned)i);
			nb += 4;
		}
	}
	bad[nb] = '\0';
	return ok;
}

const char *rt_reserved_id(const char *s, size_t len)
{
	static const char *const words[] = { "head", "heads", "base",
					     "current" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && !memcmp(s, words[i], len))
			return "";
	/* "-N": Python's int() < 0, which get_revisions walks down from
	 * the heads instead of looking it up ("-0" too, for one rule) */
	for (i = 1; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (len > 1 && s[0] == '-' && i == len)
		return ": it reads as a relative revision";
	return NULL;
}

void rt_section_checksum(const char *sql, size_t len, char hex[65])
{
	const char *p = sql, *end = sql + len;
	rt_sha256 c;
	size_t i;

	/* drop leading blank lines */
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl || !is_blank(p, (size_t)(nl - p)))
			break;
		p = nl + 1;
	}
	/* drop trailing whitespace (and so trailing blank lines) */
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	rt_sha256_init(&c);
	/* feed runs of text, leaving out the \r of each \r\n */
	for (i = 0; p + i < end;) {
		const char *cr = memchr(p + i, '\r', (size_t)(end - p - i));
		size_t run = cr ? (size_t)(cr - p - i) : (size_t)(end - p - i);

		rt_sha256_update(&c, p + i, run);
		i += run;
		if (!cr)
			break;
		if (p + i + 1 < end && p[i + 1] == '\n')
			i++; /* skip the \r */
		else {
			rt_sha256_update(&c, p + i, 1);
			i++;
		}
	}
	{
		unsigned char md[32];
		static const char digits[] = "0123456789abcdef";

		rt_sha256_final(&c, md);
		for (i = 0; i < 32; i++) {
			hex[2 * i] = digits[md[i] >> 4];
			hex[2 * i + 1] = digits[md[i] & 15];
		}
		hex[64] = '\0';
	}
}

static int fail(parser *ps, unsigned lineno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(parser *ps, unsigned lineno, const char *fmt, ...)
{
	rt_str msg = RT_STR_INIT;
	va_list ap;
	int error;

	if (lineno)
		rt_str_printf(&msg, "%s:%u: ", ps->path, lineno);
	else
		rt_str_printf(&msg, "%s: ", ps->path);
	va_start(ap, fmt);
	rt_str_vprintf(&msg, fmt, ap);
	va_end(ap);
	error = rt_err_set(ps->err, RETORT_ECONFIG, "%s", rt_str_cstr(&msg));
	rt_str_dispose(&msg);
	return error;
}

enum header_key {
	KEY_NONE = -1,
	KEY_REVISION_ID,
	KEY_REVISES,
	KEY_CREATE_DATE,
	KEY_BRANCH_LABELS,
	KEY_DEPENDS_ON
};

static const char *const key_names[] = { "Revision ID", "Revises",
					 "Create Date", "Branch Labels",
					 "Depends On" };

/* "Words words: value" -> key text and value. Key: letters, spaces, '-',
 * '_' only, starting with a letter, at most 40 characters. */
static enum header_key lookup_key(const char *k, size_t kn);

static int split_key(const char *c, size_t n, const char **k, size_t *kn,
		     const char **v, size_t *vn)
{
	size_t i;

	if (!n || !isalpha((unsigned char)c[0]))
		return 0;
	for (i = 0; i < n && i <= 40; i++) {
		unsigned char ch = (unsigned char)c[i];

		if (ch == ':')
			break;
		if (!isalnum(ch) && ch != ' ' && ch != '-' && ch != '_')
			return 0;
	}
	if (i >= n || c[i] != ':' || i > 40)
		return 0;
	*k = c;
	*kn = i;
	while (*kn && c[*kn - 1] == ' ')
		(*kn)--;
	/* "http://..." or "12:30" are not keys: a key is followed by a space
	 * or the end of the line, unless it is one of ours ("Revises:a1") */
	if (i + 1 < n && c[i + 1] != ' ' && c[i + 1] != '\t' &&
	    lookup_key(*k, *kn) == KEY_NONE)
		return 0;
	*v = c + i + 1;
	*vn = n - i - 1;
	trim(v, vn);
	return 1;
}

static enum header_key lookup_key(const char *k, size_t kn)
{
	size_t i;

	for (i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++) {
		if (strlen(key_names[i]) == kn &&
		    !strncasecmp(key_names[i], k, kn))
			return (enum header_key)i;
	}
	return KEY_NONE;
}

/* Parse a comma-separated list of ids/labels. An empty value gives an
 * empty list. */
static int parse_list(parser *ps, unsigned lineno, const char *what,
		      const char *v, size_t vn, const char ***out,
		      uint32_t *nout)
{
	RT_VEC(const char *) items = RT_VEC_INIT;
	const char *p = v, *end = v + vn;
	int error = 0;

	*out = NULL;
	*nout = 0;
	if (!vn)
		return 0;
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *item = p;
		size_t n = (comma ? comma : end) - p;
		char bad[64];
		char *copy;

		trim(&item, &n);
		copy = rt_arena_strndup(ps->a, item, n);
		if (!copy) {
			error = rt_err_oom(ps->err);
			goto done;
		}
		if (!n) {
			error = fail(ps, lineno, "empty item in '%s'", what);
			goto done;
		}
		if (!rt_valid_id(item, n, bad)) {
			if (n > MAX_ID_LEN)
				error = fail(ps, lineno,
					     "%s: identifier longer than 255 "
					     "characters",
					     what);
			else {
				rt_str m = RT_STR_INIT;

				rt_str_printf(&m,
					      "%s: character(s) '%s' not "
					      "allowed in identifier '%s' (use "
					      "letters, digits, '_', '.', '-')",
					      what, bad, copy);
				error = fail(ps, lineno, "%s", rt_str_cstr(&m));
				rt_str_dispose(&m);
			}
			goto done;
		}
		if (RT_VEC_PUSH(&items, copy) < 0) {
			error = rt_err_oom(ps->err);
			goto done;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = rt_arena_alloc(ps->a, items.n * sizeof(**out));
	if (!*out) {
		error = rt_err_oom(ps->err);
		goto done;
	}
	memcpy((void *)*out, items.v, items.n * sizeof(**out));
	*nout = (uint32_t)items.n;
done:
	RT_VEC_FREE(&items);
	return error;
}

typedef struct hline {
	const char *c; /* content after "--" and one space */
	size_t cn;
	unsigned no;
	int blank;
	int known; /* a "Key: value" line with a known key */
	enum header_key key;
	const char *v;
	size_t vn;
} hline;

/* One header line: store its key, or fail on a duplicate. */
static int header_key_line(parser *ps, rt_script *s, const hline *h,
			   unsigned seen_line[5])
{
	const char *v = h->v;
	size_t vn = h->vn;
	int error = 0;

	if (seen_line[h->key])
		return fail(ps, h->no,
			    "duplicate header key '%s' (first on line %u)",
			    key_names[h->key], seen_line[h->key]);
	seen_line[h->key] = h->no;
	switch (h->key) {
	case KEY_REVISION_ID: {
		const char *why;
		char bad[64];
		char *id = rt_arena_strndup(ps->a, v, vn);

		if (!id)
			return rt_err_oom(ps->err);
		if (!vn)
			return fail(ps, h->no, "empty Revision ID");
		if (vn > MAX_ID_LEN)
			return fail(ps, h->no,
				    "revision id longer than 255 characters");
		if (!rt_valid_id(v, vn, bad))
			return fail(ps, h->no,
				    "Character(s) '%s' not allowed in revision "
				    "identifier '%s'",
				    bad, id);
		if ((why = rt_reserved_id(v, vn)) != NULL)
			return fail(ps, h->no, "revision id '%s' is reserved%s",
				    id, why);
		s->id = id;
		s->id_line = h->no;
		break;
	}
	case KEY_REVISES:
		s->down_line = h->no;
		error = parse_list(ps, h->no, "Revises", v, vn, &s->down,
				   &s->ndown);
		break;
	case KEY_CREATE_DATE:
		s->create_date = rt_arena_strndup(ps->a, v, vn);
		if (!s->create_date)
			error = rt_err_oom(ps->err);
		break;
	case KEY_BRANCH_LABELS:
		s->labels_line = h->no;
		error = parse_list(ps, h->no, "Branch Labels", v, vn,
				   &s->labels, &s->nlabels);
		break;
	case KEY_DEPENDS_ON:
		s->deps_line = h->no;
		error = parse_list(ps, h->no, "Depends On", v, vn, &s->deps,
				   &s->ndeps);
		break;
	case KEY_NONE:
		break;
	}
	return error;
}

/*
 * The header: paragraphs of `--` lines separated by empty `--` lines. The
 * first paragraph is the message, unless it starts with a known key. A
 * paragraph that holds a known key is the key block: every line in it must
 * be "Key: value" with a known key, so a typo such as "Revise:" is an
 * error instead of silently making a base. Other paragraphs are free text
 * (they belong to the long description).
 */
typedef RT_VEC(hline) hlines;

/* The leading block of "--" lines, up to the first section marker or
 * non-comment line. */
static int collect_header(parser *ps, line *first, int *have_pending,
			  hlines *hl)
{
	int have = 1;
	line l = *first;

	while (have) {
		const char *rest, *k, *t;
		size_t rn, kn, tn;
		hline h;

		memset(&h, 0, sizeof(h));
		if (is_marker(&l, &rest, &rn) ||
		    !comment_content(&l, &h.c, &h.cn))
			break;
		h.no = l.no;
		t = h.c;
		tn = h.cn;
		trim(&t, &tn);
		h.blank = tn == 0;
		h.key = KEY_NONE;
		if (!h.blank && split_key(h.c, h.cn, &k, &kn, &h.v, &h.vn)) {
			h.key = lookup_key(k, kn);
			h.known = h.key != KEY_NONE;
		}
		if (RT_VEC_PUSH(hl, h) < 0)
			return rt_err_oom(ps->err);
		have = next_line(ps, &l);
	}
	*have_pending = have;
	*first = l;
	if (!hl->n)
		return fail(ps, l.no,
			    "missing revision header (the file must start "
			    "with '-- <message>' and '-- Revision ID: <id>')");
	return 0;
}

/* A line of the key block that is no known "Key: value". */
static int unknown_key(parser *ps, const hline *h)
{
	const char *k, *v;
	size_t kn, vn;
	char *name;

	if (!split_key(h->c, h->cn, &k, &kn, &v, &vn))
		return fail(ps, h->no,
			    "expected 'Key: value' in the header's key lines "
			    "(put free text after an empty '--' line)");
	name = rt_arena_strndup(ps->a, k, kn);
	return fail(ps, h->no,
		    "unknown header key '%s' (expected Revision ID, Revises, "
		    "Create Date, Branch Labels or Depends On)",
		    name ? name : "");
}

/* One paragraph, lines [p0, p1): the message (the first paragraph, up to
 * its first key line) goes to doc; a paragraph holding a known key is the
 * key block, where every line must be a known key. */
static int header_paragraph(parser *ps, rt_script *s, const hlines *hl,
			    size_t p0, size_t p1, rt_str *doc,
			    unsigned seen_line[5])
{
	int key_block = 0, message = p0 == 0, error;
	size_t i;

	for (i = p0; i < p1; i++)
		key_block |= hl->v[i].known;
	for (i = p0; i < p1; i++) {
		const hline *h = &hl->v[i];

		if (message && h->known)
			message = 0;
		if (message) {
			const char *t = h->c;
			size_t tn = h->cn;

			trim(&t, &tn);
			if (doc->len)
				rt_str_putc(doc, '\n');
			rt_str_append(doc, t, tn);
			continue;
		}
		if (!key_block)
			continue;
		if (!h->known)
			return unknown_key(ps, h);
		if ((error = header_key_line(ps, s, h, seen_line)) < 0)
			return error;
	}
	return 0;
}

/* The required keys, the message and the whole header text. */
static int finish_header(parser *ps, rt_script *s, const hlines *hl,
			 const rt_str *doc)
{
	rt_str longdoc = RT_STR_INIT;
	const char *t;
	size_t i, tn;
	int error = 0;

	if (!s->id)
		return fail(ps, 1, "missing 'Revision ID' in the header");
	if (!s->down_line)
		return fail(ps, 1,
			    "missing 'Revises' in the header (leave it empty "
			    "for a first revision)");
	for (i = 0; i < hl->n; i++) {
		rt_str_append(&longdoc, hl->v[i].c, hl->v[i].cn);
		rt_str_putc(&longdoc, '\n');
	}
	t = rt_str_cstr(&longdoc);
	tn = longdoc.len;
	trim(&t, &tn);
	s->longdoc = rt_arena_strndup(ps->a, t, tn);
	s->doc = rt_arena_strdup(ps->a, rt_str_cstr(doc));
	if (longdoc.oom || doc->oom || !s->longdoc || !s->doc)
		error = rt_err_oom(ps->err);
	rt_str_dispose(&longdoc);
	return error;
}

static int parse_header(parser *ps, rt_script *s, line *first,
			int *have_pending)
{
	hlines hl = RT_VEC_INIT;
	rt_str doc = RT_STR_INIT;
	unsigned seen_line[5] = { 0 };
	size_t p0, p1;
	int error;

	if ((error = collect_header(ps, first, have_pending, &hl)) < 0)
		goto done;
	for (p0 = 0; p0 < hl.n && !error; p0 = p1) {
		while (p0 < hl.n && hl.v[p0].blank)
			p0++;
		for (p1 = p0; p1 < hl.n && !hl.v[p1].blank; p1++)
			;
		if (p0 < hl.n)
			error = header_paragraph(ps, s, &hl, p0, p1, &doc,
						 seen_line);
	}
	if (!error)
		error = finish_header(ps, s, &hl, &doc);
done:
	RT_VEC_FREE(&hl);
	rt_str_dispose(&doc);
	return error;
}

static int parse_marker(parser *ps, const line *l, const char *rest, size_t rn,
			int *is_upgrade, int *transactional, int *noop,
			int *dialect)
{
	const char *p = rest, *end = rest + rn;
	const char *name = p;
	size_t nn;

	while (p < end && !isspace((unsigned char)*p))
		p++;
	nn = (size_t)(p - name);
	if (nn == 7 && !memcmp(name, "upgrade", 7))
		*is_upgrade = 1;
	else if (nn == 9 && !memcmp(name, "downgrade", 9))
		*is_upgrade = 0;
	else {
		char *bad = rt_arena_strndup(ps->a, name, nn);

		return fail(ps, l->no,
			    "unknown section marker 'migrate:%s' (expected "
			    "'-- migrate:upgrade' or '-- migrate:downgrade')",
			    bad ? bad : "");
	}
	*transactional = 1;
	*noop = 0;
	*dialect = -1;
	for (;;) {
		const char *opt;
		size_t on;

		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		opt = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		on = (size_t)(p - opt);
		if (on == 17 && !memcmp(opt, "transaction:false", 17))
			*transactional = 0;
		else if (on == 16 && !memcmp(opt, "transaction:true", 16))
			*transactional = 1;
		else if (on == 4 && !memcmp(opt, "noop", 4) && !*is_upgrade)
			*noop = 1;
		else if (on > 8 && !memcmp(opt, "dialect:", 8)) {
			rt_dialect d;
			char *bad;

			if (*dialect >= 0)
				return fail(ps, l->no,
					    "a second dialect: option; a "
					    "section is for one dialect (or, "
					    "without dialect:, for all)");
			if (!rt_dialect_from_name(opt + 8, on - 8, &d) &&
			    !memcmp(opt + 8, rt_dialect_name(d), on - 8)) {
				*dialect = (int)d;
				continue;
			}
			bad = rt_arena_strndup(ps->a, opt + 8, on - 8);
			return fail(ps, l->no,
				    "unknown dialect '%s' (expected "
				    "dialect:sqlite, dialect:postgresql or "
				    "dialect:mysql)",
				    bad ? bad : "");
		} else if (on == 4 && !memcmp(opt, "noop", 4))
			return fail(ps, l->no,
				    "'noop' marks a downgrade section that "
				    "needs no undoing; an upgrade section "
				    "needs no mark to be empty");
		else {
			char *bad = rt_arena_strndup(ps->a, opt, on);

			return fail(ps, l->no,
				    "unknown section option '%s' (expected "
				    "dialect:NAME, transaction:false%s)",
				    bad ? bad : "",
				    *is_upgrade ? " or transaction:true"
						: ", transaction:true or noop");
		}
	}
	return 0;
}

/* A section's bounds and flags; a noop section must hold no statement
 * (the error names the first one's line). */
static int finish_section(parser *ps, retort_section *sec, size_t start,
			  size_t end, unsigned first_line)
{
	rt_sql_token tok;
	size_t pos = 0, i;
	unsigned no;

	sec->sql = ps->text + start;
	sec->len = end - start;
	sec->line = first_line;
	sec->empty = rt_sql_is_empty(RT_DIALECT_SQLITE, sec->sql, sec->len);
	if (!sec->noop || sec->empty)
		return 0;
	while (rt_sql_next(RT_DIALECT_SQLITE, sec->sql, sec->len, &pos, &tok) &&
	       (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT ||
		tok.kind == RT_SQL_SEMICOLON))
		;
	for (no = first_line, i = 0; i < tok.start; i++)
		no += sec->sql[i] == '\n';
	return fail(ps, no,
		    "SQL in a '-- migrate:downgrade noop' section, which "
		    "holds only comments and blank lines (remove 'noop' to "
		    "run it)");
}

/* A new section for a marker: refused when its direction already has one
 * for the same dialect (or a second one without a dialect). */
static int add_section(parser *ps, rt_script *s, const line *l, int up,
		       int dialect, retort_section **cur)
{
	int dir = up ? 0 : 1;
	uint32_t i;
	rt_script_sec *sec;

	for (i = 0; i < s->nsections[dir]; i++) {
		const rt_script_sec *o = &ps->sec[dir][i];
		char first_line[16];

		if (o->dialect != dialect)
			continue;
		snprintf(first_line, sizeof(first_line), "%u", o->marker);
		if (dialect < 0)
			return fail(ps, l->no,
				    "second '-- migrate:%s' marker (first on "
				    "line %s)",
				    up ? "upgrade" : "downgrade", first_line);
		return fail(ps, l->no,
			    "second '-- migrate:%s dialect:%s' marker (first "
			    "on line %s)",
			    up ? "upgrade" : "downgrade",
			    rt_dialect_name((rt_dialect)dialect), first_line);
	}
	/* one per dialect plus one untagged: never more than the array */
	sec = &ps->sec[dir][s->nsections[dir]++];
	sec->dialect = dialect;
	sec->marker = l->no;
	if (dialect >= 0)
		s->tagged = 1;
	*cur = &sec->sec;
	return 0;
}

/* The sections into the arena, as small as the file needs them. */
static int keep_sections(parser *ps, rt_script *s)
{
	uint32_t n0 = s->nsections[0], n1 = s->nsections[1];
	rt_script_sec *v;

	if (!n0 && !n1)
		return 0;
	v = rt_arena_alloc(ps->a, (n0 + n1) * sizeof(*v));
	if (!v)
		return rt_err_oom(ps->err);
	memcpy(v, ps->sec[0], n0 * sizeof(*v));
	memcpy(v + n0, ps->sec[1], n1 * sizeof(*v));
	s->sections[0] = v;
	s->sections[1] = v + n0;
	return 0;
}

/* upgrade/downgrade: the untagged section, else the first. */
static void set_defaults(rt_script *s)
{
	int dir;

	for (dir = 0; dir < 2; dir++) {
		const rt_script_sec *pick = NULL;
		uint32_t i;

		for (i = 0; i < s->nsections[dir] && !pick; i++)
			if (s->sections[dir][i].dialect < 0)
				pick = &s->sections[dir][i];
		if (!pick && s->nsections[dir])
			pick = &s->sections[dir][0];
		if (!pick)
			continue;
		*(dir ? &s->downgrade : &s->upgrade) = pick->sec;
		*(dir ? &s->downgrade_line : &s->upgrade_line) = pick->marker;
	}
}

const rt_script_sec *rt_script_section(const rt_script *s, int downgrade,
				       rt_dialect d, uint32_t *index)
{
	const rt_script_sec *v = s->sections[downgrade ? 1 : 0];
	uint32_t i, n = s->nsections[downgrade ? 1 : 0], any = n;

	for (i = 0; i < n; i++) {
		if (v[i].dialect == (int)d)
			break;
		if (v[i].dialect < 0)
			any = i;
	}
	if (i == n)
		i = any;
	if (i == n)
		return NULL;
	if (index)
		*index = i;
	return &v[i];
}

void rt_script_section_names(const rt_script *s, int downgrade, char *out,
			     size_t size)
{
	const rt_script_sec *v = s->sections[downgrade ? 1 : 0];
	uint32_t i, n = s->nsections[downgrade ? 1 : 0];
	size_t used = 0;

	if (size)
		out[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		int k =
		    snprintf(out + used, size - used, "%s%s%s", i ? ", " : "",
			     v[i].dialect < 0 ? "" : "dialect:",
			     v[i].dialect < 0
				 ? "no dialect"
				 : rt_dialect_name((rt_dialect)v[i].dialect));

		if (k < 0)
			break;
		used += (size_t)k;
	}
}

int rt_script_parse(rt_script *out, rt_arena *a, const char *path,
		    const char *text, size_t len, rt_err *err)
{
	parser ps = { .a = a, .path = path, .err = err };
	retort_section *cur = NULL;
	size_t cur_start = 0;
	unsigned cur_line = 0;
	const char *slash;
	char *copy;
	line l;
	int have, error;

	memset(out, 0, sizeof(*out));
	if (memchr(text, '\0', len)) {
		unsigned no = 1;
		size_t i;

		for (i = 0; text[i]; i++)
			no += text[i] == '\n';
		ps.path = path;
		return fail(&ps, no, "NUL byte in file (is this a text file?)");
	}
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		len -= 3;
	}
	copy = rt_arena_strndup(a, text, len);
	out->path = rt_arena_strdup(a, path);
	if (!copy || !out->path)
		return rt_err_oom(err);
	slash = strrchr(out->path, '/');
	out->filename = slash ? slash + 1 : out->path;
	out->text = copy;
	out->len = len;
	ps.text = copy;
	ps.len = len;

	/* blank lines before the header */
	while ((have = next_line(&ps, &l)) && is_blank(l.p, l.len))
		;
	if (!have)
		return fail(&ps, 0, "empty revision file");
	if ((error = parse_header(&ps, out, &l, &have)) < 0)
		return error;

	for (; have; have = next_line(&ps, &l)) {
		const char *rest, *c;
		size_t rn, cn;
		int up = 0, tx = 1, noop = 0, dialect = -1;

		if (is_marker(&l, &rest, &rn)) {
			if ((error = parse_marker(&ps, &l, rest, rn, &up, &tx,
						  &noop, &dialect)) < 0)
				return error;
			if (cur && (error = finish_section(
					&ps, cur, cur_start,
					(size_t)(l.p - ps.text), cur_line)) < 0)
				return error;
			if ((error = add_section(&ps, out, &l, up, dialect,
						 &cur)) < 0)
				return error;
			cur->transactional = tx;
			cur->noop = noop;
			cur_start = ps.pos;
			cur_line = l.no + 1;
			continue;
		}
		if (cur || is_blank(l.p, l.len) || comment_content(&l, &c, &cn))
			continue;
		return fail(&ps, l.no,
			    "SQL outside a section (put it after "
			    "'-- migrate:upgrade' or '-- migrate:downgrade')");
	}
	if (cur &&
	    (error = finish_section(&ps, cur, cur_start, ps.len, cur_line)) < 0)
		return error;
	if ((error = keep_sections(&ps, out)) < 0)
		return error;
	set_defaults(out);
	if (!out->upgrade_line)
		return fail(&ps, 0,
			    "missing '-- migrate:upgrade' section marker");
	if (!out->downgrade_line)
		return fail(&ps, 0,
			    "missing '-- migrate:downgrade' section marker "
			    "(leave the section empty for an irreversible "
			    "revision, or mark it '-- migrate:downgrade noop' "
			    "when the upgrade needs no undoing)");
	return 0;
}

unsigned rt_section_line(const retort_section *sec, long offset)
{
	if (offset < 0)
		return sec->line;
	return sec->line - 1 +
	       rt_sql_line_of(sec->sql, sec->len, (size_t)offset);
}
