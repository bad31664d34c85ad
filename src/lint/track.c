/* SPDX-License-Identifier: MIT */
/*
 * track.c: the tracked schema (track.h). A table is a number (its index
 * in `tabs`), so that a renamed table keeps its columns and checks: the
 * tables map goes from a name to that number (TOMB once dropped or
 * renamed away). Each table keeps its columns in a list of its own:
 * columns are set for every table of every revision and looked up
 * rarely (a type change, SET NOT NULL), so setting is a prepend, and no
 * table-wide hash map of every column is built and grown. Check keys
 * are "number\x1fname". A table used before it was seen created gets a
 * number with no creator. A name too long for the key buffer is not
 * tracked (lookups then find nothing, which reads as "not known").
 */
#include "lint/track.h"

#include <string.h>

#define KEY_MAX 160
#define TOMB	UINT32_MAX

void rt_track_init(rt_track *t, rt_arena *a)
{
	memset(t, 0, sizeof(*t));
	t->a = a;
}

void rt_track_dispose(rt_track *t)
{
	rt_map_free(&t->tables);
	rt_map_free(&t->checks);
	rt_map_free(&t->not_null_ok);
	RT_VEC_FREE(&t->tabs);
	RT_VEC_FREE(&t->check_cols);
}

/* Put key (copied into the arena) -> value. Keys are nearly always new
 * (a table as it is created): one copy and one probe, rather than a
 * lookup first; a replaced value keeps the stored key, and the copy is
 * left unused in the arena. */
static int put(rt_track *t, rt_map *m, const char *key, size_t n,
	       uint32_t value)
{
	const char *k = rt_arena_strndup(t->a, key, n);

	return k && rt_map_put(m, k, n, value) == 0 ? 0 : -1;
}

/* A new table number named `table`, created by rev (may be NULL). */
static int new_table(rt_track *t, const char *table, const char *rev,
		     uint32_t *id)
{
	rt_track_table tab = { rev, NULL };

	if (RT_VEC_PUSH(&t->tabs, tab) < 0)
		return -1;
	*id = (uint32_t)(t->tabs.n - 1);
	return put(t, &t->tables, table, strlen(table), *id);
}

/* The table's number; TOMB when unknown (or, with make, a new one). */
static int table_id(rt_track *t, const char *table, int make, uint32_t *id)
{
	if (rt_map_get(&t->tables, table, strlen(table), id) && *id != TOMB)
		return 0;
	*id = TOMB;
	return make ? new_table(t, table, NULL, id) : 0;
}

/* "number\x1fname" into key; 0 when it does not fit. Written by hand:
 * this runs for every column of every table of every revision. */
static size_t pair(char key[KEY_MAX], uint32_t id, const char *name)
{
	char digits[10];
	size_t nd = 0, nn = strlen(name), k;

	do {
		digits[nd++] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	if (nd + 1 + nn + 1 > KEY_MAX)
		return 0;
	for (k = 0; k < nd; k++)
		key[k] = digits[nd - 1 - k];
	key[nd] = '\x1f';
	memcpy(key + nd + 1, name, nn + 1);
	return nd + 1 + nn;
}

int rt_track_create_table(rt_track *t, const char *table, const char *rev)
{
	uint32_t id;

	return new_table(t, table, rev, &id);
}

int rt_track_drop_table(rt_track *t, const char *table)
{
	uint32_t id;

	if (!rt_map_get(&t->tables, table, strlen(table), &id))
		return 0;
	return put(t, &t->tables, table, strlen(table), TOMB);
}

int rt_track_rename_table(rt_track *t, const char *from, const char *to)
{
	uint32_t id;

	if (table_id(t, from, 1, &id) < 0 ||
	    put(t, &t->tables, to, strlen(to), id) < 0)
		return -1;
	return put(t, &t->tables, from, strlen(from), TOMB);
}

const char *rt_track_creator(const rt_track *t, const char *table)
{
	uint32_t id;

	if (!rt_map_get(&t->tables, table, strlen(table), &id) || id == TOMB)
		return NULL;
	return t->tabs.v[id].creator;
}

int rt_track_set_column(rt_track *t, const char *table, const char *col,
			const char *type)
{
	rt_track_col *c;
	uint32_t id;

	if (table_id(t, table, 1, &id) < 0 ||
	    (c = rt_arena_alloc(t->a, sizeof(*c))) == NULL ||
	    (c->name = rt_arena_strdup(t->a, col)) == NULL ||
	    (c->type = rt_arena_strdup(t->a, type)) == NULL)
		return -1;
	c->next = t->tabs.v[id].cols;
	t->tabs.v[id].cols = c;
	return 0;
}

const char *rt_track_column(const rt_track *t, const char *table,
			    const char *col)
{
	const rt_track_col *c;
	uint32_t id;

	if (!rt_map_get(&t->tables, table, strlen(table), &id) || id == TOMB)
		return NULL;
	for (c = t->tabs.v[id].cols; c; c = c->next)
		if (!strcmp(c->name, col))
			return c->type;
	return NULL;
}

int rt_track_check(rt_track *t, const char *table, const char *cname,
		   const char *col, int validated)
{
	char key[KEY_MAX];
	const char *copy;
	uint32_t id;
	size_t n;

	if (table_id(t, table, 1, &id) < 0)
		return -1;
	if (validated)
		return (n = pair(key, id, col)) != 0
			   ? put(t, &t->not_null_ok, key, n, 1)
			   : 0;
	if (!(n = pair(key, id, cname)))
		return 0;
	if ((copy = rt_arena_strdup(t->a, col)) == NULL ||
	    RT_VEC_PUSH(&t->check_cols, copy) < 0)
		return -1;
	return put(t, &t->checks, key, n, (uint32_t)(t->check_cols.n - 1));
}

int rt_track_validate(rt_track *t, const char *table, const char *cname)
{
	char key[KEY_MAX];
	uint32_t id, i;
	size_t n;

	if (table_id(t, table, 0, &id) < 0 || id == TOMB ||
	    !(n = pair(key, id, cname)) || !rt_map_get(&t->checks, key, n, &i))
		return 0;
	if (!(n = pair(key, id, t->check_cols.v[i])))
		return 0;
	return put(t, &t->not_null_ok, key, n, 1);
}

int rt_track_not_null_ok(const rt_track *t, const char *table, const char *col)
{
	char key[KEY_MAX];
	uint32_t id, v;
	size_t n;

	return rt_map_get(&t->tables, table, strlen(table), &id) &&
	       id != TOMB && (n = pair(key, id, col)) != 0 &&
	       rt_map_get(&t->not_null_ok, key, n, &v);
}
