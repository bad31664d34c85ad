/* SPDX-License-Identifier: MIT */
/*
 * project.c: opening a project (config, options, the URL and its
 * password_file) and loading it: version locations -> revision files
 * (files.c) -> parsed scripts -> graph.
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

#include "project/files.h"
#include "project/load.h"
#include "project/project.h"
#include "util/file.h"
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
	r->scripts = NULL; /* in r->files */
	r->nscripts = 0;
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

/* The first line of the password file at path (at most 4095 bytes, the
 * line end not included) into *out. Regular files only: the open does not
 * block on a named pipe. Messages name the key and the path, never any
 * of the file's text. */
static int read_password_file(retort *r, const char *path, unsigned line,
			      char **out)
{
	const char *cfg = rt_config_path(r->cfg);
	char buf[4096], why[128];
	size_t n = 0;
	char *nl;
	int fd, e;

	*out = NULL;
	if ((fd = rt_open_regular(path, 0, why, sizeof(why))) < 0)
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: cannot read password_file '%s': %s", cfg,
			       line, path, why);
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

/* The revision files of every version location. */
static int find_files(retort *r, rt_files *files)
{
	int error, recursive;

	if ((error = locate(r)) < 0 ||
	    (error = rt_cfg_bool(r, "recursive_version_locations", 0,
				 &recursive)) < 0)
		return error;
	return rt_files_list(r, recursive, files);
}

/* The graph of the loaded scripts. With keep_going every problem is kept
 * in r->problems and the first one becomes the handle's message. */
static int build_graph(retort *r, int keep_going)
{
	const retort_problem *p;
	int error;

	error = rt_graph_adopt(&r->graph, r->scripts, (uint32_t)r->nscripts,
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
	rt_files files = { RT_VEC_INIT, RT_ARENA_INIT };
	int error;

	if (r->loaded && !keep_going)
		return r->graph ? 0 : RETORT_EGRAPH;
	rt_project_unload(r);
	rt_err_clear(&r->err);
	if (r->have_sources)
		error = rt_load_sources(r, keep_going);
	else if ((error = find_files(r, &files)) == 0)
		error = rt_load_files(r, keep_going, &files);
	if (error == 0)
		error = build_graph(r, keep_going);
	rt_files_free(&files);
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
