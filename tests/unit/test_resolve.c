/* SPDX-License-Identifier: MIT */
/*
 * test_resolve.c: identifier resolution and traversal (src/graph/resolve.c,
 * ident.c, target.c, iterate.c, toposort.c):
 * get_revision/get_revisions with full ids, prefixes, labels, head/heads/
 * base, label@..., rev@..., relative forms, every resolution error text,
 * the rewriting done by rt_resolver_catch, filter_for_lineage,
 * _get_all_current, and iterate_revisions with the exact orders of
 * Alembic's tests/test_revision.py (DiamondTest, LabeledBranchTest,
 * LongShortBranchTest, MultipleBranchTest, MultipleBranchEffectiveHead,
 * BranchTravellingTest, MultipleBaseTest, MultipleBaseCrossDependencyTest*,
 * GraphWithLoopTest, NormalizedDownRevTest, LargeMapTest). Every expected
 * value was produced by Alembic 1.8.1 on the same graph in the same load
 * order, and does not depend on Python's hash seed.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "graph_fixture.h"

/* ------------------------------------------------------------------ */
/* helpers */

static const char *nz(const char *s)
{
	return s ? s : "None";
}

/* get_revision(ident): the id, or "None" */
static void expect_rev(rt_graph *g, const char *ident, const char *expected)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	int32_t out = 12345;
	int rc;

	rt_resolver_init(&r, g, &err);
	rc = rt_get_revision(&r, ident, &out);
	cr_assert_eq(rc, 0, "get_revision(%s) failed: %s", nz(ident),
		     rt_err_msg(&err));
	cr_assert_str_eq(out >= 0 ? g->revs[out].s.id : "None", expected,
			 "get_revision(%s): got %s, expected %s", nz(ident),
			 out >= 0 ? g->revs[out].s.id : "None", expected);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
}

static void expect_rev_error(rt_graph *g, const char *ident, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	int32_t out;
	int rc;

	rt_resolver_init(&r, g, &err);
	rc = rt_get_revision(&r, ident, &out);
	cr_assert_lt(rc, 0, "get_revision(%s) should fail", nz(ident));
	cr_assert_str_eq(rt_err_msg(&err), msg,
			 "get_revision(%s): got '%s', expected '%s'", nz(ident),
			 rt_err_msg(&err), msg);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
}

/* get_revisions(arg) with fx_arg's notation: "(a b)" is a tuple */
static void expect_revs(rt_graph *g, const char *ident, const char *expected)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	fx_arg a = fx_arg_make(ident);
	rt_refs out;
	int rc;

	rt_resolver_init(&r, g, &err);
	rc = rt_get_revisions(&r, a.arg, &out);
	cr_assert_eq(rc, 0, "get_revisions(%s) failed: %s", nz(ident),
		     rt_err_msg(&err));
	FX_ASSERT_REFS(g, &out, expected);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_arg_free(&a);
}

static void expect_revs_error(rt_graph *g, const char *ident, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	fx_arg a = fx_arg_make(ident);
	rt_refs out;
	int rc;

	rt_resolver_init(&r, g, &err);
	rc = rt_get_revisions(&r, a.arg, &out);
	cr_assert_lt(rc, 0, "get_revisions(%s) should fail", nz(ident));
	cr_assert_str_eq(rt_err_msg(&err), msg);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_arg_free(&a);
}

/* get_revision(ident) fails; the message after rt_resolver_catch(c) */
static void expect_caught(rt_graph *g, const char *ident, const rt_catch *c,
			  int code, enum rt_rev_error kind, const char *msg)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	int32_t out;

	rt_resolver_init(&r, g, &err);
	cr_assert_lt(rt_get_revision(&r, ident, &out), 0);
	cr_assert_eq(r.kind, kind);
	cr_assert_eq(rt_resolver_catch(&r, c), code);
	cr_assert_eq(err.code, code);
	cr_assert_str_eq(rt_err_msg(&err), msg);
	cr_assert_eq(r.kind, RT_RE_NONE);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
}

/* ------------------------------------------------------------------ */
/* graphs */

/* LabeledBranchTest */
static const fx_rev LABELED[] = {
	{ "a", "", NULL, "abranch" },
	{ "b", "a" },
	{ "somelongername", "b" },
	{ "c", "somelongername" },
	{ "d", "" },
	{ "e", "d", NULL, "ebranch" },
	{ "someothername", "e" },
	{ "f", "someothername" },
};

static const fx_rev LINEAR[] = { { "a", "" }, { "b", "a" }, { "c", "b" } };
static const fx_rev LINEAR5[] = {
	{ "a", "" }, { "b", "a" }, { "c", "b" }, { "d", "c" }, { "e", "d" }
};

/* BranchedPathTest (test_version_traversal.py) */
static const fx_rev BRANCHED[] = {
	{ "a", "" },
	{ "b", "a" },
	{ "c1", "b", NULL, "c1branch" },
	{ "d1", "c1" },
	{ "c2", "b", NULL, "c2branch" },
	{ "d2", "c2" },
};
static const fx_rev TWOHEAD[] = {
	{ "a", "" }, { "b", "a" }, { "c1", "b" }, { "c2", "b" }
};
static const fx_rev TWOBASE[] = {
	{ "a", "" }, { "b", "a" }, { "c", "" }, { "d", "c" }
};

/* four ids and a label sharing a prefix */
static const fx_rev SHARED_PREFIX[] = {
	{ "abcd1111", "" },
	{ "abcd2222", "abcd1111" },
	{ "abcd3333", "abcd2222" },
	{ "abcd4444", "abcd3333", NULL, "abcdlabel" },
};

static const fx_rev LABEL_PREFIX[] = { { "abcdef", "", NULL, "abcdlabel" } };

/* LabeledBranchTest.test_filter_for_lineage_labeled_head_across_merge */
static const fx_rev MERGE_LABELED[] = { { "a", "" },
					{ "b", "a" },
					{ "c1", "b", NULL, "c1branch" },
					{ "c2", "b" },
					{ "d", "c1 c2" } };

static const fx_rev DIAMOND[] = { { "a", "" },
				  { "b1", "a" },
				  { "b2", "a" },
				  { "c", "b1 b2" },
				  { "d", "c" } };

static const fx_rev LONG_SHORT[] = { { "a", "" },     { "b1", "a" },
				     { "b2", "a" },   { "c1", "b1" },
				     { "d11", "c1" }, { "d12", "c1" } };

/* MultipleBranchTest */
static const fx_rev MULTIPLE_BRANCH[] = {
	{ "a", "" },
	{ "b1", "a" },
	{ "b2", "a" },
	{ "cb1", "b1" },
	{ "cb2", "b2" },
	{ "d1cb1", "cb1" },
	{ "d2cb1", "cb1" },
	{ "d1cb2", "cb2" },
	{ "d2cb2", "cb2" },
	{ "d3cb2", "cb2" },
	{ "d1d2cb2", "d1cb2 d2cb2" },
};

/* MultipleBranchEffectiveHead */
static const fx_rev EFFECTIVE_HEAD[] = {
	{ "y1", "", NULL, "y" },
	{ "x1", "", NULL, "x" },
	{ "y2", "y1", "x1" },
	{ "x2", "x1" },
};

/* BranchTravellingTest */
static const fx_rev TRAVELLING[] = {
	{ "a1", "" },	   { "a2", "a1" },	     { "a3", "a2" },
	{ "b1", "a3" },	   { "b2", "a3" },	     { "cb1", "b1" },
	{ "cb2", "b2" },   { "db1", "cb1" },	     { "db2", "cb2" },
	{ "e1b1", "db1" }, { "fe1b1", "e1b1" },	     { "e2b1", "db1" },
	{ "e2b2", "db2" }, { "merge", "e2b1 e2b2" },
};

/* MultipleBaseTest */
static const fx_rev MULTIPLE_BASE[] = {
	{ "base1", "" },    { "base2", "" },	      { "base3", "" },
	{ "a1a", "base1" }, { "a1b", "base1" },	      { "a2", "base2" },
	{ "a3", "base3" },  { "b1a", "a1a" },	      { "b1b", "a1b" },
	{ "b2", "a2" },	    { "b3", "a3" },	      { "c2", "b2" },
	{ "d2", "c2" },	    { "mergeb3d2", "b3 d2" },
};

/* MultipleBaseCrossDependencyTestOne */
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

