/*
 * common/siphash.c — SipHash-2-4 of common/siphash.h: two compression
 * rounds per 8-byte message word, four finalisation rounds. Words and key
 * halves are read little-endian regardless of the host's byte order.
 */
#include "common/siphash.h"

static uint64_t
rotl(uint64_t x, unsigned b)
{
	return ((x << b) | (x >> (64 - b)));
}

/* One SipRound: the add-rotate-xor network over the four state words. */
static void
sipround(uint64_t v[4])
{
	v[0] += v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2];
	v[2] = rotl(v[2], 32);
}

/* The n (<= 8) bytes at p as a little-endian number. */
static uint64_t
le64(const uint8_t *p, size_t n)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return (v);
}

static void
compress(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

uint64_t
siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *in, size_t len)
{
	const uint8_t	*p = in;
	uint64_t	 k0 = le64(key, 8), k1 = le64(key + 8, 8), v[4];
	size_t		 off;

	/* the constants: "somepseudorandomlygeneratedbytes" in ASCII */
	v[0] = k0 ^ UINT64_C(0x736f6d6570736575);
	v[1] = k1 ^ UINT64_C(0x646f72616e646f6d);
	v[2] = k0 ^ UINT64_C(0x6c7967656e657261);
	v[3] = k1 ^ UINT64_C(0x7465646279746573);
	for (off = 0; off + 8 <= len; off += 8)
		compress(v, le64(p + off, 8));
	/* last word: the 0..7 remaining bytes, len mod 256 in the top byte */
	compress(v, (len > off ? le64(p + off, len - off) : 0) |
	    (uint64_t)(len & 0xff) << 56);
	v[2] ^= 0xff;
	sipround(v);
	sipround(v);
	sipround(v);
	sipround(v);
	return (v[0] ^ v[1] ^ v[2] ^ v[3]);
}
