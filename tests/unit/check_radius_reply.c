/*
 * tests/unit/check_radius_reply.c — rad_reply_parse() (radius/attrs.c):
 * a complete Access-Accept, then every malformed attribute it must
 * survive and ignore (MS-CHAP2-Success, MPPE keys, Framed-IP-Address,
 * integers, Class, text), the status decisions, and random packets through
 * rad_reply_check(), rad_attrs_split() and the parser (for ASan).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "radius/attrs.h"
#include "radius/mppe.h"
#include "radius/packet.h"

Suite	*radius_reply_suite(void);

#define RANDOM_ATTRS_MAX	128

static const uint8_t	SECRET[] = "s3cret-shared";
#define SLEN		(sizeof(SECRET) - 1)
static const uint8_t	RA[16] = { 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76,
    0x87, 0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe, 0x0f };

/* ---- reply parsing ------------------------------------------------------ */

#define SUCCESS_STR	"S=407A5589115FD0D6209F510FE9C04566932CDA56"
static const uint8_t	SEND_KEY[16] = "0123456789abcdef";
static const uint8_t	RECV_KEY[16] = "fedcba9876543210";

/* MPPE key attribute value for key (klen bytes); out: RAD_MPPE_VALUE_MAX. */
static size_t
mppe_value(const uint8_t *key, size_t klen, uint8_t salt0,
    uint8_t out[RAD_MPPE_VALUE_MAX])
{
	uint8_t	salt[2] = { salt0, 0x01 };
	size_t	len = 0;

	ck_assert_int_eq(rad_mppe_key_encrypt(key, klen, salt, SECRET, SLEN,
	    RA, out, RAD_MPPE_VALUE_MAX, &len), RAD_MPPE_OK);
	return len;
}

static struct rad_attr
A(uint32_t vendor, uint8_t type, const void *val, size_t len)
{
	struct rad_attr	a = { vendor, type, val, len };

	return a;
}

static int
parse(uint8_t code, const struct rad_attr *a, size_t n,
    struct rad_auth_result *r)
{
	return rad_reply_parse(code, a, n, SECRET, SLEN, RA, r);
}

