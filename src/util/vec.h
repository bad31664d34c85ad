/* SPDX-License-Identifier: MIT */
/*
 * vec.h: typed growable arrays as macros over one generic grow function.
 *
 *   RT_VEC(int) v = RT_VEC_INIT;
 *   if (RT_VEC_PUSH(&v, 42) < 0) ...;   // -1 on OOM, v unchanged
 *   RT_VEC_FREE(&v);
 *
 * Invariant: v.n <= v.cap; items [0, n) are initialised.
 */
#ifndef RT_VEC_H
#define RT_VEC_H

#include <stddef.h>
#include <stdlib.h>

#define RT_VEC(type)           \
	struct {               \
		type *v;       \
		size_t n, cap; \
	}
#define RT_VEC_INIT        \
	{                  \
		NULL, 0, 0 \
	}

int rt_vec_grow(void **items, size_t *cap, size_t need, size_t item_size);

#define RT_VEC_RESERVE(vec, need) \
	rt_vec_grow((void **)&(vec)->v, &(vec)->cap, (need), sizeof(*(vec)->v))

#define RT_VEC_PUSH(vec, item)                 \
	(RT_VEC_RESERVE(vec, (vec)->n + 1) < 0 \
	     ? -1                              \
	     : ((vec)->v[(vec)->n++] = (item), 0))

#define RT_VEC_FREE(vec)                   \
	do {                               \
		free((void *)(vec)->v);    \
		(vec)->v = NULL;           \
		(vec)->n = (vec)->cap = 0; \
	} while (0)

#endif
