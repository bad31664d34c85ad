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
 *    independent. The library starts threads of its own only within a
 *    call, and joins them before it returns (retort_load() on a large
 *    project). Each function says so in its "Threads:" line; the
 *    functions that take no handle (retort_version() and the _free
 *    functions) are safe from any thread on distinct objects.
 *  - Each function's comment lists the codes it returns and when. Any
 *    function that needs the revision files loads them on first use (see
 *    retort_load()) and can then also fail as that does.
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
/** stopped by retort_interrupt() */
#define RETORT_EINTERRUPTED -11
/**@}*/

/**
 * The version of the library running, "MAJOR.MINOR.PATCH". It can differ
 * from RETORT_VERSION_STRING, the version of the headers a program was
 * compiled with, when the program runs against a newer libretort.so.0.
 *
 * @return a static string (never NULL, never freed).
 * Threads: safe from any thread.
 */
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

/**
 * Free the text of a buffer and reset it to RETORT_BUF_INIT, so that it
 * can be filled again. The retort_buf itself belongs to the caller.
 *
 * @param buf the buffer (NULL is allowed: nothing happens).
 * Threads: safe from any thread, on distinct buffers.
 */
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
 * Open a project: read its configuration. Like sqlite3_open(), *out
 * receives a handle even on failure (unless memory ran out), so that
 * retort_errmsg() can say why; close it with retort_close() either way.
 *
 * Only the configuration is read here. Revision files are read and the
 * graph is built on first use (or by retort_load()), so that commands that
 * need no graph, and retort_validate(), which reports every problem, work
 * on a broken project. Nothing connects to the database here.
 *
 * @param out  receives the handle (owned by the caller: retort_close()),
 *             or NULL when memory ran out.
 * @param opts the options (RETORT_OPEN_OPTIONS_INIT, then the fields you
 *             need), or NULL for all defaults. They are copied: the caller
 *             may free them after the call.
 * @return 0; RETORT_EUSAGE (opts->version is not
 *         RETORT_OPEN_OPTIONS_VERSION); RETORT_ECONFIG (no config file
 *         found, one that cannot be read or does not parse, no such
 *         section, an unknown key); RETORT_ENOMEM.
 * Threads: safe from any thread (it reads $RETORT_CONFIG and the working
 *         directory); the new handle is then used by one thread at a time.
 */
RETORT_EXTERN(int) retort_open(retort **out, const retort_open_options *opts);

/**
 * Close a handle and free everything it owns: revisions, their strings,
 * sections and configuration values obtained from it become invalid. Free
 * the lists, plans and reports obtained from it first: what they point to
 * belongs to the handle.
 *
 * @param r the handle, from retort_open() or retort_init(), also after
 *          they failed (NULL is allowed: nothing happens).
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(void) retort_close(retort *r);
/**
 * Ask the operation running on `r` to stop, e.g. from a SIGINT or SIGTERM
 * handler. Async-signal-safe, and safe to call from another thread while
 * the operation runs; it does not wait. The statement in flight is
 * cancelled on the server (PostgreSQL: a cancel request; SQLite:
 * sqlite3_interrupt), and the operation returns RETORT_EINTERRUPTED at
 * the next statement boundary, with a message naming what it stopped:
 *  - upgrade, downgrade, stamp: the revision in flight is rolled back and
 *    not recorded, the revisions before it stay applied (all of them are
 *    rolled back with transaction_per_migration = false), and the
 *    migration lock is released. A `transaction:false` section that is
 *    stopped mid-way leaves the database marked dirty, as a failure does.
 *  - check, revision --autogenerate: the temporary scratch database is
 *    dropped.
 * The request stays pending until an operation reports it: one made while
 * no operation is at the database stops the next one before it connects.
 * An operation that finishes before it notices the request returns its
 * normal result (and leaves the request pending).
 *
 * @param r the handle (NULL: nothing happens).
 * Threads: any thread or signal handler, while another uses r.
 */
RETORT_EXTERN(void) retort_interrupt(retort *r);

/**
 * The message of the last failure on the handle: one line, lower case,
 * naming the file:line or the revision it is about; "" after a success.
 *
 * @param r the handle; NULL gives "out of memory" (what retort_open()
 *          leaves in *out when memory ran out).
 * @return a string owned by the handle, valid until its next call.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(const char *) retort_errmsg(const retort *r);

/**
 * The code of the last failure on the handle (what the failing function
 * returned); RETORT_OK after a success.
 *
 * @param r the handle; NULL gives RETORT_ENOMEM.
 * @return RETORT_OK or a RETORT_E* code.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(int) retort_errcode(const retort *r);

/**
 * A configuration value of the open section, interpolated when it is read
 * (%(here)s, %(key)s, %%, ${VAR}, ${VAR:-default}).
 *
 * @param out receives the value, owned by the handle (valid until
 *            retort_close()), or NULL when the key is not set.
 * @param r   the handle.
 * @param key the key, in any case (script_location, url, ...).
 * @return 0; RETORT_ECONFIG (interpolation failed: an unset variable, a
 *         bad %-reference, a lone %); RETORT_ENOMEM.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(int)
retort_config_get(const char **out, retort *r, const char *key);

/**
 * The database URL (from --url, the url key, or the default), with the
 * password replaced by "***": safe to print or log.
 *
 * @param out receives the URL, owned by the handle (valid until
 *            retort_close()).
 * @param r   the handle.
 * @return 0; RETORT_ECONFIG (no url configured, a value that does not
 *         interpolate, a URL that does not parse); RETORT_ENOMEM.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(int) retort_url_display(const char **out, retort *r);

/**
 * The path of the config file the handle read: as given or found
 * ("../retort.ini" when found in a parent folder), or "<memory>" for
 * config_text without config_path.
 *
 * @param r the handle (NULL is allowed).
 * @return a string owned by the handle, or NULL for a NULL handle or one
 *         whose configuration could not be read.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(const char *) retort_config_path(const retort *r);

/**
 * `--wait-for-db SECONDS`: when connecting to the database fails because
 * the server is not there yet (connection refused, no such host yet, the
 * server starting up or shutting down, too many clients), retry once a
 * second for up to `seconds`, reporting each attempt through the log
 * callback (RETORT_LOG_NOTICE), then give up with the last error. A login
 * the server refuses (wrong password, unknown user or database) fails at
 * once: waiting never makes it right. Applies to every later operation on
 * the handle that connects. A driver that cannot tell the two apart (the
 * SQLite driver has nothing to wait for) never retries.
 *
 * @param r       the handle.
 * @param seconds how long to keep trying; 0 (the default) fails at once.
 * @return 0; RETORT_EUSAGE (negative, or not a number, or more than a
 *         day).
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(int) retort_set_connect_wait(retort *r, double seconds);

/* ------------------------------------------------------------------ */
/** @name The application's own connection
 *
 * Instead of connecting to the configured url, retort can work on a
 * connection the application opened itself: an in-memory SQLite
 * database, one opened through SQLCipher or a custom VFS, a PGconn set up
 * with the application's own authentication. The types are the
 * libraries' own (`sqlite3` is `struct sqlite3`, libpq's `PGconn` is
 * `struct pg_conn`), declared here without their headers: a program
 * passes its `sqlite3 *` or `PGconn *` as it is, and the compiler refuses
 * the one in place of the other. */
