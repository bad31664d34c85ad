/* SPDX-License-Identifier: MIT */
/*
 * arena.h: a chunked allocator for objects that all die together (parsed
 * revision files, the graph). Allocation is a pointer bump; rt_arena_free
 * releases everything at once. Pointers stay valid until then.
 */
#ifndef RT_ARENA_H
#define RT_ARENA_H

#include <stddef.h>

typedef struct rt_arena_chunk rt_arena_chunk;

typedef struct rt_arena {
	rt_arena_chunk *head; /* current chunk for small objects */
	rt_arena_chunk *big;  /* chunks that hold one large object each */
	size_t used;	      /* bytes used in head */
	size_t size;	      /* usable bytes in head */
	size_t total;	      /* bytes handed out: the next chunk's size */
} rt_arena;

#define RT_ARENA_INIT               \
	{                           \
		NULL, NULL, 0, 0, 0 \
	}

/* Zeroed memory aligned for any object; NULL on OOM. */
void *rt_arena_alloc(rt_arena *a, size_t n);
char *rt_arena_strndup(rt_arena *a, const char *s, size_t n);
char *rt_arena_strdup(rt_arena *a, const char *s);
/* Hand src's memory to dst: it is freed with dst from now on, and src
 * is left empty. Pointers into it stay valid. */
void rt_arena_merge(rt_arena *dst, rt_arena *src);
void rt_arena_free(rt_arena *a);

#endif
