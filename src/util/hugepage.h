/* SPDX-License-Identifier: MIT */
/*
 * hugepage.h: asking for transparent huge pages on large blocks.
 *
 * Loading and linting a project of ten thousand revisions touches tens of
 * MiB once. In 4 KiB pages each is a page fault: `retort history` of
 * 10,000 revisions took 7,600 of them, at about 2 us each on the
 * benchmark VM, some 15 of its 78 ms; in 2 MiB pages they are a few
 * dozen. Linux gives huge pages to a range only on request when
 * transparent_hugepage is "madvise" (Debian's default); elsewhere the
 * hint does nothing.
 */
#ifndef RT_HUGEPAGE_H
#define RT_HUGEPAGE_H

#include <stddef.h>

#define RT_HUGE_PAGE ((size_t)2 * 1024 * 1024)

/* Hint that the whole, aligned 2 MiB pages inside [p, p + n) be huge
 * pages (a block smaller than that holds none, and is left alone).
 * Contents are kept. Best before the block is first written: a page
 * already touched stays small until the kernel merges it. */
void rt_huge_hint(void *p, size_t n);

#endif
