/* SPDX-License-Identifier: MIT */
/*
 * emit_mysql.c: MySQL and MariaDB statements for the dump and for a
 * diff's changes (called by emit.c and dump.c).
 *
 * A column is always written whole (type, CHARACTER SET through its
 * collation, GENERATED ALWAYS AS, NULL / NOT NULL, DEFAULT [ON UPDATE],
 * AUTO_INCREMENT, COMMENT), so any change of its attributes is one
 * `ALTER TABLE t MODIFY COLUMN <the target column>`: MySQL has no
 * statement for one attribute except defaults, and MODIFY keeps the
 * column's position. Nullable columns say NULL (TIMESTAMP columns
 * under explicit_defaults_for_timestamp=OFF are NOT NULL otherwise).
 *
 * ALGORITHM: only ADD COLUMN at the end of a table gets
 * `ALGORITHM=INSTANT`, and only when the column is neither STORED
 * generated nor AUTO_INCREMENT and the table has no FULLTEXT index:
 * the cases both MySQL 8.0.12+ and MariaDB 10.3+ make instant (an
 * explicit ALGORITHM fails rather than copy the table, so it is written
 * where it cannot fail for those reasons). Everything else is left to the
 * server, which picks INSTANT or INPLACE itself where it can (index
 * changes, DROP COLUMN, defaults); a stated INPLACE would only turn a
 * slow change into an error.
 *
 * Check constraints are dropped with DROP CONSTRAINT (MySQL 8.0.19+,
 * MariaDB 10.2+), except MariaDB's column-level ones (rt_check.column),
 * which belong to their column: every MODIFY COLUMN writes them again,
 * and adding or dropping one is a MODIFY COLUMN with or without it;
 * unique keys and indexes with DROP INDEX, and when a foreign key uses
 * the one dropped (InnoDB dropped the key's own index when that one was
 * made) an index for the key is added in the same statement; a foreign
 * key with DROP FOREIGN KEY and then the index InnoDB made for it.
 */
#include <string.h>

#include "schema/internal.h"
#include "sql/quote.h"

#define MY RT_DIALECT_MYSQL

static void end(rt_str *out)
{
	rt_str_puts(out, ";\n");
}

static void ident(rt_str *out, const char *name)
{
	rt_sql_ident(out, MY, name ? name : "");
}

static void alter(rt_str *out, const char *table)
{
	rt_str_puts(out, "ALTER TABLE ");
	ident(out, table);
	rt_str_putc(out, ' ');
}

/* A column; with t, its MariaDB column-level CHECKs too (a MODIFY
 * without them drops them), but not `skip`. */
static void column(rt_str *out, const rt_column *c, const rt_table *t,
		   const rt_check *skip)
{
	size_t i;

	ident(out, c->name);
	rt_str_printf(out, " %s", c->type);
	if (c->collation)
		rt_str_printf(out, " COLLATE %s", c->collation);
	if (c->generated)
		rt_str_printf(out, " GENERATED ALWAYS AS (%s) %s", c->generated,
			      c->generated_stored ? "STORED" : "VIRTUAL");
	else
		rt_str_puts(out, c->not_null ? " NOT NULL" : " NULL");
	if (c->default_expr)
		rt_str_printf(out, " DEFAULT %s", c->default_expr);
	if (c->identity)
		rt_str_puts(out, " AUTO_INCREMENT");
	if (c->comment) {
		rt_str_puts(out, " COMMENT ");
		rt_sql_literal(out, MY, c->comment);
	}
	for (i = 0; t && i < t->nchecks; i++)
		if (&t->checks[i] != skip &&
		    rt_sx_eq(t->checks[i].column, c->name))
			rt_str_printf(out, " CHECK %s", t->checks[i].expr);
}

static void columns(rt_str *out, const char *const *cols, size_t n)
{
	size_t i;

	rt_str_putc(out, '(');
	for (i = 0; i < n; i++) {
		if (i)
			rt_str_puts(out, ", ");
		ident(out, cols[i]);
	}
	rt_str_putc(out, ')');
}

static void named(rt_str *out, const char *name)
{
	if (name) {
		rt_str_puts(out, "CONSTRAINT ");
		ident(out, name);
		rt_str_putc(out, ' ');
	}
}

static void unique(rt_str *out, const rt_key *k)
{
	named(out, k->name);
	rt_str_puts(out, "UNIQUE ");
	columns(out, k->columns, k->ncolumns);
}

static void check(rt_str *out, const rt_check *c)
{
	named(out, c->name);
	rt_str_printf(out, "CHECK %s", c->expr);
}

