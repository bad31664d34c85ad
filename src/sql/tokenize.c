/* SPDX-License-Identifier: MIT */
/*
 * sql.c: the SQL tokenizer behind statement boundaries (see sql.h).
 *
 * Tokens cover the input exactly: every byte belongs to one token, so
 * concatenating them gives the text back. Quoted literals and comments
 * that never close run to the end of the input. Nothing is allocated
 * except the array rt_sql_split returns.
 *
 * Dialects:
 *  - PostgreSQL: '' doubling, E'..' backslash escapes, $tag$..$tag$
 *    (while $1 is a parameter), nested block comments; a ';' inside ( )
 *    or inside the BEGIN ... END body of CREATE [OR REPLACE]
 *    FUNCTION|PROCEDURE (BEGIN ATOMIC) does not end a statement, as psql
 *    decides.
 *  - MySQL: backslash escapes in '..' and "..", `..` identifiers, # and
 *    "-- " comments (-- needs a blank or control character after it),
 *    flat block comments; an executable comment (slash, star, '!': MySQL
 *    runs its text) is a statement token of kind RT_SQL_OTHER. Splitting
 *    follows the mysql client: a `DELIMITER x` line (at the start of a
 *    statement) makes x end statements until the next DELIMITER line,
 *    and the DELIMITER lines belong to no statement; with ';' as the
 *    delimiter, the BEGIN ... END body of CREATE ... PROCEDURE, FUNCTION,
 *    TRIGGER or EVENT holds its ';' (IF/LOOP/WHILE/REPEAT/CASE ... END X
 *    nest), so files written without DELIMITER split the same way.
 *  - SQLite: '' strings, "..", [..] and `..` identifiers; the BEGIN ...
 *    END body of CREATE [TEMP|TEMPORARY] TRIGGER holds its ';'.
 * In bodies, CASE ... END nests like BEGIN ... END.
 */
#include "sql/tokenize.h"

#include <string.h>

#include "retort.h"
#include "util/vec.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (unsigned char)c >= 0x80;
}

/* A character that may start an unquoted identifier. */
static int is_ident_start(rt_dialect d, char c)
{
	return is_alpha(c) || (c == '$' && d != RT_DIALECT_POSTGRESQL);
}

static int is_ident_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '$';
}

static int is_op_char(rt_dialect d, char c)
{
	if (c == '#')
		return d != RT_DIALECT_MYSQL;
	return c && strchr("+-*/<>=~!@%^&|?", c) != NULL;
}

/* Does a comment start at sql[i]? */
static int comment_at(rt_dialect d, const char *sql, size_t len, size_t i)
{
	if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*')
		return 1;
	if (sql[i] == '#')
		return d == RT_DIALECT_MYSQL;
	if (i + 1 < len && sql[i] == '-' && sql[i + 1] == '-')
		return d != RT_DIALECT_MYSQL || i + 2 >= len ||
		       (unsigned char)sql[i + 2] <= ' ';
	return 0;
}

/* End of a literal opened by sql[i] == q; `q q` is an escaped q, and with
 * `backslash` a backslash escapes the next byte. */
static size_t quoted_end(const char *sql, size_t len, size_t i, char q,
			 int backslash)
{
	for (i++; i < len; i++) {
		if (backslash && sql[i] == '\\') {
			i++;
		} else if (sql[i] == q) {
			if (i + 1 < len && sql[i + 1] == q)
				i++;
			else
				return i + 1;
		}
	}
	return len;
}

static size_t block_comment_end(rt_dialect d, const char *sql, size_t len,
				size_t i)
{
	int depth = 1;

	for (i += 2; i < len; i++) {
		if (sql[i] == '*' && i + 1 < len && sql[i + 1] == '/') {
			i++;
			if (--depth == 0)
				return i + 1;
		} else if (d == RT_DIALECT_POSTGRESQL && sql[i] == '/' &&
			   i + 1 < len && sql[i + 1] == '*') {
			i++;
			depth++;
		}
	}
	return len;
}

