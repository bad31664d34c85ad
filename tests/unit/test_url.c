/* SPDX-License-Identifier: MIT */
/*
 * test_url.c: SQLAlchemy-style database URLs: parsing (dialects, drivers,
 * userinfo with '@' and ':', IPv6 and socket hosts, ports, sqlite paths,
 * query parameters), rebuilding with the password masked, masking of
 * unparseable text, and every error message in full; for PostgreSQL,
 * several hosts, libpq's key/value strings, and the libpq keywords that
 * the parameters of each SQLAlchemy driver become (url_pg.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "project/url.h"
#include "project/url_pg.h"
#include "retort.h"

static rt_url parse(const char *text)
{
	rt_err err = RT_ERR_INIT;
	rt_url u;
	int rc = rt_url_parse(&u, text, &err);

	cr_assert_eq(rc, 0, "parse '%s' failed: %s", text, rt_err_msg(&err));
	rt_err_dispose(&err);
	return u;
}

static void expect_error(const char *text, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_url u;
	int rc = rt_url_parse(&u, text, &err);

	cr_assert_eq(rc, RETORT_ECONFIG, "expected '%s' to fail", text);
	cr_assert_str_eq(rt_err_msg(&err), msg);
	/* a failed parse leaves nothing behind */
	cr_assert_null(u.scheme);
	cr_assert_null(u.password);
	cr_assert_null(u.params);
	cr_assert_eq(u.nparams, 0);
	rt_err_dispose(&err);
}

static void expect_display(const char *text, const char *want)
{
	rt_str out = RT_STR_INIT;
	rt_url u = parse(text);

	cr_assert_eq(rt_url_display(&out, &u), 0);
	cr_assert_str_eq(rt_str_cstr(&out), want, "display of '%s'", text);
	rt_str_dispose(&out);
	rt_url_dispose(&u);
}

static void expect_mask(const char *text, const char *want)
{
	rt_str out = RT_STR_INIT;

	cr_assert_eq(rt_url_mask(&out, text), 0);
	cr_assert_str_eq(rt_str_cstr(&out), want, "mask of '%s'", text);
	rt_str_dispose(&out);
}

#define cr_assert_str_or_null(a, b)                 \
	do {                                        \
		if ((b) == NULL)                    \
			cr_assert_null(a);          \
		else                                \
			cr_assert_str_eq((a), (b)); \
	} while (0)

/* ------------------------------------------------------------------ */
/* SQLite */

Test(url, sqlite_paths)
{
	rt_url u = parse("sqlite:///rel.db");

	cr_assert_eq(u.dialect, RT_DIALECT_SQLITE);
	cr_assert_str_eq(u.scheme, "sqlite");
	cr_assert_null(u.driver);
	cr_assert_null(u.host);
	cr_assert_null(u.username);
	cr_assert_null(u.password);
	cr_assert_eq(u.port, 0);
	cr_assert_str_eq(u.database, "rel.db");
	cr_assert_not(rt_url_is_memory(&u));
	rt_url_dispose(&u);

	u = parse("sqlite:////abs/p.db");
	cr_assert_str_eq(u.database, "/abs/p.db");
	cr_assert_not(rt_url_is_memory(&u));
	rt_url_dispose(&u);

	u = parse("sqlite:///sub/dir/app.db?mode=ro");
	cr_assert_str_eq(u.database, "sub/dir/app.db");
	cr_assert_str_eq(rt_url_param_get(&u, "mode"), "ro");
	rt_url_dispose(&u);

	u = parse("sqlite:///my%20app.db");
	cr_assert_str_eq(u.database, "my app.db");
	rt_url_dispose(&u);
}

Test(url, sqlite_memory)
{
	static const char *const mem[] = { "sqlite://",
					   "sqlite:///:memory:", "sqlite:///",
					   "sqlite+pysqlite://" };
	size_t i;

	for (i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
		rt_url u = parse(mem[i]);

		cr_assert(rt_url_is_memory(&u), "%s", mem[i]);
		rt_url_dispose(&u);
	}
}

Test(url, sqlite_with_a_host_is_an_error)
{
	expect_error(
	    "sqlite://app.db",
	    "invalid database url 'sqlite://app.db': a sqlite url has no host "
	    "(write sqlite:///relative.db or sqlite:////absolute/path.db)");
	expect_error("sqlite://u:secret@h/x.db",
		     "invalid database url 'sqlite://u:***@h/x.db': a sqlite "
		     "url has no host (write sqlite:///relative.db or "
		     "sqlite:////absolute/path.db)");
}

/* ------------------------------------------------------------------ */
/* Server URLs */

Test(url, postgresql_full)
{
	rt_url u = parse("postgresql://alice:s3cret@db.example.com:5433/"
			 "app?sslmode=require&application_name=retort");

	cr_assert_eq(u.dialect, RT_DIALECT_POSTGRESQL);
	cr_assert_str_eq(u.scheme, "postgresql");
	cr_assert_null(u.driver);
	cr_assert_str_eq(u.username, "alice");
	cr_assert_str_eq(u.password, "s3cret");
	cr_assert_str_eq(u.host, "db.example.com");
	cr_assert_eq(u.port, 5433);
	cr_assert_str_eq(u.database, "app");
	cr_assert_eq(u.nparams, 2);
	cr_assert_str_eq(u.params[0].key, "sslmode");
	cr_assert_str_eq(u.params[0].value, "require");
	cr_assert_str_eq(rt_url_param_get(&u, "application_name"), "retort");
	cr_assert_null(rt_url_param_get(&u, "nope"));
	cr_assert_not(rt_url_is_memory(&u));
	rt_url_dispose(&u);
}

