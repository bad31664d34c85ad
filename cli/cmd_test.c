/* SPDX-License-Identifier: MIT */
/*
 * cmd_test.c: `retort test [--data FILE] [--allow-irreversible]`: every
 * revision up, down and up again on a scratch database, compared each
 * time (retort_test). One line per revision as it is tested, with the
 * differences under a failing one; exit 3 when anything failed. With
 * --json, one object at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct test_out {
	cli *c;
	size_t n, failed;
	int first;
} test_out;

static void json_result(test_out *o, const retort_test_revision *res)
{
	printf("%s{\"revision\": ", o->first ? "" : ",\n ");
	json_string(stdout, retort_revision_id(res->revision));
	printf(", \"ok\": %s, \"irreversible\": %s, \"message\": ",
	       res->ok ? "true" : "false",
	       res->irreversible ? "true" : "false");
	json_string(stdout, res->message);
	fputs(", \"details\": ", stdout);
	json_string_list(stdout, res->details, res->ndetails);
	printf(", \"upgrade_ms\": %.1f, \"downgrade_ms\": %.1f, "
	       "\"seeded\": %s}",
	       res->upgrade_ms, res->downgrade_ms,
	       res->seeded ? "true" : "false");
	o->first = 0;
}

static void on_revision(const retort_test_revision *res, void *payload)
{
	test_out *o = payload;
	const char *doc = retort_revision_doc(res->revision);
	size_t i;

	o->n++;
	o->failed += !res->ok;
	if (o->c->json) {
		json_result(o, res);
		return;
	}
	if (res->ok && o->c->quiet)
		return;
	printf("%s %s%s%s", res->ok ? "ok    " : "FAILED",
	       retort_revision_id(res->revision), *doc ? ", " : "", doc);
	if (res->irreversible)
		fputs(" (irreversible: only upgraded)", stdout);
	printf(" ... %.0f ms up, %.0f ms down\n", res->upgrade_ms,
	       res->downgrade_ms);
	if (!res->ok)
		printf("  %s\n", res->message);
	for (i = 0; i < res->ndetails; i++)
		printf("    %s\n", res->details[i]);
	if (res->seeded)
		printf("  seed data loaded after %s\n",
		       retort_revision_id(res->revision));
	fflush(stdout);
}

/* The problems that are not a revision's verdict. */
static void print_rest(test_out *o, const retort_report *rep)
{
	size_t i, k = 0;

	for (i = 0; i < retort_report_count(rep); i++) {
		const retort_problem *p = retort_report_at(rep, i);

		if (!strcmp(p->kind, "stairway") ||
		    !strcmp(p->kind, "difference"))
			continue;
		if (o->c->json) {
			fputs(k++ ? ", " : "", stdout);
			printf("{\"kind\": ");
			json_string(stdout, p->kind);
			fputs(", \"message\": ", stdout);
			json_string(stdout, p->message);
			fputs("}", stdout);
		} else if (!strcmp(p->kind, "schema")) {
			if (!k++)
				printf("the migrations at head differ from "
				       "the declared schema:\n");
			printf("  %s\n", p->message);
		} else
			printf("%s\n", p->message);
	}
}

int cmd_test(cli *c, int argc, char **argv)
{
	const char *data = NULL;
	int irreversible = 0, rc;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "data", 0, OPT_STRING, &data, "FILE",
		  "seed data to keep through every step (default: test.data)" },
		{ "allow-irreversible", 0, OPT_FLAG, &irreversible, NULL,
		  "pass revisions whose downgrade section is empty" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_test_options to = RETORT_TEST_OPTIONS_INIT;
	retort_report *rep = NULL;
	test_out o = { c, 0, 0, 1 };
	retort *r = NULL;

	if (opt_parse(c, "test", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("test"), opts);
		return EXIT_OK;
	}
	if (pos.n)
		return fail_msg(c, EXIT_USAGE, "test takes no arguments");
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	to.data = data;
	to.allow_irreversible = irreversible;
	to.revision = on_revision;
	to.payload = &o;
	if (c->json)
		fputs("{\"revisions\": [", stdout);
	rc = retort_test(&rep, r, &to);
	if (c->json) {
		fputs("], \"problems\": [", stdout);
		print_rest(&o, rep);
		printf("], \"ok\": %s}\n", rc == 0 ? "true" : "false");
	} else if (rep)
		print_rest(&o, rep);
	fflush(stdout); /* before anything on stderr */
	/* problems: the message too, unless the JSON holds them */
	if (rc < 0 && (rc != RETORT_EPROBLEMS || !c->json)) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	if (!c->json && !rc)
		printf("%zu revision%s passed\n", o.n, o.n == 1 ? "" : "s");
	rc = rc ? EXIT_PROBLEMS : EXIT_OK;
done:
	retort_report_free(rep);
	close_project(r);
	return rc;
}
