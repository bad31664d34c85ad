/* SPDX-License-Identifier: MIT */
/*
 * Stage sql/: SQL text per dialect. Takes SQL text and a dialect
 * (dialect.h), gives tokens, statements and their lines (tokenize.h),
 * statement kinds (classify.h) and quoted identifiers and literals
 * (quote.h). Uses util/ only; every later stage may use it.
 *
 * tokenize.h: a SQL tokenizer for the places that must understand statement
 * boundaries: telling an empty section from one with statements, making
 * --sql output end each section with ';', mapping a server's error position
 * to a file line, and splitting statements for MySQL.
 *
 * It knows: '...' strings (with '' escapes, and E'..' backslash escapes on
 * PostgreSQL), "..." identifiers, `...` (MySQL), $tag$...$tag$ (PostgreSQL),
 * -- and # (MySQL) line comments, C-style block comments (nested on
 * PostgreSQL), and BEGIN ... END blocks of CREATE TRIGGER bodies (SQLite) so
 * that their inner ';' do not split the statement.
 * Unterminated strings/comments run to the end of input (no error here;
 * the database reports them).
 */
#ifndef RT_SQL_H
#define RT_SQL_H

#include <stddef.h>

#include "sql/dialect.h"

typedef enum rt_sql_token_kind {
	RT_SQL_SPACE,
	RT_SQL_COMMENT,
	RT_SQL_SEMICOLON,
	RT_SQL_WORD,   /* keyword/identifier/number/operator run */
	RT_SQL_STRING, /* any quoted literal or quoted identifier */
	RT_SQL_OTHER
} rt_sql_token_kind;

typedef struct rt_sql_token {
	rt_sql_token_kind kind;
	size_t start, len;
} rt_sql_token;

/* Next token at *pos in sql[0..len); returns 0 at end. Advances *pos. */
int rt_sql_next(rt_dialect d, const char *sql, size_t len, size_t *pos,
		rt_sql_token *tok);

/* 1 when the text holds no statement (only whitespace, comments, ';'). */
int rt_sql_is_empty(rt_dialect d, const char *sql, size_t len);

/* 1 when the last statement is not terminated by ';'. */
int rt_sql_needs_terminator(rt_dialect d, const char *sql, size_t len);

typedef struct rt_sql_stmt {
	size_t start, len; /* the statement text, without the ';' */
	unsigned line;	   /* 1-based line of its first token in the input */
} rt_sql_stmt;

/* Split into statements (empty ones skipped). *out is malloc'd. */
int rt_sql_split(rt_dialect d, const char *sql, size_t len, rt_sql_stmt **out,
		 size_t *n);

/* MySQL: 1 when the text has a mysql client DELIMITER line (which
 * rt_sql_split leaves out of the statements). 0 on other dialects. */
int rt_sql_has_delimiter(rt_dialect d, const char *sql, size_t len);

/* 1-based line number of byte offset `off` in sql. */
unsigned rt_sql_line_of(const char *sql, size_t len, size_t off);

#endif
