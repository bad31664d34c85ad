/* SPDX-License-Identifier: MIT */
/*
 * map.c: string -> uint32 hash map (see map.h). FNV-1a hashing; the table
 * doubles when it becomes three quarters full.
 */
#include "util/map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/hugepage.h"

uint32_t rt_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	/* FNV-1a's low bits, the ones the table uses, barely change with
	 * the last bytes of similar keys ("12\x1fid", "13\x1fid"): mix the
	 * high bits down (MurmurHash3's finalizer) so that such keys do not
	 * pile up in runs the linear probing must walk */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

uint64_t rt_fnv1a64(uint64_t h, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int map_resize(rt_map *m, size_t cap)
{
	rt_map_slot *slots = cap > SIZE_MAX / sizeof(*slots)
				 ? NULL
				 : malloc(cap * sizeof(*slots));
	size_t i;

	if (!slots)
		return -1;
	/* the hint before the first write, so a large table takes huge
	 * pages as it is cleared */
	rt_huge_hint(slots, cap * sizeof(*slots));
	memset(slots, 0, cap * sizeof(*slots));
	for (i = 0; i < m->cap; i++) {
		rt_map_slot *s = &m->slots[i];
		size_t j;

		if (!s->key)
			continue;
		j = s->hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int rt_map_put(rt_map *m, const char *key, size_t len, uint32_t value)
{
	uint32_t h = rt_hash(key, len);
	size_t j;

	if ((m->n + 1) * 4 >= m->cap * 3 &&
	    map_resize(m, m->cap ? m->cap * 2 : 16) < 0)
		return -1;
	j = h & (m->cap - 1);
	while (m->slots[j].key) {
		rt_map_slot *s = &m->slots[j];

		if (s->hash == h && s->len == len &&
		    !memcmp(s->key, key, len)) {
			s->value = value;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->slots[j].key = key;
	m->slots[j].len = (uint32_t)len;
	m->slots[j].hash = h;
	m->slots[j].value = value;
	m->n++;
	return 0;
}

int rt_map_get(const rt_map *m, const char *key, size_t len, uint32_t *value)
{
	uint32_t h;
	size_t j;

	if (!m->cap)
		return 0;
	h = rt_hash(key, len);
	j = h & (m->cap - 1);
	while (m->slots[j].key) {
		const rt_map_slot *s = &m->slots[j];

		if (s->hash == h && s->len == len &&
		    !memcmp(s->key, key, len)) {
			*value = s->value;
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

void rt_map_free(rt_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