/* PostgreSQL at sql[i] == '$': the end of a $tag$...$tag$ literal, or 0
 * when no dollar quote opens here. */
static size_t dollar_end(const char *sql, size_t len, size_t i)
{
	size_t j = i + 1, taglen, k;

	if (j < len && sql[j] != '$') {
		if (!is_alpha(sql[j]))
			return 0;
		while (j < len && (is_alpha(sql[j]) || is_digit(sql[j])))
			j++;
		if (j >= len || sql[j] != '$')
			return 0;
	}
	if (j >= len)
		return 0;
	taglen = j + 1 - i; /* "$tag$" */
	for (k = j + 1; k + taglen <= len; k++) {
		if (sql[k] == '$' && !memcmp(sql + k, sql + i, taglen))
			return k + taglen;
	}
	return len;
}

/* An identifier, keyword or number starting at sql[i]. */
static size_t word_end(const char *sql, size_t len, size_t i)
{
	int number = is_digit(sql[i]) || sql[i] == '.';

	for (i++; i < len; i++) {
		if (is_ident_char(sql[i]) || (number && sql[i] == '.'))
			continue;
		/* 1e-5 */
		if (number && (sql[i] == '+' || sql[i] == '-') &&
		    (sql[i - 1] == 'e' || sql[i - 1] == 'E') && i + 1 < len &&
		    is_digit(sql[i + 1]))
			continue;
		break;
	}
	return i;
}

int rt_sql_next(rt_dialect d, const char *sql, size_t len, size_t *pos,
		rt_sql_token *tok)
{
	size_t i = *pos, end;
	char c;

	if (i >= len)
		return 0;
	c = sql[i];
	tok->start = i;
	tok->kind = RT_SQL_OTHER;
	end = i + 1;
	if (is_space(c)) {
		tok->kind = RT_SQL_SPACE;
		while (end < len && is_space(sql[end]))
			end++;
	} else if (c == ';') {
		tok->kind = RT_SQL_SEMICOLON;
	} else if (comment_at(d, sql, len, i)) {
		if (c == '/') {
			end = block_comment_end(d, sql, len, i);
			/* MySQL runs the text of executable comments */
			if (!(d == RT_DIALECT_MYSQL && i + 2 < len &&
			      sql[i + 2] == '!'))
				tok->kind = RT_SQL_COMMENT;
		} else {
			tok->kind = RT_SQL_COMMENT;
			while (end < len && sql[end] != '\n')
				end++;
		}
	} else if (c == '\'' || c == '"') {
		tok->kind = RT_SQL_STRING;
		end = quoted_end(sql, len, i, c, d == RT_DIALECT_MYSQL);
	} else if (c == '`' && d != RT_DIALECT_POSTGRESQL) {
		tok->kind = RT_SQL_STRING;
		end = quoted_end(sql, len, i, c, 0);
	} else if (c == '[' && d == RT_DIALECT_SQLITE) {
		tok->kind = RT_SQL_STRING;
		while (end < len && sql[end] != ']')
			end++;
		if (end < len)
			end++;
	} else if (c == '$' && d == RT_DIALECT_POSTGRESQL) {
		if (i + 1 < len && is_digit(sql[i + 1])) {
			tok->kind = RT_SQL_WORD; /* $1 */
			while (end < len && is_digit(sql[end]))
				end++;
		} else if ((end = dollar_end(sql, len, i))) {
			tok->kind = RT_SQL_STRING;
		} else {
			end = i + 1;
		}
	} else if ((c == 'E' || c == 'e') && d == RT_DIALECT_POSTGRESQL &&
		   i + 1 < len && sql[i + 1] == '\'') {
		tok->kind = RT_SQL_STRING;
		end = quoted_end(sql, len, i + 1, '\'', 1);
	} else if (is_ident_start(d, c) || is_digit(c) ||
		   (c == '.' && i + 1 < len && is_digit(sql[i + 1]))) {
		tok->kind = RT_SQL_WORD;
		end = word_end(sql, len, i);
	} else if (is_op_char(d, c)) {
		tok->kind = RT_SQL_WORD;
		while (end < len && is_op_char(d, sql[end]) &&
		       !comment_at(d, sql, len, end))
			end++;
	}
	tok->len = end - i;
	*pos = end;
	return 1;
}

