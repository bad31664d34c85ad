/* SPDX-License-Identifier: MIT */
/*
 * test_config.c: retort.ini loading (inih + our line-counting reader),
 * key validation, [DEFAULT], continuation lines, lazy interpolation
 * (%(here)s, %(key)s, %%, ${VAR}, ${VAR:-default}), typed getters and
 * overrides. Every error text is checked in full.
 *
 * Criterion runs each test in its own process, so setenv() and chdir()
 * here do not leak into other tests.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "project/config.h"
#include "retort.h"

static rt_config *load(const char *path, const char *text, const char *section)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = NULL;
	int rc = rt_config_load(&c, path, text, section, &err);

	cr_assert_eq(rc, 0, "load failed: %s", rt_err_msg(&err));
	cr_assert_not_null(c);
	rt_err_dispose(&err);
	return c;
}

static rt_config *load_text(const char *text)
{
	return load(NULL, text, NULL);
}

static void expect_load_error(const char *path, const char *text,
			      const char *section, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = NULL;
	int rc = rt_config_load(&c, path, text, section, &err);

	cr_assert_eq(rc, RETORT_ECONFIG, "expected an error, got %d", rc);
	cr_assert_eq(err.code, RETORT_ECONFIG);
	cr_assert_null(c);
	cr_assert_str_eq(rt_err_msg(&err), msg);
	rt_err_dispose(&err);
}

static const char *get(const rt_config *c, const char *key)
{
	rt_err err = RT_ERR_INIT;
	const char *v = NULL;
	int rc = rt_config_get(c, key, &v, &err);

	cr_assert_eq(rc, 0, "get %s failed: %s", key, rt_err_msg(&err));
	rt_err_dispose(&err);
	return v;
}

static void expect_get_error(const rt_config *c, const char *key,
			     const char *msg)
{
	rt_err err = RT_ERR_INIT;
	const char *v = "unchanged";
	int rc = rt_config_get(c, key, &v, &err);

	cr_assert_eq(rc, RETORT_ECONFIG, "expected an error for %s", key);
	cr_assert_null(v);
	cr_assert_str_eq(rt_err_msg(&err), msg);
	rt_err_dispose(&err);
}

/* The value of `key` in "[retort]\n<key> = <value>\n". */
static void expect_value(const char *value, const char *want)
{
	rt_str text = RT_STR_INIT;
	rt_config *c;

	rt_str_printf(&text, "[retort]\nurl = %s\n", value);
	c = load_text(text.ptr);
	cr_assert_str_eq(get(c, "url"), want, "value '%s'", value);
	rt_config_free(c);
	rt_str_dispose(&text);
}

static void expect_value_error(const char *value, const char *msg)
{
	rt_str text = RT_STR_INIT;
	rt_config *c;

	rt_str_printf(&text, "[retort]\nurl = %s\n", value);
	c = load_text(text.ptr);
	expect_get_error(c, "url", msg);
	rt_config_free(c);
	rt_str_dispose(&text);
}

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/retort-test-config-XXXXXX";
	char *dir = mkdtemp(tmpl), *real;

	cr_assert_not_null(dir);
	real = realpath(dir, NULL);
	cr_assert_not_null(real);
	return real;
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	rt_str path = RT_STR_INIT;
	FILE *f;

	rt_str_printf(&path, "%s/%s", dir, name);
	f = fopen(path.ptr, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return rt_str_detach(&path);
}

static void remove_tree(const char *dir, const char *const *files)
{
	rt_str p = RT_STR_INIT;

	for (; files && *files; files++) {
		rt_str_clear(&p);
		rt_str_printf(&p, "%s/%s", dir, *files);
		unlink(p.ptr);
	}
	rmdir(dir);
	rt_str_dispose(&p);
}

static char *cwd(void)
{
	char buf[PATH_MAX];

	cr_assert_not_null(getcwd(buf, sizeof(buf)));
	return strdup(buf);
}

/* ------------------------------------------------------------------ */
/* Loading */

Test(config, empty_config_has_defaults)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = load(NULL, NULL, NULL);
	char *here = cwd();
	const char *v = "x";
	long n;
	int b;

	cr_assert_null(get(c, "url"));
	cr_assert_null(get(c, "script_location"));
	cr_assert_str_eq(rt_config_path(c), "<memory>");
	cr_assert_str_eq(rt_config_section(c), "retort");
	cr_assert_str_eq(rt_config_here(c), here);
	cr_assert_eq(rt_config_line(c, "url"), 0);
	cr_assert_eq(rt_config_get_default(c, "version_table", "retort_version",
					   &v, &err),
		     0);
	cr_assert_str_eq(v, "retort_version");
	cr_assert_eq(
	    rt_config_get_bool(c, "transaction_per_migration", 1, &b, &err), 0);
	cr_assert_eq(b, 1);
	cr_assert_eq(rt_config_get_int(c, "lock_timeout", 60, &n, &err), 0);
	cr_assert_eq(n, 60);
	rt_config_free(c);
	free(here);
	rt_err_dispose(&err);
}

Test(config, empty_config_with_a_section_name)
{
	rt_config *c = load(NULL, NULL, "prod");

	cr_assert_str_eq(rt_config_section(c), "prod");
	cr_assert_null(get(c, "url"));
	rt_config_free(c);
}

Test(config, keys_values_and_comments)
{
	rt_config *c = load_text("# a comment\n"
				 "; another comment\n"
				 "[retort]\n"
				 "URL = sqlite:///app.db\n"
				 "script_location: migrations\n"
				 "  \n"
				 "version_table = v ; inline comment\n"
				 "log_table = a;b\n"
				 "timezone =\n"
				 "schema=  spaced out  \n");

	cr_assert_str_eq(get(c, "url"), "sqlite:///app.db");
	cr_assert_str_eq(get(c, "Url"), "sqlite:///app.db");
	cr_assert_str_eq(get(c, "script_location"), "migrations");
	cr_assert_str_eq(get(c, "version_table"), "v");
	cr_assert_str_eq(get(c, "log_table"), "a;b");
	cr_assert_str_eq(get(c, "timezone"), "");
	cr_assert_str_eq(get(c, "schema"), "spaced out");
	cr_assert_null(get(c, "dev_url"));
	cr_assert_eq(rt_config_line(c, "url"), 4);
	cr_assert_eq(rt_config_line(c, "script_location"), 5);
	cr_assert_eq(rt_config_line(c, "schema"), 10);
	cr_assert_eq(rt_config_line(c, "dev_url"), 0);
	cr_assert_str_eq(rt_config_path(c), "<memory>");
	rt_config_free(c);
}