/**@{*/
struct sqlite3;
struct pg_conn;

/**
 * Work on the application's open SQLite connection from now on: every
 * function that would connect to the configured url (upgrade, downgrade,
 * stamp, current, the version rows, validate's checksums, repair, check,
 * dump, revision --autogenerate) uses `db` instead, and the url key (and
 * retort_open_options.url) is not read; retort_url_display() names the
 * connection. Nothing touches db during this call.
 *
 * Each operation uses db as it would a connection of its own: the
 * migration lock (BEGIN IMMEDIATE), the version and log tables (created
 * on first write), the dirty state. While an operation runs, retort
 * installs its busy handler (waiting up to lock_timeout) and, for reading
 * operations, sets `PRAGMA query_only`; when it returns, the busy timeout
 * db had (`PRAGMA busy_timeout`; a custom sqlite3_busy_handler() is not
 * restored) and query_only are put back, and no transaction of retort's
 * is left open. retort_interrupt() calls sqlite3_interrupt(db).
 *
 * @param r  the handle.
 * @param db the connection, open (read-write for the writing
 *           operations) and, whenever a retort function is called, not
 *           inside a transaction. Borrowed: retort never closes it, and
 *           keeps only the pointer, which must stay valid until the last
 *           call that uses the database (at the latest retort_close());
 *           the application closes it after that, e.g. after
 *           retort_close(). A second call replaces the connection.
 * @return 0; RETORT_EUSAGE (db is NULL; the project's configured url, when
 *         it is set and parses, is not an SQLite one: the wrong handle or
 *         the wrong project); nothing is recorded after a failure. The
 *         operations that use db then also fail with RETORT_EUSAGE (db is
 *         inside a transaction) and RETORT_EDB (db is read-only and the
 *         operation writes, or cannot be read).
 * Threads: not while another thread uses r; while an operation runs, db
 *         must not be used by another thread either (retort_interrupt()
 *         excepted).
 */
RETORT_EXTERN(int) retort_use_sqlite(retort *r, struct sqlite3 *db);

/**
 * Work on the application's open PostgreSQL connection from now on, as
 * retort_use_sqlite() does for SQLite: every function that would connect
 * to the configured url uses conn instead.
 *
 * Each operation sets the session up as for a connection of its own:
 * client_min_messages, default_transaction_read_only (reading
 * operations), each of pg_settings, then the version table's schema
 * (version_table_schema, or the session's current schema) and the
 * session advisory lock keyed on it, so that a retort process on the same
 * database and the application's own call exclude each other. When it
 * returns, the lock is released, no transaction of retort's is left open,
 * and each setting it changed has its earlier value back.
 * retort_interrupt() sends a cancel request for conn. check and
 * revision --autogenerate need a database for the declared schema: with
 * conn, set dev_url (retort has no URL to create a temporary one from).
 *
 * @param r    the handle.
 * @param conn the connection: CONNECTION_OK and, whenever a retort
 *             function is called, idle (no transaction, no query in
 *             flight, not in pipeline mode), in blocking mode. Borrowed:
 *             retort never calls PQfinish() on it and keeps only the
 *             pointer, which must stay valid until the last call that
 *             uses the database (at the latest retort_close()). A second
 *             call replaces the connection.
 * @return 0; RETORT_EUSAGE (conn is NULL; the project's configured url,
 *         when it is set and parses, is not a PostgreSQL one);
 *         RETORT_ECONFIG (this libretort was built without PostgreSQL);
 *         nothing is recorded after a failure. The operations that use
 *         conn then also fail with RETORT_EDB (conn is not CONNECTION_OK:
 *         libpq's reason) and RETORT_EUSAGE (conn is inside a
 *         transaction, busy or in pipeline mode), before they write
 *         anything.
 * Threads: not while another thread uses r; while an operation runs, conn
 *         must not be used by another thread either (retort_interrupt()
 *         excepted).
 */
RETORT_EXTERN(int) retort_use_pgconn(retort *r, struct pg_conn *conn);
/**@}*/

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
 * config file (kept when it exists), whose paths are relative to its own
 * folder (%(here)s). Reports each file created through opts->log.
 *
 * @param out  receives a handle, as retort_open() does: open on the new
 *             project after a success, carrying the message after a
 *             failure; the caller closes it with retort_close() either way.
 * @param dir  the folder to create (it must not exist, or be empty).
 * @param opts the options (RETORT_INIT_OPTIONS_INIT), or NULL for defaults.
 * @return 0; RETORT_EUSAGE (no dir); RETORT_ECONFIG (dir exists and is not
 *         empty, a folder or file that cannot be created or written, or
 *         the new config failing to open as in retort_open());
 *         RETORT_ENOMEM.
 * Threads: safe from any thread (it writes files, and reads the working
 *         directory); not for the same files at once.
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