Test(url, dialects_and_drivers)
{
	static const struct {
		const char *text, *scheme, *driver;
		rt_dialect d;
	} cases[] = {
		{ "postgresql://h/db", "postgresql", NULL,
		  RT_DIALECT_POSTGRESQL },
		{ "postgres://h/db", "postgres", NULL, RT_DIALECT_POSTGRESQL },
		{ "pgsql://h/db", "pgsql", NULL, RT_DIALECT_POSTGRESQL },
		{ "postgresql+asyncpg://h/db", "postgresql+asyncpg", "asyncpg",
		  RT_DIALECT_POSTGRESQL },
		{ "postgresql+psycopg2://h/db", "postgresql+psycopg2",
		  "psycopg2", RT_DIALECT_POSTGRESQL },
		{ "mysql://h/db", "mysql", NULL, RT_DIALECT_MYSQL },
		{ "mysql+pymysql://h/db", "mysql+pymysql", "pymysql",
		  RT_DIALECT_MYSQL },
		{ "mariadb+mariadbconnector://h/db", "mariadb+mariadbconnector",
		  "mariadbconnector", RT_DIALECT_MYSQL },
		{ "sqlite+pysqlite:///a.db", "sqlite+pysqlite", "pysqlite",
		  RT_DIALECT_SQLITE },
		{ "PostgreSQL://h/db", "PostgreSQL", NULL,
		  RT_DIALECT_POSTGRESQL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_url u = parse(cases[i].text);

		cr_assert_eq(u.dialect, cases[i].d, "%s", cases[i].text);
		cr_assert_str_eq(u.scheme, cases[i].scheme);
		cr_assert_str_or_null(u.driver, cases[i].driver);
		rt_url_dispose(&u);
	}
}

Test(url, dialect_names)
{
	cr_assert_str_eq(rt_dialect_name(RT_DIALECT_SQLITE), "sqlite");
	cr_assert_str_eq(rt_dialect_name(RT_DIALECT_POSTGRESQL), "postgresql");
	cr_assert_str_eq(rt_dialect_name(RT_DIALECT_MYSQL), "mysql");
}

Test(url, passwords_with_at_signs_and_colons)
{
	static const char *const same[] = {
		"postgresql://u:p%40ss@h/db",
		"postgresql://u:p@ss@h/db",
	};
	rt_url u;
	size_t i;

	for (i = 0; i < 2; i++) {
		u = parse(same[i]);
		cr_assert_str_eq(u.username, "u", "%s", same[i]);
		cr_assert_str_eq(u.password, "p@ss", "%s", same[i]);
		cr_assert_str_eq(u.host, "h");
		cr_assert_str_eq(u.database, "db");
		rt_url_dispose(&u);
	}
	u = parse("mysql://u%3Aser:pa:ss%3F%23%2F@h:3307");
	cr_assert_str_eq(u.username, "u:ser");
	cr_assert_str_eq(u.password, "pa:ss?#/");
	cr_assert_str_eq(u.host, "h");
	cr_assert_eq(u.port, 3307);
	cr_assert_null(u.database);
	rt_url_dispose(&u);
	/* an empty password is a password */
	u = parse("postgresql://u:@h/db");
	cr_assert_str_eq(u.username, "u");
	cr_assert_str_eq(u.password, "");
	rt_url_dispose(&u);
	/* user only */
	u = parse("postgresql://bob@h");
	cr_assert_str_eq(u.username, "bob");
	cr_assert_null(u.password);
	cr_assert_null(u.database);
	rt_url_dispose(&u);
}

/* The authority (userinfo, host, port) ends at the first '/', '?' or '#':
 * an '@' in the query or after a '#' is not the end of a password. */
Test(url, authority_ends_at_slash_query_or_fragment)
{
	rt_url u = parse("postgresql://u:pw@127.0.0.1:1?application_name=x@y");

	cr_assert_str_eq(u.username, "u");
	cr_assert_str_eq(u.password, "pw");
	cr_assert_str_eq(u.host, "127.0.0.1");
	cr_assert_eq(u.port, 1);
	cr_assert_null(u.database);
	cr_assert_eq(u.nparams, 1);
	cr_assert_str_eq(rt_url_param_get(&u, "application_name"), "x@y");
	rt_url_dispose(&u);

	u = parse("postgresql://h?k=a%40b&next=u@v:w");
	cr_assert_null(u.username);
	cr_assert_null(u.password);
	cr_assert_str_eq(u.host, "h");
	cr_assert_str_eq(rt_url_param_get(&u, "k"), "a@b");
	cr_assert_str_eq(rt_url_param_get(&u, "next"), "u@v:w");
	rt_url_dispose(&u);

	u = parse("mysql://u%3Aser:pa:ss%3F%23%2F@h:3307");
	cr_assert_str_eq(u.username, "u:ser");
	cr_assert_str_eq(u.password, "pa:ss?#/");
	cr_assert_str_eq(u.host, "h");
	cr_assert_eq(u.port, 3307);
	rt_url_dispose(&u);

	/* a raw '?' or '#' in a password ends the authority, as '/' does */
	expect_error("postgresql://u:pa?ss@h/db",
		     "invalid database url 'postgresql://u:***@h/db': bad port "
		     "(write a '?' in the password as %3F)");
	expect_error("postgresql://u:pa#ss@h/db",
		     "invalid database url 'postgresql://u:***@h/db': bad port "
		     "(write a '#' in the password as %23)");
	expect_error("postgresql://h#x@y/db",
		     "invalid database url 'postgresql://h#x@y/db': "
		     "unexpected text after the host");
}

/* What rt_url_display() shows parses back to the same parts (the fuzz
 * invariant of fuzz_config.c), '@' in query values included. */
Test(url, display_parses_back)
{
	static const char *const urls[] = {
		"postgresql://u:pw@127.0.0.1:1?application_name=x@y",
		"postgresql://u:pw@h?k=a%40b",
		"postgresql://h?k=a%40b",
		"postgresql://h/db?k%40=v%40&%40=%3F%23%26%3D",
		"mysql://u%3Aser:pa%3F%23%2F@h:3307/d%40b",
		"postgresql://[::1]:5432/db?host=/tmp/x@y",
		"sqlite:///a@b.db?mode=ro&x=%40",
		"postgresql://u:p@h1:5432,[::1],:5/db?a=1",
		"postgresql://h1,h2/db",
		"host=h port=5,6 dbname='a b' user=u password=p x='\\\\'",
		"dbname=d port=x",
	};
	size_t i, k;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		rt_str shown = RT_STR_INIT;
		rt_url u = parse(urls[i]), v;

		cr_assert_eq(rt_url_display(&shown, &u), 0);
		v = parse(rt_str_cstr(&shown));
		cr_assert_str_or_null(v.username, u.username);
		cr_assert_eq(v.password == NULL, u.password == NULL);
		cr_assert_str_or_null(v.host, u.host);
		cr_assert_eq(v.port, u.port, "%s", urls[i]);
		cr_assert_str_or_null(v.ports, u.ports);
		cr_assert_eq(v.conninfo, u.conninfo);
		cr_assert_str_or_null(v.database, u.database);
		cr_assert_eq(v.nparams, u.nparams, "%s", urls[i]);
		for (k = 0; k < u.nparams; k++) {
			cr_assert_str_eq(v.params[k].key, u.params[k].key);
			cr_assert_str_eq(v.params[k].value, u.params[k].value,
					 "%s shown as %s", urls[i],
					 rt_str_cstr(&shown));
		}
		rt_url_dispose(&u);
		rt_url_dispose(&v);
		rt_str_dispose(&shown);
	}
	/* '@' in query keys and values is shown encoded */
	expect_display("postgresql://u:pw@h?k=a%40b",
		       "postgresql://u:***@h?k=a%40b");
	expect_display("postgresql://h/db?k%40=x@y",
		       "postgresql://h/db?k%40=x%40y");
}

