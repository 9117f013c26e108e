/*
 * tests/unit/check_l2tp_kernel.c — l2tpd/kernel_nl.c: the generic netlink
 * requests of the "l2tp" family byte by byte and attribute by attribute,
 * every buffer size below the needed one, the replies the kernel sends
 * (family lookup, tunnel and session dumps) and every malformed variant,
 * and the PPPoL2TP socket addresses.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_pppox.h>
#include <linux/l2tp.h>

#include "l2tpd/kernel.h"

Suite	*l2tp_kernel_suite(void);

#define FAM	0x1c	/* a plausible resolved family id */

static uint8_t	buf[KL2TP_NL_BUF];

/* ---- helpers ------------------------------------------------------------ */

struct seen {
	size_t			n;
	const struct nlattr	*a[16];
};

/* All top-level attributes of a built message, in order. */
static void
attrs(const struct nlmsghdr *nlh, struct seen *s)
{
	const struct nlattr *a;

	memset(s, 0, sizeof(*s));
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		ck_assert_uint_lt(s->n, 16);
		s->a[s->n++] = a;
	}
	/* they fill the message exactly */
	if (s->n > 0)
		ck_assert_ptr_eq((const char *)s->a[s->n - 1] +
		    MNL_ALIGN(s->a[s->n - 1]->nla_len),
		    (const char *)nlh + nlh->nlmsg_len);
}

static void
check_hdr(const struct nlmsghdr *nlh, size_t len, uint16_t type,
    uint16_t flags, uint32_t seq, uint8_t cmd, uint8_t version)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	ck_assert_uint_eq(nlh->nlmsg_len, len);
	ck_assert_uint_eq(nlh->nlmsg_type, type);
	ck_assert_uint_eq(nlh->nlmsg_flags, flags);
	ck_assert_uint_eq(nlh->nlmsg_seq, seq);
	ck_assert_uint_eq(nlh->nlmsg_pid, 0);
	ck_assert_uint_eq(g->cmd, cmd);
	ck_assert_uint_eq(g->version, version);
	ck_assert_uint_eq(g->reserved, 0);
}

static void
check_u32(const struct nlattr *a, uint16_t type, uint32_t v)
{
	ck_assert_uint_eq(mnl_attr_get_type(a), type);
	ck_assert_uint_eq(mnl_attr_get_payload_len(a), 4);
	ck_assert_uint_eq(mnl_attr_get_u32(a), v);
}

/* A reply as the kernel sends it: headers for family/cmd into buf. */
static struct nlmsghdr *
reply(uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 7;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void
put_stats(struct nlmsghdr *nlh, uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, L2TP_ATTR_STATS);
	uint16_t t;

	/* the kernel aligns u64s with L2TP_ATTR_STATS_PAD attributes */
	mnl_attr_put(nlh, L2TP_ATTR_STATS_PAD, 0, NULL);
	for (t = L2TP_ATTR_TX_PACKETS; t <= L2TP_ATTR_RX_ERRORS; t++)
		mnl_attr_put_u64(nlh, t, base + t);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_INVALID, 999);
	mnl_attr_nest_end(nlh, nest);
}

/* What l2tp_nl_tunnel_send() of Linux 6.1 emits for a UDP/IPv4 tunnel. */
static struct nlmsghdr *
tunnel_reply(uint16_t skip)
{
	struct nlmsghdr *nlh = reply(FAM, L2TP_CMD_TUNNEL_GET);

	if (skip != L2TP_ATTR_CONN_ID)
		mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4242);
	if (skip != L2TP_ATTR_PEER_CONN_ID)
		mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 17);
	if (skip != L2TP_ATTR_PROTO_VERSION)
		mnl_attr_put_u8(nlh, L2TP_ATTR_PROTO_VERSION, 2);
	mnl_attr_put_u32(nlh, L2TP_ATTR_DEBUG, 0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_ENCAP_TYPE, L2TP_ENCAPTYPE_UDP);
	put_stats(nlh, 100);
	mnl_attr_put_u8(nlh, L2TP_ATTR_UDP_CSUM, 1);
	mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_SPORT, 1701);
	mnl_attr_put_u16(nlh, L2TP_ATTR_UDP_DPORT, 40000);
	mnl_attr_put(nlh, L2TP_ATTR_IP_SADDR, 4, "\xc0\x00\x02\x01");
	mnl_attr_put(nlh, L2TP_ATTR_IP_DADDR, 4, "\xcb\x00\x71\x05");
	return nlh;
}

