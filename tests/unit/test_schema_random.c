/* SPDX-License-Identifier: MIT */
/*
 * test_schema_random.c: a seeded random differential test of
 * autogenerate, on SQLite and (when RETORT_TEST_PG_URL is set) on
 * PostgreSQL.
 *
 * Each pair is made from one seed: a random schema A (tables with columns
 * of various types, defaults, NOT NULL, checks, unique constraints,
 * indexes incl. partial, unique and expression ones, foreign keys, views;
 * on PostgreSQL also enums, generated columns, identity columns,
 * sequences, comments, materialized views with indexes, a second schema;
 * on SQLite AUTOINCREMENT and virtual generated columns) with rows, and a
 * schema B made from A by a few random changes. Database A is loaded with
 * A and its rows, database B with B (the oracle). The diff A -> B is
 * rendered; the upgrade run on A (in a transaction unless it is marked
 * transaction:false, as retort runs it) must introspect equal to B both
 * ways (what `check` compares), the rows of the columns A and B share
 * with the same type must survive it, the downgrade must bring back A and
 * every shared row (and SQLite's sqlite_sequence values), and the dump of
 * B must load back equal to B.
 *
 * The generator keeps to changes whose data cannot make a correct
 * migration fail (no NOT NULL column added without a default, no unique
 * key on a column filled with one default, values that convert between
 * the types it changes, no dropped column that the downgrade could not
 * add back to rows), so every failure is retort's.
 *
 * RETORT_RANDOM_PAIRS sets the number of pairs per database (default 500
 * on SQLite, 200 on PostgreSQL), RETORT_RANDOM_SEED the first seed
 * (default 1; pair k uses seed + k). A failing pair prints its seed, its
 * two schemas and the SQL; replay it with RETORT_RANDOM_SEED=<seed>
 * RETORT_RANDOM_PAIRS=1 (RETORT_RANDOM_VERBOSE=1 prints every pair).
 * `make test-random` runs thousands.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "project/url.h"
#include "retort.h"
#include "run/driver.h"
#include "schema/schema.h"

/* ------------------------------------------------------------------ */
/* Random numbers */

typedef struct rng {
	uint64_t s;
} rng;

static uint32_t next(rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* 0 .. n-1 */
static int pick(rng *r, int n)
{
	return n > 0 ? (int)(next(r) % (uint32_t)n) : 0;
}

/* 1 with probability pct/100 */
static int chance(rng *r, int pct)
{
	return pick(r, 100) < pct;
}

/* ------------------------------------------------------------------ */
/* The schema specification */

#define MAXT	6
#define MAXC	9
#define MAXI	4
#define MAXV	5
#define MAXE	3
#define MAXQ	3
#define MAXL	7
#define NAMELEN 16

enum {
	T_SMALLINT,
	T_INT,
	T_BIGINT,
	T_NUMERIC,
	T_TEXT,
	T_VARCHAR,
	T_BOOL,
	T_ENUM
};

typedef struct gcol {
	char name[NAMELEN];
	int type;
	int vlen;	  /* T_VARCHAR */
	char en[NAMELEN]; /* T_ENUM: the enum's name */
	int not_null;
	int dflt; /* 0 none, 1 and 2 two values, 3 nextval, 4 expression */
	char seq[NAMELEN];  /* dflt 3 */
	int gen;	    /* 0, 1 stored, 2 virtual (SQLite) */
	char base[NAMELEN]; /* generated: the column it reads */
	int mul;	    /* generated: 2 or 3 */
	int ident;	    /* PG: 0, 'a', 'd' */
	long long id_start, id_inc, id_max; /* 0: default */
	int id_cache, id_cycle;
	char fk_schema[NAMELEN]; /* foreign key onto fk_table(fk_col) */
	char fk_table[NAMELEN];
	char fk_col[NAMELEN]; /* "id" or a unique integer column */
	char fk_name[NAMELEN];
	int fk_del, fk_upd, fk_defer;
	char uniq[NAMELEN]; /* unique constraint (its name) */
	int check;	    /* 0 none, 1 named, 2 unnamed */
	char check_name[NAMELEN];
	char comment[NAMELEN];
} gcol;

typedef struct gidx {
	char name[NAMELEN];
	int unique;
	int ncols;
	char cols[2][NAMELEN];
	int expr;    /* an expression on cols[0] */
	int partial; /* 0, 1 cols[0] IS NOT NULL, 2 id > 1, 3 cols[0] = a value */
	char comment[NAMELEN];
} gidx;

typedef struct gtable {
	char schema[NAMELEN]; /* "" or "s1" (PostgreSQL) */
	char name[NAMELEN];
	int ncols; /* cols[0] is the primary key "id" */
	gcol cols[MAXC];
	int nidx;
	gidx idx[MAXI];
	char tuniq[NAMELEN]; /* UNIQUE (tuniq_cols) */
	char tuniq_cols[2][NAMELEN];
	int tcheck;  /* CHECK (id > 0), 1 named */
	int autoinc; /* SQLite */
	char comment[NAMELEN];
} gtable;

typedef struct gview {
	char name[NAMELEN];
	int mat;
	char src[NAMELEN]; /* a table or an earlier view */
	char src_schema[NAMELEN];
	int nsel;
	char sel[3][NAMELEN]; /* sel[0] is "id" */
	int where;
	char comment[NAMELEN];
	char id_comment[NAMELEN];
	int nidx;
	gidx idx[2];
} gview;

typedef struct genum {
	char schema[NAMELEN];
	char name[NAMELEN];
	int nlabels;
	char labels[MAXL][NAMELEN];
} genum;

typedef struct gseq {
	char name[NAMELEN];
	int type; /* T_INT or T_BIGINT */
	long long start, inc, max;
	int cache, cycle;
	char owner_table[NAMELEN], owner_col[NAMELEN]; /* public */
} gseq;

typedef struct gspec {
	int pg;
	int counter; /* names are unique: A's counter carries into B */
	int ntables;
	gtable tables[MAXT];
	int nviews;
	gview views[MAXV];
	int nenums;
	genum enums[MAXE];
	int nseqs;
	gseq seqs[MAXQ];
} gspec;

static void fresh(gspec *s, char *out, char prefix)
{
	snprintf(out, NAMELEN, "%c%d", prefix, ++s->counter);
}

static const gtable *find_table(const gspec *s, const char *schema,
				const char *name)
{
	int i;

	for (i = 0; i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, name) &&
		    !strcmp(s->tables[i].schema, schema))
			return &s->tables[i];
	return NULL;
}

