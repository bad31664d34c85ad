/* SPDX-License-Identifier: MIT */
/*
 * api.h: what the files of api/ share. api/ implements include/retort.h
 * over the stages below it: it takes the handle (project/project.h),
 * calls the graph, plan, run and schema stages, and turns their results
 * into the public types. Nothing below api/ includes this header.
 */
#ifndef RT_API_H
#define RT_API_H

#include "project/project.h"

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

#endif