Test(config, every_known_key_is_accepted)
{
	static const char *const keys[] = {
		"script_location",
		"url",
		"version_locations",
		"path_separator",
		"recursive_version_locations",
		"file_template",
		"revision_ids",
		"truncate_slug_length",
		"timezone",
		"version_table",
		"version_table_schema",
		"log_table",
		"transaction_per_migration",
		"lock_timeout",
		"schema",
		"schema_command",
		"schema_command_timeout",
		"dev_url",
		"dev_url.postgresql",
		"dev_url.mysql",
		"pg_settings",
		"autogenerate_include_schemas",
		"autogenerate_exclude_schemas",
		"autogenerate_exclude_tables",
		"autogenerate_exclude_kinds",
		"autogenerate_exclude_extensions",
		"autogenerate_dialects",
		"password_file",
		"test.data",
		"sqlalchemy.url",
		"lint.enable",
		"lint.disable",
		"lint.require_if_not_exists",
		"lint.severity.drop-table",
	};
	rt_str text = RT_STR_INIT;
	rt_config *c;
	size_t i;

	rt_str_puts(&text, "[retort]\n");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		rt_str_printf(&text, "%s = v%zu\n", keys[i], i);
	c = load_text(text.ptr);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char want[16];

		snprintf(want, sizeof(want), "v%zu", i);
		cr_assert_str_eq(get(c, keys[i]), want, "%s", keys[i]);
		cr_assert_eq(rt_config_line(c, keys[i]), i + 2);
	}
	rt_config_free(c);
	rt_str_dispose(&text);
}

Test(config, crlf_and_bom)
{
	rt_config *c = load_text("\xEF\xBB\xBF[retort]\r\n"
				 "url = sqlite:///a.db\r\n"
				 "version_locations = a\r\n"
				 "  b\r\n");

	cr_assert_str_eq(get(c, "url"), "sqlite:///a.db");
	cr_assert_str_eq(get(c, "version_locations"), "a\nb");
	cr_assert_eq(rt_config_line(c, "url"), 2);
	rt_config_free(c);
}

Test(config, last_line_without_newline)
{
	rt_config *c = load_text("[retort]\nurl = x");

	cr_assert_str_eq(get(c, "url"), "x");
	rt_config_free(c);
}

Test(config, continuation_lines_join_with_newlines)
{
	rt_config *c = load_text("[retort]\n"
				 "version_locations = one\n"
				 "  two\n"
				 "\tthree = 3\n"
				 "\n"
				 "  four\n"
				 "# a comment inside the value\n"
				 "  five\n"
				 "url = x\n"
				 "pg_settings =\n"
				 "  a\n");

	cr_assert_str_eq(get(c, "version_locations"),
			 "one\ntwo\nthree = 3\n\nfour\nfive");
	cr_assert_eq(rt_config_line(c, "version_locations"), 2);
	cr_assert_str_eq(get(c, "url"), "x");
	cr_assert_eq(rt_config_line(c, "url"), 9);
	cr_assert_str_eq(get(c, "pg_settings"), "\na");
	rt_config_free(c);
}

Test(config, indented_key_right_after_a_header_is_a_key)
{
	rt_config *c = load_text("[retort]\n"
				 "  url = x\n"
				 "[other]\n"
				 "  [retort2]\n"
				 "  k = v\n");

	cr_assert_str_eq(get(c, "url"), "x");
	rt_config_free(c);
	c = load("retort.ini", "[a]\nk = 1\n  [b]\n[b]\nurl = y\n", "b");
	cr_assert_str_eq(get(c, "url"), "y");
	rt_config_free(c);
}

Test(config, duplicate_key)
{
	expect_load_error(
	    NULL, "[retort]\nurl = a\nscript_location = m\nurl = b\n", NULL,
	    "<memory>:4: duplicate key 'url' in [retort] (first set on line "
	    "2)");
	expect_load_error("retort.ini", "[retort]\nURL = a\n\nUrl = b\n", NULL,
			  "retort.ini:4: duplicate key 'url' in [retort] "
			  "(first set on line 2)");
	/* in any section, as ConfigParser's strict mode */
	expect_load_error(
	    "retort.ini", "[retort]\nurl = a\n[other]\nk = 1\nk = 2\n", NULL,
	    "retort.ini:5: duplicate key 'k' in [other] (first set on line 4)");
	expect_load_error("retort.ini", "[DEFAULT]\nk = 1\nK: 2\n[retort]\n",
			  NULL,
			  "retort.ini:3: duplicate key 'k' in [DEFAULT] (first "
			  "set on line 2)");
}

Test(config, same_key_in_different_sections_is_fine)
{
	rt_config *c = load_text("[DEFAULT]\nurl = d\n[retort]\nurl = r\n"
				 "[prod]\nurl = p\n");

	cr_assert_str_eq(get(c, "url"), "r");
	cr_assert_eq(rt_config_line(c, "url"), 4);
	rt_config_free(c);
	c = load(NULL, "[DEFAULT]\nurl = d\n[retort]\nurl = r\n[prod]\n",
		 "prod");
	cr_assert_str_eq(get(c, "url"), "d");
	rt_config_free(c);
}

Test(config, unknown_key_in_selected_section)
{
	expect_load_error(
	    "retort.ini",
	    "[retort]\n"
	    "url = x\n"
	    "\n"
	    "# comment\n"
	    "script_location = m\n"
	    "\n"
	    "verison_table = v\n",
	    NULL, "retort.ini:7: unknown key 'verison_table' in [retort]");
	expect_load_error("retort.ini", "[prod]\nURL = x\nFoo = y\n", "prod",
			  "retort.ini:3: unknown key 'foo' in [prod]");
}

