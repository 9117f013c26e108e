/*
 * tests/unit/check_rd.c — common/rd.c: every read at, and one past, the
 * end of its window; nothing consumed or written on failure.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/rd.h"

Suite	*rd_suite(void);

static const uint8_t	buf16[16] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0xf0,
};

START_TEST(test_init_left_end)
{
	struct rd	r;

	rd_init(&r, buf16, sizeof(buf16));
	ck_assert_uint_eq(rd_left(&r), 16);
	ck_assert(!rd_end(&r));
	ck_assert(rd_skip(&r, 16));
	ck_assert_uint_eq(rd_left(&r), 0);
	ck_assert(rd_end(&r));

	rd_init(&r, NULL, 10);		/* NULL is an empty window */
	ck_assert_uint_eq(rd_left(&r), 0);
	ck_assert(rd_end(&r));
}
END_TEST

START_TEST(test_ints_network_order)
{
	struct rd	r;
	uint8_t		v8;
	uint16_t	v16;
	uint32_t	v32;
	uint64_t	v64;

	rd_init(&r, buf16, sizeof(buf16));
	ck_assert(rd_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0x01);
	ck_assert(rd_u16(&r, &v16));
	ck_assert_uint_eq(v16, 0x0203);
	ck_assert(rd_u32(&r, &v32));
	ck_assert_uint_eq(v32, 0x04050607);
	ck_assert(rd_u64(&r, &v64));
	ck_assert(v64 == 0x08090a0b0c0d0e0fULL);
	ck_assert(rd_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0xf0);
	ck_assert(rd_end(&r));
}
END_TEST

/* Width w fits in a window of w bytes and fails in one of w - 1 bytes. */
START_TEST(test_ints_past_end_by_one)
{
	struct rd	r;
	uint8_t		v8 = 0xaa;
	uint16_t	v16 = 0xaaaa;
	uint32_t	v32 = 0xaaaaaaaa;
	uint64_t	v64 = 0xaaaaaaaaaaaaaaaaULL;

	rd_init(&r, buf16, 0);
	ck_assert(!rd_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0xaa);
	ck_assert(!rd_peek_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0xaa);

	rd_init(&r, buf16, 1);
	ck_assert(!rd_u16(&r, &v16));
	ck_assert_uint_eq(v16, 0xaaaa);
	ck_assert(!rd_peek_u16(&r, &v16));
	ck_assert_uint_eq(v16, 0xaaaa);
	ck_assert_uint_eq(rd_left(&r), 1);

	rd_init(&r, buf16, 3);
	ck_assert(!rd_u32(&r, &v32));
	ck_assert_uint_eq(v32, 0xaaaaaaaa);
	ck_assert_uint_eq(rd_left(&r), 3);

	rd_init(&r, buf16, 7);
	ck_assert(!rd_u64(&r, &v64));
	ck_assert(v64 == 0xaaaaaaaaaaaaaaaaULL);
	ck_assert_uint_eq(rd_left(&r), 7);

	/* Same, but after a partial read: offset is honoured. */
	rd_init(&r, buf16, 9);
	ck_assert(rd_u8(&r, &v8));
	ck_assert(rd_u64(&r, &v64));
	ck_assert(rd_end(&r));
	ck_assert(!rd_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0x01);

	rd_init(&r, buf16, 5);
	ck_assert(rd_u8(&r, &v8));
	ck_assert(!rd_u64(&r, &v64));
	ck_assert(rd_u32(&r, &v32));
	ck_assert_uint_eq(v32, 0x02030405);
	ck_assert(rd_end(&r));
}
END_TEST

START_TEST(test_exact_fit)
{
	struct rd	r;
	uint16_t	v16;
	uint32_t	v32;
	uint64_t	v64;

	rd_init(&r, buf16, 2);
	ck_assert(rd_u16(&r, &v16));
	ck_assert(rd_end(&r));
	rd_init(&r, buf16, 4);
	ck_assert(rd_u32(&r, &v32));
	ck_assert(rd_end(&r));
	rd_init(&r, buf16, 8);
	ck_assert(rd_u64(&r, &v64));
	ck_assert(rd_end(&r));
}
END_TEST

