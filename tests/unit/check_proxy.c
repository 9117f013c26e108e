/*
 * tests/unit/check_proxy.c — sstpd/proxy.c: PROXY v2 (TCP4, TCP6, LOCAL,
 * UNSPEC, UNIX, TLVs) and v1, every prefix needing more, and each malformed
 * case.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sstpd/proxy.h"
#include "tests/unit/testutil.h"

Suite	*proxy_suite(void);

#define SIG	"0D0A0D0A000D0A515549540A"
#define A4	"C0000201" "C6336402" "C350" "01BB"	/* 192.0.2.1:50000 */
#define A6	"20010DB8000000000000000000000001" \
		"20010DB8000000000000000000000002" "0001" "FFFF"


static void
check_v4(const struct proxy_info *pi)
{
	const struct sockaddr_in *s = (const struct sockaddr_in *)&pi->src;
	const struct sockaddr_in *d = (const struct sockaddr_in *)&pi->dst;

	ck_assert_int_eq(pi->family, AF_INET);
	ck_assert(!pi->local);
	ck_assert_int_eq(s->sin_family, AF_INET);
	ck_assert_int_eq(d->sin_family, AF_INET);
	ck_assert_uint_eq(ntohl(s->sin_addr.s_addr), 0xc0000201);
	ck_assert_uint_eq(ntohl(d->sin_addr.s_addr), 0xc6336402);
	ck_assert_uint_eq(ntohs(s->sin_port), 50000);
	ck_assert_uint_eq(ntohs(d->sin_port), 443);
}

START_TEST(test_v2_tcp4)
{
	uint8_t			b[128];
	size_t			n, k;
	struct proxy_info	pi;

	n = tu_hex(SIG "21 11 000C" A4 "16 03 01", b, sizeof(b));
	ck_assert_int_eq(proxy_parse(b, n, &pi), PROXY_OK);
	ck_assert_int_eq(pi.version, 2);
	ck_assert_uint_eq(pi.len, 28);
	check_v4(&pi);
	/* Every strict prefix of the header needs more. */
	for (k = 0; k < 28; k++)
		ck_assert_int_eq(proxy_parse(b, k, &pi), PROXY_MORE);
}
END_TEST

START_TEST(test_v2_tcp6_tlvs)
{
	uint8_t			b[256];
	size_t			n;
	struct proxy_info	pi;
	const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&pi.src;
	const struct sockaddr_in6 *d = (const struct sockaddr_in6 *)&pi.dst;
	struct in6_addr		 want;

	/* Addresses, then a NOOP TLV with 3 bytes and an empty TLV. */
	n = tu_hex(SIG "21 21 002D" A6 "04 0003 616263 05 0000", b, sizeof(b));
	ck_assert_int_eq(proxy_parse(b, n, &pi), PROXY_OK);
	ck_assert_uint_eq(pi.len, 16 + 45);
	ck_assert_int_eq(pi.family, AF_INET6);
	ck_assert_int_eq(s->sin6_family, AF_INET6);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", &want), 1);
	ck_assert_mem_eq(&s->sin6_addr, &want, 16);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::2", &want), 1);
	ck_assert_mem_eq(&d->sin6_addr, &want, 16);
	ck_assert_uint_eq(ntohs(s->sin6_port), 1);
	ck_assert_uint_eq(ntohs(d->sin6_port), 65535);
}
END_TEST

