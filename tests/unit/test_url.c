/* SPDX-License-Identifier: MIT */
/*
 * test_url.c: SQLAlchemy-style database URLs: parsing (dialects, drivers,
 * userinfo with '@' and ':', IPv6 and socket hosts, ports, sqlite paths,
 * query parameters), rebuilding with the password masked, masking of
 * unparseable text, and every error message in full.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "project/url.h"
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
