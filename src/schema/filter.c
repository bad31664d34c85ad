/* SPDX-License-Identifier: MIT */
/*
 * filter.c: what autogenerate and check leave out (rt_schema_filter,
 * the autogenerate_* keys of retort.ini): schemas included or excluded,
 * tables and views, extensions, and whole kinds of objects.
 *
 * The back ends ask rt_sx_keep_note() before noting an object the model does
 * not cover; introspect.c runs rt_sx_filter() on the model they read. Both
 * sides of a comparison are read with the same filter, so what it leaves
 * out is never a difference.
 *
 * Invariants: patterns are fnmatch(3) globs, matched case-sensitively
 * against the names as the catalogs have them; a model's schemas are
 * matched by those names ("" is the model's default schema, rt_sx_public is
 * public, NULL is SQLite's "main"); filtering only removes (lists are
 * compacted in place, their order kept).
 */
#include <fnmatch.h>
#include <string.h>

#include "schema/internal.h"

static const struct {
	const char *name;
	unsigned bit;
} kinds[] = {
	{ "schema", RT_KIND_SCHEMA },	  { "extension", RT_KIND_EXTENSION },
	{ "enum", RT_KIND_ENUM },	  { "sequence", RT_KIND_SEQUENCE },
	{ "table", RT_KIND_TABLE },	  { "view", RT_KIND_VIEW },
	{ "index", RT_KIND_INDEX },	  { "trigger", RT_KIND_TRIGGER },
	{ "function", RT_KIND_FUNCTION }, { "domain", RT_KIND_DOMAIN },
	{ "type", RT_KIND_TYPE },	  { "policy", RT_KIND_POLICY },
	{ "rule", RT_KIND_RULE },	  { "collation", RT_KIND_COLLATION },
};

unsigned rt_schema_kind(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(kinds[i].name, name))
			return kinds[i].bit;
	return 0;
}

const char *rt_schema_kind_names(void)
{
	return "schema, extension, enum, sequence, table, view, index, "
	       "trigger, function, domain, type, policy, rule, collation";
}

const char *rt_schema_table_pattern_error(const char *pattern)
{
	const char *dot = strchr(pattern, '.');

	if (!*pattern)
		return "nothing to match";
	if (dot && (dot == pattern || !dot[1]))
		return "an empty schema or table part (expected NAME or "
		       "SCHEMA.NAME)";
	if (dot && strchr(dot + 1, '.'))
		return "more than one '.' (expected NAME or SCHEMA.NAME)";
	return NULL;
}

static int any_match(const char *const *pats, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(pats[i], s, 0) == 0)
			return 1;
	return 0;
}

int rt_sx_keep_schema(const rt_schema_filter *f, const char *real)
{
	if (!f)
		return 1;
	if (!real)
		real = "main";
	if (f->ninclude_schemas &&
	    !any_match(f->include_schemas, f->ninclude_schemas, real))
		return 0;
	return !any_match(f->exclude_schemas, f->nexclude_schemas, real);
}

/* A table pattern against (schema, name). */
static int table_match(const char *pat, const char *real, const char *name)
{
	const char *dot = strchr(pat, '.');
	char sp[256];
	size_t n;

	if (!dot)
		return fnmatch(pat, name, 0) == 0;
	n = (size_t)(dot - pat);
	if (n >= sizeof(sp))
		return 0;
	memcpy(sp, pat, n);
	sp[n] = '\0';
	return fnmatch(sp, real ? real : "main", 0) == 0 &&
	       fnmatch(dot + 1, name, 0) == 0;
}

int rt_sx_keep_relation(const rt_schema_filter *f, unsigned kind,
			const char *real, const char *name)
{
	size_t i;

	if (!f)
		return 1;
	if ((f->exclude_kinds & kind) || !rt_sx_keep_schema(f, real))
		return 0;
	for (i = 0; name && i < f->nexclude_tables; i++)
		if (table_match(f->exclude_tables[i], real, name))
			return 0;
	return 1;
}

int rt_sx_keep_note(const rt_schema_filter *f, unsigned kind, const char *real,
		    const char *table)
{
	size_t i;

	if (!f)
		return 1;
	if (f->exclude_kinds & kind)
		return 0;
	/* objects of no schema (event triggers) are kept */
	if (real && !rt_sx_keep_schema(f, real))
		return 0;
	for (i = 0; table && i < f->nexclude_tables; i++)
		if (table_match(f->exclude_tables[i], real, table))
			return 0;
	return 1;
}

/* The catalogs' name of a model's schema. */
static const char *real_schema(const rt_schema *s, const char *schema)
{
	if (!schema)
		return s->dialect == RT_DIALECT_POSTGRESQL ? "public"
		       : s->dialect == RT_DIALECT_MYSQL	   ? s->default_schema
							   : NULL;
	if (!*schema)
		return s->default_schema ? s->default_schema : "public";
	return schema;
}

void rt_sx_filter(rt_schema *s, const rt_schema_filter *f)
{
	size_t i, j, k;

	if (!f)
		return;
	/* the schemas themselves */
	for (i = j = 0; i < s->nschemas; i++)
		if (!(f->exclude_kinds & RT_KIND_SCHEMA) &&
		    rt_sx_keep_schema(f, s->schemas[i]))
			s->schemas[j++] = s->schemas[i];
	s->nschemas = j;
	/* tables, and the sequences they own */
	for (i = j = 0; i < s->ntables; i++) {
		rt_table *t = &s->tables[i];

		if (!rt_sx_keep_relation(f, RT_KIND_TABLE,
					 real_schema(s, t->schema), t->name))
			continue;
		if (f->exclude_kinds & RT_KIND_INDEX)
			t->nindexes = 0;
		if (f->exclude_kinds & RT_KIND_TRIGGER)
			t->ntriggers = 0;
		s->tables[j++] = *t;
	}
	s->ntables = j;
	for (i = j = 0; i < s->nviews; i++)
		if (rt_sx_keep_relation(f, RT_KIND_VIEW,
					real_schema(s, s->views[i].schema),
					s->views[i].name))
			s->views[j++] = s->views[i];
	s->nviews = j;
	for (i = j = 0; i < s->nenums; i++)
		if (!(f->exclude_kinds & RT_KIND_ENUM) &&
		    rt_sx_keep_schema(f, real_schema(s, s->enums[i].schema)))
			s->enums[j++] = s->enums[i];
	s->nenums = j;
	for (i = j = 0; i < s->nsequences; i++) {
		const rt_sequence *q = &s->sequences[i];

		if ((f->exclude_kinds & RT_KIND_SEQUENCE) ||
		    !rt_sx_keep_schema(f, real_schema(s, q->schema)))
			continue;
		if (q->owner_table &&
		    !rt_sx_keep_relation(f, RT_KIND_TABLE, q->owner_schema,
					 q->owner_table))
			continue;
		s->sequences[j++] = *q;
	}
	s->nsequences = j;
	for (i = j = 0; i < s->nextensions; i++) {
		const rt_extension *x = &s->extensions[i];

		if ((f->exclude_kinds & RT_KIND_EXTENSION) ||
		    !rt_sx_keep_schema(f, real_schema(s, x->schema)))
			continue;
		for (k = 0; k < f->nexclude_extensions; k++)
			if (fnmatch(f->exclude_extensions[k], x->name, 0) == 0)
				break;
		if (k == f->nexclude_extensions)
			s->extensions[j++] = *x;
	}
	s->nextensions = j;
}
