/* SPDX-License-Identifier: MIT */
/*
 * introspect.c: a live database's schema as a model (rt_schema_introspect):
 * the dialect's back end (introspect_sqlite.c, introspect_pg.c,
 * introspect_mysql.c) fills a
 * new model, which is then filtered (filter.c) and sorted.
 *
 * Invariants: the schema files depend one way: model.c (helpers) <- the
 * back ends <- this file; on failure nothing is returned and the partial
 * model is freed.
 */
#include <stdlib.h>

#include "schema/internal.h"

int rt_schema_introspect(rt_schema **out, const rt_driver *drv, rt_conn *c,
			 const rt_introspect_opts *o, rt_err *err)
{
	static const rt_introspect_opts none = { NULL, NULL, NULL, NULL, NULL };
	rt_schema *s;
	int error;

	*out = NULL;
	if (!drv || !c)
		return rt_err_set(err, RETORT_EUSAGE,
				  "schema introspection needs an open "
				  "connection");
	if (!o)
		o = &none;
	s = calloc(1, sizeof(*s));
	if (!s)
		return rt_err_oom(err);
	s->dialect = drv->dialect;
	switch (drv->dialect) {
	case RT_DIALECT_SQLITE:
		error = rt_sx_introspect_sqlite(s, drv, c, o, err);
		break;
	case RT_DIALECT_POSTGRESQL:
		error = rt_sx_introspect_pg(s, drv, c, o, err);
		break;
	case RT_DIALECT_MYSQL:
		error = rt_sx_introspect_mysql(s, drv, c, o, err);
		break;
	default:
		error = rt_err_set(err, RETORT_EUSAGE,
				   "schema introspection does not support %s",
				   rt_dialect_name(drv->dialect));
		break;
	}
	if (error < 0) {
		rt_schema_free(s);
		return error;
	}
	rt_sx_filter(s, o->filter);
	rt_sx_sort(s);
	*out = s;
	return 0;
}
