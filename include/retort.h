/* SPDX-License-Identifier: MIT */
/**
 * @file retort.h
 * @brief libretort: SQL schema migrations with Alembic's revision graph.
 *
 * This is the whole public API. The `retort` command-line tool is written
 * against it and nothing else, so everything the CLI does an embedding
 * application can do too.
 *
 * Conventions (after libgit2 and SQLite):
 *  - Every function that can fail returns an int: 0 (RETORT_OK) on success,
 *    a negative RETORT_E* code on failure. The one-line message describing
 *    the failure is kept on the handle: retort_errmsg(r).
 *  - Out-parameters come first and are named `out`. Objects returned through
 *    an out-parameter are owned by the caller and freed with their type's
 *    _free function. Pointers returned directly (getters) belong to the
 *    handle and live until retort_close() (or until the project is reloaded).
 *  - Option structs begin with a `version` field; initialise them with the
 *    matching _INIT macro so that fields added later get their defaults.
 *  - The library never prints and never exits. Progress, warnings and
 *    waiting notices are delivered through callbacks.
 *  - A handle is used by one thread at a time; distinct handles are
 *    independent.
 */
#ifndef RETORT_H
#define RETORT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(RETORT_BUILDING_LIBRARY)
#define RETORT_EXTERN(type) __attribute__((visibility("default"))) type
#else
#define RETORT_EXTERN(type) extern type
#endif

/*
 * The version these headers belong to: RETORT_VERSION_MAJOR, _MINOR,
 * _PATCH, RETORT_VERSION_STRING ("0.1.0") and RETORT_VERSION_NUMBER
 * (MAJOR * 1000000 + MINOR * 1000 + PATCH). retort_version.h is generated
 * by CMake from project(VERSION), the one place the version is written; it
 * is installed next to this header, and an in-tree build finds it in
 * BUILD/include.
 */
#include "retort_version.h"

/** @name Return codes */
/**@{*/
#define RETORT_OK	 0
#define RETORT_ERROR	 -1  /**< the operation failed (database, SQL) */
#define RETORT_EUSAGE	 -2  /**< bad argument or option combination */
#define RETORT_ECONFIG	 -3  /**< configuration or file error */
#define RETORT_ENOTFOUND -4  /**< unknown or ambiguous revision identifier */
#define RETORT_EGRAPH	 -5  /**< the revision graph is broken or ambiguous */
#define RETORT_ELOCKED	 -6  /**< the migration lock could not be taken */
#define RETORT_EDIRTY	 -7  /**< the database is marked dirty */
#define RETORT_EPROBLEMS -8  /**< check/validate found problems */
#define RETORT_ENOMEM	 -9  /**< out of memory */
#define RETORT_EDB	 -10 /**< cannot connect or database-level failure */
/**@}*/

/** The library's version string, e.g. "0.1.0". */
RETORT_EXTERN(const char *) retort_version(void);

/** The handle: one project (config + revision scripts) and its state. */
typedef struct retort retort;
/** One revision script. Owned by its handle. */
typedef struct retort_revision retort_revision;

/** A growable output buffer, filled by the library, disposed by the caller. */
typedef struct retort_buf {
	char *ptr;
	size_t size;
	size_t asize;
} retort_buf;
#define RETORT_BUF_INIT    \
	{                  \
		NULL, 0, 0 \
	}
RETORT_EXTERN(void) retort_buf_dispose(retort_buf *buf);

/** Where text output (e.g. `--sql`) goes. Return non-zero to abort. */
typedef int (*retort_write_fn)(const char *data, size_t len, void *payload);

/** Severity of a message sent to a retort_log_fn. */
typedef enum retort_log_level {
	RETORT_LOG_INFO = 0,	/**< progress and status (quiet hides it) */
	RETORT_LOG_WARNING = 1, /**< something to look at */
	RETORT_LOG_NOTICE = 2	/**< always shown: e.g. waiting for a lock */
} retort_log_level;
/** Receives informational messages and warnings (one line each). */
typedef void (*retort_log_fn)(retort_log_level level, const char *message,
			      void *payload);

