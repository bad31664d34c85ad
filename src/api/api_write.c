/* SPDX-License-Identifier: MIT */
/*
 * api_write.c: writing files: `init` (config, template, versions folder),
 * `revision` and `merge` (Alembic's ScriptDirectory.generate_revision).
 *
 * A new revision file is created with O_EXCL (never overwriting), then
 * parsed back; if the template produced something that does not parse, or
 * that lost the requested branch labels, the file is removed again and the
 * error names the template.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "graph/ident.h"
#include "schema/schema.h"
#include "script/pyformat.h"
#include "script/slug.h"
#include "script/template.h"
#include "util/clock.h"
#include "util/path.h"
#include "util/str.h"

static const char default_template[] = "-- ${message}\n"
				       "--\n"
				       "-- Revision ID: ${up_revision}\n"
				       "-- Revises: ${down_revision}\n"
				       "-- Create Date: ${create_date}\n"
				       "-- Branch Labels: ${branch_labels}\n"
				       "-- Depends On: ${depends_on}\n"
				       "\n"
				       "-- migrate:upgrade\n"
				       "${upgrades}\n"
				       "\n"
				       "-- migrate:downgrade\n"
				       "${downgrades}\n";

static const char default_config[] =
    "# retort configuration: see docs/user-guide.md\n"
    "[retort]\n"
    "# where script.sql.tmpl and versions/ live\n"
    "script_location = %s\n"
    "\n"
    "# SQLAlchemy-style url; DATABASE_URL wins when it is set\n"
    "url = ${DATABASE_URL:-sqlite:///%%(here)s/app.db}\n"
    "\n"
    "# version_locations = %%(here)s/migrations/versions\n"
    "# file_template = %%%%(rev)s_%%%%(slug)s\n"
    "# revision_ids = hex            ; hex (12 hex digits) or sequential "
    "(001, 002, ...)\n"
    "# truncate_slug_length = 40\n"
    "# timezone = UTC\n"
    "# version_table = retort_version  ; alembic_version adopts a database "
    "that Alembic managed\n"
    "# version_table_schema =\n"
    "# log_table = retort_log\n"
    "# transaction_per_migration = true\n"
    "# lock_timeout = 60\n"
    "# schema = %%(here)s/schema.sql   ; the declared schema, for "
    "autogenerate and check\n"
    "# schema_command =               ; or a command printing it "
    "({dialect} substituted)\n"
    "# dev_url =                      ; scratch database for autogenerate\n";

static int mkdir_p(retort *r, const char *path)
{
	char *p = strdup(path), *s;

	if (!p)
		return rt_err_oom(&r->err);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			int e = errno;

			rt_fail(r, RETORT_ECONFIG,
				"cannot create folder '%s': %s", p,
				strerror(e));
			free(p);
			return RETORT_ECONFIG;
		}
		*s = '/';
	}
	if (mkdir(p, 0777) < 0 && errno != EEXIST) {
		int e = errno;

		rt_fail(r, RETORT_ECONFIG, "cannot create folder '%s': %s", p,
			strerror(e));
		free(p);
		return RETORT_ECONFIG;
	}
	free(p);
	return 0;
}

/* Write a new file; fails when it exists. */
static int write_new_file(retort *r, const char *path, const char *data,
			  size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	size_t off = 0;

	if (fd < 0)
		return rt_fail(r, RETORT_ECONFIG, "cannot create '%s': %s",
			       path, strerror(errno));
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rt_fail(r, RETORT_ECONFIG, "cannot write '%s': %s",
				path, strerror(errno));
			close(fd);
			unlink(path);
			return RETORT_ECONFIG;
		}
		off += (size_t)n;
	}
	if (close(fd) < 0) {
		rt_fail(r, RETORT_ECONFIG, "cannot write '%s': %s", path,
			strerror(errno));
		unlink(path);
		return RETORT_ECONFIG;
	}
	return 0;
}

static int dir_nonempty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int any = 0;

	if (!d)
		return 1;
	while (!any && (de = readdir(d)) != NULL)
		any = strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return any;
}

static char *absolute(const char *path)
{
	rt_str s = RT_STR_INIT;
	char cwd[4096];

	if (path[0] == '/')
		rt_str_puts(&s, path);
	else if (getcwd(cwd, sizeof(cwd)))
		rt_str_printf(&s, "%s/%s", cwd, path);
	else
		rt_str_puts(&s, path);
	if (s.oom) {
		rt_str_dispose(&s);
		return NULL;
	}
	rt_path_normalize(s.ptr);
	s.len = strlen(s.ptr);
	return rt_str_detach(&s);
}

