/* SPDX-License-Identifier: MIT */
/*
 * test_runner.c: the online runner's bookkeeping against SQLite (run.c,
 * runner.c, log.c, state.c): after upgrade, downgrade, stamp, a failing
 * revision and a failing transaction:false section, the version rows,
 * the log rows (direction, from/to, checksum, status, duration, who), the
 * events of the run, what `current` reports and what `repair` clears;
 * then rt_runner_* directly: opening with the project's settings,
 * creating the tables, reading the version rows, and the dirty check on
 * log rows left by finished, failed, dead and live runs.
 *
 * Each test uses a SQLite file under its own mkdtemp folder (an in-memory
 * database is private to its connection, and the runner opens several)
 * and in-memory revision sources (rev_fixture.h). The database is read
 * back with sqlite3 directly, not through the code under test.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rev_fixture.h"
#include "run/runner.h"
#include "util/proc.h"

/* ------------------------------------------------------------------ */
/* a project on a temporary SQLite file */

#define ENV_MAX_REVS 8

typedef struct ev {
	retort_event_kind kind;
	size_t index, total;
	char rev[32]; /* the step's revision, "" for a stamp step */
	double elapsed_ms;
} ev;

typedef struct env {
	char dir[PATH_MAX];
	char db[PATH_MAX + 16];
	retort *r;
	rt_str text[ENV_MAX_REVS], name[ENV_MAX_REVS];
	retort_source src[ENV_MAX_REVS];
	rt_str logs; /* log callback lines: "W: ..." / "I: ..." */
	ev events[32];
	size_t nevents;
	/* RETORT_EVENT_STATEMENT events, apart: "rev:line:first word " */
	rt_str statements;
} env;

static void on_log(retort_log_level level, const char *message, void *p)
{
	env *e = p;

	rt_str_printf(&e->logs, "%c: %s\n",
		      level == RETORT_LOG_WARNING  ? 'W'
		      : level == RETORT_LOG_NOTICE ? 'N'
						   : 'I',
		      message);
}

static void on_event(const retort_event *x, void *p)
{
	env *e = p;
	ev *v;

	if (x->kind == RETORT_EVENT_STATEMENT) {
		size_t n = strcspn(x->statement, " \n");

		cr_assert_leq(n, x->statement_len);
		rt_str_printf(&e->statements, "%s:%u:%.*s ",
			      retort_revision_id(x->step->revision), x->line,
			      (int)n, x->statement);
		return;
	}
	cr_assert_lt(e->nevents, sizeof(e->events) / sizeof(e->events[0]));
	v = &e->events[e->nevents++];
	memset(v, 0, sizeof(*v));
	v->kind = x->kind;
	v->index = x->index;
	v->total = x->total;
	v->elapsed_ms = x->elapsed_ms;
	if ((x->kind == RETORT_EVENT_STEP_BEGIN ||
	     x->kind == RETORT_EVENT_STEP_END) &&
	    x->step->revision)
		snprintf(v->rev, sizeof(v->rev), "%s",
			 retort_revision_id(x->step->revision));
}

/* (Re)open the project on e->db with these revisions and extra config
 * lines. */
static void env_open(env *e, const rf_rev *revs, size_t n, const char *extra)
{
	retort_open_options oo = RETORT_OPEN_OPTIONS_INIT;
	rt_str cfg = RT_STR_INIT;
	size_t i;
	int rc;

	cr_assert_leq(n, ENV_MAX_REVS);
	if (e->r)
		retort_close(e->r);
	e->r = NULL;
	for (i = 0; i < ENV_MAX_REVS; i++) {
		rt_str_dispose(&e->text[i]);
		rt_str_dispose(&e->name[i]);
	}
	for (i = 0; i < n; i++) {
		rf_render(&e->text[i], &revs[i]);
		rf_name(&e->name[i], &revs[i]);
		e->src[i].name = rt_str_cstr(&e->name[i]);
		e->src[i].text = rt_str_cstr(&e->text[i]);
		e->src[i].len = e->text[i].len;
	}
	rt_str_printf(&cfg, "[retort]\nurl = sqlite:///%s\n%s", e->db,
		      extra ? extra : "");
	oo.config_text = rt_str_cstr(&cfg);
	oo.sources = e->src;
	oo.source_count = n;
	oo.log = on_log;
	oo.log_payload = e;
	rc = retort_open(&e->r, &oo);
	cr_assert_eq(rc, 0, "retort_open: %s", retort_errmsg(e->r));
	rt_str_dispose(&cfg);
}

/* The files of the test's database, removed at the end of the test even
 * when an assertion failed (the suites' .fini). */
static char test_dir[PATH_MAX], test_db[PATH_MAX + 16];

/* A child process running a migration, killed at the end of the test. */
static pid_t test_child;

static void remove_files(void)
{
	char path[sizeof(test_db) + 16];

	if (test_child > 0) {
		kill(test_child, SIGKILL);
		waitpid(test_child, NULL, 0);
		test_child = 0;
	}

	if (!test_dir[0])
		return;
	unlink(test_db);
	snprintf(path, sizeof(path), "%s-journal", test_db);
	unlink(path);
	rmdir(test_dir);
	test_dir[0] = '\0';
}

TestSuite(runner, .fini = remove_files);
TestSuite(runner_direct, .fini = remove_files);

static void env_init(env *e, const rf_rev *revs, size_t n, const char *extra)
{
	const char *tmp = getenv("TMPDIR");

	memset(e, 0, sizeof(*e));
	snprintf(e->dir, sizeof(e->dir), "%s/retort-runner-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(e->dir), "mkdtemp: %s", strerror(errno));
	snprintf(e->db, sizeof(e->db), "%s/app.db", e->dir);
	memcpy(test_dir, e->dir, sizeof(test_dir));
	memcpy(test_db, e->db, sizeof(test_db));
	env_open(e, revs, n, extra);
}

#define ENV(e, revs, extra) env_init((e), (revs), RF_N(revs), (extra))

static void env_free(env *e)
{
	size_t i;

	retort_close(e->r);
	for (i = 0; i < ENV_MAX_REVS; i++) {
		rt_str_dispose(&e->text[i]);
		rt_str_dispose(&e->name[i]);
	}
	rt_str_dispose(&e->logs);
	rt_str_dispose(&e->statements);
	remove_files();
}

static retort_run_options run_opts(env *e)
{
	retort_run_options o = RETORT_RUN_OPTIONS_INIT;

	o.event = on_event;
	o.event_payload = e;
	e->nevents = 0;
	rt_str_clear(&e->statements);
	return o;
}

static int upgrade(env *e, const char *target)
{
	retort_run_options o = run_opts(e);

	return retort_upgrade(e->r, target, &o);
}

static int downgrade(env *e, const char *target)
{
	retort_run_options o = run_opts(e);

	return retort_downgrade(e->r, target, &o);
}

static int stamp(env *e, const char *target, int purge)
{
	retort_run_options o = run_opts(e);

	o.purge = purge;
	return retort_stamp(e->r, &target, 1, &o);
}

#define OK(call, e) \
	cr_assert_eq((call), 0, "%s: %s", #call, retort_errmsg((e)->r))

/* ------------------------------------------------------------------ */
/* reading the database with sqlite3 */

/* Rows as "a|b|NULL" lines joined by "\n" (caller frees). */
static char *q(const env *e, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	rt_str out = RT_STR_INIT;
	int rc, i, nrow = 0;

	rc = sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READONLY, NULL);
	cr_assert_eq(rc, SQLITE_OK, "open %s: %s", e->db, sqlite3_errstr(rc));
	/* a run in another process may be writing */
	sqlite3_busy_timeout(db, 10000);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrow++)
			rt_str_putc(&out, '\n');
		for (i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			if (i)
				rt_str_putc(&out, '|');
			rt_str_puts(&out, t ? (const char *)t : "NULL");
		}
	}
	cr_assert_eq(rc, SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out.ptr ? rt_str_detach(&out) : rt_strdup("");
}