START_TEST(test_parse_accept_full)
{
	uint8_t			 sk[RAD_MPPE_VALUE_MAX], rk[RAD_MPPE_VALUE_MAX];
	uint8_t			 succ[43];
	struct rad_attr		 a[20];
	struct rad_auth_result	 r;
	size_t			 n = 0, sl, rl;

	sl = mppe_value(SEND_KEY, 16, 0x80, sk);
	rl = mppe_value(RECV_KEY, 16, 0x81, rk);
	ck_assert_uint_eq(sl, 34);
	succ[0] = 5;
	memcpy(succ + 1, SUCCESS_STR, 42);
	a[n++] = A(0, RAD_A_REPLY_MESSAGE, "Welcome", 7);
	a[n++] = A(0, RAD_A_REPLY_MESSAGE, "back", 4);
	a[n++] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\2", 4);
	a[n++] = A(0, RAD_A_FRAMED_PROTOCOL, "\0\0\0\1", 4);
	a[n++] = A(0, RAD_A_FRAMED_IP_ADDRESS, "\x0a\x01\x02\x03", 4);
	a[n++] = A(0, RAD_A_SESSION_TIMEOUT, "\0\0\x0e\x10", 4);
	a[n++] = A(0, RAD_A_IDLE_TIMEOUT, "\0\0\x01\x2c", 4);
	a[n++] = A(0, RAD_A_ACCT_INTERIM_INTERVAL, "\0\0\x02\x58", 4);
	a[n++] = A(0, RAD_A_CLASS, "\x01\x00\x02", 3);
	a[n++] = A(0, RAD_A_USER_NAME, "alice", 5);
	a[n++] = A(0, RAD_A_FRAMED_POOL, "vpn", 3);
	a[n++] = A(0, 99, "ignored", 7);
	a[n++] = A(9, 1, "other vendor", 12);
	a[n++] = A(311, RAD_MS_CHAP2_SUCCESS, succ, 43);
	a[n++] = A(311, RAD_MS_MPPE_SEND_KEY, sk, sl);
	a[n++] = A(311, RAD_MS_MPPE_RECV_KEY, rk, rl);
	a[n++] = A(311, RAD_MS_MPPE_ENCRYPTION_POLICY, "\0\0\0\2", 4);
	a[n++] = A(311, RAD_MS_MPPE_ENCRYPTION_TYPES, "\0\0\0\4", 4);
	a[n++] = A(311, RAD_MS_PRIMARY_DNS, "\x0a\0\0\x35", 4);
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, n, &r), 0);
	ck_assert_int_eq(r.status, RAD_ACCEPT);
	ck_assert_str_eq(r.reason, "");
	ck_assert_uint_eq(r.nmalformed, 0);
	ck_assert_str_eq(r.reply_message, "Welcome\nback");
	ck_assert(r.have_framed_ip && !r.framed_ip_pool);
	ck_assert_uint_eq(ntohl(r.framed_ip.s_addr), 0x0a010203);
	ck_assert_uint_eq(r.session_timeout, 3600);
	ck_assert_uint_eq(r.idle_timeout, 300);
	ck_assert_uint_eq(r.acct_interim_interval, 600);
	ck_assert_uint_eq(r.nclass, 1);
	ck_assert_uint_eq(r.class_attr[0].len, 3);
	ck_assert_mem_eq(r.class_attr[0].val, "\x01\x00\x02", 3);
	ck_assert(r.have_user_name);
	ck_assert_str_eq(r.user_name, "alice");
	ck_assert_str_eq(r.framed_pool, "vpn");
	ck_assert(r.have_mschap2_success);
	ck_assert_uint_eq(r.mschap2_ident, 5);
	ck_assert_str_eq(r.mschap2_success, SUCCESS_STR);
	ck_assert(r.have_mppe);
	ck_assert_mem_eq(r.mppe_send_key, SEND_KEY, 16);
	ck_assert_mem_eq(r.mppe_recv_key, RECV_KEY, 16);
	ck_assert(r.have_mppe_policy && r.mppe_policy == 2);
	ck_assert(r.have_mppe_types && r.mppe_types == 4);
	ck_assert(r.have_dns[0] && !r.have_dns[1]);
	ck_assert_uint_eq(ntohl(r.dns[0].s_addr), 0x0a000035);
}
END_TEST

START_TEST(test_parse_mschap2_success_bad)
{
	uint8_t			 v[64];
	struct rad_attr		 a[2];
	struct rad_auth_result	 r;
	static const size_t	 lens[] = { 0, 1, 2, 42, 44, 60 };
	size_t			 i;

	v[0] = 1;
	memcpy(v + 1, SUCCESS_STR, 42);
	memset(v + 43, 'A', sizeof(v) - 43);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		a[0] = A(311, RAD_MS_CHAP2_SUCCESS, v, lens[i]);
		ck_assert_int_eq(parse(2, a, 1, &r), 0);
		ck_assert(!r.have_mschap2_success);
		ck_assert_uint_eq(r.nmalformed, 1);
		ck_assert_ptr_nonnull(strstr(r.malformed, "MS-CHAP2-Success"));
	}
	v[1] = 's';					/* not "S=" */
	a[0] = A(311, RAD_MS_CHAP2_SUCCESS, v, 43);
	ck_assert_int_eq(parse(2, a, 1, &r), 0);
	ck_assert(!r.have_mschap2_success);
	v[1] = 'S';
	v[20] = 'G';					/* not hex */
	ck_assert_int_eq(parse(2, a, 1, &r), 0);
	ck_assert(!r.have_mschap2_success);
	v[20] = 'a';					/* lower case: fine */
	ck_assert_int_eq(parse(2, a, 1, &r), 0);
	ck_assert(r.have_mschap2_success);
	a[1] = a[0];					/* duplicate */
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_mschap2_success);
	ck_assert_uint_eq(r.nmalformed, 1);
}
END_TEST