static struct nlmsghdr *
session_reply(uint16_t skip)
{
	struct nlmsghdr *nlh = reply(FAM, L2TP_CMD_SESSION_GET);

	if (skip != L2TP_ATTR_CONN_ID)
		mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 4242);
	if (skip != L2TP_ATTR_SESSION_ID)
		mnl_attr_put_u32(nlh, L2TP_ATTR_SESSION_ID, 9);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 17);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_SESSION_ID, 3);
	mnl_attr_put_u32(nlh, L2TP_ATTR_DEBUG, 0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_PW_TYPE, L2TP_PWTYPE_PPP);
	mnl_attr_put_u8(nlh, L2TP_ATTR_RECV_SEQ, 0);
	mnl_attr_put_u8(nlh, L2TP_ATTR_SEND_SEQ, 1);
	mnl_attr_put_u8(nlh, L2TP_ATTR_LNS_MODE, 1);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RECV_TIMEOUT, 0);
	put_stats(nlh, 500);
	return nlh;
}

static void
req4(struct kl2tp_session_req *r)
{
	memset(r, 0, sizeof(*r));
	r->tunnel_id = 4242;
	r->session_id = 9;
	r->peer_tunnel_id = 17;
	r->peer_session_id = 3;
	r->peer.family = 4;
	memcpy(r->peer.addr, "\xcb\x00\x71\x05", 4);
	r->peer.port = 1701;
	r->lns_mode = 1;
}

/* ---- requests ----------------------------------------------------------- */

START_TEST(test_getfamily)
{
	/* 16 netlink + 4 genetlink + attr(4 + "l2tp\0" padded to 8) */
	static const uint8_t want[32] = {
		32, 0, 0, 0, GENL_ID_CTRL, 0, NLM_F_REQUEST | NLM_F_ACK, 0,
		0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0,
		CTRL_CMD_GETFAMILY, 1, 0, 0,
		9, 0, CTRL_ATTR_FAMILY_NAME, 0, 'l', '2', 't', 'p', 0, 0, 0, 0,
	};
	size_t n, cap;

	memset(buf, 0xee, sizeof(buf));
	n = kl2tp_nl_getfamily(buf, sizeof(buf), 0x12345678);
	ck_assert_uint_eq(n, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(kl2tp_nl_getfamily(buf, cap, 1), 0);
}
END_TEST

START_TEST(test_tunnel_create)
{
	struct kl2tp_tunnel_req r = { 4242, 17 };
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct seen s;
	size_t n, cap;

	n = kl2tp_nl_tunnel_create(buf, sizeof(buf), FAM, 99, &r, 7);
	/* 20 header bytes + 3 u32 attrs (8) + u8 (8) + u16 (8) */
	ck_assert_uint_eq(n, 20 + 5 * 8);
	check_hdr(nlh, n, FAM, NLM_F_REQUEST | NLM_F_ACK, 99,
	    L2TP_CMD_TUNNEL_CREATE, 1);
	attrs(nlh, &s);
	ck_assert_uint_eq(s.n, 5);
	check_u32(s.a[0], L2TP_ATTR_CONN_ID, 4242);
	check_u32(s.a[1], L2TP_ATTR_PEER_CONN_ID, 17);
	ck_assert_uint_eq(mnl_attr_get_type(s.a[2]), L2TP_ATTR_PROTO_VERSION);
	ck_assert_uint_eq(mnl_attr_get_payload_len(s.a[2]), 1);
	ck_assert_uint_eq(mnl_attr_get_u8(s.a[2]), 2);
	ck_assert_uint_eq(mnl_attr_get_type(s.a[3]), L2TP_ATTR_ENCAP_TYPE);
	ck_assert_uint_eq(mnl_attr_get_payload_len(s.a[3]), 2);
	ck_assert_uint_eq(mnl_attr_get_u16(s.a[3]), L2TP_ENCAPTYPE_UDP);
	check_u32(s.a[4], L2TP_ATTR_FD, 7);

	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, cap, FAM, 1, &r,
		    7), 0);
	ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, n, FAM, 1, &r, 7), n);
	/* boundaries of the ids and the descriptor */
	r.tunnel_id = 65535;
	r.peer_tunnel_id = 1;
	ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, sizeof(buf), FAM, 1,
	    &r, 0), n);
	attrs(nlh, &s);
	check_u32(s.a[0], L2TP_ATTR_CONN_ID, 65535);
	check_u32(s.a[4], L2TP_ATTR_FD, 0);
	ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, sizeof(buf), FAM, 1,
	    &r, -1), 0);
	ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, sizeof(buf), 0, 1,
	    &r, 3), 0);
	r.tunnel_id = 0;
	ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, sizeof(buf), FAM, 1,
	    &r, 3), 0);
	r.tunnel_id = 1;
	r.peer_tunnel_id = 0;
	ck_assert_uint_eq(kl2tp_nl_tunnel_create(buf, sizeof(buf), FAM, 1,
	    &r, 3), 0);
}
END_TEST

