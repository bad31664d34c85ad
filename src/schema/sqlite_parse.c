/* SPDX-License-Identifier: MIT */
/*
 * sqlite_parse.c: reading SQLite CREATE TABLE / INDEX / VIEW text (see
 * sqlite_parse.h).
 *
 * The text is first cut into significant tokens (blanks and comments
 * dropped). A table body is split at top-level commas; an item that
 * starts with CONSTRAINT, PRIMARY, UNIQUE, CHECK or FOREIGN is a table
 * constraint, anything else a column definition. Constraint keywords end
 * a column's type. Unknown tokens are skipped, never rejected: SQLite
 * already accepted the text.
 *
 * Invariants: token indexes never pass p->n (every lookahead goes through
 * kw()/ch(), which bound-check); all output lives in p->a.
 */
#include "schema/sqlite_parse.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "schema/internal.h"
#include "sql/tokenize.h"
#include "util/vec.h"

typedef struct parser {
	rt_arena *a;
	const char *sql;
	size_t len;
	rt_sql_token *t;
	size_t n;
	int oom;
} parser;

typedef RT_VEC(const char *) strvec;

static int lex(parser *p, rt_arena *a, const char *sql)
{
	RT_VEC(rt_sql_token) v = RT_VEC_INIT;
	rt_sql_token tok;
	size_t pos = 0;

	memset(p, 0, sizeof(*p));
	p->a = a;
	p->sql = sql;
	p->len = strlen(sql);
	while (rt_sql_next(RT_DIALECT_SQLITE, sql, p->len, &pos, &tok)) {
		if (tok.kind == RT_SQL_SPACE || tok.kind == RT_SQL_COMMENT)
			continue;
		if (RT_VEC_PUSH(&v, tok) < 0) {
			RT_VEC_FREE(&v);
			return -1;
		}
	}
	p->t = v.v;
	p->n = v.n;
	return 0;
}

static int kw(const parser *p, size_t i, const char *word)
{
	size_t n = strlen(word);

	return i < p->n && p->t[i].kind == RT_SQL_WORD && p->t[i].len == n &&
	       !strncasecmp(p->sql + p->t[i].start, word, n);
}

static int ch(const parser *p, size_t i, char c)
{
	return i < p->n && p->t[i].kind == RT_SQL_OTHER && p->t[i].len == 1 &&
	       p->sql[p->t[i].start] == c;
}

/* i at '(': the index after the matching ')' (or p->n). */
static size_t skip_parens(const parser *p, size_t i)
{
	int depth = 0;

	for (; i < p->n; i++) {
		if (ch(p, i, '('))
			depth++;
		else if (ch(p, i, ')') && --depth == 0)
			return i + 1;
	}
	return p->n;
}

static size_t tok_end(const parser *p, size_t i)
{
	return p->t[i].start + p->t[i].len;
}

/* Canonical text of tokens [i, j). */
static const char *canon(parser *p, size_t i, size_t j, int upper)
{
	const char *s;

	if (i >= j || i >= p->n)
		return rt_arena_strdup(p->a, "");
	if (j > p->n)
		j = p->n;
	s = rt_sx_canon(p->a, RT_DIALECT_SQLITE, p->sql + p->t[i].start,
			tok_end(p, j - 1) - p->t[i].start, upper);
	if (!s)
		p->oom = 1;
	return s;
}

static const char *name_at(parser *p, size_t i)
{
	const char *s;

	if (i >= p->n)
		return rt_arena_strdup(p->a, "");
	s = rt_sx_dequote(p->a, p->sql + p->t[i].start, p->t[i].len);
	if (!s)
		p->oom = 1;
	return s;
}

/* Collation names are case-insensitive: upper-case unquoted ones. */
static const char *collation_at(parser *p, size_t i)
{
	char *s, *q;

	if (i >= p->n)
		return NULL;
	s = rt_sx_dequote(p->a, p->sql + p->t[i].start, p->t[i].len);
	if (!s)
		p->oom = 1;
	else if (p->t[i].kind == RT_SQL_WORD)
		for (q = s; *q; q++)
			*q = (char)toupper((unsigned char)*q);
	return s;
}

