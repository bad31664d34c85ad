/* SPDX-License-Identifier: MIT */
/*
 * test_script.c: the revision-file parser (src/script.c): every header rule
 * (message paragraph, keys, lists, ids), both section markers and their
 * options, the section boundaries and flags, id validation, the section
 * checksum, and every error text in full with its path:line.
 *
 * The header rules as implemented: the header is the leading block of `--`
 * lines, in paragraphs separated by empty `--` lines. The first paragraph
 * is the message (doc) unless it starts with a known key (or the header
 * starts with an empty `--` line); a paragraph holding a known key is a key
 * block whose every line must be "Key: value" with a known key; any other
 * paragraph is free text. longdoc is the whole header.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "retort.h"
#include "script/script.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/str.h"

#define PATH "versions/0001_x.sql"

static rt_arena arena;

static void teardown(void)
{
	rt_arena_free(&arena);
}

TestSuite(script, .fini = teardown);
TestSuite(script_errors, .fini = teardown);
TestSuite(valid_id);
TestSuite(checksum);

static rt_script parse_len(const char *text, size_t len)
{
	rt_err err = RT_ERR_INIT;
	rt_script s;
	int rc = rt_script_parse(&s, &arena, PATH, text, len, &err);

	cr_assert_eq(rc, 0, "parse failed: %s", rt_err_msg(&err));
	rt_err_dispose(&err);
	return s;
}

static rt_script parse(const char *text)
{
	return parse_len(text, strlen(text));
}

static void expect_error_len(const char *text, size_t len, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_script s;
	int rc = rt_script_parse(&s, &arena, PATH, text, len, &err);

	cr_assert_eq(rc, RETORT_ECONFIG, "expected RETORT_ECONFIG, got %d", rc);
	cr_assert_eq(err.code, RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), msg);
	rt_err_dispose(&err);
}

static void expect_error(const char *text, const char *msg)
{
	expect_error_len(text, strlen(text), msg);
}

static char *join(const char *const *v, uint32_t n)
{
	rt_str s = RT_STR_INIT;
	uint32_t i;

	for (i = 0; i < n; i++)
		rt_str_printf(&s, "%s%s", i ? "|" : "", v[i]);
	return rt_str_detach(&s);
}

#define ASSERT_LIST(v, n, expected)               \
	do {                                      \
		char *j_ = join((v), (n));        \
		cr_assert_str_eq(j_, (expected)); \
		free(j_);                         \
	} while (0)

static const char *section_text(const retort_section *sec)
{
	return rt_arena_strndup(&arena, sec->sql, sec->len);
}

/* The smallest complete file, and the template for most error cases. */
#define HEADER                           \
	"-- add email to author\n"       \
	"--\n"                           \
	"-- Revision ID: 3f2a9c1b7e4d\n" \
	"-- Revises: 1a2b3c4d5e6f\n"

#define BODY                                   \
	"\n"                                   \
	"-- migrate:upgrade\n"                 \
	"ALTER TABLE author ADD email TEXT;\n" \
	"\n"                                   \
	"-- migrate:downgrade\n"               \
	"ALTER TABLE author DROP email;\n"

/* ------------------------------------------------------------------ */
/* the header */

Test(script, full_header_and_sections)
{
	static const char text[] =
	    "-- add email to author\n"		    /* 1 */
	    "--\n"				    /* 2 */
	    "-- Revision ID: 3f2a9c1b7e4d\n"	    /* 3 */
	    "-- Revises: 1a2b3c4d5e6f\n"	    /* 4 */
	    "-- Create Date: 2026-11-22 15:40:00\n" /* 5 */
	    "-- Branch Labels: authors, people\n"   /* 6 */
	    "-- Depends On: 9f9f9f9f, lib\n"	    /* 7 */
	    "\n"				    /* 8 */
	    "-- migrate:upgrade\n"		    /* 9 */
	    "ALTER TABLE author ADD email TEXT;\n"  /* 10 */
	    "\n"				    /* 11 */
	    "-- migrate:downgrade\n"		    /* 12 */
	    "ALTER TABLE author DROP email;\n";	    /* 13 */
	rt_script s = parse(text);

	cr_assert_str_eq(s.path, PATH);
	cr_assert_str_eq(s.filename, "0001_x.sql");
	cr_assert_str_eq(s.text, text);
	cr_assert_eq(s.len, strlen(text));
	cr_assert_str_eq(s.id, "3f2a9c1b7e4d");
	cr_assert_eq(s.id_line, 3);
	cr_assert_str_eq(s.doc, "add email to author");
	cr_assert_str_eq(s.longdoc,
			 "add email to author\n\nRevision ID: 3f2a9c1b7e4d\n"
			 "Revises: 1a2b3c4d5e6f\nCreate Date: 2026-11-22 "
			 "15:40:00\nBranch Labels: authors, people\n"
			 "Depends On: 9f9f9f9f, lib");
	cr_assert_str_eq(s.create_date, "2026-11-22 15:40:00");
	ASSERT_LIST(s.down, s.ndown, "1a2b3c4d5e6f");
	cr_assert_eq(s.down_line, 4);
	ASSERT_LIST(s.labels, s.nlabels, "authors|people");
	cr_assert_eq(s.labels_line, 6);
	ASSERT_LIST(s.deps, s.ndeps, "9f9f9f9f|lib");
	cr_assert_eq(s.deps_line, 7);

	cr_assert_eq(s.upgrade_line, 9);
	cr_assert_eq(s.downgrade_line, 12);
	cr_assert_str_eq(section_text(&s.upgrade),
			 "ALTER TABLE author ADD email TEXT;\n\n");
	cr_assert_eq(s.upgrade.line, 10);
	cr_assert_eq(s.upgrade.transactional, 1);
	cr_assert_eq(s.upgrade.empty, 0);
	cr_assert_str_eq(section_text(&s.downgrade),
			 "ALTER TABLE author DROP email;\n");
	cr_assert_eq(s.downgrade.line, 13);
	cr_assert_eq(s.downgrade.transactional, 1);
	cr_assert_eq(s.downgrade.empty, 0);
	/* the section pointers point into the parsed copy */
	cr_assert(s.upgrade.sql > s.text && s.upgrade.sql < s.text + s.len);
	cr_assert(s.downgrade.sql > s.text && s.downgrade.sql < s.text + s.len);
}