/** A revision file held in memory, for applications that embed their
 * migrations instead of reading them from disk. */
typedef struct retort_source {
	const char *name; /**< shown in messages, e.g. "0001_init.sql" */
	const char *text;
	size_t len;
} retort_source;

/** Options for retort_open(). */
typedef struct retort_open_options {
	unsigned int version;
	/** Config file; NULL: $RETORT_CONFIG, else retort.ini in the working
	 * directory or the nearest parent folder that has one (the search
	 * stops at the root and at a mount point). */
	const char *config_path;
	/** Config given as text instead of a file (config_path, if set,
	 * then only names it in messages and sets %(here)s). */
	const char *config_text;
	/** INI section to use; NULL: "retort". */
	const char *section;
	/** Overrides the configured url. */
	const char *url;
	/** -x values, each "KEY=VALUE" (a missing '=' means an empty value). */
	const char *const *x_args;
	size_t x_count;
	/** Revisions held in memory; when given, version_locations are not
	 * read, and no config file is needed. */
	const retort_source *sources;
	size_t source_count;
	retort_log_fn log;
	void *log_payload;
} retort_open_options;
#define RETORT_OPEN_OPTIONS_VERSION 1
#define RETORT_OPEN_OPTIONS_INIT                                              \
	{                                                                     \
		RETORT_OPEN_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, \
		    NULL, 0, NULL, NULL                                       \
	}

/**
 * Open a project. Like sqlite3_open(), *out receives a handle even on
 * failure (unless memory ran out), so that retort_errmsg() can say why;
 * close it with retort_close() either way.
 *
 * Only the configuration is read here. Revision files are read and the
 * graph is built on first use, so that commands that need no graph (and
 * `validate`, which wants to report every problem) can run on a broken
 * project.
 */
RETORT_EXTERN(int) retort_open(retort **out, const retort_open_options *opts);
RETORT_EXTERN(void) retort_close(retort *r);
/** The last error's message ("" after success). */
RETORT_EXTERN(const char *) retort_errmsg(const retort *r);
/** The last error's code (RETORT_OK after success). */
RETORT_EXTERN(int) retort_errcode(const retort *r);

/**
 * A configuration value of the open section, interpolated (%(here)s,
 * %(key)s, %%, ${VAR}, ${VAR:-default}). *out is NULL when the key is not
 * set. Fails when interpolation fails (unset variable, bad reference).
 */
RETORT_EXTERN(int)
retort_config_get(const char **out, retort *r, const char *key);
/** The database URL with the password masked as "***". */
RETORT_EXTERN(int) retort_url_display(const char **out, retort *r);
/** The path of the config file ("<memory>" when given as text). */
RETORT_EXTERN(const char *) retort_config_path(const retort *r);

/* ------------------------------------------------------------------ */
/** @name Creating a project */

typedef struct retort_init_options {
	unsigned int version;
	/** Config file to write; NULL: ./retort.ini. Kept when it exists. */
	const char *config_path;
	retort_log_fn log;
	void *log_payload;
} retort_init_options;
#define RETORT_INIT_OPTIONS_VERSION 1
#define RETORT_INIT_OPTIONS_INIT                              \
	{                                                     \
		RETORT_INIT_OPTIONS_VERSION, NULL, NULL, NULL \
	}

/**
 * `retort init DIR`: create DIR/script.sql.tmpl, DIR/versions/ and the
 * config file. Fails when DIR exists and is not empty. *out receives a
 * handle (open on the new project on success) as with retort_open().
 */
RETORT_EXTERN(int)
retort_init(retort **out, const char *dir, const retort_init_options *opts);

/* ------------------------------------------------------------------ */
/** @name Revisions */

/** Flags of a revision in the graph. */
#define RETORT_REV_HEAD	       0x01 /**< no revision revises it */
#define RETORT_REV_REAL_HEAD   0x02 /**< and none depends on it */
#define RETORT_REV_BASE	       0x04 /**< revises nothing */
#define RETORT_REV_BRANCHPOINT 0x08 /**< revised by more than one */
#define RETORT_REV_MERGEPOINT  0x10 /**< revises more than one */

