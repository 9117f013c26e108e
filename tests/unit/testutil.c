/*
 * tests/unit/testutil.c — helpers shared by the Check suites.
 */
#include <check.h>
#include <stdio.h>

#include "tests/unit/testutil.h"

size_t
tu_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t		n = 0;
	unsigned	v;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		ck_assert_msg(sscanf(s, "%2x", &v) == 1, "bad hex at %s", s);
		ck_assert_uint_lt(n, cap);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return (n);
}