Test(script, base_revision_has_empty_revises_and_no_optional_keys)
{
	rt_script s =
	    parse("-- init\n--\n-- Revision ID: a1\n-- Revises:\n" BODY);

	cr_assert_str_eq(s.id, "a1");
	cr_assert_eq(s.ndown, 0);
	cr_assert_null(s.down);
	cr_assert_eq(s.down_line, 4);
	cr_assert_eq(s.nlabels, 0);
	cr_assert_eq(s.labels_line, 0);
	cr_assert_eq(s.ndeps, 0);
	cr_assert_eq(s.deps_line, 0);
	cr_assert_null(s.create_date);
	/* "Revises:" with trailing spaces is still empty */
	s = parse("-- init\n--\n-- Revision ID: a1\n-- Revises:    \n" BODY);
	cr_assert_eq(s.ndown, 0);
}

Test(script, merge_lists_trim_items_and_keep_order)
{
	rt_script s = parse("-- merge\n--\n-- Revision ID: m\n"
			    "-- Revises:   b2 ,b1,   a.x-1  \n"
			    "-- Depends On: z\n" BODY);

	ASSERT_LIST(s.down, s.ndown, "b2|b1|a.x-1");
	ASSERT_LIST(s.deps, s.ndeps, "z");
}

Test(script, keys_are_case_insensitive_in_any_order_with_space_before_colon)
{
	rt_script s = parse("-- msg\n--\n"
			    "-- depends on: d1\n"
			    "-- REVISES : r0\n"
			    "-- branch labels: lbl\n"
			    "-- revision id: r1\n"
			    "-- create date: today\n" BODY);

	cr_assert_str_eq(s.id, "r1");
	cr_assert_eq(s.id_line, 6);
	ASSERT_LIST(s.down, s.ndown, "r0");
	cr_assert_eq(s.down_line, 4);
	ASSERT_LIST(s.deps, s.ndeps, "d1");
	ASSERT_LIST(s.labels, s.nlabels, "lbl");
	cr_assert_str_eq(s.create_date, "today");
}

Test(script, message_paragraph_is_doc_and_header_is_longdoc)
{
	rt_script s = parse("  -- first line of the message  \n"
			    "--second line, no space after the dashes\n"
			    "--\n"
			    "-- A longer description that is not a key.\n"
			    "--\n"
			    "-- Revision ID: x1\n"
			    "-- Revises: x0\n"
			    "--\n"
			    "-- See https://example.com/a:b for more\n"
			    "-- at 12:30 we deployed\n" BODY);

	cr_assert_str_eq(s.doc, "first line of the message\n"
				"second line, no space after the dashes");
	cr_assert_str_eq(s.longdoc,
			 "first line of the message  \n"
			 "second line, no space after the dashes\n\n"
			 "A longer description that is not a key.\n\n"
			 "Revision ID: x1\nRevises: x0\n\n"
			 "See https://example.com/a:b for more\n"
			 "at 12:30 we deployed");
	ASSERT_LIST(s.down, s.ndown, "x0");
}

Test(script, key_shaped_line_inside_message_is_message_text)
{
	/* "fix: widen column" is an unknown key, but inside the message
	 * paragraph it is just the message */
	rt_script s = parse("-- fix: widen column\n"
			    "-- Note: twice\n"
			    "--\n"
			    "-- Revision ID: f1\n"
			    "-- Revises: f0\n" BODY);

	cr_assert_str_eq(s.doc, "fix: widen column\nNote: twice");
	cr_assert_str_eq(s.id, "f1");
}

