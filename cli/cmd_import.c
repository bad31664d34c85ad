/* SPDX-License-Identifier: MIT */
/*
 * cmd_import.c: `retort import alembic ALEMBIC_INI [--dialect D]...
 * [--into DIR]`: an Alembic project's revisions as retort revision files.
 *
 * Rendering a revision needs Alembic's own code (its upgrade() is Python),
 * so the work is done by a helper script shipped with retort,
 * share/retort/alembic_import.py, run with Python; retort itself never
 * loads Python, and needs it only for this command. This file finds the
 * interpreter and the script, runs it and passes its exit status on (0
 * done, 3 done with todo markers, 2 nothing written); the script writes
 * the files and its own messages. Orchestration of an outside program is
 * the CLI's job, so the library has no part in it.
 *
 * The interpreter: $RETORT_PYTHON, else python3 on PATH. The script's
 * folder: $RETORT_DATADIR, else ../share/retort beside the executable (an
 * installed retort, and the build tree, where CMake links share/ into the
 * build folder), else the configured install path.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#ifndef RETORT_INSTALL_DATADIR
#define RETORT_INSTALL_DATADIR "/usr/share/retort"
#endif

#define HELPER "alembic_import.py"

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The helper's path into out[PATH_MAX], or 0 when no candidate has it. */
static int find_helper(char *out)
{
	const char *env = getenv("RETORT_DATADIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(out, PATH_MAX, "%s/" HELPER, env);
		return is_file(out);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			int k;

			*slash = '\0';
			k = snprintf(out, PATH_MAX,
				     "%s/../share/retort/" HELPER, exe);
			if (k > 0 && k < PATH_MAX && is_file(out))
				return 1;
		}
	}
	snprintf(out, PATH_MAX, "%s/" HELPER, RETORT_INSTALL_DATADIR);
	return is_file(out);
}

/* Whether `name` runs: a path that is executable, or a command on PATH. */
static int runnable(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[PATH_MAX];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	for (p = path ? path : ""; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p),
			 end > p ? p : ".", name);
		if (access(buf, X_OK) == 0 && is_file(buf))
			return 1;
	}
	return 0;
}

/* execvp() takes char *const[]; the strings are not written to. */
static char *unconst(const char *s)
{
	char *p;

	memcpy(&p, &s, sizeof(p));
	return p;
}

static int run_helper(cli *c, char **args)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return fail_msg(c, EXIT_FAILED, "cannot start %s: %s", args[0],
				strerror(errno));
	if (pid == 0) {
		execvp(args[0], args);
		fprintf(stderr, "retort: cannot run %s: %s\n", args[0],
			strerror(errno));
		_exit(EXIT_USAGE);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail_msg(c, EXIT_FAILED, "waiting for %s: %s",
					args[0], strerror(errno));
	if (WIFEXITED(status)) {
		int rc = WEXITSTATUS(status);

		if (rc == EXIT_OK || rc == EXIT_USAGE || rc == EXIT_PROBLEMS)
			return rc;
		return fail_msg(c, EXIT_FAILED,
				"the import helper %s failed (exit status %d)",
				args[1], rc);
	}
	return fail_msg(c, EXIT_FAILED,
			"the import helper %s was killed by "
			"signal %d",
			args[1], WTERMSIG(status));
}

int cmd_import(cli *c, int argc, char **argv)
{
	const char *into = "migrations/versions", *config, *python;
	strlist pos = { 0 }, dialects = { 0 };
	const opt_spec opts[] = {
		{ "dialect", 0, OPT_LIST, &dialects, "DIALECT",
		  "render for sqlite, postgresql or mysql (repeatable; "
		  "default sqlite)" },
		{ "into", 0, OPT_STRING, &into, "DIR",
		  "folder for the revision files (default "
		  "migrations/versions)" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	char helper[PATH_MAX];
	char **args;
	size_t i, n = 0;
	int rc;

	if (opt_parse(c, "import", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("import"), opts);
		return EXIT_OK;
	}
	if (pos.n != 2)
		return fail_msg(c, EXIT_USAGE,
				"import takes a source and its project: "
				"import alembic ALEMBIC_INI");
	if (strcmp(pos.v[0], "alembic"))
		return fail_msg(c, EXIT_USAGE,
				"import: unknown source '%s' (only 'alembic')",
				pos.v[0]);
	python = getenv("RETORT_PYTHON");
	if (!python || !*python)
		python = "python3";
	if (!runnable(python))
		return fail_msg(c, EXIT_USAGE,
				"%s not found: import runs Alembic, which "
				"needs Python 3 (install python3 and "
				"python3-alembic, or set RETORT_PYTHON)",
				python);
	if (!find_helper(helper))
		return fail_msg(c, EXIT_USAGE,
				"%s not found (is retort installed completely? "
				"RETORT_DATADIR names the folder that has it)",
				helper);
	config = c->config ? c->config : getenv("RETORT_CONFIG");
	if (!config || !*config)
		config = "retort.ini";
	args = calloc(13 + 2 * dialects.n, sizeof(*args));
	if (!args)
		return fail_msg(c, EXIT_FAILED, "out of memory");
	args[n++] = unconst(python);
	args[n++] = unconst(helper);
	args[n++] = unconst("--into");
	args[n++] = unconst(into);
	args[n++] = unconst("--config");
	args[n++] = unconst(config);
	for (i = 0; i < dialects.n; i++) {
		args[n++] = unconst("--dialect");
		args[n++] = unconst(dialects.v[i]);
	}
	if (c->quiet)
		args[n++] = unconst("--quiet");
	if (c->section) {
		args[n++] = unconst("--section");
		args[n++] = unconst(c->section);
	}
	args[n++] = unconst("--");
	args[n++] = unconst(pos.v[1]);
	args[n] = NULL;
	rc = run_helper(c, args);
	free(args);
	return rc;
}