/** Load the revision files and build the graph if not done yet. */
RETORT_EXTERN(int) retort_load(retort *r);
/** Number of revisions (after a successful retort_load()). */
RETORT_EXTERN(size_t) retort_revision_count(const retort *r);
/** The i-th revision in load order (version locations in order, files
 * sorted by name), which is also the order that breaks ties. */
RETORT_EXTERN(const retort_revision *)
retort_revision_at(const retort *r, size_t i);

RETORT_EXTERN(const char *) retort_revision_id(const retort_revision *rev);
/** The message: the first paragraph of the header. */
RETORT_EXTERN(const char *) retort_revision_doc(const retort_revision *rev);
/** The whole header text, comment markers removed. */
RETORT_EXTERN(const char *) retort_revision_longdoc(const retort_revision *rev);
/** The file path (or the source name for in-memory revisions). */
RETORT_EXTERN(const char *) retort_revision_path(const retort_revision *rev);
RETORT_EXTERN(const char *)
retort_revision_create_date(const retort_revision *rev);
RETORT_EXTERN(unsigned int) retort_revision_flags(const retort_revision *rev);
/** `Revises` ids, in the order written. */
RETORT_EXTERN(size_t) retort_revision_down_count(const retort_revision *rev);
RETORT_EXTERN(const char *)
retort_revision_down_at(const retort_revision *rev, size_t i);
/** `Depends On` entries as written (ids or branch labels). */
RETORT_EXTERN(size_t) retort_revision_depends_count(const retort_revision *rev);
RETORT_EXTERN(const char *)
retort_revision_depends_at(const retort_revision *rev, size_t i);
/** Branch labels carried by the revision: its own and those it inherits
 * from its branch, as Alembic propagates them. */
RETORT_EXTERN(size_t) retort_revision_label_count(const retort_revision *rev);
RETORT_EXTERN(const char *)
retort_revision_label_at(const retort_revision *rev, size_t i);
/** Revisions that revise this one, in load order. */
RETORT_EXTERN(size_t) retort_revision_child_count(const retort_revision *rev);
RETORT_EXTERN(const retort_revision *)
retort_revision_child_at(const retort_revision *rev, size_t i);

/** The SQL of one section of a revision. */
typedef struct retort_section {
	const char *sql; /**< text as written ("" for an empty section) */
	size_t len;
	unsigned int line; /**< line of the first SQL line in the file */
	int transactional; /**< 0 for `transaction:false` */
	int empty;	   /**< no statements, only blanks/comments */
	/** `-- migrate:downgrade noop`: nothing to undo (downgrades freely;
	 * the section holds no statement) */
	int noop;
} retort_section;
RETORT_EXTERN(const retort_section *)
retort_revision_upgrade(const retort_revision *rev);
RETORT_EXTERN(const retort_section *)
retort_revision_downgrade(const retort_revision *rev);
/** SHA-256 (64 hex digits) of a section's text with line endings
 * normalised and outer blank lines dropped: what the log records. */
RETORT_EXTERN(const char *)
retort_revision_checksum(const retort_revision *rev, int downgrade);

/* ------------------------------------------------------------------ */
/** @name Lists of revisions */

typedef struct retort_revlist retort_revlist;
RETORT_EXTERN(size_t) retort_revlist_count(const retort_revlist *list);
RETORT_EXTERN(const retort_revision *)
retort_revlist_at(const retort_revlist *list, size_t i);
RETORT_EXTERN(void) retort_revlist_free(retort_revlist *list);

/** retort_heads() flags */
#define RETORT_HEADS_RESOLVE_DEPENDENCIES 0x01

/** `heads`: the versioned heads in load order; with
 * RETORT_HEADS_RESOLVE_DEPENDENCIES the heads nothing depends on. */
