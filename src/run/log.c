/* SPDX-License-Identifier: MIT */
/*
 * log.c: the log table's definition and rows (log.h). Every row the
 * runner, stamp and repair write goes through rt_log_insert_sql, so the
 * columns are named in one place.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/log.h"
#include "sql/quote.h"
#include "util/proc.h"

int rt_log_create_sql(rt_runner *rn, rt_str *table, rt_str *index)
{
	rt_str name = RT_STR_INIT;

	rt_str_printf(table,
		      "CREATE TABLE %s (\n"
		      "    id %s,\n"
		      "    revision VARCHAR(255),\n"
		      "    direction VARCHAR(16) NOT NULL,\n"
		      "    from_revisions TEXT NOT NULL,\n"
		      "    to_revisions TEXT NOT NULL,\n"
		      "    checksum VARCHAR(64),\n"
		      "    status VARCHAR(16) NOT NULL,\n"
		      "    started_at %s NOT NULL,\n"
		      "    duration_ms DOUBLE PRECISION,\n"
		      "    db_user VARCHAR(255),\n"
		      "    retort_version VARCHAR(32) NOT NULL,\n"
		      "    host VARCHAR(255),\n"
		      "    pid INTEGER,\n"
		      "    message TEXT,\n"
		      "    statements_done INTEGER,\n"
		      "    statements_sum VARCHAR(64)\n"
		      ")",
		      rt_str_cstr(&rn->lt), rn->drv->serial_pk,
		      rn->drv->timestamp_type);
	/* dirty checks read this small partial index, not the log */
	rt_str_printf(&name, "%s_unfinished", rn->log_table);
	rt_str_puts(index, "CREATE INDEX ");
	rt_sql_ident(index, rn->url->dialect, rt_str_cstr(&name));
	/* MySQL has no partial index: the whole column, still small */
	rt_str_printf(index, " ON %s (status)%s", rt_str_cstr(&rn->lt),
		      rn->url->dialect == RT_DIALECT_MYSQL
			  ? ""
			  : " WHERE status IN ('running', 'failed')");
	rt_str_dispose(&name);
	return table->oom || index->oom || name.oom ? -1 : 0;
}

static int literal_or_null(rt_str *s, rt_dialect d, const char *v)
{
	if (!v)
		return rt_str_puts(s, "NULL");
	return rt_sql_literal(s, d, v);
}

/* started_at: "YYYY-MM-DD HH:MM:SS.ffffff+00:00" (UTC); MySQL's
 * DATETIME takes no offset (MariaDB refuses one), so it gets the UTC
 * time without it. */
static void started_literal(rt_str *sql, rt_dialect d, const char *started)
{
	size_t n = strlen(started);

	if (d == RT_DIALECT_MYSQL && n > 6 &&
	    !strcmp(started + n - 6, "+00:00")) {
		rt_str_putc(sql, '\'');
		rt_str_append(sql, started, n - 6);
		rt_str_putc(sql, '\'');
	} else
		rt_sql_literal(sql, d, started);
}

/* duration_ms: known, or computed by the database when the row is
 * written (steps sent in one round trip do not know it when the
 * statement is built). */
static void duration(rt_str *sql, rt_dialect d, const rt_log_row *row)
{
	if (row->ms >= 0)
		rt_str_printf(sql, "%.3f", row->ms);
	else if (d == RT_DIALECT_MYSQL) {
		rt_str_puts(sql, "TIMESTAMPDIFF(MICROSECOND, ");
		started_literal(sql, d, row->started);
		rt_str_puts(sql, ", UTC_TIMESTAMP(6)) / 1000");
	} else if (d == RT_DIALECT_POSTGRESQL) {
		rt_str_puts(sql, "EXTRACT(EPOCH FROM clock_timestamp() - ");
		rt_sql_literal(sql, d, row->started);
		rt_str_puts(sql, "::timestamptz) * 1000");
	} else
		rt_str_puts(sql, "NULL");
}

int rt_log_insert_sql(rt_runner *rn, const rt_log_row *row, rt_str *sql)
{
	rt_dialect d = rn->url->dialect;
	char identity[RT_PROC_IDENTITY_MAX];
	const char *message = row->message;

	/* a running row names its process beyond the pid, so that a dead
	 * run is told from a live one whose pid was reused */
	if (!message && !strcmp(row->status, "running")) {
		rt_proc_identity(getpid(), identity);
		message = identity;
	}
	rt_str_printf(sql,
		      "INSERT INTO %s (revision, direction, from_revisions, "
		      "to_revisions, checksum, status, started_at, "
		      "duration_ms, db_user, retort_version, host, pid, "
		      "message%s) VALUES (",
		      rt_str_cstr(&rn->lt),
		      row->done >= 0 ? ", statements_done, statements_sum"
				     : "");
	literal_or_null(sql, d, row->revision);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, row->direction);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, row->from);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, row->to);
	rt_str_puts(sql, ", ");
	literal_or_null(sql, d, row->checksum);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, row->status);
	rt_str_puts(sql, ", ");
	started_literal(sql, d, row->started);
	rt_str_puts(sql, ", ");
	duration(sql, d, row);
	rt_str_puts(sql, ", ");
	literal_or_null(sql, d, rn->drv->user(rn->conn));
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, RETORT_VERSION);
	rt_str_puts(sql, ", ");
	rt_sql_literal(sql, d, rn->host);
	rt_str_printf(sql, ", %ld, ", (long)getpid());
	literal_or_null(sql, d, message);
	if (row->done >= 0) {
		rt_str_printf(sql, ", %ld, ", row->done);
		literal_or_null(sql, d, row->done_sum);
	}
	rt_str_putc(sql, ')');
	return sql->oom ? -1 : 0;
}