Test(config, lint_severity_keys_by_prefix)
{
	rt_config *c = load_text("[retort]\n"
				 "lint.severity.drop-table = warning\n"
				 "url = x\n"
				 "LINT.Severity.Lock-Timeout = off\n"
				 "[other]\n"
				 "lint.severity.truncate = off\n");

	cr_assert_str_eq(rt_config_key_prefix(c, "lint.severity.", 0),
			 "lint.severity.drop-table");
	cr_assert_str_eq(rt_config_key_prefix(c, "lint.severity.", 1),
			 "lint.severity.lock-timeout");
	cr_assert_null(rt_config_key_prefix(c, "lint.severity.", 2));
	cr_assert_str_eq(get(c, "lint.severity.lock-timeout"), "off");
	cr_assert_eq(rt_config_line(c, "lint.severity.lock-timeout"), 4);
	rt_config_free(c);
	/* the prefix alone, or a near miss, is no key */
	expect_load_error("retort.ini", "[retort]\nlint.severity. = x\n", NULL,
			  "retort.ini:2: unknown key 'lint.severity.' in "
			  "[retort]");
	expect_load_error("retort.ini", "[retort]\nlint.severity = x\n", NULL,
			  "retort.ini:2: unknown key 'lint.severity' in "
			  "[retort]");
}

Test(config, lint_section_reads_as_lint_keys)
{
	rt_config *c = load("retort.ini",
			    "[retort]\n"
			    "url = x\n"
			    "[retort.lint]\n"
			    "Disable = drop-table,\n"
			    "  truncate\n"
			    "severity.lock-timeout = error\n"
			    "[prod.lint]\n"
			    "anything = 1\n",
			    NULL);

	cr_assert_str_eq(get(c, "lint.disable"), "drop-table,\ntruncate");
	cr_assert_eq(rt_config_line(c, "lint.disable"), 4);
	cr_assert_str_eq(rt_config_key_prefix(c, "lint.severity.", 0),
			 "lint.severity.lock-timeout");
	cr_assert_null(get(c, "disable"));
	rt_config_free(c);
	/* with -n prod, [prod.lint] is prod's */
	c = load("retort.ini", "[prod]\nurl = x\n[prod.lint]\nenable = a\n",
		 "prod");
	cr_assert_str_eq(get(c, "lint.enable"), "a");
	rt_config_free(c);
	expect_load_error("retort.ini", "[retort]\n[retort.lint]\nfoo = 1\n",
			  NULL,
			  "retort.ini:3: unknown key 'foo' in [retort.lint]");
	expect_load_error("retort.ini",
			  "[retort]\nlint.disable = a\n[retort.lint]\n"
			  "disable = b\n",
			  NULL,
			  "retort.ini:4: duplicate key 'disable' in "
			  "[retort.lint] (lint.disable first set on line 2)");
}

Test(config, other_sections_and_default_are_not_validated)
{
	rt_config *c = load_text("[DEFAULT]\n"
				 "anything = 1\n"
				 "[alembic]\n"
				 "sourceless = false\n"
				 "[post_write_hooks]\n"
				 "hooks = black\n"
				 "[retort]\n"
				 "url = x\n");

	cr_assert_str_eq(get(c, "url"), "x");
	cr_assert_str_eq(get(c, "anything"), "1");
	cr_assert_null(get(c, "sourceless"));
	rt_config_free(c);
	/* the selected section is validated, [retort] then is not */
	c = load(NULL, "[retort]\nbogus = 1\n[prod]\nurl = p\n", "prod");
	cr_assert_str_eq(get(c, "url"), "p");
	cr_assert_null(get(c, "bogus"));
	rt_config_free(c);
}

Test(config, syntax_errors)
{
	expect_load_error("retort.ini", "[retort\nurl = x\n", NULL,
			  "retort.ini:1: syntax error");
	expect_load_error("retort.ini", "[retort]\nurl = x\njust words\n", NULL,
			  "retort.ini:3: syntax error");
	expect_load_error("retort.ini", "[retort]\n= value\n", NULL,
			  "retort.ini:2: syntax error");
	expect_load_error("retort.ini", "[retort ; comment]\nurl = x\n", NULL,
			  "retort.ini:1: syntax error");
	expect_load_error("retort.ini", "[]\nurl = x\n", NULL,
			  "retort.ini:1: empty section name");
}

Test(config, first_error_in_the_file_wins)
{
	/* inih's syntax error before our duplicate key */
	expect_load_error("retort.ini", "[retort]\nurl = a\noops\nurl = b\n",
			  NULL, "retort.ini:3: syntax error");
	/* our error before a later syntax error */
	expect_load_error("retort.ini", "[retort]\nurl = a\nurl = b\noops\n",
			  NULL,
			  "retort.ini:3: duplicate key 'url' in [retort] "
			  "(first set on line 2)");
}

Test(config, key_before_any_section)
{
	expect_load_error("retort.ini", "url = x\n[retort]\n", NULL,
			  "retort.ini:1: key 'url' before any [section]");
	expect_load_error(NULL, "# c\n\nurl = x\n[retort]\n", NULL,
			  "<memory>:3: key 'url' before any [section]");
}

Test(config, duplicate_section)
{
	expect_load_error(
	    "retort.ini", "[retort]\nurl = x\n\n[retort]\nschema = y\n", NULL,
	    "retort.ini:4: duplicate section [retort] (first on line 1)");
}

Test(config, missing_section)
{
	expect_load_error("retort.ini", "[retort]\nurl = x\n", "prod",
			  "retort.ini: no [prod] section");
	expect_load_error(NULL, "[alembic]\nscript_location = x\n", NULL,
			  "<memory>: no [retort] section");
	expect_load_error(NULL, "", NULL, "<memory>: no [retort] section");
	/* section names are case-sensitive, as in ConfigParser */
	expect_load_error("retort.ini", "[Retort]\nurl = x\n", NULL,
			  "retort.ini: no [retort] section");
	/* [DEFAULT] alone is not the section */
	expect_load_error("retort.ini", "[DEFAULT]\nurl = x\n", NULL,
			  "retort.ini: no [retort] section");
}

Test(config, empty_section_exists)
{
	rt_config *c = load(NULL, "[retort]\nurl = x\n[prod]\n", "prod");

	cr_assert_null(get(c, "url"));
	rt_config_free(c);
}

Test(config, long_section_names_are_not_cut)
{
	const char *name = "a_section_name_that_is_longer_than_inih_keeps_"
			   "which_is_49_characters";
	rt_str text = RT_STR_INIT;
	rt_config *c;

	rt_str_printf(&text, "[%s]\nurl = long\n[%.49s]\nurl = short\n", name,
		      name);
	c = load(NULL, text.ptr, name);
	cr_assert_str_eq(get(c, "url"), "long");
	rt_config_free(c);
	rt_str_dispose(&text);
}