static const gcol *find_col(const gtable *t, const char *name)
{
	int i;

	for (i = 0; t && i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

static const genum *find_enum(const gspec *s, const char *name)
{
	int i;

	for (i = 0; i < s->nenums; i++)
		if (!strcmp(s->enums[i].name, name))
			return &s->enums[i];
	return NULL;
}

static const gseq *find_seq(const gspec *s, const char *name)
{
	int i;

	for (i = 0; i < s->nseqs; i++)
		if (!strcmp(s->seqs[i].name, name))
			return &s->seqs[i];
	return NULL;
}

static const gview *find_view(const gspec *s, const char *name)
{
	int i;

	for (i = 0; i < s->nviews; i++)
		if (!strcmp(s->views[i].name, name))
			return &s->views[i];
	return NULL;
}

static int is_num(int type)
{
	return type <= T_NUMERIC;
}

static int is_int(int type)
{
	return type <= T_BIGINT;
}

static int is_text(int type)
{
	return type == T_TEXT || type == T_VARCHAR;
}

/* ------------------------------------------------------------------ */
/* Making a schema */

static int random_type(rng *r, gspec *s)
{
	static const int pg[] = { T_SMALLINT, T_INT,  T_BIGINT,	 T_NUMERIC,
				  T_TEXT,     T_TEXT, T_VARCHAR, T_BOOL };
	int t = pg[pick(r, 8)];

	if (s->pg && s->nenums && chance(r, 12))
		return T_ENUM;
	return t;
}

static void random_options(rng *r, long long *start, long long *inc,
			   long long *max, int *cache, int *cycle)
{
	static const long long starts[] = { 0, 10, 100 };
	static const long long incs[] = { 1, 1, 2, 5 };

	*start = starts[pick(r, 3)];
	*inc = incs[pick(r, 4)];
	*max = chance(r, 30) ? 100000 : 0;
	*cache = chance(r, 25) ? 2 : 1;
	*cycle = chance(r, 15);
}

static void new_column(rng *r, gspec *s, gtable *t, gcol *c)
{
	memset(c, 0, sizeof(*c));
	fresh(s, c->name, 'c');
	c->type = random_type(r, s);
	c->vlen = 20 + 10 * pick(r, 3);
	if (c->type == T_ENUM)
		strcpy(c->en, s->enums[pick(r, s->nenums)].name);
	c->not_null = chance(r, 30);
	c->dflt = chance(r, 35) ? 1 + pick(r, 2) : 0;
	if (c->dflt && is_int(c->type) && chance(r, 20)) {
		if (s->pg && s->nseqs) {
			c->dflt = 3;
			strcpy(c->seq, s->seqs[pick(r, s->nseqs)].name);
		} else if (!s->pg) {
			c->dflt = 4;
		}
	}
	if (chance(r, 15) && c->type != T_BOOL) {
		c->check = 1 + pick(r, 2);
		fresh(s, c->check_name, 'k');
	}
	if (s->pg && chance(r, 15))
		snprintf(c->comment, NAMELEN, "note %d", pick(r, 3));
	(void)t;
}

static void new_index(rng *r, gspec *s, gtable *t, gidx *ix)
{
	const gcol *c = &t->cols[1 + pick(r, t->ncols - 1)];

	memset(ix, 0, sizeof(*ix));
	fresh(s, ix->name, 'i');
	ix->ncols = 1;
	strcpy(ix->cols[0], c->name);
	if (chance(r, 30)) {
		const gcol *d = &t->cols[pick(r, t->ncols)];

		if (strcmp(d->name, c->name)) {
			strcpy(ix->cols[1], d->name);
			ix->ncols = 2;
		}
	}
	ix->unique = chance(r, 30);
	ix->expr = ix->ncols == 1 && chance(r, 20);
	ix->partial = chance(r, 30) ? 1 + pick(r, 3) : 0;
	if (s->pg && chance(r, 20))
		snprintf(ix->comment, NAMELEN, "ix %d", pick(r, 3));
}

static void new_table(rng *r, gspec *s, gtable *t)
{
	int i, n;

	memset(t, 0, sizeof(*t));
	if (s->pg && chance(r, 20))
		strcpy(t->schema, "s1");
	fresh(s, t->name, 't');
	strcpy(t->cols[0].name, "id");
	t->cols[0].type = s->pg && chance(r, 30) ? T_BIGINT : T_INT;
	t->cols[0].not_null = 1;
	if (s->pg && chance(r, 30)) {
		t->cols[0].ident = chance(r, 50) ? 'a' : 'd';
		if (chance(r, 50))
			random_options(r, &t->cols[0].id_start,
				       &t->cols[0].id_inc, &t->cols[0].id_max,
				       &t->cols[0].id_cache,
				       &t->cols[0].id_cycle);
	}
	t->autoinc = !s->pg && chance(r, 25);
	n = 1 + pick(r, 5);
	t->ncols = 1;
	for (i = 0; i < n; i++)
		new_column(r, s, t, &t->cols[t->ncols++]);
	for (i = 0; i < 2 && t->ncols > 1; i++)
		if (chance(r, 45))
			new_index(r, s, t, &t->idx[t->nidx++]);
	if (chance(r, 15) && t->ncols > 2) {
		fresh(s, t->tuniq, 'u');
		strcpy(t->tuniq_cols[0], t->cols[1].name);
		strcpy(t->tuniq_cols[1], t->cols[2].name);
	}
	for (i = 1; i < t->ncols; i++)
		if (chance(r, 20))
			fresh(s, t->cols[i].uniq, 'u');
	t->tcheck = chance(r, 10) ? 1 + pick(r, 2) : 0;
	if (s->pg && chance(r, 20))
		snprintf(t->comment, NAMELEN, "table %d", pick(r, 3));
}

/* A generated column reading an existing plain column. */
static void add_generated(rng *r, gspec *s, gtable *t)
{
	gcol *base = &t->cols[1 + pick(r, t->ncols - 1)], *g;

	if (t->ncols >= MAXC || base->gen ||
	    !(is_num(base->type) || is_text(base->type)))
		return;
	g = &t->cols[t->ncols++];
	memset(g, 0, sizeof(*g));
	fresh(s, g->name, 'g');
	strcpy(g->base, base->name);
	g->mul = 2 + pick(r, 2);
	g->gen = s->pg || chance(r, 50) ? 1 : 2;
	g->not_null = chance(r, 15);
}

static void add_fk(rng *r, gspec *s, gtable *t)
{
	gtable *p = &s->tables[pick(r, s->ntables)];
	gcol *c = &t->cols[1 + pick(r, t->ncols - 1)];

	int k = 1 + pick(r, p->ncols);

	if (c->gen || !is_int(c->type) || c->fk_table[0])
		return;
	strcpy(c->fk_schema, p->schema);
	strcpy(c->fk_table, p->name);
	/* now and then onto a unique column instead of the key */
	strcpy(c->fk_col, k < p->ncols && p->cols[k].uniq[0] &&
				  is_int(p->cols[k].type) && !p->cols[k].gen
			      ? p->cols[k].name
			      : "id");
	fresh(s, c->fk_name, 'f');
	c->fk_del = pick(r, 4);
	c->fk_upd = chance(r, 20) ? 1 + pick(r, 3) : 0;
	c->fk_defer = s->pg && chance(r, 15);
}

static void new_view(rng *r, gspec *s, gview *v)
{
	int i;

	memset(v, 0, sizeof(*v));
	fresh(s, v->name, 'v');
	v->mat = s->pg && chance(r, 30);
	strcpy(v->sel[0], "id");
	v->nsel = 1;
	if (s->nviews && chance(r, 25)) {
		const gview *w = &s->views[pick(r, s->nviews)];

		strcpy(v->src, w->name);
		for (i = 1; i < w->nsel && v->nsel < 3; i++)
			if (chance(r, 60))
				strcpy(v->sel[v->nsel++], w->sel[i]);
	} else {
		const gtable *t = &s->tables[pick(r, s->ntables)];

		strcpy(v->src, t->name);
		strcpy(v->src_schema, t->schema);
		for (i = 1; i < t->ncols && v->nsel < 3; i++)
			if (chance(r, 40))
				strcpy(v->sel[v->nsel++], t->cols[i].name);
	}
	v->where = pick(r, 3);
	if (s->pg && chance(r, 30))
		snprintf(v->comment, NAMELEN, "view %d", pick(r, 3));
	if (s->pg && chance(r, 20))
		snprintf(v->id_comment, NAMELEN, "key %d", pick(r, 3));
	if (v->mat && chance(r, 60)) {
		gidx *ix = &v->idx[v->nidx++];

		memset(ix, 0, sizeof(*ix));
		fresh(s, ix->name, 'm');
		ix->unique = 1;
		ix->ncols = 1;
		strcpy(ix->cols[0], "id");
		if (chance(r, 30))
			snprintf(ix->comment, NAMELEN, "mx %d", pick(r, 3));
	}
}

static void new_enum(rng *r, gspec *s, genum *e)
{
	int i;

	memset(e, 0, sizeof(*e));
	if (chance(r, 20))
		strcpy(e->schema, "s1");
	fresh(s, e->name, 'e');
	/* v1..v3 are kept by every change: the rows use them */
	for (i = 1; i <= 3; i++)
		snprintf(e->labels[e->nlabels++], NAMELEN, "v%d", i);
	for (i = 0; i < 2; i++)
		if (chance(r, 50))
			snprintf(e->labels[e->nlabels++], NAMELEN, "x%d",
				 ++s->counter);
}

static void new_seq(rng *r, gspec *s, gseq *q)
{
	memset(q, 0, sizeof(*q));
	fresh(s, q->name, 'q');
	q->type = chance(r, 30) ? T_INT : T_BIGINT;
	random_options(r, &q->start, &q->inc, &q->max, &q->cache, &q->cycle);
}

static void make_schema(rng *r, gspec *s, int pg)
{
	int i, n;

	memset(s, 0, sizeof(*s));
	s->pg = pg;
	if (pg) {
		n = pick(r, 3);
		for (i = 0; i < n; i++)
			new_enum(r, s, &s->enums[s->nenums++]);
		n = pick(r, 3);
		for (i = 0; i < n; i++)
			new_seq(r, s, &s->seqs[s->nseqs++]);
	}
	n = 1 + pick(r, 4);
	for (i = 0; i < n; i++)
		new_table(r, s, &s->tables[s->ntables++]);
	for (i = 0; i < s->ntables; i++) {
		gtable *t = &s->tables[i];

		if (t->ncols > 1 && chance(r, 45))
			add_fk(r, s, t);
		if (t->ncols > 2 && chance(r, 30))
			add_fk(r, s, t);
		if (t->ncols > 1 && chance(r, 25))
			add_generated(r, s, t);
		if (t->cols[t->ncols - 1].gen && t->nidx < MAXI &&
		    chance(r, 50)) {
			gidx *ix = &t->idx[t->nidx++];

			new_index(r, s, t, ix);
			strcpy(ix->cols[0], t->cols[t->ncols - 1].name);
		}
	}
	for (i = 0; i < s->nseqs; i++)
		if (chance(r, 30)) {
			gtable *t = &s->tables[pick(r, s->ntables)];

			if (!t->schema[0] && t->ncols > 1 && !t->cols[1].gen) {
				strcpy(s->seqs[i].owner_table, t->name);
				strcpy(s->seqs[i].owner_col, t->cols[1].name);
			}
		}
	n = pick(r, 3);
	for (i = 0; i < n; i++)
		new_view(r, s, &s->views[s->nviews++]);
}

/* ------------------------------------------------------------------ */
/* Changing a schema into B */

static gtable *random_table(rng *r, gspec *s)
{
	return s->ntables ? &s->tables[pick(r, s->ntables)] : NULL;
}

static gcol *random_col(rng *r, gtable *t)
{
	return t && t->ncols > 1 ? &t->cols[1 + pick(r, t->ncols - 1)] : NULL;
}

/* Does A's column come back right when the downgrade adds it again to
 * rows (NULL, or a default no key needs unique or existing)? */
static int droppable(const gspec *a, const gtable *t, const gcol *c)
{
	int i, k;

	for (i = 0; i < a->ntables; i++)
		for (k = 0; k < a->tables[i].ncols; k++) {
			const gcol *f = &a->tables[i].cols[k];

			if (!strcmp(f->fk_table, t->name) &&
			    !strcmp(f->fk_schema, t->schema) &&
			    !strcmp(f->fk_col, c->name))
				return 0;
		}

	if (c->not_null && !c->dflt && !c->gen)
		return 0;
	if (!c->dflt)
		return 1;
	if (c->uniq[0] || c->fk_table[0])
		return 0;
	for (i = 0; i < t->nidx; i++)
		if (t->idx[i].unique && (!strcmp(t->idx[i].cols[0], c->name) ||
					 (t->idx[i].ncols > 1 &&
					  !strcmp(t->idx[i].cols[1], c->name))))
			return 0;
	if (t->tuniq[0] && (!strcmp(t->tuniq_cols[0], c->name) ||
			    !strcmp(t->tuniq_cols[1], c->name)))
		return 0;
	return 1;
}

static int referenced(const gspec *s, const gtable *t)
{
	int i, k;

	for (i = 0; i < s->ntables; i++) {
		if (&s->tables[i] == t)
			continue;
		for (k = 0; k < s->tables[i].ncols; k++)
			if (!strcmp(s->tables[i].cols[k].fk_table, t->name) &&
			    !strcmp(s->tables[i].cols[k].fk_schema, t->schema))
				return 1;
	}
	return 0;
}

static void remove_col(gtable *t, int k)
{
	memmove(&t->cols[k], &t->cols[k + 1],
		(size_t)(t->ncols - k - 1) * sizeof(*t->cols));
	t->ncols--;
}

static void mutate(rng *r, gspec *b, const gspec *a)
{
	gtable *t = random_table(r, b);
	gcol *c = random_col(r, t);
	int what = pick(r, 20), i;

	switch (what) {
	case 0: /* add a table */
		if (b->ntables < MAXT) {
			new_table(r, b, &b->tables[b->ntables++]);
			if (chance(r, 50))
				add_fk(r, b, &b->tables[b->ntables - 1]);
		}
		break;
	case 1: /* drop a table nothing else references */
		if (t && b->ntables > 1 && !referenced(a, t)) {
			i = (int)(t - b->tables);
			memmove(t, t + 1,
				(size_t)(b->ntables - i - 1) * sizeof(*t));
			b->ntables--;
		}
		break;
	case 2: /* add a column */
	case 3:
		if (t && t->ncols < MAXC) {
			gcol *n = &t->cols[t->ncols];

			new_column(r, b, t, n);
			if (n->not_null && !n->dflt)
				n->dflt = 1;
			t->ncols++;
			if (chance(r, 20))
				add_generated(r, b, t);
		}
		break;
	case 4: /* drop a column (judged by A's definition) */
		if (c) {
			const gtable *at = find_table(a, t->schema, t->name);
			const gcol *ac = find_col(at, c->name);

			if (!ac || droppable(a, at, ac))
				remove_col(t, (int)(c - t->cols));
		}
		break;
	case 5: /* change a type */
	case 6:
		if (c && !c->gen && c->type != T_BOOL && c->type != T_ENUM) {
			static const int to[] = {
				T_SMALLINT, T_INT,  T_BIGINT,
				T_NUMERIC,  T_TEXT, T_VARCHAR
			};

			c->type = to[pick(r, 6)];
			c->vlen = 20 + 10 * pick(r, 3);
		} else if (t && chance(r, 40) && b->pg) {
			t->cols[0].type =
			    t->cols[0].type == T_INT ? T_BIGINT : T_INT;
		}
		break;
	case 7: /* NOT NULL */
		if (c)
			c->not_null = !c->not_null;
		break;
	case 8: /* default */
		if (c && !c->gen)
			c->dflt = (c->dflt + 1 + pick(r, 2)) % 3;
		break;
	case 9: /* check */
		if (c) {
			c->check = (c->check + 1 + pick(r, 2)) % 3;
			if (c->check && !c->check_name[0])
				fresh(b, c->check_name, 'k');
		} else if (t) {
			t->tcheck = (t->tcheck + 1) % 3;
		}
		break;
	case 10: /* index */
		if (t && t->nidx && chance(r, 40)) {
			t->nidx--;
		} else if (t && t->nidx && chance(r, 50)) {
			gidx *ix = &t->idx[pick(r, t->nidx)];

			ix->unique = !ix->unique;
			ix->partial = (ix->partial + 1) % 4;
			if (b->pg && chance(r, 40))
				snprintf(ix->comment, NAMELEN, "ix %d",
					 pick(r, 4));
		} else if (t && t->nidx < MAXI && t->ncols > 1) {
			new_index(r, b, t, &t->idx[t->nidx++]);
		}
		break;
	case 11: /* unique constraint, and a foreign key onto it */
		if (c && c->uniq[0]) {
			c->uniq[0] = '\0';
		} else if (c) {
			gtable *o = random_table(r, b);
			gcol *f = random_col(r, o);

			fresh(b, c->uniq, 'u');
			if (f && !f->gen && is_int(f->type) &&
			    is_int(c->type) && chance(r, 60)) {
				strcpy(f->fk_schema, t->schema);
				strcpy(f->fk_table, t->name);
				strcpy(f->fk_col, c->name);
				fresh(b, f->fk_name, 'f');
			}
		} else if (t && t->tuniq[0]) {
			t->tuniq[0] = '\0';
		}
		break;
	case 12: /* foreign key */
		if (c && c->fk_table[0] && chance(r, 50))
			c->fk_table[0] = '\0';
		else if (c && c->fk_table[0])
			c->fk_del = (c->fk_del + 1) % 4;
		else if (t && t->ncols > 1)
			add_fk(r, b, t);
		break;
	case 13: /* views */
		if (b->nviews && chance(r, 35)) {
			b->nviews--;
		} else if (b->nviews && chance(r, 50)) {
			gview *v = &b->views[pick(r, b->nviews)];

			v->where = (v->where + 1) % 3;
			if (b->pg && chance(r, 50))
				snprintf(v->comment, NAMELEN, "view %d",
					 pick(r, 4));
			if (b->pg && chance(r, 30))
				snprintf(v->id_comment, NAMELEN, "key %d",
					 pick(r, 4));
		} else if (b->nviews < MAXV) {
			new_view(r, b, &b->views[b->nviews++]);
		}
		break;
	case 14: /* comments */
		if (t && b->pg)
			snprintf(t->comment, NAMELEN, "table %d", pick(r, 4));
		if (t && b->pg && chance(r, 30))
			t->comment[0] = '\0';
		if (c && b->pg)
			snprintf(c->comment, NAMELEN, "note %d", pick(r, 4));
		if (c && b->pg && chance(r, 30))
			c->comment[0] = '\0';
		break;
	case 15: /* generated columns */
		if (c && c->gen && chance(r, 40))
			c->mul = c->mul == 2 ? 3 : 2;
		else if (c && c->gen && chance(r, 50))
			remove_col(t, (int)(c - t->cols));
		else if (t && t->ncols > 1)
			add_generated(r, b, t);
		break;
	case 16: /* enums */
		if (b->pg && b->nenums) {
			genum *e = &b->enums[pick(r, b->nenums)];
			int k = pick(r, e->nlabels);
			char tmp[NAMELEN];

			if (chance(r, 40) && e->nlabels < MAXL) {
				memmove(e->labels[k + 1], e->labels[k],
					(size_t)(e->nlabels - k) * NAMELEN);
				snprintf(e->labels[k], NAMELEN, "x%d",
					 ++b->counter);
				e->nlabels++;
			} else if (chance(r, 50) && e->labels[k][0] == 'x') {
				memmove(e->labels[k], e->labels[k + 1],
					(size_t)(e->nlabels - k - 1) * NAMELEN);
				e->nlabels--;
			} else {
				int j = pick(r, e->nlabels);

				memcpy(tmp, e->labels[k], NAMELEN);
				memcpy(e->labels[k], e->labels[j], NAMELEN);
				memcpy(e->labels[j], tmp, NAMELEN);
			}
		} else if (b->pg && b->nenums < MAXE) {
			new_enum(r, b, &b->enums[b->nenums++]);
		}
		break;
	case 17: /* identity / AUTOINCREMENT */
		if (t && b->pg) {
			gcol *id = &t->cols[0];

			if (!id->ident || chance(r, 30))
				id->ident = !id->ident	       ? 'd'
					    : chance(r, 50)    ? 0
					    : id->ident == 'a' ? 'd'
							       : 'a';
			if (id->ident)
				random_options(r, &id->id_start, &id->id_inc,
					       &id->id_max, &id->id_cache,
					       &id->id_cycle);
		} else if (t) {
			t->autoinc = !t->autoinc;
		}
		break;
	case 18: /* sequences */
		if (b->pg && b->nseqs && chance(r, 60)) {
			gseq *q = &b->seqs[pick(r, b->nseqs)];

			random_options(r, &q->start, &q->inc, &q->max,
				       &q->cache, &q->cycle);
			if (chance(r, 30))
				q->type = q->type == T_INT ? T_BIGINT : T_INT;
			if (chance(r, 30))
				q->owner_table[0] = '\0';
		} else if (b->pg && b->nseqs && chance(r, 40)) {
			b->nseqs--;
		} else if (b->pg && b->nseqs < MAXQ) {
			new_seq(r, b, &b->seqs[b->nseqs++]);
		}
		break;
	default: /* materialized view indexes */
		if (b->nviews) {
			gview *v = &b->views[pick(r, b->nviews)];

			if (!v->mat)
				break;
			if (v->nidx && chance(r, 50)) {
				v->nidx--;
			} else if (v->nidx < 2) {
				gidx *ix = &v->idx[v->nidx++];

				memset(ix, 0, sizeof(*ix));
				fresh(b, ix->name, 'm');
				ix->ncols = 1;
				strcpy(ix->cols[0], v->nsel > 1 && chance(r, 50)
							? v->sel[1]
							: "id");
				ix->unique = !strcmp(ix->cols[0], "id");
				if (chance(r, 40))
					snprintf(ix->comment, NAMELEN, "mx %d",
						 pick(r, 4));
			}
		}
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Keeping a schema valid (and its rows a fit for both sides) */

static int view_has(const gspec *s, const char *src, const char *col);

/* Does the view's source (table or earlier view) have the column? */
static int source_has(const gspec *s, const gview *v, const char *col)
{
	const gtable *t = find_table(s, v->src_schema, v->src);

	if (t)
		return find_col(t, col) != NULL;
	return view_has(s, v->src, col);
}

static int view_has(const gspec *s, const char *name, const char *col)
{
	int i, k;

	for (i = 0; i < s->nviews; i++) {
		if (strcmp(s->views[i].name, name))
			continue;
		for (k = 0; k < s->views[i].nsel; k++)
			if (!strcmp(s->views[i].sel[k], col))
				return 1;
	}
	return 0;
}

/* A column that A has too (by name, in the same table). */
static const gcol *in_a(const gspec *a, const gtable *t, const gcol *c)
{
	const gtable *u = find_table(a, t->schema, t->name);

	return u ? find_col(u, c->name) : NULL;
}

/* May a unique key or a foreign key cover c? Its values in A's rows must
 * be distinct (not one default for every row, not booleans). */
static int keyable(const gspec *a, const gtable *t, const gcol *c)
{
	const gcol *old;

	if (!c || c->type == T_BOOL || c->gen)
		return 0;
	if (!a)
		return 1;
	old = in_a(a, t, c);
	if (!find_table(a, t->schema, t->name))
		return 1; /* a new table: no rows */
	return old || !c->dflt;
}

/* Is c's foreign key valid in s, and do A's rows fit it? */
static int fk_ok(const gspec *s, const gspec *a, const gtable *t, const gcol *c)
{
	const gtable *p = find_table(s, c->fk_schema, c->fk_table);
	const gcol *pc = find_col(p, c->fk_col);

	if (!p || !pc || !is_int(c->type) || !keyable(a, t, c))
		return 0;
	if (strcmp(pc->name, "id") &&
	    (!pc->uniq[0] || !is_int(pc->type) || pc->gen))
		return 0;
	if (!a || !find_table(a, t->schema, t->name))
		return 1; /* no rows */
	/* A's rows reference ids 1..3: the referenced column must hold
	 * them, unless the referencing one is new and NULL */
	if (!in_a(a, t, c))
		return !c->dflt;
	return find_table(a, p->schema, p->name) && in_a(a, p, pc);
}

static void repair(gspec *s, const gspec *a)
{
	int i, k, again = 1;

	for (i = 0; i < s->ntables; i++) {
		gtable *t = &s->tables[i];

		for (k = 1; k < t->ncols; k++) {
			gcol *c = &t->cols[k];

			if (c->gen) {
				const gcol *base = find_col(t, c->base);

				if (!base || base->gen ||
				    !(is_num(base->type) ||
				      is_text(base->type))) {
					remove_col(t, k--);
					continue;
				}
				c->type =
				    is_num(base->type) ? base->type : T_TEXT;
				/* NULL when its base is */
				c->not_null &= base->not_null;
				c->dflt = 0;
				c->fk_table[0] = '\0';
				c->uniq[0] = '\0';
				c->check = 0;
				c->ident = 0;
			}
			if (c->type == T_ENUM && !find_enum(s, c->en))
				c->type = T_TEXT;
			if (c->dflt == 3 && (!s->pg || !is_int(c->type) ||
					     !find_seq(s, c->seq)))
				c->dflt = 1;
			if (c->dflt == 4 && (s->pg || !is_num(c->type)))
				c->dflt = 1;
			if (c->type == T_BOOL)
				c->check = 0;
			if (c->uniq[0] && !keyable(a, t, c))
				c->uniq[0] = '\0';
			/* added to A's rows: NOT NULL needs a default */
			if (a && find_table(a, t->schema, t->name) &&
			    !in_a(a, t, c) && c->not_null && !c->dflt &&
			    !c->gen)
				c->dflt = 1;
		}
		if (t->cols[0].ident && t->cols[0].id_max &&
		    t->cols[0].type == T_SMALLINT)
			t->cols[0].id_max = 0;
		if (t->cols[0].ident) {
			t->cols[0].dflt = 0;
			if (t->cols[0].id_start && t->cols[0].id_max &&
			    t->cols[0].id_start > t->cols[0].id_max)
				t->cols[0].id_start = 0;
		}
		for (k = 0; k < t->nidx; k++) {
			gidx *ix = &t->idx[k];
			const gcol *c0 = find_col(t, ix->cols[0]);
			const gcol *c1 =
			    ix->ncols > 1 ? find_col(t, ix->cols[1]) : NULL;

			if (!c0 || (ix->ncols > 1 && !c1)) {
				memmove(ix, ix + 1,
					(size_t)(t->nidx - k - 1) *
					    sizeof(*ix));
				t->nidx--;
				k--;
				continue;
			}
			if (ix->expr &&
			    !(is_num(c0->type) || is_text(c0->type)))
				ix->expr = 0;
			if (ix->unique && (!keyable(a, t, c0) ||
					   (c1 && strcmp(c1->name, "id") &&
					    !keyable(a, t, c1))))
				ix->unique = 0;
		}
		if (t->tuniq[0] &&
		    (!keyable(a, t, find_col(t, t->tuniq_cols[0])) ||
		     !keyable(a, t, find_col(t, t->tuniq_cols[1]))))
			t->tuniq[0] = '\0';
	}
	/* foreign keys, once the keys they reference are settled */
	for (i = 0; i < s->ntables; i++) {
		gtable *t = &s->tables[i];

		for (k = 1; k < t->ncols; k++)
			if (t->cols[k].fk_table[0] &&
			    !fk_ok(s, a, t, &t->cols[k]))
				t->cols[k].fk_table[0] = '\0';
	}
	for (i = 0; i < s->nseqs; i++) {
		gseq *q = &s->seqs[i];
		const gtable *t = find_table(s, "", q->owner_table);
		const gcol *c = find_col(t, q->owner_col);

		if (q->owner_table[0] && (!c || c->gen))
			q->owner_table[0] = '\0';
		if (q->start && q->max && q->start > q->max)
			q->start = 0;
	}
	/* views: drop those whose source or columns went, until stable */
	while (again) {
		again = 0;
		for (i = 0; i < s->nviews; i++) {
			gview *v = &s->views[i];
			int ok =
			    find_table(s, v->src_schema, v->src) ||
			    (find_view(s, v->src) && find_view(s, v->src) < v);

			for (k = 1; ok && k < v->nsel; k++)
				if (!source_has(s, v, v->sel[k])) {
					memmove(v->sel[k], v->sel[k + 1],
						(size_t)(v->nsel - k - 1) *
						    NAMELEN);
					v->nsel--;
					k--;
				}
			for (k = 0; ok && k < v->nidx; k++)
				if (!view_has(s, v->name, v->idx[k].cols[0])) {
					v->idx[k] = v->idx[v->nidx - 1];
					v->nidx--;
					k--;
				}
			if (!ok) {
				memmove(v, v + 1,
					(size_t)(s->nviews - i - 1) *
					    sizeof(*v));
				s->nviews--;
				again = 1;
				break;
			}
		}
	}
	/* enums in use stay (v1..v3 are never dropped, so rows fit) */
}

/* ------------------------------------------------------------------ */
/* Writing a schema as SQL */

typedef struct out {
	char *p;
	size_t n, cap;
} out;

static void put(out *o, const char *f, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, f);
		n = vsnprintf(o->p ? o->p + o->n : NULL,
			      o->p ? o->cap - o->n : 0, f, ap);
		va_end(ap);
		if (o->p && o->n + (size_t)n < o->cap)
			break;
		o->cap = (o->cap + (size_t)n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		cr_assert_not_null(o->p);
	}
	o->n += (size_t)n;
}

static void qual(out *o, const char *schema, const char *name)
{
	if (schema && schema[0])
		put(o, "%s.", schema);
	put(o, "%s", name);
}

static void type_name(out *o, const gspec *s, const gcol *c)
{
	static const char *const pg[] = { "smallint", "integer", "bigint",
					  "numeric",  "text",	 "varchar",
					  "boolean" };
	static const char *const lite[] = { "SMALLINT", "INTEGER", "BIGINT",
					    "NUMERIC",	"TEXT",	   "VARCHAR",
					    "BOOLEAN" };

	if (c->type == T_ENUM) {
		const genum *e = find_enum(s, c->en);

		qual(o, e ? e->schema : "", c->en);
		return;
	}
	put(o, "%s", (s->pg ? pg : lite)[c->type]);
	if (c->type == T_VARCHAR)
		put(o, "(%d)", c->vlen);
}

/* A value of c's type for row i, or its default (which 1 or 2). */
static void value(out *o, const gspec *s, const gcol *c, int which)
{
	if (is_num(c->type))
		put(o, "%d", which);
	else if (is_text(c->type))
		put(o, "'%d'", which);
	else if (c->type == T_BOOL && s->pg)
		put(o, "%s", which % 2 ? "true" : "false");
	else if (c->type == T_BOOL)
		put(o, "%d", which % 2);
	else
		put(o, "'v%d'", which);
}

static void default_value(out *o, const gspec *s, const gcol *c)
{
	if (c->dflt == 3)
		put(o, "nextval('%s')", c->seq);
	else if (c->dflt == 4)
		put(o, "(1 + 1)");
	else if (is_text(c->type))
		put(o, "%s", c->dflt == 2 ? "'x'" : "'0'");
	else if (c->type == T_ENUM)
		value(o, s, c, c->dflt == 2 ? 2 : 1);
	else
		value(o, s, c, c->dflt == 2 ? 2 : 0);
}

/* The enum label a check keeps out: one that is no row's value. */
static const char *outsider(const gspec *s, const gcol *c)
{
	const genum *e = find_enum(s, c->en);
	int i;

	for (i = 0; e && i < e->nlabels; i++)
		if (e->labels[i][0] == 'x')
			return e->labels[i];
	return NULL;
}

static void check_expr(out *o, const gspec *s, const gcol *c)
{
	if (is_num(c->type))
		put(o, "(%s >= 0)", c->name);
	else if (is_text(c->type))
		put(o, "(%s <> '')", c->name);
	else if (outsider(s, c))
		put(o, "(%s <> '%s')", c->name, outsider(s, c));
	else
		put(o, "(%s IS NOT NULL OR id > 0)", c->name);
}

static void gen_expr(out *o, const gtable *t, const gcol *c)
{
	const gcol *base = find_col(t, c->base);

	if (base && is_num(base->type))
		put(o, "(%s * %d)", c->base, c->mul);
	else
		put(o, "(%s || '%d')", c->base, c->mul);
}

static const char *fk_action(int a)
{
	static const char *const v[] = { "NO ACTION", "CASCADE", "SET NULL",
					 "RESTRICT" };

	return v[a % 4];
}

static void identity(out *o, const gcol *c)
{
	int n = 0;

	put(o, " GENERATED %s AS IDENTITY",
	    c->ident == 'a' ? "ALWAYS" : "BY DEFAULT");
#define OPT(cond, ...)                            \
	do {                                      \
		if (cond) {                       \
			put(o, n++ ? " " : " ("); \
			put(o, __VA_ARGS__);      \
		}                                 \
	} while (0)
	OPT(c->id_start, "START WITH %lld", c->id_start);
	OPT(c->id_inc > 1, "INCREMENT BY %lld", c->id_inc);
	OPT(c->id_max, "MAXVALUE %lld", c->id_max);
	OPT(c->id_cache > 1, "CACHE %d", c->id_cache);
	OPT(c->id_cycle, "CYCLE");
#undef OPT
	if (n)
		put(o, ")");
}

static void column_sql(out *o, const gspec *s, const gtable *t, const gcol *c)
{
	put(o, "%s ", c->name);
	type_name(o, s, c);
	if (c == &t->cols[0]) {
		if (!s->pg) {
			put(o, " PRIMARY KEY%s",
			    t->autoinc ? " AUTOINCREMENT" : "");
			return;
		}
		if (c->ident)
			identity(o, c);
		put(o, " NOT NULL");
		return;
	}
	if (c->gen) {
		put(o, s->pg ? " GENERATED ALWAYS AS " : " AS ");
		gen_expr(o, t, c);
		put(o, c->gen == 1 ? " STORED" : " VIRTUAL");
	}
	if (c->not_null)
		put(o, " NOT NULL");
	if (c->dflt) {
		put(o, " DEFAULT ");
		default_value(o, s, c);
	}
	if (!s->pg && c->check == 2) {
		put(o, " CHECK ");
		check_expr(o, s, c);
	}
	if (!s->pg && c->uniq[0] && c->check != 1)
		put(o, " UNIQUE");
	if (!s->pg && c->fk_table[0] && c->fk_del != 3) {
		put(o, " REFERENCES %s (%s) ON DELETE %s", c->fk_table,
		    c->fk_col, fk_action(c->fk_del));
		if (c->fk_upd)
			put(o, " ON UPDATE %s", fk_action(c->fk_upd));
	}
}

static void fk_sql(out *o, const gspec *s, const gcol *c)
{
	put(o, "CONSTRAINT %s FOREIGN KEY (%s) REFERENCES ", c->fk_name,
	    c->name);
	qual(o, s->pg ? c->fk_schema : "", c->fk_table);
	put(o, " (%s) ON DELETE %s", c->fk_col, fk_action(c->fk_del));
	if (c->fk_upd)
		put(o, " ON UPDATE %s", fk_action(c->fk_upd));
	if (c->fk_defer)
		put(o, " DEFERRABLE INITIALLY DEFERRED");
}

static void index_sql(out *o, const gspec *s, const char *schema,
		      const char *table, const gtable *t, const gidx *ix)
{
	const gcol *c0 = t ? find_col(t, ix->cols[0]) : NULL;

	put(o, "CREATE %sINDEX %s ON ", ix->unique ? "UNIQUE " : "", ix->name);
	qual(o, schema, table);
	if (ix->expr && c0 && is_num(c0->type))
		put(o, " ((%s + 1))", c0->name);
	else if (ix->expr)
		put(o, " (lower(%s))", ix->cols[0]);
	else if (ix->ncols > 1)
		put(o, " (%s, %s)", ix->cols[0], ix->cols[1]);
	else
		put(o, " (%s)", ix->cols[0]);
	if (ix->partial == 1)
		put(o, " WHERE %s IS NOT NULL", ix->cols[0]);
	else if (ix->partial == 2 && t)
		put(o, " WHERE id > 1");
	else if (ix->partial == 3 && c0) {
		put(o, " WHERE %s = ", c0->name);
		value(o, s, c0, 2);
	}
	put(o, ";\n");
	if (s->pg && ix->comment[0]) {
		put(o, "COMMENT ON INDEX ");
		qual(o, schema, ix->name);
		put(o, " IS '%s';\n", ix->comment);
	}
}

static void table_sql(out *o, const gspec *s, const gtable *t)
{
	int k;

	put(o, "CREATE TABLE ");
	qual(o, t->schema, t->name);
	put(o, " (\n    ");
	for (k = 0; k < t->ncols; k++) {
		if (k)
			put(o, ",\n    ");
		column_sql(o, s, t, &t->cols[k]);
	}
	if (s->pg)
		put(o, ",\n    CONSTRAINT %s_pkey PRIMARY KEY (id)", t->name);
	for (k = 1; k < t->ncols; k++) {
		const gcol *c = &t->cols[k];

		if (c->check == 1 || (s->pg && c->check == 2)) {
			put(o, ",\n    ");
			if (c->check == 1)
				put(o, "CONSTRAINT %s ", c->check_name);
			put(o, "CHECK ");
			check_expr(o, s, c);
		}
		if (c->uniq[0] && (s->pg || c->check == 1))
			put(o, ",\n    CONSTRAINT %s UNIQUE (%s)", c->uniq,
			    c->name);
		if (!s->pg && c->fk_table[0] && c->fk_del == 3) {
			put(o, ",\n    ");
			fk_sql(o, s, c);
		}
	}
	if (t->tuniq[0])
		put(o, ",\n    CONSTRAINT %s UNIQUE (%s, %s)", t->tuniq,
		    t->tuniq_cols[0], t->tuniq_cols[1]);
	if (t->tcheck == 1)
		put(o, ",\n    CONSTRAINT %s_id_check CHECK (id > 0)", t->name);
	else if (t->tcheck == 2)
		put(o, ",\n    CHECK (id < 1000000)");
	put(o, "\n);\n");
	for (k = 0; k < t->nidx; k++)
		index_sql(o, s, t->schema, t->name, t, &t->idx[k]);
	if (!s->pg)
		return;
	if (t->comment[0]) {
		put(o, "COMMENT ON TABLE ");
		qual(o, t->schema, t->name);
		put(o, " IS '%s';\n", t->comment);
	}
	for (k = 0; k < t->ncols; k++)
		if (t->cols[k].comment[0]) {
			put(o, "COMMENT ON COLUMN ");
			qual(o, t->schema, t->name);
			put(o, ".%s IS '%s';\n", t->cols[k].name,
			    t->cols[k].comment);
		}
}

static void seq_sql(out *o, const gseq *q)
{
	put(o, "CREATE SEQUENCE %s AS %s", q->name,
	    q->type == T_INT ? "integer" : "bigint");
	if (q->start)
		put(o, " START WITH %lld", q->start);
	if (q->inc > 1)
		put(o, " INCREMENT BY %lld", q->inc);
	if (q->max)
		put(o, " MAXVALUE %lld", q->max);
	if (q->cache > 1)
		put(o, " CACHE %d", q->cache);
	if (q->cycle)
		put(o, " CYCLE");
	put(o, ";\n");
}

static void view_sql(out *o, const gspec *s, const gview *v)
{
	int k;

	put(o, "CREATE %sVIEW %s AS SELECT ", v->mat ? "MATERIALIZED " : "",
	    v->name);
	for (k = 0; k < v->nsel; k++)
		put(o, "%s%s", k ? ", " : "", v->sel[k]);
	put(o, " FROM ");
	qual(o, v->src_schema, v->src);
	if (v->where == 1)
		put(o, " WHERE id > 0");
	else if (v->where == 2)
		put(o, " WHERE id > 1");
	put(o, ";\n");
	if (!s->pg)
		return;
	if (v->comment[0])
		put(o, "COMMENT ON %sVIEW %s IS '%s';\n",
		    v->mat ? "MATERIALIZED " : "", v->name, v->comment);
	if (v->id_comment[0])
		put(o, "COMMENT ON COLUMN %s.id IS '%s';\n", v->name,
		    v->id_comment);
	for (k = 0; k < v->nidx; k++)
		index_sql(o, s, "", v->name, NULL, &v->idx[k]);
}

/* The schema's DDL; `rows` (A only) between the tables and what must
 * come after the rows (PostgreSQL foreign keys: tables may reference
 * each other). */
static char *schema_sql(const gspec *s, const char *rows)
{
	out o = { 0 };
	int i, k, s1 = 0;

	put(&o, "%s", "");
	for (i = 0; i < s->ntables; i++)
		s1 |= s->tables[i].schema[0] != 0;
	for (i = 0; i < s->nenums; i++)
		s1 |= s->enums[i].schema[0] != 0;
	if (s->pg && s1)
		put(&o, "CREATE SCHEMA s1;\n");
	for (i = 0; i < s->nenums; i++) {
		const genum *e = &s->enums[i];

		put(&o, "CREATE TYPE ");
		qual(&o, e->schema, e->name);
		put(&o, " AS ENUM (");
		for (k = 0; k < e->nlabels; k++)
			put(&o, "%s'%s'", k ? ", " : "", e->labels[k]);
		put(&o, ");\n");
	}
	for (i = 0; i < s->nseqs; i++)
		seq_sql(&o, &s->seqs[i]);
	for (i = 0; i < s->ntables; i++)
		table_sql(&o, s, &s->tables[i]);
	if (rows)
		put(&o, "%s", rows);
	for (i = 0; s->pg && i < s->ntables; i++) {
		const gtable *t = &s->tables[i];

		for (k = 1; k < t->ncols; k++)
			if (t->cols[k].fk_table[0]) {
				put(&o, "ALTER TABLE ");
				qual(&o, t->schema, t->name);
				put(&o, " ADD ");
				fk_sql(&o, s, &t->cols[k]);
				put(&o, ";\n");
			}
	}
	for (i = 0; i < s->nseqs; i++)
		if (s->seqs[i].owner_table[0])
			put(&o, "ALTER SEQUENCE %s OWNED BY %s.%s;\n",
			    s->seqs[i].name, s->seqs[i].owner_table,
			    s->seqs[i].owner_col);
	for (i = 0; i < s->nviews; i++)
		view_sql(&o, s, &s->views[i]);
	return o.p;
}

/* Three rows a table (ids 1..3; every value derived from the id, so
 * unique keys hold and foreign keys find their row); SQLite
 * AUTOINCREMENT tables get a fourth, deleted, so that sqlite_sequence is
 * past the largest id. */
static char *rows_sql(const gspec *s)
{
	out o = { 0 };
	int i, k, row;

	put(&o, "%s", "");
	for (i = 0; i < s->ntables; i++) {
		const gtable *t = &s->tables[i];
		int n = t->autoinc ? 4 : 3;

		for (row = 1; row <= n; row++) {
			int m = 0;

			put(&o, "INSERT INTO ");
			qual(&o, t->schema, t->name);
			put(&o, " (");
			for (k = 0; k < t->ncols; k++)
				if (!t->cols[k].gen)
					put(&o, "%s%s", m++ ? ", " : "",
					    t->cols[k].name);
			put(&o, ")%s VALUES (",
			    s->pg ? " OVERRIDING SYSTEM VALUE" : "");
			for (k = m = 0; k < t->ncols; k++)
				if (!t->cols[k].gen) {
					put(&o, m++ ? ", " : "");
					if (k == 0)
						put(&o, "%d", row);
					else
						value(&o, s, &t->cols[k], row);
				}
			put(&o, ");\n");
		}
		if (n == 4) {
			put(&o, "DELETE FROM %s WHERE id = 4;\n", t->name);
		}
	}
	return o.p;
}

/* ------------------------------------------------------------------ */
/* Databases */

typedef struct db {
	const rt_driver *drv;
	rt_conn *conn;
	char name[64]; /* PostgreSQL: created for the run */
} db;

static int open_url(db *d, const char *text, rt_err *err)
{
	rt_open_opts o;
	rt_url url;
	int missing = 0, rc;

	if ((rc = rt_url_parse(&url, text, err)) < 0)
		return rc;
	d->drv = rt_driver_for(url.dialect);
	memset(&o, 0, sizeof(o));
	o.lock_timeout_ms = 5000;
	o.display = "test";
	rc = d->drv->open(&d->conn, &url, &o, &missing, err);
	rt_url_dispose(&url);
	return rc;
}

static char *with_database(const char *url, const char *name)
{
	const char *q = strchr(url, '?'), *slash;
	size_t n = q ? (size_t)(q - url) : strlen(url);
	out o = { 0 };

	for (slash = url + n; slash > url && *(slash - 1) != '/'; slash--)
		;
	put(&o, "%.*s%s%s", (int)(slash - url), url, name, q ? q : "");
	return o.p;
}

static void pg_admin(const char *sql)
{
	rt_err err = RT_ERR_INIT;
	db a;

	memset(&a, 0, sizeof(a));
	cr_assert_eq(open_url(&a, getenv("RETORT_TEST_PG_URL"), &err), 0, "%s",
		     rt_err_msg(&err));
	cr_assert_eq(a.drv->exec(a.conn, sql, strlen(sql), NULL, &err), 0,
		     "%s: %s", sql, rt_err_msg(&err));
	a.drv->close(a.conn);
	rt_err_dispose(&err);
}

static void db_create(db *d, int pg, const char *side)
{
	rt_err err = RT_ERR_INIT;

	memset(d, 0, sizeof(*d));
	if (pg) {
		char sql[256], *url;

		snprintf(d->name, sizeof(d->name), "rt_%d_random_%s",
			 (int)getpid(), side);
		snprintf(sql, sizeof(sql),
			 "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s",
			 d->name, d->name);
		pg_admin(sql);
		url = with_database(getenv("RETORT_TEST_PG_URL"), d->name);
		cr_assert_eq(open_url(d, url, &err), 0, "%s", rt_err_msg(&err));
		free(url);
	} else {
		cr_assert_eq(open_url(d, "sqlite:///:memory:", &err), 0, "%s",
			     rt_err_msg(&err));
	}
	rt_err_dispose(&err);
}

static void db_drop(db *d)
{
	char sql[128];

	d->drv->close(d->conn);
	if (!d->name[0])
		return;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", d->name);
	pg_admin(sql);
}

/* Run SQL; 0, or -1 with the message in *msg (malloc'd). */
static int exec_sql(db *d, const char *sql, int transactional, char **msg)
{
	rt_err err = RT_ERR_INIT;
	int rc = 0;

	if (transactional && (rc = d->drv->begin(d->conn, &err)) < 0)
		goto done;
	if ((rc = d->drv->exec(d->conn, sql, strlen(sql), NULL, &err)) < 0) {
		if (transactional) {
			rt_err e2 = RT_ERR_INIT;

			d->drv->rollback(d->conn, &e2);
			rt_err_dispose(&e2);
		}
		goto done;
	}
	if (transactional)
		rc = d->drv->commit(d->conn, &err);
done:
	if (rc < 0)
		*msg = strdup(rt_err_msg(&err));
	rt_err_dispose(&err);
	return rc < 0 ? -1 : 0;
}

/* Back to an empty database. */
static void db_reset(db *d, int pg)
{
	char *msg = NULL;
	const char *sql = pg ? "DROP SCHEMA IF EXISTS s1 CASCADE; DROP SCHEMA "
			       "public CASCADE; "
			       "CREATE SCHEMA public"
			     : NULL;

	if (!pg) {
		d->drv->close(d->conn);
		cr_assert_eq(open_url(d, "sqlite:///:memory:", &(rt_err){ 0 }),
			     0);
		return;
	}
	cr_assert_eq(exec_sql(d, sql, 0, &msg), 0, "reset: %s", msg);
}

static rt_schema *introspect(db *d, char **msg)
{
	rt_introspect_opts o = { "retort_version", "retort_log", NULL, NULL,
				 NULL };
	rt_err err = RT_ERR_INIT;
	rt_schema *s = NULL;

	if (rt_schema_introspect(&s, d->drv, d->conn, &o, &err) < 0)
		*msg = strdup(rt_err_msg(&err));
	rt_err_dispose(&err);
	return s;
}

/* The differences between two models, one a line ("" when none). */
static char *differences(const rt_schema *got, const rt_schema *want)
{
	rt_err err = RT_ERR_INIT;
	rt_diff *d = NULL;
	rt_str s = RT_STR_INIT;

	if (rt_schema_diff(&d, got, want, &err) < 0)
		return strdup(rt_err_msg(&err));
	if (rt_diff_count(d))
		rt_diff_describe(d, &s, &err);
	rt_diff_free(d);
	rt_err_dispose(&err);
	return s.ptr ? rt_str_detach(&s) : strdup("");
}

/* ------------------------------------------------------------------ */
/* Rows */

static const rt_table *model_table(const rt_schema *s, const rt_table *t)
{
	size_t i;

	for (i = 0; i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, t->name) &&
		    ((!s->tables[i].schema && !t->schema) ||
		     (s->tables[i].schema && t->schema &&
		      !strcmp(s->tables[i].schema, t->schema))))
			return &s->tables[i];
	return NULL;
}

static const rt_column *model_col(const rt_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && i < t->ncolumns; i++)
		if (!strcmp(t->columns[i].name, name))
			return &t->columns[i];
	return NULL;
}

static int autoinc(const rt_table *t)
{
	size_t i;

	for (i = 0; t && i < t->ncolumns; i++)
		if (t->columns[i].identity == 'i')
			return 1;
	return 0;
}

/*
 * The rows of the columns a and b share (same_type: only those whose
 * type and generation are the same on both sides), as text, and the
 * sqlite_sequence values of tables AUTOINCREMENT on both sides.
 */
static char *snapshot(db *d, const rt_schema *a, const rt_schema *b,
		      int same_type)
{
	out o = { 0 };
	size_t i, k, r;

	put(&o, "%s", "");
	for (i = 0; i < a->ntables; i++) {
		const rt_table *t = &a->tables[i], *u = model_table(b, t);
		out q = { 0 };
		rt_err err = RT_ERR_INIT;
		rt_rows rows;
		int n = 0;

		if (!u)
			continue;
		put(&q, "SELECT ");
		for (k = 0; k < t->ncolumns; k++) {
			const rt_column *c = &t->columns[k];
			const rt_column *e = model_col(u, c->name);

			if (!e || (c->generated || e->generated
				       ? !c->generated || !e->generated ||
					     strcmp(c->generated, e->generated)
				       : 0))
				continue;
			if (same_type &&
			    (strcmp(c->type, e->type) ||
			     (c->generated != NULL) != (e->generated != NULL)))
				continue;
			put(&q, "%s\"%s\"", n++ ? ", " : "", c->name);
		}
		if (!n) {
			free(q.p);
			continue;
		}
		put(&q, " FROM ");
		if (t->schema)
			put(&q, "\"%s\".", t->schema);
		put(&q, "\"%s\" ORDER BY ", t->name);
		for (k = 1; k <= (size_t)n; k++)
			put(&q, "%s%zu", k > 1 ? ", " : "", k);
		if (d->drv->query(d->conn, q.p, &rows, &err) < 0) {
			put(&o, "%s: %s\n", q.p, rt_err_msg(&err));
		} else {
			put(&o, "%s:\n", t->name);
			for (r = 0; r < rows.nrows; r++) {
				for (k = 0; k < rows.ncols; k++) {
					const char *v = rt_rows_at(&rows, r, k);

					put(&o, "%s%s", k ? "|" : "",
					    v ? v : "\\N");
				}
				put(&o, "\n");
			}
			rt_rows_free(&rows);
		}
		free(q.p);
		if (autoinc(t) && autoinc(u) &&
		    d->drv->query(d->conn,
				  "SELECT name, seq FROM sqlite_sequence "
				  "ORDER BY name",
				  &rows, &err) == 0) {
			for (r = 0; r < rows.nrows; r++)
				if (!strcmp(rt_rows_at(&rows, r, 0), t->name))
					put(&o, "sqlite_sequence %s\n",
					    rt_rows_at(&rows, r, 1));
			rt_rows_free(&rows);
		}
		rt_err_dispose(&err);
	}
	return o.p;
}

/* ------------------------------------------------------------------ */
/* One pair */

typedef struct run {
	int pg;
	db da, dbb;
	int pairs, passed, unchanged, failed;
	unsigned long long first_failure;
	out report; /* the first failures in full */
	int reported;
} run;

static void failure(run *rn, unsigned long long seed, const char *a_sql,
		    const char *b_sql, const char *up, const char *down,
		    const char *f, ...)
{
	va_list ap;
	char msg[4096];

	va_start(ap, f);
	vsnprintf(msg, sizeof(msg), f, ap);
	va_end(ap);
	if (!rn->failed++)
		rn->first_failure = seed;
	fprintf(stderr, "random/%s: seed %llu failed: %.300s\n",
		rn->pg ? "postgresql" : "sqlite", seed, msg);
	if (rn->reported++ >= 3)
		return;
	put(&rn->report,
	    "\n==== seed %llu (replay: RETORT_RANDOM_SEED=%llu "
	    "RETORT_RANDOM_PAIRS=1) ====\n%s\n---- A ----\n%s---- B ----\n%s"
	    "---- upgrade ----\n%s---- downgrade ----\n%s",
	    seed, seed, msg, a_sql ? a_sql : "", b_sql ? b_sql : "",
	    up ? up : "", down ? down : "");
}

static void one_pair(run *rn, unsigned long long seed)
{
	rng r = { seed * 7919 + 17 };
	gspec a, b;
	char *rows, *a_sql, *a_full, *b_sql, *msg = NULL, *dd = NULL;
	char *before = NULL, *after = NULL, *before_all = NULL;
	rt_schema *ma = NULL, *mb = NULL, *m2 = NULL, *m3 = NULL, *md = NULL;
	rt_diff *diff = NULL;
	rt_str up = RT_STR_INIT, down = RT_STR_INIT, dump = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;
	int nontx = 0, n, i;

	make_schema(&r, &a, rn->pg);
	repair(&a, NULL);
	b = a;
	n = 1 + pick(&r, 5);
	for (i = 0; i < n; i++)
		mutate(&r, &b, &a);
	repair(&b, &a);
	rows = rows_sql(&a);
	a_sql = schema_sql(&a, NULL);
	a_full = schema_sql(&a, rows);
	b_sql = schema_sql(&b, NULL);
	rn->pairs++;
	db_reset(&rn->da, rn->pg);
	db_reset(&rn->dbb, rn->pg);
	if (exec_sql(&rn->da, a_full, 0, &msg) < 0) {
		failure(rn, seed, a_full, b_sql, NULL, NULL,
			"generator: A does not load: %s", msg);
		goto done;
	}
	if (exec_sql(&rn->dbb, b_sql, 0, &msg) < 0) {
		failure(rn, seed, a_full, b_sql, NULL, NULL,
			"generator: B does not load: %s", msg);
		goto done;
	}
	if (!(ma = introspect(&rn->da, &msg)) ||
	    !(mb = introspect(&rn->dbb, &msg))) {
		failure(rn, seed, a_full, b_sql, NULL, NULL, "introspect: %s",
			msg);
		goto done;
	}
	if (rt_schema_diff(&diff, ma, mb, &err) < 0 ||
	    rt_diff_render(diff, &up, &down, &nontx, &err) < 0) {
		failure(rn, seed, a_full, b_sql, NULL, NULL, "diff: %s",
			rt_err_msg(&err));
		goto done;
	}
	if (getenv("RETORT_RANDOM_VERBOSE"))
		fprintf(stderr,
			"==== seed %llu\n---- A ----\n%s---- B ----\n%s"
			"---- upgrade ----\n%s---- downgrade ----\n%s",
			seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down));
	if (!rt_diff_count(diff)) {
		rn->unchanged++;
		rn->passed++;
		goto done;
	}
	before = snapshot(&rn->da, ma, mb, 1);
	before_all = snapshot(&rn->da, ma, mb, 0);
	if (exec_sql(&rn->da, rt_str_cstr(&up), !(nontx & RT_NONTX_UPGRADE),
		     &msg) < 0) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down), "upgrade fails: %s", msg);
		goto done;
	}
	if (!(m2 = introspect(&rn->da, &msg))) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down), "introspect: %s", msg);
		goto done;
	}
	dd = differences(m2, mb);
	if (!*dd) {
		free(dd);
		dd = differences(mb, m2);
	}
	if (*dd) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down),
			"after the upgrade, check still finds:\n%s", dd);
		goto done;
	}
	after = snapshot(&rn->da, ma, mb, 1);
	if (strcmp(before, after)) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down),
			"rows changed by the upgrade:\n%s---- now ----\n%s",
			before, after);
		goto done;
	}
	free(after);
	after = NULL;
	if (exec_sql(&rn->da, rt_str_cstr(&down), !(nontx & RT_NONTX_DOWNGRADE),
		     &msg) < 0) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down), "downgrade fails: %s", msg);
		goto done;
	}
	if (!(m3 = introspect(&rn->da, &msg))) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down), "introspect: %s", msg);
		goto done;
	}
	free(dd);
	dd = differences(m3, ma);
	if (!*dd) {
		free(dd);
		dd = differences(ma, m3);
	}
	if (*dd) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down),
			"after the downgrade, A still differs:\n%s", dd);
		goto done;
	}
	/* the rows of every column A and B share, as at first */
	after = snapshot(&rn->da, ma, mb, 0);
	if (strcmp(before_all, after)) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&up),
			rt_str_cstr(&down),
			"rows changed by the round trip:\n%s---- now ----\n%s",
			before_all, after);
		goto done;
	}
	/* the dump of B loads back equal to B */
	if (rt_schema_dump(mb, &dump, &err) < 0) {
		failure(rn, seed, a_full, b_sql, NULL, NULL, "dump: %s",
			rt_err_msg(&err));
		goto done;
	}
	db_reset(&rn->dbb, rn->pg);
	if (rt_schema_load(rn->dbb.drv, rn->dbb.conn, "dump.sql",
			   rt_str_cstr(&dump), dump.len, &err) < 0) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&dump), NULL,
			"the dump of B does not load: %s", rt_err_msg(&err));
		goto done;
	}
	if (!(md = introspect(&rn->dbb, &msg))) {
		failure(rn, seed, a_full, b_sql, NULL, NULL, "introspect: %s",
			msg);
		goto done;
	}
	free(dd);
	dd = differences(md, mb);
	if (*dd) {
		failure(rn, seed, a_full, b_sql, rt_str_cstr(&dump), NULL,
			"the dump of B loads back different:\n%s", dd);
		goto done;
	}
	rn->passed++;
