/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c: libFuzzer target for the config reader (rt_config_load and
 * rt_config_get, src/config.h) and, through the url keys, for the database
 * URL parser (src/url.h).
 *
 * Each input is the text of a retort.ini, loaded for section [retort] with
 * a few environment variables set. Then every known key (the table in
 * src/config.c), some unknown ones and some case variants are read, which
 * runs the lazy interpolation, and the typed getters and rt_config_set()
 * are exercised. Whatever the bytes, nothing may crash, leak or read out
 * of bounds, and:
 *  - a failed load/get sets a RETORT_ECONFIG (or RETORT_ENOMEM) error with
 *    a non-empty message;
 *  - a loaded config names "<memory>", the section "retort", an absolute
 *    %(here)s; a value read is cached (the same pointer the second time),
 *    comes from a line > 0, and keys are case-insensitive;
 *  - strings handed out survive rt_config_set() (they are retired, not
 *    freed) and a set value reads back verbatim;
 *  - the same text with CRLF line ends gives the same results;
 *  - a text holding a NUL byte cannot be a config: it is loaded through a
 *    file (text configs stop at the NUL) and must fail;
 *  - a url that parses displays (password masked) as a url that parses
 *    back to the same parts.
 *
 * A broken invariant aborts with a message (not assert(): the fuzz build
 * is RelWithDebInfo, which defines NDEBUG).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* setenv, mkstemp, strdup */
#endif
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <unistd.h>

#include "project/config.h"
#include "project/url.h"
#include "retort.h"
#include "util/err.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
				__FILE__, __LINE__, #cond);              \
			abort();                                         \
		}                                                        \
	} while (0)

/* Keys that are not in the table (they can still be set in [DEFAULT]),
 * and case variants of known ones. */
static const char *const other_keys[] = {
	"here",
	"nope",
	"a",
	"b",
	"",
	"default",
	"retort",
	"URL",
	"Script_Location",
	"SQLALCHEMY.URL",
	"url ",
	"version_table_schema_",
};

#define NOTHER (sizeof(other_keys) / sizeof(other_keys[0]))
#define NKNOWN known_count()
#define NKEYS  (NKNOWN + NOTHER)
/* an upper bound for arrays indexed by key (checked where used) */
#define MAXKEYS 64

/* How many keys config.c knows (its own table, not a copy). */
static size_t known_count(void)
{
	size_t n = 0;

	while (rt_config_known_key(n))
		n++;
	return n;
}

static const char *key_at(size_t i)
{
	size_t nknown = known_count();

	return i < nknown ? rt_config_known_key(i) : other_keys[i - nknown];
}

static void set_env(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	setenv("RETORT_FUZZ_URL",
	       "postgresql://fz:s3cret@db.example:5432/app?sslmode=require", 1);
	setenv("RETORT_FUZZ_DIR", "/srv/app/migrations", 1);
	setenv("RETORT_FUZZ_EMPTY", "", 1);
	setenv("RETORT_FUZZ_PCT", "%(url)s ${RETORT_FUZZ_DIR} 100%", 1);
	setenv("RETORT_FUZZ_BOOL", "yes", 1);
	setenv("RETORT_FUZZ_INT", "42", 1);
	setenv("DATABASE_URL", "sqlite:///fuzz.db", 1);
	setenv("A", "a", 1);
	unsetenv("RETORT_FUZZ_UNSET");
	unsetenv("B");
}

static void check_err(int rc, const rt_err *err)
{
	CHECK(rc == RETORT_ECONFIG || rc == RETORT_ENOMEM);
	CHECK(err->code == rc);
	CHECK(rt_err_msg(err) != NULL && rt_err_msg(err)[0] != '\0');
}

