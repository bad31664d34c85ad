/* SPDX-License-Identifier: MIT */
/*
 * arena.c: bump allocator over a list of chunks (see arena.h).
 *
 * Chunks grow with the arena: each new one is as large as everything
 * allocated so far (64 KiB at first, at most 8 MiB), so a project of ten
 * thousand revisions takes a few dozen chunks, not hundreds. Requests
 * larger than a quarter of the current chunk size get a chunk of their
 * own, so that big file contents do not waste the tail of the current
 * chunk.
 *
 * A chunk of 2 MiB or more is mapped on its own, aligned to 2 MiB, and
 * asked for as transparent huge pages (Linux, where the system allows it
 * on request): loading a large project touches tens of MiB once, and
 * faulting them in 4 KiB at a time was a fifth of the load's time
 * (hugepage.h).
 * Smaller chunks come from malloc.
 */
#include "util/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/hugepage.h"

#define ARENA_CHUNK	(64 * 1024)
#define ARENA_CHUNK_MAX (8 * 1024 * 1024)
#define HUGE_PAGE	RT_HUGE_PAGE

struct rt_arena_chunk {
	rt_arena_chunk *next;
	size_t mapped; /* bytes mapped from here (munmap), or 0: malloc'ed */
	alignas(max_align_t) unsigned char data[];
};

/* A chunk of at least n usable bytes (*usable: how many it has): mapped,
 * in whole huge pages and aligned to them, when large; else malloc'ed. */
static rt_arena_chunk *chunk_new(size_t n, size_t *usable)
{
	size_t head = offsetof(rt_arena_chunk, data), len, pad;
	rt_arena_chunk *c;
	unsigned char *m;

	if (n > SIZE_MAX - head - 2 * HUGE_PAGE)
		return NULL;
	if (head + n < HUGE_PAGE) {
		if ((c = malloc(head + n)) != NULL)
			c->mapped = 0;
		*usable = n;
		return c;
	}
	/* whole huge pages; one more mapped for the alignment, whose slack
	 * is unmapped again on both sides */
	len = (head + n + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	pad = (size_t)(-(uintptr_t)m & (HUGE_PAGE - 1));
	if (pad)
		munmap(m, pad);
	munmap(m + pad + len, HUGE_PAGE - pad);
	rt_huge_hint(m + pad, len);
	c = (rt_arena_chunk *)(m + pad);
	c->mapped = len;
	*usable = len - head;
	return c;
}

static rt_arena_chunk *arena_chunk(size_t n, rt_arena_chunk **list,
				   size_t *usable)
{
	rt_arena_chunk *c = chunk_new(n, usable);

	if (!c)
		return NULL;
	c->next = *list;
	*list = c;
	return c;
}

/* n bytes aligned to align (a power of two), not zeroed */
static void *arena_raw(rt_arena *a, size_t n, size_t align)
{
	size_t at = (a->used + align - 1) & ~(align - 1);
	size_t chunk = a->total < ARENA_CHUNK	    ? ARENA_CHUNK
		       : a->total > ARENA_CHUNK_MAX ? ARENA_CHUNK_MAX
						    : a->total;
	void *p;

	if (n > SIZE_MAX - alignof(max_align_t))
		return NULL;
	if (n > chunk / 4) {
		size_t usable;
		rt_arena_chunk *c = arena_chunk(n, &a->big, &usable);

		if (!c)
			return NULL;
		a->total += n;
		return c->data;
	}
	if (!a->head || at > a->size || a->size - at < n) {
		size_t usable;

		if (!arena_chunk(chunk, &a->head, &usable))
			return NULL; /* the arena as it was */
		a->size = usable;
		at = 0;
	}
	p = a->head->data + at;
	a->used = at + n;
	a->total += n;
	return p;
}

void *rt_arena_alloc(rt_arena *a, size_t n)
{
	void *p = arena_raw(a, n, alignof(max_align_t));

	if (p)
		memset(p, 0, n);
	return p;
}

char *rt_arena_strndup(rt_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_raw(a, n + 1, 1); /* characters need no alignment */
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

		if (c->mapped)
			munmap(c, c->mapped);
		else
			free(c);
		c = next;
	}
}

void rt_arena_merge(rt_arena *dst, rt_arena *src)
{
	rt_arena_chunk **tail = &dst->big;
	int k;

	for (k = 0; k < 2; k++) {
		rt_arena_chunk *list = k ? src->big : src->head;

		while (*tail)
			tail = &(*tail)->next;
		*tail = list;
	}
	dst->total += src->total;
	src->head = src->big = NULL;
	src->used = src->size = src->total = 0;
}

void rt_arena_free(rt_arena *a)
{
	arena_free_list(a->head);
	arena_free_list(a->big);
	a->head = a->big = NULL;
	a->used = a->size = a->total = 0;
}
