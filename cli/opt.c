/* SPDX-License-Identifier: MIT */
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

/* A long option that is not in the tables: print why ("did you mean" for a
 * near miss) after "retort[ cmd]". */
static void unknown_long(const char *cmd, const char *a, size_t n,
			 const char *const *names, size_t count)
{
	const char *near[64];
	size_t k = opt_similar(a + 2, n, names, count, near);

	fprintf(stderr, "retort%s%s: unknown option '%.*s'", cmd ? " " : "",
		cmd ? cmd : "", (int)(n + 2), a);
	if (k) {
		fputs(". Did you mean ", stderr);
		opt_print_choices(stderr, "--", near, k);
		fputs("?\n", stderr);
	} else
		fprintf(stderr, " (see 'retort %s%s')\n",
			cmd ? "help " : "--help", cmd ? cmd : "");
}

/*
 * The long option "--name" (a, n bytes of name) in the command's table,
 * then the global one: the exact name, else a unique prefix, as Alembic's
 * argparse allows (--autogen for --autogenerate). A command's option
 * hides a global one of the same name. Otherwise prints the error (an
 * ambiguous prefix lists its candidates, an unknown name gets "did you
 * mean") and returns NULL.
 */
static const opt_spec *match_long(const char *cmd, const opt_spec *specs,
				  const opt_spec *fallback, const char *a,
				  size_t n)
{
	const opt_spec *tables[2] = { specs, fallback }, *hits[64], *o;
	const char *names[64], *hit_names[64];
	size_t nnames = 0, nhits = 0, i, k;

	if ((o = find_long(specs, a + 2, n)) ||
	    (o = find_long(fallback, a + 2, n)))
		return o;
	for (i = 0; i < 2; i++)
		for (o = tables[i]; o && o->target && nnames < 64; o++) {
			if (!o->name)
				continue;
			for (k = 0; k < nnames && strcmp(names[k], o->name);
			     k++)
				;
			if (k < nnames)
				continue; /* hidden by the command's own */
			names[nnames++] = o->name;
			if (n && !strncmp(o->name, a + 2, n)) {
				hit_names[nhits] = o->name;
				hits[nhits++] = o;
			}
		}
	if (nhits == 1)
		return hits[0];
	if (nhits > 1) {
		fprintf(stderr,
			"retort%s%s: ambiguous option '%.*s' (could be ",
			cmd ? " " : "", cmd ? cmd : "", (int)(n + 2), a);
		opt_print_choices(stderr, "--", hit_names, nhits);
		fputs(")\n", stderr);
		return NULL;
	}
	unknown_long(cmd, a, n, names, nnames);
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

			o = match_long(cmd, specs, fallback, a, n);
			if (!o)
				goto fail;
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

void (*print_command_help_hook)(const cmd_spec *cmd, const opt_spec *specs);

void print_command_help(FILE *f, const cmd_spec *cmd, const opt_spec *specs)
{
	const opt_spec *o;

	if (print_command_help_hook) {
		print_command_help_hook(cmd, specs);
		return;
	}
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
	fprintf(f, "\nGlobal options (-c, -n, --url, --wait-for-db, -x, -q, "
		   "--json, --color) are described in 'retort --help'.\n");
}

/* ------------------------------------------------------------------ */
/* "did you mean" */

/* Optimal string alignment distance (Levenshtein with transpositions of
 * neighbours), as git uses for its suggestions; names are short, longer
 * words count as far from everything. */
static size_t distance(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b), d[3][65], i, j;
	size_t *prev2 = d[0], *prev = d[1], *cur = d[2];

	if (an > 64 || bn > 64)
		return (size_t)-1;
	for (j = 0; j <= bn; j++)
		prev[j] = j;
	for (i = 1; i <= an; i++) {
		cur[0] = i;
		for (j = 1; j <= bn; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		{
			size_t *t = prev2;

			prev2 = prev;
			prev = cur;
			cur = t;
		}
	}
	return prev[bn];
}

size_t opt_similar(const char *word, size_t n, const char *const *names,
		   size_t count, const char **out)
{
	/* at most 2 edits, and fewer than the word has letters */
	size_t limit = n < 3 ? (n ? n - 1 : 0) : 2, best = limit + 1, k = 0;
	size_t i;

	for (i = 0; i < count && limit; i++) {
		size_t dist = distance(word, n, names[i]);

		if (dist > limit)
			continue;
		if (dist < best) {
			best = dist;
			k = 0;
		}
		if (dist == best)
			out[k++] = names[i];
	}
	return k;
}

void opt_print_choices(FILE *f, const char *dashes, const char *const *v,
		       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s'%s%s'",
			i == 0	     ? ""
			: i + 1 == n ? " or "
				     : ", ",
			dashes, v[i]);
}
