/*
 * ikesvc/xfrm.h — the kernel IPsec state (XFRM) that rasgate-ikesvc
 * installs: ESP SAs in transport mode (optionally UDP-encapsulated,
 * RFC 3948) and the policies of policy/ipsec_policy.h, over XFRM netlink
 * with libmnl. Only the privileged part (kpriv.c) calls the xfrm_*()
 * functions that talk to the kernel; the message builders are pure and
 * unit-tested.
 *
 * Ownership: every SA and every policy template we install carries a
 * reqid in [XFRM_REQID_BASE, XFRM_REQID_BASE + XFRM_REQID_SPAN), and every
 * generic policy we install has a priority from policy/ipsec_policy.h;
 * xfrm_flush_own() removes exactly those (at start and on exit) and
 * never touches other entries.
 */
#ifndef IKESVC_XFRM_H
#define IKESVC_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/ipsec_policy.h"

#define XFRM_REQID_BASE		0x52470000u	/* "RG" */
#define XFRM_REQID_SPAN		0x00010000u

#define XFRM_ENC_KEY_MAX	36	/* AES-256 + GCM salt */
#define XFRM_INTEG_KEY_MAX	64

/* One ESP SA (one direction). Addresses in network order. */
struct xfrm_sa_spec {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		src[16];
	uint8_t		dst[16];
	uint32_t	spi;		/* host order */
	uint32_t	reqid;
	uint16_t	esp_id;		/* IKE_ESP_* (ike_proto.h) */
	uint16_t	key_bits;	/* AES key length; 0 for 3DES */
	uint16_t	aalg;		/* IKE_AALG_*; IKE_AALG_NONE for GCM */
	uint8_t		enc_key[XFRM_ENC_KEY_MAX];
	uint16_t	enc_key_len;	/* bytes, GCM salt included */
	uint8_t		integ_key[XFRM_INTEG_KEY_MAX];
	uint16_t	integ_key_len;
	uint16_t	encap_sport;	/* host order; 0 = no UDP encap */
	uint16_t	encap_dport;
	uint32_t	soft_secs;	/* 0 = none */
	uint32_t	hard_secs;	/* 0 = none */
	uint64_t	hard_bytes;	/* 0 = none */
	uint8_t		sel_proto;	/* selector: IPPROTO_UDP */
	uint16_t	sel_sport;	/* host order, 0 = any */
	uint16_t	sel_dport;
	bool		update;		/* XFRM_MSG_UPDSA: the SA (ours) is in
					   place; its lifetimes are replaced */
};

/* Counters of one SA (xfrm_sa_get). */
struct xfrm_sa_stats {
	uint64_t	bytes;
	uint64_t	packets;
	uint64_t	add_time;	/* seconds since the epoch */
};

struct mnl_socket;

/*
 * Pure builders: write one complete netlink message (nlmsghdr included)
 * for the request into buf[0..cap) (4-byte aligned) and return its
 * length, or 0 if the spec cannot be expressed (unknown algorithm, bad
 * family, key length not the algorithm's) or cap is too small. seq is
 * the nlmsg_seq. Requests carry NLM_F_ACK. A failed SA add leaves no key
 * byte in buf.
 */
size_t	xfrm_build_sa_add(void *buf, size_t cap, uint32_t seq,
	    const struct xfrm_sa_spec *sa);
size_t	xfrm_build_sa_del(void *buf, size_t cap, uint32_t seq, int family,
	    const uint8_t dst[16], uint32_t spi);
size_t	xfrm_build_sa_get(void *buf, size_t cap, uint32_t seq, int family,
	    const uint8_t dst[16], uint32_t spi);
size_t	xfrm_build_pol_add(void *buf, size_t cap, uint32_t seq,
	    const struct pol_xfrm_policy *p);
size_t	xfrm_build_pol_del(void *buf, size_t cap, uint32_t seq,
	    const struct pol_xfrm_policy *p);

/*
 * What xfrm_pol_del() sends: XFRM_MSG_GETPOLICY for p (by selector and
 * direction), then XFRM_MSG_DELPOLICY of the policy found, by its index
 * (not 0). Both carry p's mark, without which the kernel finds no marked
 * policy. 0 as above.
 */
size_t	xfrm_build_pol_get(void *buf, size_t cap, uint32_t seq,
	    const struct pol_xfrm_policy *p);
size_t	xfrm_build_pol_del_index(void *buf, size_t cap, uint32_t seq,
	    const struct pol_xfrm_policy *p, uint32_t index);

/*
 * Kernel names of the algorithms ("cbc(aes)", "hmac(sha1)",
 * "rfc4106(gcm(aes))", ...) and the integrity truncation in bits
 * (RFC 2404: 96 for HMAC-SHA1; RFC 4868: half the output for SHA-2).
 * NULL / 0 when unknown.
 */
const char *xfrm_enc_name(uint16_t esp_id);
const char *xfrm_auth_name(uint16_t aalg, unsigned *trunc_bits);

/*
 * Kernel calls (privileged part only). Each returns 0 or -errno of the
 * kernel's answer (-EEXIST, -ESRCH, ...), -EINVAL for a spec the builders
 * refuse. nl is an open NETLINK_XFRM socket (xfrm_open; NULL with errno
 * set on failure). xfrm_sa_del, xfrm_sa_get and xfrm_pol_del look the
 * entry up first and return -EPERM, touching nothing, if it is not ours
 * (SA reqid outside our range; policy with neither one of our priorities
 * nor a template reqid of ours): the kernel deletes a policy by selector
 * and direction alone, whatever its priority.
 */
struct mnl_socket *xfrm_open(void);
void	xfrm_close(struct mnl_socket *nl);
int	xfrm_sa_add(struct mnl_socket *nl, const struct xfrm_sa_spec *sa);
int	xfrm_sa_del(struct mnl_socket *nl, int family, const uint8_t dst[16],
	    uint32_t spi);
int	xfrm_sa_get(struct mnl_socket *nl, int family, const uint8_t dst[16],
	    uint32_t spi, struct xfrm_sa_stats *st);
int	xfrm_pol_add(struct mnl_socket *nl, const struct pol_xfrm_policy *p);
int	xfrm_pol_del(struct mnl_socket *nl, const struct pol_xfrm_policy *p);

/*
 * Removes every SA whose reqid is in our range and every policy whose
 * template reqid is in our range or whose priority is one of
 * POL_XFRM_PRIO_*; returns the number removed or -errno.
 */
int	xfrm_flush_own(struct mnl_socket *nl);

/*
 * Per-socket bypass (IP_XFRM_POLICY / IPV6_XFRM_POLICY, both
 * directions) so IKE datagrams on fd are never subject to the L2TP
 * policies. Needs CAP_NET_ADMIN; call before dropping privileges.
 * Returns 0 or -errno.
 */
int	xfrm_socket_bypass(int fd, int family);

#endif /* IKESVC_XFRM_H */
