/* SPDX-License-Identifier: MIT */
/*
 * api_scratch.c: the scratch databases the declared schema is loaded into
 * (api.h), for `check`, `revision --autogenerate` and `test`:
 *   SQLite: in memory;
 *   PostgreSQL and MySQL: `dev_url` when set (or `dev_url.<dialect>`),
 *   which retort owns: it keeps the declared schema it last loaded, marked
 *   with the schema's SHA-256 in the database's comment, and is emptied
 *   when that changes; else a temporary database retort_scratch_<pid>_<n>
 *   created on the live database's server and dropped afterwards (its
 *   comment names the pid and the host, so that one left behind by a
 *   process that died is dropped by the next run on that host, once
 *   nobody is connected to it; MySQL 8 has no database comments).
 * The session is the live one's twin: the same pg_settings and
 * search_path, and the live session's default schema created when the
 * declared schema does not create it.
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
#include "run/interrupt.h"
#include "run/runner.h"
#include "sql/quote.h"
#include "sql/tokenize.h"
#include "util/clock.h"
#include "util/sha256.h"
#include "util/str.h"

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
static int my_dev_mark(rt_scratchdb *sc, const char **mark, rt_rows *rows)
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

static int my_dev_empty(retort *r, rt_scratchdb *sc)
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

	/* forget the mark before emptying (see rt_scratchdb_empty); MySQL 8 has
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
int rt_scratchdb_empty(retort *r, rt_scratchdb *sc)
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
static int dev_prepare(retort *r, rt_scratchdb *sc, const char *text,
		       size_t len)
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
			return rt_scratchdb_empty(r, sc);
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
	return rt_scratchdb_empty(r, sc);
}

/* After loading into dev_url: remember what is loaded. */
int rt_scratchdb_mark(retort *r, rt_scratchdb *sc)
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
static int live_session(retort *r, rt_runner *live, rt_scratchdb *sc)
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
static int scratch_search_path(retort *r, rt_scratchdb *sc)
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
int rt_scratchdb_default_schema(retort *r, rt_scratchdb *sc, const char *text,
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
static int scratch_attach(retort *r, rt_scratchdb *sc)
{
	rt_interrupt_attach(r, &sc->intr, sc->drv, sc->conn);
	return rt_interrupt_check(r);
}

/* SQLite: a database in memory. */
static int scratch_memory(retort *r, rt_scratchdb *sc, rt_open_opts *oo)
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

/* dev_url (or dev_url.<dialect>: key): a database of the user's that
 * retort empties and reloads (or reuses when it holds the same declared
 * schema). */
static int scratch_dev(retort *r, rt_runner *live, rt_scratchdb *sc,
		       rt_open_opts *oo, const char *key, const char *dev_url,
		       const char *text, size_t len)
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
			       "%s:%u: %s must be a %s database, like url",
			       rt_config_path(r->cfg),
			       rt_config_line(r->cfg, key), key,
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
static int scratch_create(retort *r, rt_runner *live, rt_scratchdb *sc)
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
static int scratch_temporary(retort *r, rt_runner *live, rt_scratchdb *sc,
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

int rt_scratchdb_open(retort *r, rt_runner *live, rt_scratchdb *sc,
		      const char *text, size_t len)
{
	rt_open_opts oo;
	const char *dev_url, *key = "dev_url";
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
	    (error = rt_cfg(r, key = dev_url_key(live->url->dialect), NULL,
			    &dev_url)) < 0)
		return error;
	oo.lock_schema = sc->dflt ? sc->dflt : "public";
	if (dev_url && *dev_url)
		return scratch_dev(r, live, sc, &oo, key, dev_url, text, len);
	if (r->borrowed)
		return rt_fail(r, RETORT_ECONFIG,
			       "with the application's own PostgreSQL "
			       "connection retort has no URL to reach a "
			       "scratch database for the declared schema; set "
			       "dev_url");
	return scratch_temporary(r, live, sc, &oo);
}

void rt_scratchdb_close(rt_scratchdb *sc)
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

/*
 * A dialect other than the url's has no live database: its "database at
 * head" is built from the revision files, every revision's section for
 * that dialect run in order (base to heads) on a scratch database, and
 * compared with the declared schema loaded on another one (SQLite: two
 * in memory; PostgreSQL and MySQL: `dev_url.postgresql`, `dev_url.mysql`,
 * emptied before each (rt_scratchdb_empty), as there is no server of that kind to
 * make a temporary database on).
 */
int rt_scratchdb_other(retort *r, rt_dialect d, rt_scratchdb *sc)
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
	return rt_scratchdb_empty(r, sc);
}

/* ------------------------------------------------------------------ */
/* `test` (api_test.c): an empty scratch database for the stairway, and
 * the model at head compared with the declared schema. */

struct rt_scratch {
	rt_scratchdb sc;
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
	if ((error = rt_scratchdb_open(r, live, &s->sc, NULL, 0)) < 0) {
		rt_scratchdb_close(&s->sc);
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
	rt_scratchdb_close(&s->sc);
	free(s);
}
