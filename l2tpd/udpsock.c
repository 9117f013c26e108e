/*
 * l2tpd/udpsock.c — the connected UDP socket of each tunnel (the kernel
 * tunnel is made on it, l2tpd/kernel.c), with the socket policy of its
 * shared-NAT slot when it has one (l2tpd/sockpol.h). Kept apart from the
 * netlink code so that the control-plane benchmark, which fakes the
 * kernel's L2TP objects, runs these real sockets.
 */
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include <linux/filter.h>

#include "l2tpd/kernel.h"
#include "l2tpd/sockpol.h"

int
kl2tp_udp_open(const struct kl2tp_addr *local, const struct kl2tp_addr *peer,
    int *fd)
{
	return kl2tp_udp_open_reqid(local, peer, 0, fd);
}

int
kl2tp_udp_open_reqid(const struct kl2tp_addr *local,
    const struct kl2tp_addr *peer, uint32_t reqid, int *fd)
{
	static struct sock_filter drop_code[] = {
		BPF_STMT(BPF_RET | BPF_K, 0)
	};
	static const struct sock_fprog drop_all = { 1, drop_code };
	struct sockaddr_storage l, p;
	socklen_t ll, pl;
	int s, on = 1, rc;

	*fd = -1;
	if ((ll = kl2tp_sockaddr(local, &l)) == 0 ||
	    (pl = kl2tp_sockaddr(peer, &p)) == 0 ||
	    local->family != peer->family)
		return -EINVAL;
	if (reqid != 0 && local->family != 4)
		return -EAFNOSUPPORT;	/* IP_XFRM_POLICY is IPv4's */
	s = socket(l.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    IPPROTO_UDP);
	if (s == -1)
		return -errno;
	/*
	 * SO_REUSEADDR lets this socket share address:1701 with the
	 * daemon's unconnected listening socket and the other tunnels'
	 * sockets; the connected one wins the lookup for its peer.
	 */
	/*
	 * Between bind() and connect() the socket would take datagrams of
	 * other peers (another client's SCCRQ) and keep them queued; a
	 * drop-everything filter covers that window, and once connected
	 * only this peer's datagrams reach the socket.
	 */
	if (setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &drop_all,
	    sizeof(drop_all)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (l.ss_family == AF_INET6 && setsockopt(s, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    bind(s, (struct sockaddr *)&l, ll) == -1) {
		rc = -errno;
		close(s);
		return rc;
	}
	/*
	 * A slot's socket policy (sockpol.h) before connect(): connect
	 * looks the route and its XFRM bundle up once and caches them.
	 */
	if (reqid != 0 && (rc = l2d_sockpol_apply(s, reqid)) != 0) {
		close(s);
		return rc;
	}
	if (connect(s, (struct sockaddr *)&p, pl) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_DETACH_FILTER, &on,
	    sizeof(on)) == -1) {
		rc = -errno;
		close(s);
		return rc;
	}
	*fd = s;
	return 0;
}

int
kl2tp_udp_reconnect(int fd, const struct kl2tp_addr *peer)
{
	struct sockaddr_storage p;
	socklen_t pl;

	if (fd < 0 || (pl = kl2tp_sockaddr(peer, &p)) == 0)
		return -EINVAL;
	if (connect(fd, (struct sockaddr *)&p, pl) == -1)
		return -errno;
	return 0;
}

void
kl2tp_addr_from_sockaddr(const struct sockaddr_storage *ss,
    struct kl2tp_addr *a)
{
	const struct sockaddr_in	*s4 = (const void *)ss;
	const struct sockaddr_in6	*s6 = (const void *)ss;

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->family = 4;
		memcpy(a->addr, &s4->sin_addr, 4);
		a->port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		a->family = 6;
		memcpy(a->addr, &s6->sin6_addr, 16);
		a->port = ntohs(s6->sin6_port);
	}
}

bool
kl2tp_addr_eq(const struct kl2tp_addr *a, const struct kl2tp_addr *b)
{
	size_t	n = a->family == 4 ? 4 : 16;

	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, n) == 0;
}
