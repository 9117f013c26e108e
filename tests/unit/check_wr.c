/*
 * tests/unit/check_wr.c — common/wr.c: byte order, exact-capacity writes,
 * sticky overflow, back-patching in and out of range.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/wr.h"

Suite	*wr_suite(void);

START_TEST(test_ints)
{
	static const uint8_t	want[] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x01, 0x02, 0x03,
		0x04, 0x05, 0x06, 0x07, 0x08,
	};
	uint8_t			buf[sizeof(want)];
	struct wr		w;

	wr_init(&w, buf, sizeof(buf));
	ck_assert(wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 0);
	wr_u8(&w, 0x11);
	wr_u16(&w, 0x2233);
	wr_u32(&w, 0x44556677);
	wr_u64(&w, 0x0102030405060708ULL);
	ck_assert(wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

/* Each width: fits at exactly capacity, overflows at capacity + 1. */
START_TEST(test_capacity_each_width)
{
	uint8_t		buf[9];
	struct wr	w;
	size_t		width[] = { 1, 2, 4, 8 }, i;

	for (i = 0; i < 4; i++) {
		memset(buf, 0xee, sizeof(buf));
		wr_init(&w, buf, width[i]);
		switch (width[i]) {
		case 1: wr_u8(&w, 0xff); break;
		case 2: wr_u16(&w, 0xffff); break;
		case 4: wr_u32(&w, 0xffffffff); break;
		case 8: wr_u64(&w, UINT64_MAX); break;
		}
		ck_assert(wr_ok(&w));
		ck_assert_uint_eq(wr_len(&w), width[i]);
		ck_assert_uint_eq(buf[width[i]], 0xee);

		memset(buf, 0xee, sizeof(buf));
		wr_init(&w, buf, width[i] - 1);
		switch (width[i]) {
		case 1: wr_u8(&w, 0); break;
		case 2: wr_u16(&w, 0); break;
		case 4: wr_u32(&w, 0); break;
		case 8: wr_u64(&w, 0); break;
		}
		ck_assert_msg(!wr_ok(&w), "width %zu", width[i]);
		ck_assert_uint_eq(wr_len(&w), 0);
		ck_assert_uint_eq(buf[0], 0xee);	/* nothing partial */
	}
}
END_TEST

START_TEST(test_bytes_capacity)
{
	uint8_t		buf[8];
	struct wr	w;

	memset(buf, 0xee, sizeof(buf));
	wr_init(&w, buf, 4);
	wr_bytes(&w, "abcd", 4);
	ck_assert(wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 4);
	wr_bytes(&w, NULL, 0);		/* zero-length at capacity is fine */
	wr_zero(&w, 0);
	ck_assert(wr_ok(&w));
	wr_bytes(&w, "e", 1);		/* capacity + 1 */
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 4);
	ck_assert_uint_eq(buf[4], 0xee);

	wr_init(&w, buf, 4);
	wr_bytes(&w, "abcde", 5);
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 0);
	ck_assert_uint_eq(buf[4], 0xee);

	wr_init(&w, buf, 4);
	wr_u8(&w, 1);
	wr_bytes(&w, buf, SIZE_MAX);	/* size_t overflow must not wrap */
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 1);
}
END_TEST

START_TEST(test_zero)
{
	uint8_t		buf[6];
	struct wr	w;

	memset(buf, 0xee, sizeof(buf));
	wr_init(&w, buf, 5);
	wr_u8(&w, 7);
	wr_zero(&w, 4);
	ck_assert(wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 5);
	ck_assert_uint_eq(buf[0], 7);
	ck_assert_uint_eq(buf[1] | buf[2] | buf[3] | buf[4], 0);
	ck_assert_uint_eq(buf[5], 0xee);
	wr_zero(&w, 1);
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(buf[5], 0xee);
	wr_init(&w, buf, 5);
	wr_zero(&w, SIZE_MAX);
	ck_assert(!wr_ok(&w));
}
END_TEST