Test(script, header_starting_with_a_key_has_no_message)
{
	rt_script s = parse("-- Revision ID: k1\n-- Revises:\n" BODY);

	cr_assert_str_eq(s.doc, "");
	cr_assert_str_eq(s.longdoc, "Revision ID: k1\nRevises:");
	cr_assert_eq(s.id_line, 1);
	/* nor does one starting with an empty "--" line: the first
	 * paragraph is then free text */
	s = parse("--\n-- not the message\n--\n-- Revision ID: k1\n"
		  "-- Revises:\n" BODY);
	cr_assert_str_eq(s.doc, "");
	cr_assert_str_eq(s.longdoc,
			 "not the message\n\nRevision ID: k1\nRevises:");
}

Test(script, key_lines_right_under_the_message_end_it)
{
	/* the message runs to the first known key line of the first
	 * paragraph; the rest of that paragraph is the key block */
	rt_script s = parse("-- a message\n-- on two lines\n"
			    "-- Revision ID: k2\n-- Revises: k1\n" BODY);

	cr_assert_str_eq(s.doc, "a message\non two lines");
	cr_assert_str_eq(s.id, "k2");
	cr_assert_eq(s.id_line, 3);
	ASSERT_LIST(s.down, s.ndown, "k1");
	expect_error("-- a message\n-- Revision ID: k2\n-- Revise: k1\n" BODY,
		     PATH ":3: unknown header key 'Revise' (expected Revision "
			  "ID, Revises, Create Date, Branch Labels or Depends "
			  "On)");
}

Test(script, key_blocks_may_be_split_into_paragraphs)
{
	rt_script s = parse("-- m\n--\n-- Revision ID: k2\n--\n"
			    "-- free text between\n--\n-- Revises: k1\n" BODY);

	cr_assert_str_eq(s.id, "k2");
	ASSERT_LIST(s.down, s.ndown, "k1");
	cr_assert_eq(s.down_line, 7);
}

Test(script, key_shaped_text_in_a_free_text_paragraph)
{
	/* without a known key the paragraph is free text, whatever it looks
	 * like: long key-shaped text, unknown keys, URLs */
	rt_script s =
	    parse(HEADER "--\n"
			 "-- This line is far too long to be a header key: "
			 "so it is text\n"
			 "-- Revisess: not a key here\n"
			 "-- Reviewed-by: someone\n" BODY);

	cr_assert_str_eq(s.id, "3f2a9c1b7e4d");
	ASSERT_LIST(s.down, s.ndown, "1a2b3c4d5e6f");
}

Test(script, known_keys_need_no_space_after_the_colon)
{
	rt_script s =
	    parse("-- m\n--\n-- Revision ID:k1\n-- Revises:k0\n"
		  "-- Depends On:other\n-- Branch Labels:feature\n" BODY);

	cr_assert_str_eq(s.id, "k1");
	ASSERT_LIST(s.down, s.ndown, "k0");
	ASSERT_LIST(s.deps, s.ndeps, "other");
	ASSERT_LIST(s.labels, s.nlabels, "feature");
}

Test(script, key_block_lines_must_be_keys)
{
	/* "Note:x" is no key of ours and has no space: not a key line */
	expect_error("-- m\n--\n-- Revision ID: k1\n-- Note:k0\n" BODY,
		     PATH ":4: expected 'Key: value' in the header's key lines "
			  "(put free text after an empty '--' line)");
	/* more than 40 characters before the colon */
	expect_error(HEADER "-- This line is far too long to be a header key: "
			    "so it is text\n" BODY,
		     PATH ":5: expected 'Key: value' in the header's key lines "
			  "(put free text after an empty '--' line)");
	expect_error("-- m\n--\n-- Revision ID: k1\n-- just text\n"
		     "-- Revises:\n" BODY,
		     PATH ":4: expected 'Key: value' in the header's key lines "
			  "(put free text after an empty '--' line)");
}

Test(script, blank_lines_before_header_bom_and_crlf)
{
	static const char text[] = "\xEF\xBB\xBF\r\n"
				   "   \r\n"
				   "-- crlf message\r\n"
				   "--\r\n"
				   "-- Revision ID: c1\r\n"
				   "-- Revises: c0\r\n"
				   "\r\n"
				   "-- migrate:upgrade transaction:false\r\n"
				   "CREATE TABLE t (x INT);\r\n"
				   "-- migrate:downgrade\r\n"
				   "DROP TABLE t;\r\n";
	rt_script s = parse(text);

	cr_assert_str_eq(s.doc, "crlf message");
	cr_assert_str_eq(s.id, "c1");
	cr_assert_eq(s.id_line, 5);
	ASSERT_LIST(s.down, s.ndown, "c0");
	cr_assert_eq(s.upgrade_line, 8);
	cr_assert_eq(s.upgrade.line, 9);
	cr_assert_eq(s.upgrade.transactional, 0);
	cr_assert_str_eq(section_text(&s.upgrade),
			 "CREATE TABLE t (x INT);\r\n");
	cr_assert_eq(s.downgrade_line, 10);
	cr_assert_str_eq(section_text(&s.downgrade), "DROP TABLE t;\r\n");
	/* the BOM is not part of the stored text */
	cr_assert_eq(s.len, strlen(text) - 3);
	cr_assert_eq(s.text[0], '\r');
}

