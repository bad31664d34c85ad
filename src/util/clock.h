/* SPDX-License-Identifier: MIT */
/*
 * clock.h: wall-clock time for Create Date and file names, as Alembic
 * computes them: local time when no timezone is configured, otherwise the
 * time in the named zone (read from the system's TZif files under
 * /usr/share/zoneinfo, or $TZDIR), without touching the process's TZ.
 */
#ifndef RT_CLOCK_H
#define RT_CLOCK_H

#include "util/err.h"
#include "util/str.h"

typedef struct rt_datetime {
	int year, month, day, hour, minute, second, usec;
	long utcoff;	 /* seconds east of UTC */
	int aware;	 /* a timezone was configured */
	long long epoch; /* seconds since 1970-01-01 UTC */
} rt_datetime;

/* Now, in `timezone` (NULL: local, naive). Unknown zone: RETORT_ECONFIG
 * "Can't locate timezone: X" (Alembic's text; tried as given, then
 * upper-cased). */
int rt_clock_now(rt_datetime *out, const char *timezone, rt_err *err);
/* The same conversion for a given instant: `epoch` seconds since 1970 UTC
 * plus `usec` (0..999999), in `timezone` (NULL: local, naive). Instants
 * outside years 1..9999 are RETORT_ECONFIG "time out of range: ...". */
int rt_clock_at(rt_datetime *out, long long epoch, int usec,
		const char *timezone, rt_err *err);
/* As Python's str(datetime): "2026-11-22 15:40:00.123456", the fraction
 * omitted when usec is 0, "+01:00" appended when aware. */
int rt_datetime_format(rt_str *out, const rt_datetime *dt);
/* The current UTC time as "2026-11-22 15:40:00.123456+00:00" (for the
 * log table: sorts as text, and PostgreSQL reads it as timestamptz). */
void rt_clock_utc_text(char out[64]);
/* Monotonic milliseconds, for durations. */
double rt_clock_ms(void);

#endif
