/* SPDX-License-Identifier: MIT */
/*
 * test_plan.c: the planner (src/plan.c): rt_plan_upgrade, rt_plan_downgrade
 * and rt_plan_stamp on graphs built from in-memory revision files, after
 * Alembic's tests/test_version_traversal.py (RevisionPathTest,
 * BranchedPathTest, BranchFromMergepointTest, BranchFrom3WayMergepointTest,
 * TwinMergeTest, NotQuiteTwinMergeTest, DependsOnBranchTest*,
 * DependsOnOwnDownrevTest, DependsOnBranchLabelTest, ForestTest,
 * MergedPathTest, BranchedPathTestCrossDependencies).
 *
 * Each plan is checked three ways: the steps with their version-table
 * operations, the version rows after every step, and the final rows. The
 * expected values are what ScriptDirectory._upgrade_revs/_downgrade_revs/
 * _stamp_revs plus HeadMaintainer produce in Alembic 1.8.1 for the same
 * graph in the same load order. Where Alembic picks the rows to DELETE or
 * UPDATE at a merge in Python set order (it varies with the hash seed),
 * retort keeps the order of the down revisions and only touches rows that
 * exist; those cases say so, and the rows after each step still match.
 *
 * Revisions of the fixtures are listed in load order; RevisionPathTest
 * keeps Alembic's real ids (macros A..E below).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "graph_fixture.h"

/* RevisionPathTest, with Alembic's ids */
#define A "e6239818bb3a"
#define B "548bbb905360"
#define C "b7ea43dc85e4"
#define D "1bbe33445780"
#define E "3975fb1a0125"
static const fx_rev REVISION_PATH[] = {
	{ "e6239818bb3a", "" },
	{ "548bbb905360", "e6239818bb3a" },
	{ "b7ea43dc85e4", "548bbb905360" },
	{ "1bbe33445780", "b7ea43dc85e4" },
	{ "3975fb1a0125", "1bbe33445780" },
};

/* BranchedPathTest */
static const fx_rev BRANCHED[] = {
	{ "a", "" },
	{ "b", "a" },
	{ "c1", "b", NULL, "c1branch" },
	{ "d1", "c1" },
	{ "c2", "b", NULL, "c2branch" },
	{ "d2", "c2" },
};

/* BranchFromMergepointTest */
static const fx_rev FROM_MERGEPOINT[] = {
	{ "a1", "" },	{ "b1", "a1" }, { "c1", "b1" },	   { "a2", "" },
	{ "b2", "a2" }, { "c2", "b2" }, { "d1", "c1 c2" }, { "d2", "c2" },
};

/* BranchFrom3WayMergepointTest */
static const fx_rev FROM_3WAY[] = {
	{ "a1", "" },	{ "b1", "a1" },	      { "c1", "b1" }, { "a2", "" },
	{ "b2", "a2" }, { "c2", "b2" },	      { "a3", "" },   { "b3", "a3" },
	{ "c3", "b3" }, { "d1", "c1 c2 c3" }, { "d2", "c2" }, { "d3", "c3" },
};

/* TwinMergeTest */
static const fx_rev TWIN[] = {
	{ "a", "" },	{ "b1", "a" },	      { "b2", "a" },
	{ "b3", "a" },	{ "c1", "b1 b2 b3" }, { "c2", "b1 b2 b3" },
	{ "d1", "c1" }, { "d2", "c2" },
};

/* NotQuiteTwinMergeTest */
static const fx_rev NOT_QUITE_TWIN[] = {
	{ "a", "" },	   { "b1", "a" },     { "b2", "a" },  { "b3", "a" },
	{ "c1", "b1 b2" }, { "c2", "b2 b3" }, { "d1", "c1" }, { "d2", "c2" },
};

/* DependsOnBranchTestOne */
static const fx_rev DEPENDS_ONE[] = {
	{ "a1", "", NULL, "lib1" },
	{ "b1", "a1" },
	{ "c1", "b1" },
	{ "a2", "" },
	{ "b2", "a2" },
	{ "c2", "b2", "c1" },
	{ "d1", "c1" },
	{ "e1", "d1" },
	{ "f1", "e1" },
};

/* DependsOnBranchTestTwo */
static const fx_rev KABOOM[] = {
	{ "a1", "" },
	{ "a2", "" },
	{ "a3", "" },
	{ "amerge", "a1 a2 a3" },
	{ "b1", "" },
	{ "b2", "" },
	{ "bmerge", "b1 b2" },
	{ "c1", "" },
	{ "c2", "" },
	{ "c3", "" },
	{ "cmerge", "c1 c2 c3" },
	{ "d1", "", "a3 b2 c1" },
};

/* DependsOnBranchTestThree (#377) */
static const fx_rev DEPENDS_THREE[] = {
	{ "a1", "" },	      { "a2", "a1" }, { "b1", "" },
	{ "b2", "b1", "a2" }, { "b3", "b2" }, { "a3", "a2", "b1" },
};

/* DependsOnOwnDownrevTest (#843) */
static const fx_rev DEPENDS_OWN[] = { { "a1", "" }, { "a2", "a1", "a1" } };

/* DependsOnBranchTestFour (#789) */
static const fx_rev DEPENDS_FOUR[] = {
	{ "a1", "" },	      { "a2", "a1" },	    { "a3", "a2" },
	{ "b1", "" },	      { "b2", "b1", "a3" }, { "b3", "b2" },
	{ "b4", "b3", "a3" },
};

/* DependsOnBranchLabelTest */
static const fx_rev DEPENDS_LABEL[] = {
	{ "a1", "", NULL, "lib1" },
	{ "b1", "a1" },
	{ "c1", "b1", NULL, "c1lib" },
	{ "a2", "" },
	{ "b2", "a2" },
	{ "c2", "b2", "c1lib" },
	{ "d1", "c1" },
	{ "e1", "d1" },
	{ "f1", "e1" },
};

/* MultipleBranchEffectiveHead (test_revision.py) */
static const fx_rev EFFECTIVE_HEAD[] = {
	{ "y1", "", NULL, "y" },
	{ "x1", "", NULL, "x" },
	{ "y2", "y1", "x1" },
	{ "x2", "x1" },
};

/* MultipleBaseCrossDependencyTestOne (test_revision.py) */
static const fx_rev CROSS1[] = {
	{ "base1", "", NULL, "b_1" },
	{ "a1a", "base1" },
	{ "a1b", "base1" },
	{ "b1a", "a1a" },
	{ "b1b", "a1b", "a3" },
	{ "base2", "", NULL, "b_2" },
	{ "a2", "base2" },
	{ "b2", "a2" },
	{ "c2", "b2", "a3" },
	{ "d2", "c2" },
	{ "base3", "", NULL, "b_3" },
	{ "a3", "base3" },
	{ "b3", "a3" },
};

/* BranchedPathTestCrossDependencies */
static const fx_rev BRANCHED_CROSS[] = {
	{ "a", "" },
	{ "b", "a" },
	{ "c1", "b", NULL, "c1branch" },
	{ "d1", "c1" },
	{ "c2", "b", NULL, "c2branch" },
	{ "d2", "c2", "c1" },
};

/* ForestTest */
static const fx_rev FOREST[] = {
	{ "a1", "" }, { "b1", "a1" }, { "a2", "" }, { "b2", "a2" }
};

/* MergedPathTest */
static const fx_rev MERGED[] = {
	{ "a", "" },
	{ "b", "a" },
	{ "c1", "b" },
	{ "d1", "c1" },
	{ "c2", "b", NULL, "c2branch" },
	{ "d2", "c2" },
	{ "e", "d1 d2" },
	{ "f", "e" },
};

/* ------------------------------------------------------------------ */
/* the plan structure itself */

Test(plan, steps_carry_revisions_from_to_and_start_rows)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, FX_UPGRADE, "e", "d1 c2", &err);
	const retort_step *st;

	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	cr_assert_eq(retort_plan_count(p), 2);
	st = retort_plan_step(p, 0);
	cr_assert_eq(st->kind, RETORT_STEP_UPGRADE);
	cr_assert_eq(st->revision, fx_rev_of(g, "d2"));
	st = retort_plan_step(p, 1);
	cr_assert_eq(st->revision, fx_rev_of(g, "e"));
	FX_ASSERT_STR_FREE(fx_strs_str(st->from, st->nfrom), "d1 d2");
	FX_ASSERT_STR_FREE(fx_strs_str(st->to, st->nto), "e");
	cr_assert_null(retort_plan_step(p, 2));
	FX_ASSERT_STR_FREE(fx_strs_str(p->start, p->nstart), "d1 c2");
	cr_assert_eq(retort_plan_final_count(p), 1);
	cr_assert_str_eq(retort_plan_final_at(p, 0), "e");
	cr_assert_null(retort_plan_final_at(p, 1));
	cr_assert_null(p->warning);
	cr_assert_eq(p->empty_before[0], 0);
	retort_plan_free(p);
	rt_err_dispose(&err);
	fx_free(&fx);
}

Test(plan, empty_before_marks_steps_that_start_from_no_rows)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, FOREST);
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, FX_UPGRADE, "heads", "", &err);

	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	cr_assert_eq(retort_plan_count(p), 4);
	cr_assert_eq(p->empty_before[0], 1);
	cr_assert_eq(p->empty_before[1], 0);
	cr_assert_eq(p->empty_before[2], 0);
	retort_plan_free(p);
	rt_err_dispose(&err);
	fx_free(&fx);
}