void rt_sx_my_table(rt_str *out, const rt_table *t)
{
	size_t i;

	rt_str_puts(out, "CREATE TABLE ");
	ident(out, t->name);
	rt_str_puts(out, " (");
	for (i = 0; i < t->ncolumns; i++) {
		rt_str_puts(out, i ? ",\n    " : "\n    ");
		column(out, &t->columns[i], NULL, NULL);
	}
	if (t->primary_key) {
		rt_str_puts(out, ",\n    PRIMARY KEY ");
		columns(out, t->primary_key->columns, t->primary_key->ncolumns);
	}
	for (i = 0; i < t->nuniques; i++) {
		rt_str_puts(out, ",\n    ");
		unique(out, &t->uniques[i]);
	}
	for (i = 0; i < t->nchecks; i++) {
		rt_str_puts(out, ",\n    ");
		check(out, &t->checks[i]);
	}
	rt_str_puts(out, "\n)");
	if (t->comment) {
		rt_str_puts(out, " COMMENT=");
		rt_sql_literal(out, MY, t->comment);
	}
	end(out);
	for (i = 0; i < t->nindexes; i++) {
		rt_str_puts(out, t->indexes[i].definition);
		end(out);
	}
}

void rt_sx_my_fk(rt_str *out, const char *table, const rt_fk *fk)
{
	alter(out, table);
	rt_str_puts(out, "ADD ");
	named(out, fk->name);
	rt_str_puts(out, "FOREIGN KEY ");
	columns(out, fk->columns, fk->ncolumns);
	rt_str_puts(out, " REFERENCES ");
	if (fk->ref_schema) {
		ident(out, fk->ref_schema);
		rt_str_putc(out, '.');
	}
	ident(out, fk->ref_table);
	rt_str_putc(out, ' ');
	columns(out, fk->ref_columns, fk->nref_columns);
	if (fk->on_delete && strcmp(fk->on_delete, "NO ACTION"))
		rt_str_printf(out, " ON DELETE %s", fk->on_delete);
	if (fk->on_update && strcmp(fk->on_update, "NO ACTION"))
		rt_str_printf(out, " ON UPDATE %s", fk->on_update);
	end(out);
}

void rt_sx_my_view(rt_str *out, const rt_view *v, int replace)
{
	rt_str_printf(out, "CREATE %sVIEW ", replace ? "OR REPLACE " : "");
	ident(out, v->name);
	rt_str_printf(out, " AS %s", v->definition);
	end(out);
}

static const rt_table *find_table(const rt_schema *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->ntables; i++)
		if (rt_sx_eq(s->tables[i].name, name) &&
		    rt_sx_unqualified(s->tables[i].schema))
			return &s->tables[i];
	return NULL;
}

/* ADD COLUMN in its place; ALGORITHM=INSTANT at the end (file comment). */
static void add_column(rt_str *out, const rt_diff *d, const rt_change *c)
{
	const rt_column *col = c->to;
	const rt_table *t = find_table(d->to, c->table);
	size_t i, at = 0;
	int fulltext = 0;

	alter(out, c->table);
	rt_str_puts(out, "ADD COLUMN ");
	column(out, col, t, NULL);
	for (i = 0; t && i < t->ncolumns; i++)
		if (rt_sx_eq(t->columns[i].name, col->name))
			at = i;
	for (i = 0; t && i < t->nindexes; i++)
		fulltext |= rt_sx_eq(t->indexes[i].method, "fulltext");
	if (t && at + 1 < t->ncolumns) {
		if (at == 0)
			rt_str_puts(out, " FIRST");
		else {
			rt_str_puts(out, " AFTER ");
			ident(out, t->columns[at - 1].name);
		}
	} else if (t && !fulltext && !col->identity &&
		   !(col->generated && col->generated_stored)) {
		rt_str_puts(out, ", ALGORITHM=INSTANT");
	}
	end(out);
}

static void modify(rt_str *out, const char *table, const rt_column *c,
		   const rt_table *t, const rt_check *skip)
{
	alter(out, table);
	rt_str_puts(out, "MODIFY COLUMN ");
	column(out, c, t, skip);
	end(out);
}

/* MariaDB: a column-level CHECK is added and dropped by writing its
 * column again, with it or without it. */
static int column_check(rt_str *out, const rt_diff *d, const rt_change *c)
{
	const rt_check *ck = c->kind == RT_ADD_CHECK ? c->to : c->from;
	const rt_schema *s = c->kind == RT_ADD_CHECK ? d->to : d->from;
	const rt_table *t = find_table(s, c->table);
	const rt_column *col = rt_sx_find_column(t, ck->column);

	if (!ck->column || !col)
		return 0;
	modify(out, c->table, col, t, c->kind == RT_DROP_CHECK ? ck : NULL);
	return 1;
}