/* MultipleBaseCrossDependencyTestTwo */
static const fx_rev CROSS2[] = {
	{ "base1", "", NULL, "b_1" },
	{ "a1", "base1" },
	{ "b1", "a1" },
	{ "c1", "b1" },
	{ "base2", "", "b_1", "b_2" },
	{ "a2", "base2" },
	{ "b2", "a2" },
	{ "c2", "b2" },
	{ "d2", "c2" },
	{ "base3", "", NULL, "b_3" },
	{ "a3", "base3" },
	{ "b3", "a3" },
	{ "c3", "b3", "b2" },
	{ "d3", "c3" },
};

/* MultipleBaseCrossDependencyTestThree */
static const fx_rev CROSS3[] = { { "base1", "" },
				 { "a1", "base1" },
				 { "b1", "a1" },
				 { "c2", "", "a1" },
				 { "c3", "c2" } };

/* NormalizedDownRevTest */
static const fx_rev NORMALIZED[] = {
	{ "a1", "" },	      { "a2", "a1" },	    { "a3", "a2" },
	{ "b1", "" },	      { "b2", "b1", "a3" }, { "b3", "b2" },
	{ "b4", "b3", "a3" }, { "b5", "b4", "b4" },
};

/* NormalizedDownRevTest.test_partial_traversal_implicit_base_three */
static const fx_rev NORMALIZED3[] = {
	{ "c1", "" },	      { "a1", "" },	    { "a2", "a1", "c1" },
	{ "a3", "a2", "c1" }, { "b1", "" },	    { "b2", "b1", "a3" },
	{ "b3", "b2" },	      { "b4", "b3", "a3" }, { "b5", "b4" },
};

/* DependsOnBranchTestTwo ("kaboom") */
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

/* tests/_large_map.py, in its order */
static const fx_rev LARGE[] = {
	{ "3fc8a578bc0a", "4878cb1cb7f6 454a0529f84e" },
	{ "69285b0faaa", "36c31e4e1c37 3a3b24a31b57" },
	{ "3b0452c64639", "2f1a0f3667f3" },
	{ "2d9d787a496", "135b5fd31062" },
	{ "184f65ed83af", "3b0452c64639" },
	{ "430074f99c29", "54f871bfe0b0" },
	{ "3ffb59981d9a", "519c9f3ce294" },
	{ "454a0529f84e", "40f6508e4373 38a936c6ab11" },
	{ "24c2620b2e3f", "430074f99c29 1f5ceb1ec255" },
	{ "169a948471a9", "247ad6880f93" },
	{ "2f1a0f3667f3", "17dd0f165262" },
	{ "27227dc4fda8", "2a66d7c4d8a1" },
	{ "4b2ad1ffe2e7", "3b409f268da4 4f8a9b79a063" },
	{ "124ef6a17781", "2529684536da" },
	{ "4789d9c82ca7", "593b8076fb2c" },
	{ "64ed798bcc3", "44ed1bf512a0 169a948471a9" },
	{ "2588a3c36a0f", "50c7b21c9089" },
	{ "359329c2ebb", "5810e9eff996 339faa12616" },
	{ "540bc5634bd", "3a5db5f31209" },
	{ "20fe477817d2", "53d5ff905573" },
	{ "4f8a9b79a063", "3cf34fcd6473 300209d8594" },
	{ "6918589deaf", "3314c17f6e35" },
	{ "1755e3b1481c", "17b66754be21 31b1d4b7fc95" },
	{ "58c988e1aa4e", "219240032b88 f067f0b825c" },
	{ "593b8076fb2c", "1d94175d221b" },
	{ "38d069994064", "46b70a57edc0 3ed56beabfb7" },
	{ "3e2f6c6d1182", "7f96a01461b" },
	{ "1f6969597fe7", "1811bdae9e63" },
	{ "17dd0f165262", "3cf02a593a68" },
	{ "3cf02a593a68", "25a7ef58d293" },
	{ "34dfac7edb2d", "28f4dd53ad3a" },
	{ "4009c533e05d", "42ded7355da2" },
	{ "5a0003c3b09c", "3ed56beabfb7 2028d94d3863" },
	{ "38a936c6ab11", "2588a3c36a0f" },
	{ "59223c5b7b36", "2f93dd880bae" },
	{ "4121bd6e99e9", "540bc5634bd" },
	{ "260714a3f2de", "6918589deaf" },
	{ "ae77a2ed69b", "274fd2642933" },
	{ "18ff1ab3b4c4", "430133b6d46c" },
	{ "2b9a327527a9", "359329c2ebb 593b8076fb2c" },
	{ "4e6167c75ed0", "325b273d61bd" },
	{ "21ab11a7c5c4", "3da31f3323ec 22f26011d635" },
	{ "3b93e98481b1", "4e28e2f4fe2f" },
	{ "145d8f1e334d", "b4143d129e" },
	{ "135b5fd31062", "1d94175d221b" },
	{ "300209d8594", "52804033910e 593b8076fb2c" },
	{ "8dca95cce28", "f034666cd80" },
	{ "46b70a57edc0", "145d8f1e334d 4cc2960cbe19" },
	{ "4d45e479fbb9", "2d9d787a496" },
	{ "22f085bf8bbd", "540bc5634bd" },
	{ "263e91fd17d8", "2b9a327527a9" },
	{ "219240032b88", "300209d8594 2b9a327527a9" },
	{ "325b273d61bd", "4b2ad1ffe2e7" },
	{ "199943ccc774", "1aa674ccfa4e" },
	{ "247ad6880f93", "1f6969597fe7" },
	{ "4878cb1cb7f6", "28f4dd53ad3a" },
	{ "2a66d7c4d8a1", "23f1ccb18d6d" },
	{ "42b079245b55", "593b8076fb2c" },
	{ "1cccf82219cb", "20fe477817d2 915c67915c2" },
	{ "b4143d129e", "159331d6f484 504d5168afe1" },
	{ "53d5ff905573", "3013877bf5bd" },
	{ "1f5ceb1ec255", "3ffb59981d9a" },
	{ "ef1c1c1531f", "4738812e6ece" },
	{ "1f6963d1ae02", "247ad6880f93" },
	{ "44d58f1d31f0", "18ff1ab3b4c4" },
	{ "c3ebe64dfb5", "3409c57b0da 31f352e77045" },
	{ "f067f0b825c", "359329c2ebb" },
	{ "52ab2d3b57ce", "96d590bd82e" },
	{ "3b409f268da4", "20e90eb3eeb6 263e91fd17d8" },
	{ "5a4ca8889674", "4e6167c75ed0" },
	{ "5810e9eff996", "2d30d79c4093 52804033910e" },
	{ "40f6508e4373", "4ed16fad67a7" },
	{ "1811bdae9e63", "260714a3f2de" },
	{ "3013877bf5bd", "8dca95cce28 3fc8a578bc0a" },
	{ "16426dbea880", "28f4dd53ad3a" },
	{ "22f26011d635", "4c93d063d2ba 3b93e98481b1" },
	{ "3409c57b0da", "17b66754be21" },
	{ "44373001000f", "42b079245b55 219240032b88" },
	{ "28f4dd53ad3a", "2e71fd90eb9d" },
	{ "4cc2960cbe19", "504d5168afe1" },
	{ "31f352e77045", "17b66754be21 22f085bf8bbd" },
	{ "4ed16fad67a7", "f034666cd80" },
	{ "3da31f3323ec", "4c93d063d2ba" },
	{ "31b1d4b7fc95", "1cc4459fd115" },
	{ "11bc0ff42f87", "28f4dd53ad3a" },
	{ "3a5db5f31209", "59742a546b84" },
	{ "20e90eb3eeb6", "58c988e1aa4e 44373001000f" },
	{ "23f1ccb18d6d", "52ab2d3b57ce" },
	{ "1d94175d221b", "21ab11a7c5c4" },
	{ "36f1a410ed", "54f871bfe0b0" },
	{ "181a149173e", "2ee35cac4c62" },
	{ "171ad2f0c672", "4a4e0838e206" },
	{ "2f93dd880bae", "540bc5634bd" },
	{ "25a7ef58d293", "" },
	{ "7f96a01461b", "184f65ed83af" },
	{ "b21f22233f", "3e2f6c6d1182" },
	{ "52804033910e", "1d94175d221b" },
	{ "1e6240aba5b3", "4121bd6e99e9 2c50d8bab6ee" },
	{ "1cc4459fd115", "1e6240aba5b3" },
	{ "274fd2642933", "4009c533e05d" },
	{ "1aa674ccfa4e", "59223c5b7b36 42050bf030fd" },
	{ "4e28e2f4fe2f", "596d7b9e11" },
	{ "49ddec8c7a5e", "124ef6a17781 47578179e766" },
	{ "3e9bb349cc46", "ef1c1c1531f" },
	{ "2028d94d3863", "504d5168afe1" },
	{ "159331d6f484", "34dfac7edb2d" },
	{ "596d7b9e11", "171ad2f0c672" },
	{ "3b96bcc8da76", "f034666cd80" },
	{ "4738812e6ece", "78982bf5499" },
	{ "3314c17f6e35", "27227dc4fda8" },
	{ "30931c545bf", "2e71fd90eb9d" },
	{ "2e71fd90eb9d", "c3ebe64dfb5 1755e3b1481c" },
	{ "3ed56beabfb7", "11bc0ff42f87 69285b0faaa" },
	{ "96d590bd82e", "3e9bb349cc46" },
	{ "339faa12616", "4d45e479fbb9" },
	{ "47578179e766", "2529684536da" },
	{ "2ee35cac4c62", "b21f22233f" },
	{ "50c7b21c9089", "4ed16fad67a7 3b96bcc8da76" },
	{ "78982bf5499", "ae77a2ed69b" },
	{ "519c9f3ce294", "2c50d8bab6ee" },
	{ "2720fc75e5fd", "1cccf82219cb" },
	{ "21638ec787ba", "44d58f1d31f0" },
	{ "59742a546b84", "49ddec8c7a5e" },
	{ "2d30d79c4093", "135b5fd31062" },
	{ "f034666cd80", "5a0003c3b09c 38d069994064" },
	{ "430133b6d46c", "181a149173e" },
	{ "3a3b24a31b57", "16426dbea880 4cc2960cbe19" },
	{ "2529684536da", "64ed798bcc3 1f6963d1ae02" },
	{ "17b66754be21", "19e0db9d806a 24c2620b2e3f" },
	{ "3cf34fcd6473", "52804033910e 4789d9c82ca7" },
	{ "36c31e4e1c37", "504d5168afe1" },
	{ "54f871bfe0b0", "519c9f3ce294" },
	{ "4a4e0838e206", "2a7f37cf7770" },
	{ "19e0db9d806a", "430074f99c29 36f1a410ed" },
	{ "44ed1bf512a0", "247ad6880f93" },
	{ "42050bf030fd", "2f93dd880bae" },
	{ "2c50d8bab6ee", "199943ccc774" },
	{ "504d5168afe1", "28f4dd53ad3a 30931c545bf" },
	{ "915c67915c2", "3fc8a578bc0a" },
	{ "2a7f37cf7770", "2720fc75e5fd" },
	{ "4c93d063d2ba", "4e28e2f4fe2f" },
	{ "42ded7355da2", "21638ec787ba" },
};

