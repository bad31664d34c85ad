/* SPDX-License-Identifier: MIT */
/*
 * files.h: the revision files of a project's version locations: which
 * there are, in load order, and their text.
 *
 * Each location's *.sql files are listed sorted by name (so the load
 * order, which breaks ties everywhere, does not depend on the file
 * system), then, with recursive_version_locations, its subfolders in
 * sorted order. Hidden files and editor backups (".#x.sql") are skipped,
 * as Alembic skips them. Each folder is read once per listing, by device
 * and inode: a symlink back up the tree, or one location listed under
 * two names, is skipped with a warning instead of being walked again.
 *
 * Only regular files are read: a named pipe, a device or a socket named
 * *.sql is an error naming it. The folder listing's file type (d_type)
 * answers that for most files; the others (a symlink, a file system that
 * does not say) are checked with fstat() after a non-blocking open.
 */
#ifndef RT_PROJECT_FILES_H
#define RT_PROJECT_FILES_H

#include "project/project.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/str.h"
#include "util/vec.h"

typedef struct rt_file {
	const char *path; /* location/.../name.sql */
	const char *name; /* its last component */
	int regular;	  /* the listing said: a regular file */
} rt_file;

typedef struct rt_files {
	RT_VEC(rt_file) v;
	rt_arena names; /* the paths */
} rt_files;

/* The *.sql files of r->locations, in load order. A location that does
 * not exist is an error when it is the only one, else skipped with a
 * warning. Errors on the handle. */
int rt_files_list(retort *r, int recursive, rt_files *out);
void rt_files_free(rt_files *f);

/* A whole file into buf (cleared first; reuse it across files: no
 * allocation per file once it is large enough), NUL-terminated. Touches
 * nothing but its arguments: the loader calls it from several threads. */
int rt_file_read(const rt_file *f, rt_str *buf, rt_err *err);

#endif
