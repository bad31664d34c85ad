/* SPDX-License-Identifier: MIT */
/*
 * complete.c: `retort __complete WHAT`, a hidden command (not listed in
 * `retort --help`) that describes the command line to shells and to the
 * build:
 *
 *   __complete bash|zsh|fish   a completion script for that shell
 *   __complete commands        NAME<TAB>SUMMARY, one line per command
 *   __complete options [CMD]   --LONG<TAB>-S<TAB>ARG<TAB>HELP, one line per
 *                              option of CMD (the global options without)
 *   __complete usage CMD       CMD's usage line, then its summary
 *   __complete revisions       the project's revision ids and branch
 *                              labels (nothing, and status 0, when there is
 *                              no project)
 *
 * Everything comes from the tables the parser itself uses: commands[] and
 * global_opts[] (main.c) and each command's local opt_spec table, which
 * the command hands to print_command_help() when called with --help; with
 * print_command_help_hook set, that call records the table instead of
 * printing it. So completions, man page checks and `retort help` cannot
 * drift apart. What completes an option's value or a positional argument
 * follows from the argument's name in the table or the usage line: FILE,
 * DIR, WHEN (--color), COMMAND, and REV, TARGET, REVISIONS or a range for
 * revision identifiers.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_COMMANDS 32
#define MAX_OPTS     48

enum arg_kind {
	ARG_NONE,
	ARG_OTHER,
	ARG_FILE,
	ARG_DIR,
	ARG_REV,
	ARG_WHEN,
	ARG_COMMAND
};

typedef struct copt {
	const char *name; /* or NULL */
	char short_name;  /* or 0 */
	opt_kind kind;
	const char *arg;
	const char *help;
} copt;

typedef struct ccmd {
	const cmd_spec *cmd;
	copt opts[MAX_OPTS]; /* the command's own, then the global ones it
			      * does not hide */
	size_t nown, n;
	enum arg_kind positional; /* what its positional arguments are */
	int many;		  /* more than one */
} ccmd;

static ccmd g_cmds[MAX_COMMANDS];
static size_t g_ncmds;
static copt g_globals[MAX_OPTS];
static size_t g_nglobals;
static ccmd *g_collecting;

static enum arg_kind arg_kind(const char *arg)
{
	if (!arg)
		return ARG_NONE;
	if (!strcmp(arg, "FILE"))
		return ARG_FILE;
	if (!strcmp(arg, "DIR"))
		return ARG_DIR;
	if (!strcmp(arg, "WHEN"))
		return ARG_WHEN;
	if (!strcmp(arg, "COMMAND"))
		return ARG_COMMAND;
	if (strstr(arg, "REV") || strstr(arg, "TARGET") || strstr(arg, "START"))
		return ARG_REV;
	return ARG_OTHER;
}

static void copy_opt(copt *d, const opt_spec *o)
{
	d->name = o->name;
	d->short_name = o->short_name;
	d->kind = o->kind;
	d->arg = o->arg;
	d->help = o->help;
}

/* print_command_help_hook: the command's table, kept while collecting */
static void collect(const cmd_spec *cmd, const opt_spec *specs)
{
	ccmd *cc = g_collecting;
	const opt_spec *o;

	(void)cmd;
	if (!cc)
		return;
	for (o = specs; o && o->target && cc->nown < MAX_OPTS; o++)
		copy_opt(&cc->opts[cc->nown++], o);
}

/* Which spellings of the global option g the command's own options hide
 * (the parser looks in the command's table first): HIDE_LONG, HIDE_SHORT
 * (`current -c` is --check-heads, `current --config` still the global). */
#define HIDE_LONG  1
#define HIDE_SHORT 2
static int hidden_by(const ccmd *cc, const copt *g)
{
	int hidden = 0;
	size_t i;

	for (i = 0; i < cc->nown; i++) {
		const copt *o = &cc->opts[i];

		if (g->name && o->name && !strcmp(g->name, o->name))
			hidden |= HIDE_LONG;
		if (g->short_name && g->short_name == o->short_name)
			hidden |= HIDE_SHORT;
	}
	return hidden;
}

/* The first upper-case word of the usage line that is not an option's
 * value: "upgrade [--sql] TARGET" -> TARGET; "merge REVISIONS... -m
 * MESSAGE" -> REVISIONS, several; "revision -m MESSAGE [options]" ->
 * none. */