static void x(const env *e, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;
	int rc;

	rc = sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READWRITE, NULL);
	cr_assert_eq(rc, SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(db);
}

#define EXPECT_Q(e, sql, expected)                                            \
	do {                                                                  \
		char *got_ = q((e), (sql));                                   \
		cr_assert_str_eq(got_, (expected),                            \
				 "%s\n--- got ---\n%s\n--- expected ---\n%s", \
				 (sql), got_, (expected));                    \
		free(got_);                                                   \
	} while (0)

/* The version rows through the API, sorted, as "a b". */
static char *version_rows(env *e)
{
	char **v = NULL;
	size_t n = 0, i, j;
	rt_str s = RT_STR_INIT;

	cr_assert_eq(retort_version_rows(&v, &n, e->r), 0, "%s",
		     retort_errmsg(e->r));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(v[j], v[i]) < 0) {
				char *t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
	for (i = 0; i < n; i++)
		rt_str_printf(&s, "%s%s", i ? " " : "", v[i]);
	retort_strings_free(v, n);
	return s.ptr ? rt_str_detach(&s) : rt_strdup("");
}

#define EXPECT_ROWS(e, expected)                                             \
	do {                                                                 \
		char *got_ = version_rows(e);                                \
		cr_assert_str_eq(got_, (expected), "version rows %s", got_); \
		free(got_);                                                  \
	} while (0)

/* `current` through the API, as "a b" in the order returned. */
static char *current(env *e, unsigned flags, int *rc)
{
	retort_revlist *l = NULL;
	rt_str s = RT_STR_INIT;
	size_t i;

	*rc = retort_current(&l, e->r, flags);
	for (i = 0; l && i < retort_revlist_count(l); i++)
		rt_str_printf(&s, "%s%s", i ? " " : "",
			      retort_revision_id(retort_revlist_at(l, i)));
	retort_revlist_free(l);
	return s.ptr ? rt_str_detach(&s) : rt_strdup("");
}

#define EXPECT_CURRENT(e, expected)                                         \
	do {                                                                \
		int rc_;                                                    \
		char *got_ = current((e), 0, &rc_);                         \
		cr_assert_eq(rc_, 0, "current: %s", retort_errmsg((e)->r)); \
		cr_assert_str_eq(got_, (expected), "current %s", got_);     \
		free(got_);                                                 \
	} while (0)

static const retort_revision *rev_by_id(env *e, const char *id)
{
	size_t i;

	OK(retort_load(e->r), e);
	for (i = 0; i < retort_revision_count(e->r); i++)
		if (!strcmp(retort_revision_id(retort_revision_at(e->r, i)),
			    id))
			return retort_revision_at(e->r, i);
	cr_assert_fail("no revision %s", id);
	return NULL;
}

#define LOG_SUMMARY                                                         \
	"SELECT revision, direction, from_revisions, to_revisions, status " \
	"FROM retort_log ORDER BY id"

/* Every log row written by this process: the checksum of the section
 * that ran (none for stamps), a non-negative duration, and who wrote it;
 * ok rows carry no message. */
static void check_log_details(env *e)
{
	char host[256] = "";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, rows = 0;

	gethostname(host, sizeof(host) - 1);
	rc = sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READONLY, NULL);
	cr_assert_eq(rc, SQLITE_OK);
	rc = sqlite3_prepare_v2(
	    db,
	    "SELECT revision, direction, checksum, status, started_at, "
	    "duration_ms, typeof(duration_ms), db_user, retort_version, host, "
	    "pid, message FROM retort_log ORDER BY id",
	    -1, &st, NULL);
	cr_assert_eq(rc, SQLITE_OK, "%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *rev = (const char *)sqlite3_column_text(st, 0);
		const char *dir = (const char *)sqlite3_column_text(st, 1);
		const char *sum = (const char *)sqlite3_column_text(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);
		const char *started = (const char *)sqlite3_column_text(st, 4);
		const char *type = (const char *)sqlite3_column_text(st, 6);
		const char *msg = (const char *)sqlite3_column_text(st, 11);

		rows++;
		cr_assert_not_null(rev);
		if (!strcmp(dir, "stamp"))
			cr_assert_null(sum, "stamp of %s has a checksum", rev);
		else
			cr_assert_str_eq(
			    sum,
			    retort_revision_checksum(rev_by_id(e, rev),
						     !strcmp(dir, "downgrade")),
			    "checksum of the %s of %s", dir, rev);
		cr_assert_str_eq(type, "real", "duration of %s: %s", rev, type);
		cr_assert_geq(sqlite3_column_double(st, 5), 0.0);
		/* "2026-11-22 15:40:00.123456+00:00" */
		cr_assert_eq(strlen(started), 32, "started_at %s", started);
		cr_assert_str_eq(started + 26, "+00:00");
		cr_assert_eq(started[4], '-');
		cr_assert_eq(started[10], ' ');
		cr_assert_not_null(sqlite3_column_text(st, 7));
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 8),
				 retort_version());
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 9),
				 host);
		cr_assert_eq(sqlite3_column_int64(st, 10), (long long)getpid());
		if (!strcmp(status, "ok") && strcmp(dir, "checksum"))
			cr_assert_null(msg, "ok row of %s says %s", rev, msg);
	}
	cr_assert_gt(rows, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The events of the last run: "B0/3:a E0/3:a ..." */
static char *events(const env *e)
{
	rt_str s = RT_STR_INIT;
	size_t i;

	for (i = 0; i < e->nevents; i++) {
		const ev *v = &e->events[i];

		rt_str_printf(&s, "%s%c%zu/%zu:%s", i ? " " : "",
			      v->kind == RETORT_EVENT_STEP_BEGIN ? 'B'
			      : v->kind == RETORT_EVENT_STEP_END ? 'E'
								 : 'L',
			      v->index, v->total, v->rev);
		if (v->kind == RETORT_EVENT_STEP_BEGIN)
			cr_assert_eq(v->elapsed_ms, 0.0);
		else
			cr_assert_geq(v->elapsed_ms, 0.0);
	}
	return s.ptr ? rt_str_detach(&s) : rt_strdup("");
}

#define EXPECT_EVENTS(e, expected)                                     \
	do {                                                           \
		char *got_ = events(e);                                \
		cr_assert_str_eq(got_, (expected), "events %s", got_); \
		free(got_);                                            \
	} while (0)

#define USER_TABLES                                                 \
	"SELECT type, name FROM sqlite_schema WHERE name NOT LIKE " \
	"'sqlite_%' ORDER BY name"

/* ------------------------------------------------------------------ */
/* revisions */

static const rf_rev CHAIN[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a", "CREATE TABLE tb (x INTEGER);\nINSERT INTO tb VALUES (1);",
	  "DROP TABLE tb;" },
	{ "c", "b", "CREATE TABLE tc (x INTEGER);", "DROP TABLE tc;" },
};

