/* SPDX-License-Identifier: MIT */
/*
 * test_clock.c: named zones (system TZif files, and hand-built ones through
 * $TZDIR that exercise the footer's POSIX rules), Alembic's upper-case
 * fallback and error text, local time, and str(datetime) formatting.
 * Expected strings were printed by Python 3.11's
 * str(datetime.fromtimestamp(epoch, ZoneInfo(zone))) (ZoneInfo.from_file
 * for the hand-built zones), except where noted.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "retort.h"
#include "util/clock.h"

struct case_ {
	const char *zone;
	long long epoch;
	const char *want;
};

static void check_cases(const struct case_ *cases, size_t n)
{
	rt_err err = RT_ERR_INIT;
	rt_str s = RT_STR_INIT;
	rt_datetime dt;
	size_t i;

	for (i = 0; i < n; i++) {
		int rc =
		    rt_clock_at(&dt, cases[i].epoch, 0, cases[i].zone, &err);

		cr_assert_eq(rc, 0, "%s %lld: %s", cases[i].zone,
			     cases[i].epoch, rt_err_msg(&err));
		cr_assert_eq(dt.aware, 1);
		cr_assert_eq(dt.epoch, cases[i].epoch);
		rt_str_clear(&s);
		cr_assert_eq(rt_datetime_format(&s, &dt), 0);
		cr_assert_str_eq(rt_str_cstr(&s), cases[i].want, "%s %lld",
				 cases[i].zone, cases[i].epoch);
	}
	rt_str_dispose(&s);
	rt_err_dispose(&err);
}

Test(clock, system_zones)
{
	static const struct case_ cases[] = {
		{ "America/New_York", 1783182600LL,
		  "2026-07-04 12:30:00-04:00" },
		{ "America/New_York", 1768478400LL,
		  "2026-01-15 07:00:00-05:00" },
		{ "America/New_York", 1772953199LL,
		  "2026-03-08 01:59:59-05:00" },
		{ "America/New_York", 1772953200LL,
		  "2026-03-08 03:00:00-04:00" },
		{ "Europe/Berlin", 1783182600LL, "2026-07-04 18:30:00+02:00" },
		{ "Europe/Berlin", 1768478400LL, "2026-01-15 13:00:00+01:00" },
		{ "Asia/Kolkata", 1795342200LL, "2026-11-22 15:40:00+05:30" },
		{ "Asia/Kathmandu", 1795342200LL, "2026-11-22 15:55:00+05:45" },
		{ "UTC", 1795362000LL, "2026-11-22 15:40:00+00:00" },
		{ "EST5EDT", 1783182600LL, "2026-07-04 12:30:00-04:00" },
		/* local mean time: Python prints the seconds of the offset */
		{ "America/New_York", -3000000000LL,
		  "1874-12-07 13:43:58-04:56:02" },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

