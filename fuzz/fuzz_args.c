/* SPDX-License-Identifier: MIT */
/*
 * fuzz_args.c: libFuzzer target for the command line (cli/opt.c, the
 * commands' option tables and argument checks, the --url password scrub
 * of cli/scrub.c) and for identifier resolution (retort_resolve,
 * retort_history and the plan functions of include/retort.h).
 *
 * The input is split on '\n' into arguments (a trailing '\n' ends the last
 * one; at most 64), so corpus files read as one argument a line. Then:
 *  1. the whole program runs, as `retort ARGS...`, through cli_main()
 *     (cli/main.c compiled with RETORT_CLI_NO_MAIN), and once more as
 *     `retort NAME ARGS...` for every command NAME of the command table, so
 *     that each command's option table parses the arguments;
 *  2. every argument is resolved as an identifier, used as a history range
 *     and as an upgrade, downgrade and stamp target, through the public API;
 *  3. every argument that holds "://" or '=' (a URL, or maybe libpq's
 *     key/value string) is scrubbed as --url values are.
 * The project is always a small in-memory one (sources and config text,
 * url sqlite://): open_project_hook replaces whatever -c, -n or --url say,
 * so no input can reach a file, a server or the network. Commands that
 * write files or start programs (init, revision, merge, edit, dump, and
 * lint, whose --base runs git) only
 * run with --help inserted right after their name, which is parsed first.
 * stdout and stderr are pointed at /dev/null during a run (glibc lets the
 * streams be assigned); sanitizer reports still reach fd 2.
 *
 * Whatever the bytes, nothing may crash, leak or read out of bounds, and:
 *  - cli_main returns an exit status of 0, 1, 2 or 3;
 *  - the API returns 0, or a negative code with a non-empty one-line
 *    message; resolved revisions have ids; a plan's steps are counted;
 *  - a URL that parses still parses after the scrub, to the same parts,
 *    with a password (and password= parameters) of '*' only, and only
 *    password bytes changed.
 *
 * A broken invariant aborts with a message (not assert(): the fuzz build
 * is RelWithDebInfo, which defines NDEBUG).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "project/url.h"
#include "retort.h"
#include "util/err.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_ARGS 64

static FILE *real_stderr;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(real_stderr ? real_stderr : stderr,        \
				"%s:%d: invariant failed: %s\n", __FILE__, \
				__LINE__, #cond);                          \
			abort();                                           \
		}                                                          \
	} while (0)

/* A small graph: a branch point, a merge, labels, a dependency, a second
 * root. */
#define REV(id, revises, labels, depends)                                 \
	"-- rev " id "\n--\n-- Revision ID: " id "\n-- Revises: " revises \
	"\n-- Create Date: 2024-01-02 03:04:05.000000\n-- Branch "        \
	"Labels: " labels "\n-- Depends On: " depends                     \
	"\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\n"     \
	"SELECT 2;\n"

static const char *const source_text[][2] = {
	{ "a1b2c3d4e5f6_a.sql", REV("a1b2c3d4e5f6", "", "", "") },
	{ "b.sql", REV("b2c3d4e5f6a7", "a1b2c3d4e5f6", "", "") },
	{ "c.sql", REV("c3d4e5f6a7b8", "b2c3d4e5f6a7", "lib", "") },
	{ "d.sql", REV("d4e5f6a7b8c9", "b2c3d4e5f6a7", "", "") },
	{ "e.sql", REV("e5f6a7b8c9d0", "c3d4e5f6a7b8, d4e5f6a7b8c9", "", "") },
	{ "f.sql", REV("f6", "e5f6a7b8c9d0", "", "") },
	{ "x.sql", REV("x001", "", "other", "") },
	{ "y.sql", REV("x002", "x001", "", "c3d4e5f6a7b8") },
};
#define NSOURCES (sizeof(source_text) / sizeof(source_text[0]))

static retort_source sources[NSOURCES];

static const char config_text[] = "[retort]\n"
				  "script_location = migrations\n"
				  "url = sqlite://\n"
				  "lock_timeout = 1\n";

static void hook(retort_open_options *o)
{
	o->config_path = NULL;
	o->config_text = config_text;
	o->url = NULL; /* never a server: the config's in-memory sqlite */
	o->sources = sources;
	o->source_count = NSOURCES;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	for (i = 0; i < NSOURCES; i++) {
		sources[i].name = source_text[i][0];
		sources[i].text = source_text[i][1];
		sources[i].len = strlen(source_text[i][1]);
	}
	open_project_hook = hook;
	unsetenv("RETORT_CONFIG");
	unsetenv("DATABASE_URL");
	setenv("VISUAL", "false", 1);
	setenv("EDITOR", "false", 1);
	return 0;
}

/* Commands that write files or start programs. */
static int dangerous(const char *a)
{
	static const char *const words[] = { "init", "revision", "merge",
					     "edit", "dump",	 "lint" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(a, words[i]))
			return 1;
	return 0;
}

/* Run cli_main on prefix + args, each argument a fresh writable copy, with
 * --help after every dangerous word, and stdout/stderr muted. */
static void run_cli(const char *prefix, char **args, size_t nargs)
{
	static char help[] = "--help";
	char *argv[2 * MAX_ARGS + 4];
	char *copies[MAX_ARGS + 2];
	size_t argc = 0, ncopies = 0, i;
	FILE *out = stdout, *err = stderr, *null;
	int rc;

	if ((null = fopen("/dev/null", "w")) == NULL)
		return;
	argv[argc++] = copies[ncopies++] = strdup("retort");
	if (prefix) {
		argv[argc++] = copies[ncopies++] = strdup(prefix);
		if (dangerous(prefix))
			argv[argc++] = help;
	}
	for (i = 0; i < nargs; i++) {
		argv[argc++] = copies[ncopies++] = strdup(args[i]);
		if (dangerous(args[i]))
			argv[argc++] = help;
	}
	argv[argc] = NULL;
	for (i = 0; i < ncopies; i++)
		if (!copies[i])
			goto done;
	stdout = null;
	stderr = null;
	rc = cli_main((int)argc, argv);
	stdout = out;
	stderr = err;
	CHECK(rc >= 0 && rc <= 3);
done:
	stdout = out;
	stderr = err;
	fclose(null);
	for (i = 0; i < ncopies; i++)
		free(copies[i]);
}