int rt_sql_is_empty(rt_dialect d, const char *sql, size_t len)
{
	rt_sql_token tok;
	size_t pos = 0;

	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		if (tok.kind != RT_SQL_SPACE && tok.kind != RT_SQL_COMMENT &&
		    tok.kind != RT_SQL_SEMICOLON)
			return 0;
	}
	return 1;
}

int rt_sql_needs_terminator(rt_dialect d, const char *sql, size_t len)
{
	rt_sql_token tok;
	size_t pos = 0;
	int last = -1;

	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		if (tok.kind != RT_SQL_SPACE && tok.kind != RT_SQL_COMMENT)
			last = (int)tok.kind;
	}
	return last != -1 && last != RT_SQL_SEMICOLON;
}

/* ------------------------------------------------------------------ */
/* Splitting */

/* Where a statement stands on the way to a body that holds ';'. */
enum {
	PREFIX_START,	/* nothing yet */
	PREFIX_CREATE,	/* CREATE */
	PREFIX_TEMP,	/* CREATE TEMP|TEMPORARY (SQLite) */
	PREFIX_OR,	/* CREATE OR (PostgreSQL) */
	PREFIX_REPLACE, /* CREATE OR REPLACE */
	PREFIX_MY,	/* CREATE ... before the object's kind (MySQL) */
	PREFIX_BODY,	/* a trigger or function: BEGIN ... END nests */
	PREFIX_NONE	/* any other statement */
};

struct split_state {
	int prefix;
	int depth;     /* BEGIN/CASE ... END nesting in a body */
	int paren;     /* ( ) nesting (PostgreSQL) */
	int after_dot; /* the last token was '.': a name, not a keyword */
	int after_end; /* the last word was END (MySQL: END IF ...) */
};

static int word_is(const char *sql, const rt_sql_token *tok, const char *kw)
{
	size_t i, n = strlen(kw);

	if (tok->len != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = sql[tok->start + i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != kw[i])
			return 0;
	}
	return 1;
}

/* MySQL, after CREATE: OR REPLACE, DEFINER = user, AGGREGATE, ALGORITHM
 * ... come before the kind of object; a PROCEDURE, FUNCTION, TRIGGER or
 * EVENT has a body; a '(' or any other kind has not. */
static int my_prefix(const char *sql, const rt_sql_token *tok)
{
	static const char *const plain[] = {
		"TABLE",    "INDEX",  "VIEW",	    "DATABASE",	 "SCHEMA",
		"USER",	    "ROLE",   "UNIQUE",	    "FULLTEXT",	 "SPATIAL",
		"SEQUENCE", "SERVER", "TABLESPACE", "TEMPORARY", "LOGFILE"
	};
	size_t i;

	if (tok->kind == RT_SQL_OTHER && tok->len == 1 &&
	    sql[tok->start] == '(')
		return PREFIX_NONE;
	if (tok->kind != RT_SQL_WORD)
		return PREFIX_MY;
	if (word_is(sql, tok, "PROCEDURE") || word_is(sql, tok, "FUNCTION") ||
	    word_is(sql, tok, "TRIGGER") || word_is(sql, tok, "EVENT"))
		return PREFIX_BODY;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (word_is(sql, tok, plain[i]))
			return PREFIX_NONE;
	return PREFIX_MY;
}

