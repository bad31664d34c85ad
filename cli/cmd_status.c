/* SPDX-License-Identifier: MIT */
/*
 * cmd_status.c: `retort status`: every revision, applied or pending, with
 * when, by whom and how long its last run took and whether its file is
 * still what ran; then the dirty state. Reads only. --json gives the same
 * as one object (json_dirty() is also `current --json`'s "dirty").
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *checksum_name(retort_checksum_state s)
{
	switch (s) {
	case RETORT_CHECKSUM_MATCHES:
		return "matches";
	case RETORT_CHECKSUM_CHANGED:
		return "changed";
	case RETORT_CHECKSUM_FILE_MISSING:
		return "file missing";
	case RETORT_CHECKSUM_UNKNOWN:
		return "not recorded";
	default:
		return "-";
	}
}

void json_dirty(FILE *f, const retort_dirty *d)
{
	if (!d || !d->dirty) {
		fputs("null", f);
		return;
	}
	fputs("{\"revision\": ", f);
	json_string(f, d->revision);
	fputs(", \"direction\": ", f);
	json_string(f, d->direction);
	fputs(", \"status\": ", f);
	json_string(f, d->status);
	fputs(", \"started_at\": ", f);
	json_string(f, d->started_at);
	fputs(", \"host\": ", f);
	json_string(f, d->host);
	fputs(", \"pid\": ", f);
	json_string(f, d->pid);
	fputs(", \"message\": ", f);
	json_string(f, d->message);
	if (d->statements_done >= 0)
		fprintf(f, ", \"statements_done\": %ld", d->statements_done);
	else
		fputs(", \"statements_done\": null", f);
	fputs("}", f);
}

static void json_entry(const retort_status_entry *e, int first)
{
	fputs(first ? "" : ",\n  ", stdout);
	fputs("{\"revision\": ", stdout);
	json_string(stdout, e->id);
	fputs(", \"message\": ", stdout);
	json_string(stdout,
		    e->revision ? retort_revision_doc(e->revision) : NULL);
	printf(", \"applied\": %s, \"applied_at\": ",
	       e->applied ? "true" : "false");
	json_string(stdout, e->applied_at);
	fputs(", \"applied_by\": ", stdout);
	json_string(stdout, e->applied_by);
	fputs(", \"host\": ", stdout);
	json_string(stdout, e->host);
	if (e->duration_ms >= 0)
		printf(", \"duration_ms\": %.1f", e->duration_ms);
	else
		fputs(", \"duration_ms\": null", stdout);
	printf(", \"stamped\": %s, \"checksum\": ",
	       e->stamped ? "true" : "false");
	json_string(stdout, e->checksum == RETORT_CHECKSUM_NONE
				? NULL
				: checksum_name(e->checksum));
	fputs("}", stdout);
}

static void text_entry(const retort_status_entry *e, int w)
{
	char dur[32] = "";

	if (e->duration_ms >= 0)
		snprintf(dur, sizeof(dur), "%.0f ms", e->duration_ms);
	printf("%-*s  %-8s  %-32s  %-12s  %-9s  %s\n", w, e->id,
	       !e->applied  ? "pending"
	       : e->stamped ? "stamped"
			    : "applied",
	       e->applied_at ? e->applied_at : "",
	       e->applied_by ? e->applied_by : "", dur,
	       checksum_name(e->checksum));
}

static void text_dirty(const retort_dirty *d)
{
	if (!d->dirty) {
		printf("The database is clean.\n");
		return;
	}
	int failed = !strcmp(d->status, "failed");

	printf("The database is dirty: %s of revision %s %s", d->direction,
	       d->revision ? d->revision : "?",
	       failed ? "failed" : "never finished");
	if (d->statements_done >= 0)
		printf(" at statement %ld", d->statements_done + 1);
	printf(" (started at %s by pid %s on %s)",
	       d->started_at ? d->started_at : "?", d->pid ? d->pid : "?",
	       d->host ? d->host : "?");
	if (d->message && *d->message)
		printf(": %s", d->message);
	if (failed && d->statements_done >= 0)
		printf("\nFix the cause and run the same %s again to go on "
		       "from statement %ld, or fix the database by hand and "
		       "run 'retort repair'.\n",
		       d->direction, d->statements_done + 1);
	else
		printf("\nFix the database by hand, then run 'retort "
		       "repair'.\n");
}

int cmd_status(cli *c, int argc, char **argv)
{
	strlist pos = { 0 };
	const opt_spec opts[] = { { NULL, 0, OPT_FLAG, NULL, NULL, NULL } };
	retort_status *st = NULL;
	retort *r = NULL;
	size_t i, n;
	int rc, w = 8;

	if (opt_parse(c, "status", opts, argc, argv, &pos) < 0)
		return EXIT_USAGE;
	if (c->help) {
		print_command_help(stdout, find_command("status"), opts);
		return EXIT_OK;
	}
	if (pos.n)
		return fail_msg(c, EXIT_USAGE, "status takes no arguments");
	if ((rc = open_project(c, &r)) != 0)
		return rc;
	if ((rc = retort_read_status(&st, r)) < 0) {
		rc = fail_with(c, r, rc);
		goto done;
	}
	rc = EXIT_OK;
	n = retort_status_count(st);
	if (c->json) {
		fputs("{\"revisions\": [", stdout);
		for (i = 0; i < n; i++)
			json_entry(retort_status_at(st, i), !i);
		fputs("], \"dirty\": ", stdout);
		json_dirty(stdout, retort_status_dirty(st));
		fputs("}\n", stdout);
		goto done;
	}
	for (i = 0; i < n; i++)
		if ((int)strlen(retort_status_at(st, i)->id) > w)
			w = (int)strlen(retort_status_at(st, i)->id);
	printf("%-*s  %-8s  %-32s  %-12s  %-9s  %s\n", w, "Revision", "State",
	       "Applied at (UTC)", "By", "Took", "Checksum");
	for (i = 0; i < n; i++)
		text_entry(retort_status_at(st, i), w);
	text_dirty(retort_status_dirty(st));
done:
	retort_status_free(st);
	close_project(r);
	return rc;
}
