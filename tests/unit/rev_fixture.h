/* SPDX-License-Identifier: MIT */
/*
 * rev_fixture.h: revision files with chosen SQL, for the tests of the
 * stages after planning (test_render.c, test_runner.c). graph_fixture.h
 * renders every revision with the same CREATE/DROP TABLE; these tests need
 * each section's text, its transaction:false marker and its line numbers.
 *
 * A revision is one row, in load order:
 *
 *   { "b", "a", "CREATE TABLE tb (x INTEGER);", "DROP TABLE tb;" }
 *
 * with optional up_notx / down_notx (1: the marker says
 * transaction:false). NULL SQL is an empty section. The file is named
 * "<id>.sql" and its lines are:
 *
 *   1 -- revision <id>
 *   2 --
 *   3 -- Revision ID: <id>
 *   4 -- Revises: <down>
 *   5 -- Create Date: 2024-01-02 03:04:05
 *   6
 *   7 -- migrate:upgrade [transaction:false]
 *   8 <upgrade SQL>...
 *
 * so an upgrade section's first line is line 8 (RF_UP_LINE).
 */
#ifndef RT_TEST_REV_FIXTURE_H
#define RT_TEST_REV_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "util/str.h"

/* Rows leave out the trailing columns they do not use. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define RF_UP_LINE 8
#define RF_N(a)	   (sizeof(a) / sizeof((a)[0]))

typedef struct rf_rev {
	const char *id;
	const char *down; /* as written after "Revises:" ("a, b" a merge) */
	const char *up;	  /* upgrade SQL; NULL for an empty section */
	const char *downsql;
	int up_notx; /* 1: "-- migrate:upgrade transaction:false" */
	int down_notx;
} rf_rev;

/* The revision file a row stands for, appended to out. */
static inline void rf_render(rt_str *out, const rf_rev *r)
{
	rt_str_printf(out,
		      "-- revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n"
		      "-- Create Date: 2024-01-02 03:04:05\n\n"
		      "-- migrate:upgrade%s\n",
		      r->id, r->id, r->down ? r->down : "",
		      r->up_notx ? " transaction:false" : "");
	if (r->up)
		rt_str_printf(out, "%s\n", r->up);
	rt_str_printf(out, "\n-- migrate:downgrade%s\n",
		      r->down_notx ? " transaction:false" : "");
	if (r->downsql)
		rt_str_printf(out, "%s\n", r->downsql);
}

/* "<id>.sql" */
static inline void rf_name(rt_str *out, const rf_rev *r)
{
	rt_str_printf(out, "%s.sql", r->id);
}

#endif
