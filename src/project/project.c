/* SPDX-License-Identifier: MIT */
/*
 * project.c: opening a project (config, options) and loading it (version
 * locations -> revision files -> graph).
 *
 * Loading reads each version location's *.sql files sorted by name (so
 * the load order, which breaks ties everywhere, does not depend on the
 * file system), parses them, and builds the graph. Hidden files and
 * editor backups (".#x.sql") are skipped, as Alembic skips them.
 *
 * Only regular files are read: a named pipe, a device or a socket named
 * *.sql is an error naming it (reading it could block forever or never
 * end), and the open never blocks (O_NONBLOCK, then fstat). Each folder
 * is read once per load, by device and inode: a symlink back up the tree
 * under recursive_version_locations, or one location listed under two
 * names, is skipped with a warning instead of being walked again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "project/project.h"
#include "util/map.h"
#include "util/path.h"
#include "util/str.h"

int rt_fail(retort *r, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_err_vset(&r->err, code, fmt, ap);
	va_end(ap);
	return code;
}

void rt_log(retort *r, retort_log_level level, const char *fmt, ...)
{
	rt_str msg = RT_STR_INIT;
	va_list ap;

	if (!r->log)
		return;
	va_start(ap, fmt);
	rt_str_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (!msg.oom)
		r->log(level, rt_str_cstr(&msg), r->log_payload);
	rt_str_dispose(&msg);
}

void rt_project_unload(retort *r)
{
	rt_graph_free(r->graph);
	r->graph = NULL;
	RT_VEC_FREE(&r->scripts);
	RT_VEC_FREE(&r->locations);
	rt_problems_free(&r->problems);
	rt_arena_free(&r->files);
	r->script_location = NULL;
	r->loaded = 0;
}

/* ------------------------------------------------------------------ */
/* config helpers */

int rt_cfg(retort *r, const char *key, const char *def, const char **out)
{
	return rt_config_get_default(r->cfg, key, def, out, &r->err);
}

int rt_cfg_bool(retort *r, const char *key, int def, int *out)
{
	return rt_config_get_bool(r->cfg, key, def, out, &r->err);
}

int rt_cfg_int(retort *r, const char *key, long def, long *out)
{
	return rt_config_get_int(r->cfg, key, def, out, &r->err);
}

const char *rt_xarg(const retort *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->xargs.n; i++)
		if (!strcmp(r->xargs.v[i].key, key))
			return r->xargs.v[i].value;
	return NULL;
}

/* What a file that is neither a regular file nor a folder is. */
static const char *file_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a named pipe";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "an unknown kind of file";
}

/* The first line of the password file at path (at most 4095 bytes, the
 * line end not included) into *out. Regular files only: the open does not
 * block on a named pipe. Messages name the key and the path, never any
 * of the file's text. */
static int read_password_file(retort *r, const char *path, unsigned line,
			      char **out)
{
	const char *cfg = rt_config_path(r->cfg);
	char buf[4096];
	size_t n = 0;
	struct stat st;
	char *nl;
	int fd, e;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: cannot read password_file '%s': %s", cfg,
			       line, path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return rt_fail(
			    r, RETORT_ECONFIG,
			    "%s:%u: cannot read password_file '%s': %s", cfg,
			    line, path, strerror(EISDIR));
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: cannot read password_file '%s': not a "
			       "regular file (%s)",
			       cfg, line, path, file_kind(st.st_mode));
	}
	while (n < sizeof(buf) && !memchr(buf, '\n', n)) {
		ssize_t got = read(fd, buf + n, sizeof(buf) - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			close(fd);
			return rt_fail(
			    r, RETORT_ECONFIG,
			    "%s:%u: cannot read password_file '%s': %s", cfg,
			    line, path, strerror(e));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if ((nl = memchr(buf, '\n', n)) != NULL)
		n = (size_t)(nl - buf);
	else if (n == sizeof(buf))
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: password_file '%s': the first line is "
			       "longer than %zu bytes",
			       cfg, line, path, sizeof(buf) - 1);
	if (n && buf[n - 1] == '\r')
		n--;
	if (n == 0)
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: password_file '%s' is empty (its first "
			       "line is the password)",
			       cfg, line, path);
	if (memchr(buf, '\0', n))
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: password_file '%s': the password holds "
			       "a NUL byte",
			       cfg, line, path);
	*out = rt_strndup(buf, n);
	memset(buf, 0, sizeof(buf));
	return *out ? 0 : rt_err_oom(&r->err);
}