Test(clock, system_zones_past_last_transition)
{
	/* beyond the files' transitions the footer rule decides */
	static const struct case_ cases[] = {
		{ "America/New_York", 2225032200LL,
		  "2040-07-04 12:30:00-04:00" },
		{ "America/New_York", 2210241600LL,
		  "2040-01-15 07:00:00-05:00" },
		{ "Australia/Sydney", 2368094400LL,
		  "2045-01-15 23:00:00+11:00" },
		{ "Australia/Sydney", 2383732800LL,
		  "2045-07-15 22:00:00+10:00" },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

Test(clock, upper_case_fallback)
{
	static const struct case_ cases[] = {
		{ "utc", 1795362000LL, "2026-11-22 15:40:00+00:00" },
		{ "Utc", 1795362000LL, "2026-11-22 15:40:00+00:00" },
		{ "est5edt", 1783182600LL, "2026-07-04 12:30:00-04:00" },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void check_unknown(const char *zone)
{
	rt_err err = RT_ERR_INIT;
	rt_datetime dt;
	char want[300];

	snprintf(want, sizeof(want), "Can't locate timezone: %s", zone);
	cr_assert_eq(rt_clock_at(&dt, 0, 0, zone, &err), RETORT_ECONFIG);
	cr_assert_eq(err.code, RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), want);
	rt_err_dispose(&err);
}

Test(clock, unknown_zones)
{
	check_unknown("Mars/Olympus");
	/* upper-casing does not help mixed-case names */
	check_unknown("europe/berlin");
	check_unknown("");
	/* names must stay inside the zoneinfo directory */
	check_unknown("/etc/localtime");
	check_unknown("../zoneinfo/UTC");
	check_unknown("Europe/../UTC");
	/* a directory and a file that is not TZif */
	check_unknown("Europe");
	check_unknown("zone.tab");
	check_unknown("iso3166.tab");
}

Test(clock, unknown_zone_now)
{
	rt_err err = RT_ERR_INIT;
	rt_datetime dt;

	cr_assert_eq(rt_clock_now(&dt, "Mars/Olympus", &err), RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Can't locate timezone: Mars/Olympus");
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* Hand-built zones under $TZDIR (the bytes were written by Python's struct
 * module; see each comment for the contents). */

struct fixture {
	const char *name;
	const char *hex;
};

static const struct fixture fixtures[] = {
	/* v2: LMT +10:05 until 1970, then AEST+10 with footer
	 * "AEST-10AEDT,M10.1.0,M4.1.0/3" */
	{ "South",
	  "545a69663200000000000000000000000000000000000000000000000000000000"
	  "000001000000030000000e000000000100008dcc000000008ca0000400009ab001"
	  "094c4d540041455354004145445400545a69663200000000000000000000000000"
	  "000000000000000000000000000000000001000000030000000e00000000000000"
	  "000100008dcc000000008ca0000400009ab001094c4d5400414553540041454454"
	  "000a414553542d3130414544542c4d31302e312e302c4d342e312e302f330a" },
	/* v3, no transitions, footer "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1" */
	{ "Nuuk",
	  "545a69663300000000000000000000000000000000000000000000000000000000"
	  "0000000000000100000004ffffd5d000002d303300545a69663300000000000000"
	  "0000000000000000000000000000000000000000000000000000000100000004ff"
	  "ffd5d000002d3033000a3c2d30333e333c2d30323e2c4d332e352e302f2d322c4d"
	  "31302e352e302f2d310a" },
	/* v2, no transitions, footer "XST-2XDT,J60/0,300" (Julian day without
	 * Feb 29, zero-based day with it) */
	{ "Julian",
	  "545a69663200000000000000000000000000000000000000000000000000000000"
	  "000000000000010000000400001c20000058535400545a69663200000000000000"
	  "000000000000000000000000000000000000000000000000000000010000000400"
	  "001c200000585354000a5853542d325844542c4a36302f302c3330300a" },
	/* v1 only: +01:00 until 1000000000, then +02:00 */
	{ "V1",
	  "545a69660000000000000000000000000000000000000000000000000000000000"
	  "00000100000002000000083b9aca000100000e10000000001c2000044f4e450054"
	  "574f00" },
	/* v2 header whose counts run past the end of the file */
	{ "Short",
	  "545a69663200000000000000000000000000000000000000000000000000000000"
	  "0000ff000000030000000e0000" },
};

static char tzdir[64];

static void write_fixtures(void)
{
	size_t i, j, n;
	unsigned char buf[512];
	char path[128];
	FILE *f;

	strcpy(tzdir, "/tmp/retort-tz-XXXXXX");
	cr_assert_not_null(mkdtemp(tzdir));
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		n = strlen(fixtures[i].hex) / 2;
		cr_assert_leq(n, sizeof(buf));
		for (j = 0; j < n; j++) {
			unsigned v;

			sscanf(fixtures[i].hex + 2 * j, "%2x", &v);
			buf[j] = (unsigned char)v;
		}
		snprintf(path, sizeof(path), "%s/%s", tzdir, fixtures[i].name);
		f = fopen(path, "wb");
		cr_assert_not_null(f);
		cr_assert_eq(fwrite(buf, 1, n, f), n);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/Text", tzdir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("not a zone\n", f);
	fclose(f);
	setenv("TZDIR", tzdir, 1);
}

static void remove_fixtures(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tzdir, fixtures[i].name);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/Text", tzdir);
	unlink(path);
	rmdir(tzdir);
}

TestSuite(tzdir, .init = write_fixtures, .fini = remove_fixtures);

Test(tzdir, footer_rules)
{
	static const struct case_ cases[] = {
		/* before the first transition: the first standard type */
		{ "South", -86400LL, "1969-12-31 10:05:00+10:05" },
		{ "South", 1894708800LL, "2030-01-15 23:00:00+11:00" },
		{ "South", 1910347200LL, "2030-07-15 22:00:00+10:00" },
		/* southern hemisphere: DST spans the new year */
		{ "South", 1901721599LL, "2030-04-07 02:59:59+11:00" },
		{ "South", 1901721600LL, "2030-04-07 02:00:00+10:00" },
		{ "South", 1917446399LL, "2030-10-06 01:59:59+10:00" },
		{ "South", 1917446400LL, "2030-10-06 03:00:00+11:00" },
		/* <quoted> names, last Sunday (week 5), negative times */
		{ "Nuuk", 1901141999LL, "2030-03-30 19:59:59-03:00" },
		{ "Nuuk", 1901149199LL, "2030-03-30 21:59:59-03:00" },
		{ "Nuuk", 1901149200LL, "2030-03-30 23:00:00-02:00" },
		{ "Nuuk", 1919293199LL, "2030-10-26 22:59:59-02:00" },
		{ "Nuuk", 1919293200LL, "2030-10-26 22:00:00-03:00" },
		/* Jn skips Feb 29 (J60 is always March 1), n is zero-based
		 * and counts it. These follow POSIX and glibc (`TZ=... date`):
		 * Python's zoneinfo reads n as one-based, a day late; no
		 * zone in tzdata uses the n form. */
		{ "Julian", 1835474399LL, "2028-02-29 23:59:59+02:00" },
		{ "Julian", 1835474400LL, "2028-03-01 01:00:00+03:00" },
		{ "Julian", 1856213999LL, "2028-10-27 01:59:59+03:00" },
		{ "Julian", 1856214000LL, "2028-10-27 01:00:00+02:00" },
		{ "Julian", 1803851999LL, "2027-02-28 23:59:59+02:00" },
		{ "Julian", 1803852000LL, "2027-03-01 01:00:00+03:00" },
		{ "Julian", 1824677999LL, "2027-10-28 01:59:59+03:00" },
		{ "Julian", 1824678000LL, "2027-10-28 01:00:00+02:00" },
		/* version 1 files: 32-bit data, no footer */
		{ "V1", 999999999LL, "2001-09-09 02:46:39+01:00" },
		{ "V1", 1000000000LL, "2001-09-09 03:46:40+02:00" },
		{ "V1", 2000000000LL, "2033-05-18 05:33:20+02:00" },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

Test(tzdir, bad_files_and_replaced_search_path)
{
	static const struct case_ utc[] = {
		{ "UTC", 0LL, "1970-01-01 00:00:00+00:00" },
	};

	check_unknown("Short");
	check_unknown("Text");
	/* $TZDIR replaces the system directories */
	check_unknown("Europe/Berlin");
	/* UTC needs no file */
	check_cases(utc, 1);
}

/* ------------------------------------------------------------------ */

Test(clock, local_time_is_naive)
{
	rt_err err = RT_ERR_INIT;
	rt_str s = RT_STR_INIT;
	rt_datetime dt;

	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	cr_assert_eq(rt_clock_at(&dt, 1795342200LL, 5, NULL, &err), 0);
	cr_assert_eq(dt.aware, 0);
	cr_assert_eq(dt.utcoff, 19800);
	cr_assert_eq(dt.hour, 15);
	cr_assert_eq(dt.minute, 40);
	cr_assert_eq(rt_datetime_format(&s, &dt), 0);
	cr_assert_str_eq(rt_str_cstr(&s), "2026-11-22 15:40:00.000005");
	rt_str_dispose(&s);
	rt_err_dispose(&err);
}

Test(clock, now)
{
	rt_err err = RT_ERR_INIT;
	rt_datetime dt;
	time_t before = time(NULL), after;

	cr_assert_eq(rt_clock_now(&dt, "UTC", &err), 0);
	after = time(NULL);
	cr_assert_eq(dt.aware, 1);
	cr_assert_eq(dt.utcoff, 0);
	cr_assert(dt.epoch >= (long long)before &&
		  dt.epoch <= (long long)after);
	cr_assert(dt.usec >= 0 && dt.usec <= 999999);
	cr_assert_eq(dt.second, (int)(dt.epoch % 60));
	cr_assert_eq(rt_clock_now(&dt, NULL, &err), 0);
	cr_assert_eq(dt.aware, 0);
	rt_err_dispose(&err);
}

Test(clock, out_of_range)
{
	rt_err err = RT_ERR_INIT;
	rt_datetime dt;

	cr_assert_eq(rt_clock_at(&dt, 253402300800LL, 0, "UTC", &err),
		     RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err),
			 "time out of range: 253402300800.000000");
	cr_assert_eq(rt_clock_at(&dt, 0, 1000000, NULL, &err), RETORT_ECONFIG);
	cr_assert_str_eq(rt_err_msg(&err), "time out of range: 0.1000000");
	/* 9999-12-31 23:00 UTC is past the end of years in +05:30 */
	cr_assert_eq(rt_clock_at(&dt, 253402297200LL, 0, "Asia/Kolkata", &err),
		     RETORT_ECONFIG);
	cr_assert_eq(rt_clock_at(&dt, -62135596800LL, 0, "UTC", &err), 0);
	cr_assert_eq(dt.year, 1);
	rt_err_dispose(&err);
}

Test(clock, format_as_python)
{
	rt_datetime dt = { 2026, 11, 22, 15, 40, 0, 123456, 0, 0, 0 };
	rt_str s = RT_STR_INIT;

	rt_datetime_format(&s, &dt);
	cr_assert_str_eq(rt_str_cstr(&s), "2026-11-22 15:40:00.123456");
	rt_str_clear(&s);
	dt.usec = 1;
	rt_datetime_format(&s, &dt);
	cr_assert_str_eq(rt_str_cstr(&s), "2026-11-22 15:40:00.000001");
	rt_str_clear(&s);
	dt = (rt_datetime){ 5, 1, 2, 3, 4, 5, 0, 3600, 0, 0 };
	rt_datetime_format(&s, &dt);
	cr_assert_str_eq(rt_str_cstr(&s), "0005-01-02 03:04:05");
	rt_str_clear(&s);
	dt = (rt_datetime){ 2026, 1, 1, 0, 0, 0, 0, -12600, 1, 0 };
	rt_datetime_format(&s, &dt);
	cr_assert_str_eq(rt_str_cstr(&s), "2026-01-01 00:00:00-03:30");
	/* appends */
	rt_str_puts(&s, " | ");
	dt.utcoff = 0;
	dt.usec = 10;
	rt_datetime_format(&s, &dt);
	cr_assert_str_eq(
	    rt_str_cstr(&s),
	    "2026-01-01 00:00:00-03:30 | 2026-01-01 00:00:00.000010+00:00");
	rt_str_dispose(&s);
}

Test(clock, monotonic_ms)
{
	double a = rt_clock_ms(), b = rt_clock_ms();

	cr_assert(a > 0);
	cr_assert(b >= a);
}