static const char **arena_strs(parser *p, strvec *v)
{
	const char **out =
	    rt_arena_alloc(p->a, (v->n ? v->n : 1) * sizeof(*out));

	if (!out)
		p->oom = 1;
	else if (v->n)
		memcpy(out, v->v, v->n * sizeof(*out));
	RT_VEC_FREE(v);
	return out;
}

/* i at '(': a list of column names (the first token of each item, as in
 * "a COLLATE x DESC"). Returns the index after ')'. */
static size_t name_list(parser *p, size_t i, const char ***out, size_t *n)
{
	strvec v = RT_VEC_INIT;
	size_t end = skip_parens(p, i), close = end, j;
	int first = 1;

	if (end > i + 1 && ch(p, end - 1, ')'))
		close = end - 1;
	for (j = i + 1; j < close;) {
		if (ch(p, j, ',')) {
			first = 1;
			j++;
			continue;
		}
		if (first && RT_VEC_PUSH(&v, name_at(p, j)) < 0)
			p->oom = 1;
		first = 0;
		j = ch(p, j, '(') ? skip_parens(p, j) : j + 1;
	}
	*n = v.n;
	*out = arena_strs(p, &v);
	return end;
}

static const char *action_at(parser *p, size_t *j)
{
	size_t i = *j;

	if (kw(p, i, "SET") && kw(p, i + 1, "NULL")) {
		*j += 2;
		return "SET NULL";
	}
	if (kw(p, i, "SET") && kw(p, i + 1, "DEFAULT")) {
		*j += 2;
		return "SET DEFAULT";
	}
	if (kw(p, i, "NO") && kw(p, i + 1, "ACTION")) {
		*j += 2;
		return "NO ACTION";
	}
	if (kw(p, i, "CASCADE")) {
		*j += 1;
		return "CASCADE";
	}
	if (kw(p, i, "RESTRICT")) {
		*j += 1;
		return "RESTRICT";
	}
	*j += 1;
	return "NO ACTION";
}

/* j at REFERENCES: fill the fk part of c; returns the index after the
 * clause. */
static size_t fk_clause(parser *p, size_t j, size_t end,
			rt_sqlite_constraint *c)
{
	c->kind = 'f';
	c->on_delete = c->on_update = "NO ACTION";
	j++;
	if (j < end) {
		if (ch(p, j + 1, '.') && j + 2 < end)
			j += 2;
		c->ref_table = name_at(p, j++);
	}
	if (ch(p, j, '('))
		j = name_list(p, j, &c->ref_columns, &c->nref_columns);
	while (j < end) {
		if (kw(p, j, "ON") &&
		    (kw(p, j + 1, "DELETE") || kw(p, j + 1, "UPDATE"))) {
			int del = kw(p, j + 1, "DELETE");
			const char *act;

			j += 2;
			act = action_at(p, &j);
			if (del)
				c->on_delete = act;
			else
				c->on_update = act;
		} else if (kw(p, j, "MATCH")) {
			j += 2;
		} else if (kw(p, j, "NOT") && kw(p, j + 1, "DEFERRABLE")) {
			c->deferrable = 0;
			j += 2;
		} else if (kw(p, j, "DEFERRABLE")) {
			c->deferrable = 1;
			j++;
		} else if (kw(p, j, "INITIALLY")) {
			c->initially_deferred = kw(p, j + 1, "DEFERRED");
			j += 2;
		} else {
			break;
		}
	}
	return j;
}

