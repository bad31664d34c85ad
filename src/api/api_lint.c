/* SPDX-License-Identifier: MIT */
/*
 * api_lint.c: retort_lint() (include/retort.h) over the lint/ stage:
 * the settings from retort.ini, the dialect, which revisions to lint
 * (a range, the changed files, the pending ones, or all), and the walk
 * through every revision in upgrade order so that the tracked schema is
 * the one the earlier revisions built.
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* realpath */
#endif

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "lint/lint.h"
#include "sql/pg_settings.h"
#include "util/map.h"
#include "util/str.h"

struct retort_lint_result {
	rt_lint *l;
	size_t nrev;
};

/* Apply a comma/space separated list of rules of key (enable/disable). */
static int rule_list(retort *r, rt_lint_settings *set, const char *key,
		     int enable)
{
	const char *v, *p;
	size_t n;
	int rule, error;

	if ((error = rt_cfg(r, key, NULL, &v)) < 0 || !v)
		return error;
	for (p = v; *p; p += n) {
		p += strspn(p, ", \t\n");
		if (!(n = strcspn(p, ", \t\n")))
			break;
		if ((rule = rt_lint_rule_find(p, n)) < 0)
			return rt_fail(r, RETORT_ECONFIG,
				       "%s:%u: unknown lint rule '%.*s' in %s "
				       "(retort lint --list-rules lists them)",
				       rt_config_path(r->cfg),
				       rt_config_line(r->cfg, key), (int)n, p,
				       key);
		if (!enable)
			set->sev[rule] = RETORT_LINT_OFF;
		else if (set->sev[rule] == RETORT_LINT_OFF)
			set->sev[rule] = RETORT_LINT_ERROR;
	}
	return 0;
}

/* lint.severity.RULE = error|warning|off */
static int severities(retort *r, rt_lint_settings *set)
{
	static const char prefix[] = "lint.severity.";
	const char *key, *v;
	size_t i;
	int rule, sev, error;

	for (i = 0; (key = rt_config_key_prefix(r->cfg, prefix, i)); i++) {
		const char *id = key + sizeof(prefix) - 1;
		unsigned line = rt_config_line(r->cfg, key);

		if ((error = rt_cfg(r, key, NULL, &v)) < 0)
			return error;
		if ((rule = rt_lint_rule_find(id, strlen(id))) < 0)
			return rt_fail(r, RETORT_ECONFIG,
				       "%s:%u: unknown lint rule '%s' in %s "
				       "(retort lint --list-rules lists them)",
				       rt_config_path(r->cfg), line, id, key);
		if ((sev = rt_lint_severity_parse(v ? v : "")) < 0)
			return rt_fail(r, RETORT_ECONFIG,
				       "%s:%u: %s = '%s': expected error, "
				       "warning or off",
				       rt_config_path(r->cfg), line, key,
				       v ? v : "");
		set->sev[rule] = (retort_lint_severity)sev;
	}
	return 0;
}

/* pg_settings sets lock_timeout for every session. */
static int session_lock_timeout(retort *r, int *out)
{
	rt_pg_setting *v = NULL;
	const char *text;
	size_t n = 0, i;
	int error;

	*out = 0;
	if ((error = rt_cfg(r, "pg_settings", NULL, &text)) < 0 || !text)
		return error;
	if ((error = rt_pg_settings_parse(text, &v, &n, &r->err)) < 0)
		return error;
	for (i = 0; i < n; i++)
		if (!strcasecmp(v[i].name, "lock_timeout"))
			*out = 1;
	rt_pg_settings_free(v, n);
	return 0;
}

static int settings(retort *r, rt_lint_settings *set)
{
	int on = 0, error;

	rt_lint_settings_default(set);
	if ((error = rt_cfg_bool(r, "lint.require_if_not_exists", 0, &on)) < 0)
		return error;
	if (on)
		set->sev[RT_LR_NON_IDEMPOTENT] = RETORT_LINT_ERROR;
	if ((error = rule_list(r, set, "lint.enable", 1)) < 0 ||
	    (error = rule_list(r, set, "lint.disable", 0)) < 0 ||
	    (error = severities(r, set)) < 0)
		return error;
	return session_lock_timeout(r, &set->session_lock_timeout);
}

