/* SPDX-License-Identifier: MIT */
/*
 * track.c: the tracked schema (track.h). Pair keys are "a\x1fb"; a pair
 * whose parts are too long for the key buffer is not tracked (lookups of
 * it then find nothing, which reads as "not known").
 */
#include "lint/track.h"

#include <string.h>

#define KEY_MAX 260

static size_t pair(char key[KEY_MAX], const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na + nb + 2 > KEY_MAX)
		return 0;
	memcpy(key, a, na);
	key[na] = '\x1f';
	memcpy(key + na + 1, b, nb + 1);
	return na + nb + 1;
}

void rt_track_init(rt_track *t, rt_arena *a)
{
	memset(t, 0, sizeof(*t));
	t->a = a;
}

void rt_track_dispose(rt_track *t)
{
	rt_map_free(&t->tables);
	rt_map_free(&t->columns);
	rt_map_free(&t->checks);
	rt_map_free(&t->not_null_ok);
	RT_VEC_FREE(&t->creators);
	RT_VEC_FREE(&t->types);
	RT_VEC_FREE(&t->check_cols);
}

/* Put key (copied into the arena when new) -> value. */
static int put(rt_track *t, rt_map *m, const char *key, size_t n,
	       uint32_t value)
{
	uint32_t old;
	const char *k;

	if (rt_map_get(m, key, n, &old)) /* replaced in place: the stored
					  * key stays */
		return rt_map_put(m, key, n, value) < 0 ? -1 : 0;
	if ((k = rt_arena_strndup(t->a, key, n)) == NULL)
		return -1;
	return rt_map_put(m, k, n, value) < 0 ? -1 : 0;
}

int rt_track_create_table(rt_track *t, const char *table, const char *rev)
{
	if (RT_VEC_PUSH(&t->creators, rev) < 0)
		return -1;
	return put(t, &t->tables, table, strlen(table),
		   (uint32_t)(t->creators.n - 1));
}

int rt_track_drop_table(rt_track *t, const char *table)
{
	uint32_t i;

	if (rt_map_get(&t->tables, table, strlen(table), &i))
		t->creators.v[i] = NULL;
	return 0;
}

int rt_track_rename_table(rt_track *t, const char *from, const char *to)
{
	const char *rev = rt_track_creator(t, from);

	rt_track_drop_table(t, from);
	return rev ? rt_track_create_table(t, to, rev) : 0;
}

const char *rt_track_creator(const rt_track *t, const char *table)
{
	uint32_t i;

	if (!rt_map_get(&t->tables, table, strlen(table), &i))
		return NULL;
	return t->creators.v[i];
}

int rt_track_set_column(rt_track *t, const char *table, const char *col,
			const char *type)
{
	char key[KEY_MAX];
	size_t n = pair(key, table, col);
	const char *copy;

	if (!n)
		return 0;
	if ((copy = rt_arena_strdup(t->a, type)) == NULL ||
	    RT_VEC_PUSH(&t->types, copy) < 0)
		return -1;
	return put(t, &t->columns, key, n, (uint32_t)(t->types.n - 1));
}

const char *rt_track_column(const rt_track *t, const char *table,
			    const char *col)
{
	char key[KEY_MAX];
	size_t n = pair(key, table, col);
	uint32_t i;

	if (!n || !rt_map_get(&t->columns, key, n, &i))
		return NULL;
	return t->types.v[i];
}

int rt_track_check(rt_track *t, const char *table, const char *cname,
		   const char *col, int validated)
{
	char key[KEY_MAX];
	size_t n = pair(key, table, cname);
	const char *copy;

	if (validated && (n = pair(key, table, col)) != 0)
		return put(t, &t->not_null_ok, key, n, 1);
	if (!n || (copy = rt_arena_strdup(t->a, col)) == NULL ||
	    RT_VEC_PUSH(&t->check_cols, copy) < 0)
		return n ? -1 : 0;
	return put(t, &t->checks, key, n, (uint32_t)(t->check_cols.n - 1));
}

int rt_track_validate(rt_track *t, const char *table, const char *cname)
{
	char key[KEY_MAX];
	size_t n = pair(key, table, cname);
	uint32_t i;

	if (!n || !rt_map_get(&t->checks, key, n, &i))
		return 0;
	if ((n = pair(key, table, t->check_cols.v[i])) == 0)
		return 0;
	return put(t, &t->not_null_ok, key, n, 1);
}

int rt_track_not_null_ok(const rt_track *t, const char *table,
			 const char *col)
{
	char key[KEY_MAX];
	size_t n = pair(key, table, col);
	uint32_t v;

	return n && rt_map_get(&t->not_null_ok, key, n, &v);
}
