/* SPDX-License-Identifier: MIT */
/*
 * api_validate.c: `validate`: every problem in the revision files and the
 * graph, reported together (a CI job wants the whole list, not the first
 * error): unparseable files, duplicate ids and labels, broken references,
 * cycles, multiple heads, and file names that do not carry their id when
 * file_template starts with the id, and `-- retort:todo` markers left in
 * a file (retort import writes one where it could not render a revision;
 * the revision is not done until the marker is gone). With
 * RETORT_VALIDATE_CHECKSUMS, also the applied revisions whose files
 * changed since (run.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "run/state.h"
#include "script/todo.h"
#include "util/str.h"

static int add(retort *r, rt_problems *p, const char *kind,
	       const retort_revision *rev, unsigned line, const char *msg)
{
	if (rt_problem_add(p, kind, rev ? rev->s.id : NULL,
			   rev ? rev->s.path : NULL, line, msg) < 0)
		return rt_err_oom(&r->err);
	return 0;
}

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* The trees of the graph (revisions sharing a base through Revises):
 * tree[i] is a representative of revision i's tree. */
static uint32_t *trees(const rt_graph *g)
{
	uint32_t *parent = malloc((g->n ? g->n : 1) * sizeof(*parent));
	uint32_t i, j;

	if (!parent)
		return NULL;
	for (i = 0; i < g->n; i++)
		parent[i] = i;
	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->revs[i].down.n; j++) {
			uint32_t a = find(parent, i);
			uint32_t b = find(parent, g->revs[i].down.v[j]);

			if (a != b)
				parent[a] = b;
		}
	for (i = 0; i < g->n; i++)
		parent[i] = find(parent, i);
	return parent;
}

static int add_heads(retort *r, rt_problems *p, const rt_str *ids,
		     const char *hint)
{
	rt_str msg = RT_STR_INIT;
	int error;

	rt_str_printf(&msg, "Multiple head revisions are present: %s (%s)",
		      rt_str_cstr(ids), hint);
	error = msg.oom ? rt_err_oom(&r->err)
			: add(r, p, "multiple-heads", NULL, 0, msg.ptr);
	rt_str_dispose(&msg);
	return error;
}

/* Several heads make `upgrade head` fail. Heads in one tree are a branch
 * waiting for a merge. Heads of separate trees (a second root) fail the
 * same way, unless every such tree carries a branch label: then they are
 * Alembic's independent lineages, upgraded with `heads` or LABEL@head. */
static int check_heads(retort *r, rt_problems *p)
{
	rt_graph *g = r->graph;
	uint32_t *tree, *count, i, j;
	rt_str ids = RT_STR_INIT, roots = RT_STR_INIT;
	int error = 0, unlabelled = 0;
	uint32_t nroots = 0;

	if (g->heads.n <= 1)
		return 0;
	tree = trees(g);
	count = calloc(g->n, sizeof(*count));
	if (!tree || !count) {
		free(tree);
		free(count);
		return rt_err_oom(&r->err);
	}
	for (i = 0; i < g->heads.n; i++)
		count[tree[g->heads.v[i]]]++;
	for (i = 0; i < g->heads.n && !error; i++) {
		uint32_t root = tree[g->heads.v[i]];

		if (count[root] <= 1) {
			rt_str_printf(&roots, "%s%s", nroots++ ? ", " : "",
				      g->revs[g->heads.v[i]].s.id);
			for (j = 0; j < g->n; j++)
				if (tree[j] == root && g->revs[j].s.nlabels)
					break;
			unlabelled |= j == g->n;
			continue;
		}
		rt_str_clear(&ids);
		for (j = i; j < g->heads.n; j++)
			if (tree[g->heads.v[j]] == root)
				rt_str_printf(&ids, "%s%s", j == i ? "" : ", ",
					      g->revs[g->heads.v[j]].s.id);
		count[root] = 0; /* reported */
		error = add_heads(
		    r, p, &ids, "merge them with 'retort merge heads -m ...'");
	}
	if (!error && nroots > 1 && unlabelled)
		error = add_heads(
		    r, p, &roots,
		    "separate roots: 'upgrade head' fails on them; merge "
		    "them with 'retort merge heads -m ...', or give each "
		    "root a branch label and upgrade with 'heads' or "
		    "'LABEL@head'");
	if (!error && (ids.oom || roots.oom))
		error = rt_err_oom(&r->err);
	rt_str_dispose(&ids);
	rt_str_dispose(&roots);
	free(tree);
	free(count);
	return error;
}

