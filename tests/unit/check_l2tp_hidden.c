/*
 * tests/unit/check_l2tp_hidden.c — l2tpd/l2tp_avp_hidden.c and
 * l2tp_auth.c: RFC 2661 4.3 hidden AVPs (known-answer vectors computed
 * independently, round trips at block boundaries, every bad length, the
 * scratch limit) and 4.2 tunnel authentication.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/wr.h"
#include "l2tpd/l2tp_msg.h"
#include "tests/unit/testutil.h"

Suite	*l2tp_hidden_suite(void);

#define SECRET		"rasgate-secret"
#define SECRET_LEN	(sizeof(SECRET) - 1)

static const uint8_t	rv16[16] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};


/*
 * Known answers, computed with Python's hashlib from the RFC 2661 4.3
 * description: type 9 value 12 34 padded with 3 x aa; type 7 value
 * "RWB-LAPTOP-DELL" padded with 19 x 55 (two whole blocks and four bytes).
 */
START_TEST(test_vectors)
{
	uint8_t		 c[64], out[64], pad[19];
	const uint8_t	*v;
	size_t		 n, vlen;
	struct wr	 w;

	n = tu_hex("46123faf3e3314", c, sizeof(c));
	ck_assert_int_eq(l2tp_hidden_decode(9, (const uint8_t *)SECRET,
	    SECRET_LEN, rv16, 16, c, n, out, &v, &vlen), L2TP_OK);
	ck_assert_uint_eq(vlen, 2);
	ck_assert_uint_eq(v[0], 0x12);
	ck_assert_uint_eq(v[1], 0x34);
	ck_assert_ptr_eq(v, out + 2);

	n = tu_hex("5affa86b0e7f51fca2ef0c6382e4b330ec7fe463a6aba4b3e9d99446"
	    "5f3bb4fe446e09c3", c, sizeof(c));
	ck_assert_uint_eq(n, 36);
	ck_assert_int_eq(l2tp_hidden_decode(7, (const uint8_t *)SECRET,
	    SECRET_LEN, rv16, 16, c, n, out, &v, &vlen), L2TP_OK);
	ck_assert_uint_eq(vlen, 15);
	ck_assert_mem_eq(v, "RWB-LAPTOP-DELL", 15);
	ck_assert_uint_eq(out[17], 0x55);

	/* The encoder produces the same cipher text with the same padding. */
	memset(pad, 0x55, sizeof(pad));
	wr_init(&w, out, sizeof(out));
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 7, "RWB-LAPTOP-DELL",
	    15, (const uint8_t *)SECRET, SECRET_LEN, rv16, 16, pad, 19),
	    L2TP_OK);
	ck_assert_uint_eq(wr_len(&w), 6 + 36);
	ck_assert_uint_eq(out[0], 0xc0);	/* M and H */
	ck_assert_uint_eq(out[1], 42);
	ck_assert_uint_eq(out[5], 7);
	ck_assert_mem_eq(out + 6, c, 36);
}
END_TEST

/* Round trips over every value length around the 16-byte blocks. */
START_TEST(test_roundtrip_lengths)
{
	uint8_t		 val[80], pad[40], buf[256], out[256];
	const uint8_t	*v;
	size_t		 vlen, n = (size_t)_i, padlen;
	struct wr	 w;
	size_t		 i;

	for (i = 0; i < sizeof(val); i++)
		val[i] = (uint8_t)(i * 7 + 1);
	memset(pad, 0xee, sizeof(pad));
	for (padlen = 0; padlen < 20; padlen += 3) {
		wr_init(&w, buf, sizeof(buf));
		ck_assert_int_eq(l2tp_put_avp_hidden(&w, false, 22, val, n,
		    (const uint8_t *)"k", 1, rv16, 5, pad, padlen), L2TP_OK);
		ck_assert_uint_eq(wr_len(&w), 6 + 2 + n + padlen);
		ck_assert_uint_eq(buf[0] & 0xc0, 0x40);
		ck_assert_int_eq(l2tp_hidden_decode(22, (const uint8_t *)"k",
		    1, rv16, 5, buf + 6, 2 + n + padlen, out, &v, &vlen),
		    L2TP_OK);
		ck_assert_uint_eq(vlen, n);
		ck_assert_mem_eq(v, val, n);
		/* The type is part of the key: another type decodes wrong. */
		if (n >= 4 && l2tp_hidden_decode(21, (const uint8_t *)"k", 1,
		    rv16, 5, buf + 6, 2 + n + padlen, out, &v, &vlen) ==
		    L2TP_OK)
			ck_assert(vlen != n || memcmp(v, val, n) != 0);
	}
}
END_TEST

