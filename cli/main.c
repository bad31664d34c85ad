/* SPDX-License-Identifier: MIT */
/*
 * main.c: the retort command: global options, then one command from the
 * table below. Everything else lives in cmd_<name>.c.
 *
 * cli_main() is the whole program for one argv; main() only calls it
 * (fuzz/fuzz_args.c compiles this file with RETORT_CLI_NO_MAIN and calls
 * cli_main() itself). Everything the option parser allocated is freed at
 * its one exit, by opt_free().
 *
 * SIGINT and SIGTERM: while a project is open (open_project ..
 * close_project), the handler asks the library to stop
 * (retort_interrupt: the statement in flight is cancelled on the server,
 * the revision rolled back, the lock released); the command then reports
 * the library's message and retort exits with 128 + the signal (130,
 * 143). A second signal, or one while no project is open, ends the
 * process at once. A signal that was ignored when retort started stays
 * ignored.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

const cmd_spec commands[] = {
	{ "init", cmd_init, "init DIR",
	  "create retort.ini, DIR/script.sql.tmpl and DIR/versions/" },
	{ "revision", cmd_revision, "revision -m MESSAGE [options]",
	  "create a new revision file" },
	{ "merge", cmd_merge, "merge REVISIONS... -m MESSAGE",
	  "create a revision that merges REVISIONS (or 'heads')" },
	{ "upgrade", cmd_upgrade, "upgrade [--sql | --dry-run] TARGET",
	  "apply revisions up to TARGET (e.g. head)" },
	{ "downgrade", cmd_downgrade, "downgrade [--sql | --dry-run] TARGET",
	  "revert revisions down to TARGET (e.g. -1, base)" },
	{ "stamp", cmd_stamp, "stamp [--sql | --dry-run] [--purge] TARGETS...",
	  "set the version table without running SQL" },
	{ "current", cmd_current, "current [-v] [--check-heads]",
	  "show the revisions the database is at" },
	{ "status", cmd_status, "status",
	  "show every revision: applied or pending, when, checksum; dirty "
	  "state" },
	{ "heads", cmd_heads, "heads [-v] [--resolve-dependencies]",
	  "show the head revisions" },
	{ "branches", cmd_branches, "branches [-v]", "show branch points" },
	{ "show", cmd_show, "show REV", "show one revision in detail" },
	{ "history", cmd_history, "history [-r START:END] [-v] [-i]",
	  "list revisions, newest first" },
	{ "check", cmd_check, "check",
	  "compare the database at head with the declared schema" },
	{ "test", cmd_test, "test [--data FILE] [--allow-irreversible]",
	  "run every revision up, down and up on a scratch database" },
	{ "dump", cmd_dump, "dump [-o FILE]",
	  "write the database's schema as SQL" },
	{ "repair", cmd_repair, "repair [--checksums]",
	  "clear the dirty state after fixing a failed revision by hand" },
	{ "validate", cmd_validate, "validate [--no-database]",
	  "check revision files, the graph and applied checksums" },
	{ "lint", cmd_lint, "lint [RANGE] [--no-database] [--base REF]",
	  "report risky statements in revisions (locks, data loss)" },
	{ "import", cmd_import,
	  "import alembic ALEMBIC_INI [--dialect D]... [--into DIR]",
	  "convert an Alembic project's revisions into revision files" },
	{ "edit", cmd_edit, "edit REV", "open a revision in $VISUAL/$EDITOR" },
	{ "help", cmd_help, "help [COMMAND]", "show help" },
	{ NULL, NULL, NULL, NULL },
};

static cli g_cli;

/* the open handle, for the signal handler */
static _Atomic(retort *) g_handle;
static volatile sig_atomic_t g_signal;

static void on_signal(int sig)
{
	retort *r = atomic_load(&g_handle);

	if (g_signal || !r) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	g_signal = sig;
	retort_interrupt(r);
}

void watch_interrupts(retort *r)
{
	atomic_store(&g_handle, r);
}

/* A signal ignored when retort started stays ignored (a shell ignores
 * SIGINT in background jobs, nohup SIGHUP), as Unix programs do. */
