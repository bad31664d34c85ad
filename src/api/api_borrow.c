/* SPDX-License-Identifier: MIT */
/*
 * api_borrow.c: retort_use_sqlite() and retort_use_pgconn(), an
 * application's own open connection instead of the configured URL.
 *
 * The handle only records the pointer and its dialect (project.h:
 * `borrowed`); the URL becomes that dialect's and nothing else, so
 * rendering, the version table's name and the runner's choice of driver
 * follow it. Each operation wraps the pointer with the driver's adopt()
 * (run/runner.c), which checks it is usable, sets the session up as a
 * connection of retort's own, and on close puts the session back and
 * leaves the connection open: the application owns it throughout.
 *
 * What is refused here, before anything is recorded: a NULL pointer, a
 * dialect this build has no driver for, and a dialect other than that of
 * the project's configured url (when one is set and parses), which is
 * almost always the wrong handle or the wrong project.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "run/driver.h"
#include "util/str.h"

/* The configured url's dialect differs from d: RETORT_EUSAGE naming
 * both; else 0 (also when no url is set or it does not parse). */
static int check_dialect(retort *r, rt_dialect d, const char *fn)
{
	rt_err perr = RT_ERR_INIT;
	rt_str shown = RT_STR_INIT;
	const char *text = NULL;
	rt_url url;
	int error = 0;

	if (!r->cfg || rt_cfg(r, "url", NULL, &text) < 0 || !text || !*text) {
		rt_err_clear(&r->err);
		return 0;
	}
	if (rt_url_parse(&url, text, &perr) < 0) {
		rt_err_dispose(&perr);
		return 0;
	}
	if (url.dialect != d) {
		rt_url_display(&shown, &url);
		error = rt_fail(r, RETORT_EUSAGE,
				"%s: the project's url %s is a %s database, "
				"not %s; pass a handle of its kind, or "
				"change url in %s",
				fn, shown.oom ? "" : rt_str_cstr(&shown),
				rt_dialect_name(url.dialect),
				rt_dialect_name(d), rt_config_path(r->cfg));
	}
	rt_str_dispose(&shown);
	rt_url_dispose(&url);
	rt_err_dispose(&perr);
	return error;
}

static int use(retort *r, rt_dialect d, void *handle, const char *fn)
{
	int error;

	if (!r)
		return RETORT_EUSAGE;
	rt_err_clear(&r->err);
	if (!handle)
		return rt_fail(r, RETORT_EUSAGE,
			       "%s: the connection is NULL; pass an open one",
			       fn);
	if (!rt_driver_for(d))
		return rt_fail(r, RETORT_ECONFIG,
			       "%s: this retort has no driver for %s "
			       "databases",
			       fn, rt_dialect_name(d));
	if ((error = check_dialect(r, d, fn)) < 0)
		return error;
	/* the URL and its display were the configured ones until now */
	if (r->url_parsed)
		rt_url_dispose(&r->url);
	r->url_parsed = 0;
	free(r->url_display);
	r->url_display = NULL;
	r->borrowed = handle;
	r->borrowed_dialect = d;
	return 0;
}

int retort_use_sqlite(retort *r, struct sqlite3 *db)
{
	return use(r, RT_DIALECT_SQLITE, db, "retort_use_sqlite");
}

int retort_use_pgconn(retort *r, struct pg_conn *conn)
{
	return use(r, RT_DIALECT_POSTGRESQL, conn, "retort_use_pgconn");
}
