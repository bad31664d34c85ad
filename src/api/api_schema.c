/* SPDX-License-Identifier: MIT */
/*
 * api_schema.c: the declared schema: `revision --autogenerate`, `check`
 * and `dump` (the model, introspection, diff and SQL live in schema/).
 *
 * Autogenerate and check compare two models read the same way:
 *   the database, which must be at every head ("Target database is not
 *   up to date." otherwise, as Alembic says), and
 *   the declared schema loaded into a scratch database of the same
 *   dialect (api_scratch.c: SQLite in memory; PostgreSQL and MySQL
 *   `dev_url`, else a temporary database on the same server), whose
 *   session is the live one's twin, so that the declared schema's
 *   unqualified names land where the revisions' will.
 * The declared schema is the `schema` file or what `schema_command`
 * prints (api_declared.c).
 *
 * With `autogenerate_dialects`, each listed dialect is compared in turn:
 * the url's as above; any other has no live database, so its head is
 * built from the revisions' sections for it on a scratch database
 * (compare_other). Autogenerate writes a section pair per dialect; check
 * reports every dialect's differences, prefixed with its name.
 * Notes about objects the model does not cover go to the log as
 * warnings: never a silent skip.
 *
 * An interrupt (retort_interrupt) cancels the load; the scratch database
 * is then dropped as after any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "graph/problem.h"
#include "plan/render.h"
#include "run/interrupt.h"
#include "run/run.h"
#include "run/runner.h"
#include "schema/schema.h"
#include "sql/tokenize.h"
#include "util/str.h"
#include "util/vec.h"

/* Alembic's "Target database is not up to date.", with what to run: an
 * unversioned database that has tables was most likely built before retort
 * managed it, which is what stamp is for. */
static int not_up_to_date(rt_runner *rn, size_t nrows)
{
	long tables = 0;
	int error;

	if (!nrows && !rn->missing &&
	    (error = rn->drv->count_tables(rn->conn, rn->schema, rn->table,
					   rn->log_table, &tables,
					   &rn->r->err)) < 0)
		return error;
	if (tables)
		return rt_fail(rn->r, RETORT_ERROR,
			       "Target database is not up to date. (it has "
			       "%ld table%s but no version rows: if they match "
			       "a revision, 'retort stamp REV' records it; "
			       "otherwise run 'retort upgrade head')",
			       tables, tables == 1 ? "" : "s");
	return rt_fail(rn->r, RETORT_ERROR,
		       "Target database is not up to date. (run 'retort "
		       "upgrade head' first)");
}

/* "Target database is not up to date." unless the rows are the heads. */
static int require_head(rt_runner *rn)
{
	retort *r = rn->r;
	rt_heads rows = { 0 };
	uint32_t i;
	size_t k;
	int error, same;

	if ((error = rt_runner_read_heads(rn, &rows)) < 0 ||
	    (error = rt_project_check_rows(r, (const char *const *)rows.v,
					   rows.n)) < 0) {
		rt_heads_free(&rows);
		return error;
	}
	same = rows.n == r->graph->heads.n;
	for (i = 0; i < r->graph->heads.n && same; i++) {
		int found = 0;

		for (k = 0; k < rows.n; k++)
			found |=
			    !strcmp(rows.v[k],
				    r->graph->revs[r->graph->heads.v[i]].s.id);
		same = found;
	}
	if (same) {
		rt_heads_free(&rows);
		return 0;
	}
	error = not_up_to_date(rn, rows.n);
	rt_heads_free(&rows);
	return error;
}

/* ---- autogenerate_* filters ---- */

typedef RT_VEC(const char *) strlist;

/* The autogenerate_* keys, read and checked. */
typedef struct filters {
	rt_schema_filter f;
	strlist lists[4]; /* include/exclude schemas, tables, extensions */
	char *bufs[5];	  /* the values the lists point into */
} filters;

static void filters_free(filters *fl)
{
	size_t i;

	for (i = 0; i < 4; i++)
		RT_VEC_FREE(&fl->lists[i]);
	for (i = 0; i < 5; i++)
		free(fl->bufs[i]);
	memset(fl, 0, sizeof(*fl));
}

