/* SPDX-License-Identifier: MIT */
/*
 * api_declared.c: where the declared schema comes from, for a dialect:
 * the file `schema` names, or what `schema_command` prints.
 *
 * schema_command runs through /bin/sh -c in the folder of retort.ini,
 * with every "{dialect}" replaced by the dialect's name (sqlite,
 * postgresql, mysql), under schema_command_timeout seconds (default 60;
 * its whole process group is killed when they pass, or on
 * retort_interrupt()). Its standard output is the declared schema. A
 * command that fails (exit status, signal, timeout), or prints nothing,
 * is a configuration error naming the retort.ini line, the command and
 * the first lines of its standard error; output that does not load into
 * the scratch database says so (rt_declared_load_error). Setting both
 * keys is an error: the declared schema has one source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/command.h"
#include "util/file.h"
#include "util/str.h"

/* Standard error's first lines, joined with " | ", for a one-line
 * message. */
static void stderr_lines(rt_str *m, const rt_str *err)
{
	const char *p = rt_str_cstr(err), *end = p + err->len;
	int lines = 0;

	while (p < end && lines < 3) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n) {
			rt_str_puts(m, lines++ ? " | " : ": ");
			rt_str_append(m, p, n);
		}
		p += n + 1;
	}
	if (!lines)
		rt_str_puts(m, " (nothing on standard error)");
}

/* cmd with every {dialect} replaced. */
static char *substitute(const char *cmd, rt_dialect d)
{
	static const char tag[] = "{dialect}";
	rt_str s = RT_STR_INIT;
	const char *p;

	while ((p = strstr(cmd, tag)) != NULL) {
		rt_str_append(&s, cmd, (size_t)(p - cmd));
		rt_str_puts(&s, rt_dialect_name(d));
		cmd = p + sizeof(tag) - 1;
	}
	rt_str_puts(&s, cmd);
	if (s.oom) {
		rt_str_dispose(&s);
		return NULL;
	}
	return rt_str_detach(&s);
}

/* The command's outcome as an error, or 0 when it printed something. */
static int command_failed(retort *r, const rt_declared *d,
			  const rt_command_result *res, long timeout)
{
	rt_str m = RT_STR_INIT;
	int code = RETORT_ECONFIG;

	rt_str_printf(&m, "%s:%u: schema_command '", rt_config_path(r->cfg),
		      d->line);
	rt_url_mask(&m, d->command); /* a URL in it keeps its password */
	rt_str_puts(&m, "' ");
	if (res->stopped) {
		rt_str_puts(&m, "was interrupted; nothing changed");
		code = RETORT_EINTERRUPTED;
	} else if (res->timed_out) {
		rt_str_printf(&m,
			      "did not finish within %ld s and was killed "
			      "(schema_command_timeout sets the limit)",
			      timeout);
	} else if (!res->exited) {
		rt_str_printf(&m, "was killed by signal %d", res->signal);
		stderr_lines(&m, &res->err);
	} else if (res->status) {
		rt_str_printf(&m, "failed with exit status %d", res->status);
		stderr_lines(&m, &res->err);
		if (res->status == 127)
			rt_str_puts(&m, " (127: the command was not found; "
					"is it installed and on PATH?)");
	} else {
		size_t i;

		for (i = 0; i < res->out.len; i++)
			if (!strchr(" \t\r\n", res->out.ptr[i])) {
				rt_str_dispose(&m);
				return 0;
			}
		rt_str_printf(&m,
			      "printed nothing; it must print the declared "
			      "schema as %s DDL on standard output",
			      rt_dialect_name(d->dialect));
	}
	if (m.oom) {
		rt_str_dispose(&m);
		return rt_err_oom(&r->err);
	}
	rt_fail(r, code, "%s", rt_str_cstr(&m));
	rt_str_dispose(&m);
	return code;
}