static void positional_of(ccmd *cc)
{
	const char *p = cc->cmd->usage;
	int after_option = 0;

	cc->positional = ARG_NONE;
	cc->many = 0;
	while (*p) {
		char word[64];
		size_t n = 0, k = 0;

		while (*p == ' ')
			p++;
		while (p[n] && p[n] != ' ')
			n++;
		if (!n)
			break;
		for (size_t i = 0; i < n && k + 1 < sizeof(word); i++)
			if (p[i] != '[' && p[i] != ']')
				word[k++] = p[i];
		word[k] = '\0';
		if (word[0] == '-') {
			/* "-m MESSAGE", "[-r START:END]": a value follows;
			 * "[--sql]" is complete */
			after_option = p[n - 1] != ']';
		} else if (word[0] >= 'A' && word[0] <= 'Z' && !after_option) {
			size_t len = strlen(word);

			cc->many =
			    (len > 3 && !strcmp(word + len - 3, "...")) ||
			    word[len - 1] == 'S';
			if (len > 3 && !strcmp(word + len - 3, "..."))
				word[len - 3] = '\0';
			cc->positional = arg_kind(word);
			if (cc->positional == ARG_OTHER)
				cc->positional = ARG_NONE;
			return;
		} else {
			after_option = 0;
		}
		p += n;
	}
}

/* Run each command with --help, the hook recording its table. */
static void collect_all(cli *c)
{
	static char help_flag[] = "--help";
	const cmd_spec *cmd;
	const opt_spec *o;
	size_t i;

	g_nglobals = 0;
	g_ncmds = 0; /* cli_main() may run more than once (fuzz_args) */
	for (o = global_opts; o->target && g_nglobals < MAX_OPTS; o++)
		copy_opt(&g_globals[g_nglobals++], o);
	print_command_help_hook = collect;
	for (cmd = commands; cmd->name && g_ncmds < MAX_COMMANDS; cmd++) {
		ccmd *cc = &g_cmds[g_ncmds++];
		char name[64];
		char *args[3] = { name, help_flag, NULL };

		memset(cc, 0, sizeof(*cc));
		cc->cmd = cmd;
		snprintf(name, sizeof(name), "%s", cmd->name);
		g_collecting = cc;
		c->help = 0;
		cmd->fn(c, 2, args);
		c->help = 0;
		cc->n = cc->nown;
		for (i = 0; i < g_nglobals && cc->n < MAX_OPTS; i++) {
			copt g = g_globals[i];
			int hidden = hidden_by(cc, &g);

			if (hidden & HIDE_LONG)
				g.name = NULL;
			if (hidden & HIDE_SHORT)
				g.short_name = 0;
			if (g.name || g.short_name)
				cc->opts[cc->n++] = g;
		}
		positional_of(cc);
	}
	g_collecting = NULL;
	print_command_help_hook = NULL;
}

/* ------------------------------------------------------------------ */
/* plain listings */

static void print_opts(const copt *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char s[3] = { 0 };

		if (v[i].short_name) {
			s[0] = '-';
			s[1] = v[i].short_name;
		}
		printf("%s%s\t%s\t%s\t%s\n", v[i].name ? "--" : "",
		       v[i].name ? v[i].name : "", s, v[i].arg ? v[i].arg : "",
		       v[i].help ? v[i].help : "");
	}
}

static const ccmd *find_ccmd(const char *name)
{
	size_t i;

	for (i = 0; i < g_ncmds; i++)
		if (!strcmp(g_cmds[i].cmd->name, name))
			return &g_cmds[i];
	return NULL;
}

static int list_revisions(cli *c)
{
	retort_open_options o = RETORT_OPEN_OPTIONS_INIT;
	const char *seen[1024];
	size_t nseen = 0, i, k, j;
	retort *r = NULL;

	o.config_path = c->config;
	o.section = c->section;
	o.url = c->url;
	if (retort_open(&r, &o) < 0 || retort_load(r) < 0) {
		retort_close(r);
		return EXIT_OK;
	}
	for (i = 0; i < retort_revision_count(r); i++) {
		const retort_revision *rev = retort_revision_at(r, i);

		printf("%s\n", retort_revision_id(rev));
		for (k = 0; k < retort_revision_label_count(rev); k++) {
			const char *l = retort_revision_label_at(rev, k);

			for (j = 0; j < nseen && strcmp(seen[j], l); j++)
				;
			if (j < nseen)
				continue;
			if (nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = l;
			printf("%s\n", l);
		}
	}
	retort_close(r);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* bash */

/* Words for compgen -W: the option's spellings. */
static void bash_words(const copt *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].name)
			printf(" --%s", v[i].name);
		if (v[i].short_name)
			printf(" -%c", v[i].short_name);
	}
}