static void check_api(retort *r, int rc)
{
	const char *msg = retort_errmsg(r);

	if (rc == 0)
		return;
	CHECK(rc < 0);
	CHECK(retort_errcode(r) == rc);
	CHECK(msg && *msg);
	if (strchr(msg, '\n')) {
		fprintf(real_stderr, "message: %s\n", msg);
		CHECK(!"an error message is one line");
	}
}

static void check_list(retort_revlist *l)
{
	size_t i;

	for (i = 0; i < retort_revlist_count(l); i++) {
		const retort_revision *rev = retort_revlist_at(l, i);

		CHECK(rev != NULL);
		CHECK(retort_revision_id(rev) && *retort_revision_id(rev));
	}
	retort_revlist_free(l);
}

static void check_plan(retort_plan *p)
{
	size_t i;

	for (i = 0; i < retort_plan_count(p); i++)
		CHECK(retort_plan_step(p, i) != NULL);
	retort_plan_free(p);
}

/* Identifiers through the public API, on the in-memory project. */
static void run_api(char **args, size_t nargs)
{
	static const char *const rows[] = { "f6", "x002" };
	static const char *const mid[] = { "b2c3d4e5f6a7" };
	retort_open_options o = RETORT_OPEN_OPTIONS_INIT;
	retort_revlist *l;
	retort_plan *p;
	retort *r = NULL;
	size_t i;
	int rc;

	hook(&o);
	rc = retort_open(&r, &o);
	CHECK(rc == 0 && r != NULL);
	for (i = 0; i < nargs; i++) {
		const char *a = args[i];

		l = NULL;
		rc = retort_resolve(&l, r, a);
		check_api(r, rc);
		check_list(l);
		l = NULL;
		rc = retort_history(&l, r, a, rows, 2);
		check_api(r, rc);
		check_list(l);
		p = NULL;
		rc = retort_plan_upgrade(&p, r, a, mid, 1);
		check_api(r, rc);
		check_plan(p);
		p = NULL;
		rc = retort_plan_upgrade(&p, r, a, NULL, 0);
		check_api(r, rc);
		check_plan(p);
		p = NULL;
		rc = retort_plan_downgrade(&p, r, a, rows, 2);
		check_api(r, rc);
		check_plan(p);
	}
	if (nargs) {
		p = NULL;
		rc = retort_plan_stamp(&p, r, (const char *const *)args, nargs,
				       mid, 1);
		check_api(r, rc);
		check_plan(p);
	}
	retort_close(r);
}

static int streq_null(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int stars(const char *s)
{
	return s && strspn(s, "*") == strlen(s);
}

/* The --url scrub keeps a parsed URL's parts and blanks its password. */
static void check_scrub(const char *text)
{
	rt_err e1 = RT_ERR_INIT, e2 = RT_ERR_INIT;
	char *s = strdup(text);
	rt_url u, v;
	size_t i, n = strlen(text);

	if (!s)
		return;
	scrub_url_password(s);
	CHECK(strlen(s) == n);
	for (i = 0; i < n; i++)
		CHECK(s[i] == text[i] || s[i] == '*');
	if (rt_url_parse(&u, text, &e1) == 0) {
		if (rt_url_parse(&v, s, &e2) < 0) {
			fprintf(real_stderr,
				"'%s' scrubbed as '%s' fails: %s\n", text, s,
				rt_err_msg(&e2));
			CHECK(!"a scrubbed url parses");
		}
		CHECK(u.dialect == v.dialect);
		CHECK(u.conninfo == v.conninfo);
		CHECK(streq_null(u.ports, v.ports));
		CHECK(streq_null(u.username, v.username));
		CHECK((u.password == NULL) == (v.password == NULL));
		CHECK(!v.password || stars(v.password));
		CHECK(streq_null(u.host, v.host));
		CHECK(u.port == v.port);
		CHECK(streq_null(u.database, v.database));
		CHECK(u.nparams == v.nparams);
		for (i = 0; i < u.nparams; i++) {
			CHECK(strcmp(u.params[i].key, v.params[i].key) == 0);
			if (!strcasecmp(v.params[i].key, "password"))
				CHECK(stars(v.params[i].value));
			else
				CHECK(strcmp(u.params[i].value,
					     v.params[i].value) == 0);
		}
		rt_url_dispose(&u);
		rt_url_dispose(&v);
	}
	rt_err_dispose(&e1);
	rt_err_dispose(&e2);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *args[MAX_ARGS], *p, *nl;
	const cmd_spec *cmd;
	size_t nargs = 0, i;

	if (!real_stderr)
		real_stderr = stderr;
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* arguments: the lines (an argument stops at a NUL byte too) */
	for (p = text; p < text + size && nargs < MAX_ARGS; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + size - p));
		if (!nl)
			nl = text + size;
		*nl = '\0';
		args[nargs++] = p;
	}

	for (i = 0; i < nargs; i++)
		if (strstr(args[i], "://") || strchr(args[i], '='))
			check_scrub(args[i]);
	run_cli(NULL, args, nargs);
	for (cmd = commands; cmd->name; cmd++)
		run_cli(cmd->name, args, nargs);
	run_api(args, nargs);

	free(text);
	return 0;
}
