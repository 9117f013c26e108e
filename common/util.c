/*
 * common/util.c — constant-time compare, secure wipe, bounded string copy,
 * strict hex and decimal parsing.
 */
#include <string.h>

#include "common/util.h"

bool
ct_memeq(const void *a, const void *b, size_t n)
{
	const volatile uint8_t	*x = a, *y = b;
	uint8_t			 diff = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	/* Keep the compiler from reasoning about diff (no early exit). */
	__asm__ __volatile__("" : "+r" (diff) : : "memory");
	return (diff == 0);
}

void
secure_zero(void *p, size_t n)
{
	if (n > 0)
		explicit_bzero(p, n);
}

bool
str_copy(char *dst, size_t dstsz, const char *src)
{
	size_t	n;

	if (dstsz == 0)
		return (false);
	n = strnlen(src, dstsz);
	if (n == dstsz) {
		memcpy(dst, src, dstsz - 1);
		dst[dstsz - 1] = '\0';
		return (false);
	}
	memcpy(dst, src, n + 1);
	return (true);
}

bool
hex_encode(char *dst, size_t dstsz, const void *src, size_t n)
{
	static const char	 digits[] = "0123456789abcdef";
	const uint8_t		*s = src;
	size_t			 i;

	if (dstsz == 0 || n > (dstsz - 1) / 2)
		return (false);
	for (i = 0; i < n; i++) {
		dst[2 * i] = digits[s[i] >> 4];
		dst[2 * i + 1] = digits[s[i] & 0x0f];
	}
	dst[2 * n] = '\0';
	return (true);
}

/* Returns the value of hex digit c, or -1. */
static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

bool
hex_decode(void *dst, size_t n, const char *src)
{
	uint8_t	*d = dst;
	size_t	 len, i;

	if (n > (SIZE_MAX - 1) / 2)
		return (false);
	/* Never scan further than one character past the expected end. */
	len = strnlen(src, 2 * n + 1);
	if (len != 2 * n)
		return (false);
	for (i = 0; i < len; i++)
		if (hex_val(src[i]) < 0)
			return (false);
	for (i = 0; i < n; i++)
		d[i] = (uint8_t)(hex_val(src[2 * i]) << 4 |
		    hex_val(src[2 * i + 1]));
	return (true);
}

/* Strict decimal parse with an overflow check before each step. */
static bool
parse_dec(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t	v = 0;
	unsigned	d;

	if (*s == '\0')
		return (false);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (false);
		d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return (false);
		v = v * 10 + d;
	}
	*out = v;
	return (true);
}

bool
parse_u32(const char *s, uint32_t *out)
{
	uint64_t	v;

	if (!parse_dec(s, UINT32_MAX, &v))
		return (false);
	*out = (uint32_t)v;
	return (true);
}

bool
parse_u64(const char *s, uint64_t *out)
{
	return (parse_dec(s, UINT64_MAX, out));
}
