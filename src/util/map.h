/* SPDX-License-Identifier: MIT */
/*
 * map.h: a hash map from strings to 32-bit values, open addressing with
 * linear probing. Keys are not copied: they must outlive the map (they live
 * in the project's arena). Lookups take a length so that substrings can be
 * looked up without copying.
 *
 * Invariants: cap is 0 or a power of two; n * 4 < cap * 3 (load <= 0.75).
 */
#ifndef RT_MAP_H
#define RT_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct rt_map_slot {
	const char *key; /* NULL when the slot is empty */
	uint32_t len;
	uint32_t hash;
	uint32_t value;
} rt_map_slot;

typedef struct rt_map {
	rt_map_slot *slots;
	size_t cap;
	size_t n;
} rt_map;

#define RT_MAP_INIT        \
	{                  \
		NULL, 0, 0 \
	}

uint32_t rt_hash(const char *s, size_t len);
/* 64-bit FNV-1a, unmixed: the drivers' lock names and keys are made with
 * it, and must not change between versions (two retorts of different
 * versions deploying at once must take the same lock). */
#define RT_FNV1A64_INIT 14695981039346656037ULL
/* h (RT_FNV1A64_INIT to start) continued over s: hash text in parts by
 * chaining the calls. */
uint64_t rt_fnv1a64(uint64_t h, const char *s, size_t len);
/* Insert or replace. Returns 0, or -1 on OOM. */
int rt_map_put(rt_map *m, const char *key, size_t len, uint32_t value);
/* Returns 1 and sets *value when found, 0 otherwise. */
int rt_map_get(const rt_map *m, const char *key, size_t len, uint32_t *value);
void rt_map_free(rt_map *m);

#endif