Test(script, no_trailing_newline)
{
	rt_script s = parse(HEADER "-- migrate:upgrade\nSELECT 1;\n"
				   "-- migrate:downgrade\nSELECT 2;");

	cr_assert_str_eq(section_text(&s.upgrade), "SELECT 1;\n");
	cr_assert_str_eq(section_text(&s.downgrade), "SELECT 2;");
	cr_assert_eq(s.downgrade.line, 8);
}

/* ------------------------------------------------------------------ */
/* sections */

Test(script, marker_spellings_and_options)
{
	rt_script s =
	    parse(HEADER "\n"					       /* 5 */
			 "  --migrate:downgrade   transaction:false\n" /* 6 */
			 "DROP TABLE t;\n"			       /* 7 */
			 "\t--\t migrate:upgrade transaction:false "
			 "transaction:true\n"	       /* 8 */
			 "CREATE TABLE t (x INT);\n"); /* 9 */

	cr_assert_eq(s.downgrade_line, 6);
	cr_assert_eq(s.downgrade.transactional, 0);
	cr_assert_eq(s.downgrade.line, 7);
	cr_assert_str_eq(section_text(&s.downgrade), "DROP TABLE t;\n");
	cr_assert_eq(s.upgrade_line, 8);
	/* the last option wins */
	cr_assert_eq(s.upgrade.transactional, 1);
	cr_assert_eq(s.upgrade.line, 9);
	cr_assert_str_eq(section_text(&s.upgrade), "CREATE TABLE t (x INT);\n");
}

Test(script, downgrade_noop)
{
	rt_script s = parse(HEADER "-- migrate:upgrade\n"
				   "UPDATE t SET x = 1;\n"
				   "-- migrate:downgrade noop\n"
				   "-- a backfill: nothing to undo\n"
				   "\n");

	cr_assert_eq(s.downgrade.noop, 1);
	cr_assert_eq(s.downgrade.empty, 1);
	cr_assert_eq(s.downgrade.transactional, 1);
	cr_assert_eq(s.upgrade.noop, 0);
	s = parse(HEADER "-- migrate:upgrade\nSELECT 1;\n"
			 "-- migrate:downgrade transaction:false noop\n");
	cr_assert_eq(s.downgrade.noop, 1);
	cr_assert_eq(s.downgrade.transactional, 0);
	s = parse(HEADER BODY);
	cr_assert_eq(s.downgrade.noop, 0);
}

Test(script, empty_and_comment_only_sections_are_empty)
{
	rt_script s = parse(HEADER "-- migrate:upgrade\n"
				   "-- nothing to do here\n"
				   "/* still nothing */ ;\n"
				   "\n"
				   "-- migrate:downgrade\n");

	cr_assert_eq(s.upgrade.empty, 1);
	cr_assert_str_eq(section_text(&s.upgrade),
			 "-- nothing to do here\n/* still nothing */ ;\n\n");
	cr_assert_eq(s.downgrade.empty, 1);
	cr_assert_eq(s.downgrade.len, 0);
	cr_assert_str_eq(section_text(&s.downgrade), "");
	cr_assert_eq(s.downgrade.line, 10);
}

Test(script, comments_and_blank_lines_between_header_and_sections)
{
	rt_script s =
	    parse(HEADER "\n"
			 "-- a remark that is not part of the header\n"
			 "   \n"
			 "-- migrate:upgrade\nSELECT 1;\n"
			 "-- migrate:downgrade\nSELECT 2;\n");

	cr_assert_str_eq(s.doc, "add email to author");
	cr_assert_eq(s.upgrade_line, 8);
}

Test(script, header_ends_at_a_marker)
{
	rt_script s = parse("-- msg\n--\n-- Revision ID: h1\n-- Revises:\n"
			    "-- migrate:upgrade\nSELECT 1;\n"
			    "-- migrate:downgrade\n");

	cr_assert_eq(s.upgrade_line, 5);
	cr_assert_str_eq(s.longdoc, "msg\n\nRevision ID: h1\nRevises:");
}

