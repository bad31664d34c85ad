/* SPDX-License-Identifier: MIT */
/*
 * interrupt.c: retort_interrupt() reaching the runner (interrupt.h).
 *
 * What a stopped run reports, by where the request found it:
 *   - before connecting, or while waiting for the migration lock:
 *     nothing changed;
 *   - in a step whose section runs in a transaction: the driver cancelled
 *     the statement, the runner rolls the transaction back, and neither
 *     the version rows nor the log record the step;
 *   - in a transaction:false section: what ran before the cancelled
 *     statement is committed and the log row stays "failed" (or
 *     "running"), so the database is dirty, as after a failure;
 *   - between steps: the steps before it are applied (all of them rolled
 *     back with transaction_per_migration = false, which run.c adds).
 */
#include <string.h>

#include "plan/plan.h"
#include "run/interrupt.h"
#include "run/runner.h"
#include "util/str.h"

int rt_interrupt_check(retort *r)
{
	if (!rt_intr_pending(&r->intr))
		return 0;
	return rt_fail(r, RETORT_EINTERRUPTED, "interrupted");
}

/* Called by rt_intr_raise(), maybe in a signal handler. */
static void cancel_conn(rt_intr_hook *hook)
{
	rt_conn_hook *h = (rt_conn_hook *)hook;

	h->drv->cancel(h->conn);
}

void rt_interrupt_attach(retort *r, rt_conn_hook *h, const rt_driver *drv,
			 rt_conn *conn)
{
	memset(h, 0, sizeof(*h));
	if (!drv->cancel || !conn)
		return;
	h->base.fn = cancel_conn;
	h->drv = drv;
	h->conn = conn;
	h->attached = rt_intr_add(&r->intr, &h->base) == 0;
}

void rt_interrupt_detach(retort *r, rt_conn_hook *h)
{
	if (h->attached)
		rt_intr_remove(&r->intr, &h->base);
	h->attached = 0;
}

void rt_interrupt_reported(retort *r)
{
	rt_intr_take(&r->intr);
}

static void ids(rt_str *s, const char *const *v, size_t n)
{
	size_t i;

	if (!n)
		rt_str_puts(s, "<base>");
	for (i = 0; i < n; i++)
		rt_str_printf(s, "%s%s", i ? "," : "", v[i]);
}

/* "upgrade r0 -> r1" */
static void step_name(rt_str *s, const retort_step *st)
{
	rt_str_puts(s, st->kind == RETORT_STEP_UPGRADE	   ? "upgrade "
		       : st->kind == RETORT_STEP_DOWNGRADE ? "downgrade "
							   : "stamp ");
	ids(s, st->from, st->nfrom);
	rt_str_puts(s, " -> ");
	ids(s, st->to, st->nto);
}

int rt_interrupt_run_result(rt_runner *rn, int error, const retort_plan *plan,
			    size_t done)
{
	retort *r = rn->r;
	const retort_step *st = rn->step;
	rt_str msg = RT_STR_INIT;

	if (error >= 0 || !rt_intr_pending(&r->intr))
		return error;
	if (st) {
		const retort_section *sec =
		    rt_step_section(st, rn->url->dialect);

		rt_str_puts(&msg, "interrupted while running ");
		step_name(&msg, st);
		if (sec && !sec->empty)
			rt_str_printf(&msg, " (%s:%u)", st->revision->s.path,
				      rn->step_line ? rn->step_line
						    : sec->line);
		if (sec && !sec->empty && rn->step_outside &&
		    sec->transactional && !rn->step_done && !rn->resumed)
			rt_str_puts(&msg, "; its first statement did not "
					  "complete: nothing changed, nothing "
					  "recorded");
		else if (sec && !sec->empty && rn->step_outside &&
			 sec->transactional)
			rt_str_printf(
			    &msg,
			    "; MySQL cannot roll back DDL: the %zu statements "
			    "before it ran and stay, and the database is now "
			    "marked dirty at statement %zu; run the same "
			    "command again to go on from there, or undo them "
			    "by hand and run 'retort repair'",
			    rn->step_done, rn->step_done + 1);
		else if (sec && !sec->empty && !sec->transactional)
			rt_str_puts(
			    &msg, "; it ran outside a transaction "
				  "(transaction:false): what it did before "
				  "that statement stays, and the database is "
				  "now marked dirty; check what it did, fix it "
				  "by hand, then run 'retort repair'");
		else
			rt_str_puts(&msg, "; rolled back, nothing recorded");
	} else if (!rn->conn) {
		rt_str_puts(&msg, "interrupted before connecting to the "
				  "database; nothing changed");
	} else if (!rn->locked) {
		const char *display;

		if (rt_project_url_display(r, &display) < 0)
			display = "the database";
		rt_str_printf(&msg,
			      "interrupted while waiting for the migration "
			      "lock on %s; nothing changed",
			      display);
	} else if (!plan || !done) {
		rt_str_puts(&msg, "interrupted before running any revision; "
				  "nothing changed");
	} else if (done < plan->steps.n) {
		rt_str_puts(&msg, "interrupted before ");
		step_name(&msg, &plan->steps.v[done]);
		rt_str_puts(&msg, " started");
	} else
		rt_str_puts(&msg, "interrupted before the end of the run");
	if (msg.oom)
		error = rt_err_oom(&r->err);
	else
		error =
		    rt_fail(r, RETORT_EINTERRUPTED, "%s", rt_str_cstr(&msg));
	rt_str_dispose(&msg);
	return error;
}
