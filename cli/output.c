/* SPDX-License-Identifier: MIT */
/*
 * output.c: how the CLI talks to the user: errors on stderr as one
 * "retort: ..." line, exit statuses from library codes, revision lines
 * with optional colours, and JSON encoding for --json.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define CYAN   "\033[36m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

int exit_status(int code)
{
	switch (code) {
	case RETORT_OK:
		return EXIT_OK;
	case RETORT_EUSAGE:
	case RETORT_ECONFIG:
	case RETORT_ENOTFOUND:
	case RETORT_EGRAPH:
		return EXIT_USAGE;
	case RETORT_EPROBLEMS:
		return EXIT_PROBLEMS;
	default:
		return EXIT_FAILED;
	}
}

int fail_msg(cli *c, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%sretort:%s ", c->color_err ? RED BOLD : "",
		c->color_err ? RESET : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int fail_with(cli *c, retort *r, int code)
{
	return fail_msg(c, exit_status(code), "%s",
			r ? retort_errmsg(r) : "out of memory");
}

void log_to_stderr(retort_log_level level, const char *message, void *payload)
{
	cli *c = payload;

	if (level == RETORT_LOG_NOTICE)
		fprintf(stderr, "retort: %s\n", message);
	else if (level == RETORT_LOG_WARNING)
		fprintf(stderr, "%sretort: warning:%s %s\n",
			c->color_err ? YELLOW : "", c->color_err ? RESET : "",
			message);
	else if (!c->quiet)
		fprintf(stderr, "%s\n", message);
}

void (*open_project_hook)(retort_open_options *o);

int open_project(cli *c, retort **out)
{
	retort_open_options o = RETORT_OPEN_OPTIONS_INIT;
	int rc;

	o.config_path = c->config;
	o.section = c->section;
	o.url = c->url;
	o.x_args = c->x.v;
	o.x_count = c->x.n;
	o.log = log_to_stderr;
	o.log_payload = c;
	if (open_project_hook)
		open_project_hook(&o);
	rc = retort_open(out, &o);
	if (rc < 0) {
		int status = fail_with(c, *out, rc);

		retort_close(*out);
		*out = NULL;
		return status;
	}
	if (c->wait_for_db) {
		char *end;
		double s = strtod(c->wait_for_db, &end);

		if (!*c->wait_for_db || *end ||
		    retort_set_connect_wait(*out, s) < 0) {
			retort_close(*out);
			*out = NULL;
			return fail_msg(c, EXIT_USAGE,
					"--wait-for-db takes a number of "
					"seconds from 0 to 86400, not '%s'",
					c->wait_for_db);
		}
	}
	watch_interrupts(*out);
	return 0;
}

void close_project(retort *r)
{
	watch_interrupts(NULL);
	retort_close(r);
}

/* Some downgrade section (one per dialect in a file with per-dialect
 * sections) is empty without being marked noop. */
static int irreversible(const retort_revision *rev)
{
	size_t i, n = retort_revision_section_count(rev, 1);

	for (i = 0; i < n; i++) {
		const retort_section *sec =
		    retort_revision_section_at(rev, 1, i, NULL);

		if (sec && sec->empty && !sec->noop)
			return 1;
	}
	return 0;
}

static const char *const markers[][2] = {
	{ " (head)", GREEN },	     { " (effective head)", GREEN },
	{ " (current)", CYAN },	     { " (branchpoint)", YELLOW },
	{ " (mergepoint)", YELLOW },
};

void print_colored_line(cli *c, const char *text)
{
	const char *p = text;

	if (!c->color) {
		puts(text);
		return;
	}
	while (*p) {
		size_t k, best_at = strlen(p), best = 0;

		for (k = 0; k < sizeof(markers) / sizeof(markers[0]); k++) {
			const char *hit = strstr(p, markers[k][0]);

			if (hit && (size_t)(hit - p) < best_at) {
				best_at = (size_t)(hit - p);
				best = k + 1;
			}
		}
		fwrite(p, 1, best_at, stdout);
		p += best_at;
		if (!best)
			break;
		fputc(' ', stdout);
		fputs(markers[best - 1][1], stdout);
		fputs(markers[best - 1][0] + 1, stdout);
		fputs(RESET, stdout);
		p += strlen(markers[best - 1][0]);
	}
	fputc('\n', stdout);
}

void print_revision(cli *c, const retort_revision *rev, unsigned flags)
{
	retort_buf buf = RETORT_BUF_INIT;

	if (retort_revision_format(&buf, rev, flags) < 0) {
		fail_msg(c, EXIT_FAILED, "out of memory");
		return;
	}
	print_colored_line(c, buf.ptr ? buf.ptr : "");
	retort_buf_dispose(&buf);
}

/* ---- JSON ---- */

void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void json_string_list(FILE *f, const char *const *v, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, v[i]);
	}
	fputc(']', f);
}

void json_revision(FILE *f, const retort_revision *rev, int current,
		   int with_longdoc)
{
	unsigned fl = retort_revision_flags(rev);
	size_t i, n;

	fputs("{\"revision\": ", f);
	json_string(f, retort_revision_id(rev));
	fputs(", \"down_revisions\": [", f);
	n = retort_revision_down_count(rev);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, retort_revision_down_at(rev, i));
	}
	fputs("], \"depends_on\": [", f);
	n = retort_revision_depends_count(rev);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, retort_revision_depends_at(rev, i));
	}
	fputs("], \"branch_labels\": [", f);
	n = retort_revision_label_count(rev);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		json_string(f, retort_revision_label_at(rev, i));
	}
	fputs("], \"children\": [", f);
	n = retort_revision_child_count(rev);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		json_string(
		    f, retort_revision_id(retort_revision_child_at(rev, i)));
	}
	fputs("], \"message\": ", f);
	json_string(f, retort_revision_doc(rev));
	fputs(", \"path\": ", f);
	json_string(f, retort_revision_path(rev));
	fputs(", \"create_date\": ", f);
	json_string(f, retort_revision_create_date(rev));
	fprintf(f,
		", \"is_head\": %s, \"is_base\": %s, \"is_branch_point\": %s, "
		"\"is_merge_point\": %s",
		fl & RETORT_REV_REAL_HEAD ? "true" : "false",
		fl & RETORT_REV_BASE ? "true" : "false",
		fl & RETORT_REV_BRANCHPOINT ? "true" : "false",
		fl & RETORT_REV_MERGEPOINT ? "true" : "false");
	if (current >= 0)
		fprintf(f, ", \"current\": %s", current ? "true" : "false");
	if (with_longdoc) {
		fputs(", \"longdoc\": ", f);
		json_string(f, retort_revision_longdoc(rev));
		fprintf(f, ", \"irreversible\": %s",
			irreversible(rev) ? "true" : "false");
	}
	fputc('}', f);
}