Test(script, section_checksums)
{
	rt_script s = parse(HEADER "-- migrate:upgrade\n\nSELECT 1;\n\n"
				   "-- migrate:downgrade\nSELECT 1;");

	char up[65], down[65];

	rt_section_checksum(s.upgrade.sql, s.upgrade.len, up);
	rt_section_checksum(s.downgrade.sql, s.downgrade.len, down);
	cr_assert_str_eq(
	    up,
	    "17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a");
	cr_assert_str_eq(down, up);
}

/* ------------------------------------------------------------------ */
/* errors, each with its full text */

Test(script_errors, empty_file)
{
	expect_error("", PATH ": empty revision file");
	expect_error("\n  \n\t\n", PATH ": empty revision file");
}

Test(script_errors, nul_byte)
{
	static const char text[] = "-- m\n--\n-- Revision\0 ID: x\n";

	expect_error_len(text, sizeof(text) - 1,
			 PATH ":3: NUL byte in file (is this a text file?)");
	expect_error_len("\0", 1,
			 PATH ":1: NUL byte in file (is this a text file?)");
}

Test(script_errors, missing_header)
{
	expect_error("\n\nCREATE TABLE t (x INT);\n",
		     PATH ":3: missing revision header (the file must start "
			  "with '-- <message>' and '-- Revision ID: <id>')");
	/* a marker is not a header */
	expect_error("-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n",
		     PATH ":1: missing revision header (the file must start "
			  "with '-- <message>' and '-- Revision ID: <id>')");
}

Test(script_errors, missing_revision_id)
{
	expect_error("-- m\n--\n-- Revises: a\n" BODY,
		     PATH ":1: missing 'Revision ID' in the header");
	/* a typo inside the message paragraph is message text, so the id
	 * is missing */
	expect_error("-- m\n-- Revison ID: a\n--\n-- Revises:\n" BODY,
		     PATH ":1: missing 'Revision ID' in the header");
}

Test(script_errors, missing_revises)
{
	expect_error("-- m\n--\n-- Revision ID: a\n" BODY,
		     PATH ":1: missing 'Revises' in the header (leave it "
			  "empty for a first revision)");
}

Test(script_errors, unknown_key_after_message)
{
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revisess: b\n" BODY,
		     PATH ":4: unknown header key 'Revisess' (expected "
			  "Revision ID, Revises, Create Date, Branch Labels "
			  "or Depends On)");
	/* the key text is shown without the spaces before the colon */
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises:\n"
		     "-- Branch Label  : x\n" BODY,
		     PATH ":5: unknown header key 'Branch Label' (expected "
			  "Revision ID, Revises, Create Date, Branch Labels "
			  "or Depends On)");
}

Test(script_errors, duplicate_key)
{
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises: b\n"
		     "-- revises: c\n" BODY,
		     PATH ":5: duplicate header key 'Revises' (first on line "
			  "4)");
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises: b\n"
		     "-- Create Date: x\n-- Create Date: y\n" BODY,
		     PATH ":6: duplicate header key 'Create Date' (first on "
			  "line 5)");
}

Test(script_errors, bad_revision_ids)
{
	char text[1024];
	char longid[300];

	expect_error("-- m\n--\n-- Revision ID:\n-- Revises:\n" BODY,
		     PATH ":3: empty Revision ID");
	expect_error("-- m\n--\n-- Revision ID: a@b+c:d-e\n-- Revises:\n" BODY,
		     PATH ":3: Character(s) '+, :, @' not allowed in revision "
			  "identifier 'a@b+c:d-e'");
	expect_error("-- m\n--\n-- Revision ID: two words\n-- Revises:\n" BODY,
		     PATH ":3: Character(s) ' ' not allowed in revision "
			  "identifier 'two words'");
	memset(longid, 'a', 256);
	longid[256] = '\0';
	snprintf(text, sizeof(text),
		 "-- m\n--\n-- Revision ID: %s\n-- Revises:\n" BODY, longid);
	expect_error(text, PATH ":3: revision id longer than 255 characters");
	/* 255 is fine */
	longid[255] = '\0';
	snprintf(text, sizeof(text),
		 "-- m\n--\n-- Revision ID: %s\n-- Revises:\n" BODY, longid);
	cr_assert_eq(strlen(parse(text).id), 255);
}

