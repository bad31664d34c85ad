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
 *   and MySQL `dev_url` when set, else a temporary database created and
 *   dropped on the same server. The scratch session is the live one's twin: the
 *   same pg_settings, the same search_path, and the live session's
 *   default schema (current_schema()) made in it when missing, so that
 *   the declared schema's unqualified names land where the revisions'
 *   will.
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
 * The temporary database is named retort_scratch_<pid>_<n> and its
 * comment names the pid and the host (MySQL 8 has no database comments:
 * there a scratch database left behind is never dropped by retort;
 * MariaDB 10.5+ has them). An interrupt (retort_interrupt)
 * cancels the load and the database is dropped as after any failure; one
 * left behind by a process that died (SIGKILL, a crash) is dropped by the
 * next check or autogenerate on the same host, once that pid is no longer
 * running and nobody is connected to it. Nothing else is ever dropped.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "graph/problem.h"
#include "plan/render.h"
#include "run/interrupt.h"
#include "run/run.h"
#include "run/runner.h"
#include "schema/schema.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/sha256.h"
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

/* PostgreSQL without dev_url: a temporary database on the same server. */
typedef struct scratch {
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
} scratch;

#define SCRATCH_PREFIX "retort_scratch_"

/* The comment a scratch database is created with. */
static void scratch_comment(rt_str *out, long pid, const char *host)
{
	rt_str_printf(out, "retort scratch database of pid %ld on host %s", pid,
		      host);
}

/* The pid in "retort_scratch_<pid>_<n>", or 0 when the name is not
 * exactly that. */
static long scratch_pid(const char *name)
{
	const char *p = name + strlen(SCRATCH_PREFIX), *digits;
	long pid = 0;

	if (strncmp(name, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)))
		return 0;
	for (digits = p; *p >= '0' && *p <= '9' && p - digits < 9; p++)
		pid = pid * 10 + (*p - '0');
	if (p == digits || *p++ != '_' || !*p)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return pid;
}

/*
 * Drop the scratch databases that a check or autogenerate on this host
 * left behind when it died: the name is exactly retort_scratch_<pid>_<n>,
 * the comment says it was made by that pid on this host, that pid is not
 * running here, and nobody is connected to it. Failures are warnings.
 */
