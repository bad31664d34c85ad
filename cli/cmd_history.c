/* SPDX-License-Identifier: MIT */
/*
 * cmd_history.c: `retort history [-r START:END] [-v] [-i]`, as Alembic's
 * `history`: newest first, "parent -> rev (label) (head), message";
 * `current` in a range and -i read the database.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_history(cli *c, int argc, char **argv)
{
	int verbose = 0, indicate = 0, rc;
	const char *range = NULL;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "rev-range", 'r', OPT_STRING, &range, "[START]:[END]",
		  "only revisions in this range ('current' allowed)" },
		{ "verbose", 'v', OPT_FLAG, &verbose, NULL, "full entries" },
		{ "indicate-current", 'i', OPT_FLAG, &indicate, NULL,
		  "mark the database's current revisions" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_revlist *revs = NULL;
	char **rows = NULL;
	size_t nrows = 0, i, k;
	retort *r = NULL;

	if (opt_parse(c, "history", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("history"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE,
				"history takes no arguments (a range goes "
				"after -r)");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	if (indicate || (range && strstr(range, "current"))) {
		if ((rc = retort_version_rows(&rows, &nrows, r)) < 0) {
			rc = fail_with(c, r, rc);
			goto done;
		}
	}
	rc = retort_history(&revs, r, range, (const char *const *)rows, nrows);
	if (rc < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < retort_revlist_count(revs); i++) {
		const retort_revision *rev = retort_revlist_at(revs, i);
		int current = 0;

		for (k = 0; indicate && k < nrows; k++)
			current |= !strcmp(rows[k], retort_revision_id(rev));
		if (c->json) {
			fputs(i ? ",\n " : "", stdout);
			json_revision(stdout, rev, indicate ? current : -1,
				      verbose);
			continue;
		}
		print_revision(c, rev,
			       (verbose
				    ? RETORT_FMT_VERBOSE
				    : RETORT_FMT_BRANCHES | RETORT_FMT_DOC |
					  RETORT_FMT_PARENTS | RETORT_FMT_TREE |
					  RETORT_FMT_HEAD) |
				   (current ? RETORT_FMT_CURRENT : 0));
	}
	if (c->json)
		fputs("]\n", stdout);
	rc = EXIT_OK;
done:
	retort_strings_free(rows, nrows);
	retort_revlist_free(revs);
	close_project(r);
	return rc;
}
