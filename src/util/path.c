/* SPDX-License-Identifier: MIT */
/*
 * path.c: lexical path normalisation (see path.h). Symbolic links are not
 * resolved: "a/link/.." becomes "a", as os.path.normpath does.
 */
#include "util/path.h"

void rt_path_normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		if (in[0] == '/' && in[1] == '/') {
			in++;
			continue;
		}
		if (in[0] == '/' && in[1] == '.' && (in[2] == '/' || !in[2])) {
			in += 2;
			continue;
		}
		if (in[0] == '/' && in[1] == '.' && in[2] == '.' &&
		    (in[3] == '/' || !in[3])) {
			in += 3;
			while (out > p && *--out != '/')
				;
			continue;
		}
		*out++ = *in++;
	}
	if (out > p + 1 && out[-1] == '/')
		out--;
	if (out == p)
		*out++ = '/';
	*out = '\0';
}
