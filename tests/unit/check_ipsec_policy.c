/*
 * tests/unit/check_ipsec_policy.c — XFRM policy generation and rendering.
 *
 * The expected strings were also installed with `ip xfrm policy add` in a
 * throw-away network namespace (iproute2 6.1) when this test was written.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <string.h>

#include "policy/ipsec_policy.h"

#define IP(a, b, c, d)	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			    ((uint32_t)(c) << 8) | (uint32_t)(d))

/* The full generated set for the default input, require on / off. */
static const char *const set_v4_any[2][6] = {
	{
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 500 dir in "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 500 dir out "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 4500 dir in "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 4500 dir out "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 1701 dir out "
	    "priority 2000 tmpl proto esp mode transport level required",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 1701 dir in "
	    "priority 2000 tmpl proto esp mode transport level required",
	}, {
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 500 dir in "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 500 dir out "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 4500 dir in "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 4500 dir out "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 1701 dir out "
	    "priority 2000 tmpl proto esp mode transport level use",
	"src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 1701 dir in "
	    "priority 2000 tmpl proto esp mode transport level use",
	}
};

static void
check_strings(const struct pol_xfrm_policy *p, size_t n,
    const char *const *want)
{
	char	buf[POL_XFRM_FORMAT_MAX];
	size_t	i;

	for (i = 0; i < n; i++) {
		ck_assert_int_eq(pol_xfrm_format_ip(&p[i], buf, sizeof(buf)),
		    POL_IPSEC_OK);
		ck_assert_str_eq(buf, want[i]);
	}
}

/* Loop: _i = 0 require_ipsec on, 1 off. */
START_TEST(test_default_set)
{
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	p[POL_IPSEC_MAX_POLICIES];
	size_t			n = 99, i;

	pol_ipsec_input_init(&in);
	ck_assert(in.require_ipsec);
	ck_assert_uint_eq(in.l2tp_port, 1701);
	ck_assert_uint_eq(in.ike_port, 500);
	ck_assert_uint_eq(in.natt_port, 4500);
	in.require_ipsec = _i == 0;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_OK);
	ck_assert_uint_eq(n, 6);
	check_strings(p, n, set_v4_any[_i]);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(p[i].family, AF_INET);
		ck_assert_uint_eq(p[i].proto, IPPROTO_UDP);
		ck_assert_int_eq(p[i].action, POL_XFRM_ALLOW);
		ck_assert_uint_eq(p[i].src.plen, 0);
		ck_assert_uint_eq(p[i].dst.plen, 0);
	}
	/* Templates: ESP transport, level per require_ipsec, no reqid. */
	for (i = 4; i < 6; i++) {
		ck_assert(p[i].has_tmpl);
		ck_assert_uint_eq(p[i].tmpl.proto, IPPROTO_ESP);
		ck_assert_int_eq(p[i].tmpl.mode, POL_XFRM_MODE_TRANSPORT);
		ck_assert_int_eq(p[i].tmpl.level, _i == 0 ?
		    POL_XFRM_LEVEL_REQUIRED : POL_XFRM_LEVEL_USE);
		ck_assert_uint_eq(p[i].tmpl.reqid, 0);
	}
}
END_TEST