Test(plan, downgrade_steps_and_stamp_steps)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, FX_DOWNGRADE, "d1", "f", &err);
	const retort_step *st;

	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	st = retort_plan_step(p, 1);
	cr_assert_eq(st->kind, RETORT_STEP_DOWNGRADE);
	cr_assert_eq(st->revision, fx_rev_of(g, "e"));
	FX_ASSERT_STR_FREE(fx_strs_str(st->from, st->nfrom), "e");
	FX_ASSERT_STR_FREE(fx_strs_str(st->to, st->nto), "d1 d2");
	retort_plan_free(p);
	p = fx_plan(g, FX_STAMP, "c2", "e", &err);
	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	st = retort_plan_step(p, 0);
	cr_assert_eq(st->kind, RETORT_STEP_STAMP);
	cr_assert_null(st->revision);
	retort_plan_free(p);
	rt_err_dispose(&err);
	fx_free(&fx);
}

Test(plan, warning_for_minus_one_from_several_heads)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, FX_DOWNGRADE, "-1", "d2 d1", &err);

	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	cr_assert_str_eq(p->warning,
			 "downgrade -1 from multiple heads is ambiguous; this "
			 "usage will be disallowed in a future release.");
	retort_plan_free(p);
	/* the same row twice is not ambiguous */
	p = fx_plan(g, FX_DOWNGRADE, "-1", "d2 d2", &err);
	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	cr_assert_null(p->warning);
	retort_plan_free(p);
	/* a labelled -1 is not ambiguous */
	p = fx_plan(g, FX_DOWNGRADE, "c1branch@-1", "d1 d2", &err);
	cr_assert_not_null(p, "%s", rt_err_msg(&err));
	cr_assert_null(p->warning);
	retort_plan_free(p);
	rt_err_dispose(&err);
	fx_free(&fx);
}

Test(plan, stamp_errors)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan_error(g, FX_STAMP, "head", "",
			     "Multiple heads are present; please specify a "
			     "single target revision");
	fx_expect_plan_error(g, FX_STAMP, "zzzz", "",
			     "Can't locate revision identified by 'zzzz'");
	fx_expect_plan_error(
	    g, FX_UPGRADE, "head", "",
	    "Multiple head revisions are present for given "
	    "argument 'head'; please specify a specific target "
	    "revision, '<branchname>@head' to narrow to a "
	    "specific head, or 'heads' for all heads");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* test_version_traversal.py */

Test(revision_path, downgrade_to_base_current_or_above)
{
	/* test_downgrade_base_no_version, #838, #839 */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan(g, FX_DOWNGRADE, "base", "", "", "", "");
	fx_expect_plan(g, FX_DOWNGRADE, A, A, "", "", A);
	fx_expect_plan(g, FX_DOWNGRADE, E, E, "", "", E);
	fx_expect_plan_error(g, FX_DOWNGRADE, E, C,
			     "Destination " E
			     " is not a valid downgrade target from "
			     "current head(s)"); /* CommandError */
	fx_free(&fx);
}

Test(revision_path, upgrade_path)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan(g, FX_UPGRADE, E, C,
		       "upgrade " C " -> " D " [UPDATE " C "->" D "] | "
		       "upgrade " D " -> " E " [UPDATE " D "->" E "]",
		       D " | " E, E);
	fx_expect_plan(g, FX_UPGRADE, C, "",
		       "upgrade  -> " A " [INSERT " A "] | "
		       "upgrade " A " -> " B " [UPDATE " A "->" B "] | "
		       "upgrade " B " -> " C " [UPDATE " B "->" C "]",
		       A " | " B " | " C, C);
	fx_expect_plan(g, FX_UPGRADE, "head", "",
		       "upgrade  -> " A " [INSERT " A "] | "
		       "upgrade " A " -> " B " [UPDATE " A "->" B "] | "
		       "upgrade " B " -> " C " [UPDATE " B "->" C "] | "
		       "upgrade " C " -> " D " [UPDATE " C "->" D "] | "
		       "upgrade " D " -> " E " [UPDATE " D "->" E "]",
		       A " | " B " | " C " | " D " | " E, E);
	fx_expect_plan(g, FX_UPGRADE, "heads", "",
		       "upgrade  -> " A " [INSERT " A "] | "
		       "upgrade " A " -> " B " [UPDATE " A "->" B "] | "
		       "upgrade " B " -> " C " [UPDATE " B "->" C "] | "
		       "upgrade " C " -> " D " [UPDATE " C "->" D "] | "
		       "upgrade " D " -> " E " [UPDATE " D "->" E "]",
		       A " | " B " | " C " | " D " | " E, E);
	fx_expect_plan(g, FX_UPGRADE, "head", E, "", "", E);
	fx_expect_plan(g, FX_UPGRADE, C, E, "", "", E);
	fx_expect_plan(g, FX_UPGRADE, "1bbe", B,
		       "upgrade " B " -> " C " [UPDATE " B "->" C "] | "
		       "upgrade " C " -> " D " [UPDATE " C "->" D "]",
		       C " | " D, D);
	fx_free(&fx);
}

Test(revision_path, relative_upgrade_path)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan(g, FX_UPGRADE, "+2", A,
		       "upgrade " A " -> " B " [UPDATE " A "->" B "] | "
		       "upgrade " B " -> " C " [UPDATE " B "->" C "]",
		       B " | " C, C);
	fx_expect_plan(g, FX_UPGRADE, "+1", A,
		       "upgrade " A " -> " B " [UPDATE " A "->" B "]", B, B);
	fx_expect_plan(g, FX_UPGRADE, "+3", B,
		       "upgrade " B " -> " C " [UPDATE " B "->" C "] | "
		       "upgrade " C " -> " D " [UPDATE " C "->" D "] | "
		       "upgrade " D " -> " E " [UPDATE " D "->" E "]",
		       C " | " D " | " E, E);
	fx_expect_plan(g, FX_UPGRADE, B "+2", A,
		       "upgrade " A " -> " B " [UPDATE " A "->" B "] | "
		       "upgrade " B " -> " C " [UPDATE " B "->" C "] | "
		       "upgrade " C " -> " D " [UPDATE " C "->" D "]",
		       B " | " C " | " D, D);
	fx_expect_plan(g, FX_UPGRADE, D "-2", A,
		       "upgrade " A " -> " B " [UPDATE " A "->" B "]", B, B);
	fx_expect_plan(g, FX_UPGRADE, "base+1", "",
		       "upgrade  -> " A " [INSERT " A "]", A, A);
	fx_free(&fx);
}

Test(revision_path, invalid_relative_upgrade_path)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan_error(g, FX_UPGRADE, "-2", B,
			     "Relative revision -2 didn't produce 2 "
			     "migrations"); /* CommandError */
	fx_expect_plan_error(g, FX_UPGRADE, "+5", B,
			     "Relative revision +5 didn't produce 5 "
			     "migrations"); /* CommandError */
	fx_expect_plan_error(g, FX_UPGRADE, "+1", E,
			     "Relative revision +1 didn't produce 1 "
			     "migrations"); /* CommandError */
	/* Alembic fails here with a bare AssertionError (its _walk returns
	 * None and nothing checks it); retort says what went wrong */
	fx_expect_plan_error(g, FX_UPGRADE, A "+5", A, "Walked too far");
	fx_expect_plan_error(
	    g, FX_UPGRADE, "zzzz", B,
	    "Can't locate revision identified by 'zzzz'"); /* CommandError */
	fx_free(&fx);
}

Test(revision_path, downgrade_path)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan(g, FX_DOWNGRADE, C, E,
		       "downgrade " E " -> " D " [UPDATE " E "->" D "] | "
		       "downgrade " D " -> " C " [UPDATE " D "->" C "]",
		       D " | " C, C);
	fx_expect_plan(g, FX_DOWNGRADE, "base", C,
		       "downgrade " C " -> " B " [UPDATE " C "->" B "] | "
		       "downgrade " B " -> " A " [UPDATE " B "->" A "] | "
		       "downgrade " A " ->  [DELETE " A "]",
		       B " | " A " | ", "");
	fx_expect_plan(g, FX_DOWNGRADE, "base", E,
		       "downgrade " E " -> " D " [UPDATE " E "->" D "] | "
		       "downgrade " D " -> " C " [UPDATE " D "->" C "] | "
		       "downgrade " C " -> " B " [UPDATE " C "->" B "] | "
		       "downgrade " B " -> " A " [UPDATE " B "->" A "] | "
		       "downgrade " A " ->  [DELETE " A "]",
		       D " | " C " | " B " | " A " | ", "");
	fx_free(&fx);
}

Test(revision_path, relative_downgrade_path)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan(g, FX_DOWNGRADE, "-1", C,
		       "downgrade " C " -> " B " [UPDATE " C "->" B "]", B, B);
	fx_expect_plan(g, FX_DOWNGRADE, "-3", E,
		       "downgrade " E " -> " D " [UPDATE " E "->" D "] | "
		       "downgrade " D " -> " C " [UPDATE " D "->" C "] | "
		       "downgrade " C " -> " B " [UPDATE " C "->" B "]",
		       D " | " C " | " B, B);
	fx_expect_plan(g, FX_DOWNGRADE, A "+2", D,
		       "downgrade " D " -> " C " [UPDATE " D "->" C "]", C, C);
	fx_expect_plan(g, FX_DOWNGRADE, C "-2", D,
		       "downgrade " D " -> " C " [UPDATE " D "->" C "] | "
		       "downgrade " C " -> " B " [UPDATE " C "->" B "] | "
		       "downgrade " B " -> " A " [UPDATE " B "->" A "]",
		       C " | " B " | " A, A);
	fx_expect_plan(g, FX_DOWNGRADE, "-1", A,
		       "downgrade " A " ->  [DELETE " A "]", "", "");
	fx_expect_plan(g, FX_DOWNGRADE, "base+1", E,
		       "downgrade " E " -> " D " [UPDATE " E "->" D "] | "
		       "downgrade " D " -> " C " [UPDATE " D "->" C "] | "
		       "downgrade " C " -> " B " [UPDATE " C "->" B "] | "
		       "downgrade " B " -> " A " [UPDATE " B "->" A "]",
		       D " | " C " | " B " | " A, A);
	fx_free(&fx);
}

