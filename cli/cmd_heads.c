/* SPDX-License-Identifier: MIT */
/*
 * cmd_heads.c: `retort heads [-v] [--resolve-dependencies]`, as Alembic's
 * `heads`: one line per head, "id (label) (head)"; -v prints each head's
 * full entry.
 */
#include <stdlib.h>

#include "cli.h"

int cmd_heads(cli *c, int argc, char **argv)
{
	int verbose = 0, resolve = 0, rc;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "verbose", 'v', OPT_FLAG, &verbose, NULL,
		  "print each head's full entry" },
		{ "resolve-dependencies", 0, OPT_FLAG, &resolve, NULL,
		  "leave out heads that other revisions depend on" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_revlist *heads = NULL;
	retort *r = NULL;
	size_t i;

	if (opt_parse(c, "heads", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("heads"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE, "heads takes no arguments");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	rc = retort_heads(&heads, r,
			  resolve ? RETORT_HEADS_RESOLVE_DEPENDENCIES : 0);
	if (rc < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < retort_revlist_count(heads); i++) {
		const retort_revision *h = retort_revlist_at(heads, i);

		if (c->json) {
			fputs(i ? ",\n " : "", stdout);
			json_revision(stdout, h, -1, verbose);
		} else
			print_revision(c, h,
				       verbose ? RETORT_FMT_VERBOSE
					       : RETORT_FMT_BRANCHES |
						     RETORT_FMT_HEAD);
	}
	if (c->json)
		fputs("]\n", stdout);
	rc = EXIT_OK;
done:
	retort_revlist_free(heads);
	close_project(r);
	return rc;
}