/* iterate_revisions("heads", "base") on LARGE, from Alembic 1.8.1 */
static const char LARGE_ORDER[] =
    "5a4ca8889674 4e6167c75ed0 325b273d61bd 4b2ad1ffe2e7 "
    "3b409f268da4 20e90eb3eeb6 58c988e1aa4e 44373001000f "
    "42b079245b55 219240032b88 4f8a9b79a063 3cf34fcd6473 "
    "300209d8594 263e91fd17d8 f067f0b825c 2b9a327527a9 "
    "359329c2ebb 5810e9eff996 2d30d79c4093 339faa12616 "
    "4d45e479fbb9 2d9d787a496 4789d9c82ca7 135b5fd31062 "
    "52804033910e 593b8076fb2c 1d94175d221b 21ab11a7c5c4 "
    "3da31f3323ec 22f26011d635 3b93e98481b1 4c93d063d2ba "
    "4e28e2f4fe2f 596d7b9e11 171ad2f0c672 4a4e0838e206 "
    "2a7f37cf7770 2720fc75e5fd 1cccf82219cb 20fe477817d2 "
    "53d5ff905573 3013877bf5bd 8dca95cce28 915c67915c2 "
    "3fc8a578bc0a 4878cb1cb7f6 454a0529f84e 40f6508e4373 "
    "38a936c6ab11 2588a3c36a0f 50c7b21c9089 3b96bcc8da76 "
    "4ed16fad67a7 f034666cd80 5a0003c3b09c 38d069994064 "
    "46b70a57edc0 145d8f1e334d b4143d129e 159331d6f484 "
    "34dfac7edb2d 3ed56beabfb7 11bc0ff42f87 2028d94d3863 "
    "69285b0faaa 36c31e4e1c37 3a3b24a31b57 16426dbea880 "
    "4cc2960cbe19 504d5168afe1 30931c545bf 28f4dd53ad3a "
    "2e71fd90eb9d c3ebe64dfb5 3409c57b0da 1755e3b1481c "
    "31b1d4b7fc95 1cc4459fd115 1e6240aba5b3 4121bd6e99e9 "
    "31f352e77045 22f085bf8bbd 17b66754be21 19e0db9d806a "
    "24c2620b2e3f 1f5ceb1ec255 3ffb59981d9a 430074f99c29 "
    "36f1a410ed 54f871bfe0b0 519c9f3ce294 2c50d8bab6ee "
    "199943ccc774 1aa674ccfa4e 59223c5b7b36 42050bf030fd "
    "2f93dd880bae 540bc5634bd 3a5db5f31209 59742a546b84 "
    "49ddec8c7a5e 124ef6a17781 47578179e766 2529684536da "
    "64ed798bcc3 44ed1bf512a0 1f6963d1ae02 169a948471a9 "
    "247ad6880f93 1f6969597fe7 1811bdae9e63 260714a3f2de "
    "6918589deaf 3314c17f6e35 27227dc4fda8 2a66d7c4d8a1 "
    "23f1ccb18d6d 52ab2d3b57ce 96d590bd82e 3e9bb349cc46 "
    "ef1c1c1531f 4738812e6ece 78982bf5499 ae77a2ed69b "
    "274fd2642933 4009c533e05d 42ded7355da2 21638ec787ba "
    "44d58f1d31f0 18ff1ab3b4c4 430133b6d46c 181a149173e "
    "2ee35cac4c62 b21f22233f 3e2f6c6d1182 7f96a01461b "
    "184f65ed83af 3b0452c64639 2f1a0f3667f3 17dd0f165262 "
    "3cf02a593a68 25a7ef58d293";

/* ------------------------------------------------------------------ */
/* identifiers */

Test(ident, full_ids_and_prefixes)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_rev(g, "somelongername", "somelongername");
	/* a one-character id is found exactly (test_actually_short_rev_name) */
	expect_rev(g, "e", "e");
	expect_rev(g, "somel", "somelongername");
	expect_rev(g, "someo", "someothername");
	expect_rev_error(g, "some",
			 "Multiple revisions start with 'some': "
			 "'somelongername', 'someothername'...");
	expect_rev_error(g, "qprstuv", "No such revision or branch 'qprstuv'");
	fx_free(&fx);
}

Test(ident, short_prefix_message)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_rev_error(g, "sos",
			 "No such revision or branch 'sos'; please ensure at "
			 "least four characters are present for partial "
			 "revision identifier matches");
	/* a short prefix still works when it is unique; labels take part */
	expect_rev(g, "abr", "a");
	expect_rev(g, "ebr", "e");
	expect_rev(g, "abra", "a");
	fx_free(&fx);
	g = FX_OK(&fx, TWOHEAD);
	expect_rev_error(g, "c",
			 "No such revision or branch 'c'; please ensure at "
			 "least four characters are present for partial "
			 "revision identifier matches");
	fx_free(&fx);
}

