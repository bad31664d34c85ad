/* SPDX-License-Identifier: MIT */
/*
 * api.h: what the files of api/ share. api/ implements include/retort.h
 * over the stages below it: it takes the handle (project/project.h),
 * calls the graph, plan, run and schema stages, and turns their results
 * into the public types. Nothing below api/ includes this header.
 */
#ifndef RT_API_H
#define RT_API_H

#include "graph/problem.h"
#include "project/project.h"
#include "run/runner.h"
#include "schema/schema.h"

/* A public revision list from resolver refs (resolve.h); NONE/BASE are
 * skipped. */
struct rt_refs;
int rt_revlist_from_refs(retort *r, const struct rt_refs *refs,
			 retort_revlist **out);

/* Autogenerate: the upgrade and downgrade sections that turn the
 * database at head into the declared schema (api_schema.c); malloc'd.
 * options[0] and [1] (malloc'd, maybe "") go after the template's
 * "-- migrate:upgrade" and "-- migrate:downgrade" markers, e.g.
 * " dialect:sqlite transaction:false". With autogenerate_dialects, the
 * text holds the first dialect's SQL followed by a marker and the SQL of
 * each other dialect. */
int rt_autogenerate_sections(retort *r, char **upgrade, char **downgrade,
			     char *options[2]);

/* The declared schema for one dialect (api_declared.c): the file
 * `schema` names, or the standard output of `schema_command` with
 * {dialect} substituted. path is the file, or "<stdout>" for a command
 * (load errors say "path:line: ..."); command and line (its retort.ini
 * line) are set for a command only. Everything is malloc'd and freed by
 * rt_declared_free(), also after a failure. */
typedef struct rt_declared {
	rt_dialect dialect;
	char *text;
	size_t len;
	char *path;
	char *command;
	unsigned line;
} rt_declared;

int rt_declared_read(retort *r, rt_dialect dialect, rt_declared *d);
void rt_declared_free(rt_declared *d);
/* A failure to load d into a scratch database, as a configuration error
 * (exit 2) that names the file:line, or the command whose output it was;
 * returns the code. Database, memory and interrupt errors pass through. */
int rt_declared_load_error(retort *r, const rt_declared *d, int error);

/* The number of a sequential id: "042" or "042_add_tags" (digits, then the
 * end or '_'), at most 18 digits. Returns 1 and the number and its digit
 * count, or 0 for an id that is not numbered (api_write.c). */
int rt_id_number(const char *id, unsigned long long *num, size_t *digits);

/* A scratch database of the declared schema (api_scratch.c): SQLite in
 * memory; PostgreSQL or MySQL `dev_url` (emptied unless it holds the same
 * schema already: `loaded`), else a temporary database created on the
 * live database's server and dropped by rt_scratchdb_close(). */
typedef struct rt_scratchdb {
	const rt_driver *drv;
	rt_conn *conn;
	int loaded; /* dev_url already holds this declared schema */
	int dev;    /* a dev_url database: mark it after loading */
	/* "retort:<sha256 of the declared schema> search_path=<...>" */
	rt_str mark;
	/* PostgreSQL: the live session's search_path and default schema
	 * (NULL when no schema of the search path exists) */
	char *search_path, *dflt;
	rt_url url;
	int url_parsed;
	char dbname[64];
	rt_conn *admin; /* the connection that created dbname */
	/* conn, attached to the handle's interrupt */
	rt_conn_hook intr;
	retort *r;
} rt_scratchdb;

/* Open sc for the declared schema `text` (NULL: always empty, for the
 * revisions to run in); the session is the live one's twin. */
int rt_scratchdb_open(retort *r, rt_runner *live, rt_scratchdb *sc,
		      const char *text, size_t len);
/* Open sc for dialect d, not the url's (autogenerate_dialects): SQLite in
 * memory, else `dev_url.<dialect>`, emptied. */
int rt_scratchdb_other(retort *r, rt_dialect d, rt_scratchdb *sc);
void rt_scratchdb_close(rt_scratchdb *sc);
/* PostgreSQL: create the live session's default schema in sc when the
 * declared schema does not create it. */
int rt_scratchdb_default_schema(retort *r, rt_scratchdb *sc, const char *text,
				size_t len);
/* A dev_url database: record that it now holds the declared schema. */
int rt_scratchdb_mark(retort *r, rt_scratchdb *sc);
/* A dev_url database: forget the mark and drop everything in it. */
int rt_scratchdb_empty(retort *r, rt_scratchdb *sc);

/* `test` (api_test.c) over api_scratch.c's scratch databases: an empty
 * one (SQLite in memory; PostgreSQL dev_url, emptied, or a temporary
 * database on live's server, dropped by rt_scratch_free()). */
typedef struct rt_scratch rt_scratch;
int rt_scratch_open_empty(retort *r, rt_runner *live, rt_scratch **out);
const rt_driver *rt_scratch_driver(const rt_scratch *s);
rt_conn *rt_scratch_conn(const rt_scratch *s);
void rt_scratch_free(rt_scratch *s);
/* The scratch database's model (filtered: with the autogenerate_*
 * filters, as check reads it; api_schema.c). */
int rt_scratch_model(retort *r, rt_runner *live, const rt_scratch *s,
		     int filtered, rt_schema **out);
/* Is a declared schema configured (`schema` or `schema_command`;
 * api_declared.c)? */
int rt_declared_configured(retort *r, int *yes);
/* The declared schema loaded into a scratch database of its own and
 * compared with `head`: each difference is a "schema" problem in found,
 * as check reports them (api_schema.c). */
int rt_declared_diff(retort *r, rt_runner *live, const rt_schema *head,
		     rt_problems *found);

#endif