START_TEST(test_peek)
{
	struct rd	r;
	uint8_t		v8;
	uint16_t	v16;

	rd_init(&r, buf16 + 14, 2);
	ck_assert(rd_peek_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0x0f);
	ck_assert(rd_peek_u16(&r, &v16));
	ck_assert_uint_eq(v16, 0x0ff0);
	ck_assert_uint_eq(rd_left(&r), 2);
	ck_assert(rd_skip(&r, 1));
	ck_assert(!rd_peek_u16(&r, &v16));
	ck_assert(rd_peek_u8(&r, &v8));
	ck_assert_uint_eq(v8, 0xf0);
}
END_TEST

START_TEST(test_bytes)
{
	struct rd	r;
	uint8_t		out[8];

	memset(out, 0xee, sizeof(out));
	rd_init(&r, buf16, 4);
	ck_assert(!rd_bytes(&r, out, 5));
	ck_assert_uint_eq(out[0], 0xee);
	ck_assert_uint_eq(rd_left(&r), 4);
	ck_assert(rd_bytes(&r, out, 0));
	ck_assert(rd_bytes(&r, NULL, 0));
	ck_assert_uint_eq(out[0], 0xee);
	ck_assert(rd_bytes(&r, out, 4));
	ck_assert_mem_eq(out, buf16, 4);
	ck_assert_uint_eq(out[4], 0xee);
	ck_assert(rd_end(&r));
	ck_assert(!rd_bytes(&r, out, 1));
	ck_assert(rd_bytes(&r, out, 0));
	ck_assert(!rd_bytes(&r, out, SIZE_MAX));
}
END_TEST

START_TEST(test_view)
{
	struct rd	 r;
	const uint8_t	*v = NULL, *sentinel = (const uint8_t *)"x";

	rd_init(&r, buf16, sizeof(buf16));
	ck_assert(rd_view(&r, 3, &v));
	ck_assert_ptr_eq(v, buf16);
	ck_assert(rd_view(&r, 0, &v));
	ck_assert_ptr_eq(v, buf16 + 3);
	ck_assert_uint_eq(rd_left(&r), 13);
	v = sentinel;
	ck_assert(!rd_view(&r, 14, &v));
	ck_assert_ptr_eq(v, sentinel);
	ck_assert(!rd_view(&r, SIZE_MAX, &v));
	ck_assert_uint_eq(rd_left(&r), 13);
	ck_assert(rd_view(&r, 13, &v));
	ck_assert_ptr_eq(v, buf16 + 3);
	ck_assert(rd_end(&r));
}
END_TEST

START_TEST(test_sub)
{
	struct rd	r, c, cc, before;
	uint16_t	v16;
	uint8_t		v8;

	rd_init(&r, buf16, sizeof(buf16));
	ck_assert(rd_skip(&r, 2));
	ck_assert(rd_sub(&r, 4, &c));
	ck_assert_uint_eq(rd_left(&r), 10);
	ck_assert_uint_eq(rd_left(&c), 4);
	ck_assert(rd_u16(&c, &v16));
	ck_assert_uint_eq(v16, 0x0304);
	/* A child cannot read past its own end into the parent's bytes. */
	ck_assert(rd_sub(&c, 1, &cc));
	ck_assert(!rd_u16(&c, &v16));
	ck_assert(rd_u8(&c, &v8));
	ck_assert_uint_eq(v8, 0x06);
	ck_assert(rd_end(&c));
	ck_assert(!rd_u8(&c, &v8));
	ck_assert(rd_u8(&cc, &v8));
	ck_assert_uint_eq(v8, 0x05);
	ck_assert(rd_end(&cc));

	/* Larger than what is left: neither reader changes. */
	c.p = NULL;
	c.len = 77;
	c.off = 5;
	before = r;
	ck_assert(!rd_sub(&r, 11, &c));
	ck_assert(!rd_sub(&r, SIZE_MAX, &c));
	ck_assert_ptr_eq(r.p, before.p);
	ck_assert_uint_eq(r.off, before.off);
	ck_assert_ptr_null(c.p);
	ck_assert_uint_eq(c.len, 77);
	ck_assert_uint_eq(c.off, 5);

	/* Zero-length child at the end. */
	ck_assert(rd_sub(&r, 10, &c));
	ck_assert(rd_sub(&r, 0, &c));
	ck_assert(rd_end(&c));
	ck_assert(rd_end(&r));
}
END_TEST