/* Bypasses are template-less and win over protection (lower value). */
START_TEST(test_priorities_and_selectors)
{
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	p[POL_IPSEC_MAX_POLICIES];
	size_t			n, i, j;

	ck_assert_uint_lt(POL_XFRM_PRIO_BYPASS, POL_XFRM_PRIO_PEER);
	ck_assert_uint_lt(POL_XFRM_PRIO_PEER, POL_XFRM_PRIO_PROTECT);
	pol_ipsec_input_init(&in);
	ck_assert_int_eq(pol_ipsec_policies(&in, p, 6, &n), POL_IPSEC_OK);
	for (i = 0; i < n; i++) {
		if (!p[i].has_tmpl)
			continue;
		for (j = 0; j < n; j++)
			if (!p[j].has_tmpl)
				ck_assert_uint_lt(p[j].priority,
				    p[i].priority);
	}
	/* Bypass in: IKE as destination; out: IKE as source. */
	ck_assert_int_eq(p[0].dir, POL_XFRM_DIR_IN);
	ck_assert_uint_eq(p[0].dport, 500);
	ck_assert_uint_eq(p[0].dport_mask, 0xffff);
	ck_assert_uint_eq(p[0].sport_mask, 0);
	ck_assert(!p[0].has_tmpl);
	ck_assert_int_eq(p[1].dir, POL_XFRM_DIR_OUT);
	ck_assert_uint_eq(p[1].sport, 500);
	ck_assert_uint_eq(p[1].sport_mask, 0xffff);
	ck_assert_uint_eq(p[1].dport_mask, 0);
	ck_assert_uint_eq(p[2].dport, 4500);
	ck_assert_uint_eq(p[3].sport, 4500);
	/* Protect out: sport 1701 any dport; in: dport 1701 any sport. */
	ck_assert_int_eq(p[4].dir, POL_XFRM_DIR_OUT);
	ck_assert_uint_eq(p[4].sport, 1701);
	ck_assert_uint_eq(p[4].sport_mask, 0xffff);
	ck_assert_uint_eq(p[4].dport_mask, 0);
	ck_assert_int_eq(p[5].dir, POL_XFRM_DIR_IN);
	ck_assert_uint_eq(p[5].dport, 1701);
	ck_assert_uint_eq(p[5].dport_mask, 0xffff);
	ck_assert_uint_eq(p[5].sport_mask, 0);
	ck_assert_uint_eq(p[5].priority, 2000);
	ck_assert_uint_eq(p[0].priority, 1000);
}
END_TEST

START_TEST(test_local_addresses_ipv6)
{
	static const char *const want[18] = {
	"src 0.0.0.0/0 dst 192.0.2.1/32 proto udp dport 500 dir in "
	    "priority 1000 action allow",
	"src 192.0.2.1/32 dst 0.0.0.0/0 proto udp sport 500 dir out "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 192.0.2.1/32 proto udp dport 4500 dir in "
	    "priority 1000 action allow",
	"src 192.0.2.1/32 dst 0.0.0.0/0 proto udp sport 4500 dir out "
	    "priority 1000 action allow",
	"src 192.0.2.1/32 dst 0.0.0.0/0 proto udp sport 1701 dir out "
	    "priority 2000 tmpl proto esp mode transport level required",
	"src 0.0.0.0/0 dst 192.0.2.1/32 proto udp dport 1701 dir in "
	    "priority 2000 tmpl proto esp mode transport level required",
	"src 0.0.0.0/0 dst 198.51.100.255/32 proto udp dport 500 dir in "
	    "priority 1000 action allow",
	"src 198.51.100.255/32 dst 0.0.0.0/0 proto udp sport 500 dir out "
	    "priority 1000 action allow",
	"src 0.0.0.0/0 dst 198.51.100.255/32 proto udp dport 4500 dir in "
	    "priority 1000 action allow",
	"src 198.51.100.255/32 dst 0.0.0.0/0 proto udp sport 4500 dir out "
	    "priority 1000 action allow",
	"src 198.51.100.255/32 dst 0.0.0.0/0 proto udp sport 1701 dir out "
	    "priority 2000 tmpl proto esp mode transport level required",
	"src 0.0.0.0/0 dst 198.51.100.255/32 proto udp dport 1701 dir in "
	    "priority 2000 tmpl proto esp mode transport level required",
	"src ::/0 dst ::/0 proto udp dport 500 dir in "
	    "priority 1000 action allow",
	"src ::/0 dst ::/0 proto udp sport 500 dir out "
	    "priority 1000 action allow",
	"src ::/0 dst ::/0 proto udp dport 4500 dir in "
	    "priority 1000 action allow",
	"src ::/0 dst ::/0 proto udp sport 4500 dir out "
	    "priority 1000 action allow",
	"src ::/0 dst ::/0 proto udp sport 1701 dir out "
	    "priority 2000 tmpl proto esp mode transport level required",
	"src ::/0 dst ::/0 proto udp dport 1701 dir in "
	    "priority 2000 tmpl proto esp mode transport level required",
	};
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	p[POL_IPSEC_MAX_POLICIES];
	size_t			n = 77;

	pol_ipsec_input_init(&in);
	in.local_v4[0] = IP(192, 0, 2, 1);
	in.local_v4[1] = IP(198, 51, 100, 255);
	in.nlocal_v4 = 2;
	in.ipv6 = true;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, 17, &n),
	    POL_IPSEC_NOSPACE);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(pol_ipsec_policies(&in, p, 18, &n), POL_IPSEC_OK);
	ck_assert_uint_eq(n, 18);
	check_strings(p, n, want);
	ck_assert_int_eq(p[17].family, AF_INET6);
	ck_assert_uint_eq(p[17].src.plen, 0);
	ck_assert_uint_eq(p[0].dst.bytes[0], 192);
	ck_assert_uint_eq(p[0].dst.bytes[3], 1);
}
END_TEST