int rt_log_insert(rt_runner *rn, const rt_log_row *row)
{
	rt_str sql = RT_STR_INIT;
	int error;

	rt_log_insert_sql(rn, row, &sql);
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

/* " WHERE" this process's newest running row. */
static void where_mine(rt_runner *rn, rt_str *sql)
{
	rt_dialect d = rn->url->dialect;

	if (d == RT_DIALECT_MYSQL) {
		/* MySQL cannot read the table an UPDATE writes in a
		 * subquery; its UPDATE takes ORDER BY ... LIMIT instead */
		rt_str_printf(sql,
			      " WHERE status = 'running' AND pid = %ld AND "
			      "host = ",
			      (long)getpid());
		rt_sql_literal(sql, d, rn->host);
		rt_str_puts(sql, " ORDER BY id DESC LIMIT 1");
	} else {
		rt_str_printf(sql,
			      " WHERE id = (SELECT max(id) FROM %s WHERE "
			      "status = 'running' AND pid = %ld AND host = ",
			      rt_str_cstr(&rn->lt), (long)getpid());
		rt_sql_literal(sql, d, rn->host);
		rt_str_putc(sql, ')');
	}
}

static void set_progress(rt_runner *rn, rt_str *sql, long done,
			 const char *done_sum)
{
	rt_str_printf(sql, "statements_done = %ld, statements_sum = ", done);
	literal_or_null(sql, rn->url->dialect, done_sum);
}

int rt_log_finish(rt_runner *rn, const char *status, double ms,
		  const char *message, long done, const char *done_sum)
{
	rt_dialect d = rn->url->dialect;
	rt_str sql = RT_STR_INIT;
	int error;

	rt_str_printf(&sql, "UPDATE %s SET status = ", rt_str_cstr(&rn->lt));
	rt_sql_literal(&sql, d, status);
	rt_str_printf(&sql, ", duration_ms = %.3f, message = ", ms);
	literal_or_null(&sql, d, message);
	if (done >= 0) {
		rt_str_puts(&sql, ", ");
		set_progress(rn, &sql, done, done_sum);
	}
	where_mine(rn, &sql);
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

int rt_log_discard(rt_runner *rn)
{
	rt_str sql = RT_STR_INIT;
	int error;

	rt_str_printf(&sql, "DELETE FROM %s", rt_str_cstr(&rn->lt));
	where_mine(rn, &sql);
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

int rt_log_progress(rt_runner *rn, long done, const char *done_sum)
{
	rt_str sql = RT_STR_INIT;
	int error;

	rt_str_printf(&sql, "UPDATE %s SET ", rt_str_cstr(&rn->lt));
	set_progress(rn, &sql, done, done_sum);
	where_mine(rn, &sql);
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

int rt_log_resume(rt_runner *rn, const char *id)
{
	rt_dialect d = rn->url->dialect;
	char identity[RT_PROC_IDENTITY_MAX];
	rt_str sql = RT_STR_INIT;
	int error;

	rt_proc_identity(getpid(), identity);
	rt_str_printf(&sql, "UPDATE %s SET status = 'running', host = ",
		      rt_str_cstr(&rn->lt));
	rt_sql_literal(&sql, d, rn->host);
	rt_str_printf(&sql, ", pid = %ld, message = ", (long)getpid());
	rt_sql_literal(&sql, d, identity);
	rt_str_printf(&sql, " WHERE id = %ld AND status = 'failed'",
		      strtol(id, NULL, 10));
	error = rt_runner_exec(rn, &sql);
	rt_str_dispose(&sql);
	return error;
}

/* 1 when the log table has column col, else 0 (a failed probe) */
static int has_column(rt_runner *rn, const char *col)
{
	rt_str sql = RT_STR_INIT;
	rt_err ignore = RT_ERR_INIT;
	rt_rows rows;
	int ok;

	rt_str_printf(&sql, "SELECT %s FROM %s WHERE 1 = 0", col,
		      rt_str_cstr(&rn->lt));
	ok = rt_runner_query(rn, &sql, &rows, &ignore) == 0;
	if (ok)
		rt_rows_free(&rows);
	rt_err_dispose(&ignore);
	return ok;
}

int rt_log_upgrade_table(rt_runner *rn)
{
	static const char *const cols[2][2] = {
		{ "statements_done", "INTEGER" },
		{ "statements_sum", "VARCHAR(64)" },
	};
	rt_str sql = RT_STR_INIT;
	int i;

	for (i = 0; i < 2; i++) {
		if (has_column(rn, cols[i][0]))
			continue;
		rt_str_printf(&sql, "ALTER TABLE %s ADD COLUMN %s %s",
			      rt_str_cstr(&rn->lt), cols[i][0], cols[i][1]);
		/* a concurrent run may have added it first: look again */
		if (rt_runner_exec(rn, &sql) < 0 && !has_column(rn, cols[i][0]))
			break;
		rt_err_clear(&rn->r->err);
		rt_str_clear(&sql);
	}
	rt_str_dispose(&sql);
	return i < 2 ? rn->r->err.code : 0;
}