START_TEST(test_v2_local_unspec_unix)
{
	uint8_t			b[512];
	size_t			n;
	struct proxy_info	pi;

	n = tu_hex(SIG "20 00 0000", b, sizeof(b));
	ck_assert_int_eq(proxy_parse(b, n, &pi), PROXY_OK);
	ck_assert(pi.local);
	ck_assert_uint_eq(pi.len, 16);
	ck_assert_int_eq(pi.family, AF_UNSPEC);
	/* LOCAL with an address block: skipped whole. */
	n = tu_hex(SIG "20 11 000C" A4, b, sizeof(b));
	ck_assert_int_eq(proxy_parse(b, n, &pi), PROXY_OK);
	ck_assert(pi.local);
	ck_assert_uint_eq(pi.len, 28);
	n = tu_hex(SIG "21 00 0000", b, sizeof(b));
	ck_assert_int_eq(proxy_parse(b, n, &pi), PROXY_OK);
	ck_assert(pi.local);
	/* AF_UNIX: 216 bytes of paths. */
	n = tu_hex(SIG "21 31 00D8", b, sizeof(b));
	memset(b + n, 0, 216);
	ck_assert_int_eq(proxy_parse(b, n + 216, &pi), PROXY_OK);
	ck_assert(pi.local);
	ck_assert_uint_eq(pi.len, 16 + 216);
	ck_assert_int_eq(proxy_parse(b, n + 215, &pi), PROXY_MORE);
}
END_TEST

START_TEST(test_v1)
{
	const char		*s4 = "PROXY TCP4 192.0.2.1 198.51.100.2 50000 "
				    "443\r\nGET";
	const char		*s6 = "PROXY TCP6 2001:db8::1 2001:db8::2 1 "
				    "65535\r\n";
	const char		*longest = "PROXY UNKNOWN "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
	struct proxy_info	 pi;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&pi.dst;
	size_t			 k;

	ck_assert_int_eq(proxy_parse((const uint8_t *)s4, strlen(s4), &pi),
	    PROXY_OK);
	ck_assert_int_eq(pi.version, 1);
	ck_assert_uint_eq(pi.len, strlen(s4) - 3);
	check_v4(&pi);
	for (k = 0; k < strlen(s4) - 3; k++)
		ck_assert_int_eq(proxy_parse((const uint8_t *)s4, k, &pi),
		    PROXY_MORE);

	ck_assert_int_eq(proxy_parse((const uint8_t *)s6, strlen(s6), &pi),
	    PROXY_OK);
	ck_assert_int_eq(pi.family, AF_INET6);
	ck_assert_uint_eq(ntohs(a6->sin6_port), 65535);

	ck_assert_int_eq(proxy_parse((const uint8_t *)"PROXY UNKNOWN\r\n", 15,
	    &pi), PROXY_OK);
	ck_assert(pi.local);
	ck_assert_uint_eq(pi.len, 15);
	ck_assert_uint_eq(strlen(longest), PROXY_V1_MAX_LINE);
	ck_assert_int_eq(proxy_parse((const uint8_t *)longest, strlen(longest),
	    &pi), PROXY_OK);
	ck_assert(pi.local);
	ck_assert_uint_eq(pi.len, PROXY_V1_MAX_LINE);
}
END_TEST

struct bad_case {
	const char	*name;
	const char	*data;	/* hex for v2, text for v1 */
	int		 v2;
	int		 err;
};

