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

#include "graph/ident.h"
#include "project/project.h"
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
    "url = ${DATABASE_URL:-sqlite:///app.db}\n"
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

/* dir relative to the config's folder when it lies below it. */
static char *script_location_value(const char *config_abs, const char *dir_abs)
{
	rt_str s = RT_STR_INIT;
	const char *slash = strrchr(config_abs, '/');
	size_t n = slash ? (size_t)(slash - config_abs) : 0;

	if (n && !strncmp(dir_abs, config_abs, n) && dir_abs[n] == '/')
		rt_str_printf(&s, "%%(here)s/%s", dir_abs + n + 1);
	else {
		const char *p;

		/* a literal % must be written %% in the config */
		for (p = dir_abs; *p; p++) {
			if (*p == '%')
				rt_str_putc(&s, '%');
			rt_str_putc(&s, *p);
		}
	}
	return s.oom ? (rt_str_dispose(&s), NULL) : rt_str_detach(&s);
}

int retort_init(retort **out, const char *dir, const retort_init_options *opts)
{
	retort_init_options defaults = RETORT_INIT_OPTIONS_INIT;
	retort_open_options oo = RETORT_OPEN_OPTIONS_INIT;
	char *dir_abs = NULL, *cfg_abs = NULL, *versions = NULL;
	char *tmpl = NULL, *loc = NULL;
	retort *r;
	struct stat st;
	int error = 0;

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
	if (stat(dir_abs, &st) == 0 && !S_ISDIR(st.st_mode)) {
		error =
		    rt_fail(r, RETORT_EUSAGE,
			    "%s already exists and is not a directory", dir);
		goto done;
	}
	if (stat(dir_abs, &st) == 0 && dir_nonempty(dir_abs)) {
		error = rt_fail(r, RETORT_EUSAGE,
				"Directory %s already exists and is not empty",
				dir);
		goto done;
	}
	/* the config's folder first, so that a failure there leaves
	 * nothing half made */
	{
		char *cfg_dir = strdup(cfg_abs);

		if (!cfg_dir) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		*strrchr(cfg_dir, '/') = '\0';
		error = *cfg_dir ? mkdir_p(r, cfg_dir) : 0;
		if (!error && *cfg_dir &&
		    (stat(cfg_dir, &st) < 0 || !S_ISDIR(st.st_mode)))
			error = rt_fail(r, RETORT_EUSAGE,
					"cannot create '%s': '%s' is not a "
					"folder",
					cfg_abs, cfg_dir);
		else if (!error && *cfg_dir && access(cfg_dir, W_OK) < 0 &&
			 stat(cfg_abs, &st) < 0)
			error =
			    rt_fail(r, RETORT_EUSAGE, "cannot create '%s': %s",
				    cfg_abs, strerror(errno));
		free(cfg_dir);
		if (error < 0)
			goto done;
	}
	{
		rt_str v = RT_STR_INIT, t = RT_STR_INIT;

		rt_str_printf(&v, "%s/versions", dir_abs);
		rt_str_printf(&t, "%s/script.sql.tmpl", dir_abs);
		versions = v.oom ? NULL : rt_str_detach(&v);
		tmpl = t.oom ? NULL : rt_str_detach(&t);
		rt_str_dispose(&v);
		rt_str_dispose(&t);
		if (!versions || !tmpl) {
			error = rt_err_oom(&r->err);
			goto done;
		}
	}
	if ((error = mkdir_p(r, dir_abs)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Creating directory %s ...  done",
	       dir_abs);
	if ((error = mkdir_p(r, versions)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Creating directory %s ...  done",
	       versions);
	if ((error = write_new_file(r, tmpl, default_template,
				    sizeof(default_template) - 1)) < 0)
		goto done;
	rt_log(r, RETORT_LOG_INFO, "  Generating %s ...  done", tmpl);
	if (stat(cfg_abs, &st) == 0) {
		rt_log(r, RETORT_LOG_INFO, "File %s already exists, skipping",
		       cfg_abs);
	} else {
		rt_str cfg = RT_STR_INIT;

		loc = script_location_value(cfg_abs, dir_abs);
		if (!loc) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		rt_str_printf(&cfg, default_config, loc);
		if (cfg.oom) {
			rt_str_dispose(&cfg);
			error = rt_err_oom(&r->err);
			goto done;
		}
		error = write_new_file(r, cfg_abs, cfg.ptr, cfg.len);
		rt_str_dispose(&cfg);
		if (error < 0)
			goto done;
		rt_log(r, RETORT_LOG_INFO, "  Generating %s ...  done",
		       cfg_abs);
	}
	rt_log(r, RETORT_LOG_INFO,
	       "Please edit configuration/connection settings in '%s' before "
	       "proceeding.",
	       cfg_abs);
	/* reopen as a project on the new files */
	{
		retort *opened = NULL;

		oo.config_path = cfg_abs;
		oo.log = opts->log;
		oo.log_payload = opts->log_payload;
		error = retort_open(&opened, &oo);
		if (error < 0) {
			rt_fail(r, error, "%s", retort_errmsg(opened));
			retort_close(opened);
			goto done;
		}
		retort_close(r);
		r = opened;
		*out = r;
	}
done:
	free(dir_abs);
	free(cfg_abs);
	free(versions);
	free(tmpl);
	free(loc);
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

/* revision_ids = sequential: one more than the largest all-digit id,
 * zero-padded to the widest such id (at least 3 digits). */
static int next_sequential(retort *r, char *out, size_t cap)
{
	unsigned long long max = 0;
	size_t width = 3;
	uint32_t i;

	for (i = 0; i < r->graph->n; i++) {
		const char *id = r->graph->revs[i].s.id;
		size_t n = strlen(id), k;

		for (k = 0; k < n && id[k] >= '0' && id[k] <= '9'; k++)
			;
		if (k != n || n > 18)
			continue;
		if (n > width)
			width = n;
		if (strtoull(id, NULL, 10) > max)
			max = strtoull(id, NULL, 10);
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

/* "-- migrate:upgrade" -> "-- migrate:upgrade transaction:false" */
static int mark_nontransactional(rt_str *body)
{
	static const char marker[] = "-- migrate:upgrade";
	const char *at = body->ptr ? strstr(body->ptr, marker) : NULL;
	rt_str out = RT_STR_INIT;
	size_t off;

	if (!at)
		return 0;
	off = (size_t)(at - body->ptr) + sizeof(marker) - 1;
	rt_str_append(&out, body->ptr, off);
	rt_str_puts(&out, " transaction:false");
	rt_str_puts(&out, body->ptr + off);
	if (out.oom) {
		rt_str_dispose(&out);
		return -1;
	}
	rt_str_dispose(body);
	*body = out;
	return 0;
}

static int generate(retort *r, const retort_revision_options *o,
		    const char *const *head_args, size_t nhead_args,
		    int nontransactional, const retort_revision **out)
{
	rt_resolver res;
	rt_refs heads = { NULL, 0 };
	rt_str down = RT_STR_INIT, deps = RT_STR_INIT, labels = RT_STR_INIT;
	rt_str slug = RT_STR_INIT, fname = RT_STR_INIT, path = RT_STR_INIT;
	rt_str date = RT_STR_INIT, body = RT_STR_INIT;
	char revid[256], *tmpl = NULL, *tmpl_path = NULL;
	const char *tz, *file_template, *ids_kind, *location;
	size_t tmpl_len, i;
	rt_datetime now;
	long truncate;
	int error;

	*out = NULL;
	rt_resolver_init(&res, r->graph, &r->err);
	if ((error = rt_cfg(r, "revision_ids", "hex", &ids_kind)) < 0)
		goto done;
	if (o->rev_id) {
		if (strlen(o->rev_id) >= sizeof(revid)) {
			error = rt_fail(r, RETORT_EUSAGE,
					"a revision id has 1 to 255 "
					"characters");
			goto done;
		}
		strcpy(revid, o->rev_id);
	} else if (!strcmp(ids_kind, "sequential"))
		next_sequential(r, revid, sizeof(revid));
	else if (!strcmp(ids_kind, "hex")) {
		if ((error = random_hex(r, revid)) < 0)
			goto done;
	} else {
		error =
		    rt_fail(r, RETORT_ECONFIG,
			    "%s:%u: revision_ids must be hex or "
			    "sequential, not '%s'",
			    rt_config_path(r->cfg),
			    rt_config_line(r->cfg, "revision_ids"), ids_kind);
		goto done;
	}
	if ((error = check_new_id(r, revid)) < 0)
		goto done;

	/* parents */
	{
		const char *const *args = head_args;
		size_t n = nhead_args;
		static const char *const def[1] = { "head" };

		if (!n) {
			args = def;
			n = 1;
		}
		error = rt_get_revisions(&res, rt_arg_tuple(args, (uint32_t)n),
					 &heads);
		if (error < 0) {
			rt_catch c = { NULL,
				       "Multiple heads are present; please "
				       "specify the head revision on which the "
				       "new revision should be based, or "
				       "perform a merge.",
				       NULL, NULL, NULL };

			error = rt_resolver_catch(&res, &c);
			goto done;
		}
	}
	for (i = 0; i < heads.n; i++) {
		size_t k;

		if (heads.v[i] < 0) {
			error = rt_fail(r, RETORT_EUSAGE,
					"cannot base a revision on 'base' "
					"together with other revisions");
			goto done;
		}
		for (k = 0; k < i; k++)
			if (heads.v[k] == heads.v[i]) {
				error = rt_fail(r, RETORT_EUSAGE,
						"Duplicate head revisions "
						"specified");
				goto done;
			}
	}
	if ((error = rt_cfg(r, "timezone", NULL, &tz)) < 0 ||
	    (error = rt_clock_now(&now, tz && *tz ? tz : NULL, &r->err)) < 0)
		goto done;
	if ((error = pick_location(r, o->version_path, heads.v, heads.n,
				   &location)) < 0)
		goto done;
	if (!o->splice)
		for (i = 0; i < heads.n; i++) {
			const retort_revision *h = &r->graph->revs[heads.v[i]];

			if (!(h->flags & RETORT_REV_HEAD)) {
				error = rt_fail(r, RETORT_EUSAGE,
						"Revision %s is not a head "
						"revision; please specify "
						"--splice to create a new "
						"branch from this revision",
						h->s.id);
				goto done;
			}
		}
	/* depends_on: partial ids resolved, branch labels kept */
	for (i = 0; i < o->ndepends; i++) {
		int32_t d;
		uint32_t lab;
		const char *dep = o->depends_on[i];

		if ((error = rt_get_revision(&res, dep, &d)) < 0) {
			error = rt_resolver_catch(&res, NULL);
			goto done;
		}
		if (d < 0) {
			error = rt_fail(r, RETORT_EUSAGE,
					"cannot depend on '%s'", dep);
			goto done;
		}
		if (deps.len)
			rt_str_puts(&deps, ", ");
		if (rt_map_get(&r->graph->label_ids, dep, strlen(dep), &lab) &&
		    rt_graph_has_label(r->graph, (uint32_t)d, lab))
			rt_str_puts(&deps, dep);
		else
			rt_str_puts(&deps, r->graph->revs[d].s.id);
	}
	for (i = 0; i < heads.n; i++)
		rt_str_printf(&down, "%s%s", i ? ", " : "",
			      r->graph->revs[heads.v[i]].s.id);
	if (o->branch_label) {
		const char *p = o->branch_label;

		while (*p) {
			const char *s = p, *e;
			char bad[64];

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
			if (!rt_valid_id(s, (size_t)(e - s), bad)) {
				error = rt_fail(r, RETORT_EUSAGE,
						"Character(s) '%s' not allowed "
						"in branch label '%.*s'",
						bad, (int)(e - s), s);
				goto done;
			}
			{
				uint32_t owner;

				if (rt_map_get(&r->graph->keys, s,
					       (size_t)(e - s), &owner)) {
					error = rt_fail(
					    r, RETORT_EUSAGE,
					    "Branch name '%.*s' in revision "
					    "%s already used by revision %s",
					    (int)(e - s), s, revid,
					    r->graph->revs[owner].s.id);
					goto done;
				}
			}
			rt_str_printf(&labels, "%s%.*s", labels.len ? ", " : "",
				      (int)(e - s), s);
		}
	}

	/* file name */
	if ((error = rt_config_get_int(r->cfg, "truncate_slug_length", 40,
				       &truncate, &r->err)) < 0 ||
	    (error = rt_cfg(r, "file_template", "%(rev)s_%(slug)s",
			    &file_template)) < 0)
		goto done;
	if (rt_slugify(&slug, o->message ? o->message : "", (int)truncate) <
	    0) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	{
		rt_fmt_arg args[] = {
			{ "rev", revid, 0 },
			{ "slug", rt_str_cstr(&slug), 0 },
			{ "epoch", NULL, now.epoch },
			{ "year", NULL, now.year },
			{ "month", NULL, now.month },
			{ "day", NULL, now.day },
			{ "hour", NULL, now.hour },
			{ "minute", NULL, now.minute },
			{ "second", NULL, now.second },
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
	rt_str_printf(&path, "%s/%s.sql", location, rt_str_cstr(&fname));
	rt_datetime_format(&date, &now);

	/* render */
	if ((error = read_template(r, &tmpl, &tmpl_len, &tmpl_path)) < 0)
		goto done;
	{
		RT_VEC(rt_tmpl_var) vars = RT_VEC_INIT;
		rt_tmpl_var base_vars[] = {
			{ "message",
			  o->message ? o->message : "empty message" },
			{ "up_revision", revid },
			{ "down_revision", rt_str_cstr(&down) },
			{ "create_date", rt_str_cstr(&date) },
			{ "branch_labels", rt_str_cstr(&labels) },
			{ "depends_on", rt_str_cstr(&deps) },
			{ "upgrades", o->upgrades ? o->upgrades : "" },
			{ "downgrades", o->downgrades ? o->downgrades : "" },
		};

		for (i = 0; i < sizeof(base_vars) / sizeof(base_vars[0]); i++)
			if (RT_VEC_PUSH(&vars, base_vars[i]) < 0)
				goto oom_vars;
		for (i = 0; i < r->xargs.n; i++) {
			rt_tmpl_var v = { r->xargs.v[i].key,
					  r->xargs.v[i].value };

			if (RT_VEC_PUSH(&vars, v) < 0)
				goto oom_vars;
		}
		error = rt_template_render(&body, tmpl, tmpl_len, tmpl_path,
					   vars.v, vars.n, &r->err);
		RT_VEC_FREE(&vars);
		if (error < 0)
			goto done;
		goto rendered;
	oom_vars:
		RT_VEC_FREE(&vars);
		error = rt_err_oom(&r->err);
		goto done;
	}
rendered:
	strip_trailing_blanks(&body);
	if (nontransactional && mark_nontransactional(&body) < 0) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if (path.oom || date.oom || down.oom || deps.oom || labels.oom ||
	    body.oom) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error = mkdir_p(r, location)) < 0)
		goto done;
	if ((error =
		 write_new_file(r, path.ptr, rt_str_cstr(&body), body.len)) < 0)
		goto done;
	/* parse it back */
	{
		rt_arena a = RT_ARENA_INIT;
		rt_script sc;
		rt_err perr = RT_ERR_INIT;

		error = rt_script_parse(&sc, &a, path.ptr, rt_str_cstr(&body),
					body.len, &perr);
		if (error < 0)
			rt_fail(r, RETORT_ECONFIG,
				"%s produced a revision file that does not "
				"parse: %s",
				tmpl_path, rt_err_msg(&perr));
		else if (strcmp(sc.id, revid))
			error = rt_fail(r, RETORT_ECONFIG,
					"%s does not put ${up_revision} in "
					"the 'Revision ID:' line",
					tmpl_path);
		else if (labels.len && !sc.nlabels)
			error = rt_fail(
			    r, RETORT_ECONFIG,
			    "Version %s specified branch_labels %s, however "
			    "the migration file %s does not have them; have "
			    "you upgraded your script.sql.tmpl to include "
			    "the 'branch_labels' section?",
			    revid, labels.ptr, path.ptr);
		rt_err_dispose(&perr);
		rt_arena_free(&a);
		if (error < 0) {
			unlink(path.ptr);
			error = RETORT_ECONFIG;
			goto done;
		}
	}
	rt_log(r, RETORT_LOG_INFO, "  Generating %s ...  done", path.ptr);
	/* reload, and find the new revision */
	{
		char *keep = strdup(revid);
		uint32_t idx;

		if (!keep) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		rt_resolver_dispose(&res);
		rt_resolver_init(&res, NULL, &r->err);
		rt_project_unload(r);
		error = rt_project_load(r, 0);
		if (error < 0) {
			/* the new file broke the project: take it back */
			rt_err keep_err = RT_ERR_INIT;

			rt_err_move(&keep_err, &r->err);
			unlink(path.ptr);
			rt_project_unload(r);
			rt_project_load(r, 0);
			rt_str_printf(&keep_err.msg, " (%s was not kept)",
				      path.ptr);
			rt_err_move(&r->err, &keep_err);
		}
		if (!error) {
			if (rt_map_get(&r->graph->ids, keep, strlen(keep),
				       &idx))
				*out = &r->graph->revs[idx];
			else
				error = rt_fail(r, RETORT_ECONFIG,
						"the new revision %s is not in "
						"a version location",
						keep);
		}
		free(keep);
	}
	goto done;
done:
	rt_resolver_dispose(&res);
	rt_str_dispose(&down);
	rt_str_dispose(&deps);
	rt_str_dispose(&labels);
	rt_str_dispose(&slug);
	rt_str_dispose(&fname);
	rt_str_dispose(&path);
	rt_str_dispose(&date);
	rt_str_dispose(&body);
	free(tmpl);
	free(tmpl_path);
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
		char *up = NULL, *down = NULL;
		int nontx = 0;

		if ((error = rt_autogenerate_sections(r, &up, &down, &nontx)) <
		    0)
			return error;
		o.upgrades = up;
		o.downgrades = down;
		o.autogenerate = 0;
		error = generate(r, &o, opts->head ? &opts->head : NULL,
				 opts->head ? 1 : 0, nontx, out);
		free(up);
		free(down);
		return error;
	}
	if (opts->head)
		return generate(r, opts, &opts->head, 1, 0, out);
	return generate(r, opts, NULL, 0, 0, out);
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
	return generate(r, opts, revs, nrevs, 0, out);
}
