/* SPDX-License-Identifier: MIT */
/*
 * cmd_stamp.c: `retort stamp TARGETS...`: set the version rows without
 * running any SQL (adopting an existing database, or repairing rows).
 */
#include <stdlib.h>

#include "cli.h"
#include "progress.h"

int cmd_stamp(cli *c, int argc, char **argv)
{
	int sql = 0, purge = 0, dry = 0, rc;
	const char *tag = NULL;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "sql", 0, OPT_FLAG, &sql, NULL,
		  "write the SQL to stdout instead of running it" },
		{ "dry-run", 0, OPT_FLAG, &dry, NULL,
		  "connect, lock and plan; print the SQL that would run, "
		  "change nothing" },
		{ "purge", 0, OPT_FLAG, &purge, NULL,
		  "delete every version row first" },
		{ "tag", 0, OPT_STRING, &tag, "TAG",
		  "accepted for Alembic compatibility; ignored" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	progress pr;
	retort *r = NULL;

	if (opt_parse(c, "stamp", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("stamp"), opts);
		return EXIT_OK;
	}
	if (!pos.n) {
		return fail_msg(c, EXIT_USAGE,
				"stamp takes one or more target revisions "
				"(e.g. head, base)");
	}
	if ((rc = open_project(c, &r)) != 0)
		goto out;
	progress_init(&pr, c, dry);
	ro.sql = sql;
	ro.dry_run = dry;
	ro.purge = purge;
	ro.write = progress_write;
	ro.write_payload = &pr;
	ro.event = progress_event;
	ro.event_payload = &pr;
	rc = retort_stamp(r, pos.v, pos.n, &ro);
	progress_done(&pr, r, rc);
	rc = rc < 0 ? fail_with(c, r, rc) : EXIT_OK;
	close_project(r);
out:
	return rc;
}
