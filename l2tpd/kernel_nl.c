/*
 * l2tpd/kernel_nl.c — generic netlink messages of the kernel's "l2tp"
 * family and the PPPoL2TP socket address: built and parsed in memory.
 * Pure: no I/O, no globals (see l2tpd/kernel.h).
 *
 * Attribute types and sizes follow the uapi header linux/l2tp.h; the
 * kernel's policy wants CONN_ID, PEER_CONN_ID, PROTO_VERSION and
 * ENCAP_TYPE for TUNNEL_CREATE, and CONN_ID (+ SESSION_ID) to name a
 * tunnel (session) in DELETE.
 */
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_pppox.h>
#include <linux/l2tp.h>

#include "l2tpd/kernel.h"

#define GENL_VERSION_L2TP	1	/* L2TP_GENL_VERSION */
#define MSG_MIN			(MNL_NLMSG_HDRLEN + MNL_ALIGN(GENL_HDRLEN))
#define REORDER_MAX_MS		60000

bool
kl2tp_addr_valid(const struct kl2tp_addr *a)
{
	size_t i;

	if (a->port == 0)
		return false;
	if (a->family == 6)
		return true;
	if (a->family != 4)
		return false;
	for (i = 4; i < sizeof(a->addr); i++)
		if (a->addr[i] != 0)
			return false;
	return true;
}

bool
kl2tp_tunnel_req_valid(const struct kl2tp_tunnel_req *r)
{
	return r->tunnel_id != 0 && r->peer_tunnel_id != 0;
}

bool
kl2tp_session_req_valid(const struct kl2tp_session_req *r)
{
	return r->tunnel_id != 0 && r->session_id != 0 &&
	    r->peer_tunnel_id != 0 && r->peer_session_id != 0 &&
	    kl2tp_addr_valid(&r->peer) && r->lns_mode <= 1 &&
	    r->send_seq <= 1 && r->recv_seq <= 1 &&
	    r->reorder_ms <= REORDER_MAX_MS;
}

socklen_t
kl2tp_sockaddr(const struct kl2tp_addr *a, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!kl2tp_addr_valid(a))
		return 0;
	if (a->family == 4) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		memcpy(&sin->sin_addr, a->addr, 4);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(a->port);
	memcpy(&sin6->sin6_addr, a->addr, 16);
	return sizeof(*sin6);
}

/*
 * L2TPv2 over IPv4 uses struct sockaddr_pppol2tp, over IPv6 struct
 * sockaddr_pppol2tpin6: the kernel tells the version and family apart by
 * the address length alone. pid 0 = the tunnel socket is in this process.
 */
socklen_t
kl2tp_pppol2tp_sockaddr(const struct kl2tp_session_req *r, int udp_fd,
    struct sockaddr_storage *ss)
{
	struct sockaddr_pppol2tp *s4 = (struct sockaddr_pppol2tp *)ss;
	struct sockaddr_pppol2tpin6 *s6 = (struct sockaddr_pppol2tpin6 *)ss;
	struct sockaddr_storage peer;

	memset(ss, 0, sizeof(*ss));
	if (udp_fd < 0 || !kl2tp_session_req_valid(r) ||
	    kl2tp_sockaddr(&r->peer, &peer) == 0)
		return 0;
	if (r->peer.family == 4) {
		s4->sa_family = AF_PPPOX;
		s4->sa_protocol = PX_PROTO_OL2TP;
		s4->pppol2tp.pid = 0;
		s4->pppol2tp.fd = udp_fd;
		memcpy(&s4->pppol2tp.addr, &peer, sizeof(s4->pppol2tp.addr));
		s4->pppol2tp.s_tunnel = r->tunnel_id;
		s4->pppol2tp.s_session = r->session_id;
		s4->pppol2tp.d_tunnel = r->peer_tunnel_id;
		s4->pppol2tp.d_session = r->peer_session_id;
		return sizeof(*s4);
	}
	s6->sa_family = AF_PPPOX;
	s6->sa_protocol = PX_PROTO_OL2TP;
	s6->pppol2tp.pid = 0;
	s6->pppol2tp.fd = udp_fd;
	memcpy(&s6->pppol2tp.addr, &peer, sizeof(s6->pppol2tp.addr));
	s6->pppol2tp.s_tunnel = r->tunnel_id;
	s6->pppol2tp.s_session = r->session_id;
	s6->pppol2tp.d_tunnel = r->peer_tunnel_id;
	s6->pppol2tp.d_session = r->peer_session_id;
	return sizeof(*s6);
}

/* ---- builders ---------------------------------------------------------- */