/* With a file_template that starts with %(rev)s, a file must be named
 * after its id: a copied file that kept the old name is a classic way to
 * ship two revisions that look alike. With exactly %(rev)s, the name is
 * the id and nothing else. */
static int check_filenames(retort *r, rt_problems *p)
{
	const char *tmpl;
	uint32_t i;
	int error, whole;

	if (r->have_sources)
		return 0;
	if ((error = rt_cfg(r, "file_template", "%(rev)s_%(slug)s", &tmpl)) < 0)
		return error;
	if (strncmp(tmpl, "%(rev)s", 7))
		return 0;
	whole = !tmpl[7];
	for (i = 0; i < r->graph->n; i++) {
		const retort_revision *rev = &r->graph->revs[i];
		const char *f = rev->s.filename;
		size_t n = strlen(rev->s.id);
		int starts = !strncmp(f, rev->s.id, n);
		unsigned char next = starts ? (unsigned char)f[n] : 0;
		rt_str msg = RT_STR_INIT;

		if (starts && (whole ? !strcmp(f + n, ".sql")
				     : !isalnum(next) && next != '-'))
			continue;
		if (whole)
			rt_str_printf(&msg,
				      "file name '%s' is not '%s.sql', its "
				      "revision id (file_template is "
				      "%%(rev)s)",
				      f, rev->s.id);
		else
			rt_str_printf(&msg,
				      "file name '%s' does not start with its "
				      "revision id '%s' (file_template starts "
				      "with %%(rev)s)",
				      f, rev->s.id);
		error = msg.oom ? rt_err_oom(&r->err)
				: add(r, p, "file-name", rev, rev->s.id_line,
				      msg.ptr);
		rt_str_dispose(&msg);
		if (error < 0)
			return error;
	}
	return 0;
}

/* With revision_ids = sequential, the numbers order the revisions: two
 * branches that both made 004 (or "004" beside "004_add_tags") must be
 * told apart before they ship. Each later revision is reported against
 * the first one with its number. */
static int check_numbers(retort *r, rt_problems *p)
{
	const rt_graph *g = r->graph;
	const char *kind;
	unsigned long long *nums;
	uint32_t i, j;
	size_t digits;
	int error;

	if ((error = rt_cfg(r, "revision_ids", "hex", &kind)) < 0)
		return error;
	if (strcmp(kind, "sequential") || !g->n)
		return 0;
	nums = malloc(g->n * sizeof(*nums));
	if (!nums)
		return rt_err_oom(&r->err);
	for (i = 0; i < g->n; i++)
		if (!rt_id_number(g->revs[i].s.id, &nums[i], &digits))
			nums[i] = ~0ULL; /* more than 18 digits: never */
	for (i = 1; i < g->n && !error; i++) {
		const retort_revision *rev = &g->revs[i];
		rt_str msg = RT_STR_INIT;

		if (nums[i] == ~0ULL)
			continue;
		for (j = 0; j < i && nums[j] != nums[i]; j++)
			;
		if (j == i || !strcmp(g->revs[j].s.id, rev->s.id))
			continue;
		rt_str_printf(&msg,
			      "revisions %s and %s have the same number (also "
			      "in %s); renumber one of them: its Revision "
			      "ID, its file name and the Revises lines that "
			      "name it",
			      g->revs[j].s.id, rev->s.id, g->revs[j].s.path);
		error = msg.oom ? rt_err_oom(&r->err)
				: add(r, p, "duplicate-number", rev,
				      rev->s.id_line, msg.ptr);
		rt_str_dispose(&msg);
	}
	free(nums);
	return error;
}

/* Each `-- retort:todo` line (script/todo.h) is a problem, with its line
 * and the reason written after it. */
