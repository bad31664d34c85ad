/* SPDX-License-Identifier: MIT */
/*
 * test_template.c: file_template formatting, slugs and script.sql.tmpl
 * rendering. Expected pyformat and slug outputs were printed by Python
 * 3.11 (`fmt % mapping`, and Alembic 1.8.1's slug expression).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "retort.h"
#include "script/pyformat.h"
#include "script/slug.h"
#include "script/template.h"

/* ------------------------------------------------------------------ */
/* rt_pyformat */

static const rt_fmt_arg alembic_args[] = {
	{ "rev", "ae1027a6acf", 0 },   { "slug", "add_email_to_author", 0 },
	{ "epoch", NULL, 1772845500 }, { "year", NULL, 2026 },
	{ "month", NULL, 3 },	       { "day", NULL, 7 },
	{ "hour", NULL, 9 },	       { "minute", NULL, 5 },
	{ "second", NULL, 0 },
};
#define NALEMBIC (sizeof(alembic_args) / sizeof(alembic_args[0]))

static void check_alembic(const char *fmt, const char *want)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;

	cr_assert_eq(rt_pyformat(&out, fmt, alembic_args, NALEMBIC,
				 "file_template", &err),
		     0, "%s: %s", fmt, rt_err_msg(&err));
	cr_assert_str_eq(rt_str_cstr(&out), want, "%s", fmt);
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

Test(pyformat, alembic_templates)
{
	check_alembic("%(rev)s_%(slug)s", "ae1027a6acf_add_email_to_author");
	check_alembic("%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%("
		      "rev)s_%(slug)s",
		      "2026_03_07_0905-ae1027a6acf_add_email_to_author");
	check_alembic("%(epoch)s_%(rev)s", "1772845500_ae1027a6acf");
	check_alembic("%(second)02d|%(second)d", "00|0");
	check_alembic("100%% %(rev)s", "100% ae1027a6acf");
	check_alembic("plain text", "plain text");
	check_alembic("", "");
	check_alembic("%%(rev)s", "%(rev)s");
}

Test(pyformat, conversions_match_python)
{
	static const rt_fmt_arg args[] = {
		{ "a", NULL, 5 },
		{ "n", NULL, -255 },
		{ "z", NULL, 0 },
		{ "big", NULL, 4611686018427387904LL },
		{ "min", NULL, -9223372036854775807LL - 1 },
		{ "s", "ab", 0 },
		{ "u", "café", 0 },
		{ "q", "it's", 0 },
		{ "w", "a\\b\n\"x\"\x01", 0 },
		{ "e", "caf\xc2\xa0\xe2\x80\xa8", 0 },
		{ "k(1)", "paren key", 0 },
	};
	static const struct {
		const char *fmt, *want;
	} cases[] = {
		{ "%(a)d", "5" },
		{ "%(a).2d", "05" },
		{ "%(a)05.3d", "00005" },
		{ "%(z).0d", "0" },
		{ "%(n)5d", " -255" },
		{ "%(n)05d", "-0255" },
		{ "%(n)-6d|", "-255  |" },
		{ "%(a)+d", "+5" },
		{ "%(a) d", " 5" },
		{ "%(a)+ d", "+5" },
		{ "%(a)-05d|", "5    |" },
		{ "%(a)#d", "5" },
		{ "%(a)i", "5" },
		{ "%(a)u", "5" },
		{ "%(a)ld", "5" },
		{ "%(a)hd", "5" },
		{ "%(min)d", "-9223372036854775808" },
		{ "%(min)x", "-8000000000000000" },
		{ "%(n)x", "-ff" },
		{ "%(n)#x", "-0xff" },
		{ "%(n)#X", "-0XFF" },
		{ "%(n)#010x", "-0x00000ff" },
		{ "%(a)#5x", "  0x5" },
		{ "%(a)#.3x", "0x005" },
		{ "%(a)#08.3x", "0x000005" },
		{ "%(a)#o", "0o5" },
		{ "%(a)-#8o|", "0o5     |" },
		{ "%(big)x", "4000000000000000" },
		{ "%(a)f", "5.000000" },
		{ "%(a).2f", "5.00" },
		{ "%(a)#.0f", "5." },
		{ "%(a)010.2f", "0000005.00" },
		{ "%(a)+.1F", "+5.0" },
		{ "%(a)-+8.2f|", "+5.00   |" },
		{ "%(a) 08.2f", " 0005.00" },
		{ "%(big)f", "4611686018427387904.000000" },
		{ "%(min)f", "-9223372036854775808.000000" },
		{ "%(n)e", "-2.550000e+02" },
		{ "%(a).3E", "5.000E+00" },
		{ "%(big)g", "4.61169e+18" },
		{ "%(a)#g", "5.00000" },
		{ "%(big)G", "4.61169E+18" },
		{ "%(s)s", "ab" },
		{ "%(s)05s", "   ab" },
		{ "%(s)-5s|", "ab   |" },
		{ "%(s).1s", "a" },
		{ "%(s).0s|", "|" },
		{ "%(u).3s", "caf" },
		{ "%(u)6s", "  café" },
		{ "%(u)-6.3s|", "caf   |" },
		{ "%(a)s", "5" },
		{ "%(a)05s", "    5" },
		{ "%(a)+s", "5" },
		{ "%(a)10.3s|", "         5|" },
		{ "%(n)s", "-255" },
		{ "%(big)s", "4611686018427387904" },
		{ "%(a)r", "5" },
		{ "%(s)r", "'ab'" },
		{ "%(s)5r", " 'ab'" },
		{ "%(s).2r", "'a" },
		{ "%(q)r", "\"it's\"" },
		{ "%(w)r", "'a\\\\b\\n\"x\"\\x01'" },
		{ "%(e)r", "'caf\\xa0\\u2028'" },
		{ "%(u)r", "'café'" },
		{ "%(k(1))s", "paren key" },
	};
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_str_clear(&out);
		cr_assert_eq(rt_pyformat(&out, cases[i].fmt, args,
					 sizeof(args) / sizeof(args[0]), "t",
					 &err),
			     0, "%s: %s", cases[i].fmt, rt_err_msg(&err));
		cr_assert_str_eq(rt_str_cstr(&out), cases[i].want, "%s",
				 cases[i].fmt);
	}
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

