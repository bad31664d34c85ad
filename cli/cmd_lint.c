/* SPDX-License-Identifier: MIT */
/*
 * cmd_lint.c: `retort lint [RANGE]`: report statements that lose data,
 * fail on existing rows, lock busy tables or cannot be undone (the rules:
 * docs/lint.md). Output as text ("file:line: severity: [rule] message
 * (hint)"), --json, or --format github (workflow annotations). Exit 3
 * when a finding of severity error is reported, 0 for warnings only.
 *
 * --base REF lints the revision files git reports as changed since REF
 * (committed, staged, unstaged or untracked), read in the folder of the
 * config file; git runs without a shell, REF is one argument.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/* Read all of fd into a malloc'd buffer (*len bytes, NUL-terminated). */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *p;
	ssize_t k;

	while (buf && (k = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)k;
		if (cap - n < 2) {
			if (!(p = realloc(buf, cap * 2))) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* Run git with argv in dir; its stdout in *out. On failure, the first
 * line of its stderr in err[256] and -1. */
static int run_git(const char *dir, const char *const argv[], char **out,
		   size_t *len, char err[256])
{
	int po[2], pe[2], status = 0, i;
	size_t elen;
	char *e;
	pid_t pid;

	*out = NULL;
	snprintf(err, 256, "cannot run git");
	if (pipe(po) < 0)
		return -1;
	if (pipe(pe) < 0) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	if ((pid = fork()) < 0) {
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (chdir(dir) == 0) {
			/* execvp takes char *const[]; nothing writes the
			 * text, and nothing is allocated between fork and
			 * exec */
			char *v[16];

			for (i = 0; i < 15 && argv[i]; i++)
				memcpy(&v[i], &argv[i], sizeof(v[i]));
			v[i] = NULL;
			execvp("git", v);
		}
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	*out = slurp(po[0], len);
	e = slurp(pe[0], &elen);
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	if (e && *e)
		snprintf(err, 256, "%.*s", (int)strcspn(e, "\n"), e);
	free(e);
	if (*out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	free(*out);
	*out = NULL;
	return -1;
}

/* Append the NUL-separated paths of buf, under top, to *paths. */
static int add_paths(const char *top, const char *buf, size_t len,
		     char ***paths, size_t *n)
{
	size_t i = 0;

	while (i < len) {
		size_t k = strlen(buf + i);
		char **v = realloc(*paths, (*n + 1) * sizeof(**paths));
		char *p = v ? malloc(strlen(top) + k + 2) : NULL;

		if (!v || !p) {
			free(p);
			if (v)
				*paths = v;
			return -1;
		}
		*paths = v;
		sprintf(p, "%s/%s", top, buf + i);
		(*paths)[(*n)++] = p;
		i += k + 1;
	}
	return 0;
}

/* The files changed since ref in the git work tree holding dir. */
static int changed_files(cli *c, const char *dir, const char *ref,
			 char ***paths, size_t *n)
{
	const char *const top_argv[] = { "git", "rev-parse", "--show-toplevel",
					 NULL };
	const char *const diff_argv[] = { "git",	  "diff",
					  "--name-only",  "-z",
					  "--no-renames", ref,
					  "--",		  NULL };
	const char *const new_argv[] = { "git",	     "ls-files",
					 "--others", "--exclude-standard",
					 "-z",	     "--full-name",
					 NULL };
	char err[256], *top = NULL, *out = NULL;
	size_t len;
	int rc = EXIT_USAGE;

	if (run_git(dir, top_argv, &top, &len, err) < 0) {
		fail_msg(c, EXIT_USAGE,
			 "--base %s: %s is not in a git work "
			 "tree (%s)",
			 ref, dir, err);
		goto done;
	}
	top[strcspn(top, "\n")] = '\0';
	if (run_git(dir, diff_argv, &out, &len, err) < 0) {
		fail_msg(c, EXIT_USAGE, "--base %s: git diff failed: %s", ref,
			 err);
		goto done;
	}
	if (add_paths(top, out, len, paths, n) < 0)
		goto oom;
	free(out);
	if (run_git(dir, new_argv, &out, &len, err) < 0) {
		fail_msg(c, EXIT_USAGE, "--base %s: git ls-files failed: %s",
			 ref, err);
		goto done;
	}
	if (add_paths(top, out, len, paths, n) < 0)
		goto oom;
	rc = 0;
	goto done;
oom:
	rc = fail_msg(c, EXIT_FAILED, "out of memory");
done:
	free(top);
	free(out);
	return rc;
}

/* GitHub's workflow command escaping; props also escapes ':' and ','. */
static void gh_escape(const char *s, int props)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", stdout);
		else if (*s == '\r')
			fputs("%0D", stdout);
		else if (*s == '\n')
			fputs("%0A", stdout);
		else if (props && *s == ':')
			fputs("%3A", stdout);
		else if (props && *s == ',')
			fputs("%2C", stdout);
		else
			putchar(*s);
	}
}

/* A path under the working directory relative to it (annotations need
 * paths from the checkout's root, where CI runs). */
static const char *shown(const char *path)
{
	static char cwd[4096];
	static int have = -1;
	size_t n;

	if (have < 0)
		have = getcwd(cwd, sizeof(cwd)) != NULL;
	n = strlen(cwd);
	if (have && n > 1 && !strncmp(path, cwd, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

static void print_finding(const retort_lint_finding *f, int github)
{
	const char *sev =
	    f->severity == RETORT_LINT_ERROR ? "error" : "warning";
	const char *path = shown(f->path);

	if (!github) {
		printf("%s:%u: %s: [%s] %s", path, f->line, sev, f->rule,
		       f->message);
		printf(*f->hint ? " (%s)\n" : "\n", f->hint);
		return;
	}
	printf("::%s file=", sev);
	gh_escape(path, 1);
	printf(",line=%u,title=", f->line);
	gh_escape(f->rule, 1);
	fputs("::", stdout);
	gh_escape(f->message, 0);
	if (*f->hint) {
		fputs(" (", stdout);
		gh_escape(f->hint, 0);
		fputc(')', stdout);
	}
	fputc('\n', stdout);
}

static void print_json(const retort_lint_result *res, size_t errors,
		       size_t warnings)
{
	size_t i, n = retort_lint_count(res);

	printf("{\"revisions\": %zu, \"errors\": %zu, \"warnings\": %zu, "
	       "\"findings\": [",
	       retort_lint_revision_count(res), errors, warnings);
	for (i = 0; i < n; i++) {
		const retort_lint_finding *f = retort_lint_at(res, i);

		fputs(i ? ",\n  {\"rule\": " : "\n  {\"rule\": ", stdout);
		json_string(stdout, f->rule);
		fputs(", \"severity\": ", stdout);
		json_string(stdout, f->severity == RETORT_LINT_ERROR
					? "error"
					: "warning");
		fputs(", \"revision\": ", stdout);
		json_string(stdout, f->revision);
		fputs(", \"path\": ", stdout);
		json_string(stdout, shown(f->path));
		printf(", \"line\": %u, \"section\": ", f->line);
		json_string(stdout, f->section);
		fputs(", \"dialect\": ", stdout);
		json_string(stdout, f->dialect);
		fputs(", \"message\": ", stdout);
		json_string(stdout, f->message);
		fputs(", \"hint\": ", stdout);
		json_string(stdout, f->hint);
		fputc('}', stdout);
	}
	fputs(n ? "\n]}\n" : "]}\n", stdout);
}

static int list_rules(cli *c)
{
	retort_lint_severity sev;
	const char *id, *summary;
	size_t i;

	if (c->json)
		fputs("{\"rules\": [", stdout);
	for (i = 0; (id = retort_lint_rule(i, &sev, &summary)); i++) {
		const char *s = sev == RETORT_LINT_ERROR     ? "error"
				: sev == RETORT_LINT_WARNING ? "warning"
							     : "off";

		if (!c->json) {
			printf("%-28s %-8s %s\n", id, s, summary);
			continue;
		}
		fputs(i ? ",\n  {\"rule\": " : "\n  {\"rule\": ", stdout);
		json_string(stdout, id);
		fputs(", \"severity\": ", stdout);
		json_string(stdout, s);
		fputs(", \"summary\": ", stdout);
		json_string(stdout, summary);
		fputc('}', stdout);
	}
	if (c->json)
		fputs("\n]}\n", stdout);
	return EXIT_OK;
}

static void report(cli *c, const retort_lint_result *res, int github)
{
	size_t i, n = retort_lint_count(res), errors = 0, nrev;

	for (i = 0; i < n; i++)
		errors += retort_lint_at(res, i)->severity == RETORT_LINT_ERROR;
	if (c->json) {
		print_json(res, errors, n - errors);
		return;
	}
	for (i = 0; i < n; i++)
		print_finding(retort_lint_at(res, i), github);
	if (c->quiet)
		return;
	nrev = retort_lint_revision_count(res);
	/* the count after the findings, also when both go to one pipe */
	fflush(stdout);
	fprintf(stderr, "%zu error%s, %zu warning%s in %zu revision%s\n",
		errors, errors == 1 ? "" : "s", n - errors,
		n - errors == 1 ? "" : "s", nrev, nrev == 1 ? "" : "s");
}

/* The folder of the config file, where git runs (malloc'd, absolute). */
static char *config_dir(retort *r)
{
	const char *path = retort_config_path(r);
	const char *slash = path ? strrchr(path, '/') : NULL;
	char *dir, *real;

	if (!slash || !strcmp(path, "<memory>"))
		dir = strdup(".");
	else
		dir = slash == path ? strdup("/")
				    : strndup(path, (size_t)(slash - path));
	if (dir && (real = realpath(dir, NULL)) != NULL) {
		free(dir);
		return real;
	}
	return dir;
}

/* --format: 1 for github, 0 for text or json (which sets c->json), -1
 * for anything else. */
static int parse_format(cli *c, const char *format)
{
	if (!format || !strcmp(format, "text"))
		return 0;
	if (!strcmp(format, "json")) {
		c->json = 1;
		return 0;
	}
	return strcmp(format, "github") ? -1 : 1;
}

int cmd_lint(cli *c, int argc, char **argv)
{
	int no_db = 0, rules = 0, rc, github = 0;
	const char *base = NULL, *format = NULL, *dialect = NULL;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "no-database", 0, OPT_FLAG, &no_db, NULL,
		  "do not read the database: lint every revision, or those "
		  "changed since --base" },
		{ "base", 0, OPT_STRING, &base, "REF",
		  "lint the revision files changed since the git ref REF "
		  "(implies --no-database)" },
		{ "format", 0, OPT_STRING, &format, "FORMAT",
		  "text (the default), json or github (workflow "
		  "annotations)" },
		{ "dialect", 0, OPT_STRING, &dialect, "NAME",
		  "read the SQL as sqlite, postgresql or mysql instead of "
		  "the url's dialect" },
		{ "list-rules", 0, OPT_FLAG, &rules, NULL,
		  "list the rules, their default severity and what they "
		  "catch" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_lint_options lo = RETORT_LINT_OPTIONS_INIT;
	retort_lint_result *res = NULL;
	char **paths = NULL, *dir = NULL;
	size_t npaths = 0, i;
	retort *r = NULL;

	if (opt_parse(c, "lint", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("lint"), opts);
		return EXIT_OK;
	}
	if ((github = parse_format(c, format)) < 0)
		return fail_msg(c, EXIT_USAGE,
				"--format %s: expected text, json or github",
				format);
	if (rules)
		return list_rules(c);
	if (pos.n > 1)
		return fail_msg(c, EXIT_USAGE,
				"lint takes at most one RANGE (START:END)");
	if (pos.n && base)
		return fail_msg(c, EXIT_USAGE,
				"give either a RANGE or --base, not both");
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	lo.range = pos.n ? pos.v[0] : NULL;
	lo.no_database = no_db || base;
	lo.dialect = dialect;
	if (base) {
		if (!(dir = config_dir(r))) {
			rc = fail_msg(c, EXIT_FAILED, "out of memory");
			goto done;
		}
		if ((rc = changed_files(c, dir, base, &paths, &npaths)) != 0)
			goto done;
		lo.use_changed = 1;
		lo.changed = (const char *const *)paths;
		lo.nchanged = npaths;
	}
	rc = retort_lint(&res, r, &lo);
	if (rc < 0 && rc != RETORT_EPROBLEMS) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	report(c, res, github);
	rc = rc == RETORT_EPROBLEMS ? EXIT_PROBLEMS : EXIT_OK;
done:
	retort_lint_free(res);
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	free(dir);
	close_project(r);
	return rc;
}
