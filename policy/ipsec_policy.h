/*
 * policy/ipsec_policy.h — the kernel IPsec (XFRM) policies that protect
 * L2TP (pure, no I/O).
 *
 * L2TP/IPsec (RFC 3193) runs L2TP over UDP port 1701 inside ESP in
 * transport mode. The generator below turns a small input into plain
 * policy structs; the daemon installs them over netlink and the lab tests
 * install them with `ip xfrm policy add`, using pol_xfrm_format_ip().
 *
 * Generated set, for every local selector (each configured local IPv4
 * address as /32, or 0.0.0.0/0 when none is configured; plus ::/0 when
 * IPv6 is on), in this order:
 *   bypass  in  dst LOCAL udp dport IKE      allow, no template
 *   bypass  out src LOCAL udp sport IKE      allow, no template
 *   bypass  in  dst LOCAL udp dport NAT-T    allow, no template
 *   bypass  out src LOCAL udp sport NAT-T    allow, no template
 *   protect out src LOCAL udp sport L2TP     template ESP transport
 *   protect in  dst LOCAL udp dport L2TP     template ESP transport
 * The template level is "required" when require_ipsec is on, so cleartext
 * L2TP is dropped in both directions, and "use" when it is off, so ESP is
 * used where an SA exists and cleartext L2TP is still accepted.
 *
 * XFRM picks the matching policy with the LOWEST priority value, so the
 * IKE bypasses (POL_XFRM_PRIO_BYPASS) win over everything, per-peer
 * policies (POL_XFRM_PRIO_PEER) over the generic protection
 * (POL_XFRM_PRIO_PROTECT).
 */
#ifndef RASGATE_POLICY_IPSEC_POLICY_H
#define RASGATE_POLICY_IPSEC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POL_L2TP_PORT		1701
#define POL_IKE_PORT		500
#define POL_NATT_PORT		4500

#define POL_XFRM_PRIO_BYPASS	1000u
#define POL_XFRM_PRIO_SLOT	1400u	/* shared-NAT slots (natslot.h) */
#define POL_XFRM_PRIO_PEER	1500u
#define POL_XFRM_PRIO_PROTECT	2000u

#define POL_IPSEC_MAX_LOCAL	16	/* configured local IPv4 addresses */
#define POL_IPSEC_PER_SELECTOR	6	/* policies per local selector */
#define POL_IPSEC_MAX_POLICIES	((POL_IPSEC_MAX_LOCAL + 1) * \
				    POL_IPSEC_PER_SELECTOR)

/* Longest string pol_xfrm_format_ip() produces, NUL included. */
#define POL_XFRM_FORMAT_MAX	256

enum pol_xfrm_dir {
	POL_XFRM_DIR_IN = 0,
	POL_XFRM_DIR_OUT,
	POL_XFRM_DIR_FWD
};

enum pol_xfrm_action {
	POL_XFRM_ALLOW = 0,
	POL_XFRM_BLOCK
};

enum pol_xfrm_level {
	POL_XFRM_LEVEL_REQUIRED = 0,	/* no SA, no traffic */
	POL_XFRM_LEVEL_USE		/* use an SA if one exists */
};

enum pol_xfrm_mode {
	POL_XFRM_MODE_TRANSPORT = 0
};

struct pol_xfrm_addr {
	uint8_t		bytes[16];	/* network order; IPv4 in bytes[0..3] */
	uint8_t		plen;		/* prefix length */
};

struct pol_xfrm_tmpl {
	uint8_t			proto;	/* IPPROTO_ESP */
	enum pol_xfrm_mode	mode;
	enum pol_xfrm_level	level;
	uint32_t		reqid;	/* 0 = any SA */
};