/**
 * Read the revision files and build the graph, if not done yet; every
 * function that needs the graph calls it. A second call does nothing.
 *
 * A project of 256 files or more is read and parsed on up to four
 * threads (one per core it may run on), started and joined within the
 * call, with every signal blocked; the result is the same as on one
 * thread.
 *
 * @param r the handle.
 * @return 0; RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(int) retort_load(retort *r);

/**
 * The number of revisions.
 *
 * @param r the handle, after a successful retort_load() (0 before).
 * @return the count.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(size_t) retort_revision_count(const retort *r);

/**
 * The i-th revision in load order (version locations in order, files sorted
 * by name), which is also the order that breaks ties.
 *
 * @param r the handle, after a successful retort_load().
 * @param i the index, below retort_revision_count().
 * @return the revision, owned by the handle (valid until retort_close() or
 *         a reload), or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const retort_revision *)
retort_revision_at(const retort *r, size_t i);

/**
 * The revision's id (Revision ID).
 *
 * @param rev the revision.
 * @return a string owned by the handle (never NULL).
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *) retort_revision_id(const retort_revision *rev);

/**
 * The message: the first paragraph of the header.
 *
 * @param rev the revision.
 * @return a string owned by the handle ("" when there is none).
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *) retort_revision_doc(const retort_revision *rev);

/**
 * The whole header text, comment markers removed.
 *
 * @param rev the revision.
 * @return a string owned by the handle.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *) retort_revision_longdoc(const retort_revision *rev);

/**
 * The file's path (or the source name, for revisions held in memory).
 *
 * @param rev the revision.
 * @return a string owned by the handle.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *) retort_revision_path(const retort_revision *rev);

/**
 * The Create Date as written.
 *
 * @param rev the revision.
 * @return a string owned by the handle, or NULL when the header has none.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *)
retort_revision_create_date(const retort_revision *rev);

/**
 * Where the revision sits in the graph: RETORT_REV_HEAD, _REAL_HEAD, _BASE, _BRANCHPOINT, _MERGEPOINT.
 *
 * @param rev the revision.
 * @return the flags, or'ed.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(unsigned int) retort_revision_flags(const retort_revision *rev);

/**
 * The number of Revises ids (0 for a root, 2 or more for a merge).
 *
 * @param rev the revision.
 * @return the count.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(size_t) retort_revision_down_count(const retort_revision *rev);

/**
 * The i-th Revises id, in the order written.
 *
 * @param rev the revision.
 * @param i   the index, below the matching _count().
 * @return a string owned by the handle, or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *)
retort_revision_down_at(const retort_revision *rev, size_t i);

/**
 * The number of Depends On entries.
 *
 * @param rev the revision.
 * @return the count.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(size_t) retort_revision_depends_count(const retort_revision *rev);

/**
 * The i-th Depends On entry, as written (an id or a branch label).
 *
 * @param rev the revision.
 * @param i   the index, below the matching _count().
 * @return a string owned by the handle, or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *)
retort_revision_depends_at(const retort_revision *rev, size_t i);

/**
 * The number of branch labels the revision carries: its own and those it inherits from its branch, as Alembic propagates them.
 *
 * @param rev the revision.
 * @return the count.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(size_t) retort_revision_label_count(const retort_revision *rev);

/**
 * The i-th branch label.
 *
 * @param rev the revision.
 * @param i   the index, below the matching _count().
 * @return a string owned by the handle, or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *)
retort_revision_label_at(const retort_revision *rev, size_t i);

/**
 * The number of revisions that revise this one.
 *
 * @param rev the revision.
 * @return the count.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(size_t) retort_revision_child_count(const retort_revision *rev);

/**
 * The i-th revision that revises this one, in load order.
 *
 * @param rev the revision.
 * @param i   the index, below the matching _count().
 * @return a revision owned by the handle, or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
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

/**
 * The upgrade section: its SQL, its first line, whether it is transactional or empty.
 * In a file with per-dialect sections (`-- migrate:upgrade dialect:NAME`)
 * this is the default one: the section without a dialect, else the first
 * in the file; retort_revision_section() gives the one a dialect runs.
 *
 * @param rev the revision.
 * @return a section owned by the handle (never NULL).
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const retort_section *)
retort_revision_upgrade(const retort_revision *rev);

/**
 * The downgrade section (empty, or marked noop, when nothing undoes the upgrade).
 *
 * @param rev the revision.
 * @return a section owned by the handle (never NULL).
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const retort_section *)
retort_revision_downgrade(const retort_revision *rev);

/**
 * The SHA-256 (64 hex digits) of a section's text with line endings
 * normalised and outer blank lines dropped: what the log table records,
 * and what retort_validate() compares. Computed on first use.
 *
 * @param rev       the revision.
 * @param downgrade 0 for the upgrade section, 1 for the downgrade one.
 * @return a string owned by the handle, or NULL when memory ran out.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *)
retort_revision_checksum(const retort_revision *rev, int downgrade);

/**
 * The number of sections of one direction: 1 in a file without
 * `dialect:` markers; with them, one per `-- migrate:upgrade
 * dialect:NAME` (or downgrade) marker plus the one without a dialect, if
 * any (at most 4).
 *
 * @param rev       the revision.
 * @param downgrade 0 for the upgrade sections, 1 for the downgrade ones.
 * @return the count (at least 1 for a loaded revision).
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(size_t)
retort_revision_section_count(const retort_revision *rev, int downgrade);

/**
 * The i-th section of one direction, in file order, and the dialect its
 * marker names.
 *
 * @param rev       the revision.
 * @param downgrade 0 for the upgrade sections, 1 for the downgrade ones.
 * @param i         the index, below retort_revision_section_count().
 * @param dialect   when not NULL, set to "sqlite", "postgresql" or
 *                  "mysql" (a static string), or NULL for a section
 *                  without a dialect (the default for every dialect
 *                  that has no section of its own).
 * @return a section owned by the handle, or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const retort_section *)
retort_revision_section_at(const retort_revision *rev, int downgrade, size_t i,
			   const char **dialect);

/**
 * The section that runs on a dialect: the one marked `dialect:NAME`,
 * else the one without a dialect.
 *
 * @param rev       the revision.
 * @param downgrade 0 for upgrade, 1 for downgrade.
 * @param dialect   "sqlite", "postgresql" or "mysql".
 * @return a section owned by the handle, or NULL when the revision has no
 *         section for that dialect (running it there is an error) or the
 *         dialect is unknown.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const retort_section *)
retort_revision_section(const retort_revision *rev, int downgrade,
			const char *dialect);

/**
 * The SHA-256 (64 hex digits) of the i-th section of one direction, as
 * retort_revision_checksum() computes it. A database records the
 * checksum of the section its dialect ran, so editing one dialect's
 * section changes nothing for databases of another dialect.
 *
 * @param rev       the revision.
 * @param downgrade 0 for the upgrade sections, 1 for the downgrade ones.
 * @param i         the index, below retort_revision_section_count().
 * @return a string owned by the handle, or NULL when i is out of range.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
RETORT_EXTERN(const char *)
retort_revision_section_checksum(const retort_revision *rev, int downgrade,
				 size_t i);

/* ------------------------------------------------------------------ */
/** @name Lists of revisions */

typedef struct retort_revlist retort_revlist;

/**
 * The number of revisions in a list.
 *
 * @param list the list (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a list no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_revlist_count(const retort_revlist *list);

/**
 * The i-th revision of a list.
 *
 * @param list the list.
 * @param i    the index, below retort_revlist_count().
 * @return a revision owned by the handle the list came from (not by the
 *         list: it outlives retort_revlist_free()), or NULL when i is out
 *         of range.
 * Threads: safe from any thread, on a list no one frees meanwhile.
 */
RETORT_EXTERN(const retort_revision *)
retort_revlist_at(const retort_revlist *list, size_t i);

/**
 * Free a list (not its revisions, which belong to the handle).
 *
 * @param list the list (NULL is allowed).
 * Threads: safe from any thread, on distinct lists.
 */
RETORT_EXTERN(void) retort_revlist_free(retort_revlist *list);

/** retort_heads() flags */
#define RETORT_HEADS_RESOLVE_DEPENDENCIES 0x01

