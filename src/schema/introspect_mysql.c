/* SPDX-License-Identifier: MIT */
/*
 * introspect_mysql.c: a MySQL or MariaDB database's schema (the session's
 * current database) as a model, read from information_schema in a fixed
 * number of queries whatever the number of tables (nine: the server,
 * tables, columns, index parts, foreign key parts, foreign key rules,
 * checks, views, and the objects the model does not cover). The
 * information_schema views are never joined with each other: MariaDB
 * answers such a join by scanning the inner view once per outer row
 * (ten times slower on 200 tables); rows are matched here instead.
 *
 * Tables, views and constraints of the current database have no schema
 * in the model (NULL, as on SQLite): SQL generated from it names none, so
 * it runs in whatever database the revision runs in. A foreign key to
 * another database keeps that database's name.
 *
 * Where MariaDB and MySQL 8 print the same thing differently, the text
 * is normalised so that a model compares equal to one read from the same
 * server (both sides of a comparison always come from one server):
 *  - COLUMN_DEFAULT: MariaDB (10.2.7+) prints a literal as SQL ('x''y',
 *    5, NULL for "no default") and an expression as text; MySQL 8 prints
 *    a literal's bare value and an expression (EXTRA DEFAULT_GENERATED)
 *    as text. The model holds what DEFAULT takes: literals quoted,
 *    numbers bare, expressions as printed; ON UPDATE ... from EXTRA is
 *    appended ("current_timestamp() ON UPDATE current_timestamp()").
 *  - CHECK_CONSTRAINTS: MariaDB has TABLE_NAME (names are per table;
 *    column-level CHECKs are listed too, named after their column,
 *    and recorded as such: rt_check.column);
 *    MySQL 8 is joined with TABLE_CONSTRAINTS. MySQL 8 wraps the clause
 *    in parentheses, MariaDB does not: the model always has exactly one
 *    pair around it.
 *  - STATISTICS.EXPRESSION (functional index parts) exists on MySQL 8
 *    only.
 *  - VIEW_DEFINITION names the view's own database (`db`.`t`): that
 *    qualifier is removed, since the scratch database has another name.
 *
 * Keys: PRIMARY is the primary key; a unique index on plain columns is
 * a unique constraint (MySQL has no other kind); any other index is an
 * rt_index whose definition is a CREATE INDEX statement built here. The
 * index InnoDB adds for a foreign key (named after the constraint, or
 * after the first column when the constraint is unnamed) is not listed:
 * it is the foreign key's (rt_fk.index), dropped with it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/internal.h"
#include "util/map.h"
#include "util/vec.h"

static const char q_tables[] =
    "SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, TABLE_COLLATION "
    "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";

static const char q_columns[] =
    "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
    "COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLLATION_NAME, "
    "COLUMN_COMMENT, DATA_TYPE FROM information_schema.COLUMNS "
    "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION";

#define Q_INDEXES(expr)                                                      \
	"SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, " \
	"INDEX_TYPE, COLLATION, INDEX_COMMENT, " expr " "                    \
	"FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "           \
	"DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
static const char q_indexes_maria[] = Q_INDEXES("NULL");
static const char q_indexes_mysql[] = Q_INDEXES("EXPRESSION");

static const char q_fks[] =
    "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, "
    "CASE WHEN REFERENCED_TABLE_SCHEMA <> DATABASE() THEN "
    "REFERENCED_TABLE_SCHEMA END, REFERENCED_TABLE_NAME, "
    "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
    "WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL "
    "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

static const char q_fk_rules[] =
    "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE "
    "FROM information_schema.REFERENTIAL_CONSTRAINTS "
    "WHERE CONSTRAINT_SCHEMA = DATABASE()";

static const char q_checks_maria[] =
    "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL = 'Column' "
    "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "
    "DATABASE() ORDER BY 1, 2";
static const char q_checks_mysql[] =
    "SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE, 0 "
    "FROM information_schema.TABLE_CONSTRAINTS t "
    "JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA "
    "= t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME "
    "WHERE t.CONSTRAINT_SCHEMA = DATABASE() AND t.CONSTRAINT_TYPE = "
    "'CHECK' ORDER BY 1, 2";

static const char q_views[] =
    "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
    "WHERE TABLE_SCHEMA = DATABASE()";

static const char q_unsupported[] =
    "SELECT CONCAT('trigger ', TRIGGER_NAME, ' on ', EVENT_OBJECT_TABLE), "
    "'trigger', EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
    "WHERE TRIGGER_SCHEMA = DATABASE() "
    "UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME), "
    "'function', NULL FROM information_schema.ROUTINES "
    "WHERE ROUTINE_SCHEMA = DATABASE() "
    "UNION ALL SELECT CONCAT('event ', EVENT_NAME), 'function', NULL "
    "FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()";

typedef struct tinfo {
	const char *collation; /* the table's */
	rt_sx_tparts p;
} tinfo;