Test(config, line_length_limit)
{
	rt_str text = RT_STR_INIT, value = RT_STR_INIT;
	rt_config *c;

	/* "url = " + 193 = 199 characters: fine, also with "\r\n" */
	rt_str_pad(&value, 'x', 193);
	rt_str_printf(&text, "[retort]\nurl = %s\r\n", value.ptr);
	c = load_text(text.ptr);
	cr_assert_str_eq(get(c, "url"), value.ptr);
	rt_config_free(c);
	/* 200 characters: too long */
	rt_str_clear(&text);
	rt_str_printf(&text, "[retort]\n# ok\nurl = %sx\nschema = s\n",
		      value.ptr);
	expect_load_error("retort.ini", text.ptr, NULL,
			  "retort.ini:3: line longer than 199 characters");
	/* also as the last line, and for comments */
	rt_str_clear(&text);
	rt_str_printf(&text, "[retort]\n#%s-------", value.ptr);
	expect_load_error("retort.ini", text.ptr, NULL,
			  "retort.ini:2: line longer than 199 characters");
	rt_str_dispose(&text);
	rt_str_dispose(&value);
}

Test(config, nul_byte_in_file)
{
	char *dir = make_tmpdir();
	const char *files[] = { "retort.ini", NULL };
	rt_str path = RT_STR_INIT, msg = RT_STR_INIT;
	FILE *f;

	rt_str_printf(&path, "%s/retort.ini", dir);
	f = fopen(path.ptr, "wb");
	cr_assert_not_null(f);
	fwrite("[retort]\nurl = a\0b\n", 1, 19, f);
	fclose(f);
	rt_str_printf(&msg, "%s:2: NUL byte in line", path.ptr);
	expect_load_error(path.ptr, NULL, NULL, msg.ptr);
	remove_tree(dir, files);
	rt_str_dispose(&path);
	rt_str_dispose(&msg);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* Files and %(here)s */

Test(config, file_and_here)
{
	char *dir = make_tmpdir();
	const char *files[] = { "retort.ini", NULL };
	char *path = write_file(dir, "retort.ini",
				"[retort]\n"
				"script_location = %(here)s/migrations\n"
				"url = sqlite:///%(here)s/app.db\n");
	rt_config *c = load(path, NULL, NULL);
	rt_str want = RT_STR_INIT;

	cr_assert_str_eq(rt_config_path(c), path);
	cr_assert_str_eq(rt_config_here(c), dir);
	rt_str_printf(&want, "%s/migrations", dir);
	cr_assert_str_eq(get(c, "script_location"), want.ptr);
	rt_str_clear(&want);
	rt_str_printf(&want, "sqlite:///%s/app.db", dir);
	cr_assert_str_eq(get(c, "url"), want.ptr);
	rt_config_free(c);
	rt_str_dispose(&want);
	remove_tree(dir, files);
	free(path);
	free(dir);
}

Test(config, relative_path_and_here)
{
	char *dir = make_tmpdir();
	const char *files[] = { "retort.ini", NULL };
	char *path = write_file(dir, "retort.ini", "[retort]\nurl = x\n");
	rt_config *c;

	cr_assert_eq(chdir(dir), 0);
	c = load("./retort.ini", NULL, NULL);
	cr_assert_str_eq(rt_config_path(c), "./retort.ini");
	cr_assert_str_eq(rt_config_here(c), dir);
	rt_config_free(c);
	c = load("retort.ini", NULL, NULL);
	cr_assert_str_eq(rt_config_path(c), "retort.ini");
	cr_assert_str_eq(rt_config_here(c), dir);
	rt_config_free(c);
	remove_tree(dir, files);
	free(path);
	free(dir);
}

Test(config, find_in_the_working_directory_or_a_parent)
{
	char *dir = make_tmpdir();
	const char *files[] = { "retort.ini", NULL };
	char *path = write_file(dir, "retort.ini", "[retort]\n"), *found;
	rt_str sub = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;

	rt_str_printf(&sub, "%s/a", dir);
	cr_assert_eq(mkdir(sub.ptr, 0777), 0);
	rt_str_puts(&sub, "/b");
	cr_assert_eq(mkdir(sub.ptr, 0777), 0);
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(rt_config_find(&found, "retort.ini", &err), 0);
	cr_assert_str_eq(found, "retort.ini");
	free(found);
	cr_assert_eq(chdir(sub.ptr), 0);
	cr_assert_eq(rt_config_find(&found, "retort.ini", &err), 0);
	cr_assert_str_eq(found, "../../retort.ini");
	free(found);
	/* the nearest one wins */
	free(write_file(sub.ptr, "retort.ini", "[retort]\n"));
	cr_assert_eq(rt_config_find(&found, "retort.ini", &err), 0);
	cr_assert_str_eq(found, "retort.ini");
	free(found);
	/* none: the message names where the search started */
	cr_assert_eq(rt_config_find(&found, "nothing-here.ini", &err),
		     RETORT_ECONFIG);
	cr_assert_null(found);
	cr_assert(strstr(rt_err_msg(&err), sub.ptr), "%s", rt_err_msg(&err));
	cr_assert(strstr(rt_err_msg(&err), "no nothing-here.ini in "), "%s",
		  rt_err_msg(&err));
	rt_err_dispose(&err);
	cr_assert_eq(chdir("/"), 0);
	remove_tree(sub.ptr, files);
	rt_str_truncate(&sub, sub.len - 2);
	rmdir(sub.ptr);
	remove_tree(dir, files);
	rt_str_dispose(&sub);
	free(path);
	free(dir);
}

Test(config, here_for_text_with_a_path_that_does_not_exist)
{
	char *dir = make_tmpdir();
	rt_str want = RT_STR_INIT;
	rt_config *c;

	cr_assert_eq(chdir(dir), 0);
	c = load("missing/../other/./deep/retort.ini", "[retort]\n", NULL);
	rt_str_printf(&want, "%s/other/deep", dir);
	cr_assert_str_eq(rt_config_here(c), want.ptr);
	cr_assert_str_eq(rt_config_path(c),
			 "missing/../other/./deep/retort.ini");
	rt_config_free(c);
	c = load("/nonexistent-retort-dir/a/../b/retort.ini", "[retort]\n",
		 NULL);
	cr_assert_str_eq(rt_config_here(c), "/nonexistent-retort-dir/b");
	rt_config_free(c);
	c = load("/retort.ini", "[retort]\n", NULL);
	cr_assert_str_eq(rt_config_here(c), "/");
	rt_config_free(c);
	remove_tree(dir, NULL);
	rt_str_dispose(&want);
	free(dir);
}

Test(config, here_for_text_without_a_path_is_the_working_directory)
{
	char *dir = make_tmpdir();
	rt_config *c;
	rt_str want = RT_STR_INIT;

	cr_assert_eq(chdir(dir), 0);
	c = load_text("[retort]\nscript_location = %(here)s/m\n");
	cr_assert_str_eq(rt_config_here(c), dir);
	rt_str_printf(&want, "%s/m", dir);
	cr_assert_str_eq(get(c, "script_location"), want.ptr);
	rt_config_free(c);
	remove_tree(dir, NULL);
	rt_str_dispose(&want);
	free(dir);
}

Test(config, unreadable_files)
{
	char *dir = make_tmpdir();
	rt_str path = RT_STR_INIT, msg = RT_STR_INIT;

	rt_str_printf(&path, "%s/nope.ini", dir);
	rt_str_printf(&msg,
		      "cannot read config file '%s': No such file or directory",
		      path.ptr);
	expect_load_error(path.ptr, NULL, NULL, msg.ptr);
	rt_str_clear(&msg);
	rt_str_printf(&msg, "cannot read config file '%s': Is a directory",
		      dir);
	expect_load_error(dir, NULL, NULL, msg.ptr);
	cr_assert_eq(chdir(dir), 0);
	expect_load_error("./retort.ini", NULL, NULL,
			  "cannot read config file './retort.ini': No such "
			  "file or directory");
	remove_tree(dir, NULL);
	rt_str_dispose(&path);
	rt_str_dispose(&msg);
	free(dir);
}

Test(config, file_errors_name_the_path_as_given)
{
	char *dir = make_tmpdir();
	const char *files[] = { "retort.ini", NULL };
	char *path = write_file(dir, "retort.ini",
				"[retort]\nurl = x\nversion_tabel = v\n");

	cr_assert_eq(chdir(dir), 0);
	expect_load_error(
	    "retort.ini", NULL, NULL,
	    "retort.ini:3: unknown key 'version_tabel' in [retort]");
	expect_load_error(
	    "./retort.ini", NULL, NULL,
	    "./retort.ini:3: unknown key 'version_tabel' in [retort]");
	/* only the selected section is validated */
	expect_load_error("./retort.ini", NULL, "prod",
			  "./retort.ini: no [prod] section");
	remove_tree(dir, files);
	free(path);
	free(dir);
}

/* ------------------------------------------------------------------ */
/* [DEFAULT] and %(key)s */

Test(config, default_section_is_visible_and_shadowed)
{
	rt_config *c = load_text("[DEFAULT]\n"
				 "base = /srv/app\n"
				 "timezone = UTC\n"
				 "version_table = from_default\n"
				 "[retort]\n"
				 "version_table = mine\n"
				 "script_location = %(base)s/migrations\n");

	cr_assert_str_eq(get(c, "timezone"), "UTC");
	cr_assert_str_eq(get(c, "base"), "/srv/app");
	cr_assert_str_eq(get(c, "version_table"), "mine");
	cr_assert_str_eq(get(c, "script_location"), "/srv/app/migrations");
	cr_assert_eq(rt_config_line(c, "timezone"), 3);
	rt_config_free(c);
}

Test(config, default_values_interpolate_in_the_selected_section)
{
	rt_config *c = load(NULL,
			    "[DEFAULT]\n"
			    "url = sqlite:///%(name)s.db\n"
			    "name = default\n"
			    "[retort]\n"
			    "[prod]\n"
			    "url = %(url_base)s\n"
			    "[test]\n",
			    "test");

	cr_assert_str_eq(get(c, "url"), "sqlite:///default.db");
	rt_config_free(c);
	/* a [DEFAULT] value sees the selected section's keys first */
	c = load(NULL,
		 "[DEFAULT]\n"
		 "url = sqlite:///%(schema)s.db\n"
		 "schema = default\n"
		 "[prod]\n"
		 "schema = prod\n",
		 "prod");
	cr_assert_str_eq(get(c, "url"), "sqlite:///prod.db");
	rt_config_free(c);
}

Test(config, references_and_here_override)
{
	rt_config *c = load("/srv/x/retort.ini",
			    "[DEFAULT]\n"
			    "a = 1\n"
			    "b = %(a)s-2\n"
			    "[retort]\n"
			    "url = %(B)s-%(here)s\n"
			    "schema = %(url)s\n",
			    NULL);

	cr_assert_str_eq(get(c, "url"), "1-2-/srv/x");
	cr_assert_str_eq(get(c, "schema"), "1-2-/srv/x");
	rt_config_free(c);
	/* a [DEFAULT] key named here wins over the built-in, as when
	 * Alembic passes here as a ConfigParser default */
	c = load("/srv/x/retort.ini",
		 "[DEFAULT]\nhere = /elsewhere\n[retort]\nurl = %(here)s\n",
		 NULL);
	cr_assert_str_eq(get(c, "url"), "/elsewhere");
	cr_assert_str_eq(rt_config_here(c), "/srv/x");
	rt_config_free(c);
}

Test(config, percent_escapes_and_alembic_file_template)
{
	rt_config *c = load_text("[retort]\n"
				 "file_template = %%(rev)s_%%(slug)s\n"
				 "url = 100%% %%%%\n");

	cr_assert_str_eq(get(c, "file_template"), "%(rev)s_%(slug)s");
	cr_assert_str_eq(get(c, "url"), "100% %%");
	rt_config_free(c);
}

Test(config, bad_interpolation_syntax)
{
	static const char *const bad[] = {
		"50%", "50% off", "%(rev", "%(rev)", "%(rev)d",
		"%x",  "%()s",	  "%",	   "a %s",
	};
	rt_str text = RT_STR_INIT;
	rt_config *c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rt_str_clear(&text);
		rt_str_printf(&text, "[retort]\nurl = x\nfile_template = %s\n",
			      bad[i]);
		c = load(NULL, text.ptr, NULL);
		expect_get_error(c, "file_template",
				 "<memory>:3: bad interpolation syntax in "
				 "'file_template' (write %% for a literal %)");
		cr_assert_str_eq(get(c, "url"), "x");
		rt_config_free(c);
	}
	rt_str_dispose(&text);
}