/**
 * `heads`: the heads of the graph (revisions nothing revises), in load
 * order; with RETORT_HEADS_RESOLVE_DEPENDENCIES only those that no
 * revision depends on either.
 *
 * @param out   receives the list, owned by the caller
 *              (retort_revlist_free()); NULL after a failure.
 * @param r     the handle.
 * @param flags 0 or RETORT_HEADS_RESOLVE_DEPENDENCIES.
 * @return 0; RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_heads(retort_revlist **out, retort *r, unsigned int flags);

/**
 * Resolve an identifier as Alembic's get_revisions(): a full id, a unique
 * prefix, `head`, `heads`, `base` (an empty list), `label@head`,
 * `rev@head`, `label@base`, `label@-N`, or a branch label. Relative forms
 * other than `label@-N` need the database's state: see the plan functions.
 *
 * @param out   receives the list, owned by the caller
 *              (retort_revlist_free()); NULL after a failure.
 * @param r     the handle.
 * @param ident the identifier.
 * @return 0; RETORT_ENOTFOUND (no revision, or an ambiguous prefix);
 *         RETORT_EGRAPH (several heads where one is meant, a walk that
 *         cannot be made); RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_resolve(retort_revlist **out, retort *r, const char *ident);

/**
 * `history`: the revisions newest first, each branch drained before its
 * branch point.
 *
 * @param out      receives the list, owned by the caller
 *                 (retort_revlist_free()); NULL after a failure.
 * @param r        the handle.
 * @param range    NULL (everything) or "[start]:[end]", both bounds
 *                 included; either may be `current`.
 * @param current  the database's version rows, for `current` in the range
 *                 (may be NULL).
 * @param ncurrent their number.
 * @return 0; RETORT_EUSAGE (a range without ':'); RETORT_ENOTFOUND,
 *         RETORT_EGRAPH (a bound that does not resolve, bounds not on one
 *         branch); RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_history(retort_revlist **out, retort *r, const char *range,
	       const char *const *current, size_t ncurrent);

/**
 * `current` without a database: the revisions a database whose version
 * rows are `heads` is at, with the heads implied through Depends On, as
 * Alembic's get_all_current().
 *
 * @param out    receives the list, owned by the caller
 *               (retort_revlist_free()); NULL after a failure.
 * @param r      the handle.
 * @param heads  the version rows (revision ids).
 * @param nheads their number.
 * @return 0; RETORT_ENOTFOUND (a row that no revision has); RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
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

/**
 * Append one revision formatted as Alembic prints it, without a newline:
 * "parents -> id (labels) (head), message" with the RETORT_FMT_* parts
 * asked for, or the multi-line entry with RETORT_FMT_VERBOSE.
 *
 * @param out   the buffer to append to (RETORT_BUF_INIT, or one already
 *              holding text); the caller frees it with
 *              retort_buf_dispose(), after a failure too.
 * @param rev   the revision.
 * @param flags RETORT_FMT_* flags, or'ed.
 * @return 0; RETORT_ENOMEM.
 * Threads: as the handle it belongs to (one thread at a time per handle).
 */
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

/**
 * The number of steps in a plan (0 when there is nothing to do).
 *
 * @param plan the plan (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a plan no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_plan_count(const retort_plan *plan);

/**
 * The i-th step of a plan, in the order it runs.
 *
 * @param plan the plan.
 * @param i    the index, below retort_plan_count().
 * @return the step, owned by the plan (valid until retort_plan_free());
 *         its revision belongs to the handle. NULL when i is out of range.
 * Threads: safe from any thread, on a plan no one frees meanwhile.
 */
RETORT_EXTERN(const retort_step *)
retort_plan_step(const retort_plan *plan, size_t i);

/**
 * The number of version rows the database has after the whole plan ran.
 *
 * @param plan the plan (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a plan no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_plan_final_count(const retort_plan *plan);

/**
 * The i-th version row after the whole plan ran, sorted.
 *
 * @param plan the plan.
 * @param i    the index, below retort_plan_final_count().
 * @return a string owned by the plan, or NULL when i is out of range.
 * Threads: safe from any thread, on a plan no one frees meanwhile.
 */
RETORT_EXTERN(const char *)
retort_plan_final_at(const retort_plan *plan, size_t i);

/**
 * Free a plan and its steps.
 *
 * @param plan the plan (NULL is allowed).
 * Threads: safe from any thread, on distinct plans.
 */
RETORT_EXTERN(void) retort_plan_free(retort_plan *plan);

/**
 * Plan `upgrade TARGET` from a database whose version rows are `heads`,
 * without a database: what would run, in order, and the rows afterwards.
 * Pass retort_version_rows()'s rows to plan against the real database.
 *
 * @param out    receives the plan, owned by the caller (retort_plan_free());
 *               NULL after a failure.
 * @param r      the handle.
 * @param target any identifier, relative ones included (+2, head-1).
 * @param heads  the version rows (may be NULL when nheads is 0).
 * @param nheads their number.
 * @return 0; RETORT_ENOTFOUND (a target or row that no revision has);
 *         RETORT_EGRAPH (several heads where one is meant, "Ambiguous
 *         walk", a relative step that goes too far, a destination that is
 *         not below the rows); RETORT_EUSAGE (a bad identifier); RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_plan_upgrade(retort_plan **out, retort *r, const char *target,
		    const char *const *heads, size_t nheads);

/**
 * Plan `downgrade TARGET` from version rows `heads`, as
 * retort_plan_upgrade().
 *
 * @param out    receives the plan, owned by the caller (retort_plan_free());
 *               NULL after a failure.
 * @param r      the handle.
 * @param target any identifier (-1, base, label@-1, an id).
 * @param heads  the version rows (may be NULL when nheads is 0).
 * @param nheads their number.
 * @return 0; RETORT_ENOTFOUND (a target or row that no revision has);
 *         RETORT_EGRAPH (several heads where one is meant, "Ambiguous
 *         walk", a relative step that goes too far, a destination that is
 *         not below the rows); RETORT_EUSAGE (a bad identifier); RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_plan_downgrade(retort_plan **out, retort *r, const char *target,
		      const char *const *heads, size_t nheads);

/**
 * Plan `stamp TARGETS` from version rows `heads`: the version-table
 * changes only (stamp steps run no revision SQL).
 *
 * @param out      receives the plan, owned by the caller
 *                 (retort_plan_free()); NULL after a failure.
 * @param r        the handle.
 * @param targets  the identifiers (`base` empties the table).
 * @param ntargets their number.
 * @param heads    the version rows (may be NULL when nheads is 0).
 * @param nheads   their number.
 * @return 0; RETORT_ENOTFOUND (a target or row that no revision has);
 *         RETORT_EGRAPH (several heads where one is meant, "Ambiguous
 *         walk", a relative step that goes too far, a destination that is
 *         not below the rows); RETORT_EUSAGE (a bad identifier); RETORT_ECONFIG (a version location or revision file that cannot be
 *         read or does not parse), RETORT_EGRAPH (a broken graph: duplicate
 *         ids, missing revisions, cycles), RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
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
	RETORT_EVENT_LOCK_TAKEN = 3,
	/** a statement of the step's section starts (statement, line set;
	 * drivers that send a section whole report its first statement) */
	RETORT_EVENT_STATEMENT = 4
} retort_event_kind;

