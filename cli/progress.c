/* SPDX-License-Identifier: MIT */
/*
 * progress.c: see progress.h. The library reports events on the thread
 * that runs the migration (which is blocked in the database while a
 * statement runs), so a ticker thread writes the "still running" lines;
 * every write to stderr about a step holds mu. The bar is drawn only for
 * runs of at least BAR_MIN steps, so short runs stay plain text.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BAR_MIN	  20
#define BAR_WIDTH 30
/* on a terminal, the in-place line is refreshed this often (ms) */
#define TTY_REFRESH 1000.0

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* RETORT_PROGRESS_INTERVAL: seconds (a decimal), default 5 (unset or
 * empty); anything else is warned about, and the default used. */
static double threshold_ms(cli *c)
{
	const char *v = getenv("RETORT_PROGRESS_INTERVAL");
	char *end, msg[160];
	double s;

	if (!v || !*v)
		return 5000.0;
	s = strtod(v, &end);
	if (!*end && s > 0 && s < 1e9)
		return s * 1000.0;
	snprintf(msg, sizeof(msg),
		 "RETORT_PROGRESS_INTERVAL='%.40s%s' is not a number of "
		 "seconds above 0; using 5",
		 v, strlen(v) > 40 ? "..." : "");
	for (end = msg; *end; end++) /* one line */
		if ((unsigned char)*end < 0x20)
			*end = '?';
	log_to_stderr(RETORT_LOG_WARNING, msg, c);
	return 5000.0;
}

void progress_init(progress *p, cli *c, int dry_run)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->tty = isatty(2);
	p->dry = dry_run;
	p->threshold_ms = threshold_ms(c);
	pthread_mutex_init(&p->mu, NULL);
	if (c->json)
		p->steps = open_memstream(&p->steps_buf, &p->steps_len);
	if (c->json && dry_run)
		p->sql = open_memstream(&p->sql_buf, &p->sql_len);
}

int progress_write(const char *data, size_t len, void *payload)
{
	progress *p = payload;
	FILE *f = p->sql ? p->sql : stdout;

	return fwrite(data, 1, len, f) == len ? 0 : -1;
}

static void ids(FILE *f, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", v[i]);
}

static const char *kind_name(retort_step_kind k)
{
	return k == RETORT_STEP_UPGRADE	    ? "upgrade"
	       : k == RETORT_STEP_DOWNGRADE ? "downgrade"
					    : "stamp_revision";
}

static void clear_bar(progress *p)
{
	if (p->bar) {
		fputs("\r\033[K", stderr);
		p->bar = 0;
	}
}

static void draw_bar(progress *p, size_t done)
{
	size_t fill = p->total ? done * BAR_WIDTH / p->total : 0, i;

	fputs("\r\033[K[", stderr);
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < fill ? '#' : '-', stderr);
	fprintf(stderr, "] %zu/%zu", done, p->total);
	fflush(stderr);
	p->bar = 1;
}

/* "upgrade A -> B, message" into buf. */
static void describe(char *buf, size_t size, const retort_step *s)
{
	const char *doc = s->revision ? retort_revision_doc(s->revision) : NULL;
	FILE *f = fmemopen(buf, size, "w");

	if (!f) {
		buf[0] = '\0';
		return;
	}
	fprintf(f, "%s ", kind_name(s->kind));
	ids(f, s->from, s->nfrom);
	fputs(" -> ", f);
	ids(f, s->to, s->nto);
	if (doc && *doc)
		fprintf(f, ", %s", doc);
	fclose(f);
	buf[size - 1] = '\0';
}

static void json_step(progress *p, const retort_event *ev)
{
	const retort_step *s = ev->step;
	const char *doc = s->revision ? retort_revision_doc(s->revision) : "";

	fprintf(p->steps, "%s{\"kind\": \"%s\", \"revision\": ",
		p->nsteps++ ? ",\n  " : "", kind_name(s->kind));
	if (s->revision)
		json_string(p->steps, retort_revision_id(s->revision));
	else
		fputs("null", p->steps);
	fputs(", \"from\": ", p->steps);
	json_string_list(p->steps, s->from, s->nfrom);
	fputs(", \"to\": ", p->steps);
	json_string_list(p->steps, s->to, s->nto);
	fputs(", \"message\": ", p->steps);
	json_string(p->steps, doc);
	fprintf(p->steps, ", \"elapsed_ms\": %.1f}", ev->elapsed_ms);
}

/* The ticker: a step in flight past the threshold gets its elapsed time
 * and statement shown. */
static void tick(progress *p, double t)
{
	double el = t - p->started;

	if (!p->running || el < p->threshold_ms)
		return;
	if (p->tty) {
		if (p->ticked && t - p->last_tick < TTY_REFRESH)
			return;
		fprintf(stderr, "\r\033[KRunning %s ... %.1f s%s%s", p->head,
			el / 1000, p->stmt[0] ? ": " : "", p->stmt);
	} else {
		if (p->ticked && t - p->last_tick < p->threshold_ms)
			return;
		if (p->open_line)
			fputc('\n', stderr);
		fprintf(stderr, "  ... %s: %.1f s%s%s\n", p->head, el / 1000,
			p->stmt[0] ? ", running " : "", p->stmt);
	}
	fflush(stderr);
	p->open_line = p->tty;
	p->ticked = 1;
	p->last_tick = t;
}