/* A list key: items split on commas and blanks, in *buf. */
static int cfg_list(retort *r, const char *key, char **buf, strlist *out)
{
	const char *v;
	char *p, *save = NULL, *item;
	int error;

	if ((error = rt_cfg(r, key, NULL, &v)) < 0)
		return error;
	if (!v || !*v)
		return 0;
	if (!(*buf = strdup(v)))
		return rt_err_oom(&r->err);
	for (p = *buf; (item = strtok_r(p, ", \t\n", &save)); p = NULL)
		if (RT_VEC_PUSH(out, item) < 0)
			return rt_err_oom(&r->err);
	return 0;
}

static int cfg_bad(retort *r, const char *key, const char *what)
{
	return rt_fail(r, RETORT_ECONFIG, "%s:%u: %s: %s",
		       rt_config_path(r->cfg), rt_config_line(r->cfg, key), key,
		       what);
}

static int read_filters(retort *r, filters *fl)
{
	static const char *const keys[] = {
		"autogenerate_include_schemas",
		"autogenerate_exclude_schemas",
		"autogenerate_exclude_tables",
		"autogenerate_exclude_extensions",
	};
	strlist kinds = RT_VEC_INIT;
	size_t i;
	int error = 0;

	memset(fl, 0, sizeof(*fl));
	for (i = 0; i < 4 && !error; i++)
		error = cfg_list(r, keys[i], &fl->bufs[i], &fl->lists[i]);
	if (!error)
		error = cfg_list(r, "autogenerate_exclude_kinds", &fl->bufs[4],
				 &kinds);
	for (i = 0; !error && i < fl->lists[2].n; i++) {
		const char *why =
		    rt_schema_table_pattern_error(fl->lists[2].v[i]);

		if (why) {
			rt_str m = RT_STR_INIT;

			rt_str_printf(&m, "'%s' has %s", fl->lists[2].v[i],
				      why);
			error = cfg_bad(r, keys[2], rt_str_cstr(&m));
			rt_str_dispose(&m);
		}
	}
	for (i = 0; !error && i < kinds.n; i++) {
		unsigned bit = rt_schema_kind(kinds.v[i]);

		if (!bit) {
			rt_str m = RT_STR_INIT;

			rt_str_printf(&m, "unknown kind '%s' (kinds: %s)",
				      kinds.v[i], rt_schema_kind_names());
			error = cfg_bad(r, "autogenerate_exclude_kinds",
					rt_str_cstr(&m));
			rt_str_dispose(&m);
		}
		fl->f.exclude_kinds |= bit;
	}
	RT_VEC_FREE(&kinds);
	fl->f.include_schemas = fl->lists[0].v;
	fl->f.ninclude_schemas = fl->lists[0].n;
	fl->f.exclude_schemas = fl->lists[1].v;
	fl->f.nexclude_schemas = fl->lists[1].n;
	fl->f.exclude_tables = fl->lists[2].v;
	fl->f.nexclude_tables = fl->lists[2].n;
	fl->f.exclude_extensions = fl->lists[3].v;
	fl->f.nexclude_extensions = fl->lists[3].n;
	return error;
}

static void introspect_opts(rt_runner *rn, rt_introspect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->version_table = rn->table;
	o->log_table = rn->log_table;
	o->schema = rn->schema && *rn->schema ? rn->schema : NULL;
	/* MySQL: filters name the scratch database as the live one */
	o->database = rn->url ? rn->url->database : NULL;
}

/* The live and declared models and their diff. */
typedef struct comparison {
	rt_runner rn;
	filters fl;
	rt_schema *live, *declared;
	rt_diff *diff;
} comparison;

static void log_notes(retort *r, const rt_diff *d)
{
	size_t i;

	for (i = 0; i < d->nnotes; i++)
		rt_log(r, RETORT_LOG_WARNING, "%s", d->notes[i]);
}

/* The schema holding retort's own tables (version_table_schema) is not
 * part of the user's schema unless the declared schema creates it too. */
static void forget_own_schema(rt_schema *live, const rt_schema *declared,
			      const char *own)
{
	size_t i, j;

	if (!own)
		return;
	for (i = 0; i < declared->nschemas; i++)
		if (!strcmp(declared->schemas[i], own))
			return;
	for (i = j = 0; i < live->nschemas; i++)
		if (strcmp(live->schemas[i], own))
			live->schemas[j++] = live->schemas[i];
	live->nschemas = j;
}

/* compare() stopped by retort_interrupt(): say where, and that the
 * scratch database does not stay behind. */