/* password_file: the password of a server URL that has none (a password
 * in the URL wins, as in libpq). Not read for SQLite. */
static int apply_password_file(retort *r, rt_url *u)
{
	const char *value;
	char *path, *pw;
	int error;

	if ((error = rt_cfg(r, "password_file", NULL, &value)) < 0)
		return error;
	if (!value || !*value || u->dialect == RT_DIALECT_SQLITE ||
	    (u->password && *u->password))
		return 0;
	if ((error = rt_abs_path(r, value, &path)) < 0 ||
	    (error = read_password_file(
		 r, path, rt_config_line(r->cfg, "password_file"), &pw)) < 0)
		return error;
	free(u->password);
	u->password = pw;
	return 0;
}

int rt_project_url(retort *r, const rt_url **out)
{
	const char *url;
	int error;

	*out = NULL;
	if (r->url_parsed) {
		*out = &r->url;
		return 0;
	}
	if (r->borrowed) {
		memset(&r->url, 0, sizeof(r->url));
		r->url.dialect = r->borrowed_dialect;
		r->url_parsed = 1;
		*out = &r->url;
		return 0;
	}
	if ((error = rt_cfg(r, "url", NULL, &url)) < 0)
		return error;
	if (!url || !*url)
		return rt_fail(r, RETORT_ECONFIG,
			       "no database url configured (set url in %s, "
			       "or pass --url)",
			       rt_config_path(r->cfg));
	if ((error = rt_url_parse(&r->url, url, &r->err)) < 0)
		return error;
	if ((error = apply_password_file(r, &r->url)) < 0) {
		rt_url_dispose(&r->url);
		return error;
	}
	if (r->url.warning)
		rt_log(r, RETORT_LOG_WARNING, "%s", r->url.warning);
	r->url_parsed = 1;
	*out = &r->url;
	return 0;
}

int rt_project_check_rows(retort *r, const char *const *rows, size_t n)
{
	size_t i;
	uint32_t idx;

	for (i = 0; i < n; i++)
		if (!rt_map_get(&r->graph->ids, rows[i], strlen(rows[i]), &idx))
			return rt_fail(r, RETORT_ENOTFOUND,
				       "Can't locate revision identified by "
				       "'%s' (the database is at revision "
				       "'%s', which is not in the revision "
				       "files: was the file deleted, or is "
				       "this the wrong project? 'retort "
				       "stamp --purge REV' resets the "
				       "version table)",
				       rows[i], rows[i]);
	return 0;
}

int rt_project_url_display(retort *r, const char **out)
{
	const rt_url *u;
	rt_str s = RT_STR_INIT;
	int error;

	*out = NULL;
	if ((error = rt_project_url(r, &u)) < 0)
		return error;
	if (!r->url_display && r->borrowed) {
		r->url_display = strdup(r->borrowed_dialect == RT_DIALECT_SQLITE
					    ? "the application's sqlite3 "
					      "connection"
					    : "the application's PostgreSQL "
					      "connection");
		if (!r->url_display)
			return rt_err_oom(&r->err);
	}
	if (!r->url_display) {
		if (rt_url_display(&s, u) < 0 || s.oom) {
			rt_str_dispose(&s);
			return rt_err_oom(&r->err);
		}
		r->url_display = rt_str_detach(&s);
	}
	*out = r->url_display;
	return 0;
}

int rt_abs_path(retort *r, const char *path, char **out)
{
	rt_str s = RT_STR_INIT;

	*out = NULL;
	if (path[0] == '/')
		rt_str_puts(&s, path);
	else
		rt_str_printf(&s, "%s/%s", rt_config_here(r->cfg), path);
	if (s.oom) {
		rt_str_dispose(&s);
		return rt_err_oom(&r->err);
	}
	/* one spelling per folder: tidy messages, and equal comparisons
	 * with --version-path */
	rt_path_normalize(s.ptr);
	s.len = strlen(s.ptr);
	*out = rt_arena_strdup(&r->files, rt_str_cstr(&s));
	rt_str_dispose(&s);
	return *out ? 0 : rt_err_oom(&r->err);
}

/* ------------------------------------------------------------------ */
/* loading */

