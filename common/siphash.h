/*
 * common/siphash.h — SipHash-2-4 (Aumasson and Bernstein, "SipHash: a
 * fast short-input PRF", 2012): a keyed 64-bit hash for hash tables whose
 * keys a remote peer can choose. Without the 16-byte secret key nobody
 * can compute which inputs collide, so nobody can aim many keys at one
 * chain. The key must come from a random source and stay in the process
 * (never logged, never sent).
 *
 * Pure: no I/O, no logging, no globals.
 */
#ifndef COMMON_SIPHASH_H
#define COMMON_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN		16

/*
 * SipHash-2-4 of the len bytes at in (NULL only with len 0) under key;
 * the 64-bit result as the paper defines it (the output bytes read as a
 * little-endian number). Cannot fail.
 */
uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *in,
	    size_t len);

#endif /* COMMON_SIPHASH_H */