static int dialect(retort *r, const retort_lint_options *o, rt_dialect *out)
{
	const rt_url *url;
	int error;

	if (o->dialect) {
		if (rt_dialect_from_name(o->dialect, strlen(o->dialect), out) ==
		    0)
			return 0;
		return rt_fail(r, RETORT_EUSAGE,
			       "unknown dialect '%s' (expected sqlite, "
			       "postgresql or mysql)",
			       o->dialect);
	}
	if ((error = rt_project_url(r, &url)) < 0) {
		char *msg = rt_strdup(retort_errmsg(r));

		if (!msg)
			return rt_err_oom(&r->err);
		rt_fail(r, error,
			"%s; lint needs the url's dialect, or "
			"--dialect",
			msg);
		free(msg);
		return error;
	}
	*out = url->dialect;
	return 0;
}

/* Mark the revisions of a list. */
static void mark_list(const retort_revlist *list, char *sel)
{
	size_t i, n = retort_revlist_count(list);

	for (i = 0; i < n; i++)
		sel[retort_revlist_at(list, i)->idx] = 1;
}

/* The revisions whose file is one of the changed paths. */
static int mark_changed(retort *r, const retort_lint_options *o, char *sel)
{
	rt_map m = RT_MAP_INIT;
	char **real = calloc(o->nchanged ? o->nchanged : 1, sizeof(*real));
	char buf[PATH_MAX];
	size_t i;
	int error = 0;

	if (!real)
		return rt_err_oom(&r->err);
	for (i = 0; i < o->nchanged && !error; i++)
		if ((real[i] = realpath(o->changed[i], NULL)) != NULL &&
		    rt_map_put(&m, real[i], strlen(real[i]), 1) < 0)
			error = rt_err_oom(&r->err);
	for (i = 0; i < retort_revision_count(r) && !error && m.n; i++) {
		const retort_revision *rev = retort_revision_at(r, i);
		uint32_t v;

		if (rev && realpath(rev->s.path, buf) &&
		    rt_map_get(&m, buf, strlen(buf), &v))
			sel[rev->idx] = 1;
	}
	rt_map_free(&m);
	for (i = 0; i < o->nchanged; i++)
		free(real[i]);
	free(real);
	return error;
}

/* The revisions `upgrade heads` would run on the database. */
static int mark_pending(retort *r, char *sel)
{
	retort_plan *plan = NULL;
	char **rows = NULL;
	size_t n = 0, i;
	int error;

	if ((error = retort_version_rows(&rows, &n, r)) < 0)
		return error;
	error = retort_plan_upgrade(&plan, r, "heads",
				    (const char *const *)rows, n);
	for (i = 0; error == 0 && i < retort_plan_count(plan); i++) {
		const retort_step *st = retort_plan_step(plan, i);

		if (st->kind == RETORT_STEP_UPGRADE && st->revision)
			sel[st->revision->idx] = 1;
	}
	retort_plan_free(plan);
	retort_strings_free(rows, n);
	return error;
}

static int select_revisions(retort *r, const retort_lint_options *o, char *sel)
{
	retort_revlist *list = NULL;
	int error;

	if (o->range) {
		if ((error = retort_history(&list, r, o->range, NULL, 0)) < 0)
			return error;
		mark_list(list, sel);
		retort_revlist_free(list);
		return 0;
	}
	if (o->use_changed)
		return mark_changed(r, o, sel);
	if (o->no_database) {
		memset(sel, 1, retort_revision_count(r));
		return 0;
	}
	return mark_pending(r, sel);
}