START_TEST(test_decode_bad)
{
	uint8_t		 buf[64], out[64];
	const uint8_t	*v;
	size_t		 vlen;
	struct wr	 w;
	const uint8_t	*s = (const uint8_t *)SECRET;

	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 9, "\x00\x07", 2, s,
	    SECRET_LEN, rv16, 16, NULL, 0), L2TP_OK);
	ck_assert_uint_eq(wr_len(&w), 10);
	/* Too short to hold the original length. */
	ck_assert_int_eq(l2tp_hidden_decode(9, s, SECRET_LEN, rv16, 16,
	    buf + 6, 1, out, &v, &vlen), L2TP_E_HIDDEN_LEN);
	ck_assert_int_eq(l2tp_hidden_decode(9, s, SECRET_LEN, rv16, 16,
	    buf + 6, 0, out, &v, &vlen), L2TP_E_HIDDEN_LEN);
	/* The decrypted length (2) overruns what the outer length gives. */
	ck_assert_int_eq(l2tp_hidden_decode(9, s, SECRET_LEN, rv16, 16,
	    buf + 6, 3, out, &v, &vlen), L2TP_E_HIDDEN_LEN);
	ck_assert_uint_eq(out[0], 0);		/* wiped */
	ck_assert_int_eq(l2tp_hidden_decode(9, s, SECRET_LEN, rv16, 16,
	    buf + 6, 4, out, &v, &vlen), L2TP_OK);
	ck_assert_uint_eq(vlen, 2);
	ck_assert_int_eq(l2tp_hidden_decode(9, s, SECRET_LEN, NULL, 0,
	    buf + 6, 4, out, &v, &vlen), L2TP_E_HIDDEN_NO_RV);

	/* Encoder arguments. */
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 9, "a", 1, NULL, 0,
	    rv16, 16, NULL, 0), L2TP_E_INVAL);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 9, "a", 1, s, 1,
	    NULL, 0, NULL, 0), L2TP_E_INVAL);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 9, "a", 1, s, 1,
	    rv16, 16, NULL, 4), L2TP_E_INVAL);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 9, buf, 1016, s, 1,
	    rv16, 16, NULL, 0), L2TP_E_INVAL);
	wr_init(&w, buf, 9);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, 9, "ab", 2, s, 1,
	    rv16, 16, NULL, 0), L2TP_E_BUF);
}
END_TEST

/* Builds SCCRQ AVPs with a hidden Assigned Tunnel ID and host name. */
static size_t
hidden_sccrq(uint8_t *buf, size_t cap, bool with_rv)
{
	struct wr	w;

	wr_init(&w, buf, cap);
	l2tp_put_avp_u16(&w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_SCCRQ);
	l2tp_put_avp_u16(&w, true, L2TP_AVP_PROTO_VERSION, 0x0100);
	if (with_rv)
		l2tp_put_avp(&w, true, L2TP_AVP_RANDOM_VECTOR, rv16, 16);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, L2TP_AVP_TUNNEL_ID,
	    "\x12\x34", 2, (const uint8_t *)SECRET, SECRET_LEN, rv16, 16,
	    (const uint8_t *)"pad", 3), L2TP_OK);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, false,
	    L2TP_AVP_VENDOR_NAME, "Microsoft", 9, (const uint8_t *)SECRET,
	    SECRET_LEN, rv16, 16, NULL, 0), L2TP_OK);
	ck_assert(wr_ok(&w));
	return (wr_len(&w));
}

