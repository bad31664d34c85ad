/* SPDX-License-Identifier: MIT */
/*
 * cmd_check.c: `retort check`: exit 0 when the database at head matches
 * the declared schema ("No new upgrade operations detected."), 3 with the
 * list of differences otherwise. For CI: a migration is missing, or the
 * schema file is out of date.
 */
#include <stdlib.h>

#include "cli.h"

int cmd_check(cli *c, int argc, char **argv)
{
	strlist pos = { 0 };
	const opt_spec opts[] = { { NULL, 0, OPT_FLAG, NULL, NULL, NULL } };
	retort_report *rep = NULL;
	retort *r = NULL;
	size_t i, n;
	int rc;

	if (opt_parse(c, "check", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("check"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE, "check takes no arguments");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	rc = retort_check(&rep, r);
	if (rc < 0 && rc != RETORT_EPROBLEMS) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	n = retort_report_count(rep);
	if (c->json) {
		fputs("{\"differences\": [", stdout);
		for (i = 0; i < n; i++) {
			fputs(i ? ", " : "", stdout);
			json_string(stdout, retort_report_at(rep, i)->message);
		}
		fputs("]}\n", stdout);
	} else if (n) {
		printf("New upgrade operations detected:\n");
		for (i = 0; i < n; i++)
			printf("  %s\n", retort_report_at(rep, i)->message);
	} else
		printf("No new upgrade operations detected.\n");
	rc = n ? EXIT_PROBLEMS : EXIT_OK;
done:
	retort_report_free(rep);
	close_project(r);
	return rc;
}