static void check_error(const char *fmt, const char *want)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;

	/* a failed call leaves what was in `out` before it */
	rt_str_puts(&out, "keep");
	cr_assert_eq(rt_pyformat(&out, fmt, alembic_args, NALEMBIC,
				 "file_template", &err),
		     RETORT_ECONFIG, "%s", fmt);
	cr_assert_eq(err.code, RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), want);
	cr_assert_str_eq(rt_str_cstr(&out), "keep");
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

Test(pyformat, errors)
{
	check_error("%s",
		    "file_template: format requires a mapping (use %(name)s)");
	check_error("%(rev)s_%d",
		    "file_template: format requires a mapping (use %(name)s)");
	check_error("%(rev)s_%(foo)s",
		    "file_template: unknown token 'foo' in '%(foo)s'");
	check_error("%(REV)s",
		    "file_template: unknown token 'REV' in '%(REV)s'");
	/* as Python, the key is looked up before the rest is read */
	check_error("%(foo)", "file_template: unknown token 'foo' in '%(foo)'");
	check_error("%(slug)d", "file_template: %(slug)d needs a number");
	check_error("%(rev)08.3x", "file_template: %(rev)08.3x needs a number");
	check_error("%(rev)f", "file_template: %(rev)f needs a number");
	check_error("x%", "file_template: incomplete format '%'");
	check_error("%(rev)", "file_template: incomplete format '%(rev)'");
	check_error("%(rev)-5", "file_template: incomplete format '%(rev)-5'");
	check_error("%(rev).", "file_template: incomplete format '%(rev).'");
	check_error("%(rev", "file_template: incomplete format key '%(rev'");
	check_error("%(rev(x)s",
		    "file_template: incomplete format key '%(rev(x)s'");
	check_error(
	    "%(rev)q_",
	    "file_template: unsupported format character 'q' in '%(rev)q'");
	check_error(
	    "%(rev)%",
	    "file_template: unsupported format character '%' in '%(rev)%'");
	check_error(
	    "%(rev)*s",
	    "file_template: unsupported format character '*' in '%(rev)*'");
	check_error(
	    "%(rev)é",
	    "file_template: unsupported format character 'é' in '%(rev)é'");
	check_error("%(rev)\x80x", "file_template: unsupported format "
				   "character '\x80' in '%(rev)\x80'");
	check_error("%(year)99999999d",
		    "file_template: width too big in '%(year)99999999d'");
	check_error("%(year).99999999f",
		    "file_template: precision too big in '%(year).99999999f'");
}

Test(pyformat, appends_and_default_what)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;

	rt_str_puts(&out, "dir/");
	cr_assert_eq(
	    rt_pyformat(&out, "%(rev)s", alembic_args, NALEMBIC, NULL, &err),
	    0);
	cr_assert_str_eq(rt_str_cstr(&out), "dir/ae1027a6acf");
	cr_assert_eq(
	    rt_pyformat(&out, "%(x)s", alembic_args, NALEMBIC, NULL, &err),
	    RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "format: unknown token 'x' in '%(x)s'");
	cr_assert_eq(rt_pyformat(&out, "%(x)s", NULL, 0, "f", &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), "f: unknown token 'x' in '%(x)s'");
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* rt_slugify */

