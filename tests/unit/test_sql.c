/* SPDX-License-Identifier: MIT */
/*
 * test_sql.c: the SQL tokenizer per dialect (quotes, dollar quotes,
 * comments, operators), emptiness, terminators, statement splitting with
 * trigger and BEGIN ATOMIC bodies, and line numbers.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "retort.h"
#include "sql/tokenize.h"
#include "util/str.h"

#define SQLITE RT_DIALECT_SQLITE
#define PG     RT_DIALECT_POSTGRESQL
#define MYSQL  RT_DIALECT_MYSQL

/*
 * The token stream as text: one letter per kind (_ space, C comment,
 * ; semicolon, W word, S string, O other) and the token in brackets.
 * Also checks that the tokens cover the input exactly.
 */
static char *tokens(rt_dialect d, const char *sql)
{
	static const char kinds[] = "_C;WSO";
	size_t len = strlen(sql), pos = 0, expect = 0;
	rt_str s = RT_STR_INIT;
	rt_sql_token tok;

	while (rt_sql_next(d, sql, len, &pos, &tok)) {
		cr_assert_eq(tok.start, expect);
		cr_assert_gt(tok.len, 0);
		cr_assert_eq(pos, tok.start + tok.len);
		expect = pos;
		if (s.len)
			rt_str_putc(&s, ' ');
		rt_str_printf(&s, "%c[%.*s]", kinds[tok.kind], (int)tok.len,
			      sql + tok.start);
	}
	cr_assert_eq(expect, len);
	cr_assert_eq(rt_sql_next(d, sql, len, &pos, &tok), 0);
	return rt_str_detach(&s);
}

static void check_tokens(rt_dialect d, const char *sql, const char *want)
{
	char *got = tokens(d, sql);

	cr_assert_str_eq(got, want, "dialect %d: %s", (int)d, sql);
	free(got);
}

Test(tokens, common)
{
	check_tokens(
	    SQLITE, "SELECT a,b FROM t;",
	    "W[SELECT] _[ ] W[a] O[,] W[b] _[ ] W[FROM] _[ ] W[t] ;[;]");
	check_tokens(PG, "x  \t\n\r\fy", "W[x] _[  \t\n\r\f] W[y]");
	check_tokens(SQLITE, "'it''s' 'a;b'", "S['it''s'] _[ ] S['a;b']");
	check_tokens(PG, "\"a\"\"b\".c", "S[\"a\"\"b\"] O[.] W[c]");
	check_tokens(SQLITE, "-- note; x\nSELECT",
		     "C[-- note; x] _[\n] W[SELECT]");
	check_tokens(SQLITE, "/* a; */b", "C[/* a; */] W[b]");
	/* numbers, operators, a comment right after an operator */
	check_tokens(PG, "1.5e-3+.5 a<>b",
		     "W[1.5e-3] W[+] W[.5] _[ ] W[a] W[<>] W[b]");
	check_tokens(PG, "a+-- c\n", "W[a] W[+] C[-- c] _[\n]");
	check_tokens(PG, "a*/* c */b", "W[a] W[*] C[/* c */] W[b]");
	check_tokens(PG, "x::int[1]", "W[x] O[:] O[:] W[int] O[[] W[1] O[]]");
	/* unterminated literals and comments run to the end */
	check_tokens(SQLITE, "SELECT 'abc;", "W[SELECT] _[ ] S['abc;]");
	check_tokens(PG, "/* abc; */ /* x", "C[/* abc; */] _[ ] C[/* x]");
	check_tokens(SQLITE, "\"ab", "S[\"ab]");
	check_tokens(SQLITE, "--", "C[--]");
	/* non-ASCII identifiers */
	check_tokens(PG, "café=1", "W[café] W[=] W[1]");
}