Test(config, unknown_interpolation_key)
{
	rt_config *c = load("retort.ini",
			    "[retort]\n"
			    "file_template = %(rev)s_%(slug)s\n"
			    "url = %(Nope)s\n",
			    NULL);

	expect_get_error(c, "file_template",
			 "retort.ini:2: unknown interpolation key 'rev' in "
			 "'file_template' (write %%(rev)s to keep it literal)");
	expect_get_error(c, "url",
			 "retort.ini:3: unknown interpolation key 'Nope' in "
			 "'url' (write %%(Nope)s to keep it literal)");
	rt_config_free(c);
}

Test(config, interpolation_depth)
{
	rt_str text = RT_STR_INIT;
	rt_config *c;
	int i;

	/* url is level 1, k1..k9 are levels 2..10: fine */
	rt_str_puts(&text, "[DEFAULT]\n");
	for (i = 1; i < 9; i++)
		rt_str_printf(&text, "k%d = %%(k%d)s\n", i, i + 1);
	rt_str_puts(&text, "k9 = end\n[retort]\nurl = <%(k1)s>\n");
	c = load_text(text.ptr);
	cr_assert_str_eq(get(c, "url"), "<end>");
	rt_config_free(c);
	/* one more level is too deep */
	rt_str_clear(&text);
	rt_str_puts(&text, "[DEFAULT]\n");
	for (i = 1; i < 10; i++)
		rt_str_printf(&text, "k%d = %%(k%d)s\n", i, i + 1);
	rt_str_puts(&text, "k10 = end\n[retort]\nurl = <%(k1)s>\n");
	c = load(NULL, text.ptr, NULL);
	expect_get_error(c, "url",
			 "<memory>:13: interpolation too deep in 'url'");
	cr_assert_str_eq(get(c, "k2"), "end");
	rt_config_free(c);
	rt_str_dispose(&text);
}