START_TEST(test_deletes)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct seen s;
	size_t n, cap;

	n = kl2tp_nl_tunnel_delete(buf, sizeof(buf), FAM, 5, 4242);
	ck_assert_uint_eq(n, 28);
	check_hdr(nlh, n, FAM, NLM_F_REQUEST | NLM_F_ACK, 5,
	    L2TP_CMD_TUNNEL_DELETE, 1);
	attrs(nlh, &s);
	ck_assert_uint_eq(s.n, 1);
	check_u32(s.a[0], L2TP_ATTR_CONN_ID, 4242);
	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(kl2tp_nl_tunnel_delete(buf, cap, FAM, 5,
		    4242), 0);
	ck_assert_uint_eq(kl2tp_nl_tunnel_delete(buf, sizeof(buf), FAM, 5, 0),
	    0);
	ck_assert_uint_eq(kl2tp_nl_tunnel_delete(buf, sizeof(buf), 0, 5, 1),
	    0);

	n = kl2tp_nl_session_delete(buf, sizeof(buf), FAM, 6, 4242, 65535);
	ck_assert_uint_eq(n, 36);
	check_hdr(nlh, n, FAM, NLM_F_REQUEST | NLM_F_ACK, 6,
	    L2TP_CMD_SESSION_DELETE, 1);
	attrs(nlh, &s);
	ck_assert_uint_eq(s.n, 2);
	check_u32(s.a[0], L2TP_ATTR_CONN_ID, 4242);
	check_u32(s.a[1], L2TP_ATTR_SESSION_ID, 65535);
	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(kl2tp_nl_session_delete(buf, cap, FAM, 6,
		    4242, 1), 0);
	ck_assert_uint_eq(kl2tp_nl_session_delete(buf, sizeof(buf), FAM, 6,
	    0, 1), 0);
	ck_assert_uint_eq(kl2tp_nl_session_delete(buf, sizeof(buf), FAM, 6,
	    1, 0), 0);
	ck_assert_uint_eq(kl2tp_nl_session_delete(buf, sizeof(buf), 0, 6,
	    1, 1), 0);
}
END_TEST

START_TEST(test_dump)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t n, cap;

	n = kl2tp_nl_dump(buf, sizeof(buf), FAM, 3, L2TP_CMD_TUNNEL_GET);
	ck_assert_uint_eq(n, 20);
	check_hdr(nlh, n, FAM, NLM_F_REQUEST | NLM_F_DUMP, 3,
	    L2TP_CMD_TUNNEL_GET, 1);
	n = kl2tp_nl_dump(buf, sizeof(buf), FAM, 4, L2TP_CMD_SESSION_GET);
	ck_assert_uint_eq(n, 20);
	check_hdr(nlh, n, FAM, NLM_F_REQUEST | NLM_F_DUMP, 4,
	    L2TP_CMD_SESSION_GET, 1);
	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(kl2tp_nl_dump(buf, cap, FAM, 4,
		    L2TP_CMD_SESSION_GET), 0);
	ck_assert_uint_eq(kl2tp_nl_dump(buf, sizeof(buf), FAM, 4,
	    L2TP_CMD_TUNNEL_CREATE), 0);
	ck_assert_uint_eq(kl2tp_nl_dump(buf, sizeof(buf), FAM, 4,
	    L2TP_CMD_SESSION_DELETE), 0);
	ck_assert_uint_eq(kl2tp_nl_dump(buf, sizeof(buf), 0, 4,
	    L2TP_CMD_TUNNEL_GET), 0);
}
END_TEST

