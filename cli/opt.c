/*
 * opt.c: the option parser for commands (declared in cli.h). Tables are
 * searched command-first, then the global table, so a command can reuse a
 * letter that is global elsewhere (Alembic's `current -c`).
 *
 * Memory: every array behind a strlist (positionals, OPT_LIST values) and
 * every OPT_URL copy is recorded in the cli when it is allocated, a grown
 * copy replacing nothing (the old array stays recorded), and all of them
 * are freed by opt_free() alone. So no return path of a command, --help
 * and usage errors included, can leak or double-free them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const opt_spec *find_long(const opt_spec *t, const char *name, size_t n)
{
	for (; t && t->target; t++)
		if (t->name && strlen(t->name) == n &&
		    !strncmp(t->name, name, n))
			return t;
	return NULL;
}

static const opt_spec *find_short(const opt_spec *t, char c)
{
	for (; t && t->target; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

/* A new block of n bytes, recorded in c. */
static void *owned_alloc(cli *c, size_t n)
{
	void **no = realloc(c->owned, (c->nowned + 1) * sizeof(*no));
	void *a;

	if (!no)
		return NULL;
	c->owned = no;
	if ((a = malloc(n)) == NULL)
		return NULL;
	c->owned[c->nowned++] = a;
	return a;
}

static const char **owned_array(cli *c, size_t n)
{
	return owned_alloc(c, n * sizeof(const char *));
}

/* --url: keep a copy, then hide the password in argv (val points into
 * an argv string, which the program may modify: C11 5.1.2.2.1). */
static int assign_url(cli *c, const opt_spec *o, char *val)
{
	size_t n = strlen(val) + 1;
	char *copy = owned_alloc(c, n);

	if (!copy)
		return -1;
	memcpy(copy, val, n);
	scrub_url_password(val);
	*(const char **)o->target = copy;
	return 0;
}

/* Append v; capacities are powers of two (the array is full when n is 0
 * or a power of two), so no capacity field is needed. */
static int push(cli *c, strlist *l, const char *v)
{
	if (l->n == 0 || (l->n & (l->n - 1)) == 0) {
		const char **nv = owned_array(c, l->n ? 2 * l->n : 1);

		if (!nv)
			return -1;
		if (l->n)
			memcpy((void *)nv, (const void *)l->v,
			       l->n * sizeof(*nv));
		l->v = nv;
	}
	l->v[l->n++] = v;
	return 0;
}

void opt_free(cli *c)
{
	size_t i;

	for (i = 0; i < c->nowned; i++)
		free(c->owned[i]);
	free(c->owned);
	c->owned = NULL;
	c->nowned = 0;
}

static int assign(cli *c, const opt_spec *o, char *val)
{
	switch (o->kind) {
	case OPT_FLAG:
		*(int *)o->target = 1;
		return 0;
	case OPT_STRING:
		*(const char **)o->target = val;
		return 0;
	case OPT_LIST:
		return push(c, o->target, val);
	case OPT_URL:
		return assign_url(c, o, val);
	}
	return 0;
}

static int looks_negative_number(const char *a)
{
	return a[0] == '-' && isdigit((unsigned char)a[1]);
}

/*
 * The parser behind opt_parse() and opt_parse_globals(): options from
 * `specs` then `fallback`; positional arguments are collected, or end the
 * parse when stop_at_positional (the command name after global options).
 * Returns the index where parsing stopped, or -1 after printing an error.
 */
static int parse(cli *c, const char *cmd, const opt_spec *specs,
		 const opt_spec *fallback, int argc, char **argv, int start,
		 strlist *positional, int stop_at_positional)
{
	const char *who = cmd ? cmd : "";
	const char *sep = cmd ? " " : "";
	int i, only_positional = 0;

	for (i = start; i < argc; i++) {
		char *a = argv[i];
		const opt_spec *o;
		char *val = NULL;

		if (only_positional || a[0] != '-' || !a[1] ||
		    looks_negative_number(a)) {
			if (stop_at_positional)
				return i;
			if (push(c, positional, a) < 0)
				goto oom;
			continue;
		}
		if (!strcmp(a, "--")) {
			if (stop_at_positional)
				return i + 1;
			only_positional = 1;
			continue;
		}
		if (a[1] == '-') {
			char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);

			o = find_long(specs, a + 2, n);
			if (!o)
				o = find_long(fallback, a + 2, n);
			if (!o) {
				fprintf(
				    stderr,
				    "retort%s%s: unknown option '%.*s' (see "
				    "'retort %s%s')\n",
				    sep, who, (int)(n + 2), a,
				    cmd ? "help " : "--help", who);
				goto fail;
			}
			if (o->kind == OPT_FLAG) {
				if (eq) {
					fprintf(
					    stderr,
					    "retort%s%s: option '--%s' takes "
					    "no value\n",
					    sep, who, o->name);
					goto fail;
				}
			} else if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				fprintf(stderr,
					"retort%s%s: option '--%s' needs a "
					"value\n",
					sep, who, o->name);
				goto fail;
			}
			if (assign(c, o, val) < 0)
				goto oom;
			continue;
		}
		/* short options, flags may be combined: -vi, -qn NAME, -mMSG */
		{
			char *p = a + 1;

			while (*p) {
				o = find_short(specs, *p);
				if (!o)
					o = find_short(fallback, *p);
				if (!o) {
					fprintf(
					    stderr,
					    "retort%s%s: unknown option '-%c' "
					    "(see 'retort %s%s')\n",
					    sep, who, *p,
					    cmd ? "help " : "--help", who);
					goto fail;
				}
				if (o->kind == OPT_FLAG) {
					if (assign(c, o, NULL) < 0)
						goto oom;
					p++;
					continue;
				}
				if (p[1])
					val = p + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else {
					fprintf(
					    stderr,
					    "retort%s%s: option '-%c' needs "
					    "a value\n",
					    sep, who, *p);
					goto fail;
				}
				if (assign(c, o, val) < 0)
					goto oom;
				break;
			}
		}
	}
	return i;
oom:
	fprintf(stderr, "retort: out of memory\n");
fail:
	return -1;
}

int opt_parse(cli *c, const char *cmd, const opt_spec *specs, int argc,
	      char **argv, strlist *positional)
{
	return parse(c, cmd, specs, global_opts, argc, argv, 1, positional, 0) <
		       0
		   ? -1
		   : 0;
}

int opt_parse_globals(cli *c, int argc, char **argv)
{
	return parse(c, NULL, global_opts, NULL, argc, argv, 1, NULL, 1);
}

void print_command_help(FILE *f, const cmd_spec *cmd, const opt_spec *specs)
{
	const opt_spec *o;

	fprintf(f, "usage: retort %s\n\n%s\n", cmd->usage, cmd->summary);
	if (specs && specs->target) {
		fprintf(f, "\nOptions:\n");
		for (o = specs; o->target; o++) {
			char left[48];

			if (o->name && o->short_name)
				snprintf(left, sizeof(left), "-%c, --%s%s%s",
					 o->short_name, o->name,
					 o->arg ? " " : "",
					 o->arg ? o->arg : "");
			else if (o->name)
				snprintf(left, sizeof(left), "--%s%s%s",
					 o->name, o->arg ? " " : "",
					 o->arg ? o->arg : "");
			else
				snprintf(left, sizeof(left), "-%c %s",
					 o->short_name, o->arg ? o->arg : "");
			fprintf(f, "  %-28s %s\n", left, o->help);
		}
	}
	fprintf(f, "\nGlobal options (-c, -n, --url, -x, -q, --json, --color) "
		   "are described in 'retort --help'.\n");
}