Test(config, interpolation_cycle)
{
	rt_config *c = load("retort.ini",
			    "[retort]\n"
			    "url = %(schema)s\n"
			    "schema = %(url)s\n"
			    "dev_url = %(dev_url)s\n",
			    NULL);

	expect_get_error(c, "url",
			 "retort.ini:2: interpolation too deep in 'url'");
	expect_get_error(c, "schema",
			 "retort.ini:3: interpolation too deep in 'schema'");
	expect_get_error(c, "dev_url",
			 "retort.ini:4: interpolation too deep in 'dev_url'");
	rt_config_free(c);
}

Test(config, interpolation_is_lazy_and_cached)
{
	rt_config *c = load_text("[retort]\n"
				 "url = ${RT_TEST_UNSET_VARIABLE}\n"
				 "schema = %(here)s/schema.sql\n"
				 "dev_url = %(nope)s\n");
	const char *a, *b;

	/* the broken values only fail when read */
	a = get(c, "schema");
	b = get(c, "schema");
	cr_assert_eq(a, b);
	rt_config_free(c);
}

Test(config, errors_name_the_key_whose_text_is_wrong)
{
	rt_config *c;

	unsetenv("RT_TEST_HOST");
	c = load("retort.ini",
		 "[DEFAULT]\n"
		 "host = ${RT_TEST_HOST}\n"
		 "bad = 5%\n"
		 "[retort]\n"
		 "url = postgresql://%(host)s/db\n"
		 "schema = %(bad)s\n",
		 NULL);
	expect_get_error(c, "url",
			 "retort.ini:2: environment variable 'RT_TEST_HOST' is "
			 "not set (used by 'host')");
	expect_get_error(c, "schema",
			 "retort.ini:3: bad interpolation syntax in 'bad' "
			 "(write %% for a literal %)");
	rt_config_free(c);
}

/* ------------------------------------------------------------------ */
/* ${VAR} */

Test(config, environment_variables)
{
	setenv("RT_TEST_URL", "postgresql://u:p@h/db", 1);
	setenv("RT_TEST_EMPTY", "", 1);
	setenv("RT_TEST_TRICKY", "%(here)s ${X} 100%", 1);
	unsetenv("RT_TEST_UNSET");
	expect_value("${RT_TEST_URL}", "postgresql://u:p@h/db");
	expect_value("<${RT_TEST_URL}>", "<postgresql://u:p@h/db>");
	expect_value("${RT_TEST_EMPTY}", "");
	/* environment values are inserted literally */
	expect_value("${RT_TEST_TRICKY}", "%(here)s ${X} 100%");
	expect_value("a$b $ $$ {$} $", "a$b $ $$ {$} $");
	expect_value("$(x) %%{", "$(x) %{");
}

Test(config, environment_variable_not_set)
{
	unsetenv("RT_TEST_UNSET");
	expect_value_error("${RT_TEST_UNSET}",
			   "<memory>:2: environment variable 'RT_TEST_UNSET' "
			   "is not set (used by 'url')");
	expect_value_error("sqlite:///${RT_TEST_UNSET}/x.db",
			   "<memory>:2: environment variable 'RT_TEST_UNSET' "
			   "is not set (used by 'url')");
}

Test(config, database_url_example_from_the_design)
{
	rt_config *c;

	unsetenv("DATABASE_URL");
	c = load("retort.ini",
		 "[retort]\n"
		 "script_location = %(here)s/migrations\n"
		 "url = ${DATABASE_URL}\n",
		 NULL);
	expect_get_error(c, "url",
			 "retort.ini:3: environment variable 'DATABASE_URL' is "
			 "not set (used by 'url')");
	rt_config_free(c);
}

