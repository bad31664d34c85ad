/* SPDX-License-Identifier: MIT */
/*
 * cmd_current.c: `retort current [-v] [--check-heads]`: the revisions the
 * database is at. Never creates the version table.
 */
#include <stdlib.h>

#include "cli.h"

int cmd_current(cli *c, int argc, char **argv)
{
	int verbose = 0, check = 0, rc;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "verbose", 'v', OPT_FLAG, &verbose, NULL,
		  "the database url and full entries" },
		{ "check-heads", 'c', OPT_FLAG, &check, NULL,
		  "fail (exit 3) unless the database is at every head" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_revlist *revs = NULL;
	retort_status *st = NULL;
	retort *r = NULL;
	const char *url = NULL;
	size_t i;

	if (opt_parse(c, "current", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("current"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE, "current takes no arguments");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	rc = retort_current(&revs, r, check ? RETORT_CURRENT_CHECK_HEADS : 0);
	if (rc < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (retort_url_display(&url, r) < 0)
		url = NULL;
	/* --json carries the dirty state too */
	if (c->json && (rc = retort_read_status(&st, r)) < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (c->json) {
		fputs("{\"url\": ", stdout);
		json_string(stdout, url);
		fputs(", \"current\": [", stdout);
		for (i = 0; i < retort_revlist_count(revs); i++) {
			fputs(i ? ",\n " : "", stdout);
			json_revision(stdout, retort_revlist_at(revs, i), -1,
				      verbose);
		}
		fputs("], \"dirty\": ", stdout);
		json_dirty(stdout, st ? retort_status_dirty(st) : NULL);
		fputs("}\n", stdout);
	} else {
		if (verbose)
			printf("Current revision(s) for %s:\n",
			       url ? url : "?");
		for (i = 0; i < retort_revlist_count(revs); i++)
			print_revision(c, retort_revlist_at(revs, i),
				       verbose
					   ? RETORT_FMT_VERBOSE
					   : RETORT_FMT_HEAD | RETORT_FMT_TREE);
	}
	rc = EXIT_OK;
done:
	retort_revlist_free(revs);
	retort_status_free(st);
	close_project(r);
	return rc;
}
