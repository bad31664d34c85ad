/* SPDX-License-Identifier: MIT */
/*
 * hugepage.c: the huge page hint (hugepage.h): madvise(MADV_HUGEPAGE) on
 * the aligned interior of a block, where the system has it.
 */
#include "util/hugepage.h"

#include <stdint.h>
#include <sys/mman.h>

void rt_huge_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start =
	    ((uintptr_t)p + RT_HUGE_PAGE - 1) & ~(uintptr_t)(RT_HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + n) & ~(uintptr_t)(RT_HUGE_PAGE - 1);

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}