Test(url, unix_sockets_and_ipv6)
{
	rt_url u = parse("postgresql://u@%2Fvar%2Frun%2Fpostgresql/db");

	cr_assert_str_eq(u.host, "/var/run/postgresql");
	cr_assert_str_eq(u.database, "db");
	rt_url_dispose(&u);

	u = parse("postgresql:///db?host=/var/run/postgresql&port=5433");
	cr_assert_null(u.host);
	cr_assert_str_eq(u.database, "db");
	cr_assert_str_eq(rt_url_param_get(&u, "host"), "/var/run/postgresql");
	cr_assert_str_eq(rt_url_param_get(&u, "port"), "5433");
	rt_url_dispose(&u);

	u = parse("postgresql://u:p@[::1]:5432/db");
	cr_assert_str_eq(u.host, "::1");
	cr_assert_eq(u.port, 5432);
	cr_assert_str_eq(u.password, "p");
	rt_url_dispose(&u);

	u = parse("postgresql://[fe80::1%25eth0]/db");
	cr_assert_str_eq(u.host, "fe80::1%eth0");
	cr_assert_eq(u.port, 0);
	rt_url_dispose(&u);
}

Test(url, ports)
{
	rt_url u = parse("mysql://h:1/db");

	cr_assert_eq(u.port, 1);
	rt_url_dispose(&u);
	u = parse("mysql://h:65535");
	cr_assert_eq(u.port, 65535);
	cr_assert_null(u.database);
	rt_url_dispose(&u);
	/* an empty port is no port, as in SQLAlchemy */
	u = parse("mysql://h:/db");
	cr_assert_eq(u.port, 0);
	cr_assert_str_eq(u.host, "h");
	rt_url_dispose(&u);
	u = parse("mysql://:3306/db");
	cr_assert_null(u.host);
	cr_assert_eq(u.port, 3306);
	rt_url_dispose(&u);
}