static int run_command(retort *r, const char *cmd, rt_declared *d)
{
	rt_command c;
	rt_command_result res;
	long timeout;
	int error;

	if ((error = rt_cfg_int(r, "schema_command_timeout", 60, &timeout)) < 0)
		return error;
	if (timeout <= 0)
		return rt_fail(
		    r, RETORT_ECONFIG,
		    "%s:%u: schema_command_timeout must be a "
		    "number of seconds above 0",
		    rt_config_path(r->cfg),
		    rt_config_line(r->cfg, "schema_command_timeout"));
	d->line = rt_config_line(r->cfg, "schema_command");
	if (!(d->command = substitute(cmd, d->dialect)) ||
	    !(d->path = strdup("<stdout>")))
		return rt_err_oom(&r->err);
	memset(&c, 0, sizeof(c));
	c.command = d->command;
	c.cwd = rt_config_here(r->cfg);
	c.timeout_ms = timeout * 1000;
	c.stop = &r->intr.pending;
	if ((error = rt_command_run(&c, &res, &r->err)) < 0 ||
	    (error = command_failed(r, d, &res, timeout)) < 0) {
		rt_command_result_dispose(&res);
		return error;
	}
	d->len = res.out.len;
	d->text = rt_str_detach(&res.out);
	rt_command_result_dispose(&res);
	return d->text ? 0 : rt_err_oom(&r->err);
}

static int read_file(retort *r, const char *cfg, rt_declared *d)
{
	rt_str buf = RT_STR_INIT;
	char why[128], *abs;
	int error;

	/* abs lives in the handle's arena */
	if ((error = rt_abs_path(r, cfg, &abs)) < 0)
		return error;
	if (!(d->path = strdup(abs)))
		return rt_err_oom(&r->err);
	error = rt_read_regular(d->path, 0, &buf, why, sizeof(why));
	if (error == -1)
		error = rt_fail(r, RETORT_ECONFIG,
				"cannot read the declared schema '%s': %s",
				d->path, why);
	d->len = buf.len;
	if (error == -2 || (error == 0 && !(d->text = rt_str_detach(&buf))))
		error = rt_err_oom(&r->err);
	rt_str_dispose(&buf);
	return error;
}

int rt_declared_configured(retort *r, int *yes)
{
	const char *file, *cmd;
	int error;

	*yes = 0;
	if ((error = rt_cfg(r, "schema", NULL, &file)) < 0 ||
	    (error = rt_cfg(r, "schema_command", NULL, &cmd)) < 0)
		return error;
	*yes = (file && *file) || (cmd && *cmd);
	return 0;
}

int rt_declared_read(retort *r, rt_dialect dialect, rt_declared *d)
{
	const char *file, *cmd;
	int error;

	memset(d, 0, sizeof(*d));
	d->dialect = dialect;
	if ((error = rt_cfg(r, "schema", NULL, &file)) < 0 ||
	    (error = rt_cfg(r, "schema_command", NULL, &cmd)) < 0)
		return error;
	if (file && *file && cmd && *cmd)
		return rt_fail(r, RETORT_ECONFIG,
			       "%s:%u: schema_command and schema (line %u) are "
			       "both set; the declared schema comes from one "
			       "of them: remove the other",
			       rt_config_path(r->cfg),
			       rt_config_line(r->cfg, "schema_command"),
			       rt_config_line(r->cfg, "schema"));
	if (cmd && *cmd)
		return run_command(r, cmd, d);
	if (!file || !*file)
		return rt_fail(r, RETORT_ECONFIG,
			       "no declared schema: set 'schema' in %s to the "
			       "SQL file that describes the schema (e.g. "
			       "schema = %%(here)s/schema.sql), or "
			       "'schema_command' to a command that prints it",
			       rt_config_path(r->cfg));
	return read_file(r, file, d);
}

int rt_declared_load_error(retort *r, const rt_declared *d, int error)
{
	rt_str m = RT_STR_INIT;

	if (error == RETORT_ENOMEM || error == RETORT_EDB ||
	    error == RETORT_EINTERRUPTED)
		return error;
	if (d->command) {
		rt_str_printf(&m, "%s:%u: schema_command '",
			      rt_config_path(r->cfg), d->line);
		rt_url_mask(&m, d->command);
		rt_str_printf(&m,
			      "' printed something that does not load as %s "
			      "DDL: ",
			      rt_dialect_name(d->dialect));
	}
	rt_str_puts(&m, rt_err_msg(&r->err));
	if (m.oom) {
		rt_str_dispose(&m);
		return rt_err_oom(&r->err);
	}
	rt_fail(r, RETORT_ECONFIG, "%s", rt_str_cstr(&m));
	rt_str_dispose(&m);
	return RETORT_ECONFIG;
}

void rt_declared_free(rt_declared *d)
{
	free(d->text);
	free(d->path);
	free(d->command);
	memset(d, 0, sizeof(*d));
}
