/* SPDX-License-Identifier: MIT */
/*
 * api_project.c: the handle's life (retort_open, retort_close,
 * retort_load) and its error and configuration getters. The work is done
 * by the project stage (project/project.c, project/config.c).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/str.h"

const char *retort_errmsg(const retort *r)
{
	if (!r)
		return "out of memory";
	if (!r->err.code)
		return "";
	return rt_err_msg(&r->err);
}

int retort_errcode(const retort *r)
{
	return r ? r->err.code : RETORT_ENOMEM;
}

static int keep_str(retort *r, const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = rt_arena_strdup(&r->keep, s);
	return *out ? 0 : rt_err_oom(&r->err);
}

int retort_open(retort **out, const retort_open_options *opts)
{
	retort_open_options defaults = RETORT_OPEN_OPTIONS_INIT;
	const char *path, *text;
	retort *r;
	size_t i;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	r = calloc(1, sizeof(*r));
	if (!r)
		return RETORT_ENOMEM;
	*out = r;
	rt_intr_init(&r->intr);
	if (opts->version != RETORT_OPEN_OPTIONS_VERSION)
		return rt_fail(r, RETORT_EUSAGE,
			       "retort_open_options version %u is not %d",
			       opts->version, RETORT_OPEN_OPTIONS_VERSION);
	r->log = opts->log;
	r->log_payload = opts->log_payload;
	if ((error = keep_str(r, opts->url, &r->url_override)) < 0)
		return error;
	for (i = 0; i < opts->x_count; i++) {
		const char *eq = strchr(opts->x_args[i], '=');
		rt_kv kv;

		kv.key = eq ? rt_arena_strndup(&r->keep, opts->x_args[i],
					       (size_t)(eq - opts->x_args[i]))
			    : rt_arena_strdup(&r->keep, opts->x_args[i]);
		kv.value = rt_arena_strdup(&r->keep, eq ? eq + 1 : "");
		if (!kv.key || !kv.value || RT_VEC_PUSH(&r->xargs, kv) < 0)
			return rt_err_oom(&r->err);
	}
	for (i = 0; i < opts->source_count; i++) {
		retort_source s;

		s.name = rt_arena_strdup(&r->keep, opts->sources[i].name
						       ? opts->sources[i].name
						       : "<memory>");
		s.text = rt_arena_strndup(&r->keep, opts->sources[i].text,
					  opts->sources[i].len);
		s.len = opts->sources[i].len;
		if (!s.name || !s.text || RT_VEC_PUSH(&r->sources, s) < 0)
			return rt_err_oom(&r->err);
	}
	r->have_sources = opts->source_count > 0;

	path = opts->config_path;
	text = opts->config_text;
	if (!path && !text && !r->have_sources) {
		path = getenv("RETORT_CONFIG");
		if (!path || !*path) {
			char *found;

			if ((error = rt_config_find(&found, "retort.ini",
						    &r->err)) < 0)
				return error;
			path = rt_arena_strdup(&r->keep, found);
			free(found);
			if (!path)
				return rt_err_oom(&r->err);
		}
	}
	if ((error = rt_config_load(&r->cfg, path, text, opts->section,
				    &r->err)) < 0)
		return error;
	if (r->url_override &&
	    (error = rt_config_set(r->cfg, "url", r->url_override, &r->err)) <
		0)
		return error;
	rt_err_clear(&r->err);
	return 0;
}

void retort_close(retort *r)
{
	if (!r)
		return;
	rt_project_unload(r);
	rt_config_free(r->cfg);
	RT_VEC_FREE(&r->xargs);
	RT_VEC_FREE(&r->sources);
	rt_arena_free(&r->keep);
	free(r->url_display);
	if (r->url_parsed)
		rt_url_dispose(&r->url);
	rt_err_dispose(&r->err);
	free(r);
}

int retort_config_get(const char **out, retort *r, const char *key)
{
	int error;

	rt_err_clear(&r->err);
	error = rt_config_get(r->cfg, key, out, &r->err);
	return error;
}

const char *retort_config_path(const retort *r)
{
	return r && r->cfg ? rt_config_path(r->cfg) : NULL;
}

int retort_url_display(const char **out, retort *r)
{
	rt_err_clear(&r->err);
	return rt_project_url_display(r, out);
}

int retort_load(retort *r)
{
	rt_err_clear(&r->err);
	return rt_project_load(r, 0);
}

int retort_set_connect_wait(retort *r, double seconds)
{
	rt_err_clear(&r->err);
	/* NaN fails both comparisons */
	if (!(seconds >= 0 && seconds <= 86400))
		return rt_fail(r, RETORT_EUSAGE,
			       "the time to wait for the database must be "
			       "between 0 and 86400 seconds");
	r->connect_wait_s = seconds;
	return 0;
}
