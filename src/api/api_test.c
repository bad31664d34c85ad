/* SPDX-License-Identifier: MIT */
/*
 * api_test.c: `retort test`: the stairway (verify/stairway.h) over every
 * revision in upgrade order on a scratch database (api_schema.c), then
 * the declared schema at head and the single-head rule. The configured
 * database is only read (PostgreSQL: its server makes the temporary
 * database); nothing is written to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "graph/problem.h"
#include "plan/plan.h"
#include "run/interrupt.h"
#include "run/run.h"
#include "util/file.h"
#include "verify/stairway.h"

typedef struct test_ctx {
	retort *r;
	const retort_test_options *opts;
	rt_runner rn;
	rt_scratch *scratch;
	rt_stairway st;
	rt_problems found;
	char *seed;
	const char *seed_path; /* the handle's or the caller's */
	size_t seed_len;
	int stopped;
} test_ctx;

/* The seed data file, when one is given or configured. */
static int read_seed(test_ctx *x)
{
	const char *cfg = x->opts->data;
	rt_str buf = RT_STR_INIT;
	char why[128];
	int error;

	if (!cfg && (error = rt_cfg(x->r, "test.data", NULL, &cfg)) < 0)
		return error;
	if (!cfg || !*cfg)
		return 0;
	/* the option as given (relative to the working directory), the
	 * key relative to the config file's folder */
	if (x->opts->data)
		x->seed_path = cfg;
	else {
		char *abs;

		if ((error = rt_abs_path(x->r, cfg, &abs)) < 0)
			return error;
		x->seed_path = abs;
	}
	error = rt_read_regular(x->seed_path, 0, &buf, why, sizeof(why));
	if (error == -1)
		error =
		    rt_fail(x->r, RETORT_ECONFIG,
			    "cannot read the seed data '%s' (test.data): %s",
			    x->seed_path, why);
	x->seed_len = buf.len;
	if (error == -2 || (error == 0 && !(x->seed = rt_str_detach(&buf))))
		error = rt_err_oom(&x->r->err);
	rt_str_dispose(&buf);
	return error;
}

static int problem(test_ctx *x, const char *kind, const retort_revision *rev,
		   const char *message)
{
	if (rt_problem_add(&x->found, kind, rev ? rev->s.id : NULL,
			   rev ? rev->s.path : NULL, 0, message) < 0)
		return rt_err_oom(&x->r->err);
	return 0;
}

/* Hand a verdict to the caller and record its problems. */
static int verdict(test_ctx *x, const rt_stair_result *res)
{
	retort_test_revision pub;
	size_t i;
	int error = 0, irreversible = res->status == RT_STAIR_IRREVERSIBLE;

	memset(&pub, 0, sizeof(pub));
	pub.revision = res->rev;
	pub.irreversible = irreversible;
	pub.ok = res->status == RT_STAIR_OK ||
		 (irreversible && x->opts->allow_irreversible);
	pub.message = pub.ok ? "" : rt_str_cstr(&res->message);
	pub.details = (const char *const *)res->details.v;
	pub.ndetails = res->details.n;
	pub.upgrade_ms = res->upgrade_ms;
	pub.downgrade_ms = res->downgrade_ms;
	pub.seeded = res->seeded;
	if (x->opts->revision)
		x->opts->revision(&pub, x->opts->payload);
	if (pub.ok)
		return 0;
	error = problem(x, "stairway", res->rev, pub.message);
	for (i = 0; i < res->details.n && !error; i++)
		error = problem(x, "difference", res->rev, res->details.v[i]);
	return error;
}

static int stop(test_ctx *x, const retort_revision *rev, size_t left)
{
	rt_str m = RT_STR_INIT;
	int error;

	x->stopped = 1;
	rt_str_printf(&m,
		      "stopped at revision %s: the scratch database is in no "
		      "known state; %zu revision%s above it %s not tested",
		      rev->s.id, left, left == 1 ? "" : "s",
		      left == 1 ? "was" : "were");
	error = m.oom ? rt_err_oom(&x->r->err)
		      : problem(x, "stopped", rev, rt_str_cstr(&m));
	rt_str_dispose(&m);
	return error;
}

