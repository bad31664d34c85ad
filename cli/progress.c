/* SPDX-License-Identifier: MIT */
/*
 * progress.c: see progress.h. The bar is drawn only for runs of at least
 * BAR_MIN steps, so short runs stay plain text.
 */
#include <string.h>
#include <unistd.h>

#include "progress.h"

#define BAR_MIN	  20
#define BAR_WIDTH 30

void progress_init(progress *p, cli *c)
{
	memset(p, 0, sizeof(*p));
	p->c = c;
	p->tty = isatty(2);
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

void progress_event(const retort_event *ev, void *payload)
{
	progress *p = payload;

	if (ev->kind == RETORT_EVENT_LOCK_WAIT) {
		/* always shown: a silent hang is worse than noise */
		clear_bar(p);
		fprintf(stderr, "retort: %s\n", ev->message);
		return;
	}
	if (p->c->quiet)
		return;
	p->total = ev->total;
	if (ev->kind == RETORT_EVENT_STEP_END) {
		const retort_step *s = ev->step;
		const char *doc =
		    s->revision ? retort_revision_doc(s->revision) : NULL;

		clear_bar(p);
		fprintf(stderr, "Running %s ", kind_name(s->kind));
		ids(stderr, s->from, s->nfrom);
		fputs(" -> ", stderr);
		ids(stderr, s->to, s->nto);
		if (doc && *doc)
			fprintf(stderr, ", %s", doc);
		fprintf(stderr, " ... %.0f ms\n", ev->elapsed_ms);
		if (p->tty && p->total >= BAR_MIN && ev->index + 1 < p->total)
			draw_bar(p, ev->index + 1);
	}
}

void progress_done(progress *p)
{
	clear_bar(p);
}