/* ---- replies ------------------------------------------------------------ */

static struct nlmsghdr *
family_reply(bool with_id, bool wide_id)
{
	struct nlmsghdr *nlh = reply(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "l2tp");
	if (with_id && wide_id)
		mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, FAM);
	else if (with_id)
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAM);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, L2TP_ATTR_MAX);
	return nlh;
}

START_TEST(test_parse_family)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint16_t id;
	size_t len, n;

	nlh = family_reply(true, false);
	len = nlh->nlmsg_len;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), 0);
	ck_assert_uint_eq(id, FAM);
	/* a longer buffer (the next message follows) is fine */
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len + 64, &id), 0);
	/* the message claims more than the buffer holds */
	for (n = 0; n < len; n++) {
		id = 1;
		ck_assert_int_eq(kl2tp_nl_parse_family(buf, n, &id), -EBADMSG);
		ck_assert_uint_eq(id, 0);
	}
	ck_assert_int_eq(kl2tp_nl_parse_family(NULL, 0, &id), -EBADMSG);
	/* the last attribute cut: nlmsg_len shortened by 4 */
	nlh->nlmsg_len -= 4;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), -EBADMSG);
	/* an attribute whose length runs past the message */
	nlh = family_reply(true, false);
	((struct nlattr *)mnl_nlmsg_get_payload_offset(nlh,
	    GENL_HDRLEN))->nla_len = 200;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), -EBADMSG);
	/* an attribute length below its own header */
	nlh = family_reply(true, false);
	((struct nlattr *)mnl_nlmsg_get_payload_offset(nlh,
	    GENL_HDRLEN))->nla_len = 3;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), -EBADMSG);
	/* no id, an id of the wrong size, an id of 0 */
	nlh = family_reply(false, false);
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, nlh->nlmsg_len, &id),
	    -EBADMSG);
	nlh = family_reply(true, true);
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, nlh->nlmsg_len, &id),
	    -EBADMSG);
	nlh = reply(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0);
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, nlh->nlmsg_len, &id),
	    -EBADMSG);
	/* wrong message type, wrong command, no genetlink header */
	nlh = family_reply(true, false);
	nlh->nlmsg_type = FAM;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), -EBADMSG);
	nlh = family_reply(true, false);
	g = mnl_nlmsg_get_payload(nlh);
	g->cmd = CTRL_CMD_GETFAMILY;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), -EBADMSG);
	nlh = family_reply(true, false);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len, &id), -EBADMSG);
	/* trailing bytes too short for an attribute */
	nlh = family_reply(true, false);
	nlh->nlmsg_len += 2;
	ck_assert_int_eq(kl2tp_nl_parse_family(buf, len + 2, &id), -EBADMSG);
}
END_TEST

static void
check_stats(const struct kl2tp_stats *s, uint64_t base)
{
	ck_assert_uint_eq(s->tx_packets, base + L2TP_ATTR_TX_PACKETS);
	ck_assert_uint_eq(s->tx_bytes, base + L2TP_ATTR_TX_BYTES);
	ck_assert_uint_eq(s->tx_errors, base + L2TP_ATTR_TX_ERRORS);
	ck_assert_uint_eq(s->rx_packets, base + L2TP_ATTR_RX_PACKETS);
	ck_assert_uint_eq(s->rx_bytes, base + L2TP_ATTR_RX_BYTES);
	ck_assert_uint_eq(s->rx_seq_discards, base +
	    L2TP_ATTR_RX_SEQ_DISCARDS);
	ck_assert_uint_eq(s->rx_oos_packets, base + L2TP_ATTR_RX_OOS_PACKETS);
	ck_assert_uint_eq(s->rx_errors, base + L2TP_ATTR_RX_ERRORS);
}

