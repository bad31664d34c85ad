/* SPDX-License-Identifier: MIT */
/*
 * files.c: listing and reading revision files (files.h). Paths are built
 * in one arena, not allocated one by one: a project may have tens of
 * thousands of files, and this is most of what loading it costs.
 */
#include "project/files.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "util/map.h"

typedef RT_VEC(rt_file) filevec;

/* The folders read so far in one listing: "dev:inode" -> the first path
 * each was read as. */
typedef struct seen_dirs {
	rt_map ids;
	rt_arena keys;
	RT_VEC(const char *) paths;
} seen_dirs;

static void seen_free(seen_dirs *s)
{
	rt_map_free(&s->ids);
	rt_arena_free(&s->keys);
	RT_VEC_FREE(&s->paths);
}

/* 1 when dir was read before in this listing (after a warning naming the
 * first path it was read as), 0 when it is new (and now recorded), or a
 * negative error. A folder that cannot be stat'ed is new: opendir() then
 * reports why. */
static int seen_before(retort *r, seen_dirs *s, const char *dir)
{
	struct stat st;
	char key[64], *k, *path;
	uint32_t at;

	if (stat(dir, &st) < 0)
		return 0;
	snprintf(key, sizeof(key), "%jx:%jx", (uintmax_t)st.st_dev,
		 (uintmax_t)st.st_ino);
	if (rt_map_get(&s->ids, key, strlen(key), &at)) {
		rt_log(r, RETORT_LOG_WARNING,
		       "skipping '%s': the same folder as '%s', already read",
		       dir, s->paths.v[at]);
		return 1;
	}
	if ((k = rt_arena_strdup(&s->keys, key)) == NULL ||
	    (path = rt_arena_strdup(&s->keys, dir)) == NULL ||
	    RT_VEC_PUSH(&s->paths, path) < 0 ||
	    rt_map_put(&s->ids, k, strlen(k), (uint32_t)(s->paths.n - 1)) < 0)
		return rt_err_oom(&r->err);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const rt_file *)a)->name, ((const rt_file *)b)->name);
}

/* "dir/name" in the arena; f->name points at its last component. */
static int join(rt_arena *a, const char *dir, const char *name, rt_file *f)
{
	size_t nd = strlen(dir), nn = strlen(name);
	char *p = rt_arena_alloc(a, nd + 1 + nn + 1);

	if (!p)
		return -1;
	memcpy(p, dir, nd);
	p[nd] = '/';
	memcpy(p + nd + 1, name, nn + 1);
	f->path = p;
	f->name = p + nd + 1;
	return 0;
}

/* A subfolder to walk: the listing says so, or, for a symlink or an
 * unknown type, stat() does (a symlink to a folder is walked). */
static int is_dir(const struct dirent *de, const char *path)
{
	struct stat st;

	if (de->d_type == DT_DIR)
		return 1;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return 0;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The entries of one open folder: *.sql into files, subfolders (when
 * recursive) into dirs. */
static int read_entries(retort *r, DIR *d, const char *dir, int recursive,
			rt_arena *a, filevec *files, filevec *dirs)
{
	struct dirent *de;

	while ((errno = 0, de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		int sql = n > 4 && !strcmp(de->d_name + n - 4, ".sql");
		rt_file f;

		if (de->d_name[0] == '.' || (!sql && !recursive))
			continue;
		if (join(a, dir, de->d_name, &f) < 0)
			return rt_err_oom(&r->err);
		f.regular = de->d_type == DT_REG;
		if (sql ? RT_VEC_PUSH(files, f) < 0
			: is_dir(de, f.path) && RT_VEC_PUSH(dirs, f) < 0)
			return rt_err_oom(&r->err);
	}
	if (errno)
		return rt_fail(r, RETORT_ECONFIG, "cannot read folder '%s': %s",
			       dir, strerror(errno));
	return 0;
}

/* *.sql files of dir (and of its subfolders when recursive), sorted by
 * name; subfolders are walked in sorted order after the files. A folder
 * in `seen` is skipped. */
static int list_dir(retort *r, const char *dir, int recursive, seen_dirs *seen,
		    rt_files *out)
{
	filevec files = RT_VEC_INIT, dirs = RT_VEC_INIT;
	size_t i;
	DIR *d;
	int error;

	if ((error = seen_before(r, seen, dir)) != 0)
		return error < 0 ? error : 0;
	if ((d = opendir(dir)) == NULL)
		return rt_fail(r, RETORT_ECONFIG, "cannot read folder '%s': %s",
			       dir, strerror(errno));
	error = read_entries(r, d, dir, recursive, &out->names, &files, &dirs);
	closedir(d);
	if (files.n > 1)
		qsort(files.v, files.n, sizeof(*files.v), cmp_name);
	if (dirs.n > 1)
		qsort(dirs.v, dirs.n, sizeof(*dirs.v), cmp_name);
	if (!error && RT_VEC_RESERVE(&out->v, out->v.n + files.n) < 0)
		error = rt_err_oom(&r->err);
	if (!error && files.n) {
		memcpy(out->v.v + out->v.n, files.v,
		       files.n * sizeof(*files.v));
		out->v.n += files.n;
	}
	for (i = 0; i < dirs.n && !error; i++)
		error = list_dir(r, dirs.v[i].path, 1, seen, out);
	RT_VEC_FREE(&files);
	RT_VEC_FREE(&dirs);
	return error;
}

int rt_files_list(retort *r, int recursive, rt_files *out)
{
	seen_dirs seen = { RT_MAP_INIT, RT_ARENA_INIT, RT_VEC_INIT };
	size_t i;
	int error = 0;

	for (i = 0; i < r->locations.n && !error; i++) {
		struct stat st;
		const char *loc = r->locations.v[i];

		if (stat(loc, &st) == 0 && S_ISDIR(st.st_mode))
			error = list_dir(r, loc, recursive, &seen, out);
		else if (r->locations.n == 1)
			error = rt_fail(r, RETORT_ECONFIG,
					"Path doesn't exist: '%s'.  Please use "
					"the 'init' command to create a new "
					"scripts folder.",
					loc);
		else
			rt_log(r, RETORT_LOG_WARNING,
			       "version location '%s' does not exist; "
			       "skipping it",
			       loc);
	}
	seen_free(&seen);
	return error;
}

void rt_files_free(rt_files *f)
{
	RT_VEC_FREE(&f->v);
	rt_arena_free(&f->names);
}

int rt_file_read(const rt_file *f, rt_str *buf, rt_err *err)
{
	char why[128];

	switch (rt_read_regular(f->path, f->regular, buf, why, sizeof(why))) {
	case 0:
		return 0;
	case -2:
		return rt_err_oom(err);
	default:
		return rt_err_set(err, RETORT_ECONFIG, "cannot read '%s': %s",
				  f->path, why);
	}
}