/* c fails on its second statement (line RF_UP_LINE + 1) */
static const rf_rev CHAIN_BAD_C[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a", "CREATE TABLE tb (x INTEGER);\nINSERT INTO tb VALUES (1);",
	  "DROP TABLE tb;" },
	{ "c", "b",
	  "CREATE TABLE tc (x INTEGER);\nINSERT INTO nosuch VALUES (1);",
	  "DROP TABLE tc;" },
};

/* b runs outside a transaction */
static const rf_rev NOTX_OK[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a", "CREATE INDEX ix ON ta (x);", "DROP INDEX ix;", 1, 1 },
};

/* b runs outside a transaction and fails after its first statement */
static const rf_rev NOTX_BAD[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a",
	  "CREATE TABLE tb (x INTEGER);\nINSERT INTO nosuch VALUES (1);",
	  "DROP TABLE tb;", 1 },
};

/* ... and fixed by hand */
static const rf_rev NOTX_FIXED[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a", "CREATE TABLE IF NOT EXISTS tb (x INTEGER);",
	  "DROP TABLE tb;", 1 },
};

static const rf_rev BRANCHES[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b1", "a", "CREATE TABLE tb1 (x INTEGER);", "DROP TABLE tb1;" },
	{ "b2", "a", "CREATE TABLE tb2 (x INTEGER);", "DROP TABLE tb2;" },
};

/* ------------------------------------------------------------------ */
/* upgrade, downgrade, stamp */

Test(runner, upgrade_writes_version_rows_log_rows_and_events)
{
	env e;

	ENV(&e, CHAIN, NULL);
	OK(upgrade(&e, "head"), &e);
	EXPECT_ROWS(&e, "c");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok\n"
		 "c|upgrade|b|c|ok");
	check_log_details(&e);
	EXPECT_EVENTS(&e, "B0/3:a E0/3:a B1/3:b E1/3:b B2/3:c E2/3:c");
	EXPECT_Q(&e, "SELECT x FROM tb", "1");
	EXPECT_Q(&e, USER_TABLES,
		 "table|retort_log\n"
		 "index|retort_log_unfinished\n"
		 "table|retort_version\n"
		 "table|ta\n"
		 "table|tb\n"
		 "table|tc");
	EXPECT_CURRENT(&e, "c");
	/* nothing left to do: no step, no row */
	OK(upgrade(&e, "head"), &e);
	EXPECT_EVENTS(&e, "");
	EXPECT_Q(&e, "SELECT count(*) FROM retort_log", "3");
	env_free(&e);
}

/* Progress: each statement of a section is reported, with its line in
 * the file, as it starts. */
Test(runner, statements_are_reported_with_their_lines)
{
	env e;

	ENV(&e, CHAIN, NULL);
	OK(upgrade(&e, "head"), &e);
	cr_assert_str_eq(rt_str_cstr(&e.statements),
			 "a:8:CREATE b:8:CREATE b:9:INSERT c:8:CREATE ");
	env_free(&e);
}

Test(runner, upgrade_in_two_runs_counts_steps_per_run)
{
	env e;

	ENV(&e, CHAIN, NULL);
	OK(upgrade(&e, "a"), &e);
	EXPECT_EVENTS(&e, "B0/1:a E0/1:a");
	EXPECT_ROWS(&e, "a");
	OK(upgrade(&e, "head"), &e);
	EXPECT_EVENTS(&e, "B0/2:b E0/2:b B1/2:c E1/2:c");
	EXPECT_ROWS(&e, "c");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok\n"
		 "c|upgrade|b|c|ok");
	check_log_details(&e);
	env_free(&e);
}

Test(runner, downgrade_records_downgrade_checksums)
{
	env e;

	ENV(&e, CHAIN, NULL);
	OK(upgrade(&e, "head"), &e);
	OK(downgrade(&e, "-1"), &e);
	EXPECT_EVENTS(&e, "B0/1:c E0/1:c");
	EXPECT_ROWS(&e, "b");
	EXPECT_CURRENT(&e, "b");
	OK(downgrade(&e, "base"), &e);
	EXPECT_EVENTS(&e, "B0/2:b E0/2:b B1/2:a E1/2:a");
	/* the table stays, empty */
	EXPECT_ROWS(&e, "");
	EXPECT_Q(&e, "SELECT count(*) FROM retort_version", "0");
	EXPECT_CURRENT(&e, "");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok\n"
		 "c|upgrade|b|c|ok\n"
		 "c|downgrade|c|b|ok\n"
		 "b|downgrade|b|a|ok\n"
		 "a|downgrade|a||ok");
	check_log_details(&e);
	/* the downgrade sections ran */
	EXPECT_Q(&e, USER_TABLES,
		 "table|retort_log\n"
		 "index|retort_log_unfinished\n"
		 "table|retort_version");
	env_free(&e);
}

Test(runner, stamp_moves_rows_without_running_sections)
{
	env e;

	ENV(&e, CHAIN, NULL);
	OK(stamp(&e, "b", 0), &e);
	EXPECT_EVENTS(&e, "B0/1: E0/1:");
	EXPECT_ROWS(&e, "b");
	OK(stamp(&e, "c", 0), &e);
	EXPECT_ROWS(&e, "c");
	OK(stamp(&e, "base", 0), &e);
	EXPECT_ROWS(&e, "");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "b|stamp||b|ok\n"
		 "c|stamp|b|c|ok\n"
		 "c|stamp|c||ok");
	check_log_details(&e);
	EXPECT_Q(&e, USER_TABLES,
		 "table|retort_log\n"
		 "index|retort_log_unfinished\n"
		 "table|retort_version");
	env_free(&e);
}

Test(runner, stamp_purge_starts_from_no_rows)
{
	env e;

	ENV(&e, BRANCHES, NULL);
	OK(stamp(&e, "heads", 0), &e);
	EXPECT_ROWS(&e, "b1 b2");
	OK(stamp(&e, "a", 1), &e);
	EXPECT_ROWS(&e, "a");
	/* the plan was made after the rows were deleted */
	EXPECT_Q(&e,
		 "SELECT revision, direction, from_revisions, to_revisions, "
		 "status FROM retort_log ORDER BY id DESC LIMIT 1",
		 "a|stamp||a|ok");
	check_log_details(&e);
	env_free(&e);
}