Test(revision_path, invalid_relative_downgrade_path)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan_error(g, FX_DOWNGRADE, "-5", B,
			     "Relative revision -5 didn't produce 5 "
			     "migrations"); /* CommandError */
	fx_expect_plan_error(g, FX_DOWNGRADE, "+2", B,
			     "Relative revision +2 didn't produce 2 "
			     "migrations"); /* CommandError */
	fx_expect_plan(g, FX_DOWNGRADE, E "-5", E,
		       "downgrade " E " -> " D " [UPDATE " E "->" D "] | "
		       "downgrade " D " -> " C " [UPDATE " D "->" C "] | "
		       "downgrade " C " -> " B " [UPDATE " C "->" B "] | "
		       "downgrade " B " -> " A " [UPDATE " B "->" A "] | "
		       "downgrade " A " ->  [DELETE " A "]",
		       D " | " C " | " B " | " A " | ", "");
	fx_free(&fx);
}

Test(revision_path, invalid_move)
{
	/* test_invalid_move_rev_to_none, test_invalid_move_higher_to_lower */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan_error(
	    g, FX_DOWNGRADE, "548", "",
	    "Destination 548 is not a valid downgrade target from current "
	    "head(s)"); /* CommandError */
	fx_expect_plan_error(
	    g, FX_DOWNGRADE, "b7ea", B,
	    "Destination b7ea is not a valid downgrade target from current "
	    "head(s)"); /* CommandError */
	fx_free(&fx);
}

Test(revision_path, stamp)
{
	/* test_stamp_to_base and more */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, REVISION_PATH);

	fx_expect_plan(g, FX_STAMP, "base", D, "stamp " D " ->  [DELETE " D "]",
		       "", "");
	fx_expect_plan(g, FX_STAMP, E, "", "stamp  -> " E " [INSERT " E "]", E,
		       E);
	fx_expect_plan(g, FX_STAMP, C, E,
		       "stamp " E " -> " C " [UPDATE " E "->" C "]", C, C);
	fx_expect_plan(g, FX_STAMP, A, C,
		       "stamp " C " -> " A " [UPDATE " C "->" A "]", A, A);
	fx_expect_plan(g, FX_STAMP, "heads", A,
		       "stamp " A " -> " E " [UPDATE " A "->" E "]", E, E);
	fx_expect_plan(g, FX_STAMP, C, C, "", "", C);
	fx_free(&fx);
}

Test(branched_path, stamp_across_branches)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_STAMP, "b", "d1 c2",
		       "stamp d1, c2 -> b [DELETE d1; UPDATE c2->b]", "b", "b");
	fx_expect_plan(g, FX_STAMP, "c1branch@base", "d1 c2",
		       "stamp d1 ->  [DELETE d1]", "c2", "c2");
	fx_expect_plan(g, FX_STAMP, "c2branch@head", "d1 c2",
		       "stamp c2 -> d2 [UPDATE c2->d2]", "d1 d2", "d1 d2");
	fx_expect_plan_error(
	    g, FX_STAMP, "head", "a",
	    "Multiple heads are present; "
	    "please specify a single target revision"); /* CommandError */
	fx_expect_plan(g, FX_STAMP, "base", "d1 d2",
		       "stamp d1 ->  [DELETE d1] | stamp d2 ->  [DELETE d2]",
		       "d2 | ", "");
	fx_expect_plan(
	    g, FX_STAMP, "d1 d2", "a",
	    "stamp a -> d1 [UPDATE a->d1] | stamp a -> d2 [INSERT d2]",
	    "d1 | d1 d2", "d1 d2");
	fx_expect_plan(
	    g, FX_STAMP, "heads", "c1",
	    "stamp c1 -> d1 [UPDATE c1->d1] | stamp  -> d2 [INSERT d2]",
	    "d1 | d1 d2", "d1 d2");
	fx_free(&fx);
}

Test(branched_path, upgrade_and_downgrade_branches)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_UPGRADE, "d1", "b",
		       "upgrade b -> c1 [UPDATE b->c1] | "
		       "upgrade c1 -> d1 [UPDATE c1->d1]",
		       "c1 | d1", "d1");
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "a",
	    "upgrade a -> b [UPDATE a->b] | upgrade b -> c2 [UPDATE b->c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2] | "
	    "upgrade b -> c1 [INSERT c1] | upgrade c1 -> d1 [UPDATE c1->d1]",
	    "b | c2 | d2 | c1 d2 | d1 d2", "d1 d2");
	fx_expect_plan(g, FX_DOWNGRADE, "a", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1] | "
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [UPDATE c2->b] | "
		       "downgrade b -> a [UPDATE b->a]",
		       "c1 d2 | d2 | c2 | b | a", "a");
	fx_expect_plan_error(
	    g, FX_UPGRADE, "head", "b",
	    "Multiple head revisions are present for given argument 'head'; "
	    "please specify a specific target revision, "
	    "'<branchname>@head' to narrow to a specific head, "
	    "or 'heads' for all heads"); /* CommandError */
	fx_expect_plan(g, FX_UPGRADE, "c1branch@head", "b",
		       "upgrade b -> c1 [UPDATE b->c1] | "
		       "upgrade c1 -> d1 [UPDATE c1->d1]",
		       "c1 | d1", "d1");
	fx_expect_plan(
	    g, FX_UPGRADE, "c2branch@head", "d1",
	    "upgrade b -> c2 [INSERT c2] | upgrade c2 -> d2 [UPDATE c2->d2]",
	    "c2 d1 | d1 d2", "d1 d2");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "c1branch@base", "d1 d2",
	    "downgrade d1 -> c1 [UPDATE d1->c1] | "
	    "downgrade c1 -> b [DELETE c1] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b [UPDATE c2->b] | "
	    "downgrade b -> a [UPDATE b->a] | downgrade a ->  [DELETE a]",
	    "c1 d2 | d2 | c2 | b | a | ", "");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "base", "d1 d2",
	    "downgrade d1 -> c1 [UPDATE d1->c1] | "
	    "downgrade c1 -> b [DELETE c1] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b [UPDATE c2->b] | "
	    "downgrade b -> a [UPDATE b->a] | downgrade a ->  [DELETE a]",
	    "c1 d2 | d2 | c2 | b | a | ", "");
	fx_free(&fx);
}

Test(branched_path, relative_with_branches)
{
	/* c2branch@head-1, base+2, c2branch@base+2, c2branch@base+3 */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_UPGRADE, "c2branch@head-1", "b",
		       "upgrade b -> c2 [UPDATE b->c2]", "c2", "c2");
	fx_expect_plan(g, FX_DOWNGRADE, "base+2", "d2 d1",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1] | "
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [UPDATE c2->b]",
		       "c1 d2 | d2 | c2 | b", "b");
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@base+2", "d2 d1",
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [DELETE c2]",
		       "c2 d1 | d1", "d1");
	fx_expect_plan(g, FX_DOWNGRADE, "c2", "d2 d1",
		       "downgrade d2 -> c2 [UPDATE d2->c2]", "c2 d1", "c2 d1");
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@base+3", "d2 d1",
		       "downgrade d2 -> c2 [UPDATE d2->c2]", "c2 d1", "c2 d1");
	fx_expect_plan_error(g, FX_DOWNGRADE, "c1branch@+1", "d1 d2",
			     "Relative revision +1 didn't produce 1 "
			     "migrations"); /* CommandError */
	fx_expect_plan(g, FX_UPGRADE, "c1branch@+2", "b",
		       "upgrade b -> c1 [UPDATE b->c1] | "
		       "upgrade c1 -> d1 [UPDATE c1->d1]",
		       "c1 | d1", "d1");
	fx_free(&fx);
}

Test(branched_path, downgrade_minus_one_from_several_heads)
{
	/* the first row wins, with Alembic's warning */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	/* alembic warns: ['downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.'] */
	fx_expect_plan(g, FX_DOWNGRADE, "-1", "d2 d1",
		       "downgrade d2 -> c2 [UPDATE d2->c2]", "c2 d1", "c2 d1");
	/* alembic warns: ['downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.'] */
	fx_expect_plan(g, FX_DOWNGRADE, "-1", "c2 d1",
		       "downgrade c2 -> b [DELETE c2]", "d1", "d1");
	/* alembic warns: ['downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.'] */
	fx_expect_plan(g, FX_DOWNGRADE, "-1", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1]", "c1 d2", "c1 d2");
	/* alembic warns: ['downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.'] */
	fx_expect_plan(g, FX_DOWNGRADE, "-1", "c1 d2",
		       "downgrade c1 -> b [DELETE c1]", "d2", "d2");
	fx_free(&fx);
}

