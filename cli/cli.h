/* SPDX-License-Identifier: MIT */
/*
 * cli.h: what the command files share: the parsed global options, the
 * option parser, output helpers and the command entry points.
 *
 * Every command is `int cmd_NAME(cli *c, int argc, char **argv)` and
 * returns the process exit status: 0 success, 1 the operation failed,
 * 2 usage/configuration/file error, 3 check/validate found problems.
 * Only include/retort.h is used: the CLI is a client of the library.
 */
#ifndef RETORT_CLI_H
#define RETORT_CLI_H

#include <stdio.h>

#include "retort.h"

#define EXIT_OK	      0
#define EXIT_FAILED   1
#define EXIT_USAGE    2
#define EXIT_PROBLEMS 3

typedef struct strlist {
	const char **v;
	size_t n;
} strlist;

typedef struct cli {
	const char *config;
	const char *section;
	const char *url;
	strlist x;
	int quiet;
	int json;
	int color; /* resolved: 1 when stdout gets colours */
	int color_err;
	const char *color_mode;
	const char *wait_for_db; /* --wait-for-db SECONDS, as given */
	int version;
	int help;
	const char *command;
	/* every block the option parser allocated (strlist.v of positionals
	 * and OPT_LIST options, OPT_URL copies): freed by opt_free() only */
	void **owned;
	size_t nowned;
} cli;

/* ---- options ---- */

typedef enum opt_kind {
	OPT_FLAG,   /* int: set to 1 */
	OPT_STRING, /* const char *: last one wins */
	OPT_LIST,   /* strlist: repeatable */
	OPT_URL	    /* const char *: a copy of a database URL, whose password
		     * is then scrubbed from argv (scrub_url_password) */
} opt_kind;

typedef struct opt_spec {
	const char *name; /* long name without "--" (NULL ends a table) */
	char short_name;  /* or 0 */
	opt_kind kind;
	void *target;
	const char *arg; /* argument name for help, e.g. "REV" */
	const char *help;
} opt_spec;

typedef struct cmd_spec {
	const char *name;
	int (*fn)(cli *c, int argc, char **argv);
	const char *usage;   /* e.g. "upgrade [--sql] TARGET" */
	const char *summary; /* one line */
} cmd_spec;

/*
 * Parse argv[1..argc) against the command's table and then the global
 * table (so that "current -c" means --check-heads while "-c FILE" before
 * the command means --config). Positional arguments are collected in
 * order; an argument that looks like a negative number ("-1") is
 * positional. Prints the error and returns -1 on a usage error.
 *
 * The arrays behind `positional` and OPT_LIST targets belong to c, not to
 * the command: they stay valid, whatever path the command returns by,
 * until opt_free(c), which main() calls once at the end. Commands never
 * free them.
 */
int opt_parse(cli *c, const char *cmd, const opt_spec *specs, int argc,
	      char **argv, strlist *positional);
/* The global options before the command; returns the command's index in
 * argv (argc when there is none), or -1 after printing an error. */
int opt_parse_globals(cli *c, int argc, char **argv);
/* Free what the parser allocated for c (strlists filled by it become
 * invalid). */
void opt_free(cli *c);
extern const opt_spec global_opts[];
/* "Did you mean": the names nearest to word (n bytes), at most 2 edits
 * away (a transposition is one) and fewer edits than word has letters;
 * stores them in out (room for count) and returns how many. */
size_t opt_similar(const char *word, size_t n, const char *const *names,
		   size_t count, const char **out);
/* 'a', 'b' or 'c', each name after `dashes` ("--" or ""). */
void opt_print_choices(FILE *f, const char *dashes, const char *const *v,
		       size_t n);
/* "retort: 'x' is not a retort command. Did you mean 'y'?", or without a
 * near name "retort: unknown command 'x' (see 'retort --help')". */
void print_unknown_command(const char *name);
void print_command_help(FILE *f, const cmd_spec *cmd, const opt_spec *specs);
/* NULL in retort; when set, print_command_help() hands the command and
 * its option table to it instead of printing (complete.c collects every
 * command's table by calling it with --help). */
extern void (*print_command_help_hook)(const cmd_spec *cmd,
				       const opt_spec *specs);
const cmd_spec *find_command(const char *name);
extern const cmd_spec commands[];
/* The program: global options, the command, cleanup; the exit status. */
int cli_main(int argc, char **argv);

/* Overwrite the password of a database URL in place with '*' (scrub.c). */
void scrub_url_password(char *url);

/* ---- output ---- */

/* Report a library error ("retort: message") and map its code to an exit
 * status. */
int fail_with(cli *c, retort *r, int code);
/* Report a CLI-level error and return status. */
int fail_msg(cli *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int exit_status(int code);
/* Open the project with the global options (log to stderr). On failure
 * prints the error and returns the exit status (> 0); 0 on success. */
int open_project(cli *c, retort **out);
/* NULL in retort; a program that embeds the CLI (fuzz/fuzz_args.c) may set
 * it to adjust the options open_project() hands to retort_open(). */
extern void (*open_project_hook)(retort_open_options *o);
/* Close what open_project opened (the signal handler stops using it). */
void close_project(retort *r);
/* Let SIGINT/SIGTERM interrupt r (NULL: none); main.c. */
void watch_interrupts(retort *r);
void log_to_stderr(retort_log_level level, const char *message, void *payload);
/* Write a formatted revision line, with colours for markers. */
void print_revision(cli *c, const retort_revision *rev, unsigned flags);
void print_colored_line(cli *c, const char *text);

/* JSON */
void json_string(FILE *f, const char *s);
void json_revision(FILE *f, const retort_revision *rev, int current,
		   int with_longdoc);
void json_string_list(FILE *f, const char *const *v, size_t n);
/* The dirty state as an object, or null when clean (cmd_status.c). */
void json_dirty(FILE *f, const retort_dirty *d);

/* ---- commands ---- */
int cmd_init(cli *c, int argc, char **argv);
int cmd_revision(cli *c, int argc, char **argv);
int cmd_merge(cli *c, int argc, char **argv);
int cmd_upgrade(cli *c, int argc, char **argv);
int cmd_downgrade(cli *c, int argc, char **argv);
int cmd_stamp(cli *c, int argc, char **argv);
int cmd_current(cli *c, int argc, char **argv);
int cmd_status(cli *c, int argc, char **argv);
int cmd_heads(cli *c, int argc, char **argv);
int cmd_branches(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_history(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);
int cmd_test(cli *c, int argc, char **argv);
int cmd_dump(cli *c, int argc, char **argv);
int cmd_validate(cli *c, int argc, char **argv);
int cmd_lint(cli *c, int argc, char **argv);
int cmd_repair(cli *c, int argc, char **argv);
int cmd_edit(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_help(cli *c, int argc, char **argv);
/* `retort __complete ...` (complete.c): hidden, found by find_command()
 * but not listed in commands[] */
int cmd_complete(cli *c, int argc, char **argv);

#endif