static int next_prefix(rt_dialect d, int prefix, const char *sql,
		       const rt_sql_token *tok)
{
	int pg = d == RT_DIALECT_POSTGRESQL, lite = d == RT_DIALECT_SQLITE;
	int my = d == RT_DIALECT_MYSQL;
	int body_kw;

	if (my && prefix == PREFIX_MY)
		return my_prefix(sql, tok);
	if (tok->kind != RT_SQL_WORD)
		return PREFIX_NONE;
	if (lite)
		body_kw = word_is(sql, tok, "TRIGGER");
	else
		body_kw = word_is(sql, tok, "FUNCTION") ||
			  word_is(sql, tok, "PROCEDURE");
	switch (prefix) {
	case PREFIX_START:
		if (word_is(sql, tok, "CREATE"))
			return my ? PREFIX_MY : PREFIX_CREATE;
		return PREFIX_NONE;
	case PREFIX_CREATE:
		if (lite && (word_is(sql, tok, "TEMP") ||
			     word_is(sql, tok, "TEMPORARY")))
			return PREFIX_TEMP;
		if (pg && word_is(sql, tok, "OR"))
			return PREFIX_OR;
		return body_kw ? PREFIX_BODY : PREFIX_NONE;
	case PREFIX_OR:
		return word_is(sql, tok, "REPLACE") ? PREFIX_REPLACE
						    : PREFIX_NONE;
	case PREFIX_TEMP:
	case PREFIX_REPLACE:
		return body_kw ? PREFIX_BODY : PREFIX_NONE;
	default:
		return prefix;
	}
}

/* Track one significant token; 1 when it is a ';' that ends the statement. */
static int split_track(rt_dialect d, struct split_state *st, const char *sql,
		       const rt_sql_token *tok)
{
	int after_dot = st->after_dot;

	st->after_dot = 0;
	if (tok->kind == RT_SQL_SEMICOLON)
		return st->depth == 0 && st->paren == 0;
	if (tok->kind == RT_SQL_OTHER && tok->len == 1) {
		char c = sql[tok->start];

		if (c == '.')
			st->after_dot = 1;
		else if (d == RT_DIALECT_POSTGRESQL && c == '(')
			st->paren++;
		else if (d == RT_DIALECT_POSTGRESQL && c == ')' && st->paren)
			st->paren--;
	}
	if (st->prefix < PREFIX_BODY) {
		st->prefix = next_prefix(d, st->prefix, sql, tok);
		return 0;
	}
	if (st->prefix != PREFIX_BODY || tok->kind != RT_SQL_WORD ||
	    after_dot || st->paren)
		return 0;
	if (st->after_end) {
		/* MySQL's END IF / END LOOP / ... close what only END
		 * counted: give the level back; END CASE closes its CASE */
		st->after_end = 0;
		if (word_is(sql, tok, "IF") || word_is(sql, tok, "LOOP") ||
		    word_is(sql, tok, "WHILE") || word_is(sql, tok, "REPEAT")) {
			st->depth++;
			return 0;
		}
		if (word_is(sql, tok, "CASE"))
			return 0;
	}
	if (word_is(sql, tok, "BEGIN"))
		st->depth++;
	else if (word_is(sql, tok, "CASE") && st->depth > 0)
		st->depth++;
	else if (word_is(sql, tok, "END") && st->depth > 0) {
		st->depth--;
		st->after_end = d == RT_DIALECT_MYSQL;
	}
	return 0;
}

/* MySQL: a "DELIMITER x" line at sql[tok]: 1 with the delimiter in
 * dstart and dlen, and *next past the line; 0 when it is not one. Like the
 * mysql client, the word starts its line and x runs to the next blank. */
static int delimiter_line(const char *sql, size_t len, const rt_sql_token *tok,
			  size_t *dstart, size_t *dlen, size_t *next)
{
	size_t i = tok->start, e;

	if (!word_is(sql, tok, "DELIMITER"))
		return 0;
	while (i > 0 && (sql[i - 1] == ' ' || sql[i - 1] == '\t'))
		i--;
	if (i > 0 && sql[i - 1] != '\n')
		return 0;
	i = tok->start + tok->len;
	if (i >= len || (sql[i] != ' ' && sql[i] != '\t'))
		return 0;
	while (i < len && (sql[i] == ' ' || sql[i] == '\t'))
		i++;
	for (e = i; e < len && !is_space(sql[e]); e++)
		;
	if (e == i)
		return 0;
	*dstart = i;
	*dlen = e - i;
	while (e < len && sql[e] != '\n')
		e++;
	*next = e;
	return 1;
}