Test(slug, matches_alembic)
{
	static const struct {
		const char *message;
		int truncate;
		const char *want;
	} cases[] = {
		{ "add email to author", 40, "add_email_to_author" },
		{ "Add Email To Author!", 40, "add_email_to_author" },
		{ "  leading, trailing...  ", 40, "leading_trailing" },
		{ "it's a-b/c.d", 40, "it_s_a_b_c_d" },
		{ "snake_case_name already", 40, "snake_case_name_already" },
		{ "", 40, "" },
		{ "!!!", 40, "" },
		/* Unicode: \w and lower() as Python's */
		{ "café crème", 40, "café_crème" },
		{ "CAFÉ Über ΣΊΣΥΦΟΣ", 40, "café_über_σίσυφος" },
		{ "don’t — stop", 40, "don_t_stop" },
		{ "İstanbul", 40, "i̇stanbul" },
		{ "日本語 のテスト", 4, "日本語_" },
		{ "😀 smile", 40, "smile" },
		{ "x² y½", 40, "x²_y½" },
		{ "añb cd", 4, "añb_" },
		/* truncation: cut, back to the last '_', then '_' */
		{ "this is a rather long message that will be truncated", 40,
		  "this_is_a_rather_long_message_that_will_" },
		{ "one two three four five six seven eight nine ten", 0,
		  "one_two_three_four_five_six_seven_eight_" },
		{ "one two three four five six seven eight nine ten", -3,
		  "one_two_three_four_five_six_seven_eight_" },
		{ "abcd efgh", 9, "abcd_efgh" },
		{ "abcd efghi", 9, "abcd_" },
		{ "abcd efghij", 9, "abcd_" },
		{ "abcde_fghij", 9, "abcde_" },
		{ "ab cd", 4, "ab_" },
		{ "ab cd", 5, "ab_cd" },
		{ "a__b c", 4, "a__" },
		{ "_a_", 2, "_" },
		/* one long word: nothing to cut back to */
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 40,
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_" },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 40,
		  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" },
	};
	rt_str out = RT_STR_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_str_clear(&out);
		cr_assert_eq(
		    rt_slugify(&out, cases[i].message, cases[i].truncate), 0);
		cr_assert_str_eq(rt_str_cstr(&out), cases[i].want, "'%s' %d",
				 cases[i].message, cases[i].truncate);
	}
	rt_str_dispose(&out);
}

Test(slug, appends_null_and_malformed_utf8)
{
	rt_str out = RT_STR_INIT;

	rt_str_puts(&out, "x-");
	cr_assert_eq(rt_slugify(&out, "Hello World", 40), 0);
	cr_assert_str_eq(rt_str_cstr(&out), "x-hello_world");
	/* counts and cuts only what it appended */
	rt_str_clear(&out);
	rt_str_puts(&out, "pre_fix ");
	cr_assert_eq(rt_slugify(&out, "abcd efghi", 9), 0);
	cr_assert_str_eq(rt_str_cstr(&out), "pre_fix abcd_");
	rt_str_clear(&out);
	cr_assert_eq(rt_slugify(&out, NULL, 40), 0);
	cr_assert_str_eq(rt_str_cstr(&out), "");
	/* stray bytes are kept as word characters, one each */
	cr_assert_eq(rt_slugify(&out, "a\xff b\xc3", 3), 0);
	cr_assert_str_eq(rt_str_cstr(&out), "a\xff_");
	rt_str_dispose(&out);
}

/* ------------------------------------------------------------------ */
/* rt_template_render */

static const rt_tmpl_var vars[] = {
	{ "message", "add email\n\nsecond paragraph" },
	{ "up_revision", "3f2a9c1b7e4d" },
	{ "down_revision", "1a2b3c4d5e6f" },
	{ "create_date", "2026-11-22 15:40:00.123456" },
	{ "upgrades", "ALTER TABLE a ADD b int;\nCREATE INDEX i ON a (b);" },
	{ "empty", "" },
	{ "nothing", NULL },
	{ "crlf", "one\r\n\r\ntwo" },
	{ "config.name", "dotted" },
};
#define NVARS (sizeof(vars) / sizeof(vars[0]))

static void check_render(const char *tmpl, const char *want)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;

	cr_assert_eq(rt_template_render(&out, tmpl, strlen(tmpl),
					"script.sql.tmpl", vars, NVARS, &err),
		     0, "%s", rt_err_msg(&err));
	cr_assert_str_eq(rt_str_cstr(&out), want);
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