Test(branched_path, downgrade_one_branch)
{
	/* c1branch@-1, d2-1 (#765), branch@rev, rev@rev, c1branch@head-1 */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_DOWNGRADE, "c1branch@-1", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1]", "c1 d2", "c1 d2");
	fx_expect_plan(g, FX_DOWNGRADE, "d2-1", "d2 c1",
		       "downgrade d2 -> c2 [UPDATE d2->c2]", "c1 c2", "c1 c2");
	fx_expect_plan(g, FX_DOWNGRADE, "d2-1", "c1 d2",
		       "downgrade d2 -> c2 [UPDATE d2->c2]", "c1 c2", "c1 c2");
	fx_expect_plan(g, FX_DOWNGRADE, "c1branch@b", "c1 d2",
		       "downgrade c1 -> b [DELETE c1]", "d2", "d2");
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@b", "c1 d2",
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [DELETE c2]",
		       "c1 c2 | c1", "c1");
	fx_expect_plan(g, FX_DOWNGRADE, "c2@b", "d1 d2",
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [DELETE c2]",
		       "c2 d1 | d1", "d1");
	fx_expect_plan(g, FX_DOWNGRADE, "d1@b", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1]",
		       "c1 d2 | d2", "d2");
	fx_expect_plan(g, FX_DOWNGRADE, "c1branch@head-1", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1]", "c1 d2", "c1 d2");
	fx_free(&fx);
}

Test(branched_path, upgrade_one_branch_relative)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_UPGRADE, "c2branch@+1", "c1",
		       "upgrade b -> c2 [INSERT c2]", "c1 c2", "c1 c2");
	fx_expect_plan(g, FX_UPGRADE, "c2branch@+1", "c1 c2",
		       "upgrade c2 -> d2 [UPDATE c2->d2]", "c1 d2", "c1 d2");
	fx_expect_plan(g, FX_UPGRADE, "c2branch@+1", "",
		       "upgrade  -> a [INSERT a]", "a", "a");
	fx_expect_plan_error(g, FX_UPGRADE, "+1", "c1 c2",
			     "Ambiguous upgrade from multiple current "
			     "revisions"); /* CommandError */
	fx_free(&fx);
}

Test(branched_path, from_and_to_base)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_UPGRADE, "base+1", "", "upgrade  -> a [INSERT a]",
		       "a", "a");
	fx_expect_plan(g, FX_UPGRADE, "+1", "", "upgrade  -> a [INSERT a]", "a",
		       "a");
	fx_expect_plan(g, FX_DOWNGRADE, "-1", "a", "downgrade a ->  [DELETE a]",
		       "", "");
	fx_expect_plan_error(g, FX_DOWNGRADE, "-1", "",
			     "Relative revision -1 didn't produce 1 "
			     "migrations"); /* CommandError */
	fx_free(&fx);
}

Test(branched_path, downgrade_no_effect)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_DOWNGRADE, "c2", "d1 c2", "", "", "c2 d1");
	fx_expect_plan(g, FX_DOWNGRADE, "d1", "d1 c2", "", "", "c2 d1");
	fx_free(&fx);
}

Test(mergepoint, branch_from_mergepoint)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, FROM_MERGEPOINT);

	fx_expect_plan(g, FX_UPGRADE, "d1", "d2 b1",
		       "upgrade b1 -> c1 [UPDATE b1->c1] | "
		       "upgrade c1, c2 -> d1 [UPDATE c1->d1]",
		       "c1 d2 | d1 d2", "d1 d2");
	fx_expect_plan(g, FX_DOWNGRADE, "b1", "d2 d1",
		       "downgrade d1 -> c1, c2 [UPDATE d1->c1] | "
		       "downgrade c1 -> b1 [UPDATE c1->b1]",
		       "c1 d2 | b1 d2", "b1 d2");
	fx_free(&fx);
}

Test(mergepoint, branch_from_3way_mergepoint)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, FROM_3WAY);

	fx_expect_plan(g, FX_UPGRADE, "d1", "d3 d2 b1",
		       "upgrade b1 -> c1 [UPDATE b1->c1] | "
		       "upgrade c1, c2, c3 -> d1 [UPDATE c1->d1]",
		       "c1 d2 d3 | d1 d2 d3", "d1 d2 d3");
	fx_expect_plan(g, FX_DOWNGRADE, "b1", "d3 d2 d1",
		       "downgrade d1 -> c1, c2, c3 [UPDATE d1->c1] | "
		       "downgrade c1 -> b1 [UPDATE c1->b1]",
		       "c1 d2 d3 | b1 d2 d3", "b1 d2 d3");
	/* merging c1 and c2 into d1: Alembic deletes one and updates the
	 * other in set order; retort follows d1's down revisions */
	fx_expect_plan(g, FX_UPGRADE, "d1", "d3 b2 b1",
		       "upgrade b2 -> c2 [UPDATE b2->c2] | "
		       "upgrade b1 -> c1 [UPDATE b1->c1] | "
		       "upgrade c1, c2, c3 -> d1 [DELETE c1; UPDATE c2->d1]",
		       "b1 c2 d3 | c1 c2 d3 | d1 d3", "d1 d3");
	fx_expect_plan(g, FX_UPGRADE, "d2", "d3 d1",
		       "upgrade c2 -> d2 [INSERT d2]", "d1 d2 d3", "d1 d2 d3");
	fx_free(&fx);
}

Test(mergepoint, twin_merge)
{
	/* #297: the rows after every step */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, TWIN);

	fx_expect_plan(g, FX_UPGRADE, "b3", "a",
		       "upgrade a -> b3 [UPDATE a->b3]", "b3", "b3");
	fx_expect_plan(g, FX_UPGRADE, "b1", "b3", "upgrade a -> b1 [INSERT b1]",
		       "b1 b3", "b1 b3");
	fx_expect_plan(g, FX_UPGRADE, "b2", "b1 b3",
		       "upgrade a -> b2 [INSERT b2]", "b1 b2 b3", "b1 b2 b3");
	fx_expect_plan(
	    g, FX_UPGRADE, "c2", "b1 b2 b3",
	    "upgrade b1, b2, b3 -> c2 [DELETE b1; DELETE b2; UPDATE b3->c2]",
	    "c2", "c2");
	fx_expect_plan(g, FX_UPGRADE, "d2", "c2",
		       "upgrade c2 -> d2 [UPDATE c2->d2]", "d2", "d2");
	fx_expect_plan(g, FX_UPGRADE, "c1", "d2",
		       "upgrade b1, b2, b3 -> c1 [INSERT c1]", "c1 d2",
		       "c1 d2");
	fx_expect_plan(g, FX_UPGRADE, "d1", "c1 d2",
		       "upgrade c1 -> d1 [UPDATE c1->d1]", "d1 d2", "d1 d2");
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "a",
	    "upgrade a -> b3 [UPDATE a->b3] | upgrade a -> b2 [INSERT b2] | "
	    "upgrade a -> b1 [INSERT b1] | "
	    "upgrade b1, b2, b3 -> c2 [DELETE b1; DELETE b2; "
	    "UPDATE b3->c2] | upgrade c2 -> d2 [UPDATE c2->d2] | "
	    "upgrade b1, b2, b3 -> c1 [INSERT c1] | "
	    "upgrade c1 -> d1 [UPDATE c1->d1]",
	    "b3 | b2 b3 | b1 b2 b3 | c2 | d2 | c1 d2 | d1 d2", "d1 d2");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "a", "d1 d2",
	    "downgrade d1 -> c1 [UPDATE d1->c1] | "
	    "downgrade c1 -> b1, b2, b3 [DELETE c1] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b1, b2, b3 [INSERT b1; INSERT b2; "
	    "UPDATE c2->b3] | downgrade b1 -> a [DELETE b1] | "
	    "downgrade b2 -> a [DELETE b2] | downgrade b3 -> a [UPDATE b3->a]",
	    "c1 d2 | d2 | c2 | b1 b2 b3 | b2 b3 | b3 | a", "a");
	fx_free(&fx);
}

Test(mergepoint, not_quite_twin_merge)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, NOT_QUITE_TWIN);

	fx_expect_plan(g, FX_UPGRADE, "b2", "a",
		       "upgrade a -> b2 [UPDATE a->b2]", "b2", "b2");
	fx_expect_plan(g, FX_UPGRADE, "b3", "b2", "upgrade a -> b3 [INSERT b3]",
		       "b2 b3", "b2 b3");
	fx_expect_plan(g, FX_UPGRADE, "c2", "b2 b3",
		       "upgrade b2, b3 -> c2 [DELETE b2; UPDATE b3->c2]", "c2",
		       "c2");
	fx_expect_plan(g, FX_UPGRADE, "d2", "c2",
		       "upgrade c2 -> d2 [UPDATE c2->d2]", "d2", "d2");
	fx_expect_plan(g, FX_UPGRADE, "b1", "d2", "upgrade a -> b1 [INSERT b1]",
		       "b1 d2", "b1 d2");
	fx_expect_plan(g, FX_UPGRADE, "c1", "b1 d2",
		       "upgrade b1, b2 -> c1 [UPDATE b1->c1]", "c1 d2",
		       "c1 d2");
	fx_expect_plan(g, FX_UPGRADE, "d1", "c1 d2",
		       "upgrade c1 -> d1 [UPDATE c1->d1]", "d1 d2", "d1 d2");
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "a",
	    "upgrade a -> b2 [UPDATE a->b2] | upgrade a -> b3 [INSERT b3] | "
	    "upgrade b2, b3 -> c2 [DELETE b2; UPDATE b3->c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2] | "
	    "upgrade a -> b1 [INSERT b1] | "
	    "upgrade b1, b2 -> c1 [UPDATE b1->c1] | "
	    "upgrade c1 -> d1 [UPDATE c1->d1]",
	    "b2 | b2 b3 | c2 | d2 | b1 d2 | c1 d2 | d1 d2", "d1 d2");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "a", "d1 d2",
	    "downgrade d1 -> c1 [UPDATE d1->c1] | "
	    "downgrade c1 -> b1, b2 [UPDATE c1->b1] | "
	    "downgrade b1 -> a [DELETE b1] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b2, b3 [INSERT b2; UPDATE c2->b3] | "
	    "downgrade b3 -> a [DELETE b3] | downgrade b2 -> a [UPDATE b2->a]",
	    "c1 d2 | b1 d2 | d2 | c2 | b2 b3 | b2 | a", "a");
	fx_free(&fx);
}