static int split_locations(retort *r, const char *value)
{
	const char *sep_name;
	const char *p = value;
	int error;

	if ((error = rt_cfg(r, "path_separator", NULL, &sep_name)) < 0)
		return error;
	while (*p) {
		const char *start;
		size_t n;
		char *item, *abs;

		/* legacy Alembic splitting: spaces and commas */
		if (!sep_name) {
			while (*p == ' ' || *p == ',' || *p == '\n' ||
			       *p == '\t')
				p++;
			start = p;
			while (*p && *p != ' ' && *p != ',' && *p != '\n' &&
			       *p != '\t')
				p++;
		} else {
			char sep;

			if (!strcmp(sep_name, "os") || !strcmp(sep_name, ":"))
				sep = ':';
			else if (!strcmp(sep_name, ";"))
				sep = ';';
			else if (!strcmp(sep_name, "space"))
				sep = ' ';
			else if (!strcmp(sep_name, "newline"))
				sep = '\n';
			else
				return rt_fail(
				    r, RETORT_ECONFIG,
				    "%s:%u: '%s' is not a valid value for "
				    "path_separator; expected 'os', ':', "
				    "';', 'space' or 'newline'",
				    rt_config_path(r->cfg),
				    rt_config_line(r->cfg, "path_separator"),
				    sep_name);
			while (*p == sep)
				p++;
			start = p;
			while (*p && *p != sep)
				p++;
		}
		n = (size_t)(p - start);
		while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		if (!n)
			continue;
		item = rt_arena_strndup(&r->files, start, n);
		if (!item)
			return rt_err_oom(&r->err);
		if ((error = rt_abs_path(r, item, &abs)) < 0)
			return error;
		if (RT_VEC_PUSH(&r->locations, abs) < 0)
			return rt_err_oom(&r->err);
	}
	return 0;
}