typedef struct retort_event {
	retort_event_kind kind;
	const retort_step *step; /**< for STEP and STATEMENT events */
	size_t index;		 /**< step index */
	size_t total;		 /**< number of steps */
	double elapsed_ms;	 /**< for STEP_END */
	const char *message;	 /**< for LOCK events: who holds the lock */
	/** for STATEMENT: the section's text from the statement's start to
	 * the section's end (not NUL-terminated at the statement's end),
	 * its length, and the statement's line in the revision file */
	const char *statement;
	size_t statement_len;
	unsigned int line;
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
	/** `--dry-run` (version 2): connect, take the lock, read the version
	 * rows, refuse a dirty database, plan, and write through `write` the
	 * SQL the run would execute (as `sql` writes it, from the rows the
	 * database has), with a STEP_BEGIN and STEP_END event per step
	 * (elapsed_ms 0); then release the lock. Nothing is written to the
	 * database, not even the version and log tables when they are
	 * missing. Not with `sql`. */
	int dry_run;
} retort_run_options;
#define RETORT_RUN_OPTIONS_VERSION 2
#define RETORT_RUN_OPTIONS_INIT                                                \
	{                                                                      \
		RETORT_RUN_OPTIONS_VERSION, 0, NULL, NULL, 0, 0, NULL, NULL, 0 \
	}

/**
 * `upgrade TARGET`: apply every revision needed to reach target that the
 * database does not have, under the migration lock, one transaction per
 * revision (or per run), recording each in the log table. The version and
 * log tables are created on first use. A section that runs outside a
 * transaction (`transaction:false`, or any section on MySQL, whose DDL is
 * not transactional) records its progress statement by statement; when
 * one failed, the database is dirty at that statement and the same
 * upgrade resumes there if the statements before it are unchanged in the
 * file (any other write returns RETORT_EDIRTY). With opts->sql nothing
 * connects: the SQL goes to opts->write in Alembic's offline format, and
 * target may be a range "start:end".
 *
 * @param r      the handle.
 * @param target any identifier (head, heads, label@head, +2, an id).
 * @param opts   the options (RETORT_RUN_OPTIONS_INIT), or NULL for
 *               defaults; the callbacks are called from this thread,
 *               during the call.
 * @return 0 (also when there is nothing to do); RETORT_ERROR (a
 *         revision's SQL failed: the message names file:line and the
 *         database's error; or write returned non-zero); RETORT_EDB
 *         (cannot connect, a database-level failure); RETORT_ELOCKED (the
 *         lock was not obtained within lock_timeout); RETORT_EDIRTY (the
 *         database is dirty: retort_repair()); RETORT_EUSAGE (no target, a
 *         range without sql, an irreversible revision on the way down,
 *         write missing with sql); RETORT_ENOTFOUND,
 *         RETORT_EGRAPH (as retort_plan_upgrade()); RETORT_ECONFIG (no url,
 *         a bad URL or setting); RETORT_ENOMEM.
 * Threads: not while another thread uses r. Several processes (or handles)
 *         may upgrade one database at once: the lock serialises them.
 */
RETORT_EXTERN(int)
retort_upgrade(retort *r, const char *target, const retort_run_options *opts);

/**
 * `downgrade TARGET`: run the downgrade sections of the applied revisions
 * above target, newest first, as retort_upgrade() runs upgrades. An empty
 * downgrade section stops the run before anything runs, unless
 * opts->allow_irreversible. With opts->sql the target must be a range
 * "from:to".
 *
 * @param r      the handle.
 * @param target any identifier (-1, base, label@-1, an id).
 * @param opts   the options (RETORT_RUN_OPTIONS_INIT), or NULL for
 *               defaults.
 * @return 0 (also when there is nothing to do); RETORT_ERROR (a
 *         revision's SQL failed: the message names file:line and the
 *         database's error; or write returned non-zero); RETORT_EDB
 *         (cannot connect, a database-level failure); RETORT_ELOCKED (the
 *         lock was not obtained within lock_timeout); RETORT_EDIRTY (the
 *         database is dirty: retort_repair()); RETORT_EUSAGE (no target, a
 *         range without sql, an irreversible revision on the way down,
 *         write missing with sql); RETORT_ENOTFOUND,
 *         RETORT_EGRAPH (as retort_plan_upgrade()); RETORT_ECONFIG (no url,
 *         a bad URL or setting); RETORT_ENOMEM.
 * Threads: not while another thread uses r; other processes are
 *         serialised by the lock.
 */
RETORT_EXTERN(int)
retort_downgrade(retort *r, const char *target, const retort_run_options *opts);

/**
 * `stamp TARGETS`: set the version table to targets without running any
 * revision SQL (opts->purge deletes every row first), recording each step
 * in the log. With opts->sql each target may be "start:target", one start
 * for all, and purge is refused.
 *
 * @param r        the handle.
 * @param targets  the identifiers.
 * @param ntargets their number.
 * @param opts     the options (RETORT_RUN_OPTIONS_INIT), or NULL for
 *                 defaults.
 * @return 0 (also when there is nothing to do); RETORT_ERROR (a
 *         revision's SQL failed: the message names file:line and the
 *         database's error; or write returned non-zero); RETORT_EDB
 *         (cannot connect, a database-level failure); RETORT_ELOCKED (the
 *         lock was not obtained within lock_timeout); RETORT_EDIRTY (the
 *         database is dirty: retort_repair()); RETORT_EUSAGE (no target, a
 *         range without sql, an irreversible revision on the way down,
 *         write missing with sql); RETORT_ENOTFOUND,
 *         RETORT_EGRAPH (as retort_plan_upgrade()); RETORT_ECONFIG (no url,
 *         a bad URL or setting); RETORT_ENOMEM.
 * Threads: not while another thread uses r; other processes are
 *         serialised by the lock.
 */
RETORT_EXTERN(int)
retort_stamp(retort *r, const char *const *targets, size_t ntargets,
	     const retort_run_options *opts);

/* ------------------------------------------------------------------ */
/** @name The database's state */

/**
 * The database's version rows, in table order: none when the version table
 * (or the SQLite file) does not exist; neither is ever created here.
 *
 * @param out   receives an array of count strings, owned by the caller
 *              (retort_strings_free(*out, *count)); NULL when there are
 *              none and after a failure.
 * @param count receives their number.
 * @param r     the handle.
 * @return 0; RETORT_EDB (cannot connect, or read the table); RETORT_ECONFIG
 *         (no url, a bad URL); RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int) retort_version_rows(char ***out, size_t *count, retort *r);

/**
 * Free an array of strings from retort_version_rows(), and each string.
 *
 * @param v     the array (NULL is allowed).
 * @param count its number of strings.
 * Threads: safe from any thread, on distinct arrays.
 */