Test(depends_on, branch_one)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DEPENDS_ONE);

	fx_expect_plan(g, FX_DOWNGRADE, "c1", "c2 d1",
		       "downgrade d1 -> c1 [DELETE d1]", "c2", "c2");
	fx_expect_plan(g, FX_STAMP, "b1", "e1 c2",
		       "stamp e1, c2 -> b1 [DELETE e1; UPDATE c2->b1]", "b1",
		       "b1");
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "",
	    "upgrade  -> a1 [INSERT a1] | upgrade a1 -> b1 [UPDATE a1->b1] | "
	    "upgrade b1 -> c1 [UPDATE b1->c1] | "
	    "upgrade c1 -> d1 [UPDATE c1->d1] | "
	    "upgrade d1 -> e1 [UPDATE d1->e1] | "
	    "upgrade e1 -> f1 [UPDATE e1->f1] | upgrade  -> a2 [INSERT a2] | "
	    "upgrade a2 -> b2 [UPDATE a2->b2] | "
	    "upgrade b2 -> c2 [UPDATE b2->c2]",
	    "a1 | b1 | c1 | d1 | e1 | f1 | a2 f1 | b2 f1 | c2 f1", "c2 f1");
	fx_expect_plan(g, FX_DOWNGRADE, "lib1@base", "f1 c2",
		       "downgrade c2 -> b2 [UPDATE c2->b2] | "
		       "downgrade f1 -> e1 [UPDATE f1->e1] | "
		       "downgrade e1 -> d1 [UPDATE e1->d1] | "
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b1 [UPDATE c1->b1] | "
		       "downgrade b1 -> a1 [UPDATE b1->a1] | "
		       "downgrade a1 ->  [DELETE a1]",
		       "b2 f1 | b2 e1 | b2 d1 | b2 c1 | b1 b2 | a1 b2 | b2",
		       "b2");
	fx_free(&fx);
}

Test(depends_on, branch_two_kaboom)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, KABOOM);

	fx_expect_plan(g, FX_DOWNGRADE, "b2", "amerge bmerge cmerge d1",
		       "downgrade bmerge -> b1, b2 [UPDATE bmerge->b1]",
		       "amerge b1 cmerge d1", "amerge b1 cmerge d1");
	fx_expect_plan(g, FX_DOWNGRADE, "d1@base", "amerge d1 b1 cmerge",
		       "downgrade d1 ->  [UPDATE d1->b2]",
		       "amerge b1 b2 cmerge", "amerge b1 b2 cmerge");
	/* unmerging: Alembic INSERTs the extra rows in set order, retort
	 * in the order of the down revisions */
	fx_expect_plan(
	    g, FX_DOWNGRADE, "base", "amerge b1 b2 cmerge",
	    "downgrade amerge -> a1, a2, a3 [INSERT a1; INSERT a2; "
	    "UPDATE amerge->a3] | downgrade a1 ->  [DELETE a1] | "
	    "downgrade b1 ->  [DELETE b1] | downgrade b2 ->  [DELETE b2] | "
	    "downgrade cmerge -> c1, c2, c3 [INSERT c1; INSERT c2; "
	    "UPDATE cmerge->c3] | downgrade c1 ->  [DELETE c1] | "
	    "downgrade a2 ->  [DELETE a2] | downgrade a3 ->  [DELETE a3] | "
	    "downgrade c2 ->  [DELETE c2] | downgrade c3 ->  [DELETE c3]",
	    "a1 a2 a3 b1 b2 cmerge | a2 a3 b1 b2 cmerge | a2 a3 b2 cmerge | "
	    "a2 a3 cmerge | a2 a3 c1 c2 c3 | a2 a3 c2 c3 | a3 c2 c3 | "
	    "c2 c3 | c3 | ",
	    "");
	/* d1 merges a3, b2 and c1 (its dependencies); Alembic picks the
	 * row to UPDATE in set order, retort takes the last of a3, b2, c1 */
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "",
	    "upgrade  -> c3 [INSERT c3] | upgrade  -> c2 [INSERT c2] | "
	    "upgrade  -> b2 [INSERT b2] | upgrade  -> a3 [INSERT a3] | "
	    "upgrade  -> a2 [INSERT a2] | upgrade  -> c1 [INSERT c1] | "
	    "upgrade  -> d1 [DELETE a3; DELETE b2; UPDATE c1->d1] | "
	    "upgrade c1, c2, c3 -> cmerge [DELETE c2; UPDATE c3->cmerge] | "
	    "upgrade  -> b1 [INSERT b1] | "
	    "upgrade b1, b2 -> bmerge [UPDATE b1->bmerge] | "
	    "upgrade  -> a1 [INSERT a1] | "
	    "upgrade a1, a2, a3 -> amerge [DELETE a1; UPDATE a2->amerge]",
	    "c3 | c2 c3 | b2 c2 c3 | a3 b2 c2 c3 | a2 a3 b2 c2 c3 | "
	    "a2 a3 b2 c1 c2 c3 | a2 c2 c3 d1 | a2 cmerge d1 | "
	    "a2 b1 cmerge d1 | a2 bmerge cmerge d1 | "
	    "a1 a2 bmerge cmerge d1 | amerge bmerge cmerge d1",
	    "amerge bmerge cmerge d1");
	fx_free(&fx);
}

Test(depends_on, branch_three_crisscross)
{
	/* #377 */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DEPENDS_THREE);

	fx_expect_plan(g, FX_DOWNGRADE, "b1", "a3 b2",
		       "downgrade b2 -> b1 [DELETE b2]", "a3", "a3");
	fx_free(&fx);
}

Test(depends_on, own_down_revision)
{
	/* #843 */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DEPENDS_OWN);

	fx_expect_plan(
	    g, FX_UPGRADE, "a2", "",
	    "upgrade  -> a1 [INSERT a1] | upgrade a1 -> a2 [UPDATE a1->a2]",
	    "a1 | a2", "a2");
	fx_expect_plan(g, FX_DOWNGRADE, "a1", "a2",
		       "downgrade a2 -> a1 [UPDATE a2->a1]", "a1", "a1");
	fx_free(&fx);
}

Test(depends_on, branch_four_normalized)
{
	/* #789 */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DEPENDS_FOUR);

	fx_expect_plan(g, FX_DOWNGRADE, "b3", "b4",
		       "downgrade b4 -> b3 [UPDATE b4->b3]", "b3", "b3");
	fx_free(&fx);
}

Test(depends_on, branch_label)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DEPENDS_LABEL);

	fx_expect_plan(
	    g, FX_UPGRADE, "c2", "a2",
	    "upgrade  -> a1 [INSERT a1] | upgrade a1 -> b1 [UPDATE a1->b1] | "
	    "upgrade b1 -> c1 [UPDATE b1->c1] | "
	    "upgrade a2 -> b2 [UPDATE a2->b2] | "
	    "upgrade b2 -> c2 [DELETE b2; UPDATE c1->c2]",
	    "a1 a2 | a2 b1 | a2 c1 | b2 c1 | c2", "c2");
	fx_free(&fx);
}

Test(depends_on, effective_head)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, EFFECTIVE_HEAD);

	fx_expect_plan(g, FX_DOWNGRADE, "x@-1", "x2 y2",
		       "downgrade x2 -> x1 [DELETE x2]", "y2", "y2");
	fx_expect_plan(g, FX_DOWNGRADE, "x@-1", "x1 y2",
		       "downgrade y2 -> y1 [UPDATE y2->y1] | "
		       "downgrade x1 ->  [DELETE x1]",
		       "x1 y1 | y1", "y1");
	fx_expect_plan(g, FX_DOWNGRADE, "x@-1", "y2",
		       "downgrade y2 -> y1 [INSERT y1; UPDATE y2->x1] | "
		       "downgrade x1 ->  [DELETE x1]",
		       "x1 y1 | y1", "y1");
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "",
	    "upgrade  -> x1 [INSERT x1] | upgrade x1 -> x2 [UPDATE x1->x2] | "
	    "upgrade  -> y1 [INSERT y1] | upgrade y1 -> y2 [UPDATE y1->y2]",
	    "x1 | x2 | x2 y1 | x2 y2", "x2 y2");
	fx_free(&fx);
}

