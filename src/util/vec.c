/* SPDX-License-Identifier: MIT */
/*
 * vec.c: the one growth routine behind the RT_VEC macros. Capacity doubles;
 * the size computation is checked for overflow. A large array is hinted
 * as huge pages (hugepage.h).
 */
#include "util/vec.h"

#include <stdint.h>

#include "util/hugepage.h"

int rt_vec_grow(void **items, size_t *cap, size_t need, size_t item_size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / item_size)
		return -1;
	p = realloc(*items, ncap * item_size);
	if (!p)
		return -1;
	*items = p;
	*cap = ncap;
	rt_huge_hint(p, ncap * item_size);
	return 0;
}