/* With a DELIMITER other than ';': where it occurs in the token (it may
 * run past it), or (size_t)-1. */
static size_t delimiter_in(const char *sql, size_t len, const rt_sql_token *tok,
			   const char *delim, size_t dlen)
{
	size_t i;

	if (tok->kind == RT_SQL_STRING || tok->kind == RT_SQL_COMMENT ||
	    tok->kind == RT_SQL_SPACE)
		return (size_t)-1;
	for (i = tok->start; i < tok->start + tok->len; i++)
		if (i + dlen <= len && !memcmp(sql + i, delim, dlen))
			return i;
	return (size_t)-1;
}

int rt_sql_has_delimiter(rt_dialect d, const char *sql, size_t len)
{
	rt_sql_token tok;
	size_t pos = 0, a, b, c;

	if (d != RT_DIALECT_MYSQL)
		return 0;
	while (rt_sql_next(d, sql, len, &pos, &tok))
		if (tok.kind == RT_SQL_WORD &&
		    delimiter_line(sql, len, &tok, &a, &b, &c))
			return 1;
	return 0;
}

typedef struct split_ctx {
	RT_VEC(rt_sql_stmt) v;
	rt_sql_stmt cur;
	int open;
	size_t counted;
	unsigned line;
} split_ctx;

static int split_end(split_ctx *c)
{
	int rc = c->open ? RT_VEC_PUSH(&c->v, c->cur) : 0;

	c->open = 0;
	return rc;
}

/* Extend the open statement (or open one) to sql[start, end). */
static void split_take(split_ctx *c, const char *sql, size_t start, size_t end)
{
	size_t i;

	if (!c->open) {
		for (i = c->counted; i < start; i++)
			c->line += sql[i] == '\n';
		c->counted = start;
		c->cur.start = start;
		c->cur.line = c->line;
		c->open = 1;
	}
	c->cur.len = end - c->cur.start;
}

int rt_sql_split(rt_dialect d, const char *sql, size_t len, rt_sql_stmt **out,
		 size_t *n)
{
	struct split_state st;
	split_ctx c;
	rt_sql_token tok;
	size_t pos = 0, dstart = 0, dlen = 0, at;

	*out = NULL;
	*n = 0;
	memset(&st, 0, sizeof(st));
	memset(&c, 0, sizeof(c));
	c.line = 1;
	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		if (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT)
			continue;
		if (d == RT_DIALECT_MYSQL && !c.open &&
		    tok.kind == RT_SQL_WORD &&
		    delimiter_line(sql, len, &tok, &dstart, &dlen, &pos)) {
			if (dlen == 1 && sql[dstart] == ';')
				dlen = 0; /* back to ';' */
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (dlen) {
			at = delimiter_in(sql, len, &tok, sql + dstart, dlen);
			if (at == (size_t)-1) {
				split_take(&c, sql, tok.start,
					   tok.start + tok.len);
				continue;
			}
			if (at > tok.start)
				split_take(&c, sql, tok.start, at);
			if (split_end(&c) < 0)
				goto oom;
			pos = at + dlen;
			continue;
		}
		if (split_track(d, &st, sql, &tok)) {
			if (split_end(&c) < 0)
				goto oom;
			memset(&st, 0, sizeof(st));
			continue;
		}
		split_take(&c, sql, tok.start, tok.start + tok.len);
	}
	if (split_end(&c) < 0)
		goto oom;
	*out = c.v.v;
	*n = c.v.n;
	return 0;
oom:
	RT_VEC_FREE(&c.v);
	return RETORT_ENOMEM;
}

unsigned rt_sql_line_of(const char *sql, size_t len, size_t off)
{
	unsigned line = 1;
	size_t i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++)
		line += sql[i] == '\n';
	return line;
}
