/* SPDX-License-Identifier: MIT */
/*
 * render.c: offline SQL output (see render.h) and the version-table
 * statements shared with the online runner, so that both write the same
 * rows the same way.
 */
#include "plan/render.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sql/tokenize.h"

int rt_sql_create_version_table(rt_str *out, rt_dialect d, const char *schema,
				const char *table)
{
	rt_str pk = RT_STR_INIT;

	rt_str_puts(out, "CREATE TABLE ");
	rt_sql_table_name(out, d, schema, table);
	rt_str_puts(out, " (\n    version_num VARCHAR(255) NOT NULL,\n"
			 "    CONSTRAINT ");
	rt_str_printf(&pk, "%s_pkc", table);
	rt_sql_ident(out, d, rt_str_cstr(&pk));
	rt_str_dispose(&pk);
	return rt_str_puts(out, " PRIMARY KEY (version_num)\n)");
}

int rt_sql_version_op(rt_str *out, rt_dialect d, const char *schema,
		      const char *table, const retort_version_op *op)
{
	rt_str name = RT_STR_INIT;

	rt_sql_table_name(&name, d, schema, table);
	switch (op->kind) {
	case RETORT_VERSION_INSERT:
		rt_str_puts(out, "INSERT INTO ");
		rt_str_puts(out, rt_str_cstr(&name));
		rt_str_puts(out, " (version_num) VALUES (");
		rt_sql_literal(out, d, op->to);
		rt_str_putc(out, ')');
		break;
	case RETORT_VERSION_UPDATE:
		rt_str_puts(out, "UPDATE ");
		rt_str_puts(out, rt_str_cstr(&name));
		rt_str_puts(out, " SET version_num=");
		rt_sql_literal(out, d, op->to);
		rt_str_puts(out, " WHERE ");
		rt_str_puts(out, rt_str_cstr(&name));
		rt_str_puts(out, ".version_num = ");
		rt_sql_literal(out, d, op->from);
		break;
	case RETORT_VERSION_DELETE:
		rt_str_puts(out, "DELETE FROM ");
		rt_str_puts(out, rt_str_cstr(&name));
		rt_str_puts(out, " WHERE ");
		rt_str_puts(out, rt_str_cstr(&name));
		rt_str_puts(out, ".version_num = ");
		rt_sql_literal(out, d, op->from);
		break;
	}
	if (name.oom)
		out->oom = 1;
	rt_str_dispose(&name);
	return out->oom ? -1 : 0;
}

static void join(rt_str *out, const char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			rt_str_puts(out, ", ");
		rt_str_puts(out, ids[i]);
	}
}

static const char *step_name(retort_step_kind k)
{
	switch (k) {
	case RETORT_STEP_UPGRADE:
		return "upgrade";
	case RETORT_STEP_DOWNGRADE:
		return "downgrade";
	case RETORT_STEP_STAMP:
		return "stamp_revision";
	}
	return "upgrade";
}

/* MySQL text with DELIMITER lines (a mysql client command, not SQL):
 * the statements as the tokenizer splits them, each ending in ";\n", so
 * that the output is plain SQL; comments between statements are left
 * out. Text without DELIMITER is written as it is. */
static void section_statements(rt_str *out, const retort_section *sec)
{
	rt_sql_stmt *st = NULL;
	size_t n = 0, i;

	if (rt_sql_split(RT_DIALECT_MYSQL, sec->sql, sec->len, &st, &n) < 0) {
		out->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		rt_str_append(out, sec->sql + st[i].start, st[i].len);
		rt_str_puts(out, ";\n");
	}
	if (n)
		rt_str_putc(out, '\n');
	free(st);
}