static int interrupted(retort *r, const rt_scratchdb *sc, const char *loading)
{
	rt_interrupt_reported(r);
	if (!loading)
		return rt_fail(r, RETORT_EINTERRUPTED,
			       "interrupted while comparing the database with "
			       "the declared schema; nothing changed");
	if (sc->dev)
		return rt_fail(r, RETORT_EINTERRUPTED,
			       "interrupted while loading the declared schema "
			       "%s into the dev_url database; it is loaded "
			       "afresh next time",
			       loading);
	return rt_fail(r, RETORT_EINTERRUPTED,
		       "interrupted while loading the declared schema %s into "
		       "a scratch database; it is dropped, nothing else "
		       "changed",
		       loading);
}

static int compare(retort *r, comparison *c)
{
	rt_introspect_opts io;
	rt_scratchdb sc;
	rt_declared dd;
	const rt_url *url;
	const char *loading = NULL;
	int error;

	memset(c, 0, sizeof(*c));
	memset(&sc, 0, sizeof(sc));
	memset(&dd, 0, sizeof(dd));
	/* SQLite: read-only, so that a missing database file is not
	 * created (its schema is empty); PostgreSQL needs a writable
	 * session to create the scratch database */
	if ((error = rt_project_load(r, 0)) < 0 ||
	    (error = read_filters(r, &c->fl)) < 0 ||
	    (error = rt_project_url(r, &url)) < 0 ||
	    (error = rt_declared_read(r, url->dialect, &dd)) < 0 ||
	    (error = rt_runner_open(
		 &c->rn, r, url->dialect == RT_DIALECT_SQLITE, NULL)) < 0 ||
	    (error = require_head(&c->rn)) < 0)
		goto done;
	introspect_opts(&c->rn, &io);
	io.filter = &c->fl.f;
	if ((error = rt_scratchdb_open(r, &c->rn, &sc, dd.text, dd.len)) < 0)
		goto done;
	/* a database that does not exist yet has an empty schema: read
	 * the (still empty) scratch database for it */
	if ((error = rt_schema_introspect(&c->live, c->rn.drv,
					  c->rn.missing ? sc.conn : c->rn.conn,
					  &io, &r->err)) < 0)
		goto done;
	if (!sc.loaded) {
		loading = dd.command ? dd.command : dd.path;
		if ((error = rt_interrupt_check(r)) < 0 ||
		    (error = rt_scratchdb_default_schema(r, &sc, dd.text,
							 dd.len)) < 0)
			goto done;
		if ((error = rt_schema_load(sc.drv, sc.conn, dd.path, dd.text,
					    dd.len, &r->err)) < 0) {
			error = rt_declared_load_error(r, &dd, error);
			goto done;
		}
		if ((error = rt_scratchdb_mark(r, &sc)) < 0)
			goto done;
		loading = NULL;
	}
	if ((error = rt_interrupt_check(r)) < 0 ||
	    (error = rt_schema_introspect(&c->declared, sc.drv, sc.conn, &io,
					  &r->err)) < 0)
		goto done;
	forget_own_schema(c->live, c->declared, io.schema);
	if ((error = rt_schema_diff(&c->diff, c->live, c->declared, &r->err)) <
	    0)
		goto done;
	log_notes(r, c->diff);
done:
	if (error < 0 && error != RETORT_ENOMEM && rt_interrupt_check(r) < 0)
		error = interrupted(r, &sc, loading);
	rt_scratchdb_close(&sc);
	rt_declared_free(&dd);
	return error;
}

static void comparison_free(comparison *c)
{
	rt_diff_free(c->diff);
	rt_schema_free(c->live);
	rt_schema_free(c->declared);
	rt_runner_close(&c->rn);
	filters_free(&c->fl);
}

/* ---- autogenerate_dialects: a comparison per dialect ---- */