START_TEST(test_skip)
{
	struct rd	r;

	rd_init(&r, buf16, 5);
	ck_assert(rd_skip(&r, 0));
	ck_assert(!rd_skip(&r, 6));
	ck_assert(!rd_skip(&r, SIZE_MAX));
	ck_assert_uint_eq(rd_left(&r), 5);
	ck_assert(rd_skip(&r, 4));
	ck_assert(!rd_skip(&r, 2));
	ck_assert(rd_skip(&r, 1));
	ck_assert(rd_end(&r));
	ck_assert(!rd_skip(&r, 1));
	ck_assert(rd_skip(&r, 0));
}
END_TEST

/* Runs rd_line on s with max; checks the result and what remains. */
static void
line_case(const char *s, size_t max, int want_rc, const char *want_line,
    size_t want_left)
{
	struct rd	 r;
	const uint8_t	*line = NULL;
	size_t		 len = 999;
	int		 rc;

	rd_init(&r, s, strlen(s));
	rc = rd_line(&r, max, &line, &len);
	ck_assert_msg(rc == want_rc, "'%s' max %zu: rc %d (%s), want %d", s,
	    max, rc, rd_strerror(rc), want_rc);
	ck_assert_uint_eq(rd_left(&r), want_left);
	if (want_rc == 0) {
		ck_assert_ptr_eq(line, (const uint8_t *)s);
		ck_assert_uint_eq(len, strlen(want_line));
		ck_assert(memcmp(line, want_line, len) == 0);
	} else {
		ck_assert_ptr_null(line);
		ck_assert_uint_eq(len, 999);
	}
}

START_TEST(test_line)
{
	line_case("GET / HTTP/1.1\r\nHost: x\r\n", 64, 0, "GET / HTTP/1.1", 9);
	line_case("\r\n", 0, 0, "", 0);
	line_case("\r\nrest", 10, 0, "", 4);
	/* Exactly max bytes, then CRLF: fits. */
	line_case("abcd\r\n", 4, 0, "abcd", 0);
	/* max + 1 bytes before the CRLF: too long. */
	line_case("abcde\r\n", 4, RD_E_LONG, NULL, 7);
	line_case("abcde", 4, RD_E_LONG, NULL, 5);
	/* Incomplete: no CRLF yet, still within max. */
	line_case("", 4, RD_E_MORE, NULL, 0);
	line_case("abc", 4, RD_E_MORE, NULL, 3);
	line_case("abcd", 4, RD_E_MORE, NULL, 4);
	line_case("abcd\r", 4, RD_E_MORE, NULL, 5);
	line_case("ab\r", 4, RD_E_MORE, NULL, 3);
	/* Bare CR or LF. */
	line_case("ab\nc\r\n", 10, RD_E_BARE, NULL, 6);
	line_case("ab\rc\r\n", 10, RD_E_BARE, NULL, 6);
	line_case("\n", 10, RD_E_BARE, NULL, 1);
	line_case("ab\r\r\n", 10, RD_E_BARE, NULL, 5);
	/* Huge max does not overflow. */
	line_case("abc\r\n", SIZE_MAX, 0, "abc", 0);
	line_case("abc", SIZE_MAX, RD_E_MORE, NULL, 3);
}
END_TEST

START_TEST(test_line_sequence)
{
	const char	*s = "A\r\nBB\r\n\r\nC";
	struct rd	 r;
	const uint8_t	*l;
	size_t		 n;

	rd_init(&r, s, strlen(s));
	ck_assert_int_eq(rd_line(&r, 8, &l, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(rd_line(&r, 8, &l, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(memcmp(l, "BB", 2) == 0);
	ck_assert_int_eq(rd_line(&r, 8, &l, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(rd_line(&r, 8, &l, &n), RD_E_MORE);
	ck_assert_uint_eq(rd_left(&r), 1);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(rd_strerror(0), "success");
	ck_assert_str_eq(rd_strerror(RD_E_LONG), "line too long");
	ck_assert_str_eq(rd_strerror(RD_E_MORE), "incomplete line");
	ck_assert_str_eq(rd_strerror(RD_E_BARE), "bare CR or LF in line");
	ck_assert_str_eq(rd_strerror(-99), "unknown reader error");
}
END_TEST

Suite *
rd_suite(void)
{
	Suite	*s = suite_create("rd");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_init_left_end);
	tcase_add_test(tc, test_ints_network_order);
	tcase_add_test(tc, test_ints_past_end_by_one);
	tcase_add_test(tc, test_exact_fit);
	tcase_add_test(tc, test_peek);
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_view);
	tcase_add_test(tc, test_sub);
	tcase_add_test(tc, test_skip);
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_line_sequence);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}