Test(url, bad_ports)
{
	expect_error(
	    "postgresql://u:p@h:xx/db",
	    "invalid database url 'postgresql://u:***@h:xx/db': bad port 'xx'");
	expect_error(
	    "postgresql://h:0/db",
	    "invalid database url 'postgresql://h:0/db': bad port '0'");
	expect_error(
	    "postgresql://h:65536/db",
	    "invalid database url 'postgresql://h:65536/db': bad port '65536'");
	expect_error(
	    "postgresql://h:99999999999999999999",
	    "invalid database url 'postgresql://h:99999999999999999999': bad "
	    "port '99999999999999999999'");
	expect_error(
	    "postgresql://h:-1?x=1",
	    "invalid database url 'postgresql://h:-1?x=1': bad port '-1'");
	expect_error(
	    "postgresql://h:1:2/db",
	    "invalid database url 'postgresql://h:1:2/db': bad port '1:2'");
	/* a raw '/' in the password: the port must not show a piece of it */
	expect_error("postgresql://u:pa/ss@h/db",
		     "invalid database url 'postgresql://u:***@h/db': bad port "
		     "(write a '/' in the password as %2F)");
}

Test(url, query_parameters)
{
	rt_url u =
	    parse("postgresql://h/db?a=1&b=x%20y&c=a+b&d&&e=&=v&a=2&k%3D=%26");

	cr_assert_eq(u.nparams, 8);
	cr_assert_str_eq(u.params[0].key, "a");
	cr_assert_str_eq(u.params[0].value, "1");
	cr_assert_str_eq(rt_url_param_get(&u, "b"), "x y");
	cr_assert_str_eq(rt_url_param_get(&u, "c"), "a+b");
	cr_assert_str_eq(rt_url_param_get(&u, "d"), "");
	cr_assert_str_eq(rt_url_param_get(&u, "e"), "");
	cr_assert_str_eq(rt_url_param_get(&u, ""), "v");
	/* a repeated key: the last one wins, as in libpq */
	cr_assert_str_eq(rt_url_param_get(&u, "a"), "2");
	cr_assert_str_eq(rt_url_param_get(&u, "k="), "&");
	rt_url_dispose(&u);

	u = parse("postgresql://h?sslmode=disable");
	cr_assert_str_eq(u.host, "h");
	cr_assert_null(u.database);
	cr_assert_str_eq(rt_url_param_get(&u, "sslmode"), "disable");
	rt_url_dispose(&u);

	u = parse("postgresql://h/db?");
	cr_assert_eq(u.nparams, 0);
	rt_url_dispose(&u);
}

Test(url, percent_decoding)
{
	rt_url u =
	    parse("postgresql://us%65r:p%zz%4@h%2Ex/d%C3%A9j%C3%A0?q=%2b");

	cr_assert_str_eq(u.username, "user");
	/* invalid escapes are kept as written */
	cr_assert_str_eq(u.password, "p%zz%4");
	cr_assert_str_eq(u.host, "h.x");
	cr_assert_str_eq(u.database, "d\xC3\xA9j\xC3\xA0");
	cr_assert_str_eq(rt_url_param_get(&u, "q"), "+");
	rt_url_dispose(&u);
	expect_error("postgresql://h/db%00x",
		     "invalid database url 'postgresql://h/db%00x': encoded "
		     "NUL byte (%00)");
}

/* ------------------------------------------------------------------ */
/* Errors */

Test(url, empty_url)
{
	expect_error("", "no database url configured (set url in retort.ini, "
			 "DATABASE_URL, or --url)");
	expect_error(NULL, "no database url configured (set url in retort.ini, "
			   "DATABASE_URL, or --url)");
}

Test(url, not_a_url)
{
	expect_error("x", "invalid database url 'x': expected dialect://...");
	expect_error("app.db",
		     "invalid database url 'app.db': expected dialect://...");
	expect_error("://h/db",
		     "invalid database url '://h/db': expected dialect://...");
	expect_error(
	    "post gres://h/db",
	    "invalid database url 'post gres://h/db': expected dialect://...");
	expect_error("+x://h",
		     "invalid database url '+x://h': expected dialect://...");
	expect_error(
	    "postgresql+://h",
	    "invalid database url 'postgresql+://h': expected dialect://...");
	expect_error(
	    " postgresql://h",
	    "invalid database url ' postgresql://h': expected dialect://...");
	/* the password is masked even when the text is not a URL */
	expect_error("postgresql:u:secret@h/db",
		     "invalid database url 'postgresql:***@h/db': expected "
		     "dialect://...");
	expect_error("postgresql//u:secret@h/db",
		     "invalid database url 'postgresql//u:***@h/db': expected "
		     "dialect://...");
}

Test(url, unsupported_database)
{
	expect_error(
	    "oracle://scott:tiger@h/x",
	    "unsupported database 'oracle' in url 'oracle://scott:***@h/x'");
	expect_error(
	    "mssql+pyodbc://u:pw@dsn",
	    "unsupported database 'mssql' in url 'mssql+pyodbc://u:***@dsn'");
	expect_error("sqlite3:///a.db",
		     "unsupported database 'sqlite3' in url 'sqlite3:///a.db'");
}

