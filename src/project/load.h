/* SPDX-License-Identifier: MIT */
/*
 * load.h: reading and parsing a project's revisions into r->scripts, the
 * array the graph is then built on in place (rt_graph_adopt).
 *
 * The files are read and parsed on up to four threads when there are
 * many of them and the process may run on several cores: loading is
 * mostly the kernel opening and reading files, which a second core
 * shares (lint of 10,000 revisions: 85 ms on one core, 66 ms on two,
 * docs/benchmarks.md). What
 * comes out does not depend on the threads: the revisions stay in file
 * order, and so do the failures. Without keep_going the first failure
 * in file order is the error, as it is when one thread reads them all;
 * with keep_going every failure is a problem on r->problems, in file
 * order, and loading goes on.
 */
#ifndef RT_PROJECT_LOAD_H
#define RT_PROJECT_LOAD_H

#include "project/files.h"
#include "project/project.h"

/* The files' revisions. 0, or the first failure's code (on r->err). */
int rt_load_files(retort *r, int keep_going, const rt_files *files);
/* The same for the sources handed to retort_open (in memory, parsed in
 * this thread). */
int rt_load_sources(retort *r, int keep_going);

#endif