/* The section's SQL, trimmed, with a terminating ';' when it lacks one. */
static void section_sql(rt_str *out, rt_dialect d, const retort_section *sec)
{
	const char *p = sec->sql;
	size_t n = sec->len;

	if (rt_sql_has_delimiter(d, sec->sql, sec->len)) {
		section_statements(out, sec);
		return;
	}

	while (n && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	if (!n)
		return;
	rt_str_append(out, p, n);
	/* one pass: is the last statement unterminated, and is the text's
	 * last token a line comment (which would swallow a ';')? */
	{
		rt_sql_token tok, last;
		size_t pos = 0;
		int last_kind = -1;

		memset(&last, 0, sizeof(last));
		while (rt_sql_next(d, p, n, &pos, &tok)) {
			if (tok.kind == RT_SQL_SPACE)
				continue;
			last = tok;
			if (tok.kind != RT_SQL_COMMENT)
				last_kind = (int)tok.kind;
		}
		if (last_kind >= 0 && last_kind != RT_SQL_SEMICOLON) {
			if (last.kind == RT_SQL_COMMENT && p[last.start] != '/')
				rt_str_puts(out, "\n;");
			else
				rt_str_putc(out, ';');
		}
	}
	rt_str_puts(out, "\n\n");
}

int rt_render_plan(const retort_plan *plan, const rt_render_opts *o,
		   rt_err *err)
{
	rt_str out = RT_STR_INIT;
	int tx = 1; /* every supported dialect but MySQL has DDL transactions */
	int whole = 0, rc = 0;
	size_t i, j;

	if (o->dialect == RT_DIALECT_MYSQL)
		tx = 0;
	whole = tx && !o->transaction_per_migration;
	if (whole)
		rt_str_puts(&out, "BEGIN;\n\n");
	for (i = 0; i < plan->steps.n; i++) {
		const retort_step *s = &plan->steps.v[i];
		const retort_section *sec = NULL;
		int sec_tx = 1;

		if (s->revision)
			sec = rt_step_section(s, o->dialect);
		if (sec)
			sec_tx = sec->transactional;
		if (tx && !whole && sec_tx)
			rt_str_puts(&out, "BEGIN;\n\n");
		if (plan->empty_before[i]) {
			rt_sql_create_version_table(&out, o->dialect,
						    o->version_schema,
						    o->version_table);
			rt_str_puts(&out, ";\n\n");
		}
		rt_str_puts(&out, "-- Running ");
		rt_str_puts(&out, step_name(s->kind));
		rt_str_putc(&out, ' ');
		join(&out, s->from, s->nfrom);
		rt_str_puts(&out, " -> ");
		join(&out, s->to, s->nto);
		rt_str_puts(&out, "\n\n");
		if (sec) {
			if (whole && !sec_tx)
				rt_str_puts(&out, "COMMIT;\n\n");
			section_sql(&out, o->dialect, sec);
			if (whole && !sec_tx)
				rt_str_puts(&out, "BEGIN;\n\n");
		}
		for (j = 0; j < s->nops; j++) {
			rt_sql_version_op(&out, o->dialect, o->version_schema,
					  o->version_table, &s->ops[j]);
			rt_str_puts(&out, ";\n\n");
		}
		if (tx && !whole && sec_tx)
			rt_str_puts(&out, "COMMIT;\n\n");
		if (out.oom) {
			rc = rt_err_oom(err);
			goto done;
		}
		/* flush per step so that huge plans stream */
		if (out.len > 65536) {
			if (o->write(out.ptr, out.len, o->payload)) {
				rc = rt_err_set(err, RETORT_ERROR,
						"cannot write the SQL output");
				goto done;
			}
			rt_str_clear(&out);
		}
	}
	if (whole)
		rt_str_puts(&out, "COMMIT;\n\n");
	if (out.oom) {
		rc = rt_err_oom(err);
		goto done;
	}
	if (out.len && o->write(out.ptr, out.len, o->payload))
		rc = rt_err_set(err, RETORT_ERROR,
				"cannot write the SQL output");
done:
	rt_str_dispose(&out);
	return rc;
}