/* Netlink + genetlink headers; NULL if cap cannot hold even those. */
static struct nlmsghdr *
put_headers(void *buf, size_t cap, uint16_t type, uint16_t flags,
    uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	if (cap < MSG_MIN || cap > UINT32_MAX)
		return NULL;
	memset(buf, 0, cap);	/* attribute padding included */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

size_t
kl2tp_nl_getfamily(void *buf, size_t cap, uint32_t seq)
{
	struct nlmsghdr *nlh;

	nlh = put_headers(buf, cap, GENL_ID_CTRL, NLM_F_ACK, seq,
	    CTRL_CMD_GETFAMILY, 1);
	if (nlh == NULL || !mnl_attr_put_strz_check(nlh, cap,
	    CTRL_ATTR_FAMILY_NAME, KL2TP_GENL_NAME))
		return 0;
	return nlh->nlmsg_len;
}

size_t
kl2tp_nl_tunnel_create(void *buf, size_t cap, uint16_t family, uint32_t seq,
    const struct kl2tp_tunnel_req *r, int udp_fd)
{
	struct nlmsghdr *nlh;

	if (family == 0 || udp_fd < 0 || !kl2tp_tunnel_req_valid(r))
		return 0;
	nlh = put_headers(buf, cap, family, NLM_F_ACK, seq,
	    L2TP_CMD_TUNNEL_CREATE, GENL_VERSION_L2TP);
	if (nlh == NULL ||
	    !mnl_attr_put_u32_check(nlh, cap, L2TP_ATTR_CONN_ID,
	    r->tunnel_id) ||
	    !mnl_attr_put_u32_check(nlh, cap, L2TP_ATTR_PEER_CONN_ID,
	    r->peer_tunnel_id) ||
	    !mnl_attr_put_u8_check(nlh, cap, L2TP_ATTR_PROTO_VERSION, 2) ||
	    !mnl_attr_put_u16_check(nlh, cap, L2TP_ATTR_ENCAP_TYPE,
	    L2TP_ENCAPTYPE_UDP) ||
	    !mnl_attr_put_u32_check(nlh, cap, L2TP_ATTR_FD,
	    (uint32_t)udp_fd))
		return 0;
	return nlh->nlmsg_len;
}

size_t
kl2tp_nl_tunnel_delete(void *buf, size_t cap, uint16_t family, uint32_t seq,
    uint16_t tunnel_id)
{
	struct nlmsghdr *nlh;

	if (family == 0 || tunnel_id == 0)
		return 0;
	nlh = put_headers(buf, cap, family, NLM_F_ACK, seq,
	    L2TP_CMD_TUNNEL_DELETE, GENL_VERSION_L2TP);
	if (nlh == NULL || !mnl_attr_put_u32_check(nlh, cap,
	    L2TP_ATTR_CONN_ID, tunnel_id))
		return 0;
	return nlh->nlmsg_len;
}

size_t
kl2tp_nl_session_delete(void *buf, size_t cap, uint16_t family, uint32_t seq,
    uint16_t tunnel_id, uint16_t session_id)
{
	struct nlmsghdr *nlh;

	if (family == 0 || tunnel_id == 0 || session_id == 0)
		return 0;
	nlh = put_headers(buf, cap, family, NLM_F_ACK, seq,
	    L2TP_CMD_SESSION_DELETE, GENL_VERSION_L2TP);
	if (nlh == NULL ||
	    !mnl_attr_put_u32_check(nlh, cap, L2TP_ATTR_CONN_ID, tunnel_id) ||
	    !mnl_attr_put_u32_check(nlh, cap, L2TP_ATTR_SESSION_ID,
	    session_id))
		return 0;
	return nlh->nlmsg_len;
}

size_t
kl2tp_nl_dump(void *buf, size_t cap, uint16_t family, uint32_t seq,
    uint8_t cmd)
{
	struct nlmsghdr *nlh;

	if (family == 0 || (cmd != L2TP_CMD_TUNNEL_GET &&
	    cmd != L2TP_CMD_SESSION_GET))
		return 0;
	nlh = put_headers(buf, cap, family, NLM_F_DUMP, seq, cmd,
	    GENL_VERSION_L2TP);
	return nlh == NULL ? 0 : nlh->nlmsg_len;
}

/* ---- parsers ------------------------------------------------------------ */

/*
 * The message of len bytes at buf, checked to be a genetlink message of
 * the given netlink type; its genetlink command in *cmd.
 */
static const struct nlmsghdr *
genl_msg(const void *buf, size_t len, uint16_t type, uint8_t *cmd)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *g;

	if (buf == NULL || len < MNL_NLMSG_HDRLEN || len > INT32_MAX ||
	    !mnl_nlmsg_ok(nlh, (int)len) || nlh->nlmsg_type != type ||
	    nlh->nlmsg_len < MSG_MIN)
		return NULL;
	g = mnl_nlmsg_get_payload(nlh);
	*cmd = g->cmd;
	return nlh;
}