static void *ticker(void *arg)
{
	progress *p = arg;
	struct timespec ts = { 0, 50 * 1000000L };

	for (;;) {
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		tick(p, now_ms());
		pthread_mutex_unlock(&p->mu);
	}
}

/* The ticker thread, with every signal blocked in it: Ctrl-C and SIGTERM
 * must reach the main thread, whose waits main.c's handlers (installed
 * without SA_RESTART) cut short. */
static int start_ticker(progress *p)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&p->ticker, NULL, ticker, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* A statement starts: "line N: its first line", trimmed. */
static void statement(progress *p, const retort_event *ev)
{
	const char *s = ev->statement;
	size_t n = ev->statement_len, k = 0;
	int len;

	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	if (!n)
		return; /* only blanks: keep the last one */
	while (k < n && s[k] != '\n' && s[k] != '\r')
		k++;
	len = k > 80 ? 80 : (int)k;
	snprintf(p->stmt, sizeof(p->stmt), "line %u: %.*s%s", ev->line, len, s,
		 k > 80 ? "..." : "");
}

static void step_begin(progress *p, const retort_event *ev)
{
	describe(p->head, sizeof(p->head), ev->step);
	clear_bar(p);
	fprintf(stderr, "Running %s ...", p->head);
	fflush(stderr);
	p->open_line = 1;
	p->running = 1;
	p->ticked = 0;
	p->stmt[0] = '\0';
	p->started = now_ms();
	if (!p->ticking && !p->stop && start_ticker(p) == 0)
		p->ticking = 1;
}

static void step_end(progress *p, const retort_event *ev)
{
	p->running = 0;
	if (p->open_line && !p->ticked)
		fprintf(stderr, " %.0f ms\n", ev->elapsed_ms);
	else
		fprintf(stderr, "%sRunning %s ... %.0f ms\n",
			p->tty ? "\r\033[K" : "", p->head, ev->elapsed_ms);
	p->open_line = 0;
	if (p->tty && p->total >= BAR_MIN && ev->index + 1 < p->total)
		draw_bar(p, ev->index + 1);
}

void progress_event(const retort_event *ev, void *payload)
{
	progress *p = payload;

	pthread_mutex_lock(&p->mu);
	if (ev->kind == RETORT_EVENT_LOCK_WAIT) {
		/* always shown: a silent hang is worse than noise */
		clear_bar(p);
		if (p->open_line)
			fputc('\n', stderr);
		p->open_line = 0;
		fprintf(stderr, "retort: %s\n", ev->message);
	} else if (p->c->json) {
		if (ev->kind == RETORT_EVENT_STEP_END && p->steps)
			json_step(p, ev);
	} else if (p->c->quiet) {
		/* nothing */
	} else if (p->dry) {
		char head[512];

		if (ev->kind == RETORT_EVENT_STEP_END) {
			describe(head, sizeof(head), ev->step);
			fprintf(stderr, "Would run %s\n", head);
		}
	} else {
		p->total = ev->total;
		if (ev->kind == RETORT_EVENT_STEP_BEGIN)
			step_begin(p, ev);
		else if (ev->kind == RETORT_EVENT_STATEMENT)
			statement(p, ev);
		else if (ev->kind == RETORT_EVENT_STEP_END)
			step_end(p, ev);
	}
	pthread_mutex_unlock(&p->mu);
}

static void print_json(progress *p, retort *r, int rc)
{
	fflush(p->steps);
	if (p->sql)
		fflush(p->sql);
	printf("{\"ok\": %s, \"dry_run\": %s, \"steps\": [%s]",
	       rc < 0 ? "false" : "true", p->dry ? "true" : "false",
	       p->steps_buf ? p->steps_buf : "");
	if (p->dry) {
		fputs(", \"sql\": ", stdout);
		json_string(stdout, p->sql_buf ? p->sql_buf : "");
	}
	if (rc < 0) {
		fputs(", \"error\": ", stdout);
		json_string(stdout, retort_errmsg(r));
	}
	fputs("}\n", stdout);
}

void progress_done(progress *p, retort *r, int rc)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	/* the step in flight did not end: say how, before the error */
	if (p->running && !p->c->json && !p->c->quiet && !p->dry) {
		const char *how =
		    rc == RETORT_EINTERRUPTED ? "interrupted" : "failed";

		if (p->open_line && !p->ticked)
			fprintf(stderr, " %s\n", how);
		else
			fprintf(stderr, "%sRunning %s ... %s\n",
				p->tty ? "\r\033[K" : "", p->head, how);
	} else if (p->open_line)
		fputc('\n', stderr);
	p->open_line = 0;
	clear_bar(p);
	pthread_mutex_unlock(&p->mu);
	if (p->ticking)
		pthread_join(p->ticker, NULL);
	if (p->c->json && p->steps)
		print_json(p, r, rc);
	if (p->steps)
		fclose(p->steps);
	if (p->sql)
		fclose(p->sql);
	free(p->steps_buf);
	free(p->sql_buf);
	pthread_mutex_destroy(&p->mu);
}
