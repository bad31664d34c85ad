/* SPDX-License-Identifier: MIT */
/*
 * driver.c: choosing a driver for a dialect, and the helpers every driver
 * shares.
 */
#include <stdlib.h>

#include "run/driver.h"

void rt_rows_free(rt_rows *rows)
{
	size_t i;

	if (!rows->cells)
		return;
	for (i = 0; i < rows->nrows * rows->ncols; i++)
		free(rows->cells[i]);
	free(rows->cells);
	rows->cells = NULL;
	rows->nrows = rows->ncols = 0;
}

const rt_driver *rt_driver_for(rt_dialect d)
{
	switch (d) {
	case RT_DIALECT_SQLITE:
		return &rt_sqlite_driver;
	case RT_DIALECT_POSTGRESQL:
#ifdef RETORT_WITH_POSTGRES
		return &rt_postgres_driver;
#else
		return NULL;
#endif
	case RT_DIALECT_MYSQL:
#ifdef RETORT_WITH_MYSQL
		return &rt_mysql_driver;
#else
		return NULL;
#endif
	}
	return NULL;
}