typedef struct build {
	rt_arena *a;
	rt_map names; /* table name -> index */
	RT_VEC(rt_table) tables;
	RT_VEC(tinfo) info;
	RT_VEC(rt_view) views;
	rt_sx_strvec unsupported;
	const rt_introspect_opts *o;
	const char *db;	 /* DATABASE() */
	const char *fdb; /* its name for filters (rt_introspect_opts) */
	int maria;
	int oom;
} build;

#define dup(b, s) rt_sx_dup((b)->a, (s), &(b)->oom)
#define note(b, ...) \
	rt_sx_note((b)->a, &(b)->unsupported, &(b)->oom, __VA_ARGS__)
#define TO_ARENA(b, dst, ndst, vec) \
	RT_SX_TO_ARENA((b)->a, (b)->oom, dst, ndst, vec)

static const char *dup_str(build *b, rt_str *s)
{
	const char *out = s->oom ? NULL : rt_arena_strdup(b->a, rt_str_cstr(s));

	if (!out)
		b->oom = 1;
	rt_str_dispose(s);
	return out;
}

static tinfo *find_table(build *b, const char *name, rt_table **t)
{
	uint32_t v;

	if (!name || !rt_map_get(&b->names, name, strlen(name), &v))
		return NULL;
	if (t)
		*t = &b->tables.v[v];
	return &b->info.v[v];
}

static int excluded(const build *b, const char *name)
{
	const rt_introspect_opts *o = b->o;

	return (o->version_table && rt_sx_eq(name, o->version_table)) ||
	       (o->log_table && rt_sx_eq(name, o->log_table));
}

static int load_server(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	int error;

	if ((error =
		 drv->query(c, "SELECT VERSION(), DATABASE()", &rows, err)) < 0)
		return error;
	if (rows.nrows == 1) {
		const char *v = rt_rows_at(&rows, 0, 0);

		b->maria = v && strstr(v, "MariaDB") != NULL;
		b->db = dup(b, rt_rows_at(&rows, 0, 1));
		b->fdb = b->o->database ? dup(b, b->o->database) : b->db;
	}
	rt_rows_free(&rows);
	if (!b->db && !b->oom)
		return rt_err_set(err, RETORT_ECONFIG,
				  "the MySQL session has no current database "
				  "(name one in the URL)");
	return 0;
}

static int load_tables(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_tables, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *name = rt_rows_at(&rows, r, 0);
		const char *type = rt_rows_at(&rows, r, 1);
		const char *comment = rt_rows_at(&rows, r, 2);
		rt_table t;
		tinfo ti;

		if (!name || !type || excluded(b, name) ||
		    !strcmp(type, "VIEW"))
			continue;
		if (strcmp(type, "BASE TABLE")) {
			/* SYSTEM VERSIONED, SEQUENCE (MariaDB) */
			if (rt_sx_keep_note(b->o->filter, RT_KIND_TABLE, b->fdb,
					    name))
				note(b, "%s %s", type, name);
			continue;
		}
		memset(&t, 0, sizeof(t));
		memset(&ti, 0, sizeof(ti));
		t.name = dup(b, name);
		t.comment = comment && *comment ? dup(b, comment) : NULL;
		ti.collation = dup(b, rt_rows_at(&rows, r, 3));
		if (!t.name || RT_VEC_PUSH(&b->tables, t) < 0 ||
		    RT_VEC_PUSH(&b->info, ti) < 0 ||
		    rt_map_put(&b->names, t.name, strlen(t.name),
			       (uint32_t)(b->tables.n - 1)) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

static int is_number(const char *s)
{
	const char *p = s;

	if (*p == '-' || *p == '+')
		p++;
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
		      *p == 'E' || *p == '-' || *p == '+'))
			return 0;
	return 1;
}

/* EXTRA's "on update <expr>" (both servers), or NULL. */
static const char *on_update(const char *extra)
{
	const char *p;

	for (p = extra; p && *p; p++)
		if (!strncasecmp(p, "on update ", 10))
			return p + 10;
	return NULL;
}