START_TEST(test_max_local)
{
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	p[POL_IPSEC_MAX_POLICIES + 1];
	size_t			n, i;

	pol_ipsec_input_init(&in);
	for (i = 0; i < POL_IPSEC_MAX_LOCAL; i++)
		in.local_v4[i] = IP(10, 0, 0, 1) + (uint32_t)i;
	in.nlocal_v4 = POL_IPSEC_MAX_LOCAL;
	in.ipv6 = true;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_OK);
	ck_assert_uint_eq(n, POL_IPSEC_MAX_POLICIES);
	in.nlocal_v4 = POL_IPSEC_MAX_LOCAL + 1;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES + 1,
	    &n), POL_IPSEC_BADLOCAL);
	in.nlocal_v4 = 1;
	in.local_v4[0] = 0;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADLOCAL);
	ck_assert_uint_eq(n, 0);
	in.nlocal_v4 = 0;
	ck_assert_int_eq(pol_ipsec_policies(&in, NULL, 0, &n),
	    POL_IPSEC_NOSPACE);
}
END_TEST

START_TEST(test_ports)
{
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	p[POL_IPSEC_MAX_POLICIES];
	char			buf[POL_XFRM_FORMAT_MAX];
	size_t			n;

	pol_ipsec_input_init(&in);
	in.l2tp_port = 11701;
	in.ike_port = 5500;
	in.natt_port = 14500;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_OK);
	ck_assert_int_eq(pol_xfrm_format_ip(&p[5], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 0.0.0.0/0 dst 0.0.0.0/0 proto udp "
	    "dport 11701 dir in priority 2000 tmpl proto esp mode transport "
	    "level required");
	ck_assert_uint_eq(p[0].dport, 5500);
	ck_assert_uint_eq(p[3].sport, 14500);
	in.l2tp_port = 0;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADPORT);
	pol_ipsec_input_init(&in);
	in.l2tp_port = 500;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADPORT);
	in.l2tp_port = 4500;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADPORT);
	pol_ipsec_input_init(&in);
	in.natt_port = 500;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADPORT);
	in.natt_port = 0;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADPORT);
	pol_ipsec_input_init(&in);
	in.ike_port = 0;
	ck_assert_int_eq(pol_ipsec_policies(&in, p, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_BADPORT);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_peer_v4)
{
	struct pol_ipsec_peer	pp;
	struct pol_xfrm_policy	p[2];
	char			buf[POL_XFRM_FORMAT_MAX];

	memset(&pp, 0, sizeof(pp));
	pp.family = AF_INET;
	inet_pton(AF_INET, "203.0.113.1", pp.local);
	inet_pton(AF_INET, "198.51.100.7", pp.peer);
	pp.peer_port = 1701;
	pp.reqid = 42;
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_OK);
	ck_assert_int_eq(pol_xfrm_format_ip(&p[0], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 203.0.113.1/32 dst 198.51.100.7/32 "
	    "proto udp sport 1701 dport 1701 dir out priority 1500 "
	    "tmpl proto esp reqid 42 mode transport level required");
	ck_assert_int_eq(pol_xfrm_format_ip(&p[1], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 198.51.100.7/32 dst 203.0.113.1/32 "
	    "proto udp sport 1701 dport 1701 dir in priority 1500 "
	    "tmpl proto esp reqid 42 mode transport level required");
	ck_assert_uint_eq(p[0].priority, POL_XFRM_PRIO_PEER);
	ck_assert_uint_eq(p[1].tmpl.reqid, 42);

	/* A client with another L2TP source port; server on 11701. */
	pp.peer_port = 50123;
	pp.l2tp_port = 11701;
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_OK);
	ck_assert_int_eq(pol_xfrm_format_ip(&p[1], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 198.51.100.7/32 dst 203.0.113.1/32 "
	    "proto udp sport 50123 dport 11701 dir in priority 1500 "
	    "tmpl proto esp reqid 42 mode transport level required");

	/* Port 0 = any peer port; reqid 0 = any SA (not printed). */
	pp.peer_port = 0;
	pp.l2tp_port = 0;
	pp.reqid = 0;
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_OK);
	ck_assert_int_eq(pol_xfrm_format_ip(&p[0], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 203.0.113.1/32 dst 198.51.100.7/32 "
	    "proto udp sport 1701 dir out priority 1500 "
	    "tmpl proto esp mode transport level required");
	ck_assert_int_eq(pol_xfrm_format_ip(&p[1], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 198.51.100.7/32 dst 203.0.113.1/32 "
	    "proto udp dport 1701 dir in priority 1500 "
	    "tmpl proto esp mode transport level required");
}
END_TEST

START_TEST(test_peer_v6_and_errors)
{
	struct pol_ipsec_peer	pp;
	struct pol_xfrm_policy	p[2];
	char			buf[POL_XFRM_FORMAT_MAX];

	memset(&pp, 0, sizeof(pp));
	pp.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", pp.local);
	inet_pton(AF_INET6, "2001:db8:ffff::abcd", pp.peer);
	pp.peer_port = 1701;
	pp.reqid = 4294967295u;
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_OK);
	ck_assert_int_eq(pol_xfrm_format_ip(&p[0], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 2001:db8::1/128 dst 2001:db8:ffff::abcd/128 "
	    "proto udp sport 1701 dport 1701 dir out priority 1500 "
	    "tmpl proto esp reqid 4294967295 mode transport level required");

	memset(pp.peer, 0, sizeof(pp.peer));
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_BADADDR);
	inet_pton(AF_INET6, "2001:db8::2", pp.peer);
	memset(pp.local, 0, sizeof(pp.local));
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_BADADDR);
	pp.family = AF_INET;
	inet_pton(AF_INET, "0.0.0.0", pp.local);
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_BADADDR);
	pp.family = AF_UNSPEC;
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, p), POL_IPSEC_BADADDR);
}
END_TEST