RETORT_EXTERN(void) retort_strings_free(char **v, size_t count);

/** retort_current() flags */
#define RETORT_CURRENT_CHECK_HEADS 0x01 /**< fail unless at every head */

/**
 * `current`: the revisions the database is at (its rows plus the heads
 * implied through Depends On). Reads only. Warns through the log callback
 * when the database is dirty.
 *
 * @param out   receives the list, owned by the caller
 *              (retort_revlist_free()); NULL after a failure.
 * @param r     the handle.
 * @param flags 0 or RETORT_CURRENT_CHECK_HEADS.
 * @return 0; RETORT_EPROBLEMS (with RETORT_CURRENT_CHECK_HEADS: "Database
 *         is not on all head revisions"); RETORT_ENOTFOUND (a version row
 *         that no revision file has); RETORT_EDB (cannot connect or read);
 *         RETORT_ECONFIG (no url, a bad URL, or as retort_load());
 *         RETORT_EGRAPH; RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
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
 * `repair`: after a section run outside a transaction failed
 * (`transaction:false`, or any section on MySQL: the database is dirty)
 * and the database was fixed by hand, mark the failed run as
 * repaired so that writes are allowed again; refuses a run whose process
 * is alive on this host. With RETORT_REPAIR_CHECKSUMS, also record the
 * current checksum of applied revisions whose files were edited (what
 * retort_validate() reports). Takes the migration lock. Each action is
 * reported through the log callback.
 *
 * @param out   receives what was done (the caller's struct; zeroed first).
 * @param r     the handle.
 * @param flags 0 or RETORT_REPAIR_CHECKSUMS.
 * @return 0 (also when there was nothing to repair); RETORT_ERROR (a live
 *         run's row); RETORT_EDB; RETORT_ELOCKED; RETORT_ECONFIG;
 *         RETORT_EGRAPH; RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_repair(retort_repair_result *out, retort *r, unsigned int flags);

/** retort_status_entry.checksum: an applied revision's file against
 * what ran. */
typedef enum retort_checksum_state {
	RETORT_CHECKSUM_NONE = 0,	  /**< pending: nothing ran yet */
	RETORT_CHECKSUM_MATCHES = 1,	  /**< the file is what ran */
	RETORT_CHECKSUM_CHANGED = 2,	  /**< edited since it ran */
	RETORT_CHECKSUM_FILE_MISSING = 3, /**< a version row no file has */
	RETORT_CHECKSUM_UNKNOWN = 4	  /**< applied, nothing recorded
					   *   (stamped, or before the log) */
} retort_checksum_state;

/** One revision in retort_status(). Strings belong to the status. */
typedef struct retort_status_entry {
	const char *id;
	/** the revision, or NULL for a version row no file has */
	const retort_revision *revision;
	int applied; /**< the database has it (its rows or their ancestors) */
	/** the last run that applied it, from the log (NULL, -1 unknown):
	 * when it started (UTC), the database user, the host, how long */
	const char *applied_at;
	const char *applied_by;
	const char *host;
	double duration_ms;
	int stamped; /**< that last run was a stamp (no SQL ran) */
	retort_checksum_state checksum;
} retort_status_entry;

/** The dirty state (retort_status_dirty()); strings may be NULL. */
typedef struct retort_dirty {
	int dirty; /**< 0: clean; the rest is then NULL */
	const char *revision;
	const char *direction; /**< "upgrade", "downgrade" */
	const char *status;    /**< "failed", or "running" (never finished) */
	const char *started_at;
	const char *host;
	const char *pid;
	/** the failure: "path:line: the database's message" */
	const char *message;
	/** statements of the section that completed and stay (a section
	 * run outside a transaction: `transaction:false`, or any on MySQL);
	 * it failed at statement statements_done + 1. -1: not recorded. */
	long statements_done;
} retort_dirty;

typedef struct retort_status retort_status;

/**
 * `status`: every revision in upgrade order (base first), each applied or
 * pending, with when, by whom and how long its last run took, and its
 * checksum state; then the version rows no file has. Also the dirty
 * state. Reads only (the version and log tables are never created; a
 * missing database has everything pending).
 *
 * @param out receives the status, owned by the caller
 *            (retort_status_free()); NULL after a failure.
 * @param r   the handle.
 * @return 0; RETORT_EDB (cannot connect or read); RETORT_ECONFIG (no url,
 *         a bad URL, or as retort_load()); RETORT_EGRAPH; RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per
 *         handle).
 */
RETORT_EXTERN(int) retort_read_status(retort_status **out, retort *r);

/**
 * The number of entries of a status.
 *
 * @param st the status (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a status no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_status_count(const retort_status *st);

/**
 * The i-th entry of a status.
 *
 * @param st the status.
 * @param i  the index, below retort_status_count().
 * @return the entry, owned by the status (its revision by the handle), or
 *         NULL when i is out of range.
 * Threads: safe from any thread, on a status no one frees meanwhile.
 */
RETORT_EXTERN(const retort_status_entry *)
retort_status_at(const retort_status *st, size_t i);

/**
 * The dirty state the status found (the oldest unfinished or failed run).
 *
 * @param st the status.
 * @return a struct owned by the status (never NULL for a status).
 * Threads: safe from any thread, on a status no one frees meanwhile.
 */
RETORT_EXTERN(const retort_dirty *)
retort_status_dirty(const retort_status *st);

/**
 * Free a status.
 *
 * @param st the status (NULL is allowed).
 * Threads: safe from any thread, on distinct statuses.
 */
RETORT_EXTERN(void) retort_status_free(retort_status *st);

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

/**
 * `revision`: write a new revision file from the project's template
 * (script.sql.tmpl, or the built-in one), then reload the project: every
 * revision pointer obtained before becomes invalid.
 *
 * @param out  receives the new revision, owned by the handle.
 * @param r    the handle (opened on files: not from sources).
 * @param opts the options (RETORT_REVISION_OPTIONS_INIT, then message and
 *             the fields you need), or NULL for defaults.
 * @return 0; RETORT_EUSAGE (a bad or reserved rev_id, a
 *         parent that is not a head without splice, several heads without
 *         a head, several version locations without version_path, a
 *         project opened from sources); RETORT_ENOTFOUND, RETORT_EGRAPH (a
 *         parent or dependency that does not resolve); RETORT_ECONFIG (the
 *         template or the file cannot be read or written, or as
 *         retort_load()); RETORT_ERROR (no random id: /dev/urandom
 *         cannot be read; autogenerate: the database is not at head);
 *         RETORT_EDB (autogenerate: the database cannot be read);
 *         RETORT_ENOMEM.
 * Threads: not while another thread uses r.
 */
RETORT_EXTERN(int)
retort_revision_create(const retort_revision **out, retort *r,
		       const retort_revision_options *opts);

