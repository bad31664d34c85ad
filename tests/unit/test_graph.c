/* SPDX-License-Identifier: MIT */
/*
 * test_graph.c: building the revision graph (src/graph.c) as Alembic's
 * RevisionMap does: heads, bases, "real" heads and bases, children,
 * normalised dependencies, branch-label propagation, flags, and every
 * problem a build can report (self-loops, dependency self-loops, cycles,
 * duplicates, missing references) with its exact text. Graph shapes and
 * expected values come from Alembic's tests/test_revision.py and
 * tests/test_version_traversal.py and were checked against Alembic 1.8.1.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "graph_fixture.h"

/* "flags" of a revision as text, e.g. "head real_head base" */
static char *flags_str(const retort_revision *r)
{
	rt_str s = RT_STR_INIT;

	if (r->flags & RETORT_REV_HEAD)
		rt_str_puts(&s, " head");
	if (r->flags & RETORT_REV_REAL_HEAD)
		rt_str_puts(&s, " real_head");
	if (r->flags & RETORT_REV_BASE)
		rt_str_puts(&s, " base");
	if (r->flags & RETORT_REV_BRANCHPOINT)
		rt_str_puts(&s, " branchpoint");
	if (r->flags & RETORT_REV_MERGEPOINT)
		rt_str_puts(&s, " mergepoint");
	if (!s.len)
		return rt_strdup("");
	{
		char *out = rt_strdup(s.ptr + 1);

		rt_str_dispose(&s);
		return out;
	}
}

static char *labels_str(const retort_revision *r)
{
	return fx_strs_str(r->label_names, r->labels.n);
}

#define ASSERT_LABELS(g, id, expected) \
	FX_ASSERT_STR_FREE(labels_str(fx_rev_of((g), (id))), (expected))
#define ASSERT_FLAGS(g, id, expected) \
	FX_ASSERT_STR_FREE(flags_str(fx_rev_of((g), (id))), (expected))
#define ASSERT_NORM(g, id, expected) \
	FX_ASSERT_IDLIST((g), &fx_rev_of((g), (id))->norm_down, (expected))
#define ASSERT_NEXT(g, id, expected) \
	FX_ASSERT_IDLIST((g), &fx_rev_of((g), (id))->next, (expected))
#define ASSERT_ALL_NEXT(g, id, expected) \
	FX_ASSERT_IDLIST((g), &fx_rev_of((g), (id))->all_next, (expected))

/* ------------------------------------------------------------------ */
/* graphs shared by several tests */

/* LabeledBranchTest */
static const fx_rev LABELED[] = {
	{ "a", "", NULL, "abranch" },
	{ "b", "a", NULL, NULL },
	{ "somelongername", "b", NULL, NULL },
	{ "c", "somelongername", NULL, NULL },
	{ "d", "", NULL, NULL },
	{ "e", "d", NULL, "ebranch" },
	{ "someothername", "e", NULL, NULL },
	{ "f", "someothername", NULL, NULL },
};

/* BranchedPathTest */
static const fx_rev BRANCHED[] = {
	{ "a", "", NULL, NULL },	 { "b", "a", NULL, NULL },
	{ "c1", "b", NULL, "c1branch" }, { "d1", "c1", NULL, NULL },
	{ "c2", "b", NULL, "c2branch" }, { "d2", "c2", NULL, NULL },
};

/* MergedPathTest */
static const fx_rev MERGED[] = {
	{ "a", "", NULL, NULL },	 { "b", "a", NULL, NULL },
	{ "c1", "b", NULL, NULL },	 { "d1", "c1", NULL, NULL },
	{ "c2", "b", NULL, "c2branch" }, { "d2", "c2", NULL, NULL },
	{ "e", "d1 d2", NULL, NULL },	 { "f", "e", NULL, NULL },
};

/* MultipleBaseCrossDependencyTestOne */
static const fx_rev CROSS1[] = {
	{ "base1", "", NULL, "b_1" },	{ "a1a", "base1", NULL, NULL },
	{ "a1b", "base1", NULL, NULL }, { "b1a", "a1a", NULL, NULL },
	{ "b1b", "a1b", "a3", NULL },	{ "base2", "", NULL, "b_2" },
	{ "a2", "base2", NULL, NULL },	{ "b2", "a2", NULL, NULL },
	{ "c2", "b2", "a3", NULL },	{ "d2", "c2", NULL, NULL },
	{ "base3", "", NULL, "b_3" },	{ "a3", "base3", NULL, NULL },
	{ "b3", "a3", NULL, NULL },
};

/* MultipleBaseCrossDependencyTestTwo */
static const fx_rev CROSS2[] = {
	{ "base1", "", NULL, "b_1" },  { "a1", "base1", NULL, NULL },
	{ "b1", "a1", NULL, NULL },    { "c1", "b1", NULL, NULL },
	{ "base2", "", "b_1", "b_2" }, { "a2", "base2", NULL, NULL },
	{ "b2", "a2", NULL, NULL },    { "c2", "b2", NULL, NULL },
	{ "d2", "c2", NULL, NULL },    { "base3", "", NULL, "b_3" },
	{ "a3", "base3", NULL, NULL }, { "b3", "a3", NULL, NULL },
	{ "c3", "b3", "b2", NULL },    { "d3", "c3", NULL, NULL },
};

