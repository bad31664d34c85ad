/* SPDX-License-Identifier: MIT */
/*
 * cmd_branches.c: `retort branches [-v]`, as Alembic's `branches`: each
 * branch point (in history order) followed by "   -> child" lines.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_branches(cli *c, int argc, char **argv)
{
	int verbose = 0, rc, first = 1;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "verbose", 'v', OPT_FLAG, &verbose, NULL,
		  "full entries, and messages of the children" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_revlist *all = NULL;
	retort *r = NULL;
	size_t i, j;

	if (opt_parse(c, "branches", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("branches"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE, "branches takes no arguments");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	if ((rc = retort_history(&all, r, NULL, NULL, 0)) < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (c->json)
		fputc('[', stdout);
	for (i = 0; i < retort_revlist_count(all); i++) {
		const retort_revision *bp = retort_revlist_at(all, i);
		size_t width = strlen(retort_revision_id(bp));

		if (!(retort_revision_flags(bp) & RETORT_REV_BRANCHPOINT))
			continue;
		if (c->json) {
			fputs(first ? "" : ",\n ", stdout);
			json_revision(stdout, bp, -1, verbose);
			first = 0;
			continue;
		}
		print_revision(c, bp,
			       verbose ? RETORT_FMT_VERBOSE
				       : RETORT_FMT_BRANCHES | RETORT_FMT_HEAD |
					     RETORT_FMT_TREE);
		for (j = 0; j < retort_revision_child_count(bp); j++) {
			retort_buf buf = RETORT_BUF_INIT;
			char *line;
			size_t k;

			if (retort_revision_format(
				&buf, retort_revision_child_at(bp, j),
				RETORT_FMT_BRANCHES | RETORT_FMT_HEAD |
				    RETORT_FMT_TREE |
				    (verbose ? RETORT_FMT_DOC : 0)) < 0) {
				rc = fail_msg(c, EXIT_FAILED, "out of memory");
				goto done;
			}
			line = malloc(width + buf.size + 8);
			if (!line) {
				retort_buf_dispose(&buf);
				rc = fail_msg(c, EXIT_FAILED, "out of memory");
				goto done;
			}
			for (k = 0; k < width; k++)
				line[k] = ' ';
			strcpy(line + width, " -> ");
			strcat(line, buf.ptr);
			print_colored_line(c, line);
			free(line);
			retort_buf_dispose(&buf);
		}
		fputc('\n', stdout);
	}
	if (c->json)
		fputs("]\n", stdout);
	rc = EXIT_OK;
done:
	retort_revlist_free(all);
	close_project(r);
	return rc;
}