Test(ident, ambiguous_prefixes_list_the_first_three)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, SHARED_PREFIX);

	expect_rev_error(g, "abcd",
			 "Multiple revisions start with 'abcd': 'abcd1111', "
			 "'abcd2222', 'abcd3333'...");
	expect_rev_error(g, "abc",
			 "Multiple revisions start with 'abc': 'abcd1111', "
			 "'abcd2222', 'abcd3333'...");
	expect_rev_error(g, "ab",
			 "Multiple revisions start with 'ab': 'abcd1111', "
			 "'abcd2222', 'abcd3333'...");
	expect_rev(g, "abcd1", "abcd1111");
	expect_rev(g, "abcd4", "abcd4444");
	/* the label is a key: its prefix finds its revision */
	expect_rev(g, "abcdl", "abcd4444");
	expect_rev_error(g, "abcd5", "No such revision or branch 'abcd5'");
	/* the whole branch shares lineage with the label */
	expect_rev_error(g, "abcdlabel@abcd",
			 "Multiple revisions start with 'abcd': 'abcd1111', "
			 "'abcd2222', 'abcd3333'...");
	fx_free(&fx);
}

Test(ident, label_and_its_revision_are_two_candidates)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABEL_PREFIX);

	expect_rev_error(g, "abcd",
			 "Multiple revisions start with 'abcd': 'abcdef', "
			 "'abcdlabel'...");
	expect_rev(g, "abcde", "abcdef");
	expect_rev(g, "abcdl", "abcdef");
	expect_rev(g, "abcdef", "abcdef");
	fx_free(&fx);
}

Test(ident, ids_with_dashes_and_dots)
{
	/* retort allows '-' and '.' in ids (Alembic does not) */
	static const fx_rev revs[] = { { "2024-01-01.init", "" },
				       { "2024-01-02.users",
					 "2024-01-01.init" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	expect_rev(g, "2024-01-02.users", "2024-01-02.users");
	expect_rev(g, "2024-01-02", "2024-01-02.users");
	expect_rev_error(g, "2024",
			 "Multiple revisions start with '2024': "
			 "'2024-01-01.init', '2024-01-02.users'...");
	expect_revs(g, "heads", "2024-01-02.users");
	expect_rev(g, "2024-01-01.init@head", "2024-01-02.users");
	fx_free(&fx);
}

Test(ident, head_heads_base)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LINEAR);

	expect_rev(g, "head", "c");
	expect_rev(g, "heads", "c");
	expect_rev(g, "base", "None");
	expect_rev(g, NULL, "None");
	fx_free(&fx);

	g = FX_OK(&fx, TWOHEAD);
	expect_rev_error(g, "head",
			 "Multiple heads are present for given argument "
			 "'head'; c1, c2");
	expect_rev_error(g, "heads",
			 "Multiple heads are present for given argument "
			 "'heads'; c1, c2");
	expect_rev(g, "base", "None");
	expect_revs(g, "heads", "c1 c2");
	expect_revs_error(g, "head",
			  "Multiple heads are present for given argument "
			  "'head'; c1, c2");
	fx_free(&fx);

	g = FX_OK(&fx, TWOBASE);
	expect_rev(g, "base", "None");
	expect_rev_error(g, "head",
			 "Multiple heads are present for given argument "
			 "'head'; b, d");
	fx_free(&fx);
}

Test(ident, empty_graph)
{
	fx_graph fx;
	rt_graph *g = fx_ok(&fx, NULL, 0);

	expect_rev(g, "head", "None");
	expect_rev(g, "heads", "None");
	expect_rev(g, "base", "None");
	expect_revs(g, "head", "");
	expect_revs(g, "heads", "");
	expect_revs(g, "base", "");
	expect_rev_error(g, "abcd", "No such revision or branch 'abcd'");
	fx_free(&fx);
}

Test(ident, labels_at)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_rev(g, "abranch@head", "c");
	expect_rev(g, "ebranch@head", "f");
	expect_rev(g, "abranch@heads", "c");
	expect_rev(g, "abranch@base", "None");
	expect_rev(g, "ebranch@d", "d");
	expect_rev(g, "ebranch@e", "e");
	expect_rev(g, "ebranch@f", "f");
	expect_rev(g, "ebranch@ebranch", "e");
	expect_rev(g, "abranch", "a");
	expect_rev(g, "ebranch", "e");
	expect_revs(g, "abranch@heads", "c");
	expect_revs(g, "ebranch@heads", "f");
	expect_revs(g, "ebranch@base", "");
	fx_free(&fx);
}

Test(ident, partial_id_within_a_branch)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_rev(g, "ebranch@some", "someothername");
	expect_rev(g, "abranch@some", "somelongername");
	expect_rev_error(g, "ebranch@sos",
			 "No such revision or branch 'sos'; please ensure at "
			 "least four characters are present for partial "
			 "revision identifier matches");
	expect_rev_error(g, "abranch@qprstuv",
			 "No such revision or branch 'qprstuv'");
	expect_rev_error(g, "abranch@qpr",
			 "No such revision or branch 'qpr'; please ensure at "
			 "least four characters are present for partial "
			 "revision identifier matches");
	fx_free(&fx);
}

Test(ident, not_a_member_and_no_such_branch)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_rev_error(g, "ebranch@b",
			 "Revision b is not a member of branch 'ebranch'");
	expect_rev_error(g, "abranch@d",
			 "Revision d is not a member of branch 'abranch'");
	expect_rev_error(g, "x@d", "No such branch: 'x'");
	expect_revs_error(g, "x@heads",
			  "No such revision or branch 'x'; please ensure at "
			  "least four characters are present for partial "
			  "revision identifier matches");
	fx_free(&fx);
	g = FX_OK(&fx, MERGE_LABELED);
	expect_rev(g, "c1branch@head", "d");
	expect_rev(g, "c1branch@b", "b");
	expect_rev(g, "c1branch@a", "a");
	expect_rev_error(g, "c1branch@c2",
			 "Revision c2 is not a member of branch 'c1branch'");
	fx_free(&fx);
}

Test(ident, revision_used_as_a_branch)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	/* test_not_actually_a_branch(_partial_resolution) */
	expect_rev(g, "e@d", "d");
	expect_rev(g, "someoth@d", "d");
	expect_rev(g, "somelongername@a", "a");
	expect_rev(g, "b@head", "c");
	expect_rev(g, "d@head", "f");
	expect_rev(g, "someothername@head", "f");
	expect_rev(g, "c@base", "None");
	expect_rev(g, "e@base", "None");
	expect_revs(g, "c@heads", "c");
	expect_revs(g, "e@heads", "f");
	expect_revs(g, "somelongername@heads", "c");
	expect_revs(g, "b@base", "");
	fx_free(&fx);

	g = FX_OK(&fx, TWOHEAD);
	expect_rev(g, "c1@head", "c1");
	expect_rev_error(g, "b@head",
			 "Multiple heads are present for given argument "
			 "'b@head'; c1, c2");
	expect_rev_error(g, "b@heads",
			 "Multiple heads are present for given argument "
			 "'b@heads'; c1, c2");
	expect_revs(g, "b@heads", "c1 c2");
	fx_free(&fx);
}

Test(ident, relative_minus_n_from_heads)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_revs(g, "-1", "somelongername someothername");
	expect_revs(g, "ebranch@-1", "someothername");
	expect_revs(g, "ebranch@-2", "e");
	/* get_revision does not walk */
	expect_rev_error(g, "ebranch@-1",
			 "No such revision or branch '-1'; please ensure at "
			 "least four characters are present for partial "
			 "revision identifier matches");
	expect_rev_error(g, "abranch@-2",
			 "No such revision or branch '-2'; please ensure at "
			 "least four characters are present for partial "
			 "revision identifier matches");
	fx_free(&fx);

	g = FX_OK(&fx, TWOHEAD);
	expect_revs(g, "-1", "b b");
	/* c1 is a revision, not a label carried by the heads */
	expect_revs(g, "c1@-1", "");
	fx_free(&fx);
}

Test(ident, tuples)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_revs(g, "(c f)", "c f");
	expect_revs(g, "()", "");
	expect_revs(g, NULL, "");
	expect_revs(g, "base", "");
	expect_revs(g, "heads", "c f");
	expect_revs_error(g, "(some)",
			  "Multiple revisions start with 'some': "
			  "'somelongername', 'someothername'...");
	expect_revs_error(g, "head",
			  "Multiple heads are present for given argument "
			  "'head'; c, f");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* ScriptDirectory._catch_revision_errors */