static void install_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	struct sigaction sa, old;
	size_t k;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: sleeps and waits end early */
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		if (sigaction(sigs[k], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(sigs[k], &sa, NULL);
}

const opt_spec global_opts[] = {
	{ "config", 'c', OPT_STRING, &g_cli.config, "FILE",
	  "config file (default: $RETORT_CONFIG, else retort.ini here or in "
	  "a parent folder)" },
	{ "name", 'n', OPT_STRING, &g_cli.section, "NAME",
	  "config section to use (default: retort)" },
	{ "url", 0, OPT_URL, &g_cli.url, "URL",
	  "database url (overrides url; its password is hidden from ps)" },
	{ NULL, 'x', OPT_LIST, &g_cli.x, "KEY=VALUE",
	  "a value for ${KEY} in script.sql.tmpl (repeatable)" },
	{ "wait-for-db", 0, OPT_STRING, &g_cli.wait_for_db, "SECONDS",
	  "retry connecting for up to SECONDS while the server is not up yet "
	  "(not after a refused login)" },
	{ "quiet", 'q', OPT_FLAG, &g_cli.quiet, NULL,
	  "no progress or informational messages" },
	{ "json", 0, OPT_FLAG, &g_cli.json, NULL,
	  "report as JSON (reporting commands)" },
	{ "color", 0, OPT_STRING, &g_cli.color_mode, "WHEN",
	  "auto, always or never (NO_COLOR is respected)" },
	{ "version", 0, OPT_FLAG, &g_cli.version, NULL, "print the version" },
	{ "help", 'h', OPT_FLAG, &g_cli.help, NULL, "show help" },
	{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
};

/* Hidden: not in commands[], so neither listed nor suggested. */
static const cmd_spec complete_command = {
	"__complete", cmd_complete,
	"__complete bash|zsh|fish|commands|options [COMMAND]|usage "
	"COMMAND|revisions",
	"describe the command line to shells (completions) and the build"
};

const cmd_spec *find_command(const char *name)
{
	const cmd_spec *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	if (!strcmp(name, complete_command.name))
		return &complete_command;
	return NULL;
}

void print_unknown_command(const char *name)
{
	const char *names[sizeof(commands) / sizeof(commands[0])], *near[64];
	size_t n = 0, k;
	const cmd_spec *c;

	for (c = commands; c->name; c++)
		names[n++] = c->name;
	k = opt_similar(name, strlen(name), names, n, near);
	if (!k) {
		fprintf(stderr,
			"retort: unknown command '%s' (see 'retort --help')\n",
			name);
		return;
	}
	fprintf(stderr, "retort: '%s' is not a retort command. Did you mean ",
		name);
	opt_print_choices(stderr, "", near, k);
	fputs("?\n", stderr);
}

static void usage(FILE *f)
{
	const cmd_spec *c;
	const opt_spec *o;

	fprintf(f, "usage: retort [global options] COMMAND [options]\n\n"
		   "Commands:\n");
	for (c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nGlobal options:\n");
	for (o = global_opts; o->target; o++) {
		char left[40];

		if (o->name && o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 o->short_name, o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else if (o->name)
			snprintf(left, sizeof(left), "--%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "-%c %s", o->short_name,
				 o->arg ? o->arg : "");
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
	fprintf(f, "\nExit status: 0 ok, 1 failed, 2 usage or configuration "
		   "error, 3 problems found.\nSee 'retort help COMMAND'.\n");
}

static int resolve_color(const char *mode, int fd)
{
	const char *nc = getenv("NO_COLOR");

	if (!mode || !strcmp(mode, "auto"))
		return !(nc && *nc) && isatty(fd) && getenv("TERM") &&
		       strcmp(getenv("TERM"), "dumb");
	if (!strcmp(mode, "always"))
		return 1;
	return 0;
}

static int run(int argc, char **argv)
{
	const cmd_spec *cmd;
	int i;

	/* global options up to the command name */
	i = opt_parse_globals(&g_cli, argc, argv);
	if (i < 0)
		return EXIT_USAGE;
	if (g_cli.color_mode && strcmp(g_cli.color_mode, "auto") &&
	    strcmp(g_cli.color_mode, "always") &&
	    strcmp(g_cli.color_mode, "never")) {
		fprintf(stderr,
			"retort: --color must be auto, always or never, not "
			"'%s'\n",
			g_cli.color_mode);
		return EXIT_USAGE;
	}
	g_cli.color = resolve_color(g_cli.color_mode, 1);
	g_cli.color_err = resolve_color(g_cli.color_mode, 2);
	if (g_cli.version) {
		printf("retort %s\n", retort_version());
		return EXIT_OK;
	}
	if (i >= argc) {
		if (g_cli.help) {
			usage(stdout);
			return EXIT_OK;
		}
		fprintf(stderr, "retort: no command given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		print_unknown_command(argv[i]);
		return EXIT_USAGE;
	}
	g_cli.command = cmd->name;
	if (g_cli.help) {
		static char help_word[] = "help";
		char *hargv[2] = { help_word, argv[i] };

		return cmd_help(&g_cli, 2, hargv);
	}
	install_handlers();
	{
		int rc = cmd->fn(&g_cli, argc - i, argv + i);

		watch_interrupts(NULL);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "retort: cannot write to stdout\n");
			return rc ? rc : EXIT_FAILED;
		}
		if (g_signal)
			return 128 + g_signal;
		return rc;
	}
}

int cli_main(int argc, char **argv)
{
	int rc;

	memset(&g_cli, 0, sizeof(g_cli));
	rc = run(argc, argv);
	opt_free(&g_cli);
	return rc;
}

#ifndef RETORT_CLI_NO_MAIN
int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
#endif
