/* SPDX-License-Identifier: MIT */
/*
 * cmd_repair.c: `retort repair [--checksums]`: clear the dirty state left
 * by a failed transaction:false revision (after fixing the database by
 * hand), and with --checksums accept edits to applied revisions.
 */
#include <stdlib.h>

#include "cli.h"

int cmd_repair(cli *c, int argc, char **argv)
{
	int checksums = 0, rc;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "checksums", 0, OPT_FLAG, &checksums, NULL,
		  "also accept edited applied revisions (see validate)" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_repair_result res;
	retort *r = NULL;

	if (opt_parse(c, "repair", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("repair"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE, "repair takes no arguments");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	rc = retort_repair(&res, r, checksums ? RETORT_REPAIR_CHECKSUMS : 0);
	rc = rc < 0 ? fail_with(c, r, rc) : EXIT_OK;
	close_project(r);
	return rc;
}