static int column_keyword(const parser *p, size_t i)
{
	static const char *const words[] = {
		"CONSTRAINT", "PRIMARY",   "NOT",     "NULL",
		"UNIQUE",     "CHECK",	   "DEFAULT", "COLLATE",
		"REFERENCES", "GENERATED", "AS"
	};
	size_t k;

	for (k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (kw(p, i, words[k]))
			return 1;
	return 0;
}

static size_t skip_conflict(const parser *p, size_t j)
{
	if (kw(p, j, "ON") && kw(p, j + 1, "CONFLICT"))
		return j + 3;
	return j;
}

typedef RT_VEC(rt_sqlite_constraint) convec;

static int push_con(parser *p, convec *v, const rt_sqlite_constraint *c)
{
	if (RT_VEC_PUSH(v, *c) < 0) {
		p->oom = 1;
		return -1;
	}
	return 0;
}

static const char **one_name(parser *p, const char *name)
{
	const char **v = rt_arena_alloc(p->a, sizeof(*v));

	if (!v)
		p->oom = 1;
	else
		v[0] = name;
	return v;
}

/* After PRIMARY KEY at j: ASC/DESC, ON CONFLICT, AUTOINCREMENT. Returns
 * the index after them. */
static size_t primary_key_tail(const parser *p, size_t j,
			       rt_sqlite_colspec *col)
{
	for (;;) {
		if (kw(p, j, "ASC") || kw(p, j, "DESC")) {
			j++;
		} else if (kw(p, j, "ON") && kw(p, j + 1, "CONFLICT")) {
			j = skip_conflict(p, j);
		} else if (kw(p, j, "AUTOINCREMENT")) {
			col->autoincrement = 1;
			j++;
		} else {
			return j;
		}
	}
}

/* j at DEFAULT: a parenthesised expression, a signed number, or one
 * token (CURRENT_* count as expressions). Returns the index after it. */
static size_t default_clause(parser *p, size_t j, size_t e,
			     rt_sqlite_colspec *col)
{
	size_t k = j + 1;

	if (ch(p, k, '(')) {
		k = skip_parens(p, k);
		col->default_is_expr = 1;
	} else if (k < e && p->t[k].kind == RT_SQL_WORD && p->t[k].len == 1 &&
		   strchr("+-", p->sql[p->t[k].start])) {
		k += 2;
	} else {
		if (kw(p, k, "CURRENT_TIME") || kw(p, k, "CURRENT_DATE") ||
		    kw(p, k, "CURRENT_TIMESTAMP"))
			col->default_is_expr = 1;
		k++;
	}
	col->default_expr = canon(p, j + 1, k, 0);
	return k;
}

/* j at AS (: the generation expression, then STORED or VIRTUAL. Returns
 * the index after them. */
static size_t generated_clause(parser *p, size_t j, rt_sqlite_colspec *col)
{
	size_t k = skip_parens(p, j + 1);

	col->generated = canon(p, j + 2, k - 1, 0);
	j = k;
	if (kw(p, j, "STORED")) {
		col->generated_stored = 1;
		j++;
	} else if (kw(p, j, "VIRTUAL")) {
		j++;
	}
	return j;
}

static void column_def(parser *p, size_t s, size_t e, rt_sqlite_colspec *col,
		       convec *cons)
{
	const char *cname = NULL;
	size_t j = s + 1, ts;

	memset(col, 0, sizeof(*col));
	col->name = name_at(p, s);
	col->definition = rt_arena_strndup(p->a, p->sql + p->t[s].start,
					   tok_end(p, e - 1) - p->t[s].start);
	if (!col->definition)
		p->oom = 1;
	ts = j;
	while (j < e && !column_keyword(p, j))
		j = ch(p, j, '(') ? skip_parens(p, j) : j + 1;
	col->type = canon(p, ts, j, 1);
	while (j < e) {
		rt_sqlite_constraint c;

		memset(&c, 0, sizeof(c));
		c.column = col->name;
		c.name = cname;
		if (kw(p, j, "CONSTRAINT")) {
			cname = name_at(p, j + 1);
			j += 2;
			continue;
		}
		cname = NULL;
		if (kw(p, j, "PRIMARY")) {
			col->primary_key = 1;
			c.kind = 'p';
			c.columns = one_name(p, col->name);
			c.ncolumns = 1;
			push_con(p, cons, &c);
			j = primary_key_tail(p, j + 2, col);
		} else if (kw(p, j, "NOT") && kw(p, j + 1, "NULL")) {
			col->not_null = 1;
			j = skip_conflict(p, j + 2);
		} else if (kw(p, j, "NULL")) {
			j = skip_conflict(p, j + 1);
		} else if (kw(p, j, "UNIQUE")) {
			c.kind = 'u';
			c.columns = one_name(p, col->name);
			c.ncolumns = 1;
			push_con(p, cons, &c);
			j = skip_conflict(p, j + 1);
		} else if (kw(p, j, "CHECK") && ch(p, j + 1, '(')) {
			size_t k = skip_parens(p, j + 1);

			c.kind = 'c';
			c.expr = canon(p, j + 2, k - 1, 0);
			push_con(p, cons, &c);
			j = k;
		} else if (kw(p, j, "DEFAULT")) {
			j = default_clause(p, j, e, col);
		} else if (kw(p, j, "COLLATE")) {
			col->collation = collation_at(p, j + 1);
			j += 2;
		} else if (kw(p, j, "REFERENCES")) {
			c.columns = one_name(p, col->name);
			c.ncolumns = 1;
			j = fk_clause(p, j, e, &c);
			push_con(p, cons, &c);
		} else if (kw(p, j, "GENERATED")) {
			j += kw(p, j + 1, "ALWAYS") ? 2 : 1;
		} else if (kw(p, j, "AS") && ch(p, j + 1, '(')) {
			j = generated_clause(p, j, col);
		} else {
			j++;
		}
	}
}

static void table_constraint(parser *p, size_t s, size_t e, convec *cons)
{
	rt_sqlite_constraint c;
	size_t j = s;

	memset(&c, 0, sizeof(c));
	if (kw(p, j, "CONSTRAINT")) {
		c.name = name_at(p, j + 1);
		j += 2;
	}
	if (kw(p, j, "PRIMARY") && ch(p, j + 2, '(')) {
		c.kind = 'p';
		name_list(p, j + 2, &c.columns, &c.ncolumns);
	} else if (kw(p, j, "UNIQUE") && ch(p, j + 1, '(')) {
		c.kind = 'u';
		name_list(p, j + 1, &c.columns, &c.ncolumns);
	} else if (kw(p, j, "CHECK") && ch(p, j + 1, '(')) {
		c.kind = 'c';
		c.expr = canon(p, j + 2, skip_parens(p, j + 1) - 1, 0);
	} else if (kw(p, j, "FOREIGN") && ch(p, j + 2, '(')) {
		j = name_list(p, j + 2, &c.columns, &c.ncolumns);
		if (kw(p, j, "REFERENCES"))
			fk_clause(p, j, e, &c);
		else
			return;
	} else {
		return;
	}
	push_con(p, cons, &c);
}

static int is_table_constraint(const parser *p, size_t i)
{
	return kw(p, i, "CONSTRAINT") || kw(p, i, "PRIMARY") ||
	       kw(p, i, "UNIQUE") || kw(p, i, "CHECK") || kw(p, i, "FOREIGN");
}

/* After CREATE [TEMP] <what> [IF NOT EXISTS]: the index of the name, or
 * p->n when the text is not such a statement. */
static size_t after_create(const parser *p, const char *what, int *unique)
{
	size_t i = 0;

	if (!kw(p, i, "CREATE"))
		return p->n;
	i++;
	if (kw(p, i, "TEMP") || kw(p, i, "TEMPORARY"))
		i++;
	if (unique && kw(p, i, "UNIQUE")) {
		*unique = 1;
		i++;
	}
	if (!kw(p, i, what))
		return p->n;
	i++;
	if (kw(p, i, "IF") && kw(p, i + 1, "NOT") && kw(p, i + 2, "EXISTS"))
		i += 3;
	return i;
}

int rt_sqlite_parse_table(rt_sqlite_tablespec *out, rt_arena *a,
			  const char *sql, rt_err *err)
{
	RT_VEC(rt_sqlite_colspec) cols = RT_VEC_INIT;
	convec cons = RT_VEC_INIT;
	parser p;
	size_t i, close, s;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (lex(&p, a, sql) < 0)
		return rt_err_oom(err);
	i = after_create(&p, "TABLE", NULL);
	if (i >= p.n) {
		error = rt_err_set(err, RETORT_ERROR,
				   "not a CREATE TABLE statement: %.60s", sql);
		goto done;
	}
	out->name_start = p.t[i].start;
	if (ch(&p, i + 1, '.') && i + 2 < p.n)
		i += 2;
	out->name = name_at(&p, i);
	out->name_len = tok_end(&p, i) - out->name_start;
	i++;
	if (!ch(&p, i, '('))
		goto done; /* CREATE TABLE ... AS SELECT */
	close = skip_parens(&p, i) - 1;
	for (s = i + 1; s < close;) {
		size_t e = s;

		while (e < close && !ch(&p, e, ','))
			e = ch(&p, e, '(') ? skip_parens(&p, e) : e + 1;
		if (e > close)
			e = close;
		if (e > s) {
			if (is_table_constraint(&p, s)) {
				table_constraint(&p, s, e, &cons);
			} else {
				rt_sqlite_colspec col;

				column_def(&p, s, e, &col, &cons);
				if (RT_VEC_PUSH(&cols, col) < 0)
					p.oom = 1;
			}
		}
		s = e + 1;
	}
	for (i = close + 1; i < p.n; i++) {
		if (kw(&p, i, "WITHOUT") && kw(&p, i + 1, "ROWID"))
			out->without_rowid = 1;
		else if (kw(&p, i, "STRICT"))
			out->strict = 1;
	}
done:
	if (!error && !p.oom) {
		out->columns = rt_arena_alloc(a, (cols.n ? cols.n : 1) *
						     sizeof(*out->columns));
		out->constraints = rt_arena_alloc(
		    a, (cons.n ? cons.n : 1) * sizeof(*out->constraints));
		if (!out->columns || !out->constraints) {
			p.oom = 1;
		} else {
			if (cols.n)
				memcpy(out->columns, cols.v,
				       cols.n * sizeof(*cols.v));
			if (cons.n)
				memcpy(out->constraints, cons.v,
				       cons.n * sizeof(*cons.v));
			out->ncolumns = cols.n;
			out->nconstraints = cons.n;
		}
	}
	if (!error && p.oom)
		error = rt_err_oom(err);
	RT_VEC_FREE(&cols);
	RT_VEC_FREE(&cons);
	free(p.t);
	return error;
}

int rt_sqlite_parse_index(rt_sqlite_indexspec *out, rt_arena *a,
			  const char *sql, rt_err *err)
{
	strvec keys = RT_VEC_INIT;
	parser p;
	size_t i, close, s;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (lex(&p, a, sql) < 0)
		return rt_err_oom(err);
	i = after_create(&p, "INDEX", &out->unique);
	if (ch(&p, i + 1, '.'))
		i += 2;
	if (i >= p.n || !kw(&p, i + 1, "ON") || !ch(&p, i + 3, '(')) {
		error = rt_err_set(err, RETORT_ERROR,
				   "not a CREATE INDEX statement: %.60s", sql);
		goto done;
	}
	out->name = name_at(&p, i);
	out->table = name_at(&p, i + 2);
	close = skip_parens(&p, i + 3) - 1;
	for (s = i + 4; s < close;) {
		size_t e = s;

		while (e < close && !ch(&p, e, ','))
			e = ch(&p, e, '(') ? skip_parens(&p, e) : e + 1;
		if (e > close)
			e = close;
		if (e > s && RT_VEC_PUSH(&keys, canon(&p, s, e, 0)) < 0)
			p.oom = 1;
		s = e + 1;
	}
	if (kw(&p, close + 1, "WHERE"))
		out->where = canon(&p, close + 2, p.n, 0);
	out->nkeys = keys.n;
	out->keys = arena_strs(&p, &keys);
done:
	RT_VEC_FREE(&keys);
	free(p.t);
	if (!error && p.oom)
		error = rt_err_oom(err);
	return error;
}

int rt_sqlite_parse_view(const char **definition, rt_arena *a, const char *sql,
			 rt_err *err)
{
	parser p;
	size_t i;
	int error = 0;

	*definition = NULL;
	if (lex(&p, a, sql) < 0)
		return rt_err_oom(err);
	i = after_create(&p, "VIEW", NULL);
	if (ch(&p, i + 1, '.'))
		i += 2;
	if (i + 1 >= p.n) {
		error = rt_err_set(err, RETORT_ERROR,
				   "not a CREATE VIEW statement: %.60s", sql);
		goto done;
	}
	*definition = canon(&p, i + 1, p.n, 0);
	if (p.oom)
		error = rt_err_oom(err);
done:
	free(p.t);
	return error;
}