START_TEST(test_parse_mppe_bad)
{
	uint8_t			 sk[RAD_MPPE_VALUE_MAX], rk[RAD_MPPE_VALUE_MAX];
	uint8_t			 k32[32];
	struct rad_attr		 a[3];
	struct rad_auth_result	 r;
	size_t			 sl, rl;

	sl = mppe_value(SEND_KEY, 16, 0x80, sk);
	rl = mppe_value(RECV_KEY, 16, 0x81, rk);
	a[0] = A(311, RAD_MS_MPPE_SEND_KEY, sk, sl);
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, rl);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(r.have_mppe);
	/* only one key */
	ck_assert_int_eq(parse(2, a, 1, &r), 0);
	ck_assert(!r.have_mppe);
	ck_assert_uint_eq(r.mppe_send_key[0], 0);	/* wiped */
	/* wrong value lengths */
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, rl - 1);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_mppe && r.nmalformed == 1);
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, 18);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_mppe);
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, 0);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_mppe);
	/* salt high bit clear */
	rk[0] &= 0x7f;
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, rl);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_mppe);
	/* a 32-byte key is not a 128-bit MPPE start key */
	memset(k32, 7, sizeof(k32));
	rl = mppe_value(k32, 32, 0x82, rk);
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, rl);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_mppe);
	/* wrong authenticator: decrypts to garbage */
	rl = mppe_value(RECV_KEY, 16, 0x81, rk);
	a[1] = A(311, RAD_MS_MPPE_RECV_KEY, rk, rl);
	ck_assert_int_eq(rad_reply_parse(2, a, 2, SECRET, SLEN, SEND_KEY, &r),
	    0);
	ck_assert(!r.have_mppe);
	/* duplicate key attribute */
	a[2] = a[0];
	ck_assert_int_eq(parse(2, a, 3, &r), 0);
	ck_assert(!r.have_mppe);
	/* keys in an Access-Reject are ignored */
	ck_assert_int_eq(parse(3, a, 2, &r), 0);
	ck_assert(!r.have_mppe && r.status == RAD_REJECT);
	/* no secret: keys ignored, no crash */
	ck_assert_int_eq(rad_reply_parse(2, a, 2, NULL, 0, NULL, &r), 0);
	ck_assert(!r.have_mppe);
}
END_TEST

START_TEST(test_parse_framed_ip)
{
	static const struct {
		const char	*v;
		size_t		 len;
		bool		 have, pool;
		unsigned	 bad;
	} c[] = {
		{ "\0\0\0\0", 4, false, true, 0 },
		{ "\xff\xff\xff\xff", 4, false, true, 0 },
		{ "\xff\xff\xff\xfe", 4, false, true, 0 },
		{ "\x0a\x01\x02\x03", 4, true, false, 0 },
		{ "\x7f\0\0\1", 4, false, false, 1 },
		{ "\0\0\0\1", 4, false, false, 1 },
		{ "\0\x0a\x01\x02", 4, false, false, 1 },
		{ "\xe0\0\0\1", 4, false, false, 1 },
		{ "\xf0\0\0\1", 4, false, false, 1 },
		{ "\x0a\x01\x02", 3, false, false, 1 },
		{ "\x0a\x01\x02\x03\x04", 5, false, false, 1 },
	};
	struct rad_attr		a[2];
	struct rad_auth_result	r;
	size_t			i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		a[0] = A(0, RAD_A_FRAMED_IP_ADDRESS, c[i].v, c[i].len);
		ck_assert_int_eq(parse(2, a, 1, &r), 0);
		ck_assert_msg(r.have_framed_ip == c[i].have &&
		    r.framed_ip_pool == c[i].pool && r.nmalformed == c[i].bad,
		    "case %zu", i);
		ck_assert_int_eq(r.status, RAD_ACCEPT);
	}
	a[0] = A(0, RAD_A_FRAMED_IP_ADDRESS, "\x0a\x01\x02\x03", 4);
	a[1] = A(0, RAD_A_FRAMED_IP_ADDRESS, "\x0a\x01\x02\x04", 4);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_framed_ip && !r.framed_ip_pool && r.nmalformed == 1);
}
END_TEST