Test(render, revision_header)
{
	check_render("-- ${message}\n"
		     "--\n"
		     "-- Revision ID: ${up_revision}\n"
		     "-- Revises: ${down_revision}\n"
		     "-- Create Date: ${create_date}\n"
		     "\n"
		     "-- migrate:upgrade\n"
		     "${upgrades}\n",
		     "-- add email\n"
		     "--\n"
		     "-- second paragraph\n"
		     "--\n"
		     "-- Revision ID: 3f2a9c1b7e4d\n"
		     "-- Revises: 1a2b3c4d5e6f\n"
		     "-- Create Date: 2026-11-22 15:40:00.123456\n"
		     "\n"
		     "-- migrate:upgrade\n"
		     "ALTER TABLE a ADD b int;\n"
		     "CREATE INDEX i ON a (b);\n");
}

Test(render, dollars)
{
	check_render("$$ ${up_revision}$$", "$ 3f2a9c1b7e4d$");
	check_render("cost $5, $x, $ and $", "cost $5, $x, $ and $");
	check_render("$${up_revision}", "${up_revision}");
	check_render("$$$${empty}|", "$${empty}|");
	check_render("$$${empty}|", "$|");
	check_render("$", "$");
}

Test(render, values_and_prefixes)
{
	/* NULL and empty values */
	check_render("[${empty}][${nothing}]", "[][]");
	/* names may hold dots */
	check_render("${config.name}", "dotted");
	/* the prefix: blanks and dashes only */
	check_render("--${message}", "--add email\n--\n--second paragraph");
	check_render("  -- ${message}",
		     "  -- add email\n  --\n  -- second paragraph");
	check_render("\t${upgrades}",
		     "\tALTER TABLE a ADD b int;\n\tCREATE INDEX i ON a (b);");
	/* anything else before it: lines go in as they are */
	check_render("x = ${message}", "x = add email\n\nsecond paragraph");
	check_render("-- a ${message}", "-- a add email\n\nsecond paragraph");
	check_render("${up_revision} ${message}",
		     "3f2a9c1b7e4d add email\n\nsecond paragraph");
	/* the prefix is taken on the placeholder's own line */
	check_render("x\n-- ${message}\ny",
		     "x\n-- add email\n--\n-- second paragraph\ny");
	/* CRLF values keep their \r, empty lines get the trimmed prefix */
	check_render("-- ${crlf}", "-- one\r\n--\r\n-- two");
}

Test(render, length_is_respected)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;
	const char *tmpl = "${up_revision}|${nope}";

	cr_assert_eq(rt_template_render(&out, tmpl, 15, "t", vars, NVARS, &err),
		     0);
	cr_assert_str_eq(rt_str_cstr(&out), "3f2a9c1b7e4d|");
	/* a "${" cut off by the length is unterminated */
	rt_str_clear(&out);
	cr_assert_eq(rt_template_render(&out, tmpl, 10, "t", vars, NVARS, &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), "t:1: unterminated '${'");
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

static void check_render_error(const char *tmpl, const char *want)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;

	rt_str_puts(&out, "keep");
	cr_assert_eq(rt_template_render(&out, tmpl, strlen(tmpl),
					"script.sql.tmpl", vars, NVARS, &err),
		     RETORT_ECONFIG, "%s", tmpl);
	cr_assert_eq(err.code, RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), want);
	cr_assert_str_eq(rt_str_cstr(&out), "keep");
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}

Test(render, errors)
{
	check_render_error("-- ${message}\n\n${up_revision}\n${foo}\n",
			   "script.sql.tmpl:4: unknown placeholder '${foo}'");
	check_render_error(
	    "${Message}",
	    "script.sql.tmpl:1: unknown placeholder '${Message}'");
	check_render_error("a\n${up_revision",
			   "script.sql.tmpl:2: unterminated '${'");
	check_render_error("a\n\n${up_revision\n}",
			   "script.sql.tmpl:3: unterminated '${'");
	check_render_error("${", "script.sql.tmpl:1: unterminated '${'");
	check_render_error("${}", "script.sql.tmpl:1: bad placeholder '${}'");
	check_render_error("${1abc}",
			   "script.sql.tmpl:1: bad placeholder '${1abc}'");
	check_render_error(
	    "x\n${up revision}",
	    "script.sql.tmpl:2: bad placeholder '${up revision}'");
	check_render_error(
	    "${message | comma,n}",
	    "script.sql.tmpl:1: bad placeholder '${message | comma,n}'");
}

Test(render, default_path)
{
	rt_err err = RT_ERR_INIT;
	rt_str out = RT_STR_INIT;

	cr_assert_eq(rt_template_render(&out, "${x}", 4, NULL, NULL, 0, &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "<template>:1: unknown placeholder '${x}'");
	rt_str_dispose(&out);
	rt_err_dispose(&err);
}