START_TEST(test_parse_hidden)
{
	uint8_t		buf[256];
	size_t		n;
	struct l2tp_msg	m;

	n = hidden_sccrq(buf, sizeof(buf), true);
	ck_assert_int_eq(l2tp_msg_parse(buf, n, (const uint8_t *)SECRET,
	    SECRET_LEN, &m), L2TP_OK);
	ck_assert_uint_eq(m.tunnel_id, 0x1234);
	ck_assert_uint_eq(m.vendor_name.len, 9);
	ck_assert_mem_eq(m.vendor_name.p, "Microsoft", 9);
	ck_assert_uint_eq(m.hidden, L2TP_AVPBIT(L2TP_AVP_TUNNEL_ID) |
	    L2TP_AVPBIT(L2TP_AVP_VENDOR_NAME));
	ck_assert_uint_eq(m.scratch_used, 7 + 11);
	ck_assert(m.vendor_name.p >= m.scratch &&
	    m.vendor_name.p < m.scratch + sizeof(m.scratch));

	/* Once handled, the decrypted values are zeroed. */
	l2tp_msg_wipe(&m);
	ck_assert_uint_eq(m.scratch_used, 0);
	ck_assert_mem_eq(m.scratch, (const uint8_t [18]){ 0 }, 18);
	ck_assert(memmem(m.scratch, sizeof(m.scratch), "Microsoft", 9) ==
	    NULL);
	l2tp_msg_wipe(&m);
	ck_assert_uint_eq(m.scratch_used, 0);

	/* No secret: the mandatory hidden AVP cannot be read. */
	ck_assert_int_eq(l2tp_msg_parse(buf, n, NULL, 0, &m),
	    L2TP_E_HIDDEN_NO_SECRET);
	/* No Random Vector before it. */
	n = hidden_sccrq(buf, sizeof(buf), false);
	ck_assert_int_eq(l2tp_msg_parse(buf, n, (const uint8_t *)SECRET,
	    SECRET_LEN, &m), L2TP_E_HIDDEN_NO_RV);
	/* A wrong secret garbles the length or the value. */
	n = hidden_sccrq(buf, sizeof(buf), true);
	if (l2tp_msg_parse(buf, n, (const uint8_t *)"wrong", 5, &m) ==
	    L2TP_OK)
		ck_assert(m.tunnel_id != 0x1234 || m.vendor_name.len != 9 ||
		    memcmp(m.vendor_name.p, "Microsoft", 9) != 0);
}
END_TEST

/* A decrypted value keeps its type's length rules. */
START_TEST(test_parse_hidden_bad_inner)
{
	uint8_t		buf[128];
	struct wr	w;
	struct l2tp_msg	m;

	wr_init(&w, buf, sizeof(buf));
	l2tp_put_avp_u16(&w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_SCCRQ);
	l2tp_put_avp(&w, true, L2TP_AVP_RANDOM_VECTOR, rv16, 3);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, L2TP_AVP_TUNNEL_ID,
	    "\x12\x34\x56", 3, (const uint8_t *)"s", 1, rv16, 3, NULL, 0), 0);
	ck_assert_int_eq(l2tp_msg_parse(buf, wr_len(&w), (const uint8_t *)"s",
	    1, &m), L2TP_E_AVP_LEN);

	wr_init(&w, buf, sizeof(buf));
	l2tp_put_avp_u16(&w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_SCCRQ);
	l2tp_put_avp(&w, true, L2TP_AVP_RANDOM_VECTOR, rv16, 3);
	ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, L2TP_AVP_TUNNEL_ID,
	    "\x00\x00", 2, (const uint8_t *)"s", 1, rv16, 3, NULL, 0), 0);
	ck_assert_int_eq(l2tp_msg_parse(buf, wr_len(&w), (const uint8_t *)"s",
	    1, &m), L2TP_E_AVP_VALUE);

	/* Hidden with an empty value field: no room for the length. */
	wr_init(&w, buf, sizeof(buf));
	l2tp_put_avp_u16(&w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_SCCRQ);
	l2tp_put_avp(&w, true, L2TP_AVP_RANDOM_VECTOR, rv16, 3);
	wr_u16(&w, 0xc006);
	wr_u16(&w, 0);
	wr_u16(&w, L2TP_AVP_HOST_NAME);
	ck_assert_int_eq(l2tp_msg_parse(buf, wr_len(&w), (const uint8_t *)"s",
	    1, &m), L2TP_E_HIDDEN_LEN);
}
END_TEST