Test(catch, default_texts)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	expect_caught(g, "qprstuv", NULL, RETORT_ENOTFOUND, RT_RE_RESOLUTION,
		      "Can't locate revision identified by 'qprstuv'");
	expect_caught(g, "x@d", NULL, RETORT_ENOTFOUND, RT_RE_RESOLUTION,
		      "Can't locate revision identified by 'x'");
	expect_caught(g, "ebranch@b", NULL, RETORT_ENOTFOUND, RT_RE_RESOLUTION,
		      "Can't locate revision identified by 'b'");
	expect_caught(g, "head", NULL, RETORT_ENOTFOUND, RT_RE_MULTIPLE_HEADS,
		      "Multiple head revisions are present for given argument "
		      "'head'; please specify a specific target revision, "
		      "'<branchname>@head' to narrow to a specific head, or "
		      "'heads' for all heads");
	fx_free(&fx);
}

Test(catch, ambiguous_prefix_keeps_the_candidates)
{
	/* Alembic prints only "Can't locate revision identified by 'some'";
	 * retort appends the candidates it found */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, SHARED_PREFIX);

	expect_caught(g, "abcd", NULL, RETORT_ENOTFOUND, RT_RE_RESOLUTION,
		      "Can't locate revision identified by 'abcd' (multiple "
		      "revisions start with 'abcd': 'abcd1111', 'abcd2222', "
		      "'abcd3333', 'abcd4444', 'abcdlabel')");
	fx_free(&fx);
}

Test(catch, command_texts)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, TWOHEAD);
	rt_catch stamp = { NULL,
			   "Multiple heads are present; please specify a "
			   "single target revision",
			   NULL, NULL, NULL };
	rt_catch end = { NULL, NULL, NULL, "c1@head", NULL };
	rt_catch res = { NULL, NULL, NULL, NULL, "No revision files" };

	expect_caught(g, "head", &stamp, RETORT_ENOTFOUND, RT_RE_MULTIPLE_HEADS,
		      "Multiple heads are present; please specify a single "
		      "target revision");
	/* %(head_arg)s is the command's end argument when it has one */
	expect_caught(g, "heads", &end, RETORT_ENOTFOUND, RT_RE_MULTIPLE_HEADS,
		      "Multiple head revisions are present for given argument "
		      "'c1@head'; please specify a specific target revision, "
		      "'<branchname>@c1@head' to narrow to a specific head, "
		      "or 'heads' for all heads");
	expect_caught(g, "zzzz", &res, RETORT_ENOTFOUND, RT_RE_RESOLUTION,
		      "No revision files");
	fx_free(&fx);
}

Test(catch, range_and_revision_errors)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MULTIPLE_BRANCH);
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	rt_refs out;
	rt_catch upgrade = { "Destination %(end)s is not a valid upgrade "
			     "target from current head(s)",
			     NULL, NULL, "b1", NULL };

	rt_resolver_init(&r, g, &err);
	cr_assert_lt(rt_iterate_revisions(&r, rt_arg_str("b1"),
					  rt_arg_str("d1cb1"), 0, 1, 1, 0,
					  &out),
		     0);
	cr_assert_eq(r.kind, RT_RE_RANGE);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Revision d1cb1 is not an ancestor of revision b1");
	cr_assert_eq(rt_resolver_catch(&r, NULL), RETORT_EGRAPH);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Requested range None:None does not refer to "
			 "ancestor/descendant revisions along the same branch");
	cr_assert_lt(rt_iterate_revisions(&r, rt_arg_str("b1"),
					  rt_arg_str("d1cb1"), 0, 1, 1, 0,
					  &out),
		     0);
	rt_resolver_catch(&r, &upgrade);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Destination b1 is not a valid upgrade target from "
			 "current head(s)");
	/* a plain RevisionError keeps its text */
	cr_assert_lt(rt_iterate_revisions(&r, rt_arg_str("-1"),
					  rt_arg_str("b1"), 0, 1, 1, 0, &out),
		     0);
	cr_assert_eq(r.kind, RT_RE_REVISION);
	cr_assert_eq(rt_resolver_catch(&r, &upgrade), RETORT_EGRAPH);
	cr_assert_str_eq(rt_err_msg(&err),
			 "Relative revision -1 didn't produce 1 migrations");
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* filter_for_lineage, _get_base_revisions, _get_all_current */

static void expect_filter(rt_graph *g, const char *targets, const char *check,
			  int include_deps, const char *expected)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	fx_strv t = fx_split(targets);
	rt_refs in, out;
	int32_t v[32];
	size_t i;

	for (i = 0; i < t.n; i++)
		v[i] = (int32_t)fx_idx(g, t.v[i]);
	in.v = v;
	in.n = (uint32_t)t.n;
	rt_resolver_init(&r, g, &err);
	cr_assert_eq(rt_filter_for_lineage(&r, &in, check, include_deps, &out),
		     0, "%s", rt_err_msg(&err));
	FX_ASSERT_REFS(g, &out, expected);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_split_free(&t);
}

Test(lineage, filter_for_lineage)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MERGE_LABELED);

	expect_filter(g, "c1 c2 d", "c1branch@head", 0, "c1 c2 d");
	fx_free(&fx);

	g = FX_OK(&fx, LABELED);
	expect_filter(g, "f", "heads", 0, "f");
	expect_filter(g, "a c d f", "ebranch", 0, "d f");
	expect_filter(g, "a c d f", "e", 0, "d f");
	expect_filter(g, "a c d f", "abranch@head", 0, "a c");
	expect_filter(g, "a c d f", "base", 0, "a c d f");
	/* _get_base_revisions */
	expect_filter(g, "a d", "somelongername@base", 0, "a");
	expect_filter(g, "a d", "base", 0, "a d");
	fx_free(&fx);

	g = FX_OK(&fx, CROSS1);
	expect_filter(g, "b1a b1b d2 b3", "b_3", 1, "b1b d2 b3");
	expect_filter(g, "b1a b1b d2 b3", "b_3", 0, "b3");
	fx_free(&fx);
}

static void expect_all_current(rt_graph *g, const char *rows,
			       const char *expected)
{
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	fx_arg a = fx_arg_make(rows);
	rt_refs out;

	rt_resolver_init(&r, g, &err);
	cr_assert_eq(rt_get_all_current(&r, a.arg, &out), 0, "%s",
		     rt_err_msg(&err));
	FX_ASSERT_REFS(g, &out, expected);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_arg_free(&a);
}

Test(lineage, all_current_adds_heads_implied_by_dependencies)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, EFFECTIVE_HEAD);

	/* Alembic returns a set; retort lists it in load order */
	expect_all_current(g, "(y2)", "x1 y2");
	expect_all_current(g, "(x1 y2)", "x1 y2");
	fx_free(&fx);
	g = FX_OK(&fx, NORMALIZED);
	expect_all_current(g, "(b5)", "a3 b5");
	fx_free(&fx);
	g = FX_OK(&fx, CROSS1);
	expect_all_current(g, "(d2)", "d2 a3");
	expect_all_current(g, "(b1b c2)", "b1b c2 a3");
	fx_free(&fx);
	g = FX_OK(&fx, KABOOM);
	expect_all_current(g, "(amerge d1)", "amerge b2 c1 d1");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* iterate_revisions (DownIterateTest: inclusive unless said otherwise) */

Test(iterate, diamond_empty_and_duplicate_targets)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, DIAMOND);

	fx_expect_iter(g, "d", "a", FX_INCLUSIVE, "d c b1 b2 a");
	fx_free(&fx);
	g = fx_ok(&fx, NULL, 0);
	fx_expect_iter(g, "head", "base", FX_INCLUSIVE, "");
	fx_free(&fx);
	/* APITest.test_iterate_tolerates_dupe_targets */
	g = FX_OK(&fx, LINEAR);
	fx_expect_iter(g, "(c c)", "a", 0, "c b");
	fx_free(&fx);
}

Test(iterate, labeled_branch)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	fx_expect_iter(g, "heads", "ebranch@base", FX_INCLUSIVE,
		       "f someothername e d");
	fx_expect_iter(g, "heads", "abranch@base", FX_INCLUSIVE,
		       "c somelongername b a");
	fx_expect_iter(g, "ebranch@head", "base", FX_INCLUSIVE,
		       "f someothername e d");
	fx_expect_iter(g, "abranch@head", "base", FX_INCLUSIVE,
		       "c somelongername b a");
	fx_expect_iter(g, "heads", "ebranch@head", FX_INCLUSIVE, "f");
	fx_expect_iter(g, "heads", "ebranch@d", FX_INCLUSIVE,
		       "f someothername e d");
	fx_expect_iter(g, "heads", "e@base", FX_INCLUSIVE,
		       "f someothername e d");
	fx_expect_iter(g, "heads", "c@base", FX_INCLUSIVE,
		       "c somelongername b a");
	fx_expect_iter(g, "heads", "somelongername@base", FX_INCLUSIVE,
		       "c somelongername b a");
	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE,
		       "c somelongername b a f someothername e d");
	fx_free(&fx);
}