static const struct bad_case bad[] = {
	{ "TLS record", "16 03 01 02 00", 1, PROXY_E_SIG },
	{ "almost sig", "0D0A0D0A000D0A51554958", 1, PROXY_E_SIG },
	{ "version 1 nibble", SIG "11 11 000C" A4, 1, PROXY_E_VERSION },
	{ "version 3 nibble", SIG "31 11 000C" A4, 1, PROXY_E_VERSION },
	{ "command 2", SIG "22 11 000C" A4, 1, PROXY_E_CMD },
	{ "command 0xf", SIG "2F 11 000C" A4, 1, PROXY_E_CMD },
	{ "family 4", SIG "21 41 000C" A4, 1, PROXY_E_FAMILY },
	{ "udp4", SIG "21 12 000C" A4, 1, PROXY_E_TRANSPORT },
	{ "tcp4 transport 0", SIG "21 10 000C" A4, 1, PROXY_E_TRANSPORT },
	{ "tcp4 short", SIG "21 11 000B" "C0000201C6336402C35001", 1,
	    PROXY_E_ADDR_LEN },
	{ "tcp6 short", SIG "21 21 0023"
	    "20010DB800000000000000000000000120010DB8000000000000000000000002"
	    "0001FF", 1, PROXY_E_ADDR_LEN },
	{ "tlv header cut", SIG "21 11 000E" A4 "0400", 1, PROXY_E_TLV },
	{ "tlv past end", SIG "21 11 0010" A4 "04 0002 61", 1, PROXY_E_TLV },
	{ "tlv len 0xffff", SIG "21 11 000F" A4 "04 FFFF", 1, PROXY_E_TLV },
	{ "body too long", SIG "21 11 0801", 1, PROXY_E_TOO_LONG },
	{ "body 0xffff", SIG "21 11 FFFF", 1, PROXY_E_TOO_LONG },
	{ "v1 TCP5", "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", 0,
	    PROXY_E_V1_SYNTAX },
	{ "v1 missing port", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", 0,
	    PROXY_E_V1_SYNTAX },
	{ "v1 double space", "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", 0,
	    PROXY_E_V1_SYNTAX },
	{ "v1 empty", "PROXY \r\n", 0, PROXY_E_V1_SYNTAX },
	{ "v1 UNKNOWNX", "PROXY UNKNOWNX\r\n", 0, PROXY_E_V1_SYNTAX },
	{ "v1 bare LF", "PROXY UNKNOWN\n", 0, PROXY_E_V1_SYNTAX },
	{ "v1 short v4", "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", 0,
	    PROXY_E_V1_ADDR },
	{ "v1 v6 in TCP4", "PROXY TCP4 ::1 5.6.7.8 1 2\r\n", 0,
	    PROXY_E_V1_ADDR },
	{ "v1 v4 in TCP6", "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", 0,
	    PROXY_E_V1_ADDR },
	{ "v1 long addr", "PROXY TCP6 "
	    "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000 "
	    "::1 1 2\r\n", 0, PROXY_E_V1_ADDR },
	{ "v1 port 65536", "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n", 0,
	    PROXY_E_V1_PORT },
	{ "v1 port 01", "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", 0,
	    PROXY_E_V1_PORT },
	{ "v1 port -1", "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", 0,
	    PROXY_E_V1_PORT },
	{ "v1 extra field", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", 0,
	    PROXY_E_V1_PORT },
	{ "v1 no CRLF in 107",
	    "PROXY UNKNOWN 0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901234", 0,
	    PROXY_E_TOO_LONG },
	{ "v1 108-byte line",
	    "PROXY UNKNOWN 0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789012345678901\r\n", 0,
	    PROXY_E_TOO_LONG },
	{ "lowercase proxy", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n", 0,
	    PROXY_E_SIG },
};

START_TEST(test_bad)
{
	const struct bad_case	*c = &bad[_i];
	uint8_t			 b[256], *t;
	size_t			 n;
	struct proxy_info	 pi;
	int			 rc;

	if (c->v2)
		n = tu_hex(c->data, b, sizeof(b));
	else {
		n = strlen(c->data);
		memcpy(b, c->data, n);
	}
	/* Exact-size heap copy so ASan catches any overread. */
	ck_assert_ptr_nonnull(t = malloc(n));
	memcpy(t, b, n);
	rc = proxy_parse(t, n, &pi);
	free(t);
	ck_assert_msg(rc == c->err, "%s: got %d (%s), want %d", c->name, rc,
	    proxy_strerror(rc), c->err);
}
END_TEST

START_TEST(test_names)
{
	int	e, f;

	for (e = PROXY_MORE; e >= PROXY_E_V1_PORT; e--) {
		ck_assert_str_ne(proxy_strerror(e), "unknown");
		for (f = e - 1; f >= PROXY_E_V1_PORT; f--)
			ck_assert_str_ne(proxy_strerror(e), proxy_strerror(f));
	}
	ck_assert_str_eq(proxy_strerror(PROXY_E_V1_PORT - 1), "unknown");
	ck_assert_str_eq(proxy_strerror(2), "unknown");
}
END_TEST

Suite *
proxy_suite(void)
{
	Suite	*s = suite_create("proxy");
	TCase	*tc;

	tc = tcase_create("proxy");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_v2_tcp4);
	tcase_add_test(tc, test_v2_tcp6_tlvs);
	tcase_add_test(tc, test_v2_local_unspec_unix);
	tcase_add_test(tc, test_v1);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return (s);
}