Test(tokens, postgresql)
{
	check_tokens(
	    PG, "$$a;'b$$ $tag$x$$y$tag$ $1+$23",
	    "S[$$a;'b$$] _[ ] S[$tag$x$$y$tag$] _[ ] W[$1] W[+] W[$23]");
	check_tokens(PG, "$a$ ; $A$;$a$", "S[$a$ ; $A$;$a$]");
	check_tokens(PG, "$_x9$;$_x9$", "S[$_x9$;$_x9$]");
	/* not dollar quotes */
	check_tokens(PG, "$a b$ $", "O[$] W[a] _[ ] W[b$] _[ ] O[$]");
	check_tokens(PG, "a$b$c", "W[a$b$c]");
	check_tokens(PG, "$$never closed;", "S[$$never closed;]");
	/* E'' strings take backslash escapes; plain ones do not */
	check_tokens(PG, "E'a\\'b;' e'\\\\' 'c\\' x",
		     "S[E'a\\'b;'] _[ ] S[e'\\\\'] _[ ] S['c\\'] _[ ] W[x]");
	check_tokens(PG, "E'it''s'", "S[E'it''s']");
	check_tokens(PG, "ME'x'", "W[ME] S['x']");
	/* nested block comments */
	check_tokens(PG, "/* a /* b; */ c; */d", "C[/* a /* b; */ c; */] W[d]");
	/* no backticks or brackets; # is an operator */
	check_tokens(PG, "`a` [b] #c",
		     "O[`] W[a] O[`] _[ ] O[[] W[b] O[]] _[ ] W[#] W[c]");
}

Test(tokens, mysql)
{
	check_tokens(MYSQL, "'a\\'b;' \"c\\\"d\" 'e''f'",
		     "S['a\\'b;'] _[ ] S[\"c\\\"d\"] _[ ] S['e''f']");
	check_tokens(MYSQL, "`a``b;c` # note;\nx",
		     "S[`a``b;c`] _[ ] C[# note;] _[\n] W[x]");
	/* -- needs a blank or control character after it */
	check_tokens(MYSQL, "1--2", "W[1] W[--] W[2]");
	check_tokens(MYSQL, "1 -- 2\n", "W[1] _[ ] C[-- 2] _[\n]");
	check_tokens(MYSQL, "--\tx", "C[--\tx]");
	check_tokens(MYSQL, "--\nx", "C[--] _[\n] W[x]");
	check_tokens(MYSQL, "x --", "W[x] _[ ] C[--]");
	/* block comments do not nest */
	check_tokens(MYSQL, "/* a /* b */ c */",
		     "C[/* a /* b */] _[ ] W[c] _[ ] W[*/]");
	/* executable comments are statement text */
	check_tokens(MYSQL, "/*!40101 SET NAMES utf8 */;",
		     "O[/*!40101 SET NAMES utf8 */] ;[;]");
	check_tokens(MYSQL, "$a", "W[$a]");
	check_tokens(MYSQL, "E'a\\'b'", "W[E] S['a\\'b']");
}

Test(tokens, sqlite)
{
	check_tokens(SQLITE, "[a;b] `c;d` \"e;f\" [g",
		     "S[[a;b]] _[ ] S[`c;d`] _[ ] S[\"e;f\"] _[ ] S[[g]");
	check_tokens(SQLITE, "'a\\' b", "S['a\\'] _[ ] W[b]");
	check_tokens(SQLITE, "$x :y @z ?1",
		     "W[$x] _[ ] O[:] W[y] _[ ] W[@] W[z] _[ ] W[?] W[1]");
	check_tokens(SQLITE, "/* a /* b */ c", "C[/* a /* b */] _[ ] W[c]");
	check_tokens(SQLITE, "E'x'", "W[E] S['x']");
}

Test(classify, is_empty)
{
	cr_assert(rt_sql_is_empty(SQLITE, "", 0));
	cr_assert(rt_sql_is_empty(SQLITE, " \n\t", 3));
	cr_assert(rt_sql_is_empty(PG, "-- c\n;; /* x; */ ;\n", 19));
	cr_assert_not(rt_sql_is_empty(SQLITE, "SELECT 1", 8));
	cr_assert_not(rt_sql_is_empty(SQLITE, "-- x\n''", 7));
	cr_assert(rt_sql_is_empty(MYSQL, "# only\n-- this\n", 15));
	cr_assert_not(rt_sql_is_empty(PG, "# only", 6));
	cr_assert_not(
	    rt_sql_is_empty(MYSQL, "/*!40101 SET NAMES utf8 */;", 27));
	/* the length bounds the text */
	cr_assert(rt_sql_is_empty(SQLITE, "  SELECT", 2));
}

