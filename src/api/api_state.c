/* SPDX-License-Identifier: MIT */
/*
 * api_state.c: what the database says about itself, as the public API
 * gives it: its version rows, `current` (resolved against the graph, with
 * --check-heads) and `repair`. The database work is run/state.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "graph/ident.h"
#include "run/state.h"
#include "run/status.h"

int retort_version_rows(char ***out, size_t *count, retort *r)
{
	rt_heads heads = { 0 };
	int error;

	*out = NULL;
	*count = 0;
	rt_err_clear(&r->err);
	if ((error = rt_state_read_heads(r, &heads)) < 0) {
		rt_heads_free(&heads);
		return error;
	}
	*out = heads.v;
	*count = heads.n;
	return 0;
}

void retort_strings_free(char **v, size_t count)
{
	size_t i;

	for (i = 0; v && i < count; i++)
		free(v[i]);
	free(v);
}

int retort_current(retort_revlist **out, retort *r, unsigned int flags)
{
	rt_heads heads = { 0 };
	rt_resolver res;
	rt_refs refs;
	int error;

	*out = NULL;
	rt_err_clear(&r->err);
	if ((error = rt_project_load(r, 0)) < 0 ||
	    (error = rt_state_read_heads(r, &heads)) < 0 ||
	    (error = rt_project_check_rows(r, (const char *const *)heads.v,
					   heads.n)) < 0)
		goto done;
	rt_state_warn_if_dirty(r);
	if (flags & RETORT_CURRENT_CHECK_HEADS) {
		const rt_idlist *h = &r->graph->heads;
		int same = h->n == heads.n;
		uint32_t i;
		size_t k;

		for (i = 0; i < h->n && same; i++) {
			int found = 0;

			for (k = 0; k < heads.n; k++)
				found |= !strcmp(heads.v[k],
						 r->graph->revs[h->v[i]].s.id);
			same = found;
		}
		if (!same) {
			error = rt_fail(r, RETORT_EPROBLEMS,
					"Database is not on all head "
					"revisions");
			goto done;
		}
	}
	rt_resolver_init(&res, r->graph, &r->err);
	error = rt_get_all_current(
	    &res, rt_arg_tuple((const char *const *)heads.v, (uint32_t)heads.n),
	    &refs);
	if (error < 0)
		error = rt_resolver_catch(&res, NULL);
	else
		error = rt_revlist_from_refs(r, &refs, out);
	rt_resolver_dispose(&res);
done:
	rt_heads_free(&heads);
	return error;
}

/* Lock waits reach the user through the log callback. */
static void log_event(const retort_event *ev, void *payload)
{
	if (ev->kind == RETORT_EVENT_LOCK_WAIT)
		rt_log(payload, RETORT_LOG_NOTICE, "%s", ev->message);
}

int retort_repair(retort_repair_result *out, retort *r, unsigned int flags)
{
	retort_run_options none = RETORT_RUN_OPTIONS_INIT;
	rt_runner rn;
	int error;

	memset(out, 0, sizeof(*out));
	rt_err_clear(&r->err);
	if ((error = rt_project_load(r, 0)) < 0)
		return error;
	none.event = log_event;
	none.event_payload = r;
	if ((error = rt_runner_open(&rn, r, 0, &none)) == 0)
		error = rt_state_repair(&rn, flags, out);
	rt_runner_close(&rn);
	return error;
}

/* ------------------------------------------------------------------ */
/* status */

int retort_read_status(retort_status **out, retort *r)
{
	int error;

	*out = NULL;
	rt_err_clear(&r->err);
	if ((error = rt_project_load(r, 0)) < 0)
		return error;
	return rt_status_read(r, out);
}

size_t retort_status_count(const retort_status *st)
{
	return st ? st->v.n : 0;
}

const retort_status_entry *retort_status_at(const retort_status *st, size_t i)
{
	return st && i < st->v.n ? &st->v.v[i] : NULL;
}

const retort_dirty *retort_status_dirty(const retort_status *st)
{
	return &st->dirty;
}

void retort_status_free(retort_status *st)
{
	rt_status_free(st);
}
