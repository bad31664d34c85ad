/*
 * api_run.c: the public plan functions and upgrade / downgrade / stamp.
 * With opts->sql the plan is rendered as SQL (Alembic's offline mode: the
 * starting revisions come from a "start:end" range, else base); without
 * it the run goes to the database through run.c.
 */
#include <stdlib.h>
#include <string.h>

#include "graph/ident.h"
#include "plan/plan.h"
#include "plan/render.h"
#include "project/project.h"
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

/* Refuse to run an empty downgrade section unless allowed. */
int rt_check_irreversible(retort *r, const retort_plan *plan, int allow)
{
	size_t i;

	if (allow)
		return 0;
	for (i = 0; i < plan->steps.n; i++) {
		const retort_step *s = &plan->steps.v[i];

		/* an empty downgrade undoes nothing, which is right when
		 * the upgrade did nothing either (a merge, a no-op) */
		if (s->kind == RETORT_STEP_DOWNGRADE &&
		    s->revision->s.downgrade.empty &&
		    !s->revision->s.upgrade.empty)
			return rt_fail(r, RETORT_EUSAGE,
				       "%s:%u: revision %s has an empty "
				       "downgrade section; nothing can undo "
				       "it (use --allow-irreversible to move "
				       "past it anyway)",
				       s->revision->s.path,
				       s->revision->s.downgrade_line,
				       s->revision->s.id);
	}
	return 0;
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

static int run_updown(retort *r, int upgrade, const char *target,
		      const retort_run_options *opts)
{
	retort_run_options defaults = RETORT_RUN_OPTIONS_INIT;
	retort_plan *plan = NULL;
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
	if ((error = rt_check_irreversible(r, plan, opts->allow_irreversible)) <
	    0)
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
	if ((error = load(r)) < 0)
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