START_TEST(test_format_other)
{
	struct pol_xfrm_policy	p;
	char			buf[POL_XFRM_FORMAT_MAX];

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.dir = POL_XFRM_DIR_FWD;
	p.action = POL_XFRM_BLOCK;
	p.priority = 7;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 0.0.0.0/0 dst 0.0.0.0/0 dir fwd "
	    "priority 7 action block");
	p.proto = IPPROTO_TCP;
	p.sport = 22;
	p.sport_mask = 0xffff;
	p.src.bytes[0] = 10;
	p.src.plen = 8;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 10.0.0.0/8 dst 0.0.0.0/0 proto tcp "
	    "sport 22 dir fwd priority 7 action block");
	p.proto = 47;
	p.sport_mask = 0;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_str_eq(buf, "src 10.0.0.0/8 dst 0.0.0.0/0 proto 47 "
	    "dir fwd priority 7 action block");
}
END_TEST

START_TEST(test_format_rejects)
{
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	set[6], p;
	char			buf[POL_XFRM_FORMAT_MAX];
	size_t			n, len;

	pol_ipsec_input_init(&in);
	ck_assert_int_eq(pol_ipsec_policies(&in, set, 6, &n), POL_IPSEC_OK);

	p = set[4];
	p.sport_mask = 0xff00;		/* ip(8) has no port masks */
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	ck_assert_str_eq(buf, "");
	p = set[4];
	p.proto = 47;			/* ports need tcp/udp */
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p = set[4];
	p.action = POL_XFRM_BLOCK;	/* block with a template */
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p = set[4];
	p.src.plen = 33;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p.family = AF_INET6;		/* 33 is fine for IPv6 */
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_OK);
	p.dst.plen = 129;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p = set[4];
	p.family = AF_UNSPEC;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p = set[4];
	p.dir = (enum pol_xfrm_dir)3;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p = set[4];
	p.tmpl.proto = IPPROTO_UDP;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);
	p = set[4];
	p.tmpl.level = (enum pol_xfrm_level)2;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_BADPOLICY);

	/* Truncation: exact fit works, one byte less fails cleanly. */
	ck_assert_int_eq(pol_xfrm_format_ip(&set[4], buf, sizeof(buf)),
	    POL_IPSEC_OK);
	len = strlen(buf);
	ck_assert_int_eq(pol_xfrm_format_ip(&set[4], buf, len + 1),
	    POL_IPSEC_OK);
	ck_assert_uint_eq(strlen(buf), len);
	ck_assert_int_eq(pol_xfrm_format_ip(&set[4], buf, len),
	    POL_IPSEC_NOSPACE);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(pol_xfrm_format_ip(&set[4], buf, 1),
	    POL_IPSEC_NOSPACE);
	ck_assert_int_eq(pol_xfrm_format_ip(&set[4], NULL, 0),
	    POL_IPSEC_NOSPACE);
}
END_TEST