/* The DEFAULT clause's text (see the file comment), or NULL. */
static const char *column_default(build *b, const char *raw, const char *extra,
				  const char *data_type)
{
	rt_str s = RT_STR_INIT;
	const char *upd = on_update(extra);
	int expr = extra && strstr(extra, "DEFAULT_GENERATED");

	if (b->maria) {
		if (raw && strcmp(raw, "NULL"))
			rt_str_puts(&s, raw);
	} else if (raw) {
		/* MySQL 8: a literal's value, an expression's text */
		if (expr && (raw[0] == '(' || !strncasecmp(raw, "CURRENT_", 8)))
			rt_str_puts(&s, raw);
		else if (expr)
			rt_str_printf(&s, "(%s)", raw);
		else if (is_number(raw) && data_type &&
			 !strstr(data_type, "char") &&
			 !strstr(data_type, "text") &&
			 strcmp(data_type, "enum") && strcmp(data_type, "set"))
			rt_str_puts(&s, raw);
		else
			rt_sql_literal(&s, RT_DIALECT_MYSQL, raw);
	}
	if (!s.len && !upd) {
		rt_str_dispose(&s);
		return NULL;
	}
	if (upd) {
		if (!s.len)
			rt_str_puts(&s, "NULL");
		rt_str_printf(&s, " ON UPDATE %s", upd);
	}
	return dup_str(b, &s);
}

