/* SPDX-License-Identifier: MIT */
/*
 * clock.c: wall-clock time as Alembic's create_date: local time (naive)
 * when no timezone is configured, else the time in a named zone, which is
 * read from its TZif file (RFC 8536, versions 1 to 4) and, past the file's
 * last transition, from the POSIX TZ rule in its footer.
 *
 * Invariants: nothing here touches the process's state (no setenv, no
 * tzset, no static buffers); a zone is read afresh on every call. Calendar
 * arithmetic is proleptic Gregorian on 64-bit day numbers, and results are
 * limited to Python's datetime range (years 1 to 9999).
 */
#include "util/clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "retort.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
#define MIN_EPOCH (-62135596800LL)
#define MAX_EPOCH 253402300799LL
/* A file larger than this is not a zone. */
#define MAX_TZIF ((size_t)1 << 20)

/* ------------------------------------------------------------------ */
/* Calendar (Howard Hinnant's days_from_civil / civil_from_days) */

static long long floor_div(long long a, long long b)
{
	long long q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	long long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(long long y, unsigned m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* ------------------------------------------------------------------ */
/* POSIX TZ strings (the TZif footer), e.g. "EST5EDT,M3.2.0,M11.1.0" */

struct tz_date {
	char kind; /* 'J': Jn (1..365, no Feb 29), 'D': n (0..365), 'M' */
	int m, w, d, n;
	long time; /* seconds after local midnight; may be < 0 or > 24h */
};

struct tz_rule {
	long std_off, dst_off; /* seconds east of UTC */
	int has_dst;
	struct tz_date start, end;
};

static const char *tz_name(const char *s)
{
	if (*s == '<') {
		while (*s && *s != '>')
			s++;
		return *s == '>' ? s + 1 : NULL;
	}
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return NULL;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	return s;
}

/* [+-]h[hh][:mm[:ss]] in seconds; `maxh` bounds the hours. */
static const char *tz_hms(const char *s, long maxh, long *out)
{
	long sign = 1, part[3] = { 0, 0, 0 };
	int i, digits;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i && *s != ':')
			break;
		if (i)
			s++;
		for (digits = 0; *s >= '0' && *s <= '9'; digits++, s++) {
			if (digits >= 3)
				return NULL;
			part[i] = part[i] * 10 + (*s - '0');
		}
		if (!digits)
			return NULL;
	}
	if (part[0] > maxh || part[1] > 59 || part[2] > 59)
		return NULL;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return s;
}

static const char *tz_num(const char *s, int lo, int hi, int *out)
{
	int v = 0, digits = 0;

	while (*s >= '0' && *s <= '9' && digits < 4) {
		v = v * 10 + (*s++ - '0');
		digits++;
	}
	if (!digits || v < lo || v > hi)
		return NULL;
	*out = v;
	return s;
}

static const char *tz_date(const char *s, struct tz_date *dt)
{
	memset(dt, 0, sizeof(*dt));
	if (*s == 'M') {
		dt->kind = 'M';
		if (!(s = tz_num(s + 1, 1, 12, &dt->m)) || *s != '.' ||
		    !(s = tz_num(s + 1, 1, 5, &dt->w)) || *s != '.' ||
		    !(s = tz_num(s + 1, 0, 6, &dt->d)))
			return NULL;
	} else if (*s == 'J') {
		dt->kind = 'J';
		if (!(s = tz_num(s + 1, 1, 365, &dt->n)))
			return NULL;
	} else {
		dt->kind = 'D';
		if (!(s = tz_num(s, 0, 365, &dt->n)))
			return NULL;
	}
	dt->time = 7200;
	if (*s == '/' && !(s = tz_hms(s + 1, 167, &dt->time)))
		return NULL;
	return s;
}

