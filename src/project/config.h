/* SPDX-License-Identifier: MIT */
/*
 * config.h: retort.ini, read with inih, and the values it holds.
 *
 * The file is ConfigParser-compatible where Alembic's alembic.ini is:
 * sections, `key = value` or `key: value`, keys case-insensitive, `;`/`#`
 * comment lines, `;` inline comments, indented continuation lines, and a
 * [DEFAULT] section whose keys every section sees. Values are interpolated
 * lazily, on first read, so a variable that a command never uses cannot
 * make it fail:
 *   %(here)s          the config file's folder (the working directory for
 *                     text configs without a path)
 *   %(key)s           another key of the section (or of [DEFAULT])
 *   %%                a literal %
 *   ${VAR}            environment variable; unset is an error naming it
 *   ${VAR:-default}   environment variable or default (itself interpolated)
 *
 * The keys of [SECTION.lint] (SECTION the selected one) are those of
 * SECTION with "lint." before them: `[retort.lint] disable = x` reads as
 * `lint.disable = x` in [retort].
 *
 * Invariants: keys are stored lower-cased; every stored value remembers the
 * line it came from, so errors name file:line; only keys in the known-key
 * table are accepted in the selected section (unknown key = error).
 */
#ifndef RT_CONFIG_H
#define RT_CONFIG_H

#include "util/err.h"

typedef struct rt_config rt_config;

/*
 * Load a config.
 *  path  file to read (also names it in messages and sets %(here)s);
 *        NULL with text NULL gives an empty config (all defaults)
 *  text  config text to parse instead of reading path (may be NULL)
 *  section  section to use; NULL means "retort"
 * Errors (RETORT_ECONFIG): unreadable file, syntax error, line too long,
 * duplicate key, unknown key in the selected section, missing section
 * (when a file was given), each naming file:line where there is one.
 */
int rt_config_load(rt_config **out, const char *path, const char *text,
		   const char *section, rt_err *err);
void rt_config_free(rt_config *c);

/*
 * The interpolated value of `key` in the selected section (falling back to
 * [DEFAULT]), or *out = NULL when unset. The string lives as long as the
 * config. Errors: unset ${VAR} without default, unknown %(name)s,
 * recursion deeper than 10 levels, malformed %( or ${ syntax.
 */
int rt_config_get(const rt_config *c, const char *key, const char **out,
		  rt_err *err);
/* Like rt_config_get, with a default when unset. */
int rt_config_get_default(const rt_config *c, const char *key, const char *def,
			  const char **out, rt_err *err);
/* Booleans: true/yes/on/1 and false/no/off/0 (any case); others error. */
int rt_config_get_bool(const rt_config *c, const char *key, int def, int *out,
		       rt_err *err);
/* Non-negative integers; others error naming file:line. */
int rt_config_get_int(const rt_config *c, const char *key, long def, long *out,
		      rt_err *err);
/* Replace a value (e.g. --url). The value is used as is, not interpolated. */
int rt_config_set(rt_config *c, const char *key, const char *value,
		  rt_err *err);

/*
 * Find the config file `name` (retort.ini) when none is given, as git
 * finds .git: in the working directory, else in the nearest parent folder
 * that has one. The search stops at the root and at a mount point (a
 * folder whose parent is on another file system), which is searched.
 * *out (malloc'd) is the path from the working directory: "retort.ini",
 * "../retort.ini", ... Not found: RETORT_ECONFIG, naming the folders.
 */
int rt_config_find(char **out, const char *name, rt_err *err);

/* The config file path as given ("<memory>" for text without a path and
 * for the empty config). */
const char *rt_config_path(const rt_config *c);
/* Absolute folder of the config file (%(here)s). */
const char *rt_config_here(const rt_config *c);
/* The selected section name. */
const char *rt_config_section(const rt_config *c);
/* Line of key in the file, 0 if unknown/unset. */
unsigned rt_config_line(const rt_config *c, const char *key);

/* The i-th key (lower-case, in file order) set in the selected section
 * that starts with prefix ("lint.severity."), or NULL past the last. */
const char *rt_config_key_prefix(const rt_config *c, const char *prefix,
				 size_t i);

/* The i-th key of the [retort] section that retort knows, or NULL past
 * the last (for tests and fuzzing, which must not keep a copy). */
const char *rt_config_known_key(size_t i);

#endif