static void bash_pattern(const copt *o)
{
	if (o->short_name && o->name)
		printf("-%c | --%s", o->short_name, o->name);
	else if (o->name)
		printf("--%s", o->name);
	else
		printf("-%c", o->short_name);
}

static const char *bash_action(enum arg_kind k)
{
	switch (k) {
	case ARG_FILE:
		return "COMPREPLY=($(compgen -f -- \"$cur\"))";
	case ARG_DIR:
		return "COMPREPLY=($(compgen -d -- \"$cur\"))";
	case ARG_REV:
		return "COMPREPLY=($(compgen -W \"$(_retort_revisions) head "
		       "heads base\" -- \"$cur\"))";
	case ARG_WHEN:
		return "COMPREPLY=($(compgen -W \"auto always never\" -- "
		       "\"$cur\"))";
	case ARG_COMMAND:
		return "COMPREPLY=($(compgen -W \"$_retort_commands\" -- "
		       "\"$cur\"))";
	case ARG_NONE:
	case ARG_OTHER:
		break;
	}
	return ":";
}

static void emit_bash(void)
{
	size_t i, k;

	printf("# bash completion for retort                    "
	       "-*- shell-script -*-\n"
	       "# Generated by `retort __complete bash` (retort %s) from the "
	       "command line's\n"
	       "# own option tables: regenerate it, do not edit it.\n\n",
	       retort_version());
	printf("_retort_commands='");
	for (i = 0; i < g_ncmds; i++)
		printf("%s%s", i ? " " : "", g_cmds[i].cmd->name);
	printf("'\n\n");
	/* the revisions of the project the command line names */
	printf(
	    "# The project's revision ids and branch labels, from the retort "
	    "being\n"
	    "# completed, with the -c/--config, -n/--name and --url given "
	    "before the command.\n"
	    "_retort_revisions()\n{\n"
	    "\tlocal -a pre=()\n\tlocal i w\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tw=${COMP_WORDS[i]}\n"
	    "\t\tcase $w in\n"
	    "\t\t-c | --config | -n | --name | --url)\n"
	    "\t\t\tpre+=(\"$w\" \"${COMP_WORDS[i + 1]}\")\n"
	    "\t\t\t((i++)) ;;\n"
	    "\t\t--config=* | --name=* | --url=*) pre+=(\"$w\") ;;\n"
	    "\t\t-*) ;;\n"
	    "\t\t*) break ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\t\"${COMP_WORDS[0]}\" \"${pre[@]}\" __complete revisions "
	    "2>/dev/null\n"
	    "}\n\n");
	printf("_retort()\n{\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i w\n"
	       "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
	       "\tCOMPREPLY=()\n"
	       "\t# the command: the first word that is neither an option "
	       "nor its value\n"
	       "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	       "\t\tw=${COMP_WORDS[i]}\n"
	       "\t\tcase $w in\n\t\t");
	for (i = 0, k = 0; i < g_nglobals; i++)
		if (g_globals[i].kind != OPT_FLAG) {
			printf("%s", k++ ? " | " : "");
			bash_pattern(&g_globals[i]);
		}
	printf(") ((i++)) ;;\n"
	       "\t\t-*) ;;\n"
	       "\t\t*)\n\t\t\tcmd=$w\n\t\t\tbreak\n\t\t\t;;\n"
	       "\t\tesac\n"
	       "\tdone\n");
	/* option values: the command's own options first (a flag of its
	 * own hides a global option with that letter), then the global ones */
	printf("\t# the value of an option\n"
	       "\tcase \"$cmd $prev\" in\n");
	for (i = 0; i < g_ncmds; i++) {
		const ccmd *cc = &g_cmds[i];

		for (k = 0; k < cc->nown; k++) {
			const copt *o = &cc->opts[k];

			if (o->short_name && o->name)
				printf("\t\"%s -%c\" | \"%s --%s\")",
				       cc->cmd->name, o->short_name,
				       cc->cmd->name, o->name);
			else if (o->name)
				printf("\t\"%s --%s\")", cc->cmd->name,
				       o->name);
			else
				printf("\t\"%s -%c\")", cc->cmd->name,
				       o->short_name);
			if (o->kind == OPT_FLAG)
				printf(" ;;\n");
			else
				printf("\n\t\t%s\n\t\treturn\n\t\t;;\n",
				       bash_action(arg_kind(o->arg)));
		}
	}
	for (i = 0; i < g_nglobals; i++) {
		const copt *o = &g_globals[i];

		if (o->kind == OPT_FLAG)
			continue;
		if (o->short_name && o->name)
			printf("\t*\" -%c\" | *\" --%s\")", o->short_name,
			       o->name);
		else if (o->name)
			printf("\t*\" --%s\")", o->name);
		else
			printf("\t*\" -%c\")", o->short_name);
		printf("\n\t\t%s\n\t\treturn\n\t\t;;\n",
		       bash_action(arg_kind(o->arg)));
	}
	printf("\tesac\n");
	/* before the command: global options or a command */
	printf("\tif [[ -z $cmd ]]; then\n"
	       "\t\tif [[ $cur == -* ]]; then\n"
	       "\t\t\tCOMPREPLY=($(compgen -W \"");
	bash_words(g_globals, g_nglobals);
	printf(" \" -- \"$cur\"))\n"
	       "\t\telse\n"
	       "\t\t\tCOMPREPLY=($(compgen -W \"$_retort_commands\" -- "
	       "\"$cur\"))\n"
	       "\t\tfi\n"
	       "\t\treturn\n"
	       "\tfi\n");
	/* after it: its options (and the global ones), or its arguments */
	printf("\tif [[ $cur == -* ]]; then\n"
	       "\t\tcase $cmd in\n");
	for (i = 0; i < g_ncmds; i++) {
		printf("\t\t%s) COMPREPLY=($(compgen -W \"",
		       g_cmds[i].cmd->name);
		bash_words(g_cmds[i].opts, g_cmds[i].n);
		printf(" \" -- \"$cur\")) ;;\n");
	}
	printf("\t\tesac\n"
	       "\t\treturn\n"
	       "\tfi\n"
	       "\tcase $cmd in\n");
	for (i = 0; i < g_ncmds; i++)
		if (g_cmds[i].positional != ARG_NONE)
			printf("\t%s) %s ;;\n", g_cmds[i].cmd->name,
			       bash_action(g_cmds[i].positional));
	printf("\tesac\n"
	       "}\n\n"
	       "complete -F _retort retort\n");
}

