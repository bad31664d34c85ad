/* SPDX-License-Identifier: MIT */
/*
 * cmd_updown.c: `retort upgrade TARGET` and `retort downgrade TARGET`.
 * --sql writes the SQL to stdout instead of running it (a "start:end"
 * range sets where it starts; downgrade --sql needs one). Progress goes
 * to stderr, one line per revision (progress.h); --dry-run plans from
 * the database and prints the SQL without changing anything; --json
 * reports the steps with their durations.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

static int updown(cli *c, int upgrade, int argc, char **argv)
{
	const char *name = upgrade ? "upgrade" : "downgrade";
	int sql = 0, irreversible = 0, dry = 0, rc;
	const char *tag = NULL;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "sql", 0, OPT_FLAG, &sql, NULL,
		  "write the SQL to stdout instead of running it" },
		{ "dry-run", 0, OPT_FLAG, &dry, NULL,
		  "connect, lock and plan; print the SQL that would run, "
		  "change nothing" },
		{ "allow-irreversible", 0, OPT_FLAG, &irreversible, NULL,
		  "go through revisions whose downgrade section is empty" },
		{ "tag", 0, OPT_STRING, &tag, "TAG",
		  "accepted for Alembic compatibility; ignored" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_run_options ro = RETORT_RUN_OPTIONS_INIT;
	progress pr;
	retort *r = NULL;

	if (opt_parse(c, name, opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command(name), opts);
		return EXIT_OK;
	}
	if (pos.n != 1) {
		return fail_msg(c, EXIT_USAGE,
				"%s takes one target revision (e.g. %s)", name,
				upgrade ? "head" : "-1");
	}
	if ((rc = open_project(c, &r)) != 0)
		goto out;
	progress_init(&pr, c, dry);
	ro.sql = sql;
	ro.dry_run = dry;
	ro.write = progress_write;
	ro.write_payload = &pr;
	ro.allow_irreversible = irreversible;
	ro.event = progress_event;
	ro.event_payload = &pr;
	rc = upgrade ? retort_upgrade(r, pos.v[0], &ro)
		     : retort_downgrade(r, pos.v[0], &ro);
	progress_done(&pr, r, rc);
	rc = rc < 0 ? fail_with(c, r, rc) : EXIT_OK;
	close_project(r);
out:
	return rc;
}

int cmd_upgrade(cli *c, int argc, char **argv)
{
	return updown(c, 1, argc, argv);
}

int cmd_downgrade(cli *c, int argc, char **argv)
{
	return updown(c, 0, argc, argv);
}
