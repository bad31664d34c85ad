/* SPDX-License-Identifier: MIT */
/*
 * cmd_init.c: `retort init DIR`: a new project (retort.ini, or -c FILE,
 * DIR/script.sql.tmpl and DIR/versions/).
 */
#include <stdlib.h>

#include "cli.h"

int cmd_init(cli *c, int argc, char **argv)
{
	retort_init_options io = RETORT_INIT_OPTIONS_INIT;
	strlist pos = { 0 };
	const opt_spec opts[] = { { NULL, 0, OPT_FLAG, NULL, NULL, NULL } };
	retort *r = NULL;
	int rc;

	if (opt_parse(c, "init", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("init"), opts);
		return EXIT_OK;
	}
	if (pos.n != 1) {
		return fail_msg(c, EXIT_USAGE,
				"init takes one directory (e.g. retort init "
				"migrations)");
	}
	io.config_path = c->config;
	io.log = log_to_stderr;
	io.log_payload = c;
	rc = retort_init(&r, pos.v[0], &io);
	rc = rc < 0 ? fail_with(c, r, rc) : EXIT_OK;
	retort_close(r);
	return rc;
}