static int load_columns(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_columns, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		tinfo *ti = find_table(b, rt_rows_at(&rows, r, 0), NULL);
		const char *extra = rt_rows_at(&rows, r, 5);
		const char *gen = rt_rows_at(&rows, r, 6);
		const char *comment = rt_rows_at(&rows, r, 8);
		rt_column col;

		if (!ti)
			continue;
		if (!extra)
			extra = "";
		memset(&col, 0, sizeof(col));
		col.name = dup(b, rt_rows_at(&rows, r, 1));
		col.type = dup(b, rt_rows_at(&rows, r, 2));
		col.not_null = rt_sx_eq(rt_rows_at(&rows, r, 3), "NO");
		/* only where it is not the table's */
		if (!rt_sx_eq(rt_rows_at(&rows, r, 7), ti->collation))
			col.collation = dup(b, rt_rows_at(&rows, r, 7));
		col.comment = comment && *comment ? dup(b, comment) : NULL;
		if (strstr(extra, "GENERATED") &&
		    !strstr(extra, "DEFAULT_GENERATED") && gen && *gen) {
			col.generated = dup(b, gen);
			col.generated_stored = strstr(extra, "STORED") ||
					       strstr(extra, "PERSISTENT");
			/* MySQL 8 says NOT NULL is allowed on it; MariaDB
			 * refuses it: the model leaves it out on both */
			col.not_null = 0;
		} else {
			col.default_expr =
			    column_default(b, rt_rows_at(&rows, r, 4), extra,
					   rt_rows_at(&rows, r, 9));
		}
		if (strstr(extra, "auto_increment"))
			col.identity = 'i';
		if (RT_VEC_PUSH(&ti->p.cols, col) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

/* ON UPDATE / ON DELETE of each foreign key, by "table\x1fname". */
static int load_fk_rules(build *b, const rt_driver *drv, rt_conn *c,
			 rt_rows *rows, rt_map *rules, rt_err *err)
{
	rt_str key = RT_STR_INIT;
	size_t r;
	int error;

	if ((error = drv->query(c, q_fk_rules, rows, err)) < 0)
		return error;
	for (r = 0; r < rows->nrows && !b->oom; r++) {
		const char *k;

		rt_str_clear(&key);
		rt_str_printf(&key, "%s\x1f%s", rt_rows_at(rows, r, 0),
			      rt_rows_at(rows, r, 1));
		k = key.oom ? NULL : rt_arena_strndup(b->a, key.ptr, key.len);
		if (!k || rt_map_put(rules, k, key.len, (uint32_t)r) < 0)
			b->oom = 1;
	}
	rt_str_dispose(&key);
	return 0;
}

static int load_fks(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_sx_strvec cols = RT_VEC_INIT, refs = RT_VEC_INIT;
	rt_map rules = RT_MAP_INIT;
	rt_rows rows, rr;
	rt_str key = RT_STR_INIT;
	size_t r;
	uint32_t ri;
	int error;

	if ((error = load_fk_rules(b, drv, c, &rr, &rules, err)) < 0)
		return error;
	if ((error = drv->query(c, q_fks, &rows, err)) < 0) {
		rt_rows_free(&rr);
		rt_map_free(&rules);
		return error;
	}
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *table = rt_rows_at(&rows, r, 0);
		const char *name = rt_rows_at(&rows, r, 1);
		tinfo *ti = find_table(b, table, NULL);
		rt_fk fk;

		if (RT_VEC_PUSH(&cols, dup(b, rt_rows_at(&rows, r, 2))) < 0 ||
		    RT_VEC_PUSH(&refs, dup(b, rt_rows_at(&rows, r, 5))) < 0)
			b->oom = 1;
		/* the constraint's last part */
		if (r + 1 < rows.nrows &&
		    rt_sx_eq(rt_rows_at(&rows, r + 1, 0), table) &&
		    rt_sx_eq(rt_rows_at(&rows, r + 1, 1), name))
			continue;
		if (ti && !b->oom) {
			memset(&fk, 0, sizeof(fk));
			fk.name = dup(b, name);
			TO_ARENA(b, fk.columns, fk.ncolumns, cols);
			fk.ref_schema = dup(b, rt_rows_at(&rows, r, 3));
			fk.ref_table = dup(b, rt_rows_at(&rows, r, 4));
			TO_ARENA(b, fk.ref_columns, fk.nref_columns, refs);
			rt_str_clear(&key);
			rt_str_printf(&key, "%s\x1f%s", table, name);
			if (!key.oom &&
			    rt_map_get(&rules, key.ptr, key.len, &ri)) {
				fk.on_update = dup(b, rt_rows_at(&rr, ri, 2));
				fk.on_delete = dup(b, rt_rows_at(&rr, ri, 3));
			}
			if (RT_VEC_PUSH(&ti->p.fks, fk) < 0)
				b->oom = 1;
		}
		cols.n = refs.n = 0;
	}
	RT_VEC_FREE(&cols);
	RT_VEC_FREE(&refs);
	rt_str_dispose(&key);
	rt_rows_free(&rows);
	rt_rows_free(&rr);
	rt_map_free(&rules);
	return 0;
}

/* The foreign key whose InnoDB index this is (same columns in order, and
 * named after the constraint or its first column), or NULL. */
static rt_fk *fk_of_index(tinfo *ti, const char *name, const rt_sx_strvec *cols)
{
	size_t i, k;

	for (i = 0; i < ti->p.fks.n; i++) {
		rt_fk *fk = &ti->p.fks.v[i];

		if (fk->ncolumns != cols->n || fk->index)
			continue;
		for (k = 0; k < cols->n; k++)
			if (!rt_sx_eq(fk->columns[k], cols->v[k]))
				break;
		if (k == cols->n && (rt_sx_eq(name, fk->name) ||
				     rt_sx_eq(name, fk->columns[0])))
			return fk;
	}
	return NULL;
}

/* An index that is not a key: its CREATE INDEX statement. */
static void add_other_index(build *b, tinfo *ti, const char *table,
			    const char *name, const char *type,
			    const char *comment, int unique,
			    const rt_sx_strvec *keys)
{
	rt_str def = RT_STR_INIT;
	rt_index ix;
	size_t r;

	memset(&ix, 0, sizeof(ix));
	ix.name = dup(b, name);
	ix.unique = unique;
	TO_ARENA(b, ix.keys, ix.nkeys, *keys);
	rt_str_printf(&def, "CREATE %sINDEX ",
		      unique			  ? "UNIQUE "
		      : !strcmp(type, "FULLTEXT") ? "FULLTEXT "
		      : !strcmp(type, "SPATIAL")  ? "SPATIAL "
						  : "");
	rt_sql_ident(&def, RT_DIALECT_MYSQL, name);
	rt_str_puts(&def, " ON ");
	rt_sql_ident(&def, RT_DIALECT_MYSQL, table);
	rt_str_puts(&def, " (");
	for (r = 0; r < keys->n; r++)
		rt_str_printf(&def, "%s%s", r ? ", " : "",
			      keys->v[r] ? keys->v[r] : "");
	rt_str_putc(&def, ')');
	if (!strcmp(type, "HASH"))
		rt_str_puts(&def, " USING HASH");
	if (comment && *comment) {
		rt_str_puts(&def, " COMMENT ");
		rt_sql_literal(&def, RT_DIALECT_MYSQL, comment);
	}
	ix.definition = dup_str(b, &def);
	/* lower case, as PostgreSQL's: descriptions leave out "btree" */
	rt_str_clear(&def);
	for (r = 0; type[r]; r++)
		rt_str_putc(&def, (char)tolower((unsigned char)type[r]));
	ix.method = dup_str(b, &def);
	if (RT_VEC_PUSH(&ti->p.indexes, ix) < 0)
		b->oom = 1;
}

/* One index of a table, from its parts (rows first..last). */
static void add_index(build *b, const rt_rows *rows, size_t first, size_t last)
{
	const char *table = rt_rows_at(rows, first, 0);
	const char *name = rt_rows_at(rows, first, 1);
	const char *type = rt_rows_at(rows, first, 5);
	const char *comment = rt_rows_at(rows, first, 7);
	int unique = rt_sx_eq(rt_rows_at(rows, first, 2), "0");
	rt_sx_strvec cols = RT_VEC_INIT, keys = RT_VEC_INIT;
	rt_table *t;
	tinfo *ti = find_table(b, table, &t);
	int plain = 1;
	size_t r;
	rt_fk *fk;

	if (!ti || !type)
		return;
	for (r = first; r <= last; r++) {
		const char *col = rt_rows_at(rows, r, 3);
		const char *sub = rt_rows_at(rows, r, 4);
		const char *coll = rt_rows_at(rows, r, 6);
		const char *expr = rt_rows_at(rows, r, 8);
		rt_str k = RT_STR_INIT;

		if (col)
			rt_sql_ident(&k, RT_DIALECT_MYSQL, col);
		else
			rt_str_printf(&k, "(%s)", expr ? expr : "");
		if (sub)
			rt_str_printf(&k, "(%s)", sub);
		if (coll && !strcmp(coll, "D"))
			rt_str_puts(&k, " DESC");
		plain &= col && !sub && !(coll && !strcmp(coll, "D"));
		if (RT_VEC_PUSH(&cols, col ? dup(b, col) : "") < 0 ||
		    RT_VEC_PUSH(&keys, dup_str(b, &k)) < 0)
			b->oom = 1;
	}
	plain &= !strcmp(type, "BTREE") && !(comment && *comment);
	if (!strcmp(name, "PRIMARY")) {
		t->primary_key = rt_arena_alloc(b->a, sizeof(rt_key));
		if (!t->primary_key) {
			b->oom = 1;
		} else {
			memset(t->primary_key, 0, sizeof(rt_key));
			TO_ARENA(b, t->primary_key->columns,
				 t->primary_key->ncolumns, cols);
		}
	} else if (unique && plain) {
		rt_key k;

		memset(&k, 0, sizeof(k));
		k.name = dup(b, name);
		TO_ARENA(b, k.columns, k.ncolumns, cols);
		if (RT_VEC_PUSH(&ti->p.uniques, k) < 0)
			b->oom = 1;
	} else if (!unique && plain && (fk = fk_of_index(ti, name, &cols))) {
		fk->index = dup(b, name);
	} else {
		add_other_index(b, ti, table, name, type, comment, unique,
				&keys);
	}
	RT_VEC_FREE(&cols);
	RT_VEC_FREE(&keys);
}

static int load_indexes(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r, first = 0;
	int error;

	if ((error = drv->query(c, b->maria ? q_indexes_maria : q_indexes_mysql,
				&rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		if (r + 1 < rows.nrows &&
		    rt_sx_eq(rt_rows_at(&rows, r + 1, 0),
			     rt_rows_at(&rows, r, 0)) &&
		    rt_sx_eq(rt_rows_at(&rows, r + 1, 1),
			     rt_rows_at(&rows, r, 1)))
			continue;
		add_index(b, &rows, first, r);
		first = r + 1;
	}
	rt_rows_free(&rows);
	return 0;
}

/* A check clause with exactly one pair of parentheses around it. */
static const char *paren(build *b, const char *clause)
{
	rt_str s = RT_STR_INIT;
	size_t n = strlen(clause), i;
	int depth = 0,
	    whole = n >= 2 && clause[0] == '(' && clause[n - 1] == ')';
	char q = 0;

	/* is the first '(' closed by the last ')'? */
	for (i = 0; whole && i < n; i++) {
		char ch = clause[i];

		if (q) {
			if (ch == '\\' && q != '`')
				i++;
			else if (ch == q)
				q = 0;
		} else if (ch == '\'' || ch == '"' || ch == '`') {
			q = ch;
		} else if (ch == '(') {
			depth++;
		} else if (ch == ')' && --depth == 0 && i + 1 < n) {
			whole = 0;
		}
	}
	if (whole)
		rt_str_puts(&s, clause);
	else
		rt_str_printf(&s, "(%s)", clause);
	return dup_str(b, &s);
}

static int load_checks(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, b->maria ? q_checks_maria : q_checks_mysql,
				&rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		tinfo *ti = find_table(b, rt_rows_at(&rows, r, 0), NULL);
		const char *clause = rt_rows_at(&rows, r, 2);
		rt_check ck;

		if (!ti || !clause)
			continue;
		ck.name = dup(b, rt_rows_at(&rows, r, 1));
		ck.expr = paren(b, clause);
		ck.column =
		    rt_sx_eq(rt_rows_at(&rows, r, 3), "1") ? ck.name : NULL;
		if (RT_VEC_PUSH(&ti->p.checks, ck) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

/* A view definition without its own database's `db`. qualifiers. */
static const char *unqualify(build *b, const char *def)
{
	rt_str q = RT_STR_INIT, s = RT_STR_INIT;
	const char *p = def, *hit;

	rt_sql_ident(&q, RT_DIALECT_MYSQL, b->db);
	/* rt_sql_ident leaves plain names bare: the server always quotes */
	if (q.len && q.ptr[0] != '`') {
		rt_str_clear(&q);
		rt_str_printf(&q, "`%s`", b->db);
	}
	rt_str_putc(&q, '.');
	while (!q.oom && (hit = strstr(p, q.ptr))) {
		rt_str_append(&s, p, (size_t)(hit - p));
		p = hit + q.len;
	}
	rt_str_puts(&s, p);
	rt_str_dispose(&q);
	return dup_str(b, &s);
}

static int load_views(build *b, const rt_driver *drv, rt_conn *c, rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_views, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++) {
		const char *def = rt_rows_at(&rows, r, 1);
		rt_view v;

		memset(&v, 0, sizeof(v));
		v.name = dup(b, rt_rows_at(&rows, r, 0));
		v.definition = unqualify(b, def ? def : "");
		if (RT_VEC_PUSH(&b->views, v) < 0)
			b->oom = 1;
	}
	rt_rows_free(&rows);
	return 0;
}

static int load_unsupported(build *b, const rt_driver *drv, rt_conn *c,
			    rt_err *err)
{
	rt_rows rows;
	size_t r;
	int error;

	if ((error = drv->query(c, q_unsupported, &rows, err)) < 0)
		return error;
	for (r = 0; r < rows.nrows && !b->oom; r++)
		if (rt_sx_keep_note(b->o->filter,
				    rt_schema_kind(rt_rows_at(&rows, r, 1)),
				    b->fdb, rt_rows_at(&rows, r, 2)) &&
		    RT_VEC_PUSH(&b->unsupported,
				dup(b, rt_rows_at(&rows, r, 0))) < 0)
			b->oom = 1;
	rt_rows_free(&rows);
	return 0;
}

int rt_sx_introspect_mysql(rt_schema *s, const rt_driver *drv, rt_conn *c,
			   const rt_introspect_opts *o, rt_err *err)
{
	build b;
	size_t i;
	int error;

	memset(&b, 0, sizeof(b));
	b.a = &s->arena;
	b.o = o;
	if ((error = load_server(&b, drv, c, err)) < 0 ||
	    (error = load_tables(&b, drv, c, err)) < 0 ||
	    (error = load_columns(&b, drv, c, err)) < 0 ||
	    (error = load_fks(&b, drv, c, err)) < 0 ||
	    (error = load_indexes(&b, drv, c, err)) < 0 ||
	    (error = load_checks(&b, drv, c, err)) < 0 ||
	    (error = load_views(&b, drv, c, err)) < 0 ||
	    (error = load_unsupported(&b, drv, c, err)) < 0)
		goto done;
	for (i = 0; i < b.tables.n && !b.oom; i++)
		rt_sx_tparts_finish(b.a, &b.oom, &b.tables.v[i],
				    &b.info.v[i].p);
	TO_ARENA(&b, s->tables, s->ntables, b.tables);
	TO_ARENA(&b, s->views, s->nviews, b.views);
	TO_ARENA(&b, s->unsupported, s->nunsupported, b.unsupported);
	s->default_schema = b.fdb;
	if (b.oom)
		error = rt_err_oom(err);
done:
	for (i = 0; i < b.info.n; i++)
		rt_sx_tparts_free(&b.info.v[i].p);
	RT_VEC_FREE(&b.info);
	RT_VEC_FREE(&b.tables);
	RT_VEC_FREE(&b.views);
	RT_VEC_FREE(&b.unsupported);
	rt_map_free(&b.names);
	return error;
}