static int check_todos(retort *r, rt_problems *p)
{
	uint32_t i;
	int error = 0;

	for (i = 0; i < r->graph->n && !error; i++) {
		const retort_revision *rev = &r->graph->revs[i];
		const char *s = rev->s.text, *end = s + rev->s.len, *why;
		unsigned first = 1, line;
		size_t n;

		while (!error && s && s < end &&
		       (why = rt_todo_find(s, (size_t)(end - s), first, &line,
					   &n))) {
			static const char none[] = "a retort:todo marker";
			rt_str msg = RT_STR_INIT;

			rt_str_printf(&msg, "revision %s is not finished: %.*s",
				      rev->s.id, n ? (int)n : (int)strlen(none),
				      n ? why : none);
			error = msg.oom ? rt_err_oom(&r->err)
					: add(r, p, "todo", rev, line, msg.ptr);
			rt_str_dispose(&msg);
			s = memchr(why, '\n', (size_t)(end - why));
			s = s ? s + 1 : end;
			first = line + 1;
		}
	}
	return error;
}

/* Per-dialect sections: every dialect that a revision names in one
 * direction must find a section in the other too (the one marked for it,
 * or one without a dialect), or that dialect could upgrade and never
 * downgrade (or the reverse). */
static int check_dialect_sections(retort *r, rt_problems *p)
{
	uint32_t i, k;
	int dir;

	for (i = 0; i < r->graph->n; i++) {
		const retort_revision *rev = &r->graph->revs[i];

		if (!rev->s.tagged)
			continue;
		for (dir = 0; dir < 2; dir++)
			for (k = 0; k < rev->s.nsections[dir]; k++) {
				const rt_script_sec *sec =
				    &rev->s.sections[dir][k];
				rt_dialect d = (rt_dialect)sec->dialect;
				rt_str msg = RT_STR_INIT;
				int error;

				if (sec->dialect < 0 ||
				    rt_script_section(&rev->s, !dir, d, NULL))
					continue;
				rt_str_printf(
				    &msg,
				    "revision %s has a%s section for %s but no "
				    "%s section for it (add '-- migrate:%s "
				    "dialect:%s', or one without dialect:)",
				    rev->s.id, dir ? " downgrade" : "n upgrade",
				    rt_dialect_name(d),
				    dir ? "upgrade" : "downgrade",
				    dir ? "upgrade" : "downgrade",
				    rt_dialect_name(d));
				error = msg.oom ? rt_err_oom(&r->err)
						: add(r, p, "section", rev,
						      sec->marker, msg.ptr);
				rt_str_dispose(&msg);
				if (error < 0)
					return error;
			}
	}
	return 0;
}

int retort_validate(retort_report **out, retort *r, unsigned int flags)
{
	rt_problems found = RT_PROBLEMS_INIT;
	size_t i;
	int error;

	*out = NULL;
	rt_err_clear(&r->err);
	if ((error = rt_project_load(r, 1)) < 0)
		goto fail;
	for (i = 0; i < r->problems.v.n; i++) {
		const retort_problem *pr = &r->problems.v.v[i];

		if (rt_problem_add(&found, pr->kind, pr->revision, pr->path,
				   pr->line, pr->message) < 0)
			goto oom;
	}
	if (r->graph && !r->graph->cyclic) {
		if ((error = check_heads(r, &found)) < 0 ||
		    (error = check_numbers(r, &found)) < 0 ||
		    (error = check_filenames(r, &found)) < 0 ||
		    (error = check_todos(r, &found)) < 0 ||
		    (error = check_dialect_sections(r, &found)) < 0)
			goto fail;
		if ((flags & RETORT_VALIDATE_CHECKSUMS) && !r->graph->broken &&
		    (error = rt_validate_checksums(r, &found)) < 0)
			goto fail;
	}
	/* leave the handle usable for other commands */
	rt_project_unload(r);
	*out = rt_report_new(&found);
	if (!*out)
		goto oom;
	rt_err_clear(&r->err);
	if (retort_report_count(*out))
		return rt_fail(r, RETORT_EPROBLEMS, "%zu problem%s found",
			       retort_report_count(*out),
			       retort_report_count(*out) == 1 ? "" : "s");
	return 0;
oom:
	error = rt_err_oom(&r->err);
fail:
	rt_problems_free(&found);
	return error;
}

/* ------------------------------------------------------------------ */
/* report accessors */

size_t retort_report_count(const retort_report *rep)
{
	return rep ? rep->problems.v.n : 0;
}

const retort_problem *retort_report_at(const retort_report *rep, size_t i)
{
	return rep && i < rep->problems.v.n ? &rep->problems.v.v[i] : NULL;
}

void retort_report_free(retort_report *rep)
{
	rt_report_free(rep);
}