done:
	free(rows);
	free(a_sql);
	free(a_full);
	free(b_sql);
	free(msg);
	free(dd);
	free(before);
	free(after);
	free(before_all);
	rt_schema_free(ma);
	rt_schema_free(mb);
	rt_schema_free(m2);
	rt_schema_free(m3);
	rt_schema_free(md);
	rt_diff_free(diff);
	rt_str_dispose(&up);
	rt_str_dispose(&down);
	rt_str_dispose(&dump);
	rt_err_dispose(&err);
}

static unsigned long long env_num(const char *name, unsigned long long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 10) : dflt;
}

static void run_pairs(int pg)
{
	run rn;
	unsigned long long seed = env_num("RETORT_RANDOM_SEED", 1), k;
	unsigned long long n = env_num("RETORT_RANDOM_PAIRS", pg ? 200 : 500);
	const char *name = pg ? "postgresql" : "sqlite";

	memset(&rn, 0, sizeof(rn));
	rn.pg = pg;
	db_create(&rn.da, pg, "a");
	db_create(&rn.dbb, pg, "b");
	for (k = 0; k < n; k++)
		one_pair(&rn, seed + k);
	db_drop(&rn.da);
	db_drop(&rn.dbb);
	fprintf(stderr,
		"random/%s: %d of %d pairs passed (%d without differences), "
		"seeds %llu..%llu\n",
		name, rn.passed, rn.pairs, rn.unchanged, seed, seed + n - 1);
	if (rn.report.p)
		fprintf(stderr, "%s\n", rn.report.p);
	cr_expect_eq(rn.failed, 0,
		     "random/%s: %d of %d pairs failed; the first with seed "
		     "%llu (details above)",
		     name, rn.failed, rn.pairs, rn.first_failure);
	free(rn.report.p);
}

Test(random, sqlite, .timeout = 0)
{
	run_pairs(0);
}

Test(random, postgresql, .timeout = 0)
{
	if (!getenv("RETORT_TEST_PG_URL"))
		cr_skip_test("RETORT_TEST_PG_URL is not set");
	if (!rt_driver_for(RT_DIALECT_POSTGRESQL))
		cr_skip_test("built without PostgreSQL");
	run_pairs(1);
}