Test(script_errors, reserved_revision_ids)
{
	/* the resolver reads these as something else: "-1" as a walk down
	 * from the heads, the words as symbols (issue 9, item 9) */
	static const char *const words[] = { "head", "heads", "base",
					     "current" };
	static const char *const steps[] = { "-1", "-0", "-42" };
	char text[256], msg[256];
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		snprintf(text, sizeof(text),
			 "-- m\n--\n-- Revision ID: %s\n-- Revises:\n" BODY,
			 words[i]);
		snprintf(msg, sizeof(msg),
			 PATH ":3: revision id '%s' is reserved", words[i]);
		expect_error(text, msg);
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		snprintf(text, sizeof(text),
			 "-- m\n--\n-- Revision ID: %s\n-- Revises:\n" BODY,
			 steps[i]);
		snprintf(msg, sizeof(msg),
			 PATH ":3: revision id '%s' is reserved: it reads as "
			      "a relative revision",
			 steps[i]);
		expect_error(text, msg);
	}
	/* an exact id is never read as relative: these stay ids */
	cr_assert_str_eq(
	    parse("-- m\n--\n-- Revision ID: head-1\n-- Revises:\n" BODY).id,
	    "head-1");
	cr_assert_str_eq(
	    parse("-- m\n--\n-- Revision ID: -1a\n-- Revises:\n" BODY).id,
	    "-1a");
}

Test(script_errors, bad_list_items)
{
	char text[1024];
	char longid[300];

	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises: b,\n" BODY,
		     PATH ":4: empty item in 'Revises'");
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises: b, ,c\n" BODY,
		     PATH ":4: empty item in 'Revises'");
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises:\n"
		     "-- Depends On: x@y\n" BODY,
		     PATH ":5: Depends On: character(s) '@' not allowed in "
			  "identifier 'x@y' (use letters, digits, '_', '.', "
			  "'-')");
	expect_error("-- m\n--\n-- Revision ID: a\n-- Revises:\n"
		     "-- Branch Labels: ok, not ok\n" BODY,
		     PATH ":5: Branch Labels: character(s) ' ' not allowed in "
			  "identifier 'not ok' (use letters, digits, '_', '.', "
			  "'-')");
	memset(longid, 'b', 256);
	longid[256] = '\0';
	snprintf(text, sizeof(text),
		 "-- m\n--\n-- Revision ID: a\n-- Revises: %s\n" BODY, longid);
	expect_error(text, PATH ":4: Revises: identifier longer than 255 "
				"characters");
}

Test(script_errors, unknown_marker_and_option)
{
	expect_error(HEADER "-- migrate:up\nSELECT 1;\n",
		     PATH ":5: unknown section marker 'migrate:up' (expected "
			  "'-- migrate:upgrade' or '-- migrate:downgrade')");
	expect_error(HEADER "\n-- migrate:upgrade transaction:maybe\n",
		     PATH ":6: unknown section option 'transaction:maybe' "
			  "(expected dialect:NAME, transaction:false or "
			  "transaction:true)");
	/* a marker inside the SQL of a section is still a marker */
	expect_error(HEADER "-- migrate:upgrade\nSELECT 1;\n-- migrate:\n",
		     PATH ":7: unknown section marker 'migrate:' (expected "
			  "'-- migrate:upgrade' or '-- migrate:downgrade')");
}

Test(script_errors, noop_section_with_sql)
{
	expect_error(HEADER "-- migrate:upgrade\nSELECT 1;\n"  /* 5, 6 */
			    "-- migrate:downgrade noop\n"      /* 7 */
			    "-- nothing\n"		       /* 8 */
			    "\n"			       /* 9 */
			    "  /* really */ DELETE FROM t;\n", /* 10 */
		     PATH ":10: SQL in a '-- migrate:downgrade noop' section, "
			  "which holds only comments and blank lines (remove "
			  "'noop' to run it)");
	/* also when the downgrade comes first */
	expect_error(HEADER "-- migrate:downgrade noop\nDELETE FROM t;\n"
			    "-- migrate:upgrade\nSELECT 1;\n",
		     PATH ":6: SQL in a '-- migrate:downgrade noop' section, "
			  "which holds only comments and blank lines (remove "
			  "'noop' to run it)");
	expect_error(HEADER "-- migrate:upgrade noop\n"
			    "-- migrate:downgrade\n",
		     PATH ":5: 'noop' marks a downgrade section that needs no "
			  "undoing; an upgrade section needs no mark to be "
			  "empty");
	expect_error(HEADER "-- migrate:downgrade nop\n"
			    "-- migrate:upgrade\n",
		     PATH ":5: unknown section option 'nop' (expected "
			  "dialect:NAME, transaction:false, transaction:true "
			  "or noop)");
}

Test(script_errors, second_marker)
{
	expect_error(HEADER BODY "-- migrate:upgrade\n",
		     PATH ":11: second '-- migrate:upgrade' marker (first on "
			  "line 6)");
	expect_error(HEADER BODY "-- migrate:downgrade transaction:false\n",
		     PATH ":11: second '-- migrate:downgrade' marker (first "
			  "on line 9)");
}

Test(script_errors, sql_outside_a_section)
{
	expect_error(HEADER "\nCREATE TABLE t (x INT);\n" BODY,
		     PATH ":6: SQL outside a section (put it after "
			  "'-- migrate:upgrade' or '-- migrate:downgrade')");
}