Test(iterate, labeled_branch_relative)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	fx_expect_iter(g, "heads", "ebranch@-2", FX_INCLUSIVE,
		       "f someothername e");
	/* +N on a branch counts from base: +1 is the branch's base */
	fx_expect_iter(g, "ebranch@+2", "base", FX_INCLUSIVE, "e d");
	fx_expect_iter(g, "ebranch@+3", "base", FX_INCLUSIVE,
		       "someothername e d");
	fx_expect_iter(g, "abranch@+1", "base", FX_INCLUSIVE, "a");
	fx_free(&fx);
}

Test(iterate, long_short_branch)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LONG_SHORT);

	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE, "b2 d11 d12 c1 b1 a");
	fx_free(&fx);
}

Test(iterate, multiple_branch)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MULTIPLE_BRANCH);

	fx_expect_iter(g, "d1d2cb2", "a", FX_INCLUSIVE,
		       "d1d2cb2 d1cb2 d2cb2 cb2 b2 a");
	fx_expect_iter(g, "(d2cb2 d3cb2)", "a", FX_INCLUSIVE,
		       "d2cb2 d3cb2 cb2 b2 a");
	fx_expect_iter(g, "d3cb2", "a", FX_INCLUSIVE, "d3cb2 cb2 b2 a");
	fx_expect_iter(g, "d3cb2", "base", FX_INCLUSIVE, "d3cb2 cb2 b2 a");
	fx_expect_iter(g, "(d3cb2 cb1)", "base", FX_INCLUSIVE,
		       "cb1 b1 d3cb2 cb2 b2 a");
	/* d1cb1 is not a descendant of b2 and is left out */
	fx_expect_iter(g, "(d1cb1 d2cb2 d3cb2)", "b2", FX_INCLUSIVE,
		       "d2cb2 d3cb2 cb2 b2");
	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE,
		       "d1cb1 d2cb1 cb1 b1 d3cb2 d1d2cb2 d1cb2 d2cb2 cb2 b2 a");
	fx_free(&fx);
}

Test(iterate, multiple_branch_not_an_ancestor)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MULTIPLE_BRANCH);

	fx_expect_iter_error(g, "b1", "d1cb1", FX_INCLUSIVE,
			     "Revision d1cb1 is not an ancestor of revision "
			     "b1");
	fx_expect_iter_error(g, "d2cb2", "b1", FX_INCLUSIVE,
			     "Revision b1 is not an ancestor of revision "
			     "d2cb2");
	fx_expect_iter_error(g, NULL, "d1cb1", FX_INCLUSIVE,
			     "Revision d1cb1 is not an ancestor of revision "
			     "base");
	fx_expect_iter_error(g, "()", "d1cb1", FX_INCLUSIVE,
			     "Revision d1cb1 is not an ancestor of revision "
			     "base");
	fx_free(&fx);
}

Test(iterate, range_error_shows_tuples_as_python_does)
{
	/* RangeNotAncestorError formats its bounds with %s, so a tuple of
	 * database rows prints as a Python tuple */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MULTIPLE_BRANCH);

	fx_expect_iter_error(g, "b1", "(d1cb1)", FX_INCLUSIVE,
			     "Revision ('d1cb1',) is not an ancestor of "
			     "revision b1");
	fx_expect_iter_error(g, "b1", "(d1cb1 d2cb1)", FX_INCLUSIVE,
			     "Revision ('d1cb1', 'd2cb1') is not an ancestor "
			     "of revision b1");
	fx_expect_iter_error(g, "(b1)", "d1cb1", FX_INCLUSIVE,
			     "Revision d1cb1 is not an ancestor of revision "
			     "('b1',)");
	fx_expect_iter_error(g, "(b1 b2)", "d1cb1", FX_INCLUSIVE,
			     "Revision d1cb1 is not an ancestor of revision "
			     "('b1', 'b2')");
	fx_free(&fx);
}

Test(iterate, multiple_branch_effective_head)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, EFFECTIVE_HEAD);

	fx_expect_iter(g, "(x2 y2)", "x@-1", FX_DOWNGRADE_SELECT, "x2");
	fx_expect_iter(g, "(x1 y2)", "x@-1", FX_DOWNGRADE_SELECT, "y2 x1");
	fx_expect_iter(g, "y2", "x@-1", FX_DOWNGRADE_SELECT, "y2 x1");
	fx_free(&fx);
}

Test(iterate, branch_travelling)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, TRAVELLING);

	fx_expect_iter(g, "merge", "db1", FX_INCLUSIVE | FX_IMPLICIT_BASE,
		       "merge e2b1 db1 e2b2 db2 cb2 b2");
	fx_expect_iter(g, "(merge fe1b1)", "a3", FX_INCLUSIVE,
		       "fe1b1 e1b1 merge e2b1 db1 cb1 b1 e2b2 db2 cb2 b2 a3");
	fx_expect_iter(g, "merge", "a1", FX_INCLUSIVE,
		       "merge e2b1 db1 cb1 b1 e2b2 db2 cb2 b2 a3 a2 a1");
	fx_expect_iter(g, "merge", "b1", FX_INCLUSIVE, "merge e2b1 db1 cb1 b1");
	fx_expect_iter(g, "merge", "a2", FX_INCLUSIVE,
		       "merge e2b1 db1 cb1 b1 e2b2 db2 cb2 b2 a3 a2");
	fx_expect_iter(g, "(merge fe1b1)", "a1", FX_INCLUSIVE,
		       "fe1b1 e1b1 merge e2b1 db1 cb1 b1 e2b2 db2 cb2 b2 a3 "
		       "a2 a1");
	fx_free(&fx);
}

Test(iterate, branch_travelling_multiple_bases)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, TRAVELLING);

	fx_expect_iter(g, "(merge fe1b1)", "(cb1 cb2)", FX_INCLUSIVE,
		       "fe1b1 e1b1 merge e2b1 db1 cb1 e2b2 db2 cb2");
	fx_expect_iter(g, "(merge fe1b1)", "(cb1 cb2)", 0,
		       "fe1b1 e1b1 merge e2b1 db1 e2b2 db2");
	fx_expect_iter(g, "(e2b1 b2 fe1b1)", "()", 0,
		       "b2 fe1b1 e1b1 e2b1 db1 cb1 b1 a3 a2 a1");
	fx_expect_iter(g, "(fe1b1)", "base", 0,
		       "fe1b1 e1b1 db1 cb1 b1 a3 a2 a1");
	fx_expect_iter_error(g, "(db1 b2 fe1b1)", "()", FX_INCLUSIVE,
			     "Requested revision fe1b1 overlaps with other "
			     "requested revisions db1");
	fx_free(&fx);
}

Test(iterate, multiple_base)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, MULTIPLE_BASE);
	static const char all[] = "b1a a1a b1b a1b base1 mergeb3d2 b3 a3 "
				  "base3 d2 c2 b2 a2 base2";

	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE, all);
	fx_expect_iter(g, "heads", "base", 0, all);
	fx_expect_iter(g, "heads", NULL, FX_INCLUSIVE, all);
	fx_expect_iter(g, "heads", "(c2)", FX_IMPLICIT_BASE,
		       "b1a a1a b1b a1b base1 mergeb3d2 b3 a3 base3 d2");
	fx_expect_iter(g, "heads", "(c2)", 0, "mergeb3d2 d2");
	fx_expect_iter(g, "heads", "(c2)", FX_INCLUSIVE | FX_IMPLICIT_BASE,
		       "b1a a1a b1b a1b base1 mergeb3d2 b3 a3 base3 d2 c2");
	fx_expect_iter(g, "b3", "base3", FX_INCLUSIVE, "b3 a3 base3");
	fx_expect_iter(g, "(b3 b2)", "base3", FX_IMPLICIT_BASE,
		       "b2 a2 base2 b3 a3");
	fx_expect_iter_error(g, "(c2)", "(a2 b2)", FX_INCLUSIVE,
			     "Requested revision b2 overlaps with other "
			     "requested revisions a2");
	fx_free(&fx);
}