/* The folder of an absolute path, resolved through symbolic links as
 * %(here)s is (make_here in config.c); malloc'd. */
static char *real_folder(const char *abs, int parent)
{
	char *p = strdup(abs), *real;

	if (!p)
		return NULL;
	if (parent)
		*strrchr(p, '/') = '\0';
	real = realpath(*p ? p : "/", NULL);
	if (!real && errno != ENOMEM)
		return p; /* lexical, as it came */
	free(p);
	return real;
}

/* The path from folder `from` to `to`, both absolute and normalized:
 * "sub/x", "../x", or "" for the same folder. */
static void relative_path(rt_str *out, const char *from, const char *to)
{
	size_t i = 0, common = 0;

	/* the longest common prefix that ends at a folder boundary */
	while (from[i] && from[i] == to[i]) {
		i++;
		if ((from[i] == '/' || !from[i]) && (to[i] == '/' || !to[i]))
			common = i;
	}
	for (i = common; from[i]; i++)
		if (from[i] == '/' && from[i + 1])
			rt_str_puts(out, out->len ? "/.." : "..");
	to += common;
	if (*to == '/')
		to++;
	if (*to)
		rt_str_printf(out, "%s%s", out->len ? "/" : "", to);
}

/* script_location: %(here)s-relative when DIR was given relative (as
 * Alembic writes it) or lies below the config's folder, so that the
 * project can be moved or cloned; otherwise DIR's absolute path. */
static char *script_location_value(const char *config_abs, const char *dir,
				   const char *dir_abs)
{
	rt_str s = RT_STR_INIT, rel = RT_STR_INIT;
	char *here = real_folder(config_abs, 1), *to = real_folder(dir_abs, 0);
	const char *value = dir_abs, *p;
	int failed;

	if (!here || !to)
		goto done;
	relative_path(&rel, here, to);
	if (dir[0] != '/' || (strcmp(rt_str_cstr(&rel), "..") &&
			      strncmp(rt_str_cstr(&rel), "../", 3))) {
		rt_str_puts(&s, "%(here)s");
		value = rt_str_cstr(&rel);
		if (*value)
			rt_str_putc(&s, '/');
	}
	/* a literal % must be written %% in the config */
	for (p = value; *p; p++) {
		if (*p == '%')
			rt_str_putc(&s, '%');
		rt_str_putc(&s, *p);
	}
done:
	failed = !here || !to || rel.oom || s.oom;
	free(here);
	free(to);
	rt_str_dispose(&rel);
	if (failed) {
		rt_str_dispose(&s);
		return NULL;
	}
	return rt_str_detach(&s);
}

/* `dir` must be a new or empty folder. */
static int check_init_dir(retort *r, const char *dir, const char *dir_abs)
{
	struct stat st;

	if (stat(dir_abs, &st) == 0 && !S_ISDIR(st.st_mode))
		return rt_fail(r, RETORT_EUSAGE,
			       "%s already exists and is not a directory", dir);
	if (stat(dir_abs, &st) == 0 && dir_nonempty(dir_abs))
		return rt_fail(r, RETORT_EUSAGE,
			       "Directory %s already exists and is not empty",
			       dir);
	return 0;
}

/* The config's folder, made first so that a failure there leaves nothing
 * half made; it must be a folder we can write in (unless the config
 * exists). */