Test(depends_on, cross_dependency)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS1);

	fx_expect_plan(g, FX_UPGRADE, "b_2@head", "",
		       "upgrade  -> base3 [INSERT base3] | "
		       "upgrade base3 -> a3 [UPDATE base3->a3] | "
		       "upgrade  -> base2 [INSERT base2] | "
		       "upgrade base2 -> a2 [UPDATE base2->a2] | "
		       "upgrade a2 -> b2 [UPDATE a2->b2] | "
		       "upgrade b2 -> c2 [DELETE b2; UPDATE a3->c2] | "
		       "upgrade c2 -> d2 [UPDATE c2->d2]",
		       "base3 | a3 | a3 base2 | a2 a3 | a3 b2 | c2 | d2", "d2");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "b_3@base", "b1a b1b d2 b3",
	    "downgrade b1b -> a1b [UPDATE b1b->a1b] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b2 [UPDATE c2->b2] | "
	    "downgrade b3 -> a3 [UPDATE b3->a3] | "
	    "downgrade a3 -> base3 [UPDATE a3->base3] | "
	    "downgrade base3 ->  [DELETE base3]",
	    "a1b b1a b3 d2 | a1b b1a b3 c2 | a1b b1a b2 b3 | a1b a3 b1a b2 | "
	    "a1b b1a b2 base3 | a1b b1a b2",
	    "a1b b1a b2");
	fx_expect_plan(g, FX_DOWNGRADE, "b_2@base", "b1a b1b d2 b3",
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b2 [UPDATE c2->b2] | "
		       "downgrade b2 -> a2 [UPDATE b2->a2] | "
		       "downgrade a2 -> base2 [UPDATE a2->base2] | "
		       "downgrade base2 ->  [DELETE base2]",
		       "b1a b1b b3 c2 | b1a b1b b2 b3 | a2 b1a b1b b3 | "
		       "b1a b1b b3 base2 | b1a b1b b3",
		       "b1a b1b b3");
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "",
	    "upgrade  -> base3 [INSERT base3] | "
	    "upgrade base3 -> a3 [UPDATE base3->a3] | "
	    "upgrade a3 -> b3 [UPDATE a3->b3] | "
	    "upgrade  -> base2 [INSERT base2] | "
	    "upgrade base2 -> a2 [UPDATE base2->a2] | "
	    "upgrade a2 -> b2 [UPDATE a2->b2] | "
	    "upgrade b2 -> c2 [UPDATE b2->c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2] | "
	    "upgrade  -> base1 [INSERT base1] | "
	    "upgrade base1 -> a1b [UPDATE base1->a1b] | "
	    "upgrade a1b -> b1b [UPDATE a1b->b1b] | "
	    "upgrade base1 -> a1a [INSERT a1a] | "
	    "upgrade a1a -> b1a [UPDATE a1a->b1a]",
	    "base3 | a3 | b3 | b3 base2 | a2 b3 | b2 b3 | b3 c2 | b3 d2 | "
	    "b3 base1 d2 | a1b b3 d2 | b1b b3 d2 | a1a b1b b3 d2 | "
	    "b1a b1b b3 d2",
	    "b1a b1b b3 d2");
	fx_free(&fx);
}

Test(depends_on, branched_path_cross_dependencies)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED_CROSS);

	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@b", "d1 d2",
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [DELETE c2]",
		       "c2 d1 | d1", "d1");
	fx_expect_plan(g, FX_DOWNGRADE, "c1branch@b", "d1 d2",
		       "downgrade d1 -> c1 [DELETE d1] | "
		       "downgrade d2 -> c2 [INSERT c2; UPDATE d2->c1] | "
		       "downgrade c1 -> b [DELETE c1]",
		       "d2 | c1 c2 | c2", "c2");
	fx_free(&fx);
}

Test(forest, two_roots)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, FOREST);

	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "",
	    "upgrade  -> a2 [INSERT a2] | upgrade a2 -> b2 [UPDATE a2->b2] | "
	    "upgrade  -> a1 [INSERT a1] | upgrade a1 -> b1 [UPDATE a1->b1]",
	    "a2 | b2 | a1 b2 | b1 b2", "b1 b2");
	fx_expect_plan(g, FX_STAMP, "heads", "",
		       "stamp  -> b1 [INSERT b1] | stamp  -> b2 [INSERT b2]",
		       "b1 | b1 b2", "b1 b2");
	fx_expect_plan(g, FX_STAMP, "heads", "b1 b2", "", "", "b1 b2");
	fx_expect_plan_error(
	    g, FX_UPGRADE, "head", "",
	    "Multiple head revisions are present for given argument 'head'; "
	    "please specify a specific target revision, "
	    "'<branchname>@head' to narrow to a specific head, "
	    "or 'heads' for all heads"); /* CommandError */
	fx_expect_plan_error(
	    g, FX_STAMP, "head", "",
	    "Multiple heads are present; "
	    "please specify a single target revision"); /* CommandError */
	fx_free(&fx);
}

Test(merged_path, stamp_across_merge)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);

	fx_expect_plan(g, FX_STAMP, "c2", "e", "stamp e -> c2 [UPDATE e->c2]",
		       "c2", "c2");
	fx_expect_plan(g, FX_STAMP, "a", "e", "stamp e -> a [UPDATE e->a]", "a",
		       "a");
	fx_expect_plan(g, FX_STAMP, "e", "c2", "stamp c2 -> e [UPDATE c2->e]",
		       "e", "e");
	fx_expect_plan(g, FX_STAMP, "c2branch@head", "d1 c2",
		       "stamp d1, c2 -> f [DELETE d1; UPDATE c2->f]", "f", "f");
	fx_expect_plan(g, FX_STAMP, "e", "d1 c2",
		       "stamp d1, c2 -> e [DELETE d1; UPDATE c2->e]", "e", "e");
	fx_expect_plan(g, FX_STAMP, "e", "b", "stamp b -> e [UPDATE b->e]", "e",
		       "e");
	fx_free(&fx);
}

Test(merged_path, upgrade_and_downgrade_across_merge)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);

	fx_expect_plan(g, FX_UPGRADE, "f", "b",
		       "upgrade b -> c2 [UPDATE b->c2] | "
		       "upgrade c2 -> d2 [UPDATE c2->d2] | "
		       "upgrade b -> c1 [INSERT c1] | "
		       "upgrade c1 -> d1 [UPDATE c1->d1] | "
		       "upgrade d1, d2 -> e [DELETE d1; UPDATE d2->e] | "
		       "upgrade e -> f [UPDATE e->f]",
		       "c2 | d2 | c1 d2 | d1 d2 | e | f", "f");
	fx_expect_plan(g, FX_DOWNGRADE, "b", "f",
		       "downgrade f -> e [UPDATE f->e] | "
		       "downgrade e -> d1, d2 [INSERT d1; UPDATE e->d2] | "
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1] | "
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [UPDATE c2->b]",
		       "e | d1 d2 | c1 d2 | d2 | c2 | b", "b");
	fx_expect_plan(g, FX_DOWNGRADE, "d1", "f",
		       "downgrade f -> e [UPDATE f->e] | "
		       "downgrade e -> d1, d2 [INSERT d1; UPDATE e->d2]",
		       "e | d1 d2", "d1 d2");
	fx_expect_plan(g, FX_UPGRADE, "e", "d1 c2",
		       "upgrade c2 -> d2 [UPDATE c2->d2] | "
		       "upgrade d1, d2 -> e [DELETE d1; UPDATE d2->e]",
		       "d1 d2 | e", "e");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* more forms on the same graphs, checked against Alembic 1.8.1 */