Test(iterate, cross_dependency_one)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS1);
	static const char all[] = "b1a a1a b1b a1b base1 d2 c2 b2 a2 base2 "
				  "b3 a3 base3";

	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE, all);
	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE | FX_DOWNGRADE_SELECT,
		       all);
	fx_expect_iter_error(g, "b2", "d2", FX_INCLUSIVE,
			     "Revision d2 is not an ancestor of revision b2");
	fx_expect_iter_error(g, "b3", "d2", FX_INCLUSIVE,
			     "Revision d2 is not an ancestor of revision b3");
	/* upgrades pull in dependency branches, downgrades do not */
	fx_expect_iter(g, "b_2@head", "base", FX_INCLUSIVE,
		       "d2 c2 b2 a2 base2 a3 base3");
	fx_expect_iter(g, "b_2@head", "b_2@base",
		       FX_INCLUSIVE | FX_DOWNGRADE_SELECT, "d2 c2 b2 a2 base2");
	fx_expect_iter(g, "b_3@head", "base", FX_INCLUSIVE, "b3 a3 base3");
	fx_expect_iter(g, "b_3@head", "base",
		       FX_INCLUSIVE | FX_DOWNGRADE_SELECT, "b3 a3 base3");
	fx_expect_iter(g, "b1b@head", "base", FX_INCLUSIVE,
		       "b1b a1b base1 a3 base3");
	fx_expect_iter(g, "b1b@head", "b1b@base",
		       FX_INCLUSIVE | FX_DOWNGRADE_SELECT, "b1b a1b base1");
	fx_expect_iter(g, "heads", "b_2@base", FX_INCLUSIVE,
		       "d2 c2 b2 a2 base2 a3 base3");
	fx_expect_iter(g, "heads", "b_2@base",
		       FX_INCLUSIVE | FX_DOWNGRADE_SELECT, "d2 c2 b2 a2 base2");
	fx_expect_iter(g, "heads", "b_3@base", FX_INCLUSIVE, "b3 a3 base3");
	/* what depends on the 3 branch goes down with it */
	fx_expect_iter(g, "heads", "b_3@base",
		       FX_INCLUSIVE | FX_DOWNGRADE_SELECT,
		       "b1b d2 c2 b3 a3 base3");
	fx_free(&fx);
}

Test(iterate, cross_dependency_two)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS2);

	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE,
		       "c1 b1 a1 d2 c2 d3 c3 b3 a3 base3 b2 a2 base2 base1");
	fx_expect_iter(g, "b_2@head", "base", FX_INCLUSIVE,
		       "d2 c2 b2 a2 base2 base1");
	fx_expect_iter(g, "b_3@head", "base", FX_INCLUSIVE,
		       "d3 c3 b3 a3 base3 b2 a2 base2 base1");
	fx_expect_iter(g, "b_1@head", "base", FX_INCLUSIVE, "c1 b1 a1 base1");
	fx_expect_iter(g, "heads", "b_1@base", FX_INCLUSIVE, "c1 b1 a1 base1");
	fx_expect_iter(g, "heads", "b_2@base", FX_INCLUSIVE,
		       "d2 c2 b2 a2 base2 base1");
	fx_expect_iter(g, "heads", "b_3@base", FX_INCLUSIVE,
		       "d3 c3 b3 a3 base3 b2 a2 base2 base1");
	fx_free(&fx);
}

Test(iterate, cross_dependency_three_parent_only_through_dependency)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, CROSS3);

	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE, "b1 c3 c2 a1 base1");
	fx_free(&fx);
}

Test(iterate, substring_ids)
{
	static const fx_rev down_and_dep[] = {
		{ "user_foo", "" }, { "user", "user_foo", "user_foo" }
	};
	static const fx_rev down_only[] = { { "user_foo", "" },
					    { "user", "user_foo" } };
	static const fx_rev dep_only[] = { { "user_foo", "" },
					   { "user", "", "user_foo" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, down_and_dep);

	fx_expect_iter(g, "heads", NULL, FX_INCLUSIVE, "user user_foo");
	fx_free(&fx);
	g = FX_OK(&fx, down_only);
	fx_expect_iter(g, "heads", NULL, FX_INCLUSIVE, "user user_foo");
	fx_free(&fx);
	g = FX_OK(&fx, dep_only);
	fx_expect_iter(g, "heads", NULL, FX_INCLUSIVE, "user user_foo");
	fx_free(&fx);
}

Test(iterate, normalized_down_revisions)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, NORMALIZED);

	fx_expect_iter(g, "b4", "b1@base", FX_INCLUSIVE | FX_DOWNGRADE_SELECT,
		       "b4 b3 b2 b1");
	fx_expect_iter(g, "heads", "base", FX_INCLUSIVE | FX_DOWNGRADE_SELECT,
		       "b5 b4 b3 b2 b1 a3 a2 a1");
	fx_expect_iter(g, "heads", "a2", FX_INCLUSIVE | FX_DOWNGRADE_SELECT,
		       "b5 b4 b3 b2 a3 a2");
	fx_expect_iter(g, "b5", "(b1)", FX_INCLUSIVE | FX_IMPLICIT_BASE,
		       "b5 b4 b3 b2 b1 a3 a2 a1");
	fx_free(&fx);
	g = FX_OK(&fx, NORMALIZED3);
	fx_expect_iter(g, "b5", "(b1)", FX_INCLUSIVE | FX_IMPLICIT_BASE,
		       "b5 b4 b3 b2 b1 a3 a2 a1 c1");
	fx_free(&fx);
}

Test(iterate, downgrade_selection_with_implicit_base)
{
	/* NormalizedDownRevTest.test_partial_traversal_implicit_base_one:
	 * implicit_base also winds the other branches back to base */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, NORMALIZED);

	fx_expect_iter(g, "heads", "a2",
		       FX_INCLUSIVE | FX_IMPLICIT_BASE | FX_DOWNGRADE_SELECT,
		       "b5 b4 b3 b2 b1 a3 a2");
	fx_free(&fx);
}

Test(iterate, large_map)
{
	/* LargeMapTest: every revision once, each before its ancestors; the
	 * exact order is Alembic's */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LARGE);
	char *msg = NULL;
	char *res = fx_iterate(g, "heads", "base", FX_INCLUSIVE, &msg);
	fx_strv order;
	uint32_t *pos;
	size_t i;
	uint32_t j;

	cr_assert_not_null(res, "%s", msg);
	cr_assert_eq(g->n, 142);
	order = fx_split(res);
	cr_assert_eq(order.n, g->n);
	pos = calloc(g->n, sizeof(*pos));
	cr_assert_not_null(pos);
	for (i = 0; i < order.n; i++)
		pos[fx_idx(g, order.v[i])] = (uint32_t)i + 1;
	for (j = 0; j < g->n; j++) {
		const rt_idlist *d = &g->revs[j].norm_down;
		uint32_t k;

		cr_assert_neq(pos[j], 0, "%s missing", g->revs[j].s.id);
		for (k = 0; k < d->n; k++)
			cr_assert_lt(pos[j], pos[d->v[k]],
				     "%s emitted after its ancestor %s",
				     g->revs[j].s.id, g->revs[d->v[k]].s.id);
	}
	cr_assert_str_eq(res, LARGE_ORDER);
	free(pos);
	fx_split_free(&order);
	free(res);
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* ranges as `history` walks them: walk_revisions(base, head) is
 * iterate_revisions(head, base, inclusive=True, assert_relative_length=
 * False) */