START_TEST(test_parse_tunnel)
{
	struct kl2tp_tunnel_info t;
	struct nlmsghdr *nlh;

	nlh = tunnel_reply(0);
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM, &t),
	    0);
	ck_assert_uint_eq(t.tunnel_id, 4242);
	ck_assert_uint_eq(t.peer_tunnel_id, 17);
	ck_assert_uint_eq(t.proto_version, 2);
	ck_assert_uint_eq(t.encap, L2TP_ENCAPTYPE_UDP);
	ck_assert_uint_eq(t.local.family, 4);
	ck_assert_mem_eq(t.local.addr, "\xc0\x00\x02\x01\0\0\0\0\0\0\0\0\0\0\0",
	    16);
	ck_assert_uint_eq(t.local.port, 1701);
	ck_assert_uint_eq(t.peer.family, 4);
	ck_assert_mem_eq(t.peer.addr, "\xcb\x00\x71\x05", 4);
	ck_assert_uint_eq(t.peer.port, 40000);
	check_stats(&t.stats, 100);

	/* IPv6 addresses */
	nlh = reply(FAM, L2TP_CMD_TUNNEL_GET);
	mnl_attr_put_u32(nlh, L2TP_ATTR_CONN_ID, 1);
	mnl_attr_put_u32(nlh, L2TP_ATTR_PEER_CONN_ID, 65535);
	mnl_attr_put_u8(nlh, L2TP_ATTR_PROTO_VERSION, 3);
	mnl_attr_put(nlh, L2TP_ATTR_IP6_SADDR, 16,
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01");
	mnl_attr_put(nlh, L2TP_ATTR_IP6_DADDR, 16,
	    "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02");
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM, &t),
	    0);
	ck_assert_uint_eq(t.proto_version, 3);
	ck_assert_uint_eq(t.peer_tunnel_id, 65535);
	ck_assert_uint_eq(t.local.family, 6);
	ck_assert_uint_eq(t.local.addr[15], 1);
	ck_assert_uint_eq(t.peer.family, 6);
	ck_assert_uint_eq(t.peer.addr[15], 2);
	ck_assert_uint_eq(t.local.port, 0);
	ck_assert_uint_eq(t.stats.rx_packets, 0);
}
END_TEST

/* Each required attribute missing; each typed one of the wrong size. */
START_TEST(test_parse_tunnel_bad)
{
	static const uint16_t required[] = { L2TP_ATTR_CONN_ID,
	    L2TP_ATTR_PEER_CONN_ID, L2TP_ATTR_PROTO_VERSION };
	static const struct { uint16_t type; size_t len; } wrong[] = {
		{ L2TP_ATTR_CONN_ID, 2 }, { L2TP_ATTR_PEER_CONN_ID, 8 },
		{ L2TP_ATTR_PROTO_VERSION, 4 }, { L2TP_ATTR_ENCAP_TYPE, 1 },
		{ L2TP_ATTR_UDP_SPORT, 4 }, { L2TP_ATTR_UDP_DPORT, 0 },
		{ L2TP_ATTR_IP_SADDR, 16 }, { L2TP_ATTR_IP_DADDR, 3 },
		{ L2TP_ATTR_IP6_SADDR, 4 }, { L2TP_ATTR_IP6_DADDR, 15 },
		{ L2TP_ATTR_STATS, 2 },
	};
	static const uint8_t zeros[16];
	struct kl2tp_tunnel_info t;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *nest;
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		nlh = tunnel_reply(required[i]);
		ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len,
		    FAM, &t), -EBADMSG);
		ck_assert_uint_eq(t.tunnel_id, 0);
	}
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		nlh = tunnel_reply(0);
		/* a later duplicate of the wrong size */
		mnl_attr_put(nlh, wrong[i].type, wrong[i].len, zeros);
		ck_assert_msg(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM,
		    &t) == -EBADMSG, "attr %u len %zu accepted",
		    wrong[i].type, wrong[i].len);
	}
	/* a stats attribute inside the nest of the wrong size */
	nlh = tunnel_reply(0);
	nest = mnl_attr_nest_start(nlh, L2TP_ATTR_STATS);
	mnl_attr_put_u32(nlh, L2TP_ATTR_RX_BYTES, 1);
	mnl_attr_nest_end(nlh, nest);
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM, &t),
	    -EBADMSG);
	/* a nest whose inner attribute runs past the nest */
	nlh = tunnel_reply(0);
	nest = mnl_attr_nest_start(nlh, L2TP_ATTR_STATS);
	mnl_attr_put_u64(nlh, L2TP_ATTR_RX_BYTES, 1);
	mnl_attr_nest_end(nlh, nest);
	nest->nla_len -= 4;
	nlh->nlmsg_len -= 4;
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM, &t),
	    -EBADMSG);
	/* wrong family, wrong command, family 0 */
	nlh = tunnel_reply(0);
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM + 1,
	    &t), -EBADMSG);
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, 0, &t),
	    -EBADMSG);
	g = mnl_nlmsg_get_payload(nlh);
	g->cmd = L2TP_CMD_SESSION_GET;
	ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, nlh->nlmsg_len, FAM, &t),
	    -EBADMSG);
	/* cut anywhere inside */
	nlh = tunnel_reply(0);
	for (i = 0; i < nlh->nlmsg_len; i++)
		ck_assert_int_eq(kl2tp_nl_parse_tunnel(buf, i, FAM, &t),
		    -EBADMSG);
}
END_TEST