RETORT_EXTERN(int)
retort_heads(retort_revlist **out, retort *r, unsigned int flags);

/**
 * Resolve an identifier as Alembic's get_revisions(): a full id, a unique
 * prefix, `head`, `heads`, `base` (empty list), `label@head`, `rev@head`,
 * `label@base`, `label@-N`, or a branch label. Relative forms other than
 * `label@-N` need the database state; see the plan functions.
 */
RETORT_EXTERN(int)
retort_resolve(retort_revlist **out, retort *r, const char *ident);

/**
 * `history`: revisions newest first, each branch drained before its branch
 * point. `range` is NULL or "[start]:[end]". `current` lists the database's
 * revisions for ranges that use the word `current` (may be NULL).
 */
RETORT_EXTERN(int)
retort_history(retort_revlist **out, retort *r, const char *range,
	       const char *const *current, size_t ncurrent);

/**
 * `current`: the revisions a database at `heads` (its version rows) is at,
 * adding the heads implied through `Depends On`, as Alembic's
 * get_all_current().
 */
RETORT_EXTERN(int)
retort_all_current(retort_revlist **out, retort *r, const char *const *heads,
		   size_t nheads);

/** retort_revision_format() flags, after Alembic's Script.cmd_format(). */
#define RETORT_FMT_VERBOSE  0x01 /**< the multi-line log entry */
#define RETORT_FMT_BRANCHES 0x02 /**< "(label)" */
#define RETORT_FMT_DOC	    0x04 /**< ", message" */
#define RETORT_FMT_PARENTS  0x08 /**< "parent -> " */
#define RETORT_FMT_TREE	    0x10 /**< "(branchpoint)", "(mergepoint)" */
#define RETORT_FMT_CURRENT  0x20 /**< mark as "(current)" */
#define RETORT_FMT_HEAD	    0x40 /**< "(head)", "(effective head)" */
/** Append one revision formatted as Alembic prints it (no newline). */
RETORT_EXTERN(int)
retort_revision_format(retort_buf *out, const retort_revision *rev,
		       unsigned int flags);

/* ------------------------------------------------------------------ */
/** @name Plans: what upgrade, downgrade and stamp would do */

typedef enum retort_step_kind {
	RETORT_STEP_UPGRADE = 0,
	RETORT_STEP_DOWNGRADE = 1,
	RETORT_STEP_STAMP = 2
} retort_step_kind;

typedef enum retort_version_op_kind {
	RETORT_VERSION_INSERT = 0, /**< INSERT `to` */
	RETORT_VERSION_UPDATE = 1, /**< UPDATE `from` to `to` */
	RETORT_VERSION_DELETE = 2  /**< DELETE `from` */
} retort_version_op_kind;

/** One change to the version table. */
typedef struct retort_version_op {
	retort_version_op_kind kind;
	const char *from;
	const char *to;
} retort_version_op;

/** One step of a plan. */
typedef struct retort_step {
	retort_step_kind kind;
	/** The revision whose section runs (NULL for stamp steps). */
	const retort_revision *revision;
	/** Ids the step moves from and to, without dependencies (as
	 * Alembic's "-- Running upgrade a, b -> c" line shows them). */
	const char *const *from;
	size_t nfrom;
	const char *const *to;
	size_t nto;
	/** Version-table changes, in order. */
	const retort_version_op *ops;
	size_t nops;
} retort_step;

typedef struct retort_plan retort_plan;
RETORT_EXTERN(size_t) retort_plan_count(const retort_plan *plan);
RETORT_EXTERN(const retort_step *)
retort_plan_step(const retort_plan *plan, size_t i);
/** The version rows after the whole plan ran, sorted. */
RETORT_EXTERN(size_t) retort_plan_final_count(const retort_plan *plan);
RETORT_EXTERN(const char *)
retort_plan_final_at(const retort_plan *plan, size_t i);
RETORT_EXTERN(void) retort_plan_free(retort_plan *plan);

