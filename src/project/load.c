/* SPDX-License-Identifier: MIT */
/*
 * load.c: reading and parsing revision files, on several threads for a
 * large project (load.h).
 *
 * The files are cut into as many consecutive ranges as there are
 * threads; each thread reads and parses its range into its own slots of
 * r->scripts, with its own arena, buffer and error, and stops at its
 * first failure unless keep_going. The calling thread takes the first
 * range. After the join, failures are taken range by range (so in file
 * order), the workers' arenas join r->files, and the slots of the files
 * that failed are closed up. Workers block every signal
 * (rt_thread_start): a Ctrl-C goes to the calling thread, as in a load
 * without threads.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "project/load.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/thread.h"
#include "util/vec.h"

/* Below this many files one thread does it all (a thread costs more
 * than it saves); at most this many threads. */
#define THREAD_MIN_FILES 256
#define THREADS_MAX	 4

typedef struct failure {
	size_t file;
	const char *kind; /* "read" or "parse" */
	int code;
	char *msg;
} failure;

typedef struct range {
	retort_revision *slots; /* r->scripts, one per file */
	unsigned char *ok;	/* per file: parsed into its slot */
	const rt_files *files;
	size_t from, to;
	int keep_going;
	rt_arena arena; /* a worker's texts; the first range uses r->files */
	rt_arena *into;
	RT_VEC(failure) failed;
	int oom;
	pthread_t thread;
	int started;
} range;

/* Room for n revisions, in the files arena: sized once, as the number of
 * files is known before any is read (no growing array to copy, and the
 * graph uses it in place). */
static int reserve(retort *r, size_t n)
{
	if (n > UINT32_MAX / 2)
		return rt_fail(r, RETORT_ECONFIG, "too many revision files");
	r->scripts =
	    rt_arena_alloc(&r->files, (n ? n : 1) * sizeof(*r->scripts));
	r->nscripts = 0;
	return r->scripts ? 0 : rt_err_oom(&r->err);
}

/* A failure of kind ("read", "parse") at path, whose message is on r->err,
 * as a problem: with the line the message names ("path:line: ..."). */
static int problem(retort *r, const char *kind, const char *path)
{
	const char *msg = rt_err_msg(&r->err);
	size_t n = strlen(path);
	unsigned line = 0;

	if (!strncmp(msg, path, n) && msg[n] == ':')
		line = (unsigned)strtoul(msg + n + 1, NULL, 10);
	return rt_problem_add(&r->problems, kind, NULL, path, line, msg) < 0
		   ? rt_err_oom(&r->err)
		   : 0;
}

int rt_load_sources(retort *r, int keep_going)
{
	size_t i;
	int error = reserve(r, r->sources.n);

	for (i = 0; i < r->sources.n && !error; i++) {
		const retort_source *src = &r->sources.v[i];

		error =
		    rt_script_parse(&r->scripts[r->nscripts].s, &r->files,
				    src->name, src->text, src->len, &r->err);
		if (error == 0)
			r->nscripts++;
		else if (keep_going && error != RETORT_ENOMEM)
			error = problem(r, "parse", src->name);
	}
	return error;
}

/* Record a failure of file i (message taken from err). 0, or -1 when
 * memory ran out. */
static int fail_file(range *g, size_t i, const char *kind, rt_err *err)
{
	failure f = { i, kind, err->code, rt_strdup(rt_err_msg(err)) };

	rt_err_clear(err);
	if (!f.msg || RT_VEC_PUSH(&g->failed, f) < 0) {
		free(f.msg);
		return -1;
	}
	return 0;
}

static void *read_range(void *arg)
{
	range *g = arg;
	rt_str buf = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;
	size_t i;

	for (i = g->from; i < g->to; i++) {
		const rt_file *f = &g->files->v.v[i];
		const char *kind = "read";
		int error = rt_file_read(f, &buf, &err);

		if (error == 0) {
			kind = "parse";
			error =
			    rt_script_parse(&g->slots[i].s, g->into, f->path,
					    rt_str_cstr(&buf), buf.len, &err);
		}
		if (error == 0) {
			g->ok[i] = 1;
			continue;
		}
		if (error == RETORT_ENOMEM || fail_file(g, i, kind, &err) < 0) {
			g->oom = 1;
			break;
		}
		if (!g->keep_going)
			break;
	}
	rt_str_dispose(&buf);
	rt_err_dispose(&err);
	return NULL;
}

/* How many threads for n files: the cores this process may run on (its
 * affinity, which taskset and container cpusets set), at most
 * THREADS_MAX. */
static size_t thread_count(size_t n)
{
	long cpus = -1;
	size_t t;
#ifdef CPU_COUNT
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cpus = CPU_COUNT(&set);
#endif
	if (cpus <= 0)
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	t = cpus > 0 ? (size_t)cpus : 1;
	if (n < THREAD_MIN_FILES)
		return 1;
	return t > THREADS_MAX ? THREADS_MAX : t;
}

/* Start ranges 1.. on threads of their own (signals blocked); a range
 * whose thread cannot start is read by the calling thread after its
 * own. */
static void start_workers(range *g, size_t t)
{
	size_t k;

	for (k = 1; k < t; k++)
		g[k].started =
		    rt_thread_start(&g[k].thread, read_range, &g[k]) == 0;
}

/* The failures as the handle's error or problems, in file order. */
static int report(retort *r, range *g, size_t t, int keep_going)
{
	size_t k, j;

	for (k = 0; k < t; k++) {
		if (g[k].oom)
			return rt_err_oom(&r->err);
		for (j = 0; j < g[k].failed.n; j++) {
			const failure *f = &g[k].failed.v[j];
			const char *path = g->files->v.v[f->file].path;

			rt_err_set(&r->err, f->code, "%s", f->msg);
			if (!keep_going)
				return f->code;
			if (problem(r, f->kind, path) < 0)
				return RETORT_ENOMEM;
		}
	}
	return 0;
}

/* Close up the slots of the files that failed. */
static void compact(retort *r, const unsigned char *ok, size_t n)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (ok[i])
			r->scripts[kept++] = r->scripts[i];
	r->nscripts = kept;
}

static void ranges_free(retort *r, range *g, size_t t)
{
	size_t k, j;

	for (k = 0; k < t; k++) {
		for (j = 0; j < g[k].failed.n; j++)
			free(g[k].failed.v[j].msg);
		RT_VEC_FREE(&g[k].failed);
		rt_arena_merge(&r->files, &g[k].arena);
	}
	free(g);
}

int rt_load_files(retort *r, int keep_going, const rt_files *files)
{
	size_t n = files->v.n, t = thread_count(n), k;
	unsigned char *ok;
	range *g;
	int error;

	if ((error = reserve(r, n)) < 0)
		return error;
	ok = rt_arena_alloc(&r->files, n ? n : 1);
	g = calloc(t, sizeof(*g));
	if (!ok || !g) {
		free(g);
		return rt_err_oom(&r->err);
	}
	for (k = 0; k < t; k++) {
		g[k] = (range){ .slots = r->scripts,
				.ok = ok,
				.files = files,
				.from = n * k / t,
				.to = n * (k + 1) / t,
				.keep_going = keep_going };
		g[k].into = k ? &g[k].arena : &r->files;
	}
	start_workers(g, t);
	read_range(&g[0]);
	for (k = 1; k < t; k++)
		if (g[k].started)
			pthread_join(g[k].thread, NULL);
		else
			read_range(&g[k]);
	error = report(r, g, t, keep_going);
	compact(r, ok, n);
	ranges_free(r, g, t);
	return error;
}
