/* SPDX-License-Identifier: MIT */
/*
 * version.c: the library version and the small public helpers that belong
 * to no module (buffers).
 */
#include <stdlib.h>

#include "retort.h"

const char *retort_version(void)
{
	return RETORT_VERSION_STRING;
}

void retort_buf_dispose(retort_buf *buf)
{
	if (!buf)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}