Test(url, bad_hosts)
{
	expect_error("postgresql://u:pw@[::1/db",
		     "invalid database url 'postgresql://u:***@[::1/db': "
		     "unterminated '[' in host");
	expect_error("postgresql://[]/db",
		     "invalid database url 'postgresql://[]/db': unterminated "
		     "'[' in host");
	expect_error("postgresql://[::1]x/db",
		     "invalid database url 'postgresql://[::1]x/db': "
		     "unexpected text after the host");
}

Test(url, dispose_is_idempotent)
{
	rt_url u = parse("postgresql://u:p@h/db?a=b");

	rt_url_dispose(&u);
	cr_assert_null(u.host);
	rt_url_dispose(&u);
	rt_url_dispose(NULL);
}

/* ------------------------------------------------------------------ */
/* Display and mask */

Test(url, display)
{
	expect_display("postgresql://u:p@h:5432/db?sslmode=require",
		       "postgresql://u:***@h:5432/db?sslmode=require");
	expect_display("postgresql://u@h/db", "postgresql://u@h/db");
	expect_display("postgresql://u:@h/db", "postgresql://u:***@h/db");
	expect_display("postgresql+asyncpg://h", "postgresql+asyncpg://h");
	expect_display("postgres://u:p@ss@h/db", "postgres://u:***@h/db");
	expect_display("sqlite:///rel.db", "sqlite:///rel.db");
	expect_display("sqlite:////abs/p.db", "sqlite:////abs/p.db");
	expect_display("sqlite://", "sqlite://");
	expect_display("sqlite:///:memory:", "sqlite:///:memory:");
	expect_display("sqlite:///my%20app.db?mode=ro",
		       "sqlite:///my%20app.db?mode=ro");
	expect_display("postgresql://u@%2Fvar%2Frun%2Fpostgresql/db",
		       "postgresql://u@%2Fvar%2Frun%2Fpostgresql/db");
	expect_display("postgresql://[::1]:5432/db",
		       "postgresql://[::1]:5432/db");
	expect_display("mysql://a%40b%3Ac:pw@h/db",
		       "mysql://a%40b%3Ac:***@h/db");
	expect_display("mysql://h/db?a=x%26y&b=1%3D2&c=a+b&d",
		       "mysql://h/db?a=x%26y&b=1=2&c=a+b&d=");
	expect_display("mysql://h/d%3Fb%23", "mysql://h/d%3Fb%23");
	expect_display("mysql://:3306", "mysql://:3306");
}

Test(url, display_appends_and_never_shows_the_password)
{
	rt_str out = RT_STR_INIT;
	rt_url u = parse("postgresql://admin:hunter2@h/db");

	rt_str_puts(&out, "url: ");
	cr_assert_eq(rt_url_display(&out, &u), 0);
	cr_assert_str_eq(out.ptr, "url: postgresql://admin:***@h/db");
	cr_assert_null(strstr(out.ptr, "hunter2"));
	rt_str_dispose(&out);
	rt_url_dispose(&u);
}

Test(url, mask)
{
	expect_mask("postgresql://u:secret@h/db", "postgresql://u:***@h/db");
	expect_mask("postgresql://u:p@ss@h:5432/db?x=1",
		    "postgresql://u:***@h:5432/db?x=1");
	expect_mask("postgresql://u@h/db", "postgresql://u@h/db");
	expect_mask("postgresql://h:5432/db", "postgresql://h:5432/db");
	expect_mask("postgresql://u:pa/ss@h/db", "postgresql://u:***@h/db");
	expect_mask("postgresql://u:pw@h/db?next=x@y",
		    "postgresql://u:***@h/db?next=x@y");
	expect_mask("a postgresql://u:1@h and mysql://v:2@i/x",
		    "a postgresql://u:***@h and mysql://v:***@i/x");
	expect_mask("u:p@h", "u:***@h");
	/* garbage does not fail */
	expect_mask("", "");
	expect_mask("abc", "abc");
	expect_mask("://", "://");
	expect_mask("x://@", "x://@");
	expect_mask("x://:@", "x://:***@");
	expect_mask("@@::", "@@::");
	expect_mask(":::", ":::");
}

Test(url, mask_appends_and_accepts_null)
{
	rt_str out = RT_STR_INIT;

	rt_str_puts(&out, "> ");
	cr_assert_eq(rt_url_mask(&out, "mysql://a:b@c"), 0);
	cr_assert_eq(rt_url_mask(&out, NULL), 0);
	cr_assert_str_eq(out.ptr, "> mysql://a:***@c");
	rt_str_dispose(&out);
}

/* ------------------------------------------------------------------ */
/* PostgreSQL: several hosts, key/value strings, libpq keywords */

