/* SPDX-License-Identifier: MIT */
/*
 * Stage lint/: revision sections in, findings out. Takes the parsed
 * revisions (script/), their statements read with the tokenizer (sql/)
 * and, from its caller, the order the graph (graph/) runs them in; gives
 * retort_lint_finding records (retort.h). It never connects to a
 * database: what the earlier revisions built is tracked from their
 * CREATE/ALTER/DROP statements (track.h). Uses util/, sql/, script/ and
 * graph/; api/ drives it.
 *
 * rules.h: the rule table. Every rule has a stable id (what nolint
 * comments and retort.ini name), a default severity, the dialects it
 * applies to, whether it applies to downgrade sections, and a summary.
 * docs/lint.md documents each one; `retort lint --list-rules` prints this
 * table (tests/cli/lint.bats checks that every id is in the docs).
 */
#ifndef RT_LINT_RULES_H
#define RT_LINT_RULES_H

#include <stddef.h>

#include "retort.h"
#include "sql/dialect.h"

typedef enum rt_lint_rule {
	RT_LR_DROP_TABLE,
	RT_LR_DROP_COLUMN,
	RT_LR_DROP_SCHEMA,
	RT_LR_TRUNCATE,
	RT_LR_DELETE_NO_WHERE,
	RT_LR_UPDATE_NO_WHERE,
	RT_LR_ADD_NOT_NULL,
	RT_LR_NARROW_TYPE,
	RT_LR_ADD_UNIQUE,
	RT_LR_CREATE_INDEX,
	RT_LR_ADD_FK,
	RT_LR_ADD_CHECK,
	RT_LR_SET_NOT_NULL,
	RT_LR_ALTER_TYPE,
	RT_LR_VOLATILE_DEFAULT,
	RT_LR_CONCURRENTLY_TX,
	RT_LR_ENUM_VALUE_TX,
	RT_LR_LOCK_TIMEOUT,
	RT_LR_MISSING_DOWNGRADE,
	RT_LR_NON_IDEMPOTENT,
	RT_LR_SQLITE_ALTER,
	RT_LR_NOLINT_REASON,
	RT_LR_COUNT
} rt_lint_rule;

/* Dialect bits of rt_lint_rule_info.dialects. */
#define RT_LD_SQLITE (1u << RT_DIALECT_SQLITE)
#define RT_LD_PG     (1u << RT_DIALECT_POSTGRESQL)
#define RT_LD_MYSQL  (1u << RT_DIALECT_MYSQL)
#define RT_LD_ALL    (RT_LD_SQLITE | RT_LD_PG | RT_LD_MYSQL)

typedef struct rt_lint_rule_info {
	const char *id;
	retort_lint_severity severity; /* default; OFF: only when enabled */
	unsigned dialects;	       /* RT_LD_* bits */
	int downgrade;		       /* also checked in downgrade sections */
	const char *summary;
} rt_lint_rule_info;

/* The rule's entry (rule < RT_LR_COUNT). */
const rt_lint_rule_info *rt_lint_rule_get(rt_lint_rule rule);

/* The rule named by the n bytes at id, or -1. */
int rt_lint_rule_find(const char *id, size_t n);

/* "error", "warning", "off". */
const char *rt_lint_severity_name(retort_lint_severity s);

/* Parse a severity name (any case); -1 when it is none. */
int rt_lint_severity_parse(const char *s);

#endif