/* One revision's section run on the scratch database. */
static int head_section(retort *r, rt_scratchdb *sc, const retort_step *s,
			const retort_section *sec)
{
	rt_err ignore = RT_ERR_INIT;
	rt_failure f;
	rt_str m = RT_STR_INIT;
	int error;

	f.offset = -1;
	f.sqlstate[0] = '\0';
	if (sec->transactional &&
	    (error = sc->drv->begin(sc->conn, &r->err)) < 0)
		return error;
	error = sc->drv->exec(sc->conn, sec->sql, sec->len, &f, &r->err);
	if (error >= 0)
		return sec->transactional ? sc->drv->commit(sc->conn, &r->err)
					  : 0;
	if (sec->transactional)
		sc->drv->rollback(sc->conn, &ignore);
	rt_err_dispose(&ignore);
	if (error == RETORT_ENOMEM || error == RETORT_EINTERRUPTED)
		return error;
	rt_str_printf(&m,
		      "%s:%u: revision %s does not run on a scratch %s "
		      "database (building the revisions' head for "
		      "autogenerate_dialects): %s",
		      s->revision->s.path,
		      sec->line - 1 +
			  (f.offset >= 0 ? rt_sql_line_of(sec->sql, sec->len,
							  (size_t)f.offset)
					 : 1),
		      s->revision->s.id, rt_dialect_name(sc->drv->dialect),
		      rt_err_msg(&r->err));
	rt_fail(r, RETORT_ERROR, "%s", rt_str_cstr(&m));
	rt_str_dispose(&m);
	return RETORT_ERROR;
}

/* Every revision, base to heads, with its sections for d. */
static int build_head(retort *r, rt_scratchdb *sc, rt_dialect d)
{
	retort_plan *plan = NULL;
	size_t i;
	int error;

	if (!r->graph || !r->graph->n)
		return 0;
	if ((error = rt_plan_upgrade(&plan, r->graph, "heads", NULL, 0,
				     &r->err)) < 0)
		return error;
	error = rt_plan_check_dialect(plan, d, &r->err);
	for (i = 0; !error && i < plan->steps.n; i++) {
		const retort_step *s = &plan->steps.v[i];
		const retort_section *sec = rt_step_section(s, d);

		if (sec && !sec->empty)
			error = rt_interrupt_check(r) < 0
				    ? RETORT_EINTERRUPTED
				    : head_section(r, sc, s, sec);
	}
	rt_plan_free(plan);
	return error;
}

static int compare_other(retort *r, rt_dialect d, comparison *c)
{
	rt_introspect_opts io;
	rt_scratchdb head, decl, *load = &head;
	rt_declared dd;
	int error;

	memset(c, 0, sizeof(*c));
	memset(&head, 0, sizeof(head));
	memset(&decl, 0, sizeof(decl));
	memset(&io, 0, sizeof(io));
	memset(&dd, 0, sizeof(dd));
	if ((error = rt_project_load(r, 0)) < 0 ||
	    (error = read_filters(r, &c->fl)) < 0 ||
	    (error = rt_declared_read(r, d, &dd)) < 0 ||
	    (error = rt_scratchdb_other(r, d, &head)) < 0 ||
	    (error = build_head(r, &head, d)) < 0)
		goto done;
	io.filter = &c->fl.f;
	if ((error = rt_schema_introspect(&c->live, head.drv, head.conn, &io,
					  &r->err)) < 0)
		goto done;
	if (d == RT_DIALECT_SQLITE) {
		if ((error = rt_scratchdb_other(r, d, &decl)) < 0)
			goto done;
		load = &decl;
	} else if ((error = rt_scratchdb_empty(r, &head)) < 0) {
		goto done;
	}
	if ((error = rt_schema_load(load->drv, load->conn, dd.path, dd.text,
				    dd.len, &r->err)) < 0) {
		error = rt_declared_load_error(r, &dd, error);
		goto done;
	}
	if ((error = rt_schema_introspect(&c->declared, load->drv, load->conn,
					  &io, &r->err)) < 0 ||
	    (error = rt_schema_diff(&c->diff, c->live, c->declared, &r->err)) <
		0)
		goto done;
	log_notes(r, c->diff);
done:
	if (error < 0 && error != RETORT_ENOMEM && rt_interrupt_check(r) < 0) {
		rt_interrupt_reported(r);
		error = rt_fail(r, RETORT_EINTERRUPTED,
				"interrupted while comparing the revisions' "
				"head on %s with the declared schema",
				rt_dialect_name(d));
	}
	rt_scratchdb_close(&decl);
	rt_scratchdb_close(&head);
	rt_declared_free(&dd);
	return error;
}

/* autogenerate_dialects, read: the dialects in order (the url's alone
 * when unset); *listed says the key is set. The url's dialect must be
 * among them: its database is the one at head. */
