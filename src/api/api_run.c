/* SPDX-License-Identifier: MIT */
/*
 * api_run.c: the public plan functions and upgrade / downgrade / stamp.
 * With opts->sql the plan is rendered as SQL (Alembic's offline mode: the
 * starting revisions come from a "start:end" range, else base); without
 * it the run goes to the database through run.c.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "graph/ident.h"
#include "plan/plan.h"
#include "plan/render.h"
#include "run/run.h"
#include "util/str.h"

static int load(retort *r)
{
	rt_err_clear(&r->err);
	return rt_project_load(r, 0);
}

int retort_plan_upgrade(retort_plan **out, retort *r, const char *target,
			const char *const *heads, size_t nheads)
{
	int error;

	*out = NULL;
	if ((error = load(r)) < 0)
		return error;
	return rt_plan_upgrade(out, r->graph, target, heads, nheads, &r->err);
}

int retort_plan_downgrade(retort_plan **out, retort *r, const char *target,
			  const char *const *heads, size_t nheads)
{
	int error;

	*out = NULL;
	if ((error = load(r)) < 0)
		return error;
	return rt_plan_downgrade(out, r->graph, target, heads, nheads, &r->err);
}

int retort_plan_stamp(retort_plan **out, retort *r, const char *const *targets,
		      size_t ntargets, const char *const *heads, size_t nheads)
{
	int error;

	*out = NULL;
	if ((error = load(r)) < 0)
		return error;
	return rt_plan_stamp(out, r->graph, targets, ntargets, heads, nheads,
			     &r->err);
}

static int render(retort *r, const retort_plan *plan,
		  const retort_run_options *opts)
{
	rt_render_opts ro;
	const rt_url *url;
	int error, per;

	if (!opts->write)
		return rt_fail(r, RETORT_EUSAGE,
			       "--sql needs an output (write callback)");
	if ((error = rt_project_url(r, &url)) < 0 ||
	    (error = rt_version_table(r, &ro.version_table,
				      &ro.version_schema)) < 0 ||
	    (error = rt_cfg_bool(r, "transaction_per_migration", 1, &per)) < 0)
		return error;
	ro.dialect = url->dialect;
	ro.transaction_per_migration = per;
	ro.write = opts->write;
	ro.payload = opts->write_payload;
	return rt_render_plan(plan, &ro, &r->err);
}

/* Offline starting revisions: "start" of "start:end" resolved to ids
 * (base or nothing: no rows). */
static int offline_heads(retort *r, const char *start, const char **heads,
			 size_t *nheads)
{
	rt_resolver res;
	int32_t x;
	int error;

	*nheads = 0;
	if (!start || !*start || !strcmp(start, "base"))
		return 0;
	rt_resolver_init(&res, r->graph, &r->err);
	error = rt_get_revision(&res, start, &x);
	if (error < 0)
		error = rt_resolver_catch(&res, NULL);
	else if (x >= 0)
		heads[(*nheads)++] = r->graph->revs[x].s.id;
	rt_resolver_dispose(&res);
	return error;
}

static void log_warning(retort *r, const retort_plan *plan)
{
	if (plan && plan->warning)
		rt_log(r, RETORT_LOG_WARNING, "%s", plan->warning);
}

static int split_range(retort *r, const char *target, char **start, char **end)
{
	const char *colon = strchr(target, ':');

	*start = *end = NULL;
	if (!colon)
		return 0;
	if (strchr(colon + 1, ':'))
		return rt_fail(r, RETORT_EUSAGE,
			       "a range has one ':' (start:end), not '%s'",
			       target);
	*start = strndup(target, (size_t)(colon - target));
	*end = strdup(colon + 1);
	if (!*start || !*end) {
		free(*start);
		free(*end);
		return rt_err_oom(&r->err);
	}
	return 1;
}

/* --dry-run goes to the database; --sql does not: one or the other. */
static int dry_run_usage(retort *r, const retort_run_options *opts)
{
	if (opts->version < 2 || !opts->dry_run)
		return 0;
	if (opts->sql)
		return rt_fail(r, RETORT_EUSAGE,
			       "--dry-run and --sql cannot be used together "
			       "(--sql writes the SQL without a database; "
			       "--dry-run plans from the database's rows)");
	if (!opts->write)
		return rt_fail(r, RETORT_EUSAGE,
			       "a dry run needs an output (write callback)");
	return 0;
}

