/* SPDX-License-Identifier: MIT */
/*
 * types.h: column types compared the way narrow-type and
 * alter-column-type need: is the new type narrower than the old one, and
 * does PostgreSQL change it without rewriting the table (a binary-
 * coercible change: varchar(n) to a longer varchar or to text, numeric to
 * a larger precision at the same scale). Types come as rt_ltext() gives
 * them ("character varying(20)", "numeric(10,2)"); what is not understood
 * is "unknown", and unknown never counts as narrower.
 */
#ifndef RT_LINT_TYPES_H
#define RT_LINT_TYPES_H

typedef enum rt_ltype_family {
	RT_LT_UNKNOWN = 0,
	RT_LT_INT,     /* size: bytes */
	RT_LT_CHAR,    /* varchar/text; size: length, -1 unbounded */
	RT_LT_BPCHAR,  /* char(n) */
	RT_LT_NUMERIC, /* size: precision (-1 unbounded), scale */
	RT_LT_FLOAT    /* size: bytes */
} rt_ltype_family;

typedef struct rt_ltype {
	rt_ltype_family family;
	long size, scale;
} rt_ltype;

void rt_ltype_parse(const char *text, rt_ltype *out);
/* 1 when `to` holds fewer values than `from` (same family only). */
int rt_ltype_narrower(const rt_ltype *from, const rt_ltype *to);
/* 1 when PostgreSQL changes from -> to without a rewrite. */
int rt_ltype_pg_in_place(const rt_ltype *from, const rt_ltype *to);

#endif
