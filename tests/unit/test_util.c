/* SPDX-License-Identifier: MIT */
/*
 * test_util.c: the utility layer: strings, vectors, the hash map, the arena
 * and SHA-256 (FIPS 180-4 test vectors).
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/map.h"
#include "util/path.h"
#include "util/sha256.h"
#include "util/str.h"
#include "util/vec.h"

Test(str, append_printf_and_detach)
{
	rt_str s = RT_STR_INIT;
	char *p;

	cr_assert_str_eq(rt_str_cstr(&s), "");
	rt_str_puts(&s, "abc");
	rt_str_printf(&s, "-%d-%s", 42, "x");
	rt_str_putc(&s, '!');
	cr_assert_str_eq(s.ptr, "abc-42-x!");
	cr_assert_eq(s.len, 9);
	rt_str_truncate(&s, 3);
	cr_assert_str_eq(s.ptr, "abc");
	p = rt_str_detach(&s);
	cr_assert_str_eq(p, "abc");
	cr_assert_null(s.ptr);
	free(p);
}

Test(str, grows_past_many_chunks)
{
	rt_str s = RT_STR_INIT;
	int i;

	for (i = 0; i < 10000; i++)
		rt_str_putc(&s, (char)('a' + i % 26));
	cr_assert_eq(s.len, 10000);
	cr_assert_eq(s.ptr[9999], 'a' + 9999 % 26);
	cr_assert_eq(s.ptr[10000], '\0');
	rt_str_dispose(&s);
}

Test(vec, push_and_free)
{
	RT_VEC(int) v = RT_VEC_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		cr_assert_eq(RT_VEC_PUSH(&v, i * 2), 0);
	cr_assert_eq(v.n, 1000);
	cr_assert_eq(v.v[999], 1998);
	RT_VEC_FREE(&v);
	cr_assert_null(v.v);
}

Test(map, put_get_replace_and_substrings)
{
	rt_map m = RT_MAP_INIT;
	static char keys[2000][8];
	uint32_t val;
	int i;

	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		cr_assert_eq(
		    rt_map_put(&m, keys[i], strlen(keys[i]), (uint32_t)i), 0);
	}
	cr_assert_eq(m.n, 2000);
	for (i = 0; i < 2000; i++) {
		cr_assert(rt_map_get(&m, keys[i], strlen(keys[i]), &val));
		cr_assert_eq(val, (uint32_t)i);
	}
	cr_assert_not(rt_map_get(&m, "nope", 4, &val));
	/* lookups by length: "k12" is a prefix of "k123" */
	cr_assert(rt_map_get(&m, "k123", 3, &val));
	cr_assert_eq(val, 12);
	rt_map_put(&m, keys[5], strlen(keys[5]), 77);
	cr_assert(rt_map_get(&m, "k5", 2, &val));
	cr_assert_eq(val, 77);
	cr_assert_eq(m.n, 2000);
	rt_map_free(&m);
}

Test(arena, small_and_large_allocations_stay_valid)
{
	rt_arena a = RT_ARENA_INIT;
	char *first = rt_arena_strdup(&a, "first");
	char *big = rt_arena_alloc(&a, 100000);
	char *after = rt_arena_strdup(&a, "after");
	int i;

	cr_assert_not_null(big);
	memset(big, 'x', 100000);
	for (i = 0; i < 10000; i++)
		cr_assert_not_null(rt_arena_strdup(&a, "filler string"));
	cr_assert_str_eq(first, "first");
	cr_assert_str_eq(after, "after");
	cr_assert_eq(big[99999], 'x');
	rt_arena_free(&a);
}

Test(arena, objects_stay_aligned_between_strings)
{
	rt_arena a = RT_ARENA_INIT;
	int i;

	/* strings are packed; objects after them still aligned for any type */
	for (i = 0; i < 1000; i++) {
		char *s = rt_arena_strndup(&a, "abcdefgh", (size_t)(i % 7));
		long double *x = rt_arena_alloc(&a, sizeof(*x) * 3);

		cr_assert_not_null(s);
		cr_assert_not_null(x);
		cr_assert_eq((uintptr_t)x % _Alignof(max_align_t), 0);
		cr_assert_eq(x[0], 0); /* zeroed */
		cr_assert_eq(strlen(s), (size_t)(i % 7));
	}
	rt_arena_free(&a);
}

Test(arena, grows_to_large_chunks_and_merges)
{
	rt_arena a = RT_ARENA_INIT, b = RT_ARENA_INIT;
	char *kept[64], *huge;
	size_t i;

	/* 24 MiB in 400 KiB pieces: the chunks grow past 2 MiB (mapped,
	 * huge-page aligned), and every piece keeps its bytes */
	for (i = 0; i < 64; i++) {
		kept[i] = rt_arena_alloc(&a, 400 * 1024);
		cr_assert_not_null(kept[i]);
		memset(kept[i], (int)i, 400 * 1024);
	}
	huge = rt_arena_alloc(&b, 5 * 1024 * 1024); /* a chunk of its own */
	cr_assert_not_null(huge);
	huge[5 * 1024 * 1024 - 1] = 'z';
	cr_assert_str_eq(rt_arena_strdup(&b, "in b"), "in b");
	rt_arena_merge(&a, &b); /* b's memory is a's to free now */
	cr_assert_null(b.head);
	cr_assert_null(b.big);
	for (i = 0; i < 64; i++)
		cr_assert_eq(kept[i][400 * 1024 - 1], (char)i);
	cr_assert_eq(huge[5 * 1024 * 1024 - 1], 'z');
	cr_assert_not_null(rt_arena_strdup(&b, "b is usable again"));
	rt_arena_free(&b);
	rt_arena_free(&a);
}

Test(sha256, fips_vectors)
{
	char hex[65];
	rt_sha256 c;
	unsigned char md[32];
	int i;

	rt_sha256_hex("", 0, hex);
	cr_assert_str_eq(
	    hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	rt_sha256_hex("abc", 3, hex);
	cr_assert_str_eq(
	    hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	rt_sha256_hex(
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    hex);
	cr_assert_str_eq(
	    hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', fed in odd-sized pieces */
	rt_sha256_init(&c);
	for (i = 0; i < 1000000; i += 999) {
		char buf[999];
		size_t n = 1000000 - i < 999 ? (size_t)(1000000 - i) : 999;

		memset(buf, 'a', sizeof(buf));
		rt_sha256_update(&c, buf, n);
	}
	rt_sha256_final(&c, md);
	cr_assert_eq(md[0], 0xcd);
	cr_assert_eq(md[1], 0xc7);
	cr_assert_eq(md[31], 0xd0);
}

static void norm_is(const char *in, const char *want)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s", in);
	rt_path_normalize(buf);
	cr_assert_str_eq(buf, want, "normalize(%s)", in);
}

Test(path, normalize)
{
	norm_is("/a/b", "/a/b");
	norm_is("/a//b/", "/a/b");
	norm_is("/a/./b/.", "/a/b");
	norm_is("/a/x/../b", "/a/b");
	norm_is("/a/v1/../v2/", "/a/v2");
	norm_is("/..", "/");
	norm_is("/", "/");
	norm_is("/a/..", "/");
}
