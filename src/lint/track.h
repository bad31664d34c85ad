/* SPDX-License-Identifier: MIT */
/*
 * track.h: the schema the earlier revisions built, as far as lint needs
 * it, kept from their statements in upgrade order: which tables exist and
 * which revision created them, the columns' types, and the CHECK (col IS
 * NOT NULL) constraints and whether they were validated (what makes a
 * later SET NOT NULL cheap on PostgreSQL 12+).
 *
 * A table the tracker never saw created is taken to exist (it was made
 * before the first revision, or outside retort). Names are compared as
 * rt_lname() gives them: the last part of a qualified name, unquoted
 * parts lower-cased. Keys live in the tracker's arena.
 */
#ifndef RT_LINT_TRACK_H
#define RT_LINT_TRACK_H

#include "util/arena.h"
#include "util/map.h"
#include "util/vec.h"

/* A column as last set: a table's columns are a list, newest first (in
 * the arena), so setting one is a prepend and the first match wins. */
typedef struct rt_track_col {
	struct rt_track_col *next;
	const char *name;
	const char *type;
} rt_track_col;

typedef struct rt_track_table {
	const char *creator; /* revision id, or NULL when not seen created */
	rt_track_col *cols;
} rt_track_table;

typedef struct rt_track {
	rt_arena *a;
	rt_map tables; /* name -> table number, UINT32_MAX once gone */
	RT_VEC(rt_track_table) tabs; /* per number */
	rt_map checks; /* "number\x1fconstraint" -> index in check_cols */
	RT_VEC(const char *) check_cols;
	rt_map not_null_ok; /* "number\x1fcol": a validated check */
} rt_track;

void rt_track_init(rt_track *t, rt_arena *a);
void rt_track_dispose(rt_track *t);

/* All return 0, or -1 when memory ran out. */
int rt_track_create_table(rt_track *t, const char *table, const char *rev);
int rt_track_drop_table(rt_track *t, const char *table);
int rt_track_rename_table(rt_track *t, const char *from, const char *to);
/* The revision that created table, or NULL when it was not seen
 * created (or was dropped). A rename keeps the table's columns, checks
 * and creator. */
const char *rt_track_creator(const rt_track *t, const char *table);

int rt_track_set_column(rt_track *t, const char *table, const char *col,
			const char *type);
/* The column's type text, or NULL when not known. */
const char *rt_track_column(const rt_track *t, const char *table,
			    const char *col);

/* A CHECK (col IS NOT NULL) named cname, validated or not (NOT VALID). */
int rt_track_check(rt_track *t, const char *table, const char *cname,
		   const char *col, int validated);
/* VALIDATE CONSTRAINT cname. */
int rt_track_validate(rt_track *t, const char *table, const char *cname);
/* 1 when a validated CHECK (col IS NOT NULL) is known on table.col. */
int rt_track_not_null_ok(const rt_track *t, const char *table, const char *col);

#endif