static int column_change(rt_change_kind k)
{
	return k == RT_CHANGE_COLUMN_TYPE || k == RT_CHANGE_COLUMN_NULL ||
	       k == RT_CHANGE_COLUMN_DEFAULT ||
	       k == RT_CHANGE_COLUMN_IDENTITY ||
	       k == RT_CHANGE_COLUMN_GENERATED || k == RT_CHANGE_COLUMN_COMMENT;
}

static void drop_index(rt_str *out, const char *table, const char *name)
{
	alter(out, table);
	rt_str_puts(out, "DROP INDEX ");
	ident(out, name);
	end(out);
}

/* The column of an index part as introspect_mysql.c writes it (`a`(10)
 * DESC), into buf; "" for an expression. */
static const char *part_column(const char *key, char *buf, size_t size)
{
	size_t n = 0;

	if (*key == '`') {
		for (key++; *key && n + 1 < size; key++) {
			if (*key == '`' && key[1] != '`')
				break;
			if (*key == '`')
				key++;
			buf[n++] = *key;
		}
	} else if (*key != '(') {
		while (*key && *key != '(' && *key != ' ' && n + 1 < size)
			buf[n++] = *key++;
	}
	buf[n] = '\0';
	return buf;
}

/* Does an index of t on these leading columns (keys: index parts, else
 * cols) that is still in `to` (by name) serve fk? */
static int serves(const rt_fk *fk, const char *const *cols,
		  const char *const *keys, size_t n)
{
	char buf[256];
	size_t k;

	if (n < fk->ncolumns)
		return 0;
	for (k = 0; k < fk->ncolumns; k++)
		if (!rt_sx_eq(fk->columns[k],
			      keys ? part_column(keys[k], buf, sizeof(buf))
				   : cols[k]))
			return 0;
	return 1;
}

static int kept_index(const rt_table *to, const char *name)
{
	size_t i;

	for (i = 0; to && i < to->nindexes; i++)
		if (rt_sx_eq(to->indexes[i].name, name))
			return 1;
	for (i = 0; to && i < to->nuniques; i++)
		if (rt_sx_eq(to->uniques[i].name, name))
			return 1;
	return 0;
}

/* Another index of `from` that stays and serves fk (the primary key
 * counts). */
static int other_index(const rt_table *from, const rt_table *to,
		       const rt_fk *fk, const char *dropped)
{
	size_t i;

	if (from->primary_key && serves(fk, from->primary_key->columns, NULL,
					from->primary_key->ncolumns))
		return 1;
	for (i = 0; i < from->nuniques; i++)
		if (!rt_sx_eq(from->uniques[i].name, dropped) &&
		    kept_index(to, from->uniques[i].name) &&
		    serves(fk, from->uniques[i].columns, NULL,
			   from->uniques[i].ncolumns))
			return 1;
	for (i = 0; i < from->nindexes; i++)
		if (!rt_sx_eq(from->indexes[i].name, dropped) &&
		    kept_index(to, from->indexes[i].name) &&
		    serves(fk, NULL, from->indexes[i].keys,
			   from->indexes[i].nkeys))
			return 1;
	return 0;
}

/*
 * Drop an index or unique key. InnoDB refuses to drop the index a
 * foreign key uses (error 1553): one that has no index of its own any
 * more (InnoDB dropped it when this one was created) gets one in the same
 * statement, named after it as InnoDB names them.
 */
static void drop_key(rt_str *out, const rt_diff *d, const rt_change *c,
		     const char *name, const char *const *cols,
		     const char *const *keys, size_t n)
{
	const rt_table *from = find_table(d->from, c->table);
	const rt_table *to = find_table(d->to, c->table);
	size_t i, k;

	alter(out, c->table);
	for (i = 0; from && to && i < from->nfks; i++) {
		const rt_fk *fk = &from->fks[i];
		int stays = 0;

		for (k = 0; k < to->nfks; k++)
			stays |= rt_sx_eq(to->fks[k].name, fk->name);
		if (!stays || fk->index || !serves(fk, cols, keys, n) ||
		    other_index(from, to, fk, name))
			continue;
		rt_str_puts(out, "ADD INDEX ");
		ident(out, fk->name);
		rt_str_putc(out, ' ');
		columns(out, fk->columns, fk->ncolumns);
		rt_str_puts(out, ", ");
	}
	rt_str_puts(out, "DROP INDEX ");
	ident(out, name);
	end(out);
}