static int make_config_dir(retort *r, const char *cfg_abs)
{
	char *cfg_dir = strdup(cfg_abs);
	struct stat st;
	int error;

	if (!cfg_dir)
		return rt_err_oom(&r->err);
	*strrchr(cfg_dir, '/') = '\0';
	error = *cfg_dir ? mkdir_p(r, cfg_dir) : 0;
	if (!error && *cfg_dir &&
	    (stat(cfg_dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		error = rt_fail(r, RETORT_EUSAGE,
				"cannot create '%s': '%s' is not a folder",
				cfg_abs, cfg_dir);
	else if (!error && *cfg_dir && access(cfg_dir, W_OK) < 0 &&
		 stat(cfg_abs, &st) < 0)
		error = rt_fail(r, RETORT_EUSAGE, "cannot create '%s': %s",
				cfg_abs, strerror(errno));
	free(cfg_dir);
	return error;
}

/* The script folder: versions/ and script.sql.tmpl. */
static int make_script_dir(retort *r, const char *dir_abs)
{
	rt_str versions = RT_STR_INIT, tmpl = RT_STR_INIT;
	int error;

	rt_str_printf(&versions, "%s/versions", dir_abs);
	rt_str_printf(&tmpl, "%s/script.sql.tmpl", dir_abs);
	if (versions.oom || tmpl.oom) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error = mkdir_p(r, dir_abs)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Creating directory %s ...  done",
	       dir_abs);
	if ((error = mkdir_p(r, versions.ptr)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Creating directory %s ...  done",
	       versions.ptr);
	if ((error = write_new_file(r, tmpl.ptr, default_template,
				    sizeof(default_template) - 1)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Generating %s ...  done", tmpl.ptr);
done:
	rt_str_dispose(&versions);
	rt_str_dispose(&tmpl);
	return error;
}

/* retort.ini, unless it exists. */
static int write_config(retort *r, const char *cfg_abs, const char *dir,
			const char *dir_abs)
{
	rt_str cfg = RT_STR_INIT;
	struct stat st;
	char *loc;
	int error;

	if (stat(cfg_abs, &st) == 0) {
		rt_log(r, RETORT_LOG_INFO, "File %s already exists, skipping",
		       cfg_abs);
		return 0;
	}
	loc = script_location_value(cfg_abs, dir, dir_abs);
	if (!loc)
		return rt_err_oom(&r->err);
	rt_str_printf(&cfg, default_config, loc);
	free(loc);
	if (cfg.oom) {
		rt_str_dispose(&cfg);
		return rt_err_oom(&r->err);
	}
	error = write_new_file(r, cfg_abs, cfg.ptr, cfg.len);
	rt_str_dispose(&cfg);
	if (error < 0)
		return error;
	rt_log(r, RETORT_LOG_INFO, "  Generating %s ...  done", cfg_abs);
	return 0;
}

/* Open the new project in place of *rp (which keeps the error when it
 * cannot be opened). */
static int reopen(retort **rp, const char *cfg_abs,
		  const retort_init_options *opts)
{
	retort_open_options oo = RETORT_OPEN_OPTIONS_INIT;
	retort *opened = NULL;
	int error;

	oo.config_path = cfg_abs;
	oo.log = opts->log;
	oo.log_payload = opts->log_payload;
	error = retort_open(&opened, &oo);
	if (error < 0) {
		rt_fail(*rp, error, "%s", retort_errmsg(opened));
		retort_close(opened);
		return error;
	}
	retort_close(*rp);
	*rp = opened;
	return error;
}

int retort_init(retort **out, const char *dir, const retort_init_options *opts)
{
	retort_init_options defaults = RETORT_INIT_OPTIONS_INIT;
	char *dir_abs = NULL, *cfg_abs = NULL;
	retort *r;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	r = calloc(1, sizeof(*r));
	if (!r)
		return RETORT_ENOMEM;
	*out = r;
	r->log = opts->log;
	r->log_payload = opts->log_payload;
	if (!dir || !*dir)
		return rt_fail(r, RETORT_EUSAGE, "init needs a directory");
	dir_abs = absolute(dir);
	cfg_abs =
	    absolute(opts->config_path ? opts->config_path : "retort.ini");
	if (!dir_abs || !cfg_abs) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error = check_init_dir(r, dir, dir_abs)) < 0 ||
	    (error = make_config_dir(r, cfg_abs)) < 0 ||
	    (error = make_script_dir(r, dir_abs)) < 0 ||
	    (error = write_config(r, cfg_abs, dir, dir_abs)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO,
	       "Please edit configuration/connection settings in '%s' before "
	       "proceeding.",
	       cfg_abs);
	error = reopen(out, cfg_abs, opts);
done:
	free(dir_abs);
	free(cfg_abs);
	return error;
}

/* ------------------------------------------------------------------ */
/* revision and merge */

static int random_hex(retort *r, char out[13])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char b[6];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t i;

	if (fd < 0 || read(fd, b, sizeof(b)) != (ssize_t)sizeof(b)) {
		if (fd >= 0)
			close(fd);
		return rt_fail(r, RETORT_ERROR,
			       "cannot read /dev/urandom for a revision id");
	}
	close(fd);
	for (i = 0; i < 6; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[12] = '\0';
	return 0;
}

int rt_id_number(const char *id, unsigned long long *num, size_t *digits)
{
	size_t k;

	for (k = 0; id[k] >= '0' && id[k] <= '9'; k++)
		;
	if (!k || k > 18 || (id[k] && id[k] != '_'))
		return 0;
	*num = strtoull(id, NULL, 10);
	*digits = k;
	return 1;
}

/* revision_ids = sequential: one more than the largest numbered id
 * ("042", "042_add_tags"), zero-padded to the widest number (at least 3
 * digits). */
static int next_sequential(retort *r, char *out, size_t cap)
{
	unsigned long long max = 0, num;
	size_t width = 3, digits;
	uint32_t i;

	for (i = 0; i < r->graph->n; i++) {
		if (!rt_id_number(r->graph->revs[i].s.id, &num, &digits))
			continue;
		if (digits > width)
			width = digits;
		if (num > max)
			max = num;
	}
	snprintf(out, cap, "%0*llu", (int)width, max + 1);
	return 0;
}

/* Empty template values leave "Depends On: " with a trailing blank. */
static void strip_trailing_blanks(rt_str *s)
{
	size_t r = 0, w = 0, line_end;

	if (!s->ptr)
		return;
	while (r < s->len) {
		line_end = r;
		while (line_end < s->len && s->ptr[line_end] != '\n')
			line_end++;
		{
			size_t e = line_end;

			while (e > r &&
			       (s->ptr[e - 1] == ' ' || s->ptr[e - 1] == '\t'))
				e--;
			memmove(s->ptr + w, s->ptr + r, e - r);
			w += e - r;
		}
		if (line_end < s->len)
			s->ptr[w++] = '\n';
		r = line_end + 1;
	}
	s->len = w;
	s->ptr[w] = '\0';
}

static int check_new_id(retort *r, const char *id)
{
	const char *why;
	char bad[64];
	uint32_t idx;

	if (!rt_valid_id(id, strlen(id), bad)) {
		if (!*id || strlen(id) > 255)
			return rt_fail(r, RETORT_EUSAGE,
				       "a revision id has 1 to 255 characters");
		return rt_fail(r, RETORT_EUSAGE,
			       "Character(s) '%s' not allowed in revision "
			       "identifier '%s'",
			       bad, id);
	}
	if ((why = rt_reserved_id(id, strlen(id))) != NULL)
		return rt_fail(r, RETORT_EUSAGE,
			       "revision id '%s' is reserved%s", id, why);
	if (rt_map_get(&r->graph->keys, id, strlen(id), &idx)) {
		uint32_t lab;

		if (rt_map_get(&r->graph->label_ids, id, strlen(id), &lab))
			return rt_fail(r, RETORT_EUSAGE,
				       "'%s' is already a branch label (of "
				       "revision %s)",
				       id, r->graph->revs[idx].s.id);
		return rt_fail(r, RETORT_EUSAGE,
			       "Revision %s is present more than once (%s)", id,
			       r->graph->revs[idx].s.path);
	}
	return 0;
}

static int read_template(retort *r, char **text, size_t *len, char **path)
{
	rt_str p = RT_STR_INIT, buf = RT_STR_INIT;
	FILE *f;
	char chunk[4096];
	size_t n;

	*text = NULL;
	*path = NULL;
	rt_str_printf(&p, "%s/script.sql.tmpl", r->script_location);
	if (p.oom)
		return rt_err_oom(&r->err);
	f = fopen(p.ptr, "rb");
	if (!f) {
		if (errno == ENOENT) {
			/* no template: the built-in default */
			*path = rt_str_detach(&p);
			*text = strdup(default_template);
			*len = sizeof(default_template) - 1;
			return *text ? 0 : rt_err_oom(&r->err);
		}
		rt_fail(r, RETORT_ECONFIG, "cannot read '%s': %s", p.ptr,
			strerror(errno));
		rt_str_dispose(&p);
		return RETORT_ECONFIG;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rt_str_append(&buf, chunk, n);
	fclose(f);
	if (buf.oom) {
		rt_str_dispose(&p);
		rt_str_dispose(&buf);
		return rt_err_oom(&r->err);
	}
	*len = buf.len;
	*text = rt_str_detach(&buf);
	*path = rt_str_detach(&p);
	return 0;
}

/* The version location to write into (Alembic's rules). */
static int pick_location(retort *r, const char *version_path,
			 const int32_t *heads, uint32_t nheads,
			 const char **out)
{
	char *abs;
	size_t i;

	*out = NULL;
	if (!version_path) {
		if (r->locations.n > 1) {
			uint32_t k;

			for (k = 0; k < nheads; k++) {
				const char *p;
				char *dir;

				if (heads[k] < 0)
					continue;
				p = r->graph->revs[heads[k]].s.path;
				dir = rt_arena_strndup(
				    &r->files, p,
				    (size_t)(strrchr(p, '/') - p));
				if (!dir)
					return rt_err_oom(&r->err);
				*out = dir;
				return 0;
			}
			return rt_fail(r, RETORT_EUSAGE,
				       "Multiple version locations present, "
				       "please specify --version-path");
		}
		*out = r->locations.v[0];
		return 0;
	}
	{
		char *cwd_abs = absolute(version_path);

		if (!cwd_abs)
			return rt_err_oom(&r->err);
		abs = rt_arena_strdup(&r->files, cwd_abs);
		free(cwd_abs);
		if (!abs)
			return rt_err_oom(&r->err);
	}
	for (i = 0; i < r->locations.n; i++)
		if (!strcmp(r->locations.v[i], abs)) {
			*out = r->locations.v[i];
			return 0;
		}
	return rt_fail(r, RETORT_EUSAGE,
		       "Path %s is not represented in current version "
		       "locations",
		       version_path);
}

/* "-- migrate:upgrade" -> "-- migrate:upgrade" + options, e.g.
 * " dialect:sqlite transaction:false" (or the downgrade's marker): the
 * first marker in the body, which is the template's */
static int mark_options(rt_str *body, const char *marker, const char *options)
{
	const char *at = body->ptr ? strstr(body->ptr, marker) : NULL;
	rt_str out = RT_STR_INIT;
	size_t off;

	if (!at)
		return 0;
	if (!options || !*options)
		return 0;
	off = (size_t)(at - body->ptr) + strlen(marker);
	rt_str_append(&out, body->ptr, off);
	rt_str_puts(&out, options);
	rt_str_puts(&out, body->ptr + off);
	if (out.oom) {
		rt_str_dispose(&out);
		return -1;
	}
	rt_str_dispose(body);
	*body = out;
	return 0;
}

/*
 * A new revision file is made in steps that share this state, in this
 * order (which fixes which error a user sees first): choose_id,
 * resolve_parents, place_revision, check_heads, template_values,
 * file_name, render_body, write_file, parse_back, reload. Each step sets
 * the error on the handle and returns it; gen_dispose is the one cleanup.
 */
typedef struct gen {
	retort *r;
	const retort_revision_options *o;
	rt_resolver res;
	rt_refs heads;
	char revid[256];
	rt_datetime now;
	const char *location;
	/* the template's values */
	rt_str down, deps, labels, date;
	/* the file */
	rt_str path, body;
	char *tmpl, *tmpl_path;
	size_t tmpl_len;
} gen;

static void gen_init(gen *g, retort *r, const retort_revision_options *o)
{
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->o = o;
	rt_resolver_init(&g->res, r->graph, &r->err);
}

static void gen_dispose(gen *g)
{
	rt_resolver_dispose(&g->res);
	rt_str_dispose(&g->down);
	rt_str_dispose(&g->deps);
	rt_str_dispose(&g->labels);
	rt_str_dispose(&g->date);
	rt_str_dispose(&g->path);
	rt_str_dispose(&g->body);
	free(g->tmpl);
	free(g->tmpl_path);
}

/* The new id: --rev-id, or revision_ids (hex or sequential); never one
 * that is taken or reserved. */
static int choose_id(gen *g)
{
	retort *r = g->r;
	const char *ids_kind;
	int error;

	if ((error = rt_cfg(r, "revision_ids", "hex", &ids_kind)) < 0)
		return error;
	if (g->o->rev_id) {
		if (strlen(g->o->rev_id) >= sizeof(g->revid))
			return rt_fail(r, RETORT_EUSAGE,
				       "a revision id has 1 to 255 "
				       "characters");
		strcpy(g->revid, g->o->rev_id);
	} else if (!strcmp(ids_kind, "sequential")) {
		next_sequential(r, g->revid, sizeof(g->revid));
	} else if (!strcmp(ids_kind, "hex")) {
		if ((error = random_hex(r, g->revid)) < 0)
			return error;
	} else {
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: revision_ids must be hex or "
			       "sequential, not '%s'",
			       rt_config_path(r->cfg),
			       rt_config_line(r->cfg, "revision_ids"),
			       ids_kind);
	}
	return check_new_id(r, g->revid);
}

/* The parents ("head" when none is given): real revisions, each once. */
static int resolve_parents(gen *g, const char *const *args, size_t n)
{
	static const char *const def[1] = { "head" };
	retort *r = g->r;
	size_t i, k;
	int error;

	if (!n) {
		args = def;
		n = 1;
	}
	error = rt_get_revisions(&g->res, rt_arg_tuple(args, (uint32_t)n),
				 &g->heads);
	if (error < 0) {
		rt_catch c = { NULL,
			       "Multiple heads are present; please specify "
			       "the head revision on which the new revision "
			       "should be based, or perform a merge.",
			       NULL, NULL, NULL };

		return rt_resolver_catch(&g->res, &c);
	}
	for (i = 0; i < g->heads.n; i++) {
		if (g->heads.v[i] < 0)
			return rt_fail(r, RETORT_EUSAGE,
				       "cannot base a revision on 'base' "
				       "together with other revisions");
		for (k = 0; k < i; k++)
			if (g->heads.v[k] == g->heads.v[i])
				return rt_fail(r, RETORT_EUSAGE,
					       "Duplicate head revisions "
					       "specified");
	}
	return 0;
}

/* When (the configured timezone) and where (the version location). */
static int place_revision(gen *g)
{
	const char *tz;
	int error;

	if ((error = rt_cfg(g->r, "timezone", NULL, &tz)) < 0 ||
	    (error = rt_clock_now(&g->now, tz && *tz ? tz : NULL, &g->r->err)) <
		0)
		return error;
	return pick_location(g->r, g->o->version_path, g->heads.v, g->heads.n,
			     &g->location);
}

/* Without --splice, every parent must be a head. */
static int check_heads(gen *g)
{
	size_t i;

	if (g->o->splice)
		return 0;
	for (i = 0; i < g->heads.n; i++) {
		const retort_revision *h = &g->r->graph->revs[g->heads.v[i]];

		if (!(h->flags & RETORT_REV_HEAD))
			return rt_fail(g->r, RETORT_EUSAGE,
				       "Revision %s is not a head revision; "
				       "please specify --splice to create a "
				       "new branch from this revision",
				       h->s.id);
	}
	return 0;
}

/* depends_on: partial ids resolved, branch labels kept. */
static int resolve_depends(gen *g)
{
	retort *r = g->r;
	size_t i;

	for (i = 0; i < g->o->ndepends; i++) {
		const char *dep = g->o->depends_on[i];
		uint32_t lab;
		int32_t d;

		if (rt_get_revision(&g->res, dep, &d) < 0)
			return rt_resolver_catch(&g->res, NULL);
		if (d < 0)
			return rt_fail(r, RETORT_EUSAGE,
				       "cannot depend on '%s'", dep);
		if (g->deps.len)
			rt_str_puts(&g->deps, ", ");
		if (rt_map_get(&r->graph->label_ids, dep, strlen(dep), &lab) &&
		    rt_graph_has_label(r->graph, (uint32_t)d, lab))
			rt_str_puts(&g->deps, dep);
		else
			rt_str_puts(&g->deps, r->graph->revs[d].s.id);
	}
	return 0;
}

/* --branch-label: comma-separated, each a valid and unused name. */
static int parse_labels(gen *g)
{
	retort *r = g->r;
	const char *p = g->o->branch_label;

	while (p && *p) {
		const char *s = p, *e;
		char bad[64];
		uint32_t owner;

		while (*s == ' ' || *s == ',')
			s++;
		e = s;
		while (*e && *e != ',')
			e++;
		p = e;
		while (e > s && e[-1] == ' ')
			e--;
		if (e == s)
			continue;
		if (!rt_valid_id(s, (size_t)(e - s), bad))
			return rt_fail(r, RETORT_EUSAGE,
				       "Character(s) '%s' not allowed in "
				       "branch label '%.*s'",
				       bad, (int)(e - s), s);
		if (rt_map_get(&r->graph->keys, s, (size_t)(e - s), &owner))
			return rt_fail(r, RETORT_EUSAGE,
				       "Branch name '%.*s' in revision %s "
				       "already used by revision %s",
				       (int)(e - s), s, g->revid,
				       r->graph->revs[owner].s.id);
		rt_str_printf(&g->labels, "%s%.*s", g->labels.len ? ", " : "",
			      (int)(e - s), s);
	}
	return 0;
}

/* Depends On, Revises and Branch Labels. */
static int template_values(gen *g)
{
	size_t i;
	int error;

	if ((error = resolve_depends(g)) < 0)
		return error;
	for (i = 0; i < g->heads.n; i++)
		rt_str_printf(&g->down, "%s%s", i ? ", " : "",
			      g->r->graph->revs[g->heads.v[i]].s.id);
	return parse_labels(g);
}

/* file_template with the slug and the date: the new file's path. */
static int file_name(gen *g)
{
	retort *r = g->r;
	rt_str slug = RT_STR_INIT, fname = RT_STR_INIT;
	const char *file_template;
	long truncate;
	int error;

	if ((error = rt_config_get_int(r->cfg, "truncate_slug_length", 40,
				       &truncate, &r->err)) < 0 ||
	    (error = rt_cfg(r, "file_template", "%(rev)s_%(slug)s",
			    &file_template)) < 0)
		goto done;
	if (rt_slugify(&slug, g->o->message ? g->o->message : "",
		       (int)truncate) < 0) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	{
		rt_fmt_arg args[] = {
			{ "rev", g->revid, 0 },
			{ "slug", rt_str_cstr(&slug), 0 },
			{ "epoch", NULL, g->now.epoch },
			{ "year", NULL, g->now.year },
			{ "month", NULL, g->now.month },
			{ "day", NULL, g->now.day },
			{ "hour", NULL, g->now.hour },
			{ "minute", NULL, g->now.minute },
			{ "second", NULL, g->now.second },
		};

		if ((error = rt_pyformat(&fname, file_template, args,
					 sizeof(args) / sizeof(args[0]),
					 "file_template", &r->err)) < 0)
			goto done;
	}
	if (strchr(fname.ptr ? fname.ptr : "", '/')) {
		error = rt_fail(r, RETORT_ECONFIG,
				"file_template gives a name with '/' ('%s')",
				fname.ptr);
		goto done;
	}
	rt_str_printf(&g->path, "%s/%s.sql", g->location, rt_str_cstr(&fname));
	rt_datetime_format(&g->date, &g->now);
done:
	rt_str_dispose(&slug);
	rt_str_dispose(&fname);
	return error;
}

typedef RT_VEC(rt_tmpl_var) tmpl_vars;

/* The template's variables: ours, then the -x key=value pairs. Returns 0
 * or -1 on OOM. */
static int template_vars(gen *g, tmpl_vars *vars)
{
	const retort_revision_options *o = g->o;
	rt_tmpl_var base_vars[] = {
		{ "message", o->message ? o->message : "empty message" },
		{ "up_revision", g->revid },
		{ "down_revision", rt_str_cstr(&g->down) },
		{ "create_date", rt_str_cstr(&g->date) },
		{ "branch_labels", rt_str_cstr(&g->labels) },
		{ "depends_on", rt_str_cstr(&g->deps) },
		{ "upgrades", o->upgrades ? o->upgrades : "" },
		{ "downgrades", o->downgrades ? o->downgrades : "" },
	};
	size_t i;

	for (i = 0; i < sizeof(base_vars) / sizeof(base_vars[0]); i++)
		if (RT_VEC_PUSH(vars, base_vars[i]) < 0)
			return -1;
	for (i = 0; i < g->r->xargs.n; i++) {
		rt_tmpl_var v = { g->r->xargs.v[i].key,
				  g->r->xargs.v[i].value };

		if (RT_VEC_PUSH(vars, v) < 0)
			return -1;
	}
	return 0;
}

/* script.sql.tmpl (or the built-in one) filled in: the file's text. */
static int render_body(gen *g, const char *const *options)
{
	retort *r = g->r;
	tmpl_vars vars = RT_VEC_INIT;
	int error;

	if ((error = read_template(r, &g->tmpl, &g->tmpl_len, &g->tmpl_path)) <
	    0)
		goto done;
	if (template_vars(g, &vars) < 0) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error =
		 rt_template_render(&g->body, g->tmpl, g->tmpl_len,
				    g->tmpl_path, vars.v, vars.n, &r->err)) < 0)
		goto done;
	strip_trailing_blanks(&g->body);
	if ((options &&
	     (mark_options(&g->body, "-- migrate:upgrade", options[0]) < 0 ||
	      mark_options(&g->body, "-- migrate:downgrade", options[1]) <
		  0)) ||
	    g->path.oom || g->date.oom || g->down.oom || g->deps.oom ||
	    g->labels.oom || g->body.oom)
		error = rt_err_oom(&r->err);
done:
	RT_VEC_FREE(&vars);
	return error;
}

static int write_file(gen *g)
{
	int error;

	if ((error = mkdir_p(g->r, g->location)) < 0)
		return error;
	return write_new_file(g->r, g->path.ptr, rt_str_cstr(&g->body),
			      g->body.len);
}

/* The written file must parse, with the new id and the branch labels;
 * otherwise it is removed and the error names the template. */
static int parse_back(gen *g)
{
	retort *r = g->r;
	rt_arena a = RT_ARENA_INIT;
	rt_script sc;
	rt_err perr = RT_ERR_INIT;
	int error;

	error = rt_script_parse(&sc, &a, g->path.ptr, rt_str_cstr(&g->body),
				g->body.len, &perr);
	if (error < 0)
		rt_fail(r, RETORT_ECONFIG,
			"%s produced a revision file that does not parse: %s",
			g->tmpl_path, rt_err_msg(&perr));
	else if (strcmp(sc.id, g->revid))
		error = rt_fail(r, RETORT_ECONFIG,
				"%s does not put ${up_revision} in the "
				"'Revision ID:' line",
				g->tmpl_path);
	else if (g->labels.len && !sc.nlabels)
		error = rt_fail(r, RETORT_ECONFIG,
				"Version %s specified branch_labels %s, "
				"however the migration file %s does not have "
				"them; have you upgraded your script.sql.tmpl "
				"to include the 'branch_labels' section?",
				g->revid, g->labels.ptr, g->path.ptr);
	rt_err_dispose(&perr);
	rt_arena_free(&a);
	if (error < 0) {
		unlink(g->path.ptr);
		return RETORT_ECONFIG;
	}
	return 0;
}

/* Load the project again and find the new revision in it; when the new
 * file breaks the project, it is taken back. */
static int reload(gen *g, const retort_revision **out)
{
	retort *r = g->r;
	uint32_t idx;
	int error;

	rt_resolver_dispose(&g->res);
	rt_resolver_init(&g->res, NULL, &r->err);
	rt_project_unload(r);
	error = rt_project_load(r, 0);
	if (error < 0) {
		rt_err keep_err = RT_ERR_INIT;

		rt_err_move(&keep_err, &r->err);
		unlink(g->path.ptr);
		rt_project_unload(r);
		rt_project_load(r, 0);
		rt_str_printf(&keep_err.msg, " (%s was not kept)", g->path.ptr);
		rt_err_move(&r->err, &keep_err);
		return error;
	}
	if (!rt_map_get(&r->graph->ids, g->revid, strlen(g->revid), &idx))
		return rt_fail(r, RETORT_ECONFIG,
			       "the new revision %s is not in a version "
			       "location",
			       g->revid);
	*out = &r->graph->revs[idx];
	return 0;
}

static int generate(retort *r, const retort_revision_options *o,
		    const char *const *head_args, size_t nhead_args,
		    const char *const *options, const retort_revision **out)
{
	gen g;
	int error;

	*out = NULL;
	gen_init(&g, r, o);
	if ((error = choose_id(&g)) < 0 ||
	    (error = resolve_parents(&g, head_args, nhead_args)) < 0 ||
	    (error = place_revision(&g)) < 0 || (error = check_heads(&g)) < 0 ||
	    (error = template_values(&g)) < 0 || (error = file_name(&g)) < 0 ||
	    (error = render_body(&g, options)) < 0 ||
	    (error = write_file(&g)) < 0 || (error = parse_back(&g)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Generating %s ...  done", g.path.ptr);
	error = reload(&g, out);
done:
	gen_dispose(&g);
	return error;
}

static int load_for_write(retort *r)
{
	rt_err_clear(&r->err);
	if (r->have_sources)
		return rt_fail(r, RETORT_EUSAGE,
			       "revisions held in memory cannot be written "
			       "to; open the project from its config file");
	return rt_project_load(r, 0);
}

int retort_revision_create(const retort_revision **out, retort *r,
			   const retort_revision_options *opts)
{
	retort_revision_options defaults = RETORT_REVISION_OPTIONS_INIT;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((error = load_for_write(r)) < 0)
		return error;
	if (opts->autogenerate) {
		retort_revision_options o = *opts;
		char *up = NULL, *down = NULL, *options[2] = { NULL, NULL };

		if ((error = rt_autogenerate_sections(r, &up, &down, options)) <
		    0)
			return error;
		o.upgrades = up;
		o.downgrades = down;
		o.autogenerate = 0;
		error = generate(r, &o, opts->head ? &opts->head : NULL,
				 opts->head ? 1 : 0,
				 (const char *const *)options, out);
		free(up);
		free(down);
		free(options[0]);
		free(options[1]);
		return error;
	}
	if (opts->head)
		return generate(r, opts, &opts->head, 1, NULL, out);
	return generate(r, opts, NULL, 0, NULL, out);
}

int retort_merge(const retort_revision **out, retort *r,
		 const char *const *revs, size_t nrevs,
		 const retort_revision_options *opts)
{
	retort_revision_options defaults = RETORT_REVISION_OPTIONS_INIT;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!nrevs)
		return rt_fail(r, RETORT_EUSAGE,
			       "merge needs the revisions to merge (or "
			       "'heads')");
	if ((error = load_for_write(r)) < 0)
		return error;
	return generate(r, opts, revs, nrevs, NULL, out);
}