static int stairway(test_ctx *x, const retort_plan *plan)
{
	rt_introspect_opts io;
	size_t i;
	int error;

	memset(&io, 0, sizeof(io));
	io.version_table = x->rn.table;
	io.log_table = x->rn.log_table;
	if ((error = rt_stairway_init(&x->st, rt_scratch_driver(x->scratch),
				      rt_scratch_conn(x->scratch),
				      x->rn.url->dialect, &io, x->seed,
				      x->seed_len, &x->r->err)) < 0)
		return error;
	for (i = 0; i < plan->steps.n; i++) {
		const retort_revision *rev = plan->steps.v[i].revision;
		rt_stair_result res;

		if ((error = rt_interrupt_check(x->r)) < 0 ||
		    (error = rt_stairway_revision(&x->st, rev, &res,
						  &x->r->err)) < 0)
			return error;
		error = verdict(x, &res);
		if (!error && res.stop)
			error = stop(x, rev, plan->steps.n - i - 1);
		rt_stair_result_dispose(&res);
		if (error < 0 || x->stopped)
			return error;
	}
	if (x->seed && !x->st.seeded) {
		rt_str m = RT_STR_INIT;

		rt_str_printf(&m,
			      "the seed data %s never loaded; after the last "
			      "revision: %s",
			      x->seed_path, rt_str_cstr(&x->st.seed_error));
		error = m.oom ? rt_err_oom(&x->r->err)
			      : problem(x, "data", NULL, rt_str_cstr(&m));
		rt_str_dispose(&m);
	}
	return error;
}

static int heads_rule(test_ctx *x)
{
	const rt_graph *g = x->r->graph;
	rt_str m = RT_STR_INIT;
	uint32_t i;
	int error;

	if (g->heads.n <= 1)
		return 0;
	rt_str_puts(&m, "Multiple heads are present: ");
	for (i = 0; i < g->heads.n; i++)
		rt_str_printf(&m, "%s%s", i ? ", " : "",
			      g->revs[g->heads.v[i]].s.id);
	rt_str_puts(&m, " (merge them: 'retort merge heads')");
	error = m.oom ? rt_err_oom(&x->r->err)
		      : problem(x, "multiple-heads", NULL, rt_str_cstr(&m));
	rt_str_dispose(&m);
	return error;
}

/* At head: the declared schema, when there is one, in a scratch
 * database of its own (the stairway's is closed first). */
static int declared_rule(test_ctx *x)
{
	rt_schema *head = NULL;
	int yes, error;

	if ((error = rt_declared_configured(x->r, &yes)) < 0 || !yes)
		return error;
	if ((error = rt_scratch_model(x->r, &x->rn, x->scratch, 1, &head)) < 0)
		return error;
	rt_stairway_dispose(&x->st);
	rt_scratch_free(x->scratch);
	x->scratch = NULL;
	error = rt_declared_diff(x->r, &x->rn, head, &x->found);
	rt_schema_free(head);
	return error;
}

static int run_test(test_ctx *x)
{
	retort_plan *plan = NULL;
	const rt_url *url;
	int error;

	if ((error = rt_project_load(x->r, 0)) < 0 ||
	    (error = heads_rule(x)) < 0 || (error = read_seed(x)) < 0 ||
	    (error = rt_project_url(x->r, &url)) < 0)
		return error;
	if ((error = rt_plan_upgrade(&plan, x->r->graph, "heads", NULL, 0,
				     &x->r->err)) < 0 ||
	    (error = rt_check_plan(x->r, plan, url->dialect, 1)) < 0)
		goto done;
	/* SQLite: read-only (a missing file stays missing); PostgreSQL's
	 * session makes the temporary database */
	if ((error = rt_runner_open(
		 &x->rn, x->r, url->dialect == RT_DIALECT_SQLITE, NULL)) < 0 ||
	    (error = rt_scratch_open_empty(x->r, &x->rn, &x->scratch)) < 0 ||
	    (error = stairway(x, plan)) < 0)
		goto done;
	if (!x->stopped)
		error = declared_rule(x);
done:
	rt_plan_free(plan);
	return error;
}

int retort_test(retort_report **out, retort *r, const retort_test_options *opts)
{
	retort_test_options defaults = RETORT_TEST_OPTIONS_INIT;
	test_ctx x;
	int error;

	*out = NULL;
	rt_err_clear(&r->err);
	if (!opts)
		opts = &defaults;
	if (opts->version != RETORT_TEST_OPTIONS_VERSION)
		return rt_fail(r, RETORT_EUSAGE,
			       "retort_test_options version %u is not %d",
			       opts->version, RETORT_TEST_OPTIONS_VERSION);
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.opts = opts;
	x.found = (rt_problems)RT_PROBLEMS_INIT;
	error = run_test(&x);
	rt_stairway_dispose(&x.st);
	rt_scratch_free(x.scratch);
	rt_runner_close(&x.rn);
	free(x.seed);
	if (error == 0) {
		size_t n = 0, i;

		/* each failure once: its differences are details of it */
		for (i = 0; i < x.found.v.n; i++)
			n += strcmp(x.found.v.v[i].kind, "difference") != 0;

		if (!(*out = rt_report_new(&x.found)))
			error = rt_err_oom(&r->err);
		else if (n)
			error = rt_fail(r, RETORT_EPROBLEMS,
					"the migration test found %zu "
					"problem%s",
					n, n == 1 ? "" : "s");
	}
	rt_problems_free(&x.found);
	return error;
}
