/* SPDX-License-Identifier: MIT */
/*
 * Stage project/: the project a command works on. retort.ini with its
 * interpolation (config.h) and the database URL (url.h) in; the handle
 * (this header) out, holding the settings and, once loaded, the revision
 * files of the version locations and their graph. Uses util/, sql/,
 * script/ and graph/. plan/, run/, schema/ and api/ take the handle.
 *
 * project.h: the handle behind the public `retort` type.
 *
 * Invariants: `err` holds the last failure (code 0 after success); the
 * config is loaded by retort_open; scripts and graph exist only after a
 * successful load (loaded == 1), and are rebuilt after a new revision is
 * written; every pointer handed to callers stays valid until
 * retort_close() or the next reload.
 */
#ifndef RT_PROJECT_H
#define RT_PROJECT_H

#include "graph/graph.h"
#include "graph/problem.h"
#include "project/config.h"
#include "project/url.h"
#include "retort.h"
#include "script/script.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/interrupt.h"
#include "util/vec.h"

typedef struct rt_kv {
	char *key;
	char *value;
} rt_kv;

struct retort {
	rt_err err;
	rt_config *cfg;
	char *url_override;
	RT_VEC(rt_kv) xargs;
	retort_log_fn log;
	void *log_payload;
	/* revisions held in memory (copied) */
	RT_VEC(retort_source) sources;
	int have_sources;
	rt_arena keep; /* copies of option strings and sources */
	/* loaded state */
	int loaded;
	rt_arena files;
	/* the parsed revision files (in `files`), used in place by the
	 * graph (rt_graph_adopt) */
	retort_revision *scripts;
	size_t nscripts;
	RT_VEC(const char *) locations; /* absolute version locations */
	const char *script_location;
	rt_problems problems;
	rt_graph *graph;
	/* retort_set_connect_wait(): seconds to keep retrying a connection
	 * the server refuses while it starts (0: fail at once) */
	double connect_wait_s;
	/* cached */
	char *url_display;
	rt_url url;
	int url_parsed;
	/* retort_interrupt(): the stop request and the connections it
	 * cancels (run/interrupt.c) */
	rt_intr intr;
	/* retort_use_sqlite(), retort_use_pgconn(): the application's own
	 * connection (sqlite3 *, PGconn *), never closed here; when set,
	 * the URL is this dialect's and nothing else (api/api_borrow.c) */
	void *borrowed;
	rt_dialect borrowed_dialect;
};

/* Set the error on the handle; returns code. */
int rt_fail(retort *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Send a message to the log callback. */
void rt_log(retort *r, retort_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Read revisions and build the graph. With keep_going, collect every
 * problem into r->problems and build what can be built (validate). */
int rt_project_load(retort *r, int keep_going);
void rt_project_unload(retort *r);

/* Config helpers on the handle (errors set on r). */
int rt_cfg(retort *r, const char *key, const char *def, const char **out);
int rt_cfg_bool(retort *r, const char *key, int def, int *out);
int rt_cfg_int(retort *r, const char *key, long def, long *out);
/* The parsed database URL (with --url applied); with a borrowed
 * connection, one that holds its dialect only. */
int rt_project_url(retort *r, const rt_url **out);
/* Version rows naming no revision of the loaded graph: RETORT_ENOTFOUND
 * with Alembic's "Can't locate revision identified by" and what to do.
 * Every command that reads the rows asks this one question. */
int rt_project_check_rows(retort *r, const char *const *rows, size_t n);

/* The URL with its password masked, cached on the handle. */
int rt_project_url_display(retort *r, const char **out);

/* A path from the config, made absolute against the config's folder. */
int rt_abs_path(retort *r, const char *path, char **out);
/* version_table and version_table_schema (schema NULL when unset). */
int rt_version_table(retort *r, const char **table, const char **schema);

/* The -x value for key, or NULL. */
const char *rt_xarg(const retort *r, const char *key);

#endif