START_TEST(test_parse_session)
{
	struct kl2tp_session_info s;
	struct nlmsghdr *nlh;
	size_t i;

	nlh = session_reply(0);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), 0);
	ck_assert_uint_eq(s.tunnel_id, 4242);
	ck_assert_uint_eq(s.session_id, 9);
	ck_assert_uint_eq(s.peer_tunnel_id, 17);
	ck_assert_uint_eq(s.peer_session_id, 3);
	ck_assert_uint_eq(s.pw_type, L2TP_PWTYPE_PPP);
	ck_assert_uint_eq(s.recv_seq, 0);
	ck_assert_uint_eq(s.send_seq, 1);
	ck_assert_uint_eq(s.lns_mode, 1);
	check_stats(&s.stats, 500);

	nlh = session_reply(L2TP_ATTR_CONN_ID);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), -EBADMSG);
	nlh = session_reply(L2TP_ATTR_SESSION_ID);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), -EBADMSG);
	ck_assert_uint_eq(s.tunnel_id, 0);
	nlh = session_reply(0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_LNS_MODE, 1);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), -EBADMSG);
	nlh = session_reply(0);
	mnl_attr_put_u8(nlh, L2TP_ATTR_PW_TYPE, 7);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), -EBADMSG);
	nlh = session_reply(0);
	mnl_attr_put_u16(nlh, L2TP_ATTR_PEER_SESSION_ID, 7);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), -EBADMSG);
	/* a tunnel message is not a session message */
	nlh = tunnel_reply(0);
	ck_assert_int_eq(kl2tp_nl_parse_session(buf, nlh->nlmsg_len, FAM,
	    &s), -EBADMSG);
	nlh = session_reply(0);
	for (i = 0; i < nlh->nlmsg_len; i++)
		ck_assert_int_eq(kl2tp_nl_parse_session(buf, i, FAM, &s),
		    -EBADMSG);
}
END_TEST

/* ---- addresses ---------------------------------------------------------- */