Test(url, several_hosts)
{
	rt_url u = parse("postgresql://u:p@h1:5432,h2:5433/db?"
			 "target_session_attrs=read-write");

	cr_assert_eq(u.dialect, RT_DIALECT_POSTGRESQL);
	cr_assert_str_eq(u.username, "u");
	cr_assert_str_eq(u.password, "p");
	cr_assert_str_eq(u.host, "h1,h2");
	cr_assert_str_eq(u.ports, "5432,5433");
	cr_assert_eq(u.port, 0);
	cr_assert_str_eq(u.database, "db");
	cr_assert_str_eq(rt_url_param_get(&u, "target_session_attrs"),
			 "read-write");
	rt_url_dispose(&u);

	/* a host without a port has an empty entry; IPv6 in brackets */
	u = parse("postgres://h1,h2:5433,[::1]/db");
	cr_assert_str_eq(u.host, "h1,h2,::1");
	cr_assert_str_eq(u.ports, ",5433,");
	rt_url_dispose(&u);
	/* no port at all: no list */
	u = parse("postgresql+psycopg2://h1,h2/db");
	cr_assert_str_eq(u.host, "h1,h2");
	cr_assert_null(u.ports);
	rt_url_dispose(&u);
	u = parse("postgresql://:5432,:5433");
	cr_assert_str_eq(u.host, ",");
	cr_assert_str_eq(u.ports, "5432,5433");
	cr_assert_null(u.database);
	rt_url_dispose(&u);
	/* only PostgreSQL splits hosts */
	u = parse("mysql://h1,h2/db");
	cr_assert_str_eq(u.host, "h1,h2");
	cr_assert_null(u.ports);
	rt_url_dispose(&u);

	expect_display("postgresql://u:p@h1:5432,h2:5433/db?x=1",
		       "postgresql://u:***@h1:5432,h2:5433/db?x=1");
	expect_display("postgres://h1,h2:5433,[::1]/db",
		       "postgres://h1,h2:5433,[::1]/db");
	expect_display("postgresql://h1,%2Ftmp:5/db",
		       "postgresql://h1,%2Ftmp:5/db");
	expect_error("postgresql://u:pw@h1:x,h2/db",
		     "invalid database url 'postgresql://u:***@h1:x,h2/db': "
		     "bad port 'x'");
	expect_error("postgresql://h1,h2:0/db",
		     "invalid database url 'postgresql://h1,h2:0/db': bad port "
		     "'0'");
	expect_error("postgresql://a%2Cb/db",
		     "invalid database url 'postgresql://a%2Cb/db': a ',' in a "
		     "host name");
	expect_error("postgresql://h1,[::1/db",
		     "invalid database url 'postgresql://h1,[::1/db': "
		     "unterminated '[' in host");
	expect_error("postgresql://h1,h2x:1:2/db",
		     "invalid database url 'postgresql://h1,h2x:1:2/db': bad "
		     "port '1:2'");
}

Test(url, key_value_strings)
{
	rt_url u = parse("host=db.example.com port=5433 dbname=app user=alice "
			 "password='s3 cr\\'et' sslmode=require "
			 "application_name=deploy\\ 42");
	rt_str out = RT_STR_INIT;

	cr_assert_eq(u.dialect, RT_DIALECT_POSTGRESQL);
	cr_assert(u.conninfo);
	cr_assert_null(u.scheme);
	cr_assert_null(u.driver);
	cr_assert_str_eq(u.host, "db.example.com");
	cr_assert_eq(u.port, 5433);
	cr_assert_null(u.ports);
	cr_assert_str_eq(u.database, "app");
	cr_assert_str_eq(u.username, "alice");
	cr_assert_str_eq(u.password, "s3 cr'et");
	cr_assert_eq(u.nparams, 2);
	cr_assert_str_eq(rt_url_param_get(&u, "sslmode"), "require");
	cr_assert_str_eq(rt_url_param_get(&u, "application_name"), "deploy 42");
	cr_assert_eq(rt_url_display(&out, &u), 0);
	cr_assert_str_eq(out.ptr,
			 "host=db.example.com port=5433 dbname=app user=alice "
			 "password=*** sslmode=require "
			 "application_name='deploy 42'");
	cr_assert_null(strstr(out.ptr, "s3"));
	rt_str_dispose(&out);
	rt_url_dispose(&u);

	/* blanks around '=', a repeated keyword (the last counts), lists */
	u = parse("  host = a\tdbname=  d host=h1,h2 port=5432,5433 ");
	cr_assert_str_eq(u.host, "h1,h2");
	cr_assert_str_eq(u.database, "d");
	cr_assert_eq(u.port, 0);
	cr_assert_str_eq(u.ports, "5432,5433");
	cr_assert_eq(u.nparams, 0);
	rt_url_dispose(&u);
	/* a port that is not one number is libpq's to judge */
	u = parse("dbname=x port=abc password=");
	cr_assert_str_eq(u.ports, "abc");
	cr_assert_str_eq(u.password, "");
	rt_url_dispose(&u);
	expect_display("dbname=x port=abc password=",
		       "port=abc dbname=x password=***");
	expect_display("user=u options='-c search_path=a' x='' y=a\\\\b",
		       "user=u options='-c search_path=a' x='' y='a\\\\b'");
	expect_display("dbname=d PASSWORD=p", "dbname=d PASSWORD=***");
	/* a URL is still a URL */
	expect_error("app.db",
		     "invalid database url 'app.db': expected dialect://...");

	expect_error("host=h dbname",
		     "invalid connection string 'host=h dbname': missing \"=\" "
		     "after \"dbname\"");
	expect_error("host=h password='secret",
		     "invalid connection string 'host=h password=***': "
		     "unterminated quoted string");
	expect_error("password=x y",
		     "invalid connection string 'password=*** y': missing "
		     "\"=\" after \"y\"");
}

