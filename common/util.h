/*
 * common/util.h — small helpers: constant-time compare, secure wipe, bounded
 * string copy, strict hex and decimal parsing. All are pure (no I/O, no
 * globals) and never read or write past the sizes they are given.
 */
#ifndef COMMON_UTIL_H
#define COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns true iff the n bytes at a and b are equal. The running time
 * depends only on n, never on the contents: use it for every MAC, hash,
 * authenticator or nonce comparison. n == 0 compares equal.
 */
bool	ct_memeq(const void *a, const void *b, size_t n);

/* Zeroes n bytes at p in a way the compiler may not elide (keys, PSKs). */
void	secure_zero(void *p, size_t n);

/*
 * Copies the NUL-terminated src into dst of dstsz bytes. dst is always
 * NUL-terminated when dstsz > 0. Returns false if src did not fit (dst then
 * holds a truncated copy) or if dstsz is 0 (nothing written).
 */
bool	str_copy(char *dst, size_t dstsz, const char *src);

/*
 * Writes the lowercase hex form of the n bytes at src, NUL-terminated, to
 * dst. Returns false, writing nothing, unless dstsz >= 2 * n + 1.
 */
bool	hex_encode(char *dst, size_t dstsz, const void *src, size_t n);

/*
 * Decodes the NUL-terminated hex string src into exactly n bytes at dst.
 * Accepts upper and lower case digits only (no prefix, no spaces, no sign).
 * Returns false, leaving dst untouched, unless strlen(src) == 2 * n and
 * every character is a hex digit.
 */
bool	hex_decode(void *dst, size_t n, const char *src);

/*
 * Parse an unsigned decimal number: one or more ASCII digits and nothing
 * else (no sign, no whitespace, no "0x"). Leading zeros are allowed and read
 * as decimal. Return false, leaving *out untouched, on any other input or
 * if the value does not fit the type.
 */
bool	parse_u32(const char *s, uint32_t *out);
bool	parse_u64(const char *s, uint64_t *out);

#endif /* COMMON_UTIL_H */
