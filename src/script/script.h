/* SPDX-License-Identifier: MIT */
/*
 * Stage script/ (files -> script): one revision file's text in, its parsed
 * header and sections out (script.h); and the other way round, the text of
 * a new revision from the template (template.h, pyformat.h, slug.h). Uses
 * util/ and sql/.
 *
 * script.h: one revision file, parsed.
 *
 *   -- add email to author                  <- message (first paragraph)
 *   --
 *   -- Revision ID: 3f2a9c1b7e4d            <- required
 *   -- Revises: 1a2b3c4d5e6f                <- required; empty for a base;
 *   -- Create Date: 2026-11-22 15:40:00        "a, b" is a merge
 *   -- Branch Labels:
 *   -- Depends On:
 *
 *   -- migrate:upgrade [dialect:D] [transaction:false]
 *   ...SQL...
 *   -- migrate:downgrade [dialect:D] [transaction:false] [noop]
 *   ...SQL...
 *
 * The header is the leading block of `--` lines, in paragraphs separated
 * by empty `--` lines. The message runs from the first line to the first
 * known key line (or the end of the first paragraph). A paragraph that
 * holds a known key is the key block: every line in it must be a known
 * "Key: value" (a typo in "Revises" must not silently make a base); other
 * paragraphs are free text and belong to the long description. Both
 * section markers are required, once each; an empty downgrade section
 * marks the revision irreversible, unless its marker says `noop` (the
 * upgrade needs no undoing; the section may then hold no statement).
 *
 * Per-dialect sections: a marker may name a dialect (dialect:sqlite,
 * dialect:postgresql, dialect:mysql); a direction then has up to one
 * section per dialect plus one without a dialect, which is the default
 * for the dialects that have no section of their own
 * (rt_script_section()). Each direction still needs at least one marker;
 * a second marker of the same direction and dialect (or a second
 * untagged one) is an error.
 *
 * Invariants after a successful parse: id is a valid revision id; every
 * list item is a valid id/label; section pointers point into `text`, which
 * lives in the arena given to the parser, as do all strings.
 */
#ifndef RT_SCRIPT_H
#define RT_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "retort.h"
#include "sql/dialect.h"
#include "util/arena.h"
#include "util/err.h"

/* At most one untagged section and one per dialect, per direction. */
#define RT_SCRIPT_SECTIONS 4

typedef struct rt_script_sec {
	retort_section sec;
	int dialect;	 /* an rt_dialect, or -1 for no dialect: (all) */
	unsigned marker; /* the marker's line */
} rt_script_sec;

typedef struct rt_script {
	const char *path;     /* as found, or the in-memory source name */
	const char *filename; /* last path component */
	const char *text;     /* the whole file (NUL-terminated copy) */
	size_t len;
	const char *id;
	unsigned id_line;
	const char *doc;     /* the message: first header paragraph */
	const char *longdoc; /* the whole header text */
	const char *create_date;
	const char **down; /* Revises */
	uint32_t ndown;
	unsigned down_line;
	const char **deps; /* Depends On */
	uint32_t ndeps;
	unsigned deps_line;
	const char **labels; /* Branch Labels */
	uint32_t nlabels;
	unsigned labels_line;
	/* the default section of each direction: the one without a dialect,
	 * else the first in the file (the only one in a file without
	 * dialect: markers) */
	retort_section upgrade;
	retort_section downgrade;
	unsigned upgrade_line; /* their marker lines */
	unsigned downgrade_line;
	/* every section, in file order: [0] upgrade, [1] downgrade; each
	 * an array of nsections[dir] (at most RT_SCRIPT_SECTIONS) in the
	 * arena, sized to what the file has */
	const rt_script_sec *sections[2];
	uint32_t nsections[2];
	int tagged; /* some marker names a dialect */
} rt_script;

/* The section that runs for direction `downgrade` (0 upgrade, 1
 * downgrade) on dialect d: the one marked dialect:d, else the one
 * without a dialect; NULL when the file has neither (a run on d must
 * fail, naming the revision). *index, when not NULL, is its position in
 * s->sections[downgrade]. */
const rt_script_sec *rt_script_section(const rt_script *s, int downgrade,
				       rt_dialect d, uint32_t *index);

/* "dialect:sqlite, dialect:postgresql" (or "no dialect" for an untagged
 * one): the sections of a direction, for messages; into out. */
void rt_script_section_names(const rt_script *s, int downgrade, char *out,
			     size_t size);

/* Parse `len` bytes of `text` read from `path`. The text is copied into the
 * arena. Errors (RETORT_ECONFIG) read "path:line: what is wrong". */
int rt_script_parse(rt_script *out, rt_arena *a, const char *path,
		    const char *text, size_t len, rt_err *err);

/* Revision ids and branch labels: 1..255 of [A-Za-z0-9_.-]. Returns 1 when
 * valid; otherwise 0 and writes the offending characters (sorted, unique,
 * ", "-joined, as Alembic's verify_rev_id lists them) into bad[64]. */
int rt_valid_id(const char *s, size_t len, char bad[64]);

/* A valid id that is still refused as a revision id, because the resolver
 * would read it as something else: the words head, heads, base and
 * current, and "-N" (a relative revision: N steps down from the heads).
 * Returns NULL for an id that may be used, else the rest of the message
 * after "revision id 'x' is reserved" ("" or ": it reads as ..."). */
const char *rt_reserved_id(const char *s, size_t len);

/* The file line of byte `offset` of a section's text (a database's error
 * position); the section's first line for a negative offset. */
unsigned rt_section_line(const retort_section *sec, long offset);

/* Checksum of a section as stored in the log: SHA-256 over the text with
 * CRLF turned into LF and leading/trailing blank lines removed. */
void rt_section_checksum(const char *sql, size_t len, char hex[65]);

#endif
