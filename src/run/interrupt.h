/* SPDX-License-Identifier: MIT */
/*
 * interrupt.h: retort_interrupt() reaching the statement in flight
 * (interrupt.c).
 *
 * The handle holds the stop request (util/interrupt.h). Every connection
 * the runner (or the scratch database of check/autogenerate) has open is
 * attached to it, so that raising the request cancels whatever statement
 * that connection is running (the driver's cancel()). The request stays
 * pending until an operation reports it: the runner checks it at every
 * boundary (before connecting, before each step, before each commit), and
 * a run that stops turns its error into RETORT_EINTERRUPTED with a line
 * that names what was stopped and what state it left.
 */
#ifndef RT_RUN_INTERRUPT_H
#define RT_RUN_INTERRUPT_H

#include "project/project.h"
#include "run/driver.h"
#include "util/interrupt.h"

typedef struct rt_conn_hook {
	rt_intr_hook base; /* first: the hook the handle calls */
	const rt_driver *drv;
	rt_conn *conn;
	int attached;
} rt_conn_hook;

/* RETORT_EINTERRUPTED ("interrupted") when a stop is pending; the request
 * stays pending for the code that reports it. */
int rt_interrupt_check(retort *r);

/* Cancel statements on conn when the handle is interrupted, until
 * detached (detach before closing conn). No-op for drivers without
 * cancel(). */
void rt_interrupt_attach(retort *r, rt_conn_hook *h, const rt_driver *drv,
			 rt_conn *conn);
void rt_interrupt_detach(retort *r, rt_conn_hook *h);

/* An operation reported the interrupt: clear the request. */
void rt_interrupt_reported(retort *r);

struct rt_runner;
/* The end of an upgrade, downgrade or stamp run (run.c) that stopped with
 * `error`: when an interrupt is pending, the error becomes
 * RETORT_EINTERRUPTED naming the step in flight (rn->step, at
 * rn->step_line) or, between steps, the next one of `plan` (`done` steps
 * finished). Call before the rollback; returns the error to report. */
int rt_interrupt_run_result(struct rt_runner *rn, int error,
			    const retort_plan *plan, size_t done);

#endif
