/* SPDX-License-Identifier: MIT */
/*
 * cmd_edit.c: `retort edit REV`: open the revision's file in $VISUAL,
 * $EDITOR, or the first of sensible-editor, editor, nano, vim, vi found.
 * The editor command may carry arguments ("code -w").
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static int run_editor(cli *c, const char *path)
{
	static const char *const fallbacks[] = {
		"sensible-editor", "editor", "nano", "vim", "vi", NULL
	};
	const char *ed = getenv("VISUAL");
	int status, i;
	pid_t pid;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed) {
		for (i = 0; fallbacks[i]; i++) {
			char probe[64];

			snprintf(probe, sizeof(probe),
				 "command -v %s >/dev/null", fallbacks[i]);
			if (system(probe) == 0) {
				ed = fallbacks[i];
				break;
			}
		}
	}
	if (!ed || !*ed)
		return fail_msg(c, EXIT_FAILED,
				"no editor found; set $VISUAL or $EDITOR");
	pid = fork();
	if (pid < 0)
		return fail_msg(c, EXIT_FAILED, "cannot start the editor");
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path,
		      (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return fail_msg(c, EXIT_FAILED, "the editor '%s' failed", ed);
	return EXIT_OK;
}

int cmd_edit(cli *c, int argc, char **argv)
{
	strlist pos = { 0 };
	const opt_spec opts[] = { { NULL, 0, OPT_FLAG, NULL, NULL, NULL } };
	retort_revlist *revs = NULL;
	retort *r = NULL;
	size_t i;
	int rc;

	if (opt_parse(c, "edit", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("edit"), opts);
		rc = EXIT_OK;
		goto out;
	}
	if (pos.n != 1) {
		rc = fail_msg(c, EXIT_USAGE, "edit takes one revision");
		goto out;
	}
	if ((rc = open_project(c, &r)) != 0)
		goto out;
	if (!strcmp(pos.v[0], "current")) {
		rc = retort_current(&revs, r, 0);
		if (rc == 0 && !retort_revlist_count(revs)) {
			rc = fail_msg(c, EXIT_FAILED, "No current revisions");
			goto done;
		}
	} else {
		rc = retort_resolve(&revs, r, pos.v[0]);
		if (rc == 0 && !retort_revlist_count(revs)) {
			rc = fail_msg(c, EXIT_USAGE,
				      "No revision files indicated by symbol "
				      "'%s'",
				      pos.v[0]);
			goto done;
		}
	}
	if (rc < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	for (i = 0; i < retort_revlist_count(revs) && !rc; i++)
		rc = run_editor(
		    c, retort_revision_path(retort_revlist_at(revs, i)));
done:
	retort_revlist_free(revs);
	close_project(r);
out:
	return rc;
}