Test(classify, needs_terminator)
{
	static const struct {
		rt_dialect d;
		const char *sql;
		int want;
	} cases[] = {
		{ SQLITE, "", 0 },
		{ SQLITE, "  -- only a comment\n", 0 },
		{ SQLITE, "/* x */", 0 },
		{ SQLITE, "SELECT 1", 1 },
		{ SQLITE, "SELECT 1;", 0 },
		{ SQLITE, "SELECT 1;\n-- done\n\n", 0 },
		{ SQLITE, "SELECT 1 -- ;\n", 1 },
		{ SQLITE, "SELECT 1 /* ; */", 1 },
		{ SQLITE, "SELECT ';'", 1 },
		{ SQLITE, "; ", 0 },
		{ SQLITE, "SELECT 1; SELECT 2", 1 },
		{ PG, "SELECT $$;$$", 1 },
		{ PG, "CREATE FUNCTION f() BEGIN ATOMIC SELECT 1; END", 1 },
		{ MYSQL, "SELECT 1 # ;", 1 },
		{ MYSQL, "SELECT 1; # x", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(rt_sql_needs_terminator(cases[i].d, cases[i].sql,
						     strlen(cases[i].sql)),
			     cases[i].want, "%s", cases[i].sql);
}

/* The statements as "line:text" joined by " | ". */
static char *split(rt_dialect d, const char *sql)
{
	rt_sql_stmt *stmts = NULL;
	rt_str s = RT_STR_INIT;
	size_t n = 99, i;

	cr_assert_eq(rt_sql_split(d, sql, strlen(sql), &stmts, &n), 0);
	if (!n)
		cr_assert_null(stmts);
	for (i = 0; i < n; i++) {
		cr_assert_eq(stmts[i].line,
			     rt_sql_line_of(sql, strlen(sql), stmts[i].start));
		rt_str_printf(&s, "%s%u:%.*s", i ? " | " : "", stmts[i].line,
			      (int)stmts[i].len, sql + stmts[i].start);
	}
	free(stmts);
	return rt_str_detach(&s);
}

static void check_split(rt_dialect d, const char *sql, const char *want)
{
	char *got = split(d, sql);

	cr_assert_str_eq(got, want, "dialect %d: %s", (int)d, sql);
	free(got);
}

Test(split, statements_and_lines)
{
	check_split(SQLITE,
		    "  -- header\n"
		    "SELECT 1;\n"
		    "\n"
		    "  INSERT INTO t VALUES ('a;b'); ; \n"
		    "/* c */ UPDATE t\n"
		    "   SET a = 1 -- trailing\n",
		    "2:SELECT 1 | 4:INSERT INTO t VALUES ('a;b') | 5:UPDATE t\n"
		    "   SET a = 1");
	/* comments in the middle stay */
	check_split(PG, "SELECT /* x; */ 1 -- y;\n + 2;",
		    "1:SELECT /* x; */ 1 -- y;\n + 2");
	/* multi-line literals count toward later lines */
	check_split(PG, "SELECT 'a\nb';\nSELECT $$\n;\n$$;\n\nSELECT 3",
		    "1:SELECT 'a\nb' | 3:SELECT $$\n;\n$$ | 7:SELECT 3");
	/* an unterminated last statement */
	check_split(SQLITE, "SELECT 1; SELECT 'abc;",
		    "1:SELECT 1 | 1:SELECT 'abc;");
	check_split(MYSQL, "SELECT 'a\\';b'; SELECT 2 # c;\n",
		    "1:SELECT 'a\\';b' | 1:SELECT 2");
	check_split(MYSQL, "/*!40101 SET NAMES utf8 */;\nSELECT 1",
		    "1:/*!40101 SET NAMES utf8 */ | 2:SELECT 1");
}

Test(split, nothing)
{
	check_split(SQLITE, "", "");
	check_split(SQLITE, " ;; -- x\n ; /* y */", "");
	check_split(PG, "\n\n", "");
}

Test(split, sqlite_triggers)
{
	check_split(
	    SQLITE,
	    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
	    "  UPDATE t SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END;\n"
	    "  INSERT INTO log VALUES (new.end, new.begin);\n"
	    "END;\n"
	    "SELECT 1;",
	    "1:CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
	    "  UPDATE t SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END;\n"
	    "  INSERT INTO log VALUES (new.end, new.begin);\n"
	    "END | 5:SELECT 1");
	check_split(
	    SQLITE,
	    "create temp trigger a before delete on t begin select 1; end;"
	    "Create Temporary Trigger If Not Exists b after update on t "
	    "when case when 1 then 1 end begin select 2; end;",
	    "1:create temp trigger a before delete on t begin select 1; end"
	    " | 1:Create Temporary Trigger If Not Exists b after update on t "
	    "when case when 1 then 1 end begin select 2; end");
	/* BEGIN outside a trigger is a transaction */
	check_split(SQLITE, "BEGIN; CREATE TABLE t (a); END;",
		    "1:BEGIN | 1:CREATE TABLE t (a) | 1:END");
	check_split(SQLITE, "CREATE TABLE \"trigger\" (a); SELECT 1",
		    "1:CREATE TABLE \"trigger\" (a) | 1:SELECT 1");
	/* the ';' of a body never closed stays in the statement */
	check_split(SQLITE, "CREATE TRIGGER x BEGIN SELECT 1; SELECT 2;",
		    "1:CREATE TRIGGER x BEGIN SELECT 1; SELECT 2;");
	/* MySQL too (its own rules: test mysql_bodies) */
	check_split(MYSQL, "CREATE TRIGGER t BEGIN SELECT 1; END;",
		    "1:CREATE TRIGGER t BEGIN SELECT 1; END");
	/* not on PostgreSQL, where a trigger has no body of its own */
	check_split(PG, "CREATE TRIGGER t BEGIN SELECT 1; END;",
		    "1:CREATE TRIGGER t BEGIN SELECT 1 | 1:END");
}

Test(split, mysql_delimiter)
{
	/* as the mysql client: DELIMITER lines belong to no statement */
	check_split(MYSQL,
		    "CREATE TABLE t (a int);\n"
		    "DELIMITER $$\n"
		    "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';$$'; END$$\n"
		    "DELIMITER ;\n"
		    "CALL p();\n",
		    "1:CREATE TABLE t (a int) | 3:CREATE PROCEDURE p() BEGIN "
		    "SELECT 1; SELECT ';$$'; END | 5:CALL p()");
	/* a delimiter of several characters, anywhere in a token, ';'
	 * inside comments and strings, lower case */
	check_split(MYSQL,
		    "delimiter //\n"
		    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\n"
		    "BEGIN SET NEW.a = 1; # ; // in a comment\n"
		    "END//\n"
		    "SELECT 1 //\n"
		    "SELECT 2",
		    "2:CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\n"
		    "BEGIN SET NEW.a = 1; # ; // in a comment\n"
		    "END | 5:SELECT 1 | 6:SELECT 2");
	/* ";;" as delimiter: one ';' does not end a statement */
	check_split(MYSQL, "DELIMITER ;;\nSELECT 1; SELECT 2;;\nSELECT 3",
		    "2:SELECT 1; SELECT 2 | 3:SELECT 3");
	/* DELIMITER must start a line and a statement */
	check_split(MYSQL, "SELECT delimiter FROM t;\nSELECT 1 delimiter x;",
		    "1:SELECT delimiter FROM t | 2:SELECT 1 delimiter x");
	/* not a word of the other dialects */
	check_split(PG, "DELIMITER $$\nSELECT 1$$",
		    "1:DELIMITER $$\nSELECT 1$$");
}

Test(split, mysql_bodies)
{
	/* without DELIMITER: BEGIN ... END holds its ';', compound
	 * statements nest (END IF, END LOOP, END WHILE, END REPEAT, END
	 * CASE), DEFINER and OR REPLACE come first */
	check_split(
	    MYSQL,
	    "CREATE DEFINER=`u`@`%` PROCEDURE p(IN n INT)\n"
	    "BEGIN\n"
	    "  IF n > 0 THEN SELECT 1; ELSE SELECT IF(n, 2, 3); END IF;\n"
	    "  l: LOOP LEAVE l; END LOOP l;\n"
	    "  WHILE n > 0 DO SET n = n - 1; END WHILE;\n"
	    "  REPEAT SET n = n + 1; UNTIL n > 3 END REPEAT;\n"
	    "  CASE n WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n"
	    "END;\n"
	    "SELECT 2;",
	    "1:CREATE DEFINER=`u`@`%` PROCEDURE p(IN n INT)\n"
	    "BEGIN\n"
	    "  IF n > 0 THEN SELECT 1; ELSE SELECT IF(n, 2, 3); END IF;\n"
	    "  l: LOOP LEAVE l; END LOOP l;\n"
	    "  WHILE n > 0 DO SET n = n - 1; END WHILE;\n"
	    "  REPEAT SET n = n + 1; UNTIL n > 3 END REPEAT;\n"
	    "  CASE n WHEN 1 THEN SELECT 1; ELSE BEGIN END; END CASE;\n"
	    "END | 9:SELECT 2");
	check_split(MYSQL,
		    "CREATE OR REPLACE FUNCTION f() RETURNS INT BEGIN "
		    "RETURN 1; END; CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO "
		    "BEGIN DELETE FROM t; END; SELECT 3",
		    "1:CREATE OR REPLACE FUNCTION f() RETURNS INT BEGIN "
		    "RETURN 1; END | 1:CREATE EVENT e ON SCHEDULE EVERY 1 DAY "
		    "DO BEGIN DELETE FROM t; END | 1:SELECT 3");
	/* a trigger without BEGIN, and tables, are plain statements */
	check_split(MYSQL,
		    "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET "
		    "NEW.a = 1; CREATE TABLE `begin` (a int); SELECT 1",
		    "1:CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET "
		    "NEW.a = 1 | 1:CREATE TABLE `begin` (a int) | 1:SELECT 1");
}

Test(split, postgresql_bodies)
{
	check_split(PG,
		    "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
		    "BEGIN ATOMIC\n"
		    "  SELECT 1;\n"
		    "  SELECT CASE WHEN true THEN 2 END;\n"
		    "END;\n"
		    "SELECT 3;",
		    "1:CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
		    "BEGIN ATOMIC\n"
		    "  SELECT 1;\n"
		    "  SELECT CASE WHEN true THEN 2 END;\n"
		    "END | 6:SELECT 3");
	check_split(
	    PG,
	    "create or replace procedure p() language sql begin atomic "
	    "insert into t values (1); end; select 1",
	    "1:create or replace procedure p() language sql begin atomic "
	    "insert into t values (1); end | 1:select 1");
	check_split(PG,
		    "CREATE FUNCTION f() RETURNS trigger AS $$\n"
		    "BEGIN NEW.x := 1; RETURN NEW; END;\n"
		    "$$ LANGUAGE plpgsql;\n"
		    "SELECT 1;",
		    "1:CREATE FUNCTION f() RETURNS trigger AS $$\n"
		    "BEGIN NEW.x := 1; RETURN NEW; END;\n"
		    "$$ LANGUAGE plpgsql | 4:SELECT 1");
	/* BEGIN elsewhere is a transaction */
	check_split(PG, "BEGIN; SELECT 1; COMMIT;",
		    "1:BEGIN | 1:SELECT 1 | 1:COMMIT");
	check_split(PG, "CREATE TABLE t (a int); BEGIN; END;",
		    "1:CREATE TABLE t (a int) | 1:BEGIN | 1:END");
	/* as psql: a ';' inside parentheses does not split */
	check_split(PG, "SELECT (1; 2); SELECT 3",
		    "1:SELECT (1; 2) | 1:SELECT 3");
	check_split(SQLITE, "SELECT (1; 2); SELECT 3",
		    "1:SELECT (1 | 1:2) | 1:SELECT 3");
}

Test(split, line_of)
{
	const char *sql = "a\nb\nc";

	cr_assert_eq(rt_sql_line_of(sql, 5, 0), 1);
	cr_assert_eq(rt_sql_line_of(sql, 5, 1), 1);
	cr_assert_eq(rt_sql_line_of(sql, 5, 2), 2);
	cr_assert_eq(rt_sql_line_of(sql, 5, 4), 3);
	cr_assert_eq(rt_sql_line_of(sql, 5, 5), 3);
	cr_assert_eq(rt_sql_line_of(sql, 5, 500), 3);
	cr_assert_eq(rt_sql_line_of(sql, 2, 4), 2);
	cr_assert_eq(rt_sql_line_of("", 0, 0), 1);
}

Test(tokens, cover_every_input)
{
	/* every prefix of a tricky text tokenizes into contiguous tokens */
	static const char text[] =
	    "E'\\'' $a$ $$ $1 /* /* */ -- \n # x\n `a` [b \"c\"\"\" 'd''"
	    " 1.5e+ a$ -- /*! x */ --\t; -";
	rt_dialect d;
	size_t n;

	for (d = SQLITE; d <= MYSQL; d++) {
		for (n = 0; n < sizeof(text); n++) {
			char *cut = strndup(text, n);
			char *got = tokens(d, cut);

			free(got);
			free(cut);
		}
	}
}
