/* SPDX-License-Identifier: MIT */
/*
 * api_schema.c: the declared schema: `revision --autogenerate`, `check`
 * and `dump` (the model, introspection, diff and SQL live in schema/).
 *
 * Autogenerate and check compare two models read the same way:
 *   the database, which must be at every head ("Target database is not
 *   up to date." otherwise, as Alembic says), and
 *   the declared schema file (`schema` in retort.ini) loaded into a
 *   scratch database of the same dialect: SQLite in memory; PostgreSQL
 *   `dev_url` when set, else a temporary database created and dropped on
 *   the same server.
 * Notes about objects the model does not cover go to the log as
 * warnings: never a silent skip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "graph/problem.h"
#include "plan/render.h"
#include "run/run.h"
#include "run/runner.h"
#include "schema/schema.h"
#include "util/clock.h"
#include "util/sha256.h"
#include "util/str.h"

/* The declared schema's text and path. */
static int read_declared(retort *r, char **text, size_t *len, char **path)
{
	const char *cfg;
	rt_str buf = RT_STR_INIT;
	char *abs = NULL, chunk[8192];
	FILE *f;
	size_t n;
	int error;

	*text = *path = NULL;
	if ((error = rt_cfg(r, "schema", NULL, &cfg)) < 0)
		return error;
	if (!cfg || !*cfg)
		return rt_fail(r, RETORT_ECONFIG,
			       "no declared schema: set 'schema' in %s to the "
			       "SQL file that describes the schema (e.g. "
			       "schema = %%(here)s/schema.sql)",
			       rt_config_path(r->cfg));
	if ((error = rt_abs_path(r, cfg, &abs)) < 0)
		return error;
	f = fopen(abs, "rb");
	if (!f)
		return rt_fail(r, RETORT_ECONFIG,
			       "cannot read the declared schema '%s': %s", abs,
			       strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rt_str_append(&buf, chunk, n);
	fclose(f);
	if (buf.oom) {
		rt_str_dispose(&buf);
		return rt_err_oom(&r->err);
	}
	*len = buf.len;
	*text = rt_str_detach(&buf);
	*path = strdup(abs);
	if (!*path) {
		free(*text);
		*text = NULL;
		return rt_err_oom(&r->err);
	}
	return 0;
}

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

static void introspect_opts(rt_runner *rn, rt_introspect_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->version_table = rn->table;
	o->log_table = rn->log_table;
	o->schema = rn->schema && *rn->schema ? rn->schema : NULL;
}

/* Rewrite "line N" errors of the scratch load as "path:N: ...". */
static int load_error(retort *r, const char *path, int error)
{
	rt_str m = RT_STR_INIT;

	if (error == RETORT_ENOMEM || error == RETORT_EDB)
		return error;
	rt_str_printf(&m, "%s: %s", path, rt_err_msg(&r->err));
	rt_fail(r, RETORT_ECONFIG, "%s", rt_str_cstr(&m));
	rt_str_dispose(&m);
	return RETORT_ECONFIG;
}

/* PostgreSQL without dev_url: a temporary database on the same server. */
typedef struct scratch {
	const rt_driver *drv;
	rt_conn *conn;
	int loaded;    /* dev_url already holds this declared schema */
	int dev;       /* a dev_url database: mark it after loading */
	char mark[80]; /* "retort:<sha256 of the declared schema>" */
	rt_url url;
	int url_parsed;
	char dbname[64];
	rt_conn *admin; /* the connection that created dbname */
} scratch;

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Do two PostgreSQL URLs name the same database? (host, port, name;
 * an absent port is the default one) */
static int same_database(const rt_url *a, const rt_url *b)
{
	int pa = a->port ? a->port : 5432, pb = b->port ? b->port : 5432;
	const char *ha = a->host ? a->host : rt_url_param_get(a, "host");
	const char *hb = b->host ? b->host : rt_url_param_get(b, "host");

	return pa == pb && same_text(ha, hb) &&
	       same_text(a->database, b->database);
}

/*
 * dev_url: retort owns that database. It keeps the declared schema it last
 * loaded, marked with the schema's SHA-256 in the database's comment, so
 * that check and autogenerate skip reloading an unchanged schema (loading
 * thousands of tables is most of their time on PostgreSQL). Otherwise
 * every schema in it is dropped and the declared schema loaded afresh.
 */
static int dev_prepare(retort *r, scratch *sc, const char *text, size_t len)
{
	static const char clear_mark[] =
	    "DO $retort$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS "
	    "NULL', current_database()); END $retort$";
	rt_rows rows;
	char hex[65];
	size_t i;
	int error;

	rt_sha256_hex(text, len, hex);
	snprintf(sc->mark, sizeof(sc->mark), "retort:%s", hex);
	if ((error =
		 sc->drv->query(sc->conn,
				"SELECT pg_catalog.shobj_description(d.oid, "
				"'pg_database') FROM pg_catalog.pg_database d "
				"WHERE d.datname = current_database()",
				&rows, &r->err)) < 0)
		return error;
	sc->loaded = rows.nrows == 1 && rt_rows_at(&rows, 0, 0) &&
		     !strcmp(rt_rows_at(&rows, 0, 0), sc->mark);
	rt_rows_free(&rows);
	if (sc->loaded)
		return 0;
	/* forget the old mark before emptying: if loading fails, the next
	 * run must not trust an empty database */
	if ((error = sc->drv->exec(sc->conn, clear_mark, sizeof(clear_mark) - 1,
				   NULL, &r->err)) < 0) {
		rt_log(r, RETORT_LOG_WARNING,
		       "cannot clear the dev_url database's mark (%s)",
		       rt_err_msg(&r->err));
		rt_err_clear(&r->err);
	}
	/* start from an empty database */
	if ((error =
		 sc->drv->query(sc->conn,
				"SELECT quote_ident(nspname) FROM "
				"pg_catalog.pg_namespace WHERE nspname !~ "
				"'^pg_' AND nspname <> 'information_schema'",
				&rows, &r->err)) < 0)
		return error;
	for (i = 0; i < rows.nrows && !error; i++) {
		rt_str sql = RT_STR_INIT;

		rt_str_printf(&sql, "DROP SCHEMA %s CASCADE",
			      rt_rows_at(&rows, i, 0));
		error = sql.oom ? rt_err_oom(&r->err)
				: sc->drv->exec(sc->conn, sql.ptr, sql.len,
						NULL, &r->err);
		rt_str_dispose(&sql);
	}
	rt_rows_free(&rows);
	if (!error)
		error = sc->drv->exec(sc->conn, "CREATE SCHEMA public", 20,
				      NULL, &r->err);
	return error;
}

/* After loading into dev_url: remember what is loaded. */
static int dev_mark(retort *r, scratch *sc)
{
	rt_str sql = RT_STR_INIT;
	int error;

	if (!sc->dev)
		return 0;
	rt_str_puts(&sql,
		    "DO $retort$ BEGIN EXECUTE format('COMMENT ON DATABASE "
		    "%I IS %L', current_database(), ");
	rt_sql_literal(&sql, RT_DIALECT_POSTGRESQL, sc->mark);
	rt_str_puts(&sql, "); END $retort$");
	error = sql.oom
		    ? rt_err_oom(&r->err)
		    : sc->drv->exec(sc->conn, sql.ptr, sql.len, NULL, &r->err);
	rt_str_dispose(&sql);
	if (error < 0) {
		/* not the owner: it still works, just without the shortcut */
		rt_log(r, RETORT_LOG_WARNING,
		       "cannot mark the dev_url database (%s); the declared "
		       "schema is loaded again every time",
		       rt_err_msg(&r->err));
		rt_err_clear(&r->err);
	}
	return 0;
}

static int scratch_open(retort *r, rt_runner *live, scratch *sc,
			const char *text, size_t len)
{
	rt_open_opts oo;
	const char *dev_url;
	int missing, error;

	memset(sc, 0, sizeof(*sc));
	memset(&oo, 0, sizeof(oo));
	sc->drv = live->drv;
	oo.lock_timeout_ms = live->lock_timeout_ms;
	if (live->url->dialect == RT_DIALECT_SQLITE) {
		if ((error = rt_url_parse(&sc->url, "sqlite://", &r->err)) < 0)
			return error;
		sc->url_parsed = 1;
		oo.display = "the scratch database (in memory)";
		return sc->drv->open(&sc->conn, &sc->url, &oo, &missing,
				     &r->err);
	}
	if ((error = rt_cfg(r, "dev_url", NULL, &dev_url)) < 0)
		return error;
	if (dev_url && *dev_url) {
		rt_str shown = RT_STR_INIT;

		if ((error = rt_url_parse(&sc->url, dev_url, &r->err)) < 0)
			return error;
		sc->url_parsed = 1;
		if (sc->url.dialect != live->url->dialect)
			return rt_fail(r, RETORT_ECONFIG,
				       "dev_url must be a %s database like "
				       "url",
				       rt_dialect_name(live->url->dialect));
		if (same_database(&sc->url, live->url))
			return rt_fail(
			    r, RETORT_ECONFIG,
			    "dev_url names the same database as url; "
			    "it must be a separate database, which "
			    "retort empties and reloads with the "
			    "declared schema");
		rt_url_display(&shown, &sc->url);
		oo.display = rt_str_cstr(&shown);
		error =
		    sc->drv->open(&sc->conn, &sc->url, &oo, &missing, &r->err);
		rt_str_dispose(&shown);
		if (error < 0)
			return error;
		sc->dev = 1;
		return dev_prepare(r, sc, text, len);
	}
	/* CREATE DATABASE on the live server, then connect to it */
	{
		rt_str sql = RT_STR_INIT, shown = RT_STR_INIT;
		const char *display;
		rt_url copy;

		snprintf(sc->dbname, sizeof(sc->dbname),
			 "retort_scratch_%ld_%ld", (long)getpid(),
			 (long)rt_clock_ms() % 100000);
		rt_str_printf(&sql, "CREATE DATABASE %s", sc->dbname);
		error = sql.oom ? rt_err_oom(&r->err)
				: live->drv->exec(live->conn, sql.ptr, sql.len,
						  NULL, &r->err);
		rt_str_dispose(&sql);
		if (error < 0) {
			rt_str m = RT_STR_INIT;

			if (rt_project_url_display(r, &display) < 0)
				display = "the database server";
			rt_str_printf(&m,
				      "cannot create a scratch database on %s "
				      "to load the declared schema into (%s); "
				      "set dev_url to a database retort may "
				      "use for that",
				      display, rt_err_msg(&r->err));
			rt_fail(r, RETORT_ECONFIG, "%s", rt_str_cstr(&m));
			rt_str_dispose(&m);
			sc->dbname[0] = '\0';
			return RETORT_ECONFIG;
		}
		sc->admin = live->conn;
		/* the live URL with the scratch database */
		copy = *live->url;
		copy.database = sc->dbname;
		rt_url_display(&shown, &copy);
		oo.display = rt_str_cstr(&shown);
		error = sc->drv->open(&sc->conn, &copy, &oo, &missing, &r->err);
		rt_str_dispose(&shown);
		return error;
	}
}

static void scratch_close(scratch *sc)
{
	rt_err ignore = RT_ERR_INIT;

	if (sc->conn)
		sc->drv->close(sc->conn);
	sc->conn = NULL;
	if (sc->dbname[0] && sc->admin) {
		rt_str sql = RT_STR_INIT;

		rt_str_printf(&sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			      sc->dbname);
		if (!sql.oom)
			sc->drv->exec(sc->admin, sql.ptr, sql.len, NULL,
				      &ignore);
		rt_str_dispose(&sql);
	}
	if (sc->url_parsed)
		rt_url_dispose(&sc->url);
	rt_err_dispose(&ignore);
}

/* The live and declared models and their diff. */
typedef struct comparison {
	rt_runner rn;
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

static int compare(retort *r, comparison *c)
{
	rt_introspect_opts io;
	scratch sc;
	char *text = NULL, *path = NULL;
	size_t len = 0;
	int error;

	memset(c, 0, sizeof(*c));
	memset(&sc, 0, sizeof(sc));
	if ((error = rt_project_load(r, 0)) < 0 ||
	    (error = read_declared(r, &text, &len, &path)) < 0)
		goto done;
	{
		const rt_url *url;

		/* SQLite: read-only, so that a missing database file is not
		 * created (its schema is empty); PostgreSQL needs a writable
		 * session to create the scratch database */
		if ((error = rt_project_url(r, &url)) < 0 ||
		    (error = rt_runner_open(&c->rn, r,
					    url->dialect == RT_DIALECT_SQLITE,
					    NULL)) < 0 ||
		    (error = require_head(&c->rn)) < 0)
			goto done;
	}
	introspect_opts(&c->rn, &io);
	if ((error = scratch_open(r, &c->rn, &sc, text, len)) < 0)
		goto done;
	/* a database that does not exist yet has an empty schema: read
	 * the (still empty) scratch database for it */
	if ((error = rt_schema_introspect(&c->live, c->rn.drv,
					  c->rn.missing ? sc.conn : c->rn.conn,
					  &io, &r->err)) < 0)
		goto done;
	if (!sc.loaded) {
		if ((error = rt_schema_load(sc.drv, sc.conn, text, len,
					    &r->err)) < 0) {
			error = load_error(r, path, error);
			goto done;
		}
		if ((error = dev_mark(r, &sc)) < 0)
			goto done;
	}
	if ((error = rt_schema_introspect(&c->declared, sc.drv, sc.conn, &io,
					  &r->err)) < 0)
		goto done;
	forget_own_schema(c->live, c->declared, io.schema);
	if ((error = rt_schema_diff(&c->diff, c->live, c->declared, &r->err)) <
	    0)
		goto done;
	log_notes(r, c->diff);
done:
	scratch_close(&sc);
	free(text);
	free(path);
	return error;
}

static void comparison_free(comparison *c)
{
	rt_diff_free(c->diff);
	rt_schema_free(c->live);
	rt_schema_free(c->declared);
	rt_runner_close(&c->rn);
}

int retort_check(retort_report **out, retort *r)
{
	rt_problems found = RT_PROBLEMS_INIT;
	comparison c;
	size_t i;
	int error;

	*out = NULL;
	rt_err_clear(&r->err);
	if ((error = compare(r, &c)) < 0)
		goto done;
	for (i = 0; i < c.diff->nchanges; i++) {
		const rt_change *ch = &c.diff->changes[i];

		if (ch->flags & RT_CHANGE_IMPLIED)
			continue;
		if (rt_problem_add(&found, "schema", NULL, NULL, 0,
				   ch->description) < 0) {
			error = rt_err_oom(&r->err);
			goto done;
		}
	}
	*out = rt_report_new(&found);
	if (!*out) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	if (retort_report_count(*out))
		error = rt_fail(r, RETORT_EPROBLEMS,
				"New upgrade operations detected: %zu "
				"difference%s between the database at head "
				"and the declared schema",
				retort_report_count(*out),
				retort_report_count(*out) == 1 ? "" : "s");
done:
	rt_problems_free(&found);
	comparison_free(&c);
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

/* Autogenerate: the revision's sections from the diff. */
int rt_autogenerate_sections(retort *r, char **upgrade, char **downgrade,
			     int *nontransactional)
{
	rt_str up = RT_STR_INIT, down = RT_STR_INIT;
	comparison c;
	int error;

	*upgrade = *downgrade = NULL;
	*nontransactional = 0;
	if ((error = compare(r, &c)) < 0)
		goto done;
	if (!rt_diff_count(c.diff))
		rt_log(r, RETORT_LOG_INFO, "No changes in schema detected.");
	if ((error = rt_diff_render(c.diff, &up, &down, nontransactional,
				    &r->err)) < 0)
		goto done;
	if (up.oom || down.oom) {
		error = rt_err_oom(&r->err);
		goto done;
	}
	*upgrade = rt_str_detach(&up);
	*downgrade = rt_str_detach(&down);
done:
	rt_str_dispose(&up);
	rt_str_dispose(&down);
	comparison_free(&c);
	return error;
}
