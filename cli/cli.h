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
	int version;
	int help;
	const char *command;
} cli;

/* ---- options ---- */

typedef enum opt_kind {
	OPT_FLAG,   /* int: set to 1 */
	OPT_STRING, /* const char *: last one wins */
	OPT_LIST    /* strlist: repeatable */
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
 */
int opt_parse(cli *c, const char *cmd, const opt_spec *specs, int argc,
	      char **argv, strlist *positional);
/* The global options before the command; returns the command's index in
 * argv (argc when there is none), or -1 after printing an error. */
int opt_parse_globals(int argc, char **argv);
extern const opt_spec global_opts[];
void print_command_help(FILE *f, const cmd_spec *cmd, const opt_spec *specs);
const cmd_spec *find_command(const char *name);
extern const cmd_spec commands[];

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

/* ---- commands ---- */
int cmd_init(cli *c, int argc, char **argv);
int cmd_revision(cli *c, int argc, char **argv);
int cmd_merge(cli *c, int argc, char **argv);
int cmd_upgrade(cli *c, int argc, char **argv);
int cmd_downgrade(cli *c, int argc, char **argv);
int cmd_stamp(cli *c, int argc, char **argv);
int cmd_current(cli *c, int argc, char **argv);
int cmd_heads(cli *c, int argc, char **argv);
int cmd_branches(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_history(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);
int cmd_dump(cli *c, int argc, char **argv);
int cmd_validate(cli *c, int argc, char **argv);
int cmd_repair(cli *c, int argc, char **argv);
int cmd_edit(cli *c, int argc, char **argv);
int cmd_help(cli *c, int argc, char **argv);

#endif