/* ------------------------------------------------------------------ */
/* zsh */

/* s inside a zsh single-quoted word, with the characters that _arguments
 * treats specially inside [...] (extra) escaped by a backslash */
static void zsh_quoted(const char *s, const char *extra)
{
	for (; s && *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else {
			if (extra && strchr(extra, *s))
				putchar('\\');
			putchar(*s);
		}
	}
}

static const char *zsh_action(enum arg_kind k)
{
	switch (k) {
	case ARG_FILE:
		return "_files";
	case ARG_DIR:
		return "_files -/";
	case ARG_REV:
		return "_retort_revisions";
	case ARG_WHEN:
		return "(auto always never)";
	case ARG_COMMAND:
		return "_retort_commands";
	case ARG_NONE:
	case ARG_OTHER:
		break;
	}
	return " ";
}

static void zsh_spec(const copt *o)
{
	int arg = o->kind != OPT_FLAG;
	int many = o->kind == OPT_LIST;

	printf("\t\t");
	if (o->short_name && o->name) {
		if (!many)
			printf("'(-%c --%s)'", o->short_name, o->name);
		printf("%s{-%c%s,--%s%s}'", many ? "'*'" : "", o->short_name,
		       arg ? "+" : "", o->name, arg ? "=" : "");
	} else if (o->name)
		printf("'%s--%s%s", many ? "*" : "", o->name, arg ? "=" : "");
	else
		printf("'%s-%c%s", many ? "*" : "", o->short_name,
		       arg ? "+" : "");
	putchar('[');
	zsh_quoted(o->help, "[]");
	putchar(']');
	if (arg) {
		putchar(':');
		zsh_quoted(o->arg, ":");
		printf(":%s", zsh_action(arg_kind(o->arg)));
	}
	printf("' \\\n");
}