Test(branched_path, more_relative_forms_and_unknown_rows)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_plan(g, FX_UPGRADE, "c1branch@+1", "",
		       "upgrade  -> a [INSERT a]", "a", "a");
	fx_expect_plan(
	    g, FX_UPGRADE, "c2branch@+3", "",
	    "upgrade  -> a [INSERT a] | upgrade a -> b [UPDATE a->b] | "
	    "upgrade b -> c2 [UPDATE b->c2]",
	    "a | b | c2", "c2");
	fx_expect_plan(
	    g, FX_UPGRADE, "c2branch@+4", "",
	    "upgrade  -> a [INSERT a] | upgrade a -> b [UPDATE a->b] | "
	    "upgrade b -> c2 [UPDATE b->c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2]",
	    "a | b | c2 | d2", "d2");
	fx_expect_plan(g, FX_DOWNGRADE, "-2", "d1",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [UPDATE c1->b]",
		       "c1 | b", "b");
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@-1", "d1 c2",
		       "downgrade c2 -> b [DELETE c2]", "d1", "d1");
	fx_expect_plan_error(g, FX_UPGRADE, "b+1", "a",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan(g, FX_DOWNGRADE, "d1-3", "d1",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [UPDATE c1->b] | "
		       "downgrade b -> a [UPDATE b->a]",
		       "c1 | b | a", "a");
	fx_expect_plan_error(g, FX_DOWNGRADE, "d1-5", "d1",
			     "Walked too far"); /* CommandError */
	fx_expect_plan(
	    g, FX_UPGRADE, "c1branch@head", "a",
	    "upgrade a -> b [UPDATE a->b] | upgrade b -> c1 [UPDATE b->c1] | "
	    "upgrade c1 -> d1 [UPDATE c1->d1]",
	    "b | c1 | d1", "d1");
	fx_expect_plan(
	    g, FX_UPGRADE, "c2branch@d2", "a",
	    "upgrade a -> b [UPDATE a->b] | upgrade b -> c2 [UPDATE b->c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2]",
	    "b | c2 | d2", "d2");
	fx_expect_plan_error(g, FX_UPGRADE, "+2", "b",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan_error(g, FX_UPGRADE, "+1", "d1 c2",
			     "Ambiguous upgrade from multiple current "
			     "revisions"); /* CommandError */
	fx_expect_plan_error(g, FX_UPGRADE, "c1branch@+1", "d1 c2",
			     "Relative revision +1 didn't produce 1 "
			     "migrations"); /* CommandError */
	fx_expect_plan(g, FX_DOWNGRADE, "c1branch@-2", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1]",
		       "c1 d2 | d2", "d2");
	/* Alembic: a bare AssertionError (no current revision on the
	 * branch) */
	fx_expect_plan_error(g, FX_DOWNGRADE, "c2branch@-1", "d1",
			     "Ambiguous downgrade from multiple current "
			     "revisions on branch 'c2branch'");
	fx_expect_plan_error(
	    g, FX_DOWNGRADE, "base", "zz",
	    "Can't locate revision identified by 'zz'"); /* CommandError */
	fx_expect_plan_error(
	    g, FX_UPGRADE, "heads", "zz",
	    "Can't locate revision identified by 'zz'"); /* CommandError */
	fx_expect_plan_error(
	    g, FX_STAMP, "d1", "zz",
	    "Can't locate revision identified by 'zz'"); /* CommandError */
	fx_expect_plan(g, FX_UPGRADE, "d1", "d1 d1", "", "", "d1");
	fx_expect_plan(g, FX_DOWNGRADE, "c1", "d1 d1",
		       "downgrade d1 -> c1 [UPDATE d1->c1]", "c1", "c1");
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@c1", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1]", "c1 d2", "c1 d2");
	fx_expect_plan_error(
	    g, FX_DOWNGRADE, "x@b", "d1 d2",
	    "Can't locate revision identified by 'x'"); /* CommandError */
	fx_expect_plan_error(
	    g, FX_UPGRADE, "x@+1", "d1",
	    "Can't locate revision identified by 'x'"); /* CommandError */
	fx_expect_plan_error(g, FX_DOWNGRADE, "d2+1", "d1 d2",
			     "Walked too far"); /* CommandError */
	fx_expect_plan(
	    g, FX_UPGRADE, "heads", "c1branch",
	    "upgrade b -> c2 [INSERT c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2] | upgrade c1 -> d1 [INSERT d1]",
	    "c1branch c2 | c1branch d2 | c1branch d1 d2", "c1branch d1 d2");
	fx_expect_plan(
	    g, FX_STAMP, "c1branch@head c2branch@head", "b",
	    "stamp b -> d1 [UPDATE b->d1] | stamp b -> d2 [INSERT d2]",
	    "d1 | d1 d2", "d1 d2");
	fx_expect_plan(g, FX_STAMP, "base", "d1 d2",
		       "stamp d1 ->  [DELETE d1] | stamp d2 ->  [DELETE d2]",
		       "d2 | ", "");
	fx_expect_plan(g, FX_STAMP, "c2branch@base", "d1 d2",
		       "stamp d2 ->  [DELETE d2]", "d1", "d1");
	fx_expect_plan(
	    g, FX_STAMP, "d1 c2", "a",
	    "stamp a -> d1 [UPDATE a->d1] | stamp a -> c2 [INSERT c2]",
	    "d1 | c2 d1", "c2 d1");
	fx_expect_plan(g, FX_STAMP, "b", "d1 d2",
		       "stamp d1, d2 -> b [DELETE d1; UPDATE d2->b]", "b", "b");
	fx_expect_plan(g, FX_STAMP, "a", "d1 d2",
		       "stamp d1, d2 -> a [DELETE d1; UPDATE d2->a]", "a", "a");
	fx_expect_plan(g, FX_DOWNGRADE, "b-1", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1] | "
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [UPDATE c2->b] | "
		       "downgrade b -> a [UPDATE b->a]",
		       "c1 d2 | d2 | c2 | b | a", "a");
	fx_expect_plan(
	    g, FX_UPGRADE, "a+1", "",
	    "upgrade  -> a [INSERT a] | upgrade a -> b [UPDATE a->b]", "a | b",
	    "b");
	fx_expect_plan(
	    g, FX_UPGRADE, "base+2", "",
	    "upgrade  -> a [INSERT a] | upgrade a -> b [UPDATE a->b]", "a | b",
	    "b");
	fx_expect_plan(g, FX_DOWNGRADE, "base+1", "d1 d2",
		       "downgrade d1 -> c1 [UPDATE d1->c1] | "
		       "downgrade c1 -> b [DELETE c1] | "
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [UPDATE c2->b] | "
		       "downgrade b -> a [UPDATE b->a]",
		       "c1 d2 | d2 | c2 | b | a", "a");
	fx_free(&fx);
}

Test(merged_path, relative_forms_and_stamps)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);

	fx_expect_plan_error(g, FX_DOWNGRADE, "-1", "e",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan_error(g, FX_DOWNGRADE, "-2", "f",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan_error(g, FX_UPGRADE, "+1", "d1 d2",
			     "Ambiguous upgrade from multiple current "
			     "revisions"); /* CommandError */
	fx_expect_plan_error(g, FX_UPGRADE, "+3", "b",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@-1", "f",
		       "downgrade f -> e [UPDATE f->e]", "e", "e");
	fx_expect_plan_error(g, FX_DOWNGRADE, "c2branch@-2", "f",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan(g, FX_DOWNGRADE, "c2branch@b", "f",
		       "downgrade f -> e [UPDATE f->e] | "
		       "downgrade e -> d1, d2 [INSERT d1; UPDATE e->d2] | "
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b [DELETE c2]",
		       "e | d1 d2 | c2 d1 | d1", "d1");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "c2branch@base", "f",
	    "downgrade f -> e [UPDATE f->e] | "
	    "downgrade e -> d1, d2 [INSERT d1; UPDATE e->d2] | "
	    "downgrade d1 -> c1 [UPDATE d1->c1] | "
	    "downgrade c1 -> b [DELETE c1] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b [UPDATE c2->b] | "
	    "downgrade b -> a [UPDATE b->a] | downgrade a ->  [DELETE a]",
	    "e | d1 d2 | c1 d2 | d2 | c2 | b | a | ", "");
	fx_expect_plan(g, FX_UPGRADE, "c2branch@+2", "b",
		       "upgrade b -> c2 [UPDATE b->c2] | "
		       "upgrade c2 -> d2 [UPDATE c2->d2]",
		       "c2 | d2", "d2");
	fx_expect_plan(g, FX_STAMP, "d2", "f", "stamp f -> d2 [UPDATE f->d2]",
		       "d2", "d2");
	/* Alembic plans two steps that both move the row f, and the second
	 * fails with KeyError: 'f'; retort refuses the plan */
	fx_expect_plan_error(g, FX_STAMP, "d1 d2", "f",
			     "version table has no row for 'f' to update to "
			     "'d2'");
	fx_expect_plan(
	    g, FX_UPGRADE, "c2branch@head", "",
	    "upgrade  -> a [INSERT a] | upgrade a -> b [UPDATE a->b] | "
	    "upgrade b -> c2 [UPDATE b->c2] | "
	    "upgrade c2 -> d2 [UPDATE c2->d2] | "
	    "upgrade b -> c1 [INSERT c1] | "
	    "upgrade c1 -> d1 [UPDATE c1->d1] | "
	    "upgrade d1, d2 -> e [DELETE d1; UPDATE d2->e] | "
	    "upgrade e -> f [UPDATE e->f]",
	    "a | b | c2 | d2 | c1 d2 | d1 d2 | e | f", "f");
	fx_expect_plan(g, FX_DOWNGRADE, "c1", "e",
		       "downgrade e -> d1, d2 [INSERT d1; UPDATE e->d2] | "
		       "downgrade d1 -> c1 [UPDATE d1->c1]",
		       "d1 d2 | c1 d2", "c1 d2");
	fx_expect_plan(
	    g, FX_UPGRADE, "d2", "c1",
	    "upgrade b -> c2 [INSERT c2] | upgrade c2 -> d2 [UPDATE c2->d2]",
	    "c1 c2 | c1 d2", "c1 d2");
	fx_expect_plan(g, FX_UPGRADE, "e", "c1",
		       "upgrade b -> c2 [INSERT c2] | "
		       "upgrade c2 -> d2 [UPDATE c2->d2] | "
		       "upgrade c1 -> d1 [UPDATE c1->d1] | "
		       "upgrade d1, d2 -> e [DELETE d1; UPDATE d2->e]",
		       "c1 c2 | c1 d2 | d1 d2 | e", "e");
	fx_free(&fx);
}

Test(forest, stamps_downgrades_and_relative_forms)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, FOREST);

	fx_expect_plan(g, FX_STAMP, "base", "b1 b2",
		       "stamp b1 ->  [DELETE b1] | stamp b2 ->  [DELETE b2]",
		       "b2 | ", "");
	fx_expect_plan(g, FX_STAMP, "b1 b2", "",
		       "stamp  -> b1 [INSERT b1] | stamp  -> b2 [INSERT b2]",
		       "b1 | b1 b2", "b1 b2");
	fx_expect_plan(
	    g, FX_STAMP, "a1 b2", "b1",
	    "stamp b1 -> a1 [UPDATE b1->a1] | stamp  -> b2 [INSERT b2]",
	    "a1 | a1 b2", "a1 b2");
	fx_expect_plan(g, FX_DOWNGRADE, "base", "b1 b2",
		       "downgrade b1 -> a1 [UPDATE b1->a1] | "
		       "downgrade a1 ->  [DELETE a1] | "
		       "downgrade b2 -> a2 [UPDATE b2->a2] | "
		       "downgrade a2 ->  [DELETE a2]",
		       "a1 b2 | b2 | a2 | ", "");
	fx_expect_plan(g, FX_DOWNGRADE, "a1", "b1 b2",
		       "downgrade b1 -> a1 [UPDATE b1->a1]", "a1 b2", "a1 b2");
	fx_expect_plan(g, FX_DOWNGRADE, "a1@base", "b1 b2",
		       "downgrade b1 -> a1 [UPDATE b1->a1] | "
		       "downgrade a1 ->  [DELETE a1]",
		       "a1 b2 | b2", "b2");
	fx_expect_plan(
	    g, FX_UPGRADE, "b1", "b2",
	    "upgrade  -> a1 [INSERT a1] | upgrade a1 -> b1 [UPDATE a1->b1]",
	    "a1 b2 | b1 b2", "b1 b2");
	fx_expect_plan(g, FX_UPGRADE, "+1", "a2",
		       "upgrade a2 -> b2 [UPDATE a2->b2]", "b2", "b2");
	fx_expect_plan_error(g, FX_UPGRADE, "+2", "",
			     "Ambiguous walk"); /* CommandError */
	/* alembic warns: ['downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.'] */
	fx_expect_plan(g, FX_DOWNGRADE, "-1", "b1 b2",
		       "downgrade b1 -> a1 [UPDATE b1->a1]", "a1 b2", "a1 b2");
	fx_expect_plan(g, FX_UPGRADE, "a2@+1", "b1",
		       "upgrade  -> a2 [INSERT a2]", "a2 b1", "a2 b1");
	fx_expect_plan(
	    g, FX_UPGRADE, "a2@+2", "b1",
	    "upgrade  -> a2 [INSERT a2] | upgrade a2 -> b2 [UPDATE a2->b2]",
	    "a2 b1 | b1 b2", "b1 b2");
	fx_expect_plan(g, FX_UPGRADE, "b2@+1", "a1",
		       "upgrade  -> a2 [INSERT a2]", "a1 a2", "a1 a2");
	fx_expect_plan(g, FX_DOWNGRADE, "a2@-1", "b1 b2",
		       "downgrade b2 -> a2 [UPDATE b2->a2]", "a2 b1", "a2 b1");
	fx_free(&fx);
}