/* Parse a TZ string; 0 on success. */
static int tz_parse(const char *s, struct tz_rule *r)
{
	long off;

	memset(r, 0, sizeof(*r));
	if (!(s = tz_name(s)) || !(s = tz_hms(s, 24, &off)))
		return -1;
	r->std_off = -off;
	if (!*s)
		return 0;
	if (!(s = tz_name(s)))
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = tz_hms(s, 24, &off)))
			return -1;
		r->dst_off = -off;
	}
	if (!*s) {
		/* no rule: the US rule, as glibc assumes */
		s = ",M3.2.0,M11.1.0";
	}
	if (*s != ',' || !(s = tz_date(s + 1, &r->start)) || *s != ',' ||
	    !(s = tz_date(s + 1, &r->end)) || *s)
		return -1;
	return 0;
}

/* Days since the epoch of a rule's date in year y. */
static long long tz_day(const struct tz_date *dt, long long y)
{
	long long first;
	int wday, day;

	switch (dt->kind) {
	case 'J':
		return days_from_civil(y, 1, 1) + dt->n - 1 +
		       (is_leap(y) && dt->n >= 60);
	case 'D':
		return days_from_civil(y, 1, 1) + dt->n;
	default:
		first = days_from_civil(y, (unsigned)dt->m, 1);
		wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01: Thu */
		day = (dt->d - wday + 7) % 7 + (dt->w - 1) * 7;
		while (day >= (int)month_days(y, (unsigned)dt->m))
			day -= 7;
		return first + day;
	}
}

/* The offset a rule gives at UTC time t. */
static long tz_eval(const struct tz_rule *r, long long t)
{
	long long y, start, end;
	unsigned m, d;
	int dst;

	if (!r->has_dst)
		return r->std_off;
	civil_from_days(floor_div(t + r->std_off, 86400), &y, &m, &d);
	/* the start time is in standard time, the end time in DST */
	start = tz_day(&r->start, y) * 86400 + r->start.time - r->std_off;
	end = tz_day(&r->end, y) * 86400 + r->end.time - r->dst_off;
	if (start < end)
		dst = t >= start && t < end;
	else
		dst = !(t >= end && t < start);
	return dst ? r->dst_off : r->std_off;
}

/* ------------------------------------------------------------------ */
/* TZif */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_block {
	size_t timecnt, typecnt, size;
	const unsigned char *times, *idx, *types;
	int wide; /* 8-byte transition times */
};

/* Read a header at p[0..n) and locate its data block. 0 on success. */
static int tzif_block(const unsigned char *p, size_t n, int wide,
		      struct tzif_block *b)
{
	size_t isut, isstd, leap, charcnt, tsz = wide ? 8 : 4;

	if (n < 44 || memcmp(p, "TZif", 4))
		return -1;
	isut = be32(p + 20);
	isstd = be32(p + 24);
	leap = be32(p + 28);
	b->timecnt = be32(p + 32);
	b->typecnt = be32(p + 36);
	charcnt = be32(p + 40);
	if (!b->typecnt || b->typecnt > 256 || b->timecnt > MAX_TZIF ||
	    charcnt > MAX_TZIF || leap > MAX_TZIF || isstd > MAX_TZIF ||
	    isut > MAX_TZIF)
		return -1;
	b->size = b->timecnt * (tsz + 1) + b->typecnt * 6 + charcnt +
		  leap * (tsz + 4) + isstd + isut;
	if (b->size > n - 44)
		return -1;
	b->times = p + 44;
	b->idx = b->times + b->timecnt * tsz;
	b->types = b->idx + b->timecnt;
	b->wide = wide;
	return 0;
}

static long long tzif_time(const struct tzif_block *b, size_t i)
{
	if (b->wide)
		return be64(b->times + 8 * i);
	return (int32_t)be32(b->times + 4 * i);
}

static long tzif_utoff(const struct tzif_block *b, size_t type)
{
	return (int32_t)be32(b->types + 6 * type);
}