static int read_dialects(retort *r, rt_dialect live, rt_dialect out[3],
			 size_t *n, int *listed)
{
	strlist names = RT_VEC_INIT;
	char *buf = NULL;
	size_t i, k;
	int error, has_live = 0;

	*n = 0;
	*listed = 0;
	if ((error = cfg_list(r, "autogenerate_dialects", &buf, &names)) < 0)
		goto done;
	if (!names.n) {
		out[(*n)++] = live;
		goto done;
	}
	*listed = 1;
	for (i = 0; i < names.n && !error; i++) {
		rt_dialect d;
		rt_str m = RT_STR_INIT;

		if (rt_dialect_from_name(names.v[i], strlen(names.v[i]), &d) <
			0 ||
		    strcmp(names.v[i], rt_dialect_name(d)))
			rt_str_printf(&m,
				      "unknown dialect '%s' (sqlite, "
				      "postgresql, mysql)",
				      names.v[i]);
		for (k = 0; k < *n && !m.len; k++)
			if (out[k] == d)
				rt_str_printf(&m, "%s is listed twice",
					      names.v[i]);
		if (m.len || m.oom) {
			error = m.oom ? rt_err_oom(&r->err)
				      : cfg_bad(r, "autogenerate_dialects",
						rt_str_cstr(&m));
			rt_str_dispose(&m);
			break;
		}
		has_live |= d == live;
		out[(*n)++] = d;
	}
	if (!error && !has_live) {
		rt_str m = RT_STR_INIT;

		rt_str_printf(&m,
			      "the url's dialect, %s, is not listed (its "
			      "database is the one compared at head)",
			      rt_dialect_name(live));
		error = m.oom ? rt_err_oom(&r->err)
			      : cfg_bad(r, "autogenerate_dialects",
					rt_str_cstr(&m));
		rt_str_dispose(&m);
	}
done:
	RT_VEC_FREE(&names);
	free(buf);
	return error;
}

/* The dialects to compare, in the order autogenerate_dialects gives. */
static int compare_plan(retort *r, rt_dialect order[3], size_t *n, int *listed,
			rt_dialect *live)
{
	const rt_url *url;
	int error;

	if ((error = rt_project_url(r, &url)) < 0 ||
	    (error = read_dialects(r, url->dialect, order, n, listed)) < 0)
		return error;
	*live = url->dialect;
	return 0;
}

static int compare_dialect(retort *r, rt_dialect d, rt_dialect live,
			   comparison *c)
{
	return d == live ? compare(r, c) : compare_other(r, d, c);
}

/* The differences of one comparison as problems ("postgresql: add table
 * x" when several dialects are compared). */
static int add_changes(retort *r, rt_problems *found, const comparison *c,
		       rt_dialect d, int listed)
{
	size_t i;

	for (i = 0; i < c->diff->nchanges; i++) {
		const rt_change *ch = &c->diff->changes[i];
		rt_str m = RT_STR_INIT;
		int error;

		if (ch->flags & RT_CHANGE_IMPLIED)
			continue;
		if (listed)
			rt_str_printf(&m, "%s: ", rt_dialect_name(d));
		rt_str_puts(&m, ch->description);
		error = m.oom || rt_problem_add(found, "schema", NULL, NULL, 0,
						rt_str_cstr(&m)) < 0
			    ? rt_err_oom(&r->err)
			    : 0;
		rt_str_dispose(&m);
		if (error < 0)
			return error;
	}
	return 0;
}

/* The index of the url's dialect in order[] first, then the others. */
static size_t nth_dialect(const rt_dialect *order, size_t n, rt_dialect live,
			  size_t k)
{
	size_t i, at = 0;

	for (i = 0; i < n && order[i] != live; i++)
		;
	if (k == 0)
		return i;
	for (at = 0; at < n; at++)
		if (order[at] != live && --k == 0)
			return at;
	return n;
}

int retort_check(retort_report **out, retort *r)
{
	rt_problems found = RT_PROBLEMS_INIT;
	rt_dialect order[3], live;
	size_t n = 0, k;
	int error, listed = 0;

	*out = NULL;
	rt_err_clear(&r->err);
	if ((error = compare_plan(r, order, &n, &listed, &live)) < 0)
		goto done;
	for (k = 0; k < n; k++) {
		rt_dialect d = order[nth_dialect(order, n, live, k)];
		comparison c;

		error = compare_dialect(r, d, live, &c);
		if (!error)
			error = add_changes(r, &found, &c, d, listed);
		comparison_free(&c);
		if (error < 0)
			goto done;
	}
	*out = rt_report_new(&found);
	if (!*out) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if (retort_report_count(*out))
		error = rt_fail(r, RETORT_EPROBLEMS,
				"New upgrade operations detected: %zu "
				"difference%s between the %s and the "
				"declared schema",
				retort_report_count(*out),
				retort_report_count(*out) == 1 ? "" : "s",
				listed ? "revisions' head on each dialect"
				       : "database at head");
done:
	rt_problems_free(&found);
	return error;
}