struct pol_xfrm_policy {
	int			family;		/* AF_INET or AF_INET6 */
	enum pol_xfrm_dir	dir;
	uint8_t			proto;		/* IPPROTO_UDP; 0 = any */
	struct pol_xfrm_addr	src;
	struct pol_xfrm_addr	dst;
	uint16_t		sport;		/* host order */
	uint16_t		sport_mask;	/* 0 any, 0xffff exact */
	uint16_t		dport;
	uint16_t		dport_mask;
	enum pol_xfrm_action	action;
	uint32_t		priority;	/* lower value wins */
	uint32_t		mark;		/* matched under mark_mask */
	uint32_t		mark_mask;	/* 0: any packet */
	bool			has_tmpl;	/* false = plain allow/block */
	struct pol_xfrm_tmpl	tmpl;
};

struct pol_ipsec_input {
	bool		require_ipsec;
	uint16_t	l2tp_port;
	uint16_t	ike_port;
	uint16_t	natt_port;
	uint32_t	local_v4[POL_IPSEC_MAX_LOCAL];	/* host order */
	size_t		nlocal_v4;	/* 0 = any local IPv4 address */
	bool		ipv6;		/* also protect on ::/0 */
};

enum pol_ipsec_result {
	POL_IPSEC_OK = 0,
	POL_IPSEC_NOSPACE,	/* output array too small */
	POL_IPSEC_BADPORT,	/* a port is 0, or two of the ports clash */
	POL_IPSEC_BADLOCAL,	/* too many local addresses, or 0.0.0.0 */
	POL_IPSEC_BADADDR,	/* per-peer: bad family or unspecified addr */
	POL_IPSEC_BADPOLICY	/* format: a policy ip(8) cannot express */
};

/*
 * Defaults: require_ipsec on, ports 1701 / 500 / 4500, any local IPv4
 * address, no IPv6.
 */
void		 pol_ipsec_input_init(struct pol_ipsec_input *);

/*
 * Fill @out (room for @cap policies) with the set described above and
 * store the count in *@n. Returns POL_IPSEC_OK, or an error with *@n = 0
 * (POL_IPSEC_NOSPACE: POL_IPSEC_MAX_POLICIES always suffices).
 */
enum pol_ipsec_result pol_ipsec_policies(const struct pol_ipsec_input *,
		    struct pol_xfrm_policy *out, size_t cap, size_t *n);

/*
 * Per-peer policy pair for one peer's L2TP traffic, installed once its
 * IPsec SA is up and bound to that SA by @reqid:
 *   out[0]: dir out, src LOCAL/32 dst PEER/32 udp sport L2TP dport PEERPORT
 *   out[1]: dir in,  src PEER/32 dst LOCAL/32 udp sport PEERPORT dport L2TP
 * (/128 for IPv6), level "required", priority POL_XFRM_PRIO_PEER.
 * @peer_port is the peer's L2TP source port as seen after decapsulation
 * (1701 for most clients; NAT-T changes only the outer addresses in
 * transport mode, but some clients use another source port); 0 = any.
 */
struct pol_ipsec_peer {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		local[16];	/* network order */
	uint8_t		peer[16];	/* network order */
	uint16_t	l2tp_port;	/* 0 = POL_L2TP_PORT */
	uint16_t	peer_port;	/* 0 = any */
	uint32_t	reqid;		/* 0 = any SA */
};

enum pol_ipsec_result pol_ipsec_peer_policies(const struct pol_ipsec_peer *,
		    struct pol_xfrm_policy out[2]);

/*
 * Render @p as the arguments of `ip xfrm policy add` (iproute2 syntax,
 * checked against Debian 12's iproute2 6.1), e.g.
 *   src 0.0.0.0/0 dst 0.0.0.0/0 proto udp sport 1701 dir out
 *   priority 2000 tmpl proto esp mode transport level required
 * (one line). Returns POL_IPSEC_OK, POL_IPSEC_BADPOLICY if the policy has
 * fields the command cannot express (partial port masks, ports without
 * tcp/udp, a template with action block, bad family or prefix), or
 * POL_IPSEC_NOSPACE if @len is too small; @buf is always NUL-terminated
 * when @len > 0.
 */
enum pol_ipsec_result pol_xfrm_format_ip(const struct pol_xfrm_policy *,
		    char *buf, size_t len);

const char	*pol_xfrm_dir_name(enum pol_xfrm_dir);
const char	*pol_ipsec_strerror(enum pol_ipsec_result);

#endif
