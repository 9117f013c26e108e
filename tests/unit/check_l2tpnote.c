/*
 * The l2tpd -> ikesvc note (common/l2tpnote.c): round trips and every
 * malformed datagram.
 */
#include <check.h>
#include <string.h>

#include "common/ipc.h"
#include "common/l2tpnote.h"

Suite	*l2tpnote_suite(void);

static const uint8_t v4[16] = { 192, 0, 2, 7 };
static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

START_TEST(test_round_trip)
{
	uint8_t	buf[NOTE_FRAME_MAX], a[16], f = 0;
	size_t	n;

	n = note_gone_build(buf, sizeof(buf), 4, v4);
	ck_assert_uint_eq(n, 33);
	/* header: type, version, length, session 0, reserved 0 */
	ck_assert_uint_eq(buf[0] << 8 | buf[1], NOTE_L2TP_GONE);
	ck_assert_uint_eq(buf[2] << 8 | buf[3], IPC_VERSION);
	ck_assert_uint_eq(buf[7], NOTE_L2TP_GONE_LEN);
	ck_assert_uint_eq(buf[16], 4);
	ck_assert_mem_eq(buf + 17, v4, 16);
	ck_assert_int_eq(note_gone_parse(buf, n, &f, a), 0);
	ck_assert_uint_eq(f, 4);
	ck_assert_mem_eq(a, v4, 16);
	n = note_gone_build(buf, sizeof(buf), 6, v6);
	ck_assert_int_eq(note_gone_parse(buf, n, &f, a), 0);
	ck_assert_uint_eq(f, 6);
	ck_assert_mem_eq(a, v6, 16);
}
END_TEST

START_TEST(test_build_refused)
{
	uint8_t	buf[NOTE_FRAME_MAX + 4], bad[16], zero[16] = { 0 };

	ck_assert_uint_eq(note_gone_build(buf, NOTE_FRAME_MAX - 1, 4, v4), 0);
	ck_assert_uint_eq(note_gone_build(NULL, sizeof(buf), 4, v4), 0);
	ck_assert_uint_eq(note_gone_build(buf, sizeof(buf), 0, v4), 0);
	ck_assert_uint_eq(note_gone_build(buf, sizeof(buf), 2, v4), 0);
	ck_assert_uint_eq(note_gone_build(buf, sizeof(buf), 4, zero), 0);
	ck_assert_uint_eq(note_gone_build(buf, sizeof(buf), 6, zero), 0);
	memcpy(bad, v4, 16);
	bad[15] = 1;		/* IPv4 with padding */
	ck_assert_uint_eq(note_gone_build(buf, sizeof(buf), 4, bad), 0);
	ck_assert_uint_eq(note_gone_build(buf, sizeof(buf), 6, bad),
	    NOTE_FRAME_MAX);
}
END_TEST

START_TEST(test_parse_refused)
{
	uint8_t	good[NOTE_FRAME_MAX], m[NOTE_FRAME_MAX + 1], a[16], f = 9;
	size_t	n, i;

	n = note_gone_build(good, sizeof(good), 4, v4);
	ck_assert_uint_eq(n, NOTE_FRAME_MAX);
	ck_assert_int_eq(note_gone_parse(NULL, n, &f, a), -1);
	for (i = 0; i < n; i++)		/* every truncation */
		ck_assert_int_eq(note_gone_parse(good, i, &f, a), -1);
	memcpy(m, good, n);		/* one byte too many */
	m[n] = 0;
	ck_assert_int_eq(note_gone_parse(m, n + 1, &f, a), -1);
	memcpy(m, good, n);
	m[1] = 0x02;			/* another type */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	memcpy(m, good, n);
	m[3] = 2;			/* another version */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	memcpy(m, good, n);
	m[11] = 1;			/* session-scoped */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	memcpy(m, good, n);
	m[15] = 1;			/* reserved */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	memcpy(m, good, n);
	m[16] = 5;			/* family */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	memcpy(m, good, n);
	m[32] = 1;			/* IPv4 padding */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	memcpy(m, good, n);
	memset(m + 17, 0, 4);		/* 0.0.0.0 */
	ck_assert_int_eq(note_gone_parse(m, n, &f, a), -1);
	ck_assert_uint_eq(f, 9);	/* untouched on failure */
}
END_TEST

Suite *
l2tpnote_suite(void)
{
	Suite	*s = suite_create("l2tpnote");
	TCase	*tc = tcase_create("note");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_build_refused);
	tcase_add_test(tc, test_parse_refused);
	suite_add_tcase(s, tc);
	return (s);
}
