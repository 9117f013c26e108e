/*
 * tests/unit/check_util.c — common/util.c: constant-time compare, wipe,
 * bounded copy, strict hex and decimal parsing.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/util.h"

Suite	*util_suite(void);

START_TEST(test_ct_memeq)
{
	uint8_t	a[32], b[32];

	memset(a, 0x5a, sizeof(a));
	memcpy(b, a, sizeof(b));
	ck_assert(ct_memeq(a, b, sizeof(a)));
	ck_assert(ct_memeq(a, b, 0));
	ck_assert(ct_memeq(NULL, NULL, 0));
	b[0] ^= 0x01;			/* first byte, lowest bit */
	ck_assert(!ct_memeq(a, b, sizeof(a)));
	ck_assert(ct_memeq(a + 1, b + 1, sizeof(a) - 1));
	b[0] = a[0];
	b[31] ^= 0x80;			/* last byte, highest bit */
	ck_assert(!ct_memeq(a, b, sizeof(a)));
	ck_assert(ct_memeq(a, b, sizeof(a) - 1));
	b[31] = a[31];
	b[15] = 0;
	ck_assert(!ct_memeq(a, b, sizeof(a)));
}
END_TEST

START_TEST(test_secure_zero)
{
	uint8_t	k[16];
	size_t	i;

	memset(k, 0xa5, sizeof(k));
	secure_zero(k, 8);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(k[i], 0);
	ck_assert_uint_eq(k[8], 0xa5);
	secure_zero(k, sizeof(k));
	ck_assert_uint_eq(k[15], 0);
	secure_zero(NULL, 0);
}
END_TEST

START_TEST(test_str_copy)
{
	char	d[5];

	ck_assert(str_copy(d, sizeof(d), "abcd"));	/* exactly fits */
	ck_assert_str_eq(d, "abcd");
	ck_assert(!str_copy(d, sizeof(d), "abcde"));	/* one too many */
	ck_assert_str_eq(d, "abcd");
	ck_assert(str_copy(d, sizeof(d), ""));
	ck_assert_str_eq(d, "");
	ck_assert(!str_copy(d, 1, "x"));
	ck_assert_str_eq(d, "");
	d[0] = 'q';
	ck_assert(!str_copy(d, 0, "x"));		/* nothing written */
	ck_assert_int_eq(d[0], 'q');
}
END_TEST

START_TEST(test_hex_encode)
{
	char	s[9];

	ck_assert(hex_encode(s, sizeof(s), "\x01\xab\xff\x00", 4));
	ck_assert_str_eq(s, "01abff00");
	ck_assert(!hex_encode(s, 8, "\x01\xab\xff\x00", 4));	/* no NUL room */
	ck_assert(hex_encode(s, 1, "", 0));
	ck_assert_str_eq(s, "");
	ck_assert(!hex_encode(s, 0, "", 0));
	ck_assert(!hex_encode(s, sizeof(s), "x", SIZE_MAX));
}
END_TEST

START_TEST(test_hex_decode)
{
	uint8_t	d[4];

	ck_assert(hex_decode(d, 4, "01abFF00"));
	ck_assert_mem_eq(d, "\x01\xab\xff\x00", 4);
	ck_assert(hex_decode(d, 0, ""));

	memset(d, 0xee, sizeof(d));
	ck_assert(!hex_decode(d, 4, "01abff0"));	/* odd length */
	ck_assert(!hex_decode(d, 4, "01abf"));
	ck_assert(!hex_decode(d, 4, "01abff0g"));	/* bad char, last */
	ck_assert(!hex_decode(d, 4, "x1abff00"));	/* bad char, first */
	ck_assert(!hex_decode(d, 4, "01ab ff0"));
	ck_assert(!hex_decode(d, 4, "0x01abff"));
	ck_assert(!hex_decode(d, 4, "01abff00\n"));
	ck_assert(!hex_decode(d, 4, "01abff0000"));	/* too long */
	ck_assert(!hex_decode(d, 4, "01ab"));		/* too short */
	ck_assert(!hex_decode(d, 4, ""));
	ck_assert(!hex_decode(d, 1, "+1"));
	ck_assert(!hex_decode(d, 0, "00"));
	ck_assert_uint_eq(d[0], 0xee);			/* untouched */
	ck_assert_uint_eq(d[3], 0xee);
	ck_assert(!hex_decode(d, SIZE_MAX, "00"));
}
END_TEST

START_TEST(test_parse_u32)
{
	uint32_t	v = 7;

	ck_assert(parse_u32("0", &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(parse_u32("4294967295", &v));
	ck_assert_uint_eq(v, UINT32_MAX);
	ck_assert(parse_u32("00042", &v));
	ck_assert_uint_eq(v, 42);

	v = 7;
	ck_assert(!parse_u32("4294967296", &v));
	ck_assert(!parse_u32("4294967300", &v));
	ck_assert(!parse_u32("42949672950", &v));
	ck_assert(!parse_u32("99999999999999999999999", &v));
	ck_assert(!parse_u32("", &v));
	ck_assert(!parse_u32("-1", &v));
	ck_assert(!parse_u32("-0", &v));
	ck_assert(!parse_u32("+1", &v));
	ck_assert(!parse_u32(" 1", &v));
	ck_assert(!parse_u32("1 ", &v));
	ck_assert(!parse_u32("1\n", &v));
	ck_assert(!parse_u32("0x10", &v));
	ck_assert(!parse_u32("1a", &v));
	ck_assert(!parse_u32("1.0", &v));
	ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(test_parse_u64)
{
	uint64_t	v = 7;

	ck_assert(parse_u64("18446744073709551615", &v));
	ck_assert(v == UINT64_MAX);
	ck_assert(parse_u64("4294967296", &v));
	ck_assert(v == 4294967296ULL);
	v = 7;
	ck_assert(!parse_u64("18446744073709551616", &v));
	ck_assert(!parse_u64("18446744073709551620", &v));
	ck_assert(!parse_u64("184467440737095516150", &v));
	ck_assert(!parse_u64("", &v));
	ck_assert(!parse_u64("-1", &v));
	ck_assert(!parse_u64(" 1", &v));
	ck_assert(!parse_u64("1 ", &v));
	ck_assert(v == 7);
}
END_TEST

Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_ct_memeq);
	tcase_add_test(tc, test_secure_zero);
	tcase_add_test(tc, test_str_copy);
	tcase_add_test(tc, test_hex_encode);
	tcase_add_test(tc, test_hex_decode);
	tcase_add_test(tc, test_parse_u32);
	tcase_add_test(tc, test_parse_u64);
	suite_add_tcase(s, tc);
	return (s);
}