Test(script_errors, missing_markers)
{
	expect_error(HEADER "\n-- migrate:downgrade\nSELECT 1;\n",
		     PATH ": missing '-- migrate:upgrade' section marker");
	expect_error(HEADER,
		     PATH ": missing '-- migrate:upgrade' section marker");
	expect_error(HEADER "\n-- migrate:upgrade\nSELECT 1;\n",
		     PATH ": missing '-- migrate:downgrade' section marker "
			  "(leave the section empty for an irreversible "
			  "revision, or mark it '-- migrate:downgrade noop' "
			  "when the upgrade needs no undoing)");
}

/* ------------------------------------------------------------------ */
/* rt_valid_id */

static int valid(const char *s, char bad[64])
{
	return rt_valid_id(s, strlen(s), bad);
}

Test(valid_id, accepts_letters_digits_underscore_dot_dash)
{
	char bad[64];

	cr_assert_eq(valid("ae1027a6acf", bad), 1);
	cr_assert_str_eq(bad, "");
	cr_assert_eq(valid("2024-01-02_add.users", bad), 1);
	cr_assert_eq(valid("A_B-c.9", bad), 1);
	cr_assert_eq(valid("-", bad), 1);
}

Test(valid_id, rejects_and_lists_characters_sorted_unique)
{
	char bad[64];
	char big[300];

	cr_assert_eq(valid("a@b@c+d", bad), 0);
	cr_assert_str_eq(bad, "+, @");
	cr_assert_eq(valid("x:y/z", bad), 0);
	cr_assert_str_eq(bad, "/, :");
	cr_assert_eq(valid("tab\there", bad), 0);
	cr_assert_str_eq(bad, "\\x09");
	cr_assert_eq(valid("caf\xc3\xa9", bad), 0);
	cr_assert_str_eq(bad, "\\xa9, \\xc3");
	cr_assert_eq(valid("", bad), 0);
	cr_assert_str_eq(bad, "");
	memset(big, 'a', 256);
	big[256] = '\0';
	cr_assert_eq(valid(big, bad), 0);
	cr_assert_str_eq(bad, "");
	big[255] = '\0';
	cr_assert_eq(valid(big, bad), 1);
	/* only the first `len` bytes count */
	cr_assert_eq(rt_valid_id("ab@", 2, bad), 1);
}

Test(valid_id, bad_list_is_bounded)
{
	char bad[64];
	char s[96];
	int i;

	/* 60 distinct bad characters do not overflow the buffer */
	for (i = 0; i < 60; i++)
		s[i] = (char)(0x21 + i);
	s[60] = '\0';
	cr_assert_eq(valid(s, bad), 0);
	cr_assert_lt(strlen(bad), 64);
}

static const char *reserved(const char *s)
{
	return rt_reserved_id(s, strlen(s));
}

Test(valid_id, reserved_words_and_negative_numbers)
{
	cr_assert_str_eq(reserved("head"), "");
	cr_assert_str_eq(reserved("heads"), "");
	cr_assert_str_eq(reserved("base"), "");
	cr_assert_str_eq(reserved("current"), "");
	cr_assert_str_eq(reserved("-1"), ": it reads as a relative revision");
	cr_assert_str_eq(reserved("-0"), ": it reads as a relative revision");
	cr_assert_str_eq(reserved("-999999999999999999999"),
			 ": it reads as a relative revision");
	/* ids the resolver looks up as they are */
	cr_assert_null(reserved("Head"));
	cr_assert_null(reserved("heads2"));
	cr_assert_null(reserved("head-1"));
	cr_assert_null(reserved("ae10-2"));
	cr_assert_null(reserved("2024-01-01"));
	cr_assert_null(reserved("-"));
	cr_assert_null(reserved("-1a"));
	cr_assert_null(reserved("1"));
	cr_assert_null(reserved("007"));
	/* only the first `len` bytes count */
	cr_assert_str_eq(rt_reserved_id("head-1", 4), "");
	cr_assert_str_eq(rt_reserved_id("-12x", 3),
			 ": it reads as a relative revision");
}

/* ------------------------------------------------------------------ */
/* rt_section_checksum */

static const char *sum(const char *sql)
{
	static char hex[65];

	rt_section_checksum(sql, strlen(sql), hex);
	return hex;
}