/* The longest policy fits POL_XFRM_FORMAT_MAX. */
START_TEST(test_format_max)
{
	struct pol_xfrm_policy	p;
	char			buf[POL_XFRM_FORMAT_MAX];

	memset(&p, 0, sizeof(p));
	p.family = AF_INET6;
	memset(p.src.bytes, 0xff, 16);
	memset(p.dst.bytes, 0xee, 16);
	p.src.plen = p.dst.plen = 128;
	p.proto = IPPROTO_UDP;
	p.sport = p.dport = 65535;
	p.sport_mask = p.dport_mask = 0xffff;
	p.dir = POL_XFRM_DIR_FWD;
	p.priority = UINT32_MAX;
	p.has_tmpl = true;
	p.tmpl.proto = IPPROTO_ESP;
	p.tmpl.reqid = UINT32_MAX;
	ck_assert_int_eq(pol_xfrm_format_ip(&p, buf, sizeof(buf)),
	    POL_IPSEC_OK);
	ck_assert_uint_lt(strlen(buf), POL_XFRM_FORMAT_MAX);
}
END_TEST

START_TEST(test_names)
{
	int	i, j;

	ck_assert_str_eq(pol_xfrm_dir_name(POL_XFRM_DIR_IN), "in");
	ck_assert_str_eq(pol_xfrm_dir_name(POL_XFRM_DIR_OUT), "out");
	ck_assert_str_eq(pol_xfrm_dir_name(POL_XFRM_DIR_FWD), "fwd");
	ck_assert_ptr_null(pol_xfrm_dir_name((enum pol_xfrm_dir)9));
	for (i = POL_IPSEC_OK; i <= POL_IPSEC_BADPOLICY; i++)
		for (j = POL_IPSEC_OK; j < i; j++)
			ck_assert_str_ne(pol_ipsec_strerror(i),
			    pol_ipsec_strerror(j));
	ck_assert_ptr_nonnull(pol_ipsec_strerror((enum pol_ipsec_result)99));
}
END_TEST

Suite	*ipsec_policy_suite(void);

Suite *
ipsec_policy_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("ipsec_policy");
	tc = tcase_create("ipsec_policy");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_default_set, 0, 2);
	tcase_add_test(tc, test_priorities_and_selectors);
	tcase_add_test(tc, test_local_addresses_ipv6);
	tcase_add_test(tc, test_max_local);
	tcase_add_test(tc, test_ports);
	tcase_add_test(tc, test_peer_v4);
	tcase_add_test(tc, test_peer_v6_and_errors);
	tcase_add_test(tc, test_format_other);
	tcase_add_test(tc, test_format_rejects);
	tcase_add_test(tc, test_format_max);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return (s);
}
