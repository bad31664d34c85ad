/* SPDX-License-Identifier: MIT */
/*
 * sha256.h: SHA-256 (FIPS 180-4), used for the checksums of applied
 * revision sections. Streaming interface plus a one-shot hex helper.
 */
#ifndef RT_SHA256_H
#define RT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct rt_sha256 {
	uint32_t state[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
} rt_sha256;

void rt_sha256_init(rt_sha256 *c);
void rt_sha256_update(rt_sha256 *c, const void *data, size_t n);
void rt_sha256_final(rt_sha256 *c, unsigned char out[32]);
/* The same as 64 lowercase hex digits and a NUL. */
void rt_sha256_final_hex(rt_sha256 *c, char hex[65]);
/* Writes 64 lowercase hex digits and a NUL into hex. */
void rt_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