/* Keys, checks and foreign keys. */
static void constraint_change(rt_str *out, const rt_diff *d, const rt_change *c)
{
	switch (c->kind) {
	case RT_ADD_PRIMARY_KEY: {
		const rt_key *k = c->to;

		alter(out, c->table);
		rt_str_puts(out, "ADD PRIMARY KEY ");
		columns(out, k->columns, k->ncolumns);
		end(out);
		break;
	}
	case RT_DROP_PRIMARY_KEY:
		alter(out, c->table);
		rt_str_puts(out, "DROP PRIMARY KEY");
		end(out);
		break;
	case RT_ADD_UNIQUE:
		alter(out, c->table);
		rt_str_puts(out, "ADD ");
		unique(out, c->to);
		end(out);
		break;
	case RT_DROP_UNIQUE: {
		const rt_key *k = c->from;

		drop_key(out, d, c, k->name, k->columns, NULL, k->ncolumns);
		break;
	}
	case RT_ADD_CHECK:
		if (column_check(out, d, c))
			break;
		alter(out, c->table);
		rt_str_puts(out, "ADD ");
		check(out, c->to);
		end(out);
		break;
	case RT_DROP_CHECK:
		if (column_check(out, d, c))
			break;
		alter(out, c->table);
		rt_str_puts(out, "DROP CONSTRAINT ");
		ident(out, ((const rt_check *)c->from)->name);
		end(out);
		break;
	case RT_ADD_FK:
		rt_sx_my_fk(out, c->table, c->to);
		break;
	case RT_DROP_FK: {
		const rt_fk *fk = c->from;

		alter(out, c->table);
		rt_str_puts(out, "DROP FOREIGN KEY ");
		ident(out, fk->name);
		end(out);
		if (fk->index)
			drop_index(out, c->table, fk->index);
		break;
	}
	default:
		break;
	}
}

int rt_sx_my_same_column(const rt_change *a, const rt_change *b)
{
	return a && b && column_change(a->kind) && column_change(b->kind) &&
	       rt_sx_eq(a->table, b->table) && rt_sx_eq(a->name, b->name);
}

int rt_sx_my_change(rt_str *out, const rt_diff *d, const rt_change *c,
		    rt_err *err)
{
	if (column_change(c->kind)) {
		modify(out, c->table, c->to, find_table(d->to, c->table), NULL);
		return 0;
	}
	switch (c->kind) {
	case RT_ADD_TABLE:
		rt_sx_my_table(out, c->to);
		break;
	case RT_DROP_TABLE:
		rt_str_puts(out, "DROP TABLE ");
		ident(out, c->table);
		end(out);
		break;
	case RT_ADD_COLUMN:
		add_column(out, d, c);
		break;
	case RT_DROP_COLUMN:
		alter(out, c->table);
		rt_str_puts(out, "DROP COLUMN ");
		ident(out, c->name);
		end(out);
		break;
	case RT_CHANGE_TABLE_COMMENT: {
		const rt_table *t = c->to;

		alter(out, c->table);
		rt_str_puts(out, "COMMENT = ");
		rt_sql_literal(out, MY, t->comment ? t->comment : "");
		end(out);
		break;
	}
	case RT_ADD_PRIMARY_KEY:
	case RT_DROP_PRIMARY_KEY:
	case RT_ADD_UNIQUE:
	case RT_DROP_UNIQUE:
	case RT_ADD_CHECK:
	case RT_DROP_CHECK:
	case RT_ADD_FK:
	case RT_DROP_FK:
		constraint_change(out, d, c);
		break;
	case RT_ADD_INDEX:
		rt_str_puts(out, ((const rt_index *)c->to)->definition);
		end(out);
		break;
	case RT_DROP_INDEX: {
		const rt_index *ix = c->from;

		drop_key(out, d, c, ix->name, NULL, ix->keys, ix->nkeys);
		break;
	}
	case RT_ADD_VIEW:
		rt_sx_my_view(out, c->to, 0);
		break;
	case RT_CHANGE_VIEW:
		rt_sx_my_view(out, c->to, 1);
		break;
	case RT_DROP_VIEW:
		rt_str_puts(out, "DROP VIEW ");
		ident(out, c->table);
		end(out);
		break;
	case RT_NOTE:
		rt_str_printf(out, "-- note: %s\n", c->description);
		break;
	default:
		return rt_err_set(err, RETORT_ERROR,
				  "cannot write SQL for change %d on %s "
				  "(mysql)",
				  (int)c->kind, c->table ? c->table : "?");
	}
	return 0;
}
