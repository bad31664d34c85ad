/* SPDX-License-Identifier: MIT */
/*
 * rules.c: the rule table (rules.h). The order is that of the enum, which
 * is also the order `retort lint --list-rules` and docs/lint.md use.
 * Changing an id breaks the nolint comments and retort.ini files that
 * name it: ids are stable once released.
 */
#include "lint/rules.h"

#include <string.h>
#include <strings.h>

static const rt_lint_rule_info rules[RT_LR_COUNT] = {
	[RT_LR_DROP_TABLE] = { "drop-table", RETORT_LINT_ERROR, RT_LD_ALL, 0,
			       "DROP TABLE of a table that holds data" },
	[RT_LR_DROP_COLUMN] = { "drop-column", RETORT_LINT_ERROR, RT_LD_ALL, 0,
				"ALTER TABLE ... DROP COLUMN" },
	[RT_LR_DROP_SCHEMA] = { "drop-schema", RETORT_LINT_ERROR, RT_LD_ALL, 0,
				"DROP SCHEMA or DROP DATABASE" },
	[RT_LR_TRUNCATE] = { "truncate", RETORT_LINT_ERROR, RT_LD_ALL, 0,
			     "TRUNCATE of a table that holds data" },
	[RT_LR_DELETE_NO_WHERE] = { "delete-without-where", RETORT_LINT_ERROR,
				    RT_LD_ALL, 0,
				    "DELETE without a WHERE clause" },
	[RT_LR_UPDATE_NO_WHERE] = { "update-without-where", RETORT_LINT_ERROR,
				    RT_LD_ALL, 0,
				    "UPDATE without a WHERE clause" },
	[RT_LR_ADD_NOT_NULL] = { "add-not-null-column", RETORT_LINT_ERROR,
				 RT_LD_SQLITE | RT_LD_PG, 1,
				 "ADD COLUMN ... NOT NULL without a DEFAULT" },
	[RT_LR_NARROW_TYPE] = { "narrow-type", RETORT_LINT_WARNING,
				RT_LD_PG | RT_LD_MYSQL, 1,
				"a column's type made narrower" },
	[RT_LR_ADD_UNIQUE] = { "add-unique", RETORT_LINT_WARNING, RT_LD_ALL, 1,
			       "a UNIQUE or PRIMARY KEY on existing rows" },
	[RT_LR_CREATE_INDEX] = { "create-index-not-concurrent",
				 RETORT_LINT_ERROR, RT_LD_PG, 1,
				 "CREATE INDEX without CONCURRENTLY" },
	[RT_LR_ADD_FK] = { "add-foreign-key-not-valid", RETORT_LINT_ERROR,
			   RT_LD_PG, 1, "ADD FOREIGN KEY without NOT VALID" },
	[RT_LR_ADD_CHECK] = { "add-check-not-valid", RETORT_LINT_ERROR,
			      RT_LD_PG, 1, "ADD CHECK without NOT VALID" },
	[RT_LR_SET_NOT_NULL] = { "set-not-null", RETORT_LINT_ERROR, RT_LD_PG, 1,
				 "SET NOT NULL without a validated CHECK" },
	[RT_LR_ALTER_TYPE] = { "alter-column-type", RETORT_LINT_ERROR, RT_LD_PG,
			       1,
			       "ALTER COLUMN ... TYPE that rewrites the "
			       "table" },
	[RT_LR_VOLATILE_DEFAULT] = { "volatile-default", RETORT_LINT_ERROR,
				     RT_LD_PG, 1,
				     "ADD COLUMN whose default rewrites the "
				     "table" },
	[RT_LR_CONCURRENTLY_TX] = { "concurrently-in-transaction",
				    RETORT_LINT_ERROR, RT_LD_PG, 1,
				    "CONCURRENTLY in a transactional section" },
	[RT_LR_ENUM_VALUE_TX] = { "enum-value-in-transaction",
				  RETORT_LINT_WARNING, RT_LD_PG, 1,
				  "ALTER TYPE ... ADD VALUE in a transactional "
				  "section" },
	[RT_LR_LOCK_TIMEOUT] = { "lock-timeout", RETORT_LINT_WARNING,
				 RT_LD_PG | RT_LD_MYSQL, 1,
				 "a locking statement without SET "
				 "lock_timeout before it" },
	[RT_LR_MISSING_DOWNGRADE] = { "missing-downgrade", RETORT_LINT_WARNING,
				      RT_LD_ALL, 1,
				      "an empty downgrade section without "
				      "noop" },
	[RT_LR_NON_IDEMPOTENT] = { "require-if-not-exists", RETORT_LINT_OFF,
				   RT_LD_ALL, 1,
				   "CREATE without IF NOT EXISTS, DROP "
				   "without IF EXISTS" },
	[RT_LR_SQLITE_ALTER] = { "sqlite-alter", RETORT_LINT_ERROR,
				 RT_LD_SQLITE, 1,
				 "an ALTER TABLE that SQLite cannot do" },
	[RT_LR_NOLINT_REASON] = { "nolint-reason", RETORT_LINT_ERROR, RT_LD_ALL,
				  1,
				  "a retort:nolint comment without a reason" },
};

const rt_lint_rule_info *rt_lint_rule_get(rt_lint_rule rule)
{
	return (unsigned)rule < RT_LR_COUNT ? &rules[rule] : NULL;
}

int rt_lint_rule_find(const char *id, size_t n)
{
	int i;

	for (i = 0; i < RT_LR_COUNT; i++)
		if (strlen(rules[i].id) == n && !strncmp(rules[i].id, id, n))
			return i;
	return -1;
}

const char *rt_lint_severity_name(retort_lint_severity s)
{
	switch (s) {
	case RETORT_LINT_ERROR:
		return "error";
	case RETORT_LINT_WARNING:
		return "warning";
	default:
		return "off";
	}
}

int rt_lint_severity_parse(const char *s)
{
	if (!strcasecmp(s, "error"))
		return RETORT_LINT_ERROR;
	if (!strcasecmp(s, "warning"))
		return RETORT_LINT_WARNING;
	if (!strcasecmp(s, "off"))
		return RETORT_LINT_OFF;
	return -1;
}
