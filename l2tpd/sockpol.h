/*
 * l2tpd/sockpol.h — the per-socket IPsec policy of a shared-NAT slot
 * (l2tpd/DESIGN.md, "Shared-NAT slots"; ikesvc/DESIGN.md, "Two clients
 * behind one NAT").
 *
 * A socket policy (setsockopt IPPROTO_IP, IP_XFRM_POLICY) overrides the
 * kernel's global XFRM policies for that socket's traffic. One is set per
 * direction: a struct xfrm_userpolicy_info (selector matching everything
 * of AF_INET, no lifetime limits, action allow) followed by one struct
 * xfrm_user_tmpl (ESP, transport mode, the client's reqid, any
 * algorithm). Inbound, only datagrams that the SAs of that reqid
 * decrypted pass; outbound, the socket's datagrams take those SAs
 * whatever the per-peer policy of the shared NAT address names.
 * IPv4 only (IP_XFRM_POLICY); needs CAP_NET_ADMIN.
 */
#ifndef L2TPD_SOCKPOL_H
#define L2TPD_SOCKPOL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/xfrm.h>

/* Bytes of one direction's policy. */
#define L2D_SOCKPOL_LEN	(sizeof(struct xfrm_userpolicy_info) + \
			    sizeof(struct xfrm_user_tmpl))

/*
 * Pure: writes the IP_XFRM_POLICY value for direction dir
 * (XFRM_POLICY_IN or XFRM_POLICY_OUT) and the SAs of reqid into
 * buf[0..cap) and sets *len (L2D_SOCKPOL_LEN). Returns 0, or -1 with buf
 * untouched if buf or len is NULL, cap < L2D_SOCKPOL_LEN, dir is another
 * value or reqid is 0.
 */
int	l2d_sockpol_build(void *buf, size_t cap, int dir, uint32_t reqid,
	    size_t *len);

/*
 * Sets the inbound then the outbound socket policy for reqid on the IPv4
 * socket fd. Returns 0, or -errno (-EINVAL for reqid 0; -EPERM without
 * CAP_NET_ADMIN). On failure the socket may hold the inbound policy
 * only: the caller closes it.
 */
int	l2d_sockpol_apply(int fd, uint32_t reqid);

#endif