Test(runner, current_reports_the_heads)
{
	env e;
	int rc;
	char *got;

	ENV(&e, BRANCHES, NULL);
	/* no database yet: nothing, and nothing created */
	EXPECT_CURRENT(&e, "");
	cr_assert_eq(access(e.db, F_OK), -1);
	OK(upgrade(&e, "b1"), &e);
	EXPECT_CURRENT(&e, "b1");
	got = current(&e, RETORT_CURRENT_CHECK_HEADS, &rc);
	cr_assert_eq(rc, RETORT_EPROBLEMS);
	cr_assert_str_eq(retort_errmsg(e.r),
			 "Database is not on all head revisions");
	free(got);
	OK(upgrade(&e, "heads"), &e);
	EXPECT_EVENTS(&e, "B0/1:b2 E0/1:b2");
	EXPECT_ROWS(&e, "b1 b2");
	got = current(&e, RETORT_CURRENT_CHECK_HEADS, &rc);
	cr_assert_eq(rc, 0, "%s", retort_errmsg(e.r));
	cr_assert(!strcmp(got, "b1 b2") || !strcmp(got, "b2 b1"), "%s", got);
	free(got);
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b1|upgrade|a|b1|ok\n"
		 "b2|upgrade|a|b2|ok");
	check_log_details(&e);
	env_free(&e);
}

/* ------------------------------------------------------------------ */
/* failures */

Test(runner, failing_revision_leaves_rows_as_before)
{
	env e;
	char *log_before, *rows_before, *schema_before;

	ENV(&e, CHAIN_BAD_C, NULL);
	OK(upgrade(&e, "b"), &e);
	log_before = q(&e, "SELECT * FROM retort_log ORDER BY id");
	rows_before = q(&e, "SELECT * FROM retort_version");
	schema_before = q(&e, "SELECT * FROM sqlite_schema ORDER BY name");
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	cr_assert_str_eq(retort_errmsg(e.r), "c.sql:9: no such table: nosuch");
	/* the step began and never ended */
	EXPECT_EVENTS(&e, "B0/1:c");
	EXPECT_Q(&e, "SELECT * FROM retort_log ORDER BY id", log_before);
	EXPECT_Q(&e, "SELECT * FROM retort_version", rows_before);
	/* c's first statement was rolled back with the rest */
	EXPECT_Q(&e, "SELECT * FROM sqlite_schema ORDER BY name",
		 schema_before);
	EXPECT_ROWS(&e, "b");
	EXPECT_CURRENT(&e, "b");
	/* a failed transactional step leaves nothing to repair */
	cr_assert_eq(strstr(rt_str_cstr(&e.logs), "dirty"), NULL, "%s",
		     rt_str_cstr(&e.logs));
	free(log_before);
	free(rows_before);
	free(schema_before);
	env_free(&e);
}

Test(runner, failing_revision_keeps_the_steps_before_it)
{
	env e;

	ENV(&e, CHAIN_BAD_C, NULL);
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	EXPECT_EVENTS(&e, "B0/3:a E0/3:a B1/3:b E1/3:b B2/3:c");
	EXPECT_ROWS(&e, "b");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok");
	check_log_details(&e);
	EXPECT_Q(&e, "SELECT count(*) FROM sqlite_schema WHERE name = 'tc'",
		 "0");
	env_free(&e);
}

Test(runner, failing_revision_in_one_run_transaction_rolls_back_all)
{
	env e;

	ENV(&e, CHAIN_BAD_C, "transaction_per_migration = false\n");
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	cr_assert_str_eq(retort_errmsg(e.r),
			 "c.sql:9: no such table: nosuch (transaction_per_"
			 "migration = false: every revision of this run was "
			 "rolled back)");
	/* a step "ends" when it ran, committed or not */
	EXPECT_EVENTS(&e, "B0/3:a E0/3:a B1/3:b E1/3:b B2/3:c");
	/* even the version and log tables were created in that
	 * transaction */
	EXPECT_Q(&e, USER_TABLES, "");
	EXPECT_ROWS(&e, "");
	/* from a database at a: a stays */
	env_open(&e, CHAIN, RF_N(CHAIN) - 1, NULL);
	OK(upgrade(&e, "a"), &e);
	env_open(&e, CHAIN_BAD_C, RF_N(CHAIN_BAD_C),
		 "transaction_per_migration = false\n");
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	EXPECT_ROWS(&e, "a");
	EXPECT_Q(&e, LOG_SUMMARY, "a|upgrade||a|ok");
	EXPECT_Q(&e, "SELECT count(*) FROM sqlite_schema WHERE name = 'tb'",
		 "0");
	env_free(&e);
}

Test(runner, one_run_transaction_success_ends_every_step)
{
	env e;

	ENV(&e, CHAIN, "transaction_per_migration = false\n");
	OK(upgrade(&e, "head"), &e);
	EXPECT_EVENTS(&e, "B0/3:a E0/3:a B1/3:b E1/3:b B2/3:c E2/3:c");
	EXPECT_ROWS(&e, "c");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok\n"
		 "c|upgrade|b|c|ok");
	check_log_details(&e);
	env_free(&e);
}

/* ------------------------------------------------------------------ */
/* transaction:false sections, dirty databases, repair */

Test(runner, transaction_false_step_is_logged_once_as_ok)
{
	env e;

	ENV(&e, NOTX_OK, NULL);
	OK(upgrade(&e, "head"), &e);
	EXPECT_EVENTS(&e, "B0/2:a E0/2:a B1/2:b E1/2:b");
	EXPECT_ROWS(&e, "b");
	/* the "running" row became "ok": one row per step */
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok");
	EXPECT_Q(&e, "SELECT count(*) FROM sqlite_schema WHERE name = 'ix'",
		 "1");
	OK(downgrade(&e, "-1"), &e);
	EXPECT_EVENTS(&e, "B0/1:b E0/1:b");
	EXPECT_ROWS(&e, "a");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok\n"
		 "b|downgrade|b|a|ok");
	EXPECT_Q(&e, "SELECT count(*) FROM sqlite_schema WHERE name = 'ix'",
		 "0");
	check_log_details(&e);
	env_free(&e);
}

static int repair(env *e, unsigned flags, retort_repair_result *res)
{
	rt_str_clear(&e->logs);
	return retort_repair(res, e->r, flags);
}