/** Plan `upgrade TARGET` from a database whose version rows are `heads`. */
RETORT_EXTERN(int)
retort_plan_upgrade(retort_plan **out, retort *r, const char *target,
		    const char *const *heads, size_t nheads);
/** Plan `downgrade TARGET` from version rows `heads`. */
RETORT_EXTERN(int)
retort_plan_downgrade(retort_plan **out, retort *r, const char *target,
		      const char *const *heads, size_t nheads);
/** Plan `stamp TARGETS` from version rows `heads`. */
RETORT_EXTERN(int)
retort_plan_stamp(retort_plan **out, retort *r, const char *const *targets,
		  size_t ntargets, const char *const *heads, size_t nheads);

/* ------------------------------------------------------------------ */
/** @name Running */

/** What a progress callback is told. */
typedef enum retort_event_kind {
	RETORT_EVENT_STEP_BEGIN = 0, /**< a step starts */
	RETORT_EVENT_STEP_END = 1,   /**< a step finished (elapsed_ms set) */
	RETORT_EVENT_LOCK_WAIT = 2,  /**< waiting for another process's lock */
	RETORT_EVENT_LOCK_TAKEN = 3
} retort_event_kind;

typedef struct retort_event {
	retort_event_kind kind;
	const retort_step *step; /**< for STEP events */
	size_t index;		 /**< step index */
	size_t total;		 /**< number of steps */
	double elapsed_ms;	 /**< for STEP_END */
	const char *message;	 /**< for LOCK events: who holds the lock */
} retort_event;
typedef void (*retort_event_fn)(const retort_event *ev, void *payload);

/** Options for upgrade, downgrade and stamp. */
typedef struct retort_run_options {
	unsigned int version;
	/** Render SQL through `write` instead of connecting (`--sql`).
	 * The target may then be a range "start:end". */
	int sql;
	retort_write_fn write;
	void *write_payload;
	/** Stamp: delete every version row first. */
	int purge;
	/** Downgrade through empty downgrade sections. */
	int allow_irreversible;
	retort_event_fn event;
	void *event_payload;
} retort_run_options;
#define RETORT_RUN_OPTIONS_VERSION 1
#define RETORT_RUN_OPTIONS_INIT                                             \
	{                                                                   \
		RETORT_RUN_OPTIONS_VERSION, 0, NULL, NULL, 0, 0, NULL, NULL \
	}

RETORT_EXTERN(int)
retort_upgrade(retort *r, const char *target, const retort_run_options *opts);
RETORT_EXTERN(int)
retort_downgrade(retort *r, const char *target, const retort_run_options *opts);
RETORT_EXTERN(int)
retort_stamp(retort *r, const char *const *targets, size_t ntargets,
	     const retort_run_options *opts);

/* ------------------------------------------------------------------ */
/** @name The database's state */

/**
 * The database's version rows, in table order (none when the version
 * table does not exist; it is never created here). Free with
 * retort_strings_free().
 */
RETORT_EXTERN(int) retort_version_rows(char ***out, size_t *count, retort *r);
RETORT_EXTERN(void) retort_strings_free(char **v, size_t count);

/** retort_current() flags */
#define RETORT_CURRENT_CHECK_HEADS 0x01 /**< fail unless at every head */

/**
 * `current`: the revisions the database is at (its rows plus the heads
 * implied through dependencies). With RETORT_CURRENT_CHECK_HEADS, fails
 * with "Database is not on all head revisions" (RETORT_EPROBLEMS) when
 * the database is behind.
 */
RETORT_EXTERN(int)
retort_current(retort_revlist **out, retort *r, unsigned int flags);

/** retort_repair() flags */
#define RETORT_REPAIR_CHECKSUMS 0x01 /**< accept edited applied revisions */

/** What retort_repair() did. */
typedef struct retort_repair_result {
	size_t runs;	  /**< unfinished or failed runs marked repaired */
	size_t checksums; /**< applied revisions whose checksum was updated */
} retort_repair_result;