START_TEST(test_sticky)
{
	uint8_t		buf[4];
	struct wr	w;

	memset(buf, 0xee, sizeof(buf));
	wr_init(&w, buf, sizeof(buf));
	wr_u16(&w, 0x0102);
	wr_u32(&w, 0x03040506);		/* does not fit: overflow */
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 2);
	/* Later writes that would fit are still refused. */
	wr_u8(&w, 0x99);
	wr_u16(&w, 0x9999);
	wr_bytes(&w, "z", 1);
	wr_zero(&w, 1);
	wr_patch_u16(&w, 0, 0x9999);
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 2);
	ck_assert_uint_eq(buf[0], 0x01);
	ck_assert_uint_eq(buf[1], 0x02);
	ck_assert_uint_eq(buf[2], 0xee);
	ck_assert_uint_eq(buf[3], 0xee);
}
END_TEST

START_TEST(test_null_buffer)
{
	struct wr	w;

	wr_init(&w, NULL, 100);
	wr_bytes(&w, NULL, 0);
	ck_assert(wr_ok(&w));
	wr_u8(&w, 1);
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 0);
}
END_TEST

START_TEST(test_patch)
{
	uint8_t		buf[16];
	struct wr	w;
	size_t		m16, m32;

	wr_init(&w, buf, sizeof(buf));
	m16 = wr_mark(&w);
	wr_u16(&w, 0);
	m32 = wr_mark(&w);
	ck_assert_uint_eq(m32, 2);
	wr_u32(&w, 0);
	wr_bytes(&w, "xyz", 3);
	wr_patch_u16(&w, m16, (uint16_t)wr_len(&w));
	wr_patch_u32(&w, m32, 0xa1b2c3d4);
	ck_assert(wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), 9);
	ck_assert_mem_eq(buf, "\x00\x09\xa1\xb2\xc3\xd4xyz", 9);
	/* Patch ending exactly at the write offset is in range. */
	wr_patch_u16(&w, 7, 0x4142);
	ck_assert(wr_ok(&w));
	ck_assert_mem_eq(buf + 7, "AB", 2);
	wr_patch_u32(&w, 5, 0x31323334);
	ck_assert(wr_ok(&w));
	ck_assert_mem_eq(buf + 5, "1234", 4);
}
END_TEST

START_TEST(test_patch_out_of_range)
{
	uint8_t		buf[16];
	struct wr	w;

	memset(buf, 0xee, sizeof(buf));
	wr_init(&w, buf, sizeof(buf));
	wr_bytes(&w, "abcd", 4);
	/* One byte past what is written (buffer has room: still refused). */
	wr_patch_u16(&w, 3, 0x0000);
	ck_assert(!wr_ok(&w));
	ck_assert_mem_eq(buf, "abcd", 4);
	ck_assert_uint_eq(buf[4], 0xee);

	wr_init(&w, buf, sizeof(buf));
	wr_bytes(&w, "abcd", 4);
	wr_patch_u32(&w, 1, 0);
	ck_assert(!wr_ok(&w));
	ck_assert_mem_eq(buf, "abcd", 4);

	wr_init(&w, buf, sizeof(buf));
	wr_bytes(&w, "abcd", 4);
	wr_patch_u16(&w, SIZE_MAX, 0);	/* at + 2 would wrap */
	ck_assert(!wr_ok(&w));

	wr_init(&w, buf, sizeof(buf));
	wr_bytes(&w, "abcd", 4);
	wr_patch_u32(&w, SIZE_MAX - 2, 0);
	ck_assert(!wr_ok(&w));
	ck_assert_mem_eq(buf, "abcd", 4);

	wr_init(&w, buf, sizeof(buf));
	wr_patch_u16(&w, 0, 0);		/* nothing written yet */
	ck_assert(!wr_ok(&w));
	ck_assert_uint_eq(buf[0], 'a');
}
END_TEST

Suite *
wr_suite(void)
{
	Suite	*s = suite_create("wr");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_ints);
	tcase_add_test(tc, test_capacity_each_width);
	tcase_add_test(tc, test_bytes_capacity);
	tcase_add_test(tc, test_zero);
	tcase_add_test(tc, test_sticky);
	tcase_add_test(tc, test_null_buffer);
	tcase_add_test(tc, test_patch);
	tcase_add_test(tc, test_patch_out_of_range);
	suite_add_tcase(s, tc);
	return (s);
}