/* The UTC offset of the zone in data[0..n) at t. 0 when found. */
static int tzif_offset(const unsigned char *data, size_t n, long long t,
		       long *off)
{
	struct tzif_block b;
	struct tz_rule rule;
	const unsigned char *foot = NULL, *nl;
	char footer[128];
	size_t lo, hi, i, flen = 0;

	if (tzif_block(data, n, 0, &b))
		return -1;
	if (data[4] >= '2') {
		size_t v1 = 44 + b.size;

		if (tzif_block(data + v1, n - v1, 1, &b))
			return -1;
		foot = data + v1 + 44 + b.size;
		flen = n - (size_t)(foot - data);
	}
	for (i = 0; i < b.timecnt; i++) {
		if (b.idx[i] >= b.typecnt)
			return -1;
	}
	/* past the last transition, the footer's rule applies */
	if (flen > 2 && foot[0] == '\n' &&
	    (!b.timecnt || t >= tzif_time(&b, b.timecnt - 1)) &&
	    (nl = memchr(foot + 1, '\n', flen - 1)) &&
	    (size_t)(nl - foot - 1) < sizeof(footer) && nl > foot + 1) {
		memcpy(footer, foot + 1, (size_t)(nl - foot - 1));
		footer[nl - foot - 1] = '\0';
		if (!tz_parse(footer, &rule)) {
			*off = tz_eval(&rule, t);
			return 0;
		}
	}
	if (!b.timecnt || t < tzif_time(&b, 0)) {
		/* before the first transition: the first standard-time type,
		 * as Python's zoneinfo */
		for (i = 0; i < b.typecnt; i++) {
			if (!b.types[6 * i + 4])
				break;
		}
		*off = tzif_utoff(&b, i < b.typecnt ? i : 0);
		return 0;
	}
	/* the last transition <= t */
	lo = 0;
	hi = b.timecnt;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tzif_time(&b, mid) <= t)
			lo = mid;
		else
			hi = mid;
	}
	*off = tzif_utoff(&b, b.idx[lo]);
	return 0;
}

/* A zone name that stays inside the zoneinfo directory. */
static int valid_zone_name(const char *name)
{
	size_t n = strlen(name);

	return n && n < 256 && name[0] != '/' && !strstr(name, "..");
}

/* Read dir/name into `buf`. 0 on success. */
static int read_zone_file(const char *dir, const char *name, rt_str *buf)
{
	rt_str path = RT_STR_INIT;
	char chunk[4096];
	FILE *f = NULL;
	size_t n;
	int error = -1;

	rt_str_clear(buf);
	rt_str_printf(&path, "%s/%s", dir, name);
	if (path.oom)
		goto done;
	f = fopen(path.ptr, "rb");
	if (!f)
		goto done;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf->len + n > MAX_TZIF)
			goto done;
		rt_str_append(buf, chunk, n);
	}
	if (!ferror(f) && !buf->oom)
		error = 0;
done:
	if (f)
		fclose(f);
	rt_str_dispose(&path);
	return error;
}

/* The offset of zone `name` at t; 0 when the zone was found. */
static int zone_offset(const char *name, long long t, long *off)
{
	static const char *const dirs[] = { "/usr/share/zoneinfo",
					    "/usr/lib/zoneinfo",
					    "/usr/share/lib/zoneinfo",
					    "/etc/zoneinfo" };
	const char *tzdir = getenv("TZDIR");
	const char *const *list = dirs;
	size_t i, nlist = sizeof(dirs) / sizeof(dirs[0]);
	rt_str data = RT_STR_INIT;
	int error = -1;

	if (!strcmp(name, "UTC")) {
		*off = 0;
		return 0;
	}
	if (!valid_zone_name(name))
		return -1;
	/* $TZDIR replaces the system directories, as in glibc */
	if (tzdir && *tzdir) {
		list = &tzdir;
		nlist = 1;
	}
	for (i = 0; i < nlist && error; i++) {
		if (!read_zone_file(list[i], name, &data))
			error = tzif_offset(
			    (const unsigned char *)rt_str_cstr(&data), data.len,
			    t, off);
	}
	rt_str_dispose(&data);
	return error;
}