static void emit_zsh(void)
{
	size_t i, k;

	printf("#compdef retort\n"
	       "# zsh completion for retort. Generated by `retort __complete "
	       "zsh` (retort %s)\n"
	       "# from the command line's own option tables: regenerate it, "
	       "do not edit it.\n\n",
	       retort_version());
	printf("_retort_revisions() {\n"
	       "\tlocal -a revs pre\n"
	       "\tlocal i\n"
	       "\t# -c/--config, -n/--name, --url given before the command\n"
	       "\tfor ((i = 2; i < ${#orig_words}; i++)); do\n"
	       "\t\tcase ${orig_words[i]} in\n"
	       "\t\t-c | --config | -n | --name | --url) "
	       "pre+=(${orig_words[i]} ${orig_words[i + 1]}); ((i++)) ;;\n"
	       "\t\t-*) ;;\n"
	       "\t\t*) break ;;\n"
	       "\t\tesac\n"
	       "\tdone\n"
	       "\trevs=(${(f)\"$(_call_program revisions "
	       "${orig_words[1]} ${pre} __complete revisions 2>/dev/null)\"} "
	       "head heads base)\n"
	       "\t_describe -t revisions 'revision' revs\n"
	       "}\n\n");
	printf("_retort_commands() {\n"
	       "\tlocal -a cmds\n"
	       "\tcmds=(\n");
	for (i = 0; i < g_ncmds; i++) {
		printf("\t\t'%s:", g_cmds[i].cmd->name);
		zsh_quoted(g_cmds[i].cmd->summary, ":");
		printf("'\n");
	}
	printf("\t)\n"
	       "\t_describe -t commands 'retort command' cmds\n"
	       "}\n\n");
	printf("_retort() {\n"
	       "\tlocal curcontext=$curcontext state line ret=1\n"
	       "\tlocal -a orig_words\n"
	       "\torig_words=(${words})\n"
	       "\t_arguments -C \\\n");
	for (i = 0; i < g_nglobals; i++)
		zsh_spec(&g_globals[i]);
	printf("\t\t'1: :_retort_commands' \\\n"
	       "\t\t'*:: :->args' && ret=0\n"
	       "\tcase $state in\n"
	       "\targs)\n"
	       "\t\tcurcontext=${curcontext%%:*:*}:retort-$words[1]:\n"
	       "\t\tcase $words[1] in\n");
	for (i = 0; i < g_ncmds; i++) {
		const ccmd *cc = &g_cmds[i];

		printf("\t\t%s)\n\t\t\t_arguments \\\n", cc->cmd->name);
		for (k = 0; k < cc->n; k++) {
			printf("\t\t");
			zsh_spec(&cc->opts[k]);
		}
		if (cc->positional != ARG_NONE)
			printf("\t\t\t\t'%s: :%s' \\\n", cc->many ? "*" : "1",
			       zsh_action(cc->positional));
		printf("\t\t\t\t&& ret=0\n\t\t\t;;\n");
	}
	printf("\t\tesac\n"
	       "\t\t;;\n"
	       "\tesac\n"
	       "\treturn ret\n"
	       "}\n\n"
	       "_retort \"$@\"\n");
}

/* ------------------------------------------------------------------ */
/* fish */

