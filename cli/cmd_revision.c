/* SPDX-License-Identifier: MIT */
/*
 * cmd_revision.c: `retort revision -m MSG` and `retort merge REVS -m MSG`:
 * write a new revision file from the project's script.sql.tmpl.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int finish(cli *c, retort *r, int rc, const retort_revision *rev)
{
	if (rc < 0)
		return fail_with(c, r, rc);
	if (c->json) {
		json_revision(stdout, rev, -1, 1);
		fputc('\n', stdout);
	}
	return EXIT_OK;
}

int cmd_revision(cli *c, int argc, char **argv)
{
	retort_revision_options ro = RETORT_REVISION_OPTIONS_INIT;
	const char *message = NULL, *head = NULL, *label = NULL;
	const char *vpath = NULL, *rev_id = NULL;
	int splice = 0, autogen = 0, sql = 0, rc;
	strlist deps = { 0 }, pos = { 0 };
	const opt_spec opts[] = {
		{ "message", 'm', OPT_STRING, &message, "MESSAGE",
		  "what the revision does (first line of its header)" },
		{ "head", 0, OPT_STRING, &head, "REV",
		  "parent revision (default head; 'base' starts a new root)" },
		{ "splice", 0, OPT_FLAG, &splice, NULL,
		  "allow a parent that is not a head (makes a branch)" },
		{ "branch-label", 0, OPT_STRING, &label, "LABEL",
		  "branch label for the new revision" },
		{ "depends-on", 0, OPT_LIST, &deps, "REV",
		  "a revision or label this one depends on (repeatable)" },
		{ "version-path", 0, OPT_STRING, &vpath, "DIR",
		  "version location to write into" },
		{ "rev-id", 0, OPT_STRING, &rev_id, "ID",
		  "use this id instead of a generated one" },
		{ "autogenerate", 0, OPT_FLAG, &autogen, NULL,
		  "fill the revision from the declared schema" },
		{ "sql", 0, OPT_FLAG, &sql, NULL,
		  "not supported (Alembic option)" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	const retort_revision *rev = NULL;
	retort *r = NULL;

	if (opt_parse(c, "revision", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("revision"), opts);
		rc = EXIT_OK;
		goto out;
	}
	if (pos.n) {
		rc = fail_msg(c, EXIT_USAGE,
			      "revision takes no arguments (did you mean -m "
			      "'%s'?)",
			      pos.v[0]);
		goto out;
	}
	if (sql) {
		rc = fail_msg(c, EXIT_USAGE,
			      autogen ? "Using --sql with --autogenerate does "
					"not make any sense"
				      : "Using --sql with the revision command "
					"does not make any sense");
		goto out;
	}
	if ((rc = open_project(c, &r)) != 0)
		goto out;
	ro.message = message;
	ro.head = head;
	ro.splice = splice;
	ro.branch_label = label;
	ro.depends_on = deps.v;
	ro.ndepends = deps.n;
	ro.version_path = vpath;
	ro.rev_id = rev_id;
	ro.autogenerate = autogen;
	rc = retort_revision_create(&rev, r, &ro);
	rc = finish(c, r, rc, rev);
	close_project(r);
out:
	return rc;
}

int cmd_merge(cli *c, int argc, char **argv)
{
	retort_revision_options ro = RETORT_REVISION_OPTIONS_INIT;
	const char *message = NULL, *label = NULL, *rev_id = NULL;
	int splice = 0, rc;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "message", 'm', OPT_STRING, &message, "MESSAGE",
		  "what the merge is (first line of its header)" },
		{ "branch-label", 0, OPT_STRING, &label, "LABEL",
		  "branch label for the merge revision" },
		{ "rev-id", 0, OPT_STRING, &rev_id, "ID",
		  "use this id instead of a generated one" },
		{ "splice", 0, OPT_FLAG, &splice, NULL,
		  "allow merging revisions that are not heads" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	const retort_revision *rev = NULL;
	retort *r = NULL;

	if (opt_parse(c, "merge", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("merge"), opts);
		rc = EXIT_OK;
		goto out;
	}
	if (!pos.n) {
		rc =
		    fail_msg(c, EXIT_USAGE,
			     "merge takes the revisions to merge (or 'heads')");
		goto out;
	}
	if ((rc = open_project(c, &r)) != 0)
		goto out;
	ro.message = message;
	ro.branch_label = label;
	ro.rev_id = rev_id;
	ro.splice = splice;
	rc = retort_merge(&rev, r, pos.v, pos.n, &ro);
	rc = finish(c, r, rc, rev);
	close_project(r);
out:
	return rc;
}