static int locate(retort *r)
{
	const char *loc, *vl;
	char *abs;
	struct stat st;
	int error;

	if ((error = rt_cfg(r, "script_location", NULL, &loc)) < 0)
		return error;
	if (!loc)
		return rt_fail(r, RETORT_ECONFIG,
			       "No 'script_location' key found in "
			       "configuration (%s).",
			       rt_config_path(r->cfg));
	if ((error = rt_abs_path(r, loc, &abs)) < 0)
		return error;
	if (stat(abs, &st) < 0 || !S_ISDIR(st.st_mode))
		return rt_fail(r, RETORT_ECONFIG,
			       "Path doesn't exist: '%s'.  Please use the "
			       "'init' command to create a new scripts "
			       "folder.",
			       abs);
	r->script_location = abs;
	if ((error = rt_cfg(r, "version_locations", NULL, &vl)) < 0)
		return error;
	if (vl && *vl)
		return split_locations(r, vl);
	{
		rt_str s = RT_STR_INIT;
		char *v;

		rt_str_printf(&s, "%s/versions", abs);
		v = s.oom ? NULL : rt_arena_strdup(&r->files, s.ptr);
		rt_str_dispose(&s);
		if (!v || RT_VEC_PUSH(&r->locations, v) < 0)
			return rt_err_oom(&r->err);
	}
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef RT_VEC(char *) namevec;

static void free_names(namevec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	RT_VEC_FREE(v);
}

/* The folders read so far in one load: "dev:inode" -> index in paths. */
typedef struct seen_dirs {
	rt_map ids;
	rt_arena keys;
	namevec paths;
} seen_dirs;

static void seen_free(seen_dirs *s)
{
	rt_map_free(&s->ids);
	rt_arena_free(&s->keys);
	free_names(&s->paths);
}

/* 1 when dir was read before in this load (after a warning naming the
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
	    (path = strdup(dir)) == NULL)
		return rt_err_oom(&r->err);
	if (RT_VEC_PUSH(&s->paths, path) < 0) {
		free(path);
		return rt_err_oom(&r->err);
	}
	if (rt_map_put(&s->ids, k, strlen(k), (uint32_t)(s->paths.n - 1)) < 0)
		return rt_err_oom(&r->err);
	return 0;
}

/* *.sql files of dir (and of its subfolders when recursive), sorted by
 * name; subfolders are walked in sorted order after the files. A folder
 * in `seen` is skipped. */
static int list_dir(retort *r, const char *dir, int recursive, seen_dirs *seen,
		    namevec *out)
{
	namevec files = RT_VEC_INIT, dirs = RT_VEC_INIT;
	struct dirent *de;
	DIR *d;
	size_t i;
	int error;

	if ((error = seen_before(r, seen, dir)) != 0)
		return error < 0 ? error : 0;
	if ((d = opendir(dir)) == NULL)
		return rt_fail(r, RETORT_ECONFIG, "cannot read folder '%s': %s",
			       dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		rt_str p = RT_STR_INIT;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		rt_str_printf(&p, "%s/%s", dir, de->d_name);
		if (p.oom) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		if (n > 4 && !strcmp(de->d_name + n - 4, ".sql")) {
			if (RT_VEC_PUSH(&files, rt_str_detach(&p)) < 0) {
				error = rt_err_oom(&r->err);
				goto done;
			}
			continue;
		}
		if (recursive && stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (RT_VEC_PUSH(&dirs, rt_str_detach(&p)) < 0) {
				error = rt_err_oom(&r->err);
				goto done;
			}
			continue;
		}
		rt_str_dispose(&p);
	}
	if (files.n > 1)
		qsort(files.v, files.n, sizeof(*files.v), cmp_name);
	if (dirs.n > 1)
		qsort(dirs.v, dirs.n, sizeof(*dirs.v), cmp_name);
	for (i = 0; i < files.n; i++) {
		if (RT_VEC_PUSH(out, files.v[i]) < 0) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		files.v[i] = NULL;
	}
	for (i = 0; i < dirs.n && !error; i++)
		error = list_dir(r, dirs.v[i], 1, seen, out);
done:
	closedir(d);
	free_names(&files);
	free_names(&dirs);
	return error;
}

/* Read a whole regular file into buf (reused across files: no per-file
 * allocation once the buffer is large enough). The open does not block
 * on a named pipe; anything but a regular file is refused before a read. */
static int read_file(retort *r, const char *path, rt_str *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;

	rt_str_clear(buf);
	if (fd < 0)
		return rt_fail(r, RETORT_ECONFIG, "cannot read '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return rt_fail(r, RETORT_ECONFIG, "cannot read '%s': %s", path,
			       strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return rt_fail(r, RETORT_ECONFIG,
				       "cannot read '%s': %s", path,
				       strerror(EISDIR));
		return rt_fail(r, RETORT_ECONFIG,
			       "cannot read '%s': not a regular file (%s)",
			       path, file_kind(st.st_mode));
	}
	for (;;) {
		ssize_t got;

		if (buf->cap - buf->len < 4096 + 1 &&
		    rt_str_grow(buf, buf->cap ? buf->cap : 65536) < 0) {
			close(fd);
			return rt_err_oom(&r->err);
		}
		got = read(fd, buf->ptr + buf->len, buf->cap - buf->len - 1);
		if (got < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return rt_fail(r, RETORT_ECONFIG,
				       "cannot read '%s': %s", path,
				       strerror(e));
		}
		if (got == 0)
			break;
		buf->len += (size_t)got;
		buf->ptr[buf->len] = '\0';
	}
	close(fd);
	return 0;
}

/* In keep_going mode a failure becomes a problem and loading goes on. */
static int note(retort *r, int keep_going, int error, const char *kind,
		const char *path)
{
	const char *msg = rt_err_msg(&r->err);
	unsigned line = 0;

	if (!keep_going || error == RETORT_ENOMEM)
		return error;
	/* "path:line: ..." */
	if (path && !strncmp(msg, path, strlen(path)) &&
	    msg[strlen(path)] == ':')
		line = (unsigned)strtoul(msg + strlen(path) + 1, NULL, 10);
	if (rt_problem_add(&r->problems, kind, NULL, path, line, msg) < 0)
		return rt_err_oom(&r->err);
	return 0;
}

/* Parse one revision text into r->scripts; a parse error is a problem
 * with keep_going, else the error. */
static int add_script(retort *r, int keep_going, const char *name,
		      const char *text, size_t len)
{
	rt_script sc;
	int error;

	error = rt_script_parse(&sc, &r->files, name, text, len, &r->err);
	if (error < 0)
		return note(r, keep_going, error, "parse", name);
	if (RT_VEC_PUSH(&r->scripts, sc) < 0)
		return rt_err_oom(&r->err);
	return 0;
}

/* The revision sources handed to retort_open (no files). */
static int load_sources(retort *r, int keep_going)
{
	size_t i;
	int error = 0;

	for (i = 0; i < r->sources.n && !error; i++)
		error = add_script(r, keep_going, r->sources.v[i].name,
				   r->sources.v[i].text, r->sources.v[i].len);
	return error;
}

/* The *.sql files of every version location, sorted per location. */
static int find_files(retort *r, seen_dirs *seen, namevec *names)
{
	size_t i;
	int error, recursive;

	if ((error = locate(r)) < 0 ||
	    (error = rt_cfg_bool(r, "recursive_version_locations", 0,
				 &recursive)) < 0)
		return error;
	for (i = 0; i < r->locations.n; i++) {
		struct stat st;
		const char *loc = r->locations.v[i];

		if (stat(loc, &st) < 0 || !S_ISDIR(st.st_mode)) {
			if (r->locations.n == 1)
				return rt_fail(r, RETORT_ECONFIG,
					       "Path doesn't exist: '%s'.  "
					       "Please use the 'init' command "
					       "to create a new scripts "
					       "folder.",
					       loc);
			rt_log(r, RETORT_LOG_WARNING,
			       "version location '%s' does not exist; "
			       "skipping it",
			       loc);
			continue;
		}
		if ((error = list_dir(r, loc, recursive, seen, names)) < 0)
			return error;
	}
	return 0;
}

static int load_files(retort *r, int keep_going, const namevec *names)
{
	rt_str buf = RT_STR_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < names->n && !error; i++) {
		if ((error = read_file(r, names->v[i], &buf)) < 0)
			error = note(r, keep_going, error, "read", names->v[i]);
		else
			error = add_script(r, keep_going, names->v[i],
					   rt_str_cstr(&buf), buf.len);
	}
	rt_str_dispose(&buf);
	return error;
}