/**
 * `merge REVS`: write a revision revising each of revs (`heads` for every
 * head), as retort_revision_create() does (opts->head is ignored).
 *
 * @param out   receives the new revision, owned by the handle.
 * @param r     the handle.
 * @param revs  the identifiers to merge.
 * @param nrevs their number.
 * @param opts  the options (RETORT_REVISION_OPTIONS_INIT), or NULL.
 * @return 0; RETORT_EUSAGE (no revs, a bad or reserved rev_id, a
 *         parent that is not a head without splice, several heads without
 *         a head, several version locations without version_path, a
 *         project opened from sources); RETORT_ENOTFOUND, RETORT_EGRAPH (a
 *         parent or dependency that does not resolve); RETORT_ECONFIG (the
 *         template or the file cannot be read or written, or as
 *         retort_load()); RETORT_ERROR (no random id: /dev/urandom
 *         cannot be read; autogenerate: the database is not at head);
 *         RETORT_EDB (autogenerate: the database cannot be read);
 *         RETORT_ENOMEM.
 * Threads: not while another thread uses r.
 */
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

/**
 * The number of problems in a report.
 *
 * @param rep the report (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a report no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_report_count(const retort_report *rep);

/**
 * The i-th problem of a report.
 *
 * @param rep the report.
 * @param i   the index, below retort_report_count().
 * @return the problem and its strings, owned by the report (valid until
 *         retort_report_free()), or NULL when i is out of range.
 * Threads: safe from any thread, on a report no one frees meanwhile.
 */
RETORT_EXTERN(const retort_problem *)
retort_report_at(const retort_report *rep, size_t i);

/**
 * Free a report and its problems.
 *
 * @param rep the report (NULL is allowed).
 * Threads: safe from any thread, on distinct reports.
 */
RETORT_EXTERN(void) retort_report_free(retort_report *rep);

/** retort_validate() flags */
#define RETORT_VALIDATE_CHECKSUMS 0x01 /**< also compare applied checksums */

/**
 * `validate`: check the revision files and the graph (files that do not
 * parse, multiple heads, broken references, duplicate ids, labels and
 * numbers, cycles, file names that do not carry their id, `-- retort:todo`
 * markers left by `retort import`) and, with
 * RETORT_VALIDATE_CHECKSUMS, the database: version rows no file has,
 * applied revisions edited since. Unlike the other functions it does not
 * stop at the first broken file.
 *
 * @param out   receives the report, owned by the caller
 *              (retort_report_free()), also when it has problems.
 * @param r     the handle.
 * @param flags 0 or RETORT_VALIDATE_CHECKSUMS.
 * @return 0 (no problem); RETORT_EPROBLEMS (*out is not empty); RETORT_EDB
 *         (with checksums: the database cannot be read); RETORT_ECONFIG (a
 *         version location that cannot be read); RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_validate(retort_report **out, retort *r, unsigned int flags);

/* ------------------------------------------------------------------ */
/** @name The declared schema */

/**
 * `check`: compare the database (which must be at every head) with the
 * declared schema (`schema` in the config). Each difference is a problem
 * of kind "schema" whose message describes it. Objects the schema model
 * does not cover are reported through the log callback.
 *
 * @param out receives the report, owned by the caller
 *            (retort_report_free()).
 * @param r   the handle.
 * @return 0 (no difference); RETORT_EPROBLEMS (differences in *out);
 *         RETORT_ECONFIG (no schema configured, a schema file that cannot
 *         be read or that the database rejects); RETORT_ERROR (the
 *         database is not up to date); RETORT_EDB; RETORT_EGRAPH;
 *         RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int) retort_check(retort_report **out, retort *r);

/**
 * `dump`: the database's schema as deterministic SQL DDL, usable as a
 * declared schema; retort's own tables are left out, and objects the
 * model does not cover are reported through the log callback.
 *
 * @param out the buffer the SQL is appended to; the caller frees it with
 *            retort_buf_dispose(), after a failure too.
 * @param r   the handle.
 * @return 0; RETORT_EDB (cannot connect, a SQLite file that does not
 *         exist); RETORT_ECONFIG (no url, a bad URL); RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int) retort_dump(retort_buf *out, retort *r);

/* ------------------------------------------------------------------ */
/** @name Lint */

/** How much a lint finding matters: an ERROR makes retort_lint() return
 * RETORT_EPROBLEMS (`retort lint` exits 3); a WARNING does not. OFF is
 * what retort.ini sets to silence a rule. */
typedef enum retort_lint_severity {
	RETORT_LINT_OFF = 0,
	RETORT_LINT_WARNING = 1,
	RETORT_LINT_ERROR = 2
} retort_lint_severity;

/** One finding: a rule that fired on one statement (or section). */
typedef struct retort_lint_finding {
	const char *rule;	       /**< stable id, e.g. "drop-column" */
	retort_lint_severity severity; /**< after retort.ini's settings */
	const char *revision;	       /**< the revision's id */
	const char *path;	       /**< the revision's file */
	unsigned int line;	       /**< line of the statement in path */
	const char *section;	       /**< "upgrade" or "downgrade" */
	const char *dialect;	       /**< "sqlite", "postgresql", "mysql" */
	const char *message;	       /**< one line: what is wrong */
	const char *hint;	       /**< one line: the safe alternative */
} retort_lint_finding;

typedef struct retort_lint_result retort_lint_result;

/** Options for retort_lint(). */
typedef struct retort_lint_options {
	unsigned int version;
	/** "[start]:[end]" as retort_history() takes it: lint those
	 * revisions. NULL: the default range (see retort_lint()). */
	const char *range;
	/** Do not read the database: without range or use_changed, lint
	 * every revision. */
	int no_database;
	/** Without range: lint only the revisions whose file is one of
	 * `changed` (e.g. what `git diff --name-only REF` lists; relative
	 * paths are taken from the working directory; files that are not
	 * revisions are ignored). The database is not read. */
	int use_changed;
	const char *const *changed;
	size_t nchanged;
	/** "sqlite", "postgresql" or "mysql"; NULL: the url's dialect. */
	const char *dialect;
} retort_lint_options;
#define RETORT_LINT_OPTIONS_VERSION 1
#define RETORT_LINT_OPTIONS_INIT                                       \
	{                                                              \
		RETORT_LINT_OPTIONS_VERSION, NULL, 0, 0, NULL, 0, NULL \
	}