START_TEST(test_parse_integers_and_classes)
{
	struct rad_attr		a[8];
	struct rad_auth_result	r;
	size_t			i;

	a[0] = A(0, RAD_A_SESSION_TIMEOUT, "\0\0\1", 3);
	a[1] = A(0, RAD_A_IDLE_TIMEOUT, "\0\0\0\0\1", 5);
	a[2] = A(0, RAD_A_ACCT_INTERIM_INTERVAL, "\0\0\0\x0a", 4);
	a[3] = A(311, RAD_MS_MPPE_ENCRYPTION_POLICY, "\1", 1);
	a[4] = A(311, RAD_MS_PRIMARY_DNS, "\0\0\0\0", 4);
	ck_assert_int_eq(parse(2, a, 5, &r), 0);
	ck_assert_uint_eq(r.session_timeout, 0);
	ck_assert_uint_eq(r.idle_timeout, 0);
	ck_assert_uint_eq(r.acct_interim_interval, 60);	/* clamped */
	ck_assert(!r.have_mppe_policy && !r.have_dns[0]);
	ck_assert_uint_eq(r.nmalformed, 4);
	ck_assert_ptr_nonnull(strstr(r.malformed, "Session-Timeout"));
	a[0] = A(0, RAD_A_ACCT_INTERIM_INTERVAL, "\0\0\0\0", 4);
	ck_assert_int_eq(parse(2, a, 1, &r), 0);
	ck_assert_uint_eq(r.acct_interim_interval, 0);
	for (i = 0; i < 5; i++)
		a[i] = A(0, RAD_A_CLASS, "c", 1);
	a[5] = A(0, RAD_A_CLASS, "", 0);
	ck_assert_int_eq(parse(2, a, 6, &r), 0);
	ck_assert_uint_eq(r.nclass, 4);
	ck_assert_uint_eq(r.nmalformed, 2);
}
END_TEST

START_TEST(test_parse_text_sanitised)
{
	uint8_t			 big[253], err[20];
	struct rad_attr		 a[8];
	struct rad_auth_result	 r;
	size_t			 i;

	a[0] = A(0, RAD_A_REPLY_MESSAGE, "bad\r\nline\x1b[0m\x7f", 14);
	ck_assert_int_eq(parse(3, a, 1, &r), 0);
	ck_assert_str_eq(r.reply_message, "bad??line?[0m?");
	memset(big, 'm', sizeof(big));
	for (i = 0; i < 8; i++)
		a[i] = A(0, RAD_A_REPLY_MESSAGE, big, sizeof(big));
	ck_assert_int_eq(parse(3, a, 8, &r), 0);
	ck_assert_uint_eq(strlen(r.reply_message), RAD_MSG_MAX - 1);
	/* MS-CHAP-Error: ident then text */
	err[0] = 9;
	memcpy(err + 1, "E=691 R=0 V=3\n", 14);
	a[0] = A(311, RAD_MS_CHAP_ERROR, err, 15);
	ck_assert_int_eq(parse(3, a, 1, &r), 0);
	ck_assert(r.have_mschap_error && r.mschap_error_ident == 9);
	ck_assert_str_eq(r.mschap_error, "E=691 R=0 V=3?");
	a[0] = A(311, RAD_MS_CHAP_ERROR, err, 1);
	ck_assert_int_eq(parse(3, a, 1, &r), 0);
	ck_assert(!r.have_mschap_error && r.nmalformed == 1);
	a[0] = A(0, RAD_A_USER_NAME, "", 0);
	a[1] = A(0, RAD_A_FRAMED_POOL, big, 64);
	ck_assert_int_eq(parse(2, a, 2, &r), 0);
	ck_assert(!r.have_user_name && r.framed_pool[0] == '\0');
	ck_assert_uint_eq(r.nmalformed, 2);
}
END_TEST