/**
 * `repair`: after a `transaction:false` section failed (the database is
 * "dirty") and the user fixed the database by hand, mark the failed run
 * as repaired so that writes are allowed again. With
 * RETORT_REPAIR_CHECKSUMS also record the current checksum of applied
 * revisions whose files were edited (what `validate` reports). Each
 * action is reported through the log callback.
 */
RETORT_EXTERN(int)
retort_repair(retort_repair_result *out, retort *r, unsigned int flags);

/* ------------------------------------------------------------------ */
/** @name Writing revisions */

typedef struct retort_revision_options {
	unsigned int version;
	const char *message;
	/** Parent(s): NULL means "head"; `base` starts a new root; a
	 * comma-separated list or `heads` makes a merge. */
	const char *head;
	/** Allow a parent that is not a head (creates a branch). */
	int splice;
	/** Branch label(s) for the new revision, comma-separated. */
	const char *branch_label;
	/** `Depends On` entries (ids, prefixes or labels). */
	const char *const *depends_on;
	size_t ndepends;
	/** Version location to write into (needed when several). */
	const char *version_path;
	/** Use this id instead of a generated one. */
	const char *rev_id;
	/** SQL bodies for the template's ${upgrades} and ${downgrades}. */
	const char *upgrades;
	const char *downgrades;
	/** `--autogenerate`: fill the sections from the difference between
	 * the database (which must be at head) and the declared schema. */
	int autogenerate;
} retort_revision_options;
#define RETORT_REVISION_OPTIONS_VERSION 1
#define RETORT_REVISION_OPTIONS_INIT                                           \
	{                                                                      \
		RETORT_REVISION_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, 0, \
		    NULL, NULL, NULL, NULL, 0                                  \
	}

/** `revision`: write a new revision file from the template. *out points at
 * the new revision (owned by the handle). */
RETORT_EXTERN(int)
retort_revision_create(const retort_revision **out, retort *r,
		       const retort_revision_options *opts);
/** `merge REVS`: a revision revising each of `revs` (`heads` for all). */
RETORT_EXTERN(int)
retort_merge(const retort_revision **out, retort *r, const char *const *revs,
	     size_t nrevs, const retort_revision_options *opts);

/* ------------------------------------------------------------------ */
/** @name Validation */

typedef struct retort_problem {
	const char *kind;     /**< short tag: "multiple-heads", "cycle", ... */
	const char *revision; /**< revision id, or NULL */
	const char *path;     /**< file, or NULL */
	unsigned int line;    /**< 0 when not tied to a line */
	const char *message;  /**< one line */
} retort_problem;

typedef struct retort_report retort_report;
RETORT_EXTERN(size_t) retort_report_count(const retort_report *rep);
RETORT_EXTERN(const retort_problem *)
retort_report_at(const retort_report *rep, size_t i);
RETORT_EXTERN(void) retort_report_free(retort_report *rep);

/** retort_validate() flags */
#define RETORT_VALIDATE_CHECKSUMS 0x01 /**< also compare applied checksums */

/**
 * `validate`: check the revision files and the graph (multiple heads,
 * broken references, duplicate ids and labels, cycles, file names that do
 * not carry their id) and, with RETORT_VALIDATE_CHECKSUMS, the database's
 * applied checksums. Returns RETORT_EPROBLEMS when *out is not empty.
 */
RETORT_EXTERN(int)
retort_validate(retort_report **out, retort *r, unsigned int flags);

/* ------------------------------------------------------------------ */
/** @name The declared schema */

/**
 * `check`: compare the database (which must be at every head) with the
 * declared schema (`schema` in the config). Each difference is a problem
 * of kind "schema" whose message describes it; returns RETORT_EPROBLEMS
 * when there is any. Objects the schema model does not cover are
 * reported through the log callback.
 */
RETORT_EXTERN(int) retort_check(retort_report **out, retort *r);

/** `dump`: the database's schema as deterministic SQL DDL, appended to
 * out (usable as a declared schema). */
RETORT_EXTERN(int) retort_dump(retort_buf *out, retort *r);

#ifdef __cplusplus
}
#endif

#endif /* RETORT_H */
