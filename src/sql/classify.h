/* SPDX-License-Identifier: MIT */
/*
 * classify.h: what kind of statement a piece of SQL is, where the runner
 * must know before it sends it (classify.c). Two kinds break the promise
 * that a revision's SQL, its version rows and its log row commit together:
 *  - transaction control (BEGIN, COMMIT, END, ROLLBACK without TO, START
 *    TRANSACTION, ABORT, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED):
 *    inside a transactional section it ends retort's transaction;
 *  - COPY ... FROM STDIN / TO STDOUT (PostgreSQL): the data travels over
 *    the client connection, which a revision file cannot feed.
 * Words are read with the tokenizer, so the same words in strings,
 * comments, dollar-quoted bodies and trigger bodies do not count.
 */
#ifndef RT_CLASSIFY_H
#define RT_CLASSIFY_H

#include <stddef.h>

#include "sql/dialect.h"

typedef enum rt_sql_kind {
	RT_SQL_PLAIN = 0,
	RT_SQL_TX_CONTROL,
	RT_SQL_COPY_CLIENT
} rt_sql_kind;

/* The kind of one statement (text without its ';'). */
rt_sql_kind rt_sql_classify(rt_dialect d, const char *stmt, size_t len);

/* 1 when the statement is one that MySQL runs inside a transaction
 * without committing it implicitly: data changes and queries (INSERT,
 * UPDATE, DELETE, REPLACE, SELECT, WITH, VALUES, TABLE, DO) and
 * savepoints (SAVEPOINT, RELEASE, ROLLBACK TO). Anything else (DDL,
 * account and table maintenance statements, CALL, SET, LOCK, LOAD ...)
 * may commit, so the runner treats it as its own unit. Conservative: an
 * unknown statement is 0. */
int rt_sql_keeps_transaction(rt_dialect d, const char *stmt, size_t len);

/* The first statement of sql of a kind in `kinds` (a bit mask of
 * 1 << kind): returns its kind and sets *line (1-based within sql) and
 * word[32] (the statement's first words, upper case, for messages);
 * RT_SQL_PLAIN when there is none; -1 when out of memory. */
int rt_sql_find_kind(rt_dialect d, const char *sql, size_t len, unsigned kinds,
		     unsigned *line, char word[32]);

#endif