/*
 * Walks the attributes after the genetlink header; cb gets each one whose
 * header and payload lie inside the message. A malformed attribute stops
 * the walk with -EBADMSG.
 */
static int
walk(const struct nlmsghdr *nlh, mnl_attr_cb_t cb, void *data)
{
	if (mnl_attr_parse(nlh, GENL_HDRLEN, cb, data) != MNL_CB_OK)
		return -EBADMSG;
	return 0;
}

/*
 * libmnl's walks stop silently at an attribute that runs past the end;
 * these refuse such a message: the attributes must fill it to the end.
 */
static bool
attrs_exact(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	const char *end = (const char *)nlh + nlh->nlmsg_len;
	const char *p = (const char *)mnl_nlmsg_get_payload_offset(nlh,
	    GENL_HDRLEN);

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		p = (const char *)a + MNL_ALIGN(a->nla_len);
	return p >= end;
}

struct fam_ctx {
	uint16_t	id;
	bool		seen;
};

static int
fam_cb(const struct nlattr *a, void *data)
{
	struct fam_ctx *c = data;

	if (mnl_attr_get_type(a) != CTRL_ATTR_FAMILY_ID)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return MNL_CB_ERROR;
	c->id = mnl_attr_get_u16(a);
	c->seen = true;
	return MNL_CB_OK;
}

int
kl2tp_nl_parse_family(const void *buf, size_t len, uint16_t *out)
{
	const struct nlmsghdr *nlh;
	struct fam_ctx c = { 0, false };
	uint8_t cmd;

	*out = 0;
	if ((nlh = genl_msg(buf, len, GENL_ID_CTRL, &cmd)) == NULL ||
	    cmd != CTRL_CMD_NEWFAMILY || !attrs_exact(nlh) ||
	    walk(nlh, fam_cb, &c) != 0 || !c.seen || c.id == 0)
		return -EBADMSG;
	*out = c.id;
	return 0;
}