Test(runner, failing_transaction_false_section_marks_the_database_dirty)
{
	retort_repair_result res;
	rt_str msg = RT_STR_INIT;
	char *started, *sums, *warning;
	env e;

	ENV(&e, NOTX_BAD, NULL);
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	cr_assert_str_eq(retort_errmsg(e.r),
			 "b.sql:9: no such table: nosuch (it ran outside a "
			 "transaction: 1 of its 2 statements ran and stay; the "
			 "database is now marked dirty at statement 2; fix the "
			 "cause and run the same command again to go on from "
			 "there, or fix it by hand and run 'retort repair')");
	EXPECT_EVENTS(&e, "B0/2:a E0/2:a B1/2:b");
	EXPECT_ROWS(&e, "a");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|failed");
	EXPECT_Q(&e, "SELECT message FROM retort_log WHERE status = 'failed'",
		 "b.sql:9: no such table: nosuch");
	check_log_details(&e);
	/* what ran outside the transaction stays */
	EXPECT_Q(&e, "SELECT count(*) FROM sqlite_schema WHERE name = 'tb'",
		 "1");

	/* every write refuses, and changes nothing */
	started = q(&e, "SELECT started_at FROM retort_log WHERE id = 2");
	rt_str_printf(&msg,
		      "the database is dirty: upgrade of revision b "
		      "(transaction:false) failed at %s: b.sql:9: no such "
		      "table: nosuch; fix the database by hand, then run "
		      "'retort repair'",
		      started);
	/* the same upgrade resumes at statement 2, which fails again */
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	cr_assert_str_eq(retort_errmsg(e.r),
			 "b.sql:9: no such table: nosuch (it ran outside a "
			 "transaction: 1 of its 2 statements ran and stay; the "
			 "database is now marked dirty at statement 2; fix the "
			 "cause and run the same command again to go on from "
			 "there, or fix it by hand and run 'retort repair')");
	EXPECT_EVENTS(&e, "B0/1:b");
	EXPECT_Q(&e,
		 "SELECT status, statements_done FROM retort_log WHERE id = 2",
		 "failed|1");
	cr_assert_eq(stamp(&e, "b", 0), RETORT_EDIRTY);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	cr_assert_eq(downgrade(&e, "base"), RETORT_EDIRTY);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	EXPECT_ROWS(&e, "a");
	EXPECT_Q(&e, "SELECT count(*) FROM retort_log", "2");

	/* current answers, with a warning */
	rt_str_clear(&e.logs);
	EXPECT_CURRENT(&e, "a");
	warning = rt_strdup(rt_str_cstr(&msg));
	rt_str_clear(&msg);
	rt_str_printf(&msg, "W: %s\n", warning);
	cr_assert_str_eq(rt_str_cstr(&e.logs), rt_str_cstr(&msg));

	/* repair marks the failed run repaired */
	cr_assert_eq(repair(&e, 0, &res), 0, "%s", retort_errmsg(e.r));
	cr_assert_eq(res.runs, 1);
	cr_assert_eq(res.checksums, 0);
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|repaired");
	rt_str_clear(&msg);
	rt_str_printf(&msg,
		      "I: marked the failed upgrade of revision b (started "
		      "%s) as repaired\n"
		      "I: the version table does not record that upgrade of "
		      "b: if you completed it by hand, stamp the revision it "
		      "was moving to ('retort stamp REV'); otherwise the next "
		      "run does it again\n",
		      started);
	cr_assert_str_eq(rt_str_cstr(&e.logs), rt_str_cstr(&msg));

	/* the fixed revision runs; its checksum is the new text's */
	env_open(&e, NOTX_FIXED, RF_N(NOTX_FIXED), NULL);
	OK(upgrade(&e, "head"), &e);
	EXPECT_ROWS(&e, "b");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|repaired\n"
		 "b|upgrade|a|b|ok");
	sums = q(&e, "SELECT count(DISTINCT checksum) FROM retort_log WHERE "
		     "revision = 'b'");
	cr_assert_str_eq(sums, "2");
	EXPECT_Q(&e, "SELECT checksum FROM retort_log WHERE id = 3",
		 retort_revision_checksum(rev_by_id(&e, "b"), 0));

	/* nothing left */
	cr_assert_eq(repair(&e, 0, &res), 0);
	cr_assert_eq(res.runs, 0);
	cr_assert_str_eq(rt_str_cstr(&e.logs), "I: nothing to repair\n");
	free(started);
	free(sums);
	free(warning);
	rt_str_dispose(&msg);
	env_free(&e);
}

Test(runner, failing_transaction_false_section_in_one_run_transaction)
{
	env e;

	/* the steps before it were committed with its "running" row: they
	 * stay, and the message does not claim a rollback */
	ENV(&e, NOTX_BAD, "transaction_per_migration = false\n");
	cr_assert_eq(upgrade(&e, "head"), RETORT_ERROR);
	cr_assert_str_eq(retort_errmsg(e.r),
			 "b.sql:9: no such table: nosuch (it ran outside a "
			 "transaction: 1 of its 2 statements ran and stay; the "
			 "database is now marked dirty at statement 2; fix the "
			 "cause and run the same command again to go on from "
			 "there, or fix it by hand and run 'retort repair')");
	EXPECT_ROWS(&e, "a");
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|failed");
	check_log_details(&e);
	env_free(&e);
}

Test(runner, repair_checksums_accepts_an_edited_revision)
{
	static const rf_rev edited[] = {
		{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
		{ "b", "a", "CREATE TABLE tb (x INTEGER, y INTEGER);",
		  "DROP TABLE tb;" },
	};
	retort_repair_result res;
	rt_str msg = RT_STR_INIT;
	char *old;
	env e;

	ENV(&e, CHAIN, NULL);
	OK(upgrade(&e, "b"), &e);
	old = q(&e, "SELECT checksum FROM retort_log WHERE revision = 'b'");
	env_open(&e, edited, RF_N(edited), NULL);
	/* without the flag: nothing */
	cr_assert_eq(repair(&e, 0, &res), 0, "%s", retort_errmsg(e.r));
	cr_assert_eq(res.runs + res.checksums, 0);
	cr_assert_eq(repair(&e, RETORT_REPAIR_CHECKSUMS, &res), 0, "%s",
		     retort_errmsg(e.r));
	cr_assert_eq(res.runs, 0);
	cr_assert_eq(res.checksums, 1);
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|ok\n"
		 "b|checksum|||ok");
	rt_str_printf(&msg, "accepted an edit; was %s", old);
	EXPECT_Q(&e, "SELECT message FROM retort_log WHERE id = 3",
		 rt_str_cstr(&msg));
	EXPECT_Q(&e, "SELECT checksum FROM retort_log WHERE id = 3",
		 retort_revision_checksum(rev_by_id(&e, "b"), 0));
	cr_assert_str_neq(old, retort_revision_checksum(rev_by_id(&e, "b"), 0));
	/* accepted once */
	cr_assert_eq(repair(&e, RETORT_REPAIR_CHECKSUMS, &res), 0);
	cr_assert_eq(res.checksums, 0);
	free(old);
	rt_str_dispose(&msg);
	env_free(&e);
}

/* ------------------------------------------------------------------ */
/* runs by other processes */

typedef struct child {
	pid_t pid;
	int fd; /* closing it ends the child */
	char identity[RT_PROC_IDENTITY_MAX];
} child;