static int run_updown(retort *r, int upgrade, const char *target,
		      const retort_run_options *opts)
{
	retort_run_options defaults = RETORT_RUN_OPTIONS_INIT;
	retort_plan *plan = NULL;
	const rt_url *url;
	char *start = NULL, *end = NULL;
	const char *heads[1];
	size_t nheads = 0;
	int error, ranged;

	if (!opts)
		opts = &defaults;
	if (!target)
		return rt_fail(r, RETORT_EUSAGE, "no target revision given");
	if ((error = load(r)) < 0)
		return error;
	if ((ranged = split_range(r, target, &start, &end)) < 0)
		return ranged;
	if ((error = dry_run_usage(r, opts)) < 0) {
		free(start);
		free(end);
		return error;
	}
	if (!opts->sql) {
		free(start);
		free(end);
		if (ranged)
			return rt_fail(r, RETORT_EUSAGE,
				       "Range revision not allowed");
		return rt_run_online(
		    r, upgrade ? RT_RUN_UPGRADE : RT_RUN_DOWNGRADE, &target, 1,
		    opts);
	}
	if (!upgrade && !ranged)
		return rt_fail(r, RETORT_EUSAGE,
			       "downgrade with --sql requires "
			       "<fromrev>:<torev>");
	if ((error = offline_heads(r, start, heads, &nheads)) < 0)
		goto done;
	if (upgrade)
		error = rt_plan_upgrade(&plan, r->graph, ranged ? end : target,
					heads, nheads, &r->err);
	else
		error = rt_plan_downgrade(&plan, r->graph, end, heads, nheads,
					  &r->err);
	if (error < 0)
		goto done;
	log_warning(r, plan);
	if ((error = rt_project_url(r, &url)) < 0 ||
	    (error = rt_check_plan(r, plan, url->dialect,
				   opts->allow_irreversible)) < 0)
		goto done;
	error = render(r, plan, opts);
done:
	retort_plan_free(plan);
	free(start);
	free(end);
	return error;
}

int retort_upgrade(retort *r, const char *target,
		   const retort_run_options *opts)
{
	return run_updown(r, 1, target, opts);
}

int retort_downgrade(retort *r, const char *target,
		     const retort_run_options *opts)
{
	return run_updown(r, 0, target, opts);
}

int retort_stamp(retort *r, const char *const *targets, size_t ntargets,
		 const retort_run_options *opts)
{
	retort_run_options defaults = RETORT_RUN_OPTIONS_INIT;
	retort_plan *plan = NULL;
	const char **dests = NULL;
	char *start = NULL;
	const char *heads[1];
	size_t i, nheads = 0;
	int error;

	if (!opts)
		opts = &defaults;
	if ((error = load(r)) < 0 || (error = dry_run_usage(r, opts)) < 0)
		return error;
	if (!opts->sql)
		return rt_run_online(r, RT_RUN_STAMP, targets, ntargets, opts);
	if (opts->purge)
		return rt_fail(r, RETORT_EUSAGE,
			       "Can't use --purge with --sql mode");
	dests = calloc(ntargets ? ntargets : 1, sizeof(*dests));
	if (!dests)
		return rt_err_oom(&r->err);
	for (i = 0; i < ntargets; i++) {
		const char *colon = strchr(targets[i], ':');

		dests[i] = targets[i];
		if (!colon)
			continue;
		if (!start) {
			start =
			    strndup(targets[i], (size_t)(colon - targets[i]));
			if (!start) {
				error = rt_err_oom(&r->err);
				goto done;
			}
		} else if (strncmp(start, targets[i],
				   (size_t)(colon - targets[i])) ||
			   start[colon - targets[i]]) {
			error = rt_fail(r, RETORT_EUSAGE,
					"Stamp operation with --sql only "
					"supports a single starting revision "
					"at a time");
			goto done;
		}
		dests[i] = colon + 1;
	}
	if ((error = offline_heads(r, start, heads, &nheads)) < 0)
		goto done;
	if ((error = rt_plan_stamp(&plan, r->graph, dests, ntargets, heads,
				   nheads, &r->err)) < 0)
		goto done;
	error = render(r, plan, opts);
done:
	retort_plan_free(plan);
	free(dests);
	free(start);
	return error;
}

/* ------------------------------------------------------------------ */
/* plan accessors */

size_t retort_plan_count(const retort_plan *plan)
{
	return plan ? plan->steps.n : 0;
}

const retort_step *retort_plan_step(const retort_plan *plan, size_t i)
{
	return plan && i < plan->steps.n ? &plan->steps.v[i] : NULL;
}

size_t retort_plan_final_count(const retort_plan *plan)
{
	return plan ? plan->nfinal : 0;
}

const char *retort_plan_final_at(const retort_plan *plan, size_t i)
{
	return plan && i < plan->nfinal ? plan->final[i] : NULL;
}

void retort_plan_free(retort_plan *plan)
{
	rt_plan_free(plan);
}