Test(history, relative_ranges)
{
	/* walk_revisions: inclusive, relative lengths not asserted */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LINEAR5);

	fx_expect_iter(g, "e", "-1", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "e d");
	fx_expect_iter(g, "e", "-2", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "e d c");
	fx_expect_iter(g, "e", "-9", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "e d c b a");
	fx_expect_iter_error(
	    g, "-1", "base", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
	    "Relative revision -1 didn't produce 1 migrations");
	fx_expect_iter(g, "+2", "base", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "b a");
	fx_expect_iter_error(g, "head", "base+1",
			     FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "No such revision or branch 'base+1'");
	fx_expect_iter(g, "b+9", "base", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "e d c b a");
	fx_expect_iter_error(
	    g, "c", "a+1", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
	    "No such revision or branch 'a+1'; please ensure at "
	    "least four characters are present for partial revision "
	    "identifier matches");
	fx_expect_iter(g, "d-1", "b", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "c b");
	fx_expect_iter(g, "base+2", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "b a");
	fx_expect_iter(g, "head-1", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "d c b a");
	fx_expect_iter_error(
	    g, "e", "-9", FX_INCLUSIVE,
	    "Relative revision -9 didn't produce 9 migrations");
	/* Alembic: a bare AssertionError (_walk returns None unchecked) */
	fx_expect_iter_error(g, "b+9", "base", FX_INCLUSIVE, "Walked too far");
	fx_expect_iter(g, "heads", "c", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "e d c");
	fx_expect_iter_error(g, "c", "heads",
			     FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "Revision heads is not an ancestor of revision c");
	fx_expect_iter_error(g, "b", "d", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "Revision d is not an ancestor of revision b");
	fx_expect_iter(g, "d", "b", FX_NO_ASSERT_RELATIVE, "d c");
	fx_expect_iter(g, "d", NULL, FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "d c b a");
	fx_expect_iter(g, NULL, NULL, FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "");
	fx_free(&fx);
}

Test(history, labelled_ranges)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	fx_expect_iter_error(
	    g, "ebranch@-1", "base", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
	    "Relative revision -1 didn't produce 1 migrations");
	fx_expect_iter(g, "abranch@+2", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "b a");
	fx_expect_iter(g, "abranch@head", "abranch@base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "c somelongername b a");
	fx_expect_iter(g, "f", "d", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "f someothername e d");
	fx_expect_iter_error(g, "f", "a", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "Revision a is not an ancestor of revision f");
	fx_expect_iter_error(g, "c", "d", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "Revision d is not an ancestor of revision c");
	fx_expect_iter(g, "heads", "a", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "c somelongername b a");
	fx_expect_iter(g, "ebranch@heads", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "f someothername e d");
	fx_expect_iter(g, "heads", "heads",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "c f");
	fx_expect_iter(g, "e", "ebranch@base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "e d");
	fx_free(&fx);
}

Test(history, branched_ranges)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, BRANCHED);

	fx_expect_iter(g, "heads", "b", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "d1 c1 d2 c2 b");
	fx_expect_iter(g, "d1", "b", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "d1 c1 b");
	fx_expect_iter(g, "c1branch@head", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "d1 c1 b a");
	fx_expect_iter(g, "heads", "c1branch@base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "d1 c1 b a");
	fx_expect_iter(g, "heads", "-1", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "d1 c1 d2 c2");
	fx_expect_iter_error(
	    g, "c2branch@-1", "base", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
	    "Relative revision -1 didn't produce 1 migrations");
	fx_expect_iter(g, "heads", "c1", FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
		       "d1 c1");
	fx_expect_iter_error(g, "d2", "c1",
			     FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "Revision c1 is not an ancestor of revision d2");
	fx_expect_iter_error(g, "b+1", "base",
			     FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "Ambiguous walk");
	fx_expect_iter(g, "c2branch@+1", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "a");
	fx_expect_iter(g, "c2branch@+3", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "c2 b a");
	fx_expect_iter(g, "c2branch@+9", "base",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "d2 c2 b a");
	fx_free(&fx);
}

Test(history, branch_relative_lower_bound_past_base)
{
	/* ebranch@-5 walks past base, so Alembic parses it again as a
	 * downgrade target relative to the upper bound, and filtering the
	 * literal "heads" by lineage fails to resolve it */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LABELED);

	fx_expect_iter_error(g, "heads", "ebranch@-5",
			     FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     "No such revision or branch 'heads'");
	fx_free(&fx);
}

/* ------------------------------------------------------------------ */
/* relative steps beyond a long (issue 9, 14b) */

#define HUGE_STEPS "999999999999999999999"
#define NO_HUGE(shown)                                               \
	"Relative revision " shown " didn't produce " HUGE_STEPS " " \
	"migrations"

Test(relative, steps_beyond_a_long_are_an_error)
{
	/* strtol used to clamp these to LONG_MIN / LONG_MAX, and "-N"
	 * without a symbol then negated LONG_MIN */
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LINEAR5);

	/* upgrade -N and +N from the current revision (the lower bound) */
	fx_expect_iter_error(g, "-" HUGE_STEPS, "a", FX_IMPLICIT_BASE,
			     NO_HUGE("-" HUGE_STEPS));
	fx_expect_iter_error(g, "+" HUGE_STEPS, "a", FX_IMPLICIT_BASE,
			     NO_HUGE("+" HUGE_STEPS));
	fx_expect_iter_error(g, "-9223372036854775808", "a", FX_IMPLICIT_BASE,
			     "Relative revision -9223372036854775808 didn't "
			     "produce 9223372036854775808 migrations");
	/* from a symbol, with a label, and as a downgrade target */
	fx_expect_iter_error(g, "b+" HUGE_STEPS, "a", FX_IMPLICIT_BASE,
			     NO_HUGE("+" HUGE_STEPS));
	fx_expect_iter_error(g, "e@head-" HUGE_STEPS, "a", FX_IMPLICIT_BASE,
			     NO_HUGE("-" HUGE_STEPS));
	fx_expect_iter_error(g, "e", "-" HUGE_STEPS,
			     FX_DOWNGRADE_SELECT | FX_IMPLICIT_BASE,
			     NO_HUGE("-" HUGE_STEPS));
	/* history, where a walk may stop short, refuses them too */
	fx_expect_iter_error(g, "e", "-" HUGE_STEPS,
			     FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE,
			     NO_HUGE("-" HUGE_STEPS));
	/* leading zeros do not count */
	fx_expect_iter_error(g, "-000" HUGE_STEPS, "a", FX_IMPLICIT_BASE,
			     NO_HUGE("-000" HUGE_STEPS));
	/* get_revisions' "-N": a walk down from the heads */
	expect_revs_error(g, "-" HUGE_STEPS, NO_HUGE("-" HUGE_STEPS));
	expect_revs_error(g, "e@-" HUGE_STEPS, NO_HUGE("-" HUGE_STEPS));
	fx_free(&fx);
}

Test(relative, steps_up_to_long_max_are_walked)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LINEAR5);

	fx_expect_iter_error(g, "-9223372036854775807", "a", FX_IMPLICIT_BASE,
			     "Relative revision -9223372036854775807 didn't "
			     "produce 9223372036854775807 migrations");
	fx_expect_iter_error(g, "+9223372036854775807", "a", FX_IMPLICIT_BASE,
			     "Relative revision +9223372036854775807 didn't "
			     "produce 9223372036854775807 migrations");
	fx_expect_iter_error(g, "b+9223372036854775807", "a", FX_IMPLICIT_BASE,
			     "Walked too far");
	fx_expect_iter(g, "e", "-9223372036854775807",
		       FX_NO_ASSERT_RELATIVE | FX_INCLUSIVE, "e d c b a");
	expect_revs(g, "-9223372036854775807", "None");
	fx_free(&fx);
}

Test(relative, walk_takes_any_long)
{
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, LINEAR5);
	rt_err err = RT_ERR_INIT;
	rt_resolver r;
	int32_t out = 12345;

	rt_resolver_init(&r, g, &err);
	cr_assert_eq(
	    rt_walk(&r, (int32_t)fx_idx(g, "e"), LONG_MIN, NULL, 1, &out), 0);
	cr_assert_eq(out, RT_NONE);
	cr_assert_eq(
	    rt_walk(&r, (int32_t)fx_idx(g, "e"), LONG_MIN, NULL, 0, &out), 0);
	cr_assert_eq(out, RT_BASE);
	rt_resolver_dispose(&r);
	rt_err_dispose(&err);
	fx_free(&fx);
}

Test(relative, an_all_digit_id_beyond_a_long_is_an_id)
{
	static const fx_rev revs[] = { { "99999999999999999999", "" },
				       { "100000000000000000000",
					 "99999999999999999999" } };
	fx_graph fx;
	rt_graph *g = FX_OK(&fx, revs);

	expect_rev(g, "99999999999999999999", "99999999999999999999");
	expect_revs(g, "(100000000000000000000)", "100000000000000000000");
	expect_revs(g, "heads", "100000000000000000000");
	fx_expect_iter(g, "100000000000000000000", "99999999999999999999",
		       FX_INCLUSIVE,
		       "100000000000000000000 99999999999999999999");
	fx_free(&fx);
}