START_TEST(test_parse_status)
{
	struct rad_attr		a[2];
	struct rad_auth_result	r;

	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, NULL, 0, &r), 0);
	ck_assert_int_eq(r.status, RAD_ACCEPT);
	ck_assert_int_eq(parse(RAD_ACCESS_REJECT, NULL, 0, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	ck_assert_str_eq(r.reason, "");
	ck_assert_int_eq(parse(RAD_ACCESS_CHALLENGE, NULL, 0, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	ck_assert_ptr_nonnull(strstr(r.reason, "Challenge"));
	ck_assert_int_eq(parse(RAD_ACCOUNTING_RESPONSE, NULL, 0, &r), 0);
	ck_assert_int_eq(r.status, RAD_ERROR);
	a[0] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\1", 4);		/* Login */
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 1, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	ck_assert_ptr_nonnull(strstr(r.reason, "Service-Type"));
	a[0] = A(0, RAD_A_FRAMED_PROTOCOL, "\0\0\0\2", 4);	/* SLIP */
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 1, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	a[0] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\2", 4);
	a[1] = A(0, RAD_A_FRAMED_PROTOCOL, "\0\0\0\1", 4);
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 2, &r), 0);
	ck_assert_int_eq(r.status, RAD_ACCEPT);
	/* bad arguments */
	ck_assert_int_eq(parse(2, NULL, 1, &r), -1);
	ck_assert_int_eq(parse(2, a, 1, NULL), -1);
	a[0] = A(0, RAD_A_CLASS, NULL, 3);
	ck_assert_int_eq(parse(2, a, 1, &r), -1);
	a[0] = A(0, RAD_A_CLASS, "x", 300);	/* beyond RADIUS limits */
	ck_assert_int_eq(parse(2, a, 1, &r), 0);
	ck_assert_uint_eq(r.nclass, 0);
	ck_assert_uint_eq(r.nmalformed, 1);
	ck_assert_str_eq(rad_status_str(RAD_TIMEOUT), "timeout");
}
END_TEST

/*
 * RFC 2865 §5.6, §5.44: at most one Service-Type and one Framed-Protocol
 * in an Access-Accept. A second one is counted as malformed and never
 * turns a refused service into an accepted one, whatever the order.
 */
START_TEST(test_parse_service_duplicates)
{
	struct rad_attr		a[2];
	struct rad_auth_result	r;

	a[0] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\1", 4);		/* Login */
	a[1] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\2", 4);		/* Framed */
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 2, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	ck_assert_ptr_nonnull(strstr(r.reason, "Service-Type 1"));
	ck_assert_uint_eq(r.nmalformed, 1);
	a[0] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\2", 4);
	a[1] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\1", 4);
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 2, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	ck_assert_uint_eq(r.nmalformed, 1);
	a[0] = A(0, RAD_A_FRAMED_PROTOCOL, "\0\0\0\2", 4);	/* SLIP */
	a[1] = A(0, RAD_A_FRAMED_PROTOCOL, "\0\0\0\1", 4);	/* PPP */
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 2, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
	ck_assert_ptr_nonnull(strstr(r.reason, "Framed-Protocol 2"));
	ck_assert_uint_eq(r.nmalformed, 1);
	/* the same good value twice: accepted, the copy counted */
	a[0] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\2", 4);
	a[1] = a[0];
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 2, &r), 0);
	ck_assert_int_eq(r.status, RAD_ACCEPT);
	ck_assert_uint_eq(r.nmalformed, 1);
	/* a malformed second value does not hide a bad first one */
	a[0] = A(0, RAD_A_SERVICE_TYPE, "\0\0\0\1", 4);
	a[1] = A(0, RAD_A_SERVICE_TYPE, "\0\0\2", 3);
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 2, &r), 0);
	ck_assert_int_eq(r.status, RAD_REJECT);
}
END_TEST

/*
 * Session-Timeout, Idle-Timeout and Acct-Interim-Interval may appear once
 * (RFC 2865 §5.44, RFC 2869 §5.19): a duplicate is ignored and counted
 * (attrs.h), it does not replace the first value (here: lift the limit).
 */
