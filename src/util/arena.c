/* SPDX-License-Identifier: MIT */
/*
 * arena.c: bump allocator over a list of chunks (see arena.h). Requests
 * larger than a quarter of the default chunk get a chunk of their own so
 * that big file contents do not waste the tail of the current chunk.
 */
#include "util/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (64 * 1024)

struct rt_arena_chunk {
	rt_arena_chunk *next;
	alignas(max_align_t) unsigned char data[];
};

static rt_arena_chunk *arena_chunk(size_t n, rt_arena_chunk **list)
{
	rt_arena_chunk *c;

	if (n > SIZE_MAX - sizeof(*c))
		return NULL;
	c = malloc(sizeof(*c) + n);
	if (!c)
		return NULL;
	c->next = *list;
	*list = c;
	return c;
}

void *rt_arena_alloc(rt_arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	size_t need = (n + align - 1) & ~(align - 1);
	void *p;

	if (need < n)
		return NULL;
	if (need > ARENA_CHUNK / 4) {
		rt_arena_chunk *c = arena_chunk(need, &a->big);

		if (!c)
			return NULL;
		memset(c->data, 0, n);
		return c->data;
	}
	if (!a->head || a->size - a->used < need) {
		if (!arena_chunk(ARENA_CHUNK, &a->head))
			return NULL;
		a->used = 0;
		a->size = ARENA_CHUNK;
	}
	p = a->head->data + a->used;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *rt_arena_strndup(rt_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = rt_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *rt_arena_strdup(rt_arena *a, const char *s)
{
	return rt_arena_strndup(a, s, strlen(s));
}

static void arena_free_list(rt_arena_chunk *c)
{
	while (c) {
		rt_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
}

void rt_arena_free(rt_arena *a)
{
	arena_free_list(a->head);
	arena_free_list(a->big);
	a->head = a->big = NULL;
	a->used = a->size = 0;
}