START_TEST(test_addr)
{
	struct kl2tp_addr a;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	memset(&a, 0, sizeof(a));
	a.family = 4;
	memcpy(a.addr, "\x0a\x04\x00\x01", 4);
	a.port = 1701;
	ck_assert(kl2tp_addr_valid(&a));
	ck_assert_uint_eq(kl2tp_sockaddr(&a, &ss), sizeof(*sin));
	ck_assert_uint_eq(sin->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 1701);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x0a040001);
	a.port = 65535;
	ck_assert(kl2tp_addr_valid(&a));
	a.port = 0;
	ck_assert(!kl2tp_addr_valid(&a));
	ck_assert_uint_eq(kl2tp_sockaddr(&a, &ss), 0);
	a.port = 1;
	a.addr[15] = 1;		/* junk after an IPv4 address */
	ck_assert(!kl2tp_addr_valid(&a));
	a.addr[4] = 1;
	a.addr[15] = 0;
	ck_assert(!kl2tp_addr_valid(&a));
	a.family = 6;		/* the same bytes are a valid IPv6 address */
	ck_assert(kl2tp_addr_valid(&a));
	ck_assert_uint_eq(kl2tp_sockaddr(&a, &ss), sizeof(*sin6));
	ck_assert_uint_eq(sin6->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 1);
	ck_assert_mem_eq(&sin6->sin6_addr, a.addr, 16);
	a.family = 0;
	ck_assert(!kl2tp_addr_valid(&a));
	a.family = 5;
	ck_assert(!kl2tp_addr_valid(&a));
	a.family = 10;		/* AF_INET6's value is not our encoding */
	ck_assert(!kl2tp_addr_valid(&a));
}
END_TEST

START_TEST(test_pppol2tp_addr)
{
	struct kl2tp_session_req r;
	struct sockaddr_storage ss;
	struct sockaddr_pppol2tp *s4 = (struct sockaddr_pppol2tp *)&ss;
	struct sockaddr_pppol2tpin6 *s6 = (struct sockaddr_pppol2tpin6 *)&ss;

	req4(&r);
	ck_assert(kl2tp_session_req_valid(&r));
	ck_assert_uint_eq(kl2tp_pppol2tp_sockaddr(&r, 9, &ss), sizeof(*s4));
	/* the kernel tells L2TPv2/IPv4 by this exact length */
	ck_assert_uint_eq(sizeof(*s4), 38);
	ck_assert_uint_eq(s4->sa_family, AF_PPPOX);
	ck_assert_uint_eq(s4->sa_protocol, PX_PROTO_OL2TP);
	ck_assert_int_eq(s4->pppol2tp.pid, 0);
	ck_assert_int_eq(s4->pppol2tp.fd, 9);
	ck_assert_uint_eq(s4->pppol2tp.addr.sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(s4->pppol2tp.addr.sin_port), 1701);
	ck_assert_uint_eq(ntohl(s4->pppol2tp.addr.sin_addr.s_addr),
	    0xcb007105);
	ck_assert_uint_eq(s4->pppol2tp.s_tunnel, 4242);
	ck_assert_uint_eq(s4->pppol2tp.s_session, 9);
	ck_assert_uint_eq(s4->pppol2tp.d_tunnel, 17);
	ck_assert_uint_eq(s4->pppol2tp.d_session, 3);

	r.peer.family = 6;
	memcpy(r.peer.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x05", 16);
	ck_assert_uint_eq(kl2tp_pppol2tp_sockaddr(&r, 4, &ss), sizeof(*s6));
	ck_assert_uint_eq(sizeof(*s6), 50);
	ck_assert_uint_eq(s6->sa_family, AF_PPPOX);
	ck_assert_uint_eq(s6->sa_protocol, PX_PROTO_OL2TP);
	ck_assert_int_eq(s6->pppol2tp.fd, 4);
	ck_assert_uint_eq(s6->pppol2tp.addr.sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(s6->pppol2tp.addr.sin6_port), 1701);
	ck_assert_mem_eq(&s6->pppol2tp.addr.sin6_addr, r.peer.addr, 16);
	ck_assert_uint_eq(s6->pppol2tp.s_tunnel, 4242);
	ck_assert_uint_eq(s6->pppol2tp.s_session, 9);
	ck_assert_uint_eq(s6->pppol2tp.d_tunnel, 17);
	ck_assert_uint_eq(s6->pppol2tp.d_session, 3);

	/* every refused request leaves a zeroed address */
	req4(&r);
	ck_assert_uint_eq(kl2tp_pppol2tp_sockaddr(&r, -1, &ss), 0);
	ck_assert_uint_eq(s4->sa_family, 0);
#define REFUSE(stmt) do { req4(&r); stmt; \
	ck_assert(!kl2tp_session_req_valid(&r)); \
	ck_assert_uint_eq(kl2tp_pppol2tp_sockaddr(&r, 3, &ss), 0); } while (0)
	REFUSE(r.tunnel_id = 0);
	REFUSE(r.session_id = 0);
	REFUSE(r.peer_tunnel_id = 0);
	REFUSE(r.peer_session_id = 0);
	REFUSE(r.peer.port = 0);
	REFUSE(r.peer.family = 2);
	REFUSE(r.lns_mode = 2);
	REFUSE(r.send_seq = 2);
	REFUSE(r.recv_seq = 255);
	REFUSE(r.reorder_ms = 60001);
#undef REFUSE
	req4(&r);
	r.reorder_ms = 60000;
	r.send_seq = r.recv_seq = 1;
	r.lns_mode = 0;
	ck_assert(kl2tp_session_req_valid(&r));
}
END_TEST