/* A process that waits until end_child. */
static child start_child(void)
{
	child c;
	int p[2];

	cr_assert_eq(pipe(p), 0);
	c.pid = fork();
	cr_assert_geq(c.pid, 0);
	if (c.pid == 0) {
		char b;

		close(p[1]);
		while (read(p[0], &b, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	c.fd = p[1];
	rt_proc_identity(c.pid, c.identity);
	cr_assert_neq(c.identity[0], '\0');
	return c;
}

static void end_child(child *c)
{
	int status;

	close(c->fd);
	cr_assert_eq(waitpid(c->pid, &status, 0), c->pid);
	cr_assert(!kill(c->pid, 0) ? 0 : errno == ESRCH);
}

#define STARTED "2024-01-02 03:04:05.000000+00:00"

/* A log row for b (a -> b) written by another run. */
static void insert_log(env *e, const char *status, const char *host, long pid,
		       const char *message)
{
	char *sql = sqlite3_mprintf(
	    "INSERT INTO retort_log (revision, direction, from_revisions, "
	    "to_revisions, checksum, status, started_at, duration_ms, "
	    "db_user, retort_version, host, pid, message) VALUES ('b', "
	    "'upgrade', 'a', 'b', NULL, %Q, '" STARTED "', 0, 'u', '0.1.0', "
	    "%Q, %ld, %Q)",
	    status, host, pid, message);

	x(e, sql);
	sqlite3_free(sql);
}

static void this_host(char host[256])
{
	memset(host, 0, 256);
	cr_assert_eq(gethostname(host, 255), 0);
}

static void dead_message(rt_str *msg, const char *host, long pid)
{
	rt_str_clear(msg);
	rt_str_printf(msg,
		      "the database is dirty: upgrade of revision b "
		      "(transaction:false) started at " STARTED " by %s pid "
		      "%ld, which is no longer running, and never finished; "
		      "check what it did, fix the database by hand, then run "
		      "'retort repair'",
		      host, pid);
}

Test(runner, run_of_a_dead_process_leaves_the_database_dirty)
{
	retort_repair_result res;
	rt_str msg = RT_STR_INIT;
	char host[256];
	child c;
	env e;

	this_host(host);
	ENV(&e, NOTX_OK, NULL);
	OK(upgrade(&e, "a"), &e);
	c = start_child();
	end_child(&c);
	insert_log(&e, "running", host, (long)c.pid, c.identity);
	cr_assert_eq(upgrade(&e, "head"), RETORT_EDIRTY);
	dead_message(&msg, host, (long)c.pid);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	EXPECT_ROWS(&e, "a");
	cr_assert_eq(repair(&e, 0, &res), 0, "%s", retort_errmsg(e.r));
	cr_assert_eq(res.runs, 1);
	EXPECT_Q(&e, "SELECT status FROM retort_log ORDER BY id",
		 "ok\nrepaired");
	OK(upgrade(&e, "head"), &e);
	EXPECT_ROWS(&e, "b");
	rt_str_dispose(&msg);
	env_free(&e);
}

Test(runner, run_of_a_live_process_is_waited_for_and_not_repaired)
{
	retort_repair_result res;
	rt_str msg = RT_STR_INIT;
	char host[256];
	child c;
	env e;

	this_host(host);
	ENV(&e, NOTX_OK, "lock_timeout = 0\n");
	OK(upgrade(&e, "a"), &e);
	c = start_child();
	insert_log(&e, "running", host, (long)c.pid, c.identity);
	cr_assert_eq(upgrade(&e, "head"), RETORT_ELOCKED);
	rt_str_printf(&msg,
		      "gave up after lock_timeout (0 s) waiting: upgrade of "
		      "revision b (transaction:false) is being run by pid %ld "
		      "on this host since " STARTED "; if that process is "
		      "stuck, stop it: the database is then dirty and 'retort "
		      "repair' clears it after you check its work",
		      (long)c.pid);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	EXPECT_EVENTS(&e, "");
	EXPECT_ROWS(&e, "a");
	cr_assert_eq(repair(&e, 0, &res), RETORT_ERROR);
	rt_str_clear(&msg);
	rt_str_printf(&msg,
		      "not repairing: upgrade of revision b "
		      "(transaction:false) is still being run by pid %ld on "
		      "this host (started " STARTED "); wait for it to "
		      "finish, or stop it and run 'retort repair' again",
		      (long)c.pid);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	EXPECT_Q(&e, "SELECT status FROM retort_log ORDER BY id",
		 "ok\nrunning");
	/* once it is gone, the row is a dead run's */
	end_child(&c);
	cr_assert_eq(repair(&e, 0, &res), 0, "%s", retort_errmsg(e.r));
	cr_assert_eq(res.runs, 1);
	EXPECT_Q(&e, "SELECT status FROM retort_log ORDER BY id",
		 "ok\nrepaired");
	rt_str_dispose(&msg);
	env_free(&e);
}

/* b's section runs until it is killed */
static const rf_rev NOTX_SLOW[] = {
	{ "a", "", "CREATE TABLE ta (x INTEGER);", "DROP TABLE ta;" },
	{ "b", "a",
	  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
	  "WHERE i < 4000000000) SELECT count(*) FROM n;",
	  NULL, 1 },
};

Test(runner, killed_transaction_false_run_is_live_then_dirty)
{
	char host[256], identity[RT_PROC_IDENTITY_MAX];
	retort_repair_result res;
	rt_str msg = RT_STR_INIT;
	char *row = NULL, *started;
	int status, tries;
	pid_t pid, parent;
	env e;

	this_host(host);
	ENV(&e, NOTX_SLOW, NULL);
	OK(upgrade(&e, "a"), &e);
	parent = getpid();
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* never outlive the test */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		_exit(upgrade(&e, "head") < 0 ? 1 : 0);
	}
	test_child = pid;
	/* the child commits a "running" row naming itself, then runs the
	 * section outside a transaction */
	rt_str_printf(&msg,
		      "SELECT count(*) FROM retort_log WHERE status = "
		      "'running' AND pid = %ld",
		      (long)pid);
	for (tries = 0; tries < 6000; tries++) {
		free(row);
		row = q(&e, rt_str_cstr(&msg));
		if (!strcmp(row, "1"))
			break;
		usleep(10000);
	}
	cr_assert_str_eq(row, "1", "no running row after 60 s");
	free(row);
	rt_proc_identity(pid, identity);
	rt_str_clear(&msg);
	rt_str_printf(&msg, "b|upgrade|a|b|running|%s|%ld|%s", host, (long)pid,
		      identity);
	EXPECT_Q(&e,
		 "SELECT revision, direction, from_revisions, to_revisions, "
		 "status, host, pid, message FROM retort_log WHERE id = 2",
		 rt_str_cstr(&msg));
	started = q(&e, "SELECT started_at FROM retort_log WHERE id = 2");

	/* while it runs: others wait for it, repair refuses */
	env_open(&e, NOTX_SLOW, RF_N(NOTX_SLOW), "lock_timeout = 0\n");
	cr_assert_eq(upgrade(&e, "head"), RETORT_ELOCKED);
	rt_str_clear(&msg);
	rt_str_printf(&msg,
		      "gave up after lock_timeout (0 s) waiting: upgrade of "
		      "revision b (transaction:false) is being run by pid %ld "
		      "on this host since %s; if that process is stuck, stop "
		      "it: the database is then dirty and 'retort repair' "
		      "clears it after you check its work",
		      (long)pid, started);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	cr_assert_eq(repair(&e, 0, &res), RETORT_ERROR);

	/* killed: the database is dirty */
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	test_child = 0;
	cr_assert(WIFSIGNALED(status));
	cr_assert_eq(upgrade(&e, "head"), RETORT_EDIRTY);
	rt_str_clear(&msg);
	rt_str_printf(&msg,
		      "the database is dirty: upgrade of revision b "
		      "(transaction:false) started at %s by %s pid %ld, which "
		      "is no longer running, and never finished; check what "
		      "it did, fix the database by hand, then run 'retort "
		      "repair'",
		      started, host, (long)pid);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	EXPECT_ROWS(&e, "a");
	cr_assert_eq(repair(&e, 0, &res), 0, "%s", retort_errmsg(e.r));
	cr_assert_eq(res.runs, 1);
	EXPECT_Q(&e, LOG_SUMMARY,
		 "a|upgrade||a|ok\n"
		 "b|upgrade|a|b|repaired");
	free(started);
	rt_str_dispose(&msg);
	env_free(&e);
}

/* ------------------------------------------------------------------ */
/* rt_runner_* directly */

Test(runner_direct, open_takes_the_project_settings)
{
	char host[256];
	rt_runner rn;
	env e;

	this_host(host);
	ENV(&e, CHAIN,
	    "version_table = Versions\nlog_table = run_log\n"
	    "transaction_per_migration = false\nlock_timeout = 5\n");
	cr_assert_eq(rt_runner_open(&rn, e.r, 0, NULL), 0, "%s",
		     retort_errmsg(e.r));
	cr_assert_not_null(rn.conn);
	cr_assert_eq(rn.drv->dialect, RT_DIALECT_SQLITE);
	cr_assert_str_eq(rn.table, "Versions");
	cr_assert_str_eq(rn.log_table, "run_log");
	cr_assert_null(rn.schema);
	cr_assert_str_eq(rt_str_cstr(&rn.vt), "\"Versions\"");
	cr_assert_str_eq(rt_str_cstr(&rn.lt), "run_log");
	cr_assert_eq(rn.per_migration, 0);
	cr_assert_eq(rn.lock_timeout_ms, 5000.0);
	cr_assert_eq(rn.readonly, 0);
	cr_assert_eq(rn.missing, 0);
	cr_assert_eq(rn.locked, 0);
	cr_assert_eq(rn.in_tx, 0);
	cr_assert_eq(rn.tables_ready, 0);
	cr_assert_str_eq(rn.host, host);
	rt_runner_close(&rn);
	cr_assert_null(rn.conn);
	/* a writing open creates the file */
	cr_assert_eq(access(e.db, F_OK), 0);

	env_open(&e, CHAIN, RF_N(CHAIN), NULL);
	cr_assert_eq(rt_runner_open(&rn, e.r, 0, NULL), 0);
	cr_assert_str_eq(rt_str_cstr(&rn.vt), "retort_version");
	cr_assert_str_eq(rt_str_cstr(&rn.lt), "retort_log");
	cr_assert_eq(rn.per_migration, 1);
	cr_assert_eq(rn.lock_timeout_ms, 60000.0);
	rt_runner_close(&rn);
	env_free(&e);
}

Test(runner_direct, readonly_open_of_a_missing_database_creates_nothing)
{
	rt_heads heads = { 0 };
	rt_runner rn;
	env e;

	ENV(&e, CHAIN, NULL);
	cr_assert_eq(rt_runner_open(&rn, e.r, 1, NULL), 0, "%s",
		     retort_errmsg(e.r));
	cr_assert_eq(rn.missing, 1);
	cr_assert_eq(rn.readonly, 1);
	cr_assert_null(rn.conn);
	cr_assert_eq(rt_runner_read_heads(&rn, &heads), 0);
	cr_assert_eq(heads.n, 0);
	cr_assert_eq(rt_runner_check_dirty(&rn), 0);
	rt_runner_close(&rn);
	rt_heads_free(&heads);
	cr_assert_eq(access(e.db, F_OK), -1);
	env_free(&e);
}

Test(runner, log_table_of_an_earlier_retort_gets_the_progress_columns)
{
	env e;
	FILE *f;

	ENV(&e, CHAIN, NULL);
	/* the log table as retort made it before statement progress (an
	 * empty file is an empty SQLite database) */
	f = fopen(e.db, "w");
	cr_assert_not_null(f);
	fclose(f);
	x(&e, "CREATE TABLE retort_version (version_num VARCHAR(255) NOT "
	      "NULL, CONSTRAINT retort_version_pkc PRIMARY KEY "
	      "(version_num));"
	      "CREATE TABLE retort_log (id INTEGER PRIMARY KEY "
	      "AUTOINCREMENT, revision VARCHAR(255), direction VARCHAR(16) "
	      "NOT NULL, from_revisions TEXT NOT NULL, to_revisions TEXT NOT "
	      "NULL, checksum VARCHAR(64), status VARCHAR(16) NOT NULL, "
	      "started_at TIMESTAMP NOT NULL, duration_ms DOUBLE PRECISION, "
	      "db_user VARCHAR(255), retort_version VARCHAR(32) NOT NULL, "
	      "host VARCHAR(255), pid INTEGER, message TEXT)");
	/* reading does not change it */
	EXPECT_CURRENT(&e, "");
	EXPECT_Q(&e,
		 "SELECT count(*) FROM pragma_table_info('retort_log') WHERE "
		 "name LIKE 'statements%'",
		 "0");
	/* the first write adds them, once */
	OK(upgrade(&e, "head"), &e);
	EXPECT_Q(
	    &e,
	    "SELECT group_concat(name) FROM pragma_table_info('retort_log') "
	    "WHERE name LIKE 'statements%'",
	    "statements_done,statements_sum");
	OK(downgrade(&e, "base"), &e);
	EXPECT_ROWS(&e, "");
	env_free(&e);
}

Test(runner_direct, ensure_tables_creates_both_tables_once)
{
	rt_heads heads = { 0 };
	rt_runner rn, rn2;
	env e;

	ENV(&e, CHAIN, NULL);
	cr_assert_eq(rt_runner_open(&rn, e.r, 0, NULL), 0);
	/* before: no rows, not dirty, and reading creates nothing */
	cr_assert_eq(rt_runner_read_heads(&rn, &heads), 0);
	cr_assert_eq(heads.n, 0);
	cr_assert_eq(rt_runner_check_dirty(&rn), 0);
	EXPECT_Q(&e, USER_TABLES, "");
	cr_assert_eq(rt_runner_ensure_tables(&rn), 0, "%s", retort_errmsg(e.r));
	cr_assert_eq(rn.tables_ready, 1);
	EXPECT_Q(&e, USER_TABLES,
		 "table|retort_log\n"
		 "index|retort_log_unfinished\n"
		 "table|retort_version");
	EXPECT_Q(&e,
		 "SELECT sql FROM sqlite_schema WHERE name = "
		 "'retort_version'",
		 "CREATE TABLE retort_version (\n"
		 "    version_num VARCHAR(255) NOT NULL,\n"
		 "    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)\n"
		 ")");
	EXPECT_Q(&e, "SELECT name FROM pragma_table_info('retort_log')",
		 "id\nrevision\ndirection\nfrom_revisions\nto_revisions\n"
		 "checksum\nstatus\nstarted_at\nduration_ms\ndb_user\n"
		 "retort_version\nhost\npid\nmessage\nstatements_done\n"
		 "statements_sum");
	EXPECT_Q(&e,
		 "SELECT sql FROM sqlite_schema WHERE name = "
		 "'retort_log_unfinished'",
		 "CREATE INDEX retort_log_unfinished ON retort_log (status) "
		 "WHERE status IN ('running', 'failed')");
	/* again, and from another runner: nothing to do, no error */
	cr_assert_eq(rt_runner_ensure_tables(&rn), 0);
	cr_assert_eq(rt_runner_open(&rn2, e.r, 0, NULL), 0);
	cr_assert_eq(rt_runner_ensure_tables(&rn2), 0, "%s",
		     retort_errmsg(e.r));
	cr_assert_eq(rt_runner_read_heads(&rn2, &heads), 0);
	cr_assert_eq(heads.n, 0);
	rt_runner_close(&rn2);
	rt_runner_close(&rn);
	rt_heads_free(&heads);
	EXPECT_Q(&e, "SELECT count(*) FROM sqlite_schema", "5");
	env_free(&e);
}

Test(runner_direct, read_heads_reads_every_version_row)
{
	rt_heads heads = { 0 };
	rt_runner rn;
	env e;

	ENV(&e, CHAIN, "version_table = Versions\n");
	cr_assert_eq(rt_runner_open(&rn, e.r, 0, NULL), 0);
	cr_assert_eq(rt_runner_ensure_tables(&rn), 0);
	x(&e, "INSERT INTO \"Versions\" VALUES ('y'), ('x')");
	cr_assert_eq(rt_runner_read_heads(&rn, &heads), 0);
	cr_assert_eq(heads.n, 2);
	cr_assert((!strcmp(heads.v[0], "x") && !strcmp(heads.v[1], "y")) ||
		      (!strcmp(heads.v[0], "y") && !strcmp(heads.v[1], "x")),
		  "%s %s", heads.v[0], heads.v[1]);
	/* a second read replaces the list */
	x(&e, "DELETE FROM \"Versions\" WHERE version_num = 'x'");
	cr_assert_eq(rt_runner_read_heads(&rn, &heads), 0);
	cr_assert_eq(heads.n, 1);
	cr_assert_str_eq(heads.v[0], "y");
	rt_runner_close(&rn);
	rt_heads_free(&heads);
	env_free(&e);
}

Test(runner_direct, check_dirty_finished_and_failed_rows)
{
	rt_runner rn;
	env e;

	ENV(&e, NOTX_OK, NULL);
	OK(upgrade(&e, "a"), &e);
	cr_assert_eq(rt_runner_open(&rn, e.r, 0, NULL), 0);
	/* ok and repaired rows are clean */
	cr_assert_eq(rt_runner_check_dirty(&rn), 0);
	insert_log(&e, "repaired", "elsewhere", 1, NULL);
	cr_assert_eq(rt_runner_check_dirty(&rn), 0);
	insert_log(&e, "failed", "elsewhere", 1, "boom");
	cr_assert_eq(rt_runner_check_dirty(&rn), RETORT_EDIRTY);
	cr_assert_str_eq(retort_errmsg(e.r),
			 "the database is dirty: upgrade of revision b "
			 "(transaction:false) failed at " STARTED ": boom; fix "
			 "the database by hand, then run 'retort repair'");
	rt_runner_close(&rn);
	env_free(&e);
}

static void clear_unfinished(env *e)
{
	x(e, "UPDATE retort_log SET status = 'repaired' WHERE status IN "
	     "('running', 'failed')");
}

Test(runner_direct, check_dirty_running_rows)
{
	char host[256], mine[RT_PROC_IDENTITY_MAX];
	rt_str msg = RT_STR_INIT;
	rt_runner rn;
	child c, dead;
	env e;

	this_host(host);
	ENV(&e, NOTX_OK, NULL);
	OK(upgrade(&e, "a"), &e);
	cr_assert_eq(rt_runner_open(&rn, e.r, 0, NULL), 0);
	c = start_child();
	dead = start_child();
	end_child(&dead);

	/* a live process on this host: wait for it */
	insert_log(&e, "running", host, (long)c.pid, c.identity);
	cr_assert_eq(rt_runner_check_dirty(&rn), 1);
	rt_str_printf(&msg,
		      "upgrade of revision b (transaction:false) is being run "
		      "by pid %ld on this host since " STARTED,
		      (long)c.pid);
	cr_assert_str_eq(rt_str_cstr(&rn.busy), rt_str_cstr(&msg));
	/* a row without an identity (any live pid counts) */
	clear_unfinished(&e);
	insert_log(&e, "running", host, (long)c.pid, NULL);
	cr_assert_eq(rt_runner_check_dirty(&rn), 1);

	/* the pid now belongs to another process */
	clear_unfinished(&e);
	insert_log(&e, "running", host, (long)c.pid, "boot x start 1");
	cr_assert_eq(rt_runner_check_dirty(&rn), RETORT_EDIRTY);
	dead_message(&msg, host, (long)c.pid);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	/* another host's process cannot be checked */
	clear_unfinished(&e);
	insert_log(&e, "running", "elsewhere", (long)c.pid, c.identity);
	cr_assert_eq(rt_runner_check_dirty(&rn), RETORT_EDIRTY);
	cr_assert(strstr(retort_errmsg(e.r),
			 "on another host, elsewhere, where retort cannot "
			 "tell whether it still runs, and never finished: if "
			 "it still runs, wait for it;"),
		  "%s", retort_errmsg(e.r));
	/* this process never waits for itself */
	clear_unfinished(&e);
	rt_proc_identity(getpid(), mine);
	insert_log(&e, "running", host, (long)getpid(), mine);
	cr_assert_eq(rt_runner_check_dirty(&rn), RETORT_EDIRTY);
	/* a process that exited */
	clear_unfinished(&e);
	insert_log(&e, "running", host, (long)dead.pid, dead.identity);
	cr_assert_eq(rt_runner_check_dirty(&rn), RETORT_EDIRTY);
	dead_message(&msg, host, (long)dead.pid);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));
	/* the oldest unfinished row decides */
	insert_log(&e, "running", host, (long)c.pid, c.identity);
	cr_assert_eq(rt_runner_check_dirty(&rn), RETORT_EDIRTY);
	cr_assert_str_eq(retort_errmsg(e.r), rt_str_cstr(&msg));

	clear_unfinished(&e);
	cr_assert_eq(rt_runner_check_dirty(&rn), 0);
	end_child(&c);
	rt_runner_close(&rn);
	rt_str_dispose(&msg);
	env_free(&e);
}