/* The graph of the loaded scripts. With keep_going every problem is kept
 * in r->problems and the first one becomes the handle's message. */
static int build_graph(retort *r, int keep_going)
{
	const retort_problem *p;
	int error;

	if (r->scripts.n > UINT32_MAX / 2)
		return rt_fail(r, RETORT_ECONFIG, "too many revision files");
	error = rt_graph_build(&r->graph, r->scripts.v, (uint32_t)r->scripts.n,
			       keep_going ? &r->problems : NULL, keep_going,
			       &r->err);
	if (error == RETORT_ENOMEM || (error < 0 && !keep_going))
		return error;
	r->loaded = 1;
	if (!keep_going || !r->problems.v.n)
		return 0;
	p = &r->problems.v.v[0];
	if (p->path && p->line && strncmp(p->message, p->path, strlen(p->path)))
		rt_fail(r, RETORT_EGRAPH, "%s:%u: %s", p->path, p->line,
			p->message);
	else
		rt_fail(r, RETORT_EGRAPH, "%s", p->message);
	return 0;
}

int rt_project_load(retort *r, int keep_going)
{
	namevec names = RT_VEC_INIT;
	seen_dirs seen = { RT_MAP_INIT, RT_ARENA_INIT, RT_VEC_INIT };
	int error;

	if (r->loaded && !keep_going)
		return r->graph ? 0 : RETORT_EGRAPH;
	rt_project_unload(r);
	rt_err_clear(&r->err);
	if (r->have_sources)
		error = load_sources(r, keep_going);
	else if ((error = find_files(r, &seen, &names)) == 0)
		error = load_files(r, keep_going, &names);
	if (error == 0)
		error = build_graph(r, keep_going);
	free_names(&names);
	seen_free(&seen);
	if (error < 0 && !keep_going) {
		int code = r->err.code;
		rt_str keep = RT_STR_INIT;

		/* unload, but keep the message */
		rt_str_puts(&keep, rt_err_msg(&r->err));
		rt_project_unload(r);
		rt_fail(r, code, "%s", rt_str_cstr(&keep));
		rt_str_dispose(&keep);
	}
	return error;
}

int rt_version_table(retort *r, const char **table, const char **schema)
{
	int error;

	if ((error = rt_cfg(r, "version_table", "retort_version", table)) < 0 ||
	    (error = rt_cfg(r, "version_table_schema", NULL, schema)) < 0)
		return error;
	if (!**table)
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: version_table must not be empty",
			       rt_config_path(r->cfg),
			       rt_config_line(r->cfg, "version_table"));
	return 0;
}