Test(checksum, normalises_crlf_and_outer_blank_lines)
{
	char a[65];

	strcpy(a, sum("SELECT 1;"));
	cr_assert_str_eq(
	    a,
	    "17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a");
	cr_assert_str_eq(sum("\n\n  \nSELECT 1;\n\n\n"), a);
	cr_assert_str_eq(sum("SELECT 1;\r\n\r\n"), a);
	cr_assert_str_eq(
	    sum("SELECT 1;\nSELECT 2;"),
	    "f64316e71b25e7e950d2440c39420b51dfcc2931e172a923d5b7f89fdc67342d");
	cr_assert_str_eq(
	    sum("SELECT 1;\r\nSELECT 2;\r\n"),
	    "f64316e71b25e7e950d2440c39420b51dfcc2931e172a923d5b7f89fdc67342d");
	/* inner whitespace and leading indentation of the first line count */
	cr_assert_str_neq(sum("  SELECT 1;"), a);
	cr_assert_str_neq(sum("SELECT  1;"), a);
	/* empty */
	cr_assert_str_eq(
	    sum("\n \n"),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* Per-dialect sections: one per dialect and direction plus an untagged
 * default; options in any order; the lookup falls back to the untagged
 * one and is NULL when there is neither. */
Test(script, dialect_sections)
{
	rt_script s;
	const rt_script_sec *sec;
	uint32_t i = 9;
	const char *text = HEADER		  /* 1-4 */
	    "-- migrate:upgrade dialect:sqlite\n" /* 5 */
	    "CREATE TABLE s (id INTEGER);\n"	  /* 6 */
	    "PRAGMA foreign_key_check;\n"	  /* 7 */
	    "-- migrate:upgrade transaction:false dialect:postgresql\n" /* 8 */
	    "CREATE INDEX CONCURRENTLY i ON t (x);\n"			/* 9 */
	    "-- migrate:downgrade\n"					/* 10 */
	    "DROP TABLE s;\n"						/* 11 */
	    "-- migrate:downgrade dialect:postgresql noop\n";		/* 12 */

	s = parse(text);
	cr_assert_eq(s.tagged, 1);
	cr_assert_eq(s.nsections[0], 2);
	cr_assert_eq(s.nsections[1], 2);
	/* the defaults: the first upgrade (no untagged one), the untagged
	 * downgrade */
	cr_assert_eq(s.upgrade_line, 5);
	cr_assert_eq(s.downgrade_line, 10);
	sec = rt_script_section(&s, 0, RT_DIALECT_SQLITE, &i);
	cr_assert_not_null(sec);
	cr_assert_eq(i, 0);
	cr_assert_eq(sec->marker, 5);
	cr_assert_eq(sec->sec.line, 6);
	cr_assert_str_eq(section_text(&sec->sec),
			 "CREATE TABLE s (id INTEGER);\n"
			 "PRAGMA foreign_key_check;\n");
	sec = rt_script_section(&s, 0, RT_DIALECT_POSTGRESQL, &i);
	cr_assert_eq(i, 1);
	cr_assert_eq(sec->sec.transactional, 0);
	cr_assert_str_eq(section_text(&sec->sec),
			 "CREATE INDEX CONCURRENTLY i ON t (x);\n");
	cr_assert_null(rt_script_section(&s, 0, RT_DIALECT_MYSQL, NULL));
	/* downgrade: postgresql has its own (noop), the others the default */
	sec = rt_script_section(&s, 1, RT_DIALECT_POSTGRESQL, NULL);
	cr_assert_eq(sec->sec.noop, 1);
	sec = rt_script_section(&s, 1, RT_DIALECT_MYSQL, NULL);
	cr_assert_eq(sec->dialect, -1);
	cr_assert_str_eq(section_text(&sec->sec), "DROP TABLE s;\n");
	{
		char names[64];

		rt_script_section_names(&s, 1, names, sizeof(names));
		cr_assert_str_eq(names, "no dialect, dialect:postgresql");
	}
}

Test(script_errors, dialect_markers)
{
	expect_error(HEADER "-- migrate:upgrade dialect:sqlite\n"
			    "-- migrate:upgrade dialect:sqlite\n"
			    "-- migrate:downgrade\n",
		     PATH ":6: second '-- migrate:upgrade dialect:sqlite' "
			  "marker (first on line 5)");
	expect_error(HEADER "-- migrate:upgrade dialect:oracle\n"
			    "-- migrate:downgrade\n",
		     PATH ":5: unknown dialect 'oracle' (expected "
			  "dialect:sqlite, dialect:postgresql or "
			  "dialect:mysql)");
	expect_error(HEADER "-- migrate:upgrade dialect:SQLite\n"
			    "-- migrate:downgrade\n",
		     PATH ":5: unknown dialect 'SQLite' (expected "
			  "dialect:sqlite, dialect:postgresql or "
			  "dialect:mysql)");
	expect_error(HEADER "-- migrate:upgrade dialect:sqlite "
			    "dialect:mysql\n-- migrate:downgrade\n",
		     PATH ":5: a second dialect: option; a section is for "
			  "one dialect (or, without dialect:, for all)");
	/* a tagged section does not stand in for a missing direction */
	expect_error(HEADER "-- migrate:upgrade dialect:sqlite\n",
		     PATH ": missing '-- migrate:downgrade' section marker "
			  "(leave the section empty for an irreversible "
			  "revision, or mark it '-- migrate:downgrade noop' "
			  "when the upgrade needs no undoing)");
}