static void drop_stale_scratch(retort *r, rt_runner *live)
{
	static const char pg[] =
	    "SELECT d.datname, pg_catalog.shobj_description(d.oid, "
	    "'pg_database') FROM pg_catalog.pg_database d WHERE d.datname "
	    "~ '^retort_scratch_[0-9]+_[0-9]+$' AND NOT EXISTS (SELECT 1 "
	    "FROM pg_catalog.pg_stat_activity a WHERE a.datname = "
	    "d.datname) ORDER BY 1";
	/* MariaDB 10.5+ (MySQL 8 has no SCHEMA_COMMENT: the query fails
	 * and nothing is dropped) */
	static const char my[] =
	    "SELECT s.SCHEMA_NAME, s.SCHEMA_COMMENT FROM "
	    "information_schema.SCHEMATA s WHERE s.SCHEMA_NAME LIKE "
	    "'retort\\_scratch\\_%' AND NOT EXISTS (SELECT 1 FROM "
	    "information_schema.PROCESSLIST p WHERE p.DB = s.SCHEMA_NAME) "
	    "ORDER BY 1";
	rt_err ignore = RT_ERR_INIT;
	rt_rows rows;
	size_t i;

	if (live->drv->query(live->conn,
			     live->url->dialect == RT_DIALECT_MYSQL ? my : pg,
			     &rows, &ignore) < 0) {
		rt_err_dispose(&ignore);
		return;
	}
	for (i = 0; i < rows.nrows; i++) {
		const char *name = rt_rows_at(&rows, i, 0);
		const char *comment = rt_rows_at(&rows, i, 1);
		rt_str want = RT_STR_INIT, sql = RT_STR_INIT;
		long pid = name ? scratch_pid(name) : 0;
		int mine;

		if (pid <= 0 || pid == (long)getpid() || !comment)
			continue;
		scratch_comment(&want, pid, live->host);
		mine = !want.oom && !strcmp(comment, rt_str_cstr(&want));
		rt_str_dispose(&want);
		if (!mine || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		rt_str_printf(&sql, "DROP DATABASE IF EXISTS %s", name);
		if (sql.oom)
			break;
		if (live->drv->exec(live->conn, sql.ptr, sql.len, NULL,
				    &ignore) < 0)
			rt_log(r, RETORT_LOG_WARNING,
			       "cannot drop the scratch database %s left "
			       "behind by retort pid %ld (%s)",
			       name, pid, rt_err_msg(&ignore));
		else
			rt_log(r, RETORT_LOG_INFO,
			       "dropped the scratch database %s left behind by "
			       "retort pid %ld, which is no longer running",
			       name, pid);
		rt_str_dispose(&sql);
	}
	rt_rows_free(&rows);
	rt_err_dispose(&ignore);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Do two PostgreSQL URLs name the same database? (host, port, name;
 * an absent port is the default one) */
static int same_database(const rt_url *a, const rt_url *b)
{
	int dp = a->dialect == RT_DIALECT_MYSQL ? 3306 : 5432;
	int pa = a->port ? a->port : dp, pb = b->port ? b->port : dp;
	const char *ha = a->host ? a->host : rt_url_param_get(a, "host");
	const char *hb = b->host ? b->host : rt_url_param_get(b, "host");

	return pa == pb && same_text(ha, hb) &&
	       same_text(a->database, b->database);
}

/*
 * MySQL's dev_url: the mark is the database's comment (MariaDB 10.5+,
 * information_schema.SCHEMATA.SCHEMA_COMMENT; on MySQL 8 the query
 * fails and the schema is loaded every time). Emptying it drops every
 * view, table, sequence, routine and event in it, foreign keys
 * unchecked meanwhile.
 */
static int my_dev_mark(scratch *sc, const char **mark, rt_rows *rows)
{
	rt_err ignore = RT_ERR_INIT;
	int ok = sc->drv->query(sc->conn,
				"SELECT SCHEMA_COMMENT FROM information_schema."
				"SCHEMATA WHERE SCHEMA_NAME = DATABASE()",
				rows, &ignore) == 0;

	rt_err_dispose(&ignore);
	*mark = ok && rows->nrows == 1 ? rt_rows_at(rows, 0, 0) : NULL;
	return ok;
}

static int my_dev_empty(retort *r, scratch *sc)
{
	static const char objects[] =
	    "SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'VIEW' WHEN 'SEQUENCE' "
	    "THEN 'SEQUENCE' ELSE 'TABLE' END, TABLE_NAME FROM "
	    "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
	    "UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM "
	    "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() "
	    "UNION ALL SELECT 'EVENT', EVENT_NAME FROM "
	    "information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() "
	    "ORDER BY 1 DESC";
	rt_err ignore = RT_ERR_INIT;
	rt_rows rows;
	size_t i;
	int error;

	/* forget the mark before emptying (see dev_empty); MySQL 8 has
	 * none to forget */
	sc->drv->exec(sc->conn, "ALTER DATABASE COMMENT ''", 25, NULL, &ignore);
	rt_err_dispose(&ignore);
	if ((error = sc->drv->query(sc->conn, objects, &rows, &r->err)) < 0)
		return error;
	error = sc->drv->exec(sc->conn, "SET FOREIGN_KEY_CHECKS = 0", 26, NULL,
			      &r->err);
	for (i = 0; i < rows.nrows && !error; i++) {
		rt_str sql = RT_STR_INIT;

		rt_str_printf(&sql, "DROP %s IF EXISTS ",
			      rt_rows_at(&rows, i, 0));
		rt_sql_ident(&sql, RT_DIALECT_MYSQL, rt_rows_at(&rows, i, 1));
		error = sql.oom ? rt_err_oom(&r->err)
				: sc->drv->exec(sc->conn, sql.ptr, sql.len,
						NULL, &r->err);
		rt_str_dispose(&sql);
	}
	rt_rows_free(&rows);
	if (!error)
		error = sc->drv->exec(sc->conn, "SET FOREIGN_KEY_CHECKS = 1",
				      26, NULL, &r->err);
	return error;
}

/* dev_url: forget the mark, then drop every schema (and make public
 * again): an empty database. */
static int dev_empty(retort *r, scratch *sc)
{
	static const char clear_mark[] =
	    "DO $retort$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS "
	    "NULL', current_database()); END $retort$";
	rt_rows rows;
	size_t i;
	int error;

	if (sc->drv->dialect == RT_DIALECT_MYSQL)
		return my_dev_empty(r, sc);
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

/*
 * dev_url: retort owns that database. It keeps the declared schema it last
 * loaded, marked with the schema's SHA-256 in the database's comment, so
 * that check and autogenerate skip reloading an unchanged schema (loading
 * thousands of tables is most of their time on PostgreSQL). Otherwise
 * every schema in it is dropped and the declared schema loaded afresh.
 */
static int dev_prepare(retort *r, scratch *sc, const char *text, size_t len)
{
	rt_rows rows;
	const char *mark = NULL;
	char hex[65];
	int error;

	/* the same file loaded under another search_path is another
	 * schema (its unqualified names went elsewhere); no text (`test`:
	 * the revisions run there) matches no mark */
	rt_sha256_hex(text ? text : "", len, hex);
	rt_str_clear(&sc->mark);
	rt_str_printf(&sc->mark, "retort:%s search_path=%s", hex,
		      sc->search_path ? sc->search_path : "");
	if (sc->mark.oom)
		return rt_err_oom(&r->err);
	if (sc->drv->dialect == RT_DIALECT_MYSQL) {
		if (!my_dev_mark(sc, &mark, &rows))
			return dev_empty(r, sc);
	} else if ((error = sc->drv->query(
			sc->conn,
			"SELECT pg_catalog.shobj_description(d.oid, "
			"'pg_database') FROM pg_catalog.pg_database d "
			"WHERE d.datname = current_database()",
			&rows, &r->err)) < 0) {
		return error;
	} else {
		mark = rows.nrows == 1 ? rt_rows_at(&rows, 0, 0) : NULL;
	}
	sc->loaded = text && mark && !strcmp(mark, sc->mark.ptr);
	rt_rows_free(&rows);
	if (sc->loaded)
		return 0;
	return dev_empty(r, sc);
}

/* After loading into dev_url: remember what is loaded. */
static int dev_mark(retort *r, scratch *sc)
{
	rt_str sql = RT_STR_INIT;
	int error;

	if (!sc->dev)
		return 0;
	if (sc->drv->dialect == RT_DIALECT_MYSQL) {
		rt_str_puts(&sql, "ALTER DATABASE COMMENT ");
		rt_sql_literal(&sql, RT_DIALECT_MYSQL, rt_str_cstr(&sc->mark));
	} else {
		rt_str_puts(&sql,
			    "DO $retort$ BEGIN EXECUTE format('COMMENT "
			    "ON DATABASE %I IS %L', current_database(), ");
		rt_sql_literal(&sql, RT_DIALECT_POSTGRESQL,
			       rt_str_cstr(&sc->mark));
		rt_str_puts(&sql, "); END $retort$");
	}
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

/* PostgreSQL: the live session's search_path, as the schemas it
 * resolves to ("$user" and missing schemas resolved away), and its
 * default schema. */
static int live_session(retort *r, rt_runner *live, scratch *sc)
{
	rt_rows rows;
	int error;

	if ((error = live->drv->query(
		 live->conn,
		 "SELECT coalesce((SELECT pg_catalog.string_agg("
		 "pg_catalog.quote_ident(s), ', ') FROM pg_catalog.unnest("
		 "pg_catalog.current_schemas(false)) AS s), ''), "
		 "pg_catalog.current_schema()",
		 &rows, &r->err)) < 0)
		return error;
	if (rows.nrows == 1) {
		const char *sp = rt_rows_at(&rows, 0, 0);
		const char *d = rt_rows_at(&rows, 0, 1);

		sc->search_path = strdup(sp ? sp : "");
		sc->dflt = d ? strdup(d) : NULL;
		if (!sc->search_path || (d && !sc->dflt))
			error = rt_err_oom(&r->err);
	}
	rt_rows_free(&rows);
	return error;
}

/* The scratch session's search_path: the live one's (pg_settings made
 * it so already, unless it came from elsewhere: the role, the live
 * database's settings, another user for "$user"). */
static int scratch_search_path(retort *r, scratch *sc)
{
	rt_str sql = RT_STR_INIT;
	rt_rows rows;
	int error;

	if (!sc->search_path)
		return 0;
	rt_str_puts(&sql, "SELECT pg_catalog.set_config('search_path', ");
	rt_sql_literal(&sql, RT_DIALECT_POSTGRESQL, sc->search_path);
	rt_str_puts(&sql, ", false)");
	if (sql.oom) {
		rt_str_dispose(&sql);
		return rt_err_oom(&r->err);
	}
	error = sc->drv->query(sc->conn, sql.ptr, &rows, &r->err);
	rt_str_dispose(&sql);
	if (error < 0)
		return error;
	rt_rows_free(&rows);
	return 0;
}

/* Does the declared schema create schema `name` itself (CREATE SCHEMA
 * [IF NOT EXISTS] name)? */
static int declares_schema(const char *text, size_t len, const char *name)
{
	size_t pos = 0;
	rt_sql_token tok;
	int state = 0; /* 1 after CREATE, 2 after SCHEMA, 3.. IF NOT EXISTS */

	while (rt_sql_next(RT_DIALECT_POSTGRESQL, text, len, &pos, &tok)) {
		const char *t = text + tok.start;
		size_t n = tok.len;

		if (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT)
			continue;
		if (state >= 2 && tok.kind == RT_SQL_WORD) {
			if (state == 2 && n == 2 && !strncasecmp(t, "if", 2)) {
				state = 3;
				continue;
			}
			if (state == 3 && n == 3 && !strncasecmp(t, "not", 3)) {
				state = 4;
				continue;
			}
			if (state == 4 && n == 6 &&
			    !strncasecmp(t, "exists", 6)) {
				state = 2;
				continue;
			}
			if (strlen(name) == n) {
				size_t i;

				/* unquoted: folded to lower case */
				for (i = 0;
				     i < n &&
				     tolower((unsigned char)t[i]) == name[i];
				     i++)
					;
				if (i == n)
					return 1;
			}
		} else if (state >= 2 && tok.kind == RT_SQL_STRING && n >= 2 &&
			   t[0] == '"') {
			rt_str id = RT_STR_INIT;
			size_t i;
			int same;

			for (i = 1; i + 1 < n; i++) {
				rt_str_putc(&id, t[i]);
				if (t[i] == '"' && t[i + 1] == '"')
					i++;
			}
			same = !id.oom && !strcmp(rt_str_cstr(&id), name);
			rt_str_dispose(&id);
			if (same)
				return 1;
		}
		if (tok.kind == RT_SQL_WORD && n == 6 &&
		    !strncasecmp(t, "create", 6))
			state = 1;
		else if (state == 1 && tok.kind == RT_SQL_WORD && n == 6 &&
			 !strncasecmp(t, "schema", 6))
			state = 2;
		else
			state = 0;
	}
	return 0;
}

/* Before loading: the live session's default schema, where the declared
 * schema's unqualified names must go, unless the file makes it. */
static int scratch_default_schema(retort *r, scratch *sc, const char *text,
				  size_t len)
{
	rt_str sql = RT_STR_INIT;
	int error;

	if (!sc->dflt || declares_schema(text, len, sc->dflt))
		return 0;
	rt_str_puts(&sql, "CREATE SCHEMA IF NOT EXISTS ");
	rt_sql_ident(&sql, RT_DIALECT_POSTGRESQL, sc->dflt);
	error = sql.oom
		    ? rt_err_oom(&r->err)
		    : sc->drv->exec(sc->conn, sql.ptr, sql.len, NULL, &r->err);
	rt_str_dispose(&sql);
	return error;
}

/* The scratch connection is what an interrupt cancels. */
static int scratch_attach(retort *r, scratch *sc)
{
	rt_interrupt_attach(r, &sc->intr, sc->drv, sc->conn);
	return rt_interrupt_check(r);
}

/* SQLite: a database in memory. */
static int scratch_memory(retort *r, scratch *sc, rt_open_opts *oo)
{
	int missing, error;

	if ((error = rt_url_parse(&sc->url, "sqlite://", &r->err)) < 0)
		return error;
	sc->url_parsed = 1;
	oo->display = "the scratch database (in memory)";
	if ((error =
		 sc->drv->open(&sc->conn, &sc->url, oo, &missing, &r->err)) < 0)
		return error;
	return scratch_attach(r, sc);
}

/* dev_url: a database of the user's that retort empties and reloads
 * (or reuses when it holds the same declared schema). */
static int scratch_dev(retort *r, rt_runner *live, scratch *sc,
		       rt_open_opts *oo, const char *dev_url, const char *text,
		       size_t len)
{
	rt_str shown = RT_STR_INIT;
	int missing, error;

	if ((error = rt_url_parse(&sc->url, dev_url, &r->err)) < 0)
		return error;
	sc->url_parsed = 1;
	if (sc->url.warning)
		rt_log(r, RETORT_LOG_WARNING, "dev_url: %s", sc->url.warning);
	if (sc->url.dialect != live->url->dialect)
		return rt_fail(r, RETORT_ECONFIG,
			       "dev_url must be a %s database like url",
			       rt_dialect_name(live->url->dialect));
	if (!r->borrowed && same_database(&sc->url, live->url))
		return rt_fail(r, RETORT_ECONFIG,
			       "dev_url names the same database as url; it "
			       "must be a separate database, which retort "
			       "empties and reloads with the declared schema");
	rt_url_display(&shown, &sc->url);
	oo->display = rt_str_cstr(&shown);
	error = sc->drv->open(&sc->conn, &sc->url, oo, &missing, &r->err);
	rt_str_dispose(&shown);
	if (error < 0 || (error = scratch_search_path(r, sc)) < 0)
		return error;
	sc->dev = 1;
	if ((error = scratch_attach(r, sc)) < 0)
		return error;
	return dev_prepare(r, sc, text, len);
}

/* CREATE DATABASE retort_scratch_<pid>_<n> on the live server. */
static int scratch_create(retort *r, rt_runner *live, scratch *sc)
{
	rt_str sql = RT_STR_INIT, m = RT_STR_INIT;
	const char *display;
	int error;

	drop_stale_scratch(r, live);
	snprintf(sc->dbname, sizeof(sc->dbname), SCRATCH_PREFIX "%ld_%ld",
		 (long)getpid(), (long)rt_clock_ms() % 100000);
	rt_str_printf(&sql, "CREATE DATABASE %s", sc->dbname);
	if (live->url->dialect == RT_DIALECT_MYSQL) {
		/* MariaDB 10.5+ takes the comment here; MySQL 8 refuses it
		 * and gets none */
		rt_str m1 = RT_STR_INIT;

		rt_str_puts(&sql, " COMMENT ");
		scratch_comment(&m1, (long)getpid(), live->host);
		rt_sql_literal(&sql, RT_DIALECT_MYSQL, rt_str_cstr(&m1));
		rt_str_dispose(&m1);
		if (!sql.oom && live->drv->exec(live->conn, sql.ptr, sql.len,
						NULL, &r->err) == 0) {
			rt_str_dispose(&sql);
			return 0;
		}
		rt_err_clear(&r->err);
		rt_str_clear(&sql);
		rt_str_printf(&sql, "CREATE DATABASE %s", sc->dbname);
	}
	error = sql.oom ? rt_err_oom(&r->err)
			: live->drv->exec(live->conn, sql.ptr, sql.len, NULL,
					  &r->err);
	rt_str_dispose(&sql);
	if (error == 0)
		return 0;
	if (rt_project_url_display(r, &display) < 0)
		display = "the database server";
	rt_str_printf(&m,
		      "cannot create a scratch database on %s to load the "
		      "declared schema into (%s); set dev_url to a database "
		      "retort may use for that",
		      display, rt_err_msg(&r->err));
	rt_fail(r, RETORT_ECONFIG, "%s", rt_str_cstr(&m));
	rt_str_dispose(&m);
	sc->dbname[0] = '\0';
	return RETORT_ECONFIG;
}

/* PostgreSQL without dev_url: a temporary database on the live server,
 * named and commented so that drop_stale_scratch() of a later run can
 * drop it if this process dies. */
static int scratch_temporary(retort *r, rt_runner *live, scratch *sc,
			     rt_open_opts *oo)
{
	rt_str sql = RT_STR_INIT, shown = RT_STR_INIT;
	rt_url copy;
	int missing, error;

	if ((error = scratch_create(r, live, sc)) < 0)
		return error;
	sc->admin = live->conn;
	if (live->url->dialect != RT_DIALECT_MYSQL) {
		rt_str_printf(&sql, "COMMENT ON DATABASE %s IS ", sc->dbname);
		scratch_comment(&shown, (long)getpid(), live->host);
		rt_sql_literal(&sql, RT_DIALECT_POSTGRESQL,
			       rt_str_cstr(&shown));
		rt_str_clear(&shown);
		error = sql.oom ? rt_err_oom(&r->err)
				: live->drv->exec(live->conn, sql.ptr, sql.len,
						  NULL, &r->err);
	}
	rt_str_dispose(&sql);
	if (error < 0)
		return error;
	/* the live URL with the scratch database */
	copy = *live->url;
	copy.database = sc->dbname;
	rt_url_display(&shown, &copy);
	oo->display = rt_str_cstr(&shown);
	error = sc->drv->open(&sc->conn, &copy, oo, &missing, &r->err);
	rt_str_dispose(&shown);
	if (error < 0 || (error = scratch_attach(r, sc)) < 0)
		return error;
	return scratch_search_path(r, sc);
}

/* "dev_url.postgresql": the scratch database for one dialect. */
static const char *dev_url_key(rt_dialect d)
{
	return d == RT_DIALECT_POSTGRESQL ? "dev_url.postgresql"
	       : d == RT_DIALECT_MYSQL	  ? "dev_url.mysql"
					  : "dev_url";
}

static int scratch_open(retort *r, rt_runner *live, scratch *sc,
			const char *text, size_t len)
{
	rt_open_opts oo;
	const char *dev_url;
	int error;

	memset(sc, 0, sizeof(*sc));
	memset(&oo, 0, sizeof(oo));
	sc->drv = live->drv;
	sc->r = r;
	oo.lock_timeout_ms = live->lock_timeout_ms;
	if (live->url->dialect == RT_DIALECT_SQLITE)
		return scratch_memory(r, sc, &oo);
	/* the live session's settings; the scratch database need not have
	 * the search path's schema yet (lock_schema: the scratch session
	 * never locks); MySQL has neither */
	if ((live->url->dialect == RT_DIALECT_POSTGRESQL &&
	     ((error = live_session(r, live, sc)) < 0 ||
	      (error = rt_cfg(r, "pg_settings", NULL, &oo.settings)) < 0)) ||
	    (error = rt_cfg(r, "dev_url", NULL, &dev_url)) < 0)
		return error;
	if ((!dev_url || !*dev_url) &&
	    (error = rt_cfg(r, dev_url_key(live->url->dialect), NULL,
			    &dev_url)) < 0)
		return error;
	oo.lock_schema = sc->dflt ? sc->dflt : "public";
	if (dev_url && *dev_url)
		return scratch_dev(r, live, sc, &oo, dev_url, text, len);
	if (r->borrowed)
		return rt_fail(r, RETORT_ECONFIG,
			       "with the application's own PostgreSQL "
			       "connection retort has no URL to reach a "
			       "scratch database for the declared schema; set "
			       "dev_url");
	return scratch_temporary(r, live, sc, &oo);
}

static void scratch_close(scratch *sc)
{
	rt_err ignore = RT_ERR_INIT;

	if (sc->r)
		rt_interrupt_detach(sc->r, &sc->intr);
	if (sc->conn)
		sc->drv->close(sc->conn);
	sc->conn = NULL;
	if (sc->dbname[0] && sc->admin) {
		rt_str sql = RT_STR_INIT;

		rt_str_printf(&sql, "DROP DATABASE IF EXISTS %s%s", sc->dbname,
			      sc->drv->dialect == RT_DIALECT_MYSQL
				  ? ""
				  : " WITH (FORCE)");
		if (!sql.oom)
			sc->drv->exec(sc->admin, sql.ptr, sql.len, NULL,
				      &ignore);
		rt_str_dispose(&sql);
	}
	if (sc->url_parsed)
		rt_url_dispose(&sc->url);
	rt_str_dispose(&sc->mark);
	free(sc->search_path);
	free(sc->dflt);
	sc->search_path = sc->dflt = NULL;
	rt_err_dispose(&ignore);
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
static int interrupted(retort *r, const scratch *sc, const char *loading)
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
	scratch sc;
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
	if ((error = scratch_open(r, &c->rn, &sc, dd.text, dd.len)) < 0)
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
		    (error = scratch_default_schema(r, &sc, dd.text, dd.len)) <
			0)
			goto done;
		if ((error = rt_schema_load(sc.drv, sc.conn, dd.path, dd.text,
					    dd.len, &r->err)) < 0) {
			error = rt_declared_load_error(r, &dd, error);
			goto done;
		}
		if ((error = dev_mark(r, &sc)) < 0)
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
	scratch_close(&sc);
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

/*
 * A dialect other than the url's has no live database: its "database at
 * head" is built from the revision files, every revision's section for
 * that dialect run in order (base to heads) on a scratch database, and
 * compared with the declared schema loaded on another one (SQLite: two
 * in memory; PostgreSQL and MySQL: `dev_url.postgresql`, `dev_url.mysql`,
 * emptied before each (dev_empty), as there is no server of that kind to
 * make a temporary database on).
 */
static int scratch_other(retort *r, rt_dialect d, scratch *sc)
{
	const char *url, *key = dev_url_key(d);
	rt_str shown = RT_STR_INIT;
	rt_open_opts oo;
	int missing, error;

	memset(sc, 0, sizeof(*sc));
	memset(&oo, 0, sizeof(oo));
	sc->r = r;
	sc->drv = rt_driver_for(d);
	oo.lock_timeout_ms = 60000.0;
	if (!sc->drv)
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: autogenerate_dialects lists %s, which "
			       "this retort was built without",
			       rt_config_path(r->cfg),
			       rt_config_line(r->cfg, "autogenerate_dialects"),
			       rt_dialect_name(d));
	if (d == RT_DIALECT_SQLITE)
		return scratch_memory(r, sc, &oo);
	if ((error = rt_cfg(r, key, NULL, &url)) < 0)
		return error;
	if (!url || !*url)
		return rt_fail(
		    r, RETORT_ECONFIG,
		    "%s:%u: autogenerate_dialects lists %s, which needs a "
		    "database to build the revisions' head and load the "
		    "declared schema in: set %s to a %s database retort may "
		    "empty (the url is not a %s database, so there is no "
		    "server to make a temporary one on)",
		    rt_config_path(r->cfg),
		    rt_config_line(r->cfg, "autogenerate_dialects"),
		    rt_dialect_name(d), key, rt_dialect_name(d),
		    rt_dialect_name(d));
	if ((error = rt_url_parse(&sc->url, url, &r->err)) < 0)
		return error;
	sc->url_parsed = 1;
	if (sc->url.dialect != d)
		return rt_fail(
		    r, RETORT_ECONFIG, "%s:%u: %s must be a %s database",
		    rt_config_path(r->cfg), rt_config_line(r->cfg, key), key,
		    rt_dialect_name(d));
	if (d == RT_DIALECT_POSTGRESQL &&
	    (error = rt_cfg(r, "pg_settings", NULL, &oo.settings)) < 0)
		return error;
	oo.lock_schema = "public";
	rt_url_display(&shown, &sc->url);
	oo.display = rt_str_cstr(&shown);
	error = sc->drv->open(&sc->conn, &sc->url, &oo, &missing, &r->err);
	rt_str_dispose(&shown);
	if (error < 0 || (error = scratch_attach(r, sc)) < 0)
		return error;
	sc->dev = 1;
	return dev_empty(r, sc);
}

/* One revision's section run on the scratch database. */
static int head_section(retort *r, scratch *sc, const retort_step *s,
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
static int build_head(retort *r, scratch *sc, rt_dialect d)
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
	scratch head, decl, *load = &head;
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
	    (error = scratch_other(r, d, &head)) < 0 ||
	    (error = build_head(r, &head, d)) < 0)
		goto done;
	io.filter = &c->fl.f;
	if ((error = rt_schema_introspect(&c->live, head.drv, head.conn, &io,
					  &r->err)) < 0)
		goto done;
	if (d == RT_DIALECT_SQLITE) {
		if ((error = scratch_other(r, d, &decl)) < 0)
			goto done;
		load = &decl;
	} else if ((error = dev_empty(r, &head)) < 0) {
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
	scratch_close(&decl);
	scratch_close(&head);
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

/* ------------------------------------------------------------------ */
/* `test` (api_test.c): an empty scratch database for the stairway, and
 * the model at head compared with the declared schema. */

struct rt_scratch {
	scratch sc;
};

int rt_scratch_open_empty(retort *r, rt_runner *live, rt_scratch **out)
{
	rt_scratch *s = calloc(1, sizeof(*s));
	int error;

	*out = NULL;
	if (!s)
		return rt_err_oom(&r->err);
	/* NULL text: a dev_url database is always emptied and its mark
	 * cleared (the revisions run there are not a declared schema) */
	if ((error = scratch_open(r, live, &s->sc, NULL, 0)) < 0) {
		scratch_close(&s->sc);
		free(s);
		return error;
	}
	*out = s;
	return 0;
}

const rt_driver *rt_scratch_driver(const rt_scratch *s)
{
	return s->sc.drv;
}

rt_conn *rt_scratch_conn(const rt_scratch *s)
{
	return s->sc.conn;
}

void rt_scratch_free(rt_scratch *s)
{
	if (!s)
		return;
	scratch_close(&s->sc);
	free(s);
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
	error = rt_schema_introspect(out, s->sc.drv, s->sc.conn, &io, &r->err);
done:
	filters_free(&fl);
	return error;
}

int rt_declared_configured(retort *r, int *yes)
{
	const char *file, *cmd;
	int error;

	*yes = 0;
	if ((error = rt_cfg(r, "schema", NULL, &file)) < 0 ||
	    (error = rt_cfg(r, "schema_command", NULL, &cmd)) < 0)
		return error;
	*yes = (file && *file) || (cmd && *cmd);
	return 0;
}

int rt_declared_diff(retort *r, rt_runner *live, const rt_schema *head,
		     rt_problems *found)
{
	rt_diff *d = NULL;
	size_t i;
	rt_introspect_opts io;
	filters fl;
	scratch sc;
	rt_schema *declared = NULL;
	rt_declared dd;
	int error;

	memset(&sc, 0, sizeof(sc));
	memset(&dd, 0, sizeof(dd));
	if ((error = read_filters(r, &fl)) < 0 ||
	    (error = rt_declared_read(r, live->url->dialect, &dd)) < 0 ||
	    (error = scratch_open(r, live, &sc, dd.text, dd.len)) < 0)
		goto done;
	introspect_opts(live, &io);
	io.filter = &fl.f;
	if (!sc.loaded) {
		if ((error = scratch_default_schema(r, &sc, dd.text, dd.len)) <
		    0)
			goto done;
		if ((error = rt_schema_load(sc.drv, sc.conn, dd.path, dd.text,
					    dd.len, &r->err)) < 0) {
			error = rt_declared_load_error(r, &dd, error);
			goto done;
		}
		if ((error = dev_mark(r, &sc)) < 0)
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
	scratch_close(&sc);
	filters_free(&fl);
	rt_declared_free(&dd);
	return error;
}
