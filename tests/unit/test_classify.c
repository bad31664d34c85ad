/* SPDX-License-Identifier: MIT */
/*
 * test_classify.c: sql/classify.c, the statement kinds the runner refuses
 * in sections: transaction control and COPY with client data, read from
 * word tokens only.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "sql/classify.h"

#define K(d, s) rt_sql_classify(d, s, strlen(s))
#define PG	RT_DIALECT_POSTGRESQL
#define LITE	RT_DIALECT_SQLITE

Test(classify, transaction_control)
{
	static const char *const tx[] = {
		"BEGIN",
		"begin transaction",
		"BEGIN IMMEDIATE",
		"COMMIT",
		"commit work",
		"END",
		"END TRANSACTION",
		"ROLLBACK",
		"ROLLBACK WORK",
		"START TRANSACTION ISOLATION LEVEL SERIALIZABLE",
		"ABORT",
		"PREPARE TRANSACTION 'x'",
		"COMMIT PREPARED 'x'",
		"ROLLBACK PREPARED 'x'",
		"/* c */ -- d\n COMMIT"
	};
	size_t i;

	for (i = 0; i < sizeof(tx) / sizeof(*tx); i++) {
		cr_expect_eq(K(PG, tx[i]), RT_SQL_TX_CONTROL, "%s", tx[i]);
		cr_expect_eq(K(LITE, tx[i]), RT_SQL_TX_CONTROL, "%s", tx[i]);
	}
}

Test(classify, plain_statements)
{
	static const char *const plain[] = {
		"ROLLBACK TO SAVEPOINT a",
		"ROLLBACK TRANSACTION TO a",
		"SAVEPOINT a",
		"RELEASE a",
		"SELECT 'COMMIT'",
		"CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END",
		"DO $$ BEGIN PERFORM 1; END $$",
		"PREPARE q AS SELECT 1",
		"COPY t FROM '/srv/data.csv'",
		"INSERT INTO begin VALUES (1)"
	};
	size_t i;

	for (i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		cr_expect_eq(K(PG, plain[i]), RT_SQL_PLAIN, "%s", plain[i]);
}

Test(classify, copy_with_client_data)
{
	cr_expect_eq(K(PG, "COPY t (a, b) FROM stdin"), RT_SQL_COPY_CLIENT);
	cr_expect_eq(K(PG, "copy t from STDIN with (format csv)"),
		     RT_SQL_COPY_CLIENT);
	cr_expect_eq(K(PG, "COPY (SELECT 1) TO STDOUT"), RT_SQL_COPY_CLIENT);
	cr_expect_eq(K(PG, "COPY t TO '/tmp/x'"), RT_SQL_PLAIN);
	cr_expect_eq(K(PG, "SELECT 'COPY t FROM stdin'"), RT_SQL_PLAIN);
}

Test(classify, find_reports_the_line_and_words)
{
	static const char sql[] = "CREATE TABLE a (id int);\n"
				  "INSERT INTO a VALUES ('COMMIT');\n"
				  "\n"
				  "commit;\n";
	unsigned line = 0;
	char word[32];

	cr_assert_eq(rt_sql_find_kind(PG, sql, strlen(sql),
				      1u << RT_SQL_TX_CONTROL, &line, word),
		     RT_SQL_TX_CONTROL);
	cr_expect_eq(line, 4);
	cr_expect_str_eq(word, "COMMIT");
	cr_expect_eq(rt_sql_find_kind(PG, sql, strlen(sql),
				      1u << RT_SQL_COPY_CLIENT, &line, word),
		     RT_SQL_PLAIN);
}

/* which MySQL statements share a transaction instead of committing it */
static int keeps(const char *s)
{
	return rt_sql_keeps_transaction(RT_DIALECT_MYSQL, s, strlen(s));
}

Test(classify, keeps_transaction)
{
	cr_expect(keeps("INSERT INTO t VALUES (1)"));
	cr_expect(keeps("  update t SET a = 1"));
	cr_expect(keeps("/* x */ DELETE FROM t"));
	cr_expect(keeps("REPLACE INTO t VALUES (1)"));
	cr_expect(keeps("WITH x AS (SELECT 1) SELECT * FROM x"));
	cr_expect(keeps("SELECT SLEEP(1)"));
	cr_expect(keeps("SAVEPOINT a"));
	cr_expect(keeps("ROLLBACK TO SAVEPOINT a"));
	cr_expect(keeps("ROLLBACK WORK TO a"));
	cr_expect(keeps("RELEASE SAVEPOINT a"));
	/* DDL and everything else may commit: its own unit */
	cr_expect(!keeps("CREATE TABLE t (a int)"));
	cr_expect(!keeps("ALTER TABLE t ADD b int"));
	cr_expect(!keeps("DROP TABLE t"));
	cr_expect(!keeps("TRUNCATE t"));
	cr_expect(!keeps("RENAME TABLE a TO b"));
	cr_expect(!keeps("CALL p()"));
	cr_expect(!keeps("SET autocommit = 1"));
	cr_expect(!keeps("LOCK TABLES t WRITE"));
	cr_expect(!keeps("COMMIT"));
	cr_expect(!keeps("ROLLBACK"));
	cr_expect(!keeps("START TRANSACTION"));
	cr_expect(!keeps("/*!40101 SET NAMES utf8 */"));
	cr_expect(!keeps(""));
}