Test(url, key_value_masks)
{
	expect_mask("host=h password=secret user=u",
		    "host=h password=*** user=u");
	expect_mask("password = 'a b\\' c' x=1", "password = *** x=1");
	expect_mask("host=h foo password=x", "host=h foo password=***");
	expect_mask("host=h password='unterminated", "host=h password=***");
	expect_mask("Password=x", "Password=***");
	expect_mask("application_name=password=x",
		    "application_name=password=x");
}

/* keyword=value pairs of rt_url_libpq() for text, blank-separated */
static void expect_libpq(const char *text, const char *want,
			 const char *warning)
{
	const char *keys[RT_URL_LIBPQ_MAX], *vals[RT_URL_LIBPQ_MAX];
	char port[8];
	rt_str got = RT_STR_INIT;
	rt_url u = parse(text);
	size_t n = rt_url_libpq(&u, keys, vals, port), i;

	cr_assert_null(keys[n]);
	cr_assert_null(vals[n]);
	for (i = 0; i < n; i++)
		rt_str_printf(&got, "%s%s=%s", i ? " " : "", keys[i], vals[i]);
	cr_assert_str_eq(rt_str_cstr(&got), want, "libpq of '%s'", text);
	cr_assert_str_or_null(u.warning, warning);
	rt_str_dispose(&got);
	rt_url_dispose(&u);
}

Test(url, libpq_keywords_and_defaults)
{
	expect_libpq(
	    "postgresql://u:p@h:5/db?sslmode=require",
	    "host=h port=5 user=u password=p dbname=db sslmode=require "
	    "application_name=retort connect_timeout=10",
	    NULL);
	/* what the URL gives is not overridden */
	expect_libpq("postgresql:///db?application_name=a&connect_timeout=3",
		     "dbname=db application_name=a connect_timeout=3", NULL);
	expect_libpq("postgresql://h1:1,h2/db",
		     "host=h1,h2 port=1, dbname=db application_name=retort "
		     "connect_timeout=10",
		     NULL);
	expect_libpq("host=h dbname=d password=x options='-c a=b'",
		     "host=h password=x dbname=d options=-c a=b "
		     "application_name=retort connect_timeout=10",
		     NULL);
	/* psycopg and psycopg2 hand everything to libpq; so does a URL
	 * without a driver */
	expect_libpq("postgresql+psycopg2://h/db?sslmode=verify-full&"
		     "sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem&"
		     "connect_timeout=4&application_name=x&options=-cx%3D1&"
		     "target_session_attrs=read-write",
		     "host=h dbname=db sslmode=verify-full sslrootcert=/ca.pem "
		     "sslcert=/c.pem sslkey=/k.pem connect_timeout=4 "
		     "application_name=x options=-cx=1 "
		     "target_session_attrs=read-write",
		     NULL);
	/* a name libpq does not know stays, for libpq to refuse */
	expect_libpq("postgresql+asyncpg://h?no_such_option=1&ssl=disable",
		     "host=h no_such_option=1 sslmode=disable "
		     "application_name=retort connect_timeout=10",
		     NULL);
	expect_libpq("postgresql://h?ssl=require",
		     "host=h ssl=require application_name=retort "
		     "connect_timeout=10",
		     NULL);
	expect_libpq("postgresql+psycopg://h?database=d&prepare_threshold=0",
		     "host=h dbname=d application_name=retort "
		     "connect_timeout=10",
		     "ignoring a driver-only url parameter for "
		     "postgresql+psycopg: prepare_threshold (libpq has no such "
		     "option)");
	/* SQLite and MySQL have none */
	{
		rt_url u = parse("sqlite:///a.db?mode=ro");

		cr_assert_eq(u.nlibpq, 0);
		cr_assert_null(u.warning);
		rt_url_dispose(&u);
	}
}