START_TEST(test_tunnel_req)
{
	struct kl2tp_tunnel_req r = { 1, 1 };

	ck_assert(kl2tp_tunnel_req_valid(&r));
	r.tunnel_id = 0;
	ck_assert(!kl2tp_tunnel_req_valid(&r));
	r.tunnel_id = 65535;
	r.peer_tunnel_id = 0;
	ck_assert(!kl2tp_tunnel_req_valid(&r));
}
END_TEST

static int
udp_from(const char *ip, uint16_t *port)
{
	struct sockaddr_in	a = { .sin_family = AF_INET };
	socklen_t		al = sizeof(a);
	int			fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	inet_pton(AF_INET, ip, &a.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return (fd);
}

static void
send_to(int fd, uint16_t port, const char *text)
{
	struct sockaddr_in	a = { .sin_family = AF_INET,
				    .sin_port = htons(port) };

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	ck_assert_int_eq(sendto(fd, text, strlen(text), 0,
	    (struct sockaddr *)&a, sizeof(a)), (ssize_t)strlen(text));
}

/*
 * The tunnel socket (connected to its peer, its bind-time drop filter
 * removed) gets the peer's datagrams and never another sender's.
 */
START_TEST(test_udp_open_peer_only)
{
	struct kl2tp_addr	local = { .family = 4 }, peer = { .family = 4 };
	struct sockaddr_in	a;
	socklen_t		al = sizeof(a);
	uint16_t		pport, oport;
	char			rb[64];
	int			pfd, ofd, fd, tries;
	ssize_t			n = -1;

	pfd = udp_from("127.0.0.1", &pport);
	ofd = udp_from("127.0.0.2", &oport);
	local.addr[0] = 127;
	local.addr[3] = 1;
	close(udp_from("127.0.0.1", &local.port));	/* a free port */
	peer.addr[0] = 127;
	peer.addr[3] = 1;
	peer.port = pport;
	ck_assert_int_eq(kl2tp_udp_open(&local, &peer, &fd), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	send_to(ofd, ntohs(a.sin_port), "other");
	send_to(pfd, ntohs(a.sin_port), "peer");
	for (tries = 0; tries < 200 && n < 0; tries++) {
		n = recv(fd, rb, sizeof(rb) - 1, 0);
		if (n < 0)
			usleep(5000);
	}
	ck_assert_int_eq(n, 4);
	rb[n] = '\0';
	ck_assert_str_eq(rb, "peer");
	ck_assert_int_eq(recv(fd, rb, sizeof(rb), 0), -1);
	close(fd);
	close(pfd);
	close(ofd);
}
END_TEST

Suite *
l2tp_kernel_suite(void)
{
	Suite *s = suite_create("l2tp_kernel");
	TCase *tc = tcase_create("netlink");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_getfamily);
	tcase_add_test(tc, test_tunnel_create);
	tcase_add_test(tc, test_deletes);
	tcase_add_test(tc, test_dump);
	tcase_add_test(tc, test_parse_family);
	tcase_add_test(tc, test_parse_tunnel);
	tcase_add_test(tc, test_parse_tunnel_bad);
	tcase_add_test(tc, test_parse_session);
	tcase_add_test(tc, test_addr);
	tcase_add_test(tc, test_pppol2tp_addr);
	tcase_add_test(tc, test_tunnel_req);
	tcase_add_test(tc, test_udp_open_peer_only);
	suite_add_tcase(s, tc);
	return s;
}
