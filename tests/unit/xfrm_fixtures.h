/*
 * tests/unit/xfrm_fixtures.h — SA specs and policies shared by
 * check_xfrm.c (the XFRM builders) and check_kpriv.c (the privileged
 * child's validation).
 */
#ifndef TESTS_UNIT_XFRM_FIXTURES_H
#define TESTS_UNIT_XFRM_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/xfrm.h"
#include "policy/ipsec_policy.h"

#define XF_REQID	(XFRM_REQID_BASE + 7)
#define XF_SPI		0xc1a2b3c4u

/* Documentation addresses (RFC 5737, RFC 3849), network order. */
extern const uint8_t	xf_v4_a[16], xf_v4_b[16], xf_v6_a[16], xf_v6_b[16];

/* p[i] = base + i for n bytes. */
void	xf_fill(uint8_t *p, size_t n, uint8_t base);

/*
 * AES-256-CBC + HMAC-SHA1, IPv4 xf_v4_a -> xf_v4_b, XF_SPI, XF_REQID,
 * selector UDP 1701 -> 1701, lifetimes 3000/3600 s and 10^9 bytes.
 */
void	xf_sa_cbc(struct xfrm_sa_spec *sa);

/* The same with AES-GCM-16 of bits (key + 4-byte salt), no integrity. */
void	xf_sa_gcm(struct xfrm_sa_spec *sa, uint16_t bits);

/*
 * xf_sa_cbc() spoiled in the i-th way the builder refuses (unknown
 * algorithm, key of the wrong length, bad family, half an encapsulation),
 * 0 <= i < XF_NREFUSED.
 */
#define XF_NREFUSED	30
void	xf_sa_refused(struct xfrm_sa_spec *sa, int i);

/* The per-peer pair (out, in) of pol_ipsec_peer_policies(), XF_REQID. */
void	xf_peer_pols(struct pol_xfrm_policy out[2], int family);

/*
 * The generic set for two local IPv4 addresses and IPv6 (18 policies);
 * require sets require_ipsec. Returns the count.
 */
size_t	xf_generic_pols(struct pol_xfrm_policy *out, bool require);

#endif