Test(config, environment_defaults)
{
	rt_config *c;
	rt_str want = RT_STR_INIT;

	unsetenv("RT_TEST_UNSET");
	unsetenv("RT_TEST_UNSET2");
	setenv("RT_TEST_EMPTY", "", 1);
	setenv("RT_TEST_SET", "from-env", 1);
	setenv("RT_TEST_PCT", "50%", 1);
	expect_value("${RT_TEST_UNSET:-sqlite:///app.db}", "sqlite:///app.db");
	expect_value("${RT_TEST_EMPTY:-fallback}", "fallback");
	expect_value("${RT_TEST_SET:-fallback}", "from-env");
	expect_value("${RT_TEST_PCT:-x}", "50%");
	expect_value("${RT_TEST_UNSET:-}", "");
	expect_value("${RT_TEST_UNSET:-a:-b}", "a:-b");
	expect_value("${RT_TEST_UNSET:-${RT_TEST_UNSET2:-${RT_TEST_SET}}}!",
		     "from-env!");
	expect_value("${RT_TEST_UNSET:-100%%}", "100%");
	/* the default is interpolated, and errors in it are reported */
	c = load(
	    "/srv/app/retort.ini",
	    "[retort]\nurl = ${RT_TEST_UNSET:-sqlite:///%(here)s/app.db}\n",
	    NULL);
	cr_assert_str_eq(get(c, "url"), "sqlite:////srv/app/app.db");
	rt_config_free(c);
	expect_value_error("${RT_TEST_UNSET:-${RT_TEST_UNSET2}}",
			   "<memory>:2: environment variable 'RT_TEST_UNSET2' "
			   "is not set (used by 'url')");
	expect_value_error("${RT_TEST_UNSET:-%(nope)s}",
			   "<memory>:2: unknown interpolation key 'nope' in "
			   "'url' (write %%(nope)s to keep it literal)");
	/* a default that is not used is not interpolated */
	expect_value("${RT_TEST_SET:-%(nope)s}", "from-env");
	rt_str_dispose(&want);
}

Test(config, bad_environment_syntax)
{
	static const char *const bad[] = {
		"${",	  "${RT_TEST_SET",     "${}",	 "${1A}",   "${A-B}",
		"${A:x}", "${A:-unterminated", "${A B}", "${A:=x}", "${A:-${B}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_value_error(bad[i],
				   "<memory>:2: bad ${...} syntax in 'url' "
				   "(write ${VAR} or ${VAR:-default})");
}

/* ------------------------------------------------------------------ */
/* sqlalchemy.url, rt_config_set */

Test(config, sqlalchemy_url_alias)
{
	rt_config *c = load_text("[retort]\nsqlalchemy.url = sqlite:///a.db\n");

	cr_assert_str_eq(get(c, "url"), "sqlite:///a.db");
	cr_assert_str_eq(get(c, "sqlalchemy.url"), "sqlite:///a.db");
	cr_assert_eq(rt_config_line(c, "url"), 2);
	rt_config_free(c);
	c = load_text("[retort]\nsqlalchemy.url = sa\nurl = mine\n");
	cr_assert_str_eq(get(c, "url"), "mine");
	cr_assert_str_eq(get(c, "sqlalchemy.url"), "sa");
	rt_config_free(c);
	/* the section's alias beats [DEFAULT]'s url */
	c = load_text("[DEFAULT]\nurl = d\n[retort]\nsqlalchemy.url = sa\n");
	cr_assert_str_eq(get(c, "url"), "sa");
	rt_config_free(c);
	c = load_text("[DEFAULT]\nsqlalchemy.url = d\n[retort]\n");
	cr_assert_str_eq(get(c, "url"), "d");
	rt_config_free(c);
}

Test(config, set_overrides_without_interpolation)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = load_text("[retort]\n"
				 "url = sqlite:///file.db\n"
				 "dev_url = %(url)s.dev\n");
	const char *before = get(c, "url"), *dev = get(c, "dev_url");

	cr_assert_str_eq(dev, "sqlite:///file.db.dev");
	cr_assert_eq(rt_config_set(c, "URL", "postgresql://h/%(x)s${Y}%", &err),
		     0);
	cr_assert_str_eq(get(c, "url"), "postgresql://h/%(x)s${Y}%");
	cr_assert_eq(rt_config_line(c, "url"), 0);
	/* strings handed out earlier stay valid */
	cr_assert_str_eq(before, "sqlite:///file.db");
	cr_assert_str_eq(dev, "sqlite:///file.db.dev");
	/* values that referred to it see the new value, as is */
	cr_assert_str_eq(get(c, "dev_url"), "postgresql://h/%(x)s${Y}%.dev");
	/* new keys */
	cr_assert_eq(rt_config_set(c, "schema", "%(nope)s", &err), 0);
	cr_assert_str_eq(get(c, "schema"), "%(nope)s");
	cr_assert_eq(rt_config_set(c, "schema", "two", &err), 0);
	cr_assert_str_eq(get(c, "schema"), "two");
	rt_config_free(c);
	rt_err_dispose(&err);
}

Test(config, set_on_an_empty_config)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = load(NULL, NULL, NULL);
	int b;

	cr_assert_eq(rt_config_set(c, "url", "sqlite://", &err), 0);
	cr_assert_str_eq(get(c, "url"), "sqlite://");
	cr_assert_eq(
	    rt_config_set(c, "transaction_per_migration", "maybe", &err), 0);
	cr_assert_eq(
	    rt_config_get_bool(c, "transaction_per_migration", 1, &b, &err),
	    RETORT_ECONFIG);
	cr_assert_str_eq(
	    rt_err_msg(&err),
	    "'transaction_per_migration' must be true or false, not 'maybe'");
	rt_config_free(c);
	rt_err_dispose(&err);
}

Test(config, set_shadows_default)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = load_text("[DEFAULT]\nurl = d\n[retort]\n");

	cr_assert_eq(rt_config_set(c, "url", "s", &err), 0);
	cr_assert_str_eq(get(c, "url"), "s");
	rt_config_free(c);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* Typed getters */

