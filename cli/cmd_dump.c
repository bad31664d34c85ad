/* SPDX-License-Identifier: MIT */
/*
 * cmd_dump.c: `retort dump [-o FILE]`: the database's schema as
 * deterministic SQL DDL, to stdout or a file; usable as the declared
 * schema (`schema` in retort.ini).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_dump(cli *c, int argc, char **argv)
{
	const char *output = NULL;
	strlist pos = { 0 };
	const opt_spec opts[] = {
		{ "output", 'o', OPT_STRING, &output, "FILE",
		  "write to FILE instead of stdout" },
		{ NULL, 0, OPT_FLAG, NULL, NULL, NULL },
	};
	retort_buf buf = RETORT_BUF_INIT;
	retort *r = NULL;
	FILE *f;
	int rc;

	if (opt_parse(c, "dump", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("dump"), opts);
		return EXIT_OK;
	}
	if (pos.n) {
		return fail_msg(c, EXIT_USAGE,
				"dump takes no arguments (the file goes after "
				"-o)");
	}
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	if ((rc = retort_dump(&buf, r)) < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	f = output ? fopen(output, "w") : stdout;
	if (!f) {
		rc = fail_msg(c, EXIT_USAGE, "cannot write '%s': %s", output,
			      strerror(errno));
		goto done;
	}
	if (buf.size && fwrite(buf.ptr, 1, buf.size, f) != buf.size) {
		rc = fail_msg(c, EXIT_FAILED, "cannot write '%s'",
			      output ? output : "stdout");
		if (output)
			fclose(f);
		goto done;
	}
	if (output && fclose(f) != 0) {
		rc = fail_msg(c, EXIT_FAILED, "cannot write '%s': %s", output,
			      strerror(errno));
		goto done;
	}
	rc = EXIT_OK;
done:
	retort_buf_dispose(&buf);
	close_project(r);
	return rc;
}
