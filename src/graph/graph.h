/* SPDX-License-Identifier: MIT */
/*
 * Stage graph/ (script -> graph -> resolve): parsed revisions in, the
 * revision graph (graph.h), identifier resolution and traversal
 * (resolve.h) and the list of problems found on the way (problem.h) out.
 * Uses util/, sql/ and script/.
 *
 * graph.h: the revision graph, built exactly as Alembic's RevisionMap.
 *
 * Revisions are numbered 0..n-1 in load order (version locations in order,
 * files sorted by name); that order breaks every tie. Edge lists:
 *   down      Revises, resolved (Alembic's _versioned_down_revisions)
 *   deps      Depends On, resolved to revisions (_resolved_dependencies)
 *   norm_down down + deps minus deps some versioned ancestor already has
 *             (_normalized_down_revisions): what traversal and the version
 *             table bookkeeping follow
 *   next      children through down (nextrev)
 *   all_next  children through down or deps (_all_nextrev)
 * `gen` is a topological level (1 + max over all down edges), so an
 * ancestor always has a smaller gen than its descendants: reachability
 * searches prune on it.
 *
 * Branch labels are propagated as Alembic's _add_branches does: to every
 * descendant of the labelled revision, and to its ancestors down to the
 * nearest real branch point or merge point when its descendants form one
 * plain line.
 */
#ifndef RT_GRAPH_H
#define RT_GRAPH_H

#include <stdint.h>

#include "graph/problem.h"
#include "retort.h"
#include "script/script.h"
#include "util/arena.h"
#include "util/map.h"

#define RT_NONE (-1) /* Python's None: no revision */
#define RT_BASE (-2) /* the string "base" returned by _walk */

typedef struct rt_idlist {
	uint32_t *v;
	uint32_t n;
} rt_idlist;

struct retort_revision {
	rt_script s;
	uint32_t idx;
	uint32_t gen;
	unsigned flags; /* RETORT_REV_* */
	int real_branchpoint;
	rt_idlist down, deps, norm_deps, norm_down, next, all_next;
	rt_idlist labels;	  /* label ids, own and inherited */
	const char **label_names; /* the same labels by name, sorted */
	/* section checksums, computed on first use (the pointer is fixed,
	 * the 65 bytes per entry of s.sections it points to, upgrades
	 * first, are a cache) */
	char *sums;
};

/* The SHA-256 (hex) of the section of a revision's upgrade (0) or
 * downgrade (1) that runs on dialect d (rt_script_section()); NULL when
 * there is none. Each section has its own checksum, so editing one
 * dialect's section does not change what another dialect recorded. */
const char *rt_revision_sum(const retort_revision *rev, int downgrade,
			    rt_dialect d);
/* The same for s.sections[downgrade][i]; NULL when i is out of range. */
const char *rt_revision_sum_at(const retort_revision *rev, int downgrade,
			       uint32_t i);
/* The same for the default section (s.upgrade / s.downgrade). */
const char *rt_revision_default_sum(const retort_revision *rev, int downgrade);

typedef struct rt_label {
	const char *name;
	uint32_t rev; /* the revision that declares it */
} rt_label;

typedef struct rt_graph {
	rt_arena arena;
	retort_revision *revs;
	uint32_t n;
	int own_revs; /* revs is freed with the graph (rt_graph_build) */
	rt_map ids;   /* revision id -> index */
	rt_map keys;  /* ids and branch labels -> index (Alembic's map) */
	rt_label *labels;
	uint32_t nlabels;
	rt_map label_ids; /* label -> label index */
	rt_idlist heads, real_heads, bases, real_bases;
	/* set when building found a problem (keep_going): a cycle leaves
	 * the graph unusable for traversals */
	int broken;
	int cyclic;
	/* traversal scratch, sized n */
	uint32_t *mark;
	uint32_t mark_gen;
} rt_graph;

/*
 * Build the graph from parsed scripts (copied into the graph). Problems
 * that Alembic raises while building its map (self-loops, duplicates,
 * duplicate labels, missing references, cycles) are added to `problems`;
 * the first one is also returned as the error (RETORT_EGRAPH). With
 * `keep_going`, building continues past missing references (they are
 * dropped) so that validate can report more than one problem.
 */
int rt_graph_build(rt_graph **out, const rt_script *scripts, uint32_t n,
		   rt_problems *problems, int keep_going, rt_err *err);
/* The same without copying the scripts: revs is an array of n
 * revisions (never NULL, one slot at least) with only .s set (the rest
 * zero), which the graph uses in
 * place; the caller keeps it (in an arena) as long as the graph. A
 * project of many revisions is loaded straight into it. */
int rt_graph_adopt(rt_graph **out, retort_revision *revs, uint32_t n,
		   rt_problems *problems, int keep_going, rt_err *err);
void rt_graph_free(rt_graph *g);

/* Exact id or label lookup (Alembic's _revision_map[key]). */
int rt_graph_lookup(const rt_graph *g, const char *key, size_t len,
		    uint32_t *idx);
/* 1 when revision `idx` carries label id `label`. */
int rt_graph_has_label(const rt_graph *g, uint32_t idx, uint32_t label);

/* Sets of revisions as byte arrays of size g->n. */
typedef struct rt_set {
	uint8_t *in;
	uint32_t count;
} rt_set;
int rt_set_init(rt_set *s, const rt_graph *g);
void rt_set_add(rt_set *s, uint32_t i);
void rt_set_free(rt_set *s);

enum rt_walk_dir {
	RT_ANCESTORS_VERSIONED,	  /* down */
	RT_ANCESTORS,		  /* norm_down (include dependencies) */
	RT_DESCENDANTS_VERSIONED, /* next */
	RT_DESCENDANTS		  /* all_next */
};

/* Add to `set` the targets and everything reachable from them. */
int rt_graph_reach(const rt_graph *g, const uint32_t *targets, uint32_t n,
		   enum rt_walk_dir dir, rt_set *set);

/*
 * Alembic's _iterate_related_revisions(check=True) over norm_down: the
 * ancestors of each target in turn with one shared seen-set, failing with
 * "Requested revision X overlaps with other requested revisions Y" when a
 * target's walk meets another target. Adds ancestors and targets to `set`.
 */
int rt_graph_ancestors_checked(const rt_graph *g, const uint32_t *targets,
			       uint32_t n, rt_set *set, rt_err *err);

/* Is `anc` an ancestor of (or equal to) `desc` through norm_down? */
int rt_graph_is_ancestor(rt_graph *g, uint32_t anc, uint32_t desc);

#endif