Test(url, asyncpg_parameters)
{
	static const char *const ssl[][2] = {
		{ "disable", "disable" },
		{ "allow", "allow" },
		{ "prefer", "prefer" },
		{ "require", "require" },
		{ "verify-ca", "verify-ca" },
		{ "verify_full", "verify-full" },
		{ "VERIFY-FULL", "verify-full" },
		{ "true", "require" },
		{ "False", "disable" },
	};
	size_t i;

	for (i = 0; i < sizeof(ssl) / sizeof(ssl[0]); i++) {
		char text[128], want[128];

		snprintf(text, sizeof(text), "postgresql+asyncpg://h/db?ssl=%s",
			 ssl[i][0]);
		snprintf(want, sizeof(want),
			 "host=h dbname=db sslmode=%s application_name=retort "
			 "connect_timeout=10",
			 ssl[i][1]);
		expect_libpq(text, want, NULL);
	}
	expect_libpq(
	    "postgresql+asyncpg://u:p@h:5/db?ssl=require&"
	    "prepared_statement_cache_size=500&timeout=7.5&"
	    "command_timeout=30&prepared_statement_cache_size=0&"
	    "statement_cache_size=0&server_settings=x&pool_size=5",
	    "host=h port=5 user=u password=p dbname=db sslmode=require "
	    "connect_timeout=8 application_name=retort",
	    "ignoring driver-only url parameters for "
	    "postgresql+asyncpg: prepared_statement_cache_size, "
	    "command_timeout, statement_cache_size, server_settings, "
	    "pool_size (libpq has no such options)");
	expect_libpq("postgresql+asyncpg://h?timeout=60&ssl=prefer",
		     "host=h connect_timeout=60 sslmode=prefer "
		     "application_name=retort",
		     NULL);
	expect_libpq("postgresql+asyncpg://h?prepared_statement_cache_size=0",
		     "host=h application_name=retort connect_timeout=10",
		     "ignoring a driver-only url parameter for "
		     "postgresql+asyncpg: prepared_statement_cache_size (libpq "
		     "has no such option)");

	expect_error("postgresql+asyncpg://u:pw@h/db?ssl=maybe",
		     "invalid database url 'postgresql+asyncpg://u:***@h/db?"
		     "ssl=maybe': ssl=maybe is not one of disable, allow, "
		     "prefer, require, verify-ca, verify-full, true, false");
	expect_error("postgresql+asyncpg://h/db?timeout=soon",
		     "invalid database url 'postgresql+asyncpg://h/db?"
		     "timeout=soon': timeout=soon is not a number of seconds");
	expect_error("postgresql+asyncpg://h/db?timeout=.",
		     "invalid database url 'postgresql+asyncpg://h/db?"
		     "timeout=.': timeout=. is not a number of seconds");
}

Test(url, pg8000_parameters)
{
	expect_libpq(
	    "postgresql+pg8000://u@/db?unix_sock=/run/pg/"
	    ".s.PGSQL.5433&timeout=3&tcp_keepalive=false&"
	    "source_address=10.0.0.1",
	    "user=u dbname=db host=/run/pg port=5433 connect_timeout=3 "
	    "keepalives=0 application_name=retort",
	    "ignoring a driver-only url parameter for "
	    "postgresql+pg8000: source_address (libpq has no such "
	    "option)");
	expect_libpq("postgresql+pg8000:///db?unix_sock=/run/pg",
		     "dbname=db host=/run/pg application_name=retort "
		     "connect_timeout=10",
		     NULL);
	expect_error("postgresql+pg8000:///db?tcp_keepalive=perhaps",
		     "invalid database url 'postgresql+pg8000:///db?"
		     "tcp_keepalive=perhaps': tcp_keepalive=perhaps is not "
		     "true or false");
}

/* SQLAlchemy's several hosts: ?host=h1:p1&host=h2 */
Test(url, sqlalchemy_several_hosts)
{
	expect_libpq("postgresql+psycopg2://u@/db?host=h1:5432&host=h2&"
		     "host=h3:5434&target_session_attrs=primary",
		     "user=u dbname=db host=h1,h2,h3 port=5432,,5434 "
		     "target_session_attrs=primary application_name=retort "
		     "connect_timeout=10",
		     NULL);
	expect_libpq("postgresql+asyncpg://u@/db?host=[::1]:5432&host=h2:5433",
		     "user=u dbname=db host=::1,h2 port=5432,5433 "
		     "application_name=retort connect_timeout=10",
		     NULL);
	/* one host:port and no port parameter */
	expect_libpq("postgresql://u@/db?host=db.local:5433",
		     "user=u dbname=db host=db.local port=5433 "
		     "application_name=retort connect_timeout=10",
		     NULL);
	/* libpq's own lists, and a socket folder, go as they are */
	expect_libpq("postgresql:///db?host=h1,h2&port=1,2",
		     "dbname=db host=h1,h2 port=1,2 application_name=retort "
		     "connect_timeout=10",
		     NULL);
	expect_libpq("postgresql:///db?host=/tmp&port=5",
		     "dbname=db host=/tmp port=5 application_name=retort "
		     "connect_timeout=10",
		     NULL);
	expect_error("postgresql:///db?host=a:1&host=b&port=5",
		     "invalid database url 'postgresql:///db?host=a:1&host=b&"
		     "port=5': several host parameters and a port parameter "
		     "(write host=h1:p1&host=h2:p2, or host=h1,h2&port=p1,p2)");
}

Test(url, too_many_parameters)
{
	rt_str text = RT_STR_INIT;
	rt_err err = RT_ERR_INIT;
	rt_url u;
	int i;

	rt_str_puts(&text, "postgresql://h/db?");
	for (i = 0; i < RT_URL_LIBPQ_MAX; i++)
		rt_str_printf(&text, "%sk%d=v", i ? "&" : "", i);
	cr_assert_eq(rt_url_parse(&u, text.ptr, &err), RETORT_ECONFIG);
	cr_assert(strstr(rt_err_msg(&err), "more than 54 connection "
					   "parameters"),
		  "%s", rt_err_msg(&err));
	rt_err_dispose(&err);
	rt_str_dispose(&text);
}