static void fish_quoted(const char *s)
{
	putchar('\'');
	for (; s && *s; s++) {
		if (*s == '\'' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('\'');
}

static void fish_action(enum arg_kind k)
{
	switch (k) {
	case ARG_FILE:
		printf(" -r -F");
		return;
	case ARG_DIR:
		printf(" -x -a '(__fish_complete_directories)'");
		return;
	case ARG_REV:
		printf(" -x -a '(__retort_revisions)'");
		return;
	case ARG_WHEN:
		printf(" -x -a 'auto always never'");
		return;
	case ARG_COMMAND:
		printf(" -x -a '(__retort_commands)'");
		return;
	case ARG_NONE:
	case ARG_OTHER:
		break;
	}
	printf(" -x");
}

static void fish_opt(const copt *o)
{
	if (o->short_name)
		printf(" -s %c", o->short_name);
	if (o->name)
		printf(" -l %s", o->name);
	if (o->kind != OPT_FLAG)
		fish_action(arg_kind(o->arg));
	printf(" -d ");
	fish_quoted(o->help);
	putchar('\n');
}

static void emit_fish(void)
{
	size_t i, k, j;

	printf("# fish completion for retort. Generated by `retort "
	       "__complete fish` (retort %s)\n"
	       "# from the command line's own option tables: regenerate it, "
	       "do not edit it.\n\n",
	       retort_version());
	printf("function __retort_revisions\n"
	       "    set -l words (commandline -opc)\n"
	       "    set -l pre\n"
	       "    set -l i 2\n"
	       "    # -c/--config, -n/--name, --url given before the command\n"
	       "    while test $i -le (count $words)\n"
	       "        switch $words[$i]\n"
	       "            case -c --config -n --name --url\n"
	       "                set -a pre $words[$i] $words[(math $i + 1)]\n"
	       "                set i (math $i + 1)\n"
	       "            case '-*'\n"
	       "            case '*'\n"
	       "                break\n"
	       "        end\n"
	       "        set i (math $i + 1)\n"
	       "    end\n"
	       "    $words[1] $pre __complete revisions 2>/dev/null\n"
	       "    printf '%%s\\n' head heads base\n"
	       "end\n\n");
	printf("function __retort_commands\n"
	       "    printf '%%s\\n'");
	for (i = 0; i < g_ncmds; i++)
		printf(" %s", g_cmds[i].cmd->name);
	printf("\nend\n\n"
	       "complete -c retort -f\n\n"
	       "# commands\n");
	for (i = 0; i < g_ncmds; i++) {
		printf("complete -c retort -n __fish_use_subcommand -a %s -d ",
		       g_cmds[i].cmd->name);
		fish_quoted(g_cmds[i].cmd->summary);
		putchar('\n');
	}
	printf("\n# global options (not after a command with an option of "
	       "that name)\n");
	for (i = 0; i < g_nglobals; i++) {
		const copt *g = &g_globals[i];
		int any = 0;

		/* every spelling, except after a command hiding one */
		printf("complete -c retort");
		for (k = 0; k < g_ncmds; k++) {
			if (!hidden_by(&g_cmds[k], g))
				continue;
			if (!any++)
				printf(" -n 'not __fish_seen_subcommand_from");
			printf(" %s", g_cmds[k].cmd->name);
		}
		if (any)
			putchar('\'');
		fish_opt(g);
		/* the spelling left after such a command */
		for (k = 0; k < g_ncmds; k++) {
			int hidden = hidden_by(&g_cmds[k], g);
			copt left = *g;

			if (!hidden)
				continue;
			if (hidden & HIDE_LONG)
				left.name = NULL;
			if (hidden & HIDE_SHORT)
				left.short_name = 0;
			if (!left.name && !left.short_name)
				continue;
			printf("complete -c retort -n '__fish_seen_subcommand_"
			       "from %s'",
			       g_cmds[k].cmd->name);
			fish_opt(&left);
		}
	}
	for (i = 0; i < g_ncmds; i++) {
		const ccmd *cc = &g_cmds[i];

		printf("\n# %s\n", cc->cmd->name);
		for (j = 0; j < cc->nown; j++) {
			printf("complete -c retort -n '__fish_seen_subcommand_"
			       "from %s'",
			       cc->cmd->name);
			fish_opt(&cc->opts[j]);
		}
		if (cc->positional != ARG_NONE) {
			printf("complete -c retort -n '__fish_seen_subcommand_"
			       "from %s'",
			       cc->cmd->name);
			fish_action(cc->positional);
			putchar('\n');
		}
	}
}

/* ------------------------------------------------------------------ */

int cmd_complete(cli *c, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	const ccmd *cc;
	size_t i;

	if (!strcmp(what, "revisions"))
		return list_revisions(c);
	collect_all(c);
	if (!strcmp(what, "bash"))
		emit_bash();
	else if (!strcmp(what, "zsh"))
		emit_zsh();
	else if (!strcmp(what, "fish"))
		emit_fish();
	else if (!strcmp(what, "commands")) {
		for (i = 0; i < g_ncmds; i++)
			printf("%s\t%s\n", g_cmds[i].cmd->name,
			       g_cmds[i].cmd->summary);
	} else if (!strcmp(what, "options") && argc == 2)
		print_opts(g_globals, g_nglobals);
	else if ((!strcmp(what, "options") || !strcmp(what, "usage")) &&
		 argc == 3) {
		if (!(cc = find_ccmd(argv[2]))) {
			print_unknown_command(argv[2]);
			return EXIT_USAGE;
		}
		if (!strcmp(what, "usage"))
			printf("retort %s\n%s\n", cc->cmd->usage,
			       cc->cmd->summary);
		else
			print_opts(cc->opts, cc->nown);
	} else {
		fprintf(stderr, "usage: retort __complete bash|zsh|fish|"
				"commands|options [COMMAND]|usage "
				"COMMAND|revisions\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