/* NormalizedDownRevTest */
static const fx_rev NORMALIZED[] = {
	{ "a1", "", NULL, NULL },   { "a2", "a1", NULL, NULL },
	{ "a3", "a2", NULL, NULL }, { "b1", "", NULL, NULL },
	{ "b2", "b1", "a3", NULL }, { "b3", "b2", NULL, NULL },
	{ "b4", "b3", "a3", NULL }, { "b5", "b4", "b4", NULL },
};

/* ------------------------------------------------------------------ */
/* building: heads, bases, children */

Test(build, empty_graph)
{
	fx_graph fx;
	rt_graph *g = fx_ok(&fx, NULL, 0);

	cr_assert_eq(g->n, 0);
	cr_assert_eq(g->heads.n, 0);
	cr_assert_eq(g->real_heads.n, 0);
	cr_assert_eq(g->bases.n, 0);
	cr_assert_eq(g->real_bases.n, 0);
	fx_free(&fx);
}

Test(build, linear_chain)
{
	static const fx_rev revs[] = { { "a", "" },
				       { "b", "a" },
				       { "c", "b" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	cr_assert_eq(g->n, 3);
	FX_ASSERT_IDLIST(g, &g->heads, "c");
	FX_ASSERT_IDLIST(g, &g->real_heads, "c");
	FX_ASSERT_IDLIST(g, &g->bases, "a");
	FX_ASSERT_IDLIST(g, &g->real_bases, "a");
	ASSERT_FLAGS(g, "a", "base");
	ASSERT_FLAGS(g, "b", "");
	ASSERT_FLAGS(g, "c", "head real_head");
	ASSERT_NEXT(g, "a", "b");
	ASSERT_NORM(g, "c", "b");
	/* revisions are numbered in load order */
	cr_assert_eq(fx_idx(g, "a"), 0);
	cr_assert_eq(fx_idx(g, "c"), 2);
	cr_assert_lt(fx_rev_of(g, "a")->gen, fx_rev_of(g, "b")->gen);
	cr_assert_lt(fx_rev_of(g, "b")->gen, fx_rev_of(g, "c")->gen);
	fx_free(&fx);
}

Test(build, heads_in_load_order_two_heads_then_one_more)
{
	/* APITest.test_add_revision_two_head */
	static const fx_rev two[] = {
		{ "a", "" }, { "b", "a" }, { "c1", "b" }, { "c2", "b" }
	};
	static const fx_rev three[] = { { "a", "" },
					{ "b", "a" },
					{ "c1", "b" },
					{ "c2", "b" },
					{ "d1", "c1" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, two);

	FX_ASSERT_IDLIST(g, &g->heads, "c1 c2");
	ASSERT_FLAGS(g, "b", "branchpoint");
	ASSERT_NEXT(g, "b", "c1 c2");
	fx_free(&fx);
	g = FX_OK(&fx, three);
	FX_ASSERT_IDLIST(g, &g->heads, "c2 d1");
	fx_free(&fx);
}

Test(build, diamond_flags)
{
	static const fx_rev revs[] = { { "a", "" },
				       { "b1", "a" },
				       { "b2", "a" },
				       { "c", "b1 b2" },
				       { "d", "c" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	FX_ASSERT_IDLIST(g, &g->heads, "d");
	ASSERT_FLAGS(g, "a", "base branchpoint");
	ASSERT_FLAGS(g, "c", "mergepoint");
	ASSERT_NORM(g, "c", "b1 b2");
	FX_ASSERT_IDLIST(g, &fx_rev_of(g, "c")->down, "b1 b2");
	cr_assert_gt(fx_rev_of(g, "c")->gen, fx_rev_of(g, "b2")->gen);
	fx_free(&fx);
}

Test(build, forest_heads_and_bases)
{
	static const fx_rev revs[] = {
		{ "a1", "" }, { "b1", "a1" }, { "a2", "" }, { "b2", "a2" }
	};
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	FX_ASSERT_IDLIST(g, &g->heads, "b1 b2");
	FX_ASSERT_IDLIST(g, &g->bases, "a1 a2");
	fx_free(&fx);
}

Test(build, cross_dependency_one_heads_and_children)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS1);

	FX_ASSERT_IDLIST(g, &g->heads, "b1a b1b d2 b3");
	FX_ASSERT_IDLIST(g, &g->real_heads, "b1a b1b d2 b3");
	FX_ASSERT_IDLIST(g, &g->bases, "base1 base2 base3");
	FX_ASSERT_IDLIST(g, &g->real_bases, "base1 base2 base3");
	ASSERT_NORM(g, "b1b", "a1b a3");
	ASSERT_NORM(g, "c2", "b2 a3");
	ASSERT_NEXT(g, "a3", "b3");
	ASSERT_ALL_NEXT(g, "a3", "b1b c2 b3");
	FX_ASSERT_IDLIST(g, &fx_rev_of(g, "c2")->deps, "a3");
	/* a3 has more than one child counting dependencies */
	cr_assert_eq(fx_rev_of(g, "a3")->real_branchpoint, 1);
	ASSERT_FLAGS(g, "a3", "");
	ASSERT_LABELS(g, "b1b", "b_1");
	ASSERT_LABELS(g, "c2", "b_2");
	ASSERT_LABELS(g, "a3", "b_3");
	fx_free(&fx);
}

Test(build, cross_dependency_two_dependency_on_a_label)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS2);

	FX_ASSERT_IDLIST(g, &g->heads, "c1 d2 d3");
	FX_ASSERT_IDLIST(g, &g->real_heads, "c1 d2 d3");
	FX_ASSERT_IDLIST(g, &g->bases, "base1 base2 base3");
	/* base2 depends on b_1, so it is not a real base */
	FX_ASSERT_IDLIST(g, &g->real_bases, "base1 base3");
	ASSERT_FLAGS(g, "base2", "base");
	/* the label b_1 resolves to base1 */
	FX_ASSERT_IDLIST(g, &fx_rev_of(g, "base2")->deps, "base1");
	ASSERT_NORM(g, "base2", "base1");
	ASSERT_NORM(g, "c3", "b3 b2");
	ASSERT_ALL_NEXT(g, "base1", "a1 base2");
	ASSERT_ALL_NEXT(g, "b2", "c2 c3");
	ASSERT_LABELS(g, "base2", "b_2");
	ASSERT_LABELS(g, "base1", "b_1");
	fx_free(&fx);
}

Test(build, cross_dependency_three_parent_only_through_dependency)
{
	static const fx_rev revs[] = { { "base1", "" },
				       { "a1", "base1" },
				       { "b1", "a1" },
				       { "c2", "", "a1" },
				       { "c3", "c2" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	FX_ASSERT_IDLIST(g, &g->heads, "b1 c3");
	FX_ASSERT_IDLIST(g, &g->real_heads, "b1 c3");
	FX_ASSERT_IDLIST(g, &g->bases, "base1 c2");
	FX_ASSERT_IDLIST(g, &g->real_bases, "base1");
	ASSERT_NORM(g, "c2", "a1");
	ASSERT_ALL_NEXT(g, "a1", "b1 c2");
	fx_free(&fx);
}

Test(build, effective_head_through_dependency)
{
	/* MultipleBranchEffectiveHead */
	static const fx_rev revs[] = { { "y1", "", NULL, "y" },
				       { "x1", "", NULL, "x" },
				       { "y2", "y1", "x1", NULL },
				       { "x2", "x1", NULL, NULL } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	FX_ASSERT_IDLIST(g, &g->heads, "y2 x2");
	FX_ASSERT_IDLIST(g, &g->real_heads, "y2 x2");
	ASSERT_NORM(g, "y2", "y1 x1");
	ASSERT_ALL_NEXT(g, "x1", "y2 x2");
	ASSERT_LABELS(g, "y2", "y");
	ASSERT_LABELS(g, "x2", "x");
	fx_free(&fx);
}

Test(build, head_that_is_only_depended_upon_is_not_a_real_head)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, NORMALIZED);

	FX_ASSERT_IDLIST(g, &g->heads, "a3 b5");
	FX_ASSERT_IDLIST(g, &g->real_heads, "b5");
	ASSERT_FLAGS(g, "a3", "head");
	ASSERT_FLAGS(g, "b5", "head real_head");
	ASSERT_ALL_NEXT(g, "a3", "b2 b4");
	fx_free(&fx);
}

Test(build, substring_ids_do_not_make_loops)
{
	/* GraphWithLoopTest: #784 */
	static const fx_rev down_and_dep[] = {
		{ "user_foo", "" }, { "user", "user_foo", "user_foo" }
	};
	static const fx_rev down_only[] = { { "user_foo", "" },
					    { "user", "user_foo" } };
	static const fx_rev dep_only[] = { { "user_foo", "" },
					   { "user", "", "user_foo" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, down_and_dep);

	FX_ASSERT_IDLIST(g, &g->heads, "user");
	ASSERT_NORM(g, "user", "user_foo");
	ASSERT_ALL_NEXT(g, "user_foo", "user");
	fx_free(&fx);
	g = FX_OK(&fx, down_only);
	FX_ASSERT_IDLIST(g, &g->heads, "user");
	fx_free(&fx);
	g = FX_OK(&fx, dep_only);
	FX_ASSERT_IDLIST(g, &g->heads, "user_foo user");
	FX_ASSERT_IDLIST(g, &g->real_heads, "user");
	FX_ASSERT_IDLIST(g, &g->bases, "user_foo user");
	FX_ASSERT_IDLIST(g, &g->real_bases, "user_foo");
	fx_free(&fx);
}

Test(build, ids_with_dashes_and_dots)
{
	static const fx_rev revs[] = { { "2024-01-01.init", "" },
				       { "2024-01-02.users",
					 "2024-01-01.init" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	FX_ASSERT_IDLIST(g, &g->heads, "2024-01-02.users");
	ASSERT_NORM(g, "2024-01-02.users", "2024-01-01.init");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* normalised dependencies (NormalizedDownRevTest) */

Test(normalized, dependency_of_an_ancestor_is_dropped)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, NORMALIZED);

	/* b4 depends on a3, but its ancestor b2 already does */
	FX_ASSERT_IDLIST(g, &fx_rev_of(g, "b4")->deps, "a3");
	FX_ASSERT_IDLIST(g, &fx_rev_of(g, "b4")->norm_deps, "");
	ASSERT_NORM(g, "b4", "b3");
	ASSERT_NORM(g, "b2", "b1 a3");
	/* a dependency that is also the down revision collapses */
	ASSERT_NORM(g, "b5", "b4");
	ASSERT_ALL_NEXT(g, "b4", "b5");
	fx_free(&fx);
}

Test(normalized, duplicate_dependencies_collapse)
{
	static const fx_rev revs[] = { { "a", "" },
				       { "b", "" },
				       { "c", "a", "b b" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	FX_ASSERT_IDLIST(g, &fx_rev_of(g, "c")->deps, "b");
	ASSERT_NORM(g, "c", "a b");
	fx_free(&fx);
}

Test(normalized, dependency_on_own_down_revision)
{
	/* DependsOnOwnDownrevTest (#843) */
	static const fx_rev revs[] = { { "a1", "" }, { "a2", "a1", "a1" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	ASSERT_NORM(g, "a2", "a1");
	FX_ASSERT_IDLIST(g, &g->heads, "a2");
	FX_ASSERT_IDLIST(g, &g->real_heads, "a2");
	fx_free(&fx);
}

Test(normalized, dependency_kept_when_only_a_dependency_declares_it)
{
	/* DependsOnBranchTestFour (#789): b4's dependency on a3 is implied
	 * by b2, while a3's own line keeps its dependency */
	static const fx_rev revs[] = {
		{ "c1", "" },	      { "a1", "" },
		{ "a2", "a1", "c1" }, { "a3", "a2", "c1" },
		{ "b1", "" },	      { "b2", "b1", "a3" },
		{ "b3", "b2" },	      { "b4", "b3", "a3" },
		{ "b5", "b4" }
	};
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	ASSERT_NORM(g, "a2", "a1 c1");
	ASSERT_NORM(g, "a3", "a2");
	ASSERT_NORM(g, "b2", "b1 a3");
	ASSERT_NORM(g, "b4", "b3");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* branch labels */

Test(labels, labeled_branch_test)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);
	uint32_t idx;

	FX_ASSERT_IDLIST(g, &g->heads, "c f");
	FX_ASSERT_IDLIST(g, &g->bases, "a d");
	ASSERT_LABELS(g, "a", "abranch");
	ASSERT_LABELS(g, "b", "abranch");
	ASSERT_LABELS(g, "somelongername", "abranch");
	ASSERT_LABELS(g, "c", "abranch");
	/* d is the parent of the labelled e and is not a branch point */
	ASSERT_LABELS(g, "d", "ebranch");
	ASSERT_LABELS(g, "e", "ebranch");
	ASSERT_LABELS(g, "someothername", "ebranch");
	ASSERT_LABELS(g, "f", "ebranch");
	/* labels are keys of the map, ids are not */
	cr_assert(rt_graph_lookup(g, "ebranch", 7, &idx));
	cr_assert_eq(idx, fx_idx(g, "e"));
	cr_assert_not(rt_map_get(&g->ids, "ebranch", 7, &idx));
	cr_assert_eq(g->nlabels, 2);
	cr_assert_str_eq(g->labels[0].name, "abranch");
	cr_assert_eq(g->labels[0].rev, fx_idx(g, "a"));
	cr_assert_str_eq(g->labels[1].name, "ebranch");
	cr_assert(rt_graph_has_label(g, fx_idx(g, "d"), 1));
	cr_assert_not(rt_graph_has_label(g, fx_idx(g, "d"), 0));
	fx_free(&fx);
}

Test(labels, stop_at_branch_point)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	ASSERT_LABELS(g, "a", "");
	ASSERT_LABELS(g, "b", "");
	ASSERT_LABELS(g, "c1", "c1branch");
	ASSERT_LABELS(g, "d1", "c1branch");
	ASSERT_LABELS(g, "c2", "c2branch");
	ASSERT_LABELS(g, "d2", "c2branch");
	fx_free(&fx);
}

Test(labels, propagate_through_a_merge_and_stop_there_going_back)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);

	ASSERT_LABELS(g, "b", "");
	ASSERT_LABELS(g, "c1", "");
	ASSERT_LABELS(g, "d1", "");
	ASSERT_LABELS(g, "c2", "c2branch");
	ASSERT_LABELS(g, "d2", "c2branch");
	ASSERT_LABELS(g, "e", "c2branch");
	ASSERT_LABELS(g, "f", "c2branch");
	fx_free(&fx);
}

Test(labels, dependency_children_do_not_inherit_and_real_branch_point_stops)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS1);

	/* a3 has children b3, b1b and c2 counting dependencies: the walk
	 * back from b3 stops there, but base3 -> a3 -> b3 is one line */
	ASSERT_LABELS(g, "base3", "b_3");
	ASSERT_LABELS(g, "a3", "b_3");
	ASSERT_LABELS(g, "b3", "b_3");
	ASSERT_LABELS(g, "b1b", "b_1");
	fx_free(&fx);
}

Test(labels, several_labels_sorted)
{
	static const fx_rev revs[] = { { "a", "", NULL, "zeta alpha" },
				       { "b", "a", NULL, "mid" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	ASSERT_LABELS(g, "a", "alpha mid zeta");
	ASSERT_LABELS(g, "b", "alpha mid zeta");
	fx_free(&fx);
}

Test(labels, duplicate_branch_label)
{
	static const fx_rev revs[] = { { "a", "" },
				       { "b", "a" },
				       { "c", "b", NULL, "xy1" },
				       { "d", "" },
				       { "e", "d", NULL, "xy1" },
				       { "f", "e" } };

	/* Alembic: "Branch name 'xy1' in revision (?:e|c) already used by
	 * revision (?:e|c)"; load order makes it e */
	fx_build_fails(revs, FX_N(revs),
		       "versions/e.sql:6: Branch name 'xy1' in revision e "
		       "already used by revision c");
}

Test(labels, label_equal_to_a_revision_id)
{
	static const fx_rev revs[] = { { "a", "" },
				       { "b", "a" },
				       { "c", "b", NULL, "a" } };

	fx_build_fails(revs, FX_N(revs),
		       "versions/c.sql:6: Branch name 'a' in revision c "
		       "already used by revision a");
}

Test(labels, depending_on_own_label)
{
	/* Alembic resolves the label to the revision itself and reports a
	 * dependency cycle */
	static const fx_rev revs[] = { { "a", "", "lab", "lab" } };

	fx_build_fails(revs, FX_N(revs),
		       "Dependency cycle is detected in revisions (a)");
}

/* ------------------------------------------------------------------ */
/* loops (GraphWithLoopTest) */

Test(loops, self_loops)
{
	static const fx_rev solitary[] = { { "a", "a" } };
	static const fx_rev base[] = { { "a", "a" },
				       { "b", "a" },
				       { "c", "b" } };
	static const fx_rev head[] = { { "a", "" },
				       { "b", "a" },
				       { "c", "b c" } };
	static const fx_rev branch_point[] = {
		{ "a", "" }, { "b", "a b" }, { "c1", "b" }, { "c2", "b" }
	};
	static const fx_rev merge_point[] = {
		{ "a", "" }, { "b1", "a" }, { "b2", "a" }, { "c", "b1 b2 c" }
	};

	fx_build_fails(
	    solitary, FX_N(solitary),
	    "versions/a.sql:4: Self-loop is detected in revisions (a)");
	fx_build_fails(
	    base, FX_N(base),
	    "versions/a.sql:4: Self-loop is detected in revisions (a)");
	fx_build_fails(
	    head, FX_N(head),
	    "versions/c.sql:4: Self-loop is detected in revisions (c)");
	fx_build_fails(
	    branch_point, FX_N(branch_point),
	    "versions/b.sql:4: Self-loop is detected in revisions (b)");
	fx_build_fails(
	    merge_point, FX_N(merge_point),
	    "versions/c.sql:4: Self-loop is detected in revisions (c)");
}

Test(loops, dependency_self_loops)
{
	static const fx_rev solitary[] = { { "a", "", "a" } };
	static const fx_rev base[] = { { "a", "", "a" },
				       { "b", "a" },
				       { "c", "b" } };
	static const fx_rev head[] = { { "a", "" },
				       { "b", "a" },
				       { "c", "b", "c" } };
	static const fx_rev branch_point[] = {
		{ "a", "" }, { "b", "a", "b" }, { "c1", "b" }, { "c2", "b" }
	};
	static const fx_rev merge_point[] = {
		{ "a", "" }, { "b1", "a" }, { "b2", "a" }, { "c", "b1 b2", "c" }
	};

	fx_build_fails(solitary, FX_N(solitary),
		       "versions/a.sql:6: Dependency self-loop is detected in "
		       "revisions (a)");
	fx_build_fails(base, FX_N(base),
		       "versions/a.sql:6: Dependency self-loop is detected in "
		       "revisions (a)");
	fx_build_fails(head, FX_N(head),
		       "versions/c.sql:6: Dependency self-loop is detected in "
		       "revisions (c)");
	fx_build_fails(branch_point, FX_N(branch_point),
		       "versions/b.sql:6: Dependency self-loop is detected in "
		       "revisions (b)");
	fx_build_fails(merge_point, FX_N(merge_point),
		       "versions/c.sql:6: Dependency self-loop is detected in "
		       "revisions (c)");
}

Test(loops, problem_kinds_and_plain_messages)
{
	static const fx_rev revs[] = { { "a", "a" }, { "b", "", "b" } };
	fx_graph fx;
	int rc = fx_build(&fx, revs, FX_N(revs), 1);

	cr_assert_eq(rc, RETORT_EGRAPH);
	cr_assert_eq(fx.problems.v.n, 2);
	cr_assert_str_eq(fx.problems.v.v[0].kind, "self-loop");
	cr_assert_str_eq(fx.problems.v.v[0].revision, "a");
	cr_assert_str_eq(fx.problems.v.v[0].path, "versions/a.sql");
	cr_assert_eq(fx.problems.v.v[0].line, 4);
	cr_assert_str_eq(fx.problems.v.v[0].message,
			 "Self-loop is detected in revisions (a)");
	cr_assert_str_eq(fx.problems.v.v[1].kind, "dependency-self-loop");
	cr_assert_eq(fx.problems.v.v[1].line, 6);
	cr_assert_str_eq(fx.problems.v.v[1].message,
			 "Dependency self-loop is detected in revisions (b)");
	/* the first problem is the error */
	cr_assert_str_eq(
	    rt_err_msg(&fx.err),
	    "versions/a.sql:4: Self-loop is detected in revisions (a)");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* cycles (GraphWithCycleTest) */

Test(cycles, versioned_cycles)
{
	static const fx_rev simple[] = { { "a", "c" },
					 { "b", "a" },
					 { "c", "b" } };
	static const fx_rev extra[] = { { "a", "c" },
					{ "b", "a" },
					{ "c", "b" },
					{ "d", "" },
					{ "e", "d" } };
	static const fx_rev lower[] = { { "a", "c" },
					{ "b", "a" },
					{ "c", "b" },
					{ "d", "c" },
					{ "e", "d" } };
	static const fx_rev upper[] = { { "a", "" },
					{ "b", "a" },
					{ "c", "b e" },
					{ "d", "c" },
					{ "e", "d" } };
	static const fx_rev mixed_roots[] = { { "x", "" },
					      { "c", "b" },
					      { "a", "c" },
					      { "y", "x" },
					      { "b", "a" } };

	fx_build_fails(simple, FX_N(simple),
		       "Cycle is detected in revisions (a, b, c)");
	fx_build_fails(extra, FX_N(extra),
		       "Cycle is detected in revisions (a, b, c)");
	fx_build_fails(lower, FX_N(lower),
		       "Cycle is detected in revisions (a, b, c, d, e)");
	fx_build_fails(upper, FX_N(upper),
		       "Cycle is detected in revisions (a, b, c, d, e)");
	/* with heads and bases present the members are sorted */
	fx_build_fails(mixed_roots, FX_N(mixed_roots),
		       "Cycle is detected in revisions (a, b, c)");
}

Test(cycles, no_heads_lists_everything_in_load_order)
{
	static const fx_rev revs[] = { { "c", "b" },
				       { "a", "c" },
				       { "b", "a" } };

	fx_build_fails(revs, FX_N(revs),
		       "Cycle is detected in revisions (c, a, b)");
}

Test(cycles, dependency_cycles)
{
	static const fx_rev simple[] = { { "a", "", "c" },
					 { "b", "a" },
					 { "c", "b" } };
	static const fx_rev extra[] = { { "a", "", "c" },
					{ "b", "a" },
					{ "c", "b" },
					{ "d", "" },
					{ "e", "d" } };
	static const fx_rev lower[] = { { "a", "", "c" },
					{ "b", "a" },
					{ "c", "b" },
					{ "d", "c" },
					{ "e", "d" } };
	static const fx_rev upper[] = { { "a", "" },
					{ "b", "a" },
					{ "c", "b", "e" },
					{ "d", "c" },
					{ "e", "d" } };

	fx_build_fails(simple, FX_N(simple),
		       "Dependency cycle is detected in revisions (a, b, c)");
	fx_build_fails(extra, FX_N(extra),
		       "Dependency cycle is detected in revisions (a, b, c)");
	fx_build_fails(lower, FX_N(lower),
		       "Dependency cycle is detected in revisions (a, b, c, d, "
		       "e)");
	fx_build_fails(upper, FX_N(upper),
		       "Dependency cycle is detected in revisions (a, b, c, d, "
		       "e)");
}

Test(cycles, cycle_problem_kinds_and_keep_going_stops)
{
	static const fx_rev revs[] = { { "a", "", "c", "l1" },
				       { "b", "a", NULL, NULL },
				       { "c", "b", NULL, "l1" } };
	fx_graph fx;
	int rc = fx_build(&fx, revs, FX_N(revs), 1);

	/* the duplicate label is reported, then the cycle, which ends the
	 * build even when going on and leaves the graph unusable */
	cr_assert_eq(rc, RETORT_EGRAPH);
	cr_assert_not_null(fx.g);
	cr_assert_eq(fx.g->cyclic, 1);
	cr_assert_eq(fx.g->broken, 1);
	cr_assert_eq(fx.problems.v.n, 2);
	cr_assert_str_eq(fx.problems.v.v[0].kind, "duplicate-label");
	cr_assert_str_eq(fx.problems.v.v[0].message,
			 "Branch name 'l1' in revision c already used by "
			 "revision a");
	cr_assert_str_eq(fx.problems.v.v[1].kind, "dependency-cycle");
	cr_assert_null(fx.problems.v.v[1].revision);
	cr_assert_null(fx.problems.v.v[1].path);
	cr_assert_eq(fx.problems.v.v[1].line, 0);
	/* no real head: every revision, in load order */
	cr_assert_str_eq(fx.problems.v.v[1].message,
			 "Dependency cycle is detected in revisions (a, b, c)");
	cr_assert_str_eq(rt_err_msg(&fx.err),
			 "versions/c.sql:6: Branch name 'l1' in revision c "
			 "already used by revision a");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* other build problems */

Test(problems, missing_down_revision_and_dependency)
{
	static const fx_rev down[] = { { "a", "" }, { "b", "x" } };
	static const fx_rev dep[] = { { "a", "" }, { "b", "a", "zz" } };

	fx_build_fails(down, FX_N(down),
		       "versions/b.sql:4: Revision x referenced from b is not "
		       "present");
	fx_build_fails(dep, FX_N(dep),
		       "versions/b.sql:6: Revision zz referenced from b is not "
		       "present");
}

Test(problems, keep_going_reports_every_missing_reference)
{
	static const fx_rev revs[] = { { "a", "" },
				       { "b", "a x" },
				       { "c", "b", "y" } };
	fx_graph fx;
	int rc = fx_build(&fx, revs, FX_N(revs), 1);

	cr_assert_eq(rc, RETORT_EGRAPH);
	cr_assert_not_null(fx.g);
	cr_assert_eq(fx.g->broken, 1);
	cr_assert_eq(fx.problems.v.n, 2);
	cr_assert_str_eq(fx.problems.v.v[0].kind, "missing-revision");
	cr_assert_str_eq(fx.problems.v.v[0].message,
			 "Revision x referenced from b is not present");
	cr_assert_eq(fx.problems.v.v[0].line, 4);
	cr_assert_str_eq(fx.problems.v.v[1].message,
			 "Revision y referenced from c is not present");
	cr_assert_eq(fx.problems.v.v[1].line, 6);
	cr_assert_str_eq(rt_err_msg(&fx.err),
			 "versions/b.sql:4: Revision x referenced from b is "
			 "not present");
	/* the missing edges are dropped, the rest is usable */
	FX_ASSERT_IDLIST(fx.g, &fx.g->heads, "c");
	ASSERT_NORM(fx.g, "b", "a");
	ASSERT_NORM(fx.g, "c", "b");
	fx_free(&fx);
}

Test(problems, duplicate_revision_id)
{
	static const char *const texts[] = {
		"-- one\n--\n-- Revision ID: a\n-- Revises:\n"
		"-- migrate:upgrade\n-- migrate:downgrade\n",
		"-- two\n--\n-- Revision ID: a\n-- Revises:\n"
		"-- migrate:upgrade\n-- migrate:downgrade\n",
	};
	static const char *const paths[] = { "v/1_a.sql", "v/2_a.sql" };
	rt_arena a = RT_ARENA_INIT;
	rt_script s[2];
	rt_problems problems = RT_PROBLEMS_INIT;
	rt_err err = RT_ERR_INIT;
	rt_graph *g = NULL;
	int i, rc;

	for (i = 0; i < 2; i++)
		cr_assert_eq(rt_script_parse(&s[i], &a, paths[i], texts[i],
					     strlen(texts[i]), &err),
			     0);
	rc = rt_graph_build(&g, s, 2, &problems, 0, &err);
	cr_assert_eq(rc, RETORT_EGRAPH);
	cr_assert_null(g);
	cr_assert_str_eq(rt_err_msg(&err),
			 "v/2_a.sql:3: Revision a is present more than once "
			 "(also in v/1_a.sql)");
	cr_assert_eq(problems.v.n, 1);
	cr_assert_str_eq(problems.v.v[0].kind, "duplicate-id");
	rt_problems_free(&problems);
	rt_err_dispose(&err);

	/* going on keeps the first one */
	rc = rt_graph_build(&g, s, 2, &problems, 1, &err);
	cr_assert_eq(rc, RETORT_EGRAPH);
	cr_assert_not_null(g);
	cr_assert_eq(g->n, 1);
	cr_assert_str_eq(g->revs[0].s.doc, "one");
	rt_graph_free(g);
	rt_problems_free(&problems);
	rt_err_dispose(&err);
	rt_arena_free(&a);
}

Test(problems, problems_list_is_optional)
{
	static const fx_rev revs[] = { { "a", "a" } };
	rt_arena a = RT_ARENA_INIT;
	rt_err err = RT_ERR_INIT;
	rt_script s;
	rt_str text = RT_STR_INIT;
	rt_graph *g = NULL;

	fx_render(&text, &revs[0]);
	cr_assert_eq(rt_script_parse(&s, &a, "x.sql", text.ptr, text.len, &err),
		     0);
	cr_assert_eq(rt_graph_build(&g, &s, 1, NULL, 0, &err), RETORT_EGRAPH);
	cr_assert_str_eq(rt_err_msg(&err),
			 "x.sql:4: Self-loop is detected in revisions (a)");
	rt_str_dispose(&text);
	rt_err_dispose(&err);
	rt_arena_free(&a);
}

/* ------------------------------------------------------------------ */
/* reachability */

Test(reach, ancestors_and_descendants)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS1);
	rt_set set;
	uint32_t t[1];
	rt_idlist l;
	uint32_t buf[16], i;

	t[0] = fx_idx(g, "c2");
	cr_assert_eq(rt_set_init(&set, g), 0);
	cr_assert_eq(rt_graph_reach(g, t, 1, RT_ANCESTORS, &set), 0);
	l.v = buf;
	l.n = 0;
	for (i = 0; i < g->n; i++)
		if (set.in[i])
			buf[l.n++] = i;
	cr_assert_eq(set.count, l.n);
	FX_ASSERT_IDLIST(g, &l, "base2 a2 b2 c2 base3 a3");
	rt_set_free(&set);

	cr_assert_eq(rt_set_init(&set, g), 0);
	cr_assert_eq(rt_graph_reach(g, t, 1, RT_ANCESTORS_VERSIONED, &set), 0);
	cr_assert_eq(set.count, 4);
	rt_set_free(&set);

	t[0] = fx_idx(g, "a3");
	cr_assert_eq(rt_set_init(&set, g), 0);
	cr_assert_eq(rt_graph_reach(g, t, 1, RT_DESCENDANTS, &set), 0);
	l.n = 0;
	for (i = 0; i < g->n; i++)
		if (set.in[i])
			buf[l.n++] = i;
	FX_ASSERT_IDLIST(g, &l, "b1b c2 d2 a3 b3");
	rt_set_free(&set);

	cr_assert_eq(rt_set_init(&set, g), 0);
	cr_assert_eq(rt_graph_reach(g, t, 1, RT_DESCENDANTS_VERSIONED, &set),
		     0);
	cr_assert_eq(set.count, 2);
	rt_set_free(&set);

	cr_assert(rt_graph_is_ancestor(g, fx_idx(g, "a3"), fx_idx(g, "d2")));
	cr_assert(rt_graph_is_ancestor(g, fx_idx(g, "d2"), fx_idx(g, "d2")));
	cr_assert_not(
	    rt_graph_is_ancestor(g, fx_idx(g, "d2"), fx_idx(g, "a3")));
	cr_assert_not(
	    rt_graph_is_ancestor(g, fx_idx(g, "b3"), fx_idx(g, "d2")));
	fx_free(&fx);
}

Test(reach, ancestors_checked_overlap_message)
{
	/* BranchTravellingTest.test_detect_invalid_head_selection */
	static const fx_rev revs[] = {
		{ "a1", "" },	   { "a2", "a1" },	    { "a3", "a2" },
		{ "b1", "a3" },	   { "b2", "a3" },	    { "cb1", "b1" },
		{ "cb2", "b2" },   { "db1", "cb1" },	    { "db2", "cb2" },
		{ "e1b1", "db1" }, { "fe1b1", "e1b1" },	    { "e2b1", "db1" },
		{ "e2b2", "db2" }, { "merge", "e2b1 e2b2" }
	};
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);
	rt_err err = RT_ERR_INIT;
	rt_set set;
	uint32_t t[3];

	t[0] = fx_idx(g, "db1");
	t[1] = fx_idx(g, "b2");
	t[2] = fx_idx(g, "fe1b1");
	cr_assert_eq(rt_set_init(&set, g), 0);
	cr_assert_eq(rt_graph_ancestors_checked(g, t, 3, &set, &err),
		     RETORT_EGRAPH);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Requested revision fe1b1 overlaps with other "
			 "requested revisions db1");
	rt_set_free(&set);
	rt_err_dispose(&err);

	/* _get_ancestor_nodes([merge], check=True) */
	t[0] = fx_idx(g, "merge");
	cr_assert_eq(rt_set_init(&set, g), 0);
	cr_assert_eq(rt_graph_ancestors_checked(g, t, 1, &set, &err), 0);
	cr_assert_eq(set.count, 12);
	cr_assert_not(set.in[fx_idx(g, "e1b1")]);
	cr_assert_not(set.in[fx_idx(g, "fe1b1")]);
	rt_set_free(&set);
	fx_free(&fx);
}