static int streq_null(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* A parsed url must display as a url that parses back to the same parts
 * (with the password shown as "***"). */
static void check_url(const char *text)
{
	rt_err err = RT_ERR_INIT, err2 = RT_ERR_INIT;
	rt_str masked = RT_STR_INIT, shown = RT_STR_INIT;
	rt_url u, v;
	size_t i;
	int rc;

	CHECK(rt_url_mask(&masked, text) == 0);
	rc = rt_url_parse(&u, text, &err);
	if (rc < 0) {
		check_err(rc, &err);
		CHECK(u.scheme == NULL && u.nparams == 0);
		goto done;
	}
	(void)rt_url_is_memory(&u);
	(void)rt_url_param_get(&u, "sslmode");
	CHECK(rt_url_display(&shown, &u) == 0);
	rc = rt_url_parse(&v, rt_str_cstr(&shown), &err2);
	if (rc < 0) {
		fprintf(stderr, "url '%s' displays as '%s', which fails: %s\n",
			text, rt_str_cstr(&shown), rt_err_msg(&err2));
		CHECK(!"displayed url parses");
	}
	CHECK(u.dialect == v.dialect);
	CHECK(u.conninfo == v.conninfo);
	CHECK(streq_null(u.ports, v.ports));
	CHECK(streq_null(u.scheme, v.scheme));
	CHECK(streq_null(u.driver, v.driver));
	CHECK(streq_null(u.username, v.username));
	CHECK((u.password == NULL) == (v.password == NULL));
	CHECK(!v.password || strcmp(v.password, "***") == 0);
	CHECK(streq_null(u.host, v.host));
	CHECK(u.port == v.port);
	CHECK(streq_null(u.database, v.database));
	CHECK(u.nparams == v.nparams);
	for (i = 0; i < u.nparams; i++) {
		CHECK(strcmp(u.params[i].key, v.params[i].key) == 0);
		/* a password parameter is shown as "***" */
		if (!strcasecmp(u.params[i].key, "password"))
			CHECK(strcmp(v.params[i].value, "***") == 0);
		else
			CHECK(strcmp(u.params[i].value, v.params[i].value) ==
			      0);
	}
	rt_url_dispose(&v);
	rt_url_dispose(&u);
done:
	rt_str_dispose(&masked);
	rt_str_dispose(&shown);
	rt_err_dispose(&err);
	rt_err_dispose(&err2);
}

/* Append one result to the transcript that the CRLF run must reproduce. */
static void note(rt_str *log, const char *what, int rc, const char *v,
		 const rt_err *err)
{
	rt_str_printf(log, "%s\x01%d\x01%s\x01%s\n", what, rc, v ? v : "\x02",
		      rc < 0 ? rt_err_msg(err) : "");
}

static void exercise(rt_config *c, rt_str *log)
{
	const char *got[MAXKEYS], *v, *again, *lower;
	rt_err err = RT_ERR_INIT;
	size_t i;
	long n;
	int rc, b;

	CHECK(NKEYS <= MAXKEYS);
	CHECK(strcmp(rt_config_path(c), "<memory>") == 0);
	CHECK(strcmp(rt_config_section(c), "retort") == 0);
	CHECK(rt_config_here(c) != NULL && rt_config_here(c)[0] == '/');

	for (i = 0; i < NKEYS; i++) {
		const char *key = key_at(i);

		rc = rt_config_get(c, key, &got[i], &err);
		note(log, key, rc, got[i], &err);
		if (rc < 0) {
			check_err(rc, &err);
			CHECK(got[i] == NULL);
			/* a failed interpolation fails again, the same way */
			CHECK(rt_config_get(c, key, &again, &err) == rc);
			CHECK(again == NULL);
		} else {
			CHECK(rc == 0);
			CHECK(rt_config_get(c, key, &again, &err) == 0);
			CHECK(again == got[i]); /* cached */
			CHECK(!got[i] || rt_config_line(c, key) > 0);
			CHECK(got[i] || rt_config_line(c, key) == 0);
		}
		rt_err_clear(&err);
	}
	/* keys are case-insensitive: "URL" is "url" */
	for (i = NKNOWN; i < NKEYS; i++) {
		const char *key = key_at(i);
		char low[64];
		size_t j;

		for (j = 0; key[j] && j < sizeof(low) - 1; j++)
			low[j] = (char)(key[j] >= 'A' && key[j] <= 'Z'
					    ? key[j] - 'A' + 'a'
					    : key[j]);
		low[j] = '\0';
		if (strcmp(low, key) == 0)
			continue;
		rc = rt_config_get(c, low, &lower, &err);
		if (rc == 0 && rt_config_get(c, key, &v, &err) == 0)
			CHECK(v == lower);
		rt_err_clear(&err);
	}

	rc = rt_config_get_bool(c, "recursive_version_locations", 0, &b, &err);
	note(log, "bool", rc, rc < 0 ? NULL : b ? "1" : "0", &err);
	rt_err_clear(&err);
	rc = rt_config_get_bool(c, "transaction_per_migration", 1, &b, &err);
	note(log, "bool", rc, rc < 0 ? NULL : b ? "1" : "0", &err);
	rt_err_clear(&err);
	rc = rt_config_get_int(c, "truncate_slug_length", 40, &n, &err);
	CHECK(rc < 0 || n >= 0);
	note(log, "int", rc, rc < 0 ? NULL : n ? "n" : "0", &err);
	rt_err_clear(&err);
	rc = rt_config_get_int(c, "lock_timeout", 0, &n, &err);
	CHECK(rc < 0 || n >= 0);
	rt_err_clear(&err);
	rc = rt_config_get_default(c, "version_table", "retort_version", &v,
				   &err);
	CHECK(rc < 0 || v != NULL);
	rt_err_clear(&err);

	for (i = 0; i < NKEYS; i++)
		if (got[i] && strstr(key_at(i), "url"))
			check_url(got[i]);

	/* set: values read before stay readable; set values are literal */
	CHECK(rt_config_set(c, "url", "sqlite:///%(here)s/${X}.db", &err) == 0);
	CHECK(rt_config_set(c, "script_location", "", &err) == 0);
	CHECK(rt_config_set(c, "file_template", "%(rev)s_%%", &err) == 0);
	for (i = 0; i < NKEYS; i++)
		if (got[i])
			CHECK(strlen(got[i]) < (size_t)-1);
	CHECK(rt_config_get(c, "url", &v, &err) == 0);
	CHECK(v && strcmp(v, "sqlite:///%(here)s/${X}.db") == 0);
	CHECK(rt_config_get(c, "script_location", &v, &err) == 0);
	CHECK(v && strcmp(v, "") == 0);
	CHECK(rt_config_line(c, "script_location") == 0);
	for (i = 0; i < NKEYS; i++) {
		rc = rt_config_get(c, key_at(i), &v, &err);
		note(log, key_at(i), rc, v, &err);
		if (rc < 0)
			check_err(rc, &err);
		rt_err_clear(&err);
	}
	rt_err_dispose(&err);
}

/* Load `text` (NUL-terminated) and exercise it; the transcript goes to
 * `log`. */
static void run(const char *text, rt_str *log)
{
	rt_config *c = NULL;
	rt_err err = RT_ERR_INIT;
	int rc;

	rc = rt_config_load(&c, NULL, text, "retort", &err);
	note(log, "load", rc, NULL, &err);
	if (rc < 0) {
		check_err(rc, &err);
		CHECK(c == NULL);
	} else {
		CHECK(rc == 0 && c != NULL);
		exercise(c, log);
	}
	rt_config_free(c);
	rt_err_dispose(&err);
}

/* Text with a NUL byte: through a file, it must be refused. */
static void run_file(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/retort-fuzz-config-XXXXXX";
	rt_config *c = NULL;
	rt_err err = RT_ERR_INIT;
	int fd, rc;

	if ((fd = mkstemp(path)) < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return;
	}
	close(fd);
	rc = rt_config_load(&c, path, NULL, "retort", &err);
	unlink(path);
	if (rc == 0)
		fprintf(stderr, "a config with a NUL byte was accepted\n");
	CHECK(rc < 0);
	check_err(rc, &err);
	CHECK(strncmp(rt_err_msg(&err), path, strlen(path)) == 0);
	rt_err_dispose(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rt_str log1 = RT_STR_INIT, log2 = RT_STR_INIT;
	char *text, *crlf;
	size_t len, i, n;

	set_env();
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	len = strlen(text);
	run(text, &log1);

	/* the same text with CRLF line ends (when it has no CR of its own) */
	if (!memchr(text, '\r', len) && (crlf = malloc(2 * len + 1)) != NULL) {
		for (i = n = 0; i < len; i++) {
			if (text[i] == '\n')
				crlf[n++] = '\r';
			crlf[n++] = text[i];
		}
		crlf[n] = '\0';
		run(crlf, &log2);
		if (!log1.oom && !log2.oom &&
		    strcmp(rt_str_cstr(&log1), rt_str_cstr(&log2)) != 0) {
			fprintf(stderr, "LF:\n%s\nCRLF:\n%s\n",
				rt_str_cstr(&log1), rt_str_cstr(&log2));
			CHECK(!"CRLF text reads the same as LF text");
		}
		free(crlf);
	}

	if (len < size)
		run_file(data, size);

	rt_str_dispose(&log1);
	rt_str_dispose(&log2);
	free(text);
	return 0;
}
