/* SPDX-License-Identifier: MIT */
/*
 * cmd_validate.c: `retort validate`: every problem in the revision files,
 * the graph and (unless --no-database) the applied checksums; exit 3 when
 * there is any. Meant for CI.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_validate(cli *c, int argc, char **argv)
{
	int no_db = 0, rc;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "no-database", 0, OPT_FLAG, &no_db, NULL,
		  "check only the files, not the applied checksums" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_report *rep = NULL;
	retort *r = NULL;
	size_t i, n;

	if (opt_parse(c, "validate", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("validate"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE, "validate takes no arguments");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	rc = retort_validate(&rep, r, no_db ? 0 : RETORT_VALIDATE_CHECKSUMS);
	if (rc < 0 && rc != RETORT_EPROBLEMS) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	n = retort_report_count(rep);
	if (c->json) {
		fputs("{\"problems\": [", stdout);
		for (i = 0; i < n; i++) {
			const retort_problem *p = retort_report_at(rep, i);

			fputs(i ? ",\n  {\"kind\": " : "\n  {\"kind\": ",
			      stdout);
			json_string(stdout, p->kind);
			fputs(", \"revision\": ", stdout);
			json_string(stdout, p->revision);
			fputs(", \"path\": ", stdout);
			json_string(stdout, p->path);
			if (p->line)
				printf(", \"line\": %u", p->line);
			else
				fputs(", \"line\": null", stdout);
			fputs(", \"message\": ", stdout);
			json_string(stdout, p->message);
			fputc('}', stdout);
		}
		fputs(n ? "\n]}\n" : "]}\n", stdout);
	} else {
		for (i = 0; i < n; i++) {
			const retort_problem *p = retort_report_at(rep, i);

			if (p->path && p->line &&
			    strncmp(p->message, p->path, strlen(p->path)))
				printf("%s:%u: %s\n", p->path, p->line,
				       p->message);
			else if (p->path &&
				 strncmp(p->message, p->path, strlen(p->path)))
				printf("%s: %s\n", p->path, p->message);
			else
				printf("%s\n", p->message);
		}
		if (!c->quiet && n)
			fprintf(stderr, "%zu problem%s found\n", n,
				n == 1 ? "" : "s");
		else if (!c->quiet)
			fprintf(stderr, "no problems found\n");
	}
	rc = n ? EXIT_PROBLEMS : EXIT_OK;
done:
	retort_report_free(rep);
	close_project(r);
	return rc;
}