static int by_gen(const void *a, const void *b)
{
	const retort_revision *x = *(const retort_revision *const *)a;
	const retort_revision *y = *(const retort_revision *const *)b;

	if (x->gen != y->gen)
		return x->gen < y->gen ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The ancestors of the selected revisions (sel 1), through Revises and
 * Depends On, get sel 2: read for what they build, not reported on. */
static int mark_ancestors(retort *r, char *sel)
{
	uint32_t n = r->graph->n, top = 0, i, j;
	uint32_t *stack = malloc((n ? n : 1) * sizeof(*stack));

	if (!stack)
		return rt_err_oom(&r->err);
	for (i = 0; i < n; i++)
		if (sel[i] == 1)
			stack[top++] = i;
	while (top) {
		const retort_revision *rev = &r->graph->revs[stack[--top]];
		const rt_idlist *lists[2] = { &rev->down, &rev->deps };

		for (i = 0; i < 2; i++)
			for (j = 0; j < lists[i]->n; j++)
				if (!sel[lists[i]->v[j]]) {
					sel[lists[i]->v[j]] = 2;
					stack[top++] = lists[i]->v[j];
				}
	}
	free(stack);
	return 0;
}

/* The selected revisions and their ancestors in upgrade order, linted
 * when selected: by topological level (graph.h: an ancestor, or a
 * dependency, has a smaller gen), ties in load order. A revision on
 * another branch is not read: its tables are not this one's. */
static int walk(retort *r, rt_lint *l, rt_dialect d, char *sel, size_t *nrev)
{
	size_t i, k = 0, n = r->graph->n;
	const retort_revision **order = malloc((n ? n : 1) * sizeof(*order));
	int error;

	if (!order)
		return rt_err_oom(&r->err);
	if ((error = mark_ancestors(r, sel)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		if (sel[i])
			order[k++] = &r->graph->revs[i];
	qsort(order, k, sizeof(*order), by_gen);
	for (i = 0; i < k && !error; i++) {
		int emit = sel[order[i]->idx] == 1;

		*nrev += emit != 0;
		error = rt_lint_revision(l, &order[i]->s, d, emit, &r->err);
	}
done:
	free(order);
	return error;
}

int retort_lint(retort_lint_result **out, retort *r,
		const retort_lint_options *opts)
{
	retort_lint_options defaults = RETORT_LINT_OPTIONS_INIT;
	rt_lint_settings set;
	retort_lint_result *res = NULL;
	char *sel = NULL;
	rt_dialect d = RT_DIALECT_SQLITE;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	rt_err_clear(&r->err);
	if (opts->version != RETORT_LINT_OPTIONS_VERSION)
		return rt_fail(r, RETORT_EUSAGE,
			       "retort_lint: options version %u, expected %u",
			       opts->version, RETORT_LINT_OPTIONS_VERSION);
	if ((error = rt_project_load(r, 0)) < 0 ||
	    (error = settings(r, &set)) < 0 ||
	    (error = dialect(r, opts, &d)) < 0)
		return error;
	if (!(sel = calloc(retort_revision_count(r) + 1, 1)) ||
	    !(res = calloc(1, sizeof(*res))) || !(res->l = rt_lint_new(&set))) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if ((error = select_revisions(r, opts, sel)) < 0 ||
	    (error = walk(r, res->l, d, sel, &res->nrev)) < 0)
		goto done;
	if (rt_lint_errors(res->l))
		error = rt_fail(r, RETORT_EPROBLEMS, "%zu lint error%s",
				rt_lint_errors(res->l),
				rt_lint_errors(res->l) == 1 ? "" : "s");
	*out = res;
	res = NULL;
done:
	retort_lint_free(res);
	free(sel);
	return error;
}

size_t retort_lint_count(const retort_lint_result *res)
{
	return res ? rt_lint_count(res->l) : 0;
}

const retort_lint_finding *retort_lint_at(const retort_lint_result *res,
					  size_t i)
{
	return res ? rt_lint_at(res->l, i) : NULL;
}

size_t retort_lint_revision_count(const retort_lint_result *res)
{
	return res ? res->nrev : 0;
}

void retort_lint_free(retort_lint_result *res)
{
	if (!res)
		return;
	rt_lint_free(res->l);
	free(res);
}

const char *retort_lint_rule(size_t i, retort_lint_severity *severity,
			     const char **summary)
{
	const rt_lint_rule_info *info;

	if (i >= RT_LR_COUNT)
		return NULL;
	info = rt_lint_rule_get((rt_lint_rule)i);
	if (severity)
		*severity = info->severity;
	if (summary)
		*summary = info->summary;
	return info->id;
}
