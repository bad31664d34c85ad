/* SPDX-License-Identifier: MIT */
/*
 * path.h: lexical path normalisation (no file system access), so that the
 * same folder written two ways compares equal: version locations from the
 * config and --version-path from the command line go through it.
 */
#ifndef RT_PATH_H
#define RT_PATH_H

/* In place, for an absolute path: collapse "//", "/./" and "dir/..",
 * drop a trailing '/' (except for "/" itself). */
void rt_path_normalize(char *p);

#endif
