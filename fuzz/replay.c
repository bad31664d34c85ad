/* SPDX-License-Identifier: MIT */
/*
 * replay.c: run a fuzz target over a corpus without libFuzzer, so that the
 * checked-in corpus is a regression test in every (sanitizer) build.
 *
 *   replay_<target> DIR [FILE...]
 *
 * Runs LLVMFuzzerTestOneInput once on every regular file in DIR (sorted by
 * name, so runs are reproducible) and then on each FILE given, and prints
 * how many inputs ran. Exits 1 when DIR is missing or holds no input, 2 on
 * a usage or read error. A crash or sanitizer report ends the run: the
 * name of the input being run is printed first, on stderr.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* setenv, mkstemp, strdup */
#endif
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Read a whole file into a fresh buffer (one spare byte, so that an empty
 * input is still a valid pointer, as libFuzzer gives). */
static int read_all(const char *path, uint8_t **out, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL, *p;
	size_t cap = 0, len = 0, got;

	if (!f)
		return -1;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((p = realloc(buf, cap)) == NULL) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	*out = buf;
	*n = len;
	return 0;
}

/* The input gets its own allocation of exactly its size, so that ASan
 * sees any read past its end. */
static int run_one(const char *path)
{
	uint8_t *buf, *exact;
	size_t n;

	if (read_all(path, &buf, &n) < 0) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if ((exact = malloc(n ? n : 1)) == NULL) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, n);
	free(buf);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char **names = NULL, **grown, *path;
	size_t nnames = 0, cap = 0, i, ran = 0;
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int a, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [FILE...]\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if ((dir = opendir(argv[1])) == NULL) {
		fprintf(stderr, "replay: cannot open corpus '%s': %s\n",
			argv[1], strerror(errno));
		return 1;
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue; /* ., .., hidden files */
		if (nnames == cap) {
			cap = cap ? cap * 2 : 64;
			if ((grown = realloc(names, cap * sizeof(*names))) ==
			    NULL)
				return 2;
			names = grown;
		}
		if ((names[nnames] = strdup(d->d_name)) == NULL)
			return 2;
		nnames++;
	}
	closedir(dir);
	if (nnames)
		qsort(names, nnames, sizeof(*names), by_name);

	for (i = 0; i < nnames; i++) {
		size_t len = strlen(argv[1]) + strlen(names[i]) + 2;

		if ((path = malloc(len)) == NULL)
			return 2;
		snprintf(path, len, "%s/%s", argv[1], names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_one(path) < 0)
				status = 2;
			else
				ran++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	for (a = 2; a < argc; a++) {
		if (run_one(argv[a]) < 0)
			status = 2;
		else
			ran++;
	}

	printf("replay: ran %zu input%s from %s\n", ran, ran == 1 ? "" : "s",
	       argv[1]);
	if (ran == 0) {
		fprintf(stderr, "replay: no inputs in '%s'\n", argv[1]);
		return 1;
	}
	return status;
}