/* Five near-maximal hidden AVPs exceed the 4 KiB scratch area. */
START_TEST(test_scratch_limit)
{
	static uint8_t		 buf[8192];
	static struct l2tp_msg	 m;
	static const uint16_t	 types[] = {
		L2TP_AVP_CALLED_NUMBER, L2TP_AVP_CALLING_NUMBER,
		L2TP_AVP_SUB_ADDRESS, L2TP_AVP_PRIVATE_GROUP,
		L2TP_AVP_PROXY_AUTH_NAME,
	};
	uint8_t			 val[1000];
	struct wr		 w;
	size_t			 i, n4 = 0;

	memset(val, 'n', sizeof(val));
	wr_init(&w, buf, sizeof(buf));
	l2tp_put_avp_u16(&w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_ICRQ);
	l2tp_put_avp(&w, true, L2TP_AVP_RANDOM_VECTOR, rv16, 16);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(l2tp_put_avp_hidden(&w, true, types[i], val,
		    sizeof(val), (const uint8_t *)"s", 1, rv16, 16, val, 15),
		    L2TP_OK);
		if (i == 3)
			n4 = wr_len(&w);
	}
	ck_assert_int_eq(l2tp_msg_parse(buf, n4, (const uint8_t *)"s", 1, &m),
	    L2TP_OK);
	ck_assert_uint_eq(m.scratch_used, 4 * 1017);
	ck_assert_uint_eq(m.private_group.len, 1000);
	ck_assert_int_eq(l2tp_msg_parse(buf, wr_len(&w), (const uint8_t *)"s",
	    1, &m), L2TP_E_HIDDEN_SPACE);
}
END_TEST

/* ---- tunnel authentication --------------------------------------------- */

START_TEST(test_chal_response)
{
	uint8_t	chal[16], want2[16], want3[16], out[16];
	size_t	i;

	for (i = 0; i < 16; i += 4)
		memcpy(chal + i, "\xde\xad\xbe\xef", 4);
	tu_hex("5405cb47e768292e15847bfb79745317", want2, sizeof(want2));
	tu_hex("3f6c23801d10119cac528dbd28883fc4", want3, sizeof(want3));
	ck_assert(l2tp_chal_response(L2TP_MSG_SCCRP, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 16, out));
	ck_assert_mem_eq(out, want2, 16);
	ck_assert(l2tp_chal_response(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 16, out));
	ck_assert_mem_eq(out, want3, 16);

	ck_assert(l2tp_chal_verify(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 16, want3, 16));
	/* Wrong message type, secret, challenge, length, any bit. */
	ck_assert(!l2tp_chal_verify(L2TP_MSG_SCCRP, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 16, want3, 16));
	ck_assert(!l2tp_chal_verify(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    SECRET_LEN - 1, chal, 16, want3, 16));
	ck_assert(!l2tp_chal_verify(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 15, want3, 16));
	ck_assert(!l2tp_chal_verify(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 16, want3, 15));
	ck_assert(!l2tp_chal_verify(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    SECRET_LEN, chal, 16, NULL, 16));
	for (i = 0; i < 128; i++) {
		want3[i / 8] ^= (uint8_t)(1u << (i % 8));
		ck_assert(!l2tp_chal_verify(L2TP_MSG_SCCCN,
		    (const uint8_t *)SECRET, SECRET_LEN, chal, 16, want3, 16));
		want3[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
}
END_TEST

Suite *
l2tp_hidden_suite(void)
{
	Suite	*s = suite_create("l2tp_hidden");
	TCase	*tc;

	tc = tcase_create("hidden");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_vectors);
	tcase_add_loop_test(tc, test_roundtrip_lengths, 0, 50);
	tcase_add_test(tc, test_decode_bad);
	tcase_add_test(tc, test_parse_hidden);
	tcase_add_test(tc, test_parse_hidden_bad_inner);
	tcase_add_test(tc, test_scratch_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("auth");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_chal_response);
	suite_add_tcase(s, tc);
	return (s);
}