int retort_dump(retort_buf *out, retort *r)
{
	rt_introspect_opts io;
	rt_runner rn;
	rt_schema *s = NULL;
	rt_str sql = RT_STR_INIT;
	int error;

	rt_err_clear(&r->err);
	if ((error = rt_runner_open(&rn, r, 1, NULL)) < 0)
		goto done;
	if (rn.missing) {
		const char *display;

		if (rt_project_url_display(r, &display) < 0)
			display = "(the configured url)";
		error = rt_fail(r, RETORT_EDB, "the database %s does not exist",
				display);
		goto done;
	}
	introspect_opts(&rn, &io);
	if ((error = rt_schema_introspect(&s, rn.drv, rn.conn, &io, &r->err)) <
		0 ||
	    (error = rt_schema_dump(s, &sql, &r->err)) < 0)
		goto done;
	{
		size_t k;

		for (k = 0; k < s->nunsupported; k++)
			rt_log(r, RETORT_LOG_WARNING,
			       "not dumped (not supported yet): %s",
			       s->unsupported[k]);
	}
	if (sql.oom) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	{
		char *p = realloc(out->ptr, out->size + sql.len + 1);

		if (!p) {
			error = rt_err_oom(&r->err);
			goto done;
		}
		memcpy(p + out->size, sql.ptr ? sql.ptr : "", sql.len);
		out->ptr = p;
		out->size += sql.len;
		out->asize = out->size + 1;
		out->ptr[out->size] = '\0';
	}
done:
	rt_str_dispose(&sql);
	rt_schema_free(s);
	rt_runner_close(&rn);
	return error;
}

/* One dialect's sections rendered: the SQL and its markers' options. */
typedef struct rendered {
	rt_str up, down;
	int nontx, empty;
} rendered;

static void marker_options(rt_str *out, int listed, rt_dialect d, int nontx)
{
	if (listed)
		rt_str_printf(out, " dialect:%s", rt_dialect_name(d));
	if (nontx)
		rt_str_puts(out, " transaction:false");
}

static int render_dialect(retort *r, rt_dialect d, rt_dialect live,
			  rendered *out)
{
	comparison c;
	int error;

	if ((error = compare_dialect(r, d, live, &c)) == 0) {
		out->empty = !rt_diff_count(c.diff);
		error = rt_diff_render(c.diff, &out->up, &out->down,
				       &out->nontx, &r->err);
	}
	comparison_free(&c);
	return error;
}

/* The first dialect's SQL, then "-- migrate:<dir> dialect:D" and the SQL
 * of each other one, for one direction. */
static void join_sections(rt_str *out, const rendered *v,
			  const rt_dialect *order, size_t n, int down)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const rt_str *sql = down ? &v[i].down : &v[i].up;

		if (i) {
			rt_str_puts(out, "\n\n-- migrate:");
			rt_str_puts(out, down ? "downgrade" : "upgrade");
			marker_options(out, 1, order[i],
				       v[i].nontx & (down ? RT_NONTX_DOWNGRADE
							  : RT_NONTX_UPGRADE));
			rt_str_putc(out, '\n');
		}
		/* the template puts a blank line after the first */
		while (out->len > 1 && out->ptr[out->len - 1] == '\n' &&
		       out->ptr[out->len - 2] == '\n')
			rt_str_truncate(out, out->len - 1);
		rt_str_append(out, rt_str_cstr(sql), sql->len);
		while (i + 1 < n && out->len && out->ptr[out->len - 1] == '\n')
			rt_str_truncate(out, out->len - 1);
	}
}

/* Autogenerate: the revision's sections from the diff, a pair per
 * dialect of autogenerate_dialects. */
