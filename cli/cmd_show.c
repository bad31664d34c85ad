/* SPDX-License-Identifier: MIT */
/*
 * cmd_show.c: `retort show REV`: the full entry of each revision REV
 * resolves to (`head`, `heads`, ids, prefixes, labels; `current` reads
 * the database).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_show(cli *c, int argc, char **argv)
{
	strlist pos = { 0 };
	const opt_spec opts[] = { { NULL, 0, OPT_FLAG, NULL, NULL, NULL } };
	retort_revlist *revs = NULL;
	retort *r = NULL;
	size_t i;
	int rc;

	if (opt_parse(c, "show", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("show"), opts);
		return EXIT_OK;
	}
	if (pos.n != 1) {
		return fail_msg(c, EXIT_USAGE,
				"show takes one revision (see 'retort help "
				"show')");
	}
	if ((rc = open_project(c, &r)) != 0)
		goto out;
	if (!strcmp(pos.v[0], "current"))
		rc = retort_current(&revs, r, 0);
	else
		rc = retort_resolve(&revs, r, pos.v[0]);
	if (rc < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < retort_revlist_count(revs); i++) {
		if (c->json) {
			fputs(i ? ",\n " : "", stdout);
			json_revision(stdout, retort_revlist_at(revs, i), -1,
				      1);
		} else
			print_revision(c, retort_revlist_at(revs, i),
				       RETORT_FMT_VERBOSE);
	}
	if (c->json)
		fputs("]\n", stdout);
	rc = EXIT_OK;
done:
	retort_revlist_free(revs);
	close_project(r);
out:
	return rc;
}