Test(depends_on, cross_dependency_more_forms)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS1);

	fx_expect_plan(g, FX_DOWNGRADE, "b_3@-1", "b1a b1b d2 b3",
		       "downgrade b3 -> a3 [DELETE b3]", "b1a b1b d2",
		       "b1a b1b d2");
	fx_expect_plan(g, FX_DOWNGRADE, "a3", "b1a b1b d2 b3",
		       "downgrade b3 -> a3 [DELETE b3]", "b1a b1b d2",
		       "b1a b1b d2");
	fx_expect_plan_error(g, FX_UPGRADE, "b_1@+2", "",
			     "Ambiguous walk"); /* CommandError */
	fx_expect_plan(g, FX_STAMP, "a3", "d2",
		       "stamp d2 -> a3 [UPDATE d2->a3]", "a3", "a3");
	fx_expect_plan(g, FX_STAMP, "b_3@head", "d2",
		       "stamp  -> b3 [INSERT b3]", "b3 d2", "b3 d2");
	fx_expect_plan(g, FX_STAMP, "base", "d2", "stamp d2 ->  [DELETE d2]",
		       "", "");
	fx_expect_plan(g, FX_STAMP, "b_3@base", "d2 b3",
		       "stamp d2 ->  [DELETE d2] | stamp b3 ->  [DELETE b3]",
		       "b3 | ", "");
	fx_expect_plan(g, FX_UPGRADE, "c2", "b3",
		       "upgrade  -> base2 [INSERT base2] | "
		       "upgrade base2 -> a2 [UPDATE base2->a2] | "
		       "upgrade a2 -> b2 [UPDATE a2->b2] | "
		       "upgrade b2 -> c2 [UPDATE b2->c2]",
		       "b3 base2 | a2 b3 | b2 b3 | b3 c2", "b3 c2");
	fx_expect_plan(
	    g, FX_DOWNGRADE, "base3", "b1b d2 b3",
	    "downgrade b1b -> a1b [UPDATE b1b->a1b] | "
	    "downgrade d2 -> c2 [UPDATE d2->c2] | "
	    "downgrade c2 -> b2 [UPDATE c2->b2] | "
	    "downgrade b3 -> a3 [UPDATE b3->a3] | "
	    "downgrade a3 -> base3 [UPDATE a3->base3]",
	    "a1b b3 d2 | a1b b3 c2 | a1b b2 b3 | a1b a3 b2 | a1b b2 base3",
	    "a1b b2 base3");
	fx_expect_plan(g, FX_DOWNGRADE, "b_2@-2", "d2",
		       "downgrade d2 -> c2 [UPDATE d2->c2] | "
		       "downgrade c2 -> b2 [INSERT b2; UPDATE c2->a3]",
		       "c2 | a3 b2", "a3 b2");
	fx_expect_plan(g, FX_UPGRADE, "b_2@+3", "",
		       "upgrade  -> base2 [INSERT base2] | "
		       "upgrade base2 -> a2 [UPDATE base2->a2] | "
		       "upgrade a2 -> b2 [UPDATE a2->b2]",
		       "base2 | a2 | b2", "b2");
	fx_expect_plan(g, FX_STAMP, "b1b", "", "stamp  -> b1b [INSERT b1b]",
		       "b1b", "b1b");
	fx_free(&fx);
}

Test(depends_on, effective_head_more_forms)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, EFFECTIVE_HEAD);

	fx_expect_plan(g, FX_DOWNGRADE, "y@-1", "y2",
		       "downgrade y2 -> y1 [INSERT y1; UPDATE y2->x1]", "x1 y1",
		       "x1 y1");
	fx_expect_plan(g, FX_DOWNGRADE, "x@base", "y2",
		       "downgrade y2 -> y1 [INSERT y1; UPDATE y2->x1] | "
		       "downgrade x1 ->  [DELETE x1]",
		       "x1 y1 | y1", "y1");
	fx_expect_plan_error(g, FX_UPGRADE, "x@+2", "y2",
			     "Relative revision +2 didn't produce 2 "
			     "migrations"); /* CommandError */
	fx_expect_plan(g, FX_UPGRADE, "y@+1", "x1",
		       "upgrade  -> y1 [INSERT y1]", "x1 y1", "x1 y1");
	fx_expect_plan(g, FX_STAMP, "y2", "x2", "stamp  -> y2 [INSERT y2]",
		       "x2 y2", "x2 y2");
	fx_expect_plan(g, FX_STAMP, "base", "y2", "stamp y2 ->  [DELETE y2]",
		       "", "");
	fx_expect_plan(g, FX_STAMP, "x@base", "y2", "stamp y2 ->  [DELETE y2]",
		       "", "");
	fx_free(&fx);
}

Test(branched_path, stamp_several_targets_and_overlapping_rows)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	/* each target is placed on its own: c1 and d1 both get a row */
	fx_expect_plan(g, FX_STAMP, "c1 d1", "",
		       "stamp  -> c1 [INSERT c1] | stamp  -> d1 [INSERT d1]",
		       "c1 | c1 d1", "c1 d1");
	fx_expect_plan(g, FX_STAMP, "d1 d2", "b",
		       "stamp b -> d1 [UPDATE b->d1] | "
		       "stamp b -> d2 [INSERT d2]",
		       "d1 | d1 d2", "d1 d2");
	fx_free(&fx);
}

Test(branched_path, stamp_same_target_twice_fails_cleanly)
{
	/* The second d1 finds its row already there; Alembic then fails on
	 * an assertion in StampStep.update_version_num (no from-revision to
	 * update). The plan must fail, not crash. */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);
	rt_err err = RT_ERR_INIT;
	retort_plan *p = fx_plan(g, FX_STAMP, "d1 d1", "", &err);

	cr_assert_null(p);
	cr_assert_lt(err.code, 0);
	cr_assert_str_neq(rt_err_msg(&err), "");
	rt_err_dispose(&err);
	fx_free(&fx);
}

Test(merged_path, rows_that_are_ancestors_of_each_other)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGED);

	fx_expect_plan_error(g, FX_UPGRADE, "e", "d1 d2 c2",
			     "Requested revision d2 overlaps with other "
			     "requested revisions c2");
	fx_expect_plan_error(g, FX_UPGRADE, "f", "d1 c1",
			     "Requested revision d1 overlaps with other "
			     "requested revisions c1");
	fx_free(&fx);
}

/* The detail after Alembic's "Ambiguous walk": the ways the walk could go
 * and what to name instead. */
static const fx_rev DIAMOND[] = {
	{ "a", "" },
	{ "b", "a" },
	{ "c", "a" },
	{ "m", "b c" },
};

Test(plan, ambiguous_walk_names_the_ways)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DIAMOND);
	rt_err err = RT_ERR_INIT;
	retort_plan *p;

	p = fx_plan(g, FX_DOWNGRADE, "-1", "m", &err);
	cr_assert_null(p);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Ambiguous walk (revision m has 2 parents: b, c; "
			 "downgrade to one of them by id instead)");
	rt_err_dispose(&err);
	err = (rt_err)RT_ERR_INIT;
	p = fx_plan(g, FX_UPGRADE, "+1", "a", &err);
	cr_assert_null(p);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Ambiguous walk (revision a has 2 children: b, c; "
			 "name one of them by id instead)");
	rt_err_dispose(&err);
	fx_free(&fx);
}
