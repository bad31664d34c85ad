/*
 * run.c: online execution (see run.h).
 */
#include <stdlib.h>

#include "run.h"

int rt_run_online(retort *r, rt_run_kind kind, const char *const *targets,
		  size_t ntargets, const retort_run_options *opts)
{
	(void)kind;
	(void)targets;
	(void)ntargets;
	(void)opts;
	return rt_fail(r, RETORT_EUSAGE,
		       "running against a database is not available yet; "
		       "use --sql");
}

int rt_validate_checksums(retort *r, rt_problems *out)
{
	(void)r;
	(void)out;
	return 0;
}

int retort_version_rows(char ***out, size_t *count, retort *r)
{
	*out = NULL;
	*count = 0;
	return rt_fail(r, RETORT_EUSAGE,
		       "reading the database is not available yet");
}

void retort_strings_free(char **v, size_t count)
{
	size_t i;

	for (i = 0; v && i < count; i++)
		free(v[i]);
	free(v);
}

int retort_current(retort_revlist **out, retort *r, unsigned int flags)
{
	(void)flags;
	*out = NULL;
	return rt_fail(r, RETORT_EUSAGE,
		       "reading the database is not available yet");
}