START_TEST(test_parse_timeout_duplicates)
{
	struct rad_attr		a[6];
	struct rad_auth_result	r;

	a[0] = A(0, RAD_A_SESSION_TIMEOUT, "\0\0\x0e\x10", 4);	/* 3600 */
	a[1] = A(0, RAD_A_IDLE_TIMEOUT, "\0\0\0\x3c", 4);		/* 60 */
	a[2] = A(0, RAD_A_ACCT_INTERIM_INTERVAL, "\0\0\x01\x2c", 4);	/* 300 */
	a[3] = A(0, RAD_A_SESSION_TIMEOUT, "\0\0\0\0", 4);
	a[4] = A(0, RAD_A_IDLE_TIMEOUT, "\0\0\0\0", 4);
	a[5] = A(0, RAD_A_ACCT_INTERIM_INTERVAL, "\0\0\0\0", 4);
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 6, &r), 0);
	ck_assert_uint_eq(r.session_timeout, 3600);
	ck_assert_uint_eq(r.idle_timeout, 60);
	ck_assert_uint_eq(r.acct_interim_interval, 300);
	ck_assert_uint_eq(r.nmalformed, 3);
	ck_assert_ptr_nonnull(strstr(r.malformed, "Session-Timeout"));
	/* a malformed first one leaves room for a good one */
	a[0] = A(0, RAD_A_SESSION_TIMEOUT, "\0\0\x0e", 3);
	ck_assert_int_eq(parse(RAD_ACCESS_ACCEPT, a, 4, &r), 0);
	ck_assert_uint_eq(r.session_timeout, 0);
	ck_assert_uint_eq(r.nmalformed, 1);
}
END_TEST

/* Random packets through check, split and parse: no crash (ASan). */
START_TEST(test_random_replies)
{
	uint8_t			 pkt[600], code;
	struct rad_attr		 a[RANDOM_ATTRS_MAX];
	struct rad_auth_result	 r;
	uint32_t		 x = 0x12345678;
	size_t			 i, j, len, plen;
	int			 n;

	for (i = 0; i < 20000; i++) {
		len = 20;
		while (len < sizeof(pkt) - 60) {
			x = x * 1103515245 + 12345;
			pkt[len] = (x >> 16) % 3 == 0 ? 26 : (uint8_t)(x >> 8);
			pkt[len + 1] = (uint8_t)(2 + (x >> 24) % 50);
			for (j = 2; j < pkt[len + 1]; j++) {
				x = x * 1103515245 + 12345;
				pkt[len + j] = (uint8_t)(x >> 16);
			}
			if (pkt[len] == 26 && pkt[len + 1] >= 8) {
				memcpy(pkt + len + 2, "\0\0\1\x37", 4);
				pkt[len + 6] = (uint8_t)(16 + i % 12);
			}
			len += pkt[len + 1];
			if ((x >> 20) % 7 == 0)
				break;
		}
		pkt[0] = (uint8_t)(2 + i % 2);
		pkt[1] = 7;
		pkt[2] = (uint8_t)(len >> 8);
		pkt[3] = (uint8_t)len;
		(void)rad_reply_check(pkt, len, 1, 7, RA, SECRET, SLEN,
		    false, &code, &plen);
		n = rad_attrs_split(pkt, len, a, RANDOM_ATTRS_MAX);
		if (n >= 0)
			ck_assert_int_eq(parse(pkt[0], a, (size_t)n, &r), 0);
	}
}
END_TEST

Suite *
radius_reply_suite(void)
{
	Suite	*s = suite_create("radius_reply");
	TCase	*tc;

	tc = tcase_create("reply");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_parse_accept_full);
	tcase_add_test(tc, test_parse_mschap2_success_bad);
	tcase_add_test(tc, test_parse_mppe_bad);
	tcase_add_test(tc, test_parse_framed_ip);
	tcase_add_test(tc, test_parse_integers_and_classes);
	tcase_add_test(tc, test_parse_text_sanitised);
	tcase_add_test(tc, test_parse_status);
	tcase_add_test(tc, test_parse_service_duplicates);
	tcase_add_test(tc, test_parse_timeout_duplicates);
	tcase_add_test(tc, test_random_replies);
	suite_add_tcase(s, tc);
	return s;
}