/**
 * `lint`: check revisions' SQL for statements that lose data, fail on
 * existing rows, lock busy tables, break the section's transaction mode
 * or cannot be undone, without running them (docs/lint.md lists the
 * rules). Which revisions: opts->range; else the changed files
 * (opts->use_changed); else, with opts->no_database, every revision;
 * else those the database has not applied (what `upgrade heads` would
 * run). Their ancestors are read too, in upgrade order, so that a table one
 * of them created counts as existing. Settings come from retort.ini
 * (lint.enable, lint.disable, lint.severity.RULE,
 * lint.require_if_not_exists, or the same keys in [SECTION.lint]);
 * `-- retort:nolint RULE reason` in a file silences RULE on the
 * statement after it.
 *
 * @param out  receives the findings, owned by the caller
 *             (retort_lint_free()), also when RETORT_EPROBLEMS is
 *             returned; NULL after any other failure.
 * @param r    the handle.
 * @param opts the options (RETORT_LINT_OPTIONS_INIT), or NULL for
 *             defaults.
 * @return 0 (no finding of severity ERROR); RETORT_EPROBLEMS (at least
 *         one); RETORT_ECONFIG (an unknown rule or bad severity in
 *         retort.ini, an unknown rule in a nolint comment: "file:line:
 *         ...", no dialect, or as retort_load()); RETORT_EUSAGE (a bad
 *         range or dialect, a version mismatch); RETORT_ENOTFOUND,
 *         RETORT_EGRAPH (as retort_history()); RETORT_EDB (the database
 *         cannot be read); RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per handle).
 */
RETORT_EXTERN(int)
retort_lint(retort_lint_result **out, retort *r,
	    const retort_lint_options *opts);

/**
 * The number of findings.
 *
 * @param res the result (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a result no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_lint_count(const retort_lint_result *res);

/**
 * The i-th finding, in upgrade order of the revisions, then by section
 * and line.
 *
 * @param res the result.
 * @param i   the index, below retort_lint_count().
 * @return the finding and its strings, owned by the result (valid until
 *         retort_lint_free()), or NULL when i is out of range.
 * Threads: safe from any thread, on a result no one frees meanwhile.
 */
RETORT_EXTERN(const retort_lint_finding *)
retort_lint_at(const retort_lint_result *res, size_t i);

/**
 * The number of revisions the result covers (those linted, not those
 * only read for the tables they create).
 *
 * @param res the result (NULL counts 0).
 * @return the count.
 * Threads: safe from any thread, on a result no one frees meanwhile.
 */
RETORT_EXTERN(size_t) retort_lint_revision_count(const retort_lint_result *res);

/**
 * Free a result and its findings.
 *
 * @param res the result (NULL is allowed).
 * Threads: safe from any thread, on distinct results.
 */
RETORT_EXTERN(void) retort_lint_free(retort_lint_result *res);

/**
 * The i-th lint rule: its id, default severity and one-line summary
 * (`retort lint --list-rules`).
 *
 * @param i        the index, from 0 until it returns NULL.
 * @param severity receives the default severity (RETORT_LINT_OFF: only
 *                 when enabled), or NULL.
 * @param summary  receives the summary (a static string), or NULL.
 * @return the id (a static string), or NULL past the last rule.
 * Threads: safe from any thread.
 */
RETORT_EXTERN(const char *)
retort_lint_rule(size_t i, retort_lint_severity *severity,
		 const char **summary);

/* ------------------------------------------------------------------ */
/** @name Testing the migrations */

/** The verdict on one revision of retort_test(). */
typedef struct retort_test_revision {
	const retort_revision *revision;
	/** 1 passed (or skipped as irreversible with allow_irreversible),
	 * 0 failed: message says why */
	int ok;
	/** its downgrade section is empty: it was only upgraded */
	int irreversible;
	/** one line ("" when it passed): "the downgrade did not restore the
	 * schema before the upgrade (1 difference)", "the upgrade failed:
	 * path:line: message", ... */
	const char *message;
	/** the schema differences the downgrade left (or the second
	 * upgrade made), as retort_check() words them, or the tables whose
	 * row count changed; one line each */
	const char *const *details;
	size_t ndetails;
	double upgrade_ms; /**< both upgrades together */
	double downgrade_ms;
	/** the seed data (test.data) was loaded right after this revision */
	int seeded;
} retort_test_revision;

/** Receives each revision's verdict as soon as it is known. */
typedef void (*retort_test_fn)(const retort_test_revision *result,
			       void *payload);

/** Options for retort_test(). */
typedef struct retort_test_options {
	unsigned int version;
	/** Seed data: a SQL file of INSERTs; NULL: the `test.data` key. */
	const char *data;
	/** A revision whose downgrade section is empty passes (it is only
	 * upgraded); without this it fails. */
	int allow_irreversible;
	retort_test_fn revision;
	void *payload;
} retort_test_options;
#define RETORT_TEST_OPTIONS_VERSION 1
#define RETORT_TEST_OPTIONS_INIT                                 \
	{                                                        \
		RETORT_TEST_OPTIONS_VERSION, NULL, 0, NULL, NULL \
	}

/**
 * `test`: run every revision on a scratch database (SQLite: in memory;
 * PostgreSQL: dev_url, emptied, else a temporary database on the url's
 * server, dropped afterwards), in upgrade order, as a "stairway": upgrade,
 * downgrade, compare the schema with the one before the upgrade, upgrade
 * again, compare with the one after the first upgrade. Then, at head,
 * compare with the declared schema when `schema` is set (as
 * retort_check()), and check that there is a single head. The configured
 * database is never written. Seed data (opts->data or `test.data`) is
 * loaded in a transaction after the first revision that passed and after
 * which it runs without an error; from then on every table's row count
 * must be the same after each downgrade and upgrade as before it. A
 * failure that leaves the scratch database in no known state (a failed
 * upgrade, a transaction:false section that failed) stops the run; the
 * report says how many revisions were not tested.
 *
 * Problems (kind, revision, message): "stairway" (a revision's verdict),
 * "difference" (each of its details), "stopped", "multiple-heads",
 * "schema" (a difference with the declared schema), "data" (the seed data
 * never loaded).
 *
 * @param out  receives the report, owned by the caller
 *             (retort_report_free()), also when it has problems; NULL
 *             after another failure.
 * @param r    the handle.
 * @param opts the options (RETORT_TEST_OPTIONS_INIT), or NULL for
 *             defaults; the callback is called from this thread, during
 *             the call, with data valid only during the callback.
 * @return 0 (every check passed); RETORT_EPROBLEMS (*out lists them);
 *         RETORT_EUSAGE (opts->version is not RETORT_TEST_OPTIONS_VERSION,
 *         a revision that cannot run as written, e.g. COMMIT in a
 *         transactional section); RETORT_ECONFIG (a seed data or declared
 *         schema file that cannot be read, a declared schema the database
 *         rejects, no scratch database can be created: set dev_url; or as
 *         retort_load()); RETORT_EDB (cannot connect, the connection
 *         lost); RETORT_EINTERRUPTED (retort_interrupt(): the scratch
 *         database is dropped); RETORT_EGRAPH; RETORT_ENOMEM.
 * Threads: not while another thread uses r (one thread at a time per
 *         handle).
 */
RETORT_EXTERN(int)
retort_test(retort_report **out, retort *r, const retort_test_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* RETORT_H */