static int
u64_of(const struct nlattr *a, uint64_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	*v = mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

static int
stats_cb(const struct nlattr *a, void *data)
{
	struct kl2tp_stats *s = data;

	switch (mnl_attr_get_type(a)) {
	case L2TP_ATTR_TX_PACKETS:
		return u64_of(a, &s->tx_packets);
	case L2TP_ATTR_TX_BYTES:
		return u64_of(a, &s->tx_bytes);
	case L2TP_ATTR_TX_ERRORS:
		return u64_of(a, &s->tx_errors);
	case L2TP_ATTR_RX_PACKETS:
		return u64_of(a, &s->rx_packets);
	case L2TP_ATTR_RX_BYTES:
		return u64_of(a, &s->rx_bytes);
	case L2TP_ATTR_RX_SEQ_DISCARDS:
		return u64_of(a, &s->rx_seq_discards);
	case L2TP_ATTR_RX_OOS_PACKETS:
		return u64_of(a, &s->rx_oos_packets);
	case L2TP_ATTR_RX_ERRORS:
		return u64_of(a, &s->rx_errors);
	default:
		return MNL_CB_OK;
	}
}

static bool
nested_exact(const struct nlattr *nest)
{
	const struct nlattr *a;
	const char *end = (const char *)nest + nest->nla_len;
	const char *p = mnl_attr_get_payload(nest);

	mnl_attr_for_each_nested(a, nest)
		p = (const char *)a + MNL_ALIGN(a->nla_len);
	return p >= end;
}

static int
stats_of(const struct nlattr *a, struct kl2tp_stats *s)
{
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 || !nested_exact(a) ||
	    mnl_attr_parse_nested(a, stats_cb, s) != MNL_CB_OK)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int
u32_of(const struct nlattr *a, uint32_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	*v = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int
u16_of(const struct nlattr *a, uint16_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
		return MNL_CB_ERROR;
	*v = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int
u8_of(const struct nlattr *a, uint8_t *v)
{
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return MNL_CB_ERROR;
	*v = mnl_attr_get_u8(a);
	return MNL_CB_OK;
}

/* An address attribute of exactly n bytes into addr->addr (family f). */
static int
ip_of(const struct nlattr *a, struct kl2tp_addr *addr, uint8_t f, size_t n)
{
	if (mnl_attr_get_payload_len(a) != n)
		return MNL_CB_ERROR;
	memset(addr->addr, 0, sizeof(addr->addr));
	memcpy(addr->addr, mnl_attr_get_payload(a), n);
	addr->family = f;
	return MNL_CB_OK;
}

/* Which required attributes a tunnel or session message carried. */
#define SEEN_CONN	0x01
#define SEEN_PEER_CONN	0x02
#define SEEN_VERSION	0x04
#define SEEN_SESSION	0x08

struct tun_ctx {
	struct kl2tp_tunnel_info *t;
	unsigned	seen;
};

static int
tun_cb(const struct nlattr *a, void *data)
{
	struct tun_ctx *c = data;
	struct kl2tp_tunnel_info *t = c->t;

	switch (mnl_attr_get_type(a)) {
	case L2TP_ATTR_CONN_ID:
		c->seen |= SEEN_CONN;
		return u32_of(a, &t->tunnel_id);
	case L2TP_ATTR_PEER_CONN_ID:
		c->seen |= SEEN_PEER_CONN;
		return u32_of(a, &t->peer_tunnel_id);
	case L2TP_ATTR_PROTO_VERSION:
		c->seen |= SEEN_VERSION;
		return u8_of(a, &t->proto_version);
	case L2TP_ATTR_ENCAP_TYPE:
		return u16_of(a, &t->encap);
	case L2TP_ATTR_UDP_SPORT:
		return u16_of(a, &t->local.port);
	case L2TP_ATTR_UDP_DPORT:
		return u16_of(a, &t->peer.port);
	case L2TP_ATTR_IP_SADDR:
		return ip_of(a, &t->local, 4, 4);
	case L2TP_ATTR_IP_DADDR:
		return ip_of(a, &t->peer, 4, 4);
	case L2TP_ATTR_IP6_SADDR:
		return ip_of(a, &t->local, 6, 16);
	case L2TP_ATTR_IP6_DADDR:
		return ip_of(a, &t->peer, 6, 16);
	case L2TP_ATTR_STATS:
		return stats_of(a, &t->stats);
	default:
		return MNL_CB_OK;
	}
}

int
kl2tp_nl_parse_tunnel(const void *buf, size_t len, uint16_t family,
    struct kl2tp_tunnel_info *out)
{
	const struct nlmsghdr *nlh;
	struct tun_ctx c = { out, 0 };
	uint8_t cmd;

	memset(out, 0, sizeof(*out));
	if (family == 0 || (nlh = genl_msg(buf, len, family, &cmd)) == NULL ||
	    cmd != L2TP_CMD_TUNNEL_GET || !attrs_exact(nlh) ||
	    walk(nlh, tun_cb, &c) != 0 ||
	    c.seen != (SEEN_CONN | SEEN_PEER_CONN | SEEN_VERSION)) {
		memset(out, 0, sizeof(*out));
		return -EBADMSG;
	}
	return 0;
}

struct ses_ctx {
	struct kl2tp_session_info *s;
	unsigned	seen;
};

static int
ses_cb(const struct nlattr *a, void *data)
{
	struct ses_ctx *c = data;
	struct kl2tp_session_info *s = c->s;

	switch (mnl_attr_get_type(a)) {
	case L2TP_ATTR_CONN_ID:
		c->seen |= SEEN_CONN;
		return u32_of(a, &s->tunnel_id);
	case L2TP_ATTR_SESSION_ID:
		c->seen |= SEEN_SESSION;
		return u32_of(a, &s->session_id);
	case L2TP_ATTR_PEER_CONN_ID:
		return u32_of(a, &s->peer_tunnel_id);
	case L2TP_ATTR_PEER_SESSION_ID:
		return u32_of(a, &s->peer_session_id);
	case L2TP_ATTR_PW_TYPE:
		return u16_of(a, &s->pw_type);
	case L2TP_ATTR_LNS_MODE:
		return u8_of(a, &s->lns_mode);
	case L2TP_ATTR_SEND_SEQ:
		return u8_of(a, &s->send_seq);
	case L2TP_ATTR_RECV_SEQ:
		return u8_of(a, &s->recv_seq);
	case L2TP_ATTR_STATS:
		return stats_of(a, &s->stats);
	default:
		return MNL_CB_OK;
	}
}

int
kl2tp_nl_parse_session(const void *buf, size_t len, uint16_t family,
    struct kl2tp_session_info *out)
{
	const struct nlmsghdr *nlh;
	struct ses_ctx c = { out, 0 };
	uint8_t cmd;

	memset(out, 0, sizeof(*out));
	if (family == 0 || (nlh = genl_msg(buf, len, family, &cmd)) == NULL ||
	    cmd != L2TP_CMD_SESSION_GET || !attrs_exact(nlh) ||
	    walk(nlh, ses_cb, &c) != 0 ||
	    c.seen != (SEEN_CONN | SEEN_SESSION)) {
		memset(out, 0, sizeof(*out));
		return -EBADMSG;
	}
	return 0;
}