int rt_autogenerate_sections(retort *r, char **upgrade, char **downgrade,
			     char *options[2])
{
	rt_str up = RT_STR_INIT, down = RT_STR_INIT,
	       opt[2] = { RT_STR_INIT, RT_STR_INIT };
	rendered v[3];
	rt_dialect order[3], live;
	size_t n = 0, k, i;
	int error, listed = 0, empty = 1;

	*upgrade = *downgrade = options[0] = options[1] = NULL;
	memset(v, 0, sizeof(v));
	if ((error = compare_plan(r, order, &n, &listed, &live)) < 0)
		goto done;
	for (k = 0; k < n && !error; k++) {
		i = nth_dialect(order, n, live, k);
		error = render_dialect(r, order[i], live, &v[i]);
		empty &= v[i].empty;
	}
	if (error < 0)
		goto done;
	if (empty)
		rt_log(r, RETORT_LOG_INFO, "No changes in schema detected.");
	join_sections(&up, v, order, n, 0);
	join_sections(&down, v, order, n, 1);
	marker_options(&opt[0], listed, order[0],
		       v[0].nontx & RT_NONTX_UPGRADE);
	marker_options(&opt[1], listed, order[0],
		       v[0].nontx & RT_NONTX_DOWNGRADE);
	if (up.oom || down.oom || opt[0].oom || opt[1].oom) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	*upgrade = rt_str_detach(&up);
	*downgrade = rt_str_detach(&down);
	options[0] = rt_str_detach(&opt[0]);
	options[1] = rt_str_detach(&opt[1]);
done:
	for (i = 0; i < 3; i++) {
		rt_str_dispose(&v[i].up);
		rt_str_dispose(&v[i].down);
	}
	rt_str_dispose(&up);
	rt_str_dispose(&down);
	rt_str_dispose(&opt[0]);
	rt_str_dispose(&opt[1]);
	return error;
}

int rt_scratch_model(retort *r, rt_runner *live, const rt_scratch *s,
		     int filtered, rt_schema **out)
{
	rt_introspect_opts io;
	filters fl;
	int error;

	*out = NULL;
	memset(&fl, 0, sizeof(fl));
	introspect_opts(live, &io);
	if (filtered) {
		if ((error = read_filters(r, &fl)) < 0)
			goto done;
		io.filter = &fl.f;
	}
	error = rt_schema_introspect(out, rt_scratch_driver(s),
				     rt_scratch_conn(s), &io, &r->err);
done:
	filters_free(&fl);
	return error;
}

int rt_declared_diff(retort *r, rt_runner *live, const rt_schema *head,
		     rt_problems *found)
{
	rt_diff *d = NULL;
	size_t i;
	rt_introspect_opts io;
	filters fl;
	rt_scratchdb sc;
	rt_schema *declared = NULL;
	rt_declared dd;
	int error;

	memset(&sc, 0, sizeof(sc));
	memset(&dd, 0, sizeof(dd));
	if ((error = read_filters(r, &fl)) < 0 ||
	    (error = rt_declared_read(r, live->url->dialect, &dd)) < 0 ||
	    (error = rt_scratchdb_open(r, live, &sc, dd.text, dd.len)) < 0)
		goto done;
	introspect_opts(live, &io);
	io.filter = &fl.f;
	if (!sc.loaded) {
		if ((error = rt_scratchdb_default_schema(r, &sc, dd.text,
							 dd.len)) < 0)
			goto done;
		if ((error = rt_schema_load(sc.drv, sc.conn, dd.path, dd.text,
					    dd.len, &r->err)) < 0) {
			error = rt_declared_load_error(r, &dd, error);
			goto done;
		}
		if ((error = rt_scratchdb_mark(r, &sc)) < 0)
			goto done;
	}
	if ((error = rt_schema_introspect(&declared, sc.drv, sc.conn, &io,
					  &r->err)) < 0)
		goto done;
	if ((error = rt_schema_diff(&d, head, declared, &r->err)) < 0)
		goto done;
	log_notes(r, d);
	for (i = 0; i < d->nchanges && !error; i++)
		if (!(d->changes[i].flags & RT_CHANGE_IMPLIED) &&
		    rt_problem_add(found, "schema", NULL, NULL, 0,
				   d->changes[i].description) < 0)
			error = rt_err_oom(&r->err);
done:
	rt_diff_free(d);
	rt_schema_free(declared);
	rt_scratchdb_close(&sc);
	filters_free(&fl);
	rt_declared_free(&dd);
	return error;
}