Test(config, booleans)
{
	static const char *const t[] = { "true", "TRUE", "Yes", "on", "1" };
	static const char *const f[] = { "false", "False", "NO", "off", "0" };
	rt_err err = RT_ERR_INIT;
	rt_str text = RT_STR_INIT;
	rt_config *c;
	size_t i;
	int b;

	for (i = 0; i < 5; i++) {
		rt_str_clear(&text);
		rt_str_printf(&text,
			      "[retort]\ntransaction_per_migration = %s\n"
			      "recursive_version_locations = %s\n",
			      t[i], f[i]);
		c = load_text(text.ptr);
		b = -1;
		cr_assert_eq(rt_config_get_bool(c, "transaction_per_migration",
						0, &b, &err),
			     0);
		cr_assert_eq(b, 1, "%s", t[i]);
		cr_assert_eq(rt_config_get_bool(
				 c, "recursive_version_locations", 1, &b, &err),
			     0);
		cr_assert_eq(b, 0, "%s", f[i]);
		cr_assert_eq(rt_config_get_bool(c, "timezone", 1, &b, &err), 0);
		cr_assert_eq(b, 1);
		rt_config_free(c);
	}
	c = load("retort.ini",
		 "[retort]\nurl = x\ntransaction_per_migration = maybe\n"
		 "recursive_version_locations =\n"
		 "timezone = ${RT_TEST_UNSET}\n",
		 NULL);
	unsetenv("RT_TEST_UNSET");
	cr_assert_eq(
	    rt_config_get_bool(c, "transaction_per_migration", 1, &b, &err),
	    RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "retort.ini:3: 'transaction_per_migration' must be "
			 "true or false, not 'maybe'");
	cr_assert_eq(b, 1);
	cr_assert_eq(
	    rt_config_get_bool(c, "recursive_version_locations", 1, &b, &err),
	    RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "retort.ini:4: 'recursive_version_locations' must be "
			 "true or false, not ''");
	cr_assert_eq(rt_config_get_bool(c, "timezone", 1, &b, &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "retort.ini:5: environment variable 'RT_TEST_UNSET' "
			 "is not set (used by 'timezone')");
	rt_config_free(c);
	rt_str_dispose(&text);
	rt_err_dispose(&err);
}

Test(config, integers)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = load("retort.ini",
			    "[retort]\n"
			    "lock_timeout = 60\n"
			    "truncate_slug_length = 0\n"
			    "timezone = abc\n"
			    "version_table = -1\n"
			    "log_table = 99999999999999999999999\n"
			    "schema = 12x\n"
			    "dev_url = +5\n",
			    NULL);
	static const struct {
		const char *key, *msg;
	} bad[] = {
		{ "timezone", "retort.ini:4: 'timezone' must be a non-negative "
			      "integer, not 'abc'" },
		{ "version_table", "retort.ini:5: 'version_table' must be a "
				   "non-negative integer, not '-1'" },
		{ "log_table",
		  "retort.ini:6: 'log_table' must be a non-negative integer, "
		  "not '99999999999999999999999'" },
		{ "schema", "retort.ini:7: 'schema' must be a non-negative "
			    "integer, not '12x'" },
		{ "dev_url", "retort.ini:8: 'dev_url' must be a non-negative "
			     "integer, not '+5'" },
	};
	size_t i;
	long n;

	cr_assert_eq(rt_config_get_int(c, "lock_timeout", 5, &n, &err), 0);
	cr_assert_eq(n, 60);
	cr_assert_eq(rt_config_get_int(c, "truncate_slug_length", 40, &n, &err),
		     0);
	cr_assert_eq(n, 0);
	cr_assert_eq(rt_config_get_int(c, "url", 7, &n, &err), 0);
	cr_assert_eq(n, 7);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 3;
		cr_assert_eq(rt_config_get_int(c, bad[i].key, 3, &n, &err),
			     RETORT_ECONFIG);
		cr_assert_str_eq(rt_err_msg(&err), bad[i].msg);
		cr_assert_eq(n, 3);
	}
	rt_config_free(c);
	rt_err_dispose(&err);
}

Test(config, get_default_only_when_unset)
{
	rt_err err = RT_ERR_INIT;
	rt_config *c = load_text("[retort]\nversion_table =\nurl = %(nope)s\n");
	const char *v;

	cr_assert_eq(rt_config_get_default(c, "version_table", "d", &v, &err),
		     0);
	cr_assert_str_eq(v, "");
	cr_assert_eq(
	    rt_config_get_default(c, "log_table", "retort_log", &v, &err), 0);
	cr_assert_str_eq(v, "retort_log");
	cr_assert_eq(rt_config_get_default(c, "url", "d", &v, &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "<memory>:3: unknown interpolation key 'nope' in "
			 "'url' (write %%(nope)s to keep it literal)");
	rt_config_free(c);
	rt_err_dispose(&err);
}

Test(config, selected_section_name_and_path)
{
	rt_config *c = load("conf/retort.ini",
			    "[retort]\nurl = a\n[prod]\nurl = b\n", "prod");

	cr_assert_str_eq(rt_config_section(c), "prod");
	cr_assert_str_eq(rt_config_path(c), "conf/retort.ini");
	cr_assert_str_eq(get(c, "url"), "b");
	cr_assert_eq(rt_config_line(c, "url"), 4);
	rt_config_free(c);
}

Test(config, interpolation_fan_out_is_bounded)
{
	/* each key repeats the next one 20 times: 20^8 characters if it
	 * were expanded; stops at the 1 MiB bound with a clear message */
	rt_str text = RT_STR_INIT;
	rt_config *c;
	int i, k;

	rt_str_puts(&text, "[DEFAULT]\n");
	for (i = 1; i < 9; i++) {
		rt_str_printf(&text, "k%d = ", i);
		for (k = 0; k < 20; k++)
			rt_str_printf(&text, "%%(k%d)s", i + 1);
		rt_str_putc(&text, '\n');
	}
	rt_str_puts(&text, "k9 = xxxxxxxx\n[retort]\nurl = %(k1)s\n");
	c = load("retort.ini", text.ptr, NULL);
	expect_get_error(c, "url",
			 "retort.ini:12: interpolation of 'url' is longer than "
			 "1048576 bytes");
	rt_config_free(c);
	rt_str_dispose(&text);
}

Test(config, nested_env_defaults_are_bounded)
{
	rt_str text = RT_STR_INIT;
	rt_config *c;
	int i;

	unsetenv("RT_U");
	rt_str_puts(&text, "[retort]\nurl = ");
	for (i = 0; i < 12; i++)
		rt_str_puts(&text, "${RT_U:-");
	rt_str_puts(&text, "x");
	for (i = 0; i < 12; i++)
		rt_str_putc(&text, '}');
	rt_str_putc(&text, '\n');
	c = load("retort.ini", text.ptr, NULL);
	expect_get_error(c, "url",
			 "retort.ini:2: interpolation too deep in 'url'");
	rt_config_free(c);
	/* a few levels are fine */
	c = load_text("[retort]\nurl = ${RT_U:-"
		      "${RT_U:-${RT_U:-x}}}\n");
	cr_assert_str_eq(get(c, "url"), "x");
	rt_config_free(c);
	rt_str_dispose(&text);
}