/* ------------------------------------------------------------------ */

static void fill(rt_datetime *out, long long epoch, int usec, long off,
		 int aware)
{
	long long local = epoch + off, days, secs, y;
	unsigned m, d;

	days = floor_div(local, 86400);
	secs = local - days * 86400;
	civil_from_days(days, &y, &m, &d);
	out->year = (int)y;
	out->month = (int)m;
	out->day = (int)d;
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	out->usec = usec;
	out->utcoff = off;
	out->aware = aware;
	out->epoch = epoch;
}

int rt_clock_at(rt_datetime *out, long long epoch, int usec, const char *tz,
		rt_err *err)
{
	rt_str upper = RT_STR_INIT;
	struct tm tm;
	time_t tt;
	long off;
	size_t i;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (epoch < MIN_EPOCH || epoch > MAX_EPOCH || usec < 0 || usec > 999999)
		return rt_err_set(err, RETORT_ECONFIG,
				  "time out of range: %lld.%06d", epoch, usec);
	if (!tz) {
		tt = (time_t)epoch;
		if (!localtime_r(&tt, &tm))
			return rt_err_set(err, RETORT_ECONFIG,
					  "time out of range: %lld", epoch);
		fill(out, epoch, usec, tm.tm_gmtoff, 0);
		return 0;
	}
	/* "First, assume correct capitalization ... Fall back to uppercase" */
	if (!zone_offset(tz, epoch, &off))
		goto found;
	rt_str_puts(&upper, tz);
	if (upper.oom) {
		error = rt_err_oom(err);
		goto done;
	}
	for (i = 0; i < upper.len; i++) {
		if (upper.ptr[i] >= 'a' && upper.ptr[i] <= 'z')
			upper.ptr[i] = (char)(upper.ptr[i] - 'a' + 'A');
	}
	if (!zone_offset(upper.ptr, epoch, &off))
		goto found;
	error =
	    rt_err_set(err, RETORT_ECONFIG, "Can't locate timezone: %s", tz);
	goto done;
found:
	if (epoch + off < MIN_EPOCH || epoch + off > MAX_EPOCH) {
		error = rt_err_set(err, RETORT_ECONFIG,
				   "time out of range: %lld", epoch);
		goto done;
	}
	fill(out, epoch, usec, off, 1);
done:
	rt_str_dispose(&upper);
	return error;
}

/* (`tz`, not `timezone`: <time.h> has a global of that name) */
int rt_clock_now(rt_datetime *out, const char *tz, rt_err *err)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts))
		return rt_err_set(err, RETORT_ECONFIG, "cannot read the clock");
	return rt_clock_at(out, (long long)ts.tv_sec, (int)(ts.tv_nsec / 1000),
			   tz, err);
}

int rt_datetime_format(rt_str *out, const rt_datetime *dt)
{
	size_t mark = out->len;
	long off = dt->utcoff;
	char sign = '+';

	rt_str_printf(out, "%04d-%02d-%02d %02d:%02d:%02d", dt->year, dt->month,
		      dt->day, dt->hour, dt->minute, dt->second);
	if (dt->usec)
		rt_str_printf(out, ".%06d", dt->usec);
	if (dt->aware) {
		if (off < 0) {
			sign = '-';
			off = -off;
		}
		rt_str_printf(out, "%c%02ld:%02ld", sign, off / 3600,
			      off / 60 % 60);
		if (off % 60)
			rt_str_printf(out, ":%02ld", off % 60);
	}
	if (out->oom) {
		rt_str_truncate(out, mark);
		return RETORT_ENOMEM;
	}
	return 0;
}

double rt_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void rt_clock_utc_text(char out[64])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, 64, "%04d-%02d-%02d %02d:%02d:%02d.%06d+00:00",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000));
}
